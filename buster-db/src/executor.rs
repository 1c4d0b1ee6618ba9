//! The sealed [`Executor`] trait: anything a statement can run on.

use std::future::Future;

use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::Result;
use crate::db::Sink;
use crate::stream::{Open, RowCursor};

/// Parameter list passed to the server; values are always bound, never spliced into SQL.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// Something statements run on: a [`Db`](crate::Db) (one pooled connection per statement), a
/// checked-out [`Conn`](crate::Conn), or a [`Transaction`](crate::Transaction).
///
/// Sealed: only buster-db implements it, and it has no methods of its own. Every query's
/// terminal methods (`all`, `one`, `optional`, `execute`) accept any executor, so the same query
/// code runs inside and outside a transaction; SQL text the builders cannot say goes through
/// [`raw_query`](crate::raw_query).
// The methods that send SQL text live on `Sealed`, which is crate-private: outside buster-db
// they cannot be called, not even through an `E: Executor` bound (a supertrait that is merely
// unnameable would still lend its methods to a generic `E`).
#[allow(private_bounds)]
pub trait Executor: Sealed + Send + Sync {}

/// How one statement is sent: what every [`Executor`] does, reachable only inside buster-db.
pub(crate) trait Sealed: Send + Sync {
    /// Runs `sql` through the connection's prepared-statement cache and hands each row to `sink`
    /// as it arrives, until the sink wants no more; returns the number of rows handed over.
    fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Sends the query `sql` and returns a cursor over its rows (or, with [`Open::Copy`], over
    /// the data of the `COPY … TO STDOUT` statement `sql`), holding one connection until it
    /// ends or is dropped.
    fn __stream<'e, 'q>(
        &'e self,
        sql: &'q str,
        params: &'q Params<'q>,
        open: Open,
    ) -> impl Future<Output = Result<RowCursor<'e>>> + Send + 'q
    where
        'e: 'q;

    /// Runs the `COPY … FROM STDIN BINARY` statement `copy` with the rows of `values` (`width`
    /// values each, one after the other), typed by the columns
    /// of the query `describe`; returns the number of rows written.
    fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Runs `sql` and returns all rows.
    fn __query<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a {
        async move {
            let mut rows = Vec::new();
            // A sink borrows each row (the hot paths decode it in place); the catalog and
            // admin statements that want rows keep a copy (a shared buffer and the offsets).
            self.__each(sql, params, &mut |row| {
                rows.push(row.clone());
                true
            })
            .await?;
            Ok(rows)
        }
    }

    /// Runs `sql` through the prepared-statement cache and returns the number of rows affected.
    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Runs a read that locks nothing, handing its rows to `sink`: on a [`Db`](crate::Db) with
    /// replicas it may be answered by one of them; everywhere else it is `__each`.
    fn __read_each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.__each(sql, params, sink)
    }
}

impl<E: Executor + ?Sized> Executor for &E {}

impl<E: Sealed + ?Sized> Sealed for &E {
    fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        (**self).__each(sql, params, sink)
    }

    fn __stream<'e, 'q>(
        &'e self,
        sql: &'q str,
        params: &'q Params<'q>,
        open: Open,
    ) -> impl Future<Output = Result<RowCursor<'e>>> + Send + 'q
    where
        'e: 'q,
    {
        (**self).__stream(sql, params, open)
    }

    fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        (**self).__copy_in(copy, describe, values, width)
    }

    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        (**self).__execute(sql, params)
    }

    fn __read_each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        (**self).__read_each(sql, params, sink)
    }
}
