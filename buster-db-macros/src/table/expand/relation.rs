//! The relation functions on the table (`User::posts()`), from `has_one`, `has_many` and
//! `many_to_many` on `#[table(..)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::table::ast::Table;
use crate::table::attr::RelationKind;

pub(super) fn functions(t: &Table<'_>) -> TokenStream {
    let vis = t.vis;
    let fns = t.relations.iter().map(|r| {
        let name = &r.name;
        let target = &r.target;
        // Spanned at the key column, so a type mismatch points at the declaration.
        let new_call = quote_spanned!(target.span()=> ::buster_db::__private::relation());
        match &r.kind {
            RelationKind::HasOne => {
                let doc = format!(
                    "The `{name}` relation: the row of `{}` whose key column points here.",
                    quote!(#target)
                );
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::__private::HasOne<Self, #target> {
                        #new_call
                    }
                }
            }
            RelationKind::HasMany => {
                let doc = format!(
                    "The `{name}` relation: the rows whose `{}` points here.",
                    quote!(#target)
                );
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::__private::HasMany<Self, #target> {
                        #new_call
                    }
                }
            }
            RelationKind::ManyToMany {
                through: (from, to),
            } => {
                let doc = format!(
                    "The `{name}` relation: rows of `{}` linked through `{}`.",
                    quote!(#target),
                    quote!(#from)
                );
                let new_m2m = quote_spanned!(from.span()=> ::buster_db::__private::ManyToMany::__new());
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::__private::ManyToMany<Self, #from, #to, #target> {
                        #new_m2m
                    }
                }
            }
        }
    });
    quote!(#(#fns)*)
}
