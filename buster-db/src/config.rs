//! Connection and pool configuration.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::config::Host;

use crate::connect::{PasswordProvider, ProviderError};
use crate::tls::{Pem, Roots, SslMode, TLS_PARAMS, TlsSettings};
use crate::{Error, ErrorKind, Result};

const DEFAULT_POOL_SIZE: usize = 16;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_REPLICA_WAIT: Duration = Duration::from_millis(100);
const DEFAULT_MAX_REPLICA_LAG: Duration = Duration::from_secs(5);

/// Where and how to connect, and how large the pool is.
///
/// Built from a URL ([`Config::from_url`]) or from `DATABASE_URL` ([`Config::from_env`]), then
/// adjusted with the builder methods. Every timeout has a finite default, unlike the pool's own
/// defaults which wait forever.
///
/// TLS follows libpq's `sslmode` (see [`SslMode`]): `?sslmode=verify-full&sslrootcert=ca.pem`
/// in the URL, or [`Config::ssl_mode`] and [`Config::ssl_root_cert`]. Neither `Debug` nor any
/// error built from a `Config` shows the password or a private key.
///
/// ```
/// use std::time::Duration;
///
/// let config = buster_db::Config::from_url("postgres://app:s3cret@db.internal:5432/buster")?
///     .pool_size(8)
///     .wait_timeout(Duration::from_secs(2))
///     .statement_timeout(Some(Duration::from_secs(30)))
///     .application_name("billing-worker");
/// assert_eq!(config.dbname(), Some("buster"));
/// assert!(!format!("{config:?}").contains("s3cret"));
/// # Ok::<(), buster_db::Error>(())
/// ```
#[derive(Clone)]
pub struct Config {
    /// What the URL and the builder methods said; the statement timeout is added by [`Config::pg`].
    pg: tokio_postgres::Config,
    pool_size: usize,
    wait_timeout: Duration,
    create_timeout: Duration,
    recycle_timeout: Duration,
    statement_timeout: Option<Duration>,
    tls: TlsSettings,
    /// `false`: pooler mode (unnamed, explicitly typed statements; no startup options).
    prepared_statements: bool,
    /// A connection that bypasses the pooler, for migrations and template building.
    direct: Option<Box<Config>>,
    min_idle: usize,
    max_lifetime: Option<Duration>,
    idle_timeout: Option<Duration>,
    ping_on_checkout: bool,
    pipelining: bool,
    slow_statement: Option<Duration>,
    password_provider: Option<PasswordProvider>,
    /// Read replicas: each parsed from its URL; the pool settings are the primary's.
    replicas: Vec<Config>,
    read_consistency: ReadConsistency,
    replica_wait: Duration,
    max_replica_lag: Duration,
}

/// How reads through a [`Db`](crate::Db) with replicas ([`Config::replica`]) see the writes
/// made through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReadConsistency {
    /// The default: a read sees every write made before it through the same `Db` (and its
    /// clones) or announced with [`Db::observe`](crate::Db::observe). After a write, the handle
    /// records the primary's WAL position; a read then goes to a replica that has replayed it,
    /// waiting at most [`Config::replica_wait`] for one, else to the primary. Costs one extra
    /// round trip per write on the primary (`pg_current_wal_lsn()`).
    #[default]
    ReadYourWrites,
    /// Reads go to any healthy replica, whatever it has replayed: a read right after a write may
    /// not see it. Writes cost nothing extra.
    Eventual,
}

impl Config {
    /// Parses a connection URL (`postgres://user:password@host:port/dbname?param=value`) or a
    /// libpq key/value string (`host=… user=… dbname=…`).
    ///
    /// The TLS parameters `sslmode` (all five of libpq's modes but `allow`), `sslrootcert` (a
    /// file, or `system` for the platform's roots), `sslcert` and `sslkey` (files) are read here;
    /// the files are read when connecting.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the text cannot be parsed or names an unknown `sslmode`; the
    /// message never repeats the password.
    ///
    /// Besides libpq's parameters, a URL may say `prepared_statements=false` (or
    /// `pgbouncer=true`): see [`Config::prepared_statements`]. That parameter is taken out before
    /// the rest is parsed.
    pub fn from_url(url: &str) -> Result<Config> {
        let (url, prepared_statements) = pooler_param(url)?;
        let (rest, params) = split_tls_params(&url)?;
        let mut tls = TlsSettings::default();
        for (key, value) in &params {
            tls.set(key, value)?;
        }
        tls.checked_mode()?;
        let pg = tokio_postgres::Config::from_str(&rest).map_err(|err| {
            let message = format!("invalid database URL: {}", redact(&err.to_string()));
            Error::new(ErrorKind::Config, message).with_source(err)
        })?;
        Ok(Config {
            tls,
            prepared_statements: prepared_statements.unwrap_or(true),
            direct: None,
            min_idle: 0,
            max_lifetime: None,
            idle_timeout: None,
            ping_on_checkout: false,
            pipelining: true,
            slow_statement: None,
            password_provider: None,
            replicas: Vec::new(),
            read_consistency: ReadConsistency::default(),
            replica_wait: DEFAULT_REPLICA_WAIT,
            max_replica_lag: DEFAULT_MAX_REPLICA_LAG,
            pg,
            pool_size: DEFAULT_POOL_SIZE,
            wait_timeout: DEFAULT_TIMEOUT,
            create_timeout: DEFAULT_TIMEOUT,
            recycle_timeout: DEFAULT_TIMEOUT,
            statement_timeout: None,
        })
    }

