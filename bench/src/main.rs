//! Benchmarks buster-db against hand-written `tokio-postgres` (the floor, collecting the rows
//! then decoding them, and decoding them as they arrive), `deadpool-postgres` with
//! `prepare_cached` and, with the `peers` feature, sqlx and diesel-async.
//!
//! Every client runs the same workloads in the same process, on the same database and runtime,
//! in interleaved rounds (each round runs every client once, in an order shuffled per round).
//! The medians and their ratios to the floor (the faster of the two hand-written forms, per
//! workload) are printed as a Markdown table and written to
//! `bench/results/latest.md`, with a chart in `bench/results/ratios.svg`.
//!
//! ```sh
//! cargo run --release -p buster-db-bench --features peers -- [--quick] [--out DIR]
//! ```
//!
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) names the server; the
//! benchmark creates and drops its own database `buster_bench` there.

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

use cpu_time::ProcessTime;

mod bulk;
mod buster;
mod diagnose;
mod floor;
mod memory;
mod model;
#[cfg(feature = "peers")]
mod peers;
mod pooler;
mod report;
mod setup;

use crate::bulk::{Bulk, Strategy};
use crate::model::Input;
use crate::report::{BulkStats, Measured, Stats};
use crate::setup::{FINDS_PER_SAMPLE, FINDS_PER_TASK, POOL_TASKS, Seed, live_posts_of_first_users};

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub(crate) type BoxResult<T> = Result<T, BoxError>;

/// Connections of every pool.
pub(crate) const POOL_SIZE: usize = 16;
const DB_NAME: &str = "buster_bench";
const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A client under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    /// `tokio-postgres`, statements prepared once, rows collected (`query`) then decoded by
    /// position.
    Floor,
    /// `tokio-postgres`, statements prepared once, each row decoded by position as it arrives
    /// (`query_raw`).
    FloorStream,
    /// `deadpool-postgres`: a checkout and `prepare_cached` per statement.
    Deadpool,
    /// buster-db on a `&Db`: a checkout per statement.
    Buster,
    /// buster-db on one `Conn` held for the whole run.
    BusterConn,
    /// sqlx `PgPool` with `query_as` and `FromRow`.
    #[cfg(feature = "peers")]
    Sqlx,
    /// diesel-async on its deadpool pool.
    #[cfg(feature = "peers")]
    Diesel,
}

impl Who {
    pub(crate) fn all() -> Vec<Who> {
        let all = vec![
            Who::Floor,
            Who::FloorStream,
            Who::Deadpool,
            Who::Buster,
            Who::BusterConn,
        ];
        #[cfg(feature = "peers")]
        let all = [all, vec![Who::Sqlx, Who::Diesel]].concat();
        all
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Who::Floor => "tokio-postgres (collect)",
            Who::FloorStream => "tokio-postgres (stream)",
            Who::Deadpool => "deadpool + prepare_cached",
            Who::Buster => "buster-db (&Db)",
            Who::BusterConn => "buster-db (Conn)",
            #[cfg(feature = "peers")]
            Who::Sqlx => "sqlx",
            #[cfg(feature = "peers")]
            Who::Diesel => "diesel-async",
        }
    }

    fn supports(self, op: Op) -> bool {
        // One held connection cannot serve 64 tasks as a pool does.
        !(self == Who::BusterConn && matches!(op, Op::Pool))
    }
}

/// A workload.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Op {
    Find,
    List(i64),
    Join(i64),
    /// This many users, then their posts (a has-many relation), grouped per user.
    Relation(i64),
    Insert(usize),
    Upsert(usize),
    SoftDelete(usize),
    Pool,
    Pipeline,
}

impl Op {
    pub(crate) fn writes(self) -> bool {
        matches!(self, Op::Insert(_) | Op::Upsert(_) | Op::SoftDelete(_))
    }

