//! The table IR: borrowed from the input, keeping each syn node for error spans. Everything the
//! expansion needs (key columns, the managed columns' positions) is worked out here, once;
//! [`valid`](super::valid) only reads the IR and reports what is wrong with it.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Data, DeriveInput, Field, Fields, Ident, Token, Type, Visibility};

use super::attr::{self, Attr, Check, ColumnAttrs, ColumnList, Relation, TableAttrs};
use crate::case::snake_case;
use crate::ctxt::Ctxt;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Managed {
    No,
    CreatedAt,
    UpdatedAt,
    SoftDelete,
}

pub(crate) struct Column<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The column name in the database.
    pub(crate) name: String,
    pub(crate) name_span: Span,
    pub(crate) attrs: ColumnAttrs,
    pub(crate) managed: Managed,
    /// Part of the table's primary key, wherever the key is declared.
    pub(crate) primary_key: bool,
}

impl Column<'_> {
    pub(crate) fn insertable(&self) -> bool {
        self.managed == Managed::No
    }

    pub(crate) fn updatable(&self) -> bool {
        self.managed == Managed::No && !self.primary_key
    }

    pub(crate) fn default(&self) -> Option<&str> {
        self.attrs.default.as_ref().map(|d| d.value.as_str())
    }
}

/// What a list of fields on the table declares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    PrimaryKey,
    Unique,
    UniqueNullsNotDistinct,
    Index,
    SearchIndex,
}

impl KeyKind {
    /// The attribute that declares it, for messages.
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            KeyKind::PrimaryKey => "primary_key",
            KeyKind::Unique => "unique",
            KeyKind::UniqueNullsNotDistinct => "unique_nulls_not_distinct",
            KeyKind::Index => "index",
            KeyKind::SearchIndex => "search_index",
        }
    }
}

/// A list of fields in a table attribute (`primary_key(a, b)`, `unique(..)`, `index(..)`), each
/// resolved to the column it names. Unknown and repeated fields stay in the list so that
/// [`valid`](super::valid) can point at them.
pub(crate) struct FieldList {
    pub(crate) kind: KeyKind,
    pub(crate) span: Span,
    /// Each listed field with its column's position, `None` when no field has that name.
    pub(crate) fields: Vec<(Ident, Option<usize>)>,
    /// `all_rows` in the list (and no field of that name): the key covers deleted rows too.
    pub(crate) all_rows: Option<Span>,
}

impl FieldList {
    fn new(kind: KeyKind, list: Attr<ColumnList>, columns: &[Column<'_>]) -> FieldList {
        let mut all_rows = None;
        let mut fields = Vec::new();
        for ident in list.value {
            let position = columns.iter().position(|c| *c.ident == ident);
            if position.is_none() && ident == "all_rows" {
                all_rows = Some(ident.span());
            } else {
                fields.push((ident, position));
            }
        }
        FieldList {
            kind,
            span: list.span,
            fields,
            all_rows,
        }
    }

    /// The columns named, each once, in the order written.
    fn columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for &(_, position) in &self.fields {
            if let Some(i) = position
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    }
}

/// A key or index over columns, by position.
pub(crate) struct Key {
    pub(crate) columns: Vec<usize>,
    /// `NULLS NOT DISTINCT` (unique keys only).
    pub(crate) nulls_not_distinct: bool,
    /// Unique over every row, deleted ones included (unique keys of soft-deletable tables).
    pub(crate) all_rows: bool,
    /// A text-search (GIN) index over the one column's English `to_tsvector`.
    pub(crate) search: bool,
}

pub(crate) struct Table<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) name: String,
    /// `schema = ".."`, with where it was set.
    pub(crate) schema: Option<Attr<String>>,
    pub(crate) module: Ident,
    pub(crate) relations: Vec<Relation>,
    pub(crate) columns: Vec<Column<'a>>,
    /// `#[table(primary_key(..))]`, when the key is declared on the table.
    pub(crate) declared_primary_key: Option<FieldList>,
    /// The `unique(..)`, `unique_nulls_not_distinct(..)` and `index(..)` lists, in that order:
    /// the order `valid` reports them in.
    pub(crate) declared_keys: Vec<FieldList>,
    pub(crate) primary_key: Vec<usize>,
    pub(crate) uniques: Vec<Key>,
    pub(crate) indexes: Vec<Key>,
    pub(crate) soft_delete: Option<usize>,
    pub(crate) updated_at: Option<usize>,
    /// `check(..)` constraints.
    pub(crate) checks: Vec<Check>,
}

