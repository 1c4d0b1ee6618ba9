//! The column types (one unit struct per column, in a module beside the table) and the
//! constants on the table that name them (`User::email`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::table::ast::Table;

pub(super) fn module(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let module = &t.module;
    // The column types are as visible as the struct they point back to.
    let item_vis = match t.vis {
        syn::Visibility::Inherited => quote!(pub(super)),
        syn::Visibility::Public(_) => quote!(pub),
        _ => quote!(pub(crate)),
    };
    let doc = format!("The column types of table `{}` ([`{}`]).", t.name, ident);
    let items = t.columns.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let name = &c.name;
        let field = match crate::names::letters(&f.to_string()) {
            Some(letters) => quote!(letters = [#(#letters)*]),
            None => {
                let field = crate::names::name_type(&f.to_string());
                quote!(field = #field)
            }
        };
        let doc = format!("Column `{}` of `{}`.", c.name, t.name);
        let value = quote_spanned!(ty.span()=> #ty);
        let references = match &c.attrs.references {
            // Written relative to the struct's module; this impl is one module further in.
            Some(target) => {
                let path = &target.value;
                match path.segments.first() {
                    Some(first) if first.ident == "self" => {
                        let rest = path.segments.iter().skip(1);
                        quote!(super #(::#rest)*)
                    }
                    Some(first) if first.ident == "super" => quote!(super::#path),
                    _ => quote!(#path),
                }
            }
            None => quote!(()),
        };
        // Arithmetic only where the column is a number: four impls per column are most of
        // what a table costs the compiler, and on any other column they could only fail.
        let ops = match crate::table::ty::numeric(ty) {
            Some(number) => quote!(::buster_db::__column_ops!(#f, #number, #ty);),
            None => quote!(),
        };
        quote! {
            ::buster_db::__column!(
                #[doc = #doc] #item_vis #f of super::#ident,
                value = #value, #field, references = #references, name = #name
            );
            #ops
        }
    });
    // The module sits beside the struct; its items are reachable exactly as far as the struct.
    let outer_vis = match t.vis {
        syn::Visibility::Inherited => quote!(),
        other => quote!(#other),
    };
    let fields = t.columns.iter().map(|c| c.ident);
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, non_snake_case)]
        #outer_vis mod #module {
            #[allow(unused_imports)]
            use super::*;
            #(#items)*

            // rustc prints a type by its bare name when no other item of the crate has that
            // name; a namesake for each column keeps messages at `users::email`, with the table.
            #[allow(dead_code)]
            mod __namesakes {
                #(pub(super) struct #fields;)*
            }
        }
    }
}

pub(super) fn constants(t: &Table<'_>) -> TokenStream {
    let vis = t.vis;
    let module = &t.module;
    let consts = t
        .columns
        .iter()
        .filter(|c| !super::super::valid::is_reserved(&c.ident.to_string()))
        .map(|c| {
            let f = c.ident;
            let doc = format!("The `{}` column of `{}`.", c.name, t.name);
            quote! {
                #[doc = #doc]
                #[allow(non_upper_case_globals)]
                #vis const #f: #module::#f = #module::#f;
            }
        });
    quote!(#(#consts)*)
}
