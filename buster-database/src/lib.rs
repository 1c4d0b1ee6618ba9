//! The Buster product's database package, built on the buster-db engine like any application
//! crate: the schema ([`schema`]), every query the product runs, by domain ([`queries`], also
//! re-exported here), the validation rules of their parameters, and the migrations of the
//! workspace's `migrations/` folder ([`MIGRATIONS`]).
//!
//! ```no_run
//! use buster_database::{CreateUserParams, create_user};
//!
//! # async fn demo() -> buster_db::Result<()> {
//! let db = buster_db::Db::from_env().await?;
//! buster_db::migrate::migrate(&db, buster_database::MIGRATIONS).await?;
//! let ada = create_user(CreateUserParams::new("ada@example.com", "Ada"), &db).await?;
//! assert_eq!(ada.name, "Ada");
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

pub mod queries;
pub mod schema;
mod validate;

pub use queries::*;

use buster_db::Schema;
use buster_db::migrate::Migration;

/// The pool settings the product runs with, on top of [`buster_db::Config::from_env`] (whose
/// `DATABASE_*` variables are read first, so these win): see [`pool_settings`].
///
/// # Errors
///
/// As [`buster_db::Config::from_env`].
pub fn pool_config() -> buster_db::Result<buster_db::Config> {
    Ok(pool_settings(buster_db::Config::from_env()?))
}

/// The product's pool settings applied to `config`: five warm connections, each replaced after
/// 24 hours, idle ones above the five closed after two minutes, and a ping on every checkout.
///
/// ```
/// use std::time::Duration;
///
/// let base = buster_db::Config::from_url("postgres://app@db.internal:5432/buster")?;
/// let config = buster_database::pool_settings(base);
/// assert_eq!(config.get_min_idle(), 5);
/// assert_eq!(config.get_max_lifetime(), Some(Duration::from_secs(24 * 60 * 60)));
/// assert_eq!(config.get_idle_timeout(), Some(Duration::from_secs(2 * 60)));
/// assert!(config.get_ping_on_checkout());
/// # Ok::<(), buster_db::Error>(())
/// ```
pub fn pool_settings(config: buster_db::Config) -> buster_db::Config {
    use std::time::Duration;
    config
        .min_idle(5)
        .max_lifetime(Some(Duration::from_secs(24 * 60 * 60)))
        .idle_timeout(Some(Duration::from_secs(2 * 60)))
        .ping_on_checkout(true)
}

/// The migrations of the workspace's `migrations/` folder, in version order.
pub static MIGRATIONS: &[Migration] = buster_db::embed_migrations!("../migrations");

/// The Buster schema: its tables, enum types and migrations, for the drift check, the DDL and
/// the command line.
pub static SCHEMA: Schema = Schema {
    tables: schema::TABLES,
    enums: schema::ENUMS,
    migrations: MIGRATIONS,
};
