//! Pipelining on the pool: the statements one task runs at once on a `&Db` share one
//! connection (the same server session), return it when the last is done, keep their own
//! results and errors; a transaction keeps its own; with `pipelining(false)` each statement
//! takes a connection of its own.

use std::task::Poll;
use std::time::Duration;

use buster_db::prelude::*;
use buster_db::{Config, ErrorKind, Result, raw_query};
use buster_db_tests::{User, new_user};

/// The process serving the session that runs the statement.
async fn backend_pid(on: &impl Executor) -> Result<i32> {
    raw_query("SELECT pg_backend_pid()").one(on).await
}

async fn pool(db: &Db, pipelining: bool) -> Result<Db> {
    let config: Config = db.config().clone().pool_size(4).pipelining(pipelining);
    Db::connect(config).await
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn statements_joined_in_one_task_share_one_session(db: Db) -> Result<()> {
    let db = pool(&db, true).await?;
    let (a, b, c) = tokio::try_join!(backend_pid(&db), backend_pid(&db), backend_pid(&db))?;
    assert_eq!((a, b), (c, c), "three sessions for one task");
    // The pool never opened a second connection, and the shared one is back.
    let status = db.status();
    assert_eq!((status.size, status.in_use, status.idle), (1, 0, 1));
    assert_eq!(status.statements_executed, 3);

    // Writes and reads joined: each its own result, in the order written.
    let (ann, bob) = tokio::try_join!(
        User::insert(new_user("ann@pipe.io", "Ann")).one(&db),
        User::insert(new_user("bob@pipe.io", "Bob")).one(&db),
    )?;
    let (found_ann, found_bob, everyone) = tokio::try_join!(
        User::find(ann.id).one(&db),
        User::find(bob.id).one(&db),
        User::select().order_by(User::email.asc()).all(&db),
    )?;
    assert_eq!((found_ann, found_bob), (ann.clone(), bob.clone()));
    assert_eq!(everyone, vec![ann, bob]);
    assert_eq!(db.status().size, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn many_tasks_at_once_each_share_a_session_of_their_own(db: Db) -> Result<()> {
    let db = pool(&db, true).await?;
    // 24 tasks on a pool of 4: each task's three joined statements share one session, and the
    // tasks do not all share one.
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let (a, b, c) =
                    tokio::try_join!(backend_pid(&db), backend_pid(&db), backend_pid(&db))?;
                Ok::<_, buster_db::Error>((a, b, c))
            })
        })
        .collect();
    for task in tasks {
        let (a, b, c) = match task.await {
            Ok(sessions) => sessions?,
            Err(e) => panic!("task failed: {e}"),
        };
        assert_eq!(
            (a, b),
            (c, c),
            "one task's statements ran on several sessions"
        );
    }
    let status = db.status();
    assert_eq!((status.in_use, status.statements_executed), (0, 72));
    assert!(
        status.size <= 4,
        "{} connections for a pool of 4",
        status.size
    );
    // Tasks in flight at once hold sessions of their own: the pool opened more than one.
    assert!(status.size > 1, "24 tasks at once shared one session");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn without_pipelining_each_statement_takes_a_connection(db: Db) -> Result<()> {
    let db = pool(&db, false).await?;
    let (a, b) = tokio::try_join!(backend_pid(&db), backend_pid(&db))?;
    assert_ne!(a, b, "one session although pipelining is off");
    let status = db.status();
    assert_eq!((status.size, status.in_use), (2, 0));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_failing_statement_leaves_the_others_on_its_connection_alone(db: Db) -> Result<()> {
    let db = pool(&db, true).await?;
    let before = backend_pid(&db).await?;
    // The insert prepared beforehand: two joined statements that both still had to be
    // prepared (and their column types looked up) could reach the server in either order.
    User::insert(new_user("earlier@pipe.io", "Earlier"))
        .one(&db)
        .await?;
    let (first, second, pid) = tokio::join!(
        User::insert(new_user("same@pipe.io", "First")).one(&db),
        User::insert(new_user("same@pipe.io", "Second")).one(&db),
        backend_pid(&db),
    );
    assert_eq!(first?.name, "First");
    assert_eq!(
        second.err().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(pid?, before, "the failure cost the shared connection");
    let rows = User::select().order_by(User::email.asc()).all(&db).await?;
    let names: Vec<&str> = rows.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Earlier", "First"]);
    assert_eq!(db.status().size, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_join_dropped_midway_returns_its_connection(db: Db) -> Result<()> {
    let db = pool(&db, true).await?;
    let before = backend_pid(&db).await?;
    // Polled once (both statements sent on the shared connection), then dropped. On a
    // multi-threaded runtime an answer can come back within that first poll; such a try
    // proves nothing, so it is made again until one is dropped with its statements pending.
    let mut dropped_pending = false;
    for _ in 0..50 {
        let mut join = Box::pin(async { tokio::try_join!(backend_pid(&db), backend_pid(&db)) });
        let first = std::future::poll_fn(|cx| Poll::Ready(join.as_mut().poll(cx))).await;
        if first.is_pending() {
            dropped_pending = true;
            break;
        }
    }
    assert!(dropped_pending, "every try answered within its first poll");
    let mut status = db.status();
    for _ in 0..100 {
        if status.in_use == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        status = db.status();
    }
    assert_eq!((status.size, status.in_use), (1, 0));
    // The same session serves the next statement, its answers to the dropped ones skipped.
    assert_eq!(backend_pid(&db).await?, before);
    let (a, b) = tokio::try_join!(backend_pid(&db), backend_pid(&db))?;
    assert_eq!((a, b), (before, before));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_transaction_joined_with_a_statement_takes_its_own_session(db: Db) -> Result<()> {
    let db = pool(&db, true).await?;
    // The statement runs while the transaction holds its connection, whatever the order the
    // two futures first get polled in.
    let (opened, statement_done) = (tokio::sync::Notify::new(), tokio::sync::Notify::new());
    let (in_tx, alone) = tokio::try_join!(
        db.transaction(async |tx| {
            let pid = backend_pid(tx).await?;
            opened.notify_one();
            statement_done.notified().await;
            Ok(pid)
        }),
        async {
            opened.notified().await;
            let pid = backend_pid(&db).await;
            statement_done.notify_one();
            pid
        },
    )?;
    assert_ne!(in_tx, alone);
    assert_eq!(db.status().in_use, 0);
    Ok(())
}

/// A pipelining pool of one connection, held by a `Conn` for `hold` and then returned: the
/// pool, the held session's process, and the task that returns it.
async fn one_connection_held(
    db: &Db,
    wait: Duration,
    hold: Duration,
) -> Result<(Db, i32, tokio::task::JoinHandle<()>)> {
    let config: Config = db
        .config()
        .clone()
        .pool_size(1)
        .pipelining(true)
        .wait_timeout(wait);
    let db = Db::connect(config).await?;
    let held = db.conn().await?;
    let pid = backend_pid(&held).await?;
    let returned = tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        drop(held);
    });
    Ok((db, pid, returned))
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_share_whose_checkout_was_cancelled_is_taken_over_by_the_next(db: Db) -> Result<()> {
    // The only connection is held: the first share of the join waits in the pool for it, the
    // second waits for the first. The first is cancelled; the second must check out itself
    // once the connection is back, not wait for a checkout nobody makes any more.
    let (db, pid, returned) =
        one_connection_held(&db, Duration::from_secs(5), Duration::from_millis(300)).await?;
    let joined = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::join!(
            tokio::time::timeout(Duration::from_millis(50), backend_pid(&db)),
            backend_pid(&db),
        )
    })
    .await;
    let Ok((first, second)) = joined else {
        panic!("the second share waited for a checkout that was cancelled");
    };
    assert!(
        first.is_err(),
        "the first share was not cancelled: {first:?}"
    );
    assert_eq!(second?, pid);
    returned
        .await
        .expect("the task holding the connection panicked");
    let status = db.status();
    assert_eq!((status.size, status.in_use), (1, 0));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_share_whose_checkout_failed_is_taken_over_by_the_next(db: Db) -> Result<()> {
    // The first share's checkout times out (at 300 ms) while the connection is held; the second,
    // which joined it at 100 ms and waited for it, then checks out by itself and gets the
    // connection when it is returned (at 400 ms).
    let (db, pid, returned) =
        one_connection_held(&db, Duration::from_millis(300), Duration::from_millis(400)).await?;
    let (first, second) = tokio::join!(backend_pid(&db), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        backend_pid(&db).await
    });
    let err = first.err().map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::PoolTimeout));
    assert_eq!(second?, pid);
    returned
        .await
        .expect("the task holding the connection panicked");
    Ok(())
}
