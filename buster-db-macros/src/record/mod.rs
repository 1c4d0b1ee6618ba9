//! `#[derive(Record)]`: a struct built from the tuple a column subset returns. There is no
//! cross-field rule (the column types are checked against the fields by the `FromColumns`
//! bound where the record is used), so there is an IR ([`ast`]) and glue ([`expand`]) only.

mod ast;
mod expand;

use proc_macro2::TokenStream;
use syn::DeriveInput;

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let record = ast::Record::from_input(&input)?;
    Ok(expand::expand(&record))
}

#[cfg(test)]
mod tests {
    /// See `tests/expand/record.rs` for the input and what it expands to.
    #[test]
    fn expansion() -> Result<(), Box<dyn std::error::Error>> {
        crate::snapshot::assert_expansion("record", super::derive)
    }
}
