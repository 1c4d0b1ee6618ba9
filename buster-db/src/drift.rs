//! Drift check: does the live database match the table declarations?
//!
//! The migrations are the schema's history; the `#[derive(Table)]` structs are its declaration.
//! [`check`] reads the catalog of a real database and reports every place where the two
//! disagree, as typed [`Difference`]s. It compares what the metadata knows:
//!
//! - enum types: existence and labels, in order (the order is the sort order);
//! - tables: existence (only the tables passed in; other tables are not reported);
//! - columns: missing and extra columns, type (`format_type` spelling), nullability, default;
//! - the primary key: its columns, in order;
//! - declared indexes, by name: columns in order, uniqueness, partial predicate;
//! - unique indexes the declarations do not know (they change what conflicts).
//!
//! Not compared, because the metadata does not carry them: foreign keys (the migrations add
//! them), CHECK constraints, column order, index method and operator classes, non-unique
//! indexes that are not declared, identity and generated columns, `NULLS NOT DISTINCT`.
//!
//! # How expressions are compared
//!
//! Defaults and index predicates are compared after a normalisation that undoes how PostgreSQL
//! re-prints an expression, and nothing more:
//!
//! - whitespace is dropped, except one space between two words (`IS NULL`);
//! - text outside string literals and quoted identifiers is lowercased (SQL folds it anyway);
//! - a quoted identifier that needs no quotes loses them (`"deleted_at"` → `deleted_at`);
//! - parentheses around the whole expression are dropped (`(deleted_at IS NULL)`);
//! - a cast of a lone string literal to the column's own type is dropped (`'querier'` and
//!   `'querier'::user_organization_role` are equal, as are `'UTC'` and `'UTC'::text`);
//! - on `json` / `jsonb` columns a string literal is compared as JSON, so key order and spacing
//!   do not matter (jsonb re-prints `{"b":1,"a":2}` as `{"a": 2, "b": 1}`);
//! - a `NULL` default is the same as no default.
//!
//! No other equivalence is assumed: `CURRENT_TIMESTAMP` and `now()`, or `'t'` and `true`, are
//! reported as different defaults.
//!
//! ```no_run
//! # async fn run() -> buster_db::Result<()> {
//! # static SCHEMA: buster_db::Schema =
//! #     buster_db::Schema { tables: &[], enums: &[], migrations: &[] };
//! use buster_db::{Db, drift};
//!
//! let db = Db::from_env().await?;
//! for difference in drift::check(&db, SCHEMA.tables, SCHEMA.enums).await? {
//!     println!("{difference}");
//! }
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::fmt;

use postgres_types::FromSql;
use tokio_postgres::Row;

use crate::meta::{EnumMeta, SqlType, TableMeta};
use crate::{Db, Error, Executor, Result};

/// One way the database differs from the declarations.
///
/// Names are database names; `expected` is what the declarations say, `found` what the
/// database has. `Display` gives a one-line message naming the table and column.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// A declared enum type does not exist (or the name belongs to a type that is not an enum).
    MissingEnum {
        /// The type's name.
        name: String,
    },
    /// An enum type's labels differ (in content or in order).
    EnumLabels {
        /// The type's name.
        name: String,
        /// The declared labels.
        expected: Vec<String>,
        /// The labels in the database, in sort order.
        found: Vec<String>,
    },
    /// A declared table does not exist.
    MissingTable {
        /// The table's name.
        table: String,
    },
    /// A declared column does not exist.
    MissingColumn {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// The declared type.
        expected: String,
    },
    /// The database has a column the declaration does not know.
    ExtraColumn {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// Its type in the database.
        found: String,
    },
    /// A column's type differs.
    ColumnType {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// The declared type, e.g. `text`, `user_organization_role` or `text[]`.
        expected: String,
        /// The type in the database, as `format_type` spells it.
        found: String,
    },
    /// A column accepts NULL where the declaration says it does not, or the other way round.
    ColumnNullable {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// Whether the declaration accepts NULL (`Option<T>`).
        expected: bool,
        /// Whether the database accepts NULL.
        found: bool,
    },
    /// A column's default differs (see the [module docs](self) for how defaults are compared).
    ColumnDefault {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// The declared default expression.
        expected: Option<String>,
        /// The default in the database, as `pg_get_expr` prints it.
        found: Option<String>,
    },
    /// The primary key has other columns, or the same columns in another order.
    PrimaryKey {
        /// The table's name.
        table: String,
        /// The declared key columns.
        expected: Vec<String>,
        /// The key columns in the database; empty when the table has no primary key.
        found: Vec<String>,
    },
    /// A declared index (a unique key or a `#[table(index(..))]`) does not exist.
    MissingIndex {
        /// The table's name.
        table: String,
        /// The index's name.
        index: String,
        /// The declared index.
        expected: IndexShape,
    },
    /// A declared index exists under its name but is defined differently.
    IndexDefinition {
        /// The table's name.
        table: String,
        /// The index's name.
        index: String,
        /// The declared index.
        expected: IndexShape,
        /// The index in the database.
        found: IndexShape,
    },
    /// The database has a unique index the declarations do not know: it makes inserts and
    /// upserts conflict where the declarations say they do not.
    ExtraUniqueIndex {
        /// The table's name.
        table: String,
        /// The index's name.
        index: String,
        /// The index in the database.
        found: IndexShape,
    },
}

