//! The reliability suite: killed connections, restarted servers, cancelled requests, schema
//! changes, exhausted pools, server timeouts, real constraint violations, deadlocks and
//! serialization failures, hostile input, injection attempts, leaked secrets and the soft-delete
//! rules under random and concurrent operations.
//!
//! Tests `f01`–`f06`, `f10`, `f12`–`f14` (`f12` and `f13` through PgBouncer) each start a
//! throwaway PostgreSQL cluster of their own (see `buster_db_tests::cluster`), since they kill,
//! restart or reconfigure the server; `f01`–`f06` and `f14` reach it over verified TLS only
//! (`FAULT_TRANSPORT=plain`: over plain TCP), `f10`, `f12` and `f13` over plain TCP; the others
//! run on a per-test database of the shared server. Every test takes the same lock first, so the
//! tests of this file run one at a time: their timings are not disturbed by each other.
//!
//! Every operation is recorded as acknowledged, failed with an error kind, or unknown (cancelled
//! or cut off while in flight), and a final read decides: every acknowledged write is present,
//! nothing is present that was never attempted, and no transaction is half there. Each test
//! prints its figures (`cargo test --test reliability -- --nocapture`). Random choices come from
//! a seeded generator; the seed is printed and `FAULT_SEED=<n>` replays it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant};

use buster_db::migrate::{Migration, migrate};
use buster_db::prelude::*;
use buster_db::types::serde_json;
use buster_db::{
    Config, Conn, DateTime, Error, ErrorKind, IsolationLevel, JsonValue, Result, TxOptions, Utc,
    Uuid, raw_query,
};
use buster_db_tests::capture::Capture;
use buster_db_tests::cluster::{Cluster, StopMode, free_port, wait_until};
use buster_db_tests::error_texts;
use buster_db_tests::pgbouncer::{PgBouncer, PoolMode};
use tokio::sync::Barrier;

/// The fixture tables below, created on each throwaway cluster and on each shared-server test
/// database.
static FIXTURES: &[Migration] = buster_db::embed_migrations!("fault_fixtures");

/// Held by every test of this file for its whole run.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------------------------------------
// Fixture tables (`tests/fault_fixtures/0001_fault.sql`).

/// A row written under faults; `grp` is the id of the first row of its transaction.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_events")]
pub struct FaultEvent {
    #[column(primary_key)]
    pub id: i64,
    pub writer: i32,
    pub grp: i64,
    pub payload: String,
}

/// A table whose column types change under a warm statement cache.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_items")]
pub struct FaultItem {
    #[column(primary_key)]
    pub id: i32,
    pub label: String,
    pub qty: i32,
}

/// An account that may not go below zero (`fault_accounts_balance_check`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_accounts")]
pub struct FaultAccount {
    #[column(primary_key)]
    pub id: i32,
    pub balance: i64,
}

/// An owner with a unique email (`fault_owners_email_key`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_owners")]
pub struct FaultOwner {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique)]
    pub email: String,
}

/// A pet: foreign key `fault_pets_owner_id_fkey`, check `fault_pets_age_check`.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_pets")]
pub struct FaultPet {
    #[column(primary_key)]
    pub id: i32,
    pub owner_id: i32,
    pub name: String,
    pub age: i32,
}

/// `label` is NOT NULL in SQL but optional here, on purpose.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_strict")]
pub struct FaultStrict {
    #[column(primary_key)]
    pub id: i32,
    pub label: Option<String>,
}

/// Hostile values: text, arrays, jsonb.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_blobs")]
pub struct FaultBlob {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub body: String,
    pub tags: Vec<String>,
    pub nums: Vec<i64>,
    pub doc: JsonValue,
}

/// Plain text rows (batch inserts go through UNNEST).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_notes")]
pub struct FaultNote {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub body: String,
}

/// A table and columns whose names hold a double quote and a semicolon.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "we\"ird", columns = "weird_cols")]
pub struct Weird {
    #[column(primary_key)]
    pub id: i32,
    #[column(name = "va\"l")]
    pub val: String,
    #[column(name = "semi;colon")]
    pub semi: String,
}

/// A soft-deletable document whose slug is unique among live rows.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_docs")]
pub struct FaultDoc {
    #[column(primary_key)]
    pub id: i32,
    #[column(unique)]
    pub slug: String,
    pub body: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A view that takes half a second to read.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fault_slow")]
pub struct FaultSlow {
    #[column(primary_key)]
    pub id: i32,
}

// ---------------------------------------------------------------------------------------------
// Harness.

/// How the clients of a throwaway cluster reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    /// TLS only, certificate verified (`sslmode=verify-full`, `hostssl` lines only).
    Tls,
    /// Plain TCP.
    Plain,
}

/// The transport of the fault tests: verified TLS, or plain TCP with `FAULT_TRANSPORT=plain`.
fn transport() -> Transport {
    match std::env::var("FAULT_TRANSPORT").as_deref() {
        Ok("plain") => Transport::Plain,
        _ => Transport::Tls,
    }
}

/// Runs `body` on a fresh throwaway cluster reached over [`transport`], on a multi-threaded
/// runtime, within `limit`.
fn on_cluster<F, Fut>(name: &str, limit: Duration, body: F)
where
    F: FnOnce(Cluster) -> Fut,
    Fut: Future<Output = ()>,
{
    on_cluster_over(name, limit, transport(), body);
}

