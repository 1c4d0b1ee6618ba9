//! Parsing of `#[pg_enum(..)]` on the enum and on its variants. Bad attributes are reported to
//! the [`Ctxt`] and parsing goes on.

use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

use crate::case::{camel_case, snake_case};
use crate::ctxt::Ctxt;

const OPTIONS: &str =
    "`name = \"..\"`, `rename_all = \"snake_case\" | \"camelCase\" | \"lowercase\"`, `text`";

/// How variant names become labels when a variant has no `rename`.
#[derive(Clone, Copy, Default)]
pub(crate) enum RenameAll {
    #[default]
    SnakeCase,
    CamelCase,
    Lowercase,
}

impl RenameAll {
    pub(crate) fn apply(self, variant: &str) -> String {
        match self {
            RenameAll::SnakeCase => snake_case(variant),
            RenameAll::CamelCase => camel_case(variant),
            RenameAll::Lowercase => variant.to_lowercase(),
        }
    }
}

#[derive(Default)]
pub(crate) struct EnumAttrs {
    /// The PostgreSQL type name.
    pub(crate) name: Option<String>,
    pub(crate) rename_all: Option<RenameAll>,
    /// `text`: the labels are kept in a text column, not in a PostgreSQL enum type.
    pub(crate) text: Option<proc_macro2::Span>,
    /// Where `name` was set, for the rule that a text enum has no type name.
    pub(crate) name_span: Option<proc_macro2::Span>,
}

pub(crate) fn enum_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> EnumAttrs {
    let mut out = EnumAttrs::default();
    for attr in pg_enum(attrs) {
        let r = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("text") {
                out.text = Some(meta.path.span());
            } else if meta.path.is_ident("name") {
                let v: LitStr = meta.value()?.parse()?;
                out.name_span = Some(v.span());
                out.name = Some(v.value());
            } else if meta.path.is_ident("rename_all") {
                let v: LitStr = meta.value()?.parse()?;
                match v.value().as_str() {
                    "snake_case" => out.rename_all = Some(RenameAll::SnakeCase),
                    "camelCase" => out.rename_all = Some(RenameAll::CamelCase),
                    "lowercase" => out.rename_all = Some(RenameAll::Lowercase),
                    other => cx.error_spanned(
                        &v,
                        format_args!("unknown `rename_all` style `{other}`, expected one of `snake_case`, `camelCase`, `lowercase`"),
                    ),
                }
            } else {
                cx.error_spanned(
                    &meta.path,
                    format_args!("unknown `pg_enum` attribute, expected one of {OPTIONS}"),
                );
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    out
}

/// A variant's `rename = ".."`: its label, as written.
pub(crate) fn variant_rename(cx: &mut Ctxt, attrs: &[Attribute]) -> Option<String> {
    let mut label = None;
    for attr in pg_enum(attrs) {
        let r = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let l: LitStr = meta.value()?.parse()?;
                label = Some(l.value());
            } else {
                cx.error_spanned(
                    &meta.path,
                    "unknown `pg_enum` variant attribute, expected `rename = \"..\"`",
                );
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    label
}

fn pg_enum(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("pg_enum"))
}
