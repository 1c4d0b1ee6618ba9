//! Joins: selects over several tables with typed `ON` conditions and tuple results.
//!
//! A joined query's sources are a tuple of slots: [`Inner<T>`] for the first table and each
//! inner-joined table (decoded as `T`), [`Left<T>`] for a left-joined table (decoded as
//! `Option<T>`). Columns used in `on`, `filter`, `order_by` and projections are checked against
//! that tuple at compile time.

use std::marker::PhantomData;

use postgres_types::{FromSql, Type};
use tokio_postgres::Row;

use crate::executor::Executor;
use crate::expr::{ColumnRef, Columns, Expr, InSource, Node, Order, OrderTerm};
use crate::meta::TableMeta;
use crate::sql::Writer;
use crate::table::{Column, SoftDelete, Table};
use crate::{Error, Result};

use super::project::{Item, One, Projected, Projection};
use super::select::Page;
use super::{Rendered, Visibility};

/// A table (or an aliased table) named as a value, to join it: `Membership::table()`.
pub struct TableRef<X>(PhantomData<fn() -> X>);

impl<X> Clone for TableRef<X> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<X> Copy for TableRef<X> {}

impl<X> TableRef<X> {
    pub(crate) fn new() -> TableRef<X> {
        TableRef(PhantomData)
    }
}

/// Something a query can read from: a table, or a table under an alias.
pub trait Source: Send + Sync + 'static {
    /// The table read.
    type Table: Table;
    /// The name the query gives it (the table name, or the alias).
    fn alias() -> &'static str;
}

impl<T: Table> Source for T {
    type Table = T;
    fn alias() -> &'static str {
        T::META.name
    }
}

/// The name of an alias, declared with [`alias!`](crate::alias).
pub trait AliasName: Copy + Send + Sync + 'static {
    /// The SQL alias.
    const NAME: &'static str;
}

/// Declares an alias type for joining a table a second time:
/// `buster_db::alias!(pub Owner = "owner");` then `User::alias(Owner)`.
#[macro_export]
macro_rules! alias {
    ($vis:vis $name:ident = $sql:literal) => {
        #[doc = concat!("The table alias `", $sql, "`.")]
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::AliasName for $name {
            const NAME: &'static str = $sql;
        }
    };
}

/// Table `T` under the alias `A`.
pub struct Alias<T, A>(PhantomData<fn() -> (T, A)>);

impl<T: Table, A: AliasName> Source for Alias<T, A> {
    type Table = T;
    fn alias() -> &'static str {
        A::NAME
    }
}

/// A column of table `C::Table` read through the alias `A`.
pub struct AliasColumn<C, A>(PhantomData<fn() -> (C, A)>);

impl<C, A> Clone for AliasColumn<C, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, A> Copy for AliasColumn<C, A> {}

impl<C: Column, A: AliasName> ColumnRef for AliasColumn<C, A> {
    type Source = Alias<C::Table, A>;
    type Value = C::Value;
    const NAME: &'static str = C::NAME;
    fn qualifier() -> &'static str {
        A::NAME
    }
}

impl<T: Table, A: AliasName> TableRef<Alias<T, A>> {
    /// Column `column` of the aliased table.
    pub fn col<C: Column<Table = T>>(self, column: C) -> AliasColumn<C, A> {
        let _ = column;
        AliasColumn(PhantomData)
    }
}

/// A slot holding a table that every result row has (the first table and inner joins).
pub struct Inner<X>(PhantomData<fn() -> X>);
/// A slot holding a left-joined table: `None` when no row matched.
pub struct Left<X>(PhantomData<fn() -> X>);

/// How a slot's values come out: as they are ([`Present`]), or in an `Option` for a left join
/// ([`Optional`]).
pub trait Kind: 'static {
    /// `V` or `Option<V>`.
    type Wrap<V>;
    /// Decodes a whole row of `T` starting at `offset`.
    #[doc(hidden)]
    fn row<T: Table>(row: &Row, offset: usize) -> Result<Self::Wrap<T>>;
}

