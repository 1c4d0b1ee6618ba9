//! Peak memory of streaming: the resident set of the benchmark process while it streams
//! 1,000 rows and 1,000,000 rows (in table order, no sort) with `stream(&db)`, against collecting the 1,000,000 rows with
//! `all(&db)` and against exporting them as CSV with `copy_out`, and the time to the first row of
//! the large stream.

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use buster_db::prelude::*;
use futures_util::TryStreamExt;

use crate::BoxResult;
use crate::report::time;

/// A three-column row; the table is created, filled and dropped here.
#[allow(dead_code)]
#[derive(buster_db::Table, Debug, Clone)]
#[table(name = "bench_stream")]
pub(crate) struct BenchStream {
    /// Primary key, 1 to the row count.
    #[column(primary_key)]
    pub id: i64,
    /// 40 characters.
    pub name: String,
    /// Half of the rows have one.
    pub note: Option<String>,
}

const ROWS: i64 = 1_000_000;

const DDL: &str = "
CREATE TABLE bench_stream (id int8 PRIMARY KEY, name text NOT NULL, note text);
INSERT INTO bench_stream
    SELECT g, md5(g::text) || '-stream', CASE WHEN g % 2 = 0 THEN 'note ' || g END
    FROM generate_series(1, 1000000) g;
ANALYZE bench_stream;
";

/// The process's peak resident set since the last reset, in KiB (`VmHWM`).
fn peak_kib() -> BoxResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("malformed VmHWM")?
        .parse()?)
}

/// Resets the peak to the current resident set (Linux: `5` to `/proc/self/clear_refs`).
fn reset_peak() -> BoxResult<()> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(())
}

/// One measurement: peak resident set in KiB, wall time, rows read, time to the first row.
struct Figure {
    what: &'static str,
    before_kib: u64,
    peak_kib: u64,
    elapsed: Duration,
    first: Option<Duration>,
}

async fn streamed(db: &Db, limit: i64, what: &'static str) -> BoxResult<Figure> {
    reset_peak()?;
    let before_kib = peak_kib()?;
    let started = Instant::now();
    let mut first = None;
    let mut rows = 0i64;
    let mut stream = std::pin::pin!(BenchStream::select().limit(limit).stream(db));
    while let Some(row) = stream.try_next().await? {
        if first.is_none() {
            first = Some(started.elapsed());
        }
        rows += 1;
        black_box(row);
    }
    let elapsed = started.elapsed();
    if rows != limit {
        return Err(format!("streamed {rows} rows instead of {limit}").into());
    }
    Ok(Figure {
        what,
        before_kib,
        peak_kib: peak_kib()?,
        elapsed,
        first,
    })
}

/// The whole table exported as CSV with `copy_out`, each piece dropped as it arrives.
async fn copied(db: &Db) -> BoxResult<Figure> {
    reset_peak()?;
    let before_kib = peak_kib()?;
    let started = Instant::now();
    let mut first = None;
    let mut lines = 0usize;
    let mut data = std::pin::pin!(
        BenchStream::select().copy_out(db, buster_db::query::CopyFormat::Csv { header: false })
    );
    while let Some(chunk) = data.try_next().await? {
        if first.is_none() {
            first = Some(started.elapsed());
        }
        lines += chunk.iter().filter(|&&b| b == b'\n').count();
        black_box(chunk);
    }
    let elapsed = started.elapsed();
    if lines != ROWS as usize {
        return Err(format!("copied {lines} lines instead of {ROWS}").into());
    }
    Ok(Figure {
        what: "`copy_out(&db, Csv)`, 1,000,000 rows",
        before_kib,
        peak_kib: peak_kib()?,
        elapsed,
        first,
    })
}

async fn collected(db: &Db) -> BoxResult<Figure> {
    reset_peak()?;
    let before_kib = peak_kib()?;
    let started = Instant::now();
    let rows = BenchStream::select().all(db).await?;
    let elapsed = started.elapsed();
    let n = black_box(&rows).len();
    let peak = peak_kib()?;
    drop(rows);
    if n != ROWS as usize {
        return Err(format!("collected {n} rows instead of {ROWS}").into());
    }
    Ok(Figure {
        what: "`all(&db)`, 1,000,000 rows",
        before_kib,
        peak_kib: peak,
        elapsed,
        first: None,
    })
}

/// Creates and fills `bench_stream`, measures, drops it; returns the Markdown section.
pub(crate) async fn run(config: &tokio_postgres::Config, db: &Db) -> BoxResult<String> {
    let admin = crate::floor::connect(config).await?;
    admin.batch_execute(DDL).await?;
    let measured = async {
        // Warm the statement cache and the table's pages first.
        streamed(db, 1_000, "warm-up").await?;
        streamed(db, ROWS, "warm-up").await?;
        let small = streamed(db, 1_000, "`stream(&db)`, 1,000 rows").await?;
        let large = streamed(db, ROWS, "`stream(&db)`, 1,000,000 rows").await?;
        let copy = copied(db).await?;
        let all = collected(db).await?;
        Ok::<_, crate::BoxError>(vec![small, large, copy, all])
    }
    .await;
    admin.batch_execute("DROP TABLE bench_stream").await?;
    let figures = measured?;
    let mut out = String::from(
        "\n## Streaming\n\nPeak resident set of the benchmark process (`VmHWM`, reset before each \
         run) while reading `bench_stream` (id, a 40-character text, a text in every other row) \
         in table order (a sequential scan, no sort), and the time to the first row:\n\n| read | resident before | peak | \
         peak − before | time | first row |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for f in &figures {
        let _ = writeln!(
            out,
            "| {} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {} | {} |",
            f.what,
            f.before_kib as f64 / 1024.0,
            f.peak_kib as f64 / 1024.0,
            f.peak_kib.saturating_sub(f.before_kib) as f64 / 1024.0,
            time(f.elapsed.as_secs_f64() * 1e6),
            f.first
                .map_or_else(|| "—".to_owned(), |d| time(d.as_secs_f64() * 1e6)),
        );
    }
    Ok(out)
}
