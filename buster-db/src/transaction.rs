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
use std::sync::atomic::Ordering;

use crate::connect::{Object, Session};
use crate::prepared::Prepared;
use tokio::sync::RwLock;

use tokio_postgres::IsolationLevel;

use crate::config::redact;
use crate::db::{
    CopyLoad, Mode, Outcome, Scope, Shared, Sink, copy_rows, open_rows, run_statement,
};
use crate::executor::{Executor, Params, Sealed};
use crate::sql::write_ident;
use crate::stream::{Failure, Hold, Open, Opening, RowCursor};
use crate::trace::traced;
use crate::{Conn, Db, Error, ErrorKind, Result};
use postgres_types::{ToSql, Type};

type DriverTransaction<'a> = deadpool_postgres::Transaction<'a>;

/// An open transaction (or, when nested, a savepoint inside one).
///
/// Obtained only inside the closure given to [`Db::transaction`], [`Conn::transaction`] or
/// [`Transaction::transaction`]; every query runs on it like on a [`Db`].
///
/// ```no_run
/// # async fn count_open_orders(_: &impl buster_db::Executor) -> buster_db::Result<u64> { Ok(0) }
/// # async fn example(db: &buster_db::Db) -> buster_db::Result<()> {
/// let open = db
///     .transaction(async |tx| {
///         // Anything that runs on `&db` runs on `tx`.
///         let open = count_open_orders(tx).await?;
///         Ok::<_, buster_db::Error>(open)
///     })
///     .await?;
/// # Ok(()) }
/// ```
pub struct Transaction<'a> {
    /// Statements only need shared access; opening a savepoint needs exclusive access, and
    /// holds it while the nested closure runs, so the outer transaction cannot be used then.
    txn: RwLock<DriverTransaction<'a>>,
    /// The statements prepared on the transaction's connection.
    prepared: &'a Prepared,
    shared: &'a Shared,
    depth: u32,
    /// The first server error a statement of this transaction got. PostgreSQL aborts the
    /// transaction on any error and then answers `COMMIT` with a silent rollback, so a closure
    /// that swallows an error and returns `Ok` must not be reported as committed.
    failure: OnceLock<String>,
}

/// How a transaction starts: isolation level, access mode, and the settings and role that hold
/// for it alone (tenant context for row-level security).
///
/// ```
/// use buster_db::{IsolationLevel, TxOptions};
///
/// let serializable = TxOptions::new().isolation(IsolationLevel::Serializable).read_only(true);
/// // Row-level security: the policies read `current_setting('app.org_id')`, and apply to a
/// // role that is neither superuser nor the tables' owner.
/// let tenant = TxOptions::new()
///     .set_local("app.org_id", "5d7f3c9e-8a4b-4d2a-9c1e-2f6b7a8d9e0f")
///     .role("tenant_role");
/// assert!(!format!("{tenant:?}").contains("5d7f3c9e"));
/// ```
#[derive(Clone, Default)]
pub struct TxOptions {
    isolation: Option<IsolationLevel>,
    read_only: Option<bool>,
    deferrable: Option<bool>,
    /// `(name, value)` pairs set with `set_config(name, value, true)`.
    settings: Vec<(String, String)>,
    role: Option<String>,
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

    /// Sets the server setting `name` (e.g. a custom `app.org_id`) to `value` for this
    /// transaction only, with `SELECT set_config($1, $2, true)`: name and value are bound, never
    /// spliced into SQL. The setting ends with the transaction, by commit or rollback, so the
    /// pooled connection carries nothing to its next user.
    ///
    /// Values are not shown by `Debug`.
    pub fn set_local(mut self, name: impl Into<String>, value: impl Into<String>) -> TxOptions {
        self.settings.push((name.into(), value.into()));
        self
    }

