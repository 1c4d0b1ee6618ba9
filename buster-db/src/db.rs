//! The pooled database handle, checked-out connections, and how one statement is sent.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool_postgres::{Runtime, TimeoutType, Timeouts};
use futures_util::TryStreamExt;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row, RowStream};

use crate::config::redact;
use crate::connect::{Connector, Hook, HookError, Object, Pool, PoolError, Session};
use crate::error::{Cause, classify};
use crate::executor::{Executor, Params, Sealed};
use crate::lease::Leases;
use crate::lifecycle;
use crate::pooler::{self, Types};
use crate::prepared::Prepared;
use crate::query::replace_placeholders;
use crate::replica::{self, ReplicaStatus, Replicas, WriteToken};
use crate::sql::quoted_ident;
use crate::stream::{CopyFormat, Hold, Open, Opened, Opening, RowCursor, copy_statement};
use crate::trace::traced;
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

/// What a pool and everything checked out of it share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) statements: AtomicU64,
    /// The enum types seen by pooler mode.
    pub(crate) types: Types,
    /// `server.address` and `server.port` of the statement spans.
    pub(crate) server: (String, u16),
    /// The read replicas ([`Config::replica`]), when there are any.
    pub(crate) replicas: Option<Replicas>,
    /// The connections lent to the tasks running several statements at once.
    pub(crate) leases: Leases,
}

impl Shared {
    fn new(config: Config, replicas: Option<Replicas>) -> Arc<Shared> {
        Arc::new(Shared {
            server: (config.get_host().unwrap_or_default(), config.get_port()),
            config,
            statements: AtomicU64::new(0),
            types: Types::default(),
            replicas,
            leases: Leases::default(),
        })
    }

    /// Whether statements go out unnamed and explicitly typed ([`Config::prepared_statements`]).
    pub(crate) fn pooler(&self) -> bool {
        !self.config.get_prepared_statements()
    }

    /// Whether the statements a task runs at once share a connection ([`Config::pipelining`]).
    fn lends(&self) -> bool {
        self.config.get_pipelining() && !self.pooler()
    }
}

