//! Rust names for SQL names: structs, enums and variants in `UpperCamelCase`, fields and
//! modules in `snake_case`, keywords as raw identifiers.

use std::cmp::Ordering;

/// Rust's strict and reserved keywords (edition 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Field names the table derive refuses, because a constant of that name would hide one of
/// the table's query entry points: the derive's `RESERVED` list, which a proc-macro crate cannot
/// export (`tests/tests/pull.rs` keeps the two equal).
const RESERVED_FIELDS: &[&str] = &[
    "select",
    "find",
    "insert",
    "insert_many",
    "upsert",
    "upsert_many",
    "update",
    "update_where",
    "soft_delete",
    "soft_delete_where",
    "restore",
    "delete",
    "delete_where",
    "table",
    "alias",
    "primary_key",
    "META",
];

/// Type names the written files use: the prelude's, the traits and metadata types of `mod.rs`
/// and the column types a table file imports. A struct or enum of one of these names would
/// hide it.
pub(crate) const USED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Table",
    "Enum",
    "TableMeta",
    "EnumMeta",
    "Uuid",
    "DateTime",
    "Utc",
    "Decimal",
    "NaiveDate",
    "NaiveDateTime",
    "NaiveTime",
    "Interval",
    "JsonValue",
    "Citext",
    "IpAddr",
    "IpCidr",
];

pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Lowercase ASCII letters, digits and `_`, not starting with a digit, not `_` alone: a name
/// that is its own `snake_case` identifier.
pub(crate) fn is_snake_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name != "_"
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The words of a SQL name: split at every character that is not an ASCII letter or digit and
/// where a lowercase letter or digit is followed by an uppercase one (`userId` → `user`, `Id`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            previous = None;
            continue;
        }
        if c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            && !word.is_empty()
        {
            out.push(std::mem::take(&mut word));
        }
        word.push(c);
        previous = Some(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `notStarted` → `NotStarted`, `HTTP` → `Http`, `user_role` → `UserRole`.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest: String = chars.collect();
    let rest = if word.chars().all(|c| !c.is_ascii_lowercase()) {
        rest.to_ascii_lowercase()
    } else {
        rest
    };
    format!("{}{rest}", first.to_ascii_uppercase())
}

/// `UpperCamelCase` of a SQL name; `prefix` goes first when the name starts with a digit or
/// has no letters at all.
pub(crate) fn upper_camel(name: &str, prefix: &str) -> String {
    let out: String = words(name).iter().map(|w| capitalize(w)).collect();
    if out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out
    } else {
        format!("{prefix}{out}")
    }
}

/// `snake_case` of a SQL name: `userId` → `user_id`, `Created At` → `created_at`; `prefix_`
/// goes first when the name starts with a digit or has no letters.
pub(crate) fn snake(name: &str, prefix: &str) -> String {
    let out = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out
    } else if out.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}_{out}")
    }
}

/// The singular of an English plural, by the common endings: `categories` → `category`,
/// `addresses` → `address`, `boxes` → `box`, `users` → `user`; `status` and `data` stay.
pub(crate) fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let keep = ["ss", "us", "is", "ics", "news", "series", "species"];
    if lower.len() <= 2 || keep.iter().any(|k| lower.ends_with(k)) {
        return word.to_owned();
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        return format!("{}y", &word[..stem.len()]);
    }
    for ending in ["sses", "shes", "ches", "xes", "zzes"] {
        if lower.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match lower.strip_suffix('s') {
        Some(stem) => word[..stem.len()].to_owned(),
        None => word.to_owned(),
    }
}

/// The struct of a table: `UpperCamelCase` with the last word singular
/// (`users_to_organizations` → `UsersToOrganization`, `api_keys` → `ApiKey`).
pub(crate) fn struct_name(table: &str) -> String {
    let mut parts = words(table);
    if let Some(last) = parts.last_mut() {
        *last = singular(last);
    }
    upper_camel(&parts.join("_"), "Table")
}