    /// The rows every client must return (or affect) in one call.
    fn expected(self) -> BoxResult<usize> {
        Ok(match self {
            Op::Find => FINDS_PER_SAMPLE,
            Op::List(n) | Op::Join(n) => usize::try_from(n)?,
            // The posts loaded, not the users.
            Op::Relation(n) => live_posts_of_first_users(usize::try_from(n)?),
            Op::Insert(n) | Op::Upsert(n) | Op::SoftDelete(n) => n,
            Op::Pool => POOL_TASKS * FINDS_PER_TASK,
            Op::Pipeline => 8,
        })
    }

    /// Operations per timed call (the reported time is per operation).
    fn per_call(self) -> f64 {
        match self {
            Op::Find => FINDS_PER_SAMPLE as f64,
            _ => 1.0,
        }
    }
}

/// A ratio buster-db should stay under, against the floor or another client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    pub(crate) max: f64,
    pub(crate) vs: Who,
}

/// A workload with its number of measured rounds.
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) op: Op,
    pub(crate) rounds: usize,
    pub(crate) target: Option<Target>,
}

fn specs(quick: bool, scale: f64) -> Vec<Spec> {
    let floor = |max| {
        Some(Target {
            max,
            vs: Who::Floor,
        })
    };
    let spec = |name, op, rounds: usize, target| Spec {
        name,
        op,
        rounds: ((if quick {
            rounds.div_ceil(6).max(4)
        } else {
            rounds
        }) as f64
            * scale)
            .round()
            .max(1.0) as usize,
        target,
    };
    vec![
        spec("find by primary key", Op::Find, 2000, floor(1.05)),
        spec("list 1 row", Op::List(1), 3000, floor(1.05)),
        spec("list 100 rows", Op::List(100), 2000, floor(1.05)),
        spec("list 1,000 rows", Op::List(1_000), 600, floor(1.05)),
        spec("list 10,000 rows", Op::List(10_000), 100, floor(1.05)),
        spec(
            "users ⋈ posts, 1,000 pairs",
            Op::Join(1_000),
            300,
            floor(1.05),
        ),
        spec(
            "100 users with their posts (has_many)",
            Op::Relation(100),
            1000,
            floor(1.05),
        ),
        spec("insert 1 row", Op::Insert(1), 1000, floor(1.05)),
        spec("insert 100 rows", Op::Insert(100), 300, floor(1.05)),
        spec("insert 1,000 rows", Op::Insert(1_000), 80, floor(1.05)),
        spec(
            "upsert 1 row (conflicting)",
            Op::Upsert(1),
            1000,
            floor(1.05),
        ),
        spec(
            "upsert 100 rows, half conflicting",
            Op::Upsert(100),
            300,
            floor(1.05),
        ),
        spec(
            "upsert 10,000 rows, half conflicting",
            Op::Upsert(10_000),
            16,
            floor(1.05),
        ),
        spec(
            "soft delete 100 rows by id list",
            Op::SoftDelete(100),
            300,
            floor(1.05),
        ),
        spec(
            "64 tasks × 8 finds, 16-connection pool",
            Op::Pool,
            120,
            Some(Target {
                max: 1.03,
                vs: Who::Deadpool,
            }),
        ),
        spec(
            "8 finds pipelined on one connection",
            Op::Pipeline,
            2000,
            None,
        ),
    ]
}

/// Every client, ready.
struct Clients {
    floor: floor::Floor,
    deadpool: floor::Deadpool,
    buster: buster::Buster,
    buster_conn: buster::BusterConn,
    #[cfg(feature = "peers")]
    sqlx: peers::sqlx_client::Sqlx,
    #[cfg(feature = "peers")]
    diesel: peers::diesel_client::Diesel,
}

