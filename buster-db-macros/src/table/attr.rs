//! Parsing of `#[table(...)]` and `#[column(...)]`. Bad attributes are reported to the
//! [`Ctxt`] and parsing goes on, so one compilation shows every mistake.

use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitStr, Token};

use crate::ctxt::Ctxt;

/// A value with the token that set it, for error spans.
pub(crate) struct Attr<T> {
    pub(crate) value: T,
    pub(crate) span: proc_macro2::Span,
}

/// Where an attribute that may be absent was set.
pub(crate) fn span<T>(attr: &Option<Attr<T>>) -> Option<proc_macro2::Span> {
    attr.as_ref().map(|a| a.span)
}

pub(crate) type ColumnList = Vec<Ident>;

pub(crate) enum RelationKind {
    HasOne,
    HasMany,
    /// Through the join table's parent-key and target-key columns.
    ManyToMany {
        through: (syn::Path, syn::Path),
    },
}

/// `has_one(name = child_columns::fk)`, `has_many(..)` or
/// `many_to_many(name = Target, through(join_columns::from, join_columns::to))`.
pub(crate) struct Relation {
    pub(crate) kind: RelationKind,
    pub(crate) name: Ident,
    /// The child's key column, or (many-to-many) the target table.
    pub(crate) target: syn::Path,
}

#[derive(Default)]
pub(crate) struct TableAttrs {
    pub(crate) relations: Vec<Relation>,
    pub(crate) name: Option<Attr<String>>,
    pub(crate) schema: Option<Attr<String>>,
    pub(crate) columns_module: Option<Attr<String>>,
    pub(crate) primary_key: Option<Attr<ColumnList>>,
    pub(crate) unique: Vec<Attr<ColumnList>>,
    pub(crate) unique_nulls_not_distinct: Vec<Attr<ColumnList>>,
    pub(crate) index: Vec<Attr<ColumnList>>,
    pub(crate) search_index: Vec<Attr<ColumnList>>,
    pub(crate) checks: Vec<Check>,
}

/// `check(name = "..", sql = "..")`: a CHECK constraint.
pub(crate) struct Check {
    pub(crate) name: String,
    pub(crate) sql: String,
    pub(crate) span: proc_macro2::Span,
}

#[derive(Default)]
pub(crate) struct ColumnAttrs {
    pub(crate) name: Option<Attr<String>>,
    pub(crate) primary_key: Option<Attr<()>>,
    /// `unique`, or `unique(all_rows)` (the value) for a key over deleted rows too.
    pub(crate) unique: Option<Attr<bool>>,
    pub(crate) default: Option<Attr<String>>,
    /// The column's SQL type as the database declares it, e.g. `varchar(255)`.
    pub(crate) sql_type: Option<Attr<String>>,
    pub(crate) created_at: Option<Attr<()>>,
    pub(crate) updated_at: Option<Attr<()>>,
    pub(crate) soft_delete: Option<Attr<()>>,
    /// `references = table_columns::column`: a foreign key to that column.
    pub(crate) references: Option<Attr<syn::Path>>,
    /// `on_delete = ".."` of the foreign key.
    pub(crate) on_delete: Option<Attr<Action>>,
    /// `on_update = ".."` of the foreign key.
    pub(crate) on_update: Option<Attr<Action>>,
}

