//! `SELECT` builders: [`Select`] (whole rows of one table) and [`Find`] (one row by key).

use std::borrow::Cow;
use std::marker::PhantomData;

use tokio_postgres::Row;

use crate::Result;
use crate::expr::{Columns, Expr, Order, RowLevel};
use crate::sql::Writer;
use crate::table::{Key, SoftDelete, Table};

use super::Rendered;
use super::aggregate::GroupBy;
use super::from::{Body, Total, Visibility, write_order_limit};
use super::join::Joined;
use super::project::{Item, OneColumn, Projected, Projection};
use super::run::{Query, Read, Run, terminals};
use super::source::{Distinct, Inner, Left, Maybe, P1, ReadsJoined, Slots, Source, TableRef};

/// A `SELECT` of whole rows of `T`. Hides soft-deleted rows unless
/// [`with_deleted`](Select::with_deleted) or [`only_deleted`](Select::only_deleted) is called.
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Select<T> {
    body: Body,
    lock: Option<&'static str>,
    /// `""`, `" SKIP LOCKED"` or `" NOWAIT"`.
    lock_wait: &'static str,
    _table: PhantomData<fn() -> T>,
}

impl<T: Table> Select<T> {
    pub(crate) fn new() -> Select<T> {
        Select {
            body: Body::new(T::META),
            lock: None,
            lock_wait: "",
            _table: PhantomData,
        }
    }

    /// `FOR UPDATE`: locks the selected rows until the transaction ends, so a read-then-write
    /// inside [`Db::transaction`](crate::Db::transaction) cannot lose a concurrent update.
    pub fn for_update(mut self) -> Select<T> {
        self.lock = Some(" FOR UPDATE");
        self
    }

    /// `FOR SHARE`: locks the selected rows against updates and deletes until the transaction
    /// ends, while letting other readers lock them too.
    pub fn for_share(mut self) -> Select<T> {
        self.lock = Some(" FOR SHARE");
        self
    }

    /// `SKIP LOCKED`: rows another transaction has locked are left out instead of waited for —
    /// the way several workers take jobs from one queue table. Applies to
    /// [`for_update`](Select::for_update) or [`for_share`](Select::for_share); without either,
    /// it locks `FOR UPDATE`.
    pub fn skip_locked(mut self) -> Select<T> {
        self.lock = self.lock.or(Some(" FOR UPDATE"));
        self.lock_wait = " SKIP LOCKED";
        self
    }

    /// `NOWAIT`: fails at once (SQLSTATE 55P03) instead of waiting when a row is locked by
    /// another transaction. Applies to [`for_update`](Select::for_update) or
    /// [`for_share`](Select::for_share); without either, it locks `FOR UPDATE`.
    pub fn nowait(mut self) -> Select<T> {
        self.lock = self.lock.or(Some(" FOR UPDATE"));
        self.lock_wait = " NOWAIT";
        self
    }

