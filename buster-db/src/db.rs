//! The pooled database handle, checked-out connections, and how one statement is sent.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool_postgres::{
    ClientWrapper, Hook, HookError, Manager, ManagerConfig, Metrics, Object, Pool, PoolError,
    RecyclingMethod, Runtime, StatementCache, TimeoutType,
};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls, Row};
use tracing::Instrument;

use crate::config::redact;
use crate::executor::{Executor, Params, sealed};
use crate::{Config, Error, ErrorKind, Result};

/// A pooled connection unused for longer than this is pinged before it is handed out again.
///
/// Why not `RecyclingMethod::Verified` (a round trip on every checkout)? [`Db`] checks out a
/// connection per statement, so that would double the round trips of every statement run on a
/// `Db`. `RecyclingMethod::Fast` already refuses connections whose socket the driver has seen
/// close (server restart, `pg_terminate_backend`, idle timeouts all close it), since its task
/// watches the socket while the connection sits in the pool. What it cannot see is a peer that
/// vanished silently (a NAT or firewall dropping an idle flow), and that only happens to
/// connections left idle for a while, so only those pay for the ping.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// A pool of PostgreSQL connections: the entry point of buster-db.
///
/// Cheap to clone (clones share the pool). Statements run directly on a `Db` take a pooled
/// connection for the duration of that one statement; use [`Db::transaction`] for work that must
/// see its own writes atomically, or [`Db::conn`] to keep one session.
///
/// ```no_run
/// # async fn example() -> buster_db::Result<()> {
/// let db = buster_db::Db::connect(buster_db::Config::from_env()?.pool_size(8)).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    shared: Arc<Shared>,
}

struct Shared {
    config: Config,
    statements: AtomicU64,
}

/// A connection checked out of a [`Db`]'s pool, returned to it when dropped.
///
/// Statements run on a `Conn` share one session: session settings, temporary tables and advisory
/// locks stay in effect until the `Conn` is dropped.
pub struct Conn {
    obj: Object,
    shared: Arc<Shared>,
}

impl Db {
    /// Builds the pool and checks one connection out of it, so that a wrong URL, a wrong password
    /// or a server that does not answer fails here rather than on the first query.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] for an unusable configuration, [`ErrorKind::Connection`] when the
    /// server cannot be reached or refuses the session (the server's SQLSTATE is kept, e.g.
    /// `28P01` for a wrong password or `3D000` for an unknown database).
    pub async fn connect(config: Config) -> Result<Db> {
        let pool = build_pool(&config)?;
        let db = Db {
            pool,
            shared: Arc::new(Shared {
                config,
                statements: AtomicU64::new(0),
            }),
        };
        drop(db.checkout().await?);
        Ok(db)
    }

    /// [`Db::connect`] with [`Config::from_env`] (`DATABASE_URL`).
    ///
    /// # Errors
    ///
    /// As [`Config::from_env`] and [`Db::connect`].
    pub async fn from_env() -> Result<Db> {
        Db::connect(Config::from_env()?).await
    }

    /// Checks a connection out of the pool, waiting at most the configured `wait_timeout`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::PoolTimeout`] when every connection stayed busy for the whole wait,
    /// [`ErrorKind::Connection`] when a new connection could not be opened (or not within
    /// `create_timeout`) or the pool was closed.
    pub async fn conn(&self) -> Result<Conn> {
        Ok(Conn {
            obj: self.checkout().await?,
            shared: Arc::clone(&self.shared),
        })
    }

    /// Closes the pool: idle connections are closed now, checked-out ones when they are
    /// returned, and every later checkout fails with [`ErrorKind::Connection`].
    pub fn close(&self) {
        self.pool.close();
    }

    /// The configuration this pool was built from.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// How many statements were sent through this pool so far: one per query or execute run on
    /// the `Db`, on any [`Conn`] from it or on any [`Transaction`](crate::Transaction) from
    /// either, including failed ones. Transaction control (`BEGIN`, `COMMIT`, savepoints) and
    /// pool health checks are not counted.
    ///
    /// Meant for tests that assert how many round trips an operation costs.
    pub fn statements_executed(&self) -> u64 {
        self.shared.statements.load(Ordering::Relaxed)
    }