impl Clients {
    async fn new(
        url: &str,
        config: &tokio_postgres::Config,
        pipelining: bool,
    ) -> BoxResult<Clients> {
        // The floor, deadpool and the peers are built without TLS; buster-db's default
        // (`prefer`) would encrypt whenever the server offers TLS, so compare like with like.
        let buster_config = buster_db::Config::from_url(url)?
            .with_dbname(DB_NAME)
            .ssl_mode(buster_db::SslMode::Disable);
        let db = buster_db::Db::connect(
            buster_config
                .clone()
                .pool_size(POOL_SIZE)
                .pipelining(pipelining),
        )
        .await?;
        // Its own one-connection pool, so the held connection does not take a slot of `db`.
        let single = buster_db::Db::connect(buster_config.pool_size(1)).await?;
        Ok(Clients {
            floor: floor::Floor::new(config).await?,
            deadpool: floor::Deadpool::new(config)?,
            buster: buster::Buster { db },
            buster_conn: buster::BusterConn {
                conn: single.conn().await?,
            },
            #[cfg(feature = "peers")]
            sqlx: peers::sqlx_client::Sqlx::new(url, DB_NAME).await?,
            #[cfg(feature = "peers")]
            diesel: peers::diesel_client::Diesel::new(&url_with_dbname(url, DB_NAME)?)?,
        })
    }

    async fn run(&self, who: Who, input: Input) -> BoxResult<usize> {
        match who {
            Who::Floor => self.floor.run(floor::Read::Collect, input).await,
            Who::FloorStream => self.floor.run(floor::Read::Stream, input).await,
            Who::Deadpool => self.deadpool.run(input).await,
            Who::Buster => self.buster.run(input).await,
            Who::BusterConn => self.buster_conn.run(input).await,
            #[cfg(feature = "peers")]
            Who::Sqlx => self.sqlx.run(input).await,
            #[cfg(feature = "peers")]
            Who::Diesel => self.diesel.run(input).await,
        }
    }

    async fn close(self) {
        self.buster.db.close();
        #[cfg(feature = "peers")]
        self.sqlx.close().await;
    }
}

