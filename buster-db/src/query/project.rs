//! Projections: selecting chosen items (columns, whole tables, aggregates) instead of whole
//! rows, with `GROUP BY` / `HAVING` and `DISTINCT`, and reading them into records.

use std::marker::PhantomData;

use postgres_types::FromSqlOwned;
use tokio_postgres::Row;

use crate::Result;
use crate::executor::Executor;
use crate::expr::{Aggregated, Both, ColumnRef, Columns, Expr, Node, Order, RowLevel};
use crate::sql::Writer;

use super::aggregate::{Agg, AggFn, CountAll, Found, GroupBy, NoColumns};
use super::compound::{Correlated, HasField};
use super::from::{Body, Total};
use super::names::{NamesMatch, Unnamed};
use super::run::{self, Query, Read, terminals};
use super::source::{Flag, Kind, No, SlotKind, Source, TableRef, Yes};

/// One selected item: a column, a whole table, or an aggregate, valid in a query over `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected: it is not a column of a table this query reads",
    label = "not selectable here",
    note = "select columns (or `Table::table()`) of the tables in the query, or aggregates of them"
)]
pub trait Item<S, I>: Send + Sync {
    /// The decoded value.
    type Output;
    /// The item's name as a type: a column's field name, or [`Unnamed`].
    type Field;
    /// Writes the item's SQL.
    #[doc(hidden)]
    fn write<'a>(&'a self, w: &mut Writer<'a>);
    /// Decodes the item from `row`, starting at `*idx`, and moves `*idx` past it.
    #[doc(hidden)]
    fn decode(row: &Row, idx: &mut usize) -> Result<Self::Output>;
}

#[diagnostic::do_not_recommend]
impl<C, S, I> Item<S, I> for C
where
    C: ColumnRef,
    C::Source: SlotKind<S, I>,
    <<C::Source as SlotKind<S, I>>::Kind as Kind>::Wrap<C::Value>: FromSqlOwned,
{
    type Output = <<C::Source as SlotKind<S, I>>::Kind as Kind>::Wrap<C::Value>;
    type Field = C::Field;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        w.qualified(C::qualifier(), C::NAME);
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<Self::Output> {
        let v = crate::__private::get(row, *idx, C::NAME)?;
        *idx += 1;
        Ok(v)
    }
}

impl<X, S, I> Item<S, I> for TableRef<X>
where
    X: Source + SlotKind<S, I>,
{
    type Output = <<X as SlotKind<S, I>>::Kind as Kind>::Wrap<X::Table>;
    type Field = Unnamed;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        let meta = <X::Table as crate::Table>::META;
        for (i, c) in meta.columns.iter().enumerate() {
            if i > 0 {
                w.push(", ");
            }
            w.qualified(X::alias(), c.name);
        }
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<Self::Output> {
        let v = <<X as SlotKind<S, I>>::Kind as Kind>::row::<X::Table>(row, *idx)?;
        *idx += <X::Table as crate::Table>::META.columns.len();
        Ok(v)
    }
}

/// What a query selects: one [`Item`] or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a selection of this query",
    note = "select a column, `Table::table()`, an aggregate, or a tuple of those"
)]
pub trait Projection<S, I>: Send + Sync {
    /// The decoded row.
    type Output;
    /// The items' names, as types ([`Item::Field`]).
    type Fields;
    /// Writes the select list.
    #[doc(hidden)]
    fn write<'a>(&'a self, w: &mut Writer<'a>);
    /// Decodes a row.
    #[doc(hidden)]
    fn decode(row: &Row) -> Result<Self::Output>;
}

/// Wraps a single item so that it is a projection of its own.
pub struct OneColumn<P>(pub(crate) P);

impl<S, I, A: Item<S, I>> Projection<S, I> for OneColumn<A> {
    type Output = A::Output;
    type Fields = A::Field;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.0.write(w);
    }
    fn decode(row: &Row) -> Result<Self::Output> {
        A::decode(row, &mut 0)
    }
}

