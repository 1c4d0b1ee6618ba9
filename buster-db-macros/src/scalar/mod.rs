//! `#[derive(Scalar)]`: a newtype over a column type as a column type of its own, or with
//! `#[scalar(json)]` a serde type stored as jsonb. Read into an IR ([`ast`]), then expanded
//! ([`expand`]); the one shape rule is checked while reading.

mod ast;
mod expand;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut cx = Ctxt::default();
    let newtype = ast::Newtype::from_input(&mut cx, &input);
    cx.check()?;
    Ok(newtype.map(|n| expand::expand(&n)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    /// See `tests/expand/scalar.rs` for the input and what it expands to.
    #[test]
    fn expansion() -> Result<(), Box<dyn std::error::Error>> {
        crate::snapshot::assert_expansion("scalar", super::derive)
    }

    /// See `tests/expand/scalar_json.rs`.
    #[test]
    fn json_expansion() -> Result<(), Box<dyn std::error::Error>> {
        crate::snapshot::assert_expansion("scalar_json", super::derive)
    }
}
