//! The insert shape `New<Table>`: every column a caller may write, `Option` where the column has
//! a default; with the bindings of one row and the arrays of many (`UNNEST`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::shape_derives;
use crate::table::ast::{Column, Table};
use crate::table::ty;

pub(super) fn new_struct(t: &Table<'_>, new_ident: &Ident) -> TokenStream {
    let vis = t.vis;
    let ident = t.ident;
    let cols: Vec<&Column<'_>> = t.columns.iter().filter(|c| c.insertable()).collect();
    let fields = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let doc = match c.default() {
            Some(d) => format!("Column `{}`; `None` uses its default `{d}`.", c.name),
            None => format!("Column `{}`.", c.name),
        };
        if c.default().is_some() {
            quote!(#[doc = #doc] pub #f: ::core::option::Option<#ty>)
        } else {
            quote!(#[doc = #doc] pub #f: #ty)
        }
    });
    let defaultable = cols
        .iter()
        .all(|c| c.default().is_some() || ty::has_known_default(c.ty));
    let derives = shape_derives(&cols, defaultable);
    let values = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned! {ty.span()=>
                __out.push(self.#f.as_ref().map(::buster_db::__private::bind::<#ty>));
            }
        } else {
            quote_spanned! {ty.span()=>
                __out.push(::core::option::Option::Some(::buster_db::__private::bind::<#ty>(&self.#f)));
            }
        }
    });
    let array = |i: usize| format_ident!("__c{}", i);
    let arrays_decl = cols.iter().enumerate().map(|(i, c)| {
        let v = array(i);
        let ty = c.ty;
        if c.default().is_some() {
            quote!(let mut #v: ::std::vec::Vec<::core::option::Option<#ty>> = ::std::vec::Vec::with_capacity(__n);)
        } else {
            quote!(let mut #v: ::std::vec::Vec<#ty> = ::std::vec::Vec::with_capacity(__n);)
        }
    });
    let arrays_push = cols.iter().enumerate().map(|(i, c)| {
        let v = array(i);
        let f = c.ident;
        quote!(#v.push(__r.#f);)
    });
    let arrays_out = cols.iter().enumerate().map(|(i, c)| {
        let v = array(i);
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned!(ty.span()=> ::buster_db::__private::array_opt::<#ty>(#v))
        } else {
            quote_spanned!(ty.span()=> ::buster_db::__private::array::<#ty>(#v))
        }
    });
    quote! {
        #derives
        #vis struct #new_ident {
            #(#fields,)*
        }

        #[automatically_derived]
        impl ::buster_db::__private::Insertable<#ident> for #new_ident {
            fn __values<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<::core::option::Option<&'__a (dyn ::buster_db::__private::ToSql + Sync)>>,
            ) {
                #(#values)*
            }

            fn __arrays(
                __rows: ::std::vec::Vec<Self>,
            ) -> ::std::vec::Vec<::std::boxed::Box<dyn ::buster_db::__private::ToSql + Send + Sync>> {
                let __n = __rows.len();
                #(#arrays_decl)*
                for __r in __rows {
                    #(#arrays_push)*
                }
                ::std::vec![#(#arrays_out),*]
            }
        }
    }
}
