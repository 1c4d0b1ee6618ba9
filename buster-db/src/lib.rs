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

#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod db;
pub mod drift;
mod error;
mod executor;
mod expr;
mod lifecycle;
mod meta;
pub mod migrate;
mod pooler;
mod query;
mod relation;
mod sql;
mod table;
pub mod testing;
mod trace;
mod transaction;
mod value;

pub use buster_db_macros::{Enum, Record, Table, embed_migrations, test};
pub use config::Config;
pub use db::{Conn, Db, PoolStatus};
pub use error::{Error, ErrorKind, Result};
pub use executor::Executor;
pub use expr::{
    Both, ColumnExt, ColumnRef, Columns, ComparableWith, Expr, InSource, Order, SetValue,
    TextColumn, ValueFor,
};
pub use meta::{ColumnMeta, EnumMeta, IndexMeta, Managed, Schema, SqlType, TableMeta};
pub use query::{
    Agg, AggFn, AggregateExt, CountAll, FromColumns, GroupBy, Item, NoColumns, NumericColumn, One,
    Projected, Projection, count_all,
};
pub use query::{
    Alias, AliasColumn, AliasName, Inner, Joined, Kind, Left, Optional, Pick, Present, Push, Slot,
    SlotKind, Slots, Source, TableRef,
};
pub use query::{AllRows, LiveRows, Revivable};
pub use query::{
    Correlated, InSelectExt, Query, QueryOf, Union, UnionExt, ValuesFor, With, exists, not_exists,
};
pub use query::{
    Delete, Find, Insert, MAX_PAGE_SIZE, OnConflict, Page, Restore, Select,
    SoftDelete as SoftDeleteQuery, Update, Upsert, UpsertColumns, UpsertDoNothing, UpsertDoUpdate,
    Written,
};
pub use relation::{HasMany, HasOne, HoldsKeyOf, ManyToMany, RelationKey};
pub use sql::Sql;
pub use table::{
    Column, ConflictTarget, HardDelete, Insertable, Key, NullableColumn, Patch, SoftDelete, Table,
    Updatable,
};
pub use tokio_postgres::IsolationLevel;
pub use tokio_postgres::Row;
pub use transaction::{Transaction, TxOptions};
pub use value::{ColumnType, Element, Enum, IntoSql, Scalar};

pub use chrono::{self, DateTime, NaiveDate, Utc};
pub use postgres_types::Json;
pub use serde_json::{self, Value as JsonValue};
pub use uuid::{self, Uuid};

/// Everything a query needs in scope: `use buster_db::prelude::*;`.
pub mod prelude {
    pub use crate::{
        AggregateExt, ColumnExt, Db, Executor, InSelectExt, Table, Transaction, UnionExt,
        count_all, exists, not_exists,
    };
}

/// Support for generated code. Not public API: it changes without notice.
#[doc(hidden)]
pub mod __private;