fn on_cluster_over<F, Fut>(name: &str, limit: Duration, transport: Transport, body: F)
where
    F: FnOnce(Cluster) -> Fut,
    Fut: Future<Output = ()>,
{
    let _serial = SERIAL.blocking_lock();
    let started = Instant::now();
    let builder = Cluster::builder();
    let cluster = match transport {
        Transport::Plain => builder.start(),
        Transport::Tls => builder.tls_only().and_then(|builder| builder.start()),
    }
    .unwrap_or_else(|e| panic!("{name}: cannot start a throwaway cluster: {e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let body = body(cluster.clone());
    let finished = runtime.block_on(async { tokio::time::timeout(limit, body).await });
    runtime.shutdown_timeout(Duration::from_secs(5));
    assert!(
        finished.is_ok(),
        "{name} did not finish within {limit:?}; server log:\n{}",
        cluster.log_tail(40)
    );
    println!(
        "{name}: done in {} ms over {transport:?}",
        started.elapsed().as_millis()
    );
}

/// Runs a shared-server test body under the file's lock, within `limit`.
async fn bounded(name: &str, limit: Duration, body: impl Future<Output = ()>) {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    let finished = tokio::time::timeout(limit, body).await;
    assert!(finished.is_ok(), "{name} did not finish within {limit:?}");
    println!("{name}: done in {} ms", started.elapsed().as_millis());
}

/// A pool on the cluster's `postgres` database whose sessions are tagged `app`.
fn cluster_config(cluster: &Cluster, app: &str, pool: usize) -> Config {
    cluster
        .config("postgres")
        .expect("cluster URL")
        .application_name(app)
        .pool_size(pool)
        .wait_timeout(Duration::from_secs(2))
        .create_timeout(Duration::from_secs(2))
        .recycle_timeout(Duration::from_secs(2))
}

async fn connect(config: Config) -> Db {
    let shown = format!("{config:?}");
    Db::connect(config)
        .await
        .unwrap_or_else(|e| panic!("cannot connect with {shown}: {e}"))
}

/// The admin pool of a cluster, with the fixture tables created.
async fn prepare(cluster: &Cluster) -> Db {
    let admin = connect(cluster_config(cluster, "fault_admin", 2)).await;
    migrate(&admin, FIXTURES).await.expect("fixture migration");
    admin
}

/// Terminates every backend tagged `app`; returns their pids.
async fn terminate(admin: &Db, app: &str) -> Vec<i32> {
    // Materialized first, so that no other backend can reach `pg_terminate_backend`.
    let sql = "WITH tagged AS MATERIALIZED \
               (SELECT pid FROM pg_stat_activity WHERE application_name = $1) \
               SELECT pid FROM tagged WHERE pg_terminate_backend(pid)";
    match raw_query(sql).bind(app).all(admin).await {
        Ok(pids) => pids,
        Err(e) => panic!("pg_terminate_backend failed: {e}"),
    }
}

/// How many backends tagged `app` exist, and how many of them sit idle inside a transaction.
async fn sessions(admin: &Db, app: &str) -> (i64, i64) {
    let sql = "SELECT count(*), count(*) FILTER (WHERE state LIKE 'idle in transaction%') \
               FROM pg_stat_activity WHERE application_name = $1";
    raw_query(sql)
        .bind(app)
        .one(admin)
        .await
        .expect("pg_stat_activity")
}

async fn backend_pid(on: &impl Executor) -> Result<i32> {
    raw_query("SELECT pg_backend_pid()").one(on).await
}

async fn execute(on: &impl Executor, sql: &'static str) {
    if let Err(e) = raw_query::<()>(sql).execute(on).await {
        panic!("{sql}: {e}");
    }
}

/// The pool figures shown by `Db`'s `Debug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PoolStatus {
    connections: i64,
    idle: i64,
    waiting: i64,
}

fn pool_status(db: &Db) -> PoolStatus {
    let shown = format!("{db:?}");
    let field = |name: &str| -> i64 {
        let key = format!(", {name}: ");
        let Some(at) = shown.find(&key) else {
            panic!("`{name}` missing from {shown}");
        };
        let digits: String = shown[at + key.len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("bad `{name}` in {shown}"))
    };
    PoolStatus {
        connections: field("connections"),
        idle: field("idle"),
        waiting: field("waiting"),
    }
}

/// Checks out `n` connections at once: necessarily `n` different sessions.
async fn hold(db: &Db, n: usize) -> Vec<Conn> {
    let mut conns = Vec::with_capacity(n);
    for _ in 0..n {
        conns.push(db.conn().await.expect("checkout"));
    }
    conns
}

/// Outcomes of many operations, by kind.
#[derive(Default)]
struct Tally {
    ok: u64,
    unknown: u64,
    errors: BTreeMap<String, u64>,
    samples: Vec<String>,
}

impl Tally {
    fn error(&mut self, e: &Error) {
        *self.errors.entry(format!("{:?}", e.kind())).or_default() += 1;
        if self.samples.len() < 3 {
            self.samples.push(e.to_string());
        }
    }

    fn failed(&self) -> u64 {
        self.errors.values().sum()
    }

    fn ops(&self) -> u64 {
        self.ok + self.unknown + self.failed()
    }

    fn only(&self, kind: ErrorKind) -> bool {
        let name = format!("{kind:?}");
        self.errors.keys().all(|k| *k == name)
    }

    fn absorb(&mut self, other: Tally) {
        self.ok += other.ok;
        self.unknown += other.unknown;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        for s in other.samples {
            if self.samples.len() < 3 {
                self.samples.push(s);
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ops: {} ok, {} failed {:?}, {} unknown",
            self.ops(),
            self.ok,
            self.failed(),
            self.errors,
            self.unknown
        )
    }
}

/// SplitMix64: a small seeded generator, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn seeded(test: &str) -> Rng {
        let seed = std::env::var("FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(7)
            });
        println!("{test}: FAULT_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

fn event(id: i64, writer: i64, grp: i64) -> NewFaultEvent {
    NewFaultEvent {
        id,
        writer: writer as i32,
        grp,
        payload: format!("writer {writer}, row {id}"),
    }
}

/// One write of a load test: a single insert, or (`pair`) a transaction of two inserts sharing
/// `grp = id`.
async fn write_events(db: &Db, writer: i64, id: i64, pair: bool) -> Result<()> {
    if pair {
        db.transaction(async |tx| {
            FaultEvent::insert(event(id, writer, id)).one(tx).await?;
            FaultEvent::insert(event(id + 1, writer, id))
                .one(tx)
                .await?;
            Ok::<_, Error>(())
        })
        .await
    } else {
        FaultEvent::insert(event(id, writer, id))
            .one(db)
            .await
            .map(drop)
    }
}

/// What the writers of a load test know: which ids were acknowledged, which are unknown, and
/// which form two-row transactions.
#[derive(Default)]
struct WriteLog {
    acked: BTreeSet<i64>,
    unknown: BTreeSet<i64>,
    pairs: Vec<i64>,
    tally: Tally,
    hung: u64,
}

impl WriteLog {
    fn record(&mut self, id: i64, pair: bool, outcome: Option<&Result<()>>) {
        let ids = if pair { vec![id, id + 1] } else { vec![id] };
        if pair {
            self.pairs.push(id);
        }
        match outcome {
            Some(Ok(())) => {
                self.tally.ok += 1;
                self.acked.extend(ids);
            }
            Some(Err(e)) => {
                self.tally.error(e);
                self.unknown.extend(ids);
            }
            None => {
                self.hung += 1;
                self.tally.unknown += 1;
                self.unknown.extend(ids);
            }
        }
    }

    fn absorb(&mut self, other: WriteLog) {
        self.acked.extend(other.acked);
        self.unknown.extend(other.unknown);
        self.pairs.extend(other.pairs);
        self.tally.absorb(other.tally);
        self.hung += other.hung;
    }
}

/// The final read of a load test.
struct Verdict {
    rows: usize,
    lost: Vec<i64>,
    unexpected: Vec<i64>,
    torn: Vec<i64>,
    unknown_committed: usize,
}

async fn verdict(db: &Db, log: &WriteLog) -> Verdict {
    let rows = FaultEvent::select().all(db).await.expect("final read");
    let present: BTreeSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut per_group: BTreeMap<i64, usize> = BTreeMap::new();
    for r in &rows {
        *per_group.entry(r.grp).or_default() += 1;
    }
    Verdict {
        rows: rows.len(),
        lost: log.acked.difference(&present).copied().collect(),
        unexpected: present
            .iter()
            .filter(|id| !log.acked.contains(id) && !log.unknown.contains(id))
            .copied()
            .collect(),
        torn: log
            .pairs
            .iter()
            .filter(|g| per_group.get(g).is_some_and(|n| *n != 2))
            .copied()
            .collect(),
        unknown_committed: log.unknown.intersection(&present).count(),
    }
}

impl Verdict {
    fn assert_clean(&self, test: &str) {
        assert!(
            self.lost.is_empty(),
            "{test}: acknowledged rows lost: {:?}",
            self.lost
        );
        assert!(
            self.unexpected.is_empty(),
            "{test}: rows nobody wrote: {:?}",
            self.unexpected
        );
        assert!(
            self.torn.is_empty(),
            "{test}: half transactions: {:?}",
            self.torn
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Backend kills under load.

#[test]
fn f01_backend_kills_under_load() {
    on_cluster("f01", Duration::from_secs(50), f01);
}

async fn f01(cluster: Cluster) {
    const APP: &str = "fault_f01";
    const WRITERS: i64 = 8;
    let admin = prepare(&cluster).await;
    let db = connect(cluster_config(&cluster, APP, WRITERS as usize)).await;
    let calm = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));

    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (db, calm, stop) = (db.clone(), calm.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let (mut log, mut calm_log) = (WriteLog::default(), WriteLog::default());
            let mut seq = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = (w + 1) * 100_000_000 + seq * 2;
                let pair = seq % 2 == 1;
                seq += 1;
                let in_calm = calm.load(Ordering::Relaxed);
                let outcome =
                    tokio::time::timeout(Duration::from_secs(5), write_events(&db, w, id, pair))
                        .await
                        .ok();
                let target = if in_calm { &mut calm_log } else { &mut log };
                target.record(id, pair, outcome.as_ref());
            }
            (log, calm_log)
        }));
    }

    // The killer: every 30 ms, for 3 s, every backend of the pool.
    let started = Instant::now();
    let (mut killed, mut rounds) = (BTreeSet::new(), 0);
    while started.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(30)).await;
        killed.extend(terminate(&admin, APP).await);
        rounds += 1;
    }
    // Killing stopped: once the killed backends are gone (and the client saw their sockets
    // close), every operation must succeed.
    let pids: Vec<i32> = killed.iter().copied().collect();
    let gone = wait_until(Duration::from_secs(5), || async {
        let left = raw_query::<i64>("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)")
            .bind(pids.clone())
            .one(&admin)
            .await;
        left.is_ok_and(|n| n == 0)
    })
    .await;
    assert!(gone, "killed backends still listed after 5 s");
    tokio::time::sleep(Duration::from_millis(200)).await;
    calm.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);

    let (mut log, mut calm_log) = (WriteLog::default(), WriteLog::default());
    for w in writers {
        let (l, c) = w.await.expect("writer task panicked");
        log.absorb(l);
        calm_log.absorb(c);
    }
    let calm_errors = calm_log.tally.failed();
    let calm_ops = calm_log.tally.ops();
    let calm_samples = calm_log.tally.samples.clone();
    log.absorb(calm_log);
    let v = verdict(&admin, &log).await;
    println!(
        "f01 backend kills under load: {} writes by {WRITERS} writers ({}), {} backends killed \
         in {rounds} rounds; unknown outcomes: {} ids, {} of them committed; after the kills: \
         {calm_ops} writes, {calm_errors} errors; rows {}, lost {}, unexpected {}, torn {}",
        log.tally.ops(),
        log.tally,
        killed.len(),
        log.unknown.len(),
        v.unknown_committed,
        v.rows,
        v.lost.len(),
        v.unexpected.len(),
        v.torn.len()
    );
    v.assert_clean("f01");
    assert!(!killed.is_empty(), "f01: no backend was killed");
    assert_eq!(log.hung, 0, "f01: writes hung for 5 s");
    assert!(
        log.tally.only(ErrorKind::Connection),
        "f01: errors other than Connection: {} {:?}",
        log.tally,
        log.tally.samples
    );
    assert!(calm_ops > 0, "f01: no write after the kills");
    assert_eq!(
        calm_errors, 0,
        "f01: writes failed after the kills stopped: {calm_samples:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Server restarts during load.

#[test]
fn f02_server_restart_during_load() {
    on_cluster("f02", Duration::from_secs(50), f02);
}

/// One write of the restart test, with its timing.
struct Timed {
    end: Instant,
    ok: bool,
}

async fn f02(cluster: Cluster) {
    const APP: &str = "fault_f02";
    const WRITERS: i64 = 4;
    let admin = prepare(&cluster).await;
    let config = cluster_config(&cluster, APP, WRITERS as usize)
        .create_timeout(Duration::from_secs(1))
        .wait_timeout(Duration::from_secs(3));
    let db = connect(config).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (db, stop) = (db.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut log = WriteLog::default();
            let mut timeline = Vec::new();
            let mut seq = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = (w + 1) * 100_000_000 + seq * 2;
                let pair = seq % 3 == 2;
                seq += 1;
                let outcome =
                    tokio::time::timeout(Duration::from_secs(10), write_events(&db, w, id, pair))
                        .await
                        .ok();
                let ok = matches!(outcome, Some(Ok(())));
                timeline.push(Timed {
                    end: Instant::now(),
                    ok,
                });
                log.record(id, pair, outcome.as_ref());
                if !ok {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
            (log, timeline)
        }));
    }

    let mut restarts = Vec::new();
    for mode in [StopMode::Fast, StopMode::Immediate] {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let asked = Instant::now();
        let ready = cluster
            .restart_async(mode)
            .await
            .unwrap_or_else(|e| panic!("restart {mode:?}: {e}"));
        restarts.push((mode, ready, ready - asked));
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    stop.store(true, Ordering::Relaxed);

    let mut log = WriteLog::default();
    let mut timelines = Vec::new();
    for w in writers {
        let (l, t) = w.await.expect("writer task panicked");
        log.absorb(l);
        timelines.push(t);
    }
    let mut recoveries = Vec::new();
    for (mode, ready, down) in &restarts {
        // For each writer, its first success after the server was ready again.
        let worst = timelines
            .iter()
            .map(|t| {
                t.iter()
                    .find(|op| op.ok && op.end >= *ready)
                    .map_or(Duration::MAX, |op| op.end - *ready)
            })
            .max()
            .unwrap_or(Duration::MAX);
        recoveries.push((*mode, *down, worst));
    }
    let v = verdict(&admin, &log).await;
    println!(
        "f02 server restarts during load: {} writes by {WRITERS} writers ({}), 2 restarts; {}; \
         unknown outcomes: {} ids, {} committed; rows {}, lost {}, unexpected {}, torn {}, hung {}",
        log.tally.ops(),
        log.tally,
        recoveries
            .iter()
            .map(|(m, down, worst)| format!(
                "{m:?}: server down {} ms, every writer served again {} ms after ready",
                ms(*down),
                ms(*worst)
            ))
            .collect::<Vec<_>>()
            .join("; "),
        log.unknown.len(),
        v.unknown_committed,
        v.rows,
        v.lost.len(),
        v.unexpected.len(),
        v.torn.len(),
        log.hung
    );
    v.assert_clean("f02");
    assert_eq!(log.hung, 0, "f02: writes hung for 10 s");
    assert!(
        log.tally.only(ErrorKind::Connection),
        "f02: errors other than Connection: {} {:?}",
        log.tally,
        log.tally.samples
    );
    for (mode, _, worst) in recoveries {
        assert!(
            worst < Duration::from_secs(2),
            "f02: after the {mode:?} restart a writer was not served within 2 s ({worst:?})"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Cancellation at random points.

#[test]
fn f03_cancelled_transactions_and_queries() {
    on_cluster("f03", Duration::from_secs(50), f03);
}

/// What a cancellation-test operation writes: nothing, one row, or a two-row group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Read,
    Single,
    Pair,
}

async fn f03(cluster: Cluster) {
    const APP: &str = "fault_f03";
    let admin = prepare(&cluster).await;
    let db = connect(cluster_config(&cluster, APP, 1)).await;
    cancellation("f03", &admin, &db, APP, 2_000).await;
}

/// Runs `rounds` operations on `db` (a 1-connection pool whose sessions are tagged `app`), each
/// dropped after 0–5 ms, then checks what `admin` sees on the server.
async fn cancellation(test: &str, admin: &Db, db: &Db, app: &str, rounds: i64) {
    let mut rng = Rng::seeded(test);
    let mut tally = Tally::default();
    let (mut aborted, mut by_kind) = (0u64, [0u64; 5]);
    // Group id -> (shape, acknowledged).
    let mut groups: BTreeMap<i64, (Shape, bool)> = BTreeMap::new();
    let started = Instant::now();

    for round in 0..rounds {
        let grp = (round + 1) * 10;
        let budget = Duration::from_micros(rng.below(5_001));
        let kind = rng.below(5) as usize;
        by_kind[kind] += 1;
        let (a, b) = (event(grp, 0, grp), event(grp + 1, 0, grp));
        let (shape, outcome): (Shape, Option<Result<()>>) = match kind {
            // A transaction on the pool, dropped anywhere: before BEGIN, between the inserts,
            // during COMMIT.
            0 => (
                Shape::Pair,
                tokio::time::timeout(
                    budget,
                    db.transaction(async |tx| {
                        FaultEvent::insert(a).one(tx).await?;
                        FaultEvent::insert(b).one(tx).await?;
                        Ok::<_, Error>(())
                    }),
                )
                .await
                .ok(),
            ),
            // A transaction on a checked-out connection, which goes back to the pool after.
            1 => {
                let mut conn = match db.conn().await {
                    Ok(conn) => conn,
                    Err(e) => {
                        tally.error(&e);
                        continue;
                    }
                };
                let outcome = tokio::time::timeout(
                    budget,
                    conn.transaction(async |tx| {
                        FaultEvent::insert(a).one(tx).await?;
                        FaultEvent::insert(b).one(tx).await?;
                        Ok::<_, Error>(())
                    }),
                )
                .await
                .ok();
                (Shape::Pair, outcome)
            }
            // A savepoint inside a transaction: the outer row and the inner row stand or fall
            // together, since the outer transaction commits only when the inner one released.
            2 => (
                Shape::Pair,
                tokio::time::timeout(
                    budget,
                    db.transaction(async |tx| {
                        FaultEvent::insert(a).one(tx).await?;
                        tx.transaction(async |inner| {
                            FaultEvent::insert(b).one(inner).await?;
                            Ok::<_, Error>(())
                        })
                        .await
                    }),
                )
                .await
                .ok(),
            ),
            3 => (
                Shape::Single,
                tokio::time::timeout(budget, FaultEvent::insert(a).one(db))
                    .await
                    .ok()
                    .map(|r| r.map(drop)),
            ),
            _ => (
                Shape::Read,
                tokio::time::timeout(
                    budget,
                    FaultEvent::select()
                        .filter(FaultEvent::grp.eq(grp - 10))
                        .count(db),
                )
                .await
                .ok()
                .map(|r| r.map(drop)),
            ),
        };
        let acked = match &outcome {
            None => {
                tally.unknown += 1;
                false
            }
            Some(Ok(())) => {
                tally.ok += 1;
                true
            }
            Some(Err(e)) => {
                if e.code() == Some("25P02") {
                    aborted += 1;
                }
                tally.error(e);
                false
            }
        };
        if shape != Shape::Read {
            groups.insert(grp, (shape, acked));
        }
    }
    let elapsed = started.elapsed();

    // Afterwards: no session of the pool inside a transaction, and the pool still works.
    let deadline = Instant::now() + Duration::from_secs(5);
    let (settled, last) = loop {
        let last = sessions(admin, app).await;
        if last.1 == 0 && last.0 <= 1 {
            break (true, last);
        }
        if Instant::now() > deadline {
            break (false, last);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut after = Tally::default();
    for i in 0..50 {
        match FaultEvent::select()
            .filter(FaultEvent::grp.eq(i * 10))
            .count(db)
            .await
        {
            Ok(_) => after.ok += 1,
            Err(e) => after.error(&e),
        }
    }

    let rows = FaultEvent::select().all(admin).await.expect("final read");
    let mut per_group: BTreeMap<i64, usize> = BTreeMap::new();
    for r in &rows {
        *per_group.entry(r.grp).or_default() += 1;
    }
    let (mut torn, mut lost, mut committed_unknown) = (Vec::new(), Vec::new(), 0);
    for (grp, (shape, acked)) in &groups {
        let want = if *shape == Shape::Pair { 2 } else { 1 };
        let got = per_group.get(grp).copied().unwrap_or(0);
        if got != 0 && got != want {
            torn.push(*grp);
        }
        if *acked && got != want {
            lost.push(*grp);
        }
        if !*acked && got == want {
            committed_unknown += 1;
        }
    }
    let strays: Vec<i64> = per_group
        .keys()
        .filter(|g| !groups.contains_key(g))
        .copied()
        .collect();
    println!(
        "{test} cancellation: {rounds} operations in {} ms on a 1-connection pool (by kind: pool \
         tx {}, conn tx {}, savepoint {}, insert {}, read {}), cancelled after 0-5 ms: {}; \
         {}; 25P02 errors {aborted}; cancelled or failed writes that committed anyway: \
         {committed_unknown}; sessions afterwards {} (idle in transaction {}); 50 reads after: \
         {}; torn {}, lost {}, stray {}",
        ms(elapsed),
        by_kind[0],
        by_kind[1],
        by_kind[2],
        by_kind[3],
        by_kind[4],
        tally.unknown,
        tally,
        last.0,
        last.1,
        after,
        torn.len(),
        lost.len(),
        strays.len()
    );
    assert!(
        settled,
        "{test}: sessions of the pool afterwards: {last:?} (total, idle in transaction)"
    );
    assert_eq!(
        aborted, 0,
        "{test}: statements ran inside an aborted transaction"
    );
    assert_eq!(tally.failed(), 0, "{test}: errors: {:?}", tally.samples);
    assert_eq!(
        after.failed(),
        0,
        "{test}: the pool fails after cancellations: {:?}",
        after.samples
    );
    assert!(
        torn.is_empty(),
        "{test}: half-committed transactions: {torn:?}"
    );
    assert!(
        lost.is_empty(),
        "{test}: acknowledged writes missing: {lost:?}"
    );
    assert!(strays.is_empty(), "{test}: rows nobody wrote: {strays:?}");
}

// ---------------------------------------------------------------------------------------------
// 4. Schema changes under a warm statement cache.

#[test]
fn f04_schema_change_under_a_warm_statement_cache() {
    on_cluster("f04", Duration::from_secs(40), f04);
}

/// Runs a select, a find and an insert on each of `n` connections held at once; returns the
/// failures.
async fn round_on_conns(db: &Db, n: usize, next_id: &mut i32) -> Vec<String> {
    let conns = hold(db, n).await;
    let mut failures = Vec::new();
    for conn in &conns {
        if let Err(e) = FaultItem::select().all(conn).await {
            failures.push(format!("select: {e}"));
        }
        if let Err(e) = FaultItem::find(1).one(conn).await {
            failures.push(format!("find: {e}"));
        }
        *next_id += 1;
        let new = NewFaultItem {
            id: *next_id,
            label: "added".into(),
            qty: 1,
        };
        if let Err(e) = FaultItem::insert(new).one(conn).await {
            failures.push(format!("insert: {e}"));
        }
    }
    failures
}

/// Runs a select in `n` concurrent transactions (so on `n` different connections); returns the
/// failures per backend pid.
async fn round_in_transactions(db: &Db, n: usize) -> BTreeMap<i32, u32> {
    let barrier = Arc::new(Barrier::new(n));
    let seen = Arc::new(Mutex::new(BTreeMap::new()));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (db, barrier, seen) = (db.clone(), barrier.clone(), seen.clone());
        tasks.push(tokio::spawn(async move {
            db.transaction(async |tx| {
                let pid = backend_pid(tx).await?;
                barrier.wait().await;
                let read = FaultItem::select().all(tx).await;
                let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                *seen.entry(pid).or_insert(0) += u32::from(read.is_err());
                read.map(drop)
            })
            .await
        }));
    }
    for t in tasks {
        let _ = t.await.expect("transaction task panicked");
    }
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(
        seen.len(),
        n,
        "transactions did not use {n} connections: {seen:?}"
    );
    seen
}

/// Runs `op` on its own task and reports its error kind, or "panic".
async fn outcome_of<T, F>(op: F) -> String
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    match tokio::spawn(op).await {
        Ok(Ok(_)) => "ok".into(),
        Ok(Err(e)) => format!("{:?}", e.kind()),
        Err(e) if e.is_panic() => "panic".into(),
        Err(e) => format!("join error {e}"),
    }
}

async fn f04(cluster: Cluster) {
    const N: usize = 4;
    let admin = prepare(&cluster).await;
    let db = connect(cluster_config(&cluster, "fault_f04", N)).await;
    let items = (1..=20).map(|id| NewFaultItem {
        id,
        label: format!("item {id}"),
        qty: id,
    });
    FaultItem::insert_many(items)
        .execute(&admin)
        .await
        .expect("items");
    let mut next_id = 100;
    let warm = round_on_conns(&db, N, &mut next_id).await;
    assert!(warm.is_empty(), "{warm:?}");

    // Adding a column changes nothing for statements that name their columns.
    execute(&admin, "ALTER TABLE fault_items ADD COLUMN note text").await;
    let after_add = round_on_conns(&db, N, &mut next_id).await;

    // A compatible type change: every cached plan's result type changes. Outside a
    // transaction the statement is prepared again and re-sent.
    execute(
        &admin,
        "ALTER TABLE fault_items ALTER COLUMN label TYPE varchar(200)",
    )
    .await;
    let after_type = round_on_conns(&db, N, &mut next_id).await;

    // Inside transactions the first statement on each connection fails (it aborted the
    // transaction), then the cleared cache lets the next transaction succeed.
    execute(
        &admin,
        "ALTER TABLE fault_items ALTER COLUMN label TYPE text",
    )
    .await;
    let first = round_in_transactions(&db, N).await;
    let second = round_in_transactions(&db, N).await;

    // A real mismatch: `qty` becomes bigint while the struct says i32.
    execute(
        &admin,
        "ALTER TABLE fault_items ALTER COLUMN qty TYPE bigint",
    )
    .await;
    let mut mismatch = Vec::new();
    for _ in 0..N {
        let d = db.clone();
        mismatch.push(outcome_of(async move { FaultItem::select().all(&d).await }).await);
        let d = db.clone();
        mismatch.push(outcome_of(async move { FaultItem::find(1).one(&d).await }).await);
        let d = db.clone();
        next_id += 1;
        let id = next_id;
        mismatch.push(
            outcome_of(async move {
                let new = NewFaultItem {
                    id,
                    label: "wide".into(),
                    qty: 7,
                };
                FaultItem::insert(new).one(&d).await
            })
            .await,
        );
        let d = db.clone();
        mismatch.push(
            outcome_of(async move {
                FaultItem::update(1)
                    .set(FaultItem::qty, 3)
                    .optional(&d)
                    .await
            })
            .await,
        );
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &mismatch {
        *kinds.entry(m.as_str()).or_default() += 1;
    }
    println!(
        "f04 schema change on {N} warm connections: add column -> {} failures; text -> \
         varchar outside transactions -> {} failures; varchar -> text inside transactions -> \
         failures per connection {:?}, then {:?}; int -> bigint read as i32 -> {kinds:?}",
        after_add.len(),
        after_type.len(),
        first.values().collect::<Vec<_>>(),
        second.values().collect::<Vec<_>>(),
    );
    assert!(after_add.is_empty(), "f04: {after_add:?}");
    assert!(after_type.is_empty(), "f04: {after_type:?}");
    assert!(first.values().all(|n| *n <= 1), "f04: {first:?}");
    assert!(second.values().all(|n| *n == 0), "f04: {second:?}");
    assert!(
        mismatch
            .iter()
            .all(|m| m == "Conversion" || m == "Database" || m == "ok"),
        "f04: {mismatch:?}"
    );
    assert!(
        mismatch.iter().filter(|m| *m != "ok").count() >= N * 2,
        "f04: reads of a bigint as i32 did not fail: {mismatch:?}"
    );
}

/// A statement re-prepared while a column had another type keeps that type's parameters in the
/// cache; once the column is back to the type of the struct, the statement must be prepared
/// again rather than fail forever on that connection.
#[test]
fn f04b_a_reverted_type_change_is_served_again() {
    on_cluster("f04b", Duration::from_secs(30), f04b);
}

async fn f04b(cluster: Cluster) {
    let admin = prepare(&cluster).await;
    let db = connect(cluster_config(&cluster, "fault_f04b", 1)).await;
    let db = &db;
    let insert = |id: i32| async move {
        let new = NewFaultItem {
            id,
            label: "item".into(),
            qty: id,
        };
        FaultItem::insert(new).one(db).await.map(drop)
    };
    insert(1).await.expect("warm insert");
    execute(
        &admin,
        "ALTER TABLE fault_items ALTER COLUMN qty TYPE bigint",
    )
    .await;
    let during = insert(2).await.err().map(|e| e.kind());
    execute(
        &admin,
        "ALTER TABLE fault_items ALTER COLUMN qty TYPE integer",
    )
    .await;
    let mut after = Tally::default();
    for id in 3..13 {
        match insert(id).await {
            Ok(()) => after.ok += 1,
            Err(e) => after.error(&e),
        }
    }
    println!(
        "f04b int -> bigint -> int under a warm cache: insert while bigint -> {during:?}; 10 \
         inserts after the revert: {after} {:?}",
        after.samples
    );
    assert_eq!(during, Some(ErrorKind::Conversion));
    assert_eq!(after.ok, 10, "f04b: {after} {:?}", after.samples);
}

// ---------------------------------------------------------------------------------------------
// 5. Pool exhaustion.

#[test]
fn f05_pool_exhaustion() {
    on_cluster("f05", Duration::from_secs(40), f05);
}

/// Whether `elapsed` is within 10% of `wait`.
fn near(elapsed: Duration, wait: Duration) -> bool {
    let (e, w) = (elapsed.as_secs_f64(), wait.as_secs_f64());
    (e - w).abs() <= w * 0.10
}

async fn settled_pool(db: &Db, size: i64) -> PoolStatus {
    let mut status = pool_status(db);
    let _ = wait_until(Duration::from_secs(2), || {
        status = pool_status(db);
        async move { status.idle == status.connections && status.waiting == 0 }
    })
    .await;
    assert!(
        status.connections <= size && status.idle == status.connections && status.waiting == 0,
        "connections not returned: {status:?}"
    );
    status
}

async fn f05(cluster: Cluster) {
    let admin = prepare(&cluster).await;

    // A: every transaction of a full pool asks for a second connection.
    const TX: usize = 4;
    let wait_a = Duration::from_millis(400);
    let db = connect(cluster_config(&cluster, "fault_f05a", TX).wait_timeout(wait_a)).await;
    let (all_in, all_failed) = (Arc::new(Barrier::new(TX)), Arc::new(Barrier::new(TX)));
    let mut tasks = Vec::new();
    for _ in 0..TX {
        let (db, all_in, all_failed) = (db.clone(), all_in.clone(), all_failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut waited = Duration::ZERO;
            let result = db
                .transaction(async |tx| {
                    FaultItem::select().count(tx).await?;
                    all_in.wait().await;
                    let asked = Instant::now();
                    let second = FaultItem::select().count(&db).await;
                    waited = asked.elapsed();
                    // Keep this connection until every other caller gave up too.
                    all_failed.wait().await;
                    second
                })
                .await;
            (result.err().map(|e| e.kind()), waited)
        }));
    }
    let mut nested = Vec::new();
    for t in tasks {
        nested.push(t.await.expect("task panicked"));
    }
    let status_a = settled_pool(&db, TX as i64).await;

    // B: 1,000 callers on a pool of 10 whose connections are all held.
    const POOL: usize = 10;
    const CALLERS: usize = 1_000;
    let wait_b = Duration::from_millis(500);
    let db = connect(cluster_config(&cluster, "fault_f05b", POOL).wait_timeout(wait_b)).await;
    let held = hold(&db, POOL).await;
    let mut tasks = Vec::new();
    for _ in 0..CALLERS {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let asked = Instant::now();
            let result = db.conn().await;
            (result.err().map(|e| e.kind()), asked.elapsed())
        }));
    }
    let mut starved = Vec::new();
    for t in tasks {
        starved.push(t.await.expect("task panicked"));
    }
    drop(held);
    let status_b = settled_pool(&db, POOL as i64).await;

    // C: 1,000 callers each running a 10 ms statement on the same pool (10 s of work for 10
    // connections): some get a turn, the others give up after the wait, and every connection
    // comes back.
    let mut tasks = Vec::new();
    for _ in 0..CALLERS {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let asked = Instant::now();
            let result = raw_query::<()>("SELECT pg_sleep(0.01)").execute(&db).await;
            (result.err().map(|e| e.kind()), asked.elapsed())
        }));
    }
    let mut busy = Vec::new();
    for t in tasks {
        busy.push(t.await.expect("task panicked"));
    }
    let status_c = settled_pool(&db, POOL as i64).await;
    let (server_sessions, _) = sessions(&admin, "fault_f05b").await;

    let summary = |rows: &[(Option<ErrorKind>, Duration)], wait: Duration| {
        let timeouts: Vec<Duration> = rows
            .iter()
            .filter(|(k, _)| *k == Some(ErrorKind::PoolTimeout))
            .map(|(_, d)| *d)
            .collect();
        let other = rows
            .iter()
            .filter(|(k, _)| k.is_some() && *k != Some(ErrorKind::PoolTimeout))
            .count();
        let min = timeouts.iter().min().copied().unwrap_or_default();
        let max = timeouts.iter().max().copied().unwrap_or_default();
        let off = timeouts.iter().filter(|d| !near(**d, wait)).count();
        (
            rows.len() - timeouts.len() - other,
            timeouts.len(),
            other,
            min,
            max,
            off,
        )
    };
    let a = summary(&nested, wait_a);
    let b = summary(&starved, wait_b);
    let c = summary(&busy, wait_b);
    println!(
        "f05 pool exhaustion: A) {TX} transactions on a pool of {TX} each asking for a second \
         connection: {} PoolTimeout after {}-{} ms (wait {} ms), {} other; pool after {status_a:?}. \
         B) {CALLERS} callers on a pool of {POOL} held by others: {} PoolTimeout after {}-{} ms \
         (wait {} ms), {} outside +-10%, {} other; pool after {status_b:?}. C) {CALLERS} callers \
         with a 10 ms statement: {} served, {} PoolTimeout ({}-{} ms, {} outside +-10%), {} other; \
         pool after {status_c:?}, server sessions {server_sessions}",
        a.1,
        ms(a.3),
        ms(a.4),
        ms(wait_a),
        a.2,
        b.1,
        ms(b.3),
        ms(b.4),
        ms(wait_b),
        b.5,
        b.2,
        c.0,
        c.1,
        ms(c.3),
        ms(c.4),
        c.5,
        c.2
    );
    assert_eq!((a.1, a.5), (TX, 0), "f05 A: {nested:?}");
    assert_eq!(status_a.connections, TX as i64);
    assert_eq!((b.1, b.5), (CALLERS, 0), "f05 B");
    assert_eq!((c.2, c.5), (0, 0), "f05 C");
    assert!(c.0 > 0, "f05 C: nobody was served");
    assert_eq!(
        server_sessions, status_c.connections,
        "f05: sessions leaked on the server"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Server-side timeouts.

#[test]
fn f06_server_timeouts() {
    on_cluster("f06", Duration::from_secs(40), f06);
}

async fn f06(cluster: Cluster) {
    let admin = prepare(&cluster).await;

    // statement_timeout from the Config: the statement is cancelled, the session survives.
    let db = connect(
        cluster_config(&cluster, "fault_f06_st", 1)
            .statement_timeout(Some(Duration::from_millis(100))),
    )
    .await;
    let pid = backend_pid(&db).await.expect("pid");
    let asked = Instant::now();
    let slow = FaultSlow::select().all(&db).await;
    let cancelled_after = asked.elapsed();
    let slow_kind = slow.err().map(|e| e.kind());
    let same_session = backend_pid(&db).await.expect("pid") == pid;

    let in_tx: Result<()> = db
        .transaction(async |tx| {
            let new = NewFaultItem {
                id: 8001,
                label: "in a cancelled transaction".into(),
                qty: 1,
            };
            FaultItem::insert(new).one(tx).await?;
            FaultSlow::select().all(tx).await?;
            Ok(())
        })
        .await;
    let in_tx_kind = in_tx.err().map(|e| e.kind());
    let mut after_cancel = Tally::default();
    for i in 0..20 {
        let r = db
            .transaction(async |tx| {
                let new = NewFaultItem {
                    id: 8100 + i,
                    label: "after".into(),
                    qty: i,
                };
                FaultItem::insert(new).one(tx).await?;
                backend_pid(tx).await
            })
            .await;
        match r {
            Ok(p) if p == pid => after_cancel.ok += 1,
            Ok(_) => after_cancel.unknown += 1,
            Err(e) => after_cancel.error(&e),
        }
    }
    let kept_8001 = FaultItem::find(8001).optional(&db).await.expect("read");

    // idle_in_transaction_session_timeout set on the server: the server ends the session.
    execute(
        &admin,
        "ALTER SYSTEM SET idle_in_transaction_session_timeout = '300ms'",
    )
    .await;
    execute(&admin, "SELECT pg_reload_conf()").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let db = connect(cluster_config(&cluster, "fault_f06_idle", 1)).await;
    let pid = backend_pid(&db).await.expect("pid");
    let idle: Result<()> = db
        .transaction(async |tx| {
            let new = NewFaultItem {
                id: 9001,
                label: "idle".into(),
                qty: 1,
            };
            FaultItem::insert(new).one(tx).await?;
            tokio::time::sleep(Duration::from_millis(800)).await;
            let new = NewFaultItem {
                id: 9002,
                label: "too late".into(),
                qty: 1,
            };
            FaultItem::insert(new).one(tx).await?;
            Ok(())
        })
        .await;
    let idle_err = idle.err();
    let mut after_idle = Tally::default();
    for _ in 0..20 {
        match backend_pid(&db).await {
            Ok(p) if p != pid => after_idle.ok += 1,
            Ok(_) => after_idle.unknown += 1,
            Err(e) => after_idle.error(&e),
        }
    }

    // The same on a checked-out connection: it stays broken (and says so) until returned, and
    // the pool does not hand it out again.
    let mut conn = db.conn().await.expect("checkout");
    let conn_pid = backend_pid(&conn).await.expect("pid");
    let on_conn: Result<()> = conn
        .transaction(async |tx| {
            FaultItem::select().count(tx).await?;
            tokio::time::sleep(Duration::from_millis(800)).await;
            FaultItem::select().count(tx).await?;
            Ok(())
        })
        .await;
    let on_conn_kind = on_conn.err().map(|e| e.kind());
    let reused_kind = backend_pid(&conn).await.err().map(|e| e.kind());
    drop(conn);
    let mut after_conn = Tally::default();
    for _ in 0..20 {
        match backend_pid(&db).await {
            Ok(p) if p != conn_pid => after_conn.ok += 1,
            Ok(_) => after_conn.unknown += 1,
            Err(e) => after_conn.error(&e),
        }
    }
    // A session idle outside any transaction is not affected.
    let conn = db.conn().await.expect("checkout");
    tokio::time::sleep(Duration::from_millis(800)).await;
    let idle_outside = backend_pid(&conn).await.map(drop);
    drop(conn);
    let rows = FaultItem::select()
        .filter(FaultItem::id.is_in([9001, 9002]))
        .count(&db)
        .await
        .expect("read");

    println!(
        "f06 server timeouts: statement_timeout 100 ms -> {slow_kind:?} after {} ms, same \
         session afterwards: {same_session}; inside a transaction -> {in_tx_kind:?}, its row \
         kept: {}, 20 transactions after on the same session: {after_cancel}; \
         idle_in_transaction_session_timeout 300 ms -> {:?} ({:?}), rows kept {rows}, 20 reads \
         after on a new session: {after_idle}; on a Conn -> {on_conn_kind:?}, reusing it -> \
         {reused_kind:?}, 20 reads after the Conn was returned: {after_conn}; idle outside a \
         transaction for 800 ms -> {}",
        ms(cancelled_after),
        kept_8001.is_some(),
        idle_err.as_ref().map(|e| e.kind()),
        idle_err.as_ref().and_then(|e| e.code()),
        if idle_outside.is_ok() { "ok" } else { "failed" }
    );
    assert_eq!(slow_kind, Some(ErrorKind::QueryCanceled));
    assert!(
        cancelled_after < Duration::from_millis(450),
        "f06: {cancelled_after:?}"
    );
    assert!(
        same_session,
        "f06: the session was replaced after a statement timeout"
    );
    assert_eq!(in_tx_kind, Some(ErrorKind::QueryCanceled));
    assert!(
        kept_8001.is_none(),
        "f06: a cancelled transaction kept its row"
    );
    assert_eq!(
        after_cancel.ok, 20,
        "f06: {after_cancel} {:?}",
        after_cancel.samples
    );
    assert_eq!(
        idle_err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::Connection),
        "f06: {idle_err:?}"
    );
    assert_eq!(
        rows, 0,
        "f06: rows of a transaction ended by the server are visible"
    );
    assert_eq!(
        after_idle.ok, 20,
        "f06: {after_idle} {:?}",
        after_idle.samples
    );
    assert_eq!(on_conn_kind, Some(ErrorKind::Connection));
    assert_eq!(reused_kind, Some(ErrorKind::Connection));
    assert_eq!(
        after_conn.ok, 20,
        "f06: {after_conn} {:?}",
        after_conn.samples
    );
    assert!(idle_outside.is_ok(), "f06: {idle_outside:?}");
}

