//! `Config::password_provider`: a password asked for every new connection. The rotation of a
//! real server's password under load is the reliability suite's f14 (a throwaway cluster with
//! `scram-sha-256`); here, on the shared server, a provider that fails or hangs fails only the
//! attempt that asked it, never reaches the connections already open, and never shows its
//! password.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use buster_db::prelude::*;
use buster_db::testing::TestDb;
use buster_db::{Config, Db, ErrorKind};
use buster_db_tests::capture::Capture;
use buster_db_tests::{User, error_texts, new_user};

const SECRET: &str = "PROVIDED-PW-CANARY-7731";

/// What the provider does when asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Password,
    Fail,
    Hang,
}

/// A provider whose answer the test switches, counting how often it is asked.
#[derive(Clone, Default)]
struct Provider {
    answer: Arc<Mutex<Option<Answer>>>,
    asked: Arc<AtomicUsize>,
}

impl Provider {
    fn set(&self, answer: Answer) {
        if let Ok(mut slot) = self.answer.lock() {
            *slot = Some(answer);
        }
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }

    fn install(&self, config: Config) -> Config {
        let provider = self.clone();
        config.password_provider(move || {
            provider.asked.fetch_add(1, Ordering::SeqCst);
            let answer = provider
                .answer
                .lock()
                .ok()
                .and_then(|slot| *slot)
                .unwrap_or(Answer::Password);
            async move {
                match answer {
                    Answer::Password => Ok(SECRET.to_owned()),
                    Answer::Fail => Err(std::io::Error::other("token service unavailable")),
                    Answer::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Ok(SECRET.to_owned())
                    }
                }
            }
        })
    }
}

/// The pool of the scenario: trust authentication on the shared server accepts any password,
/// so every attempt the provider lets through connects.
fn config(test_db: &TestDb, provider: &Provider) -> buster_db::Result<Config> {
    let config = Config::from_url(&test_db.url())?
        .pool_size(3)
        .wait_timeout(Duration::from_millis(500))
        .create_timeout(Duration::from_millis(300));
    Ok(provider.install(config))
}

async fn scenario(test_db: &TestDb) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let provider = Provider::default();
    let config = config(test_db, &provider)?;
    let mut texts = vec![format!("{config:?} {config:#?}")];
    let db = Db::connect(config).await?;
    assert_eq!(provider.asked(), 1, "Db::connect opens one connection");
    texts.push(format!("{db:?}"));
    let open = db.conn().await?;
    User::insert(new_user("held@example.com", "Held"))
        .execute(&open)
        .await?;

    // A failing provider: the new connection fails with its message, the open one goes on.
    provider.set(Answer::Fail);
    let failed = match db.conn().await {
        Ok(_) => return Err("a connection opened although the provider failed".into()),
        Err(e) => e,
    };
    assert_eq!(failed.kind(), ErrorKind::Connection, "{failed}");
    let shown = failed.to_string();
    assert!(
        shown.contains("the password provider failed: token service unavailable"),
        "{shown}"
    );
    texts.push(error_texts(&failed));
    User::insert(new_user("still@example.com", "Still"))
        .execute(&open)
        .await?;

    // A hanging provider: bounded by the create timeout (300 ms).
    provider.set(Answer::Hang);
    let started = Instant::now();
    let hung = match db.conn().await {
        Ok(_) => return Err("a connection opened although the provider hung".into()),
        Err(e) => e,
    };
    let waited = started.elapsed();
    assert_eq!(hung.kind(), ErrorKind::Connection, "{hung}");
    assert!(
        hung.to_string()
            .contains("password provider gave no password"),
        "{hung}"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    texts.push(error_texts(&hung));

    // The provider works again: the pool opens connections as before, nothing was lost.
    provider.set(Answer::Password);
    let asked = provider.asked();
    let second = db.conn().await?;
    let third = db.conn().await?;
    assert_eq!(
        provider.asked(),
        asked + 2,
        "one question per new connection"
    );
    User::insert(new_user("after@example.com", "After"))
        .execute(&second)
        .await?;
    drop((open, second, third));
    let status = db.status();
    assert_eq!((status.size, status.in_use), (3, 0), "{status:?}");
    let emails: Vec<String> = User::select()
        .order_by(User::email.asc())
        .all(&db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(
        emails,
        ["after@example.com", "held@example.com", "still@example.com"]
    );
    // A session of its own (migrations) asks the provider as well, and fails as the pool does.
    let asked = provider.asked();
    let status = buster_db::migrate::status(&db, buster_database::MIGRATIONS).await?;
    assert_eq!(provider.asked(), asked + 1);
    assert!(
        status
            .iter()
            .all(|m| m.state == buster_db::migrate::MigrationState::Applied),
        "{status:?}"
    );
    provider.set(Answer::Fail);
    match buster_db::migrate::status(&db, buster_database::MIGRATIONS).await {
        Ok(_) => return Err("a migration session opened although the provider failed".into()),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
            texts.push(error_texts(&e));
        }
    }
    Ok(texts)
}

#[test]
fn a_failing_or_hanging_provider_fails_only_new_connections_and_never_shows_the_password() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let test_db = runtime
        .block_on(TestDb::create(buster_database::MIGRATIONS))
        .unwrap_or_else(|e| panic!("test database: {e}"));
    let capture = Capture::default();
    let outcome =
        tracing::subscriber::with_default(capture.clone(), || runtime.block_on(scenario(&test_db)));
    let dropped = runtime.block_on(test_db.drop_database());
    let texts = outcome.unwrap_or_else(|e| panic!("{e}"));
    dropped.unwrap_or_else(|e| panic!("drop the test database: {e}"));
    let traced = capture.text();
    assert!(
        traced.contains("buster_db.statement"),
        "nothing was captured:\n{traced}"
    );
    assert!(
        !traced.contains(SECRET),
        "the password is in the spans:\n{traced}"
    );
    for text in &texts {
        assert!(!text.contains(SECRET), "the password shows in {text}");
    }
    assert!(
        texts[0].contains("password_provider: Some(\"***\")"),
        "{}",
        texts[0]
    );
}