macro_rules! tuple_projection {
    ($($a:ident $i:ident),+) => {
        impl<S, $($a, $i),+> Projection<S, ($($i,)+)> for ($($a,)+)
        where
            $($a: Item<S, $i>),+
        {
            type Output = ($($a::Output,)+);
            type Fields = ($($a::Field,)+);
            #[allow(non_snake_case)]
            fn write<'a>(&'a self, w: &mut Writer<'a>) {
                let ($($a,)+) = self;
                let mut __first = true;
                $(
                    if !__first {
                        w.push(", ");
                    }
                    __first = false;
                    $a.write(w);
                )+
                let _ = __first;
            }
            fn decode(row: &Row) -> Result<Self::Output> {
                let mut __idx = 0;
                Ok(($($a::decode(row, &mut __idx)?,)+))
            }
        }
    };
}
tuple_projection!(A1 I1);
tuple_projection!(A1 I1, A2 I2);
tuple_projection!(A1 I1, A2 I2, A3 I3);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11, A12 I12);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11, A12 I12, A13 I13);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11, A12 I12, A13 I13, A14 I14);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11, A12 I12, A13 I13, A14 I14, A15 I15);
tuple_projection!(A1 I1, A2 I2, A3 I3, A4 I4, A5 I5, A6 I6, A7 I7, A8 I8, A9 I9, A10 I10, A11 I11, A12 I12, A13 I13, A14 I14, A15 I15, A16 I16);

/// A selected item of a grouped query: an aggregate (or an expression, a window, a whole row),
/// or a column that is grouped by, found in `G` at `K`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is selected but neither grouped nor aggregated",
    label = "not in `group_by(..)`",
    note = "a grouped query selects the columns it groups by and aggregates of the others: add the column to `group_by(..)`, or select an aggregate of it"
)]
pub trait GroupedItem<G, K> {}

#[diagnostic::do_not_recommend]
impl<C, G, K> GroupedItem<G, K> for C
where
    C: ColumnRef,
    G: super::compound::HasField<C, K>,
{
}
#[diagnostic::do_not_recommend]
impl<F, C, G> GroupedItem<G, ()> for Agg<F, C> {}
#[diagnostic::do_not_recommend]
impl<G> GroupedItem<G, ()> for CountAll {}
#[diagnostic::do_not_recommend]
impl<C, T, G> GroupedItem<G, ()> for Expr<C, T> {}
#[diagnostic::do_not_recommend]
impl<C, T, G> GroupedItem<G, ()> for crate::expr::Over<C, T> {}
#[diagnostic::do_not_recommend]
impl<X, G> GroupedItem<G, ()> for TableRef<X> {}

/// A selection whose every item is a [`GroupedItem`] of the group-by columns `G`.
#[doc(hidden)]
pub trait GroupedProjection<G, K> {}

impl<A: GroupedItem<G, K>, G, K> GroupedProjection<G, K> for OneColumn<A> {}

macro_rules! grouped_projection {
    ($($a:ident $k:ident),+) => {
        impl<G, $($a: GroupedItem<G, $k>, $k),+> GroupedProjection<G, ($($k,)+)> for ($($a,)+) {}
    };
}
grouped_projection!(A1 K1);
grouped_projection!(A1 K1, A2 K2);
grouped_projection!(A1 K1, A2 K2, A3 K3);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11, A12 K12);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11, A12 K12, A13 K13);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11, A12 K12, A13 K13, A14 K14);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11, A12 K12, A13 K13, A14 K14, A15 K15);
grouped_projection!(A1 K1, A2 K2, A3 K3, A4 K4, A5 K5, A6 K6, A7 K7, A8 K8, A9 K9, A10 K10, A11 K11, A12 K12, A13 K13, A14 K14, A15 K15, A16 K16);

/// Whether a selected item is an aggregate (`count`, `sum`, …, `count(*)`): [`Yes`] or [`No`].
#[doc(hidden)]
pub trait Aggregates {
    /// [`Yes`] or [`No`].
    type Out: Flag;
}

impl<C: ColumnRef> Aggregates for C {
    type Out = No;
}
impl<X> Aggregates for TableRef<X> {
    type Out = No;
}
impl<F, C> Aggregates for Agg<F, C> {
    type Out = Yes;
}
impl Aggregates for CountAll {
    type Out = Yes;
}
// An expression or a window is not taken for an aggregate: it may stand beside either.
impl<C, T> Aggregates for Expr<C, T> {
    type Out = No;
}
impl<C, T> Aggregates for crate::expr::Over<C, T> {
    type Out = No;
}

