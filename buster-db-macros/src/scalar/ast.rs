//! The newtype IR: the struct and its one field.

use syn::{Data, DeriveInput, Fields, Ident, Member, Type};

use crate::ctxt::Ctxt;

pub(crate) enum Newtype<'a> {
    /// A struct of one field over a column type.
    Wrapper {
        ident: &'a Ident,
        /// How the wrapped value is reached: `0` or the field's name.
        member: Member,
        inner: &'a Type,
    },
    /// `#[scalar(json)]`: any serde type, stored as `jsonb`.
    Json { ident: &'a Ident },
}

/// Whether `#[scalar(json)]` is present; other `scalar` options are reported.
fn json(cx: &mut Ctxt, input: &DeriveInput) -> bool {
    let mut json = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("scalar")) {
        let r = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("json") {
                json = true;
            } else {
                cx.error_spanned(&meta.path, "unknown `scalar` attribute, expected `json`");
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    json
}

impl<'a> Newtype<'a> {
    /// A struct of exactly one field, not generic: the column type is the field's, fixed. With
    /// `#[scalar(json)]`, any non-generic type: serde gives its shape.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Newtype<'a>> {
        if !input.generics.params.is_empty() {
            cx.error_spanned(
                &input.generics,
                "`Scalar` cannot be derived for a generic type: a column has one fixed type",
            );
        }
        if json(cx, input) {
            return Some(Newtype::Json {
                ident: &input.ident,
            });
        }
        let fields = match &input.data {
            Data::Struct(s) => &s.fields,
            _ => {
                cx.error_spanned(
                    &input.ident,
                    "`Scalar` can only be derived for a struct with one field, e.g. `struct UserId(Uuid);`; for an enum use `#[derive(buster_db::Enum)]`, or `#[scalar(json)]` to store it as jsonb",
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
        Some(Newtype::Wrapper {
            ident: &input.ident,
            member,
            inner: &field.ty,
        })
    }
}
