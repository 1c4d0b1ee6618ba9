//! The other Rust PostgreSQL clients, built only with the `peers` feature.

pub(crate) mod diesel_client;
pub(crate) mod sqlx_client;
