//! `SELECT` builders: [`Select`] and [`Find`].

use std::borrow::Cow;
use std::marker::PhantomData;

use crate::executor::Executor;
use crate::expr::{Columns, Expr, Node, Order, OrderTerm};
use crate::sql::Writer;
use crate::table::{Key, SoftDelete, Table};
use crate::{Error, Result};

use super::join::{From, Inner, Joined, Left, Slots, Source, TableRef};
use super::project::{GroupBy, Item, One, Projected, Projection};
use super::{Rendered, Visibility, terminals};

/// The largest page size [`Select::paginate`] accepts.
pub const MAX_PAGE_SIZE: u32 = 5000;

/// A `SELECT` of whole rows of `T`. Hides soft-deleted rows unless
/// [`with_deleted`](Select::with_deleted) or [`only_deleted`](Select::only_deleted) is called.
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Select<T> {
    filters: Vec<Node>,
    order: Vec<OrderTerm>,
    limit: Option<i64>,
    offset: Option<i64>,
    visibility: Visibility,
    lock: Option<&'static str>,
    _table: PhantomData<fn() -> T>,
}

/// One page of a paginated select.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: i64,
    /// The page number, from 1.
    pub page: u32,
    /// The page size asked for.
    pub page_size: u32,
    /// Whether rows follow this page.
    pub has_more: bool,
}