/// A selected item of a query without `group_by`, whose selection holds an aggregate when `H`
/// is [`Yes`]: then the query returns one row for all its rows, and a column beside the
/// aggregate has no single value in it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is selected next to an aggregate but the query has no `group_by`",
    label = "selects `{Self}` next to an aggregate, without `group_by`",
    note = "without `group_by`, an aggregate makes one row of all the rows: select only aggregates, or add `group_by(..)` with the columns selected next to them"
)]
pub trait UngroupedItem<H> {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> UngroupedItem<No> for C {}
#[diagnostic::do_not_recommend]
impl<X> UngroupedItem<No> for TableRef<X> {}
#[diagnostic::do_not_recommend]
impl<F, C, H> UngroupedItem<H> for Agg<F, C> {}
#[diagnostic::do_not_recommend]
impl<H> UngroupedItem<H> for CountAll {}
#[diagnostic::do_not_recommend]
impl<C, T, H> UngroupedItem<H> for Expr<C, T> {}
#[diagnostic::do_not_recommend]
impl<C, T, H> UngroupedItem<H> for crate::expr::Over<C, T> {}

/// A selection that can run without `group_by`: no aggregate in it, or nothing but aggregates
/// (and expressions) in it.
#[doc(hidden)]
pub trait UngroupedProjection {}

impl<A> UngroupedProjection for OneColumn<A> {}

/// `Yes` when one of the items is an aggregate.
macro_rules! any_aggregate {
    ($a:ident) => { <$a as Aggregates>::Out };
    ($a:ident $($rest:ident)+) => {
        <<$a as Aggregates>::Out as Flag>::Or<any_aggregate!($($rest)+)>
    };
}

/// Whether a selection holds an aggregate: [`Yes`] or [`No`].
#[doc(hidden)]
pub trait AnyAggregate {
    /// [`Yes`] or [`No`].
    type Out;
}

macro_rules! ungrouped_projection {
    ($($a:ident)+) => {
        impl<$($a: Aggregates),+> AnyAggregate for ($($a,)+) {
            type Out = any_aggregate!($($a)+);
        }

        impl<$($a),+> UngroupedProjection for ($($a,)+)
        where
            Self: AnyAggregate,
            $($a: UngroupedItem<<Self as AnyAggregate>::Out>),+
        {
        }
    };
}
ungrouped_projection!(A1);
ungrouped_projection!(A1 A2);
ungrouped_projection!(A1 A2 A3);
ungrouped_projection!(A1 A2 A3 A4);
ungrouped_projection!(A1 A2 A3 A4 A5);
ungrouped_projection!(A1 A2 A3 A4 A5 A6);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15);
ungrouped_projection!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16);

/// A projection's grouping: no `group_by` yet.
pub struct Ungrouped;

/// A projection's grouping: `group_by(G)`.
pub struct GroupedBy<G>(PhantomData<fn() -> G>);

/// A grouping under which the selection `P` can run: [`GroupedBy`] any (`group_by` checked the
/// selection), or [`Ungrouped`] with a selection that mixes no column with an aggregate.
#[doc(hidden)]
pub trait Grouping<P> {}

impl<P: UngroupedProjection> Grouping<P> for Ungrouped {}
impl<G, P> Grouping<P> for GroupedBy<G> {}

