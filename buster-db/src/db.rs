//! The pooled database handle.

/// A pool of connections (stub).
#[derive(Clone)]
pub struct Db {}

/// A checked-out connection (stub).
pub struct Conn {}
