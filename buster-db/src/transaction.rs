//! Transactions: a closure that commits on `Ok` and rolls back on `Err`, on panic and when its
//! future is dropped.
//!
//! Dropping a driver transaction (`tokio_postgres::Transaction`) that was neither committed nor
//! rolled back queues a `ROLLBACK` (or `ROLLBACK TO` its savepoint) on the connection, ahead of
//! anything sent later on it, and `START TRANSACTION` itself is guarded the same way if its
//! future is dropped. So a cancelled or panicking closure never commits. On top of that, a
//! connection checked out by [`Db::transaction`] whose transaction did not end cleanly is
//! detached from the pool and closed (the server then rolls back): the pool never hands out a
//! connection that might still be inside a transaction or busy with an abandoned statement.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use deadpool_postgres::{ClientWrapper, Object};
use tokio::sync::RwLock;
use tokio_postgres::Row;

use tokio_postgres::IsolationLevel;

use crate::config::redact;
use crate::db::{Mode, Outcome, run_statement, traced};
use crate::executor::{Executor, Params, sealed};
use crate::{Conn, Db, Error, ErrorKind, Result};

type DriverTransaction<'a> = deadpool_postgres::Transaction<'a>;

/// An open transaction (or, when nested, a savepoint inside one).
///
/// Obtained only inside the closure given to [`Db::transaction`], [`Conn::transaction`] or
/// [`Transaction::transaction`]; every query runs on it like on a [`Db`].
///
/// ```no_run
/// # async fn example(db: &buster_db::Db) -> buster_db::Result<()> {
/// use buster_db::Executor;
///
/// let moved: u64 = db
///     .transaction(async |tx| {
///         let out = tx.__execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1", &[]).await?;
///         tx.__execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2", &[]).await?;
///         Ok::<_, buster_db::Error>(out)
///     })
///     .await?;
/// # Ok(()) }
/// ```
pub struct Transaction<'a> {
    /// Statements only need shared access; opening a savepoint needs exclusive access, and
    /// holds it while the nested closure runs, so the outer transaction cannot be used then.
    txn: RwLock<DriverTransaction<'a>>,
    statements: &'a AtomicU64,
    depth: u32,
    /// The first server error a statement of this transaction got. PostgreSQL aborts the
    /// transaction on any error and then answers `COMMIT` with a silent rollback, so a closure
    /// that swallows an error and returns `Ok` must not be reported as committed.
    failure: OnceLock<String>,
}

/// How a transaction starts: isolation level and access mode.
///
/// `TxOptions::new().isolation(IsolationLevel::Serializable).read_only(true)`
#[derive(Clone, Copy, Debug, Default)]
pub struct TxOptions {
    isolation: Option<IsolationLevel>,
    read_only: Option<bool>,
    deferrable: Option<bool>,
}

impl TxOptions {
    /// The server's defaults (normally `READ COMMITTED`, read-write).
    pub fn new() -> TxOptions {
        TxOptions::default()
    }

    /// Sets the isolation level.
    pub fn isolation(mut self, level: IsolationLevel) -> TxOptions {
        self.isolation = Some(level);
        self
    }

    /// Makes the transaction `READ ONLY` (`true`) or `READ WRITE` (`false`).
    pub fn read_only(mut self, read_only: bool) -> TxOptions {
        self.read_only = Some(read_only);
        self
    }

    /// Makes a serializable read-only transaction `DEFERRABLE`: it may wait to start, but then
    /// never fails with a serialization error.
    pub fn deferrable(mut self, deferrable: bool) -> TxOptions {
        self.deferrable = Some(deferrable);
        self
    }
}

impl Db {
    /// Runs `f` in a transaction on one pooled connection: commits when it returns `Ok`, rolls
    /// back when it returns `Err`, panics, or its future is dropped before completing.
    ///
    /// # Errors
    ///
    /// The closure's error, or (converted into `E`) a failure to check out a connection, to
    /// begin or to commit. When a statement inside failed but the closure returned `Ok` anyway,
    /// the transaction is rolled back and an error says so.
    pub async fn transaction<R, E, F>(&self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        self.transaction_with(TxOptions::default(), f).await
    }

    /// [`Db::transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`].
    pub async fn transaction_with<R, E, F>(&self, options: TxOptions, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let mut guard = DetachUnlessClean {
            obj: Some(self.checkout().await?),
            clean: false,
        };
        let Some(client) = guard.obj.as_mut() else {
            return Err(Error::new(ErrorKind::Connection, "connection went missing").into());
        };
        let (result, clean) = run(client, self.statement_counter(), options, f).await;
        guard.clean = clean;
        result
    }

