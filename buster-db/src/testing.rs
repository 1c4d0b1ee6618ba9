//! Per-test databases: every test gets a fresh database cloned from a migrated template.
//!
//! Use the attribute, which does everything below for you:
//!
//! ```no_run
//! use buster_db::Db;
//!
//! #[buster_db::test(migrations = "tests/migrations")]
//! async fn counts_notes(db: Db) {
//!     // `db` points at a database of its own, with every migration applied.
//! }
//! ```
//!
//! Which migrations: by default the `NNNN_name.sql` files of the `migrations/` folder next to
//! the calling crate's `Cargo.toml` (a compile error names the fix when there is none);
//! `migrations = "folder"` reads another folder (relative to that `Cargo.toml`), and
//! `migrations = my_crate::MIGRATIONS` uses a `&'static [Migration]` another crate embedded
//! (so the tests of an application can run on the schema of the crate that owns it). Adding a
//! file to a folder needs a rebuild; a `build.rs` with `cargo:rerun-if-changed=migrations`
//! makes cargo notice.
//!
//! The server is the one of `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`);
//! its user needs the `CREATEDB` privilege. When `DATABASE_URL` goes through a transaction
//! pooler, set `DATABASE_DIRECT_URL` to the server itself: the template is built and each test
//! database created over that direct URL (they need a session of their own), while the tests'
//! pools connect through `DATABASE_URL` (the pooler must then route any database name, e.g.
//! PgBouncer's `* = host=…` fallback). For each distinct set of migrations a template
//! database `buster_tpl_<hash>` is built once, whichever test process gets there first: builders
//! serialize on an advisory lock, build under a temporary name and rename it when complete, so a
//! template that exists is always fully migrated. The template does not accept connections,
//! because `CREATE DATABASE .. TEMPLATE` fails while anyone is connected to it. Each test then
//! clones it as `buster_test_<seconds>_<pid>_<n>` (a file copy, much faster than migrating),
//! runs, and drops its database with `WITH (FORCE)`, also when the test fails or panics.
//!
//! `#[buster_db::test(fixtures = "tests/fixtures")]` applies the `NNNN_name.sql` files of that
//! folder (relative to the test crate's manifest) to the template *after* the migrations, so
//! tests see the real schema plus their fixtures. Fixture files run once per
//! template, each in a transaction, and are not recorded in `buster_db_migrations`: their
//! numbering is independent of the real migrations.
//!
//! Databases of killed test runs are dropped by a later run once they are an hour old and
//! nobody is connected to them. Templates of migration sets that no longer exist are left in
//! place; drop them by hand (`DROP DATABASE "buster_tpl_…"`) when they pile up.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use tokio_postgres::error::SqlState;

use crate::migrate::{self, Migration, Session};
use crate::{Config, Db, Error, Result};

/// The admin database used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Connections each test's pool may open.
const POOL_SIZE: usize = 4;

/// Test databases older than this with no session are leftovers of killed runs.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// A database of its own for one test, cloned from a migrated template.
///
/// [`TestDb::drop_database`] removes it; a `TestDb` that is simply dropped leaves its database
/// behind until a later run's stale-database sweep.
pub struct TestDb {
    db: Db,
    name: String,
    admin: Config,
    server_url: String,
}

