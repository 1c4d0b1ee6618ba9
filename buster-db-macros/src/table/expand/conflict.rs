//! `ConflictTarget` impls: the primary key and each unique key, as the column type or tuple of
//! column types an upsert names in `on_conflict(..)`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{column_names, one_or_tuple, str_list};
use crate::table::ast::Table;

pub(super) fn targets(t: &Table<'_>) -> TokenStream {
    let mut out = Vec::new();
    let mut seen: Vec<&[usize]> = Vec::new();
    if !t.primary_key.is_empty() {
        out.push(target(t, &t.primary_key, false));
        seen.push(&t.primary_key);
    }
    // Columns declared as a key twice (a unique key over the primary key, or marked `unique` on
    // the field and on the table) are one target: two impls for one type would overlap.
    for u in &t.uniques {
        if seen.contains(&u.columns.as_slice()) {
            continue;
        }
        seen.push(&u.columns);
        out.push(target(t, &u.columns, !u.all_rows));
    }
    quote!(#(#out)*)
}

/// A unique key of a soft-deletable table is a partial index over live rows, and an upsert on it
/// must name the same predicate; the primary key and `all_rows` keys cover every row, so a
/// deleted row conflicts on them and can be revived.
fn target(t: &Table<'_>, cols: &[usize], partial: bool) -> TokenStream {
    let ident = t.ident;
    let module = &t.module;
    let ty = one_or_tuple(cols.iter().map(|&i| {
        let f = t.columns[i].ident;
        quote!(#module::#f)
    }));
    let names = str_list(&column_names(t, cols));
    let live_only = partial && t.soft_delete.is_some();
    let scope = if live_only {
        quote!(::buster_db::__private::LiveRows)
    } else {
        quote!(::buster_db::__private::AllRows)
    };
    quote! {
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl ::buster_db::__private::ConflictTarget<#ident> for #ty {
            const COLUMNS: &'static [&'static str] = #names;
            const LIVE_ONLY: bool = #live_only;
            type Scope = #scope;
        }
    }
}