    pub(crate) async fn checkout(&self) -> Result<Object> {
        self.pool
            .get()
            .await
            .map_err(|err| pool_error(err, &self.shared.config))
    }

    pub(crate) fn statement_counter(&self) -> &AtomicU64 {
        &self.shared.statements
    }

    async fn run(&self, sql: &str, params: &Params<'_>, mode: Mode) -> Result<Outcome> {
        let obj = self.checkout().await?;
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let sent = run_statement(&obj, &obj.statement_cache, sql, params, mode, true);
        traced(sql, sent).await.map_err(|err| {
            // Recycling would refuse a closed connection at its next checkout too; detaching it
            // now frees its pool slot at once instead of leaving a dead connection to be found.
            if obj.is_closed() {
                drop(Object::take(obj));
            }
            Error::from_pg(err)
        })
    }
}

impl Conn {
    /// Parts a transaction needs: the connection itself and the pool's statement counter.
    pub(crate) fn parts(&mut self) -> (&mut ClientWrapper, &AtomicU64) {
        (&mut self.obj, &self.shared.statements)
    }

    async fn run(&self, sql: &str, params: &Params<'_>, mode: Mode) -> Result<Outcome> {
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let sent = run_statement(
            &self.obj,
            &self.obj.statement_cache,
            sql,
            params,
            mode,
            true,
        );
        traced(sql, sent).await.map_err(Error::from_pg)
    }
}

fn build_pool(config: &Config) -> Result<Pool> {
    if config.get_pool_size() == 0 {
        return Err(Error::new(
            ErrorKind::Config,
            "pool_size must be at least 1",
        ));
    }
    let manager = Manager::from_config(
        config.pg().clone(),
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let ping_timeout = config.get_recycle_timeout();
    Pool::builder(manager)
        .max_size(config.get_pool_size())
        .wait_timeout(Some(config.get_wait_timeout()))
        .create_timeout(Some(config.get_create_timeout()))
        .recycle_timeout(Some(config.get_recycle_timeout()))
        .post_recycle(Hook::async_fn(move |client, metrics| {
            ping_if_idle(client, metrics, ping_timeout)
        }))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|err| {
            Error::new(
                ErrorKind::Config,
                format!("cannot build the connection pool: {err}"),
            )
        })
}

type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Pings a connection that sat idle for [`PING_IF_IDLE_FOR`]; a failed ping makes the pool drop
/// it and try another one (or open a new one).
fn ping_if_idle<'a>(
    client: &'a mut ClientWrapper,
    metrics: &'a Metrics,
    timeout: Duration,
) -> HookFuture<'a> {
    Box::pin(async move {
        if metrics.last_used() < PING_IF_IDLE_FOR {
            return Ok(());
        }
        match tokio::time::timeout(timeout, client.simple_query("")).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(HookError::Backend(err)),
            Err(_) => Err(HookError::message("health check timed out")),
        }
    })
}

fn pool_error(err: PoolError, config: &Config) -> Error {
    match err {
        PoolError::Timeout(TimeoutType::Create) => Error::new(
            ErrorKind::Connection,
            format!(
                "timed out after {:?} connecting to {}",
                config.get_create_timeout(),
                config.target()
            ),
        ),
        PoolError::Timeout(_) => Error::new(
            ErrorKind::PoolTimeout,
            format!(
                "no pooled connection became free within {:?} (pool size {})",
                config.get_wait_timeout(),
                config.get_pool_size()
            ),
        ),
        PoolError::Backend(err) => connect_error(err, config),
        PoolError::Closed => Error::new(ErrorKind::Connection, "the connection pool is closed"),
        PoolError::NoRuntimeSpecified => Error::new(
            ErrorKind::Config,
            "the connection pool has no async runtime",
        ),
        PoolError::PostCreateHook(err) => Error::new(
            ErrorKind::Connection,
            format!(
                "a new connection failed its setup: {}",
                redact(&err.to_string())
            ),
        ),
    }
}

