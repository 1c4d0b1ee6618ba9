//! Where buster-db's time goes: the parts of a statement measured one at a time, in loops on
//! one task (rendering and building, row decoding, pool checkout, statement-cache lookup).

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use buster_db::prelude::*;
use buster_db::{Db, Uuid};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use crate::model::{BenchBulk, BenchPost, BenchUser, NewBenchBulk, NewBenchUser, sql};
use crate::report::Stats;
use crate::{BoxResult, POOL_SIZE, floor};

/// One measured part: what, and nanoseconds per call.
struct Part {
    what: String,
    ns: f64,
}

fn per_call(started: Instant, n: usize) -> f64 {
    started.elapsed().as_secs_f64() * 1e9 / n as f64
}

/// Runs `f` `n` times and returns ns per call (best of three runs, to skip interruptions).
fn cpu_loop<R>(n: usize, mut f: impl FnMut() -> R) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let started = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        best = best.min(per_call(started, n));
    }
    best
}

/// A deadpool pool whose checkouts wait at most 5 s: every checkout arms a timer. buster-db
/// arms one only when no connection is free (its first try waits zero), so this prices the
/// timer a waiting checkout pays.
fn pool_with_wait_timeout(config: &tokio_postgres::Config) -> BoxResult<Pool> {
    let manager = Manager::from_config(
        config.clone(),
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let timeout = Duration::from_secs(5);
    Ok(Pool::builder(manager)
        .max_size(POOL_SIZE)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()?)
}

fn plain_pool(config: &tokio_postgres::Config) -> BoxResult<Pool> {
    let manager = Manager::from_config(
        config.clone(),
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Ok(Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()?)
}

fn users(n: usize) -> Vec<NewBenchUser> {
    (0..n)
        .map(|i| NewBenchUser {
            id: None,
            email: format!("w:{i}@diagnose.example"),
            name: format!("Diagnosed user {i}"),
        })
        .collect()
}

/// buster-db's statement for each workload, as `to_sql()` renders it.
pub(crate) fn statements() -> Vec<(&'static str, String)> {
    let id = Uuid::nil();
    let one = users(1);
    vec![
        ("find", BenchUser::find(id).to_sql().text),
        ("list", BenchUser::select().limit(10).to_sql().text),
        (
            "join",
            BenchUser::select()
                .inner_join(BenchPost::table(), BenchPost::user_id.eq_col(BenchUser::id))
                .limit(1000)
                .to_sql()
                .text,
        ),
        (
            "relation users",
            BenchUser::select()
                .order_by(BenchUser::id.asc())
                .limit(100)
                .to_sql()
                .text,
        ),
        ("relation posts", BenchUser::posts().to_sql()),
        ("insert 1", BenchUser::insert(one[0].clone()).to_sql().text),
        (
            "insert many",
            BenchUser::insert_many(users(2)).to_sql().text,
        ),
        (
            "upsert 1",
            BenchUser::upsert(NewBenchUser {
                id: Some(id),
                ..one[0].clone()
            })
            .on_conflict(BenchUser::id)
            .update((BenchUser::email, BenchUser::name))
            .to_sql()
            .text,
        ),
        (
            "upsert many",
            BenchUser::upsert_many(users(2))
                .on_conflict(BenchUser::id)
                .update((BenchUser::email, BenchUser::name))
                .to_sql()
                .text,
        ),
        (
            "soft delete",
            BenchUser::soft_delete_where(BenchUser::id.is_in([id]))
                .to_sql()
                .text,
        ),
        (
            "bulk",
            BenchBulk::insert_many([NewBenchBulk {
                a: String::new(),
                b: String::new(),
            }])
            .to_sql()
            .text,
        ),
    ]
}

/// Measures the parts; returns a Markdown section.
pub(crate) async fn run(config: &tokio_postgres::Config, db: &Db) -> BoxResult<String> {
    let mut parts = Vec::new();
    let id = Uuid::new_v4();
    let ids: Vec<Uuid> = (0..100).map(|_| Uuid::new_v4()).collect();

    // Rendering: `to_sql()` renders the statement and copies its text into an owned `Sql`, so
    // it is an upper bound of what a call spends rendering.
    parts.push(Part {
        what: "`find(id).to_sql()` (text rendered once per process; the copy)".into(),
        ns: cpu_loop(200_000, || BenchUser::find(id).to_sql()),
    });
    parts.push(Part {
        what: "`select().limit(n).to_sql()`".into(),
        ns: cpu_loop(200_000, || BenchUser::select().limit(100).to_sql()),
    });
    parts.push(Part {
        what: "`select().inner_join(posts).limit(n).to_sql()`".into(),
        ns: cpu_loop(100_000, || {
            BenchUser::select()
                .inner_join(BenchPost::table(), BenchPost::user_id.eq_col(BenchUser::id))
                .limit(1000)
                .to_sql()
        }),
    });
    let one = users(1);
    parts.push(Part {
        what: "`insert(row).to_sql()` (1 row, incl. cloning the row)".into(),
        ns: cpu_loop(200_000, || BenchUser::insert(one[0].clone()).to_sql()),
    });
    parts.push(Part {
        what: "`upsert(row).on_conflict(id).update((email, name)).to_sql()`".into(),
        ns: cpu_loop(200_000, || {
            BenchUser::upsert(one[0].clone())
                .on_conflict(BenchUser::id)
                .update((BenchUser::email, BenchUser::name))
                .to_sql()
        }),
    });
    parts.push(Part {
        what: "`soft_delete_where(id.is_in(100 ids)).to_sql()`".into(),
        ns: cpu_loop(100_000, || {
            BenchUser::soft_delete_where(BenchUser::id.is_in(ids.iter().copied())).to_sql()
        }),
    });
    let thousand = users(1000);
    parts.push(Part {
        what: "`insert_many(1,000 rows).to_sql()` (incl. cloning the rows)".into(),
        ns: cpu_loop(2_000, || BenchUser::insert_many(thousand.clone()).to_sql()),
    });
    parts.push(Part {
        what: "hand-written: clone 1,000 rows and split them into two `Vec<String>`".into(),
        ns: cpu_loop(2_000, || {
            let (a, b): (Vec<String>, Vec<String>) = thousand
                .clone()
                .into_iter()
                .map(|r| (r.email, r.name))
                .unzip();
            (a, b)
        }),
    });
    let bulk: Vec<NewBenchBulk> = crate::bulk::rows(0)
        .into_iter()
        .map(|(a, b)| NewBenchBulk { a, b })
        .collect();
    parts.push(Part {
        what: "`BenchBulk::insert_many(10,000 rows).to_sql()` (incl. cloning the rows)".into(),
        ns: cpu_loop(200, || BenchBulk::insert_many(bulk.clone()).to_sql()),
    });

    // The span every statement runs in, with no subscriber installed (as here).
    let sql_text = BenchUser::find(id).to_sql().text;
    parts.push(Part {
        what: "a disabled `tracing` span per statement with its fields, two clock reads".into(),
        ns: cpu_loop(1_000_000, || {
            let span = tracing::debug_span!(
                "buster_db.statement",
                sql = %sql_text,
                rows = tracing::field::Empty,
                elapsed_us = tracing::field::Empty,
            );
            let started = Instant::now();
            let entered = span.clone();
            drop(entered);
            let us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            span.record("elapsed_us", us);
            span.record("rows", 1_u64);
        }),
    });

    // Decoding 10,000 rows fetched once.
    let client = floor::connect(config).await?;
    let rows = client.query(sql::LIST, &[&10_000_i64]).await?;
    let n = rows.len().max(1);
    let (mut hand, mut derived) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..3 {
        let started = Instant::now();
        for r in &rows {
            black_box(floor::decode_user(r)?);
        }
        hand = hand.min(per_call(started, n));
        let started = Instant::now();
        for r in &rows {
            black_box(BenchUser::__decode(r, 0)?);
        }
        derived = derived.min(per_call(started, n));
    }
    parts.push(Part {
        what: "decode one user row by hand (`try_get` by position)".into(),
        ns: hand,
    });
    parts.push(Part {
        what: format!(
            "decode one user row with the derived `Table` decoder (its error type is {} bytes, \
             tokio-postgres' {})",
            std::mem::size_of::<buster_db::Error>(),
            std::mem::size_of::<tokio_postgres::Error>()
        ),
        ns: derived,
    });

    // Pool checkout and return.
    let checkouts = 20_000;
    let plain = plain_pool(config)?;
    drop(plain.get().await?);
    let started = Instant::now();
    for _ in 0..checkouts {
        drop(black_box(plain.get().await?));
    }
    parts.push(Part {
        what: "deadpool checkout + return (no timeouts, no hooks)".into(),
        ns: per_call(started, checkouts),
    });
    let like = pool_with_wait_timeout(config)?;
    drop(like.get().await?);
    let started = Instant::now();
    for _ in 0..checkouts {
        drop(black_box(like.get().await?));
    }
    parts.push(Part {
        what: "deadpool checkout + return, with a 5 s wait timeout (a timer per checkout)".into(),
        ns: per_call(started, checkouts),
    });
    let started = Instant::now();
    for _ in 0..checkouts {
        drop(black_box(db.conn().await?));
    }
    parts.push(Part {
        what: "buster-db `db.conn()` + return".into(),
        ns: per_call(started, checkouts),
    });

    // Statement-cache hits: the key is the SQL text, hashed on every call.
    let obj = plain.get().await?;
    let buster_select = BenchUser::select().limit(1).to_sql().text;
    for (label, text) in [
        ("hand-written list SQL", sql::LIST.to_owned()),
        ("buster-db's list SQL (quoted, qualified)", buster_select),
    ] {
        drop(obj.prepare_cached(&text).await?);
        let started = Instant::now();
        for _ in 0..checkouts {
            black_box(obj.prepare_cached(&text).await?);
        }
        parts.push(Part {
            what: format!("`prepare_cached` hit, {label}, {} bytes", text.len()),
            ns: per_call(started, checkouts),
        });
    }

    // The statements' shapes: buster-db's text against the hand-written one, both prepared on
    // one plain connection, alternating, with the rows reset between calls.
    let statements = statements();
    let text = |what: &str| {
        statements
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| format!("no statement for {what}"))
    };
    let hand = client.prepare(sql::SOFT_DELETE).await?;
    let theirs = client.prepare(&text("soft delete")?).await?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..400 {
        let ids: Vec<Uuid> = (0..100).map(|_| Uuid::new_v4()).collect();
        client
            .execute(
                "INSERT INTO bench_users (id, email, name) \
                 SELECT u, 'w:shape', 'shape' FROM UNNEST($1::uuid[]) AS u",
                &[&ids],
            )
            .await?;
        let st = if i % 2 == 0 { &hand } else { &theirs };
        let started = Instant::now();
        let n = client.execute(st, &[&ids]).await?;
        let took = started.elapsed().as_secs_f64() * 1e9;
        if n != 100 {
            return Err(format!("soft delete affected {n} rows").into());
        }
        if i % 2 == 0 { &mut a } else { &mut b }.push(took);
        client
            .execute("DELETE FROM bench_users WHERE id = ANY($1)", &[&ids])
            .await?;
    }
    parts.push(Part {
        what: "soft delete of 100 rows, hand-written statement, on tokio-postgres".into(),
        ns: Stats::of(a).median,
    });
    parts.push(Part {
        what: "soft delete of 100 rows, buster-db's statement (`RETURNING` every column), on \
               tokio-postgres"
            .into(),
        ns: Stats::of(b).median,
    });
    let hand = client.prepare(sql::UPSERT_ONE).await?;
    let theirs = client.prepare(&text("upsert 1")?).await?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..2000 {
        let id = Uuid::new_v4();
        client
            .execute(
                "INSERT INTO bench_users (id, email, name) VALUES ($1, 'w:shape', 'shape')",
                &[&id],
            )
            .await?;
        let (email, name) = (format!("w:{i}@shape"), "Shape".to_owned());
        let st = if i % 2 == 0 { &hand } else { &theirs };
        let started = Instant::now();
        let rows = client.query(st, &[&id, &email, &name]).await?;
        let took = started.elapsed().as_secs_f64() * 1e9;
        if rows.len() != 1 {
            return Err(format!("upsert returned {} rows", rows.len()).into());
        }
        if i % 2 == 0 { &mut a } else { &mut b }.push(took);
        client
            .execute("DELETE FROM bench_users WHERE id = $1", &[&id])
            .await?;
    }
    parts.push(Part {
        what: "upsert of 1 conflicting row, hand-written statement, on tokio-postgres".into(),
        ns: Stats::of(a).median,
    });
    parts.push(Part {
        what: "upsert of 1 conflicting row, buster-db's statement, on tokio-postgres".into(),
        ns: Stats::of(b).median,
    });
    let hand = client.prepare(sql::INSERT_MANY).await?;
    let theirs = client.prepare(&text("insert many")?).await?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..120 {
        let emails: Vec<String> = (0..1000).map(|k| format!("w:{i}:{k}@shape")).collect();
        let names: Vec<String> = (0..1000).map(|k| format!("Shape {k}")).collect();
        let started = Instant::now();
        let rows = if i % 2 == 0 {
            client.query(&hand, &[&emails, &names]).await?
        } else {
            // buster-db leaves out the `id` column every row leaves to its default.
            client.query(&theirs, &[&emails, &names]).await?
        };
        let took = started.elapsed().as_secs_f64() * 1e9;
        if rows.len() != 1000 {
            return Err(format!("insert returned {} rows", rows.len()).into());
        }
        if i % 2 == 0 { &mut a } else { &mut b }.push(took);
        client
            .execute("DELETE FROM bench_users WHERE email LIKE 'w:%'", &[])
            .await?;
    }
    parts.push(Part {
        what: "insert of 1,000 rows, hand-written UNNEST of (email, name), on tokio-postgres"
            .into(),
        ns: Stats::of(a).median,
    });
    parts.push(Part {
        what: "insert of 1,000 rows, buster-db's UNNEST statement (the defaulted `id` left \
               out), on tokio-postgres"
            .into(),
        ns: Stats::of(b).median,
    });

    let mut out = String::from(
        "\nWhere the time goes, measured part by part on one task (best of three loops for the \
         CPU-only parts):\n\n| part | per call |\n|---|---:|\n",
    );
    for p in parts {
        let value = if p.ns >= 1_000.0 {
            crate::report::time(p.ns / 1_000.0)
        } else {
            format!("{:.0} ns", p.ns)
        };
        let _ = writeln!(out, "| {} | {value} |", p.what);
    }
    Ok(out)
}
