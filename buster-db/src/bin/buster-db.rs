//! The `buster-db` command line.
fn main() {}
