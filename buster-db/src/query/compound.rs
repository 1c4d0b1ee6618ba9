//! Subqueries (`EXISTS`, `NOT EXISTS`, `IN (SELECT …)`) and `UNION` / `UNION ALL`.
//!
//! A subquery keeps its own soft-delete filters: `exists(Member::select(), …)` only sees live
//! memberships, exactly as `Member::select()` would on its own.

// Subqueries hand over a crate-private renderer: usable, not implementable, outside.
#![allow(private_interfaces)]

use std::marker::PhantomData;

use tokio_postgres::Row;

use crate::Result;
use crate::expr::{ColumnRef, Columns, Expr, InSource, Node, Order, OrderTerm, SameType, SubQuery};
use crate::sql::Writer;
use crate::table::Table;

use super::Rendered;
use super::from::{Body, Total, write_order_limit};
use super::project::{Grouping, Item, OneColumn, Projected};
use super::run::{Query, Read, Run, terminals};
use super::select::Select;

struct Boxed<Q>(Q);

impl<Q: Query> SubQuery for Boxed<Q> {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.0.write_query(w);
    }
}

/// The sources `S` plus the table `X` of a correlated subquery: its condition may read both.
pub struct With<S, X>(PhantomData<fn() -> (S, X)>);

/// Position markers inside [`With`].
#[doc(hidden)]
pub struct Outer<I>(PhantomData<fn() -> I>);
#[doc(hidden)]
pub struct Sub;

impl<T, S, X, I> InSource<With<S, X>, Outer<I>> for T where T: InSource<S, I> {}
impl<S, X: Table> InSource<With<S, X>, Sub> for X {}

/// The columns of a correlated subquery's condition, checked against the outer query's sources
/// plus the subquery's table.
pub struct Correlated<X, C>(PhantomData<fn() -> (X, C)>);

// No `do_not_recommend`: the column of the condition that is in neither query is named.
impl<S, I, X, C> Columns<S, I> for Correlated<X, C> where C: Columns<With<S, X>, I> {}

#[diagnostic::do_not_recommend]
impl<X, C: crate::expr::RowLevel> crate::expr::RowLevel for Correlated<X, C> {}

/// `SELECT 1 FROM x WHERE …`, inside `EXISTS (…)`.
struct ExistsSub(Body);

impl SubQuery for ExistsSub {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.0.write_select_one(w);
    }
}

fn exists_node<X: Table, C>(sub: Select<X>, on: Expr<C>, negated: bool) -> Expr<Correlated<X, C>> {
    let mut body = sub.into_body();
    body.filters.push(on.erase());
    Expr::from_node(Node::Sub {
        prefix: if negated { "NOT EXISTS (" } else { "EXISTS (" },
        column: None,
        sub: std::sync::Arc::new(ExistsSub(body)),
    })
}

/// `EXISTS (SELECT 1 FROM x WHERE … AND on)`: `on` may read columns of `x` and of the outer
/// query (`Member::user_id.eq_col(User::id)`); `x`'s soft-delete filter applies.
pub fn exists<X: Table, C>(sub: Select<X>, on: Expr<C>) -> Expr<Correlated<X, C>> {
    exists_node(sub, on, false)
}

/// `NOT EXISTS (SELECT 1 FROM x WHERE … AND on)`.
pub fn not_exists<X: Table, C>(sub: Select<X>, on: Expr<C>) -> Expr<Correlated<X, C>> {
    exists_node(sub, on, true)
}

/// A subquery returning values comparable with column `C`: a one-column select, or a union of
/// them.
#[diagnostic::on_unimplemented(
    message = "this subquery does not return values comparable with column `{C}`",
    label = "not one column of the type of `{C}`",
    note = "`in_select` takes a query of one column (`.column(..)`) of the same Rust type, up to `Option`, or a union of such queries"
)]
pub trait ValuesFor<C>: Send + Sync + 'static {
    /// The subquery, ready to render inside `IN (…)`.
    #[doc(hidden)]
    fn into_sub(self) -> std::sync::Arc<dyn SubQuery>;
}

