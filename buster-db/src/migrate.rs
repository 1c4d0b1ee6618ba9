//! Embedded, checksummed migrations, applied in version order under an advisory lock.
//!
//! A crate embeds its `migrations/` folder (`NNNN_name.sql` files) at compile time with
//! [`embed_migrations!`](crate::embed_migrations), which yields a `&'static [Migration]`;
//! [`migrate`] applies the pending ones:
//!
//! - everything runs on one dedicated session holding `pg_advisory_lock`, so two processes that
//!   start at the same time cannot both apply a migration; the lock is released at the end, on
//!   error too (and by the server when the session ends);
//! - each pending migration runs in its own transaction together with its row in the
//!   `buster_db_migrations` bookkeeping table, so a failed migration leaves no trace;
//! - an applied migration whose file changed since is refused before anything is applied: the
//!   history is append-only, a change is a new migration;
//! - a pending migration older than the newest applied one is refused too, so every database
//!   goes through the same history in the same order;
//! - running it again applies nothing.
//!
//! Statements that cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`,
//! `ALTER TYPE .. ADD VALUE` in a transaction that then uses the label) go into a file whose
//! first lines hold the header `-- buster-db: no-transaction` ([`NO_TRANSACTION`]). Its
//! statements run one at a time outside a transaction, still under the lock, and its row is
//! written once all succeeded. When one fails, the ones before it stay applied, so the file is
//! recorded as [`MigrationState::Failed`] with the error: the next [`migrate`] runs the whole
//! file again, so write its statements to be repeatable (`IF NOT EXISTS`), or undo what was
//! done by hand first.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;
use tokio_postgres::Client;

use crate::{Config, Db, Error, ErrorKind, Result};

/// One embedded migration file, `NNNN_name.sql`.
///
/// Built by `embed_migrations!`; a hand-written list works too as long as versions are strictly
/// increasing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The number before the first `_` of the file name.
    pub version: i64,
    /// The rest of the file name, without `.sql`.
    pub name: &'static str,
    /// The file's SQL, run with the simple query protocol (several statements allowed).
    pub sql: &'static str,
}

/// The header line that makes a migration run outside a transaction.
pub const NO_TRANSACTION: &str = "-- buster-db: no-transaction";

impl Migration {
    /// Whether the file runs in a transaction: unless one of the comment lines it starts with
    /// is [`NO_TRANSACTION`].
    ///
    /// ```
    /// use buster_db::migrate::Migration;
    /// let sql = "-- buster-db: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n";
    /// let m = Migration { version: 2, name: "index", sql };
    /// assert!(!m.runs_in_transaction());
    /// assert!(Migration { sql: "CREATE TABLE t (a int);", ..m }.runs_in_transaction());
    /// ```
    pub fn runs_in_transaction(&self) -> bool {
        !self
            .sql
            .lines()
            .map(str::trim)
            .take_while(|line| line.is_empty() || line.starts_with("--"))
            .any(|line| line == NO_TRANSACTION)
    }

    /// The lowercase hex SHA-256 of the SQL, with `\r\n` read as `\n` so that a checkout with
    /// Windows line endings does not look edited.
    ///
    /// ```
    /// use buster_db::migrate::Migration;
    /// let m = Migration { version: 1, name: "users", sql: "SELECT 1;\n" };
    /// let crlf = Migration { sql: "SELECT 1;\r\n", ..m };
    /// assert_eq!(m.checksum().len(), 64);
    /// assert_eq!(m.checksum(), crlf.checksum());
    /// ```
    pub fn checksum(&self) -> String {
        let mut hasher = Sha256::new();
        for (i, line) in self.sql.split("\r\n").enumerate() {
            if i > 0 {
                hasher.update(b"\n");
            }
            hasher.update(line.as_bytes());
        }
        hex(&hasher.finalize())
    }

    /// The file name the migration was read from, e.g. `0001_users.sql` (versions are shown
    /// with at least four digits).
    pub fn file_name(&self) -> String {
        format!("{:04}_{}.sql", self.version, self.name)
    }
}

/// What a [`migrate`] run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The migrations applied by this run, in order.
    pub applied: Vec<Applied>,
    /// How many migrations of the set were already applied before this run.
    pub already_applied: usize,
}

