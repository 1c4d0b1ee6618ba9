//! `#[derive(Table)]`: a struct with named fields as a table. The input is read into a borrowed
//! IR ([`ast`]), checked as a whole ([`valid`]) and only then turned into glue ([`expand`]), so
//! every mistake is reported at once and expansion never sees an inconsistent table.

mod ast;
mod attr;
mod expand;
mod ty;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut cx = Ctxt::default();
    let Some(table) = ast::Table::from_input(&mut cx, &input) else {
        cx.check()?;
        return Ok(TokenStream::new());
    };
    valid::check(&mut cx, &table);
    cx.finish(|| expand::expand(&table))
}

#[cfg(test)]
mod tests {
    /// See `tests/expand/table.rs` for the input and what it expands to.
    #[test]
    fn expansion() -> Result<(), Box<dyn std::error::Error>> {
        crate::snapshot::assert_expansion("table", super::derive)
    }
}
