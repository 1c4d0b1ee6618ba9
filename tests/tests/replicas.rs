//! Read replicas and failover on real servers: a throwaway primary and a streaming replica made
//! from it with `pg_basebackup -R -X stream` (see `buster_db_tests::cluster`), both stopped and
//! removed when the test ends, also on panic.
//!
//! Routing is counted per server: each pool counts the statements it sent (the primary's in
//! `Db::status`, each replica's in `Db::replica_status`); the probes and WAL-position reads of
//! the runtime are not counted, and no test statement runs through the pools it counts.
//! Every test prints its figures (`cargo test --test replicas -- --nocapture`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use buster_db::migrate::migrate;
use buster_db::prelude::*;
use buster_db::{Config, Db, ErrorKind, ReadConsistency, Uuid};
use buster_db_tests::cluster::{Cluster, StopMode, wait_until};
use buster_db_tests::{User, new_user};

/// The tests of this file start servers of their own; one at a time keeps their timings apart.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A primary with the product's schema and a streaming replica of it.
struct Pair {
    primary: Cluster,
    replica: Cluster,
}

async fn pair() -> Pair {
    let primary = Cluster::start().unwrap_or_else(|e| panic!("primary: {e}"));
    let admin = Db::connect(primary.config("postgres").expect("url").pool_size(1))
        .await
        .unwrap_or_else(|e| panic!("primary: {e}"));
    migrate(&admin, buster_database::MIGRATIONS)
        .await
        .unwrap_or_else(|e| panic!("migrate the primary: {e}"));
    admin.close();
    let replica = primary
        .start_replica()
        .unwrap_or_else(|e| panic!("replica: {e}"));
    Pair { primary, replica }
}

/// A pool on the primary reading from the replica.
fn routed(pair: &Pair) -> Config {
    pair.primary
        .config("postgres")
        .and_then(|c| c.replica(&pair.replica.url("postgres")))
        .expect("urls")
        .pool_size(4)
        .wait_timeout(Duration::from_secs(2))
        .create_timeout(Duration::from_secs(1))
}

/// Admin statements sent straight to one server, outside the pools being counted.
async fn admin(cluster: &Cluster) -> Db {
    Db::connect(cluster.config("postgres").expect("url").pool_size(1))
        .await
        .unwrap_or_else(|e| panic!("admin pool: {e}"))
}

async fn execute(on: &Db, sql: &'static str) {
    if let Err(e) = buster_db::raw_query::<()>(sql).execute(on).await {
        panic!("{sql}: {e}");
    }
}

/// Statements sent by the primary's pool and by the replica's.
type Counts = (u64, u64);

/// Statements sent so far by the primary's pool and by the replica's.
fn counts(db: &Db) -> (u64, u64) {
    let replica = db
        .replica_status()
        .first()
        .map_or(0, |r| r.pool.statements_executed);
    (db.status().statements_executed, replica)
}

