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
    pg: tokio_postgres::Config,
    /// The `options` given in the URL, kept apart so the statement timeout can be re-rendered.
    url_options: Option<String>,
    pool_size: usize,
    wait_timeout: Duration,
    create_timeout: Duration,
    recycle_timeout: Duration,
    statement_timeout: Option<Duration>,
}

impl Config {
    /// Parses a connection URL (`postgres://user:password@host:port/dbname?param=value`) or a
    /// libpq key/value string (`host=… user=… dbname=…`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the text cannot be parsed; the message never repeats the
    /// password.
    pub fn from_url(url: &str) -> Result<Config> {
        let pg = tokio_postgres::Config::from_str(url).map_err(|err| {
            let message = format!("invalid database URL: {}", redact(&err.to_string()));
            Error::new(ErrorKind::Config, message).with_source(err)
        })?;
        Ok(Config {
            url_options: pg.get_options().map(str::to_owned),
            pg,
            pool_size: DEFAULT_POOL_SIZE,
            wait_timeout: DEFAULT_TIMEOUT,
            create_timeout: DEFAULT_TIMEOUT,
            recycle_timeout: DEFAULT_TIMEOUT,
            statement_timeout: None,
        })
    }

    /// Reads `DATABASE_URL`, falling back to `postgres://postgres@127.0.0.1:5432/postgres` when it
    /// is unset or empty.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the variable is not valid Unicode or not a valid URL.
    pub fn from_env() -> Result<Config> {
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Config::from_url(&url),
            Ok(_) | Err(std::env::VarError::NotPresent) => Config::from_url(DEFAULT_URL),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::new(
                ErrorKind::Config,
                "DATABASE_URL is not valid Unicode",
            )),
        }
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
    pub fn statement_timeout(mut self, timeout: Option<Duration>) -> Config {
        self.statement_timeout = timeout;
        let options = render_options(self.url_options.as_deref(), timeout);
        self.pg.options(options);
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
        config
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

    /// The driver configuration the pool connects with.
    pub(crate) fn pg(&self) -> &tokio_postgres::Config {
        &self.pg
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
        let mut millis = timeout.as_millis();
        if timeout.subsec_nanos() % 1_000_000 != 0 {
            millis += 1;
        }
        let millis = millis.clamp(1, i32::MAX as u128);
        if !options.is_empty() {
            options.push(' ');
        }
        options.push_str(&format!("-c statement_timeout={millis}"));
    }
    options
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
}
