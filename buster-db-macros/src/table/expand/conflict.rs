//! `ConflictTarget` impls: the primary key and each unique key, as the column type or tuple of
//! column types an upsert names in `on_conflict(..)`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{column_names, one_or_tuple, str_list};
use crate::table::ast::Table;

/// Keys of at most this many columns are accepted in any order (PostgreSQL matches a conflict
/// target to a unique index whatever the order of its columns); longer ones in declared order.
const ANY_ORDER_UP_TO: usize = 4;

pub(super) fn targets(t: &Table<'_>) -> TokenStream {
    let mut out = Vec::new();
    let mut seen: Vec<Vec<usize>> = Vec::new();
    let keys = (!t.primary_key.is_empty())
        .then_some((t.primary_key.as_slice(), false))
        .into_iter()
        .chain(
            t.uniques
                .iter()
                .map(|u| (u.columns.as_slice(), !u.all_rows)),
        );
    // Columns declared as a key twice (a unique key over the primary key, the same columns
    // marked `unique` on the field and on the table, or in another order) are one target: two
    // impls for one type would overlap.
    for (cols, partial) in keys {
        let mut set = cols.to_vec();
        set.sort_unstable();
        if seen.contains(&set) {
            continue;
        }
        seen.push(set);
        for order in orders(cols) {
            out.push(target(t, &order, partial));
        }
    }
    quote!(#(#out)*)
}

/// `cols` in every order for a short key, else as declared.
fn orders(cols: &[usize]) -> Vec<Vec<usize>> {
    if cols.len() < 2 || cols.len() > ANY_ORDER_UP_TO {
        return vec![cols.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &first) in cols.iter().enumerate() {
        let rest: Vec<usize> = cols
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &c)| c)
            .collect();
        for mut tail in orders(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
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
