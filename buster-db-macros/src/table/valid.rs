//! Cross-field rules. Each says why it exists; each reports at the offending token. The rules
//! only read the IR: what the expansion needs is worked out when the IR is built.

use std::collections::HashMap;

use super::ast::{FieldList, KeyKind, Managed, Table};
use super::attr;
use super::ty;
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, t: &Table<'_>) {
    unique_column_names(cx, t);
    schema_name(cx, t);
    reserved_names(cx, t);
    managed_columns(cx, t);
    primary_key(cx, t);
    sql_types(cx, t);
    for list in &t.declared_keys {
        field_list(cx, t, list);
    }
    all_rows(cx, t);
    search_indexes(cx, t);
    foreign_keys(cx, t);
    checks(cx, t);
}

/// `on_delete` / `on_update` describe a foreign key, and `set null` needs a column that can
/// be NULL (PostgreSQL would fail the delete instead).
fn foreign_keys(cx: &mut Ctxt, t: &Table<'_>) {
    for c in &t.columns {
        let actions = [
            ("on_delete", &c.attrs.on_delete),
            ("on_update", &c.attrs.on_update),
        ];
        for (attr, action) in actions {
            let Some(action) = action else { continue };
            if c.attrs.references.is_none() {
                cx.push(syn::Error::new(
                    action.span,
                    format_args!(
                        "`{attr}` belongs to a foreign key: add `references = table::column` to `{}`",
                        c.ident
                    ),
                ));
            } else if action.value.0 == "SetNull" && !ty::is_option(c.ty) {
                cx.push(syn::Error::new(
                    action.span,
                    format_args!(
                        "`{attr} = \"set null\"` needs a nullable column: make `{}` an `Option<..>`",
                        c.ident
                    ),
                ));
            }
        }
    }
}

/// A table's constraints are found and compared by name, so each name is used once.
fn checks(cx: &mut Ctxt, t: &Table<'_>) {
    for (i, check) in t.checks.iter().enumerate() {
        if t.checks[..i].iter().any(|c| c.name == check.name) {
            cx.push(syn::Error::new(
                check.span,
                format_args!(
                    "a second `check` named `{}`: each check needs its own name",
                    check.name
                ),
            ));
        }
    }
}

/// A text-search index holds the words of one text column.
fn search_indexes(cx: &mut Ctxt, t: &Table<'_>) {
    for list in t
        .declared_keys
        .iter()
        .filter(|l| l.kind == KeyKind::SearchIndex)
    {
        if list.fields.len() != 1 {
            cx.push(syn::Error::new(
                list.span,
                "`search_index(..)` takes exactly one text column: declare one search index per column",
            ));
        }
    }
}

/// `all_rows` widens a unique key from the live rows to every row, which only means something
/// for a unique key of a soft-deletable table; anywhere else it would claim a choice that was
/// never there.
fn all_rows(cx: &mut Ctxt, t: &Table<'_>) {
    let lists = t.declared_primary_key.iter().chain(&t.declared_keys);
    let declared = lists.filter_map(|l| Some((l.kind, l.all_rows?)));
    let marked = t.columns.iter().filter_map(|c| {
        let unique = c.attrs.unique.as_ref()?;
        unique.value.then_some((KeyKind::Unique, unique.span))
    });
    for (kind, span) in declared.chain(marked) {
        let problem = match kind {
            KeyKind::PrimaryKey | KeyKind::Index | KeyKind::SearchIndex => format!(
                "`all_rows` applies to unique keys only; `{}(..)` already covers every row",
                kind.attribute()
            ),
            _ if t.soft_delete.is_none() => format!(
                "`all_rows`: table `{}` has no `soft_delete` column, so its unique keys already cover every row",
                t.name
            ),
            _ => continue,
        };
        cx.push(syn::Error::new(span, problem));
    }
}

/// A schema is named in every statement on the table; a plain identifier (letters, digits,
/// `_`, not starting with a digit) is what a schema made by hand or by another tool is called,
/// and anything else is far more likely a typo (`"vault.secrets"`, `"vault "`) than a name.
fn schema_name(cx: &mut Ctxt, t: &Table<'_>) {
    let Some(schema) = &t.schema else {
        return;
    };
    let name = schema.value.as_str();
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier || name.len() > 63 {
        let hint = match name.split_once('.') {
            Some((schema, table)) => {
                format!("; for a qualified table write `schema = \"{schema}\", name = \"{table}\"`")
            }
            None => String::new(),
        };
        cx.push(syn::Error::new(
            schema.span,
            format!(
                "schema `{name}` of table `{}` is not an identifier: expected letters, digits and `_`, not starting with a digit, at most 63 bytes{hint}",
                t.name
            ),
        ));
    }
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

/// A declared SQL type is written into DDL and casts as is, so it must read as a type name
/// (words, digits, a modifier in parentheses, `[]`) and nothing that could end or extend a
/// statement.
fn sql_types(cx: &mut Ctxt, t: &Table<'_>) {
    for c in &t.columns {
        let Some(declared) = &c.attrs.sql_type else {
            continue;
        };
        let text = declared.value.trim();
        let allowed = |ch: char| ch.is_ascii_alphanumeric() || " _(),.[]\"".contains(ch);
        let problem = if text.is_empty() {
            Some("is empty")
        } else if !text.chars().all(allowed) || text.contains("--") {
            Some("is not a type name")
        } else if !text.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '"') {
            Some("must start with a type name")
        } else {
            None
        };
        if let Some(problem) = problem {
            cx.push(syn::Error::new(
                declared.span,
                format!(
                    "`sql_type` of column `{}.{}` {problem}: expected a PostgreSQL type such as `varchar(255)`, `numeric(12, 2)` or `text[]`",
                    t.name, c.name
                ),
            ));
        }
    }
}

