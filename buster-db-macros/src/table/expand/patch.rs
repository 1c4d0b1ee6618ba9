//! The update shape `<Table>Patch`: every column an update may set, each `Option`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

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
    // One generic call over the patch's column list and its fields, nested the same way.
    let list = super::nest(cols.iter().map(|c| {
        let f = c.ident;
        quote!(#module::#f)
    }));
    let refs = super::nest(cols.iter().map(|c| {
        let f = c.ident;
        quote!(&self.#f)
    }));
    // Every field is an `Option`, so the patch is always `Default` (nothing set): written out as
    // `None` for each field, which the compiler checks faster than a derive's calls.
    let derives = shape_derives(&cols, false);
    let nothing = cols.iter().map(|c| {
        let f = c.ident;
        quote!(#f: ::core::option::Option::None)
    });
    let debug = shape_debug(t, patch_ident, quote!(debug_patch));
    quote! {
        #derives
        #vis struct #patch_ident {
            #(#fields,)*
        }

        #debug

        #[automatically_derived]
        impl ::core::default::Default for #patch_ident {
            #[inline]
            fn default() -> Self {
                #patch_ident {
                    #(#nothing,)*
                }
            }
        }

        #[automatically_derived]
        impl ::buster_db::__private::Patch<#ident> for #patch_ident {
            #[inline]
            fn __sets<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<(&'static str, &'__a (dyn ::buster_db::__private::ToSql + Sync))>,
            ) {
                ::buster_db::__private::sets::<#list, _>(#refs, __out);
            }
        }
    }
}