/// One migration applied by a [`migrate`] run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    /// Its version.
    pub version: i64,
    /// Its name.
    pub name: &'static str,
    /// How long its SQL and bookkeeping took.
    pub duration: Duration,
}

/// The state of one migration version, as reported by [`status`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationStatus {
    /// The version.
    pub version: i64,
    /// The file's name part, or the recorded name for a version unknown to the set.
    pub name: String,
    /// Applied, pending, edited or unknown.
    pub state: MigrationState,
    /// When it was applied, if it was.
    pub applied_at: Option<DateTime<Utc>>,
}

/// See [`MigrationStatus::state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MigrationState {
    /// Applied, and the file is unchanged since.
    Applied,
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since: [`migrate`] refuses to run.
    Edited,
    /// Recorded as applied, but not in the set (applied by a newer build, or a deleted file).
    UnknownApplied,
    /// A migration run outside a transaction failed part-way: the statements before the
    /// failing one stay applied. The next [`migrate`] runs the file again.
    Failed,
}

impl fmt::Display for MigrationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MigrationState::Applied => "applied",
            MigrationState::Pending => "pending",
            MigrationState::Edited => "edited",
            MigrationState::UnknownApplied => "unknown",
            MigrationState::Failed => "failed",
        })
    }
}

/// Applies the pending migrations of `migrations` (see the [module docs](self) for the rules).
///
/// ```no_run
/// // `tests/migrations/` of this crate; an application names its own `migrations/` folder.
/// static MIGRATIONS: &[buster_db::migrate::Migration] =
///     buster_db::embed_migrations!("tests/migrations");
///
/// # async fn run() -> buster_db::Result<()> {
/// let db = buster_db::Db::connect(buster_db::Config::from_env()?).await?;
/// let report = buster_db::migrate::migrate(&db, MIGRATIONS).await?;
/// println!("{} applied", report.applied.len());
/// # Ok(()) }
/// ```
pub async fn migrate(db: &Db, migrations: &[Migration]) -> Result<Report> {
    let mut session = Session::open(&db.config().session_config("migrate")?).await?;
    let report = apply(&mut session.client, migrations).await;
    session.close().await;
    report
}

/// Compares `migrations` with what the database recorded, without changing anything.
///
/// The result is sorted by version and also lists applied versions the set does not know.
pub async fn status(db: &Db, migrations: &[Migration]) -> Result<Vec<MigrationStatus>> {
    let session = Session::open(&db.config().session_config("migrate::status")?).await?;
    let result = status_on(&session.client, migrations).await;
    session.close().await;
    result
}

/// Refuses to migrate a standby: its own error (`cannot execute CREATE TABLE in a read-only
/// transaction`) would not say what to do.
async fn refuse_standby(client: &Client) -> Result<()> {
    let row = client
        .query_one("SELECT pg_is_in_recovery()", &[])
        .await
        .map_err(Error::from_pg)?;
    let in_recovery: bool = row.try_get(0).map_err(Error::from_pg)?;
    if in_recovery {
        return Err(Error::new(
            crate::ErrorKind::ReadOnly,
            "the server is a standby (in recovery) and accepts no schema change: run the \
             migrations against the primary (`Config::direct_url` when the pool's URL leads \
             elsewhere)",
        ));
    }
    Ok(())
}

/// The advisory lock key of migration runs ("busterdb" in ASCII). Advisory locks are scoped to
/// the current database, so runs on different databases do not wait for each other.
const LOCK_KEY: i64 = 0x6275_7374_6572_6462;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS buster_db_migrations (
    version bigint PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    execution_ms bigint NOT NULL
);
ALTER TABLE buster_db_migrations ADD COLUMN IF NOT EXISTS failure text";

const INSERT: &str = "INSERT INTO buster_db_migrations (version, name, checksum, execution_ms) \
                      VALUES ($1, $2, $3, $4)";

const RECORD: &str = "INSERT INTO buster_db_migrations \
                      (version, name, checksum, execution_ms, failure) VALUES ($1, $2, $3, $4, $5)";

/// A dedicated connection outside the pool: a session-level advisory lock must not travel back
/// into the pool with a connection, and a template database must see no session at all once its
/// owner is done.
pub(crate) struct Session {
    pub(crate) client: Client,
    driver: JoinHandle<()>,
}

