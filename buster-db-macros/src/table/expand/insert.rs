//! The insert shape `New<Table>`: every column a caller may write, `Option` where the column has
//! a default; with the bindings of one row and the arrays of many (`UNNEST`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

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
    // One generic call per method over the shape's column list (a column with a default as
    // `Defaulted<..>`) and its fields, nested the same way.
    let list = super::nest(cols.iter().map(|c| {
        let f = c.ident;
        if c.default().is_some() {
            quote!(::buster_db::__private::Defaulted<#module::#f>)
        } else {
            quote!(#module::#f)
        }
    }));
    let refs = super::nest(cols.iter().map(|c| {
        let f = c.ident;
        quote!(&self.#f)
    }));
    let owned = super::nest(cols.iter().map(|c| {
        let f = c.ident;
        quote!(__r.#f)
    }));
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
                ::buster_db::__private::values::<#list, _>(#refs, __out);
            }

            #[inline]
            fn __arrays(
                __rows: ::std::vec::Vec<Self>,
            ) -> ::std::vec::Vec<::std::boxed::Box<dyn ::buster_db::__private::ToSql + Send + Sync>> {
                ::buster_db::__private::arrays::<#list, _, _>(__rows, |__r: Self| #owned)
            }
        }
    }
}
