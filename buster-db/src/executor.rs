//! The sealed [`Executor`] trait: anything a statement can run on.

use std::future::Future;

use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::Result;

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
    /// Runs `sql` through the connection's prepared-statement cache and returns all rows.
    #[doc(hidden)]
    fn __query<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a;

    /// Runs `sql` through the prepared-statement cache and returns the number of rows affected.
    #[doc(hidden)]
    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a;

    /// Runs a read that locks nothing and returns all rows: on a [`Db`](crate::Db) with
    /// replicas it may be answered by one of them; everywhere else it is `__query`.
    #[doc(hidden)]
    fn __read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a {
        self.__query(sql, params)
    }
}

impl<E: Executor + ?Sized> sealed::Sealed for &E {}

impl<E: Executor + ?Sized> Executor for &E {
    fn __query<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a {
        (**self).__query(sql, params)
    }

    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        (**self).__execute(sql, params)
    }

    fn __read<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<Vec<Row>>> + Send + 'a {
        (**self).__read(sql, params)
    }
}