/// The columns a `having` condition reads, under the grouping `G`: aggregates, and columns the
/// query groups by (found in the group-by columns at `K`).
#[diagnostic::on_unimplemented(
    message = "`having` reads `{Self}`, which the query neither groups by nor aggregates",
    label = "neither grouped by nor an aggregate",
    note = "`having` keeps or drops whole groups: compare aggregates (`count_all().ge(2)`, `Post::score.sum().gt(10)`) or columns of a `group_by(..)` called before it; a condition on single rows belongs in `filter`"
)]
pub trait HavingColumns<G, K> {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef, G, K> HavingColumns<GroupedBy<G>, K> for C where G: HasField<C, K> {}
#[diagnostic::do_not_recommend]
impl<X, G> HavingColumns<G, ()> for Aggregated<X> {}
#[diagnostic::do_not_recommend]
impl<G> HavingColumns<G, ()> for NoColumns {}
#[diagnostic::do_not_recommend]
impl<X, C, G> HavingColumns<G, ()> for Correlated<X, C> {}
// No `do_not_recommend`: the column of the pair that is neither grouped nor aggregated is named.
impl<A, B, G, KA, KB> HavingColumns<G, (KA, KB)> for Both<A, B>
where
    A: HavingColumns<G, KA>,
    B: HavingColumns<G, KB>,
{
}

#[diagnostic::do_not_recommend]
impl<F, C, S, I> Item<S, I> for Agg<F, C>
where
    C: ColumnRef + Columns<S, I>,
    F: AggFn<C::Value>,
{
    type Output = F::Output;
    type Field = Unnamed;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        w.push(F::OPEN);
        w.qualified(C::qualifier(), C::NAME);
        w.push(F::CLOSE);
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<Self::Output> {
        let v = crate::__private::get(row, *idx, F::OPEN.trim_end_matches('('))?;
        *idx += 1;
        Ok(v)
    }
}

#[diagnostic::do_not_recommend]
impl<C, T, S, I> Item<S, I> for Expr<C, T>
where
    C: Columns<S, I>,
    T: FromSqlOwned,
{
    type Output = T;
    type Field = Unnamed;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.node().write(w);
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<T> {
        let v = crate::__private::get(row, *idx, "expression")?;
        *idx += 1;
        Ok(v)
    }
}

#[diagnostic::do_not_recommend]
impl<S> Item<S, ()> for CountAll {
    type Output = i64;
    type Field = Unnamed;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        w.push("count(*)");
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<i64> {
        let v = crate::__private::get(row, *idx, "count")?;
        *idx += 1;
        Ok(v)
    }
}

/// `DISTINCT` or `DISTINCT ON (…)`.
#[derive(Default)]
pub(crate) enum Distinct {
    #[default]
    No,
    All,
    On(Vec<(&'static str, &'static str)>),
}

impl Distinct {
    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        match self {
            Distinct::No => {}
            Distinct::All => w.push("DISTINCT "),
            Distinct::On(cols) => {
                w.push("DISTINCT ON (");
                for (i, (t, c)) in cols.iter().enumerate() {
                    if i > 0 {
                        w.push(", ");
                    }
                    w.qualified(t, c);
                }
                w.push(") ");
            }
        }
    }
}

type Marker<S, P, I, G> = fn() -> (S, P, I, G);

/// A `SELECT` of chosen columns and aggregates over the sources `S`, grouped as `G` says
/// ([`Ungrouped`] until `group_by`).
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Projected<S, P, I, G = Ungrouped> {
    items: P,
    body: Body,
    distinct: Distinct,
    group: Vec<(&'static str, &'static str)>,
    having: Vec<Node>,
    _p: PhantomData<Marker<S, P, I, G>>,
}

impl<S, P: Projection<S, I>, I> Projected<S, P, I> {
    pub(crate) fn new(body: Body, items: P) -> Projected<S, P, I> {
        Projected {
            items,
            body,
            distinct: Distinct::No,
            group: Vec::new(),
            having: Vec::new(),
            _p: PhantomData,
        }
    }
}

impl<S, P: Projection<S, I>, I, G> Projected<S, P, I, G> {
    pub(crate) fn body_mut(&mut self) -> &mut Body {
        &mut self.body
    }