impl TestDb {
    /// Creates a fresh database with `migrations` applied.
    ///
    /// ```no_run
    /// # async fn run() -> buster_db::Result<()> {
    /// use buster_db::testing::TestDb;
    /// static MIGRATIONS: &[buster_db::migrate::Migration] =
    ///     buster_db::embed_migrations!("tests/migrations");
    /// let test_db = TestDb::create(MIGRATIONS).await?;
    /// // .. use test_db.db() ..
    /// test_db.drop_database().await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(migrations: &[Migration]) -> Result<TestDb> {
        TestDb::create_with(migrations, &[]).await
    }

    /// Creates a fresh database with `migrations`, then `fixtures`, applied.
    pub async fn create_with(migrations: &[Migration], fixtures: &[Migration]) -> Result<TestDb> {
        // The pool settings of the environment (a direct URL behind a pooler, …) apply here.
        let config = crate::config::from_env_vars(Config::from_url(&database_url())?, |name| {
            std::env::var(name).ok()
        })?;
        TestDb::create_on(&database_url(), config, migrations, fixtures).await
    }

    /// Creates a fresh database with `migrations`, then `fixtures`, applied, on the server of
    /// `server_url` instead of `DATABASE_URL`: for tests that bring their own server (a
    /// throwaway cluster, a TLS-only one). The URL's TLS parameters apply to every connection,
    /// the template's included.
    pub async fn create_at(
        server_url: &str,
        migrations: &[Migration],
        fixtures: &[Migration],
    ) -> Result<TestDb> {
        let config = Config::from_url(server_url)?;
        TestDb::create_on(server_url, config, migrations, fixtures).await
    }

    async fn create_on(
        server_url: &str,
        config: Config,
        migrations: &[Migration],
        fixtures: &[Migration],
    ) -> Result<TestDb> {
        let admin_cfg = config.session_config("building a test database")?;
        let admin = Session::open(&admin_cfg).await?;
        let created = async {
            let template = ensure_template(&admin, &config, migrations, fixtures).await?;
            sweep_stale_once(&admin).await;
            create_from(&admin, &template).await
        }
        .await;
        admin.close().await;
        let name = created?;

        match Db::connect(config.with_dbname(&name).pool_size(POOL_SIZE)).await {
            Ok(db) => Ok(TestDb {
                db,
                name,
                admin: admin_cfg,
                server_url: server_url.to_owned(),
            }),
            Err(e) => {
                let _ = drop_database(&admin_cfg, &name).await;
                Err(e)
            }
        }
    }

    /// The pool of this database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL of this database on the server it was created on (`DATABASE_URL`, or the URL given
    /// to [`TestDb::create_at`]), with that URL's credentials and parameters: for a program the
    /// test starts (a command line, a second process). It holds the password when the server's
    /// URL does, so keep it out of logs.
    pub fn url(&self) -> String {
        with_dbname(&self.server_url, &self.name)
    }

    /// Closes the pool and drops the database, ending any session still connected to it.
    pub async fn drop_database(self) -> Result<()> {
        self.db.close();
        drop(self.db);
        drop_database(&self.admin, &self.name).await
    }
}

/// Builds the runtime of one `#[buster_db::test]` and runs `future` on it.
#[doc(hidden)]
pub fn __block_on<F: Future>(future: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => fail(&format!("cannot start the tokio runtime of the test: {e}")),
    }
}

/// Runs one `#[buster_db::test]` body on a fresh database and drops the database afterwards,
/// whether the body returned or panicked; the body's output (or panic) is passed on.
#[doc(hidden)]
pub async fn __run<F, Fut>(
    test_name: &str,
    migrations: &'static [Migration],
    fixtures: &'static [Migration],
    body: F,
) -> Fut::Output
where
    F: FnOnce(Db) -> Fut,
    Fut: Future,
{
    let test_db = match TestDb::create_with(migrations, fixtures).await {
        Ok(test_db) => test_db,
        Err(e) => fail(&format!(
            "`{test_name}`: cannot create its test database on the server of DATABASE_URL \
             (default {DEFAULT_DATABASE_URL}): {e}"
        )),
    };
    let name = test_db.name().to_owned();
    let outcome = CatchUnwind(Box::pin(body(test_db.db().clone()))).await;
    let dropped = test_db.drop_database().await;
    match (outcome, dropped) {
        (Ok(output), Ok(())) => output,
        (Ok(_), Err(e)) => fail(&format!(
            "`{test_name}`: cannot drop test database `{name}`: {e}"
        )),
        (Err(panic), dropped) => {
            if let Err(e) = dropped {
                eprintln!("`{test_name}`: cannot drop test database `{name}`: {e}");
            }
            std::panic::resume_unwind(panic)
        }
    }
}

/// Fails the current test with `message`.
#[allow(clippy::panic, reason = "a test fails by panicking")]
fn fail(message: &str) -> ! {
    panic!("{message}")
}

/// Resolves to `Err(payload)` when polling the inner future panics.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::result::Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// `url` with its path (the database name) replaced by `name`, query parameters kept.
fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_at = base.find("://").map_or(0, |i| i + 3);
    let path_at = base
        .get(authority_at..)
        .and_then(|rest| rest.find('/'))
        .map_or(base.len(), |i| authority_at + i);
    let mut out = format!("{}/{}", base.get(..path_at).unwrap_or(base), name);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// `DATABASE_URL`, else [`DEFAULT_DATABASE_URL`]: tests and development tools (the command
/// line), unlike services, may assume a local server.
pub fn database_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => DEFAULT_DATABASE_URL.to_owned(),
    }
}

