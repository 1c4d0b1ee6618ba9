//! Transactions: commit on `Ok`, roll back on `Err`, on panic and when the future is dropped;
//! savepoints for nested calls; retries for deadlocks; the same queries on every executor.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use buster_db::prelude::*;
use buster_db::{Error, ErrorKind, Result};
use buster_db_tests::{
    FxAccount, NewFxAccount, User, new_user, no_session_left_idle_in_transaction,
    sessions_idle_in_transaction,
};
use tokio::sync::{Barrier, Notify};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_transaction_returning_ok_commits_every_statement(db: Db) -> Result<()> {
    let (a, b) = db
        .transaction(async |tx| {
            let a = User::insert(new_user("a@example.com", "A")).one(tx).await?;
            let b = User::insert(new_user("b@example.com", "B")).one(tx).await?;
            Ok::<_, Error>((a, b))
        })
        .await?;
    assert_eq!(User::find(a.id).one(&db).await?, a);
    assert_eq!(User::find(b.id).one(&db).await?, b);
    assert_eq!(User::select().count(&db).await?, 2);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_transaction_returning_err_rolls_back_and_passes_the_error_on(db: Db) -> Result<()> {
    let result: Result<()> = db
        .transaction(async |tx| {
            User::insert(new_user("a@example.com", "A")).one(tx).await?;
            Err(Error::validation("name", "refused by the caller"))
        })
        .await;
    let err = result.err();
    assert_eq!(err.as_ref().map(|e| e.kind()), Some(ErrorKind::Validation));
    assert_eq!(err.as_ref().and_then(|e| e.field()), Some("name"));
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_transaction_with_a_failed_statement_rolls_back_even_if_the_closure_returns_ok(
    db: Db,
) -> Result<()> {
    let result = db
        .transaction(async |tx| {
            User::insert(new_user("a@example.com", "A")).one(tx).await?;
            let dup = User::insert(new_user("a@example.com", "A")).one(tx).await;
            assert_eq!(
                dup.err().map(|e| e.kind()),
                Some(ErrorKind::UniqueViolation)
            );
            Ok::<_, Error>(())
        })
        .await;
    assert!(
        result.is_err(),
        "a transaction whose statement failed reported a commit"
    );
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

/// Guards the checks below: an open transaction waiting for its caller is seen by them.
#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn an_open_transaction_shows_as_a_session_idle_in_transaction(db: Db) -> Result<()> {
    let seen = db
        .transaction(async |tx| {
            User::insert(new_user("a@example.com", "A")).one(tx).await?;
            sessions_idle_in_transaction(&db).await
        })
        .await?;
    assert_eq!(seen, 1);
    assert!(no_session_left_idle_in_transaction(&db).await?);
    assert_eq!(User::select().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_panic_inside_the_closure_rolls_back_and_leaves_no_session_in_a_transaction(
    db: Db,
) -> Result<()> {
    let task = tokio::spawn({
        let db = db.clone();
        async move {
            db.transaction(async |tx| {
                User::insert(new_user("a@example.com", "A")).one(tx).await?;
                if User::select().count(tx).await? == 1 {
                    panic!("the closure fails halfway");
                }
                Ok::<_, Error>(())
            })
            .await
        }
    });
    let joined = task.await;
    assert!(
        joined.as_ref().is_err_and(|e| e.is_panic()),
        "the task did not panic: {joined:?}"
    );

    assert!(no_session_left_idle_in_transaction(&db).await?);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    // The pool still serves statements.
    User::insert(new_user("b@example.com", "B"))
        .one(&db)
        .await?;
    assert_eq!(User::select().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn dropping_a_transaction_future_midway_rolls_back_and_leaves_no_session_in_a_transaction(
    db: Db,
) -> Result<()> {
    let inserted = Notify::new();
    let transaction = db.transaction(async |tx| {
        User::insert(new_user("a@example.com", "A")).one(tx).await?;
        inserted.notify_one();
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok::<_, Error>(())
    });
    // The transaction future is dropped as soon as its row is inserted.
    tokio::select! {
        done = transaction => panic!("the transaction ran to its end: {done:?}"),
        () = inserted.notified() => {}
    }

    assert!(no_session_left_idle_in_transaction(&db).await?);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_transaction_cut_by_a_timeout_leaves_no_row(db: Db) -> Result<()> {
    let timed_out = tokio::time::timeout(
        Duration::from_millis(50),
        db.transaction(async |tx| {
            User::insert(new_user("a@example.com", "A")).one(tx).await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(
        timed_out.is_err(),
        "the transaction was not cut: {timed_out:?}"
    );

    assert!(no_session_left_idle_in_transaction(&db).await?);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_transaction_dropped_on_a_conn_is_rolled_back_before_its_next_statement(
    db: Db,
) -> Result<()> {
    let mut conn = db.conn().await?;
    let inserted = Notify::new();
    let transaction = conn.transaction(async |tx| {
        User::insert(new_user("a@example.com", "A")).one(tx).await?;
        inserted.notify_one();
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok::<_, Error>(())
    });
    tokio::select! {
        done = transaction => panic!("the transaction ran to its end: {done:?}"),
        () = inserted.notified() => {}
    }

    // Inside the abandoned transaction its own row would still be visible.
    assert_eq!(User::select().with_deleted().count(&conn).await?, 0);
    User::insert(new_user("b@example.com", "B"))
        .one(&conn)
        .await?;
    drop(conn);
    assert!(no_session_left_idle_in_transaction(&db).await?);
    let emails: Vec<_> = User::select()
        .all(&db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(emails, ["b@example.com"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_rolled_back_savepoint_keeps_the_outer_work(db: Db) -> Result<()> {
    db.transaction(async |tx| {
        User::insert(new_user("outer-before@example.com", "A"))
            .one(tx)
            .await?;
        let nested: Result<()> = tx
            .transaction(async |inner| {
                User::insert(new_user("inner@example.com", "B"))
                    .one(inner)
                    .await?;
                Err(Error::validation("inner", "rolled back on purpose"))
            })
            .await;
        assert_eq!(nested.err().map(|e| e.kind()), Some(ErrorKind::Validation));
        User::insert(new_user("outer-after@example.com", "C"))
            .one(tx)
            .await?;
        Ok::<_, Error>(())
    })
    .await?;

    let mut emails: Vec<_> = User::select()
        .with_deleted()
        .all(&db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    emails.sort();
    assert_eq!(
        emails,
        ["outer-after@example.com", "outer-before@example.com"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_failed_statement_in_a_savepoint_does_not_abort_the_outer_transaction(
    db: Db,
) -> Result<()> {
    db.transaction(async |tx| {
        let a = User::insert(new_user("a@example.com", "A")).one(tx).await?;
        let nested: Result<()> = tx
            .transaction(async |inner| {
                User::update(a.id)
                    .set(User::name, "Changed")
                    .one(inner)
                    .await?;
                User::insert(new_user("a@example.com", "Duplicate"))
                    .one(inner)
                    .await?;
                Ok(())
            })
            .await;
        assert_eq!(
            nested.err().map(|e| e.kind()),
            Some(ErrorKind::UniqueViolation)
        );
        User::insert(new_user("b@example.com", "B")).one(tx).await?;
        Ok::<_, Error>(())
    })
    .await?;

    let mut users = User::select().all(&db).await?;
    users.sort_by(|x, y| x.email.cmp(&y.email));
    let names: Vec<_> = users
        .iter()
        .map(|u| (u.email.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(names, [("a@example.com", "A"), ("b@example.com", "B")]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_committed_savepoint_is_undone_when_the_outer_transaction_fails(db: Db) -> Result<()> {
    let result: Result<()> = db
        .transaction(async |tx| {
            tx.transaction(async |inner| {
                User::insert(new_user("inner@example.com", "B"))
                    .one(inner)
                    .await?;
                Ok::<_, Error>(())
            })
            .await?;
            Err(Error::validation("outer", "rolled back on purpose"))
        })
        .await;
    assert!(result.is_err());
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

/// Written once against any executor: a pool, a connection or a transaction.
async fn register<E: Executor + ?Sized>(exec: &E, email: &str) -> Result<(User, i64)> {
    let user = User::insert(new_user(email, "Someone")).one(exec).await?;
    let user = User::update(user.id)
        .set(User::name, "Registered")
        .one(exec)
        .await?;
    let live = User::select().count(exec).await?;
    Ok((user, live))
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_same_query_code_runs_on_a_pool_a_connection_and_a_transaction(db: Db) -> Result<()> {
    let (on_db, live) = register(&db, "db@example.com").await?;
    assert_eq!(live, 1);
    let mut conn = db.conn().await?;
    let (on_conn, live) = register(&conn, "conn@example.com").await?;
    assert_eq!(live, 2);
    let (on_tx, live) = conn
        .transaction(async |tx| register(tx, "tx@example.com").await)
        .await?;
    assert_eq!(live, 3);
    let (on_db_tx, live) = db
        .transaction(async |tx| register(tx, "dbtx@example.com").await)
        .await?;
    assert_eq!(live, 4);
    drop(conn);

    for user in [on_db, on_conn, on_tx, on_db_tx] {
        assert_eq!(user.name, "Registered");
        assert_eq!(User::find(user.id).one(&db).await?, user);
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn transaction_retry_reruns_the_deadlock_victim_until_both_transfers_commit(
    db: Db,
) -> Result<()> {
    FxAccount::insert_many([
        NewFxAccount {
            id: 1,
            balance: 100,
        },
        NewFxAccount {
            id: 2,
            balance: 100,
        },
    ])
    .all(&db)
    .await?;
    let barrier = Barrier::new(2);
    let attempts = AtomicU32::new(0);

    // Each transfer locks its source first, so the two first attempts wait on each other. Both
    // run concurrently on this task, each on its own pooled connection.
    let transfer = async |from: i32, to: i32, amount: i64| {
        db.transaction_retry(5, async |tx| {
            let first_attempt = attempts.fetch_add(1, Ordering::SeqCst) < 2;
            // An update without columns locks the row and returns it.
            let source = FxAccount::update(from).one(tx).await?;
            if first_attempt {
                barrier.wait().await;
            }
            let target = FxAccount::update(to).one(tx).await?;
            FxAccount::update(from)
                .set(FxAccount::balance, source.balance - amount)
                .one(tx)
                .await?;
            FxAccount::update(to)
                .set(FxAccount::balance, target.balance + amount)
                .one(tx)
                .await?;
            Ok(())
        })
        .await
    };
    let (a, b) = tokio::join!(transfer(1, 2, 10), transfer(2, 1, 30));
    a?;
    b?;

    // At least one deadlock victim ran again. It may even lose a second time: its new attempt
    // can lock its source row before the winner, woken by the first rollback, takes it.
    let attempts = attempts.load(Ordering::SeqCst);
    assert!(
        attempts >= 3,
        "no transfer was retried ({attempts} attempts)"
    );
    assert_eq!(FxAccount::find(1).one(&db).await?.balance, 120);
    assert_eq!(FxAccount::find(2).one(&db).await?.balance, 80);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn for_update_serializes_read_then_write_so_no_increment_is_lost(db: Db) -> Result<()> {
    FxAccount::insert(NewFxAccount { id: 1, balance: 0 })
        .one(&db)
        .await?;
    assert!(
        FxAccount::select()
            .filter(FxAccount::id.eq(1))
            .for_update()
            .to_sql()
            .text
            .ends_with(" FOR UPDATE")
    );
    // 8 tasks × 10 read-then-write increments: without the row lock, concurrent transactions
    // would read the same balance and overwrite each other's increment.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..10 {
                db.transaction(async |tx| {
                    let account = FxAccount::select()
                        .filter(FxAccount::id.eq(1))
                        .for_update()
                        .one(tx)
                        .await?;
                    FxAccount::update(1)
                        .set(FxAccount::balance, account.balance + 1)
                        .one(tx)
                        .await?;
                    Ok::<_, Error>(())
                })
                .await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for t in tasks {
        t.await
            .map_err(|e| Error::validation("task", e.to_string()))??;
    }
    assert_eq!(FxAccount::find(1).one(&db).await?.balance, 80);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn skip_locked_leaves_out_locked_rows_and_nowait_fails_at_once(db: Db) -> Result<()> {
    for id in 1..=3 {
        FxAccount::insert(NewFxAccount { id, balance: 0 })
            .execute(&db)
            .await?;
    }
    let queue = || FxAccount::select().order_by(FxAccount::id.asc()).limit(2);
    assert!(
        queue()
            .skip_locked()
            .to_sql()
            .text
            .ends_with(" FOR UPDATE SKIP LOCKED")
    );
    assert!(
        queue()
            .for_share()
            .nowait()
            .to_sql()
            .text
            .ends_with(" FOR SHARE NOWAIT")
    );
    // A worker holds rows 1 and 2 while a second worker asks for the next two.
    let mut holder = db.conn().await?;
    holder
        .transaction(async |first| {
            let taken: Vec<i32> = queue()
                .for_update()
                .skip_locked()
                .all(first)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            assert_eq!(taken, [1, 2]);
            let next: Vec<i32> = db
                .transaction(async |second| queue().skip_locked().all(second).await)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            assert_eq!(next, [3]);
            let waited = tokio::time::Instant::now();
            let refused = db
                .transaction(async |third| queue().nowait().all(third).await)
                .await
                .err();
            assert!(waited.elapsed() < Duration::from_secs(2));
            assert_eq!(
                refused.as_ref().and_then(Error::code),
                Some("55P03"),
                "{refused:?}"
            );
            Ok::<_, Error>(())
        })
        .await?;
    Ok(())
}
