//! Pool lifecycle on a throwaway cluster, observed in `pg_stat_activity`: the minimum of open
//! connections at start-up and after backends are killed, the maximum lifetime (backends
//! replaced, never one in use), the idle timeout, and the ping on every checkout.

use std::collections::BTreeSet;
use std::time::Duration;

use buster_db::prelude::*;
use buster_db::{Config, Result, raw_query};
use buster_db_tests::cluster::{Cluster, wait_until};

/// A started cluster and an admin pool on it (tagged `lc_admin`, so it is never counted).
async fn cluster() -> (Cluster, Db) {
    let cluster = match tokio::task::spawn_blocking(Cluster::start).await {
        Ok(Ok(cluster)) => cluster,
        Ok(Err(e)) => panic!("cannot start a throwaway cluster: {e}"),
        Err(e) => panic!("cannot start a throwaway cluster: {e}"),
    };
    let admin = connect(config(&cluster, "lc_admin").pool_size(2)).await;
    (cluster, admin)
}

fn config(cluster: &Cluster, app: &str) -> Config {
    match cluster.config("postgres") {
        Ok(config) => config
            .application_name(app)
            .wait_timeout(Duration::from_secs(2)),
        Err(e) => panic!("cluster URL: {e}"),
    }
}

async fn connect(config: Config) -> Db {
    match Db::connect(config).await {
        Ok(db) => db,
        Err(e) => panic!("cannot connect: {e}"),
    }
}

/// The server processes of the sessions tagged `app`.
async fn backends(admin: &Db, app: &str) -> BTreeSet<i32> {
    match raw_query::<i32>("SELECT pid FROM pg_stat_activity WHERE application_name = $1")
        .bind(app)
        .all(admin)
        .await
    {
        Ok(pids) => pids.into_iter().collect(),
        Err(e) => panic!("pg_stat_activity: {e}"),
    }
}

/// The process serving the session that runs the statement.
async fn backend_pid(on: &impl Executor) -> Result<i32> {
    raw_query("SELECT pg_backend_pid()").one(on).await
}