impl<'a> Table<'a> {
    /// Reads the input into the IR. Shape errors that leave nothing to work on return `None`
    /// after being reported; attribute errors are reported and parsing goes on.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Table<'a>> {
        let fields = named_fields(cx, input)?;
        if !input.generics.params.is_empty() {
            cx.error_spanned(
                &input.generics,
                "a table struct cannot be generic: each table has one fixed set of column types",
            );
        }
        let attrs = attr::table_attrs(cx, &input.attrs);
        // A name reported here is not reported again as a module name.
        let mut bad_name = false;
        if let Some(n) = &attrs.name {
            if n.value.is_empty() {
                cx.push(syn::Error::new(n.span, "a table name cannot be empty"));
                bad_name = true;
            } else if n.value.starts_with('"') || n.value.ends_with('"') {
                let bare = n.value.trim_matches('"');
                cx.push(syn::Error::new(
                    n.span,
                    format!(
                        "write the table name without quotes, `name = \"{bare}\"`: every statement quotes it"
                    ),
                ));
                bad_name = true;
            }
        }
        let name = attrs
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| format!("{}s", snake_case(&input.ident.to_string())));
        let module = module(cx, input, &attrs, &name, bad_name);
        let mut columns = Vec::new();
        for field in fields {
            let Some(ident) = field.ident.as_ref() else {
                continue;
            };
            if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("table")) {
                cx.error_spanned(
                    attr,
                    "`#[table(...)]` belongs on the struct; use `#[column(...)]` on fields",
                );
            }
            columns.push(column(cx, ident, field));
        }

        let TableAttrs {
            relations,
            schema,
            primary_key: declared_primary_key,
            unique,
            unique_nulls_not_distinct,
            index,
            search_index,
            checks,
            ..
        } = attrs;
        let declared_primary_key =
            declared_primary_key.map(|list| FieldList::new(KeyKind::PrimaryKey, list, &columns));
        let declared_keys: Vec<FieldList> = [
            (KeyKind::Unique, unique),
            (KeyKind::UniqueNullsNotDistinct, unique_nulls_not_distinct),
            (KeyKind::Index, index),
            (KeyKind::SearchIndex, search_index),
        ]
        .into_iter()
        .flat_map(|(kind, lists)| lists.into_iter().map(move |list| (kind, list)))
        .map(|(kind, list)| FieldList::new(kind, list, &columns))
        .collect();

        // With no key on the table, the marked fields are the key; `valid` reports when that
        // is not exactly one field.
        let primary_key = match &declared_primary_key {
            Some(list) => list.columns(),
            None => (0..columns.len())
                .filter(|&i| columns[i].attrs.primary_key.is_some())
                .collect(),
        };
        for &i in &primary_key {
            columns[i].primary_key = true;
        }
        let (uniques, indexes) = keys(&columns, &declared_keys);
        let managed = |role: Managed| columns.iter().position(|c| c.managed == role);
        let soft_delete = managed(Managed::SoftDelete);
        let updated_at = managed(Managed::UpdatedAt);
        Some(Table {
            ident: &input.ident,
            vis: &input.vis,
            name,
            schema,
            module,
            relations,
            columns,
            declared_primary_key,
            declared_keys,
            primary_key,
            uniques,
            indexes,
            soft_delete,
            updated_at,
            checks,
        })
    }
}