/// Marker of slots whose rows are always present.
pub struct Present;
/// Marker of left-joined slots.
pub struct Optional;

impl Kind for Present {
    type Wrap<V> = V;
    fn row<T: Table>(row: &Row, offset: usize) -> Result<T> {
        T::__decode(row, offset)
    }
}

/// Reads whether a column is NULL, whatever its type.
struct NullProbe(bool);

impl<'a> FromSql<'a> for NullProbe {
    fn from_sql(
        _: &Type,
        _: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(false))
    }
    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(true))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

impl Kind for Optional {
    type Wrap<V> = Option<V>;
    fn row<T: Table>(row: &Row, offset: usize) -> Result<Option<T>> {
        // A matched row has a non-NULL primary key; an unmatched left join has all NULLs.
        let meta = T::META;
        let key = meta
            .primary_key
            .first()
            .and_then(|k| meta.columns.iter().position(|c| c.name == *k))
            .unwrap_or(0);
        let probe: NullProbe = crate::__private::get(row, offset + key, meta.name)?;
        if probe.0 {
            Ok(None)
        } else {
            T::__decode(row, offset).map(Some)
        }
    }
}

/// One table of a joined query.
pub trait Slot: 'static {
    /// The identity columns are checked against (`T` or `Alias<T, A>`).
    type Id;
    /// [`Present`] or [`Optional`].
    type Kind: Kind;
    /// The table.
    type Table: Table;
    /// The name the query gives it.
    fn alias() -> &'static str;
}

impl<X: Source> Slot for Inner<X> {
    type Id = X;
    type Kind = Present;
    type Table = X::Table;
    fn alias() -> &'static str {
        X::alias()
    }
}

impl<X: Source> Slot for Left<X> {
    type Id = X;
    type Kind = Optional;
    type Table = X::Table;
    fn alias() -> &'static str {
        X::alias()
    }
}

/// Position markers of a table among a query's sources, inferred by the compiler.
#[doc(hidden)]
pub struct P0;
#[doc(hidden)]
pub struct P1;
#[doc(hidden)]
pub struct P2;
#[doc(hidden)]
pub struct P3;
#[doc(hidden)]
pub struct P4;

/// The slots of a joined query.
pub trait Slots: 'static {
    /// The decoded row: a tuple with one element per slot.
    type Output;
    /// Each slot's table and alias, in order.
    fn tables() -> Vec<(&'static TableMeta, &'static str)>;
    /// Decodes a row.
    #[doc(hidden)]
    fn decode(row: &Row) -> Result<Self::Output>;
}

/// Adds a slot to a tuple of slots.
pub trait Push<X> {
    /// The longer tuple.
    type Out: Slots;
}

macro_rules! slots {
    ($($s:ident),+) => {
        impl<$($s: Slot),+> Slots for ($($s,)+) {
            type Output = ($(<$s::Kind as Kind>::Wrap<$s::Table>,)+);
            fn tables() -> Vec<(&'static TableMeta, &'static str)> {
                vec![$((<$s::Table as Table>::META, $s::alias())),+]
            }
            fn decode(row: &Row) -> Result<Self::Output> {
                let mut __offset = 0;
                Ok(($({
                    let v = <$s::Kind as Kind>::row::<$s::Table>(row, __offset)?;
                    __offset += <$s::Table as Table>::META.columns.len();
                    let _ = __offset;
                    v
                },)+))
            }
        }
    };
}

slots!(S0);
slots!(S0, S1);
slots!(S0, S1, S2);
slots!(S0, S1, S2, S3);
slots!(S0, S1, S2, S3, S4);

macro_rules! push {
    ($next:ident; $($s:ident),+) => {
        impl<$($s: Slot,)+ $next: Slot> Push<$next> for ($($s,)+) {
            type Out = ($($s,)+ $next,);
        }
    };
}

