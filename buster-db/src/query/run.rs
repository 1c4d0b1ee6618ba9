//! The one runner: how a statement is checked, sent and its rows decoded.
//!
//! Every builder implements [`Run`] (read queries also [`Read`]); the terminal methods users
//! call (`all`, `one`, `optional`, `count`, `exists`, `paginate`, `execute`, `to_sql`) are
//! generated once by [`terminals!`] and hand off to the functions here, so a rule such as the
//! parameter limit holds for every builder at once.

use postgres_types::FromSqlOwned;
use tokio_postgres::Row;

use crate::executor::Executor;
use crate::sql::{Sql, Writer};
use crate::table::Table;
use crate::{Error, Result};

use super::Rendered;
use super::from::Total;

/// The largest number of bind parameters PostgreSQL accepts in one statement.
pub(crate) const MAX_PARAMS: usize = 65_535;

/// A complete `SELECT` returning rows of [`Output`](Query::Output): whole rows, joined tuples or
/// projections. It can be run, take part in a union, or stand inside `IN (…)`.
pub trait Query: Send + Sync {
    /// The decoded row.
    type Output;
    /// What a union whose first part is this query may be ordered by.
    #[doc(hidden)]
    type Orderable;
    /// Writes the statement.
    #[doc(hidden)]
    fn write_query<'a>(&'a self, w: &mut Writer<'a>);
    /// Decodes a row.
    #[doc(hidden)]
    fn decode_row(row: &Row) -> Result<Self::Output>;
    /// The table the not-found error of `one` names.
    #[doc(hidden)]
    fn table_name(&self) -> &'static str;
    /// Whether the query locks the rows it reads (`FOR UPDATE` / `FOR SHARE`): only the primary
    /// may run it.
    #[doc(hidden)]
    fn locks_rows(&self) -> bool {
        false
    }
    /// The most rows the query returns, when known (its `LIMIT`).
    #[doc(hidden)]
    fn expected_rows(&self) -> Option<usize> {
        None
    }
}

/// A statement the runner can send, and how its rows decode: every query builder.
pub(crate) trait Run: Send + Sync {
    /// The decoded row.
    type Output;
    /// The statement and its parameters.
    fn render(&self) -> Rendered<'_>;
    /// Decodes one row.
    fn decode(&self, row: &Row) -> Result<Self::Output>;
    /// The table the not-found error of `one` names.
    fn table(&self) -> &'static str;
    /// True when there is nothing to do (an insert of no rows): no statement is sent.
    fn is_noop(&self) -> bool {
        false
    }
    /// True for a read that a replica may answer: a query that locks no rows.
    fn is_read(&self) -> bool {
        false
    }
    /// The most rows the statement can return, when known (a `LIMIT`, the rows of an insert):
    /// the result is sized for them up front.
    fn expected_rows(&self) -> Option<usize> {
        None
    }
}

impl<Q: Query> Run for Q {
    type Output = Q::Output;
    fn render(&self) -> Rendered<'_> {
        Rendered::with(|w| self.write_query(w)).read_if(self.is_read())
    }
    fn decode(&self, row: &Row) -> Result<Q::Output> {
        Q::decode_row(row)
    }
    fn table(&self) -> &'static str {
        self.table_name()
    }
    fn is_read(&self) -> bool {
        !self.locks_rows()
    }
    fn expected_rows(&self) -> Option<usize> {
        Query::expected_rows(self)
    }
}

/// A read query: it can also count its rows, say whether there are any, and be paginated.
pub(crate) trait Read: Run + Sized {
    /// Writes `SELECT count(*) …` or `SELECT EXISTS (…)` over the query's rows; ordering and
    /// window do not count.
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total);
    /// Sets `LIMIT` and `OFFSET`.
    fn window(&mut self, limit: i64, offset: i64);
}

/// Refuses a statement PostgreSQL would refuse for its parameter count, before it is sent.
pub(crate) fn check_params(r: &Rendered<'_>) -> Result<()> {
    if r.params.len() > MAX_PARAMS {
        return Err(Error::validation(
            "rows",
            format!(
                "the statement would bind {} parameters; PostgreSQL accepts at most {MAX_PARAMS}",
                r.params.len(),
            ),
        ));
    }
    Ok(())
}

