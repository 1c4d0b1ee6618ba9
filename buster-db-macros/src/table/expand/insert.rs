//! The insert shape `New<Table>`: every column a caller may write, `Option` where the column has
//! a default; with the bindings of one row and the arrays of many (`UNNEST`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::{shape_debug, shape_derives};
use crate::table::ast::{Column, Table};
use crate::table::ty;

pub(super) fn new_struct(t: &Table<'_>, new_ident: &Ident) -> TokenStream {
    let module = &t.module;
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
    // A column is required when it is NOT NULL without an SQL default: `Default` would fill it
    // with a Rust zero (a nil uuid for a foreign key), so the shape is `Default` only when no
    // column is required, and `new` takes the required ones.
    let required: Vec<&&Column<'_>> = cols
        .iter()
        .filter(|c| c.default().is_none() && !ty::is_option(c.ty))
        .collect();
    let defaultable = required.is_empty()
        && cols
            .iter()
            .all(|c| c.default().is_some() || ty::has_known_default(c.ty));
    let derives = shape_derives(&cols, defaultable);
    let debug = shape_debug(t, new_ident, quote!(debug_insert));
    let new_params = required.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        quote!(#f: #ty)
    });
    let new_fields = cols.iter().map(|c| {
        let f = c.ident;
        if required.iter().any(|r| r.ident == c.ident) {
            quote!(#f)
        } else {
            quote!(#f: ::core::option::Option::None)
        }
    });
    let new_doc = if required.is_empty() {
        format!(
            "A row of `{}` with every column at its default (or NULL).",
            t.name
        )
    } else {
        let names: Vec<String> = required.iter().map(|c| format!("`{}`", c.name)).collect();
        format!(
            "A row of `{}` with its required columns ({}: NOT NULL, no default) and every other column at its default (or NULL); set others with `{n} {{ column: Some(value), ..{n}::new(..) }}`.",
            t.name,
            names.join(", "),
            n = new_ident
        )
    };
    let values = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned! {ty.span()=>
                __out.push(self.#f.as_ref().map(::buster_db::__private::bind::<#module::#f>));
            }
        } else {
            quote_spanned! {ty.span()=>
                __out.push(::core::option::Option::Some(::buster_db::__private::bind::<#module::#f>(&self.#f)));
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
        let f = c.ident;
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned!(ty.span()=> ::buster_db::__private::array_opt::<#module::#f>(#v))
        } else {
            quote_spanned!(ty.span()=> ::buster_db::__private::array::<#module::#f>(#v))
        }
    });
    quote! {
        #derives
        #vis struct #new_ident {
            #(#fields,)*
        }

        #debug

        impl #new_ident {
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments, clippy::new_without_default)]
            #[inline]
            #vis fn new(#(#new_params),*) -> #new_ident {
                #new_ident {
                    #(#new_fields,)*
                }
            }
        }

        #[automatically_derived]
        impl ::buster_db::__private::Insertable<#ident> for #new_ident {
            #[inline]
            fn __values<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<::core::option::Option<&'__a (dyn ::buster_db::__private::ToSql + Sync)>>,
            ) {
                #(#values)*
            }

            #[inline]
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
