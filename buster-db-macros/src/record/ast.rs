//! The record IR: the struct and its fields, in order (the order of the selected columns).

use syn::{Data, DeriveInput, Field, Fields, Ident};

pub(crate) struct Record<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) fields: Vec<&'a Field>,
}

impl<'a> Record<'a> {
    /// Reads the input; a shape it cannot take is the only error there is to report.
    pub(crate) fn from_input(input: &'a DeriveInput) -> syn::Result<Record<'a>> {
        let Data::Struct(data) = &input.data else {
            return Err(not_named(input));
        };
        let Fields::Named(named) = &data.fields else {
            return Err(not_named(input));
        };
        if !input.generics.params.is_empty() {
            return Err(syn::Error::new_spanned(
                &input.generics,
                "a record struct cannot be generic",
            ));
        }
        Ok(Record {
            ident: &input.ident,
            fields: named.named.iter().collect(),
        })
    }
}

fn not_named(input: &DeriveInput) -> syn::Error {
    syn::Error::new_spanned(
        &input.ident,
        "`Record` can only be derived for a struct with named fields, one per selected column",
    )
}