/// `buster_tpl_` and the first 16 hex digits of a SHA-256 over the versions and checksums of
/// both sets: any change to a file yields a new template.
fn template_name(migrations: &[Migration], fixtures: &[Migration]) -> String {
    let mut hasher = Sha256::new();
    for (tag, set) in [("m", migrations), ("f", fixtures)] {
        for m in set {
            hasher.update(format!("{tag}{}:{}\n", m.version, m.checksum()).as_bytes());
        }
    }
    let hash = migrate::hex(&hasher.finalize());
    format!("buster_tpl_{}", hash.get(..16).unwrap_or(&hash))
}

/// Returns the template's name, building it first if no process did yet.
async fn ensure_template(
    admin: &Session,
    config: &Config,
    migrations: &[Migration],
    fixtures: &[Migration],
) -> Result<String> {
    let template = template_name(migrations, fixtures);
    if database_exists(admin, &template).await? {
        return Ok(template);
    }
    // One lock per template: builders of different migration sets do not wait for each other.
    let key = template_lock_key(&template);
    admin
        .client
        .execute("SELECT pg_advisory_lock($1)", &[&key])
        .await
        .map_err(Error::from_pg)?;
    let built = async {
        if !database_exists(admin, &template).await? {
            build_template(admin, config, &template, migrations, fixtures).await?;
        }
        Ok::<(), Error>(())
    }
    .await;
    let unlocked = admin
        .client
        .execute("SELECT pg_advisory_unlock($1)", &[&key])
        .await;
    built?;
    unlocked.map_err(Error::from_pg)?;
    Ok(template)
}

fn template_lock_key(template: &str) -> i64 {
    let digest = Sha256::digest(template.as_bytes());
    let mut bytes = [0u8; 8];
    for (b, d) in bytes.iter_mut().zip(digest.iter()) {
        *b = *d;
    }
    i64::from_be_bytes(bytes)
}

/// Builds under a temporary name and renames at the end, so a half-built template (a killed
/// process, a failing migration) is never mistaken for a ready one.
async fn build_template(
    admin: &Session,
    config: &Config,
    template: &str,
    migrations: &[Migration],
    fixtures: &[Migration],
) -> Result<()> {
    let building = format!("{template}_building");
    let building_q = quote_ident(&building);
    // A leftover of a builder that died while holding the lock.
    admin
        .client
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {building_q} WITH (FORCE)"
        ))
        .await
        .map_err(Error::from_pg)?;
    admin
        .client
        .batch_execute(&format!("CREATE DATABASE {building_q}"))
        .await
        .map_err(Error::from_pg)?;

    let migrated = async {
        let mut session = Session::open(
            &config
                .with_dbname(&building)
                .session_config("building a test database")?,
        )
        .await?;
        let result = async {
            migrate::apply(&mut session.client, migrations).await?;
            apply_fixtures(&mut session.client, fixtures).await
        }
        .await;
        session.close().await;
        result
    }
    .await;
    if let Err(e) = migrated {
        let _ = admin
            .client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {building_q} WITH (FORCE)"
            ))
            .await;
        return Err(e);
    }

    admin
        .client
        .batch_execute(&format!(
            "ALTER DATABASE {building_q} WITH ALLOW_CONNECTIONS false"
        ))
        .await
        .map_err(Error::from_pg)?;
    let rename = format!(
        "ALTER DATABASE {building_q} RENAME TO {}",
        quote_ident(template)
    );
    retry_while_in_use(|| admin.client.batch_execute(&rename)).await
}

async fn apply_fixtures(client: &mut tokio_postgres::Client, fixtures: &[Migration]) -> Result<()> {
    for m in fixtures {
        let tx = client.transaction().await.map_err(Error::from_pg)?;
        tx.batch_execute(m.sql)
            .await
            .map_err(|e| migrate::failed(m, Error::from_pg(e)))?;
        tx.commit()
            .await
            .map_err(|e| migrate::failed(m, Error::from_pg(e)))?;
    }
    Ok(())
}