/// What [`Db::status`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// The most connections the pool opens ([`Config::pool_size`]).
    pub max_size: usize,
    /// Connections open now, idle or in use.
    pub size: usize,
    /// Open connections waiting in the pool.
    pub idle: usize,
    /// Connections checked out (by a statement, a transaction or a [`Conn`]).
    pub in_use: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
    /// As [`Db::statements_executed`].
    pub statements_executed: u64,
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
        let replicas = Replicas::open(&config)?;
        let shared = Shared::new(config, replicas);
        let pool = build_pool(&shared)?;
        let db = Db { pool, shared };
        let first = db.checkout().await?;
        let version = first
            .simple_query("SELECT version()")
            .await
            .map_err(Error::from_pg)?;
        drop(first);
        for message in &version {
            if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                refuse_unsupported(row.get(0).unwrap_or_default())?;
            }
        }
        let config = &db.shared.config;
        lifecycle::fill(&db.pool, config)
            .await
            .map_err(|err| pool_error(err, config))?;
        lifecycle::spawn(&db.pool, config);
        if let Some(replicas) = &db.shared.replicas {
            // Reads can go to the replicas from the first one on; one that is down now joins
            // when a later probe finds it healthy.
            replicas.probe_all(config).await;
        }
        replica::spawn_health(&db.shared);
        Ok(db)
    }

    /// A pool that opens its connections when first used (a replica's).
    pub(crate) fn open_lazy(config: Config) -> Result<Db> {
        let shared = Shared::new(config, None);
        let pool = build_pool(&shared)?;
        lifecycle::spawn(&pool, &shared.config);
        Ok(Db { pool, shared })
    }

    /// This `Db` with every read on the primary: for the reads that must see the newest data
    /// whatever the replicas have replayed (`User::find(id).one(&db.primary())`). Without
    /// replicas it is the `Db` itself.
    pub fn primary(&self) -> Primary<'_> {
        Primary(self)
    }

    /// The WAL position of the last write through this handle (and its clones), for
    /// read-your-writes across requests: hand it to the client (its text form), and give it
    /// to [`Db::observe`] when the next request comes, so its reads see that write. Without
    /// replicas, or with [`ReadConsistency::Eventual`](crate::ReadConsistency), no position is
    /// recorded and the token is the zero position.
    pub fn write_token(&self) -> WriteToken {
        self.shared
            .replicas
            .as_ref()
            .map(Replicas::floor)
            .unwrap_or_default()
    }

    /// Makes later reads through this handle see at least the writes up to `token` (a
    /// [`Db::write_token`] of any process): they go to a replica that has replayed it, or to
    /// the primary.
    pub fn observe(&self, token: WriteToken) {
        if let Some(replicas) = &self.shared.replicas {
            replicas.observe(token);
        }
    }

    /// Each replica's state: healthy or why not, its lag and its pool's figures (whose
    /// `statements_executed` counts the reads it served). Empty without replicas.
    pub fn replica_status(&self) -> Vec<ReplicaStatus> {
        self.shared
            .replicas
            .as_ref()
            .map(Replicas::status)
            .unwrap_or_default()
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

    /// The pool's figures now: connections open, idle and in use, callers waiting for one, and
    /// statements executed so far.
    ///
    /// ```no_run
    /// # async fn example(db: &buster_db::Db) {
    /// let status = db.status();
    /// assert_eq!(status.size, status.idle + status.in_use);
    /// println!("{status:?}");
    /// # }
    /// ```
    pub fn status(&self) -> PoolStatus {
        let status = self.pool.status();
        PoolStatus {
            max_size: status.max_size,
            size: status.size,
            idle: status.available,
            in_use: status.size.saturating_sub(status.available),
            waiting: status.waiting,
            statements_executed: self.statements_executed(),
        }
    }

    /// A connection of the pool. One that sat unused for [`PING_IF_IDLE_FOR`] (every one with
    /// [`Config::ping_on_checkout`]) is pinged first; one whose ping fails is closed, and the
    /// next one tried (or a new one opened).
    pub(crate) async fn checkout(&self) -> Result<Object> {
        let config = &self.shared.config;
        // Each failed ping closes a connection: after as many as the pool holds and one more,
        // the server is not answering.
        let mut pings_left = config.get_pool_size() + 1;
        loop {
            let mut obj = self.take().await?;
            let idle = obj.idle_since_last_checkout();
            if !config.get_ping_on_checkout() && idle < PING_IF_IDLE_FOR {
                return Ok(obj);
            }
            let timeout = config.get_recycle_timeout();
            let failed = match tokio::time::timeout(timeout, obj.simple_query("")).await {
                Ok(Ok(_)) => return Ok(obj),
                Ok(Err(err)) => Error::from_pg(err),
                Err(_) => Error::new(
                    ErrorKind::Connection,
                    format!("the health check of a pooled connection timed out after {timeout:?}"),
                ),
            };
            // Out of the pool, and closed when dropped.
            drop(Object::take(obj));
            pings_left -= 1;
            if pings_left == 0 {
                return Err(failed);
            }
        }
    }

    /// A connection of the pool, as it is.
    async fn take(&self) -> Result<Object> {
        // An idle connection is taken without arming a timer (a zero wait is a plain try); only
        // when none is free does the checkout wait, for at most the configured time.
        let config = &self.shared.config;
        let now = Timeouts {
            wait: Some(Duration::ZERO),
            create: Some(config.get_create_timeout()),
            recycle: None,
        };
        match self.pool.timeout_get(&now).await {
            Err(PoolError::Timeout(TimeoutType::Wait)) => {
                let waiting = Timeouts {
                    wait: Some(config.get_wait_timeout()),
                    ..now
                };
                self.pool.timeout_get(&waiting).await
            }
            got => got,
        }
        .map_err(|err| pool_error(err, config))
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    async fn run(&self, sql: &str, params: &Params<'_>, mut mode: Mode<'_>) -> Result<Outcome> {
        if self.shared.lends() {
            // The connection the current task has out, if it has one ([`crate::lease`]).
            let lease = Leases::join(&self.shared);
            let obj = lease.conn(|| self.checkout()).await?;
            return send_alone(obj, &self.shared, sql, params, &mut mode)
                .await
                .map_err(Error::from_pg);
        }
        let obj = self.checkout().await?;
        let result = send_alone(&obj, &self.shared, sql, params, &mut mode).await;
        release(obj, result.as_ref().err(), &self.shared);
        result.map_err(Error::from_pg)
    }
}

/// Sends one statement of its own (outside any transaction of the caller's) on `client`, in
/// its span, counted, and notes the primary's write position once it succeeded.
async fn send_alone(
    client: &Session,
    shared: &Shared,
    sql: &str,
    params: &Params<'_>,
    mode: &mut Mode<'_>,
) -> Result<Outcome, tokio_postgres::Error> {
    shared.statements.fetch_add(1, Ordering::Relaxed);
    let result = traced(shared, sql, move || {
        run_statement(
            client,
            client.prepared(),
            shared,
            sql,
            params,
            mode,
            Scope::Alone,
        )
    })
    .await;
    if result.is_ok() {
        replica::note_write(client, shared).await;
    }
    result
}

/// Returns a connection its statements ran on to the pool, or detaches it when it is closed or
/// failed (`failed`, the last statement's error) in a way that leaves it unusable.
pub(crate) fn release(obj: Object, failed: Option<&tokio_postgres::Error>, shared: &Shared) {
    // Recycling would refuse a closed connection at its next checkout too; detaching it now
    // frees its pool slot at once instead of leaving a dead connection.
    if obj.is_closed() || failed.is_some_and(|err| unusable_behind_pooler(err, shared)) {
        drop(Object::take(obj));
    } else {
        lifecycle::give_back(obj, &shared.config);
    }
}

/// In pooler mode a `26000` can only come from the driver's cached type-lookup statement (a
/// type created after the connection was opened): the connection cannot decode that type, so it
/// is replaced by one that looks the types up afresh.
fn unusable_behind_pooler(err: &tokio_postgres::Error, shared: &Shared) -> bool {
    shared.pooler() && is_stale_statement(err)
}

impl Conn {
    /// Parts a transaction needs: the connection itself and what the pool shares.
    pub(crate) fn parts(&mut self) -> (&mut Session, &Shared) {
        (&mut self.obj, &self.shared)
    }

    async fn run(&self, sql: &str, params: &Params<'_>, mut mode: Mode<'_>) -> Result<Outcome> {
        send_alone(&self.obj, &self.shared, sql, params, &mut mode)
            .await
            .map_err(Error::from_pg)
    }
}

fn build_pool(shared: &Arc<Shared>) -> Result<Pool> {
    let config = &shared.config;
    if config.get_pool_size() == 0 {
        return Err(Error::new(
            ErrorKind::Config,
            "pool_size must be at least 1",
        ));
    }
    let mut manager = Connector::new(config)?;
    if shared.pooler() {
        manager = manager.warming(Arc::downgrade(shared));
    }
    let mut builder = Pool::builder(manager);
    if config.get_max_lifetime().is_some() {
        let config = config.clone();
        builder = builder.pre_recycle(Hook::sync_fn(move |_, metrics| {
            if lifecycle::expired(metrics, &config) {
                Err(HookError::message(
                    "the connection is past its max_lifetime",
                ))
            } else {
                Ok(())
            }
        }));
    }
    builder
        .max_size(config.get_pool_size())
        // The connection returned last is handed out first: the busy ones stay warm (their
        // server process, its caches and the client's buffers), and the ones a quiet period
        // leaves unused stay unused, so the idle timeout can close them.
        .queue_mode(deadpool::managed::QueueMode::Lifo)
        .wait_timeout(Some(config.get_wait_timeout()))
        .create_timeout(Some(config.get_create_timeout()))
        // Recycling does no I/O: the ping of a long-idle connection is `Db::checkout`'s, bounded
        // by the recycle timeout there.
        .recycle_timeout(None)
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|err| {
            Error::new(
                ErrorKind::Config,
                format!("cannot build the connection pool: {err}"),
            )
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
        // Already classified by the connector.
        PoolError::Backend(err) => err,
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

/// Classifies a failure to open a connection (of the pool or of a dedicated session).
pub(crate) fn connect_error(err: tokio_postgres::Error, config: &Config) -> Error {
    if err.as_db_error().is_some() {
        // The server answered but refused the session (authentication, unknown database, too
        // many connections, a bad startup option): for the caller the connection failed.
        return Error::from_pg(err).with_kind(ErrorKind::Connection);
    }
    let text = match crate::tls::handshake_failure(&err) {
        Some(reason) => reason,
        // The driver's message names only the step that failed; the reason is its source.
        None => match std::error::Error::source(&err) {
            Some(reason) => redact(&format!("{err}: {reason}")),
            None => redact(&err.to_string()),
        },
    };
    let kind = match classify(&err) {
        Cause::Config => ErrorKind::Config,
        _ => ErrorKind::Connection,
    };
    Error::new(
        kind,
        format!("could not connect to {}: {text}", config.target()),
    )
    .with_source(err)
}

/// Takes the rows of a query one at a time, as they arrive; returns `false` when it wants no
/// more (the rest of the result is then discarded by the driver, and the connection stays
/// usable — but the statement's outcome is then unknown: a write may not have committed yet,
/// and a later error goes unseen, so the terminals never stop early).
pub(crate) type Sink<'s> = dyn FnMut(&Row) -> bool + Send + 's;

/// Whether a statement's result is wanted as rows (handed to a [`Sink`] as they arrive) or as
/// an affected-row count.
pub(crate) enum Mode<'s> {
    Query(&'s mut Sink<'s>),
    Execute,
}

/// The row count: rows handed to the sink by a query, rows affected by an execute.
pub(crate) type Outcome = u64;

/// Hands the rows of `rows` to `sink` as they arrive, until it wants no more.
pub(crate) async fn drain(
    rows: RowStream,
    sink: &mut Sink<'_>,
) -> Result<u64, tokio_postgres::Error> {
    let mut rows = std::pin::pin!(rows);
    let mut count = 0;
    while let Some(row) = rows.try_next().await? {
        count += 1;
        if !sink(&row) {
            break;
        }
    }
    Ok(count)
}

/// Whether a statement runs on its own or inside a transaction the caller opened.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Alone,
    InTransaction,
}

/// Sends one statement: through the connection's prepared-statement cache, or in pooler mode
/// unnamed and explicitly typed (see [`crate::pooler`]); a query's rows go to its sink as they
/// arrive.
pub(crate) async fn run_statement(
    client: &Client,
    cache: &Prepared,
    shared: &Shared,
    sql: &str,
    params: &Params<'_>,
    mode: &mut Mode<'_>,
    scope: Scope,
) -> Result<Outcome, tokio_postgres::Error> {
    if shared.pooler() {
        let timeout = pooler_timeout(shared, scope);
        return pooler::send(client, &shared.types, sql, params, mode, timeout).await;
    }
    match mode {
        Mode::Query(sink) => {
            let rows = cached(cache, sql, scope, || async {
                let statement = cache.prepare(client, sql).await?;
                client.query_raw(&statement, params.iter().copied()).await
            })
            .await?;
            drain(rows, *sink).await
        }
        Mode::Execute => {
            cached(cache, sql, scope, || async {
                let statement = cache.prepare(client, sql).await?;
                client.execute(&statement, params).await
            })
            .await
        }
    }
}

/// Sends a query as [`run_statement`] does and returns its rows (or, for a `COPY … TO STDOUT`,
/// its data) as the driver's stream, for the caller to read at its own pace.
///
/// A copy in pooler mode is sent unnamed, so it must run inside a transaction (the callers
/// refuse it otherwise, see [`copy_needs_transaction`]).
pub(crate) async fn open_rows(
    client: &Client,
    cache: &Prepared,
    shared: &Shared,
    sql: &str,
    params: &Params<'_>,
    scope: Scope,
    open: Open,
) -> Result<Opened, tokio_postgres::Error> {
    if let Open::Copy(format) = open {
        return open_copy(client, cache, shared, sql, params, format, scope).await;
    }
    let rows = if shared.pooler() {
        let timeout = pooler_timeout(shared, scope);
        pooler::open(client, &shared.types, sql, params, timeout).await?
    } else {
        cached(cache, sql, scope, || async {
            let statement = cache.prepare(client, sql).await?;
            client.query_raw(&statement, params.iter().copied()).await
        })
        .await?
    };
    Ok(Opened::Rows(Box::pin(rows)))
}

/// Sends `COPY (sql) TO STDOUT` in `format` and returns its data as the driver's stream.
///
/// `COPY` takes no bound parameters, and values are never written into SQL text. So a query
/// with bound values runs inside a transaction (the caller's, or one the caller opened for it):
/// its values are bound to `SELECT set_config('buster_db.copy_<n>', $<n>::text, true), …`,
/// typed as the query's own parameters (the server's description of it), and the copied query
/// reads each back where its `$n` was, as `(current_setting('buster_db.copy_<n>')::<type>)`.
/// The settings end with the transaction.
pub(crate) async fn open_copy(
    client: &Client,
    cache: &Prepared,
    shared: &Shared,
    sql: &str,
    params: &Params<'_>,
    format: CopyFormat,
    scope: Scope,
) -> Result<Opened, tokio_postgres::Error> {
    let copy = if params.is_empty() {
        copy_statement(sql, format)
    } else {
        let types: Vec<Type> = if shared.pooler() {
            client.prepare(sql).await?.params().to_vec()
        } else {
            cached(cache, sql, scope, || async {
                Ok(cache.prepare(client, sql).await?.params().to_vec())
            })
            .await?
        };
        let settings: Vec<String> = (1..=params.len())
            .map(|n| format!("set_config('buster_db.copy_{n}', ${n}::text, true)"))
            .collect();
        let typed: Vec<(&(dyn ToSql + Sync), Type)> = params
            .iter()
            .zip(&types)
            .map(|(value, ty)| (*value, ty.clone()))
            .collect();
        client
            .query_typed(&format!("SELECT {}", settings.join(", ")), &typed)
            .await?;
        let read_back = replace_placeholders(sql, |n| match types.get(n.wrapping_sub(1)) {
            Some(ty) => format!(
                "(current_setting('buster_db.copy_{n}')::{}.{})",
                quoted_ident(ty.schema()),
                quoted_ident(ty.name())
            ),
            None => format!("${n}"),
        });
        copy_statement(&read_back, format)
    };
    let data = if shared.pooler() {
        client.copy_out(&copy).await?
    } else {
        cached(cache, &copy, scope, || async {
            let statement = cache.prepare(client, &copy).await?;
            client.copy_out(&statement).await
        })
        .await?
    };
    Ok(Opened::Copy(Box::pin(data)))
}

/// The error of a `copy_out` outside a transaction in pooler mode: a pooler may send the
/// statement's parse and its execution to different server sessions.
pub(crate) fn copy_needs_transaction() -> Error {
    Error::new(
        ErrorKind::Validation,
        "copy_out in pooler mode (prepared_statements(false)) must run inside a transaction: \
         call it on the transaction of `db.transaction(..)`",
    )
}

/// What a `COPY … FROM STDIN BINARY` sends: the statement, the query whose columns give the
/// types, and the rows' values (`width` each, one row after the other).
#[derive(Clone, Copy)]
pub(crate) struct CopyLoad<'a> {
    pub(crate) copy: &'a str,
    pub(crate) describe: &'a str,
    pub(crate) values: &'a [&'a (dyn ToSql + Sync)],
    pub(crate) width: usize,
}