/// Classifies a failure to open a connection.
fn connect_error(err: tokio_postgres::Error, config: &Config) -> Error {
    if err.as_db_error().is_some() {
        // The server answered but refused the session (authentication, unknown database, too
        // many connections, a bad startup option): for the caller the connection failed.
        return Error::from_pg(err).with_kind(ErrorKind::Connection);
    }
    let text = redact(&err.to_string());
    let kind = if text.starts_with("invalid configuration") {
        ErrorKind::Config
    } else {
        ErrorKind::Connection
    };
    Error::new(
        kind,
        format!("could not connect to {}: {text}", config.target()),
    )
    .with_source(err)
}

/// Whether a statement's result is wanted as rows or as an affected-row count.
#[derive(Clone, Copy)]
pub(crate) enum Mode {
    Query,
    Execute,
}

/// The rows returned (empty for [`Mode::Execute`]) and the row count: rows returned by a query,
/// rows affected by an execute.
pub(crate) type Outcome = (Vec<Row>, u64);

async fn send(
    client: &Client,
    cache: &StatementCache,
    sql: &str,
    params: &Params<'_>,
    mode: Mode,
) -> Result<Outcome, tokio_postgres::Error> {
    let statement = cache.prepare(client, sql).await?;
    match mode {
        Mode::Query => {
            let rows = client.query(&statement, params).await?;
            let count = rows.len() as u64;
            Ok((rows, count))
        }
        Mode::Execute => Ok((Vec::new(), client.execute(&statement, params).await?)),
    }
}

/// Sends one statement through the connection's prepared-statement cache.
///
/// A cached statement goes stale when DDL changes what it returns (`0A000`, "cached plan must not
/// change result type") or when the server forgot it (`26000`). Either way nothing was executed,
/// so the cache is cleared (other entries are likely stale too) and, outside a transaction, the
/// statement is prepared afresh and sent once more. Inside a transaction the error has already
/// aborted it, so a retry could only fail; the cleared cache lets the next attempt succeed.
/// The message of `0A000` is not matched because servers may localize it.
pub(crate) async fn run_statement(
    client: &Client,
    cache: &StatementCache,
    sql: &str,
    params: &Params<'_>,
    mode: Mode,
    retry_stale: bool,
) -> Result<Outcome, tokio_postgres::Error> {
    match send(client, cache, sql, params, mode).await {
        Err(err) if is_stale_statement(&err) => {
            cache.clear();
            if retry_stale {
                send(client, cache, sql, params, mode).await
            } else {
                Err(err)
            }
        }
        sent => sent,
    }
}

fn is_stale_statement(err: &tokio_postgres::Error) -> bool {
    err.code().is_some_and(|code| {
        *code == SqlState::FEATURE_NOT_SUPPORTED || *code == SqlState::INVALID_SQL_STATEMENT_NAME
    })
}

/// Runs `sent` inside a `buster_db.statement` span carrying the SQL text (never the parameter
/// values), then records the row count and the duration on it.
pub(crate) async fn traced(
    sql: &str,
    sent: impl Future<Output = Result<Outcome, tokio_postgres::Error>>,
) -> Result<Outcome, tokio_postgres::Error> {
    let span = tracing::debug_span!(
        "buster_db.statement",
        sql = %sql,
        rows = tracing::field::Empty,
        elapsed_us = tracing::field::Empty,
    );
    let started = Instant::now();
    let result = sent.instrument(span.clone()).await;
    let elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    span.record("elapsed_us", elapsed_us);
    if let Ok((_, count)) = &result {
        span.record("rows", count);
    }
    result
}

impl sealed::Sealed for Db {}

impl Executor for Db {
    async fn __query<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<Vec<Row>> {
        Ok(self.run(sql, params, Mode::Query).await?.0)
    }

    async fn __execute<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<u64> {
        Ok(self.run(sql, params, Mode::Execute).await?.1)
    }
}

impl sealed::Sealed for Conn {}

impl Executor for Conn {
    async fn __query<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<Vec<Row>> {
        Ok(self.run(sql, params, Mode::Query).await?.0)
    }

    async fn __execute<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<u64> {
        Ok(self.run(sql, params, Mode::Execute).await?.1)
    }
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("Db")
            .field("config", &self.shared.config)
            .field("connections", &status.size)
            .field("idle", &status.available)
            .field("waiting", &status.waiting)
            .field("statements_executed", &self.statements_executed())
            .finish()
    }
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conn")
            .field("id", &Object::id(&self.obj))
            .field("closed", &self.obj.is_closed())
            .finish()
    }
}
