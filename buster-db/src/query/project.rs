//! Column subsets, aggregates, `GROUP BY` / `HAVING` and `DISTINCT`.

use std::marker::PhantomData;

use postgres_types::FromSqlOwned;
use tokio_postgres::Row;

use crate::executor::Executor;
use crate::expr::{ColumnRef, Columns, Expr, Node, Order};
use crate::sql::Writer;
use crate::value::{ColumnType, IntoSql, Numeric};
use crate::{Error, Result};

use super::join::{From, Kind, SlotKind, Source, TableRef};
use super::{Rendered, select::Page};

/// One selected item: a column, a whole table, or an aggregate, valid in a query over `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in a query on `{S}`",
    label = "not selectable here",
    note = "select columns (or `Table::table()`) of the tables in the query, or aggregates of them"
)]
pub trait Item<S, I> {
    /// The decoded value.
    type Output;
    /// Writes the item's SQL.
    #[doc(hidden)]
    fn write(w: &mut Writer<'_>);
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
    fn write(w: &mut Writer<'_>) {
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
    fn write(w: &mut Writer<'_>) {
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
    message = "`{Self}` is not a selection valid in a query on `{S}`",
    note = "select a column, `Table::table()`, an aggregate, or a tuple of those"
)]
pub trait Projection<S, I> {
    /// The decoded row.
    type Output;
    /// Writes the select list.
    #[doc(hidden)]
    fn write(w: &mut Writer<'_>);
    /// Decodes a row.
    #[doc(hidden)]
    fn decode(row: &Row) -> Result<Self::Output>;
}

/// Wraps a single item so that it is a projection of its own.
pub struct One<P>(PhantomData<fn() -> P>);

impl<S, I, A: Item<S, I>> Projection<S, I> for One<A> {
    type Output = A::Output;
    fn write(w: &mut Writer<'_>) {
        A::write(w);
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
            fn write(w: &mut Writer<'_>) {
                let mut __first = true;
                $(
                    if !__first {
                        w.push(", ");
                    }
                    __first = false;
                    $a::write(w);
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

/// An aggregate function applied to column `C`.
pub struct Agg<F, C>(PhantomData<fn() -> (F, C)>);

impl<F, C> Clone for Agg<F, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F, C> Copy for Agg<F, C> {}

/// `count(*)`.
#[derive(Debug, Clone, Copy)]
pub struct CountAll;

/// `count(*)`: the number of rows (in each group).
pub fn count_all() -> CountAll {
    CountAll
}

/// An aggregate function of a column whose value type is `V`.
#[doc(hidden)]
pub trait AggFn<V> {
    type Output: FromSqlOwned;
    /// The value type `having` comparisons take.
    type Compare;
    const OPEN: &'static str;
    const CLOSE: &'static str;
}

#[doc(hidden)]
pub struct CountF;
#[doc(hidden)]
pub struct CountDistinctF;
#[doc(hidden)]
pub struct SumF;
#[doc(hidden)]
pub struct AvgF;
#[doc(hidden)]
pub struct MinF;
#[doc(hidden)]
pub struct MaxF;

impl<V> AggFn<V> for CountF {
    type Output = i64;
    type Compare = i64;
    const OPEN: &'static str = "count(";
    const CLOSE: &'static str = ")";
}
impl<V> AggFn<V> for CountDistinctF {
    type Output = i64;
    type Compare = i64;
    const OPEN: &'static str = "count(DISTINCT ";
    const CLOSE: &'static str = ")";
}
impl<V: Numeric> AggFn<V> for SumF {
    type Output = Option<V::Sum>;
    type Compare = V::Sum;
    const OPEN: &'static str = "sum(";
    const CLOSE: &'static str = V::SUM_CLOSE;
}
impl<V: Numeric> AggFn<V> for AvgF {
    type Output = Option<f64>;
    type Compare = f64;
    const OPEN: &'static str = "avg(";
    const CLOSE: &'static str = ")::double precision";
}
impl<V: ColumnType> AggFn<V> for MinF {
    type Output = V::Optional;
    type Compare = V;
    const OPEN: &'static str = "min(";
    const CLOSE: &'static str = ")";
}
impl<V: ColumnType> AggFn<V> for MaxF {
    type Output = V::Optional;
    type Compare = V;
    const OPEN: &'static str = "max(";
    const CLOSE: &'static str = ")";
}

impl<F, C, S, I> Item<S, I> for Agg<F, C>
where
    C: ColumnRef + Columns<S, I>,
    F: AggFn<C::Value>,
{
    type Output = F::Output;
    fn write(w: &mut Writer<'_>) {
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

impl<S> Item<S, ()> for CountAll {
    type Output = i64;
    fn write(w: &mut Writer<'_>) {
        w.push("count(*)");
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<i64> {
        let v = crate::__private::get(row, *idx, "count")?;
        *idx += 1;
        Ok(v)
    }
}

/// The columns a `having` condition on `count(*)` reads: none.
pub struct NoColumns;

#[diagnostic::do_not_recommend]
impl<S> Columns<S, ()> for NoColumns {}

macro_rules! agg_compare {
    ($($name:ident $op:literal),*) => {
        impl<F, C> Agg<F, C>
        where
            C: ColumnRef,
            F: AggFn<C::Value>,
            F::Compare: crate::ColumnType,
        {
            $(
                #[doc = concat!("`aggregate", $op, "value`, for `having`.")]
                pub fn $name<V: IntoSql<F::Compare>>(self, value: V) -> Expr<C> {
                    Expr::from_node(Node::Aggregate {
                        open: F::OPEN,
                        column: Some((C::qualifier(), C::NAME)),
                        close: F::CLOSE,
                        op: $op,
                        value: Box::new(value.into_sql()),
                    })
                }
            )*
        }

        impl CountAll {
            $(
                #[doc = concat!("`count(*)", $op, "value`, for `having`.")]
                pub fn $name(self, value: i64) -> Expr<NoColumns> {
                    Expr::from_node(Node::Aggregate {
                        open: "count(",
                        column: None,
                        close: ")",
                        op: $op,
                        value: Box::new(value),
                    })
                }
            )*
        }
    };
}
agg_compare!(eq " = ", ne " <> ", lt " < ", le " <= ", gt " > ", ge " >= ");

/// Columns to group by: one column or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be grouped by in a query on `{S}`",
    note = "group by columns of the tables in the query, one or a tuple of them"
)]
pub trait GroupBy<S, I> {
    /// Appends `"t"."c"` terms.
    #[doc(hidden)]
    fn columns(out: &mut Vec<(&'static str, &'static str)>);
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef + Columns<S, I>, S, I> GroupBy<S, I> for C {
    fn columns(out: &mut Vec<(&'static str, &'static str)>) {
        out.push((C::qualifier(), C::NAME));
    }
}

macro_rules! tuple_group {
    ($($c:ident $i:ident),+) => {
        impl<S, $($c, $i),+> GroupBy<S, ($($i,)+)> for ($($c,)+)
        where
            $($c: GroupBy<S, $i>),+
        {
            fn columns(out: &mut Vec<(&'static str, &'static str)>) {
                $($c::columns(out);)+
            }
        }
    };
}
tuple_group!(C1 I1);
tuple_group!(C1 I1, C2 I2);
tuple_group!(C1 I1, C2 I2, C3 I3);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5);

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
    from: From,
    distinct: Distinct,
    group: Vec<(&'static str, &'static str)>,
    having: Vec<Node>,
    _p: PhantomData<Marker<S, P, I>>,
}

impl<S, P: Projection<S, I>, I> Projected<S, P, I> {
    pub(crate) fn new(from: From) -> Projected<S, P, I> {
        Projected {
            from,
            distinct: Distinct::No,
            group: Vec::new(),
            having: Vec::new(),
            _p: PhantomData,
        }
    }

    /// Adds a condition; several are combined with `AND`.
    pub fn filter<C, J>(mut self, condition: Expr<C>) -> Self
    where
        C: Columns<S, J>,
    {
        self.from.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term.
    pub fn order_by<C, J>(mut self, order: Order<C>) -> Self
    where
        C: Columns<S, J>,
    {
        self.from.order.push(order.term);
        self
    }

    /// `GROUP BY` one column or a tuple of columns.
    pub fn group_by<G: GroupBy<S, J>, J>(mut self, columns: G) -> Self {
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

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.distinct = Distinct::All;
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Self {
        self.from.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Self {
        self.from.offset = Some(n);
        self
    }

    pub(crate) fn write_body<'a>(&'a self, w: &mut Writer<'a>) {
        w.push("SELECT ");
        self.distinct.write(w);
        P::write(w);
        self.from.write_from_where(w);
        for (i, (t, c)) in self.group.iter().enumerate() {
            w.push(if i == 0 { " GROUP BY " } else { ", " });
            w.qualified(t, c);
        }
        for (i, h) in self.having.iter().enumerate() {
            w.push(if i == 0 { " HAVING " } else { " AND " });
            h.write(w);
        }
    }

    pub(crate) fn write_select<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_body(w);
        self.from.write_order_limit(w);
    }

    fn render(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.write_select(&mut w);
        Rendered::finish(w)
    }

    fn render_count(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        w.push("SELECT count(*) FROM (");
        self.write_body(&mut w);
        w.push(") AS \"q\"");
        Rendered::finish(w)
    }

    /// The SQL this query runs, and its parameter count.
    pub fn to_sql(&self) -> crate::Sql {
        self.render().to_sql()
    }

    /// Every result row.
    pub async fn all<E: Executor + ?Sized>(self, exec: &E) -> Result<Vec<P::Output>> {
        super::query_all(&self, exec).await
    }

    /// The first row, if any.
    pub async fn optional<E: Executor + ?Sized>(self, exec: &E) -> Result<Option<P::Output>> {
        super::query_first(&self, exec).await
    }

    /// The first row, or a not-found error.
    pub async fn one<E: Executor + ?Sized>(self, exec: &E) -> Result<P::Output> {
        super::query_first(&self, exec)
            .await?
            .ok_or_else(|| Error::not_found(self.from.base.name))
    }

    /// Every result row, read into a record struct (`#[derive(buster_db::Record)]`).
    pub async fn all_as<R, E>(self, exec: &E) -> Result<Vec<R>>
    where
        R: FromColumns<P::Output>,
        E: Executor + ?Sized,
    {
        let rows = super::query_all(&self, exec).await?;
        Ok(rows.into_iter().map(R::from_columns).collect())
    }

    /// The first result row read into a record struct, if any.
    pub async fn optional_as<R, E>(self, exec: &E) -> Result<Option<R>>
    where
        R: FromColumns<P::Output>,
        E: Executor + ?Sized,
    {
        Ok(super::query_first(&self, exec).await?.map(R::from_columns))
    }

    /// The first result row read into a record struct, or a not-found error.
    pub async fn one_as<R, E>(self, exec: &E) -> Result<R>
    where
        R: FromColumns<P::Output>,
        E: Executor + ?Sized,
    {
        let name = self.from.base.name;
        self.optional_as(exec)
            .await?
            .ok_or_else(|| Error::not_found(name))
    }

    /// The number of result rows (groups, or distinct rows).
    pub async fn count<E: Executor + ?Sized>(self, exec: &E) -> Result<i64> {
        super::count(exec, &self.render_count()).await
    }

    /// Page `page` (from 1) of `page_size` result rows (1 to 5,000) with the total count.
    pub async fn paginate<E: Executor + ?Sized>(
        mut self,
        page: u32,
        page_size: u32,
        exec: &E,
    ) -> Result<Page<P::Output>> {
        let offset = self.from.page_bounds(page, page_size)?;
        let items = self.render();
        let total = self.render_count();
        super::fetch_page(exec, &items, &total, (page, page_size, offset), P::decode).await
    }
}

/// A struct built from the values of a column subset, implemented by
/// `#[derive(buster_db::Record)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be built from a row of `{T}`",
    label = "the record's fields do not match the selected columns",
    note = "derive `buster_db::Record` and give the struct one field per selected column, in order, with the column's type"
)]
pub trait FromColumns<T> {
    /// Builds the record.
    fn from_columns(values: T) -> Self;
}

/// Aggregate methods of every column: `User::id.count()`, `Post::score.sum()`, ….
pub trait AggregateExt: ColumnRef {
    /// `count(column)`: non-NULL values.
    fn count(self) -> Agg<CountF, Self> {
        Agg(PhantomData)
    }
    /// `count(DISTINCT column)`.
    fn count_distinct(self) -> Agg<CountDistinctF, Self> {
        Agg(PhantomData)
    }
    /// `sum(column)` (numeric columns only); integers sum to `i64`.
    fn sum(self) -> Agg<SumF, Self>
    where
        Self: NumericColumn,
    {
        Agg(PhantomData)
    }
    /// `avg(column)` as `f64` (numeric columns only).
    fn avg(self) -> Agg<AvgF, Self>
    where
        Self: NumericColumn,
    {
        Agg(PhantomData)
    }
    /// `min(column)`: `None` when there are no rows.
    fn min(self) -> Agg<MinF, Self> {
        Agg(PhantomData)
    }
    /// `max(column)`: `None` when there are no rows.
    fn max(self) -> Agg<MaxF, Self> {
        Agg(PhantomData)
    }
}

impl<C: ColumnRef> AggregateExt for C {}

/// Numeric columns: the ones `sum` and `avg` apply to.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is not numeric, so it has no `sum` / `avg`",
    label = "not a numeric column",
    note = "`sum` and `avg` apply to i16, i32, i64, f32 and f64 columns"
)]
pub trait NumericColumn: ColumnRef {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> NumericColumn for C where C::Value: Numeric {}
