//! Catalog queries. Each takes every table (as a quoted relation name) or type name at once,
//! resolves it with `to_regclass` / `to_regtype` (through the `search_path` when it has no
//! schema), and returns what it found by that name.
use std::collections::HashMap;

use postgres_types::FromSql;
use tokio_postgres::Row;

use super::IndexShape;
use crate::meta::ForeignKeyAction;
use crate::{Error, Executor, Result};

pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) type_name: String,
    pub(crate) nullable: bool,
    pub(crate) default: Option<String>,
}

pub(crate) struct Index {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    pub(crate) unique: bool,
    pub(crate) primary: bool,
    pub(crate) predicate: Option<String>,
    pub(crate) nulls_not_distinct: bool,
    pub(crate) method: String,
}

impl Index {
    pub(crate) fn shape(&self) -> IndexShape {
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
pub(crate) async fn enums(
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
pub(crate) async fn tables(on: &impl Executor, names: &[&str]) -> Result<Vec<String>> {
    const SQL: &str = "SELECT n.name FROM unnest($1::text[]) AS n(name) \
         JOIN pg_class c ON c.oid = to_regclass(n.name) \
         WHERE c.relkind IN ('r', 'p')";
    let rows = on.__query(SQL, &[&names]).await?;
    rows.iter().map(|r| get(r, 0)).collect()
}

/// Live columns by table, in position order.
pub(crate) async fn columns(
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
pub(crate) async fn indexes(
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
                .map(|c| super::normalize::unquote(c))
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

/// A foreign key as the catalog has it.
pub(crate) struct ForeignKey {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    /// The referenced table's schema and name.
    pub(crate) schema: String,
    pub(crate) table: String,
    pub(crate) references: Vec<String>,
    /// `pg_constraint.confdeltype` / `confupdtype`: `a` no action, `r` restrict, `c` cascade,
    /// `n` set null, `d` set default.
    pub(crate) on_delete: ForeignKeyAction,
    pub(crate) on_update: ForeignKeyAction,
    /// `pg_get_constraintdef`.
    pub(crate) definition: String,
}

/// A CHECK constraint as the catalog has it.
pub(crate) struct Check {
    pub(crate) name: String,
    /// `pg_get_constraintdef`: `CHECK ((length(title) > 0))`.
    pub(crate) definition: String,
}

/// Foreign keys by table, by constraint name.
pub(crate) async fn foreign_keys(
    on: &impl Executor,
    names: &[&str],
) -> Result<HashMap<String, Vec<ForeignKey>>> {
    const SQL: &str = "SELECT n.name, c.conname::text, \
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, ord) \
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num \
                      ORDER BY k.ord), \
                rn.nspname::text, r.relname::text, \
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, ord) \
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num \
                      ORDER BY k.ord), \
                c.confdeltype::text, c.confupdtype::text, pg_get_constraintdef(c.oid) \
         FROM unnest($1::text[]) AS n(name) \
         JOIN pg_constraint c ON c.conrelid = to_regclass(n.name) AND c.contype = 'f' \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace rn ON rn.oid = r.relnamespace \
         ORDER BY n.name, c.conname";
    let rows = on.__query(SQL, &[&names]).await?;
    let mut out: HashMap<String, Vec<ForeignKey>> = HashMap::new();
    for r in &rows {
        out.entry(get(r, 0)?).or_default().push(ForeignKey {
            name: get(r, 1)?,
            columns: get(r, 2)?,
            schema: get(r, 3)?,
            table: get(r, 4)?,
            references: get(r, 5)?,
            on_delete: action(&get::<String>(r, 6)?),
            on_update: action(&get::<String>(r, 7)?),
            definition: get(r, 8)?,
        });
    }
    Ok(out)
}

fn action(code: &str) -> ForeignKeyAction {
    match code {
        "r" => ForeignKeyAction::Restrict,
        "c" => ForeignKeyAction::Cascade,
        "n" => ForeignKeyAction::SetNull,
        "d" => ForeignKeyAction::SetDefault,
        _ => ForeignKeyAction::NoAction,
    }
}

/// CHECK constraints by table, by name.
pub(crate) async fn checks(
    on: &impl Executor,
    names: &[&str],
) -> Result<HashMap<String, Vec<Check>>> {
    const SQL: &str = "SELECT n.name, c.conname::text, pg_get_constraintdef(c.oid) \
         FROM unnest($1::text[]) AS n(name) \
         JOIN pg_constraint c ON c.conrelid = to_regclass(n.name) AND c.contype = 'c' \
         ORDER BY n.name, c.conname";
    let rows = on.__query(SQL, &[&names]).await?;
    let mut out: HashMap<String, Vec<Check>> = HashMap::new();
    for r in &rows {
        out.entry(get(r, 0)?).or_default().push(Check {
            name: get(r, 1)?,
            definition: get(r, 2)?,
        });
    }
    Ok(out)
}

/// The tables (plain or partitioned) of `schema`, as quoted relation names (`"users"` in the
/// first schema of the `search_path`, `"vault"."secrets"` elsewhere, as `regclass` prints
/// them), sorted by name; the migrations' bookkeeping table is left out.
pub(crate) async fn tables_in_schema(on: &impl Executor, schema: &str) -> Result<Vec<String>> {
    const SQL: &str = "SELECT c.oid::regclass::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
           AND c.relname <> 'buster_db_migrations' \
         ORDER BY c.relname";
    let rows = on.__query(SQL, &[&schema]).await?;
    rows.iter().map(|r| get(r, 0)).collect()
}

/// The enum types of `schema` with their labels in sort order, sorted by name.
pub(crate) async fn enums_in_schema(
    on: &impl Executor,
    schema: &str,
) -> Result<Vec<(String, Vec<String>)>> {
    const SQL: &str = "SELECT t.typname::text, \
                ARRAY(SELECT e.enumlabel::text FROM pg_enum e \
                      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = $1 AND t.typtype = 'e' \
         ORDER BY t.typname";
    let rows = on.__query(SQL, &[&schema]).await?;
    rows.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
}

fn get<'r, T: FromSql<'r>>(row: &'r Row, idx: usize) -> Result<T> {
    row.try_get(idx).map_err(Error::from_pg)
}

// What `pull` reads: the catalog queries above, plus comments, identity and generated columns
// and index definitions, gathered into its `Introspection`. This module is private to the drift
// check, so the gathering is a method of that type, written here beside the queries it runs.

impl crate::pull::introspect::Introspection {
    /// Reads the tables and enum types of `schema`.
    pub(crate) async fn read(
        on: &impl Executor,
        schema: &str,
    ) -> Result<crate::pull::introspect::Introspection> {
        use crate::pull::introspect::{
            FoundColumn, FoundEnum, FoundIndex, FoundTable, Introspection,
        };

        let rows = on.__query("SELECT current_database()::text", &[]).await?;
        let database = match rows.first() {
            Some(row) => get(row, 0)?,
            None => String::new(),
        };
        let relations = tables_in_schema(on, schema).await?;
        let names: Vec<&str> = relations.iter().map(String::as_str).collect();
        let mut all_columns = columns(on, &names).await?;
        let mut all_indexes = indexes(on, &names).await?;
        let mut all_foreign_keys = foreign_keys(on, &names).await?;
        let mut all_checks = checks(on, &names).await?;
        let mut tables = pull_tables(on, &names).await?;
        let mut column_details = pull_column_details(on, &names).await?;
        let mut index_details = pull_index_details(on, &names).await?;
        let mut enum_details = pull_enum_details(on, schema).await?;

        let mut found_tables = Vec::new();
        for relation in &relations {
            let Some((name, comment)) = tables.remove(relation) else {
                continue;
            };
            let mut details = column_details.remove(relation).unwrap_or_default();
            let columns = all_columns
                .remove(relation)
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    let detail = details.remove(&c.name).unwrap_or_default();
                    FoundColumn {
                        name: c.name,
                        type_name: c.type_name,
                        nullable: c.nullable,
                        default: c.default,
                        comment: detail.comment,
                        identity: match detail.identity.as_str() {
                            "a" => Some("ALWAYS"),
                            "d" => Some("BY DEFAULT"),
                            _ => None,
                        },
                        generated: !detail.generated.is_empty(),
                    }
                })
                .collect();
            let mut index_detail = index_details.remove(relation).unwrap_or_default();
            let indexes = all_indexes
                .remove(relation)
                .unwrap_or_default()
                .into_iter()
                .map(|i| {
                    let (definition, plain_columns, default_options) =
                        index_detail.remove(&i.name).unwrap_or_default();
                    FoundIndex {
                        name: i.name,
                        columns: i.columns,
                        unique: i.unique,
                        primary: i.primary,
                        predicate: i.predicate,
                        nulls_not_distinct: i.nulls_not_distinct,
                        method: i.method,
                        definition,
                        plain_columns,
                        default_options,
                    }
                })
                .collect();
            let foreign_keys = all_foreign_keys.remove(relation).unwrap_or_default();
            let checks = all_checks.remove(relation).unwrap_or_default();
            found_tables.push(FoundTable {
                name,
                comment,
                columns,
                indexes,
                foreign_keys,
                checks,
            });
        }
        let enums = enums_in_schema(on, schema)
            .await?
            .into_iter()
            .map(|(name, labels)| {
                let (printed, comment) = enum_details
                    .remove(&name)
                    .unwrap_or_else(|| (name.clone(), None));
                FoundEnum {
                    name,
                    printed,
                    labels,
                    comment,
                }
            })
            .collect();
        Ok(Introspection {
            database,
            tables: found_tables,
            enums,
        })
    }
}

/// Bare names and comments of tables, by table.
async fn pull_tables(
    on: &impl Executor,
    names: &[&str],
) -> Result<HashMap<String, (String, Option<String>)>> {
    const SQL: &str = "SELECT n.name, c.relname::text, obj_description(c.oid, 'pg_class') \
         FROM unnest($1::text[]) AS n(name) \
         JOIN pg_class c ON c.oid = to_regclass(n.name)";
    let rows = on.__query(SQL, &[&names]).await?;
    rows.iter()
        .map(|r| Ok((get(r, 0)?, (get(r, 1)?, get(r, 2)?))))
        .collect()
}

/// A column's comment and its `attidentity` / `attgenerated` codes (empty when neither).
#[derive(Default)]
struct ColumnDetail {
    comment: Option<String>,
    identity: String,
    generated: String,
}

/// Column comments, identity and generation, by table, by column.
async fn pull_column_details(
    on: &impl Executor,
    names: &[&str],
) -> Result<HashMap<String, HashMap<String, ColumnDetail>>> {
    const SQL: &str = "SELECT n.name, a.attname::text, col_description(a.attrelid, a.attnum), \
                a.attidentity::text, a.attgenerated::text \
         FROM unnest($1::text[]) AS n(name) \
         JOIN pg_attribute a ON a.attrelid = to_regclass(n.name) \
         WHERE a.attnum > 0 AND NOT a.attisdropped";
    let rows = on.__query(SQL, &[&names]).await?;
    let mut out: HashMap<String, HashMap<String, ColumnDetail>> = HashMap::new();
    for r in &rows {
        out.entry(get(r, 0)?).or_default().insert(
            get(r, 1)?,
            ColumnDetail {
                comment: get(r, 2)?,
                identity: get(r, 3)?,
                generated: get(r, 4)?,
            },
        );
    }
    Ok(out)
}

/// Per index, by table, by index name: `pg_get_indexdef`, whether every key is a plain
/// column, and whether it has nothing beyond its keys and predicate (no `INCLUDE`, no
/// operator class, sort order or collation other than the default, valid).
async fn pull_index_details(
    on: &impl Executor,
    names: &[&str],
) -> Result<HashMap<String, HashMap<String, (String, bool, bool)>>> {
    const SQL: &str = "SELECT n.name, ic.relname::text, pg_get_indexdef(i.indexrelid), \
                NOT (0 = ANY (i.indkey::int2[])), \
                i.indisvalid AND i.indnatts = i.indnkeyatts \
                AND NOT EXISTS (SELECT 1 FROM unnest(i.indoption::int2[]) AS o(v) WHERE o.v <> 0) \
                AND NOT EXISTS (SELECT 1 FROM unnest(i.indclass::oid[]) AS k(opclass) \
                                JOIN pg_opclass oc ON oc.oid = k.opclass WHERE NOT oc.opcdefault) \
                AND NOT EXISTS (SELECT 1 \
                                FROM unnest(i.indkey::int2[], i.indcollation::oid[]) AS k(num, coll) \
                                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num \
                                WHERE k.coll <> a.attcollation) \
         FROM unnest($1::text[]) AS n(name) \
         JOIN pg_index i ON i.indrelid = to_regclass(n.name) \
         JOIN pg_class ic ON ic.oid = i.indexrelid";
    let rows = on.__query(SQL, &[&names]).await?;
    let mut out: HashMap<String, HashMap<String, (String, bool, bool)>> = HashMap::new();
    for r in &rows {
        out.entry(get(r, 0)?)
            .or_default()
            .insert(get(r, 1)?, (get(r, 2)?, get(r, 3)?, get(r, 4)?));
    }
    Ok(out)
}

/// The enum types of `schema` by name: how `format_type` prints each, and its comment.
async fn pull_enum_details(
    on: &impl Executor,
    schema: &str,
) -> Result<HashMap<String, (String, Option<String>)>> {
    const SQL: &str = "SELECT t.typname::text, format_type(t.oid, NULL), \
                obj_description(t.oid, 'pg_type') \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = $1 AND t.typtype = 'e'";
    let rows = on.__query(SQL, &[&schema]).await?;
    rows.iter()
        .map(|r| Ok((get(r, 0)?, (get(r, 1)?, get(r, 2)?))))
        .collect()
}