// ---------------------------------------------------------------------------------------------
// 7. SQLSTATE mapping, deadlocks, serialization failures and retries, for real.

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "fault_fixtures")]
async fn f07_sqlstates_deadlocks_serialization_and_retries(db: Db) {
    bounded("f07", Duration::from_secs(60), f07(db)).await;
}

fn assert_error(
    what: &str,
    result: Result<impl fmt::Debug>,
    kind: ErrorKind,
    code: &str,
    constraint: Option<&str>,
) -> Error {
    let err = match result {
        Ok(v) => panic!("{what}: accepted ({v:?})"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), kind, "{what}: {err:?}");
    assert_eq!(err.code(), Some(code), "{what}: {err:?}");
    if constraint.is_some() {
        assert_eq!(err.constraint(), constraint, "{what}: {err:?}");
    }
    err
}

fn serializable() -> TxOptions {
    TxOptions::new().isolation(IsolationLevel::Serializable)
}

/// Two serializable transactions that each read every account and then write a different one:
/// write skew, which PostgreSQL refuses for one of them. `attempts` > 1 retries.
async fn write_skew(db: &Db, attempts: u32) -> (Vec<Result<()>>, u32) {
    let barrier = Barrier::new(2);
    let calls = AtomicU32::new(0);
    let side = |account: i32| {
        let (barrier, calls) = (&barrier, &calls);
        async move {
            let first = AtomicBool::new(true);
            db.transaction_retry_with(serializable(), attempts, async |tx| {
                calls.fetch_add(1, Ordering::Relaxed);
                let total: i64 = FaultAccount::select()
                    .all(tx)
                    .await?
                    .iter()
                    .map(|a| a.balance)
                    .sum();
                if first.swap(false, Ordering::Relaxed) {
                    barrier.wait().await;
                }
                FaultAccount::update(account)
                    .set(FaultAccount::balance, total / 8)
                    .one(tx)
                    .await?;
                Ok(())
            })
            .await
        }
    };
    let (a, b) = tokio::join!(side(1), side(2));
    (vec![a, b], calls.load(Ordering::Relaxed))
}

