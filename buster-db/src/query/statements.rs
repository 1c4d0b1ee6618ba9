//! Statements whose shape is fixed per table, rendered once and reused for every call.

use std::borrow::Cow;

use crate::meta::TableMeta;
use crate::sql::{Writer, write_ident};

use super::Visibility;

/// The fixed-shape statements of one table; the derive keeps one instance per table in a
/// `OnceLock`, so they are rendered once per process.
#[doc(hidden)]
pub struct Statements {
    pub(crate) meta: &'static TableMeta,
    /// `"t"."a", "t"."b", …` in declaration order: rows decode by position.
    pub(crate) columns: String,
    /// `SELECT <columns> FROM "t"`.
    pub(crate) select: String,
    /// `SELECT … WHERE <key>` plus the visibility predicate, per [`Visibility`].
    pub(crate) find: [String; 3],
    pub(crate) soft_delete: String,
    pub(crate) restore: String,
    pub(crate) delete: String,
    /// The soft-delete predicate per [`Visibility`] (`None` when it filters nothing).
    pub(crate) visibility: [Option<String>; 3],
    /// `INSERT INTO "t" (<insertable columns>)`.
    pub(crate) insert_head: String,
    /// `INSERT INTO "t" (…) SELECT … FROM UNNEST($1::type[], …) AS "u"(…)`, when every insertable
    /// column can be unnested (array-typed columns cannot).
    pub(crate) insert_unnest: Option<String>,
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
        let _ = write_ident(&mut select, t);

        let key = key_predicate(meta, 1);
        let find = [
            Visibility::Live,
            Visibility::WithDeleted,
            Visibility::OnlyDeleted,
        ]
        .map(|v| {
            let mut s = format!("{select} WHERE {key}");
            if let Some(p) = visibility_predicate(meta, v) {
                s.push_str(" AND ");
                s.push_str(&p);
            }
            s
        });

        let mut update_head = String::from("UPDATE ");
        let _ = write_ident(&mut update_head, t);
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
                let live = visibility_predicate(meta, Visibility::Live).unwrap_or_default();
                let deleted =
                    visibility_predicate(meta, Visibility::OnlyDeleted).unwrap_or_default();
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
        let _ = write_ident(&mut delete, t);
        delete.push_str(&format!(" WHERE {key}{returning}"));

        let mut insert_head = String::from("INSERT INTO ");
        let _ = write_ident(&mut insert_head, t);
        insert_head.push_str(" (");
        let insertable: Vec<_> = meta.columns.iter().filter(|c| c.insertable()).collect();
        for (i, c) in insertable.iter().enumerate() {
            if i > 0 {
                insert_head.push_str(", ");
            }
            let _ = write_ident(&mut insert_head, c.name);
        }
        insert_head.push(')');

        let insert_unnest = if insertable.iter().any(|c| c.sql_type.array) {
            None
        } else {
            let mut s = format!("{insert_head} SELECT ");
            for (i, c) in insertable.iter().enumerate() {
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
            for (i, c) in insertable.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(&format!("${}::{}[]", i + 1, c.sql_type));
            }
            s.push_str(") AS \"u\"(");
            for (i, c) in insertable.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write_ident(&mut s, c.name);
            }
            s.push(')');
            Some(s)
        };

        let visibility = [
            Visibility::Live,
            Visibility::WithDeleted,
            Visibility::OnlyDeleted,
        ]
        .map(|v| visibility_predicate(meta, v));
        Statements {
            meta,
            visibility,
            columns,
            select,
            find,
            soft_delete,
            restore,
            delete,
            insert_head,
            insert_unnest,
        }
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

/// The soft-delete predicate for `v`, or `None` when the table has no soft-delete column or all
/// rows are visible.
pub(crate) fn visibility_predicate(meta: &TableMeta, v: Visibility) -> Option<String> {
    let sd = meta.soft_delete_column()?;
    let mut s = String::new();
    push_qualified(&mut s, meta.name, sd.name);
    match v {
        Visibility::Live => s.push_str(" IS NULL"),
        Visibility::OnlyDeleted => s.push_str(" IS NOT NULL"),
        Visibility::WithDeleted => return None,
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use crate::{DateTime, Table, Utc, Uuid};

    #[expect(dead_code, reason = "only the declaration is read")]
    #[derive(crate::Table)]
    #[table(name = "users")]
    struct User {
        #[column(primary_key)]
        id: Uuid,
        #[column(soft_delete)]
        deleted_at: Option<DateTime<Utc>>,
    }

    #[test]
    fn execute_drops_only_a_trailing_returning_list() {
        let stmts = User::__statements();
        let soft_delete = stmts.without_returning(Cow::Borrowed(stmts.soft_delete.as_str()));
        assert!(
            soft_delete.ends_with("\"users\".\"deleted_at\" IS NULL"),
            "{soft_delete}"
        );
        assert!(!soft_delete.contains("RETURNING"));
        let select = stmts.without_returning(Cow::Owned(stmts.select.clone()));
        assert_eq!(select, stmts.select);
    }
}