/// Loads the rows of `values` (`width` values each, one after the other) with the
/// `COPY … FROM STDIN BINARY` statement `copy`, each value encoded as the
/// type the server gives the matching column of the query `describe`.
///
/// In pooler mode outside a transaction, the type lookup (a named statement, closed again) and
/// the copy run inside one transaction, so both reach the same server session. A value that
/// cannot be encoded aborts the copy (the driver sends `CopyFail`): no row is written.
pub(crate) async fn copy_rows(
    client: &Client,
    cache: &Prepared,
    shared: &Shared,
    load: CopyLoad<'_>,
    scope: Scope,
) -> Result<u64, tokio_postgres::Error> {
    let CopyLoad {
        copy,
        describe,
        values,
        width,
    } = load;
    let wrap = shared.pooler() && scope == Scope::Alone;
    if wrap {
        let begin = match shared.config.statement_timeout_ms() {
            Some(ms) => format!("BEGIN; SET LOCAL statement_timeout = {ms}"),
            None => "BEGIN".to_owned(),
        };
        client.batch_execute(&begin).await?;
    }
    let copied = async {
        let types: Vec<Type> = if shared.pooler() {
            let statement = client.prepare(describe).await?;
            statement
                .columns()
                .iter()
                .map(|c| c.type_().clone())
                .collect()
        } else {
            let statement = cache.prepare(client, describe).await?;
            statement
                .columns()
                .iter()
                .map(|c| c.type_().clone())
                .collect()
        };
        let sink = client.copy_in(copy).await?;
        let writer = BinaryCopyInWriter::new(sink, &types);
        let mut writer = std::pin::pin!(writer);
        for row in values.chunks(width.max(1)) {
            writer.as_mut().write(row).await?;
        }
        writer.finish().await
    }
    .await;
    if wrap {
        match &copied {
            Ok(_) => client.batch_execute("COMMIT").await?,
            Err(_) => {
                let _ = client.batch_execute("ROLLBACK").await;
            }
        }
    }
    copied
}

