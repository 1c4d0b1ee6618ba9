//! Bulk insert of 10,000 two-text-column rows: the ways to write it by hand with
//! `tokio-postgres`, against buster-db's `insert_many` (and the peers' usual ways).

use std::pin::pin;

use buster_db::prelude::{Executor, Table};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Statement};

use crate::model::{BenchBulk, NewBenchBulk, sql};
use crate::{BoxResult, floor};

/// Rows per bulk insert.
pub(crate) const BULK_ROWS: usize = 10_000;
/// PostgreSQL's limit on the parameters of one statement.
const MAX_PARAMS: usize = 65_535;

/// One way of inserting the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// `INSERT … SELECT * FROM UNNEST($1::text[], $2::text[])`, prepared once: the baseline.
    Unnest,
    /// The same statement with buster-db's `RETURNING` of every column (rows discarded).
    UnnestReturning,
    /// buster-db's own statement text (as `execute()` sends it, without `RETURNING`), prepared and run on plain `tokio-postgres`.
    BusterSql,
    /// Multi-row `VALUES ($1, $2), …`, chunked under 65,535 parameters.
    Values,
    /// `COPY … FROM STDIN BINARY`.
    Copy,
    /// One prepared `INSERT` per row, in a transaction.
    PerRow,
    /// buster-db `insert_many(..).execute(&db)`.
    Buster,
    /// The same on one held `Conn`.
    BusterConn,
    /// buster-db `copy_in(..).execute(&db)`.
    BusterCopy,
    /// The same on one held `Conn`.
    BusterCopyConn,
    /// sqlx, the same `UNNEST` statement with two bound `Vec<String>`.
    #[cfg(feature = "peers")]
    Sqlx,
    /// diesel-async, `insert_into(..).values(&rows)` (multi-row `VALUES`).
    #[cfg(feature = "peers")]
    Diesel,
}

impl Strategy {
    pub(crate) fn all() -> Vec<Strategy> {
        let all = vec![
            Strategy::Unnest,
            Strategy::UnnestReturning,
            Strategy::BusterSql,
            Strategy::Values,
            Strategy::Copy,
            Strategy::PerRow,
            Strategy::Buster,
            Strategy::BusterConn,
            Strategy::BusterCopy,
            Strategy::BusterCopyConn,
        ];
        #[cfg(feature = "peers")]
        let all = [all, vec![Strategy::Sqlx, Strategy::Diesel]].concat();
        all
    }

    /// Whether it runs on a pool (and so on any of its connections).
    pub(crate) fn pooled(self) -> bool {
        match self {
            Strategy::Buster | Strategy::BusterCopy => true,
            #[cfg(feature = "peers")]
            Strategy::Sqlx | Strategy::Diesel => true,
            _ => false,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Strategy::Unnest => "hand UNNEST (tokio-postgres)",
            Strategy::UnnestReturning => "hand UNNEST + RETURNING a, b",
            Strategy::BusterSql => "buster-db's execute() statement text, run on tokio-postgres",
            Strategy::Values => "multi-row VALUES (chunked)",
            Strategy::Copy => "COPY BINARY",
            Strategy::PerRow => "prepared INSERT per row, in a transaction",
            Strategy::Buster => "buster-db insert_many().execute() on &Db",
            Strategy::BusterConn => "buster-db insert_many().execute() on one Conn",
            Strategy::BusterCopy => "buster-db copy_in().execute() on &Db",
            Strategy::BusterCopyConn => "buster-db copy_in().execute() on one Conn",
            #[cfg(feature = "peers")]
            Strategy::Sqlx => "sqlx UNNEST",
            #[cfg(feature = "peers")]
            Strategy::Diesel => "diesel-async insert_into().values()",
        }
    }
}

/// The connections of the bulk comparison: one per hand-written strategy, as every library
/// client has its own. A connection shared by several strategies serves one of them right
/// after another, on a backend process that is kept busy, and measured up to 3 % faster than
/// the same statement on a connection of its own.
pub(crate) struct Bulk {
    /// Empties the table between rounds, on a connection no strategy uses.
    resetter: Client,
    unnest: (Client, Statement),
    unnest_returning: (Client, Statement),
    buster_sql: (Client, Statement),
    values: Client,
    copy: Client,
    per_row: (Client, Statement),
}

/// A new connection and `text` prepared on it.
async fn prepared(config: &tokio_postgres::Config, text: &str) -> BoxResult<(Client, Statement)> {
    let client = floor::connect(config).await?;
    let statement = client.prepare(text).await?;
    Ok((client, statement))
}

