//! The table IR: borrowed from the input, keeping each syn node for error spans.

use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Ident, Type, Visibility};

use crate::attr::{self, ColumnAttrs, TableAttrs};
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

/// A key or index over columns, by position.
pub(crate) struct Key {
    pub(crate) columns: Vec<usize>,
    /// `NULLS NOT DISTINCT` (unique keys only).
    pub(crate) nulls_not_distinct: bool,
}

pub(crate) struct Table<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) name: String,
    pub(crate) module: Ident,
    pub(crate) attrs: TableAttrs,
    pub(crate) columns: Vec<Column<'a>>,
    pub(crate) primary_key: Vec<usize>,
    pub(crate) uniques: Vec<Key>,
    pub(crate) indexes: Vec<Key>,
    pub(crate) soft_delete: Option<usize>,
    pub(crate) updated_at: Option<usize>,
}

impl<'a> Table<'a> {
    /// Reads the input into the IR. Shape errors that leave nothing to work on return `None`
    /// after being reported; attribute errors are reported and parsing goes on.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Table<'a>> {
        let fields = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(_) => {
                    cx.error_spanned(
                        &input.ident,
                        "`Table` can only be derived for a struct with named fields: each field is a column, named after the field",
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned(
                        &input.ident,
                        "`Table` can only be derived for a struct with named fields; a unit struct has no columns",
                    );
                    return None;
                }
            },
            Data::Enum(e) => {
                cx.error_spanned(
                    e.enum_token,
                    "`Table` can only be derived for a struct with named fields, not an enum; for a PostgreSQL enum type use `#[derive(buster_db::Enum)]`",
                );
                return None;
            }
            Data::Union(u) => {
                cx.error_spanned(
                    u.union_token,
                    "`Table` can only be derived for a struct with named fields, not a union",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned(
                &input.generics,
                "a table struct cannot be generic: each table has one fixed set of column types",
            );
        }
        let attrs = attr::table_attrs(cx, &input.attrs);
        if let Some(n) = &attrs.name
            && n.value.is_empty()
        {
            cx.push(syn::Error::new(n.span, "a table name cannot be empty"));
        }
        let name = attrs
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| format!("{}s", snake_case(&input.ident.to_string())));
        let module_name = attrs
            .columns_module
            .as_ref()
            .map(|m| m.value.clone())
            .unwrap_or_else(|| name.clone());
        let module = match syn::parse_str::<Ident>(&module_name) {
            Ok(m) => m,
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
        };
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
            let attrs: ColumnAttrs = attr::column_attrs(cx, &field.attrs);
            let (name, name_span) = match &attrs.name {
                Some(n) => (n.value.clone(), n.span),
                None => (ident.unraw().to_string(), ident.span()),
            };
            let managed = if attrs.soft_delete.is_some() {
                Managed::SoftDelete
            } else if attrs.created_at.is_some() {
                Managed::CreatedAt
            } else if attrs.updated_at.is_some() {
                Managed::UpdatedAt
            } else {
                Managed::No
            };
            columns.push(Column {
                ident,
                ty: &field.ty,
                name,
                name_span,
                primary_key: attrs.primary_key.is_some(),
                attrs,
                managed,
            });
        }
        Some(Table {
            ident: &input.ident,
            vis: &input.vis,
            name,
            module,
            attrs,
            columns,
            primary_key: Vec::new(),
            uniques: Vec::new(),
            indexes: Vec::new(),
            soft_delete: None,
            updated_at: None,
        })
    }

    pub(crate) fn position(&self, ident: &Ident) -> Option<usize> {
        self.columns.iter().position(|c| c.ident == ident)
    }
}

use syn::ext::IdentExt;

/// `UserProfile` → `user_profile`.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Whether `ty` is written `Option<...>`.
pub(crate) fn is_option(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "Option")
}

pub(crate) fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The single generic argument of `ty` (`Option<T>` → `T`).
pub(crate) fn generic_arg(ty: &Type) -> Option<&Type> {
    let seg = last_segment(ty)?;
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}