/// The statement timeout a pooler-mode statement sets for itself: none inside a transaction,
/// where it was set with `SET LOCAL` when the transaction began.
fn pooler_timeout(shared: &Shared, scope: Scope) -> Option<u32> {
    match scope {
        Scope::Alone => shared.config.statement_timeout_ms(),
        Scope::InTransaction => None,
    }
}

/// Runs `attempt` (prepare through the cache, bind, execute), again when the cached statement
/// turned out to be stale.
///
/// A cached statement goes stale when DDL changes what it returns (`0A000`, "cached plan must not
/// change result type") or when the server forgot it (`26000`). Either way nothing was executed
/// (both are raised when the statement is bound, before any row), so the cache is cleared (other
/// entries are likely stale too) and, outside a transaction, the statement is prepared afresh and
/// sent once more. Inside a transaction the error has already aborted it, so a retry could only
/// fail; the cleared cache lets the next attempt succeed. The message of `0A000` is not matched
/// because servers may localize it.
async fn cached<T, F: Future<Output = Result<T, tokio_postgres::Error>>>(
    cache: &Prepared,
    sql: &str,
    scope: Scope,
    attempt: impl Fn() -> F,
) -> Result<T, tokio_postgres::Error> {
    match attempt().await {
        Err(err) if is_stale_statement(&err) => {
            cache.clear();
            if scope == Scope::Alone {
                attempt().await
            } else {
                Err(err)
            }
        }
        // The values could not be encoded for the parameter types the cached statement was
        // prepared with. Those types may be out of date (a column changed type since), so the
        // entry is dropped and the statement prepared once more; nothing reached the server, so
        // this is safe inside a transaction too. A real mismatch fails again, with a typed error.
        Err(err) if is_encoding_error(&err) && cache.remove(sql).is_some() => attempt().await,
        sent => sent,
    }
}

