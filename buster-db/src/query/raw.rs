//! Raw statements: SQL text the query builders cannot say, written once as a `&'static str`,
//! with every value bound as a `$n` parameter and the rows decoded into Rust types.
//!
//! The text is static so that a value can never be spliced into it: a string built at run
//! time does not type-check as the statement ([`StaticSql`]). The placeholders are counted
//! before anything is sent, so a statement whose `$n` and bound values disagree is refused
//! with a typed error instead of a server error; the columns of each row are checked against
//! the row type (their number, and for a record their names) before they are decoded.

use std::marker::PhantomData;

use futures_util::future::Either;
use postgres_types::ToSql;
use tokio_postgres::Row;

use crate::executor::Executor;
use crate::sql::Sql;
use crate::value::ColumnType;
use crate::{Error, ErrorKind, Result};

use super::Rendered;
use super::run::{self, Run};

/// A raw statement: static SQL text with `$1`, `$2`, … placeholders, the values bound to them,
/// and the Rust type each row reads into.
///
/// The escape hatch for what the query builders cannot say: a server function
/// (`SELECT vault.create_secret($1)`), a statement without a table (`SELECT now()`), a
/// catalog query. Every value is bound with [`bind`](Raw::bind), never written into the text;
/// the text itself must be a `&'static str` (a literal or a `const`), so a string built at run
/// time cannot be passed.
///
/// The statement always runs on the primary: buster-db cannot tell a read from a write in SQL
/// text, so on a [`Db`](crate::Db) with replicas a raw statement is never sent to one. It runs
/// on any [`Executor`], inside a transaction too, through the connection's prepared-statement
/// cache like every other statement.
///
/// ```no_run
/// # async fn demo(db: &buster_db::Db) -> buster_db::Result<()> {
/// use buster_db::{Uuid, raw_query};
///
/// let id: Uuid = raw_query("SELECT vault.create_secret($1, $2)")
///     .bind("s3cr3t")
///     .bind("the warehouse password")
///     .one(db)
///     .await?;
///
/// #[derive(buster_db::Record)]
/// struct Setting { name: String, setting: String }
/// let settings: Vec<Setting> = raw_query("SELECT name, setting FROM pg_settings WHERE name = ANY($1)")
///     .bind(vec!["work_mem".to_owned(), "search_path".to_owned()])
///     .all(db)
///     .await?;
/// # let _ = (id, settings); Ok(()) }
/// ```
#[must_use = "a statement does nothing until a terminal method such as `all` or `execute` runs it"]
pub struct Raw<R> {
    sql: &'static str,
    params: Vec<Box<dyn ToSql + Send + Sync>>,
    placeholders: Placeholders,
    _row: PhantomData<fn() -> R>,
}

/// Starts a raw statement whose rows read into `R`: a column type (`i64`, `Option<String>`,
/// …), a tuple of column types, `()` for a statement whose rows nobody reads, or a struct
/// deriving [`Record`](crate::Record), whose fields must be named as the statement's columns,
/// in order. See [`Raw`].
///
/// ```no_run
/// # async fn demo(db: &buster_db::Db) -> buster_db::Result<()> {
/// use buster_db::{DateTime, Utc, raw_query};
///
/// let (now, zone): (DateTime<Utc>, String) =
///     raw_query("SELECT now(), current_setting('TimeZone')").one(db).await?;
/// let changed = raw_query::<()>("SELECT set_config($1, $2, false)")
///     .bind("application_name")
///     .bind("reports")
///     .execute(db)
///     .await?;
/// assert_eq!(changed, 1);
/// # let _ = (now, zone); Ok(()) }
/// ```
pub fn raw_query<R: RawRow>(sql: impl StaticSql) -> Raw<R> {
    let sql = sql.text();
    Raw {
        sql,
        params: Vec::new(),
        placeholders: Placeholders::of(sql),
        _row: PhantomData,
    }
}

