//! buster-db: the one way to talk to PostgreSQL.
//!
//! Declare a table as a plain struct with `#[derive(Table)]`; the derive generates typed column
//! constants, insert and patch shapes, row decoding and schema metadata. Queries built from them are
//! checked by the compiler (a column of another table, a value of the wrong type, an upsert on a
//! non-unique key and a hard delete of a soft-deletable table do not compile) and executed on a
//! pooled `tokio-postgres` client with per-connection prepared statements.
//!
//! Reads hide soft-deleted rows unless a query opts in with `with_deleted()` / `only_deleted()`.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

extern crate self as buster_db;

mod citext;
#[cfg(feature = "cli")]
pub mod cli;
mod column_list;
mod config;
mod connect;
mod db;
pub mod drift;
mod error;
mod executor;
pub mod expr;
pub mod generate;
mod interval;
mod lease;
mod lifecycle;
pub mod meta;
pub mod migrate;
mod pooler;
mod prepared;
pub mod pull;
pub mod query;
mod relation;
mod replica;
mod sql;
mod stream;
mod table;
pub mod testing;
mod tls;
mod trace;
mod transaction;
mod value;

pub use buster_db_macros::{Enum, Record, Scalar, Table, embed_migrations, test};
pub use citext::Citext;
pub use config::{Config, ReadConsistency};
pub use db::{Conn, Db, PoolStatus, Primary};
pub use error::{Error, ErrorKind, Result};
pub use executor::Executor;
pub use expr::Expr;
pub use interval::Interval;
pub use meta::Schema;
pub use query::{KeysetPage, Page, count_all, exists, not_exists, raw_query};
pub use replica::{ReplicaStatus, WriteToken};
pub use sql::Sql;
pub use table::{Column, Table};
pub use tls::SslMode;
pub use tokio_postgres::IsolationLevel;
pub use transaction::{Transaction, TxOptions};
pub use value::Enum;

pub use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
pub use postgres_types::Json;
#[cfg(feature = "decimal")]
pub use rust_decimal::Decimal;
pub use serde_json::Value as JsonValue;
pub use uuid::Uuid;

/// The value types a column can have, and the crates they come from.
///
/// A type the engine does not know — an extension's, such as a vector — is declared by
/// implementing [`ToSql`] and [`FromSql`] (its binary wire format) and [`Scalar`] (its SQL type
/// name); its operators and functions with [`sql_operator!`](crate::sql_operator) and
/// [`sql_fn!`](crate::sql_fn). `tests/tests/extension_types.rs` declares PostgreSQL's `point`
/// and its `<->` that way.
pub mod types {
    pub use crate::meta::SqlType;
    pub use crate::value::{ColumnType, Element, IntoSql, JsonDocument, Scalar};
    pub use bytes::BytesMut;
    #[cfg(feature = "network")]
    pub use cidr;
    pub use postgres_types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
    #[cfg(feature = "decimal")]
    pub use rust_decimal;
    #[cfg(feature = "time")]
    pub use time;
    pub use tokio_postgres::Row;
    pub use {chrono, serde_json, uuid};
}

/// Everything a query needs in scope: `use buster_db::prelude::*;`.
pub mod prelude {
    pub use crate::expr::{case, coalesce, lit, over};
    pub use crate::query::{AggregateExt, ColumnExt, InSelectExt, UnionExt};
    pub use crate::{Db, Executor, Table, Transaction, count_all, exists, not_exists};
}

/// Support for generated code. Not public API: it changes without notice.
#[doc(hidden)]
pub mod __private;