    /// Reads `DATABASE_URL` — there is no fallback: a service that forgot its URL must not
    /// quietly talk to whatever listens on localhost — then these optional variables (unset or
    /// empty: the default stays):
    ///
    /// | variable | sets |
    /// |---|---|
    /// | `DATABASE_DIRECT_URL` | [`Config::direct_url`] |
    /// | `DATABASE_REPLICA_URLS` | [`Config::replica`], once per URL (comma-separated) |
    /// | `DATABASE_POOL_SIZE` | [`Config::pool_size`] |
    /// | `DATABASE_MIN_IDLE` | [`Config::min_idle`] |
    /// | `DATABASE_MAX_LIFETIME_SECS` | [`Config::max_lifetime`] (`0`: none) |
    /// | `DATABASE_IDLE_TIMEOUT_SECS` | [`Config::idle_timeout`] (`0`: none) |
    /// | `DATABASE_PING_ON_CHECKOUT` | [`Config::ping_on_checkout`] (`true` / `false`) |
    /// | `DATABASE_PIPELINING` | [`Config::pipelining`] (`true` / `false`) |
    /// | `DATABASE_WAIT_TIMEOUT_MS` | [`Config::wait_timeout`] |
    /// | `DATABASE_STATEMENT_TIMEOUT_MS` | [`Config::statement_timeout`] (`0`: none) |
    /// | `DATABASE_SLOW_STATEMENT_MS` | [`Config::slow_statement_threshold`] (`0`: none) |
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when `DATABASE_URL` is unset or empty, not valid Unicode or not a valid URL, or
    /// another variable does not hold what its setting needs.
    pub fn from_env() -> Result<Config> {
        let config = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Config::from_url(&url),
            Ok(_) | Err(std::env::VarError::NotPresent) => Err(Error::new(
                ErrorKind::Config,
                "DATABASE_URL is not set: set it to the database's URL, e.g. \
                 postgres://user@host:5432/dbname",
            )),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::new(
                ErrorKind::Config,
                "DATABASE_URL is not valid Unicode",
            )),
        }?;
        from_env_vars(config, |name| std::env::var(name).ok())
    }

    /// Sets the maximum number of pooled connections (default 16).
    pub fn pool_size(mut self, size: usize) -> Config {
        self.pool_size = size;
        self
    }

    /// Sets how long a checkout waits for a free connection before failing with
    /// [`ErrorKind::PoolTimeout`] (default 5 s).
    pub fn wait_timeout(mut self, timeout: Duration) -> Config {
        self.wait_timeout = timeout;
        self
    }

    /// Sets how long opening a new connection may take (default 5 s).
    pub fn create_timeout(mut self, timeout: Duration) -> Config {
        self.create_timeout = timeout;
        self
    }

    /// Sets how long the health check of a pooled connection may take before the connection is
    /// discarded (default 5 s).
    pub fn recycle_timeout(mut self, timeout: Duration) -> Config {
        self.recycle_timeout = timeout;
        self
    }

    /// Sets the session's `statement_timeout` (default `None`: the server's setting applies).
    ///
    /// A statement running longer is cancelled by the server and fails with
    /// [`ErrorKind::QueryCanceled`]. Durations are rounded up to whole milliseconds, so a tiny
    /// non-zero timeout never turns into `0` (which PostgreSQL reads as "no timeout").
    ///
    /// It is sent as a startup option, except in pooler mode
    /// ([`Config::prepared_statements`]`(false)`), where it is set with `SET LOCAL` inside each
    /// transaction, and a statement outside a transaction is wrapped in one.
    pub fn statement_timeout(mut self, timeout: Option<Duration>) -> Config {
        self.statement_timeout = timeout;
        self
    }

    /// `false` switches to pooler mode, for PgBouncer (or another pooler) in transaction mode,
    /// where consecutive transactions of one client may run on different server sessions:
    ///
    /// - statements are sent unnamed, with explicit parameter types (derived from each bound
    ///   value), never as named prepared statements (which would fail with `26000` / `42P05`);
    /// - no startup options are sent (PgBouncer refuses `options`): the statement timeout is
    ///   set with `SET LOCAL` per transaction instead;
    /// - [`migrate`](crate::migrate::migrate) refuses to run unless [`Config::direct_url`] names
    ///   a connection that bypasses the pooler (its session-level advisory lock needs a session).
    ///
    /// A URL parameter `prepared_statements=false` or `pgbouncer=true` sets the same. The
    /// default, `true`, uses the per-connection prepared-statement cache.
    ///
    /// Types the server knows by name only (enums, and arrays of them) are looked up once per
    /// connection, when it is opened, inside a transaction, and the driver's lookup statements
    /// are deallocated before it commits; a type created after a connection was opened is not
    /// known to it (statements returning it fail, and the connection is then replaced).
    pub fn prepared_statements(mut self, enabled: bool) -> Config {
        self.prepared_statements = enabled;
        self
    }

    /// A URL that reaches the server without going through the pooler (like Prisma's
    /// `directUrl`), used by [`migrate`](crate::migrate::migrate), [`migrate::status`
    /// ](crate::migrate::status) and the per-test template databases. Read from
    /// `DATABASE_DIRECT_URL` by [`Config::from_env`].
    ///
    /// ```
    /// let config = buster_db::Config::from_url("postgres://app@pgbouncer:6432/buster?pgbouncer=true")?
    ///     .direct_url("postgres://app@db.internal:5432/buster")?;
    /// assert!(!config.get_prepared_statements());
    /// assert!(config.get_direct_url_set());
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the URL cannot be parsed; the message never repeats the
    /// password.
    pub fn direct_url(mut self, url: &str) -> Result<Config> {
        // Its own TLS parameters apply to it; it is a direct session, never in pooler mode.
        let direct = Config::from_url(url)?.prepared_statements(true);
        self.direct = Some(Box::new(direct));
        Ok(self)
    }

    /// Keeps at least `count` connections open (default 0): they are opened by
    /// [`Db::connect`](crate::Db::connect) and reopened, within about a second, when the server
    /// ends one or [`Config::max_lifetime`] retires it. Capped at the pool size.
    ///
    /// The product's settings (`buster-database`): five warm connections, each replaced after a
    /// day, idle ones above the five closed after two minutes, and a ping on every checkout:
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = buster_db::Config::from_url("postgres://app@db.internal:5432/buster")?
    ///     .min_idle(5)
    ///     .max_lifetime(Some(Duration::from_secs(24 * 60 * 60)))
    ///     .idle_timeout(Some(Duration::from_secs(2 * 60)))
    ///     .ping_on_checkout(true);
    /// assert_eq!(config.get_min_idle(), 5);
    /// assert_eq!(config.get_max_lifetime(), Some(Duration::from_secs(86_400)));
    /// assert_eq!(config.get_idle_timeout(), Some(Duration::from_secs(120)));
    /// assert!(config.get_ping_on_checkout());
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    pub fn min_idle(mut self, count: usize) -> Config {
        self.min_idle = count;
        self
    }

    /// Retires connections older than `lifetime` (default `None`: never). A connection is
    /// never closed while checked out: one that is due is closed when it is returned (or, for
    /// a [`Conn`](crate::Conn), at the pool's next maintenance pass, within about a second) and
    /// is never handed out again.
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Config {
        self.max_lifetime = lifetime;
        self
    }

    /// Closes connections left idle in the pool for longer than `timeout` (default `None`),
    /// keeping [`Config::min_idle`] of them.
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Config {
        self.idle_timeout = timeout;
        self
    }

    /// Pings (an empty query, bounded by the recycle timeout) every connection before it is
    /// handed out, instead of only those idle for 30 s or more since their last checkout
    /// (default `false`). A failed ping closes the connection and the checkout takes or opens
    /// another one; after as many failed pings as the pool holds and one more, the checkout
    /// returns the last ping's error.
    pub fn ping_on_checkout(mut self, ping: bool) -> Config {
        self.ping_on_checkout = ping;
        self
    }

    /// Whether the statements one task runs concurrently on a [`Db`](crate::Db) share one
    /// connection (default `true`).
    ///
    /// With `tokio::try_join!(a.one(&db), b.one(&db))`, the first statement checks a connection
    /// out and the second is sent on the same one, right behind the first (the driver
    /// pipelines them), instead of taking a second connection from the pool; the last to
    /// finish returns it. Statements run one after the other each check a connection out, as
    /// do streams, `COPY`, transactions and [`Conn`](crate::Conn)s. The price: statements so
    /// joined run one after the other on the server, so a slow one delays the others of the
    /// same task. Turn it off to have each run on a connection of its own (in parallel on the
    /// server), or spawn them as tasks. Pooler mode never shares ([`Config::prepared_statements`]).
    ///
    /// ```
    /// let config = buster_db::Config::from_url("postgres://app@db.internal/app")?.pipelining(false);
    /// assert!(!config.get_pipelining());
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    pub fn pipelining(mut self, on: bool) -> Config {
        self.pipelining = on;
        self
    }

    /// Logs every statement that takes `threshold` or longer at `warn` level (target
    /// `buster_db::slow`), with its SQL text, operation, table and duration, never its bound
    /// values (default `None`: no such log).
    pub fn slow_statement_threshold(mut self, threshold: Option<Duration>) -> Config {
        self.slow_statement = threshold;
        self
    }

    /// Asks `provider` for the password of every new connection, instead of using the URL's:
    /// for credentials that expire, such as cloud IAM authentication tokens (valid for 15
    /// minutes on RDS), or a password that is rotated while the service runs.
    ///
    /// Connections already open are not affected when the password changes (the server checks
    /// it only when a session starts). The provider is asked within
    /// [`Config::create_timeout`]: one that fails or hangs fails that connection attempt with
    /// [`ErrorKind::Connection`], and the next attempt asks again. It is asked for the
    /// sessions over [`Config::direct_url`] as well. The password it returns is never shown
    /// by `Debug`, errors or spans.
    ///
    /// ```
    /// let config = buster_db::Config::from_url("postgres://app@db.internal:5432/buster")?
    ///     .password_provider(|| async {
    ///         // e.g. a token from the cloud provider's SDK
    ///         Ok::<_, std::io::Error>(std::env::var("DB_TOKEN").unwrap_or_default())
    ///     });
    /// assert!(format!("{config:?}").contains("password_provider: Some"));
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    pub fn password_provider<F, Fut, E>(mut self, provider: F) -> Config
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<String, E>> + Send + 'static,
        E: Into<ProviderError>,
    {
        self.password_provider = Some(PasswordProvider::new(provider));
        self
    }

    /// Adds a read replica (a streaming standby of the primary): reads through the
    /// [`Db`](crate::Db) — `all`, `one`, `optional`, `count`, `exists`, `paginate`, finds,
    /// projections, joins, unions and relation loads — go to a healthy replica, in turn;
    /// writes, reads that lock rows (`for_update`, `for_share`), transactions, migrations and
    /// everything on a [`Conn`](crate::Conn) go to the primary, as do reads through
    /// [`Db::primary`](crate::Db::primary). The URL's host, port, user, password, database and
    /// TLS parameters apply; the pool settings (size, timeouts, password provider, application
    /// name) are the primary's. Read from `DATABASE_REPLICA_URLS` (comma-separated) by
    /// [`Config::from_env`].
    ///
    /// A replica is taken out of rotation while it is unreachable, lags more than
    /// [`Config::max_replica_lag`] or has been promoted, and put back once healthy; a read that
    /// fails on one because its connection broke, or because of a recovery conflict, is retried
    /// on the next one and finally on the primary.
    ///
    /// ```
    /// use buster_db::{Config, ReadConsistency};
    ///
    /// let config = Config::from_url("postgres://app@primary.internal/buster")?
    ///     .replica("postgres://app@replica-1.internal/buster")?
    ///     .replica("postgres://app@replica-2.internal/buster")?
    ///     .read_consistency(ReadConsistency::ReadYourWrites);
    /// assert_eq!(config.get_replica_count(), 2);
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the URL cannot be parsed; the message never repeats the
    /// password.
    pub fn replica(mut self, url: &str) -> Result<Config> {
        self.replicas.push(Config::from_url(url)?);
        Ok(self)
    }

    /// How reads see earlier writes when replicas are set (default
    /// [`ReadConsistency::ReadYourWrites`]).
    pub fn read_consistency(mut self, consistency: ReadConsistency) -> Config {
        self.read_consistency = consistency;
        self
    }

    /// How long a read in [`ReadConsistency::ReadYourWrites`] waits for a replica to replay the
    /// handle's last write before it goes to the primary (default 100 ms).
    pub fn replica_wait(mut self, wait: Duration) -> Config {
        self.replica_wait = wait;
        self
    }

    /// The replay lag beyond which a replica is taken out of rotation (default 5 s): how long
    /// WAL it has received stays unreplayed, as seen by the health probes (every 200 ms).
    pub fn max_replica_lag(mut self, lag: Duration) -> Config {
        self.max_replica_lag = lag;
        self
    }

    /// How many replicas [`Config::replica`] added.
    pub fn get_replica_count(&self) -> usize {
        self.replicas.len()
    }

    /// The read consistency ([`Config::read_consistency`]).
    pub fn get_read_consistency(&self) -> ReadConsistency {
        self.read_consistency
    }

    /// The configurations the replica pools connect with: each replica's server and TLS, the
    /// primary's pool settings.
    pub(crate) fn replica_configs(&self) -> Vec<Config> {
        self.replicas
            .iter()
            .map(|replica| {
                let mut config = self.clone();
                config.pg = replica.pg.clone();
                if config.pg.get_application_name().is_none()
                    && let Some(name) = self.pg.get_application_name()
                {
                    config.pg.application_name(name);
                }
                config.tls = replica.tls.clone();
                config.replicas = Vec::new();
                config.direct = None;
                config.min_idle = 0;
                config
            })
            .collect()
    }

    pub(crate) fn get_replica_wait(&self) -> Duration {
        self.replica_wait
    }

    pub(crate) fn get_max_replica_lag(&self) -> Duration {
        self.max_replica_lag
    }

    /// The password provider, when [`Config::password_provider`] set one.
    pub(crate) fn get_password_provider(&self) -> Option<&PasswordProvider> {
        self.password_provider.as_ref()
    }

    /// Sets the `application_name` reported in `pg_stat_activity` and server logs.
    pub fn application_name(mut self, name: &str) -> Config {
        self.pg.application_name(name);
        self
    }

    /// Sets how the connection uses TLS (default [`SslMode::Prefer`], as in libpq).
    ///
    /// ```
    /// use buster_db::{Config, SslMode};
    ///
    /// let config = Config::from_url("postgres://app@db.internal/buster")?
    ///     .ssl_mode(SslMode::VerifyFull)
    ///     .ssl_root_cert("/etc/ssl/db-ca.pem");
    /// assert_eq!(config.get_ssl_mode(), SslMode::VerifyFull);
    /// # Ok::<(), buster_db::Error>(())
    /// ```
    pub fn ssl_mode(mut self, mode: SslMode) -> Config {
        self.tls.mode = Some(mode);
        self
    }

    /// Checks server certificates against the roots in the PEM file at `path` (read when
    /// connecting). `system` means the platform's trust store, and then makes `verify-full` the
    /// default mode, as in libpq 16. With [`SslMode::Require`], a root makes the connection
    /// check the chain as [`SslMode::VerifyCa`] does.
    pub fn ssl_root_cert(mut self, path: impl Into<PathBuf>) -> Config {
        let path = path.into();
        // `system` is a keyword, as in libpq; any other path (UTF-8 or not) is a file.
        self.tls.roots = if path.as_os_str() == "system" {
            Some(Roots::System)
        } else if path.as_os_str().is_empty() {
            None
        } else {
            Some(Roots::Pem(Pem::File(path)))
        };
        self
    }

    /// Checks server certificates against the roots in `pem` (one or more PEM certificates).
    pub fn ssl_root_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Config {
        self.tls.roots = Some(Roots::Pem(pem_bytes(pem)));
        self
    }

    /// Presents the client certificate (chain) in the PEM file at `path`; needs
    /// [`Config::ssl_key`] or [`Config::ssl_key_pem`] too.
    pub fn ssl_cert(mut self, path: impl Into<PathBuf>) -> Config {
        self.tls.cert = Some(Pem::File(path.into()));
        self
    }

    /// Presents the client certificate (chain) in `pem`.
    pub fn ssl_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Config {
        self.tls.cert = Some(pem_bytes(pem));
        self
    }

    /// Reads the client certificate's private key from the PEM file at `path` (PKCS#8, PKCS#1
    /// or SEC1, unencrypted).
    pub fn ssl_key(mut self, path: impl Into<PathBuf>) -> Config {
        self.tls.key = Some(Pem::File(path.into()));
        self
    }

    /// Uses the client certificate's private key in `pem`. `Debug` shows it as `***`.
    pub fn ssl_key_pem(mut self, pem: impl Into<Vec<u8>>) -> Config {
        self.tls.key = Some(pem_bytes(pem));
        self
    }

    /// The TLS mode in effect: the one given, else `verify-full` with `sslrootcert=system`,
    /// else `prefer`.
    pub fn get_ssl_mode(&self) -> SslMode {
        self.tls.effective_mode()
    }

    /// The database name, if one was given.
    pub fn dbname(&self) -> Option<&str> {
        self.pg.get_dbname()
    }

    /// A copy of this configuration pointing at database `name` on the same server, with the
    /// same credentials and pool settings.
    pub fn with_dbname(&self, name: &str) -> Config {
        let mut config = self.clone();
        config.pg.dbname(name);
        if let Some(direct) = &mut config.direct {
            direct.pg.dbname(name);
        }
        config
    }

    /// The first host named, if any (a Unix socket path is shown as text).
    pub fn get_host(&self) -> Option<String> {
        self.pg.get_hosts().first().map(|host| match host {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
    }

    /// The first port named, or 5432.
    pub fn get_port(&self) -> u16 {
        self.pg.get_ports().first().copied().unwrap_or(5432)
    }

    /// How many connections are kept open at least.
    pub fn get_min_idle(&self) -> usize {
        self.min_idle
    }

    /// The age at which connections are retired.
    pub fn get_max_lifetime(&self) -> Option<Duration> {
        self.max_lifetime
    }

    /// How long a connection may stay idle above the minimum.
    pub fn get_idle_timeout(&self) -> Option<Duration> {
        self.idle_timeout
    }

    /// Whether every checkout pings the connection.
    pub fn get_ping_on_checkout(&self) -> bool {
        self.ping_on_checkout
    }

    /// See [`Config::pipelining`].
    pub fn get_pipelining(&self) -> bool {
        self.pipelining
    }

    /// The duration from which statements are logged as slow.
    pub fn get_slow_statement_threshold(&self) -> Option<Duration> {
        self.slow_statement
    }

    /// Whether named prepared statements are used (`false`: pooler mode).
    pub fn get_prepared_statements(&self) -> bool {
        self.prepared_statements
    }

    /// Whether a [`Config::direct_url`] is set.
    pub fn get_direct_url_set(&self) -> bool {
        self.direct.is_some()
    }

    /// The maximum number of pooled connections.
    pub fn get_pool_size(&self) -> usize {
        self.pool_size
    }

    /// How long a checkout waits for a free connection.
    pub fn get_wait_timeout(&self) -> Duration {
        self.wait_timeout
    }

    /// How long opening a new connection may take.
    pub fn get_create_timeout(&self) -> Duration {
        self.create_timeout
    }

    /// How long the health check of a pooled connection may take.
    pub fn get_recycle_timeout(&self) -> Duration {
        self.recycle_timeout
    }

    /// The session `statement_timeout`, if one is set.
    pub fn get_statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    /// The driver configuration the pool connects with, before [`crate::tls::prepare`] sets its
    /// `sslmode`: the URL's, plus the statement timeout as a startup option outside pooler mode.
    pub(crate) fn pg(&self) -> tokio_postgres::Config {
        let mut pg = self.pg.clone();
        if self.prepared_statements
            && let Some(timeout) = self.statement_timeout
        {
            pg.options(render_options(self.pg.get_options(), Some(timeout)));
        }
        pg
    }

    /// The configuration of a session of its own (migrations, template building): the direct
    /// URL when set, else the pool's own.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] in pooler mode without a direct URL: a session-level advisory lock
    /// taken through a transaction pooler is held by whichever server session ran it.
    pub(crate) fn session_config(&self, purpose: &str) -> Result<Config> {
        match &self.direct {
            Some(direct) => {
                let mut direct = Config::clone(direct);
                if direct.password_provider.is_none() {
                    direct.password_provider.clone_from(&self.password_provider);
                }
                if let Some(name) = self.pg.get_application_name() {
                    direct.pg.application_name(name);
                }
                Ok(direct)
            }
            None if !self.prepared_statements => Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{purpose} needs a session of its own, which a transaction pooler does not \
                     give: set `Config::direct_url` (or DATABASE_DIRECT_URL) to a URL that \
                     bypasses the pooler"
                ),
            )),
            None => Ok(self.clone()),
        }
    }

    /// The statement timeout in whole milliseconds (rounded up, at least 1).
    pub(crate) fn statement_timeout_ms(&self) -> Option<u32> {
        self.statement_timeout.map(timeout_ms)
    }

    /// The TLS settings, which [`crate::tls::prepare`] turns into a connector.
    pub(crate) fn tls(&self) -> &TlsSettings {
        &self.tls
    }

    /// `host:port/dbname` for messages: which server a failure concerns, without credentials.
    pub(crate) fn target(&self) -> String {
        let ports = self.pg.get_ports();
        let hosts: Vec<String> = self
            .pg
            .get_hosts()
            .iter()
            .enumerate()
            .map(|(i, host)| {
                let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
                match host {
                    Host::Tcp(name) => format!("{name}:{port}"),
                    #[cfg(unix)]
                    Host::Unix(path) => format!("{}:{port}", path.display()),
                }
            })
            .collect();
        let hosts = if hosts.is_empty() {
            "<no host>".to_owned()
        } else {
            hosts.join(",")
        };
        format!("{hosts}/{}", self.dbname().unwrap_or(""))
    }
}