/// Refuses servers that speak PostgreSQL's protocol but lack what buster-db relies on, where
/// the difference would not fail loudly: CockroachDB has no `xmax` system column (the upsert's
/// inserted-or-updated flag would be wrong) and no session advisory locks (migrations would not
/// be serialized).
fn refuse_unsupported(version: &str) -> Result<()> {
    if version.contains("CockroachDB") {
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "the server is CockroachDB ({version}), which buster-db does not support: \
                 it has no `xmax` system column, which upserts read to tell an insert from an \
                 update, and no advisory locks, which serialize migrations"
            ),
        ));
    }
    Ok(())
}

/// Whether the driver refused to encode a parameter (a client-side error: nothing was sent).
fn is_encoding_error(err: &tokio_postgres::Error) -> bool {
    classify(err) == Cause::Encode
}

fn is_stale_statement(err: &tokio_postgres::Error) -> bool {
    classify(err) == Cause::StaleStatement
}

impl Executor for Db {}

impl Sealed for Db {
    fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.run(sql, params, Mode::Query(sink))
    }

    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.run(sql, params, Mode::Execute)
    }

    fn __read_each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.read_each(sql, params, sink)
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
        let copy = matches!(open, Open::Copy(_));
        if copy && self.shared.pooler() {
            return Err(copy_needs_transaction());
        }
        let obj = self.checkout().await?;
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        // A copy with bound values reads them from settings local to a transaction of its own.
        let own_transaction = copy && !params.is_empty();
        if own_transaction && let Err(err) = obj.batch_execute("BEGIN").await {
            release(obj, Some(&err), &self.shared);
            return Err(Error::from_pg(err));
        }
        let opening = Opening::start(&self.shared, sql);
        let scope = if own_transaction {
            Scope::InTransaction
        } else {
            Scope::Alone
        };
        let opened = open_rows(&obj, obj.prepared(), &self.shared, sql, params, scope, open);
        match opening.run(opened).await {
            Ok(rows) if own_transaction => Ok(opening.cursor(
                rows,
                Hold::PooledCopy {
                    obj: Some(obj),
                    committed: false,
                },
            )),
            Ok(rows) => Ok(opening.cursor(rows, Hold::Pooled(Some(obj)))),
            Err(err) => {
                if own_transaction {
                    let _ = obj.batch_execute("ROLLBACK").await;
                }
                release(obj, Some(&err), &self.shared);
                Err(Error::from_pg(err))
            }
        }
    }

    async fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> Result<u64> {
        // Dropped before the copy ends (a cancelled caller), the connection may be inside the
        // copy's transaction: it is detached rather than returned.
        let mut held = Detached(Some(self.checkout().await?));
        let Some(obj) = held.0.as_ref() else {
            return Err(Error::new(ErrorKind::Connection, "no connection"));
        };
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let result = traced(&self.shared, copy, move || {
            copy_rows(
                obj,
                obj.prepared(),
                &self.shared,
                CopyLoad {
                    copy,
                    describe,
                    values,
                    width,
                },
                Scope::Alone,
            )
        })
        .await;
        if let Some(obj) = held.0.take() {
            release(obj, result.as_ref().err(), &self.shared);
        }
        result.map_err(Error::from_pg)
    }
}