/// `url` with its database name replaced (URL form only).
#[cfg_attr(not(feature = "peers"), allow(dead_code))]
fn url_with_dbname(url: &str, dbname: &str) -> BoxResult<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let Some((scheme, rest)) = base.split_once("://") else {
        return Err("DATABASE_URL must be a postgres:// URL for the peers".into());
    };
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    let mut out = format!("{scheme}://{authority}/{dbname}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

/// The order the clients run in, a new one each round.
///
/// A rotating start would keep the cyclic order, so each client would always run right after
/// the same other one; a client that follows a call on its own connection (the two
/// hand-written forms share one) then always meets a warm server process, and one that follows
/// another connection's call a cold one. A shuffle per round (a fixed-seed xorshift, so runs
/// are repeatable) gives every client every predecessor.
struct Order {
    state: u64,
    order: Vec<usize>,
}

impl Order {
    fn new(n: usize) -> Order {
        Order {
            state: 0x2545_f491_4f6c_dd1d,
            order: (0..n).collect(),
        }
    }

    fn next_round(&mut self) -> Vec<usize> {
        for i in (1..self.order.len()).rev() {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            let j = usize::try_from(self.state % (i as u64 + 1)).unwrap_or(0);
            self.order.swap(i, j);
        }
        self.order.clone()
    }
}

/// Runs one workload: warm-up rounds, then measured rounds, each running every client once
/// in a shuffled order, with the state reset between calls.
async fn measure(
    spec: &Spec,
    clients: &Clients,
    seed: &mut Seed,
    selected: &[Who],
) -> BoxResult<Measured> {
    let who: Vec<Who> = selected
        .iter()
        .copied()
        .filter(|w| w.supports(spec.op))
        .collect();
    let expected = spec.op.expected()?;
    let warmup = (spec.rounds / 10).max(3);
    let mut samples = vec![Vec::with_capacity(spec.rounds); who.len()];
    let mut cpu = vec![Vec::with_capacity(spec.rounds); who.len()];
    let mut order = Order::new(who.len());
    for round in 0..warmup + spec.rounds {
        for i in order.next_round() {
            let input = seed.input(spec.op).await?;
            let cpu_started = ProcessTime::now();
            let started = Instant::now();
            let n = clients.run(who[i], input).await?;
            let elapsed = started.elapsed();
            let cpu_used = cpu_started.elapsed();
            seed.reset(spec.op).await?;
            if n != expected {
                return Err(format!(
                    "{}: {} returned {n} rows instead of {expected}",
                    spec.name,
                    who[i].label()
                )
                .into());
            }
            if round >= warmup {
                samples[i].push(elapsed.as_secs_f64() * 1e6 / spec.op.per_call());
                cpu[i].push(cpu_used.as_secs_f64() * 1e6 / spec.op.per_call());
            }
        }
    }
    seed.after(spec.op).await?;
    // Read by `bench/instructions.sh`, which divides the instructions counted inside
    // `Clients::run` by the operations run.
    eprintln!(
        "{}: {} operations per client",
        spec.name,
        (warmup + spec.rounds) as f64 * spec.op.per_call()
    );
    Ok(Measured {
        name: spec.name.to_owned(),
        target: spec.target,
        stats: who
            .iter()
            .zip(samples)
            .map(|(w, s)| (*w, Stats::of(s)))
            .collect(),
        cpu: who
            .iter()
            .zip(cpu)
            .map(|(w, s)| (*w, Stats::of(s)))
            .collect(),
    })
}

async fn bulk_insert(
    bulk: &mut Bulk,
    clients: &Clients,
    strategy: Strategy,
    rows: Vec<(String, String)>,
) -> BoxResult<usize> {
    match strategy {
        Strategy::Buster => bulk::buster(&clients.buster.db, rows).await,
        Strategy::BusterConn => bulk::buster(&clients.buster_conn.conn, rows).await,
        Strategy::BusterCopy => bulk::buster_copy(&clients.buster.db, rows).await,
        Strategy::BusterCopyConn => bulk::buster_copy(&clients.buster_conn.conn, rows).await,
        #[cfg(feature = "peers")]
        Strategy::Sqlx => clients.sqlx.bulk(rows).await,
        #[cfg(feature = "peers")]
        Strategy::Diesel => clients.diesel.bulk(rows).await,
        hand => bulk.hand(hand, rows).await,
    }
}

/// The bulk comparison, interleaved the same way.
async fn measure_bulk(
    bulk: &mut Bulk,
    clients: &Clients,
    rounds: usize,
    only: Option<&str>,
) -> BoxResult<Vec<BulkStats>> {
    let strategies: Vec<Strategy> = Strategy::all()
        .into_iter()
        .filter(|s| only.is_none_or(|o| o.split(',').any(|o| s.label().contains(o))))
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); strategies.len()];
    let mut cpu = vec![Vec::with_capacity(rounds); strategies.len()];
    let warmup = 2;
    let mut counter = 0;
    // The pools hold 16 connections once the pool workload has run, and hand them out
    // least-recently-used first: warm every connection of a pooled client up before timing.
    for s in strategies.iter().filter(|s| s.pooled()) {
        for _ in 0..POOL_SIZE {
            counter += 1;
            bulk_insert(bulk, clients, *s, bulk::rows(counter)).await?;
            bulk.reset().await?;
        }
    }
    let mut order = Order::new(strategies.len());
    for round in 0..warmup + rounds {
        for i in order.next_round() {
            counter += 1;
            let rows = bulk::rows(counter);
            let cpu_started = ProcessTime::now();
            let started = Instant::now();
            let n = bulk_insert(bulk, clients, strategies[i], rows).await?;
            let elapsed = started.elapsed();
            let cpu_used = cpu_started.elapsed();
            bulk.reset().await?;
            if n != bulk::BULK_ROWS {
                return Err(format!("bulk: {} inserted {n} rows", strategies[i].label()).into());
            }
            if round >= warmup {
                samples[i].push(elapsed.as_secs_f64() * 1e6);
                cpu[i].push(cpu_used.as_secs_f64() * 1e6);
            }
        }
    }
    Ok(strategies
        .into_iter()
        .zip(samples.into_iter().zip(cpu))
        .map(|(strategy, (wall, cpu))| BulkStats {
            strategy,
            wall: Stats::of(wall),
            cpu: Stats::of(cpu),
        })
        .collect())
}