/// Two transactions that lock accounts 1 and 2 in opposite orders. Each attempt also logs a
/// row (`fault_events`, id `task * 1e6 + attempts * 1000 + attempt`), so an abandoned attempt
/// that left anything behind shows. Returns each side's result and how many attempts it took.
///
/// Repeatable read: each side reads a balance and writes it back changed, which under read
/// committed would silently overwrite the other side's committed change (a lost update);
/// here that is a serialization failure, retried like the deadlock.
async fn crossed_locks(db: &Db, attempts: u32) -> Vec<(Result<()>, u32)> {
    let repeatable_read = TxOptions::new().isolation(IsolationLevel::RepeatableRead);
    let barrier = Barrier::new(2);
    let side = |task: i64, from: i32, to: i32, amount: i64| {
        let (barrier, repeatable_read) = (&barrier, repeatable_read.clone());
        async move {
            let attempt = AtomicU32::new(0);
            let result = db
                .transaction_retry_with(repeatable_read, attempts, async |tx| {
                    let n = attempt.fetch_add(1, Ordering::Relaxed) + 1;
                    raw_query::<()>("SET LOCAL deadlock_timeout = '100ms'")
                        .execute(tx)
                        .await?;
                    let id = task * 1_000_000 + i64::from(attempts) * 1000 + i64::from(n);
                    FaultEvent::insert(event(id, task, task)).one(tx).await?;
                    let a = FaultAccount::find(from).one(tx).await?;
                    FaultAccount::update(from)
                        .set(FaultAccount::balance, a.balance - amount)
                        .one(tx)
                        .await?;
                    if n == 1 {
                        barrier.wait().await;
                    }
                    let b = FaultAccount::find(to).one(tx).await?;
                    FaultAccount::update(to)
                        .set(FaultAccount::balance, b.balance + amount)
                        .one(tx)
                        .await?;
                    Ok(())
                })
                .await;
            (result, attempt.load(Ordering::Relaxed))
        }
    };
    let (a, b) = tokio::join!(side(1, 1, 2, 10), side(2, 2, 1, 5));
    vec![a, b]
}

/// Polls `futures` concurrently on the current task (they need not be `Send`) and returns their
/// outputs in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

async fn reset_accounts(db: &Db, balance: i64) {
    for id in 1..=8 {
        FaultAccount::update(id)
            .set(FaultAccount::balance, balance)
            .one(db)
            .await
            .expect("reset account");
    }
}

async fn balances(db: &Db) -> Vec<i64> {
    let mut accounts = FaultAccount::select().all(db).await.expect("accounts");
    accounts.sort_by_key(|a| a.id);
    accounts.iter().map(|a| a.balance).collect()
}

fn kinds<T>(results: &[Result<T>]) -> Vec<Option<ErrorKind>> {
    results
        .iter()
        .map(|r| r.as_ref().err().map(|e| e.kind()))
        .collect()
}

