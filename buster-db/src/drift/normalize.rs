//! The normalisation of SQL text described in the [module docs](super).

/// Whether a declared default and a catalog default mean the same, given the column's
/// declared and actual type names.
pub(crate) fn same_default(expected: Option<&str>, found: Option<&str>, types: &[String]) -> bool {
    default(expected, types) == default(found, types)
}

#[derive(Debug, PartialEq)]
enum Default {
    None,
    Json(serde_json::Value),
    Sql(String),
}

fn default(expr: Option<&str>, types: &[String]) -> Default {
    let Some(expr) = expr else {
        return Default::None;
    };
    let s = expression(expr);
    let casts: Vec<String> = types.iter().flat_map(|t| cast_names(t)).collect();
    if s == "null" || casts.iter().any(|t| s == format!("null::{t}")) {
        return Default::None;
    }
    let s = strip_literal_cast(&s, &casts).unwrap_or(s);
    let json = types
        .iter()
        .any(|t| matches!(sql(t).as_str(), "json" | "jsonb"));
    if json
        && let Some(text) = literal_text(&s)
        && let Ok(value) = serde_json::from_str(&text)
    {
        return Default::Json(value);
    }
    Default::Sql(s)
}

/// A type name as it may appear in a cast: as is, and without a type modifier
/// (`character varying(20)` is cast as `character varying`).
fn cast_names(type_name: &str) -> Vec<String> {
    let t = sql(type_name);
    let bare = without_modifier(&t);
    let mut out = vec![t];
    out.extend(bare);
    out
}

/// A type name without its modifier (`character varying(20)` → `character varying`), or
/// `None` when it has none.
pub(crate) fn without_modifier(type_name: &str) -> Option<String> {
    match (type_name.find('('), type_name.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            Some(format!("{}{}", &type_name[..open], &type_name[close + 1..]))
        }
        _ => None,
    }
}

/// `'text'::type` → `'text'` when `type` is one of `casts`.
fn strip_literal_cast(s: &str, casts: &[String]) -> Option<String> {
    let end = literal_end(s)?;
    let (literal, rest) = s.split_at(end);
    let cast = rest.strip_prefix("::")?;
    casts.iter().any(|t| t == cast).then(|| literal.to_owned())
}

/// The content of `s` when it is exactly one string literal.
fn literal_text(s: &str) -> Option<String> {
    let end = literal_end(s)?;
    (end == s.len()).then(|| s[1..end - 1].replace("''", "'"))
}

/// The byte length of the string literal `s` starts with.
pub(crate) fn literal_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// A type name in the catalog's spelling: [`sql`], then each alias PostgreSQL accepts
/// replaced by the name `format_type` prints (`varchar(20)` → `character varying(20)`,
/// `int4` → `integer`, `timestamptz` → `timestamp with time zone`, `timestamp(3)` →
/// `timestamp(3) without time zone`).
pub(crate) fn type_name(text: &str) -> String {
    let mut s = sql(text);
    let mut arrays = 0;
    while let Some(element) = s.strip_suffix("[]") {
        s = element.trim_end().to_owned();
        arrays += 1;
    }
    let (base, modifier, rest) = match (s.find('('), s.find(')')) {
        (Some(open), Some(close)) if open < close => {
            (&s[..open], &s[open..=close], s[close + 1..].trim())
        }
        _ => (s.as_str(), "", ""),
    };
    let base = base.trim();
    let (base, zone) = match base {
        "varchar" => ("character varying", rest),
        "char" | "bpchar" => ("character", rest),
        "int" | "int4" => ("integer", rest),
        "int2" => ("smallint", rest),
        "int8" => ("bigint", rest),
        "float4" => ("real", rest),
        "float8" => ("double precision", rest),
        "float" if modifier.is_empty() => ("double precision", rest),
        "bool" => ("boolean", rest),
        "decimal" => ("numeric", rest),
        "timestamptz" => ("timestamp", "with time zone"),
        "timetz" => ("time", "with time zone"),
        "timestamp" | "time" if rest.is_empty() => (base, "without time zone"),
        other => (other, rest),
    };
    let mut out = format!("{base}{modifier}");
    if !zone.is_empty() {
        out.push(' ');
        out.push_str(zone);
    }
    for _ in 0..arrays {
        out.push_str("[]");
    }
    out
}

/// [`sql`] without parentheses around the whole expression.
pub(crate) fn expression(expr: &str) -> String {
    let mut s = sql(expr);
    while let Some(inner) = unwrapped(&s) {
        s = inner.to_owned();
    }
    s
}

/// The text inside the parentheses around the whole of `s`, if they enclose all of it.
pub(crate) fn unwrapped(s: &str) -> Option<&str> {
    (s.starts_with('(') && closing_paren(s) == Some(s.len() - 1)).then(|| &s[1..s.len() - 1])
}

/// The index of the parenthesis closing the one `s` starts with, skipping string literals
/// and quoted identifiers.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in s.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            (None, _) => {}
        }
    }
    None
}

/// Canonical text of an SQL fragment: one space between words only, lowercase outside
/// literals and quoted identifiers, and quotes dropped from identifiers that need none.
pub(crate) fn sql(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_whitespace() {
            pending_space = true;
            continue;
        }
        let token = match ch {
            '\'' | '"' => {
                // The body keeps doubled quotes doubled, as they are written.
                let mut body = String::new();
                while let Some(c) = chars.next() {
                    if c == ch {
                        if chars.peek() == Some(&ch) {
                            chars.next();
                            body.push(ch);
                            body.push(ch);
                            continue;
                        }
                        break;
                    }
                    body.push(c);
                }
                if ch == '"' && plain_identifier(&body) {
                    body
                } else {
                    format!("{ch}{body}{ch}")
                }
            }
            _ => ch.to_ascii_lowercase().to_string(),
        };
        if pending_space
            && out.chars().next_back().is_some_and(word_char)
            && token.chars().next().is_some_and(word_char)
        {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(&token);
    }
    out
}