#[diagnostic::do_not_recommend]
impl<C, S, A, I, G> ValuesFor<C> for Projected<S, OneColumn<A>, I, G>
where
    C: ColumnRef,
    S: 'static,
    A: Item<S, I> + 'static,
    I: 'static,
    G: Grouping<OneColumn<A>> + 'static,
    A::Output: SameType<C::Value>,
{
    fn into_sub(self) -> std::sync::Arc<dyn SubQuery> {
        std::sync::Arc::new(Boxed(self))
    }
}

#[diagnostic::do_not_recommend]
impl<C, O, K> ValuesFor<C> for Union<O, K>
where
    C: ColumnRef,
    O: SameType<C::Value> + 'static,
    K: 'static,
{
    fn into_sub(self) -> std::sync::Arc<dyn SubQuery> {
        std::sync::Arc::new(self)
    }
}

/// `IN (SELECT …)` and `NOT IN (SELECT …)` on every column.
pub trait InSelectExt: ColumnRef {
    /// `column IN (SELECT …)` with a one-column query of the same type.
    fn in_select<Q>(self, sub: Q) -> Expr<Self>
    where
        Q: ValuesFor<Self>,
    {
        in_node(sub, "IN (", Self::qualifier(), Self::NAME)
    }

    /// `column NOT IN (SELECT …)`. The subquery must not return NULLs, or nothing matches.
    fn not_in_select<Q>(self, sub: Q) -> Expr<Self>
    where
        Q: ValuesFor<Self>,
    {
        in_node(sub, "NOT IN (", Self::qualifier(), Self::NAME)
    }
}

impl<C: ColumnRef> InSelectExt for C {}

fn in_node<C, Q: ValuesFor<D>, D>(
    sub: Q,
    prefix: &'static str,
    table: &'static str,
    column: &'static str,
) -> Expr<C> {
    Expr::from_node(Node::Sub {
        prefix,
        column: Some((table, column)),
        sub: sub.into_sub(),
    })
}

/// Queries whose rows have type `O`: the parts a union can combine.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be combined with a query returning `{O}`",
    label = "rows of a different type",
    note = "a union combines selects whose rows have the same Rust type"
)]
pub trait QueryOf<O>: Query + 'static {}

#[diagnostic::do_not_recommend]
impl<Q, O> QueryOf<O> for Q
where
    Q: Query + 'static,
    Q::Output: SameRow<O>,
{
}

/// Row types that are the same type.
#[doc(hidden)]
pub trait SameRow<O> {}
impl<O> SameRow<O> for O {}

/// `UNION` / `UNION ALL` of queries with the same row type, ordered and paginated as a whole.
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Union<O, K = ()> {
    parts: Vec<(bool, Box<dyn SubQuery>)>,
    decode: fn(&Row) -> Result<O>,
    table: &'static str,
    order: Vec<OrderTerm>,
    limit: Option<i64>,
    offset: Option<i64>,
    /// What the rows may be ordered by: the first query's [`Query::Orderable`].
    orderable: PhantomData<fn() -> K>,
}

/// What the rows of a query whose first part selects whole rows of the tables `S` may be
/// ordered by once combined: any column of those tables.
#[doc(hidden)]
pub struct RowsOf<S>(PhantomData<fn() -> S>);

/// What the rows of a query whose first part selects the items named `F` (their
/// [`Projection::Fields`](super::bounds::Projection)) may be ordered by: those columns.
#[doc(hidden)]
pub struct Selected<F>(PhantomData<fn() -> F>);

/// Columns a union's combined rows can be ordered by: output columns of its first query.
#[diagnostic::on_unimplemented(
    message = "the union's rows have no column `{C}` to be ordered by",
    label = "not a column the union's first query selects",
    note = "a union is ordered by its output columns: order by a column the first query selects"
)]
pub trait UnionOrder<C, I> {}

#[diagnostic::do_not_recommend]
impl<S, C: Columns<S, I>, I> UnionOrder<C, I> for RowsOf<S> {}

#[diagnostic::do_not_recommend]
impl<F, C: ColumnRef, I> UnionOrder<C, I> for Selected<F> where F: HasField<C::Field, I> {}

/// A list of field names (a projection's `Fields`) that holds the name `X`, at the place `I`.
#[doc(hidden)]
pub trait HasField<X, I> {}

impl<X> HasField<X, crate::expr::Here> for X {}

/// A place in a tuple: the types before it.
#[doc(hidden)]
pub struct At<B>(PhantomData<fn() -> B>);