    /// Adds a condition; several `filter` calls are combined with `AND`.
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Select<T>
    where
        C: Columns<T, I> + RowLevel,
    {
        self.body.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term.
    pub fn order_by<C, I>(mut self, order: Order<C>) -> Select<T>
    where
        C: Columns<T, I>,
    {
        self.body.order.push(order.term);
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Select<T> {
        self.body.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Select<T> {
        self.body.offset = Some(n);
        self
    }

    /// Includes soft-deleted rows.
    pub fn with_deleted(mut self) -> Select<T>
    where
        T: SoftDelete,
    {
        self.body.base_visibility = Visibility::WithDeleted;
        self
    }

    /// Returns only soft-deleted rows.
    pub fn only_deleted(mut self) -> Select<T>
    where
        T: SoftDelete,
    {
        self.body.base_visibility = Visibility::OnlyDeleted;
        self
    }

    /// `INNER JOIN table ON on`; the result rows become `(T, X)` tuples.
    pub fn inner_join<X, C, I>(
        self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<(Inner<T>, Inner<X>)>
    where
        X: Source,
        T: Distinct<X>,
        C: Columns<(Inner<T>, Inner<X>), I> + RowLevel,
        I: ReadsJoined<P1>,
    {
        self.into_joined::<(Inner<T>,)>().inner_join(table, on)
    }

    /// `INNER JOIN LATERAL (subquery)`: see [`Joined::inner_join_lateral`].
    pub fn inner_join_lateral<X, Q, C, I>(
        self,
        rows: super::lateral::Lateral<X, Q, C>,
    ) -> Joined<(Inner<T>, Inner<X>)>
    where
        X: Table + Source,
        Q: Table,
        C: Columns<super::compound::With<(Inner<T>,), Q>, I>,
    {
        self.into_joined::<(Inner<T>,)>().inner_join_lateral(rows)
    }

    /// `LEFT JOIN LATERAL (subquery)`: see [`Joined::left_join_lateral`].
    pub fn left_join_lateral<X, Q, C, I>(
        self,
        rows: super::lateral::Lateral<X, Q, C>,
    ) -> Joined<(Inner<T>, Left<X>)>
    where
        X: Table + Source,
        Q: Table,
        C: Columns<super::compound::With<(Inner<T>,), Q>, I>,
    {
        self.into_joined::<(Inner<T>,)>().left_join_lateral(rows)
    }

    /// `LEFT JOIN table ON on`; the result rows become `(T, Option<X>)` tuples.
    pub fn left_join<X, C, I>(self, table: TableRef<X>, on: Expr<C>) -> Joined<(Inner<T>, Left<X>)>
    where
        X: Source,
        T: Distinct<X>,
        C: Columns<(Inner<T>, Left<X>), I> + RowLevel,
        I: ReadsJoined<P1>,
    {
        self.into_joined::<(Inner<T>,)>().left_join(table, on)
    }

    /// `RIGHT JOIN table ON on`; the result rows become `(Option<T>, X)` tuples: every live row
    /// of `table`, with `None` where no live row of `T` matched.
    pub fn right_join<X, C, I>(
        self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<(Maybe<T>, Inner<X>)>
    where
        X: Source,
        T: Distinct<X>,
        C: Columns<(Maybe<T>, Inner<X>), I> + RowLevel,
        I: ReadsJoined<P1>,
    {
        self.into_joined::<(Inner<T>,)>().right_join(table, on)
    }

    /// `FULL JOIN table ON on`; the result rows become `(Option<T>, Option<X>)` tuples: the live
    /// rows of both tables, matched where `on` holds and alone otherwise.
    pub fn full_join<X, C, I>(self, table: TableRef<X>, on: Expr<C>) -> Joined<(Maybe<T>, Maybe<X>)>
    where
        X: Source,
        T: Distinct<X>,
        C: Columns<(Maybe<T>, Maybe<X>), I> + RowLevel,
        I: ReadsJoined<P1>,
    {
        self.into_joined::<(Inner<T>,)>().full_join(table, on)
    }

    /// Selects a tuple of items (columns, aggregates) instead of whole rows:
    /// `User::select().columns((User::id, User::email))` returns `(Uuid, String)` rows.
    pub fn columns<P: Projection<T, I>, I>(self, items: P) -> Projected<T, P, I> {
        Projected::new(self.body, items)
    }

    /// Selects one item (a column or an aggregate) instead of whole rows:
    /// `User::select().column(User::email)` returns `String` rows.
    pub fn column<A: Item<T, I>, I>(self, item: A) -> Projected<T, OneColumn<A>, I> {
        Projected::new(self.body, OneColumn(item))
    }

    /// `SELECT DISTINCT ON (columns)` of whole rows: the first row of each group of equal
    /// `columns`, in the query's order (which must start with those columns).
    pub fn distinct_on<G: GroupBy<T, J>, J>(
        self,
        columns: G,
    ) -> Projected<T, OneColumn<TableRef<T>>, crate::expr::Here> {
        Projected::new(self.body, OneColumn(TableRef::new())).distinct_on(columns)
    }

    /// Attaches a common table expression ([`cte`](crate::query::cte) /
    /// [`cte_recursive`](crate::query::cte_recursive)): its table can then be selected, joined and
    /// filtered in this query.
    pub fn with(mut self, cte: super::cte::Cte) -> Select<T> {
        self.body.ctes.push(cte);
        self
    }

    pub(crate) fn into_body(self) -> Body {
        self.body
    }

    pub(crate) fn body_mut(&mut self) -> &mut Body {
        &mut self.body
    }

    fn into_joined<S: Slots>(self) -> Joined<S> {
        Joined::from_parts(self.body)
    }
}

impl<T: Table> Query for Select<T> {
    type Output = T;
    type Orderable = super::compound::RowsOf<T>;
    fn write_query<'a>(&'a self, w: &mut Writer<'a>) {
        self.body.write_with(w);
        w.push("SELECT ");
        w.push(&T::__statements().columns);
        self.body.write_from_where(w);
        self.body.write_order_limit(w);
        if let Some(lock) = self.lock {
            w.push(lock);
            w.push(self.lock_wait);
        }
    }
    fn decode_row(row: &Row) -> Result<T> {
        T::__decode(row, 0)
    }
    fn table_name(&self) -> &'static str {
        T::META.name
    }
    fn locks_rows(&self) -> bool {
        self.lock.is_some()
    }
    fn expected_rows(&self) -> Option<usize> {
        self.body.expected_rows()
    }
}

impl<T: Table> Read for Select<T> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        self.body.write_total(w, total);
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.body.window(limit, offset);
    }
}

terminals!(read [T: Table] Select<T> => T);

/// The row of `T` with a given primary key; soft-deleted rows only with
/// [`with_deleted`](Find::with_deleted).
///
/// Its statement is rendered once per table and runs as a cached prepared statement.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Find<T: Table> {
    key: T::Key,
    visibility: Visibility,
    limit: Option<i64>,
    offset: Option<i64>,
}

