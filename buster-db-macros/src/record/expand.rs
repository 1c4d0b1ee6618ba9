//! `FromColumns` impls: from the tuple of the selected columns' values and, for a record of one
//! field, from that one value (a one-column selection returns the value, not a 1-tuple); and
//! `RawRow`, so the rows of a raw statement read into the record, by the fields' names.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Record;

pub(crate) fn expand(r: &Record<'_>) -> TokenStream {
    let ident = r.ident;
    let names: Vec<_> = r.fields.iter().filter_map(|f| f.ident.as_ref()).collect();
    let tys: Vec<_> = r.fields.iter().map(|f| &f.ty).collect();
    let idx = (0..names.len()).map(syn::Index::from);
    let wanted: Vec<_> = names
        .iter()
        .map(|n| crate::names::name_type(&n.to_string()))
        .collect();
    let single = match (names.as_slice(), tys.as_slice(), wanted.as_slice()) {
        ([name], [ty], [want]) => quote! {
            #[automatically_derived]
            impl ::buster_db::__private::FromColumns<#ty> for #ident {
                type Names = #want;
                fn from_columns(__v: #ty) -> Self {
                    #ident { #name: __v }
                }
            }
        },
        _ => quote!(),
    };
    let columns = names.iter().map(|n| {
        let n = n.to_string();
        n.strip_prefix("r#").unwrap_or(&n).to_owned()
    });
    quote! {
        #[automatically_derived]
        impl ::buster_db::__private::FromColumns<(#(#tys,)*)> for #ident {
            type Names = (#(#wanted,)*);
            fn from_columns(__t: (#(#tys,)*)) -> Self {
                #ident { #(#names: __t.#idx,)* }
            }
        }
        #single
        #[automatically_derived]
        impl ::buster_db::__private::RawRow for #ident {
            type Values = (#(#tys,)*);
            const NAMES: ::core::option::Option<&'static [&'static str]> =
                ::core::option::Option::Some(&[#(#columns),*]);
            fn from_values(__t: (#(#tys,)*)) -> Self {
                <Self as ::buster_db::__private::FromColumns<(#(#tys,)*)>>::from_columns(__t)
            }
        }
    }
}
