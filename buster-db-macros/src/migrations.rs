use proc_macro2::TokenStream;
pub(crate) fn embed(_input: TokenStream) -> syn::Result<TokenStream> {
    Ok(quote::quote!(&[]))
}
