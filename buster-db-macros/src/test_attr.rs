use proc_macro2::TokenStream;
pub(crate) fn expand(_args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    Ok(item)
}
