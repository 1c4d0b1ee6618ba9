//! Statements whose shape is fixed per table, rendered once and reused for every call.

use std::borrow::Cow;

use crate::meta::TableMeta;
use crate::sql::{Writer, push_placeholder, write_ident, write_table};
use crate::table::{Key, Table};

use super::from::{Visibility, soft_delete_filter};

/// The fixed-shape statements of one table; the derive keeps one instance per table in a
/// `OnceLock`, so they are rendered once per process.
#[doc(hidden)]
pub struct Statements {
    pub(crate) meta: &'static TableMeta,
    /// `"t"."a", "t"."b", …` in declaration order: rows decode by position.
    pub(crate) columns: String,
    /// `SELECT … WHERE <key>` plus the visibility predicate, per [`Visibility`].
    pub(crate) find: [String; 3],
    pub(crate) soft_delete: String,
    pub(crate) restore: String,
    pub(crate) delete: String,
    /// The soft-delete predicate per [`Visibility`] (`None` when it filters nothing).
    pub(crate) visibility: [Option<String>; 3],
    /// `INSERT INTO "t" (<insertable columns>)`.
    pub(crate) insert_head: String,
    /// Per insertable column, in order: whether it has a default.
    pub(crate) insert_defaults: Vec<bool>,
    /// The one-row insert of a row that leaves every column with a default to it (the usual
    /// case: a generated key, flags with a default): `INSERT INTO "t" (…) VALUES ($1, DEFAULT,
    /// $2, …)`, the values numbered in column order. Exactly what rendering such a row writes.
    pub(crate) insert_one_defaulted: String,
    /// The same with ` RETURNING <columns>`: the whole statement of `T::insert(row)`.
    pub(crate) insert_one_returning: String,
    /// `INSERT INTO "t" (…) SELECT … FROM UNNEST($1::type[], …) AS "u"(…)`, when every insertable
    /// column can be unnested (array-typed columns cannot).
    pub(crate) insert_unnest: Option<String>,
    /// The same without the columns that have a default, for batches where every row leaves
    /// them to it (the usual case: generated keys, flags with a default).
    pub(crate) insert_unnest_no_defaults: Option<String>,
}

impl Statements {
    /// Renders the statements of `meta`.
    pub fn new(meta: &'static TableMeta) -> Statements {
        let t = meta.name;
        let mut columns = String::new();
        for (i, c) in meta.columns.iter().enumerate() {
            if i > 0 {
                columns.push_str(", ");
            }
            push_qualified(&mut columns, t, c.name);
        }
        let returning = format!(" RETURNING {columns}");
        let mut select = format!("SELECT {columns} FROM ");
        let _ = write_table(&mut select, meta);

        let key = key_predicate(meta, 1);
        let find = Visibility::ALL.map(|v| match soft_delete_filter(meta, Some(t), v) {
            Some(p) => format!("{select} WHERE {key} AND {p}"),
            None => format!("{select} WHERE {key}"),
        });

        let mut update_head = String::from("UPDATE ");
        let _ = write_table(&mut update_head, meta);
        let (soft_delete, restore) = match meta.soft_delete_column() {
            Some(sd) => {
                let mut set_deleted = String::new();
                let _ = write_ident(&mut set_deleted, sd.name);
                let touch = meta
                    .updated_at_column()
                    .map(|u| {
                        let mut s = String::from(", ");
                        let _ = write_ident(&mut s, u.name);
                        s.push_str(" = now()");
                        s
                    })
                    .unwrap_or_default();
                let live = predicate(meta, Visibility::Live).unwrap_or_default();
                let deleted = predicate(meta, Visibility::OnlyDeleted).unwrap_or_default();
                (
                    format!(
                        "{update_head} SET {set_deleted} = now(){touch} WHERE {key} AND {live}{returning}"
                    ),
                    format!(
                        "{update_head} SET {set_deleted} = NULL{touch} WHERE {key} AND {deleted}{returning}"
                    ),
                )
            }
            None => (String::new(), String::new()),
        };
        let mut delete = String::from("DELETE FROM ");
        let _ = write_table(&mut delete, meta);
        delete.push_str(&format!(" WHERE {key}{returning}"));

        let mut insert_head = String::from("INSERT INTO ");
        let _ = write_table(&mut insert_head, meta);
        insert_head.push_str(" (");
        let insertable: Vec<_> = meta.columns.iter().filter(|c| c.insertable()).collect();
        for (i, c) in insertable.iter().enumerate() {
            if i > 0 {
                insert_head.push_str(", ");
            }
            let _ = write_ident(&mut insert_head, c.name);
        }
        insert_head.push(')');
        let mut insert_one_defaulted = format!("{insert_head} VALUES (");
        let mut bound = 0;
        for (i, c) in insertable.iter().enumerate() {
            if i > 0 {
                insert_one_defaulted.push_str(", ");
            }
            if c.default.is_some() {
                insert_one_defaulted.push_str("DEFAULT");
            } else {
                bound += 1;
                push_placeholder(&mut insert_one_defaulted, bound);
            }
        }
        insert_one_defaulted.push(')');
        let insert_one_returning = format!("{insert_one_defaulted}{returning}");
        let insert_defaults: Vec<bool> = insertable.iter().map(|c| c.default.is_some()).collect();

        let unnestable = !insertable.iter().any(|c| c.sql_type.array);
        let insert_unnest = unnestable.then(|| unnest_insert(meta, &vec![true; insertable.len()]));
        let defaults_left: Vec<bool> = insert_defaults.iter().map(|d| !d).collect();
        let insert_unnest_no_defaults = unnestable.then(|| unnest_insert(meta, &defaults_left));

        let visibility = Visibility::ALL.map(|v| predicate(meta, v));
        Statements {
            meta,
            visibility,
            columns,
            find,
            soft_delete,
            restore,
            delete,
            insert_head,
            insert_defaults,
            insert_one_defaulted,
            insert_one_returning,
            insert_unnest,
            insert_unnest_no_defaults,
        }
    }