async fn f07(db: Db) {
    let db = connect(db.config().clone().pool_size(10)).await;

    // Constraint violations, each provoked for real, with the constraint's name.
    let owner = |id, email: &str| NewFaultOwner {
        id,
        email: email.into(),
    };
    let pet = |id, owner_id, age| NewFaultPet {
        id,
        owner_id,
        name: "Rex".into(),
        age,
    };
    FaultOwner::insert(owner(1, "ada@example.com"))
        .one(&db)
        .await
        .expect("owner");
    let mapped = [
        assert_error(
            "duplicate email",
            FaultOwner::insert(owner(2, "ada@example.com"))
                .one(&db)
                .await,
            ErrorKind::UniqueViolation,
            "23505",
            Some("fault_owners_email_key"),
        ),
        assert_error(
            "duplicate key",
            FaultOwner::insert(owner(1, "bob@example.com"))
                .one(&db)
                .await,
            ErrorKind::UniqueViolation,
            "23505",
            Some("fault_owners_pkey"),
        ),
        assert_error(
            "missing owner",
            FaultPet::insert(pet(1, 999, 3)).one(&db).await,
            ErrorKind::ForeignKeyViolation,
            "23503",
            Some("fault_pets_owner_id_fkey"),
        ),
        assert_error(
            "NULL label",
            FaultStrict::insert(NewFaultStrict { id: 1, label: None })
                .one(&db)
                .await,
            ErrorKind::NotNullViolation,
            "23502",
            None,
        ),
        assert_error(
            "negative age",
            FaultPet::insert(pet(1, 1, -1)).one(&db).await,
            ErrorKind::CheckViolation,
            "23514",
            Some("fault_pets_age_check"),
        ),
    ];
    assert_eq!(mapped[3].column(), Some("label"), "{:?}", mapped[3]);
    let accounts = (1..=8).map(|id| NewFaultAccount { id, balance: 1000 });
    FaultAccount::insert_many(accounts)
        .execute(&db)
        .await
        .expect("accounts");
    assert_error(
        "overdraft",
        FaultAccount::update(1)
            .set(FaultAccount::balance, -1)
            .one(&db)
            .await,
        ErrorKind::CheckViolation,
        "23514",
        Some("fault_accounts_balance_check"),
    );

    // A real serialization failure, then the same with retries.
    let (skew, skew_calls) = write_skew(&db, 1).await;
    let skew_kinds = kinds(&skew);
    let failure = skew.into_iter().find_map(Result::err);
    reset_accounts(&db, 1000).await;
    let (skew_retried, skew_retried_calls) = write_skew(&db, 10).await;
    reset_accounts(&db, 1000).await;

    // A real deadlock, then the same with retries: the whole closure runs again, and the
    // abandoned attempt leaves nothing behind.
    let deadlock = crossed_locks(&db, 1).await;
    let deadlock_calls: u32 = deadlock.iter().map(|(_, n)| n).sum();
    let deadlock: Vec<Result<()>> = deadlock.into_iter().map(|(r, _)| r).collect();
    let deadlock_kinds = kinds(&deadlock);
    let victim = deadlock.into_iter().find_map(Result::err);
    let after_deadlock = balances(&db).await;
    reset_accounts(&db, 1000).await;
    let before_retry = FaultEvent::select().count(&db).await.expect("count");
    let retried = crossed_locks(&db, 5).await;
    let retried_calls: u32 = retried.iter().map(|(_, n)| n).sum();
    // Only the last attempt of each side may have left its row.
    let wanted: BTreeSet<i64> = [1i64, 2]
        .iter()
        .zip(&retried)
        .map(|(task, (_, n))| task * 1_000_000 + 5000 + i64::from(*n))
        .collect();
    let retried: Vec<Result<()>> = retried.into_iter().map(|(r, _)| r).collect();
    let after_retry = balances(&db).await;
    let logged: BTreeSet<i64> = FaultEvent::select()
        .all(&db)
        .await
        .expect("events")
        .iter()
        .map(|e| e.id)
        .filter(|id| id % 1_000_000 / 1000 == 5)
        .collect();
    let logged_attempts: Vec<i64> = logged.iter().map(|id| id % 1000).collect();

    // Errors that are not retryable run once.
    let once = AtomicU32::new(0);
    let not_retried = db
        .transaction_retry(5, async |tx| {
            once.fetch_add(1, Ordering::Relaxed);
            FaultOwner::insert(owner(3, "ada@example.com"))
                .one(tx)
                .await
        })
        .await;

    // The transfer invariant: 8 workers x 25 random transfers between 8 accounts, serializable
    // and retried, while an auditor keeps reading the total in a snapshot.
    reset_accounts(&db, 1000).await;
    let mut rng = Rng::seeded("f07");
    let transfers: Vec<Vec<(i32, i32, i64)>> = (0..8)
        .map(|_| {
            (0..25)
                .map(|_| {
                    let from = rng.below(8) as i32 + 1;
                    let to = (from + rng.below(7) as i32) % 8 + 1;
                    (from, to, rng.below(300) as i64 + 1)
                })
                .collect()
        })
        .collect();
    let calls = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let auditor = async {
        let (mut audits, mut wrong) = (0u64, Vec::new());
        let snapshot = TxOptions::new()
            .isolation(IsolationLevel::RepeatableRead)
            .read_only(true);
        while !done.load(Ordering::Relaxed) {
            let total = db
                .transaction_with(snapshot.clone(), async |tx| {
                    let all = FaultAccount::select().all(tx).await?;
                    Ok::<_, Error>(all.iter().map(|a| a.balance).sum::<i64>())
                })
                .await;
            audits += 1;
            match total {
                Ok(8000) => {}
                other => wrong.push(format!("{other:?}")),
            }
        }
        (audits, wrong)
    };
    let worker = |plan: Vec<(i32, i32, i64)>| {
        let (db, calls) = (&db, &calls);
        async move {
            let mut tally = Tally::default();
            for (from, to, amount) in plan {
                let moved = db
                    .transaction_retry_with(serializable(), 100, async |tx| {
                        calls.fetch_add(1, Ordering::Relaxed);
                        let a = FaultAccount::find(from).one(tx).await?;
                        let b = FaultAccount::find(to).one(tx).await?;
                        if a.balance < amount {
                            return Ok(false);
                        }
                        // Lower id first, so transfers never wait on each other in a cycle.
                        let mut writes = [(from, a.balance - amount), (to, b.balance + amount)];
                        writes.sort_by_key(|w| w.0);
                        for (id, balance) in writes {
                            FaultAccount::update(id)
                                .set(FaultAccount::balance, balance)
                                .one(tx)
                                .await?;
                        }
                        Ok(true)
                    })
                    .await;
                match moved {
                    Ok(true) => tally.ok += 1,
                    Ok(false) => tally.unknown += 1,
                    Err(e) => tally.error(&e),
                }
            }
            tally
        }
    };
    let workers = async {
        let tallies = join_all(transfers.into_iter().map(worker).collect()).await;
        done.store(true, Ordering::Relaxed);
        tallies
    };
    let (tallies, (audits, wrong_audits)) = tokio::join!(workers, auditor);
    let mut bank = Tally::default();
    for t in tallies {
        bank.absorb(t);
    }
    let final_balances = balances(&db).await;
    let total: i64 = final_balances.iter().sum();
    let calls = calls.load(Ordering::Relaxed);

    println!(
        "f07 SQLSTATEs: unique (constraint and primary key), foreign key, not null, check x2 \
         mapped with their constraint names; write skew -> {skew_kinds:?} ({skew_calls} runs), \
         with retries -> {:?} ({skew_retried_calls} runs); crossed locks -> \
         {deadlock_kinds:?}, with retries -> {:?} ({retried_calls} runs, rows kept of attempts \
         {logged_attempts:?}, {} rows before); unique violation under retry ran {} time(s); transfers: 200 \
         ({} moved, {} skipped for funds, {} failed), {calls} runs ({} retries), {audits} \
         audits ({} wrong), total {total}, balances {final_balances:?}",
        kinds(&skew_retried),
        kinds(&retried),
        before_retry,
        once.load(Ordering::Relaxed),
        bank.ok,
        bank.unknown,
        bank.failed(),
        calls.saturating_sub(200),
        wrong_audits.len()
    );
    let failure = failure.expect("write skew was accepted for both transactions");
    assert_eq!(
        failure.kind(),
        ErrorKind::SerializationFailure,
        "{failure:?}"
    );
    assert_eq!(failure.code(), Some("40001"));
    assert_eq!(skew_calls, 2);
    assert_eq!(kinds(&skew_retried), vec![None, None]);
    // The refused side runs again, possibly more than once while the other is still open.
    assert!(skew_retried_calls >= 3, "nothing was retried");
    let victim = victim.expect("crossed locks did not deadlock");
    assert_eq!(victim.kind(), ErrorKind::Deadlock, "{victim:?}");
    assert_eq!(victim.code(), Some("40P01"));
    assert_eq!(deadlock_calls, 2);
    assert_eq!(
        deadlock_kinds.iter().filter(|k| k.is_none()).count(),
        1,
        "exactly one side commits"
    );
    // Only the survivor's transfer happened: 1 -> 2 by 10, or 2 -> 1 by 5.
    assert!(
        after_deadlock[..2] == [990, 1010] || after_deadlock[..2] == [1005, 995],
        "{after_deadlock:?}"
    );
    assert_eq!(kinds(&retried), vec![None, None]);
    // The victim runs again; its new attempt can deadlock again with the survivor's commit
    // still pending, so more than one retry is fine.
    assert!(retried_calls >= 3, "nothing was retried");
    assert_eq!(after_retry[..2], [995, 1005], "both transfers, once each");
    assert_eq!(
        logged, wanted,
        "rows of abandoned attempts survived, or a last attempt's row is missing"
    );
    assert_eq!(
        not_retried.err().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(once.load(Ordering::Relaxed), 1);
    assert_eq!(bank.failed(), 0, "{bank} {:?}", bank.samples);
    assert!(wrong_audits.is_empty(), "{wrong_audits:?}");
    assert_eq!(total, 8000);
    assert!(final_balances.iter().all(|b| *b >= 0));
}

// ---------------------------------------------------------------------------------------------
// 8. Hostile and odd input.

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "fault_fixtures")]
async fn f08_hostile_and_odd_input(db: Db) {
    bounded("f08", Duration::from_secs(90), f08(db)).await;
}

/// Pieces of text chosen to break naive handling: quotes, escapes, controls, line and paragraph
/// separators, direction overrides, joiners, byte-order marks, noncharacters, the last code
/// point, private use, combining marks, astral symbols, right-to-left scripts.
const ODD: &[&str] = &[
    "",
    "a",
    "'",
    "''",
    "\"",
    "\\",
    "\\0",
    ";",
    "--",
    "/*",
    "*/",
    "$1",
    "$$",
    "%",
    "_",
    "\n",
    "\r\n",
    "\t",
    "\u{1}",
    "\u{1B}[31m",
    "\u{7F}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{202E}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{E000}",
    "e\u{301}\u{302}\u{303}",
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    "\u{1F600}",
    "\u{1D518}\u{1D52B}",
    "日本語",
    "עברית",
    "\u{FDFA}",
];

fn odd_char(rng: &mut Rng) -> char {
    let ranges: [(u32, u32); 5] = [
        (0x20, 0x7F),
        (0xA0, 0x2FF),
        (0x3000, 0xD7FF),
        (0xE000, 0xFFFF),
        (0x1_0000, 0x10_FFFF),
    ];
    let (lo, hi) = *rng.pick(&ranges);
    char::from_u32(lo + rng.below(u64::from(hi - lo)) as u32).unwrap_or('?')
}

/// A random string of odd pieces and random characters; one in `nul_one_in` holds a NUL.
fn odd_string(rng: &mut Rng, nul_one_in: u64) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(12) {
        if rng.chance(2) {
            let piece: &&str = rng.pick(ODD);
            s.push_str(piece);
        } else {
            s.push(odd_char(rng));
        }
    }
    if rng.chance(nul_one_in) {
        let at = s.char_indices().map(|(i, _)| i).nth(rng.below(4) as usize);
        s.insert(at.unwrap_or(s.len()), '\0');
    }
    s
}

fn odd_blob(rng: &mut Rng) -> NewFaultBlob {
    let body = odd_string(rng, 12);
    let tags = (0..rng.below(5)).map(|_| odd_string(rng, 30)).collect();
    let extremes = [0, 1, -1, i64::MIN, i64::MAX];
    let nums = (0..rng.below(6))
        .map(|_| {
            if rng.chance(2) {
                *rng.pick(&extremes)
            } else {
                rng.next() as i64
            }
        })
        .collect();
    let doc = serde_json::json!({
        "s": odd_string(rng, 30),
        "n": rng.next() as i64,
        "list": [odd_string(rng, 1000), null, true],
        odd_string(rng, 1000): "key",
    });
    NewFaultBlob {
        id: None,
        body,
        tags,
        nums,
        doc,
    }
}

fn holds_nul(blob: &NewFaultBlob) -> bool {
    blob.body.contains('\0')
        || blob.tags.iter().any(|t| t.contains('\0'))
        || blob.doc.to_string().contains("\\u0000")
}

fn same_blob(new: &NewFaultBlob, row: &FaultBlob) -> bool {
    new.body == row.body && new.tags == row.tags && new.nums == row.nums && new.doc == row.doc
}