push!(S1; S0);
push!(S2; S0, S1);
push!(S3; S0, S1, S2);
push!(S4; S0, S1, S2, S3);

/// Tables that take part in a query, with how their values come out.
pub trait SlotKind<S, I> {
    /// [`Present`] or [`Optional`].
    type Kind: Kind;
}

impl<T: Table> SlotKind<T, crate::expr::Here> for T {
    type Kind = Present;
}

macro_rules! in_source {
    ($at:ident: $($s:ident),+) => {
        impl<X, $($s: Slot),+> InSource<($($s,)+), $at> for X where $at: Pick<($($s,)+), Id = X> {}
        impl<X, $($s: Slot),+> SlotKind<($($s,)+), $at> for X
        where
            $at: Pick<($($s,)+), Id = X>,
        {
            type Kind = <$at as Pick<($($s,)+)>>::Kind;
        }
    };
}

/// Picks the slot at a position.
#[doc(hidden)]
pub trait Pick<S> {
    type Id;
    type Kind: Kind;
}

macro_rules! pick {
    ($at:ident => $target:ident; $($s:ident),+) => {
        impl<$($s: Slot),+> Pick<($($s,)+)> for $at {
            type Id = $target::Id;
            type Kind = $target::Kind;
        }
    };
}

pick!(P0 => S0; S0);
pick!(P0 => S0; S0, S1);
pick!(P1 => S1; S0, S1);
pick!(P0 => S0; S0, S1, S2);
pick!(P1 => S1; S0, S1, S2);
pick!(P2 => S2; S0, S1, S2);
pick!(P0 => S0; S0, S1, S2, S3);
pick!(P1 => S1; S0, S1, S2, S3);
pick!(P2 => S2; S0, S1, S2, S3);
pick!(P3 => S3; S0, S1, S2, S3);
pick!(P0 => S0; S0, S1, S2, S3, S4);
pick!(P1 => S1; S0, S1, S2, S3, S4);
pick!(P2 => S2; S0, S1, S2, S3, S4);
pick!(P3 => S3; S0, S1, S2, S3, S4);
pick!(P4 => S4; S0, S1, S2, S3, S4);

in_source!(P0: S0);
in_source!(P0: S0, S1);
in_source!(P1: S0, S1);
in_source!(P0: S0, S1, S2);
in_source!(P1: S0, S1, S2);
in_source!(P2: S0, S1, S2);
in_source!(P0: S0, S1, S2, S3);
in_source!(P1: S0, S1, S2, S3);
in_source!(P2: S0, S1, S2, S3);
in_source!(P3: S0, S1, S2, S3);
in_source!(P0: S0, S1, S2, S3, S4);
in_source!(P1: S0, S1, S2, S3, S4);
in_source!(P2: S0, S1, S2, S3, S4);
in_source!(P3: S0, S1, S2, S3, S4);
in_source!(P4: S0, S1, S2, S3, S4);

pub(crate) struct JoinClause {
    left: bool,
    meta: &'static TableMeta,
    alias: &'static str,
    on: Node,
    visibility: Visibility,
}

/// The shared parts of a query over one or more tables: sources, filters, order, limits.
pub(crate) struct From {
    pub(crate) base: &'static TableMeta,
    pub(crate) base_visibility: Visibility,
    pub(crate) joins: Vec<JoinClause>,
    pub(crate) filters: Vec<Node>,
    pub(crate) order: Vec<OrderTerm>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
}

/// `"alias"."deleted_at" IS NULL` (or `IS NOT NULL`) for a soft-deletable table.
fn soft_predicate(w: &mut Writer<'_>, meta: &TableMeta, alias: &str, v: Visibility) -> bool {
    let Some(sd) = meta.soft_delete_column() else {
        return false;
    };
    let test = match v {
        Visibility::Live => " IS NULL",
        Visibility::OnlyDeleted => " IS NOT NULL",
        Visibility::WithDeleted => return false,
    };
    w.qualified(alias, sd.name);
    w.push(test);
    true
}

