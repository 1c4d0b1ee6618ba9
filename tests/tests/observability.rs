//! What the runtime tells an observer: statement spans with OpenTelemetry's attribute names, the
//! slow-statement log, and `Db::status()`. A small subscriber captures every span, field and
//! event (no subscriber crate needed); neither a bound value nor the password may appear.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use buster_db::prelude::*;
use buster_db::testing::TestDb;
use buster_db::{Config, Db, ErrorKind};
use buster_db_tests::{User, new_user};

const PASSWORD: &str = "PW-CANARY-5150";
const VALUE: &str = "value-canary-8086@example.com";

/// Writes every span (with its fields and later records) and event into one string.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    fn text(&self) -> String {
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn write(&self, f: impl FnOnce(&mut String)) {
        f(&mut self.text.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.write(|t| {
            t.push_str(&format!("\nspan#{id} {}", span.metadata().name()));
            span.record(&mut Fields(t));
        });
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.write(|t| {
            t.push_str(&format!("\nrecord#{}", id.into_u64()));
            values.record(&mut Fields(t));
        });
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        self.write(|t| {
            let meta = event.metadata();
            t.push_str(&format!("\nevent {} {}", meta.level(), meta.target()));
            event.record(&mut Fields(t));
        });
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// The lines of `traced` that belong to the span opened on line `span_line`: the opening and
/// its records.
fn span_of(traced: &str, span_line: &str) -> String {
    let id = span_line
        .split_whitespace()
        .next()
        .and_then(|head| head.strip_prefix("span#"))
        .unwrap_or("?");
    traced
        .lines()
        .filter(|l| {
            l.starts_with(&format!("span#{id} ")) || l.starts_with(&format!("record#{id} "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

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
    let insert = span_of(&traced, insert_line);
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
    let select_line = traced
        .lines()
        .find(|l| l.contains("buster_db.statement") && l.contains("db.operation.name=\"SELECT\""))
        .unwrap_or_else(|| panic!("no SELECT span in:\n{traced}"));
    let select = span_of(&traced, select_line);
    assert!(select.contains("db.collection.name=\"users\""), "{select}");
    assert!(select.contains("db.response.returned_rows=1"), "{select}");

    let slow: Vec<&str> = traced
        .lines()
        .filter(|l| l.starts_with("event WARN buster_db::slow"))
        .collect();
    assert_eq!(
        slow.len(),
        2,
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
