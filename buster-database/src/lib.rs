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

/// The migrations of the workspace's `migrations/` folder, in version order.
pub static MIGRATIONS: &[Migration] = buster_db::embed_migrations!("../migrations");

/// The Buster schema: its tables, enum types and migrations, for the drift check, the DDL and
/// the command line.
pub static SCHEMA: Schema = Schema {
    tables: schema::TABLES,
    enums: schema::ENUMS,
    migrations: MIGRATIONS,
};