    /// Looks unqualified tables up in `schemas`, in order, for this transaction only: the
    /// `search_path` set with [`set_local`](TxOptions::set_local), each name quoted as an
    /// identifier. This is how one declaration serves a schema chosen at run time (one schema
    /// per data source, all with the same tables): declare the table without `schema`, and open
    /// the transaction in the schema it should use. Tables declared with
    /// `#[table(schema = "..")]` are not affected. PostgreSQL plans a prepared statement again
    /// when the `search_path` changes, so cached statements follow the schema.
    ///
    /// ```
    /// use buster_db::TxOptions;
    ///
    /// // `"ds_42", "public"`: the data source's tables first, then the shared ones.
    /// let in_source = TxOptions::new().search_path(["ds_42", "public"]);
    /// # let _ = in_source;
    /// ```
    pub fn search_path<I, S>(self, schemas: I) -> TxOptions
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut path = String::new();
        for (i, schema) in schemas.into_iter().enumerate() {
            if i > 0 {
                path.push_str(", ");
            }
            let _ = write_ident(&mut path, schema.as_ref());
        }
        self.set_local("search_path", path)
    }

    /// Switches to `role` for this transaction only (`SET LOCAL ROLE "role"`, the identifier
    /// quoted), so that row-level security policies apply: they are bypassed by superusers and
    /// by the tables' owner. The session's user must be a member of `role`.
    pub fn role(mut self, role: impl Into<String>) -> TxOptions {
        self.role = Some(role.into());
        self
    }
}

impl fmt::Debug for TxOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings: Vec<&str> = self
            .settings
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("TxOptions")
            .field("isolation", &self.isolation)
            .field("read_only", &self.read_only)
            .field("deferrable", &self.deferrable)
            .field("settings", &settings)
            .field("role", &self.role)
            .finish()
    }
}

impl Db {
    /// Runs `f` in a transaction on one pooled connection: commits when it returns `Ok`, rolls
    /// back when it returns `Err`, panics, or its future is dropped before completing.
    ///
    /// The closure returns a [`buster_db::Result`](crate::Result), so `?` and `Ok(..)` need no
    /// annotation; for an error type of your own, see [`Db::try_transaction`].
    ///
    /// # Errors
    ///
    /// The closure's error, or a failure to check out a connection, to begin or to commit. When
    /// a statement inside failed but the closure returned `Ok` anyway, the transaction is
    /// rolled back and an error says so.
    pub async fn transaction<R, F>(&self, f: F) -> Result<R>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R>,
    {
        self.try_transaction_with(TxOptions::default(), f).await
    }

    /// [`Db::transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`].
    pub async fn transaction_with<R, F>(&self, options: TxOptions, f: F) -> Result<R>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R>,
    {
        self.try_transaction_with(options, f).await
    }

    /// [`Db::transaction`] whose closure returns an error type of its own, `E` (one a
    /// [`buster_db::Error`](crate::Error) converts into, so `?` works on statements): name it
    /// where the closure returns, `Ok::<_, MyError>(..)`.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`], converted into `E`.
    pub async fn try_transaction<R, E, F>(&self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        self.try_transaction_with(TxOptions::default(), f).await
    }