impl Session {
    /// Connects as the pool would (same TLS), but on a connection of its own.
    pub(crate) async fn open(config: &Config) -> Result<Session> {
        let connector = crate::connect::Connector::new(config)?;
        let timeout = config.get_create_timeout();
        match tokio::time::timeout(timeout, connector.open()).await {
            Ok(opened) => opened.map(|(client, driver)| Session { client, driver }),
            Err(_) => Err(Error::new(
                crate::ErrorKind::Connection,
                format!(
                    "timed out after {timeout:?} connecting to {}",
                    config.target()
                ),
            )),
        }
    }

    /// Ends the session and waits until the socket is closed.
    pub(crate) async fn close(self) {
        drop(self.client);
        let _ = self.driver.await;
    }
}

/// Applies the pending migrations on `client`, holding the migration lock meanwhile.
///
/// The session's `statement_timeout` is lifted first: a long migration, or a wait for another
/// process's run, must not be cancelled by the timeout meant for application queries.
pub(crate) async fn apply(client: &mut Client, migrations: &[Migration]) -> Result<Report> {
    check_order(migrations)?;
    refuse_standby(client).await?;
    client
        .batch_execute("SET statement_timeout = 0")
        .await
        .map_err(Error::from_pg)?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(Error::from_pg)?;
    let result = apply_locked(client, migrations).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await;
    let report = result?;
    unlocked.map_err(Error::from_pg)?;
    Ok(report)
}

async fn apply_locked(client: &mut Client, migrations: &[Migration]) -> Result<Report> {
    client
        .batch_execute(CREATE_TABLE)
        .await
        .map_err(Error::from_pg)?;
    // A migration that failed part-way outside a transaction is to be run again, not applied.
    let mut recorded = recorded(client).await?;
    recorded.retain(|_, r| r.failure.is_none());

    let edited: Vec<String> = migrations
        .iter()
        .filter_map(|m| {
            let row = recorded.get(&m.version)?;
            let checksum = m.checksum();
            (row.checksum != checksum).then(|| {
                format!(
                    "`{}` (version {}): recorded checksum {}, file now {}",
                    m.file_name(),
                    m.version,
                    short(&row.checksum),
                    short(&checksum)
                )
            })
        })
        .collect();
    if !edited.is_empty() {
        return Err(Error::new(
            ErrorKind::Migration,
            format!(
                "refusing to migrate: applied migrations were edited since, restore them and add \
                 a new migration instead: {}",
                edited.join("; ")
            ),
        ));
    }

    let pending: Vec<&Migration> = migrations
        .iter()
        .filter(|m| !recorded.contains_key(&m.version))
        .collect();
    if let (Some(first), Some((&newest, _))) = (pending.first(), recorded.last_key_value())
        && first.version < newest
    {
        return Err(Error::new(
            ErrorKind::Migration,
            format!(
                "refusing to migrate: `{}` (version {}) is pending but version {newest} is \
                 already applied; give it a version above {newest}",
                first.file_name(),
                first.version
            ),
        ));
    }

    let mut report = Report {
        applied: Vec::with_capacity(pending.len()),
        already_applied: migrations.len() - pending.len(),
    };
    for m in pending {
        let duration = apply_one(client, m).await?;
        tracing::info!(
            version = m.version,
            name = m.name,
            ?duration,
            "applied migration"
        );
        report.applied.push(Applied {
            version: m.version,
            name: m.name,
            duration,
        });
    }
    Ok(report)
}

async fn apply_one(client: &mut Client, m: &Migration) -> Result<Duration> {
    if !m.runs_in_transaction() {
        return apply_outside_transaction(client, m).await;
    }
    let start = Instant::now();
    let tx = client.transaction().await.map_err(Error::from_pg)?;
    tx.batch_execute(m.sql)
        .await
        .map_err(|e| failed(m, Error::from_pg(e)))?;
    let duration = start.elapsed();
    let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
    tx.execute(INSERT, &[&m.version, &m.name, &m.checksum(), &ms])
        .await
        .map_err(|e| failed(m, Error::from_pg(e)))?;
    tx.commit()
        .await
        .map_err(|e| failed(m, Error::from_pg(e)))?;
    Ok(duration)
}