/// Inserts `blob` on its own task and reads it back: `Ok(true)` for an exact round trip,
/// `Ok(false)` for a round trip that changed the value, `Err(kind)` for a typed error,
/// `Err("panic")` for a panic.
async fn round_trip(db: &Db, blob: NewFaultBlob) -> std::result::Result<bool, String> {
    let db = db.clone();
    let task = tokio::spawn(async move {
        let row = FaultBlob::insert(blob.clone()).one(&db).await?;
        let back = FaultBlob::find(row.id).one(&db).await?;
        let found = FaultBlob::select()
            .filter(FaultBlob::body.eq(blob.body.as_str()))
            .filter(FaultBlob::id.eq(row.id))
            .count(&db)
            .await?;
        Ok::<_, Error>(same_blob(&blob, &back) && back == row && found == 1)
    });
    match task.await {
        Ok(Ok(same)) => Ok(same),
        Ok(Err(e)) => Err(format!("{:?}", e.kind())),
        Err(e) if e.is_panic() => Err("panic".into()),
        Err(e) => Err(format!("join error {e}")),
    }
}

async fn f08(db: Db) {
    const CASES: usize = 300;
    let mut rng = Rng::seeded("f08");
    let (mut exact, mut changed, mut panics) = (0, Vec::new(), 0);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut misjudged = Vec::new();
    for case in 0..CASES {
        let blob = odd_blob(&mut rng);
        let nul = holds_nul(&blob);
        let shown = format!("{:?}", blob.body);
        match round_trip(&db, blob).await {
            Ok(true) if !nul => exact += 1,
            Ok(true) => misjudged.push(format!("case {case}: NUL accepted: {shown}")),
            Ok(false) => changed.push(format!("case {case}: {shown}")),
            Err(kind) => {
                if kind == "panic" {
                    panics += 1;
                }
                if !nul || kind != "Conversion" {
                    misjudged.push(format!("case {case}: {kind} for {shown}"));
                }
                *errors.entry(kind).or_default() += 1;
            }
        }
    }

    // Batches: random rows through multi-row VALUES (the table has array columns), all or
    // nothing.
    let (mut batches_ok, mut batches_refused) = (0, 0);
    for _ in 0..20 {
        let rows: Vec<NewFaultBlob> = (0..rng.below(6) + 1).map(|_| odd_blob(&mut rng)).collect();
        let nul = rows.iter().any(holds_nul);
        let before = FaultBlob::select().count(&db).await.expect("count");
        let inserted = FaultBlob::insert_many(rows.clone()).all(&db).await;
        let after = FaultBlob::select().count(&db).await.expect("count");
        match inserted {
            Ok(back) => {
                batches_ok += 1;
                assert!(!nul, "f08: a batch with a NUL was accepted");
                assert_eq!(back.len(), rows.len());
                for (new, row) in rows.iter().zip(&back) {
                    assert!(
                        same_blob(new, row),
                        "f08: batch changed {new:?} into {row:?}"
                    );
                }
            }
            Err(e) => {
                batches_refused += 1;
                assert!(nul && e.kind() == ErrorKind::Conversion, "f08: {e:?}");
                assert_eq!(before, after, "f08: a refused batch left rows");
            }
        }
    }

    // Sizes: 1 MB strings, empty and 100,000-element arrays.
    let mut sized = Vec::new();
    let big = |body: String, tags: Vec<String>, nums: Vec<i64>| NewFaultBlob {
        id: None,
        body,
        tags,
        nums,
        doc: serde_json::json!({}),
    };
    for (label, blob) in [
        ("1 MB ASCII", big("x".repeat(1 << 20), vec![], vec![])),
        (
            "1 MB of 4-byte chars",
            big("\u{1F600}".repeat(1 << 18), vec![], vec![]),
        ),
        ("empty everything", big(String::new(), vec![], vec![])),
        (
            "100,000-element arrays",
            big(
                "arrays".into(),
                (0..100_000).map(|i| format!("t{i}")).collect(),
                (0..100_000).map(|i| i * 7919 - 1).collect(),
            ),
        ),
        (
            "100,000 empty strings",
            big(String::new(), vec![String::new(); 100_000], vec![]),
        ),
    ] {
        let result = round_trip(&db, blob).await;
        assert_eq!(result, Ok(true), "f08: {label}");
        sized.push(label);
    }
    let doc = serde_json::json!({ "deep": "x".repeat(1 << 20), "nul": "a\u{0}b" });
    let nul_json = round_trip(&db, big("json".into(), vec![], vec![])).await;
    assert_eq!(nul_json, Ok(true));
    let nul_json = FaultBlob::insert(NewFaultBlob {
        doc,
        ..big("json with NUL".into(), vec![], vec![])
    })
    .one(&db)
    .await
    .err()
    .map(|e| (e.kind(), e.code().map(str::to_owned)));

    // Over the bind-parameter limit: 20,000 rows x 4 values through VALUES is refused before
    // anything is sent; 100,000 rows through UNNEST are one statement; so is a 100,000-value IN.
    let rows: Vec<NewFaultBlob> = (0..20_000)
        .map(|i| big(format!("row {i}"), vec![], vec![i]))
        .collect();
    let sent = db.statements_executed();
    let too_many = FaultBlob::insert_many(rows).execute(&db).await;
    let too_many_sent = db.statements_executed() - sent;
    let too_many = too_many
        .err()
        .map(|e| (e.kind(), e.field().map(str::to_owned)));
    let notes = (0..100_000).map(|i| NewFaultNote {
        id: None,
        body: format!("note {i}"),
    });
    let sent = db.statements_executed();
    let unnested = FaultNote::insert_many(notes).execute(&db).await;
    let unnest_sent = db.statements_executed() - sent;
    let ids: Vec<Uuid> = FaultNote::select()
        .all(&db)
        .await
        .expect("notes")
        .iter()
        .map(|n| n.id)
        .collect();
    let matched = FaultNote::select()
        .filter(FaultNote::id.is_in(ids.iter().copied()))
        .count(&db)
        .await;

    println!(
        "f08 hostile input: {CASES} random rows (seeded): {exact} exact round trips, errors \
         {errors:?}, {} changed, {panics} panics, {} misjudged; 20 random batches: {batches_ok} \
         stored whole, {batches_refused} refused whole; {sized:?} round trip; jsonb with NUL -> \
         {nul_json:?}; 80,000 parameters through VALUES -> {too_many:?} with {too_many_sent} \
         statements sent; 100,000 rows through UNNEST -> {unnested:?} in {unnest_sent} \
         statement(s); IN over {} ids -> {matched:?}",
        changed.len(),
        misjudged.len(),
        ids.len()
    );
    assert!(changed.is_empty(), "f08: {changed:?}");
    assert!(misjudged.is_empty(), "f08: {misjudged:?}");
    assert_eq!(panics, 0);
    assert!(exact > CASES / 2, "f08: too few exact round trips");
    assert_eq!(
        nul_json.map(|(k, _)| k),
        Some(ErrorKind::Conversion),
        "f08: jsonb with NUL"
    );
    assert_eq!(too_many, Some((ErrorKind::Validation, Some("rows".into()))));
    assert_eq!(too_many_sent, 0);
    assert_eq!(unnested.ok(), Some(100_000));
    assert_eq!(unnest_sent, 1);
    assert_eq!(matched.ok(), Some(100_000));
}

// ---------------------------------------------------------------------------------------------
// 9. Injection.

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "fault_fixtures")]
async fn f09_injection_is_stored_verbatim(db: Db) {
    bounded("f09", Duration::from_secs(60), f09(db)).await;
}

const INJECTIONS: &[&str] = &[
    "'; DROP TABLE fault_notes; --",
    "\"; DROP TABLE \"we\"\"ird\"; --",
    "'); DELETE FROM fault_notes; --",
    "' OR '1'='1",
    "' OR 1=1 --",
    "1; SELECT pg_sleep(10)",
    "/* comment */ SELECT 1",
    "-- comment",
    "*/ DROP TABLE fault_notes; /*",
    "$1",
    "$$; DROP TABLE fault_notes; $$",
    "$tag$ x $tag$",
    "\\'; DROP TABLE fault_notes; --",
    "E'\\x27'",
    "%' ; TRUNCATE fault_notes; --",
    "`; rm -rf /`",
    "\u{2019}; DROP TABLE fault_notes; --",
    "\u{FF07}; DROP TABLE fault_notes; --",
    "Robert'); DROP TABLE Students;--",
    "\";\n--\r\n/*",
];

async fn catalog_size(db: &Db) -> i64 {
    raw_query("SELECT count(*) FROM pg_class")
        .one(db)
        .await
        .expect("pg_class")
}

async fn f09(db: Db) {
    let classes_before = catalog_size(&db).await;
    let mut checks = 0;
    for (i, value) in INJECTIONS.iter().enumerate() {
        let value = *value;
        // Values are bound, never spliced: the statement's text does not depend on them.
        let sql = FaultNote::select()
            .filter(FaultNote::body.eq(value))
            .to_sql();
        let plain = FaultNote::select().filter(FaultNote::body.eq("x")).to_sql();
        assert_eq!(sql.text, plain.text);
        assert_eq!(sql.params, 1);

        let note = FaultNote::insert(NewFaultNote {
            id: None,
            body: value.into(),
        })
        .one(&db)
        .await
        .unwrap_or_else(|e| panic!("f09: insert {value:?}: {e}"));
        assert_eq!(note.body, value);
        let found = FaultNote::select()
            .filter(FaultNote::body.eq(value))
            .all(&db)
            .await
            .expect("select");
        assert_eq!(found, vec![note.clone()], "f09: {value:?}");
        let updated = FaultNote::update(note.id)
            .set(FaultNote::body, format!("{value}{value}"))
            .one(&db)
            .await
            .expect("update");
        assert_eq!(updated.body, format!("{value}{value}"));

        let id = i as i32;
        let weird = Weird::insert(NewWeird {
            id,
            val: value.into(),
            semi: value.into(),
        })
        .one(&db)
        .await
        .unwrap_or_else(|e| panic!("f09: insert into we\"ird {value:?}: {e}"));
        assert_eq!((weird.val.as_str(), weird.semi.as_str()), (value, value));
        let by_val = Weird::select()
            .filter(Weird::val.eq(value).and(Weird::semi.eq(value)))
            .all(&db)
            .await
            .expect("select we\"ird");
        assert_eq!(by_val, vec![weird.clone()]);
        let upserted = Weird::upsert(NewWeird {
            id,
            val: format!("{value}!"),
            semi: "x".into(),
        })
        .on_conflict(Weird::id)
        .update((Weird::val,))
        .one(&db)
        .await
        .expect("upsert we\"ird");
        assert_eq!(upserted.val, format!("{value}!"));
        assert_eq!(upserted.semi, value);
        assert_eq!(
            Weird::find(id).one(&db).await.expect("find we\"ird"),
            upserted
        );
        checks += 1;
    }
    let deleted = Weird::delete(0).one(&db).await.expect("delete we\"ird");
    assert_eq!(deleted.id, 0);
    let classes_after = catalog_size(&db).await;
    let notes = FaultNote::select().count(&db).await.expect("notes");
    let weird_rows = Weird::select().count(&db).await.expect("we\"ird");
    println!(
        "f09 injection: {checks} hostile values stored, matched, updated and upserted verbatim \
         in fault_notes and in \"we\"\"ird\" (columns \"va\"\"l\" and \"semi;colon\"); \
         statements hold no value; pg_class {classes_before} before, {classes_after} after; \
         rows {notes} notes, {weird_rows} we\"ird"
    );
    assert_eq!(classes_before, classes_after, "f09: the catalog changed");
    assert_eq!(notes, INJECTIONS.len() as i64);
    assert_eq!(weird_rows, INJECTIONS.len() as i64 - 1);
}

// ---------------------------------------------------------------------------------------------
// 10. Secrets.

/// The password of every URL of the secrets test.
const CANARY: &str = "CANARY123";
/// A value bound as a parameter: statement spans carry the SQL text, never values.
const VALUE_CANARY: &str = "VALUE-CANARY-4711";

/// Everything a caller could print about an error: `Display`, both `Debug` forms, and the same
/// for each error of its source chain.

#[test]
fn f10_secrets_never_leak() {
    let _serial = SERIAL.blocking_lock();
    let started = Instant::now();
    let cluster =
        Cluster::start().unwrap_or_else(|e| panic!("f10: cannot start a throwaway cluster: {e}"));
    // One thread: the scoped subscriber sees everything the runtime does, the connection tasks
    // included.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let capture = Capture::default();
    let shown = tracing::subscriber::with_default(capture.clone(), || {
        runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(30), f10(&cluster)).await })
    });
    let Ok((shown, failures)) = shown else {
        panic!("f10 did not finish within 30 s");
    };
    let traced = capture.text();
    let leaks: Vec<&(String, String)> = shown.iter().filter(|(_, t)| t.contains(CANARY)).collect();
    println!(
        "f10 secrets: password {CANARY:?} in every URL; {} texts checked (Debug of Config, Db, \
         Conn, Transaction; Display, Debug and source chains of {} errors: {}); {} bytes of \
         tracing output ({} statement spans); leaks: {} in texts, {} in tracing, bound value in \
         tracing: {}",
        shown.len(),
        failures.len(),
        failures.join(", "),
        traced.len(),
        traced.matches("span buster_db.statement").count(),
        leaks.len(),
        traced.matches(CANARY).count(),
        traced.matches(VALUE_CANARY).count()
    );
    println!("f10: done in {} ms", started.elapsed().as_millis());
    assert!(leaks.is_empty(), "f10: the password shows in {leaks:#?}");
    assert!(
        !traced.contains(CANARY),
        "f10: the password shows in tracing output:\n{traced}"
    );
    assert!(
        !traced.contains(VALUE_CANARY),
        "f10: a bound value shows in tracing output:\n{traced}"
    );
    assert!(
        traced.contains("span buster_db.statement") && traced.contains("INSERT INTO"),
        "f10: nothing was captured:\n{traced}"
    );
}