impl<R: RawRow> Raw<R> {
    /// Binds the next parameter: the first call binds `$1`, the second `$2`, and so on.
    ///
    /// A value is a column type (`Uuid`, `String`, `i64`, `Option<T>`, `Vec<T>`, an enum, …)
    /// or a `&str`; it is sent as a parameter, never written into the SQL text.
    pub fn bind<V: RawParam>(mut self, value: V) -> Self {
        self.params.push(value.into_param());
        self
    }

    /// Runs the statement and returns every row.
    pub async fn all<E: Executor + ?Sized>(self, exec: &E) -> Result<Vec<R>>
    where
        R: Send,
        R::Values: RawValues,
    {
        self.placeholders.check(self.params.len())?;
        run::all(&self, exec).await
    }

    /// Runs the statement and returns the first row, or an
    /// [`ErrorKind::NotFound`] error when there is none.
    pub async fn one<E: Executor + ?Sized>(self, exec: &E) -> Result<R>
    where
        R: Send,
        R::Values: RawValues,
    {
        self.optional(exec)
            .await?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "the raw statement returned no row"))
    }

    /// Runs the statement and returns the first row, if any.
    pub async fn optional<E: Executor + ?Sized>(self, exec: &E) -> Result<Option<R>>
    where
        R: Send,
        R::Values: RawValues,
    {
        self.placeholders.check(self.params.len())?;
        run::optional(&self, exec).await
    }

    /// Runs the statement and returns the number of rows it affected (for a `SELECT`, the
    /// number of rows it returned); the rows themselves are not read.
    pub async fn execute<E: Executor + ?Sized>(self, exec: &E) -> Result<u64> {
        self.placeholders.check(self.params.len())?;
        let r = self.rendered();
        run::check_params(&r)?;
        exec.__execute(&r.sql, &r.params).await
    }

    /// The rows, decoded one at a time as they arrive, in constant memory; see `stream` on
    /// [`Select`](crate::query::Select). Nothing is sent until the stream is first polled.
    pub fn stream<'e, E: Executor + ?Sized>(
        self,
        exec: &'e E,
    ) -> impl crate::__private::Stream<Item = Result<R>> + Send + 'e
    where
        R: Send + 'e,
        R::Values: RawValues,
    {
        match self.placeholders.check(self.params.len()) {
            Ok(()) => Either::Left(crate::stream::stream(self, exec)),
            Err(err) => Either::Right(futures_util::stream::once(async move { Err(err) })),
        }
    }

    /// The SQL this statement runs, and its parameter count, without a database.
    pub fn to_sql(&self) -> Sql {
        self.rendered().to_sql()
    }

    /// The text, as it is, and the values bound; never a read a replica may answer.
    fn rendered(&self) -> Rendered<'_> {
        Rendered {
            sql: self.sql.into(),
            params: self
                .params
                .iter()
                .map(|p| &**p as &(dyn ToSql + Sync))
                .collect(),
            read: false,
        }
    }
}

impl<R: RawRow> Run for Raw<R>
where
    R::Values: RawValues,
{
    type Output = R;
    fn render(&self) -> Rendered<'_> {
        self.rendered()
    }
    fn decode(&self, row: &Row) -> Result<R> {
        decode(row)
    }
    fn table(&self) -> &'static str {
        "raw statement"
    }
}