/// The fields of a struct with named fields; any other shape is reported, leaving nothing to read.
fn named_fields<'a>(
    cx: &mut Ctxt,
    input: &'a DeriveInput,
) -> Option<&'a Punctuated<Field, Token![,]>> {
    match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(&named.named),
            Fields::Unnamed(_) => {
                cx.error_spanned(
                    &input.ident,
                    "`Table` can only be derived for a struct with named fields: each field is a column, named after the field",
                );
                None
            }
            Fields::Unit => {
                cx.error_spanned(
                    &input.ident,
                    "`Table` can only be derived for a struct with named fields; a unit struct has no columns",
                );
                None
            }
        },
        Data::Enum(e) => {
            cx.error_spanned(
                e.enum_token,
                "`Table` can only be derived for a struct with named fields, not an enum; for a PostgreSQL enum type use `#[derive(buster_db::Enum)]`",
            );
            None
        }
        Data::Union(u) => {
            cx.error_spanned(
                u.union_token,
                "`Table` can only be derived for a struct with named fields, not a union",
            );
            None
        }
    }
}

/// The unique keys (declared on the table, then marked on fields) and the indexes, with the
/// unknown and repeated fields left out; `valid` reports those.
fn keys(columns: &[Column<'_>], declared: &[FieldList]) -> (Vec<Key>, Vec<Key>) {
    let keys = |kinds: &[KeyKind]| -> Vec<Key> {
        declared
            .iter()
            .filter(|list| kinds.contains(&list.kind))
            .map(|list| Key {
                columns: list.columns(),
                nulls_not_distinct: list.kind == KeyKind::UniqueNullsNotDistinct,
                all_rows: list.all_rows.is_some(),
                search: list.kind == KeyKind::SearchIndex,
            })
            .filter(|k| !k.columns.is_empty())
            .collect()
    };
    let mut uniques = keys(&[KeyKind::Unique, KeyKind::UniqueNullsNotDistinct]);
    uniques.extend(
        (0..columns.len())
            .filter_map(|i| Some((i, columns[i].attrs.unique.as_ref()?.value)))
            .map(|(i, all_rows)| Key {
                columns: vec![i],
                nulls_not_distinct: false,
                all_rows,
                search: false,
            }),
    );
    (uniques, keys(&[KeyKind::Index, KeyKind::SearchIndex]))
}

/// The module holding the column types: named after the table unless `columns = ".."` says
/// otherwise. A name that is no Rust identifier is reported and replaced, so checking goes on.
fn module(
    cx: &mut Ctxt,
    input: &DeriveInput,
    attrs: &TableAttrs,
    table_name: &str,
    name_reported: bool,
) -> Ident {
    let module_name = attrs
        .columns_module
        .as_ref()
        .map_or(table_name, |m| m.value.as_str());
    match syn::parse_str::<Ident>(module_name) {
        Ok(m) => m,
        Err(_) if name_reported && attrs.columns_module.is_none() => {
            Ident::new("__columns", input.ident.span())
        }
        Err(_) => {
            let span = attrs
                .columns_module
                .as_ref()
                .or(attrs.name.as_ref())
                .map(|a| a.span)
                .unwrap_or_else(|| input.ident.span());
            cx.push(syn::Error::new(
                span,
                format!("`{module_name}` is not a valid Rust module name for the column types; set one with `#[table(columns = \"...\")]`"),
            ));
            Ident::new("__columns", input.ident.span())
        }
    }
}

fn column<'a>(cx: &mut Ctxt, ident: &'a Ident, field: &'a syn::Field) -> Column<'a> {
    let attrs = attr::column_attrs(cx, &field.attrs);
    let (name, name_span) = match &attrs.name {
        Some(n) => (n.value.clone(), n.span),
        None => (ident.unraw().to_string(), ident.span()),
    };
    // One role per column; when several are given, `valid` reports it and this order decides
    // which one the other checks assume.
    let managed = if attrs.soft_delete.is_some() {
        Managed::SoftDelete
    } else if attrs.created_at.is_some() {
        Managed::CreatedAt
    } else if attrs.updated_at.is_some() {
        Managed::UpdatedAt
    } else {
        Managed::No
    };
    Column {
        ident,
        ty: &field.ty,
        name,
        name_span,
        attrs,
        managed,
        primary_key: false,
    }
}
