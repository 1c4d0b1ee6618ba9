//! The update shape `<Table>Patch`: every column an update may set, each `Option`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::{shape_debug, shape_derives};
use crate::table::ast::{Column, Table};

pub(super) fn patch_struct(t: &Table<'_>, patch_ident: &Ident) -> TokenStream {
    let module = &t.module;
    let vis = t.vis;
    let ident = t.ident;
    let cols: Vec<&Column<'_>> = t.columns.iter().filter(|c| c.updatable()).collect();
    let fields = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let doc = format!("Sets column `{}` when `Some`.", c.name);
        quote!(#[doc = #doc] pub #f: ::core::option::Option<#ty>)
    });
    let sets = cols.iter().map(|c| {
        let f = c.ident;
        let name = &c.name;
        let ty = c.ty;
        quote_spanned! {ty.span()=>
            if let ::core::option::Option::Some(__v) = &self.#f {
                __out.push((#name, ::buster_db::__private::bind::<#module::#f>(__v)));
            }
        }
    });
    // Every field is an `Option`, so the patch is always `Default` (nothing set).
    let derives = shape_derives(&cols, true);
    let debug = shape_debug(t, patch_ident, quote!(debug_patch));
    quote! {
        #derives
        #vis struct #patch_ident {
            #(#fields,)*
        }

        #debug

        #[automatically_derived]
        impl ::buster_db::__private::Patch<#ident> for #patch_ident {
            #[inline]
            fn __sets<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<(&'static str, &'__a (dyn ::buster_db::__private::ToSql + Sync))>,
            ) {
                #(#sets)*
            }
        }
    }
}