struct Args {
    quick: bool,
    out: PathBuf,
    /// Only the workloads whose name contains this (for profiling one of them).
    only: Option<String>,
    /// Only these clients (short names, for profiling).
    clients: Option<Vec<String>>,
    /// Skip the bulk comparison.
    no_bulk: bool,
    /// Only the bulk strategies whose label contains one of these comma-separated texts (for
    /// profiling some of them).
    strategy: Option<String>,
    /// Skip the part-by-part measurements.
    no_parts: bool,
    /// Only the pooler-mode comparison.
    pooler_only: bool,
    /// Only the streaming memory measurement.
    memory_only: bool,
    /// Skip the streaming memory measurement.
    no_memory: bool,
    no_pooler: bool,
    no_pipelining: bool,
    /// Multiplies the number of rounds.
    scale: f64,
    /// Run on a current-thread runtime instead of the multi-thread one.
    current_thread: bool,
}

impl Args {
    fn parse() -> BoxResult<Args> {
        let mut args = Args {
            quick: false,
            out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/results")),
            only: None,
            clients: None,
            no_bulk: false,
            strategy: None,
            no_parts: false,
            pooler_only: false,
            memory_only: false,
            no_memory: false,
            no_pooler: false,
            no_pipelining: false,
            scale: 1.0,
            current_thread: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            match a.as_str() {
                "--quick" => args.quick = true,
                "--out" => args.out = it.next().ok_or("--out needs a directory")?.into(),
                "--only" => args.only = Some(it.next().ok_or("--only needs a workload name")?),
                "--clients" => {
                    let list = it.next().ok_or("--clients needs a list")?;
                    args.clients = Some(list.split(',').map(str::to_owned).collect());
                }
                "--no-bulk" => args.no_bulk = true,
                "--strategy" => {
                    args.strategy = Some(it.next().ok_or("--strategy needs a bulk strategy label")?)
                }
                "--no-parts" => args.no_parts = true,
                "--pooler-only" => args.pooler_only = true,
                "--memory-only" => args.memory_only = true,
                "--no-memory" => args.no_memory = true,
                "--no-pooler" => args.no_pooler = true,
                "--no-pipelining" => args.no_pipelining = true,
                "--sql" => {
                    for (what, text) in diagnose::statements() {
                        println!("{what}: {text}");
                    }
                    std::process::exit(0);
                }
                "--current-thread" => args.current_thread = true,
                "--scale" => args.scale = it.next().ok_or("--scale needs a factor")?.parse()?,
                "-h" | "--help" => {
                    println!(
                        "usage: buster-db-bench [--quick] [--out DIR] [--only WORKLOAD] \
                         [--clients pg,pg-stream,deadpool,buster,buster-conn,sqlx,diesel] [--no-bulk] [--strategy LABEL,…] [--no-parts] [--pooler-only] \
                         [--memory-only] [--no-memory] [--no-pooler] [--no-pipelining] \
                         [--scale F] [--current-thread] [--sql]"
                    );
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument `{other}`").into()),
            }
        }
        Ok(args)
    }
}

async fn bench(args: &Args, url: &str, config: &tokio_postgres::Config) -> BoxResult<()> {
    let started = Instant::now();
    let load_before = report::loadavg();
    let mut seed = Seed::new(config).await?;
    let buster_config = buster_db::Config::from_url(url)?.with_dbname(DB_NAME);
    let pooler_rounds = ((if args.quick { 200.0 } else { 1000.0 }) * args.scale) as usize;
    if args.pooler_only {
        println!("{}", pooler::run(&buster_config, pooler_rounds).await?);
        return Ok(());
    }
    if args.memory_only {
        let db = buster_db::Db::connect(
            buster_config
                .clone()
                .ssl_mode(buster_db::SslMode::Disable)
                .pool_size(1),
        )
        .await?;
        println!("{}", memory::run(config, &db).await?);
        return Ok(());
    }
    let mut clients = Clients::new(url, config, !args.no_pipelining).await?;
    let server = seed
        .admin
        .query_one("SHOW server_version", &[])
        .await?
        .try_get::<_, String>(0)?;
    let selected: Vec<Who> = Who::all()
        .into_iter()
        .filter(|w| {
            args.clients
                .as_ref()
                .is_none_or(|list| list.iter().any(|c| c == report::short(*w)))
        })
        .collect();
    let mut results = Vec::new();
    for spec in specs(args.quick, args.scale) {
        if args
            .only
            .as_ref()
            .is_some_and(|o| !spec.name.contains(o.as_str()))
        {
            continue;
        }
        let t = Instant::now();
        if matches!(spec.op, Op::Pool) {
            clients.floor.open_fleet().await?;
        }
        let measured = measure(&spec, &clients, &mut seed, &selected).await;
        clients.floor.close_fleet();
        let measured = measured?;
        eprintln!(
            "{:<42} {:>6.1} s  {}",
            spec.name,
            t.elapsed().as_secs_f64(),
            report::summary(&measured)
        );
        results.push(measured);
    }
    let t = Instant::now();
    let bulk_stats = if args.no_bulk {
        Vec::new()
    } else {
        let mut bulk = Bulk::new(config).await?;
        let rounds = if args.quick { 3.0 } else { 12.0 } * args.scale;
        measure_bulk(
            &mut bulk,
            &clients,
            (rounds.round() as usize).max(1),
            args.strategy.as_deref(),
        )
        .await?
    };
    eprintln!(
        "{:<42} {:>6.1} s",
        "bulk insert of 10,000 rows",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let diagnosis = if args.no_parts {
        String::new()
    } else {
        diagnose::run(config, &clients.buster.db).await?
    };
    eprintln!("{:<42} {:>6.1} s", "parts", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let pooler_section = if args.no_pooler {
        String::new()
    } else {
        pooler::run(&buster_config, pooler_rounds).await?
    };
    eprintln!("{:<42} {:>6.1} s", "pooler mode", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let memory_section = if args.no_memory {
        String::new()
    } else {
        memory::run(config, &clients.buster.db).await?
    };
    eprintln!(
        "{:<42} {:>6.1} s",
        "streaming memory",
        t.elapsed().as_secs_f64()
    );
    clients.close().await;
    let machine = report::Machine {
        server,
        quick: args.quick,
        elapsed: started.elapsed(),
        load_before,
        load_after: report::loadavg(),
        peers: cfg!(feature = "peers"),
        current_thread: args.current_thread,
    };
    let mut markdown = report::markdown(&machine, &results, &bulk_stats);
    markdown.push_str(&diagnosis);
    markdown.push_str(&pooler_section);
    markdown.push_str(&memory_section);
    println!("{markdown}");
    std::fs::create_dir_all(&args.out)?;
    std::fs::write(args.out.join("latest.md"), &markdown)?;
    std::fs::write(
        args.out.join("ratios.svg"),
        report::svg(&results, &bulk_stats),
    )?;
    eprintln!("wrote {}", args.out.join("latest.md").display());
    Ok(())
}

async fn run() -> BoxResult<()> {
    let args = Args::parse()?;
    let url = match std::env::var("DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ => DEFAULT_URL.to_owned(),
    };
    let admin_config = tokio_postgres::Config::from_str(&url)?;
    let admin = floor::connect(&admin_config).await?;
    setup::create_database(&admin, DB_NAME).await?;
    let mut config = admin_config.clone();
    config.dbname(DB_NAME);
    let outcome = bench(&args, &url, &config).await;
    let dropped = setup::drop_database(&admin, DB_NAME).await;
    outcome.and(dropped)
}

fn main() -> ExitCode {
    // Read before the runtime is built; `Args::parse` checks the whole command line later.
    let current_thread = std::env::args().any(|a| a == "--current-thread");
    let mut builder = if current_thread {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    // The benchmark runs on a worker thread, as request handlers do, not on the main thread.
    match runtime.block_on(async { tokio::spawn(run()).await }) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let mut text = err.to_string();
            let mut source = err.source();
            while let Some(s) = source {
                text.push_str(&format!(": {s}"));
                source = s.source();
            }
            eprintln!("error: {text}");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: the benchmark task failed: {err}");
            ExitCode::FAILURE
        }
    }
}
