//! Connection and pool configuration.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::config::Host;

use crate::tls::{Pem, Roots, SslMode, TLS_PARAMS, TlsSettings};
use crate::{Error, ErrorKind, Result};

const DEFAULT_POOL_SIZE: usize = 16;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

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
    pg: tokio_postgres::Config,
    /// The `options` given in the URL, kept apart so the statement timeout can be re-rendered.
    url_options: Option<String>,
    pool_size: usize,
    wait_timeout: Duration,
    create_timeout: Duration,
    recycle_timeout: Duration,
    statement_timeout: Option<Duration>,
    tls: TlsSettings,
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
    pub fn from_url(url: &str) -> Result<Config> {
        let (rest, params) = split_tls_params(url)?;
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
            url_options: pg.get_options().map(str::to_owned),
            pg,
            pool_size: DEFAULT_POOL_SIZE,
            wait_timeout: DEFAULT_TIMEOUT,
            create_timeout: DEFAULT_TIMEOUT,
            recycle_timeout: DEFAULT_TIMEOUT,
            statement_timeout: None,
        })
    }

    /// Reads `DATABASE_URL`.
    ///
    /// There is no fallback: a service that forgot its URL must not quietly talk to whatever
    /// listens on localhost.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the variable is unset or empty, not valid Unicode or not a
    /// valid URL.
    pub fn from_env() -> Result<Config> {
        match std::env::var("DATABASE_URL") {
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

    /// The driver configuration, before [`crate::tls::prepare`] sets its `sslmode`.
    pub(crate) fn pg(&self) -> &tokio_postgres::Config {
        &self.pg
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
            .field("tls", &self.tls)
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
}
