//! Rows read at the caller's pace: the cursor an executor opens for a query, and the `stream`
//! terminal built on it.
//!
//! A cursor holds one connection (a pooled one it checked out, or the caller's `Conn` or
//! transaction) until the rows end, an error ends them, or it is dropped. Dropped early, it
//! leaves the rest of the result to the driver, which reads and discards it before the
//! connection's next statement: the connection goes back to the pool usable.

use std::pin::Pin;
use std::time::Instant;

use crate::connect::Object;
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use tokio_postgres::{CopyOutStream, Row, RowStream};
use tracing::{Instrument, Span};

use crate::db::{Shared, release};
use crate::executor::Executor;
use crate::query::run::{Run, check_params};
use crate::trace;
use crate::{Error, Result};

/// What a cursor holds on to while its rows are read.
pub(crate) enum Hold<'e> {
    /// Nothing: the connection belongs to the caller (`Conn`).
    Borrowed,
    /// A connection checked out for this query alone, returned when the cursor ends.
    Pooled(Option<Object>),
    /// A connection checked out for a copy with bound values, inside the transaction that holds
    /// them: committed once the data ends, then returned; detached (the server rolls the
    /// transaction back) when the cursor fails or is dropped before the end.
    PooledCopy {
        obj: Option<Object>,
        committed: bool,
    },
    /// A transaction's shared lock (no nested transaction opens while rows are read), and the
    /// transaction, which records a server error as its failure.
    Transaction {
        _guard: Box<dyn Send + Sync + 'e>,
        tx: &'e (dyn Failure + Sync),
    },
}

/// Something that remembers the server errors of its statements (a transaction).
pub(crate) trait Failure {
    /// Records `err` if it came from the server, and returns it.
    fn note(&self, err: Error) -> Error;
}

/// A query sent, its span open: becomes a [`RowCursor`] once the server accepted it.
pub(crate) struct Opening<'e> {
    shared: &'e Shared,
    span: Span,
    started: Instant,
    sql: String,
}

impl<'e> Opening<'e> {
    pub(crate) fn start(shared: &'e Shared, sql: &str) -> Opening<'e> {
        Opening {
            shared,
            span: trace::span(shared, sql),
            started: Instant::now(),
            sql: sql.to_owned(),
        }
    }

    /// Runs `sent` inside the statement span; a failure ends the span.
    pub(crate) async fn run<T>(
        &self,
        sent: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, tokio_postgres::Error> {
        let result = sent.instrument(self.span.clone()).await;
        if result.is_err() {
            trace::finish(self.shared, &self.span, &self.sql, self.started, None);
        }
        result
    }

    pub(crate) fn cursor(self, rows: Opened, hold: Hold<'e>) -> RowCursor<'e> {
        RowCursor {
            rows: Some(rows),
            hold,
            opening: self,
            count: 0,
        }
    }
}

/// What an executor opens: the rows of a query, or its rows exported by `COPY … TO STDOUT`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Open {
    Rows,
    Copy(CopyFormat),
}

/// An opened statement's results as the driver hands them over.
pub(crate) enum Opened {
    Rows(Pin<Box<RowStream>>),
    Copy(Pin<Box<CopyOutStream>>),
}

/// One item of an [`Opened`] statement.
pub(crate) enum Item {
    Row(Row),
    Chunk(Bytes),
}

/// The rows of a query (or the data of a copy), read one at a time as they arrive (see
/// [`Executor`]); the `stream` and `copy_out` terminals of every read query wrap it.
pub(crate) struct RowCursor<'e> {
    /// `None` once the rows ended.
    rows: Option<Opened>,
    hold: Hold<'e>,
    opening: Opening<'e>,
    count: u64,
}

impl RowCursor<'_> {
    /// The next row, or `None` at the end.
    ///
    /// # Errors
    ///
    /// The server's error (a statement timeout, a failed cast …) or a lost connection; the
    /// cursor then ends.
    pub(crate) async fn next(&mut self) -> Result<Option<Row>> {
        match self.next_item().await? {
            Some(Item::Row(row)) => Ok(Some(row)),
            Some(Item::Chunk(_)) => Err(Error::new(
                crate::ErrorKind::Conversion,
                "a copy's data is not rows",
            )),
            None => Ok(None),
        }
    }

