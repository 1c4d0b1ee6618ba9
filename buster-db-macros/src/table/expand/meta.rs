//! `TableMeta`: the table as data, for statements, DDL and the drift check.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{column_names, option, str_list};
use crate::table::ast::{Column, Key, Managed, Table};

pub(super) fn table_meta(t: &Table<'_>) -> TokenStream {
    let name = &t.name;
    let schema = option(t.schema.as_ref().map(|s| &s.value));
    let struct_name = t.ident.to_string();
    let columns = t.columns.iter().map(|c| column_meta(&t.module, c));
    let pk = str_list(&column_names(t, &t.primary_key));
    let indexes = t
        .uniques
        .iter()
        .map(|k| index_meta(t, k, true))
        .chain(t.indexes.iter().map(|k| index_meta(t, k, false)));
    let soft = option(t.soft_delete);
    let updated = option(t.updated_at);
    let foreign_keys = t.columns.iter().filter_map(|c| foreign_key_meta(t, c));
    let checks = t.checks.iter().map(|c| {
        let (name, sql) = (&c.name, &c.sql);
        quote!(::buster_db::__private::CheckMeta { name: #name, sql: #sql })
    });
    quote! {
        &::buster_db::__private::TableMeta {
            name: #name,
            schema: #schema,
            struct_name: #struct_name,
            columns: &[#(#columns),*],
            primary_key: #pk,
            indexes: &[#(#indexes),*],
            foreign_keys: &[#(#foreign_keys),*],
            checks: &[#(#checks),*],
            soft_delete: #soft,
            updated_at: #updated,
        }
    }
}

fn column_meta(module: &syn::Ident, c: &Column<'_>) -> TokenStream {
    let f = c.ident;
    let cname = &c.name;
    let field = c.ident.to_string();
    let default = option(c.default());
    let pk = c.primary_key;
    let managed = match c.managed {
        Managed::No => quote!(No),
        Managed::CreatedAt => quote!(CreatedAt),
        Managed::UpdatedAt => quote!(UpdatedAt),
        Managed::SoftDelete => quote!(SoftDelete),
    };
    let sql_type = match &c.attrs.sql_type {
        // Declared by hand: the Rust type must still be a column type (NULLABLE below checks
        // it), and the database checks the two fit when a value is bound or read.
        Some(declared) => {
            let (name, array) = split_array(&declared.value);
            quote!(::buster_db::__private::SqlType::declared(#name, #array))
        }
        None => quote!(::buster_db::__private::sql_type::<#module::#f>()),
    };
    let nullable = quote!(::buster_db::__private::nullable::<#module::#f>());
    quote! {
        ::buster_db::__private::ColumnMeta {
            name: #cname,
            field: #field,
            sql_type: #sql_type,
            nullable: #nullable,
            default: #default,
            primary_key: #pk,
            managed: ::buster_db::__private::Managed::#managed,
        }
    }
}

/// `varchar(20)[]` → (`varchar(20)`, array).
fn split_array(declared: &str) -> (&str, bool) {
    let declared = declared.trim();
    match declared.strip_suffix("[]") {
        Some(element) => (element.trim_end(), true),
        None => (declared, false),
    }
}

/// A unique key holds among live rows only, so it carries the table's live-row predicate,
/// unless it is declared `all_rows`; a plain index covers every row.
fn index_meta(t: &Table<'_>, key: &Key, unique: bool) -> TokenStream {
    let names = column_names(t, &key.columns);
    let idx_name = format!(
        "{}_{}_{}",
        t.name,
        names.join("_"),
        if unique {
            "key"
        } else if key.search {
            "search_idx"
        } else {
            "idx"
        }
    );
    let search = if key.search {
        quote!(::core::option::Option::Some("english"))
    } else {
        quote!(::core::option::Option::None)
    };
    let cols = str_list(&names);
    let live_only = unique && t.soft_delete.is_some() && !key.all_rows;
    let nnd = key.nulls_not_distinct;
    quote! {
        ::buster_db::__private::IndexMeta {
            name: #idx_name,
            columns: #cols,
            unique: #unique,
            live_only: #live_only,
            predicate: ::core::option::Option::None,
            nulls_not_distinct: #nnd,
            search: #search,
        }
    }
}

/// The foreign key of a `#[column(references = ..)]`. The referenced table is reached through
/// a function, so a table may reference itself without its metadata depending on itself.
fn foreign_key_meta(t: &Table<'_>, c: &Column<'_>) -> Option<TokenStream> {
    c.attrs.references.as_ref()?;
    // The referenced column as the column type names it, so the path is resolved (and a
    // missing column reported) in one place, the `Column` impl.
    let module = &t.module;
    let f = c.ident;
    let target = quote!(<#module::#f as ::buster_db::__private::Column>::References);
    let name = format!("{}_{}_fkey", t.name, c.name);
    let cname = &c.name;
    let action = |a: &Option<crate::table::attr::Attr<crate::table::attr::Action>>| {
        let variant = syn::Ident::new(
            a.as_ref().map_or("NoAction", |a| a.value.0),
            proc_macro2::Span::call_site(),
        );
        quote!(::buster_db::__private::ForeignKeyAction::#variant)
    };
    let on_delete = action(&c.attrs.on_delete);
    let on_update = action(&c.attrs.on_update);
    Some(quote! {
        ::buster_db::__private::ForeignKeyMeta {
            name: #name,
            columns: &[#cname],
            table: || <<#target as ::buster_db::__private::Column>::Table
                as ::buster_db::__private::Table>::META,
            references: &[<#target as ::buster_db::__private::Column>::NAME],
            on_delete: #on_delete,
            on_update: #on_update,
        }
    })
}

/// For each foreign key: the two columns must have the same SQL type (a typed id over `uuid`
/// may reference a `Uuid` key), a compile error otherwise.
pub(super) fn foreign_key_checks(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let module = &t.module;
    let checks = t.columns.iter().filter_map(|c| {
        let target = c.attrs.references.as_ref()?;
        let path = &target.value;
        let f = c.ident;
        let referenced = quote!(<#module::#f as ::buster_db::__private::Column>::References);
        let cname = &c.name;
        let message = format!(
            "column `{}.{}` and the column it references, `{}`, have different SQL types: declare them alike (`sql_type = \"..\"`)",
            t.name,
            c.name,
            quote!(#path).to_string().replace(' ', "")
        );
        Some(quote_spanned! {target.span=>
            const _: () = ::core::assert!(
                ::buster_db::__private::same_sql_type(
                    <#ident as ::buster_db::__private::Table>::META,
                    #cname,
                    <<#referenced as ::buster_db::__private::Column>::Table as ::buster_db::__private::Table>::META,
                    <#referenced as ::buster_db::__private::Column>::NAME,
                ),
                #message
            );
        })
    });
    quote!(#(#checks)*)
}
