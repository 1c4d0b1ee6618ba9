//! Rules over the whole enum. Each says why it exists; each reports at the offending token.

use super::ast::Enum;
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, e: &Enum<'_>) {
    distinct_labels(cx, e);
    some_variant(cx, e);
    text_has_no_type_name(cx, e);
}

/// A text enum lives in a text column: no PostgreSQL type exists to carry a name, and a name
/// would suggest one that the drift check could look for.
fn text_has_no_type_name(cx: &mut Ctxt, e: &Enum<'_>) {
    if let (Some(_), Some(name)) = (e.text_span, e.name_span) {
        cx.push(syn::Error::new(
            name,
            "a `text` enum is stored in a text column and has no PostgreSQL type name; remove `name`",
        ));
    }
}

/// A label names one value of the PostgreSQL type: two variants with one label could not be
/// told apart when read back.
fn distinct_labels(cx: &mut Ctxt, e: &Enum<'_>) {
    for (i, v) in e.variants.iter().enumerate() {
        if let Some(first) = e.variants[..i].iter().find(|f| f.label == v.label) {
            cx.error_spanned(
                v.ident,
                format!(
                    "label `{}` is used by both `{}` and `{}`; each variant needs its own label",
                    v.label, first.ident, v.ident
                ),
            );
        }
    }
}

/// A Rust enum without variants has no value to write and could decode none: a column of that
/// type is always a mistake.
fn some_variant(cx: &mut Ctxt, e: &Enum<'_>) {
    if e.data.variants.is_empty() {
        cx.error_spanned(e.ident, "a PostgreSQL enum needs at least one variant");
    }
}