/// Managed columns are written by buster-db alone; each role exists at most once, has a fixed
/// type, and takes no caller default or key role that would contradict that.
fn managed_columns(cx: &mut Ctxt, t: &Table<'_>) {
    // The last column seen in each role, named when another column claims the role too.
    let (mut created, mut updated, mut soft_delete) = (None, None, None);
    for (i, c) in t.columns.iter().enumerate() {
        let roles = [
            ("created_at", attr::span(&c.attrs.created_at)),
            ("updated_at", attr::span(&c.attrs.updated_at)),
            ("soft_delete", attr::span(&c.attrs.soft_delete)),
        ];
        let roles: Vec<_> = roles
            .into_iter()
            .filter_map(|(role, span)| Some((role, span?)))
            .collect();
        if roles.len() > 1 {
            cx.push(syn::Error::new(
                roles[1].1,
                format!(
                    "column `{}.{}` cannot be both `{}` and `{}`",
                    t.name, c.name, roles[0].0, roles[1].0
                ),
            ));
        }
        if c.managed == Managed::No {
            continue;
        }
        let contradictions = [
            (attr::span(&c.attrs.default), "takes no `default`"),
            (attr::span(&c.attrs.unique), "cannot be `unique`"),
            (
                attr::span(&c.attrs.primary_key),
                "cannot be part of the primary key",
            ),
        ];
        for (span, what) in contradictions
            .into_iter()
            .filter_map(|(span, what)| Some((span?, what)))
        {
            cx.push(syn::Error::new(
                span,
                format!(
                    "column `{}.{}` is managed by buster-db and {what}",
                    t.name, c.name
                ),
            ));
        }
        let (slot, role, role_attr) = match c.managed {
            Managed::SoftDelete => (&mut soft_delete, "soft_delete", &c.attrs.soft_delete),
            Managed::UpdatedAt => (&mut updated, "updated_at", &c.attrs.updated_at),
            _ => (&mut created, "created_at", &c.attrs.created_at),
        };
        if let Some(previous) = slot.replace(i) {
            cx.push(syn::Error::new(
                attr::span(role_attr).unwrap_or_else(|| c.ident.span()),
                format!(
                    "table `{}` already has a `{role}` column (`{}`); a table has at most one",
                    t.name, t.columns[previous].name
                ),
            ));
        }
        if c.managed == Managed::SoftDelete {
            if !ty::is_optional_utc_timestamp(c.ty) {
                cx.error_spanned(
                    c.ty,
                    format!(
                        "column `{}` of table `{}` is marked `soft_delete`, so it must be `Option<DateTime<Utc>>`: NULL means live, a timestamp means deleted",
                        c.name, t.name
                    ),
                );
            }
        } else if !ty::is_utc_timestamp(c.ty) {
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

/// Names of the functions and constants on every table struct, which a column constant must
/// not take.
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
    "delete_where",
    "table",
    "alias",
    "primary_key",
    "META",
];

/// Whether a field's column constant would take the name of a table's function or constant:
/// such a field gets no constant (the error says so), and the table is still generated.
pub(crate) fn is_reserved(field: &str) -> bool {
    RESERVED.contains(&field)
}

/// Constants named after fields live on the struct; a field named like a query entry point
/// would hide that function (`User::select` would be the column, not the query).
fn reserved_names(cx: &mut Ctxt, t: &Table<'_>) {
    for c in &t.columns {
        let name = c.ident.to_string();
        if is_reserved(&name) {
            cx.recoverable_spanned(
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
    for r in &t.relations {
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
fn primary_key(cx: &mut Ctxt, t: &Table<'_>) {
    let marked: Vec<usize> = (0..t.columns.len())
        .filter(|&i| t.columns[i].attrs.primary_key.is_some())
        .collect();
    if let Some(declared) = &t.declared_primary_key {
        for &i in &marked {
            if let Some(a) = &t.columns[i].attrs.primary_key {
                cx.push(syn::Error::new(
                    a.span,
                    "the primary key is already declared by `#[table(primary_key(..))]`; remove this `primary_key`",
                ));
            }
        }
        field_list(cx, t, declared);
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
    } else if marked.is_empty() {
        cx.error_spanned(
            t.ident,
            format!(
                "table `{}` has no primary key: mark a field `#[column(primary_key)]` or declare `#[table(primary_key(a, b))]`",
                t.name
            ),
        );
    }
    for &i in &t.primary_key {
        let c = &t.columns[i];
        if ty::is_option(c.ty) {
            cx.error_spanned(
                c.ty,
                format!(
                    "primary key column `{}.{}` cannot be `Option`: keys are never NULL",
                    t.name, c.name
                ),
            );
        }
    }
}

/// A key or index lists existing fields, each once: the list becomes DDL and a conflict target,
/// where an unknown or repeated column is an error PostgreSQL would report only at run time.
fn field_list(cx: &mut Ctxt, t: &Table<'_>, list: &FieldList) {
    let what = list.kind.attribute();
    if list.fields.is_empty() {
        cx.push(syn::Error::new(
            list.span,
            format!("`{what}(..)` needs at least one field"),
        ));
    }
    let mut seen = Vec::new();
    for (ident, position) in &list.fields {
        match position {
            Some(i) if seen.contains(i) => cx.error_spanned(
                ident,
                format!("field `{ident}` appears twice in `{what}(..)`"),
            ),
            Some(i) => seen.push(*i),
            None => cx.error_spanned(
                ident,
                format!(
                    "`{what}(..)` names `{ident}`, which is not a field of `{}`",
                    t.ident
                ),
            ),
        }
    }
}