/// The most rows room is made for up front when a query says how many it may return.
const MAX_CAPACITY_HINT: usize = 16_384;

/// Sends `r` and hands each of its rows to `each` as it arrives (nothing is kept). The one
/// place rows are read.
///
/// Every row is read to the end of the result, even past an error of `each`: the statement has
/// succeeded (and, on its own, committed) only when the server says it is complete, and an
/// error it reports after the first row must not be missed. The first error of `each` is
/// returned then, and `each` is not called again after it.
pub(crate) async fn each_row<E: Executor + ?Sized>(
    exec: &E,
    r: &Rendered<'_>,
    mut each: impl FnMut(&Row) -> Result<()> + Send,
) -> Result<()> {
    check_params(r)?;
    let mut failed = None;
    let mut sink = |row: &Row| {
        if failed.is_none()
            && let Err(err) = each(row)
        {
            failed = Some(err);
        }
        true
    };
    if r.read {
        exec.__read_each(&r.sql, &r.params, &mut sink).await?;
    } else {
        exec.__each(&r.sql, &r.params, &mut sink).await?;
    }
    failed.map_or(Ok(()), Err)
}

/// Sends `r` and decodes at most `take` of its rows, each as it arrives (the rest are read and
/// dropped); `expected` (a `LIMIT`, the rows of an insert) sizes the result up front.
pub(crate) async fn fetch<O: Send, E: Executor + ?Sized>(
    exec: &E,
    r: &Rendered<'_>,
    take: usize,
    expected: Option<usize>,
    decode: impl Fn(&Row) -> Result<O> + Send + Sync,
) -> Result<Vec<O>> {
    let capacity = expected.unwrap_or(0).min(take).min(MAX_CAPACITY_HINT);
    let mut out = Vec::with_capacity(capacity);
    each_row(exec, r, |row| {
        if out.len() < take {
            out.push(decode(row)?);
        }
        Ok(())
    })
    .await?;
    Ok(out)
}

/// Every row.
pub(crate) async fn all<Q: Run, E: Executor + ?Sized>(q: &Q, exec: &E) -> Result<Vec<Q::Output>>
where
    Q::Output: Send,
{
    if q.is_noop() {
        return Ok(Vec::new());
    }
    fetch(exec, &q.render(), usize::MAX, q.expected_rows(), |row| {
        q.decode(row)
    })
    .await
}

/// The first row, if any.
pub(crate) async fn optional<Q: Run, E: Executor + ?Sized>(
    q: &Q,
    exec: &E,
) -> Result<Option<Q::Output>>
where
    Q::Output: Send,
{
    if q.is_noop() {
        return Ok(None);
    }
    let rows = fetch(exec, &q.render(), 1, Some(1), |row| q.decode(row)).await?;
    Ok(rows.into_iter().next())
}

/// The first row, or a not-found error naming the query's table.
pub(crate) async fn one<Q: Run, E: Executor + ?Sized>(q: &Q, exec: &E) -> Result<Q::Output>
where
    Q::Output: Send,
{
    optional(q, exec)
        .await?
        .ok_or_else(|| Error::not_found(q.table()))
}

/// `SELECT count(*)` or `SELECT EXISTS` over the rows of `q`.
pub(crate) fn render_total<Q: Read>(q: &Q, total: Total) -> Rendered<'_> {
    Rendered::with(|w| q.write_total(w, total)).read_if(q.is_read())
}

/// Sends a statement returning one value in one row.
pub(crate) async fn fetch_value<V: FromSqlOwned + Send, E: Executor + ?Sized>(
    exec: &E,
    r: &Rendered<'_>,
    name: &str,
) -> Result<V> {
    let values = fetch(exec, r, 1, Some(1), |row| {
        crate::__private::get(row, 0, name)
    })
    .await?;
    values
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found(name))
}