/// Returns every text shown, labelled, and a summary of each failure provoked.
async fn f10(cluster: &Cluster) -> (Vec<(String, String)>, Vec<String>) {
    let port = cluster.port();
    let mut shown: Vec<(String, String)> = Vec::new();
    let mut failures = Vec::new();
    let admin = prepare(cluster).await;
    execute(
        &admin,
        "CREATE ROLE canary LOGIN PASSWORD 'the-right-password'",
    )
    .await;
    cluster
        .prepend_hba("host all canary 127.0.0.1/32 scram-sha-256")
        .expect("pg_hba.conf");

    // A working pool whose URL carries the password (trust authentication never asks for it).
    let url = format!("postgres://postgres:{CANARY}@127.0.0.1:{port}/postgres");
    let config = Config::from_url(&url)
        .expect("url")
        .application_name("fault_f10")
        .pool_size(2)
        .statement_timeout(Some(Duration::from_millis(100)));
    shown.push(("Config".into(), format!("{config:?} {config:#?}")));
    let db = connect(config).await;
    shown.push(("Db".into(), format!("{db:?} {db:#?} {:?}", db.config())));
    let conn = db.conn().await.expect("checkout");
    shown.push(("Conn".into(), format!("{conn:?} {conn:#?}")));
    drop(conn);
    let tx_debug = db
        .transaction(async |tx| {
            let shown = format!("{tx:?} {tx:#?}");
            FaultNote::insert(NewFaultNote {
                id: None,
                body: VALUE_CANARY.into(),
            })
            .one(tx)
            .await?;
            Ok::<_, Error>(shown)
        })
        .await
        .expect("transaction");
    shown.push(("Transaction".into(), tx_debug));

    let record = |shown: &mut Vec<(String, String)>,
                  failures: &mut Vec<String>,
                  label: &str,
                  result: Result<()>| {
        match result {
            Ok(()) => panic!("f10: {label} succeeded"),
            Err(e) => {
                failures.push(format!(
                    "{label} -> {:?} {}",
                    e.kind(),
                    e.code().unwrap_or("")
                ));
                shown.push((label.to_owned(), error_texts(&e)));
            }
        }
    };
    FaultOwner::insert(NewFaultOwner {
        id: 1,
        email: VALUE_CANARY.into(),
    })
    .one(&db)
    .await
    .expect("owner");
    let duplicate = FaultOwner::insert(NewFaultOwner {
        id: 2,
        email: VALUE_CANARY.into(),
    })
    .one(&db)
    .await
    .map(drop);
    record(&mut shown, &mut failures, "unique violation", duplicate);
    let timed_out = FaultSlow::select().all(&db).await.map(drop);
    record(&mut shown, &mut failures, "statement timeout", timed_out);
    let swallowed = db
        .transaction(async |tx| {
            let _ = FaultSlow::select().all(tx).await;
            Ok::<_, Error>(())
        })
        .await;
    record(&mut shown, &mut failures, "swallowed failure", swallowed);

    // Connection failures, each with the password in its URL.
    let closed_port = free_port().expect("port");
    let attempts = [
        (
            "wrong port",
            format!("postgres://postgres:{CANARY}@127.0.0.1:{closed_port}/postgres"),
        ),
        (
            "wrong database",
            format!("postgres://postgres:{CANARY}@127.0.0.1:{port}/no_such_database"),
        ),
        (
            "wrong password",
            format!("postgres://canary:{CANARY}@127.0.0.1:{port}/postgres"),
        ),
        (
            "wrong password, key/value form",
            format!("host=127.0.0.1 port={port} user=canary password={CANARY} dbname=postgres"),
        ),
        (
            "malformed port",
            format!("postgres://postgres:{CANARY}@127.0.0.1:notaport/postgres"),
        ),
        (
            "bad parameter",
            format!("postgres://postgres:{CANARY}@127.0.0.1:{port}/postgres?sslmode=bogus"),
        ),
    ];
    for (label, url) in attempts {
        let connected = match Config::from_url(&url) {
            Ok(config) => {
                shown.push((format!("{label}: Config"), format!("{config:?}")));
                Db::connect(config.create_timeout(Duration::from_secs(2)))
                    .await
                    .map(drop)
            }
            Err(e) => Err(e),
        };
        record(&mut shown, &mut failures, label, connected);
    }
    (shown, failures)
}

// ---------------------------------------------------------------------------------------------
// 11. Soft delete against a model.

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "fault_fixtures")]
async fn f11_soft_delete_matches_a_model(db: Db) {
    bounded("f11", Duration::from_secs(60), f11(db)).await;
}

/// The model's view of one document.
#[derive(Debug, Clone, PartialEq)]
struct ModelDoc {
    slug: String,
    body: String,
    deleted: bool,
}

/// What an operation returned: a row (reduced to the model's view), nothing, or an error kind.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Row(i32, ModelDoc),
    Nothing,
    Failed(ErrorKind),
    Count(i64, i64),
}

fn seen(result: Result<Option<FaultDoc>>) -> Seen {
    match result {
        Ok(Some(d)) => Seen::Row(
            d.id,
            ModelDoc {
                slug: d.slug,
                body: d.body,
                deleted: d.deleted_at.is_some(),
            },
        ),
        Ok(None) => Seen::Nothing,
        Err(e) => Seen::Failed(e.kind()),
    }
}

#[derive(Default)]
struct Model {
    docs: BTreeMap<i32, ModelDoc>,
}

impl Model {
    fn live_with_slug(&self, slug: &str) -> Option<i32> {
        self.docs
            .iter()
            .find(|(_, d)| !d.deleted && d.slug == slug)
            .map(|(id, _)| *id)
    }

    fn row(&self, id: i32) -> Seen {
        Seen::Row(id, self.docs[&id].clone())
    }

    fn create(&mut self, id: i32, slug: &str, body: &str) -> Seen {
        if self.docs.contains_key(&id) || self.live_with_slug(slug).is_some() {
            return Seen::Failed(ErrorKind::UniqueViolation);
        }
        self.docs.insert(
            id,
            ModelDoc {
                slug: slug.into(),
                body: body.into(),
                deleted: false,
            },
        );
        self.row(id)
    }

    fn soft_delete(&mut self, id: i32) -> Seen {
        match self.docs.get_mut(&id) {
            Some(d) if !d.deleted => {
                d.deleted = true;
                self.row(id)
            }
            _ => Seen::Nothing,
        }
    }

    fn restore(&mut self, id: i32) -> Seen {
        let Some(d) = self.docs.get(&id) else {
            return Seen::Nothing;
        };
        if !d.deleted {
            return Seen::Nothing;
        }
        if self.live_with_slug(&d.slug).is_some() {
            return Seen::Failed(ErrorKind::UniqueViolation);
        }
        if let Some(d) = self.docs.get_mut(&id) {
            d.deleted = false;
        }
        self.row(id)
    }

    fn update(&mut self, id: i32, body: &str) -> Seen {
        match self.docs.get_mut(&id) {
            Some(d) if !d.deleted => {
                d.body = body.into();
                self.row(id)
            }
            _ => Seen::Nothing,
        }
    }

    /// `ON CONFLICT (id) DO UPDATE SET body`, optionally reviving a deleted row.
    fn upsert_by_id(&mut self, id: i32, slug: &str, body: &str, revive: bool) -> Seen {
        let Some(d) = self.docs.get(&id) else {
            return self.create(id, slug, body);
        };
        if d.deleted && !revive {
            return Seen::Nothing;
        }
        if d.deleted && self.live_with_slug(&d.slug).is_some() {
            return Seen::Failed(ErrorKind::UniqueViolation);
        }
        if let Some(d) = self.docs.get_mut(&id) {
            d.deleted = false;
            d.body = body.into();
        }
        self.row(id)
    }

    /// `ON CONFLICT (slug) WHERE deleted_at IS NULL DO UPDATE SET body`.
    fn upsert_by_slug(&mut self, id: i32, slug: &str, body: &str) -> Seen {
        match self.live_with_slug(slug) {
            Some(live) => self.update(live, body),
            None => self.create(id, slug, body),
        }
    }

    fn counts(&self) -> Seen {
        let live = self.docs.values().filter(|d| !d.deleted).count() as i64;
        Seen::Count(live, self.docs.len() as i64 - live)
    }
}

async fn counts(db: &Db) -> Seen {
    let live = FaultDoc::select().count(db).await;
    let deleted = FaultDoc::select().only_deleted().count(db).await;
    match (live, deleted) {
        (Ok(l), Ok(d)) => Seen::Count(l, d),
        (Err(e), _) | (_, Err(e)) => Seen::Failed(e.kind()),
    }
}

async fn f11(db: Db) {
    const OPS: usize = 3_000;
    let mut rng = Rng::seeded("f11");
    let mut model = Model::default();
    let mut divergences = Vec::new();
    let mut by_op = [0usize; 8];
    let slugs = ["alpha", "beta", "gamma", "delta", "eps"];
    for step in 0..OPS {
        let id = rng.below(12) as i32 + 1;
        let slug = *rng.pick(&slugs);
        let body = format!("body {step}");
        let op = rng.below(8) as usize;
        by_op[op] += 1;
        let new = NewFaultDoc {
            id,
            slug: slug.into(),
            body: body.clone(),
        };
        let (what, expected, got) = match op {
            0 => (
                "create",
                model.create(id, slug, &body),
                seen(FaultDoc::insert(new).one(&db).await.map(Some)),
            ),
            1 => (
                "soft delete",
                model.soft_delete(id),
                seen(FaultDoc::soft_delete(id).optional(&db).await),
            ),
            2 => (
                "restore",
                model.restore(id),
                seen(FaultDoc::restore(id).optional(&db).await),
            ),
            3 => (
                "update",
                model.update(id, &body),
                seen(
                    FaultDoc::update(id)
                        .set(FaultDoc::body, body.as_str())
                        .optional(&db)
                        .await,
                ),
            ),
            4 => (
                "upsert on id",
                model.upsert_by_id(id, slug, &body, false),
                seen(
                    FaultDoc::upsert(new)
                        .on_conflict(FaultDoc::id)
                        .update((FaultDoc::body,))
                        .optional(&db)
                        .await,
                ),
            ),
            5 => (
                "upsert on id, reviving",
                model.upsert_by_id(id, slug, &body, true),
                seen(
                    FaultDoc::upsert(new)
                        .on_conflict(FaultDoc::id)
                        .update((FaultDoc::body,))
                        .revive()
                        .optional(&db)
                        .await,
                ),
            ),
            6 => (
                "upsert on slug",
                model.upsert_by_slug(id, slug, &body),
                seen(
                    FaultDoc::upsert(new)
                        .on_conflict(FaultDoc::slug)
                        .update((FaultDoc::body,))
                        .optional(&db)
                        .await,
                ),
            ),
            _ => ("count", model.counts(), counts(&db).await),
        };
        if expected != got {
            divergences.push(format!(
                "step {step}: {what} id {id} slug {slug}: model {expected:?}, database {got:?}"
            ));
        }
        if step % 100 == 99 {
            let rows = FaultDoc::select()
                .with_deleted()
                .all(&db)
                .await
                .expect("all rows");
            let table: BTreeMap<i32, ModelDoc> = rows
                .into_iter()
                .map(|d| {
                    (
                        d.id,
                        ModelDoc {
                            slug: d.slug,
                            body: d.body,
                            deleted: d.deleted_at.is_some(),
                        },
                    )
                })
                .collect();
            if table != model.docs {
                divergences.push(format!(
                    "step {step}: table {table:?} != model {:?}",
                    model.docs
                ));
            }
        }
        if divergences.len() > 5 {
            break;
        }
    }

    // Concurrent soft deletes, updates and upserts on the same rows.
    let rows = 40;
    let docs = (0..rows).map(|i| NewFaultDoc {
        id: 1000 + i,
        slug: format!("race-{i}"),
        body: "original".into(),
    });
    FaultDoc::insert_many(docs)
        .execute(&db)
        .await
        .expect("race rows");
    let race = connect(db.config().clone().pool_size(8)).await;
    let order = |reverse: bool| -> Vec<i32> {
        let mut ids: Vec<i32> = (1000..1000 + rows).collect();
        if reverse {
            ids.reverse();
        }
        ids
    };
    let deleter = |reverse: bool| {
        let (race, ids) = (&race, order(reverse));
        async move {
            let mut got = BTreeMap::new();
            for id in ids {
                got.insert(id, FaultDoc::soft_delete(id).optional(race).await);
            }
            got
        }
    };
    let updater = |reverse: bool| {
        let (race, ids) = (&race, order(reverse));
        async move {
            let mut got = BTreeMap::new();
            for id in ids {
                let updated = if id % 2 == 0 {
                    FaultDoc::update(id)
                        .set(FaultDoc::body, "updated")
                        .optional(race)
                        .await
                } else {
                    FaultDoc::upsert(NewFaultDoc {
                        id,
                        slug: format!("race-{}", id - 1000),
                        body: "upserted".into(),
                    })
                    .on_conflict(FaultDoc::id)
                    .update((FaultDoc::body,))
                    .optional(race)
                    .await
                };
                got.insert(id, updated);
            }
            got
        }
    };
    let (d1, d2, u1, u2) =
        tokio::join!(deleter(false), deleter(true), updater(true), updater(false));
    let finals: BTreeMap<i32, FaultDoc> = FaultDoc::select()
        .with_deleted()
        .filter(FaultDoc::id.ge(1000))
        .all(&db)
        .await
        .expect("race rows")
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let (mut double, mut resurrected, mut after_delete, mut race_errors) = (0, 0, 0, Vec::new());
    let (mut updates_won, mut updates_refused) = (0, 0);
    for id in 1000..1000 + rows {
        let deletes: Vec<&FaultDoc> = [&d1[&id], &d2[&id]]
            .into_iter()
            .filter_map(|r| match r {
                Ok(row) => row.as_ref(),
                Err(e) => {
                    race_errors.push(format!("delete {id}: {e}"));
                    None
                }
            })
            .collect();
        for r in [&u1[&id], &u2[&id]] {
            match r {
                Ok(Some(row)) => {
                    updates_won += 1;
                    if row.deleted_at.is_some() {
                        resurrected += 1;
                    }
                }
                Ok(None) => updates_refused += 1,
                Err(e) => race_errors.push(format!("update {id}: {e}")),
            }
        }
        if deletes.len() != 1 {
            double += 1;
            continue;
        }
        let row = &finals[&id];
        if row.deleted_at.is_none() {
            resurrected += 1;
        }
        // The row is exactly as the one successful delete left it: nothing wrote after it.
        if row != deletes[0] {
            after_delete += 1;
        }
    }
    println!(
        "f11 soft delete vs model: {} operations (create {}, soft delete {}, restore {}, update \
         {}, upsert on id {}, reviving upsert {}, upsert on slug {}, count {}), {} divergences; \
         race on {rows} rows (2 deleters, 2 updaters/upserters): {updates_won} writes before \
         the delete, {updates_refused} refused after it, rows deleted twice or never {double}, \
         resurrected {resurrected}, written after the delete {after_delete}, errors {}",
        by_op.iter().sum::<usize>(),
        by_op[0],
        by_op[1],
        by_op[2],
        by_op[3],
        by_op[4],
        by_op[5],
        by_op[6],
        by_op[7],
        divergences.len(),
        race_errors.len()
    );
    assert!(divergences.is_empty(), "f11: {divergences:#?}");
    assert_eq!(
        (double, resurrected, after_delete),
        (0, 0, 0),
        "f11: the race broke the soft-delete rules"
    );
    assert!(race_errors.is_empty(), "f11: {race_errors:?}");
}

