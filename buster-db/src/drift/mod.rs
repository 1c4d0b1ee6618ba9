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
//! - unique indexes the declarations do not know (they change what conflicts);
//! - foreign keys, by their columns: missing, extra, another target or action;
//! - CHECK constraints, by name: missing, extra, another expression.
//!
//! Not compared, because the metadata does not carry them: column order, index operator
//! classes and the method of indexes other than text-search ones, non-unique indexes that are
//! not declared, identity and generated columns.
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

use crate::executor::Sealed as _;

use crate::meta::{EnumMeta, SqlType, TableMeta};
use crate::{Db, Result};

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
    /// A declared foreign key (`references = ..`) does not exist: no foreign key of the
    /// table has the declared columns.
    MissingForeignKey {
        /// The table's name.
        table: String,
        /// The declared constraint name.
        name: String,
        /// The declared definition, `FOREIGN KEY ("a") REFERENCES "t" ("id") ..`.
        expected: String,
    },
    /// A foreign key of the declared columns references another table or column, or has
    /// other actions.
    ForeignKeyDefinition {
        /// The table's name.
        table: String,
        /// The constraint's name in the database.
        name: String,
        /// The declared definition.
        expected: String,
        /// The definition in the database, as `pg_get_constraintdef` prints it.
        found: String,
    },
    /// The database has a foreign key the declarations do not know.
    ExtraForeignKey {
        /// The table's name.
        table: String,
        /// The constraint's name.
        name: String,
        /// Its definition in the database.
        found: String,
    },
    /// A declared CHECK constraint does not exist (by name).
    MissingCheck {
        /// The table's name.
        table: String,
        /// The constraint's name.
        name: String,
        /// The declared expression.
        expected: String,
    },
    /// A CHECK constraint exists under its name with another expression.
    CheckDefinition {
        /// The table's name.
        table: String,
        /// The constraint's name.
        name: String,
        /// The declared expression.
        expected: String,
        /// The definition in the database, `CHECK (..)` as `pg_get_constraintdef` prints it.
        found: String,
    },
    /// The database has a CHECK constraint the declarations do not know.
    ExtraCheck {
        /// The table's name.
        table: String,
        /// The constraint's name.
        name: String,
        /// Its definition in the database.
        found: String,
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
            Difference::MissingForeignKey {
                table,
                name,
                expected,
            } => write!(
                f,
                "foreign key `{name}` on `{table}` is missing ({expected})"
            ),
            Difference::ForeignKeyDefinition {
                table,
                name,
                expected,
                found,
            } => write!(
                f,
                "foreign key `{name}` on `{table}`: expected {expected}, found {found}"
            ),
            Difference::ExtraForeignKey { table, name, found } => write!(
                f,
                "foreign key `{name}` on `{table}` ({found}) is in the database but not declared"
            ),
            Difference::MissingCheck {
                table,
                name,
                expected,
            } => write!(
                f,
                "check `{name}` on `{table}` is missing (CHECK ({expected}))"
            ),
            Difference::CheckDefinition {
                table,
                name,
                expected,
                found,
            } => write!(
                f,
                "check `{name}` on `{table}`: expected CHECK ({expected}), found {found}"
            ),
            Difference::ExtraCheck { table, name, found } => write!(
                f,
                "check `{name}` on `{table}` ({found}) is in the database but not declared"
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
    let relations: Vec<String> = tables.iter().map(|t| crate::sql::quoted_table(t)).collect();
    let names: Vec<&str> = relations.iter().map(String::as_str).collect();
    let existing = catalog::tables(&conn, &names).await?;
    let mut columns = catalog::columns(&conn, &names).await?;
    let mut indexes = catalog::indexes(&conn, &names).await?;
    let mut foreign_keys = catalog::foreign_keys(&conn, &names).await?;
    let mut checks = catalog::checks(&conn, &names).await?;
    drop(conn);
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
        let found_foreign_keys = foreign_keys.remove(relation).unwrap_or_default();
        compare_foreign_keys(t, &found_foreign_keys, &mut out);
        let found_checks = checks.remove(relation).unwrap_or_default();
        compare_checks(db, t, relation, &found_checks, &mut out).await?;
    }
    Ok(out)
}

fn compare_foreign_keys(t: &TableMeta, found: &[catalog::ForeignKey], out: &mut Vec<Difference>) {
    for fk in t.foreign_keys {
        let Some(f) = found.iter().find(|f| {
            fk.columns
                .iter()
                .copied()
                .eq(f.columns.iter().map(String::as_str))
        }) else {
            out.push(Difference::MissingForeignKey {
                table: t.display_name(),
                name: fk.name.to_owned(),
                expected: fk.definition(),
            });
            continue;
        };
        let target = (fk.table)();
        let same_table =
            f.table == target.name && target.schema.is_none_or(|schema| f.schema == schema);
        if !same_table
            || !fk
                .references
                .iter()
                .copied()
                .eq(f.references.iter().map(String::as_str))
            || fk.on_delete != f.on_delete
            || fk.on_update != f.on_update
        {
            out.push(Difference::ForeignKeyDefinition {
                table: t.display_name(),
                name: f.name.clone(),
                expected: fk.definition(),
                found: f.definition.clone(),
            });
        }
    }
    for f in found {
        let declared = t.foreign_keys.iter().any(|fk| {
            fk.columns
                .iter()
                .copied()
                .eq(f.columns.iter().map(String::as_str))
        });
        if !declared {
            out.push(Difference::ExtraForeignKey {
                table: t.display_name(),
                name: f.name.clone(),
                found: f.definition.clone(),
            });
        }
    }
}

