//! `#[buster_db::test(migrations = buster_database::MIGRATIONS)]`: every test runs on a database of its own, cloned from the migrated
//! template, and the database is dropped afterwards — also when the test fails.

use std::sync::Mutex;

use buster_db::prelude::*;
use buster_db::raw_query;
use buster_db::testing::TestDb;
use buster_db_tests::{User, new_user};

/// Databases seen by the tests of this process, to compare them with each other.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

async fn current_database(db: &Db) -> String {
    raw_query("SELECT current_database()")
        .one(db)
        .await
        .expect("current_database")
}

async fn database_exists(db: &Db, name: &str) -> bool {
    let found: i64 = raw_query("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .one(db)
        .await
        .expect("pg_database");
    found == 1
}

/// Both isolation tests run the same steps; each must see only its own row.
async fn own_database_with_empty_users(db: Db, email: &str) {
    let name = current_database(&db).await;
    assert!(name.starts_with("buster_test_"), "{name}");
    {
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        assert!(!seen.contains(&name), "{name} was handed out twice");
        seen.push(name);
    }

    assert_eq!(User::select().count(&db).await.expect("count"), 0);
    User::insert(new_user(email, "someone"))
        .one(&db)
        .await
        .expect("insert");
    // A shared database would show the other test's row as well.
    assert_eq!(User::select().count(&db).await.expect("count"), 1);
    let applied: i64 = raw_query("SELECT count(*) FROM buster_db_migrations")
        .one(&db)
        .await
        .expect("buster_db_migrations");
    assert_eq!(applied, buster_database::MIGRATIONS.len() as i64);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn first_test_gets_its_own_database(db: Db) {
    own_database_with_empty_users(db, "first@example.com").await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn second_test_gets_its_own_database(db: Db) {
    own_database_with_empty_users(db, "second@example.com").await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_test_may_return_a_result(db: Db) -> Result<(), buster_db::Error> {
    let one: i64 = raw_query("SELECT 1::bigint").one(&db).await?;
    assert_eq!(one, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_schema_is_the_migrated_one(db: Db) {
    // The partial unique index: unique among live rows only.
    let def: String =
        raw_query("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_key'")
            .one(&db)
            .await
            .expect("pg_indexes");
    assert!(def.contains("UNIQUE"), "{def}");
    assert!(def.contains("WHERE (deleted_at IS NULL)"), "{def}");
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_dropped_test_database_is_gone(db: Db) {
    let other = TestDb::create(buster_database::MIGRATIONS)
        .await
        .expect("create");
    let name = other.name().to_owned();
    assert!(database_exists(&db, &name).await);
    other.drop_database().await.expect("drop");
    assert!(!database_exists(&db, &name).await);
}

/// A panicking body still has its database dropped, and the panic reaches the harness.
#[test]
fn a_panicking_test_still_drops_its_database() {
    static NAME: Mutex<String> = Mutex::new(String::new());
    let outcome = std::panic::catch_unwind(|| {
        buster_db::testing::__block_on(buster_db::testing::__run(
            "a_panicking_test",
            buster_database::MIGRATIONS,
            &[],
            async |db: Db| {
                let name = current_database(&db).await;
                *NAME.lock().unwrap_or_else(|e| e.into_inner()) = name;
                panic!("the body fails");
            },
        ))
    });
    let message = outcome
        .err()
        .and_then(|p| p.downcast::<&str>().ok())
        .map(|s| *s);
    assert_eq!(message, Some("the body fails"));

    let name = NAME.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(name.starts_with("buster_test_"), "{name:?}");
    buster_db::testing::__block_on(async {
        let check = TestDb::create(buster_database::MIGRATIONS)
            .await
            .expect("create");
        assert!(!database_exists(check.db(), &name).await);
        check.drop_database().await.expect("drop");
    });
}
