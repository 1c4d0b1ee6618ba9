//! Column types: the Rust type a catalog type name maps to, and the `sql_type = ".."` to
//! declare when the Rust type's own SQL type is not the column's.

/// A column's Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// The type without `Option`: `String`, `Vec<Uuid>`, `DateTime<Utc>`, `ChatType`.
    pub(crate) rust: String,
    /// `sql_type = ".."`, when the Rust type's SQL type is not the column's.
    pub(crate) sql_type: Option<String>,
    /// What the type needs in scope: names of `buster_db`'s root, `std` paths, or an enum of
    /// the schema.
    pub(crate) imports: Vec<Import>,
}

/// A name a field type uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Import {
    /// `use buster_db::{..}`.
    Root(&'static str),
    /// A whole `use` path: `std::net::IpAddr`.
    Path(&'static str),
    /// An enum of the schema, from `super`.
    Enum(String),
}

/// A scalar type: its Rust type, imports, and its SQL type as `format_type` spells it.
struct Scalar {
    rust: &'static str,
    imports: &'static [Import],
    sql: &'static str,
}

const fn scalar(rust: &'static str, imports: &'static [Import], sql: &'static str) -> Scalar {
    Scalar { rust, imports, sql }
}

/// The scalar of a catalog type name without modifier and array suffix.
fn scalar_of(base: &str) -> Option<Scalar> {
    use Import::{Path, Root};
    Some(match base {
        "uuid" => scalar("Uuid", &[Root("Uuid")], "uuid"),
        "text" => scalar("String", &[], "text"),
        "character varying" | "character" | "bpchar" | "name" => scalar("String", &[], "text"),
        "boolean" => scalar("bool", &[], "boolean"),
        "smallint" => scalar("i16", &[], "smallint"),
        "integer" => scalar("i32", &[], "integer"),
        "bigint" => scalar("i64", &[], "bigint"),
        "real" => scalar("f32", &[], "real"),
        "double precision" => scalar("f64", &[], "double precision"),
        "numeric" => scalar("Decimal", &[Root("Decimal")], "numeric"),
        "timestamp with time zone" => scalar(
            "DateTime<Utc>",
            &[Root("DateTime"), Root("Utc")],
            "timestamp with time zone",
        ),
        "timestamp without time zone" => scalar(
            "NaiveDateTime",
            &[Root("NaiveDateTime")],
            "timestamp without time zone",
        ),
        "date" => scalar("NaiveDate", &[Root("NaiveDate")], "date"),
        "time without time zone" => {
            scalar("NaiveTime", &[Root("NaiveTime")], "time without time zone")
        }
        "interval" => scalar("Interval", &[Root("Interval")], "interval"),
        "jsonb" | "json" => scalar("JsonValue", &[Root("JsonValue")], "jsonb"),
        interval if interval.starts_with("interval ") => {
            scalar("Interval", &[Root("Interval")], "interval")
        }
        "bytea" => scalar("Vec<u8>", &[], "bytea"),
        "inet" => scalar("IpAddr", &[Path("std::net::IpAddr")], "inet"),
        "cidr" => scalar("IpCidr", &[Path("buster_db::types::cidr::IpCidr")], "cidr"),
        "citext" => scalar("Citext", &[Root("Citext")], "citext"),
        _ => return None,
    })
}

/// Splits `timestamp(3) with time zone` into the type without its modifier
/// (`timestamp with time zone`) and the modifier (`(3)`).
fn split_modifier(name: &str) -> (String, &str) {
    match (name.find('('), name.find(')')) {
        (Some(open), Some(close)) if open < close => {
            let base = format!("{} {}", name[..open].trim(), name[close + 1..].trim());
            (base.trim().to_owned(), &name[open..=close])
        }
        _ => (name.to_owned(), ""),
    }
}

/// How a declaration spells a catalog type: the short names PostgreSQL accepts where they
/// exist (`varchar(20)`, `timestamptz(3)`), the catalog's text otherwise.
fn declared_spelling(name: &str) -> String {
    let (base, modifier) = split_modifier(name);
    let short = match base.as_str() {
        "character varying" => "varchar",
        "character" => "char",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time without time zone" => "time",
        _ => return name.to_owned(),
    };
    format!("{short}{modifier}")
}

/// The Rust type of a column of type `type_name` (as `format_type` prints it), or `None`
/// when buster-db has none. `enum_type` names the schema's enum of a printed type name.
pub(crate) fn map(type_name: &str, enum_type: impl Fn(&str) -> Option<String>) -> Option<Mapped> {
    let (element, array) = match type_name.strip_suffix("[]") {
        Some(element) => (element, true),
        None => (type_name, false),
    };
    let wrap = |rust: String| {
        if array { format!("Vec<{rust}>") } else { rust }
    };
    if let Some(name) = enum_type(element) {
        return Some(Mapped {
            rust: wrap(name.clone()),
            sql_type: None,
            imports: vec![Import::Enum(name)],
        });
    }
    let (base, _) = split_modifier(element);
    let scalar = scalar_of(&base)?;
    let sql_type = (element != scalar.sql).then(|| {
        let mut declared = declared_spelling(element);
        if array {
            declared.push_str("[]");
        }
        declared
    });
    Some(Mapped {
        rust: wrap(scalar.rust.to_owned()),
        sql_type,
        imports: scalar.imports.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(type_name: &str) -> Option<(String, Option<String>)> {
        let enums = |t: &str| (t == "chat_type").then(|| "ChatType".to_owned());
        map(type_name, enums).map(|m| (m.rust, m.sql_type))
    }

    fn plain(rust: &str) -> Option<(String, Option<String>)> {
        Some((rust.to_owned(), None))
    }

    fn declared(rust: &str, sql: &str) -> Option<(String, Option<String>)> {
        Some((rust.to_owned(), Some(sql.to_owned())))
    }

    #[test]
    fn types_map_to_their_rust_types() {
        assert_eq!(rust("uuid"), plain("Uuid"));
        assert_eq!(rust("text[]"), plain("Vec<String>"));
        assert_eq!(rust("integer"), plain("i32"));
        assert_eq!(rust("timestamp with time zone"), plain("DateTime<Utc>"));
        assert_eq!(rust("jsonb"), plain("JsonValue"));
        assert_eq!(rust("chat_type"), plain("ChatType"));
        assert_eq!(rust("chat_type[]"), plain("Vec<ChatType>"));
        assert_eq!(rust("tsvector"), None);
        assert_eq!(rust("time with time zone"), None);
    }

    #[test]
    fn other_spellings_are_declared() {
        assert_eq!(
            rust("character varying(255)"),
            declared("String", "varchar(255)")
        );
        assert_eq!(
            rust("character varying(20)[]"),
            declared("Vec<String>", "varchar(20)[]")
        );
        assert_eq!(rust("character(2)"), declared("String", "char(2)"));
        assert_eq!(rust("numeric(12,2)"), declared("Decimal", "numeric(12,2)"));
        assert_eq!(
            rust("timestamp(3) with time zone"),
            declared("DateTime<Utc>", "timestamptz(3)")
        );
        assert_eq!(
            rust("timestamp(3) without time zone"),
            declared("NaiveDateTime", "timestamp(3)")
        );
        assert_eq!(rust("json"), declared("JsonValue", "json"));
    }
}
