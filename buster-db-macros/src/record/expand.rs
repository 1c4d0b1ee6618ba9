//! `#[derive(Record)]`: a struct built from the tuple a column subset returns.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: &DeriveInput = &syn::parse2(input)?;
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => &named.named,
            _ => {
                return Err(syn::Error::new_spanned(
                    &input.ident,
                    "`Record` can only be derived for a struct with named fields, one per selected column",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "`Record` can only be derived for a struct with named fields, one per selected column",
            ));
        }
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "a record struct cannot be generic",
        ));
    }
    let ident = &input.ident;
    let names: Vec<_> = fields.iter().filter_map(|f| f.ident.as_ref()).collect();
    let tys: Vec<_> = fields.iter().map(|f| &f.ty).collect();
    let idx = (0..names.len()).map(syn::Index::from);
    let single = match (names.as_slice(), tys.as_slice()) {
        ([name], [ty]) => quote! {
            #[automatically_derived]
            impl ::buster_db::FromColumns<#ty> for #ident {
                fn from_columns(__v: #ty) -> Self {
                    #ident { #name: __v }
                }
            }
        },
        _ => quote!(),
    };
    Ok(quote! {
        #[automatically_derived]
        impl ::buster_db::FromColumns<(#(#tys,)*)> for #ident {
            fn from_columns(__t: (#(#tys,)*)) -> Self {
                #ident { #(#names: __t.#idx,)* }
            }
        }
        #single
    })
}