/// What an index is made of, for [`Difference`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexShape {
    /// Its columns (or expressions), in order.
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
    /// Its partial predicate, if any.
    pub predicate: Option<String>,
    /// Whether NULLs count as equal (`NULLS NOT DISTINCT`).
    pub nulls_not_distinct: bool,
    /// The index method (`btree`, `gin`, …).
    pub method: String,
}

impl fmt::Display for IndexShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.unique {
            f.write_str("UNIQUE ")?;
        }
        if self.method != "btree" {
            write!(f, "USING {} ", self.method)?;
        }
        write!(f, "({})", self.columns.join(", "))?;
        if self.nulls_not_distinct {
            f.write_str(" NULLS NOT DISTINCT")?;
        }
        if let Some(p) = &self.predicate {
            write!(f, " WHERE {p}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingEnum { name } => write!(f, "enum type `{name}` is missing"),
            Difference::EnumLabels {
                name,
                expected,
                found,
            } => write!(
                f,
                "enum type `{name}`: expected labels ({}), found ({})",
                expected.join(", "),
                found.join(", ")
            ),
            Difference::MissingTable { table } => write!(f, "table `{table}` is missing"),
            Difference::MissingColumn {
                table,
                column,
                expected,
            } => write!(f, "column `{table}.{column}` ({expected}) is missing"),
            Difference::ExtraColumn {
                table,
                column,
                found,
            } => write!(
                f,
                "column `{table}.{column}` ({found}) is in the database but not declared"
            ),
            Difference::ColumnType {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "column `{table}.{column}`: expected type {expected}, found {found}"
            ),
            Difference::ColumnNullable {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "column `{table}.{column}`: expected {}, found {}",
                nullability(*expected),
                nullability(*found)
            ),
            Difference::ColumnDefault {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "column `{table}.{column}`: expected {}, found {}",
                default_text(expected.as_deref()),
                default_text(found.as_deref())
            ),
            Difference::PrimaryKey {
                table,
                expected,
                found,
            } => {
                write!(
                    f,
                    "table `{table}`: expected primary key ({}), found ",
                    expected.join(", ")
                )?;
                if found.is_empty() {
                    f.write_str("no primary key")
                } else {
                    write!(f, "({})", found.join(", "))
                }
            }
            Difference::MissingIndex {
                table,
                index,
                expected,
            } => write!(
                f,
                "index `{index}` on `{table}` is missing (expected {expected})"
            ),
            Difference::IndexDefinition {
                table,
                index,
                expected,
                found,
            } => write!(
                f,
                "index `{index}` on `{table}`: expected {expected}, found {found}"
            ),
            Difference::ExtraUniqueIndex {
                table,
                index,
                found,
            } => write!(
                f,
                "unique index `{index}` on `{table}` ({found}) is in the database but not declared"
            ),
        }
    }
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "NOT NULL" }
}

fn default_text(default: Option<&str>) -> String {
    match default {
        Some(d) => format!("default {d}"),
        None => "no default".to_owned(),
    }
}