/// Checks are matched by name. PostgreSQL re-prints a check's expression (parentheses,
/// casts, `IN` as `= ANY (ARRAY[..])`), so a declared expression that does not match the
/// catalog's text after [normalisation](normalize) is handed to the server to be printed the
/// same way: added to an empty copy of the table in a transaction that is rolled back. Where
/// that cannot be done (a read-only standby), the normalised texts are compared.
async fn compare_checks(
    db: &Db,
    t: &TableMeta,
    relation: &str,
    found: &[catalog::Check],
    out: &mut Vec<Difference>,
) -> Result<()> {
    let mut differing = Vec::new();
    for check in t.checks {
        match found.iter().find(|f| f.name == check.name) {
            None => out.push(Difference::MissingCheck {
                table: t.display_name(),
                name: check.name.to_owned(),
                expected: check.sql.to_owned(),
            }),
            Some(f) if !same_check(check.sql, &f.definition) => differing.push((check, f)),
            Some(_) => {}
        }
    }
    if !differing.is_empty() {
        let declared: Vec<_> = differing.iter().map(|(c, _)| *c).collect();
        let printed = server_printed_checks(db, relation, &declared).await;
        for (check, f) in differing {
            let same = printed
                .as_ref()
                .and_then(|p| p.get(check.name))
                .is_some_and(|p| normalize::expression(p) == normalize::expression(&f.definition));
            if !same {
                out.push(Difference::CheckDefinition {
                    table: t.display_name(),
                    name: check.name.to_owned(),
                    expected: check.sql.to_owned(),
                    found: f.definition.clone(),
                });
            }
        }
    }
    for f in found {
        if !t.checks.iter().any(|c| c.name == f.name) {
            out.push(Difference::ExtraCheck {
                table: t.display_name(),
                name: f.name.clone(),
                found: f.definition.clone(),
            });
        }
    }
    Ok(())
}

/// Whether a declared check expression and a catalog definition (`CHECK (..)`) read the same
/// after normalisation.
fn same_check(declared: &str, definition: &str) -> bool {
    let body = definition
        .trim()
        .strip_prefix("CHECK")
        .unwrap_or(definition);
    normalize::expression(declared) == normalize::expression(body)
}

/// The declared checks as the server prints them, by name; `None` when the server cannot be
/// asked (read-only, or an expression it rejects).
async fn server_printed_checks(
    db: &Db,
    relation: &str,
    checks: &[&crate::meta::CheckMeta],
) -> Option<HashMap<String, String>> {
    /// Carries the answer out of the transaction, which it rolls back.
    struct Rollback(Option<HashMap<String, String>>);
    impl From<crate::Error> for Rollback {
        fn from(_: crate::Error) -> Rollback {
            Rollback(None)
        }
    }
    let result: std::result::Result<(), Rollback> = db
        .try_transaction(async |tx| {
            tx.__execute(
                &format!(
                    "CREATE TEMP TABLE buster_db_check_shape (LIKE {relation}) ON COMMIT DROP"
                ),
                &[],
            )
            .await?;
            let mut names = Vec::new();
            for check in checks {
                let statement = format!(
                    "ALTER TABLE pg_temp.buster_db_check_shape ADD CONSTRAINT {} CHECK ({})",
                    crate::sql::quoted_ident(check.name),
                    check.sql
                );
                tx.__execute(&statement, &[]).await?;
                names.push(check.name);
            }
            let rows = tx
                .__query(
                    "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
                     WHERE conrelid = 'pg_temp.buster_db_check_shape'::regclass \
                       AND conname = ANY($1::text[])",
                    &[&names],
                )
                .await?;
            let mut printed = HashMap::new();
            for r in &rows {
                let name: String = r.try_get(0).map_err(crate::Error::from_pg)?;
                let definition: String = r.try_get(1).map_err(crate::Error::from_pg)?;
                printed.insert(name, definition);
            }
            Err(Rollback(Some(printed)))
        })
        .await;
    match result {
        Ok(()) => None,
        Err(Rollback(printed)) => printed,
    }
}

/// The DDL of `tables`: `CREATE SCHEMA IF NOT EXISTS` for the schemas the tables name,
/// `CREATE TYPE` for `enums` and for the enum types the tables use, then `CREATE TABLE` and
/// `CREATE INDEX` per table, in the order given.
///
/// Foreign keys come last, as `ALTER TABLE .. ADD CONSTRAINT`, so the tables may be given in
/// any order. This is the schema as the declarations state it: a reference to read and diff,
/// and what `generate` writes for a new table.
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
    let mut out = String::from("-- The schema as the table declarations state it.\n\n");
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
    let foreign_keys: String = tables.iter().map(|t| t.foreign_key_ddl()).collect();
    if !foreign_keys.is_empty() {
        out.push('\n');
        out.push_str(&foreign_keys);
    }
    out
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

pub(crate) mod catalog;

pub(crate) mod normalize;

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