/// The number of rows `q` matches.
pub(crate) async fn count<Q: Read, E: Executor + ?Sized>(q: &Q, exec: &E) -> Result<i64> {
    fetch_value(exec, &render_total(q, Total::Count), "count").await
}

/// Whether `q` matches any row.
pub(crate) async fn exists<Q: Read, E: Executor + ?Sized>(q: &Q, exec: &E) -> Result<bool> {
    fetch_value(exec, &render_total(q, Total::Exists), "exists").await
}

/// Runs a write returning rows of `T` for its row count only: without its `RETURNING` list, as
/// nobody reads the rows.
pub(crate) async fn execute<T: Table, Q: Run, E: Executor + ?Sized>(
    q: &Q,
    exec: &E,
) -> Result<u64> {
    if q.is_noop() {
        return Ok(0);
    }
    let mut r = q.render();
    r.sql = T::__statements().without_returning(r.sql);
    check_params(&r)?;
    exec.__execute(&r.sql, &r.params).await
}

/// The SQL `q` runs, and its parameter count.
pub(crate) fn to_sql<Q: Run>(q: &Q) -> Sql {
    q.render().to_sql()
}

/// Adds the terminal methods to a builder implementing [`Run`]:
///
/// - `terminals!(read [T: Table] Select<T> => T)` for a [`Read`] query: `all`, `one`,
///   `optional`, `count`, `exists`, `paginate`, `to_sql`;
/// - `terminals!(write [T: Table] Insert<T> => T, noop = is_empty)` for a write returning rows
///   of `T`, rendered by its `fn statement(&self) -> Rendered<'_>` (and sending nothing when
///   the optional `noop` method says so; `rows = method` gives the number of rows it returns):
///   its [`Run`] implementation, then `all`, `one`,
///   `optional`, `execute`, `to_sql`.
///
/// `[…]` are the impl's generic parameters, `=> O` the decoded row.
macro_rules! terminals {
    (read [$($g:tt)*] $ty:ty => $out:ty $(, where $($w:tt)+)?) => {
        $crate::query::run::terminals!(@rows [$($g)*] $ty => $out, [$($($w)+)?]);

        impl<$($g)*> $ty {
            $crate::query::run::terminals!(@forward
                /// The number of matching rows (`SELECT count(*)`; ordering, limit and offset
                /// ignored).
                count -> i64, [$($($w)+)?]
            );
            $crate::query::run::terminals!(@forward
                /// Whether any row matches (`SELECT EXISTS (…)`).
                exists -> bool, [$($($w)+)?]
            );

            /// The rows, decoded one at a time as they arrive, in constant memory whatever their
            /// number. The stream holds one connection (a pooled one when `exec` is a `Db`)
            /// until it ends or is dropped; dropped early, it leaves the rest of the result to
            /// the driver, which discards it, and the connection goes back to the pool usable.
            /// The statement timeout counts from sending until the last row is read.
            ///
            /// Nothing is sent until the stream is first polled; an error ends it.
            pub fn stream<'e, E: $crate::Executor + ?Sized>(
                self,
                exec: &'e E,
            ) -> impl $crate::__private::Stream<Item = $crate::Result<$out>> + Send + 'e
            where
                Self: 'e,
                $out: Send,
                $($($w)+)?
            {
                $crate::stream::stream(self, exec)
            }

            /// The query's rows exported with `COPY (…) TO STDOUT` in `format`, as the
            /// pieces of data arrive: the fastest way to hand a large result on unread (a CSV
            /// download, a file). Holds one connection as [`stream`](Self::stream) does.
            ///
            /// `COPY` takes no bound parameters and buster-db never writes values into SQL
            /// text: a query with bound values (a filter on a value, a limit) runs in a
            /// transaction whose local settings hold the values, bound, and the copied query
            /// reads them back. On a `Db` that is a transaction of its own (dropped early, its
            /// connection is closed rather than returned); on a `Transaction`, that one; on a
            /// `Conn` such a query is refused with
            /// [`ErrorKind::Validation`]($crate::ErrorKind::Validation). In pooler mode it
            /// must run on a transaction.
            pub fn copy_out<'e, E: $crate::Executor + ?Sized>(
                self,
                exec: &'e E,
                format: $crate::query::CopyFormat,
            ) -> impl $crate::__private::Stream<Item = $crate::Result<$crate::query::Bytes>> + Send + 'e
            where
                Self: 'e,
                $($($w)+)?
            {
                $crate::stream::copy_out(self, exec, format)
            }

            /// Page `page` (from 1) of `page_size` rows (1 to
            /// [`MAX_PAGE_SIZE`]($crate::query::MAX_PAGE_SIZE)), with the total count. The rows and the
            /// count are fetched concurrently.
            pub async fn paginate<E: $crate::Executor + ?Sized>(
                self,
                page: u32,
                page_size: u32,
                exec: &E,
            ) -> $crate::Result<$crate::Page<$out>>
            where
                $out: Send,
                $($($w)+)?
            {
                $crate::query::page::paginate(self, page, page_size, exec).await
            }
        }
    };
    (write [$($g:tt)*] $ty:ty => $out:ty $(, noop = $noop:ident)? $(, rows = $rows:ident)?) => {
        impl<$($g)*> $crate::query::run::Run for $ty {
            type Output = $out;
            fn render(&self) -> $crate::query::Rendered<'_> {
                self.statement()
            }
            fn decode(&self, row: &$crate::types::Row) -> $crate::Result<$out> {
                <$out as $crate::Table>::__decode(row, 0)
            }
            fn table(&self) -> &'static str {
                <$out as $crate::Table>::META.name
            }
            fn is_noop(&self) -> bool {
                $(self.$noop() ||)? false
            }
            fn expected_rows(&self) -> Option<usize> {
                None $(.or(Some(self.$rows())))?
            }
        }

        $crate::query::run::terminals!(@rows [$($g)*] $ty => $out, []);

        impl<$($g)*> $ty {
            /// Runs the statement and returns the number of rows it affected.
            pub async fn execute<E: $crate::Executor + ?Sized>(
                self,
                exec: &E,
            ) -> $crate::Result<u64> {
                $crate::query::run::execute::<$out, _, _>(&self, exec).await
            }
        }
    };
    (@rows [$($g:tt)*] $ty:ty => $out:ty, [$($w:tt)*]) => {
        impl<$($g)*> $ty {
            $crate::query::run::terminals!(@forward
                /// Runs the statement and returns every row.
                all -> Vec<$out>, where $out, [$($w)*]
            );
            $crate::query::run::terminals!(@forward
                /// Runs the statement and returns the first row, or an
                /// [`ErrorKind::NotFound`]($crate::ErrorKind::NotFound) error when there is none.
                one -> $out, where $out, [$($w)*]
            );
            $crate::query::run::terminals!(@forward
                /// Runs the statement and returns the first row, if any.
                optional -> Option<$out>, where $out, [$($w)*]
            );

            /// The SQL this builder runs, and its parameter count, without a database.
            pub fn to_sql(&self) -> $crate::Sql
            where
                $($w)*
            {
                $crate::query::run::to_sql(self)
            }
        }
    };
    // `pub async fn name(self, exec) -> Result<ret>`, handing off to `run::name`; `[…]` are
    // the builder's own bounds, checked at the call so that their messages point at it.
    (@forward $(#[$doc:meta])* $name:ident -> $ret:ty, [$($w:tt)*]) => {
        $(#[$doc])*
        pub async fn $name<E: $crate::Executor + ?Sized>(self, exec: &E) -> $crate::Result<$ret>
        where
            $($w)*
        {
            $crate::query::run::$name(&self, exec).await
        }
    };
    (@forward $(#[$doc:meta])* $name:ident -> $ret:ty, where $out:ty, [$($w:tt)*]) => {
        $(#[$doc])*
        pub async fn $name<E: $crate::Executor + ?Sized>(self, exec: &E) -> $crate::Result<$ret>
        where
            $out: Send,
            $($w)*
        {
            $crate::query::run::$name(&self, exec).await
        }
    };
}
pub(crate) use terminals;