// ---------------------------------------------------------------------------------------------
// 12–13. Cancellation and pool exhaustion through PgBouncer in transaction mode.

/// PgBouncer in transaction mode in front of `cluster`, or `None` (with a message) when the
/// binary is not installed.
fn transaction_bouncer(test: &str, cluster: &Cluster, server_pool: usize) -> Option<PgBouncer> {
    PgBouncer::start_or_skip(test, PoolMode::Transaction, cluster.port(), server_pool)
        .unwrap_or_else(|e| panic!("{test}: cannot start pgbouncer: {e}"))
}

/// A pooler-mode pool through `bouncer`, tagged `app`, with a statement timeout (set per
/// transaction, since PgBouncer refuses it as a startup option).
fn bouncer_config(bouncer: &PgBouncer, app: &str, pool: usize) -> Config {
    Config::from_url(&bouncer.url("postgres", "?pgbouncer=true"))
        .expect("pgbouncer URL")
        .application_name(app)
        .pool_size(pool)
        .wait_timeout(Duration::from_secs(2))
        .create_timeout(Duration::from_secs(2))
        .statement_timeout(Some(Duration::from_secs(5)))
}

#[test]
fn f12_cancellation_through_pgbouncer() {
    // PgBouncer reaches the cluster over plain TCP.
    on_cluster_over("f12", Duration::from_secs(60), Transport::Plain, f12);
}

async fn f12(cluster: Cluster) {
    const APP: &str = "fault_f12";
    let Some(bouncer) = transaction_bouncer("f12", &cluster, 2) else {
        return;
    };
    let admin = prepare(&cluster).await;
    let db = connect(bouncer_config(&bouncer, APP, 1)).await;
    cancellation("f12", &admin, &db, APP, 1_000).await;
    // Every server session PgBouncer keeps is usable and outside any transaction.
    let (total, idle_in_tx) = sessions(&admin, APP).await;
    println!("f12: server sessions through pgbouncer {total}, idle in transaction {idle_in_tx}");
    assert_eq!(idle_in_tx, 0);
    assert!(
        total <= 2,
        "more server sessions than pgbouncer's pool: {total}"
    );
}

#[test]
fn f13_pool_exhaustion_through_pgbouncer() {
    on_cluster_over("f13", Duration::from_secs(60), Transport::Plain, f13);
}

async fn f13(cluster: Cluster) {
    let Some(bouncer) = transaction_bouncer("f13", &cluster, 2) else {
        return;
    };
    let _admin = prepare(&cluster).await;

    // A: every transaction of a full pool asks for a second connection.
    const TX: usize = 4;
    let wait_a = Duration::from_millis(400);
    let db = connect(bouncer_config(&bouncer, "fault_f13a", TX).wait_timeout(wait_a)).await;
    let held = hold(&db, TX).await;
    let asked = Instant::now();
    let starved = db.conn().await.err().map(|e| e.kind());
    let waited = asked.elapsed();
    assert_eq!(starved, Some(ErrorKind::PoolTimeout));
    assert!(near(waited, wait_a), "PoolTimeout after {waited:?}");
    // A held connection still serves (PgBouncer lends it a server session per statement).
    for conn in &held {
        FaultItem::select()
            .count(conn)
            .await
            .expect("held connection");
    }
    drop(held);
    let status_a = settled_pool(&db, TX as i64).await;

    // B: 400 callers of 10-ms statements on a pool of 4 over 2 server sessions.
    const CALLERS: usize = 400;
    let wait_b = Duration::from_millis(300);
    let db = connect(bouncer_config(&bouncer, "fault_f13b", TX).wait_timeout(wait_b)).await;
    let mut tasks = Vec::new();
    for _ in 0..CALLERS {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let asked = Instant::now();
            let result = sleep_10ms(&db).await;
            (result.err().map(|e| e.kind()), asked.elapsed())
        }));
    }
    let (mut served, mut timed_out, mut other, mut slowest_timeout) =
        (0, 0, Vec::new(), Duration::ZERO);
    for t in tasks {
        match t.await.expect("task panicked") {
            (None, _) => served += 1,
            (Some(ErrorKind::PoolTimeout), after) => {
                timed_out += 1;
                slowest_timeout = slowest_timeout.max(after);
            }
            (Some(kind), _) => other.push(kind),
        }
    }
    let status_b = settled_pool(&db, TX as i64).await;
    println!(
        "f13 pool exhaustion through pgbouncer: nested checkout PoolTimeout after {} ms (wait {} \
         ms), pool afterwards {status_a:?}; {CALLERS} 10-ms statements on a pool of {TX}: \
         {served} served, {timed_out} PoolTimeout (slowest after {} ms), other errors {other:?}; \
         pool afterwards {status_b:?}",
        ms(waited),
        ms(wait_a),
        ms(slowest_timeout),
    );
    assert!(other.is_empty(), "f13: unexpected errors {other:?}");
    assert!(
        served > 0 && timed_out > 0,
        "f13: {served} served, {timed_out} timed out"
    );
    assert!(
        slowest_timeout < wait_b + Duration::from_millis(200),
        "f13: a PoolTimeout after {slowest_timeout:?}"
    );
}

/// A statement of about 10 ms.
async fn sleep_10ms(db: &Db) -> Result<()> {
    raw_query::<()>("SELECT pg_sleep(0.01)")
        .execute(db)
        .await
        .map(drop)
}

// ---------------------------------------------------------------------------------------------
// f14: the password is rotated while the pool runs.

// Macros, so that the statements setting them are static text (`concat!`), as a raw statement's
// must be.
macro_rules! old_password {
    () => {
        "rotor-old-PW-9d1c"
    };
}
macro_rules! new_password {
    () => {
        "rotor-new-PW-52fa"
    };
}
const OLD_PASSWORD: &str = old_password!();
const NEW_PASSWORD: &str = new_password!();

#[test]
fn f14_password_rotation() {
    on_cluster("f14", Duration::from_secs(40), f14);
}

/// Writers on sessions opened with the old password, for as long as `stop` is unset.
fn rotation_writers(
    conns: Vec<Conn>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Tally>> {
    conns
        .into_iter()
        .enumerate()
        .map(|(writer, conn)| {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let note = NewFaultNote {
                        id: None,
                        body: format!("f14 writer {writer} note {n}"),
                    };
                    match FaultNote::insert(note).execute(&conn).await {
                        Ok(_) => tally.ok += 1,
                        Err(e) => tally.error(&e),
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                tally
            })
        })
        .collect()
}

async fn f14(cluster: Cluster) {
    let admin = prepare(&cluster).await;
    execute(
        &admin,
        concat!("CREATE ROLE rotor LOGIN PASSWORD '", old_password!(), "'"),
    )
    .await;
    execute(&admin, "GRANT ALL ON ALL TABLES IN SCHEMA public TO rotor").await;
    for net in ["127.0.0.1/32", "::1/128"] {
        cluster
            .prepend_hba(&format!("host all rotor {net} scram-sha-256"))
            .expect("pg_hba.conf");
    }
    let url = cluster
        .url("postgres")
        .replacen("postgres://postgres@", "postgres://rotor@", 1);
    let password = Arc::new(Mutex::new(OLD_PASSWORD.to_owned()));
    let asked = Arc::new(AtomicU32::new(0));
    let provider = {
        let (password, asked) = (password.clone(), asked.clone());
        move || {
            asked.fetch_add(1, Ordering::SeqCst);
            let current = password
                .lock()
                .map(|p| p.clone())
                .map_err(|_| "the password store is poisoned");
            async move { current }
        }
    };
    let config = Config::from_url(&url)
        .expect("url")
        .application_name("fault_f14")
        .pool_size(8)
        .wait_timeout(Duration::from_secs(2))
        .create_timeout(Duration::from_secs(2))
        .password_provider(provider);
    let db = connect(config.clone()).await;
    let writers = 4;
    let held = hold(&db, writers).await;
    let opened_before = asked.load(Ordering::SeqCst);
    let stop = Arc::new(AtomicBool::new(false));
    let tasks = rotation_writers(held, &stop);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Rotated on the server: the provider still gives the old password, so a new connection
    // is refused by the server, while the sessions already open go on writing.
    execute(
        &admin,
        concat!("ALTER ROLE rotor PASSWORD '", new_password!(), "'"),
    )
    .await;
    let stale = match Db::connect(config.clone()).await {
        Ok(_) => panic!("f14: a connection with the old password was accepted"),
        Err(e) => e,
    };
    assert_eq!(stale.kind(), ErrorKind::Connection, "{stale}");
    assert_eq!(stale.code(), Some("28P01"), "{stale}");
    tokio::time::sleep(Duration::from_millis(200)).await;

    // The provider catches up: new connections of the running pool use the new password.
    *password.lock().expect("password store") = NEW_PASSWORD.to_owned();
    let asked_at_rotation = asked.load(Ordering::SeqCst);
    let more = hold(&db, 3).await;
    let opened_after = asked.load(Ordering::SeqCst) - asked_at_rotation;
    for conn in &more {
        FaultNote::insert(NewFaultNote {
            id: None,
            body: "f14 after rotation".into(),
        })
        .execute(conn)
        .await
        .expect("f14: a connection opened with the new password cannot write");
    }
    let fresh = Db::connect(config.clone())
        .await
        .expect("f14: a new pool with the new password");
    let seen = FaultNote::select()
        .count(&fresh)
        .await
        .expect("f14: read with the new password");
    assert!(seen > 0, "f14: the new pool sees no notes");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    for task in tasks {
        total.absorb(task.await.expect("writer task"));
    }
    let (rotor_sessions, _) = sessions(&admin, "fault_f14").await;
    let rows = FaultNote::select().count(&admin).await.expect("count");
    let texts = format!("{stale} | {stale:?} | {config:?} | {db:?} | {fresh:?}");
    println!(
        "f14 password rotation over {:?}: {writers} sessions opened with the old password wrote \
         {} notes across the rotation, {} errors; the provider was asked {opened_before} times \
         before, a connection with the old password after the rotation got {} ({:?}); {} new \
         connections of the running pool asked for the new one; {rotor_sessions} sessions \
         open; {rows} notes in the table",
        transport(),
        total.ok,
        total.failed(),
        stale.code().unwrap_or(""),
        stale.kind(),
        opened_after,
    );
    assert!(
        total.errors.is_empty(),
        "f14: writers failed: {:?}",
        total.samples
    );
    assert!(total.ok > 0, "f14: the writers wrote nothing");
    assert!(
        opened_after >= 1,
        "f14: no new connection was opened after the rotation"
    );
    assert_eq!(
        u64::try_from(rows).ok(),
        Some(total.ok + 3),
        "f14: notes written vs acknowledged"
    );
    for secret in [OLD_PASSWORD, NEW_PASSWORD] {
        assert!(
            !texts.contains(secret),
            "f14: the password shows in {texts}"
        );
    }
}