fn pem_bytes(pem: impl Into<Vec<u8>>) -> Pem {
    Pem::Bytes(Arc::from(pem.into()))
}

/// Takes the TLS parameters ([`TLS_PARAMS`]) out of a URL's query or a key/value string, since
/// the driver refuses `verify-ca` and `verify-full` and knows no certificate files: returns the
/// text without them (everything else as written) and the removed pairs, values decoded.
///
/// Both forms are split the way the driver will read them: a URL's query starts at the first
/// `?` after the credentials (which end at the first `@`), pairs are `&`-separated and
/// percent-encoded; a key/value string is `key = value` pairs, a value `'quoted'` or running to
/// the next whitespace, `\` escaping the next character. Text that does not split cleanly is
/// returned whole, for the driver to report.
fn split_tls_params(text: &str) -> Result<(String, Vec<(String, String)>)> {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        split_url(text)
    } else {
        Ok(split_key_value(text).unwrap_or_else(|| (text.to_owned(), Vec::new())))
    }
}

fn split_url(url: &str) -> Result<(String, Vec<(String, String)>)> {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let host_at = url[after_scheme..]
        .find('@')
        .map_or(after_scheme, |i| after_scheme + i + 1);
    let Some(query_at) = url[host_at..].find('?').map(|i| host_at + i) else {
        return Ok((url.to_owned(), Vec::new()));
    };
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for pair in url[query_at + 1..].split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key_text = percent_decode(key)?;
        if TLS_PARAMS.contains(&key_text.as_str()) {
            taken.push((key_text, percent_decode(value)?));
        } else {
            kept.push(pair);
        }
    }
    let mut rest = url[..query_at].to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    Ok((rest, taken))
}

fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| {
        Error::new(
            ErrorKind::Config,
            "invalid database URL: a TLS parameter is not valid UTF-8 once percent-decoded",
        )
    })
}

/// `None` when the text is no well-formed key/value string.
fn split_key_value(text: &str) -> Option<(String, Vec<(String, String)>)> {
    let mut kept: Vec<&str> = Vec::new();
    let mut taken = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let pair_start = rest;
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace())?;
        let key = &rest[..key_end];
        let after_eq = rest[key_end..].trim_start().strip_prefix('=')?.trim_start();
        let (value, after_value) = key_value_value(after_eq)?;
        let pair = &pair_start[..pair_start.len() - after_value.len()];
        if TLS_PARAMS.contains(&key) {
            taken.push((key.to_owned(), value));
        } else {
            kept.push(pair);
        }
        rest = after_value.trim_start();
    }
    Some((kept.join(" "), taken))
}

/// A key/value string's value at the start of `text`, decoded, and the text after it.
fn key_value_value(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    if let Some(quoted) = text.strip_prefix('\'') {
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.push(chars.next()?.1),
                '\'' => return Some((value, &quoted[i + 1..])),
                c => value.push(c),
            }
        }
        return None;
    }
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => return Some((value, &text[i..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    Some((value, ""))
}

/// The startup `options` string: the URL's own options, then the statement timeout, so that the
/// timeout set through [`Config::statement_timeout`] wins over one given in the URL.
fn render_options(url_options: Option<&str>, statement_timeout: Option<Duration>) -> String {
    let mut options = url_options.unwrap_or("").to_owned();
    if let Some(timeout) = statement_timeout {
        let millis = timeout_ms(timeout);
        if !options.is_empty() {
            options.push(' ');
        }
        options.push_str(&format!("-c statement_timeout={millis}"));
    }
    options
}

/// Applies the settings read from the environment besides `DATABASE_URL` (see
/// [`Config::from_env`]); `var` reads one variable, so tests need not touch the process's.
pub(crate) fn from_env_vars(
    mut config: Config,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Config> {
    let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
    if let Some(url) = var("DATABASE_DIRECT_URL") {
        config = config.direct_url(&url)?;
    }
    if let Some(urls) = var("DATABASE_REPLICA_URLS") {
        for url in urls.split(',').map(str::trim).filter(|url| !url.is_empty()) {
            config = config.replica(url)?;
        }
    }
    let number = |name: &str| -> Result<Option<u64>> {
        var(name)
            .map(|value| {
                value.trim().parse::<u64>().map_err(|_| {
                    Error::new(
                        ErrorKind::Config,
                        format!("{name} must be a whole number, not `{value}`"),
                    )
                })
            })
            .transpose()
    };
    // 0 turns a duration off.
    let seconds = |name: &str| -> Result<Option<Option<Duration>>> {
        Ok(number(name)?.map(|s| (s > 0).then(|| Duration::from_secs(s))))
    };
    let count = |name: &str| -> Result<Option<usize>> {
        number(name)?
            .map(|n| {
                usize::try_from(n)
                    .map_err(|_| Error::new(ErrorKind::Config, format!("{name} is too large")))
            })
            .transpose()
    };
    if let Some(size) = count("DATABASE_POOL_SIZE")? {
        config = config.pool_size(size);
    }
    if let Some(min) = count("DATABASE_MIN_IDLE")? {
        config = config.min_idle(min);
    }
    if let Some(lifetime) = seconds("DATABASE_MAX_LIFETIME_SECS")? {
        config = config.max_lifetime(lifetime);
    }
    if let Some(idle) = seconds("DATABASE_IDLE_TIMEOUT_SECS")? {
        config = config.idle_timeout(idle);
    }
    if let Some(ms) = number("DATABASE_WAIT_TIMEOUT_MS")? {
        config = config.wait_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = number("DATABASE_STATEMENT_TIMEOUT_MS")? {
        config = config.statement_timeout((ms > 0).then(|| Duration::from_millis(ms)));
    }
    if let Some(ms) = number("DATABASE_SLOW_STATEMENT_MS")? {
        config = config.slow_statement_threshold((ms > 0).then(|| Duration::from_millis(ms)));
    }
    let flag = |name: &str| -> Result<Option<bool>> {
        let Some(text) = var(name) else {
            return Ok(None);
        };
        match text.trim() {
            "true" | "1" | "on" | "yes" => Ok(Some(true)),
            "false" | "0" | "off" | "no" => Ok(Some(false)),
            other => Err(Error::new(
                ErrorKind::Config,
                format!("{name} must be `true` or `false`, not `{other}`"),
            )),
        }
    };
    if let Some(ping) = flag("DATABASE_PING_ON_CHECKOUT")? {
        config = config.ping_on_checkout(ping);
    }
    if let Some(on) = flag("DATABASE_PIPELINING")? {
        config = config.pipelining(on);
    }
    Ok(config)
}

/// `timeout` in whole milliseconds, rounded up so that a tiny non-zero timeout never turns into
/// `0` (which PostgreSQL reads as "no timeout"), and at most `i32::MAX`.
fn timeout_ms(timeout: Duration) -> u32 {
    let mut millis = timeout.as_millis();
    if !timeout.subsec_nanos().is_multiple_of(1_000_000) {
        millis += 1;
    }
    u32::try_from(millis.clamp(1, i32::MAX as u128)).unwrap_or(i32::MAX as u32)
}

/// Takes the pooler parameter (`prepared_statements=true|false`, or `pgbouncer=true|false`, its
/// inverse) out of a URL's query string, which the driver would refuse as unknown. Key/value
/// strings and URLs without it are returned unchanged.
fn pooler_param(url: &str) -> Result<(String, Option<bool>)> {
    let Some((base, query)) = url.split_once('?').filter(|_| url.contains("://")) else {
        return Ok((url.to_owned(), None));
    };
    let mut prepared = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let inverted = match key {
            "prepared_statements" => false,
            "pgbouncer" => true,
            _ => {
                kept.push(pair);
                continue;
            }
        };
        let flag = match value {
            "true" | "1" | "on" | "yes" => true,
            "false" | "0" | "off" | "no" => false,
            _ => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("invalid database URL: `{key}` must be `true` or `false`"),
                ));
            }
        };
        prepared = Some(flag != inverted);
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, prepared))
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<String> = self
            .pg
            .get_hosts()
            .iter()
            .map(|host| match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        f.debug_struct("Config")
            .field("hosts", &hosts)
            .field("ports", &self.pg.get_ports())
            .field("user", &self.pg.get_user())
            .field("password", &self.pg.get_password().map(|_| "***"))
            .field("dbname", &self.pg.get_dbname())
            .field("application_name", &self.pg.get_application_name())
            .field("pool_size", &self.pool_size)
            .field("wait_timeout", &self.wait_timeout)
            .field("create_timeout", &self.create_timeout)
            .field("recycle_timeout", &self.recycle_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("tls", &self.tls)
            .field("prepared_statements", &self.prepared_statements)
            .field("direct_url", &self.direct.as_ref().map(|_| "***"))
            .field("min_idle", &self.min_idle)
            .field("max_lifetime", &self.max_lifetime)
            .field("idle_timeout", &self.idle_timeout)
            .field("ping_on_checkout", &self.ping_on_checkout)
            .field("pipelining", &self.pipelining)
            .field("slow_statement_threshold", &self.slow_statement)
            .field(
                "password_provider",
                &self.password_provider.as_ref().map(|_| "***"),
            )
            .field(
                "replicas",
                &self.replicas.iter().map(Config::target).collect::<Vec<_>>(),
            )
            .field("read_consistency", &self.read_consistency)
            .finish()
    }
}

