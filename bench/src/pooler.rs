//! Pooler mode against the statement cache: the same queries on two `Db`s of the same server,
//! one with `prepared_statements(false)` (unnamed, explicitly typed statements), one with the
//! default cache. No pooler sits in between, so the ratio is the cost of the protocol alone:
//! pooler mode sends Parse, Bind and Execute for every statement and has the server plan it
//! each time, where the cache sends Bind and Execute of a statement planned once.

use std::time::Instant;

use buster_db::prelude::*;
use buster_db::{Config, Uuid};

use crate::BoxResult;
use crate::model::BenchUser;
use crate::report::Stats;

/// Runs the comparison with `config` and returns its Markdown section.
pub(crate) async fn run(config: &Config, rounds: usize) -> BoxResult<String> {
    let cached = Db::connect(config.clone().pool_size(4)).await?;
    let pooler = Db::connect(config.clone().pool_size(4).prepared_statements(false)).await?;
    let ids: Vec<Uuid> = BenchUser::select()
        .limit(200)
        .all(&cached)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut out = String::from(
        "\n## Pooler mode\n\nMedian per call on `&Db`, the same server, no pooler in between \
         (ratio = pooler mode / statement cache):\n\n\
         | workload | statement cache | pooler mode | ratio |\n|---|---:|---:|---:|\n",
    );
    let workloads: [(&str, usize); 2] = [("find by primary key", 0), ("list 100 rows", 100)];
    for (name, list) in workloads {
        let mut samples = [Vec::with_capacity(rounds), Vec::with_capacity(rounds)];
        for round in 0..rounds + 20 {
            for k in 0..2 {
                let i = (round + k) % 2;
                let db = if i == 0 { &cached } else { &pooler };
                let id = ids
                    .get(round % ids.len().max(1))
                    .copied()
                    .unwrap_or_default();
                let started = Instant::now();
                if list == 0 {
                    std::hint::black_box(BenchUser::find(id).optional(db).await?);
                } else {
                    std::hint::black_box(BenchUser::select().limit(list as i64).all(db).await?);
                }
                if round >= 20 {
                    samples[i].push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
        let [cache, unnamed] = samples.map(Stats::of);
        out.push_str(&format!(
            "| {name} | {:.1} µs | {:.1} µs | {:.2}× |\n",
            cache.median,
            unnamed.median,
            unnamed.median / cache.median
        ));
    }
    cached.close();
    pooler.close();
    Ok(out)
}