impl<T: Table> Select<T> {
    pub(crate) fn new() -> Select<T> {
        Select {
            filters: Vec::new(),
            order: Vec::new(),
            limit: None,
            offset: None,
            visibility: Visibility::Live,
            lock: None,
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

    /// Adds a condition; several `filter` calls are combined with `AND`.
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Select<T>
    where
        C: Columns<T, I>,
    {
        self.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term.
    pub fn order_by<C, I>(mut self, order: Order<C>) -> Select<T>
    where
        C: Columns<T, I>,
    {
        self.order.push(order.term);
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Select<T> {
        self.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Select<T> {
        self.offset = Some(n);
        self
    }

    /// Includes soft-deleted rows.
    pub fn with_deleted(mut self) -> Select<T>
    where
        T: SoftDelete,
    {
        self.visibility = Visibility::WithDeleted;
        self
    }

    /// Returns only soft-deleted rows.
    pub fn only_deleted(mut self) -> Select<T>
    where
        T: SoftDelete,
    {
        self.visibility = Visibility::OnlyDeleted;
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
        C: Columns<(Inner<T>, Inner<X>), I>,
    {
        self.into_joined::<(Inner<T>,)>().inner_join(table, on)
    }

    /// `LEFT JOIN table ON on`; the result rows become `(T, Option<X>)` tuples.
    pub fn left_join<X, C, I>(self, table: TableRef<X>, on: Expr<C>) -> Joined<(Inner<T>, Left<X>)>
    where
        X: Source,
        C: Columns<(Inner<T>, Left<X>), I>,
    {
        self.into_joined::<(Inner<T>,)>().left_join(table, on)
    }

    /// Selects a tuple of items (columns, aggregates) instead of whole rows:
    /// `User::select().columns((User::id, User::email))` returns `(Uuid, String)` rows.
    pub fn columns<P: Projection<T, I>, I>(self, items: P) -> Projected<T, P, I> {
        let _ = items;
        Projected::new(self.into_from())
    }

    /// Selects one item (a column or an aggregate) instead of whole rows:
    /// `User::select().column(User::email)` returns `String` rows.
    pub fn column<A: Item<T, I>, I>(self, item: A) -> Projected<T, One<A>, I> {
        let _ = item;
        Projected::new(self.into_from())
    }

    /// `SELECT DISTINCT ON (columns)` of whole rows: the first row of each group of equal
    /// `columns`, in the query's order (which must start with those columns).
    pub fn distinct_on<G: GroupBy<T, J>, J>(
        self,
        columns: G,
    ) -> Projected<T, One<TableRef<T>>, crate::expr::Here> {
        Projected::new(self.into_from()).distinct_on(columns)
    }

    pub(crate) fn into_from(self) -> From {
        From::new(
            T::META,
            self.visibility,
            self.filters,
            self.order,
            self.limit,
            self.offset,
        )
    }

    fn into_joined<S: Slots>(self) -> Joined<S> {
        Joined::from_parts(self.into_from())
    }

    fn write_where<'a>(&'a self, w: &mut Writer<'a>) {
        let vis = T::__statements().visible(self.visibility);
        let mut first = true;
        for f in &self.filters {
            w.push(if first { " WHERE " } else { " AND " });
            first = false;
            f.write(w);
        }
        if let Some(v) = vis {
            w.push(if first { " WHERE " } else { " AND " });
            w.push(v);
        }
    }

    pub(crate) fn write_select<'a>(&'a self, w: &mut Writer<'a>) {
        w.push(&T::__statements().select);
        self.write_where(w);
        super::write_order_limit(w, &self.order, &self.limit, &self.offset);
        if let Some(lock) = self.lock {
            w.push(lock);
        }
    }

    fn render(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.write_select(&mut w);
        Rendered::finish(w)
    }

    fn render_count(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        w.push("SELECT count(*) FROM ");
        w.ident(T::META.name);
        self.write_where(&mut w);
        Rendered::finish(w)
    }

    /// The number of matching rows (`SELECT count(*)`; ordering, limit and offset ignored).
    pub async fn count<E: Executor + ?Sized>(self, exec: &E) -> Result<i64> {
        super::count(exec, &self.render_count()).await
    }

    /// Whether any row matches (`SELECT EXISTS (…)`).
    pub async fn exists<E: Executor + ?Sized>(self, exec: &E) -> Result<bool> {
        let mut w = Writer::new();
        w.push("SELECT EXISTS (SELECT 1 FROM ");
        w.ident(T::META.name);
        self.write_where(&mut w);
        w.push(")");
        let (sql, params) = w.finish();
        let rows = exec.__query(&sql, &params).await?;
        let row = rows.first().ok_or_else(|| Error::not_found(T::META.name))?;
        crate::__private::get(row, 0, "exists")
    }

    /// Page `page` (from 1) of `page_size` rows (1 to 5,000), with the total count. The rows and
    /// the count are fetched concurrently.
    pub async fn paginate<E: Executor + ?Sized>(
        mut self,
        page: u32,
        page_size: u32,
        exec: &E,
    ) -> Result<Page<T>> {
        let (limit, offset) = super::page_window(page, page_size)?;
        self.limit = Some(limit);
        self.offset = Some(offset);
        let items = self.render();
        let total = self.render_count();
        super::fetch_page(exec, &items, &total, (page, page_size, offset), |row| {
            T::__decode(row, 0)
        })
        .await
    }
}

terminals!(Select);

/// The row of `T` with a given primary key; soft-deleted rows only with
/// [`with_deleted`](Find::with_deleted).
///
/// Its statement is rendered once per table and runs as a cached prepared statement.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Find<T: Table> {
    key: T::Key,
    visibility: Visibility,
}

impl<T: Table> Find<T> {
    pub(crate) fn new(key: T::Key) -> Find<T> {
        Find {
            key,
            visibility: Visibility::Live,
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

    fn render(&self) -> Rendered<'_> {
        let stmts = T::__statements();
        let mut params = Vec::with_capacity(stmts.key_count());
        self.key.__bind(&mut params);
        Rendered {
            sql: Cow::Borrowed(&stmts.find[self.visibility.index()]),
            params,
        }
    }
}

impl<T: Table> Find<T> {
    /// Runs the statement and returns the row, or an
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) error.
    pub async fn one<E: Executor + ?Sized>(self, exec: &E) -> Result<T> {
        let r = self.render();
        super::required(super::fetch_optional(exec, &r).await?)
    }

    /// Runs the statement and returns the row, if any.
    pub async fn optional<E: Executor + ?Sized>(self, exec: &E) -> Result<Option<T>> {
        let r = self.render();
        super::fetch_optional(exec, &r).await
    }

    /// The SQL this query runs, and its parameter count, without a database.
    pub fn to_sql(&self) -> crate::Sql {
        self.render().to_sql()
    }
}
