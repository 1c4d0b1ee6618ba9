//! Query builders. Each renders to one SQL statement with `$n` parameters.
//!
//! One concept per file, imported as a tree: `source` (tables, aliases, join slots) and `from`
//! (the body every select shares, and the one soft-delete predicate renderer) at the bottom;
//! `statements` (fixed-shape statements) and `run` (the one runner) on them; then `page`,
//! `aggregate`, `project`, `join`, `select` and `compound` for reads, `insert`, `upsert`,
//! `update` and `write` for writes.

mod aggregate;
mod compound;
mod from;
mod insert;
mod join;
mod page;
mod project;
mod run;
mod select;
mod source;
mod statements;
mod update;
mod upsert;
mod write;

pub use aggregate::{
    Agg, AggFn, AggregateExt, CountAll, GroupBy, NoColumns, NumericColumn, count_all,
};
pub use compound::{
    Correlated, InSelectExt, QueryOf, Union, UnionExt, ValuesFor, With, exists, not_exists,
};
pub(crate) use from::{Visibility, soft_delete_filter};
pub use insert::Insert;
pub use join::Joined;
pub use page::{MAX_PAGE_SIZE, Page};
pub use project::{FromColumns, Item, One, Projected, Projection};
pub use run::Query;
pub(crate) use run::fetch;
pub use select::{Find, Select};
pub use source::{
    Alias, AliasColumn, AliasName, Inner, Kind, Left, Optional, Pick, Present, Push, Slot,
    SlotKind, Slots, Source, TableRef,
};
pub use statements::Statements;
pub use update::Update;
pub use upsert::{
    AllRows, LiveRows, OnConflict, Revivable, Upsert, UpsertColumns, UpsertDoNothing,
    UpsertDoUpdate, Written,
};
pub use write::{Delete, Restore, SoftDelete};

use std::borrow::Cow;

use postgres_types::ToSql;

use crate::sql::{Sql, Writer};

/// A statement ready to run: its text and parameters borrowed from the builder.
pub(crate) struct Rendered<'a> {
    pub(crate) sql: Cow<'a, str>,
    pub(crate) params: Vec<&'a (dyn ToSql + Sync)>,
}

impl<'a> Rendered<'a> {
    /// The statement `write` renders.
    pub(crate) fn with(write: impl FnOnce(&mut Writer<'a>)) -> Rendered<'a> {
        let mut w = Writer::new();
        write(&mut w);
        Rendered::finish(w)
    }

    /// The statement a writer holds.
    pub(crate) fn finish(w: Writer<'a>) -> Rendered<'a> {
        let (sql, params) = w.finish();
        Rendered {
            sql: Cow::Owned(sql),
            params,
        }
    }

    pub(crate) fn to_sql(&self) -> Sql {
        Sql {
            text: self.sql.clone().into_owned(),
            params: self.params.len(),
        }
    }
}