/// Runs `op` and returns how many statements the primary and the replica sent for it.
async fn routed_to<F, Fut>(db: &Db, op: F) -> (u64, u64)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = buster_db::Result<()>>,
{
    let before = counts(db);
    if let Err(e) = op().await {
        panic!("operation failed: {e}");
    }
    let after = counts(db);
    (after.0 - before.0, after.1 - before.1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_the_replica_and_everything_else_to_the_primary() {
    let _serial = SERIAL.lock().await;
    let pair = pair().await;
    // A generous wait: every read must find the replica caught up, never time out to the
    // primary, so that the counts are exact.
    let db = Db::connect(routed(&pair).replica_wait(Duration::from_secs(5)))
        .await
        .expect("routed pool");
    assert!(db.replica_status()[0].healthy, "{:?}", db.replica_status());

    let ada = User::insert(new_user("ada@example.com", "Ada"))
        .one(&db)
        .await
        .expect("insert");
    let id = ada.id;
    let mut table: Vec<(&str, Counts, Counts)> = Vec::new();
    let mut check = |name, got, want| table.push((name, got, want));

    check(
        "insert",
        routed_to(&db, || async {
            User::insert(new_user("bob@example.com", "Bob"))
                .execute(&db)
                .await
                .map(drop)
        })
        .await,
        (1, 0),
    );
    check(
        "find",
        routed_to(&db, || async { User::find(id).one(&db).await.map(drop) }).await,
        (0, 1),
    );
    check(
        "select all",
        routed_to(&db, || async {
            let all = User::select().all(&db).await?;
            assert_eq!(all.len(), 2, "the replica sees both rows");
            Ok(())
        })
        .await,
        (0, 1),
    );
    check(
        "count",
        routed_to(&db, || async { User::select().count(&db).await.map(drop) }).await,
        (0, 1),
    );
    check(
        "exists",
        routed_to(&db, || async {
            User::select()
                .filter(User::email.eq("ada@example.com"))
                .exists(&db)
                .await
                .map(drop)
        })
        .await,
        (0, 1),
    );
    check(
        "paginate (rows and count)",
        routed_to(&db, || async {
            User::select()
                .order_by(User::email.asc())
                .paginate(1, 10, &db)
                .await
                .map(drop)
        })
        .await,
        (0, 2),
    );
    check(
        "projection",
        routed_to(&db, || async {
            User::select()
                .columns((User::email, User::name))
                .all(&db)
                .await
                .map(drop)
        })
        .await,
        (0, 1),
    );
    check(
        "update",
        routed_to(&db, || async {
            User::update(id)
                .set(User::name, "Ada L.")
                .execute(&db)
                .await
                .map(drop)
        })
        .await,
        (1, 0),
    );
    check(
        "soft delete",
        routed_to(&db, || async {
            User::soft_delete(id).execute(&db).await.map(drop)
        })
        .await,
        (1, 0),
    );
    check(
        "read on db.primary()",
        routed_to(&db, || async {
            User::select().count(&db.primary()).await.map(drop)
        })
        .await,
        (1, 0),
    );
    check(
        "read on a Conn",
        routed_to(&db, || async {
            let conn = db.conn().await?;
            User::select().count(&conn).await.map(drop)
        })
        .await,
        (1, 0),
    );
    check(
        "transaction with for_update",
        routed_to(&db, || async {
            db.transaction(async |tx| {
                User::select().for_update().all(tx).await?;
                User::select().count(tx).await?;
                Ok::<_, buster_db::Error>(())
            })
            .await
        })
        .await,
        (2, 0),
    );
    for (name, got, want) in &table {
        println!("{name}: primary {}, replica {}", got.0, got.1);
        assert_eq!(got, want, "{name}: (primary, replica)");
    }
    // A write sent to the replica itself is refused as ReadOnly, not retried.
    let on_replica = admin(&pair.replica).await;
    let refused = User::insert(new_user("eve@example.com", "Eve"))
        .execute(&on_replica)
        .await
        .err();
    assert_eq!(
        refused.as_ref().map(buster_db::Error::kind),
        Some(ErrorKind::ReadOnly),
        "{refused:?}"
    );
    assert_eq!(
        refused.and_then(|e| e.code().map(str::to_owned)).as_deref(),
        Some("25006")
    );
}

/// Writes a user and reads it back by id through `db`, `pairs` times; pauses the replica's
/// replay for pairs `paused`. Returns the stale reads (the row not found) and the reads the
/// replica served.
async fn write_then_read(
    db: &Db,
    replica_admin: &Db,
    pairs: usize,
    paused: std::ops::Range<usize>,
    tag: &str,
) -> (usize, u64) {
    let mut stale = 0;
    let served_before = counts(db).1;
    for i in 0..pairs {
        if i == paused.start {
            execute(replica_admin, "SELECT pg_wal_replay_pause()").await;
        }
        if i == paused.end {
            execute(replica_admin, "SELECT pg_wal_replay_resume()").await;
        }
        let user = User::insert(new_user(&format!("{tag}{i}@example.com"), "Pair"))
            .one(db)
            .await
            .unwrap_or_else(|e| panic!("write {i}: {e}"));
        let read = User::find(user.id)
            .optional(db)
            .await
            .unwrap_or_else(|e| panic!("read {i}: {e}"));
        if read.is_none() {
            stale += 1;
        }
    }
    if paused.end >= pairs {
        execute(replica_admin, "SELECT pg_wal_replay_resume()").await;
    }
    (stale, counts(db).1 - served_before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_your_writes_holds_under_replica_lag_and_the_relaxed_mode_counts_stale_reads() {
    let _serial = SERIAL.lock().await;
    let pair = pair().await;
    let replica_admin = admin(&pair.replica).await;
    let pairs = 1_000;
    let paused = 400..600;

    let safe = Db::connect(routed(&pair).replica_wait(Duration::from_millis(10)))
        .await
        .expect("routed pool");
    let started = Instant::now();
    let (stale, served) = write_then_read(&safe, &replica_admin, pairs, paused.clone(), "s").await;
    println!(
        "read-your-writes: {pairs} write-then-read pairs, replay paused for {} of them: {stale} \
         stale reads, {served} reads served by the replica, {} by the primary, in {} ms",
        paused.len(),
        pairs as u64 - served,
        started.elapsed().as_millis()
    );
    assert_eq!(stale, 0, "read-your-writes returned stale rows");
    assert!(served > 0, "the replica served no read");
    assert!(
        (served as usize) <= pairs - paused.len(),
        "the paused replica served {served} reads"
    );

    let relaxed = Db::connect(routed(&pair).read_consistency(ReadConsistency::Eventual))
        .await
        .expect("relaxed pool");
    let (stale, served) =
        write_then_read(&relaxed, &replica_admin, pairs, paused.clone(), "r").await;
    println!(
        "eventual: {pairs} pairs, replay paused for {}: {stale} stale reads, {served} served by \
         the replica",
        paused.len()
    );
    assert!(
        stale >= paused.len(),
        "with replay paused every read of a new row on the replica is stale: {stale}"
    );
    assert_eq!(
        served, pairs as u64,
        "the relaxed mode reads on the replica only"
    );
    assert_eq!(relaxed.write_token(), buster_db::WriteToken::default());

    // A token carried to another handle (another process, a later request) makes its reads
    // as fresh as the write it names.
    execute(&replica_admin, "SELECT pg_wal_replay_pause()").await;
    let written = User::insert(new_user("token@example.com", "Token"))
        .one(&safe)
        .await
        .expect("write");
    let token: buster_db::WriteToken = safe.write_token().to_string().parse().expect("token");
    let other = Db::connect(routed(&pair).replica_wait(Duration::from_millis(10)))
        .await
        .expect("another pool");
    other.observe(token);
    let seen = User::find(written.id).optional(&other).await.expect("read");
    execute(&replica_admin, "SELECT pg_wal_replay_resume()").await;
    assert_eq!(
        seen.map(|u| u.id),
        Some(written.id),
        "the token's write was not seen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_replica_is_left_out_within_a_second_and_serves_again_when_back() {
    let _serial = SERIAL.lock().await;
    let pair = pair().await;
    let db = Db::connect(routed(&pair)).await.expect("routed pool");
    let id: Uuid = User::insert(new_user("reader@example.com", "Reader"))
        .one(&db)
        .await
        .expect("insert")
        .id;
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let served = Arc::new(AtomicU64::new(0));
    let reader = tokio::spawn({
        let (db, stop, failed, served) = (db.clone(), stop.clone(), failed.clone(), served.clone());
        async move {
            while !stop.load(Ordering::Relaxed) {
                match User::find(id).one(&db).await {
                    Ok(_) => served.fetch_add(1, Ordering::Relaxed),
                    Err(e) => {
                        println!("failed read: {:?} {e}", e.kind());
                        failed.fetch_add(1, Ordering::Relaxed)
                    }
                };
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let on_replica_before = counts(&db).1;
    assert!(
        on_replica_before > 0,
        "the replica served nothing before the stop"
    );

    pair.replica
        .stop(StopMode::Immediate)
        .expect("stop the replica");
    let stopped = Instant::now();
    let primary_before = counts(&db).0;
    let moved = wait_until(Duration::from_secs(5), || async {
        counts(&db).0 > primary_before
    })
    .await;
    let moved_after = stopped.elapsed();
    let out = wait_until(Duration::from_secs(5), || async {
        !db.replica_status()[0].healthy
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status = db.replica_status();

    pair.replica.start_again().expect("start the replica again");
    let started = Instant::now();
    let replica_before = counts(&db).1;
    let back = wait_until(Duration::from_secs(10), || async {
        counts(&db).1 > replica_before
    })
    .await;
    let back_after = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    reader.await.expect("reader");
    println!(
        "replica stopped: reads on the primary after {} ms, {} failed reads, out of rotation: \
         {:?}; replica started again: serving after {} ms; {} reads in all",
        moved_after.as_millis(),
        failed.load(Ordering::Relaxed),
        status[0].reason,
        back_after.as_millis(),
        served.load(Ordering::Relaxed)
    );
    assert!(moved, "reads never moved to the primary");
    assert!(moved_after < Duration::from_secs(1), "took {moved_after:?}");
    assert!(out, "the stopped replica stayed in rotation");
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "reads failed while the replica was down"
    );
    assert!(back, "the replica never served again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lagging_replica_is_left_out_until_it_catches_up() {
    let _serial = SERIAL.lock().await;
    let pair = pair().await;
    let replica_admin = admin(&pair.replica).await;
    let db = Db::connect(
        routed(&pair)
            .read_consistency(ReadConsistency::Eventual)
            .max_replica_lag(Duration::from_millis(300)),
    )
    .await
    .expect("routed pool");
    assert!(db.replica_status()[0].healthy, "{:?}", db.replica_status());
    execute(&replica_admin, "SELECT pg_wal_replay_pause()").await;
    User::insert(new_user("lag@example.com", "Lag"))
        .execute(&db)
        .await
        .expect("write");
    let started = Instant::now();
    let out = wait_until(Duration::from_secs(5), || async {
        !db.replica_status()[0].healthy
    })
    .await;
    let out_after = started.elapsed();
    let status = db.replica_status();
    let before = counts(&db);
    let seen = User::select().count(&db).await.expect("read while lagging");
    let after = counts(&db);
    execute(&replica_admin, "SELECT pg_wal_replay_resume()").await;
    let back = wait_until(Duration::from_secs(5), || async {
        db.replica_status()[0].healthy
    })
    .await;
    println!(
        "lagging replica: out of rotation after {} ms ({:?}, lag {:?}); a read meanwhile on \
         the primary saw {seen} row(s); back in rotation once replay resumed: {back}",
        out_after.as_millis(),
        status[0].reason,
        status[0].lag
    );
    assert!(out, "the paused replica stayed in rotation");
    assert!(
        status[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("lagging")),
        "{status:?}"
    );
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 0));
    assert_eq!(seen, 1);
    assert!(back, "the replica did not come back after catching up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_refuses_migrations_passes_the_drift_check_and_leaves_rotation_once_promoted() {
    let _serial = SERIAL.lock().await;
    let pair = pair().await;
    let on_replica = admin(&pair.replica).await;
    let refused = migrate(&on_replica, buster_database::MIGRATIONS)
        .await
        .err();
    assert_eq!(
        refused.as_ref().map(buster_db::Error::kind),
        Some(ErrorKind::ReadOnly),
        "{refused:?}"
    );
    let message = refused.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("standby"), "{message}");
    let schema = &buster_database::SCHEMA;
    let differences = buster_db::drift::check(&on_replica, schema.tables, schema.enums)
        .await
        .expect("drift check on the standby");
    assert!(differences.is_empty(), "{differences:?}");

    // Promoted, it is a primary of its own: a pool that read from it leaves it out.
    let db = Db::connect(routed(&pair)).await.expect("routed pool");
    assert!(db.replica_status()[0].healthy, "{:?}", db.replica_status());
    pair.replica.promote().expect("promote");
    let out = wait_until(Duration::from_secs(5), || async {
        !db.replica_status()[0].healthy
    })
    .await;
    let status = db.replica_status();
    println!("promoted replica: {:?}", status[0].reason);
    assert!(out, "the promoted replica stayed in rotation");
    assert!(
        status[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("promoted")),
        "{status:?}"
    );
    let before = counts(&db);
    User::select().count(&db).await.expect("read");
    let after = counts(&db);
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 0));
}

/// Writers through a multi-host URL while the primary dies and the standby is promoted.
async fn failover(synchronous: bool) -> (u64, u64, u64, Duration) {
    let pair = pair().await;
    if synchronous {
        let primary_admin = admin(&pair.primary).await;
        execute(
            &primary_admin,
            "ALTER SYSTEM SET synchronous_standby_names = '*'",
        )
        .await;
        execute(&primary_admin, "SELECT pg_reload_conf()").await;
        primary_admin.close();
    }
    let url = format!(
        "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/postgres?target_session_attrs=read-write",
        pair.primary.port(),
        pair.replica.port()
    );
    let config = Config::from_url(&url)
        .expect("url")
        .pool_size(4)
        .wait_timeout(Duration::from_secs(1))
        .create_timeout(Duration::from_secs(1));
    let db = Db::connect(config).await.expect("multi-host pool");
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let failed = Arc::new(AtomicU64::new(0));
    let first_after = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let promoted_at = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (db, stop, acked, failed) = (db.clone(), stop.clone(), acked.clone(), failed.clone());
        let (first_after, promoted_at) = (first_after.clone(), promoted_at.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let email = format!("w{w}-{n}@example.com");
                match User::insert(new_user(&email, "Writer")).execute(&db).await {
                    Ok(_) => {
                        if let Ok(mut acked) = acked.lock() {
                            acked.push(email);
                        }
                        let promoted = promoted_at.lock().ok().and_then(|p| *p);
                        if promoted.is_some()
                            && let Ok(mut first) = first_after.lock()
                            && first.is_none()
                        {
                            *first = Some(Instant::now());
                        }
                    }
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    pair.primary
        .stop(StopMode::Immediate)
        .expect("stop the primary");
    let died = Instant::now();
    pair.replica.promote().expect("promote the standby");
    let promoted = Instant::now();
    println!(
        "failover: the standby promoted {} ms after the primary died",
        promoted.duration_since(died).as_millis()
    );
    if let Ok(mut at) = promoted_at.lock() {
        *at = Some(promoted);
    }
    let resumed = wait_until(Duration::from_secs(10), || async {
        first_after.lock().ok().and_then(|f| *f).is_some()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    assert!(resumed, "writes never resumed on the promoted standby");
    let to_first = first_after
        .lock()
        .ok()
        .and_then(|f| *f)
        .map_or(Duration::MAX, |f| f.duration_since(promoted));
    let new_primary = admin(&pair.replica).await;
    let present: std::collections::HashSet<String> = User::select()
        .all(&new_primary)
        .await
        .expect("read the new primary")
        .into_iter()
        .map(|u| u.email)
        .collect();
    let acked = acked.lock().map(|a| a.clone()).unwrap_or_default();
    let lost = acked.iter().filter(|e| !present.contains(*e)).count() as u64;
    (
        acked.len() as u64,
        lost,
        failed.load(Ordering::Relaxed),
        to_first,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failover_to_a_promoted_standby_loses_no_acknowledged_write_with_synchronous_replication() {
    let _serial = SERIAL.lock().await;
    let (acked, lost, failed, to_first) = failover(true).await;
    println!(
        "failover, synchronous replication: {acked} acknowledged writes, {lost} lost, {failed} \
         failed; first write on the new primary {} ms after the promotion",
        to_first.as_millis()
    );
    assert!(acked > 0);
    assert_eq!(lost, 0, "acknowledged writes were lost");

    let (acked, lost, failed, to_first) = failover(false).await;
    println!(
        "failover, asynchronous replication: {acked} acknowledged writes, {lost} lost (the \
         standby had not received them), {failed} failed; first write on the new primary {} ms \
         after the promotion",
        to_first.as_millis()
    );
    assert!(acked > 0);
}