impl From {
    pub(crate) fn new(
        base: &'static TableMeta,
        base_visibility: Visibility,
        filters: Vec<Node>,
        order: Vec<OrderTerm>,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> From {
        From {
            base,
            base_visibility,
            joins: Vec::new(),
            filters,
            order,
            limit,
            offset,
        }
    }

    fn join(&mut self, left: bool, meta: &'static TableMeta, alias: &'static str, on: Node) {
        self.joins.push(JoinClause {
            left,
            meta,
            alias,
            on,
            visibility: Visibility::Live,
        });
    }

    /// ` FROM "t" [INNER|LEFT] JOIN … WHERE …`
    pub(crate) fn write_from_where<'a>(&'a self, w: &mut Writer<'a>) {
        w.push(" FROM ");
        w.ident(self.base.name);
        for j in &self.joins {
            w.push(if j.left {
                " LEFT JOIN "
            } else {
                " INNER JOIN "
            });
            w.ident(j.meta.name);
            if j.alias != j.meta.name {
                w.push(" AS ");
                w.ident(j.alias);
            }
            w.push(" ON ");
            j.on.write(w);
            // In the ON clause, so a left join keeps its left row when the right one is deleted.
            let mut tail = Writer::new();
            if soft_predicate(&mut tail, j.meta, j.alias, j.visibility) {
                w.push(" AND ");
                let (sql, _) = tail.finish();
                w.push(&sql);
            }
        }
        let mut first = true;
        for f in &self.filters {
            w.push(if first { " WHERE " } else { " AND " });
            first = false;
            f.write(w);
        }
        let mut tail = Writer::new();
        if soft_predicate(&mut tail, self.base, self.base.name, self.base_visibility) {
            w.push(if first { " WHERE " } else { " AND " });
            let (sql, _) = tail.finish();
            w.push(&sql);
        }
    }

    pub(crate) fn write_order_limit<'a>(&'a self, w: &mut Writer<'a>) {
        super::write_order_limit(w, &self.order, &self.limit, &self.offset);
    }

    pub(crate) fn render_count(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        w.push("SELECT count(*)");
        self.write_from_where(&mut w);
        Rendered::finish(w)
    }

    fn set_visibility(&mut self, alias: &str, v: Visibility) {
        if self.base.name == alias {
            self.base_visibility = v;
        }
        for j in &mut self.joins {
            if j.alias == alias {
                j.visibility = v;
            }
        }
    }

    pub(crate) fn page_bounds(&mut self, page: u32, page_size: u32) -> Result<i64> {
        let (limit, offset) = super::page_window(page, page_size)?;
        self.limit = Some(limit);
        self.offset = Some(offset);
        Ok(offset)
    }
}

/// A `SELECT` over joined tables, returning one tuple per row (`(A, B)`, `(A, Option<B>)`, …).
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Joined<S> {
    pub(crate) from: From,
    _slots: PhantomData<fn() -> S>,
}

impl<S: Slots> Joined<S> {
    pub(crate) fn from_parts(from: From) -> Joined<S> {
        Joined {
            from,
            _slots: PhantomData,
        }
    }

    /// `INNER JOIN table ON on`: rows without a match are dropped; soft-deleted rows of the
    /// joined table never match.
    pub fn inner_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<S as Push<Inner<X>>>::Out>
    where
        X: Source,
        S: Push<Inner<X>>,
        C: Columns<<S as Push<Inner<X>>>::Out, I>,
    {
        let _ = table;
        self.from
            .join(false, <X::Table as Table>::META, X::alias(), on.erase());
        Joined::from_parts(self.from)
    }

    /// `LEFT JOIN table ON on`: rows without a match (or whose match is soft-deleted) keep their
    /// left side and get `None`.
    pub fn left_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<S as Push<Left<X>>>::Out>
    where
        X: Source,
        S: Push<Left<X>>,
        C: Columns<<S as Push<Left<X>>>::Out, I>,
    {
        let _ = table;
        self.from
            .join(true, <X::Table as Table>::META, X::alias(), on.erase());
        Joined::from_parts(self.from)
    }

