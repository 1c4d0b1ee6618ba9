//! One `tracing` span per statement, with OpenTelemetry's attribute names, and the slow-statement
//! log.
//!
//! The span `buster_db.statement` (level `debug`) carries `db.system.name` (`postgresql`),
//! `db.query.text` (the statement with its `$n` placeholders: bound values never appear),
//! `db.operation.name` (its first keyword: `SELECT`, `INSERT`, …), `db.collection.name` (the
//! table, when the text names one after `FROM`, `INTO` or `UPDATE`), `server.address`,
//! `server.port`, then `db.response.returned_rows` (rows returned, or affected) and
//! `elapsed_us` (for a stream, when it ends or is dropped: the rows read, and the time
//! from sending to then). A statement slower than [`Config::slow_statement_threshold`
//! ](crate::Config::slow_statement_threshold) is also logged at `warn`.

use std::future::Future;
use std::time::Instant;

use tracing::{Instrument, Span};

use crate::db::{Outcome, Shared};

/// Runs a statement, its future made by `send`, inside the statement span, then records the row
/// count and the duration.
///
/// When nothing would record the statement or its duration (no enabled span, no slow-statement
/// threshold) the future is awaited as it is: no clock reads, no wrapper. It is made in either
/// branch rather than passed in, so that it is stored once, where it is awaited: a future
/// passed by value into another `async fn` is stored twice over and copied between the two
/// (some 1.6 KiB for a statement).
pub(crate) async fn traced<F>(
    shared: &Shared,
    sql: &str,
    send: impl FnOnce() -> F,
) -> Result<Outcome, tokio_postgres::Error>
where
    F: Future<Output = Result<Outcome, tokio_postgres::Error>>,
{
    let span = span(shared, sql);
    if span.is_disabled() && shared.config.get_slow_statement_threshold().is_none() {
        return send().await;
    }
    let started = Instant::now();
    // A disabled span is not entered on every poll (with `tracing`'s `log` feature, entering
    // one still consults the logger); entering `Span::none()` does nothing.
    let entered = if span.is_disabled() {
        Span::none()
    } else {
        span.clone()
    };
    let result = send().instrument(entered).await;
    finish(shared, &span, sql, started, result.as_ref().ok().copied());
    result
}

/// The span of one statement, its row count and duration still empty.
///
/// The operation and the table are read off the text only when the span is enabled: with
/// `tracing`'s `log` feature on (any crate of the build may turn it on) and no subscriber, the
/// span's fields are otherwise evaluated for every statement, and scanning the text for the
/// table was a fifth of the client's work for a one-row insert.
///
/// With no subscriber set at all (none global, none scoped), there is no span: with that
/// `log` feature, even a disabled span records its fields for the `log` crate and formats a
/// line when it closes. Spans are for `tracing` subscribers; the slow-statement warning, an
/// event, still reaches a `log` logger through that feature.
pub(crate) fn span(shared: &Shared, sql: &str) -> Span {
    if !tracing::dispatcher::has_been_set() {
        return Span::none();
    }
    let span = tracing::debug_span!(
        "buster_db.statement",
        db.system.name = "postgresql",
        db.query.text = %sql,
        db.operation.name = tracing::field::Empty,
        db.collection.name = tracing::field::Empty,
        server.address = %shared.server.0,
        server.port = shared.server.1,
        db.response.returned_rows = tracing::field::Empty,
        elapsed_us = tracing::field::Empty,
    );
    if !span.is_disabled() {
        span.record("db.operation.name", operation(sql));
        span.record("db.collection.name", collection(sql));
    }
    span
}

/// Records the duration of a statement started at `started` and, when it succeeded, its row
/// count; logs it when it was slow.
pub(crate) fn finish(shared: &Shared, span: &Span, sql: &str, started: Instant, rows: Option<u64>) {
    let elapsed = started.elapsed();
    if !span.is_disabled() {
        let elapsed_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        span.record("elapsed_us", elapsed_us);
        if let Some(count) = rows {
            span.record("db.response.returned_rows", count);
        }
    }
    if let Some(threshold) = shared.config.get_slow_statement_threshold()
        && elapsed >= threshold
    {
        tracing::warn!(
            target: "buster_db::slow",
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            threshold_ms = threshold.as_secs_f64() * 1000.0,
            db.query.text = %sql,
            db.operation.name = operation(sql),
            db.collection.name = collection(sql),
            "slow statement"
        );
    }
}

/// The statement's first keyword, upper-cased (`WITH` for a statement with a CTE).
pub(crate) fn operation(sql: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "VALUES", "SHOW", "SET", "CREATE",
        "ALTER", "DROP", "TRUNCATE", "COPY", "DO", "CALL", "LOCK",
    ];
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    KNOWN
        .iter()
        .find(|known| known.eq_ignore_ascii_case(first))
        .copied()
        .unwrap_or("OTHER")
}

/// The table a statement names first after `FROM`, `INTO` or `UPDATE`, unquoted; `""` when
/// none is found (a statement on no table, or a subquery first).
pub(crate) fn collection(sql: &str) -> String {
    let upper = sql.to_ascii_uppercase();
    let at = match operation(sql) {
        "INSERT" => upper.find("INTO ").map(|i| i + 5),
        "UPDATE" => Some(6),
        _ => upper.find(" FROM ").map(|i| i + 6),
    };
    let Some(rest) = at.and_then(|i| sql.get(i..)) else {
        return String::new();
    };
    let rest = rest.trim_start();
    // A schema-qualified table (`"vault"."secrets"`) is named `vault.secrets`.
    let Some((mut name, mut rest)) = identifier(rest) else {
        return String::new();
    };
    while let Some(next) = rest.strip_prefix('.') {
        let Some((part, after)) = identifier(next) else {
            break;
        };
        name.push('.');
        name.push_str(&part);
        rest = after;
    }
    name
}

/// The identifier `s` starts with (quoted or plain, unquoted), and what follows it.
fn identifier(s: &str) -> Option<(String, &str)> {
    if let Some(quoted) = s.strip_prefix('"') {
        // `"a""b"` is the identifier `a"b`.
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().is_some_and(|&(_, n)| n == '"') {
                    chars.next();
                    name.push('"');
                } else {
                    return Some((name, &quoted[i + 1..]));
                }
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    Some((s[..end].to_owned(), &s[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_operation_and_the_table() {
        let cases = [
            (
                r#"SELECT "users"."id" FROM "users" WHERE "users"."id" = $1"#,
                "SELECT",
                "users",
            ),
            (
                r#"INSERT INTO "we""ird" ("a") VALUES ($1)"#,
                "INSERT",
                "we\"ird",
            ),
            (
                r#"UPDATE "fx_tasks" SET "title" = $1"#,
                "UPDATE",
                "fx_tasks",
            ),
            ("delete from notes where id = $1", "DELETE", "notes"),
            ("delete from app.notes where id = $1", "DELETE", "app.notes"),
            (
                r#"SELECT "secrets"."id" FROM "vault"."se""crets" WHERE TRUE"#,
                "SELECT",
                "vault.se\"crets",
            ),
            ("SELECT 1", "SELECT", ""),
            ("  with x AS (SELECT 1) SELECT * FROM x", "WITH", "x"),
            ("VACUUM", "OTHER", ""),
        ];
        for (sql, op, table) in cases {
            assert_eq!(
                (operation(sql), collection(sql).as_str()),
                (op, table),
                "{sql}"
            );
        }
    }
}
