//! Cross-field rules. Each says why it exists; each reports at the offending token.

use std::collections::HashMap;

use crate::ast::{self, Key, Managed, Table};
use crate::attr::{Attr, ColumnList};
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, t: &mut Table<'_>) {
    unique_column_names(cx, t);
    reserved_names(cx, t);
    managed_columns(cx, t);
    primary_key(cx, t);
    t.uniques = keys(cx, t, &t.attrs.unique, "unique", false);
    let nnd = keys(
        cx,
        t,
        &t.attrs.unique_nulls_not_distinct,
        "unique_nulls_not_distinct",
        true,
    );
    t.uniques.extend(nnd);
    for (i, c) in t.columns.iter().enumerate() {
        if c.attrs.unique.is_some() {
            t.uniques.push(Key {
                columns: vec![i],
                nulls_not_distinct: false,
            });
        }
    }
    t.indexes = keys(cx, t, &t.attrs.index, "index", false);
}

/// Two fields mapping to one column would make decoding and writes ambiguous.
fn unique_column_names(cx: &mut Ctxt, t: &Table<'_>) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for c in &t.columns {
        if let Some(first) = seen.insert(&c.name, c.ident) {
            cx.push(syn::Error::new(
                c.name_span,
                format!(
                    "fields `{first}` and `{}` both map to column `{}` of table `{}`",
                    c.ident, c.name, t.name
                ),
            ));
        }
    }
}

/// Managed columns are written by buster-db alone; each role exists at most once, has a fixed
/// type, and takes no caller default or key role that would contradict that.
fn managed_columns(cx: &mut Ctxt, t: &mut Table<'_>) {
    let mut created: Option<usize> = None;
    for (i, c) in t.columns.iter().enumerate() {
        let roles = [
            c.attrs.created_at.as_ref().map(|a| ("created_at", a.span)),
            c.attrs.updated_at.as_ref().map(|a| ("updated_at", a.span)),
            c.attrs
                .soft_delete
                .as_ref()
                .map(|a| ("soft_delete", a.span)),
        ];
        let roles: Vec<_> = roles.into_iter().flatten().collect();
        if roles.len() > 1 {
            cx.push(syn::Error::new(
                roles[1].1,
                format!(
                    "column `{}` cannot be both `{}` and `{}`",
                    c.name, roles[0].0, roles[1].0
                ),
            ));
        }
        if c.managed == Managed::No {
            continue;
        }
        if let Some(d) = &c.attrs.default {
            cx.push(syn::Error::new(
                d.span,
                format!(
                    "column `{}` is managed by buster-db and takes no `default`",
                    c.name
                ),
            ));
        }
        if let Some(u) = &c.attrs.unique {
            cx.push(syn::Error::new(
                u.span,
                format!(
                    "column `{}` is managed by buster-db and cannot be `unique`",
                    c.name
                ),
            ));
        }
        if let Some(pk) = &c.attrs.primary_key {
            cx.push(syn::Error::new(
                pk.span,
                format!(
                    "column `{}` is managed by buster-db and cannot be part of the primary key",
                    c.name
                ),
            ));
        }
        let (slot, role, role_span) = match c.managed {
            Managed::SoftDelete => (
                &mut t.soft_delete,
                "soft_delete",
                c.attrs.soft_delete.as_ref().map(|a| a.span),
            ),
            Managed::UpdatedAt => (
                &mut t.updated_at,
                "updated_at",
                c.attrs.updated_at.as_ref().map(|a| a.span),
            ),
            _ => (
                &mut created,
                "created_at",
                c.attrs.created_at.as_ref().map(|a| a.span),
            ),
        };
        if let Some(first) = *slot {
            cx.push(syn::Error::new(
                role_span.unwrap_or_else(|| c.ident.span()),
                format!(
                    "table `{}` already has a `{role}` column (`{}`); a table has at most one",
                    t.name, t.columns[first].name
                ),
            ));
        }
        *slot = Some(i);
        let is_timestamp = |ty: &syn::Type| {
            ast::last_segment(ty).is_some_and(|s| s.ident == "DateTime")
                && ast::generic_arg(ty)
                    .and_then(ast::last_segment)
                    .is_some_and(|s| s.ident == "Utc")
        };
        match c.managed {
            Managed::SoftDelete => {
                let ok = ast::is_option(c.ty) && ast::generic_arg(c.ty).is_some_and(is_timestamp);
                if !ok {
                    cx.error_spanned(
                        c.ty,
                        format!(
                            "column `{}` of table `{}` is marked `soft_delete`, so it must be `Option<DateTime<Utc>>`: NULL means live, a timestamp means deleted",
                            c.name, t.name
                        ),
                    );
                }
            }
            _ => {
                if !is_timestamp(c.ty) {
                    cx.error_spanned(
                        c.ty,
                        format!(
                            "column `{}` of table `{}` is marked `{role}`, so it must be `DateTime<Utc>` (NOT NULL, DEFAULT now())",
                            c.name, t.name
                        ),
                    );
                }
            }
        }
    }
}

