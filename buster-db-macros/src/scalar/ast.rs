//! The newtype IR: the struct and its one field.

use syn::{Data, DeriveInput, Fields, Ident, Member, Type};

use crate::ctxt::Ctxt;

pub(crate) struct Newtype<'a> {
    pub(crate) ident: &'a Ident,
    /// How the wrapped value is reached: `0` or the field's name.
    pub(crate) member: Member,
    pub(crate) inner: &'a Type,
}

impl<'a> Newtype<'a> {
    /// A struct of exactly one field, not generic: the column type is the field's, fixed.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Newtype<'a>> {
        if !input.generics.params.is_empty() {
            cx.error_spanned(
                &input.generics,
                "`Scalar` cannot be derived for a generic type: a column has one fixed type",
            );
        }
        let fields = match &input.data {
            Data::Struct(s) => &s.fields,
            _ => {
                cx.error_spanned(
                    &input.ident,
                    "`Scalar` can only be derived for a struct with one field, e.g. `struct UserId(Uuid);`; for an enum use `#[derive(buster_db::Enum)]`",
                );
                return None;
            }
        };
        let (Fields::Named(_) | Fields::Unnamed(_)) = fields else {
            cx.error_spanned(
                &input.ident,
                "`Scalar` can only be derived for a struct with one field, e.g. `struct UserId(Uuid);`",
            );
            return None;
        };
        let mut iter = fields.iter();
        let (Some(field), None) = (iter.next(), iter.next()) else {
            cx.error_spanned(
                fields,
                "`Scalar` can only be derived for a struct with exactly one field: the value it stores",
            );
            return None;
        };
        let member = match &field.ident {
            Some(name) => Member::Named(name.clone()),
            None => Member::Unnamed(0.into()),
        };
        Some(Newtype {
            ident: &input.ident,
            member,
            inner: &field.ty,
        })
    }
}