impl Bulk {
    pub(crate) async fn new(config: &tokio_postgres::Config) -> BoxResult<Bulk> {
        let text = BenchBulk::insert_many([NewBenchBulk {
            a: String::new(),
            b: String::new(),
        }])
        .to_sql()
        .text;
        // What `execute()` sends: the statement without its `RETURNING` list.
        let text = text.split(" RETURNING ").next().unwrap_or(&text);
        Ok(Bulk {
            resetter: floor::connect(config).await?,
            unnest: prepared(config, sql::BULK_UNNEST).await?,
            unnest_returning: prepared(config, &format!("{} RETURNING a, b", sql::BULK_UNNEST))
                .await?,
            buster_sql: prepared(config, text).await?,
            values: floor::connect(config).await?,
            copy: floor::connect(config).await?,
            per_row: prepared(config, "INSERT INTO bench_bulk (a, b) VALUES ($1, $2)").await?,
        })
    }

    /// Inserts `rows` with a hand-written strategy; returns the rows inserted.
    pub(crate) async fn hand(
        &mut self,
        strategy: Strategy,
        rows: Vec<(String, String)>,
    ) -> BoxResult<usize> {
        let n = match strategy {
            Strategy::Unnest | Strategy::UnnestReturning | Strategy::BusterSql => {
                let (a, b): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
                let (c, st) = match strategy {
                    Strategy::Unnest => &self.unnest,
                    Strategy::UnnestReturning => &self.unnest_returning,
                    _ => &self.buster_sql,
                };
                c.execute(st, &[&a, &b]).await?
            }
            Strategy::Values => {
                let per_chunk = MAX_PARAMS / 2;
                let chunks = rows.chunks(per_chunk);
                let tx = self.values.transaction().await?;
                let mut n = 0;
                for chunk in chunks {
                    let mut text = String::with_capacity(24 + chunk.len() * 16);
                    text.push_str("INSERT INTO bench_bulk (a, b) VALUES ");
                    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * 2);
                    for (i, (a, b)) in chunk.iter().enumerate() {
                        if i > 0 {
                            text.push_str(", ");
                        }
                        text.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
                        params.push(a);
                        params.push(b);
                    }
                    n += tx.execute(text.as_str(), &params).await?;
                }
                tx.commit().await?;
                n
            }
            Strategy::Copy => {
                let sink = self
                    .copy
                    .copy_in("COPY bench_bulk (a, b) FROM STDIN BINARY")
                    .await?;
                let mut writer = pin!(BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::TEXT]));
                for (a, b) in &rows {
                    writer.as_mut().write(&[a, b]).await?;
                }
                writer.finish().await?
            }
            Strategy::PerRow => {
                let (c, st) = &mut self.per_row;
                let tx = c.transaction().await?;
                let mut n = 0;
                for (a, b) in &rows {
                    n += tx.execute(&*st, &[a, b]).await?;
                }
                tx.commit().await?;
                n
            }
            _ => return Err("not a hand-written strategy".into()),
        };
        Ok(usize::try_from(n)?)
    }

    /// Empties the bulk table (untimed, between rounds).
    pub(crate) async fn reset(&self) -> BoxResult<()> {
        self.resetter.batch_execute("TRUNCATE bench_bulk").await?;
        Ok(())
    }
}

/// buster-db's batch insert.
pub(crate) async fn buster<E: Executor + ?Sized>(
    db: &E,
    rows: Vec<(String, String)>,
) -> BoxResult<usize> {
    let n = BenchBulk::insert_many(rows.into_iter().map(|(a, b)| NewBenchBulk { a, b }))
        .execute(db)
        .await?;
    Ok(usize::try_from(n)?)
}

/// buster-db's `COPY`.
pub(crate) async fn buster_copy<E: Executor + ?Sized>(
    db: &E,
    rows: Vec<(String, String)>,
) -> BoxResult<usize> {
    let n = BenchBulk::copy_in(rows.into_iter().map(|(a, b)| NewBenchBulk { a, b }))
        .execute(db)
        .await?;
    Ok(usize::try_from(n)?)
}

/// The rows of round `round`: two texts of about 30 characters each, unique per round.
pub(crate) fn rows(round: usize) -> Vec<(String, String)> {
    (0..BULK_ROWS)
        .map(|i| {
            (
                format!("bulk row {i:05} of round {round:04}, a"),
                format!("second column of row {i:05}"),
            )
        })
        .collect()
}
