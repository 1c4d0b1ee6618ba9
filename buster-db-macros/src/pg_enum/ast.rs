//! The enum IR: the PostgreSQL type name and each unit variant with its label, borrowed from the
//! input.

use syn::{Data, DataEnum, DeriveInput, Fields, Ident};

use super::attr;
use crate::case::snake_case;
use crate::ctxt::Ctxt;

pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    /// The label in the database: `rename`, or the name in the enum's `rename_all` style.
    pub(crate) label: String,
}

pub(crate) struct Enum<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) data: &'a DataEnum,
    /// The PostgreSQL type name.
    pub(crate) type_name: String,
    /// The unit variants; one with fields is reported and left out.
    pub(crate) variants: Vec<Variant<'a>>,
    /// `#[pg_enum(text)]`: stored as its label in a text column.
    pub(crate) text: bool,
    /// Where `text` and `name` were set, for the rule that they exclude each other.
    pub(crate) text_span: Option<proc_macro2::Span>,
    pub(crate) name_span: Option<proc_macro2::Span>,
}

impl<'a> Enum<'a> {
    /// Reads the input into the IR; `None` (after reporting) when it is not an enum.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Enum<'a>> {
        let Data::Enum(data) = &input.data else {
            cx.error_spanned(
                &input.ident,
                "`Enum` can only be derived for an enum whose variants have no fields",
            );
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned(
                &input.generics,
                "a PostgreSQL enum cannot be generic: its labels are fixed",
            );
        }
        let attrs = attr::enum_attrs(cx, &input.attrs);
        let rename_all = attrs.rename_all.unwrap_or_default();
        let mut variants = Vec::new();
        for v in &data.variants {
            if !matches!(v.fields, Fields::Unit) {
                cx.error_spanned(&v.ident, "a PostgreSQL enum variant cannot carry fields");
                continue;
            }
            let label = attr::variant_rename(cx, &v.attrs)
                .unwrap_or_else(|| rename_all.apply(&v.ident.to_string()));
            variants.push(Variant {
                ident: &v.ident,
                label,
            });
        }
        Some(Enum {
            ident: &input.ident,
            data,
            type_name: attrs
                .name
                .unwrap_or_else(|| snake_case(&input.ident.to_string())),
            variants,
            text: attrs.text.is_some(),
            text_span: attrs.text,
            name_span: attrs.name_span,
        })
    }
}
