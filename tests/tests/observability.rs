//! What the runtime tells an observer: statement spans with OpenTelemetry's attribute names, the
//! slow-statement log, and `Db::status()`. A small subscriber captures every span, field and
//! event (`buster_db_tests::capture`); neither a bound value nor the password may appear.

use std::time::Duration;

use buster_db::prelude::*;
use buster_db::testing::TestDb;
use buster_db::{Config, Db, ErrorKind};
use buster_db_tests::capture::{Capture, span_lines};
use buster_db_tests::{User, new_user};
use futures_util::StreamExt;

const PASSWORD: &str = "PW-CANARY-5150";
const VALUE: &str = "value-canary-8086@example.com";

async fn scenario(test_db: &TestDb) -> buster_db::Result<()> {
    let base = test_db.db().config();
    let url = format!(
        "postgres://postgres:{PASSWORD}@{}:{}/{}",
        base.get_host().unwrap_or_default(),
        base.get_port(),
        test_db.name()
    );
    // Every statement counts as slow: the warning must still carry no value.
    let config = Config::from_url(&url)?
        .pool_size(2)
        .wait_timeout(Duration::from_millis(300))
        .slow_statement_threshold(Some(Duration::ZERO));
    let db = Db::connect(config).await?;
    let inserted = User::insert(new_user(VALUE, "Observed")).one(&db).await?;
    let found = User::select()
        .filter(User::email.eq(VALUE))
        .all(&db)
        .await?;
    assert_eq!(found, vec![inserted]);

    // Status: one held, one waiting, counted statements.
    let status = db.status();
    assert_eq!((status.max_size, status.in_use, status.waiting), (2, 0, 0));
    assert_eq!(status.statements_executed, 2);
    assert_eq!(status.size, status.idle);
    let first = db.conn().await?;
    let second = db.conn().await?;
    let waiter = tokio::spawn({
        let db = db.clone();
        async move { db.conn().await.err().map(|e| e.kind()) }
    });
    let mut waiting = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        waiting = db.status().waiting;
        if waiting == 1 {
            break;
        }
    }
    let status = db.status();
    assert_eq!(waiting, 1, "{status:?}");
    assert_eq!((status.size, status.in_use, status.idle), (2, 2, 0));
    match waiter.await {
        Ok(kind) => assert_eq!(kind, Some(ErrorKind::PoolTimeout)),
        Err(e) => panic!("waiter failed: {e}"),
    }
    drop((first, second));
    assert_eq!(db.status().in_use, 0);

    // A stream read in part: its span records the rows read when it is dropped.
    let mut stream = std::pin::pin!(
        User::select()
            .filter(User::name.ne("Observed-stream"))
            .stream(&db)
    );
    assert!(stream.next().await.transpose()?.is_some());
    Ok(())
}

#[test]
fn statement_spans_use_opentelemetry_names_and_carry_no_value_or_password() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let test_db = runtime
        .block_on(TestDb::create(buster_database::MIGRATIONS))
        .unwrap_or_else(|e| panic!("test database: {e}"));
    let capture = Capture::default();
    // One thread: the scoped subscriber sees everything the runtime does.
    let outcome =
        tracing::subscriber::with_default(capture.clone(), || runtime.block_on(scenario(&test_db)));
    let dropped = runtime.block_on(test_db.drop_database());
    outcome.unwrap_or_else(|e| panic!("scenario: {e}"));
    dropped.unwrap_or_else(|e| panic!("drop database: {e}"));
    let traced = capture.text();

    let insert_line = traced
        .lines()
        .find(|l| l.contains("buster_db.statement") && l.contains("INSERT INTO"))
        .unwrap_or_else(|| panic!("no INSERT span in:\n{traced}"));
    let insert = span_lines(&traced, insert_line);
    for field in [
        "db.system.name=\"postgresql\"",
        "db.operation.name=\"INSERT\"",
        "db.collection.name=\"users\"",
        "server.address=127.0.0.1",
        "server.port=",
        "db.response.returned_rows=1",
        "elapsed_us=",
    ] {
        assert!(insert.contains(field), "`{field}` missing from:\n{insert}");
    }
    assert!(
        insert.contains("db.query.text=INSERT INTO \"users\""),
        "{insert}"
    );
    let select = traced
        .lines()
        .filter(|l| l.starts_with("span buster_db.statement"))
        .map(|l| span_lines(&traced, l))
        .find(|lines| lines.contains("db.operation.name=\"SELECT\""))
        .unwrap_or_else(|| panic!("no SELECT span in:\n{traced}"));
    assert!(select.contains("db.collection.name=\"users\""), "{select}");
    assert!(select.contains("db.response.returned_rows=1"), "{select}");

    let stream_line = traced
        .lines()
        .find(|l| l.contains("buster_db.statement") && l.contains("\"name\" <> $1"))
        .unwrap_or_else(|| panic!("no span of the stream in:\n{traced}"));
    let stream = span_lines(&traced, stream_line);
    assert!(stream.contains("db.response.returned_rows=1"), "{stream}");
    assert!(stream.contains("elapsed_us="), "{stream}");

    let slow: Vec<&str> = traced
        .lines()
        .filter(|l| l.starts_with("event WARN buster_db::slow"))
        .collect();
    assert_eq!(
        slow.len(),
        3,
        "one slow-statement warning per statement:\n{traced}"
    );
    assert!(slow.iter().all(|l| l.contains("db.query.text=")));
    assert!(slow[0].contains("elapsed_ms="), "{}", slow[0]);

    assert!(
        !traced.contains(VALUE),
        "a bound value was traced:\n{traced}"
    );
    assert!(
        !traced.contains(PASSWORD),
        "the password was traced:\n{traced}"
    );
}