impl<T: Table> Find<T> {
    pub(crate) fn new(key: T::Key) -> Find<T> {
        Find {
            key,
            visibility: Visibility::Live,
            limit: None,
            offset: None,
        }
    }

    /// Finds the row even if it is soft-deleted.
    pub fn with_deleted(mut self) -> Find<T>
    where
        T: SoftDelete,
    {
        self.visibility = Visibility::WithDeleted;
        self
    }

    /// Finds the row only if it is soft-deleted.
    pub fn only_deleted(mut self) -> Find<T>
    where
        T: SoftDelete,
    {
        self.visibility = Visibility::OnlyDeleted;
        self
    }

    /// The statement rendered once per table, and the key's parameters.
    fn cached(&self) -> (&'static str, Vec<&(dyn postgres_types::ToSql + Sync)>) {
        let stmts = T::__statements();
        let mut params = Vec::with_capacity(stmts.key_count());
        self.key.__bind(&mut params);
        (&stmts.find[self.visibility.index()], params)
    }
}

impl<T: Table> Run for Find<T> {
    type Output = T;
    fn render(&self) -> Rendered<'_> {
        let (sql, params) = self.cached();
        if self.limit.is_none() && self.offset.is_none() {
            return Rendered {
                sql: Cow::Borrowed(sql),
                params,
                read: true,
            };
        }
        Rendered::with(|w| {
            w.push_numbered(sql, params);
            write_order_limit(w, &[], &self.limit, &self.offset);
        })
        .read_if(true)
    }
    fn decode(&self, row: &Row) -> Result<T> {
        T::__decode(row, 0)
    }
    fn table(&self) -> &'static str {
        T::META.name
    }
    fn is_read(&self) -> bool {
        true
    }
    fn expected_rows(&self) -> Option<usize> {
        Some(super::from::limit_rows(self.limit).unwrap_or(1).min(1))
    }
}

impl<T: Table> Read for Find<T> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        let (sql, params) = self.cached();
        total.wrap(w, "q", |w| w.push_numbered(sql, params));
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.limit = Some(limit);
        self.offset = Some(offset);
    }
}

terminals!(read [T: Table] Find<T> => T);