macro_rules! has_field {
    (@each [$($before:ident)*] [$x:ident $($after:ident)*]) => {
        impl<X, $($before,)* $($after,)*> HasField<X, At<($($before,)*)>>
            for ($($before,)* X, $($after,)*)
        {
        }
        has_field!(@each [$($before)* $x] [$($after)*]);
    };
    (@each [$($before:ident)*] []) => {};
    ($($t:ident)+) => {
        has_field!(@each [] [$($t)+]);
    };
}
has_field!(T1);
has_field!(T1 T2);
has_field!(T1 T2 T3);
has_field!(T1 T2 T3 T4);
has_field!(T1 T2 T3 T4 T5);
has_field!(T1 T2 T3 T4 T5 T6);
has_field!(T1 T2 T3 T4 T5 T6 T7);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15);
has_field!(T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16);

/// Union methods of every query.
pub trait UnionExt: Query + Sized + 'static {
    /// `UNION`: rows of both queries, duplicates removed.
    fn union<Q: QueryOf<Self::Output>>(self, other: Q) -> Union<Self::Output, Self::Orderable> {
        Union::start(self).push(false, other)
    }
    /// `UNION ALL`: rows of both queries, duplicates kept.
    fn union_all<Q: QueryOf<Self::Output>>(self, other: Q) -> Union<Self::Output, Self::Orderable> {
        Union::start(self).push(true, other)
    }
}

impl<Q: Query + 'static> UnionExt for Q {}

impl<O, K> Union<O, K> {
    fn start<Q: Query<Output = O, Orderable = K> + 'static>(first: Q) -> Union<O, K> {
        Union {
            orderable: PhantomData,
            table: first.table_name(),
            parts: vec![(false, Box::new(Boxed(first)))],
            decode: Q::decode_row,
            order: Vec::new(),
            limit: None,
            offset: None,
        }
    }

    fn push<Q: Query + 'static>(mut self, all: bool, q: Q) -> Union<O, K> {
        self.parts.push((all, Box::new(Boxed(q))));
        self
    }

    /// Adds another `UNION` part.
    pub fn union<Q: QueryOf<O>>(self, other: Q) -> Union<O, K> {
        self.push(false, other)
    }

    /// Adds another `UNION ALL` part.
    pub fn union_all<Q: QueryOf<O>>(self, other: Q) -> Union<O, K> {
        self.push(true, other)
    }

    /// Orders the combined rows by an output column (named as in the first query): a column
    /// the first query selects (any column of its tables when it selects whole rows).
    pub fn order_by<C, I>(mut self, order: Order<C>) -> Union<O, K>
    where
        K: UnionOrder<C, I>,
    {
        self.order.push(order.term.unqualified());
        self
    }

    /// `LIMIT n` on the combined rows.
    pub fn limit(mut self, n: i64) -> Union<O, K> {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n` on the combined rows.
    pub fn offset(mut self, n: i64) -> Union<O, K> {
        self.offset = Some(n);
        self
    }

    /// The parts without ordering and window: what `count` and `exists` read.
    fn write_rows<'a>(&'a self, w: &mut Writer<'a>) {
        for (i, (all, part)) in self.parts.iter().enumerate() {
            if i > 0 {
                w.push(if *all { " UNION ALL " } else { " UNION " });
            }
            w.push("(");
            part.write(w);
            w.push(")");
        }
    }
}

impl<O, K> SubQuery for Union<O, K> {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_rows(w);
        write_order_limit(w, &self.order, &self.limit, &self.offset);
    }
}

impl<O, K> Run for Union<O, K> {
    type Output = O;
    fn render(&self) -> Rendered<'_> {
        Rendered::with(|w| {
            self.write_rows(w);
            write_order_limit(w, &self.order, &self.limit, &self.offset);
        })
    }
    fn decode(&self, row: &Row) -> Result<O> {
        (self.decode)(row)
    }
    fn table(&self) -> &'static str {
        self.table
    }
    fn expected_rows(&self) -> Option<usize> {
        super::from::limit_rows(self.limit)
    }
}

impl<O, K> Read for Union<O, K> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        total.wrap(w, "u", |w| self.write_rows(w));
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.limit = Some(limit);
        self.offset = Some(offset);
    }
}

terminals!(read [O, K] Union<O, K> => O);