/// A checked-out connection that is detached from the pool if dropped while still held.
struct Detached(Option<Object>);

impl Drop for Detached {
    fn drop(&mut self) {
        if let Some(obj) = self.0.take() {
            drop(Object::take(obj));
        }
    }
}

impl Db {
    /// A read through the routing: a replica that may serve it, else the primary.
    async fn read_each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> Result<u64> {
        if let Some(replicas) = &self.shared.replicas
            && let Some(served) = replicas.read(&self.shared.config, sql, params, sink).await
        {
            return served;
        }
        self.run(sql, params, Mode::Query(sink)).await
    }
}

/// A [`Db`] whose reads all go to the primary ([`Db::primary`]).
#[derive(Clone, Copy)]
pub struct Primary<'a>(&'a Db);

impl fmt::Debug for Primary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Primary").field(self.0).finish()
    }
}

impl Executor for Primary<'_> {}

impl Sealed for Primary<'_> {
    async fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> Result<u64> {
        self.0.__each(sql, params, sink).await
    }

    async fn __execute<'a>(&'a self, sql: &'a str, params: &'a Params<'a>) -> Result<u64> {
        self.0.__execute(sql, params).await
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
        self.0.__stream(sql, params, open).await
    }

    async fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> Result<u64> {
        self.0.__copy_in(copy, describe, values, width).await
    }
}

impl Executor for Conn {}