    /// The next piece of a copy's data, or `None` at the end.
    ///
    /// # Errors
    ///
    /// As [`RowCursor::next`].
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<Bytes>> {
        match self.next_item().await? {
            Some(Item::Chunk(chunk)) => Ok(Some(chunk)),
            Some(Item::Row(_)) => Err(Error::new(
                crate::ErrorKind::Conversion,
                "a query's rows are not a copy's data",
            )),
            None => Ok(None),
        }
    }

    /// The next row or piece of data; counts it.
    async fn next_item(&mut self) -> Result<Option<Item>> {
        let Some(rows) = self.rows.as_mut() else {
            return Ok(None);
        };
        let next = match rows {
            Opened::Rows(rows) => rows.try_next().await.map(|r| r.map(Item::Row)),
            Opened::Copy(data) => data.try_next().await.map(|d| d.map(Item::Chunk)),
        };
        match next {
            Ok(Some(item)) => {
                self.count += 1;
                Ok(Some(item))
            }
            Ok(None) => {
                if let Hold::PooledCopy {
                    obj: Some(obj),
                    committed,
                } = &mut self.hold
                {
                    if let Err(err) = obj.batch_execute("COMMIT").await {
                        self.end(Some(&err));
                        return Err(Error::from_pg(err));
                    }
                    *committed = true;
                }
                self.end(None);
                Ok(None)
            }
            Err(err) => {
                self.end(Some(&err));
                let err = Error::from_pg(err);
                Err(match &self.hold {
                    Hold::Transaction { tx, .. } => tx.note(err),
                    _ => err,
                })
            }
        }
    }

    /// Closes the span and gives the connection back (the driver discards unread rows).
    fn end(&mut self, failed: Option<&tokio_postgres::Error>) {
        let Some(rows) = self.rows.take() else {
            return;
        };
        drop(rows);
        let o = &self.opening;
        let count = if failed.is_some() {
            None
        } else {
            Some(self.count)
        };
        trace::finish(o.shared, &o.span, &o.sql, o.started, count);
        match &mut self.hold {
            Hold::Pooled(obj) => {
                if let Some(obj) = obj.take() {
                    release(obj, failed, o.shared);
                }
            }
            Hold::PooledCopy { obj, committed } => {
                if let Some(obj) = obj.take() {
                    if *committed {
                        release(obj, failed, o.shared);
                    } else {
                        drop(Object::take(obj));
                    }
                }
            }
            Hold::Borrowed | Hold::Transaction { .. } => {}
        }
    }
}

impl Drop for RowCursor<'_> {
    fn drop(&mut self) {
        // Dropped before the end: the span shows the rows read so far.
        self.end(None);
    }
}

/// Sends `q` on `exec` and opens a cursor over its rows or, with [`Open::Copy`], its data;
/// `None` when `q` has nothing to send.
async fn open_cursor<'e, Q: Run, E: Executor + ?Sized>(
    q: &Q,
    exec: &'e E,
    open: Open,
) -> Result<Option<Box<RowCursor<'e>>>> {
    if q.is_noop() {
        return Ok(None);
    }
    let r = q.render();
    check_params(&r)?;
    Ok(Some(Box::new(
        exec.__stream(&r.sql, &r.params, open).await?,
    )))
}

/// The decoded rows of `q` on `exec`, read as they arrive.
pub(crate) fn stream<'e, Q, E>(
    q: Q,
    exec: &'e E,
) -> impl Stream<Item = Result<Q::Output>> + Send + 'e
where
    Q: Run + 'e,
    Q::Output: Send,
    E: Executor + ?Sized,
{
    enum State<'e, Q, E: ?Sized> {
        Start(Q, &'e E),
        Rows(Q, Box<RowCursor<'e>>),
    }
    futures_util::stream::try_unfold(State::Start(q, exec), |state| async move {
        let (q, mut cursor) = match state {
            State::Start(q, exec) => match open_cursor(&q, exec, Open::Rows).await? {
                Some(cursor) => (q, cursor),
                None => return Ok(None),
            },
            State::Rows(q, cursor) => (q, cursor),
        };
        match cursor.next().await? {
            Some(row) => {
                let value = q.decode(&row)?;
                Ok(Some((value, State::Rows(q, cursor))))
            }
            None => Ok(None),
        }
    })
}

/// The format of a [`copy_out`](crate::query::Select::copy_out)'s data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CopyFormat {
    /// CSV, one line per row; with `header`, a first line of the column names.
    Csv {
        /// Whether the first line names the columns.
        header: bool,
    },
    /// PostgreSQL's text format: tab-separated, `\N` for NULL.
    Text,
    /// PostgreSQL's binary format (a header, then each row's values in their binary encoding).
    Binary,
}