    /// The `UNNEST` insert of the insertable columns `keep` says to keep (in order), for a
    /// batch that leaves the others to their defaults: one of the two rendered ones, else
    /// rendered now (the text is the prepared-statement cache's key: one statement per shape).
    pub(crate) fn insert_unnest_for(&self, keep: &[bool]) -> Option<Cow<'_, str>> {
        let full = self.insert_unnest.as_deref()?;
        if keep.iter().all(|k| *k) {
            return Some(Cow::Borrowed(full));
        }
        if self.leaves_the_defaults(keep.iter().map(|k| !k)) {
            return self.insert_unnest_no_defaults.as_deref().map(Cow::Borrowed);
        }
        Some(Cow::Owned(unnest_insert(self.meta, keep)))
    }

    /// The one-row `INSERT … VALUES (…)` for a row with `values` (one per insertable column,
    /// in order, `None` for `DEFAULT`), when it is the one rendered up front: the row leaves
    /// exactly the columns with a default to it.
    pub(crate) fn insert_one_for<V>(&self, values: &[Option<V>]) -> Option<&str> {
        self.leaves_the_defaults(values.iter().map(Option::is_none))
            .then_some(self.insert_one_defaulted.as_str())
    }

    /// Whether `left` (per insertable column, in order: left to its default) is exactly the
    /// columns with a default.
    fn leaves_the_defaults(&self, left: impl ExactSizeIterator<Item = bool>) -> bool {
        left.len() == self.insert_defaults.len()
            && left.zip(&self.insert_defaults).all(|(l, d)| l == *d)
    }

    pub(crate) fn returning(&self, w: &mut Writer<'_>) {
        w.push(" RETURNING ");
        w.push(&self.columns);
    }

    /// The statement without its `RETURNING` list, for `execute()`: nobody reads the rows, so
    /// the server need not send them.
    pub(crate) fn without_returning<'a>(&self, sql: Cow<'a, str>) -> Cow<'a, str> {
        let cut = |s: &str| {
            s.strip_suffix(self.columns.as_str())
                .and_then(|s| s.strip_suffix(" RETURNING "))
                .map(str::len)
        };
        match sql {
            Cow::Borrowed(s) => Cow::Borrowed(cut(s).map_or(s, |n| &s[..n])),
            Cow::Owned(mut s) => {
                if let Some(n) = cut(&s) {
                    s.truncate(n);
                }
                Cow::Owned(s)
            }
        }
    }

    /// The soft-delete predicate for `v`, rendered once per table.
    pub(crate) fn visible(&self, v: Visibility) -> Option<&str> {
        self.visibility[v.index()].as_deref()
    }

    pub(crate) fn key_count(&self) -> usize {
        self.meta.primary_key.len()
    }
}

