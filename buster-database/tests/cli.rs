//! The `buster-db` binary (the engine's command line mounted with the Buster schema) against a
//! real server: an empty database is migrated, reported as
//! fully applied and free of drift; failures exit non-zero without leaking the password.

use std::process::{Command, Output};

use buster_database::MIGRATIONS;
use buster_db::testing::TestDb;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn buster_db(args: &[&str]) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_buster-db"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_status_check_on_a_fresh_database() -> TestResult {
    // No migrations: an empty database of its own.
    let empty = TestDb::create(&[]).await?;
    let url = empty.url();
    let result = run_commands(&url);
    empty.drop_database().await?;
    result
}

fn run_commands(url: &str) -> TestResult {
    let before = buster_db(&["check", "--database-url", url])?;
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));
    assert!(
        stdout(&before).contains("table `users` is missing"),
        "{}",
        stdout(&before)
    );

    // A dry run lists every pending file with its SQL and changes nothing.
    let dry = buster_db(&["migrate", "--dry-run", "--database-url", url])?;
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    assert!(
        text.contains("-- would apply 0001_users.sql (in a transaction)"),
        "{text}"
    );
    assert!(text.contains(MIGRATIONS[0].sql.trim_end()), "{text}");
    assert!(
        text.contains(&format!(
            "-- {} migration(s) would be applied; nothing was changed",
            MIGRATIONS.len()
        )),
        "{text}"
    );
    let still = buster_db(&["status", "--database-url", url])?;
    let text = stdout(&still);
    assert!(
        text.contains(&format!("0 applied, {} pending", MIGRATIONS.len())),
        "{text}"
    );
    // The status shows the drift too: nothing of the schema exists yet.
    assert!(text.contains("drift: table `users` is missing"), "{text}");

    let migrate = buster_db(&["--database-url", url, "migrate"])?;
    assert!(migrate.status.success(), "{}", stderr(&migrate));
    let applied: Vec<String> = stdout(&migrate)
        .lines()
        .filter(|l| l.starts_with("applied "))
        .map(str::to_owned)
        .collect();
    assert_eq!(applied.len(), MIGRATIONS.len(), "{}", stdout(&migrate));
    assert!(
        applied[0].starts_with("applied 0001_users.sql"),
        "{applied:?}"
    );

    let again = buster_db(&["migrate", "--database-url", url])?;
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).starts_with("nothing to apply"),
        "{}",
        stdout(&again)
    );

    // The URL may also come from the environment.
    let status = Command::new(env!("CARGO_BIN_EXE_buster-db"))
        .arg("status")
        .env("DATABASE_URL", url)
        .output()?;
    assert!(status.status.success(), "{}", stderr(&status));
    let text = stdout(&status);
    let listed = text.lines().filter(|l| l.starts_with("applied ")).count();
    assert_eq!(listed, MIGRATIONS.len(), "{text}");
    assert!(
        text.contains(&format!(
            "{} applied, 0 pending, 0 edited, 0 unknown",
            MIGRATIONS.len()
        )),
        "{text}"
    );
    assert!(text.ends_with("no drift\n"), "{text}");

    let check = buster_db(&["check", "--database-url", url])?;
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert_eq!(stdout(&check), "no drift\n");
    Ok(())
}

#[test]
fn ddl_needs_no_database() -> TestResult {
    let out = buster_db(&[
        "ddl",
        "--database-url",
        "postgres://nobody@127.0.0.1:1/none",
    ])?;
    assert!(out.status.success(), "{}", stderr(&out));
    let sql = stdout(&out);
    assert!(sql.contains("CREATE TABLE \"users\" ("), "{sql}");
    assert!(
        sql.contains("CREATE TYPE \"dataset_type\" AS ENUM ('table', 'view', 'materializedView');"),
        "{sql}"
    );
    Ok(())
}

#[test]
fn failures_exit_non_zero_without_the_password() -> TestResult {
    for url in [
        // Nothing listens on port 1.
        "postgres://app:hunter2@127.0.0.1:1/buster",
        // Not a URL the driver accepts.
        "postgres://app:hunter2@[127.0.0.1/buster",
    ] {
        let out = buster_db(&["status", "--database-url", url])?;
        assert_eq!(out.status.code(), Some(2), "{url}");
        let err = stderr(&out);
        assert!(err.starts_with("buster-db: "), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(!err.contains("Error {"), "{err}");
        assert_eq!(stdout(&out), "");
    }
    Ok(())
}