/// A foreign key action, by the name of its `ForeignKeyAction` variant.
pub(crate) struct Action(pub(crate) &'static str);

const ACTIONS: &str = "`no action`, `restrict`, `cascade`, `set null`, `set default`";

fn action(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Action>> {
    let lit: LitStr = meta.value()?.parse()?;
    let text = lit.value().trim().to_ascii_lowercase().replace('_', " ");
    let variant = match text.as_str() {
        "no action" => "NoAction",
        "restrict" => "Restrict",
        "cascade" => "Cascade",
        "set null" => "SetNull",
        "set default" => "SetDefault",
        _ => {
            cx.error_spanned(
                &lit,
                format_args!(
                    "unknown foreign key action `{}`, expected one of {ACTIONS}",
                    lit.value()
                ),
            );
            return Ok(None);
        }
    };
    Ok(Some(Action(variant)))
}

/// `(name = "..", sql = "..")` of a `check`.
fn check(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<Option<Check>> {
    let mut name = None;
    let mut sql = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("name") {
            name = Some(string(&inner)?);
        } else if inner.path.is_ident("sql") {
            sql = Some(string(&inner)?);
        } else {
            cx.error_spanned(
                &inner.path,
                "unknown `check` option, expected `name = \"..\"` and `sql = \"..\"`",
            );
            skip_rest(&inner)?;
        }
        Ok(())
    })?;
    match (name, sql) {
        (Some(name), Some(sql)) if !name.is_empty() && !sql.trim().is_empty() => Ok(Some(Check {
            name,
            sql,
            span: key.span(),
        })),
        _ => {
            cx.error_spanned(
                key,
                "a `check` needs a name and an SQL expression: `check(name = \"titles_not_empty\", sql = \"length(title) > 0\")`",
            );
            Ok(None)
        }
    }
}

const TABLE_OPTIONS: &str = "`name`, `schema`, `columns`, `primary_key(..)`, `unique(..)` (with `all_rows` last for a key over deleted rows too), `unique_nulls_not_distinct(..)`, `index(..)`, `search_index(column)`, `check(name = \"..\", sql = \"..\")`, `has_one(..)`, `has_many(..)`, `many_to_many(..)`";
const COLUMN_OPTIONS: &str = "`primary_key`, `unique`, `unique(all_rows)`, `default = \"..\"`, `sql_type = \"..\"`, `created_at`, `updated_at`, `soft_delete`, `name = \"..\"`, `references = table::column`, `on_delete = \"..\"`, `on_update = \"..\"`";

fn set<T>(cx: &mut Ctxt, slot: &mut Option<Attr<T>>, attr: &str, key: &Ident, value: T) {
    if slot.is_some() {
        cx.error_spanned(key, format_args!("duplicate `{attr}` attribute `{key}`"));
    } else {
        *slot = Some(Attr {
            value,
            span: key.span(),
        });
    }
}

/// `(a, b, ..)` after a key: a list of field names, raw identifiers allowed.
fn column_list(meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<Attr<ColumnList>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Ident::parse_any, Token![,])?;
    Ok(Attr {
        value: list.into_iter().collect(),
        span: key.span(),
    })
}

/// `(name = target ..)`; `kind` reads what follows the target.
fn relation(
    meta: &ParseNestedMeta<'_>,
    kind: impl FnOnce(syn::parse::ParseStream<'_>) -> syn::Result<RelationKind>,
) -> syn::Result<Relation> {
    let content;
    syn::parenthesized!(content in meta.input);
    let name: Ident = content.parse()?;
    let _: Token![=] = content.parse()?;
    let target: syn::Path = content.parse()?;
    let kind = kind(&content)?;
    if content.peek(Token![,]) {
        let _: Token![,] = content.parse()?;
    }
    if !content.is_empty() {
        return Err(content.error("unexpected tokens in the relation"));
    }
    Ok(Relation { kind, name, target })
}

/// `, through(join_columns::parent_key, join_columns::target_key)` of a many-to-many relation.
fn through(content: syn::parse::ParseStream<'_>) -> syn::Result<RelationKind> {
    let _: Token![,] = content.parse()?;
    let key: Ident = content.parse()?;
    if key != "through" {
        return Err(syn::Error::new_spanned(
            key,
            "expected `through(join_columns::parent_key, join_columns::target_key)`",
        ));
    }
    let inner;
    syn::parenthesized!(inner in content);
    let from: syn::Path = inner.parse()?;
    let _: Token![,] = inner.parse()?;
    let to: syn::Path = inner.parse()?;
    Ok(RelationKind::ManyToMany {
        through: (from, to),
    })
}

/// The optional `(all_rows)` after a column's `unique`: whether the key covers deleted rows.
fn unique_scope(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if !meta.input.peek(syn::token::Paren) {
        return Ok(false);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Ident::parse_any, Token![,])?;
    let mut all_rows = false;
    for ident in list {
        if ident == "all_rows" {
            all_rows = true;
        } else {
            cx.error_spanned(
                &ident,
                format_args!("unknown `unique` option `{ident}`, expected `all_rows`"),
            );
        }
    }
    Ok(all_rows)
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let lit: LitStr = meta.value()?.parse()?;
    Ok(lit.value())
}

/// The string after `key =`; a bare `key` is reported with an example of the value.
fn string_or_report(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: &Ident,
    example: &str,
) -> syn::Result<Option<String>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned(
            key,
            format_args!("`{key}` needs a value: `{key} = {example}`"),
        );
        return Ok(None);
    }
    string(meta).map(Some)
}