    /// Runs `f` in a transaction, running it again from the start, at most `attempts` times in
    /// all, while it fails with a serialization failure or a deadlock
    /// ([`Error::is_retryable`]).
    ///
    /// The closure must be safe to re-run: it may be called several times.
    ///
    /// # Errors
    ///
    /// The last attempt's error, or the first error that is not retryable.
    pub async fn transaction_retry<R, F>(&self, attempts: u32, f: F) -> Result<R>
    where
        F: AsyncFn(&Transaction<'_>) -> Result<R>,
    {
        self.transaction_retry_with(TxOptions::default(), attempts, f)
            .await
    }

    /// [`Db::transaction_retry`] with an isolation level or access mode, typically
    /// `TxOptions::new().isolation(IsolationLevel::Serializable)`.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction_retry`].
    pub async fn transaction_retry_with<R, F>(
        &self,
        options: TxOptions,
        attempts: u32,
        f: F,
    ) -> Result<R>
    where
        F: AsyncFn(&Transaction<'_>) -> Result<R>,
    {
        let attempts = attempts.max(1);
        let mut attempt = 1;
        loop {
            match self.transaction_with(options, async |tx| f(tx).await).await {
                Err(err) if err.is_retryable() && attempt < attempts => {
                    tracing::debug!(attempt, error = %err, "retrying transaction");
                    attempt += 1;
                }
                done => return done,
            }
        }
    }
}

impl Conn {
    /// Runs `f` in a transaction on this connection: commits on `Ok`, rolls back on `Err`, on
    /// panic and when the future is dropped (the rollback is then queued on the connection, so
    /// it reaches the server before anything sent on it later).
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`].
    pub async fn transaction<R, E, F>(&mut self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        self.transaction_with(TxOptions::default(), f).await
    }

    /// [`Conn::transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`].
    pub async fn transaction_with<R, E, F>(&mut self, options: TxOptions, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let (client, statements) = self.parts();
        // An unclean end means the connection broke; the pool's recycling refuses it when this
        // `Conn` is returned, since the driver then reports it closed.
        run(client, statements, options, f).await.0
    }
}

impl Transaction<'_> {
    /// Runs `f` in a nested transaction (a savepoint): `Ok` releases it, `Err` rolls back only
    /// what `f` did, and the outer transaction goes on either way.
    ///
    /// While `f` runs, statements on the outer transaction fail with
    /// [`ErrorKind::Validation`]: use the nested one.
    ///
    /// # Errors
    ///
    /// The closure's error, or a failure to create or release the savepoint.
    pub async fn transaction<R, E, F>(&self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let Ok(mut outer) = self.txn.try_write() else {
            return Err(busy().into());
        };
        let inner = match outer.transaction().await {
            Ok(inner) => inner,
            Err(err) => return Err(self.note(Error::from_pg(err)).into()),
        };
        let tx = Transaction {
            txn: RwLock::new(inner),
            statements: self.statements,
            depth: self.depth + 1,
            failure: OnceLock::new(),
        };
        let result = f(&tx).await;
        let (result, ended) = tx.finish(result).await;
        if let Ended::Refused(message) | Ended::Unknown(message) = ended {
            // Failing to release or roll back to the savepoint leaves the outer transaction
            // aborted (or the connection gone): the outer one must not commit either.
            let _ = self.failure.set(message);
        }
        result
    }

    async fn run_statement(&self, sql: &str, params: &Params<'_>, mode: Mode) -> Result<Outcome> {
        let Ok(txn) = self.txn.try_read() else {
            return Err(busy());
        };
        self.statements.fetch_add(1, Ordering::Relaxed);
        let sent = run_statement(txn.client(), &txn.statement_cache, sql, params, mode, false);
        traced(sql, sent)
            .await
            .map_err(|err| self.note(Error::from_pg(err)))
    }

    /// Remembers a server error: from then on PostgreSQL refuses every statement of this
    /// transaction and turns its `COMMIT` into a rollback.
    fn note(&self, err: Error) -> Error {
        if err.code().is_some() {
            let _ = self.failure.set(err.to_string());
        }
        err
    }

    /// Commits or rolls back according to the closure's result, and reports how the statement
    /// that ended it went.
    async fn finish<R, E>(self, result: Result<R, E>) -> (Result<R, E>, Ended)
    where
        E: From<Error>,
    {
        let failure = self.failure.into_inner();
        let txn = self.txn.into_inner();
        match (result, failure) {
            (Ok(value), None) => match txn.commit().await {
                Ok(()) => (Ok(value), Ended::Cleanly),
                Err(err) => {
                    let ended = Ended::after(&err);
                    (Err(Error::from_pg(err).into()), ended)
                }
            },
            (Ok(_), Some(first)) => {
                let ended = Ended::of(txn.rollback().await);
                let err = Error::new(
                    ErrorKind::Database,
                    format!(
                        "transaction rolled back: a statement in it failed ({first}) and the \
                         closure still returned Ok"
                    ),
                );
                (Err(err.into()), ended)
            }
            (Err(err), _) => (Err(err), Ended::of(txn.rollback().await)),
        }
    }
}

/// How the `COMMIT`, `ROLLBACK`, `RELEASE` or `ROLLBACK TO` ending a transaction went.
enum Ended {
    /// It succeeded.
    Cleanly,
    /// The server answered with an error: the transaction is over (for a savepoint, the outer
    /// transaction is now aborted).
    Refused(String),
    /// No answer (the connection broke): the session's state is unknown.
    Unknown(String),
}

impl Ended {
    fn of(result: Result<(), tokio_postgres::Error>) -> Ended {
        match result {
            Ok(()) => Ended::Cleanly,
            Err(err) => {
                let ended = Ended::after(&err);
                tracing::warn!(error = %Error::from_pg(err), "ending a transaction failed");
                ended
            }
        }
    }

    fn after(err: &tokio_postgres::Error) -> Ended {
        let message = redact(&err.to_string());
        if err.as_db_error().is_some() {
            Ended::Refused(message)
        } else {
            Ended::Unknown(message)
        }
    }
}

/// Begins a transaction on `client`, runs `f` in it and ends it.
///
/// The flag tells whether the connection is known to be outside any transaction afterwards: the
/// server answered the `START TRANSACTION`, `COMMIT` or `ROLLBACK` that ended it.
async fn run<R, E, F>(
    client: &mut ClientWrapper,
    statements: &AtomicU64,
    options: TxOptions,
    f: F,
) -> (Result<R, E>, bool)
where
    F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
    E: From<Error>,
{
    let mut builder = client.build_transaction();
    if let Some(level) = options.isolation {
        builder = builder.isolation_level(level);
    }
    if let Some(read_only) = options.read_only {
        builder = builder.read_only(read_only);
    }
    if let Some(deferrable) = options.deferrable {
        builder = builder.deferrable(deferrable);
    }
    let txn = match builder.start().await {
        Ok(txn) => txn,
        Err(err) => {
            let clean = err.as_db_error().is_some();
            return (Err(Error::from_pg(err).into()), clean);
        }
    };
    let tx = Transaction {
        txn: RwLock::new(txn),
        statements,
        depth: 0,
        failure: OnceLock::new(),
    };
    let result = f(&tx).await;
    let (result, ended) = tx.finish(result).await;
    // A server error still means the server ended the transaction (a failed `COMMIT` rolls
    // back); without an answer the state of the session is unknown.
    (result, !matches!(ended, Ended::Unknown(_)))
}

fn busy() -> Error {
    Error::new(
        ErrorKind::Validation,
        "this transaction has a nested transaction open (or one is being opened); run statements \
         on the nested transaction",
    )
}

/// Holds the connection of a [`Db::transaction`]; unless the transaction was seen to end, the
/// connection is detached from the pool and closed when this is dropped, which also covers a
/// panicking closure and a future dropped mid-way.
struct DetachUnlessClean {
    obj: Option<Object>,
    clean: bool,
}

impl Drop for DetachUnlessClean {
    fn drop(&mut self) {
        if !self.clean
            && let Some(obj) = self.obj.take()
        {
            drop(Object::take(obj));
        }
    }
}

impl sealed::Sealed for Transaction<'_> {}

impl Executor for Transaction<'_> {
    async fn __query<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<Vec<Row>> {
        Ok(self.run_statement(sql, params, Mode::Query).await?.0)
    }

    async fn __execute<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<u64> {
        Ok(self.run_statement(sql, params, Mode::Execute).await?.1)
    }
}

impl fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("depth", &self.depth)
            .field("failed", &self.failure.get().is_some())
            .finish()
    }
}
