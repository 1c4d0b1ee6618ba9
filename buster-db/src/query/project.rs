//! Projections: selecting chosen items (columns, whole tables, aggregates) instead of whole
//! rows, with `GROUP BY` / `HAVING` and `DISTINCT`, and reading them into records.

use std::marker::PhantomData;

use postgres_types::FromSqlOwned;
use tokio_postgres::Row;

use crate::Result;
use crate::executor::Executor;
use crate::expr::{ColumnRef, Columns, Expr, Node, Order, RowLevel};
use crate::sql::Writer;

use super::aggregate::{Agg, AggFn, CountAll, GroupBy};
use super::from::{Body, Total};
use super::names::{NamesMatch, Unnamed};
use super::run::{self, Query, Read, terminals};
use super::source::{Kind, SlotKind, Source, TableRef};

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

type Marker<S, P, I> = fn() -> (S, P, I);

/// A `SELECT` of chosen columns and aggregates over the sources `S`.
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Projected<S, P, I> {
    items: P,
    body: Body,
    distinct: Distinct,
    group: Vec<(&'static str, &'static str)>,
    having: Vec<Node>,
    _p: PhantomData<Marker<S, P, I>>,
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
    pub fn group_by<G, J, K>(mut self, columns: G) -> Self
    where
        G: GroupBy<S, J>,
        P: GroupedProjection<G, K>,
    {
        let _ = columns;
        G::columns(&mut self.group);
        self
    }

    /// `HAVING` a condition on aggregates (`User::id.count().gt(3)`, `count_all().ge(2)`).
    pub fn having<C, J>(mut self, condition: Expr<C>) -> Self
    where
        C: Columns<S, J>,
    {
        self.having.push(condition.erase());
        self
    }

    /// `SELECT DISTINCT ON (columns)`: the first row of each group of equal `columns`, in the
    /// query's order (which must start with those columns).
    pub fn distinct_on<G: GroupBy<S, J>, J>(mut self, columns: G) -> Self {
        let _ = columns;
        let mut cols = Vec::new();
        G::columns(&mut cols);
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
    {
        Ok(R::from_columns(run::one(&self, exec).await?))
    }
}

impl<S, P: Projection<S, I>, I> Query for Projected<S, P, I> {
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

impl<S, P: Projection<S, I>, I> Read for Projected<S, P, I> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        total.wrap(w, "q", |w| self.write_rows(w));
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.body.window(limit, offset);
    }
}

terminals!(read [S, P: Projection<S, I>, I] Projected<S, P, I> => P::Output);

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
