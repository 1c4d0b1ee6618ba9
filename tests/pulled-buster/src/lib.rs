//! The Buster schema as `pull` writes it: `src/schema/` is exactly what `buster_db::pull`
//! writes from a database migrated with the workspace's `migrations/` (named `buster` in the
//! files' first line). `tests/tests/pull.rs` of `buster-db-tests` checks that, and rewrites the
//! folder with `UPDATE_PULLED=1`; `tests/round_trip.rs` checks the declarations against the
//! migrations. The rest of the crate is written by hand.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

pub mod schema;

use buster_db::Schema;
use buster_db::migrate::Migration;

/// The migrations the schema was pulled from: the workspace's `migrations/`.
pub static MIGRATIONS: &[Migration] = buster_db::embed_migrations!("../../migrations");

/// The pulled tables and enum types with the migrations they were pulled from.
pub static SCHEMA: Schema = Schema {
    tables: schema::TABLES,
    enums: schema::ENUMS,
    migrations: MIGRATIONS,
};