impl Sealed for Conn {
    fn __each<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
        sink: &'a mut Sink<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.run(sql, params, Mode::Query(sink))
    }

    fn __execute<'a>(
        &'a self,
        sql: &'a str,
        params: &'a Params<'a>,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        self.run(sql, params, Mode::Execute)
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
        if let Open::Copy(_) = open {
            if self.shared.pooler() {
                return Err(copy_needs_transaction());
            }
            if !params.is_empty() {
                return Err(Error::validation(
                    "params",
                    "copy_out of a query with bound values runs in a transaction of its own, \
                     which a `Conn` cannot leave behind if the copy is dropped early: run it on \
                     the `Db` or inside `db.transaction(..)`",
                ));
            }
        }
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        let opening = Opening::start(&self.shared, sql);
        let opened = open_rows(
            &self.obj,
            self.obj.prepared(),
            &self.shared,
            sql,
            params,
            Scope::Alone,
            open,
        );
        let rows = opening.run(opened).await.map_err(Error::from_pg)?;
        Ok(opening.cursor(rows, Hold::Borrowed))
    }

    async fn __copy_in<'a>(
        &'a self,
        copy: &'a str,
        describe: &'a str,
        values: &'a [&'a (dyn ToSql + Sync)],
        width: usize,
    ) -> Result<u64> {
        self.shared.statements.fetch_add(1, Ordering::Relaxed);
        traced(&self.shared, copy, move || {
            copy_rows(
                &self.obj,
                self.obj.prepared(),
                &self.shared,
                CopyLoad {
                    copy,
                    describe,
                    values,
                    width,
                },
                Scope::Alone,
            )
        })
        .await
        .map_err(Error::from_pg)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn servers_without_xmax_or_advisory_locks_are_refused() {
        let cockroach = "CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27)";
        let refused = refuse_unsupported(cockroach).err();
        assert_eq!(refused.as_ref().map(Error::kind), Some(ErrorKind::Config));
        assert!(refused.is_some_and(|e| e.to_string().contains("xmax")));
        let postgres = "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu";
        assert!(refuse_unsupported(postgres).is_ok());
    }

    /// The test server: `DATABASE_URL`, else the local default of [`crate::testing`].
    pub(crate) fn test_config() -> Result<Config> {
        Config::from_url(&crate::testing::database_url())
    }

    /// A pool on the test server whose connections are recognisable in `pg_stat_activity`.
    pub(crate) async fn test_db(pool_size: usize) -> Result<(Db, String)> {
        let tag = format!("buster_db_{}", uuid::Uuid::new_v4().simple());
        let config = test_config()?
            .pool_size(pool_size)
            .wait_timeout(Duration::from_millis(300))
            .application_name(&tag);
        Ok((Db::connect(config).await?, tag))
    }

    pub(crate) async fn scalar_i64(on: &impl Executor, sql: &str) -> Result<i64> {
        let rows = on.__query(sql, &[]).await?;
        let Some(row) = rows.first() else {
            return Err(Error::new(ErrorKind::NotFound, "no row"));
        };
        Ok(row.try_get(0)?)
    }

    #[tokio::test]
    async fn runs_statements_and_counts_them() -> Result<()> {
        let (db, _) = test_db(2).await?;
        let before = db.statements_executed();
        let rows = db.__query("SELECT $1::int4 + 1", &[&41i32]).await?;
        assert_eq!(rows[0].get::<_, i32>(0), 42);
        assert_eq!(db.__execute("SELECT 1 UNION ALL SELECT 2", &[]).await?, 2);
        let conn = db.conn().await?;
        assert_eq!(scalar_i64(&conn, "SELECT 7::int8").await?, 7);
        assert_eq!(db.statements_executed(), before + 3);
        let err = db.__query("SELECT * FROM no_such_table_here", &[]).await;
        assert_eq!(
            err.err().map(|e| e.code().map(str::to_owned)),
            Some(Some("42P01".into()))
        );
        assert_eq!(db.statements_executed(), before + 4);
        Ok(())
    }

    #[tokio::test]
    async fn connect_failures_are_typed_and_hide_the_password() -> Result<()> {
        let config = Config::from_url("postgres://postgres:hunter2@127.0.0.1:1/postgres")?;
        assert!(!format!("{config:?}").contains("hunter2"));
        let Err(err) = Db::connect(config).await else {
            return Err(Error::new(ErrorKind::Database, "connected to port 1"));
        };
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
        }

        let missing = test_config()?.with_dbname("buster_db_no_such_database");
        let Err(err) = Db::connect(missing).await else {
            return Err(Error::new(ErrorKind::Database, "unknown database accepted"));
        };
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert_eq!(err.code(), Some("3D000"));

        let Err(err) = Db::connect(test_config()?.pool_size(0)).await else {
            return Err(Error::new(ErrorKind::Database, "empty pool accepted"));
        };
        assert_eq!(err.kind(), ErrorKind::Config);
        Ok(())
    }

    #[tokio::test]
    async fn debug_never_shows_the_password() -> Result<()> {
        // The test server trusts local connections, so any password is accepted.
        let url = "postgres://postgres:hunter2@127.0.0.1:5432/postgres";
        let db = Db::connect(Config::from_url(url)?.pool_size(1)).await?;
        let shown = format!("{db:?} {:?}", db.conn().await?);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
        Ok(())
    }

    #[tokio::test]
    async fn statement_timeout_cancels_long_statements() -> Result<()> {
        let config = test_config()?
            .pool_size(1)
            .statement_timeout(Some(Duration::from_millis(50)));
        let db = Db::connect(config).await?;
        let err = db.__execute("SELECT pg_sleep(2)", &[]).await.err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::QueryCanceled));
        Ok(())
    }

    #[tokio::test]
    async fn an_unreachable_server_fails_within_create_timeout() -> Result<()> {
        // A non-routable address: the attempt either hangs until the timeout or fails at once.
        let config = Config::from_url("postgres://postgres@10.255.255.1:5432/postgres")?
            .create_timeout(Duration::from_millis(200));
        let started = std::time::Instant::now();
        let err = Db::connect(config).await.err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Connection));
        assert!(started.elapsed() < Duration::from_secs(2));
        Ok(())
    }

    #[tokio::test]
    async fn pool_timeout_when_every_connection_is_held() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let held = db.conn().await?;
        let err = db.conn().await.err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::PoolTimeout));
        let err = db.__query("SELECT 1", &[]).await.err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::PoolTimeout));
        drop(held);
        assert_eq!(scalar_i64(&db, "SELECT 1::int8").await?, 1);
        db.close();
        let err = db.conn().await.err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Connection));
        Ok(())
    }

    #[tokio::test]
    async fn a_terminated_connection_is_not_handed_out_again() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let (admin, _) = test_db(1).await?;
        let pid = scalar_i64(&db, "SELECT pg_backend_pid()::int8").await?;
        admin
            .__query("SELECT pg_terminate_backend($1::int4)", &[&(pid as i32)])
            .await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let again = scalar_i64(&db, "SELECT pg_backend_pid()::int8").await?;
        assert_ne!(pid, again);
        Ok(())
    }

    #[tokio::test]
    async fn a_stale_cached_statement_is_prepared_again() -> Result<()> {
        let (db, _) = test_db(1).await?;
        let table = format!("buster_db_stale_{}", uuid::Uuid::new_v4().simple());
        db.__execute(&format!("CREATE TABLE {table} (a int)"), &[])
            .await?;
        db.__execute(&format!("INSERT INTO {table} VALUES (1)"), &[])
            .await?;
        let select = format!("SELECT * FROM {table}");
        assert_eq!(db.__query(&select, &[]).await?[0].len(), 1);
        db.__execute(&format!("ALTER TABLE {table} ADD COLUMN b int"), &[])
            .await?;
        let result = db.__query(&select, &[]).await;
        db.__execute(&format!("DROP TABLE {table}"), &[]).await?;
        assert_eq!(result?[0].len(), 2);
        Ok(())
    }

    /// A pool in pooler mode on the test server (which needs no pooler for it to work).
    async fn pooler_db(pool_size: usize, timeout: Option<Duration>) -> Result<Db> {
        let config = Config::from_url(&crate::testing::database_url())?
            .prepared_statements(false)
            .pool_size(pool_size)
            .statement_timeout(timeout);
        Db::connect(config).await
    }

    #[tokio::test]
    async fn pooler_mode_types_every_parameter_and_prepares_nothing() -> Result<()> {
        let db = pooler_db(1, None).await?;
        let id = uuid::Uuid::new_v4();
        let now = chrono::Utc::now();
        let none: Option<i64> = None;
        let rows = db
            .__query(
                "SELECT $1 || 'x', $2 = $2, $3 + 1, $4 + 1, $5, $6, cardinality($7), $8 IS NULL, \
                 $9->>'a'",
                &[
                    &"a",
                    &id,
                    &41i32,
                    &41i64,
                    &true,
                    &now,
                    &vec!["p", "q"],
                    &none,
                    &serde_json::json!({"a": "b"}),
                ],
            )
            .await?;
        let row = &rows[0];
        assert_eq!(row.get::<_, String>(0), "ax");
        assert!(row.get::<_, bool>(1));
        assert_eq!(row.get::<_, i32>(2), 42);
        assert_eq!(row.get::<_, i64>(3), 42);
        assert_eq!(row.get::<_, i32>(6), 2);
        assert!(row.get::<_, bool>(7));
        assert_eq!(row.get::<_, String>(8), "b");
        let prepared = scalar_i64(&db, "SELECT count(*) FROM pg_prepared_statements").await?;
        assert_eq!(prepared, 0);
        // A value that fits no type is refused before sending, as a conversion error.
        let hstore = std::collections::HashMap::<String, Option<String>>::new();
        let err = db
            .__query("SELECT $1", &[&hstore])
            .await
            .err()
            .map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Conversion));
        Ok(())
    }

    #[tokio::test]
    async fn pooler_mode_binds_and_reads_enums_created_before_and_after_connecting() -> Result<()> {
        let (admin, _) = test_db(1).await?;
        let name = format!("buster_db_mood_{}", uuid::Uuid::new_v4().simple());
        admin
            .__execute(&format!("CREATE TYPE {name} AS ENUM ('ok', 'sad')"), &[])
            .await?;
        let db = pooler_db(1, None).await?;
        let result = async {
            let rows = db
                .__query(&format!("SELECT 'sad'::{name}, ARRAY['ok']::{name}[]"), &[])
                .await?;
            assert_eq!(rows.len(), 1);
            let prepared = scalar_i64(&db, "SELECT count(*) FROM pg_prepared_statements").await?;
            assert_eq!(prepared, 0);
            Ok::<(), Error>(())
        }
        .await;
        admin.__execute(&format!("DROP TYPE {name}"), &[]).await?;
        result
    }

    #[tokio::test]
    async fn pooler_mode_applies_the_statement_timeout_per_statement_and_transaction() -> Result<()>
    {
        let db = pooler_db(1, Some(Duration::from_millis(50))).await?;
        let err = db.__execute("SELECT pg_sleep(2)", &[]).await.err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::QueryCanceled));
        let shown = db
            .__query("SELECT current_setting('statement_timeout')", &[])
            .await?;
        assert_eq!(shown[0].get::<_, String>(0), "50ms");
        let in_tx: Result<(), Error> = db
            .transaction(async |tx| {
                let rows = tx
                    .__query("SELECT current_setting('statement_timeout')", &[])
                    .await?;
                assert_eq!(rows[0].get::<_, String>(0), "50ms");
                tx.__execute("SELECT pg_sleep(2)", &[]).await?;
                Ok(())
            })
            .await;
        assert_eq!(
            in_tx.err().map(|e| e.kind()),
            Some(ErrorKind::QueryCanceled)
        );
        let mut conn = db.conn().await?;
        conn.transaction(async |tx| scalar_i64(tx, "SELECT 1::int8").await)
            .await?;
        drop(conn);
        // (That no setting outlives its transaction is shown through PgBouncer, where another
        // client gets the same server session: `tests/tests/pgbouncer.rs`.)
        Ok(())
    }
}