/// Checks the columns of `row` against `R`, then decodes them by position.
fn decode<R: RawRow>(row: &Row) -> Result<R>
where
    R::Values: RawValues,
{
    let columns = row.columns();
    if columns.len() != R::Values::WIDTH {
        let names: Vec<String> = columns.iter().map(|c| format!("`{}`", c.name())).collect();
        return Err(Error::new(
            ErrorKind::Conversion,
            format!(
                "the statement returns {} column(s) ({}), but `{}` reads {}",
                columns.len(),
                names.join(", "),
                std::any::type_name::<R>(),
                R::Values::WIDTH,
            ),
        ));
    }
    if let Some(fields) = R::NAMES {
        for (i, (column, field)) in columns.iter().zip(fields).enumerate() {
            if column.name() != *field {
                return Err(Error::new(
                    ErrorKind::Conversion,
                    format!(
                        "column {} of the statement is `{}`, but field {} of `{}` is `{field}`: \
                         name the column `AS {field}` or reorder the fields",
                        i + 1,
                        column.name(),
                        i + 1,
                        std::any::type_name::<R>(),
                    ),
                )
                .with_column(column.name()));
            }
        }
    }
    R::Values::decode(row).map(R::from_values)
}

/// The `$n` placeholders a statement's text uses, to be checked against the values bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placeholders {
    /// The highest `$n` (0 for none).
    max: usize,
    /// The lowest number below `max` the text never uses.
    gap: Option<usize>,
}

/// The highest placeholder number kept track of; PostgreSQL accepts 65,535 parameters.
const MAX_PLACEHOLDER: usize = run::MAX_PARAMS + 1;

impl Placeholders {
    /// Reads the placeholders of `sql`, outside its string literals, quoted identifiers,
    /// dollar-quoted strings and comments.
    fn of(sql: &str) -> Placeholders {
        let mut used = Vec::new();
        for n in scan_placeholders(sql) {
            let n = n.min(MAX_PLACEHOLDER);
            if used.len() < n {
                used.resize(n, false);
            }
            used[n - 1] = true;
        }
        Placeholders {
            max: used.len(),
            gap: used.iter().position(|u| !u).map(|i| i + 1),
        }
    }

    /// Refuses `bound` values that do not match the placeholders, before anything is sent.
    fn check(self, bound: usize) -> Result<()> {
        let problem = if self.max > bound {
            format!(
                "the statement uses `${}`, but {bound} value(s) are bound: bind one value per \
                 placeholder, in order",
                self.max,
            )
        } else if self.max < bound {
            let uses = match self.max {
                0 => "no placeholder".to_owned(),
                n => format!("placeholders up to `${n}`"),
            };
            format!("{bound} value(s) are bound, but the statement uses {uses}")
        } else if let Some(gap) = self.gap {
            format!(
                "the statement uses `${}` but never `${gap}`, so the type of value {gap} is \
                 unknown: use every placeholder from `$1` on",
                self.max,
            )
        } else {
            return Ok(());
        };
        Err(Error::validation("params", problem))
    }
}

/// The numbers of the `$n` placeholders in `sql`, in the order they appear: what PostgreSQL's
/// lexer reads as parameters, so `'$1'`, `"$1"`, `$$ $1 $$`, `a$1` and comments do not count.
fn scan_placeholders(sql: &str) -> Vec<usize> {
    placeholders(sql).into_iter().map(|(_, n)| n).collect()
}

/// `sql` with each `$n` placeholder (as [`scan_placeholders`] finds them) replaced by
/// `with(n)`.
pub(crate) fn replace_placeholders(sql: &str, with: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut copied = 0;
    for (range, n) in placeholders(sql) {
        out.push_str(&sql[copied..range.start]);
        out.push_str(&with(n));
        copied = range.end;
    }
    out.push_str(&sql[copied..]);
    out
}

