//! `#[derive(Enum)]`: a fieldless Rust enum as a PostgreSQL enum type. Read into an IR
//! ([`ast`]), checked ([`valid`]), then expanded ([`expand`]), like the table derive.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut cx = Ctxt::default();
    let Some(pg_enum) = ast::Enum::from_input(&mut cx, &input) else {
        cx.check()?;
        return Ok(TokenStream::new());
    };
    valid::check(&mut cx, &pg_enum);
    cx.check()?;
    Ok(expand::expand(&pg_enum))
}

#[cfg(test)]
mod tests {
    /// See `tests/expand/enum.rs` for the input and what it expands to.
    #[test]
    fn expansion() -> Result<(), Box<dyn std::error::Error>> {
        crate::snapshot::assert_expansion("enum", super::derive)
    }
}