/// Waits until `app` has exactly `n` sessions; returns them.
async fn settle(admin: &Db, app: &str, n: usize, within: Duration) -> BTreeSet<i32> {
    let mut last = BTreeSet::new();
    let settled = wait_until(within, || {
        let admin = admin.clone();
        async move { backends(&admin, app).await.len() == n }
    })
    .await;
    if settled {
        last = backends(admin, app).await;
    }
    assert!(
        settled,
        "`{app}` did not settle at {n} sessions within {within:?}: {:?}",
        backends(admin, app).await
    );
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn min_idle_connections_open_at_start_and_come_back_after_a_kill() -> Result<()> {
    let (_cluster, admin) = cluster().await;
    let db = connect(config(&_cluster, "lc_min").pool_size(5).min_idle(3)).await;
    let first = backends(&admin, "lc_min").await;
    assert_eq!(first.len(), 3, "opened at start: {first:?}");

    raw_query::<bool>(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind("lc_min")
    .all(&admin)
    .await?;
    let restored = wait_until(Duration::from_secs(5), || {
        let (admin, first) = (admin.clone(), first.clone());
        async move {
            let now = backends(&admin, "lc_min").await;
            now.len() == 3 && now.is_disjoint(&first)
        }
    })
    .await;
    let again = backends(&admin, "lc_min").await;
    assert!(
        restored,
        "not restored to 3 new sessions: {first:?} then {again:?}"
    );
    // The pool serves at once, on the new connections.
    let pid = backend_pid(&db).await?;
    assert!(again.contains(&pid), "{pid} not among {again:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_lifetime_replaces_backends_but_never_one_in_use() -> Result<()> {
    let (_cluster, admin) = cluster().await;
    let lifetime = Duration::from_millis(800);
    let db = connect(
        config(&_cluster, "lc_life")
            .pool_size(2)
            .min_idle(2)
            .max_lifetime(Some(lifetime)),
    )
    .await;
    let first = backends(&admin, "lc_life").await;
    assert_eq!(first.len(), 2);

    // A connection in use outlives its lifetime: its statement runs to the end on the same
    // backend, and so does the next one.
    let conn = db.conn().await?;
    let pid = backend_pid(&conn).await?;
    raw_query::<()>("SELECT pg_sleep($1)")
        .bind(1.2f64)
        .execute(&conn)
        .await?;
    assert_eq!(backend_pid(&conn).await?, pid);
    drop(conn);
    // Returned, it is closed, and every original backend is replaced, the minimum kept.
    let replaced = wait_until(Duration::from_secs(5), || {
        let (admin, first) = (admin.clone(), first.clone());
        async move {
            let now = backends(&admin, "lc_life").await;
            now.len() == 2 && now.is_disjoint(&first)
        }
    })
    .await;
    assert!(
        replaced,
        "backends not replaced: {first:?} then {:?}",
        backends(&admin, "lc_life").await
    );
    // A statement on the `Db` goes to a connection younger than the lifetime.
    let served = backend_pid(&db).await?;
    assert!(!first.contains(&served));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_closes_connections_above_the_minimum() -> Result<()> {
    let (_cluster, admin) = cluster().await;
    let db = connect(
        config(&_cluster, "lc_idle")
            .pool_size(4)
            .min_idle(1)
            .idle_timeout(Some(Duration::from_millis(400))),
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(db.conn().await?);
    }
    let mut pids = BTreeSet::new();
    for conn in &held {
        pids.insert(backend_pid(conn).await?);
    }
    assert_eq!(pids.len(), 4);
    // While checked out, none is closed, however long it stays.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(backends(&admin, "lc_idle").await, pids);
    drop(held);
    let left = settle(&admin, "lc_idle", 1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        backends(&admin, "lc_idle").await,
        left,
        "the minimum was not kept"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_on_checkout_pings_every_checkout() -> Result<()> {
    let (_cluster, admin) = cluster().await;
    for (app, ping) in [("lc_ping", true), ("lc_noping", false)] {
        let db = connect(config(&_cluster, app).pool_size(1).ping_on_checkout(ping)).await;
        let conn = db.conn().await?;
        let pid = backend_pid(&conn).await?;
        drop(conn);
        // The same connection again: with the ping, its session's last query is the ping.
        let conn = db.conn().await?;
        let text: String = raw_query("SELECT query FROM pg_stat_activity WHERE pid = $1")
            .bind(pid)
            .optional(&admin)
            .await?
            .unwrap_or_else(|| panic!("backend {pid} is gone"));
        drop(conn);
        if ping {
            assert_eq!(text, "", "no ping on checkout");
        } else {
            assert_eq!(
                text, "SELECT pg_backend_pid()",
                "pinged without being asked to"
            );
        }
    }
    Ok(())
}

/// Sends `signal` (`STOP`, `CONT`) to the server process `pid`.
fn signal(pid: i32, signal: &str) {
    match std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
    {
        Ok(status) if status.success() => {}
        other => panic!("kill -{signal} {pid}: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_whose_checkout_ping_fails_is_closed_and_replaced() -> Result<()> {
    let (_cluster, admin) = cluster().await;
    let db = connect(
        config(&_cluster, "lc_frozen")
            .pool_size(1)
            .ping_on_checkout(true)
            .recycle_timeout(Duration::from_millis(300)),
    )
    .await;
    let conn = db.conn().await?;
    let frozen = backend_pid(&conn).await?;
    drop(conn);
    // The server process stops answering, its socket stays open: only the ping can tell.
    signal(frozen, "STOP");
    let checked_out = db.conn().await;
    signal(frozen, "CONT");
    let conn = checked_out?;
    let replacement = backend_pid(&conn).await?;
    assert_ne!(replacement, frozen, "the frozen connection was handed out");
    drop(conn);
    assert_eq!(
        db.status().size,
        1,
        "the frozen connection is still in the pool"
    );
    // The frozen session ends once its process runs again and finds the socket closed.
    let left = settle(&admin, "lc_frozen", 1, Duration::from_secs(10)).await;
    assert_eq!(left, BTreeSet::from([replacement]));
    Ok(())
}