/// The `$n` placeholders of `sql`: where each is in the text, and its number.
fn placeholders(sql: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let b = sql.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = crate::sql::comment_end(b, i) {
            i = end;
            continue;
        }
        let prev_ident = i > 0 && ident(b[i - 1]);
        match b[i] {
            b'\'' => {
                // `E'…'` strings take backslash escapes; `e` must start a word to be a prefix.
                let escapes =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i == 1 || !ident(b[i - 2]));
                i = quoted_end(b, i, b'\'', escapes);
            }
            b'"' => i = quoted_end(b, i, b'"', false),
            b'$' if !prev_ident => {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits > 0 {
                    let n = sql[i + 1..i + 1 + digits]
                        .parse::<usize>()
                        .unwrap_or(usize::MAX);
                    found.push((i..i + 1 + digits, n));
                    i += 1 + digits;
                    continue;
                }
                // A dollar quote: `$$` or `$tag$`, up to the same delimiter again.
                let tag_len = b[i + 1..]
                    .iter()
                    .take_while(|&&c| ident(c) && c != b'$')
                    .count();
                if b.get(i + 1 + tag_len) == Some(&b'$') {
                    let delimiter = &sql[i..i + tag_len + 2];
                    let body = i + delimiter.len();
                    i = match sql[body..].find(delimiter) {
                        Some(at) => body + at + delimiter.len(),
                        None => b.len(),
                    };
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index of the closing `quote` of the literal opening at `open` (a doubled quote is part
/// of the text; with `escapes`, so is a backslash-escaped character).
fn quoted_end(b: &[u8], open: usize, quote: u8, escapes: bool) -> usize {
    let mut i = open + 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// The SQL text of a raw statement: a `&'static str`, so that no text built at run time, and
/// no value spliced into it, can become a statement.
#[diagnostic::on_unimplemented(
    message = "the SQL text of a raw statement must be a `&'static str`, not `{Self}`",
    label = "SQL text built at run time",
    note = "write the statement as a string literal or a `const`, with `$1`, `$2`, … where values go, and bind each value with `.bind(value)`: text built at run time could splice a value into the SQL"
)]
pub trait StaticSql {
    /// The text.
    #[doc(hidden)]
    fn text(self) -> &'static str;
}

impl StaticSql for &'static str {
    fn text(self) -> &'static str {
        self
    }
}

/// A value a raw statement can bind: a column type, or a `&str` (bound as `text`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be bound as a parameter of a raw statement",
    label = "not a parameter value",
    note = "bind a column type (`Uuid`, `String`, `i64`, `bool`, `Option<T>`, `Vec<T>`, an enum, …) or a `&str`"
)]
pub trait RawParam {
    /// The value as the driver sends it.
    #[doc(hidden)]
    fn into_param(self) -> Box<dyn ToSql + Send + Sync>;
}

impl<T: ColumnType> RawParam for T {
    fn into_param(self) -> Box<dyn ToSql + Send + Sync> {
        Box::new(self)
    }
}

impl RawParam for &str {
    fn into_param(self) -> Box<dyn ToSql + Send + Sync> {
        Box::new(self.to_owned())
    }
}

/// What the rows of a raw statement read into: a column type, a tuple of column types, `()`,
/// or a struct deriving [`Record`](crate::Record) (whose fields must be named as the
/// statement's columns).
#[diagnostic::on_unimplemented(
    message = "the rows of a raw statement cannot be read into `{Self}`",
    label = "not a row type",
    note = "read a column type (`i64`, `Option<String>`, …), a tuple of column types, `()`, or a struct deriving `buster_db::Record`"
)]
pub trait RawRow: Sized {
    /// The values of the columns, in order: a tuple.
    #[doc(hidden)]
    type Values;
    /// The names the columns must have, in order (a record's fields); `None` reads them by
    /// position only.
    #[doc(hidden)]
    const NAMES: Option<&'static [&'static str]>;
    /// Builds the row from its values.
    #[doc(hidden)]
    fn from_values(values: Self::Values) -> Self;
}

/// The values of a row read by position: a tuple of column types.
#[diagnostic::on_unimplemented(
    message = "the columns `{Self}` cannot be read from a raw statement",
    note = "every column must be read as a column type (`i64`, `Option<String>`, …)"
)]
pub trait RawValues: Sized {
    /// The number of columns.
    #[doc(hidden)]
    const WIDTH: usize;
    /// Decodes the columns, naming the failing one in the error.
    #[doc(hidden)]
    fn decode(row: &Row) -> Result<Self>;
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType> RawRow for T {
    type Values = (T,);
    const NAMES: Option<&'static [&'static str]> = None;
    fn from_values(values: (T,)) -> T {
        values.0
    }
}