/// Constants named after fields live on the struct; a field named like a query entry point
/// would hide that function (`User::select` would be the column, not the query).
fn reserved_names(cx: &mut Ctxt, t: &Table<'_>) {
    const RESERVED: &[&str] = &[
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
        "table",
        "alias",
        "primary_key",
        "META",
    ];
    for c in &t.columns {
        let name = c.ident.to_string();
        if RESERVED.contains(&name.as_str()) {
            cx.error_spanned(
                c.ident,
                format!(
                    "field `{name}` would hide `{}::{name}()`; rename the field and keep the column name with `#[column(name = \"{}\")]`",
                    t.ident, c.name
                ),
            );
        }
        if c.name.is_empty() {
            cx.push(syn::Error::new(
                c.name_span,
                "a column name cannot be empty",
            ));
        }
    }
    for r in &t.attrs.relations {
        let name = r.name.to_string();
        if RESERVED.contains(&name.as_str()) || t.columns.iter().any(|c| *c.ident == name) {
            cx.error_spanned(
                &r.name,
                format!(
                    "relation `{name}` would clash with `{}::{name}`; choose another name",
                    t.ident
                ),
            );
        }
    }
}

/// Exactly one primary key, declared in one place: finds, updates and soft deletes address rows
/// by it. A composite key is declared on the table, which fixes the order of its columns.
fn primary_key(cx: &mut Ctxt, t: &mut Table<'_>) {
    let marked: Vec<usize> = (0..t.columns.len())
        .filter(|&i| t.columns[i].attrs.primary_key.is_some())
        .collect();
    if let Some(table_pk) = &t.attrs.primary_key {
        for &i in &marked {
            if let Some(a) = &t.columns[i].attrs.primary_key {
                cx.push(syn::Error::new(
                    a.span,
                    "the primary key is already declared by `#[table(primary_key(..))]`; remove this `primary_key`",
                ));
            }
        }
        t.primary_key = resolve(cx, t, table_pk, "primary_key");
    } else if marked.len() > 1 {
        for &i in &marked[1..] {
            if let Some(a) = &t.columns[i].attrs.primary_key {
                let names: Vec<String> = marked
                    .iter()
                    .map(|&j| t.columns[j].ident.to_string())
                    .collect();
                cx.push(syn::Error::new(
                    a.span,
                    format!(
                        "table `{}` marks several fields `primary_key`; declare a composite key once, in order, with `#[table(primary_key({}))]`",
                        t.name,
                        names.join(", ")
                    ),
                ));
            }
        }
        t.primary_key = marked;
    } else if marked.is_empty() {
        cx.error_spanned(
            t.ident,
            format!(
                "table `{}` has no primary key: mark a field `#[column(primary_key)]` or declare `#[table(primary_key(a, b))]`",
                t.name
            ),
        );
    } else {
        t.primary_key = marked;
    }
    for &i in &t.primary_key {
        let c = &t.columns[i];
        if ast::is_option(c.ty) {
            cx.error_spanned(
                c.ty,
                format!(
                    "primary key column `{}` cannot be `Option`: keys are never NULL",
                    c.name
                ),
            );
        }
    }
    for &i in &t.primary_key {
        t.columns[i].primary_key = true;
    }
}

fn resolve(cx: &mut Ctxt, t: &Table<'_>, list: &Attr<ColumnList>, what: &str) -> Vec<usize> {
    if list.value.is_empty() {
        cx.push(syn::Error::new(
            list.span,
            format!("`{what}(..)` needs at least one field"),
        ));
    }
    let mut out = Vec::new();
    for ident in &list.value {
        match t.position(ident) {
            Some(i) if out.contains(&i) => cx.error_spanned(
                ident,
                format!("field `{ident}` appears twice in `{what}(..)`"),
            ),
            Some(i) => out.push(i),
            None => cx.error_spanned(
                ident,
                format!(
                    "`{what}(..)` names `{ident}`, which is not a field of `{}`",
                    t.ident
                ),
            ),
        }
    }
    out
}

fn keys(
    cx: &mut Ctxt,
    t: &Table<'_>,
    lists: &[Attr<ColumnList>],
    what: &str,
    nulls_not_distinct: bool,
) -> Vec<Key> {
    lists
        .iter()
        .map(|l| Key {
            columns: resolve(cx, t, l, what),
            nulls_not_distinct,
        })
        .filter(|k| !k.columns.is_empty())
        .collect()
}
