//! Query builders. Each renders to one SQL statement with `$n` parameters.
//!
//! One concept per file, imported as a tree: `source` (tables, aliases, join slots) and `from`
//! (the body every select shares, and the one soft-delete predicate renderer) at the bottom;
//! `statements` (fixed-shape statements) and `run` (the one runner) on them; then `page`,
//! `aggregate`, `project`, `join`, `select`, `keyset`, `cte` and `compound` for reads, `insert`,
//! `upsert`, `update` and `write` for writes; `raw` for statements written as SQL text.

mod aggregate;
mod compound;
mod copy;
mod cte;
mod from;
mod insert;
mod join;
mod keyset;
mod lateral;
mod names;
mod page;
mod project;
mod raw;
pub(crate) use raw::replace_placeholders;
mod returning;
pub(crate) mod run;
mod select;
mod source;
mod statements;
mod update;
mod upsert;
mod write;

pub use crate::stream::CopyFormat;
pub use aggregate::{Agg, AggregateExt, count_all};
/// A piece of a [`copy_out`](Select::copy_out)'s data.
pub use bytes::Bytes;
pub use compound::{InSelectExt, Union, UnionExt, exists, not_exists};
pub use copy::CopyIn;
pub use cte::{Cte, CteBody, RecursiveBody, Unnest, UnnestArrays, cte, cte_recursive, unnest};
pub(crate) use from::{Visibility, soft_delete_filter};
pub use insert::Insert;
pub use join::Joined;
pub use keyset::{Keyset, KeysetPage};
pub use lateral::{Lateral, lateral};
#[doc(hidden)]
pub use names::{Ch, Name, letters};
pub use page::{MAX_PAGE_SIZE, Page};
pub use project::{FromColumns, Projected};
pub use raw::{Raw, raw_query};
pub use returning::Returning;
pub(crate) use run::each_row;
pub use select::{Find, Select};
pub use source::{Alias, AliasColumn};
#[doc(hidden)]
pub use statements::Statements;
pub use update::Update;
pub use upsert::{OnConflict, Upsert, UpsertColumns, UpsertDoNothing, UpsertDoUpdate, Written};
pub use write::{Delete, Restore, SoftDelete};

pub use crate::expr::{ColumnExt, Order};
pub use crate::relation::{HasMany, HasOne, ManyToMany};

/// Traits that appear only in bounds, and the type-level plumbing of the builders (join slots,
/// aggregate markers, key scopes). Nothing here is written in ordinary code; it is public so
/// that compiler messages can name it.
pub mod bounds {
    pub use super::aggregate::{
        AggFn, AggregateValue, CountAll, Found, GroupBy, NoColumns, NumericColumn,
    };
    pub use super::compound::{
        At, Correlated, HasField, QueryOf, RowsOf, Selected, UnionOrder, ValuesFor, With,
    };
    pub use super::keyset::{
        EveryRowHas, KeysetColumn, KeysetCursor, KeysetOrder, KeysetTerm, Paged,
    };
    pub use super::lateral::LateralRows;
    pub use super::names::{FieldName, NamesMatch, Unnamed};
    pub use super::project::{
        Aggregates, AnyAggregate, GroupedBy, GroupedItem, GroupedProjection, Grouping,
        HavingColumns, Item, OneColumn, Projection, Ungrouped, UngroupedItem, UngroupedProjection,
    };
    pub use super::raw::{RawParam, RawRow, RawValues, StaticSql};
    pub use super::returning::WriteBody;
    pub use super::run::Query;
    pub use super::source::{
        AliasIdent, AliasJoined, AliasName, Distinct, Flag, Inner, IsNo, IsYes,
        JoinBeyondTwelveTables, Kind, Left, MakeOptional, Maybe, No, Optional, Or, Pick, Present,
        Push, Reads, ReadsJoined, SameDigit, SameDigits, SameIdent, Slot, SlotKind, Slots, Source,
        TableIdent, TableRef, Unjoined, X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, XA, XB, XC, XD, XE,
        XF, Yes,
    };
    pub use super::upsert::{AllRows, LiveRows, Revivable};
    pub use crate::expr::{
        Both, ColumnRef, Columns, ComparableWith, InSource, SetValue, TextColumn, ValueFor,
    };
    pub use crate::relation::{HoldsKeyOf, KeyPointsAt, ReferencedIn, RelationKey};
    pub use crate::table::{
        ConflictTarget, HardDelete, Insertable, Key, NullableColumn, Patch, SoftDelete, Updatable,
    };
}

use std::borrow::Cow;

use postgres_types::ToSql;

use crate::sql::{Sql, Writer};

/// A statement ready to run: its text and parameters borrowed from the builder.
pub(crate) struct Rendered<'a> {
    pub(crate) sql: Cow<'a, str>,
    pub(crate) params: Vec<&'a (dyn ToSql + Sync)>,
    /// A read that any server may answer: sent through [`Executor::__read`](crate::Executor),
    /// which a [`Db`](crate::Db) with replicas routes to one of them.
    pub(crate) read: bool,
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
            read: false,
        }
    }

    /// Marks the statement a read any server may answer when `read` is true.
    pub(crate) fn read_if(mut self, read: bool) -> Rendered<'a> {
        self.read = read;
        self
    }

    pub(crate) fn to_sql(&self) -> Sql {
        Sql {
            text: self.sql.clone().into_owned(),
            params: self.params.len(),
        }
    }
}