/// Runs a [`NO_TRANSACTION`] file statement by statement; records it as applied once all
/// succeeded, or as failed (with the error) when one did not.
async fn apply_outside_transaction(client: &mut Client, m: &Migration) -> Result<Duration> {
    let start = Instant::now();
    client
        .execute(
            "DELETE FROM buster_db_migrations WHERE version = $1 AND failure IS NOT NULL",
            &[&m.version],
        )
        .await
        .map_err(|e| failed(m, Error::from_pg(e)))?;
    let statements = split_statements(m.sql);
    let mut failure = None;
    for (i, statement) in statements.iter().enumerate() {
        if let Err(err) = client.batch_execute(statement).await {
            let err = Error::from_pg(err);
            failure = Some((
                format!(
                    "statement {} of {} failed ({err}); the {} before it stay applied",
                    i + 1,
                    statements.len(),
                    i
                ),
                err,
            ));
            break;
        }
    }
    let duration = start.elapsed();
    let ms = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
    let text = failure.as_ref().map(|(text, _)| text.clone());
    client
        .execute(RECORD, &[&m.version, &m.name, &m.checksum(), &ms, &text])
        .await
        .map_err(|e| failed(m, Error::from_pg(e)))?;
    match failure {
        None => Ok(duration),
        Some((text, err)) => Err(Error::new(
            ErrorKind::Migration,
            format!(
                "migration `{}` (version {}, outside a transaction) failed: {text}. It is \
                 recorded as failed; make its statements repeatable (IF NOT EXISTS) or undo \
                 them, then migrate again: the whole file runs again",
                m.file_name(),
                m.version
            ),
        )
        .with_source(err)),
    }
}

/// Splits SQL text into its statements at the semicolons outside quotes, dollar quotes and
/// comments; empty statements (comments only) are left out.
pub(crate) fn split_statements(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut meaningful = false;
    while i < bytes.len() {
        if let Some(end) = crate::sql::comment_end(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'\'' | b'"' => {
                let quote = bytes[i];
                meaningful = true;
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'$' => {
                meaningful = true;
                // `$tag$ … $tag$`; a `$1` parameter or an identifier's `$` has no closing `$`.
                let tag_end = sql[i + 1..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(end)
                        if bytes[end] == b'$'
                            && !sql[i + 1..end].starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        let tag = &sql[i..=end];
                        match sql[end + 1..].find(tag) {
                            Some(close) => i = end + 1 + close + tag.len(),
                            None => i = bytes.len(),
                        }
                    }
                    _ => i += 1,
                }
            }
            b';' => {
                if meaningful {
                    out.push(sql[start..=i].trim());
                }
                meaningful = false;
                i += 1;
                start = i;
            }
            c => {
                if !c.is_ascii_whitespace() {
                    meaningful = true;
                }
                i += 1;
            }
        }
    }
    if meaningful {
        out.push(sql[start..].trim());
    }
    out
}

/// A migration error naming the file, keeping the database error as its source.
pub(crate) fn failed(m: &Migration, cause: Error) -> Error {
    Error::new(
        ErrorKind::Migration,
        format!(
            "migration `{}` (version {}) failed: {cause}",
            m.file_name(),
            m.version
        ),
    )
    .with_source(cause)
}

fn check_order(migrations: &[Migration]) -> Result<()> {
    for pair in migrations.windows(2) {
        if let [a, b] = pair
            && a.version >= b.version
        {
            return Err(Error::new(
                ErrorKind::Migration,
                format!(
                    "migration versions must be unique and strictly increasing: `{}` is followed \
                     by `{}`",
                    a.file_name(),
                    b.file_name()
                ),
            ));
        }
    }
    Ok(())
}

struct Recorded {
    name: String,
    checksum: String,
    applied_at: DateTime<Utc>,
    /// Why a migration run outside a transaction failed part-way.
    failure: Option<String>,
}

async fn recorded(client: &Client) -> Result<BTreeMap<i64, Recorded>> {
    let rows = client
        .query(
            // `failure` read through the row's JSON: a table recorded before the column was
            // added (a read-only status, a standby) has none.
            "SELECT version, name, checksum, applied_at, to_jsonb(m) ->> 'failure' \
             FROM buster_db_migrations m",
            &[],
        )
        .await
        .map_err(Error::from_pg)?;
    let mut out = BTreeMap::new();
    for row in rows {
        let version: i64 = row.try_get(0).map_err(Error::from_pg)?;
        out.insert(
            version,
            Recorded {
                name: row.try_get(1).map_err(Error::from_pg)?,
                checksum: row.try_get(2).map_err(Error::from_pg)?,
                applied_at: row.try_get(3).map_err(Error::from_pg)?,
                failure: row.try_get(4).map_err(Error::from_pg)?,
            },
        );
    }
    Ok(out)
}

