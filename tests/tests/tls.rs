//! TLS against a real server: throwaway clusters with `ssl = on` (see
//! `buster_db_tests::cluster`), certificates made here with rcgen, and every `sslmode`.
//!
//! Most clusters accept TLS connections only (`hostssl` lines and nothing else in
//! `pg_hba.conf`), so a connection that silently went plain would be refused, not pass.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use buster_db::migrate::migrate;
use buster_db::prelude::*;
use buster_db::testing::TestDb;
use buster_db::{Config, Error, ErrorKind, SslMode};
use buster_db_tests::certs::Ca;
use buster_db_tests::cluster::Cluster;
use buster_db_tests::{User, new_user};
use rcgen::ExtendedKeyUsagePurpose;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Only TLS connections from the loopback address, with no password.
const HBA_TLS_ONLY: &[&str] = &["hostssl all all 127.0.0.1/32 trust"];

const VALID: (i32, i32) = (2020, 2999);
const EXPIRED: (i32, i32) = (2001, 2002);

/// A folder for the client's PEM files, removed when dropped.
struct Files(PathBuf);

impl Files {
    fn new(tag: &str) -> std::io::Result<Files> {
        let dir = std::env::temp_dir().join(format!("buster-tls-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Files(dir))
    }

    fn write(&self, name: &str, text: &str) -> std::io::Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A started cluster serving `cert` with only `hba`'s lines in `pg_hba.conf`.
fn tls_cluster((cert, key): &(String, String), hba: &[&str]) -> std::io::Result<Cluster> {
    Cluster::builder().tls(cert, key).hba(hba).start()
}

/// A TLS-only cluster whose `localhost` certificate `ca` issued (valid over `valid`), and the
/// client's folder holding the CA's certificate.
struct Server {
    ca: Ca,
    cluster: Cluster,
    files: Files,
    /// The CA's certificate file, ready for `sslrootcert=` in a URL.
    root: String,
}

impl Server {
    fn start(tag: &str, valid: (i32, i32)) -> Result<Server, Box<dyn std::error::Error>> {
        let ca = Ca::new("buster test CA")?;
        let cluster = tls_cluster(&ca.server(valid)?, HBA_TLS_ONLY)?;
        let files = Files::new(tag)?;
        let root = url_path(&files.write("root.crt", &ca.pem)?);
        Ok(Server {
            ca,
            cluster,
            files,
            root,
        })
    }

    /// A root file of a CA that issued nothing the server has.
    fn wrong_root(&self) -> Result<String, Box<dyn std::error::Error>> {
        let other = Ca::new("some other CA")?;
        Ok(url_path(&self.files.write("other.crt", &other.pem)?))
    }

    /// A URL of the server's `postgres` database by `host` with `params`.
    fn url(&self, host: &str, params: &str) -> String {
        url(&self.cluster, host, params)
    }
}

/// `postgres://postgres@<host>:<port>/postgres?<params>`.
fn url(cluster: &Cluster, host: &str, params: &str) -> String {
    let query = if params.is_empty() { "" } else { "?" };
    format!(
        "postgres://postgres@{host}:{}/postgres{query}{params}",
        cluster.port()
    )
}

/// A percent-encoded path for a URL parameter.
fn url_path(path: &Path) -> String {
    path.display()
        .to_string()
        .replace('%', "%25")
        .replace(' ', "%20")
}

async fn connect(url: &str) -> buster_db::Result<Db> {
    Db::connect(Config::from_url(url)?.pool_size(1)).await
}

/// Whether the session of a pooled connection of `db` is encrypted, as the server sees it.
async fn session_is_encrypted(db: &Db) -> buster_db::Result<bool> {
    let ssl = buster_db::raw_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .optional(db)
        .await?;
    Ok(ssl.unwrap_or(false))
}

/// The error of a connection attempt that must fail.
async fn refused(url: &str) -> Result<Error, String> {
    match connect(url).await {
        Ok(_) => Err(format!("{url} connected, but should have been refused")),
        Err(e) => Ok(e),
    }
}

fn assert_connection_error(err: &Error, needles: &[&str]) {
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let shown = err.to_string();
    for needle in needles {
        assert!(shown.contains(needle), "{needle:?} not in: {shown}");
    }
}

#[tokio::test]
async fn require_and_prefer_encrypt_without_checking_the_certificate() -> TestResult {
    // Issued by a CA the client never hears of: `require` and `prefer` do not check it.
    let ca = Ca::new("unknown CA")?;
    let cluster = tls_cluster(&ca.server(VALID)?, HBA_TLS_ONLY)?;
    for params in ["sslmode=require", "sslmode=prefer", ""] {
        let db = connect(&url(&cluster, "127.0.0.1", params)).await?;
        assert!(session_is_encrypted(&db).await?, "{params:?}");
        db.close();
    }
    let db = Db::connect(
        cluster
            .config("postgres")?
            .ssl_mode(SslMode::Require)
            .pool_size(1),
    )
    .await?;
    assert!(session_is_encrypted(&db).await?);
    Ok(())
}

#[tokio::test]
async fn verify_full_checks_the_chain_and_the_host_name() -> TestResult {
    let server = Server::start("verify", VALID)?;
    let (ca, root) = (&server.ca, &server.root);
    let wrong_root = server.wrong_root()?;

    // The right CA and a host name the certificate names.
    let full = format!("sslmode=verify-full&sslrootcert={root}");
    let db = connect(&server.url("localhost", &full)).await?;
    assert!(session_is_encrypted(&db).await?);
    db.close();
    // The same with the CA given as PEM text.
    let config = Config::from_url(&server.url("localhost", ""))?
        .ssl_mode(SslMode::VerifyFull)
        .ssl_root_cert_pem(ca.pem.as_bytes())
        .pool_size(1);
    assert!(session_is_encrypted(&Db::connect(config).await?).await?);

    // The certificate is for `localhost` only: 127.0.0.1 is not among its names.
    let err = refused(&server.url("127.0.0.1", &full)).await?;
    assert_connection_error(
        &err,
        &["certificate verify failed: NotValidForName", "127.0.0.1"],
    );
    // `verify-ca` does not compare the host name.
    let ca_only = format!("sslmode=verify-ca&sslrootcert={root}");
    let db = connect(&server.url("127.0.0.1", &ca_only)).await?;
    assert!(session_is_encrypted(&db).await?);
    db.close();

    // Without `sslrootcert` (or with `system`, which makes `verify-full` the default) the
    // platform's trust store is used, and the test CA is not in it.
    for params in [
        "sslmode=verify-full",
        "sslmode=verify-ca",
        "sslrootcert=system",
    ] {
        let err = refused(&server.url("localhost", params)).await?;
        assert_connection_error(&err, &["certificate verify failed: UnknownIssuer"]);
    }

    // A CA that did not issue the certificate, in every mode that checks the chain (`require`
    // with a root does, as in libpq).
    for mode in ["verify-full", "verify-ca", "require"] {
        let params = format!("sslmode={mode}&sslrootcert={wrong_root}");
        let err = refused(&server.url("localhost", &params)).await?;
        assert_connection_error(&err, &["certificate verify failed: UnknownIssuer"]);
    }
    Ok(())
}

#[tokio::test]
async fn an_expired_certificate_is_refused_when_checked() -> TestResult {
    let server = Server::start("expired", EXPIRED)?;
    for mode in ["verify-full", "verify-ca"] {
        let params = format!("sslmode={mode}&sslrootcert={}", server.root);
        let err = refused(&server.url("localhost", &params)).await?;
        assert_connection_error(&err, &["certificate verify failed: Expired"]);
    }
    // Unchecked, it still encrypts.
    let db = connect(&server.url("localhost", "sslmode=require")).await?;
    assert!(session_is_encrypted(&db).await?);
    Ok(())
}

#[tokio::test]
async fn disable_is_refused_by_a_server_that_wants_tls() -> TestResult {
    let ca = Ca::new("buster test CA")?;
    let cluster = tls_cluster(&ca.server(VALID)?, HBA_TLS_ONLY)?;
    let err = refused(&url(&cluster, "127.0.0.1", "sslmode=disable")).await?;
    // The server's own message and SQLSTATE 28000 (invalid authorization).
    assert_connection_error(&err, &["no pg_hba.conf entry", "no encryption"]);
    assert_eq!(err.code(), Some("28000"));
    Ok(())
}

#[tokio::test]
async fn prefer_connects_in_plain_to_a_server_without_tls() -> TestResult {
    let cluster = Cluster::builder()
        .setting("ssl", "off")
        .hba(&["host all all 127.0.0.1/32 trust"])
        .start()?;
    for params in ["sslmode=prefer", ""] {
        let db = connect(&url(&cluster, "127.0.0.1", params)).await?;
        assert!(!session_is_encrypted(&db).await?, "{params:?}");
        db.close();
    }
    let err = refused(&url(&cluster, "127.0.0.1", "sslmode=require")).await?;
    assert_connection_error(&err, &["server does not support TLS"]);
    Ok(())
}

#[tokio::test]
async fn a_client_certificate_logs_in_with_cert_authentication() -> TestResult {
    let ca = Ca::new("buster test CA")?;
    let (cert, key) = ca.issue("postgres", &[], ExtendedKeyUsagePurpose::ClientAuth, VALID)?;
    let (server_cert, server_key) = ca.server(VALID)?;
    let cluster = Cluster::builder()
        .tls(&server_cert, &server_key)
        .client_ca(&ca.pem)
        .hba(&["hostssl all all 127.0.0.1/32 cert"])
        .start()?;
    let files = Files::new("client")?;
    let root = url_path(&files.write("root.crt", &ca.pem)?);
    let cert_file = url_path(&files.write("client.crt", &cert)?);
    let key_file = url_path(&files.write("client.key", &key)?);

    let without = format!("sslmode=verify-full&sslrootcert={root}");
    let err = refused(&url(&cluster, "localhost", &without)).await?;
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");

    let with = format!("{without}&sslcert={cert_file}&sslkey={key_file}");
    let db = connect(&url(&cluster, "localhost", &with)).await?;
    let dn: Option<String> =
        buster_db::raw_query("SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .optional(&db)
            .await?
            .flatten();
    assert_eq!(dn.as_deref(), Some("/CN=postgres"));
    db.close();

    // The same with PEM text; the key never shows in Debug.
    let config = Config::from_url(&url(&cluster, "localhost", &without))?
        .ssl_cert_pem(cert.as_bytes())
        .ssl_key_pem(key.as_bytes())
        .pool_size(1);
    let shown = format!("{config:?}");
    let key_body = key.lines().nth(1).unwrap_or_default();
    assert!(!key_body.is_empty() && !shown.contains(key_body), "{shown}");
    assert!(session_is_encrypted(&Db::connect(config).await?).await?);
    Ok(())
}

#[tokio::test]
async fn bad_tls_settings_are_config_errors() -> TestResult {
    // A malformed mode fails when the URL is read (and never repeats the password).
    for url in [
        "postgres://app:hunter2@127.0.0.1:1/x?sslmode=verify_full",
        "host=127.0.0.1 port=1 password=hunter2 sslmode=strict",
    ] {
        let Err(err) = Config::from_url(url) else {
            return Err(format!("{url} was accepted").into());
        };
        assert_eq!(err.kind(), ErrorKind::Config, "{err}");
        assert!(err.to_string().contains("invalid sslmode"), "{err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
    // Files are read when connecting; nothing listens on port 1, and nothing gets that far.
    let files = Files::new("bad")?;
    let not_pem = url_path(&files.write("not-pem.crt", "hello")?);
    let missing = files.0.join("missing.crt");
    let cases = [
        (
            format!("sslmode=verify-full&sslrootcert={}", url_path(&missing)),
            "cannot read sslrootcert",
        ),
        (
            format!("sslmode=verify-ca&sslrootcert={not_pem}"),
            "holds no PEM certificate",
        ),
        (
            format!("sslmode=require&sslcert={not_pem}"),
            "sslcert is given without sslkey",
        ),
        (
            format!(
                "sslmode=require&sslcert={not_pem}&sslkey={}",
                url_path(&missing)
            ),
            "holds no PEM certificate",
        ),
    ];
    for (params, expected) in cases {
        let url = format!("postgres://postgres@127.0.0.1:1/x?{params}");
        let Err(err) = connect(&url).await else {
            return Err(format!("{url} connected").into());
        };
        assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
        assert!(err.to_string().contains(expected), "{url}: {err}");
    }
    let key_missing = Config::from_url("postgres://postgres@127.0.0.1:1/x")?
        .ssl_cert_pem(Vec::from(
            "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
        ))
        .ssl_key(&missing);
    let err = Db::connect(key_missing).await.err().ok_or("connected")?;
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert!(err.to_string().contains("cannot read sslkey"), "{err}");
    Ok(())
}

#[tokio::test]
async fn migrations_and_test_databases_work_over_tls() -> TestResult {
    let server = Server::start("migrate", VALID)?;
    let server = server.url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={}", server.root),
    );

    // `migrate` runs on a session of its own, outside the pool.
    let db = connect(&server).await?;
    let report = migrate(&db, buster_database::MIGRATIONS).await?;
    assert_eq!(report.applied.len(), buster_database::MIGRATIONS.len());
    User::insert(new_user("tls@example.com", "Tee"))
        .one(&db)
        .await?;
    assert_eq!(User::select().count(&db).await?, 1);
    db.close();

    // A per-test database: template, clone and pool, every session over TLS.
    let test_db = TestDb::create_at(&server, buster_database::MIGRATIONS, &[]).await?;
    let rows = User::select().count(test_db.db()).await;
    let encrypted = session_is_encrypted(test_db.db()).await;
    test_db.drop_database().await?;
    assert_eq!(rows?, 0);
    assert!(encrypted?);
    Ok(())
}

#[test]
fn the_command_line_connects_over_tls() -> TestResult {
    let server = Server::start("cli", VALID)?;
    let wrong_root = server.wrong_root()?;
    let run = |root: &str| {
        let params = format!("sslmode=verify-full&sslrootcert={root}");
        let url = server.url("localhost", &params);
        let args = ["buster-db", "--database-url", url.as_str(), "status"];
        buster_db::cli::run_from("buster-db", &buster_database::SCHEMA, args)
    };
    assert_eq!(run(&server.root), ExitCode::SUCCESS);
    assert_eq!(run(&wrong_root), ExitCode::from(2));
    Ok(())
}
