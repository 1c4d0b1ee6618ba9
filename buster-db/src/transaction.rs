//! Transactions.

/// A transaction (stub).
pub struct Transaction<'a> {
    _p: std::marker::PhantomData<&'a ()>,
}