/// Compares `tables` and `enums` (plus the enum types the tables' columns use) with the
/// database behind `db` and returns every difference, enums first, then table by table in the
/// order given. An empty result means no drift.
///
/// Tables without a schema, and enum types, are looked up through the session's `search_path`,
/// as unqualified names in queries are; a table declared with `#[table(schema = "..")]` in its
/// schema. Differences name such a table `schema.name`.
///
/// # Errors
///
/// Only when the catalog cannot be read (connection or permission problems); differences are
/// results, not errors.
pub async fn check(db: &Db, tables: &[&TableMeta], enums: &[&EnumMeta]) -> Result<Vec<Difference>> {
    let conn = db.conn().await?;
    let enums = all_enums(tables, enums);
    let mut out = Vec::new();

    let enum_names: Vec<&str> = enums.iter().map(|e| e.name).collect();
    let found_enums = catalog::enums(&conn, &enum_names).await?;
    for e in &enums {
        compare_enum(e, found_enums.get(e.name), &mut out);
    }

    // Each table as a quoted relation name (`"vault"."secrets"` or `"users"`), which the
    // catalog queries resolve with `to_regclass` and hand back as the key of what they found.
    let relations: Vec<String> = tables.iter().map(|t| relation(t)).collect();
    let names: Vec<&str> = relations.iter().map(String::as_str).collect();
    let existing = catalog::tables(&conn, &names).await?;
    let mut columns = catalog::columns(&conn, &names).await?;
    let mut indexes = catalog::indexes(&conn, &names).await?;
    for (t, relation) in tables.iter().zip(&relations) {
        if !existing.iter().any(|name| name == relation) {
            out.push(Difference::MissingTable {
                table: t.display_name(),
            });
            continue;
        }
        let found_columns = columns.remove(relation).unwrap_or_default();
        let found_indexes = indexes.remove(relation).unwrap_or_default();
        compare_columns(t, &found_columns, &mut out);
        compare_keys(t, &found_indexes, &mut out);
    }
    Ok(out)
}

/// The DDL of `tables`: `CREATE SCHEMA IF NOT EXISTS` for the schemas the tables name,
/// `CREATE TYPE` for `enums` and for the enum types the tables use, then `CREATE TABLE` and
/// `CREATE INDEX` per table, in the order given.
///
/// This is the schema as the declarations state it. The declarations know no foreign keys, so
/// the output has none: the migrations are the schema's source of truth, this is a reference
/// to read and diff.
///
/// ```
/// use buster_db::{Enum, Table, drift};
///
/// #[derive(Enum, Debug, Clone, Copy, PartialEq)]
/// #[pg_enum(name = "chat_type")]
/// pub enum ChatType { Analyst, DataEngineer }
///
/// #[derive(Table)]
/// #[table(name = "chats")]
/// pub struct Chat {
///     #[column(primary_key)]
///     pub id: i64,
///     pub kind: ChatType,
/// }
///
/// fn main() {
///     let sql = drift::ddl(&[<Chat as Table>::META], &[<ChatType as Enum>::META]);
///     assert!(sql.contains("CREATE TABLE \"chats\""));
///     assert!(sql.contains("CREATE TYPE \"chat_type\" AS ENUM ('analyst', 'data_engineer');"));
/// }
/// ```
pub fn ddl(tables: &[&TableMeta], enums: &[&EnumMeta]) -> String {
    let mut out = String::from(
        "-- The schema as the table declarations state it. Foreign keys are not part of the\n\
         -- declarations; the migrations add them.\n\n",
    );
    let mut schemas: Vec<&str> = Vec::new();
    for schema in tables.iter().filter_map(|t| t.schema) {
        if !schemas.contains(&schema) {
            schemas.push(schema);
            out.push_str("CREATE SCHEMA IF NOT EXISTS ");
            let _ = crate::sql::write_ident(&mut out, schema);
            out.push_str(";\n");
        }
    }
    for e in all_enums(tables, enums) {
        out.push_str(&e.ddl());
        out.push('\n');
    }
    for t in tables {
        out.push('\n');
        out.push_str(&t.ddl());
    }
    out
}

/// The table as a quoted relation name, as statements write it.
fn relation(t: &TableMeta) -> String {
    let mut s = String::new();
    let _ = crate::sql::write_table(&mut s, t);
    s
}