/// The field of a column and whether the column's name must be given with
/// `#[column(name = "..")]`: the name itself when it is a `snake_case` identifier, a raw
/// identifier for a keyword (`r#type`), otherwise its `snake_case` form.
pub(crate) fn field(column: &str) -> (String, bool) {
    let (base, renamed) = if is_snake_identifier(column) {
        (column.to_owned(), false)
    } else {
        (snake(column, "column"), true)
    };
    if RESERVED_FIELDS.contains(&base.as_str()) || NOT_RAW.contains(&base.as_str()) {
        return (format!("{base}_column"), true);
    }
    if is_keyword(&base) {
        return (format!("r#{base}"), renamed);
    }
    (base, renamed)
}

/// A variant of an enum label: `notStarted` → `NotStarted`, `workspace_admin` →
/// `WorkspaceAdmin`, `1st` → `V1st`.
pub(crate) fn variant(label: &str) -> String {
    let name = upper_camel(label, "V");
    match name.as_str() {
        "V" => "Empty".to_owned(),
        "Self" => "SelfLabel".to_owned(),
        _ => name,
    }
}

/// `first` unless `taken` says it is used, then `first2`, `first3`, …
pub(crate) fn unique(first: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("{first}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(first)
}

/// The order rustfmt gives names in a sorted list: chunks of digits compare by their value,
/// `_` sorts before every other character, and (for imports) names that do not start with a
/// lowercase letter come first.
pub(crate) fn version_order(a: &str, b: &str) -> Ordering {
    let upper = |s: &str| !s.starts_with(|c: char| c.is_lowercase());
    upper(b)
        .cmp(&upper(a))
        .then_with(|| chunks(a).cmp(chunks(b)))
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    /// `_` first, then every other character by its code.
    Text(Vec<(bool, char)>),
    Number(u128),
}

fn chunks(s: &str) -> impl Iterator<Item = Chunk> + '_ {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(if digit {
            Chunk::Number(chunk.parse().unwrap_or(u128::MAX))
        } else {
            Chunk::Text(chunk.chars().map(|c| (c != '_', c)).collect())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_are_singular_upper_camel_case() {
        assert_eq!(struct_name("users_to_organizations"), "UsersToOrganization");
        assert_eq!(struct_name("api_keys"), "ApiKey");
        assert_eq!(struct_name("data_sources"), "DataSource");
        assert_eq!(struct_name("datasets"), "Dataset");
        assert_eq!(struct_name("categories"), "Category");
        assert_eq!(struct_name("addresses"), "Address");
        assert_eq!(struct_name("status"), "Status");
        assert_eq!(struct_name("messages"), "Message");
        assert_eq!(struct_name("UserRoles"), "UserRole");
        assert_eq!(struct_name("2fa_codes"), "Table2faCode");
    }

    #[test]
    fn fields_are_identifiers() {
        assert_eq!(field("title"), ("title".into(), false));
        assert_eq!(field("type"), ("r#type".into(), false));
        assert_eq!(field("userId"), ("user_id".into(), true));
        assert_eq!(field("Created At"), ("created_at".into(), true));
        assert_eq!(field("2fa"), ("column_2fa".into(), true));
        assert_eq!(field("self"), ("self_column".into(), true));
        assert_eq!(field("select"), ("select_column".into(), true));
        assert_eq!(field("Type"), ("r#type".into(), true));
    }

    #[test]
    fn variants() {
        assert_eq!(variant("notStarted"), "NotStarted");
        assert_eq!(variant("workspace_admin"), "WorkspaceAdmin");
        assert_eq!(variant("HTTP"), "Http");
        assert_eq!(variant("1st"), "V1st");
        assert_eq!(variant(""), "Empty");
        assert_eq!(variant("self"), "SelfLabel");
    }

    #[test]
    fn rustfmt_order() {
        let mut names = vec![
            "users",
            "t10",
            "user",
            "t2",
            "ChatType",
            "user_profile",
            "a_b",
        ];
        names.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            names,
            [
                "ChatType",
                "a_b",
                "t2",
                "t10",
                "user",
                "user_profile",
                "users"
            ]
        );
    }
}
