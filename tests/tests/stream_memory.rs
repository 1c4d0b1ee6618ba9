//! A stream reads any number of rows in constant memory: while `stream(&db)` reads 1,000,000
//! rows, the process's peak resident set grows no more than a few MiB beyond what reading 1,000
//! rows grows it, where collecting the same rows with `all` takes tens of MiB.
//!
//! The peak is the process's (`VmHWM`, reset through `/proc/self/clear_refs`), so this file holds
//! this one test: no other test runs in the process while it measures.

use buster_db::Result;
use buster_db::prelude::*;
use buster_db_tests::{FxTask, NewFxTask};
use futures_util::TryStreamExt;

/// The most a 1,000,000-row stream may grow the peak beyond a 1,000-row stream's growth.
const SLACK_KIB: u64 = 8 * 1024;

fn task(i: i32) -> NewFxTask {
    NewFxTask {
        id: None,
        title: format!("streamed task {i:07}"),
        priority: i,
        note: (i % 2 == 0).then(|| format!("note {i}")),
        due_on: None,
    }
}

/// The process's peak resident set since the last reset, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("a VmHWM line in /proc/self/status")
}

/// Resets the peak to the resident set of now.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("write /proc/self/clear_refs");
}

/// How much streaming the first `n` rows grows the peak, in KiB, and how many rows it read.
async fn stream_growth(db: &Db, n: i64) -> Result<(u64, i64)> {
    reset_peak();
    let before = peak_kib();
    let mut rows = 0;
    let mut priorities = 0i64;
    let mut stream = std::pin::pin!(
        FxTask::select()
            .order_by(FxTask::priority.asc())
            .limit(n)
            .stream(db)
    );
    while let Some(task) = stream.try_next().await? {
        rows += 1;
        priorities += i64::from(task.priority);
    }
    assert_eq!(
        priorities,
        rows * (rows - 1) / 2,
        "rows missing or read twice"
    );
    Ok((peak_kib().saturating_sub(before), rows))
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_stream_of_a_million_rows_grows_the_peak_memory_as_one_of_a_thousand(
    db: Db,
) -> Result<()> {
    // Loaded in batches, so that the client's own heap never holds many rows.
    for batch in 0..100 {
        FxTask::insert_many((0..10_000).map(|i| task(batch * 10_000 + i)))
            .execute(&db)
            .await?;
    }
    let (small, small_rows) = stream_growth(&db, 1_000).await?;
    let (large, large_rows) = stream_growth(&db, 1_000_000).await?;
    assert_eq!((small_rows, large_rows), (1_000, 1_000_000));
    assert!(
        large <= small + SLACK_KIB,
        "streaming 1,000,000 rows grew the peak by {large} KiB, 1,000 rows by {small} KiB"
    );

    // The measure sees rows held at once: collecting them grows the peak by tens of MiB.
    reset_peak();
    let before = peak_kib();
    let all = FxTask::select().all(&db).await?;
    let collected = peak_kib().saturating_sub(before);
    assert_eq!(all.len(), 1_000_000);
    drop(all);
    assert!(
        collected > large + 4 * SLACK_KIB,
        "collecting 1,000,000 rows grew the peak by {collected} KiB, streaming them by {large} KiB"
    );
    eprintln!(
        "peak growth: stream 1,000 rows {small} KiB, stream 1,000,000 rows {large} KiB, \
         all 1,000,000 rows {collected} KiB"
    );
    Ok(())
}