/// `enums`, then the enum types of the tables' columns not listed there, each once.
fn all_enums<'a>(tables: &[&'a TableMeta], enums: &[&'a EnumMeta]) -> Vec<&'a EnumMeta> {
    let mut out: Vec<&'a EnumMeta> = Vec::new();
    let used = tables.iter().flat_map(|t| t.enums());
    for e in enums.iter().copied().chain(used) {
        if !out.iter().any(|o| o.name == e.name) {
            out.push(e);
        }
    }
    out
}

fn compare_enum(e: &EnumMeta, found: Option<&Vec<String>>, out: &mut Vec<Difference>) {
    let Some(found) = found else {
        out.push(Difference::MissingEnum {
            name: e.name.to_owned(),
        });
        return;
    };
    if !e
        .labels
        .iter()
        .copied()
        .eq(found.iter().map(String::as_str))
    {
        out.push(Difference::EnumLabels {
            name: e.name.to_owned(),
            expected: strings(e.labels),
            found: found.clone(),
        });
    }
}

fn compare_columns(t: &TableMeta, found: &[catalog::Column], out: &mut Vec<Difference>) {
    for c in t.columns {
        let expected_type = type_name(&c.sql_type);
        let Some(f) = found.iter().find(|f| f.name == c.name) else {
            out.push(Difference::MissingColumn {
                table: t.display_name(),
                column: c.name.to_owned(),
                expected: expected_type,
            });
            continue;
        };
        if normalize::type_name(&c.sql_type.to_string()) != normalize::type_name(&f.type_name) {
            out.push(Difference::ColumnType {
                table: t.display_name(),
                column: c.name.to_owned(),
                expected: expected_type.clone(),
                found: f.type_name.clone(),
            });
        }
        if c.nullable != f.nullable {
            out.push(Difference::ColumnNullable {
                table: t.display_name(),
                column: c.name.to_owned(),
                expected: c.nullable,
                found: f.nullable,
            });
        }
        let expected_default = c.effective_default();
        let types = [c.sql_type.to_string(), f.type_name.clone()];
        if !normalize::same_default(expected_default, f.default.as_deref(), &types) {
            out.push(Difference::ColumnDefault {
                table: t.display_name(),
                column: c.name.to_owned(),
                expected: expected_default.map(str::to_owned),
                found: f.default.clone(),
            });
        }
    }
    for f in found {
        if t.column(&f.name).is_none() {
            out.push(Difference::ExtraColumn {
                table: t.display_name(),
                column: f.name.clone(),
                found: f.type_name.clone(),
            });
        }
    }
}

fn compare_keys(t: &TableMeta, found: &[catalog::Index], out: &mut Vec<Difference>) {
    let found_pk: Vec<String> = found
        .iter()
        .find(|i| i.primary)
        .map(|i| i.columns.clone())
        .unwrap_or_default();
    if !t
        .primary_key
        .iter()
        .copied()
        .eq(found_pk.iter().map(String::as_str))
    {
        out.push(Difference::PrimaryKey {
            table: t.display_name(),
            expected: strings(t.primary_key),
            found: found_pk,
        });
    }

    for idx in t.indexes {
        let expected = IndexShape {
            columns: idx.key_expressions(),
            unique: idx.unique,
            predicate: t.index_predicate(idx),
            nulls_not_distinct: idx.nulls_not_distinct,
            method: if idx.search.is_some() { "gin" } else { "btree" }.to_owned(),
        };
        let Some(f) = found.iter().find(|f| f.name == idx.name) else {
            out.push(Difference::MissingIndex {
                table: t.display_name(),
                index: idx.name.to_owned(),
                expected,
            });
            continue;
        };
        // A search index's expression is compared without identifier quotes, which PostgreSQL
        // prints only where a name needs them; its method must be GIN. (Other indexes' methods
        // are not compared.)
        let same_columns = if idx.search.is_some() {
            let bare = |s: &str| s.replace('"', "");
            expected
                .columns
                .iter()
                .map(|c| bare(c))
                .eq(f.columns.iter().map(|c| bare(c)))
                && f.method == "gin"
        } else {
            idx.columns
                .iter()
                .copied()
                .eq(f.columns.iter().map(String::as_str))
        };
        let same_predicate = expected.predicate.as_deref().map(normalize::expression)
            == f.predicate.as_deref().map(normalize::expression);
        if !same_columns
            || idx.unique != f.unique
            || !same_predicate
            || idx.nulls_not_distinct != f.nulls_not_distinct
        {
            out.push(Difference::IndexDefinition {
                table: t.display_name(),
                index: idx.name.to_owned(),
                expected,
                found: f.shape(),
            });
        }
    }

    for f in found {
        if f.unique && !f.primary && !t.indexes.iter().any(|i| i.name == f.name) {
            out.push(Difference::ExtraUniqueIndex {
                table: t.display_name(),
                index: f.name.clone(),
                found: f.shape(),
            });
        }
    }
}

/// The declared type as the catalog spells it, without the quotes `Display` puts around enum
/// type names: `text`, `user_organization_role`, `text[]`.
fn type_name(t: &SqlType) -> String {
    let mut s = t.name.to_owned();
    if t.array {
        s.push_str("[]");
    }
    s
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Catalog queries. Each takes every table (as a quoted relation name) or type name at once,
/// resolves it with `to_regclass` / `to_regtype` (through the `search_path` when it has no
/// schema), and returns what it found by that name.
mod catalog {
    use super::*;

    pub(super) struct Column {
        pub(super) name: String,
        pub(super) type_name: String,
        pub(super) nullable: bool,
        pub(super) default: Option<String>,
    }

    pub(super) struct Index {
        pub(super) name: String,
        pub(super) columns: Vec<String>,
        pub(super) unique: bool,
        pub(super) primary: bool,
        pub(super) predicate: Option<String>,
        pub(super) nulls_not_distinct: bool,
        pub(super) method: String,
    }

    impl Index {
        pub(super) fn shape(&self) -> IndexShape {
            IndexShape {
                columns: self.columns.clone(),
                unique: self.unique,
                predicate: self.predicate.clone(),
                nulls_not_distinct: self.nulls_not_distinct,
                method: self.method.clone(),
            }
        }
    }

    /// Enum types by name, with their labels in sort order.
    pub(super) async fn enums(
        on: &impl Executor,
        names: &[&str],
    ) -> Result<HashMap<String, Vec<String>>> {
        const SQL: &str = "SELECT n.name, \
                    ARRAY(SELECT e.enumlabel::text FROM pg_enum e \
                          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) \
             FROM unnest($1::text[]) AS n(name) \
             JOIN pg_type t ON t.oid = to_regtype(quote_ident(n.name)) AND t.typtype = 'e'";
        let rows = on.__query(SQL, &[&names]).await?;
        rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }

    /// The names among `names` that are tables (plain or partitioned).
    pub(super) async fn tables(on: &impl Executor, names: &[&str]) -> Result<Vec<String>> {
        const SQL: &str = "SELECT n.name FROM unnest($1::text[]) AS n(name) \
             JOIN pg_class c ON c.oid = to_regclass(n.name) \
             WHERE c.relkind IN ('r', 'p')";
        let rows = on.__query(SQL, &[&names]).await?;
        rows.iter().map(|r| get(r, 0)).collect()
    }

    /// Live columns by table, in position order.
    pub(super) async fn columns(
        on: &impl Executor,
        names: &[&str],
    ) -> Result<HashMap<String, Vec<Column>>> {
        const SQL: &str = "SELECT n.name, a.attname::text, format_type(a.atttypid, a.atttypmod), \
                    NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid) \
             FROM unnest($1::text[]) AS n(name) \
             JOIN pg_attribute a ON a.attrelid = to_regclass(n.name) \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY n.name, a.attnum";
        let rows = on.__query(SQL, &[&names]).await?;
        let mut out: HashMap<String, Vec<Column>> = HashMap::new();
        for r in &rows {
            out.entry(get(r, 0)?).or_default().push(Column {
                name: get(r, 1)?,
                type_name: get(r, 2)?,
                nullable: get(r, 3)?,
                default: get(r, 4)?,
            });
        }
        Ok(out)
    }

    /// Indexes by table: key columns (or expressions) in order, uniqueness and predicate.
    pub(super) async fn indexes(
        on: &impl Executor,
        names: &[&str],
    ) -> Result<HashMap<String, Vec<Index>>> {
        const SQL: &str = "SELECT n.name, ic.relname::text, \
                    ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) \
                          FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k), \
                    i.indisunique, i.indisprimary, pg_get_expr(i.indpred, i.indrelid), \
                    i.indnullsnotdistinct, \
                    (SELECT a.amname::text FROM pg_am a WHERE a.oid = ic.relam) \
             FROM unnest($1::text[]) AS n(name) \
             JOIN pg_index i ON i.indrelid = to_regclass(n.name) \
             JOIN pg_class ic ON ic.oid = i.indexrelid \
             ORDER BY n.name, ic.relname";
        let rows = on.__query(SQL, &[&names]).await?;
        let mut out: HashMap<String, Vec<Index>> = HashMap::new();
        for r in &rows {
            out.entry(get(r, 0)?).or_default().push(Index {
                name: get(r, 1)?,
                columns: get::<Vec<String>>(r, 2)?
                    .iter()
                    .map(|c| normalize::unquote(c))
                    .collect(),
                unique: get(r, 3)?,
                primary: get(r, 4)?,
                predicate: get(r, 5)?,
                nulls_not_distinct: get(r, 6)?,
                method: get(r, 7)?,
            });
        }
        Ok(out)
    }

    fn get<'r, T: FromSql<'r>>(row: &'r Row, idx: usize) -> Result<T> {
        row.try_get(idx).map_err(Error::from_pg)
    }
}

/// The normalisation of SQL text described in the [module docs](super).
mod normalize {
    /// Whether a declared default and a catalog default mean the same, given the column's
    /// declared and actual type names.
    pub(super) fn same_default(
        expected: Option<&str>,
        found: Option<&str>,
        types: &[String],
    ) -> bool {
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
        let mut out = vec![t.clone()];
        if let (Some(open), Some(close)) = (t.find('('), t.rfind(')'))
            && open < close
        {
            out.push(format!("{}{}", &t[..open], &t[close + 1..]));
        }
        out
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
    fn literal_end(s: &str) -> Option<usize> {
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
    pub(super) fn type_name(text: &str) -> String {
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
    pub(super) fn expression(expr: &str) -> String {
        let mut s = sql(expr);
        while s.starts_with('(') && closing_paren(&s) == Some(s.len() - 1) {
            s = s[1..s.len() - 1].to_owned();
        }
        s
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
    pub(super) fn sql(text: &str) -> String {
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
    pub(super) fn unquote(text: &str) -> String {
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
                Some(
                    r#"'{"selectedId":null,"palettes":[],"selectedDictionaryPalette":null}'::jsonb"#
                ),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DateTime, Enum, Table, Utc, Uuid};

    #[derive(crate::Enum, Debug, Clone, Copy, PartialEq)]
    #[pg_enum(name = "member_role")]
    enum MemberRole {
        Owner,
        Viewer,
    }

    #[expect(dead_code, reason = "only the declaration is read")]
    #[derive(crate::Table)]
    #[table(name = "users")]
    struct User {
        #[column(primary_key)]
        id: Uuid,
        #[column(unique)]
        email: String,
        #[column(soft_delete)]
        deleted_at: Option<DateTime<Utc>>,
    }

    #[expect(dead_code, reason = "only the declaration is read")]
    #[derive(crate::Table)]
    #[table(name = "members", primary_key(org_id, user_id))]
    struct Member {
        org_id: Uuid,
        user_id: Uuid,
        role: MemberRole,
    }

    static TABLES: &[&TableMeta] = &[<User as Table>::META, <Member as Table>::META];
    static ENUMS: &[&EnumMeta] = &[<MemberRole as Enum>::META];

    #[test]
    fn ddl_lists_enums_before_tables_with_partial_unique_indexes() {
        let sql = ddl(TABLES, ENUMS);
        let enum_at = sql.find("CREATE TYPE \"member_role\"");
        let table_at = sql.find("CREATE TABLE \"members\"");
        assert!(
            enum_at.is_some() && table_at.is_some() && enum_at < table_at,
            "{sql}"
        );
        assert!(
            sql.contains(
                "CREATE UNIQUE INDEX \"users_email_key\" ON \"users\" (\"email\") WHERE \"deleted_at\" IS NULL;"
            ),
            "{sql}"
        );
        assert!(
            sql.contains("PRIMARY KEY (\"org_id\", \"user_id\")"),
            "{sql}"
        );
        assert_eq!(sql.matches("CREATE TYPE").count(), ENUMS.len());
        assert_eq!(sql.matches("CREATE TABLE").count(), TABLES.len());
    }

    #[test]
    fn differences_name_table_and_column() {
        let d = Difference::ColumnType {
            table: "users".into(),
            column: "name".into(),
            expected: "text".into(),
            found: "character varying(20)".into(),
        };
        assert_eq!(
            d.to_string(),
            "column `users.name`: expected type text, found character varying(20)"
        );
        let d = Difference::IndexDefinition {
            table: "users".into(),
            index: "users_email_key".into(),
            expected: IndexShape {
                columns: vec!["email".into()],
                unique: true,
                predicate: Some("\"deleted_at\" IS NULL".into()),
                nulls_not_distinct: false,
                method: "btree".into(),
            },
            found: IndexShape {
                columns: vec!["email".into()],
                unique: true,
                predicate: None,
                nulls_not_distinct: false,
                method: "btree".into(),
            },
        };
        assert_eq!(
            d.to_string(),
            "index `users_email_key` on `users`: expected UNIQUE (email) WHERE \"deleted_at\" IS NULL, found UNIQUE (email)"
        );
    }
}
