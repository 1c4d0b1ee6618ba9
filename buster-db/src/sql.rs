//! The SQL writer: quoted identifiers, `$n` placeholders, parameters kept beside the text.

use std::fmt::{self, Write};

use postgres_types::ToSql;

/// Writes `name` as a double-quoted identifier, doubling embedded quotes.
#[inline]
pub(crate) fn write_ident(out: &mut impl Write, name: &str) -> fmt::Result {
    if name.as_bytes().contains(&b'"') {
        return write_escaped_ident(out, name);
    }
    // No quote to double, the common case: one copy.
    out.write_char('"')?;
    out.write_str(name)?;
    out.write_char('"')
}

/// [`write_ident`] of a name with a `"` in it: written in runs between the quotes to double,
/// not a character at a time.
#[cold]
fn write_escaped_ident(out: &mut impl Write, name: &str) -> fmt::Result {
    out.write_char('"')?;
    // Identifiers are short: a plain scan of the bytes beats a general substring search here.
    // A `"` is one byte, so each cut is on a character boundary.
    let mut start = 0;
    for (at, byte) in name.bytes().enumerate() {
        if byte == b'"' {
            out.write_str(&name[start..=at])?;
            out.write_char('"')?;
            start = at + 1;
        }
    }
    out.write_str(&name[start..])?;
    out.write_char('"')
}

/// Writes the table of `meta` as a relation: `"schema"."name"`, or `"name"` when the table is
/// looked up through the `search_path`.
pub(crate) fn write_table(out: &mut impl Write, meta: &crate::meta::TableMeta) -> fmt::Result {
    if let Some(schema) = meta.schema {
        write_ident(out, schema)?;
        out.write_char('.')?;
    }
    write_ident(out, meta.name)
}

/// `name` as a double-quoted identifier ([`write_ident`]).
pub(crate) fn quoted_ident(name: &str) -> String {
    let mut s = String::new();
    let _ = write_ident(&mut s, name);
    s
}

/// The table of `meta` as a relation ([`write_table`]): `"users"`, `"vault"."secrets"`.
pub(crate) fn quoted_table(meta: &crate::meta::TableMeta) -> String {
    let mut s = String::new();
    let _ = write_table(&mut s, meta);
    s
}

/// `value` as a single-quoted string literal ([`push_literal`]).
pub(crate) fn literal(value: &str) -> String {
    let mut s = String::new();
    push_literal(&mut s, value);
    s
}

/// Where the SQL comment starting at byte `i` of `b` ends: past a nested `/* … */`, or at the
/// line break closing a `-- …` (or the end of the text); `None` when no comment starts at `i`.
pub(crate) fn comment_end(b: &[u8], i: usize) -> Option<usize> {
    match (b.get(i), b.get(i + 1)) {
        (Some(b'-'), Some(b'-')) => Some(
            b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n),
        ),
        (Some(b'/'), Some(b'*')) => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                    depth += 1;
                    j += 2;
                } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        return Some(j);
                    }
                } else {
                    j += 1;
                }
            }
            Some(b.len())
        }
        _ => None,
    }
}

/// Appends `value` as a single-quoted string literal (DDL only: statements bind values).
pub(crate) fn push_literal(out: &mut String, value: &str) {
    out.push('\'');
    for ch in value.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
}

/// Appends `$n` (the digits written directly rather than through `fmt`).
pub(crate) fn push_placeholder(sql: &mut String, n: usize) {
    sql.push('$');
    if n < 10 {
        // Most statements bind fewer than ten values.
        sql.push(char::from(b'0' + n as u8));
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        sql.push(char::from(d));
    }
}

/// A statement being rendered: SQL text plus parameters borrowed from the query builder.
pub struct Writer<'a> {
    sql: String,
    params: Vec<&'a (dyn ToSql + Sync)>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new() -> Writer<'a> {
        Writer {
            // Enough for most statements (a select of a dozen columns, an upsert) without
            // growing the text as it is written.
            sql: String::with_capacity(512),
            params: Vec::new(),
        }
    }

    /// Appends SQL text written by buster-db itself.
    #[inline]
    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends SQL text rendered by buster-db itself through `Display`.
    pub(crate) fn push_display(&mut self, sql: impl fmt::Display) {
        let _ = write!(self.sql, "{sql}");
    }

    /// Appends a quoted identifier.
    #[inline]
    pub fn ident(&mut self, name: &str) {
        let _ = write_ident(&mut self.sql, name);
    }

    /// Appends the table of `meta` as a relation (`"schema"."name"` or `"name"`).
    pub(crate) fn table(&mut self, meta: &crate::meta::TableMeta) {
        let _ = write_table(&mut self.sql, meta);
    }

    /// Appends a single-quoted, escaped string literal of text fixed at compile time.
    pub(crate) fn literal(&mut self, text: &str) {
        push_literal(&mut self.sql, text);
    }

    /// Appends `"table"."column"`.
    pub fn qualified(&mut self, table: &str, column: &str) {
        self.ident(table);
        self.sql.push('.');
        self.ident(column);
    }

    /// Appends a `$n` placeholder bound to `value`.
    pub fn bind(&mut self, value: &'a (dyn ToSql + Sync)) {
        self.params.push(value);
        push_placeholder(&mut self.sql, self.params.len());
    }

    /// The number of the last placeholder bound, to name it again with
    /// [`placeholder`](Writer::placeholder).
    pub(crate) fn last_placeholder(&self) -> usize {
        self.params.len()
    }

    /// Appends `$n`, naming again a value already bound.
    pub(crate) fn placeholder(&mut self, n: usize) {
        push_placeholder(&mut self.sql, n);
    }

    /// Appends SQL whose `$1…$n` placeholders are already numbered, with their values in order.
    /// Only valid while nothing has been bound yet.
    pub(crate) fn push_numbered(
        &mut self,
        sql: &str,
        values: impl IntoIterator<Item = &'a (dyn ToSql + Sync)>,
    ) {
        debug_assert!(self.params.is_empty());
        self.sql.push_str(sql);
        self.params.extend(values);
    }

    pub(crate) fn finish(self) -> (String, Vec<&'a (dyn ToSql + Sync)>) {
        (self.sql, self.params)
    }
}

/// A rendered statement: its SQL text and how many parameters it binds.
///
/// Returned by every query's `to_sql()`, so the SQL can be inspected and tested without a
/// database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sql {
    /// The statement text, with `$1`, `$2`, … placeholders.
    pub text: String,
    /// The number of bound parameters.
    pub params: usize,
}

impl fmt::Display for Sql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::quoted_ident;

    #[test]
    fn placeholders_are_numbered_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 65_535, usize::MAX] {
            let mut s = String::new();
            super::push_placeholder(&mut s, n);
            assert_eq!(s, format!("${n}"));
        }
    }

    #[test]
    fn identifiers_are_quoted_with_their_quotes_doubled() {
        assert_eq!(quoted_ident("users"), "\"users\"");
        assert_eq!(quoted_ident(""), "\"\"");
        assert_eq!(quoted_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quoted_ident("\"x\""), "\"\"\"x\"\"\"");
        assert_eq!(quoted_ident("\"\""), "\"\"\"\"\"\"");
        assert_eq!(quoted_ident("naïve \"ü\""), "\"naïve \"\"ü\"\"\"");
    }
}