    /// [`Db::try_transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::try_transaction`].
    pub async fn try_transaction_with<R, E, F>(&self, options: TxOptions, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let mut guard = DetachUnlessClean {
            obj: Some(self.checkout().await?),
            clean: false,
            config: self.config(),
        };
        let Some(client) = guard.obj.as_mut() else {
            return Err(Error::new(ErrorKind::Connection, "connection went missing").into());
        };
        let (result, clean) = run(client, self.shared(), options, f).await;
        guard.clean = clean;
        if result.is_ok() {
            crate::replica::note_write(client, self.shared()).await;
        }
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
            match self
                .transaction_with(options.clone(), async |tx| f(tx).await)
                .await
            {
                Err(err) if err.is_retryable() && attempt < attempts => {
                    tracing::debug!(attempt, error = %err, "retrying transaction");
                    // The transaction that won is usually still finishing; retrying at once
                    // would meet it again. Back off a little more each time, with jitter so
                    // two losers do not collide in step.
                    tokio::time::sleep(retry_delay(attempt)).await;
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
    pub async fn transaction<R, F>(&mut self, f: F) -> Result<R>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R>,
    {
        self.try_transaction_with(TxOptions::default(), f).await
    }

    /// [`Conn::transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::transaction`].
    pub async fn transaction_with<R, F>(&mut self, options: TxOptions, f: F) -> Result<R>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R>,
    {
        self.try_transaction_with(options, f).await
    }

    /// [`Conn::transaction`] whose closure returns an error type of its own (see
    /// [`Db::try_transaction`]).
    ///
    /// # Errors
    ///
    /// As [`Db::try_transaction`].
    pub async fn try_transaction<R, E, F>(&mut self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        self.try_transaction_with(TxOptions::default(), f).await
    }

    /// [`Conn::try_transaction`] with an isolation level or access mode.
    ///
    /// # Errors
    ///
    /// As [`Db::try_transaction`].
    pub async fn try_transaction_with<R, E, F>(&mut self, options: TxOptions, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let (client, shared) = self.parts();
        // An unclean end means the connection broke; the pool's recycling refuses it when this
        // `Conn` is returned, since the driver then reports it closed.
        run(client, shared, options, f).await.0
    }
}

impl Transaction<'_> {
    /// Runs `f` in a nested transaction (a savepoint): `Ok` releases it, `Err` rolls back only
    /// what `f` did, and the outer transaction goes on either way.
    ///
    /// While `f` runs, statements on the outer transaction fail with
    /// [`ErrorKind::Validation`]: use the nested one. Opening a nested transaction while a
    /// statement is still running on this one (e.g. both inside one `join!`) fails the same way.
    ///
    /// # Errors
    ///
    /// The closure's error, or a failure to create or release the savepoint.
    pub async fn transaction<R, F>(&self, f: F) -> Result<R>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R>,
    {
        self.try_transaction(f).await
    }

    /// [`Transaction::transaction`] whose closure returns an error type of its own (see
    /// [`Db::try_transaction`]).
    ///
    /// # Errors
    ///
    /// As [`Transaction::transaction`], converted into `E`.
    pub async fn try_transaction<R, E, F>(&self, f: F) -> Result<R, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
        E: From<Error>,
    {
        let Ok(mut outer) = self.txn.try_write() else {
            return Err(busy(
                "cannot open a nested transaction while another one is open or a \
                 statement is running on this transaction",
            )
            .into());
        };
        let inner = match outer.transaction().await {
            Ok(inner) => inner,
            Err(err) => return Err(self.note(Error::from_pg(err)).into()),
        };
        let tx = Transaction {
            txn: RwLock::new(inner),
            prepared: self.prepared,
            shared: self.shared,
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

    async fn run_statement(
        &self,
        sql: &str,
        params: &Params<'_>,
        mode: &mut Mode<'_>,
    ) -> Result<Outcome> {
        let Ok(txn) = self.txn.try_read() else {
            return Err(busy(
                "this transaction has a nested transaction open: run statements on the \
                 nested one",
            ));
        };
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let client = txn.client();
        traced(self.shared, sql, move || {
            run_statement(
                client,
                self.prepared,
                self.shared,
                sql,
                params,
                mode,
                Scope::InTransaction,
            )
        })
        .await
        .map_err(|err| self.note(Error::from_pg(err)))
    }

    /// What a transaction sets for itself when it begins, all undone when it ends: in pooler
    /// mode the statement timeout (which cannot be a startup option there), the role of
    /// [`TxOptions::role`] and the settings of [`TxOptions::set_local`].
    async fn apply_settings(&self, options: &TxOptions) -> Result<()> {
        let mut local = Vec::new();
        if self.shared.pooler()
            && let Some(ms) = self.shared.config.statement_timeout_ms()
        {
            local.push(format!("SET LOCAL statement_timeout = {ms}"));
        }
        if let Some(role) = &options.role {
            let mut quoted = String::new();
            let _ = write_ident(&mut quoted, role);
            local.push(format!("SET LOCAL ROLE {quoted}"));
        }
        let txn = self.txn.read().await;
        if !local.is_empty() {
            txn.batch_execute(&local.join("; "))
                .await
                .map_err(|err| self.note(Error::from_pg(err)))?;
        }
        if options.settings.is_empty() {
            return Ok(());
        }
        // One statement for all of them, unnamed and typed, so it also runs behind a pooler.
        let calls: Vec<String> = (0..options.settings.len())
            .map(|i| format!("set_config(${}, ${}, true)", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!("SELECT {}", calls.join(", "));
        let params: Vec<(&(dyn ToSql + Sync), Type)> = options
            .settings
            .iter()
            .flat_map(|(name, value)| {
                [
                    (name as &(dyn ToSql + Sync), Type::TEXT),
                    (value as &(dyn ToSql + Sync), Type::TEXT),
                ]
            })
            .collect();
        txn.query_typed(&sql, &params)
            .await
            .map(drop)
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
    session: &mut Session,
    shared: &Shared,
    options: TxOptions,
    f: F,
) -> (Result<R, E>, bool)
where
    F: AsyncFnOnce(&Transaction<'_>) -> Result<R, E>,
    E: From<Error>,
{
    let (client, prepared) = session.split();
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
        prepared,
        shared,
        depth: 0,
        failure: OnceLock::new(),
    };
    let result = match tx.apply_settings(&options).await {
        Ok(()) => f(&tx).await,
        Err(err) => Err(err.into()),
    };
    let (result, ended) = tx.finish(result).await;
    // A server error still means the server ended the transaction (a failed `COMMIT` rolls
    // back); without an answer the state of the session is unknown.
    (result, !matches!(ended, Ended::Unknown(_)))
}

/// Misuse of a transaction that has a nested one open: refused before any SQL is sent.
fn busy(message: &str) -> Error {
    Error::new(ErrorKind::Validation, message)
}

/// Holds the connection of a [`Db::transaction`]; unless the transaction was seen to end, the
/// connection is detached from the pool and closed when this is dropped, which also covers a
/// panicking closure and a future dropped mid-way.
///
/// A cleanly ended one goes back to the pool, unless it is past its lifetime.
struct DetachUnlessClean<'a> {
    obj: Option<Object>,
    clean: bool,
    config: &'a crate::Config,
}

impl Drop for DetachUnlessClean<'_> {
    fn drop(&mut self) {
        let Some(obj) = self.obj.take() else {
            return;
        };
        if self.clean {
            crate::lifecycle::give_back(obj, self.config);
        } else {
            drop(Object::take(obj));
        }
    }
}

impl Executor for Transaction<'_> {}

impl Sealed for Transaction<'_> {
    async fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> Result<u64> {
        self.run_statement(sql, params, &mut Mode::Query(sink))
            .await
    }

    async fn __execute<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<u64> {
        self.run_statement(sql, params, &mut Mode::Execute).await
    }

    async fn __stream<'e, 'q>(
        &'e self,
        sql: &'q str,
        params: &'q Params<'q>,
        open: Open,
    ) -> Result<RowCursor<'e>>
    where
        'e: 'q,
    {
        let Ok(txn) = self.txn.try_read() else {
            return Err(busy(
                "this transaction has a nested transaction open: run statements on the \
                 nested one",
            ));
        };
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let opening = Opening::start(self.shared, sql);
        let opened = open_rows(
            txn.client(),
            self.prepared,
            self.shared,
            sql,
            params,
            Scope::InTransaction,
            open,
        );
        match opening.run(opened).await {
            Ok(rows) => Ok(opening.cursor(
                rows,
                Hold::Transaction {
                    _guard: Box::new(txn),
                    tx: self,
                },
            )),
            Err(err) => Err(self.note(Error::from_pg(err))),
        }
    }

    async fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> Result<u64> {
        self.copy_in(copy, describe, values, width).await
    }
}

impl Transaction<'_> {
    async fn copy_in(
        &self,
        copy: &str,
        describe: &str,
        values: &[&(dyn ToSql + Sync)],
        width: usize,
    ) -> Result<u64> {
        let Ok(txn) = self.txn.try_read() else {
            return Err(busy(
                "this transaction has a nested transaction open: run statements on the \
                 nested one",
            ));
        };
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let client = txn.client();
        traced(self.shared, copy, move || {
            copy_rows(
                client,
                self.prepared,
                self.shared,
                CopyLoad {
                    copy,
                    describe,
                    values,
                    width,
                },
                Scope::InTransaction,
            )
        })
        .await
        .map_err(|err| self.note(Error::from_pg(err)))
    }
}

impl Failure for Transaction<'_> {
    fn note(&self, err: Error) -> Error {
        Transaction::note(self, err)
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

/// The pause before retry number `attempt` (from 1): 2, 4, 8 … ms up to 256 ms, plus up to
/// half as much again of jitter.
fn retry_delay(attempt: u32) -> std::time::Duration {
    let base_ms = 1u64 << attempt.clamp(1, 8);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    let jitter_us = nanos % (base_ms * 500 + 1);
    std::time::Duration::from_micros(base_ms * 1000 + jitter_us)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;
    use std::time::Duration;

    use super::*;
    use crate::db::tests::{scalar_i64, test_db};

    /// A scratch table in the test database, dropped by [`Scratch::drop_table`].
    struct Scratch {
        name: String,
    }

    impl Scratch {
        async fn create(db: &Db) -> Result<Scratch> {
            let name = format!("buster_db_tx_{}", uuid::Uuid::new_v4().simple());
            db.__execute(&format!("CREATE TABLE {name} (id int PRIMARY KEY)"), &[])
                .await?;
            Ok(Scratch { name })
        }

        fn insert(&self) -> String {
            format!("INSERT INTO {} (id) VALUES ($1)", self.name)
        }

        fn count(&self) -> String {
            format!("SELECT count(*) FROM {}", self.name)
        }

        async fn ids(&self, on: &impl Executor) -> Result<Vec<i32>> {
            let sql = format!("SELECT id FROM {} ORDER BY id", self.name);
            Ok(on
                .__query(&sql, &[])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect())
        }

        async fn drop_table(self, db: &Db) -> Result<()> {
            db.__execute(&format!("DROP TABLE {}", self.name), &[])
                .await?;
            Ok(())
        }
    }

    /// Waits until no connection of the pool tagged `tag` is idle inside a transaction.
    async fn no_idle_in_transaction(admin: &Db, tag: &str) -> Result<bool> {
        let sql = "SELECT count(*) FROM pg_stat_activity \
                   WHERE application_name = $1 AND state LIKE 'idle in transaction%'";
        for _ in 0..100 {
            let rows = admin.__query(sql, &[&tag]).await?;
            if rows[0].get::<_, i64>(0) == 0 {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(false)
    }

    #[tokio::test]
    async fn commit_on_ok_and_rollback_on_err() -> Result<()> {
        let (db, _) = test_db(2).await?;
        let t = Scratch::create(&db).await?;
        let before = db.statements_executed();
        let value = db
            .transaction(async |tx| {
                tx.__execute(&t.insert(), &[&1i32]).await?;
                tx.__execute(&t.insert(), &[&2i32]).await?;
                Ok::<_, Error>("done")
            })
            .await?;
        assert_eq!(value, "done");
        assert_eq!(db.statements_executed(), before + 2);
        let failed: Result<(), Error> = db
            .transaction(async |tx| {
                tx.__execute(&t.insert(), &[&3i32]).await?;
                Err(Error::validation("x", "refused"))
            })
            .await;
        assert_eq!(failed.err().map(|e| e.kind()), Some(ErrorKind::Validation));
        let ids = t.ids(&db).await;
        t.drop_table(&db).await?;
        assert_eq!(ids?, vec![1, 2]);
        Ok(())
    }

    #[tokio::test]
    async fn a_dropped_transaction_leaves_nothing_behind() -> Result<()> {
        let (db, tag) = test_db(1).await?;
        let (admin, _) = test_db(1).await?;
        let t = Scratch::create(&db).await?;
        let abandoned = tokio::time::timeout(
            Duration::from_millis(200),
            db.transaction(async |tx| {
                tx.__execute(&t.insert(), &[&1i32]).await?;
                std::future::pending::<()>().await;
                Ok::<_, Error>(())
            }),
        )
        .await;
        assert!(abandoned.is_err());
        // The connection was detached from the pool rather than returned to it.
        assert!(format!("{db:?}").contains("connections: 0"), "{db:?}");
        assert!(no_idle_in_transaction(&admin, &tag).await?);
        // With a pool of one, this runs on whatever connection the pool has now.
        assert_eq!(scalar_i64(&db, &t.count()).await?, 0);
        assert!(no_idle_in_transaction(&admin, &tag).await?);
        t.drop_table(&db).await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_panicking_closure_rolls_back() -> Result<()> {
        let (db, tag) = test_db(1).await?;
        let (admin, _) = test_db(1).await?;
        let t = Scratch::create(&db).await?;
        let insert = t.insert();
        let task = tokio::spawn({
            let db = db.clone();
            async move {
                db.transaction(async |tx| {
                    tx.__execute(&insert, &[&1i32]).await?;
                    if tx.depth == 0 {
                        std::panic::resume_unwind(Box::new("closure failed"));
                    }
                    Ok::<_, Error>(())
                })
                .await
            }
        });
        assert!(task.await.is_err());
        assert!(no_idle_in_transaction(&admin, &tag).await?);
        assert_eq!(scalar_i64(&db, &t.count()).await?, 0);
        t.drop_table(&db).await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_dropped_transaction_on_a_conn_is_rolled_back_before_its_next_statement() -> Result<()>
    {
        let (db, tag) = test_db(1).await?;
        let (admin, _) = test_db(1).await?;
        let t = Scratch::create(&db).await?;
        let mut conn = db.conn().await?;
        let abandoned = tokio::time::timeout(
            Duration::from_millis(200),
            conn.transaction(async |tx| {
                tx.__execute(&t.insert(), &[&1i32]).await?;
                std::future::pending::<()>().await;
                Ok::<_, Error>(())
            }),
        )
        .await;
        assert!(abandoned.is_err());
        // Inside the abandoned transaction its own row would be visible.
        assert_eq!(scalar_i64(&conn, &t.count()).await?, 0);
        drop(conn);
        assert!(no_idle_in_transaction(&admin, &tag).await?);
        t.drop_table(&db).await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_nested_transaction_rolls_back_only_its_own_work() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let t = Scratch::create(&db).await?;
        let mut conn = db.conn().await?;
        conn.transaction(async |tx| {
            tx.__execute(&t.insert(), &[&1i32]).await?;
            let inner: Result<(), Error> = tx
                .transaction(async |inner| {
                    inner.__execute(&t.insert(), &[&2i32]).await?;
                    // The outer transaction is not usable while the nested one is open.
                    let outer = tx.__execute(&t.insert(), &[&9i32]).await;
                    assert_eq!(outer.err().map(|e| e.kind()), Some(ErrorKind::Validation));
                    // A duplicate key aborts the savepoint, not the outer transaction.
                    inner.__execute(&t.insert(), &[&1i32]).await?;
                    Ok(())
                })
                .await;
            assert_eq!(
                inner.err().map(|e| e.kind()),
                Some(ErrorKind::UniqueViolation)
            );
            tx.transaction(async |inner| {
                inner.__execute(&t.insert(), &[&3i32]).await?;
                Ok::<_, Error>(())
            })
            .await?;
            tx.__execute(&t.insert(), &[&4i32]).await?;
            Ok::<_, Error>(())
        })
        .await?;
        let ids = t.ids(&conn).await;
        drop(conn);
        t.drop_table(&db).await?;
        assert_eq!(ids?, vec![1, 3, 4]);
        Ok(())
    }

    #[tokio::test]
    async fn a_swallowed_statement_error_does_not_pass_for_a_commit() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let t = Scratch::create(&db).await?;
        let result = db
            .transaction(async |tx| {
                tx.__execute(&t.insert(), &[&1i32]).await?;
                let duplicate = tx.__execute(&t.insert(), &[&1i32]).await;
                assert!(duplicate.is_err());
                Ok::<_, Error>(())
            })
            .await;
        let count = scalar_i64(&db, &t.count()).await;
        t.drop_table(&db).await?;
        let Err(err) = result else {
            return Err(Error::new(ErrorKind::Database, "reported as committed"));
        };
        assert!(err.to_string().contains("rolled back"), "{err}");
        assert_eq!(count?, 0);
        Ok(())
    }

    #[tokio::test]
    async fn retry_reruns_on_serialization_failure() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let calls = AtomicU32::new(0);
        let fail_first = "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$";
        let level = db
            .transaction_retry_with(
                TxOptions::new().isolation(IsolationLevel::Serializable),
                3,
                async |tx| {
                    if calls.fetch_add(1, Ordering::Relaxed) == 0 {
                        tx.__execute(fail_first, &[]).await?;
                    }
                    let rows = tx.__query("SHOW transaction_isolation", &[]).await?;
                    Ok(rows[0].get::<_, String>(0))
                },
            )
            .await?;
        assert_eq!(level, "serializable");
        assert_eq!(calls.load(Ordering::Relaxed), 2);

        calls.store(0, Ordering::Relaxed);
        let result = db
            .transaction_retry(2, async |tx| {
                calls.fetch_add(1, Ordering::Relaxed);
                tx.__execute(fail_first, &[]).await?;
                Ok(())
            })
            .await;
        assert_eq!(
            result.err().map(|e| e.kind()),
            Some(ErrorKind::SerializationFailure)
        );
        assert_eq!(calls.load(Ordering::Relaxed), 2);
        Ok(())
    }

    #[tokio::test]
    async fn transactions_run_on_spawned_tasks() -> Result<()> {
        let (db, _) = test_db(2).await?;
        let task = tokio::spawn({
            let db = db.clone();
            async move {
                db.transaction(async |tx| {
                    let nested = tx
                        .transaction(async |inner| scalar_i64(inner, "SELECT 5::int8").await)
                        .await?;
                    Ok::<_, Error>(nested + scalar_i64(tx, "SELECT 1::int8").await?)
                })
                .await
            }
        });
        let Ok(sum) = task.await else {
            return Err(Error::new(ErrorKind::Database, "task failed"));
        };
        assert_eq!(sum?, 6);
        Ok(())
    }
}