impl RawRow for () {
    type Values = ();
    const NAMES: Option<&'static [&'static str]> = None;
    fn from_values(values: ()) {
        values
    }
}

impl RawValues for () {
    const WIDTH: usize = 0;
    fn decode(_: &Row) -> Result<()> {
        Ok(())
    }
}

/// Reads column `idx` of a raw statement's row, naming it in the error.
fn column<T: ColumnType>(row: &Row, idx: usize) -> Result<T> {
    let name = row.columns().get(idx).map_or("?", |c| c.name());
    crate::__private::get(row, idx, name)
}

macro_rules! raw_tuples {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t),+> RawRow for ($($t,)+) {
            type Values = Self;
            const NAMES: Option<&'static [&'static str]> = None;
            fn from_values(values: Self) -> Self {
                values
            }
        }

        impl<$($t: ColumnType),+> RawValues for ($($t,)+) {
            const WIDTH: usize = [$($i),+].len();
            fn decode(row: &Row) -> Result<Self> {
                Ok(($(column::<$t>(row, $i)?,)+))
            }
        }
    )+};
}

raw_tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(sql: &str) -> Vec<usize> {
        scan_placeholders(sql)
    }

    #[test]
    fn placeholders_are_read_where_postgresql_reads_them() {
        assert_eq!(used("SELECT $1, $2::int, $10"), [1, 2, 10]);
        assert_eq!(used("SELECT ($1)+$2"), [1, 2]);
        assert_eq!(used("SELECT '$1', 'it''s $2', $3"), [3]);
        assert_eq!(used(r"SELECT E'\'$1', e'\\', $2"), [2]);
        // `e` ending a word is not a prefix: `'…'` is a plain string, `\` a plain character.
        assert_eq!(used(r"SELECT name'\', $1"), [1]);
        assert_eq!(used(r#"SELECT "a$1""", $2 AS "$3""#), [2]);
        assert_eq!(used("SELECT $$ $1 $$, $body$ $2 $$ $body$, $3"), [3]);
        assert_eq!(
            used("SELECT a$1, $2 -- $3\n, /* $4 /* $5 */ $6 */ $7"),
            [2, 7]
        );
        // The character right after a comment is read, not skipped.
        assert_eq!(used("SELECT /* c */$1, -- x\n$2"), [1, 2]);
        assert_eq!(used("SELECT now()"), Vec::<usize>::new());
        assert_eq!(used("SELECT '$1"), Vec::<usize>::new());
        assert_eq!(used("SELECT $$ unterminated $1"), Vec::<usize>::new());
        assert_eq!(used("SELECT $"), Vec::<usize>::new());
    }

    #[test]
    fn placeholders_must_match_the_values_bound() {
        let of = Placeholders::of;
        assert!(of("SELECT $1, $2, $1").check(2).is_ok());
        assert!(of("SELECT now()").check(0).is_ok());
        let err = |sql: &str, n: usize| {
            let e = of(sql).check(n).err();
            assert_eq!(
                e.as_ref().map(Error::kind),
                Some(ErrorKind::Validation),
                "{sql}"
            );
            assert_eq!(e.as_ref().and_then(Error::field), Some("params"), "{sql}");
            e.map(|e| e.to_string()).unwrap_or_default()
        };
        assert!(err("SELECT $1, $2", 1).contains("uses `$2`, but 1 value(s) are bound"));
        assert!(
            err("SELECT $1", 2)
                .contains("2 value(s) are bound, but the statement uses placeholders up to `$1`")
        );
        assert!(err("SELECT now()", 1).contains("uses no placeholder"));
        assert!(err("SELECT $1, $3", 3).contains("uses `$3` but never `$2`"));
        assert!(err("SELECT $99999999999999999999999", 1).contains("`$65536`"));
    }
}
