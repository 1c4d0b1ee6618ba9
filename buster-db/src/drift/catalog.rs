//! Catalog queries. Each takes every table (as a quoted relation name) or type name at once,
//! resolves it with `to_regclass` / `to_regtype` (through the `search_path` when it has no
//! schema), and returns what it found by that name.
use std::collections::HashMap;

use postgres_types::FromSql;
use tokio_postgres::Row;

use super::IndexShape;
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

fn get<'r, T: FromSql<'r>>(row: &'r Row, idx: usize) -> Result<T> {
    row.try_get(idx).map_err(Error::from_pg)
}
