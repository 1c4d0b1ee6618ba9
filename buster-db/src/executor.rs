//! The sealed [`Executor`] trait: anything a statement can run on.

use std::future::Future;

use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::Result;
use crate::db::Sink;
use crate::stream::RowCursor;

/// Parameter list passed to the server; values are always bound, never spliced into SQL.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// Something statements run on: a [`Db`](crate::Db) (one pooled connection per statement), a
/// checked-out [`Conn`](crate::Conn), or a [`Transaction`](crate::Transaction).
///
/// Sealed: only buster-db implements it. Every query's terminal methods (`all`, `one`,
/// `optional`, `execute`) accept any executor, so the same query code runs inside and outside a
/// transaction.
pub trait Executor: sealed::Sealed + Send + Sync {
    /// Runs `sql` through the connection's prepared-statement cache and hands each row to `sink`
    /// as it arrives, until the sink wants no more; returns the number of rows handed over.
    #[doc(hidden)]
    fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Sends the query `sql` and returns a cursor over its rows, holding one connection until
    /// it ends or is dropped.
    #[doc(hidden)]
    fn __stream<'e, 'q>(
        &'e self,
        sql: &'q str,
        params: &'q Params<'q>,
    ) -> impl Future<Output = Result<RowCursor<'e>>> + Send + 'q
    where
        'e: 'q;

    /// Runs the `COPY … FROM STDIN BINARY` statement `copy` with the rows of `values` (`width`
    /// values each, one after the other), typed by the columns
    /// of the query `describe`; returns the number of rows written.
    #[doc(hidden)]
    fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Runs `sql` and returns all rows.
    #[doc(hidden)]
    fn __query<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a {
        async move {
            let mut rows = Vec::new();
            self.__each(sql, params, &mut |row| {
                rows.push(row);
                true
            })
            .await?;
            Ok(rows)
        }
    }

    /// Runs `sql` through the prepared-statement cache and returns the number of rows affected.
    #[doc(hidden)]
    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Runs a read that locks nothing, handing its rows to `sink`: on a [`Db`](crate::Db) with
    /// replicas it may be answered by one of them; everywhere else it is `__each`.
    #[doc(hidden)]
    fn __read_each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.__each(sql, params, sink)
    }
}

impl<E: Executor + ?Sized> sealed::Sealed for &E {}

impl<E: Executor + ?Sized> Executor for &E {
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
    ) -> impl Future<Output = Result<RowCursor<'e>>> + Send + 'q
    where
        'e: 'q,
    {
        (**self).__stream(sql, params)
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
