//! Connection and pool configuration.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres::config::Host;

use crate::{Error, ErrorKind, Result};

/// The URL used by [`Config::from_env`] when `DATABASE_URL` is not set.
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

const DEFAULT_POOL_SIZE: usize = 16;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where and how to connect, and how large the pool is.
///
/// Built from a URL ([`Config::from_url`]) or from `DATABASE_URL` ([`Config::from_env`]), then
/// adjusted with the builder methods. Every timeout has a finite default, unlike the pool's own
/// defaults which wait forever.
///
/// Neither `Debug` nor any error built from a `Config` shows the password.
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
    /// `false`: pooler mode (unnamed, explicitly typed statements; no startup options).
    prepared_statements: bool,
    /// A connection that bypasses the pooler, for migrations and template building.
    direct: Option<tokio_postgres::Config>,
    min_idle: usize,
    max_lifetime: Option<Duration>,
    idle_timeout: Option<Duration>,
    ping_on_checkout: bool,
    slow_statement: Option<Duration>,
}

impl Config {
    /// Parses a connection URL (`postgres://user:password@host:port/dbname?param=value`) or a
    /// libpq key/value string (`host=… user=… dbname=…`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the text cannot be parsed; the message never repeats the
    /// password.
    ///
    /// Besides libpq's parameters, a URL may say `prepared_statements=false` (or
    /// `pgbouncer=true`): see [`Config::prepared_statements`]. That parameter is taken out before
    /// the rest is parsed.
    pub fn from_url(url: &str) -> Result<Config> {
        let (url, prepared_statements) = pooler_param(url)?;
        let pg = tokio_postgres::Config::from_str(&url).map_err(|err| {
            let message = format!("invalid database URL: {}", redact(&err.to_string()));
            Error::new(ErrorKind::Config, message).with_source(err)
        })?;
        Ok(Config {
            prepared_statements: prepared_statements.unwrap_or(true),
            direct: None,
            min_idle: 0,
            max_lifetime: None,
            idle_timeout: None,
            ping_on_checkout: false,
            slow_statement: None,
            pg,
            pool_size: DEFAULT_POOL_SIZE,
            wait_timeout: DEFAULT_TIMEOUT,
            create_timeout: DEFAULT_TIMEOUT,
            recycle_timeout: DEFAULT_TIMEOUT,
            statement_timeout: None,
        })
    }

    /// Reads `DATABASE_URL`, falling back to `postgres://postgres@127.0.0.1:5432/postgres` when it
    /// is unset or empty, then these optional variables (unset or empty: the default stays):
    ///
    /// | variable | sets |
    /// |---|---|
    /// | `DATABASE_DIRECT_URL` | [`Config::direct_url`] |
    /// | `DATABASE_POOL_SIZE` | [`Config::pool_size`] |
    /// | `DATABASE_MIN_IDLE` | [`Config::min_idle`] |
    /// | `DATABASE_MAX_LIFETIME_SECS` | [`Config::max_lifetime`] (`0`: none) |
    /// | `DATABASE_IDLE_TIMEOUT_SECS` | [`Config::idle_timeout`] (`0`: none) |
    /// | `DATABASE_PING_ON_CHECKOUT` | [`Config::ping_on_checkout`] (`true` / `false`) |
    /// | `DATABASE_WAIT_TIMEOUT_MS` | [`Config::wait_timeout`] |
    /// | `DATABASE_STATEMENT_TIMEOUT_MS` | [`Config::statement_timeout`] (`0`: none) |
    /// | `DATABASE_SLOW_STATEMENT_MS` | [`Config::slow_statement_threshold`] (`0`: none) |
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when `DATABASE_URL` is not valid Unicode or not a valid URL, or
    /// another variable does not hold what its setting needs.
    pub fn from_env() -> Result<Config> {
        let config = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Config::from_url(&url),
            Ok(_) | Err(std::env::VarError::NotPresent) => Config::from_url(DEFAULT_URL),
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
        let (url, _) = pooler_param(url)?;
        let direct = tokio_postgres::Config::from_str(&url).map_err(|err| {
            let message = format!("invalid direct database URL: {}", redact(&err.to_string()));
            Error::new(ErrorKind::Config, message).with_source(err)
        })?;
        self.direct = Some(direct);
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
    /// let config = buster_db::Config::from_env()?
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
    /// handed out, instead of only those idle for 30 s or more (default `false`). A failed ping
    /// drops the connection and the checkout takes or opens another one.
    pub fn ping_on_checkout(mut self, ping: bool) -> Config {
        self.ping_on_checkout = ping;
        self
    }

    /// Logs every statement that takes `threshold` or longer at `warn` level (target
    /// `buster_db::slow`), with its SQL text, operation, table and duration, never its bound
    /// values (default `None`: no such log).
    pub fn slow_statement_threshold(mut self, threshold: Option<Duration>) -> Config {
        self.slow_statement = threshold;
        self
    }

    /// Sets the `application_name` reported in `pg_stat_activity` and server logs.
    pub fn application_name(mut self, name: &str) -> Config {
        self.pg.application_name(name);
        self
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
            direct.dbname(name);
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

    /// The driver configuration the pool connects with: the URL's, plus the statement timeout
    /// as a startup option outside pooler mode.
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
    pub(crate) fn session_pg(&self, purpose: &str) -> Result<tokio_postgres::Config> {
        match &self.direct {
            Some(direct) => {
                let mut direct = direct.clone();
                if let Some(name) = self.pg.get_application_name() {
                    direct.application_name(name);
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
            None => Ok(self.pg()),
        }
    }

    /// The statement timeout in whole milliseconds (rounded up, at least 1).
    pub(crate) fn statement_timeout_ms(&self) -> Option<u32> {
        self.statement_timeout.map(timeout_ms)
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
    if let Some(ping) = var("DATABASE_PING_ON_CHECKOUT") {
        let ping = match ping.trim() {
            "true" | "1" | "on" | "yes" => true,
            "false" | "0" | "off" | "no" => false,
            other => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("DATABASE_PING_ON_CHECKOUT must be `true` or `false`, not `{other}`"),
                ));
            }
        };
        config = config.ping_on_checkout(ping);
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
            .field("prepared_statements", &self.prepared_statements)
            .field("direct_url", &self.direct.as_ref().map(|_| "***"))
            .field("min_idle", &self.min_idle)
            .field("max_lifetime", &self.max_lifetime)
            .field("idle_timeout", &self.idle_timeout)
            .field("ping_on_checkout", &self.ping_on_checkout)
            .field("slow_statement_threshold", &self.slow_statement)
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
        let err = pooled.session_pg("migrate").err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Config));
        let direct = pooled
            .clone()
            .direct_url("postgres://u:hunter2@db:5432/x")?
            .application_name("app");
        assert!(!format!("{direct:?}").contains("hunter2"));
        let session = direct.with_dbname("y").session_pg("migrate")?;
        assert_eq!(session.get_ports(), &[5432]);
        assert_eq!(session.get_dbname(), Some("y"));
        assert_eq!(session.get_application_name(), Some("app"));
        let from_env = from_env_vars(pooled, |name| {
            (name == "DATABASE_DIRECT_URL").then(|| "postgres://u@db:5433/x".to_owned())
        })?;
        assert_eq!(from_env.session_pg("migrate")?.get_ports(), &[5433]);
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
        Ok(())
    }
}