/// Hides credentials in `text`: `scheme://user:password@` becomes `scheme://user:***@` and a
/// libpq `password=value` (quoted or not) becomes `password=***`.
///
/// Errs on the side of hiding too much: like the URL parser, it takes everything between `://`
/// and the first `@` as the credential part, so a password containing `/`, `?` or `:` is still
/// hidden in full.
pub(crate) fn redact(text: &str) -> String {
    redact_key_value(&redact_urls(text))
}

fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        // A URL never contains raw whitespace, so the credential part ends before it.
        let url_end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        match tail[..url_end].find('@') {
            Some(at) => {
                let userinfo = &tail[..at];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..colon]);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                rest = &tail[at..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

fn redact_key_value(text: &str) -> String {
    const KEY: &str = "password";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(KEY) {
        let (head, tail) = rest.split_at(pos + KEY.len());
        out.push_str(head);
        let after_key = tail.trim_start();
        let Some(after_eq) = after_key.strip_prefix('=') else {
            rest = tail;
            continue;
        };
        let value = after_eq.trim_start();
        out.push_str("=***");
        rest = skip_value(value);
    }
    out.push_str(rest);
    out
}

/// The text after a libpq value: a `'quoted'` value with `\` escapes, or a run of non-space.
fn skip_value(value: &str) -> &str {
    if let Some(quoted) = value.strip_prefix('\'') {
        let mut escaped = false;
        for (i, c) in quoted.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\'' => return &quoted[i + 1..],
                _ => {}
            }
        }
        ""
    } else {
        let end = value.find(char::is_whitespace).unwrap_or(value.len());
        &value[end..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

    #[test]
    fn redacts_url_credentials() {
        assert_eq!(
            redact("cannot reach postgres://app:hunter2@db:5432/x now"),
            "cannot reach postgres://app:***@db:5432/x now"
        );
        assert_eq!(
            redact("postgresql://app:p/w?x@db/x and postgres://u:v@h"),
            "postgresql://app:***@db/x and postgres://u:***@h"
        );
        assert_eq!(redact("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact("postgres://db/x"), "postgres://db/x");
        assert_eq!(redact("no url here"), "no url here");
    }

    #[test]
    fn redacts_key_value_passwords() {
        assert_eq!(
            redact("host=db password=hunter2 user=app"),
            "host=db password=*** user=app"
        );
        assert_eq!(
            redact("password = 'a \\' b' dbname=x"),
            "password=*** dbname=x"
        );
        assert_eq!(
            redact("password authentication failed for user \"app\""),
            "password authentication failed for user \"app\""
        );
    }

    #[test]
    fn malformed_url_never_shows_password() {
        for url in [
            "postgres://app:hunter2@db:notaport/x",
            "postgres://app:hunter2@[db/x",
            "postgres://app:hunter2@db/x?sslmode=bogus",
            "postgres://app:hunter2@db/x?nonsense=1",
        ] {
            let err = Config::from_url(url).err();
            let Some(err) = err else {
                unreachable!("{url} should not parse");
            };
            assert_eq!(err.kind(), ErrorKind::Config);
            assert!(!err.to_string().contains("hunter2"), "{err}");
            assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
        }
    }

    #[test]
    fn debug_hides_password() -> Result<()> {
        let config = Config::from_url("postgres://app:hunter2@db:6543/x")?;
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("password: Some(\"***\")"), "{shown}");
        assert!(shown.contains("6543"), "{shown}");
        let other = config.with_dbname("y");
        assert_eq!(other.dbname(), Some("y"));
        assert_eq!(other.pg().get_password(), Some(&b"hunter2"[..]));
        assert_eq!(other.target(), "db:6543/y");
        Ok(())
    }

    #[test]
    fn tls_parameters_are_taken_out_of_urls() -> Result<()> {
        let (rest, taken) = split_tls_params(
            "postgres://u:p?w@h:5/db?application_name=a&sslmode=verify-full\
             &sslrootcert=%2Fetc%2Fca%20dir%2Fca.pem&connect_timeout=3&sslkey=k.pem",
        )?;
        assert_eq!(
            rest,
            "postgres://u:p?w@h:5/db?application_name=a&connect_timeout=3"
        );
        let expected = [
            ("sslmode", "verify-full"),
            ("sslrootcert", "/etc/ca dir/ca.pem"),
            ("sslkey", "k.pem"),
        ];
        let taken: Vec<(&str, &str)> = taken
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(taken, expected);
        let (rest, taken) = split_tls_params("postgres://h/db?sslmode=require")?;
        assert_eq!((rest.as_str(), taken.len()), ("postgres://h/db", 1));
        let (rest, taken) = split_tls_params("postgresql://h/db")?;
        assert_eq!((rest.as_str(), taken.len()), ("postgresql://h/db", 0));
        Ok(())
    }

    #[cfg(feature = "tls")]
    #[test]
    fn tls_parameters_are_taken_out_of_key_value_strings() -> Result<()> {
        let (rest, taken) = split_tls_params(
            "host=h  sslmode = verify-ca sslrootcert='/a b/it\\'s.pem' password='x y' \
             sslcert=c\\ d.pem dbname=x",
        )?;
        assert_eq!(rest, "host=h password='x y' dbname=x");
        let taken: Vec<(&str, &str)> = taken
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            taken,
            [
                ("sslmode", "verify-ca"),
                ("sslrootcert", "/a b/it's.pem"),
                ("sslcert", "c d.pem")
            ]
        );
        let config = Config::from_url("host=h user=u sslmode=verify-full sslrootcert=system")?;
        assert_eq!(config.get_ssl_mode(), SslMode::VerifyFull);
        assert_eq!(config.pg().get_user(), Some("u"));
        Ok(())
    }

    #[cfg(feature = "tls")]
    #[test]
    fn sslmode_is_read_from_the_url_and_the_builder() -> Result<()> {
        let url = "postgres://u@h/db?sslmode=verify-ca&sslrootcert=ca.pem&application_name=x";
        let config = Config::from_url(url)?;
        assert_eq!(config.get_ssl_mode(), SslMode::VerifyCa);
        assert_eq!(config.pg().get_application_name(), Some("x"));
        assert_eq!(
            Config::from_url("postgres://h/db")?.get_ssl_mode(),
            SslMode::Prefer
        );
        let config = Config::from_url("postgres://h/db")?
            .ssl_mode(SslMode::Disable)
            .ssl_key_pem("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n");
        assert_eq!(config.get_ssl_mode(), SslMode::Disable);
        let shown = format!("{config:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("sslmode: Disable"), "{shown}");
        for bad in [
            "postgres://u:hunter2@h/db?sslmode=verify_full",
            "postgres://u:hunter2@h/db?sslmode=allow",
            "host=h password=hunter2 sslmode=VERIFY-FULL",
            "postgres://u:hunter2@h/db?sslrootcert=system&sslmode=prefer",
        ] {
            let Err(err) = Config::from_url(bad) else {
                unreachable!("{bad} should not parse");
            };
            assert_eq!(err.kind(), ErrorKind::Config, "{bad}");
            assert!(err.to_string().contains("sslmode"), "{err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        Ok(())
    }

    #[test]
    fn from_env_without_database_url_is_an_error() {
        // Only this test touches the variable, and it only reads it.
        if std::env::var_os("DATABASE_URL").is_some() {
            return;
        }
        let err = Config::from_env().err();
        assert_eq!(err.as_ref().map(Error::kind), Some(ErrorKind::Config));
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("DATABASE_URL is not set"), "{message}");
    }

    #[test]
    fn statement_timeout_is_appended_to_url_options() -> Result<()> {
        let config = Config::from_url("postgres://u@h/x?options=-c%20search_path%3Dapp")?
            .statement_timeout(Some(Duration::from_micros(1500)));
        assert_eq!(
            config.pg().get_options(),
            Some("-c search_path=app -c statement_timeout=2")
        );
        let config = config.statement_timeout(None);
        assert_eq!(config.pg().get_options(), Some("-c search_path=app"));
        let defaults = Config::from_url("postgres://u@h/x")?;
        assert_eq!(defaults.get_pool_size(), 16);
        assert_eq!(defaults.get_wait_timeout(), Duration::from_secs(5));
        assert_eq!(defaults.get_statement_timeout(), None);
        Ok(())
    }

    #[test]
    fn pooler_parameter_is_taken_out_of_the_url() -> Result<()> {
        let config =
            Config::from_url("postgres://u:pw@h:6432/x?pgbouncer=true&application_name=a")?;
        assert!(!config.get_prepared_statements());
        assert_eq!(config.pg().get_application_name(), Some("a"));
        let config = Config::from_url("postgres://u@h/x?prepared_statements=false")?;
        assert!(!config.get_prepared_statements());
        let config = Config::from_url("postgres://u@h/x?prepared_statements=true")?;
        assert!(config.get_prepared_statements());
        assert!(Config::from_url("postgres://u@h/x")?.get_prepared_statements());
        let err = Config::from_url("postgres://u:hunter2@h/x?pgbouncer=maybe").err();
        assert_eq!(err.as_ref().map(Error::kind), Some(ErrorKind::Config));
        assert!(!format!("{err:?}").contains("hunter2"));
        assert_eq!(
            pooler_param("host=h prepared_statements=false")?,
            ("host=h prepared_statements=false".to_owned(), None)
        );
        Ok(())
    }

    #[test]
    fn pooler_mode_sends_no_startup_options() -> Result<()> {
        let config = Config::from_url("postgres://u@h/x?pgbouncer=true")?
            .statement_timeout(Some(Duration::from_secs(1)));
        assert_eq!(config.pg().get_options(), None);
        assert_eq!(config.statement_timeout_ms(), Some(1000));
        let config = config.prepared_statements(true);
        assert_eq!(config.pg().get_options(), Some("-c statement_timeout=1000"));
        Ok(())
    }

    #[test]
    fn migrations_need_a_direct_url_behind_a_pooler() -> Result<()> {
        let pooled = Config::from_url("postgres://u@pgbouncer:6432/x?pgbouncer=true")?;
        let err = pooled.session_config("migrate").err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Config));
        let direct = pooled
            .clone()
            .direct_url("postgres://u:hunter2@db:5432/x")?
            .application_name("app");
        assert!(!format!("{direct:?}").contains("hunter2"));
        let session = direct.with_dbname("y").session_config("migrate")?.pg();
        assert_eq!(session.get_ports(), &[5432]);
        assert_eq!(session.get_dbname(), Some("y"));
        assert_eq!(session.get_application_name(), Some("app"));
        let from_env = from_env_vars(pooled, |name| {
            (name == "DATABASE_DIRECT_URL").then(|| "postgres://u@db:5433/x".to_owned())
        })?;
        assert_eq!(
            from_env.session_config("migrate")?.pg().get_ports(),
            &[5433]
        );
        Ok(())
    }

    #[test]
    fn pool_lifecycle_settings_come_from_the_environment() -> Result<()> {
        let vars = |name: &str| {
            match name {
                "DATABASE_POOL_SIZE" => Some("12"),
                "DATABASE_MIN_IDLE" => Some("5"),
                "DATABASE_MAX_LIFETIME_SECS" => Some("86400"),
                "DATABASE_IDLE_TIMEOUT_SECS" => Some("120"),
                "DATABASE_PING_ON_CHECKOUT" => Some("true"),
                "DATABASE_PIPELINING" => Some("off"),
                "DATABASE_WAIT_TIMEOUT_MS" => Some("250"),
                "DATABASE_STATEMENT_TIMEOUT_MS" => Some("0"),
                _ => None,
            }
            .map(str::to_owned)
        };
        let config = from_env_vars(Config::from_url(DEFAULT_URL)?, vars)?;
        assert_eq!(config.get_pool_size(), 12);
        assert_eq!(config.get_min_idle(), 5);
        assert_eq!(config.get_max_lifetime(), Some(Duration::from_secs(86_400)));
        assert_eq!(config.get_idle_timeout(), Some(Duration::from_secs(120)));
        assert!(config.get_ping_on_checkout());
        assert!(!config.get_pipelining());
        assert_eq!(config.get_wait_timeout(), Duration::from_millis(250));
        assert_eq!(config.get_statement_timeout(), None);
        let bad = from_env_vars(Config::from_url(DEFAULT_URL)?, |name| {
            (name == "DATABASE_MIN_IDLE").then(|| "five".to_owned())
        });
        assert_eq!(bad.err().map(|e| e.kind()), Some(ErrorKind::Config));
        let defaults = Config::from_url(DEFAULT_URL)?;
        assert_eq!(defaults.get_min_idle(), 0);
        assert_eq!(defaults.get_max_lifetime(), None);
        assert!(!defaults.get_ping_on_checkout());
        assert!(defaults.get_pipelining());
        Ok(())
    }
}