impl CopyFormat {
    fn options(self) -> &'static str {
        match self {
            CopyFormat::Csv { header: true } => "(FORMAT csv, HEADER true)",
            CopyFormat::Csv { header: false } => "(FORMAT csv)",
            CopyFormat::Text => "(FORMAT text)",
            CopyFormat::Binary => "(FORMAT binary)",
        }
    }
}

/// The `COPY (…) TO STDOUT` statement exporting the rows of the query `sql`.
pub(crate) fn copy_statement(sql: &str, format: CopyFormat) -> String {
    format!("COPY ({sql}) TO STDOUT {}", format.options())
}

/// The data of `COPY (q) TO STDOUT` on `exec`, in pieces as they arrive (see
/// [`crate::db::open_copy`] for a query with bound values).
pub(crate) fn copy_out<'e, Q, E>(
    q: Q,
    exec: &'e E,
    format: CopyFormat,
) -> impl Stream<Item = Result<Bytes>> + Send + 'e
where
    Q: Run + 'e,
    E: Executor + ?Sized,
{
    enum State<'e, Q, E: ?Sized> {
        Start(Q, &'e E),
        Data(Box<RowCursor<'e>>),
    }
    futures_util::stream::try_unfold(State::Start(q, exec), move |state| async move {
        let mut cursor = match state {
            State::Start(q, exec) => match open_cursor(&q, exec, Open::Copy(format)).await? {
                Some(cursor) => cursor,
                None => return Ok(None),
            },
            State::Data(cursor) => cursor,
        };
        Ok(cursor
            .next_chunk()
            .await?
            .map(|chunk| (chunk, State::Data(cursor))))
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::Db;
    use crate::db::tests::{scalar_i64, test_config, test_db};
    use crate::executor::Sealed;

    const MANY: &str = "SELECT g::int8 FROM generate_series(1, $1::int8) g";

    /// The `pg_stat_activity` state of the one session tagged `tag`, once it is no longer
    /// running a statement (waiting up to 5 s).
    async fn settled_state(admin: &Db, tag: &str) -> Result<String> {
        let sql = "SELECT state FROM pg_stat_activity WHERE application_name = $1";
        for _ in 0..100 {
            let rows = admin.__query(sql, &[&tag]).await?;
            let states: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
            if let [state] = states.as_slice()
                && state != "active"
            {
                return Ok(state.clone());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(Error::new(
            crate::ErrorKind::Database,
            "the session stayed busy",
        ))
    }

    /// Reads three rows of a large result on `db` (one connection), drops the cursor, and
    /// checks that the next statement gets the same, idle session.
    async fn drop_midway(db: &Db, tag: &str) -> Result<()> {
        let (admin, _) = test_db(1).await?;
        let pid = scalar_i64(db, "SELECT pg_backend_pid()::int8").await?;
        let mut cursor = db.__stream(MANY, &[&1_000_000i64], Open::Rows).await?;
        for want in 1..=3i64 {
            let row = cursor.next().await?;
            assert_eq!(row.map(|r| r.get::<_, i64>(0)), Some(want));
        }
        assert_eq!(db.status().in_use, 1);
        drop(cursor);
        assert_eq!(db.status().in_use, 0);
        assert_eq!(settled_state(&admin, tag).await?, "idle");
        assert_eq!(scalar_i64(db, "SELECT pg_backend_pid()::int8").await?, pid);
        assert_eq!(scalar_i64(db, "SELECT 41::int8 + 1").await?, 42);
        Ok(())
    }

    #[tokio::test]
    async fn a_cursor_dropped_midway_returns_an_idle_session_to_the_pool() -> Result<()> {
        let (db, tag) = test_db(1).await?;
        drop_midway(&db, &tag).await
    }

    #[tokio::test]
    async fn in_pooler_mode_with_a_timeout_a_dropped_cursor_leaves_no_transaction_open()
    -> Result<()> {
        let tag = format!("buster_db_{}", uuid::Uuid::new_v4().simple());
        let config = test_config()?
            .prepared_statements(false)
            .statement_timeout(Some(Duration::from_secs(30)))
            .pool_size(1)
            .application_name(&tag);
        let db = Db::connect(config).await?;
        drop_midway(&db, &tag).await?;
        // A cursor read to the end ends its transaction too.
        let mut cursor = db.__stream(MANY, &[&3i64], Open::Rows).await?;
        let mut read = 0;
        while cursor.next().await?.is_some() {
            read += 1;
        }
        assert_eq!(read, 3);
        drop(cursor);
        let (admin, _) = test_db(1).await?;
        assert_eq!(settled_state(&admin, &tag).await?, "idle");
        Ok(())
    }

    #[tokio::test]
    async fn cancelled_while_opening_a_cursor_leaves_the_pool_usable() -> Result<()> {
        for pooler in [false, true] {
            let tag = format!("buster_db_{}", uuid::Uuid::new_v4().simple());
            let config = test_config()?
                .prepared_statements(!pooler)
                .statement_timeout(Some(Duration::from_secs(30)))
                .pool_size(1)
                .application_name(&tag);
            let db = Db::connect(config).await?;
            for i in 0..40u64 {
                let wait = Duration::from_micros(50 * (i % 8));
                let _ =
                    tokio::time::timeout(wait, db.__stream(MANY, &[&100_000i64], Open::Rows)).await;
            }
            assert_eq!(scalar_i64(&db, "SELECT 41::int8 + 1").await?, 42);
            let (admin, _) = test_db(1).await?;
            assert_eq!(settled_state(&admin, &tag).await?, "idle");
        }
        Ok(())
    }

    #[tokio::test]
    async fn a_server_error_midway_ends_the_cursor_with_a_typed_error() -> Result<()> {
        let (db, _) = test_db(1).await?;
        // Division by zero on the fourth row, after three rows were sent.
        let sql = "SELECT 10 / (4 - g) FROM generate_series(1, 5) g";
        let mut cursor = db.__stream(sql, &[], Open::Rows).await?;
        let mut read = 0;
        let err = loop {
            match cursor.next().await {
                Ok(Some(_)) => read += 1,
                Ok(None) => break None,
                Err(err) => break Some(err),
            }
        };
        assert_eq!(read, 3);
        assert_eq!(
            err.and_then(|e| e.code().map(str::to_owned)).as_deref(),
            Some("22012")
        );
        assert!(cursor.next().await?.is_none());
        drop(cursor);
        assert_eq!(scalar_i64(&db, "SELECT 41::int8 + 1").await?, 42);
        Ok(())
    }

    #[tokio::test]
    async fn the_first_row_terminals_still_read_the_result_to_its_end() -> Result<()> {
        // `one` / `optional` keep the first row but wait for the server to complete the
        // statement: an error it raises after the first row is reported, not dropped (and a
        // write is acknowledged only once it is complete).
        let (db, _) = test_db(1).await?;
        let r = crate::query::Rendered {
            sql: "SELECT 10 / (2 - g) FROM generate_series(1, 3) g".into(),
            params: Vec::new(),
            read: true,
        };
        let first = crate::query::run::fetch(&db, &r, 1, Some(1), |row| {
            crate::__private::get::<i32>(row, 0, "quotient")
        })
        .await;
        assert_eq!(
            first
                .err()
                .and_then(|e| e.code().map(str::to_owned))
                .as_deref(),
            Some("22012")
        );
        Ok(())
    }

    #[tokio::test]
    async fn a_cursor_on_a_transaction_holds_it_until_dropped() -> Result<()> {
        let (db, _) = test_db(1).await?;
        db.transaction(async |tx| {
            let mut cursor = tx.__stream(MANY, &[&10i64], Open::Rows).await?;
            assert!(cursor.next().await?.is_some());
            let nested = tx.transaction(async |_| Ok::<_, Error>(())).await;
            assert_eq!(
                nested.err().map(|e| e.kind()),
                Some(crate::ErrorKind::Validation)
            );
            drop(cursor);
            tx.transaction(async |inner| scalar_i64(inner, "SELECT 1::int8").await)
                .await?;
            Ok::<_, Error>(())
        })
        .await
    }
}