    /// Adds a condition over any of the joined tables; several are combined with `AND`.
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Joined<S>
    where
        C: Columns<S, I>,
    {
        self.from.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term on a column of any joined table.
    pub fn order_by<C, I>(mut self, order: Order<C>) -> Joined<S>
    where
        C: Columns<S, I>,
    {
        self.from.order.push(order.term);
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Joined<S> {
        self.from.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Joined<S> {
        self.from.offset = Some(n);
        self
    }

    /// Selects a tuple of items (columns, `Table::table()`, aggregates) instead of whole rows.
    pub fn columns<P: Projection<S, I>, I>(self, items: P) -> Projected<S, P, I> {
        let _ = items;
        Projected::new(self.from)
    }

    /// Selects one item (a column, `Table::table()` or an aggregate) instead of whole rows.
    pub fn column<A: Item<S, I>, I>(self, item: A) -> Projected<S, One<A>, I> {
        let _ = item;
        Projected::new(self.from)
    }

    /// Includes the soft-deleted rows of one of the joined tables.
    pub fn with_deleted<X, I>(mut self, table: TableRef<X>) -> Joined<S>
    where
        X: Source + InSource<S, I>,
        X::Table: SoftDelete,
    {
        let _ = table;
        self.from
            .set_visibility(X::alias(), Visibility::WithDeleted);
        self
    }

    /// Keeps only the soft-deleted rows of one of the joined tables.
    pub fn only_deleted<X, I>(mut self, table: TableRef<X>) -> Joined<S>
    where
        X: Source + InSource<S, I>,
        X::Table: SoftDelete,
    {
        let _ = table;
        self.from
            .set_visibility(X::alias(), Visibility::OnlyDeleted);
        self
    }

    pub(crate) fn write_select<'a>(&'a self, w: &mut Writer<'a>) {
        w.push("SELECT ");
        write_columns(w, &S::tables());
        self.from.write_from_where(w);
        self.from.write_order_limit(w);
    }

    fn render(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.write_select(&mut w);
        Rendered::finish(w)
    }

    /// The SQL this query runs, and its parameter count.
    pub fn to_sql(&self) -> crate::Sql {
        self.render().to_sql()
    }

    /// Every matching row.
    pub async fn all<E: Executor + ?Sized>(self, exec: &E) -> Result<Vec<S::Output>> {
        super::query_all(&self, exec).await
    }

    /// The first row, if any.
    pub async fn optional<E: Executor + ?Sized>(self, exec: &E) -> Result<Option<S::Output>> {
        super::query_first(&self, exec).await
    }

    /// The first row, or a not-found error.
    pub async fn one<E: Executor + ?Sized>(self, exec: &E) -> Result<S::Output> {
        super::query_first(&self, exec)
            .await?
            .ok_or_else(|| Error::not_found(self.from.base.name))
    }

    /// The number of matching rows.
    pub async fn count<E: Executor + ?Sized>(self, exec: &E) -> Result<i64> {
        super::count(exec, &self.from.render_count()).await
    }

    /// Page `page` (from 1) of `page_size` rows (1 to 5,000) with the total count.
    pub async fn paginate<E: Executor + ?Sized>(
        mut self,
        page: u32,
        page_size: u32,
        exec: &E,
    ) -> Result<Page<S::Output>> {
        let offset = self.from.page_bounds(page, page_size)?;
        let items = self.render();
        let total = self.from.render_count();
        super::fetch_page(exec, &items, &total, (page, page_size, offset), S::decode).await
    }
}

pub(crate) fn write_columns(w: &mut Writer<'_>, tables: &[(&'static TableMeta, &'static str)]) {
    let mut first = true;
    for (meta, alias) in tables {
        for c in meta.columns {
            if !first {
                w.push(", ");
            }
            first = false;
            w.qualified(alias, c.name);
        }
    }
}