fn push_qualified(s: &mut String, table: &str, column: &str) {
    let _ = write_ident(s, table);
    s.push('.');
    let _ = write_ident(s, column);
}

/// `"t"."k1" = $first AND "t"."k2" = $first+1 …`
pub(crate) fn key_predicate(meta: &TableMeta, first: usize) -> String {
    let mut s = String::new();
    for (i, k) in meta.primary_key.iter().enumerate() {
        if i > 0 {
            s.push_str(" AND ");
        }
        push_qualified(&mut s, meta.name, k);
        s.push_str(&format!(" = ${}", first + i));
    }
    s
}

/// The soft-delete predicate of `meta` for `v`, if it filters anything.
fn predicate(meta: &TableMeta, v: Visibility) -> Option<String> {
    soft_delete_filter(meta, Some(meta.name), v).map(|p| p.to_string())
}

/// Writes `"t"."k1" = $n AND "t"."k2" = $n+1 …` binding the parts of `key`.
pub(crate) fn write_key<'a, T: Table>(w: &mut Writer<'a>, key: &'a T::Key) {
    let mut params = Vec::new();
    key.__bind(&mut params);
    for (i, (k, p)) in T::META.primary_key.iter().zip(params).enumerate() {
        if i > 0 {
            w.push(" AND ");
        }
        w.qualified(T::META.name, k);
        w.push(" = ");
        w.bind(p);
    }
}

/// `INSERT INTO "t" (…) SELECT … FROM UNNEST($1::type[], …) AS "u"(…)` over the insertable
/// columns `keep` says to keep; a kept column with a default is `COALESCE`d with it, as its
/// array holds `NULL` for the rows that leave it to the default.
fn unnest_insert(meta: &'static TableMeta, keep: &[bool]) -> String {
    let columns: Vec<_> = meta
        .columns
        .iter()
        .filter(|c| c.insertable())
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    let mut s = String::from("INSERT INTO ");
    let _ = crate::sql::write_table(&mut s, meta);
    s.push_str(" (");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write_ident(&mut s, c.name);
    }
    s.push_str(") SELECT ");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let mut col = String::from("\"u\".");
        let _ = write_ident(&mut col, c.name);
        match c.default {
            Some(d) => s.push_str(&format!("COALESCE({col}, {d})")),
            None => s.push_str(&col),
        }
    }
    s.push_str(" FROM UNNEST(");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&format!("${}::{}[]", i + 1, c.sql_type));
    }
    s.push_str(") AS \"u\"(");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write_ident(&mut s, c.name);
    }
    s.push(')');
    s
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use crate::{DateTime, Table, Utc, Uuid};

    /// A soft-deletable table of the tests' own.
    #[derive(crate::Table, Debug, Clone, PartialEq)]
    #[table(name = "notes")]
    struct Note {
        #[column(primary_key, default = "gen_random_uuid()")]
        id: Uuid,
        body: String,
        #[column(updated_at)]
        updated_at: DateTime<Utc>,
        #[column(soft_delete)]
        deleted_at: Option<DateTime<Utc>>,
    }

    #[test]
    fn execute_drops_only_a_trailing_returning_list() {
        let stmts = Note::__statements();
        let soft_delete = stmts.without_returning(Cow::Borrowed(stmts.soft_delete.as_str()));
        assert_eq!(
            soft_delete,
            "UPDATE \"notes\" SET \"deleted_at\" = now(), \"updated_at\" = now() \
             WHERE \"notes\".\"id\" = $1 AND \"notes\".\"deleted_at\" IS NULL"
        );
        let find = stmts.without_returning(Cow::Owned(stmts.find[0].clone()));
        assert_eq!(find, stmts.find[0]);
    }

    #[test]
    fn find_renders_the_soft_delete_predicate_per_visibility() {
        let stmts = Note::__statements();
        let head = "SELECT \"notes\".\"id\", \"notes\".\"body\", \"notes\".\"updated_at\", \
                    \"notes\".\"deleted_at\" FROM \"notes\" WHERE \"notes\".\"id\" = $1";
        assert_eq!(
            stmts.find,
            [
                format!("{head} AND \"notes\".\"deleted_at\" IS NULL"),
                head.to_owned(),
                format!("{head} AND \"notes\".\"deleted_at\" IS NOT NULL"),
            ]
        );
    }
}