    /// Adds a condition; several are combined with `AND`.
    pub fn filter<C, J>(mut self, condition: Expr<C>) -> Self
    where
        C: Columns<S, J> + RowLevel,
    {
        self.body.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term.
    pub fn order_by<C, J>(mut self, order: Order<C>) -> Self
    where
        C: Columns<S, J>,
    {
        self.body.order.push(order.term);
        self
    }

    /// `GROUP BY` one column or a tuple of columns (in one call: every selected column must be
    /// among them, or aggregated — a compile error otherwise).
    pub fn group_by<B, J, K>(self, columns: B) -> Projected<S, P, I, GroupedBy<B>>
    where
        B: GroupBy<S, J>,
        J: Found,
        P: GroupedProjection<J::Gate<B>, K>,
    {
        let _ = columns;
        let mut group = self.group;
        B::columns(&mut group);
        Projected {
            items: self.items,
            body: self.body,
            distinct: self.distinct,
            group,
            having: self.having,
            _p: PhantomData,
        }
    }

    /// `HAVING` a condition on aggregates (`User::id.count().gt(3)`, `count_all().ge(2)`) or on
    /// columns of a `group_by` called before it.
    pub fn having<C, J, K>(mut self, condition: Expr<C>) -> Self
    where
        C: Columns<S, J> + HavingColumns<G, K>,
    {
        self.having.push(condition.erase());
        self
    }

    /// `SELECT DISTINCT ON (columns)`: the first row of each group of equal `columns`, in the
    /// query's order (which must start with those columns).
    pub fn distinct_on<B: GroupBy<S, J>, J>(mut self, columns: B) -> Self {
        let _ = columns;
        let mut cols = Vec::new();
        B::columns(&mut cols);
        self.distinct = Distinct::On(cols);
        self
    }

    /// Attaches a common table expression ([`cte`](crate::query::cte)).
    pub fn with(mut self, cte: super::cte::Cte) -> Self {
        self.body.ctes.push(cte);
        self
    }

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.distinct = Distinct::All;
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Self {
        self.body.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Self {
        self.body.offset = Some(n);
        self
    }

    /// The rows without ordering and window: what `count` and `exists` read.
    fn write_rows<'a>(&'a self, w: &mut Writer<'a>) {
        self.body.write_with(w);
        w.push("SELECT ");
        self.distinct.write(w);
        self.items.write(w);
        self.body.write_from_where(w);
        for (i, (t, c)) in self.group.iter().enumerate() {
            w.push(if i == 0 { " GROUP BY " } else { ", " });
            w.qualified(t, c);
        }
        for (i, h) in self.having.iter().enumerate() {
            w.push(if i == 0 { " HAVING " } else { " AND " });
            h.write(w);
        }
    }

    /// Every result row, read into a record struct (`#[derive(buster_db::Record)]`).
    pub async fn all_as<R, E>(self, exec: &E) -> Result<Vec<R>>
    where
        R: FromColumns<P::Output>,
        P::Fields: NamesMatch<R::Names>,
        P::Output: Send,
        E: Executor + ?Sized,
        G: Grouping<P>,
    {
        let rows = run::all(&self, exec).await?;
        Ok(rows.into_iter().map(R::from_columns).collect())
    }

    /// The first result row read into a record struct, if any.
    pub async fn optional_as<R, E>(self, exec: &E) -> Result<Option<R>>
    where
        R: FromColumns<P::Output>,
        P::Fields: NamesMatch<R::Names>,
        P::Output: Send,
        E: Executor + ?Sized,
        G: Grouping<P>,
    {
        Ok(run::optional(&self, exec).await?.map(R::from_columns))
    }

    /// The first result row read into a record struct, or a not-found error.
    pub async fn one_as<R, E>(self, exec: &E) -> Result<R>
    where
        R: FromColumns<P::Output>,
        P::Fields: NamesMatch<R::Names>,
        P::Output: Send,
        E: Executor + ?Sized,
        G: Grouping<P>,
    {
        Ok(R::from_columns(run::one(&self, exec).await?))
    }
}

impl<S, P: Projection<S, I>, I, G: Grouping<P>> Query for Projected<S, P, I, G> {
    type Output = P::Output;
    type Orderable = super::compound::Selected<P::Fields>;
    fn write_query<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_rows(w);
        self.body.write_order_limit(w);
    }
    fn decode_row(row: &Row) -> Result<P::Output> {
        P::decode(row)
    }
    fn table_name(&self) -> &'static str {
        self.body.base.name
    }
    fn expected_rows(&self) -> Option<usize> {
        self.body.expected_rows()
    }
}

impl<S, P: Projection<S, I>, I, G: Grouping<P>> Read for Projected<S, P, I, G> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        total.wrap(w, "q", |w| self.write_rows(w));
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.body.window(limit, offset);
    }
}

terminals!(read [S, P: Projection<S, I>, I, G] Projected<S, P, I, G> => P::Output, where G: Grouping<P>);

/// A struct built from the values of a column subset, implemented by
/// `#[derive(buster_db::Record)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be built from a row of `{T}`",
    label = "the record's fields do not match the selected columns",
    note = "derive `buster_db::Record` and give the struct one field per selected column, in order, named as the column and of its type"
)]
pub trait FromColumns<T> {
    /// The fields' names, as types: the selected columns must carry them, in order.
    type Names;
    /// Builds the record.
    fn from_columns(values: T) -> Self;
}