/// A flag (`primary_key`, `soft_delete`, ..): `key = true` is reported (a flag takes no value)
/// and read as the flag, `key = false` as its absence, so no follow-on error is reported.
fn flag(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>, key: &Ident) -> syn::Result<bool> {
    if !meta.input.peek(Token![=]) {
        return Ok(true);
    }
    let value: syn::Expr = meta.value()?.parse()?;
    let on =
        !matches!(&value, syn::Expr::Lit(l) if matches!(&l.lit, syn::Lit::Bool(b) if !b.value));
    let advice = if on {
        format!("write `{key}` alone")
    } else {
        format!("leave `{key}` out")
    };
    cx.error_spanned(
        key,
        format_args!("`{key}` is a flag and takes no value: {advice}"),
    );
    Ok(on)
}

/// The known option closest to a misspelled one, if it is close enough to be a typo.
pub(crate) fn suggestion<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Edit distance (insertions, deletions, substitutions) between two short names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// The option names an options list (`TABLE_OPTIONS`, `COLUMN_OPTIONS`) shows: each entry of
/// the comma-separated list (a back-quoted text at its start, so `all_rows` in "(with
/// `all_rows` last …)" is not one) up to its first character that is not part of a name
/// (`unique(..)` → `unique`), each once.
fn option_names(options: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let pieces: Vec<&str> = options.split('`').collect();
    for (i, entry) in pieces.iter().enumerate().skip(1).step_by(2) {
        let before = pieces[i - 1];
        if !(before.is_empty() || before.ends_with(", ")) {
            continue;
        }
        let end = entry
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(entry.len());
        let name = &entry[..end];
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Skips whatever follows an unknown key (`= value` or `(...)`) so parsing can go on.
fn skip_rest(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: proc_macro2::TokenStream = _content.parse()?;
    }
    Ok(())
}

pub(crate) fn table_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> TableAttrs {
    let mut out = TableAttrs::default();
    parse_options(cx, attrs, "table", TABLE_OPTIONS, |cx, key, meta| {
        match key.to_string().as_str() {
            "name" => set(cx, &mut out.name, "table", key, string(meta)?),
            "schema" => set(cx, &mut out.schema, "table", key, string(meta)?),
            "columns" => set(cx, &mut out.columns_module, "table", key, string(meta)?),
            "primary_key" => {
                let v = column_list(meta, key)?;
                set(cx, &mut out.primary_key, "table", key, v.value);
            }
            "unique_nulls_not_distinct" => {
                out.unique_nulls_not_distinct.push(column_list(meta, key)?)
            }
            "unique" => out.unique.push(column_list(meta, key)?),
            "index" => out.index.push(column_list(meta, key)?),
            "search_index" => out.search_index.push(column_list(meta, key)?),
            "check" => out.checks.extend(check(cx, meta, key)?),
            "has_one" => out
                .relations
                .push(relation(meta, |_| Ok(RelationKind::HasOne))?),
            "has_many" => out
                .relations
                .push(relation(meta, |_| Ok(RelationKind::HasMany))?),
            "many_to_many" => out.relations.push(relation(meta, through)?),
            _ => return Ok(false),
        }
        Ok(true)
    });
    out
}

pub(crate) fn column_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> ColumnAttrs {
    let mut out = ColumnAttrs::default();
    parse_options(cx, attrs, "column", COLUMN_OPTIONS, |cx, key, meta| {
        match key.to_string().as_str() {
            "name" => {
                if let Some(v) = string_or_report(cx, meta, key, "\"column_name\"")? {
                    set(cx, &mut out.name, "column", key, v);
                }
            }
            "default" => {
                if let Some(v) = string_or_report(cx, meta, key, "\"0\"")? {
                    set(cx, &mut out.default, "column", key, v);
                }
            }
            "sql_type" => {
                if let Some(v) = string_or_report(cx, meta, key, "\"varchar(255)\"")? {
                    set(cx, &mut out.sql_type, "column", key, v);
                }
            }
            "primary_key" => {
                if flag(cx, meta, key)? {
                    set(cx, &mut out.primary_key, "column", key, ());
                }
            }
            "unique" => {
                let all_rows = if meta.input.peek(Token![=]) {
                    flag(cx, meta, key)?;
                    false
                } else {
                    unique_scope(cx, meta)?
                };
                set(cx, &mut out.unique, "column", key, all_rows);
            }
            "created_at" => {
                if flag(cx, meta, key)? {
                    set(cx, &mut out.created_at, "column", key, ());
                }
            }
            "updated_at" => {
                if flag(cx, meta, key)? {
                    set(cx, &mut out.updated_at, "column", key, ());
                }
            }
            "soft_delete" => {
                if flag(cx, meta, key)? {
                    set(cx, &mut out.soft_delete, "column", key, ());
                }
            }
            "references" => {
                let path: syn::Path = meta.value()?.parse()?;
                set(cx, &mut out.references, "column", key, path);
            }
            "on_delete" => {
                if let Some(a) = action(cx, meta)? {
                    set(cx, &mut out.on_delete, "column", key, a);
                }
            }
            "on_update" => {
                if let Some(a) = action(cx, meta)? {
                    set(cx, &mut out.on_update, "column", key, a);
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    });
    out
}

/// Reads every `#[name(..)]` attribute. `option` reads a known key and its value and returns
/// `false` for an unknown key, which is reported with the accepted `options` and skipped, so
/// one compilation shows every mistake.
fn parse_options(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    name: &str,
    options: &str,
    mut option: impl FnMut(&mut Ctxt, &Ident, &ParseNestedMeta<'_>) -> syn::Result<bool>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident() else {
                cx.error_spanned(
                    &meta.path,
                    format_args!("unknown `{name}` attribute, expected one of {options}"),
                );
                return skip_rest(&meta);
            };
            if !option(cx, key, &meta)? {
                match suggestion(&key.to_string(), &option_names(options)) {
                    Some(close) => {
                        cx.error_spanned(
                            key,
                            format_args!(
                                "unknown `{name}` attribute `{key}`: did you mean `{close}`?"
                            ),
                        );
                        // Read as the option it was meant to be, so that no follow-on error
                        // (such as "no primary key") is reported for the typo.
                        let meant = Ident::new(close, key.span());
                        let mut quiet = Ctxt::default();
                        if !option(&mut quiet, &meant, &meta)? {
                            skip_rest(&meta)?;
                        }
                        let _ = quiet.check();
                    }
                    None => {
                        cx.error_spanned(
                            key,
                            format_args!(
                                "unknown `{name}` attribute `{key}`, expected one of {options}"
                            ),
                        );
                        skip_rest(&meta)?;
                    }
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_come_from_the_listed_options() {
        let table = option_names(TABLE_OPTIONS);
        assert_eq!(
            table,
            [
                "name",
                "schema",
                "columns",
                "primary_key",
                "unique",
                "unique_nulls_not_distinct",
                "index",
                "search_index",
                "check",
                "has_one",
                "has_many",
                "many_to_many"
            ]
        );
        let column = option_names(COLUMN_OPTIONS);
        assert!(column.contains(&"references") && !column.contains(&"all_rows"));
        assert_eq!(suggestion("primay_key", &column), Some("primary_key"));
        assert_eq!(suggestion("uniq", &column), Some("unique"));
        assert_eq!(suggestion("tablespace", &table), None);
    }
}