pub(crate) async fn status_on(
    client: &Client,
    migrations: &[Migration],
) -> Result<Vec<MigrationStatus>> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('buster_db_migrations') IS NOT NULL",
            &[],
        )
        .await
        .and_then(|row| row.try_get(0))
        .map_err(Error::from_pg)?;
    let mut recorded = if exists {
        recorded(client).await?
    } else {
        BTreeMap::new()
    };

    let mut out: Vec<MigrationStatus> = migrations
        .iter()
        .map(|m| {
            let (state, applied_at) = match recorded.remove(&m.version) {
                None => (MigrationState::Pending, None),
                Some(r) if r.failure.is_some() => (MigrationState::Failed, Some(r.applied_at)),
                Some(r) if r.checksum == m.checksum() => {
                    (MigrationState::Applied, Some(r.applied_at))
                }
                Some(r) => (MigrationState::Edited, Some(r.applied_at)),
            };
            MigrationStatus {
                version: m.version,
                name: m.name.to_owned(),
                state,
                applied_at,
            }
        })
        .collect();
    out.extend(recorded.into_iter().map(|(version, r)| MigrationStatus {
        version,
        name: r.name,
        state: MigrationState::UnknownApplied,
        applied_at: Some(r.applied_at),
    }));
    out.sort_by_key(|s| s.version);
    Ok(out)
}

fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static FIRST: Migration = Migration {
        version: 1,
        name: "first",
        sql: "CREATE TABLE first_t (id int PRIMARY KEY); INSERT INTO first_t VALUES (1);",
    };
    // Slow enough that two concurrent runs overlap.
    static SECOND: Migration = Migration {
        version: 2,
        name: "second",
        sql: "SELECT pg_sleep(0.2); CREATE TABLE second_t (id int PRIMARY KEY);",
    };

    fn admin_config() -> Result<Config> {
        Config::from_url(&crate::testing::database_url())
    }

    /// Runs `body` with the configuration of a scratch database that is dropped afterwards.
    async fn scratch<F, Fut>(tag: &str, body: F) -> Result<()>
    where
        F: FnOnce(Config) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        let admin_cfg = admin_config()?;
        let name = format!("buster_migrate_{tag}_{}", std::process::id());
        let admin = Session::open(&admin_cfg).await?;
        let drop_sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        admin.client.batch_execute(&drop_sql).await?;
        admin
            .client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        let result = body(admin_cfg.with_dbname(&name)).await;
        admin.client.batch_execute(&drop_sql).await?;
        admin.close().await;
        result
    }

    async fn versions(client: &Client) -> Result<Vec<i64>> {
        let rows = client
            .query("SELECT version FROM buster_db_migrations ORDER BY 1", &[])
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    #[tokio::test]
    async fn applies_once_then_nothing() -> Result<()> {
        scratch("once", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            let set = [FIRST, SECOND];
            let first = apply(&mut s.client, &set).await?;
            assert_eq!(first.applied.len(), 2);
            assert_eq!(first.already_applied, 0);
            let again = apply(&mut s.client, &set).await?;
            assert!(again.applied.is_empty());
            assert_eq!(again.already_applied, 2);
            assert_eq!(versions(&s.client).await?, [1, 2]);
            let n: i64 = s
                .client
                .query_one("SELECT count(*) FROM first_t", &[])
                .await?
                .get(0);
            assert_eq!(n, 1);
            let states: Vec<_> = status_on(&s.client, &set)
                .await?
                .into_iter()
                .map(|st| st.state)
                .collect();
            assert_eq!(states, [MigrationState::Applied, MigrationState::Applied]);
            s.close().await;
            Ok(())
        })
        .await
    }

    #[tokio::test]
    async fn refuses_edited_migration_before_applying_anything() -> Result<()> {
        scratch("edited", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            apply(&mut s.client, &[FIRST]).await?;
            let edited = Migration {
                sql: "CREATE TABLE first_t (id bigint PRIMARY KEY);",
                ..FIRST
            };
            let err = apply(&mut s.client, &[edited, SECOND])
                .await
                .err()
                .ok_or_else(|| Error::new(ErrorKind::Database, "edited migration accepted"))?;
            assert_eq!(err.kind(), ErrorKind::Migration);
            assert!(
                err.to_string().contains("`0001_first.sql` (version 1)"),
                "{err}"
            );
            assert_eq!(versions(&s.client).await?, [1]);
            let states: Vec<_> = status_on(&s.client, &[edited, SECOND])
                .await?
                .into_iter()
                .map(|st| st.state)
                .collect();
            assert_eq!(states, [MigrationState::Edited, MigrationState::Pending]);
            // The lock was released despite the error: another session can take it at once.
            let other = Session::open(&cfg).await?;
            let got: bool = other
                .client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY])
                .await?
                .get(0);
            assert!(got);
            other.close().await;
            s.close().await;
            Ok(())
        })
        .await
    }

    #[test]
    fn statements_split_at_semicolons_outside_quotes_and_comments() {
        let sql = "-- buster-db: no-transaction\n\
                   CREATE TABLE a (t text DEFAULT 'x;y', \"odd;name\" int); -- c;omment\n\
                   /* block; /* nested; */ still */\n\
                   CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n\
                   SELECT $1::int ; ; \n  -- only a comment;\n";
        assert_eq!(
            split_statements(sql),
            [
                "-- buster-db: no-transaction\nCREATE TABLE a (t text DEFAULT 'x;y', \"odd;name\" int);",
                "-- c;omment\n/* block; /* nested; */ still */\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
                "SELECT $1::int ;",
            ]
        );
    }

    static CONCURRENTLY: Migration = Migration {
        version: 2,
        name: "index",
        sql: "-- buster-db: no-transaction\n\
              CREATE INDEX CONCURRENTLY IF NOT EXISTS first_t_id ON first_t (id);\n\
              CREATE TABLE IF NOT EXISTS after_index (id int);\n",
    };

    #[tokio::test]
    async fn a_no_transaction_migration_runs_statement_by_statement() -> Result<()> {
        scratch("notx", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            // In a transaction the same statement is refused by the server.
            let in_tx = Migration {
                sql: "CREATE INDEX CONCURRENTLY first_t_id ON first_t (id);",
                ..CONCURRENTLY
            };
            let refused = apply(&mut s.client, &[FIRST, in_tx]).await.err();
            assert!(
                refused.as_ref().is_some_and(|e| e
                    .to_string()
                    .contains("cannot run inside a transaction block")),
                "{refused:?}"
            );
            let report = apply(&mut s.client, &[FIRST, CONCURRENTLY]).await?;
            assert_eq!(report.applied.len(), 1);
            assert_eq!(versions(&s.client).await?, [1, 2]);
            let index: Option<String> = s
                .client
                .query_one("SELECT to_regclass('first_t_id')::text", &[])
                .await?
                .get(0);
            assert_eq!(index.as_deref(), Some("first_t_id"));
            let states: Vec<_> = status_on(&s.client, &[FIRST, CONCURRENTLY])
                .await?
                .into_iter()
                .map(|st| st.state)
                .collect();
            assert_eq!(states, [MigrationState::Applied, MigrationState::Applied]);
            s.close().await;
            Ok(())
        })
        .await
    }

    #[tokio::test]
    async fn a_no_transaction_migration_that_fails_part_way_is_recorded_as_failed() -> Result<()> {
        scratch("notx_failed", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            let broken = Migration {
                sql: "-- buster-db: no-transaction\n\
                      CREATE TABLE IF NOT EXISTS part_one (id int);\n\
                      CREATE INDEX CONCURRENTLY part_two ON no_such_table (id);\n",
                ..CONCURRENTLY
            };
            let err = apply(&mut s.client, &[FIRST, broken])
                .await
                .err()
                .ok_or_else(|| Error::new(ErrorKind::Database, "the broken file was applied"))?;
            assert_eq!(err.kind(), ErrorKind::Migration);
            let shown = err.to_string();
            for needle in ["0002_index.sql", "statement 2 of 2", "recorded as failed"] {
                assert!(shown.contains(needle), "{needle:?} not in {shown}");
            }
            // The first statement stays; the file is failed, not applied.
            let part_one: Option<String> = s
                .client
                .query_one("SELECT to_regclass('part_one')::text", &[])
                .await?
                .get(0);
            assert_eq!(part_one.as_deref(), Some("part_one"));
            let states: Vec<_> = status_on(&s.client, &[FIRST, broken])
                .await?
                .into_iter()
                .map(|st| st.state)
                .collect();
            assert_eq!(states, [MigrationState::Applied, MigrationState::Failed]);
            // Fixed (and repeatable), it runs again in full and is applied.
            let fixed = Migration {
                sql: "-- buster-db: no-transaction\n\
                      CREATE TABLE IF NOT EXISTS part_one (id int);\n\
                      CREATE INDEX CONCURRENTLY IF NOT EXISTS part_two ON part_one (id);\n",
                ..CONCURRENTLY
            };
            let report = apply(&mut s.client, &[FIRST, fixed]).await?;
            assert_eq!(report.applied.len(), 1);
            let states: Vec<_> = status_on(&s.client, &[FIRST, fixed])
                .await?
                .into_iter()
                .map(|st| st.state)
                .collect();
            assert_eq!(states, [MigrationState::Applied, MigrationState::Applied]);
            s.close().await;
            Ok(())
        })
        .await
    }

    #[tokio::test]
    async fn failed_migration_leaves_no_trace() -> Result<()> {
        scratch("failed", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            let broken = Migration {
                version: 2,
                name: "broken",
                sql: "CREATE TABLE broken_t (id int); SELECT no_such_column FROM broken_t;",
            };
            let err = apply(&mut s.client, &[FIRST, broken])
                .await
                .err()
                .ok_or_else(|| Error::new(ErrorKind::Database, "broken migration accepted"))?;
            assert_eq!(err.kind(), ErrorKind::Migration);
            assert!(err.to_string().contains("`0002_broken.sql`"), "{err}");
            assert_eq!(versions(&s.client).await?, [1]);
            let exists: bool = s
                .client
                .query_one("SELECT to_regclass('broken_t') IS NOT NULL", &[])
                .await?
                .get(0);
            assert!(!exists);
            s.close().await;
            Ok(())
        })
        .await
    }

    #[tokio::test]
    async fn refuses_unordered_and_out_of_order() -> Result<()> {
        let err = check_order(&[SECOND, FIRST]).err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Migration));
        assert!(check_order(&[FIRST, FIRST]).is_err());
        scratch("order", async |cfg| {
            let mut s = Session::open(&cfg).await?;
            apply(&mut s.client, &[SECOND]).await?;
            let err = apply(&mut s.client, &[FIRST, SECOND]).await.err();
            assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Migration));
            s.close().await;
            Ok(())
        })
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_runs_apply_each_migration_once() -> Result<()> {
        scratch("race", async |cfg| {
            let mut a = Session::open(&cfg).await?;
            let mut b = Session::open(&cfg).await?;
            let set = [FIRST, SECOND];
            let (ra, rb) = tokio::join!(apply(&mut a.client, &set), apply(&mut b.client, &set));
            let (ra, rb) = (ra?, rb?);
            assert_eq!(ra.applied.len() + rb.applied.len(), 2);
            assert_eq!(versions(&a.client).await?, [1, 2]);
            a.close().await;
            b.close().await;
            Ok(())
        })
        .await
    }

    /// The engine's own test schema.
    static MIGRATIONS: &[Migration] = crate::embed_migrations!("tests/migrations");

    #[crate::test(migrations = MIGRATIONS)]
    async fn a_migrated_database_needs_nothing(db: Db) -> Result<()> {
        let report = migrate(&db, MIGRATIONS).await?;
        assert!(report.applied.is_empty());
        assert_eq!(report.already_applied, MIGRATIONS.len());
        let states: Vec<_> = status(&db, MIGRATIONS)
            .await?
            .into_iter()
            .map(|s| s.state)
            .collect();
        assert!(states.iter().all(|s| *s == MigrationState::Applied));
        assert_eq!(states.len(), MIGRATIONS.len());

        let shorter = MIGRATIONS.get(1..).unwrap_or_default();
        let unknown = status(&db, shorter).await?;
        assert_eq!(
            unknown.first().map(|s| s.state),
            Some(MigrationState::UnknownApplied)
        );
        Ok(())
    }

    #[test]
    fn embedded_set_is_ordered() {
        assert!(check_order(MIGRATIONS).is_ok());
        assert_eq!(MIGRATIONS.first().map(|m| m.name), Some("notes"));
    }
}