/// Creates a uniquely named clone of `template` and returns its name.
async fn create_from(admin: &Session, template: &str) -> Result<String> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let mut attempts = 0;
    loop {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let name = format!("buster_test_{secs}_{}_{n}", std::process::id());
        let sql = format!(
            "CREATE DATABASE {} TEMPLATE {}",
            quote_ident(&name),
            quote_ident(template)
        );
        match retry_while_in_use(|| admin.client.batch_execute(&sql)).await {
            Ok(()) => return Ok(name),
            // The same pid and counter as a leftover of an earlier run: take the next name.
            Err(e) if e.code() == Some(SqlState::DUPLICATE_DATABASE.code()) && attempts < 5 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

async fn drop_database(admin_cfg: &Config, name: &str) -> Result<()> {
    let admin = Session::open(admin_cfg).await?;
    let result = admin
        .client
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(name)
        ))
        .await
        .map_err(Error::from_pg);
    admin.close().await;
    result
}

/// Drops test databases of killed runs, once per process; failures are ignored because another
/// process may be sweeping the same databases.
async fn sweep_stale_once(admin: &Session) {
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::Relaxed) {
        return;
    }
    let Ok(rows) = admin
        .client
        .query(
            "SELECT datname FROM pg_database d \
             WHERE datname LIKE 'buster\\_test\\_%' \
               AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)",
            &[],
        )
        .await
    else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for row in rows {
        let Ok(name) = row.try_get::<_, String>(0) else {
            continue;
        };
        let created = name
            .strip_prefix("buster_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if created.is_some_and(|secs| now.saturating_sub(secs) > STALE_AFTER.as_secs()) {
            // Without FORCE: a database someone connected to meanwhile is not stale.
            let _ = admin
                .client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(&name)))
                .await;
        }
    }
}

async fn database_exists(admin: &Session, name: &str) -> Result<bool> {
    let row = admin
        .client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
            &[&name],
        )
        .await
        .map_err(Error::from_pg)?;
    row.try_get(0).map_err(Error::from_pg)
}

/// Retries `op` while the server reports the database as in use (SQLSTATE 55006): a session
/// that was just closed may take a moment to leave the server.
async fn retry_while_in_use<F, Fut>(mut op: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<(), tokio_postgres::Error>>,
{
    let mut delay = Duration::from_millis(20);
    for _ in 0..10 {
        match op().await {
            Err(e) if e.code() == Some(&SqlState::OBJECT_IN_USE) => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_millis(500));
            }
            other => return other.map_err(Error::from_pg),
        }
    }
    op().await.map_err(Error::from_pg)
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_name_depends_on_every_file() {
        let a = Migration {
            version: 1,
            name: "users",
            sql: "CREATE TABLE users ();",
        };
        let b = Migration {
            sql: "CREATE TABLE users (id int);",
            ..a
        };
        let name = template_name(&[a], &[]);
        assert!(name.starts_with("buster_tpl_"));
        assert_eq!(name.len(), "buster_tpl_".len() + 16);
        assert_ne!(name, template_name(&[b], &[]));
        assert_ne!(name, template_name(&[], &[a]));
        assert_eq!(name, template_name(&[a], &[]));
    }

    #[tokio::test]
    async fn fixtures_are_applied_after_the_migrations() -> Result<()> {
        static SEED: Migration = Migration {
            version: 1,
            name: "seed",
            sql: "INSERT INTO notes (title) VALUES ('seed');",
        };
        static MIGRATIONS: &[Migration] = crate::embed_migrations!("tests/migrations");
        let test_db = TestDb::create_with(MIGRATIONS, &[SEED]).await?;
        let rows =
            crate::executor::Sealed::__query(test_db.db(), "SELECT title FROM notes", &[]).await;
        let recorded = crate::migrate::status(test_db.db(), MIGRATIONS).await;
        test_db.drop_database().await?;
        let titles: Vec<String> = rows?.iter().map(|r| r.get(0)).collect();
        assert_eq!(titles, ["seed"]);
        // Fixtures are not part of the recorded history.
        assert_eq!(recorded?.len(), MIGRATIONS.len());
        Ok(())
    }

    #[test]
    fn urls_point_at_the_test_database() {
        assert_eq!(
            with_dbname("postgres://u:p@h:5432/postgres?sslmode=disable", "t1"),
            "postgres://u:p@h:5432/t1?sslmode=disable"
        );
        assert_eq!(with_dbname("postgres://h", "t1"), "postgres://h/t1");
        assert_eq!(with_dbname("postgresql://h/", "t1"), "postgresql://h/t1");
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn catch_unwind_returns_the_panic() {
        let out = __block_on(CatchUnwind(Box::pin(async {
            fail("boom");
        })));
        let message = out
            .err()
            .and_then(|p| p.downcast::<String>().ok())
            .map(|s| *s);
        assert_eq!(message.as_deref(), Some("boom"));
    }
}