/// The name a catalog-printed identifier stands for: `"Mixed"` → `Mixed`, `a""b` quoted →
/// `a"b`; anything else (a plain name, an expression) as it is.
pub(crate) fn unquote(text: &str) -> String {
    let quoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|inner| !inner.replace("\"\"", "").contains('"'));
    match quoted {
        Some(inner) => inner.replace("\"\"", "\""),
        None => text.to_owned(),
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '\'' | '"')
}

/// An identifier PostgreSQL prints without quotes: lowercase letters, digits, `_`, `$`,
/// not starting with a digit or `$`.
fn plain_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '$'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(t: &str) -> Vec<String> {
        vec![t.to_owned()]
    }

    #[test]
    fn type_aliases_become_the_catalog_spelling() {
        for (declared, catalog) in [
            ("varchar(255)", "character varying(255)"),
            ("VARCHAR (20)[]", "character varying(20)[]"),
            ("numeric(12, 2)", "numeric(12,2)"),
            ("decimal", "numeric"),
            ("int4", "integer"),
            ("int8[]", "bigint[]"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp", "timestamp without time zone"),
            ("timestamp(3)", "timestamp(3) without time zone"),
            ("timestamp(3) with time zone", "timestamp(3) with time zone"),
            ("time", "time without time zone"),
            ("char(2)", "character(2)"),
            ("bool", "boolean"),
            ("citext", "citext"),
            ("\"Mood\"[]", "\"Mood\"[]"),
        ] {
            assert_eq!(type_name(declared), catalog, "{declared}");
            assert_eq!(type_name(catalog), catalog, "{catalog}");
        }
        assert_ne!(
            type_name("varchar(50)"),
            type_name("character varying(255)")
        );
    }

    #[test]
    fn canonical_text() {
        assert_eq!(sql("  \"deleted_at\"   IS  NULL "), "deleted_at is null");
        assert_eq!(sql("\"Mixed\" IS NULL"), "\"Mixed\" is null");
        assert_eq!(sql("now( )"), "now()");
        assert_eq!(sql("'A  B'::text"), "'A  B'::text");
        assert_eq!(sql("\"user_organization_role\""), "user_organization_role");
        assert_eq!(sql("timestamp with time zone"), "timestamp with time zone");
        assert_eq!(sql("'it''s'  ||  \"a\"\"b\""), "'it''s'||\"a\"\"b\"");
        assert_eq!(unquote("\"Mixed\""), "Mixed");
        assert_eq!(unquote("\"a\"\"b\""), "a\"b");
        assert_eq!(unquote("email"), "email");
        assert_eq!(unquote("lower(email)"), "lower(email)");
    }

    #[test]
    fn predicates_lose_outer_parentheses_only() {
        assert_eq!(expression("(deleted_at IS NULL)"), "deleted_at is null");
        assert_eq!(expression("\"deleted_at\" IS NULL"), "deleted_at is null");
        assert_eq!(expression("((a > 1))"), "a>1");
        assert_eq!(expression("(a) AND (b)"), "(a)and(b)");
        assert_eq!(expression("(x = ')')"), "x=')'");
    }

    #[test]
    fn defaults_cast_to_the_column_type_match_bare_literals() {
        let role = types("user_organization_role");
        assert!(same_default(
            Some("'querier'"),
            Some("'querier'::user_organization_role"),
            &role
        ));
        assert!(!same_default(
            Some("'querier'"),
            Some("'viewer'::user_organization_role"),
            &role
        ));
        assert!(same_default(
            Some("'UTC'"),
            Some("'UTC'::character varying"),
            &types("character varying(20)")
        ));
        // A cast to another type is not the column's own: kept, so it differs.
        assert!(!same_default(
            Some("'1'"),
            Some("'1'::integer"),
            &types("text")
        ));
        assert!(same_default(
            Some("gen_random_uuid()"),
            Some("gen_random_uuid()"),
            &types("uuid")
        ));
        assert!(same_default(Some("TRUE"), Some("true"), &types("boolean")));
        assert!(!same_default(Some("true"), None, &types("boolean")));
        assert!(same_default(None, Some("NULL::text"), &types("text")));
        assert!(!same_default(
            Some("now()"),
            Some("CURRENT_TIMESTAMP"),
            &types("timestamp with time zone")
        ));
    }

    #[test]
    fn jsonb_defaults_compare_as_json() {
        let jsonb = types("jsonb");
        assert!(same_default(
            Some(r#"'{"selectedId":null,"palettes":[],"selectedDictionaryPalette":null}'::jsonb"#),
            Some(
                r#"'{"palettes": [], "selectedId": null, "selectedDictionaryPalette": null}'::jsonb"#
            ),
            &jsonb
        ));
        assert!(same_default(Some("'{}'"), Some("'{}'::jsonb"), &jsonb));
        assert!(!same_default(Some("'[]'"), Some("'{}'::jsonb"), &jsonb));
        assert!(same_default(
            Some(r#"'{"it''s": 1}'"#),
            Some(r#"'{"it''s":1}'::jsonb"#),
            &jsonb
        ));
    }
}
