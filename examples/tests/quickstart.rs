//! The quickstart runs against an empty database, twice in a row, and says what it did.

use std::process::Command;

use buster_db::testing::TestDb;

fn url_for(database: &str) -> String {
    let base = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let base = base.split('?').next().unwrap_or_default();
    match base.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{database}", &base[..i]),
        _ => format!("{base}/{database}"),
    }
}

fn run(url: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env("DATABASE_URL", url)
        .output()
        .expect("the quickstart binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "quickstart failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickstart_runs_twice_on_a_fresh_database() {
    let db = TestDb::create(&[]).await.expect("a scratch database");
    let url = url_for(db.name());

    let first = run(&url);
    let all = buster_database::MIGRATIONS.len();
    assert!(
        first.contains(&format!("migrations: {all} newly applied")),
        "{first}"
    );
    assert!(
        first.contains("inserted 3 more users in one statement"),
        "{first}"
    );
    assert!(first.contains("active users, page 1 of size 2"), "{first}");
    assert!(
        first.contains("upserted by email: same id? true"),
        "{first}"
    );
    assert!(first.contains("after soft delete: find -> None"), "{first}");
    assert!(
        first.contains("soft-deleting again changes nothing: None"),
        "{first}"
    );
    assert!(first.contains("restored: deleted_at = None"), "{first}");
    assert!(
        first.contains("(unique violation: true); rows left behind: 0"),
        "{first}"
    );
    assert!(first.contains("belongs to \"Acme"), "{first}");
    assert!(
        !first.contains("Initech"),
        "a deleted membership leaked: {first}"
    );
    assert!(first.contains("live users from this run: 4"), "{first}");

    let second = run(&url);
    assert!(second.contains("migrations: 0 newly applied"), "{second}");
    assert!(second.contains("live users from this run: 4"), "{second}");

    db.drop_database()
        .await
        .expect("the scratch database is dropped");
}
