//! Collects every error found in the input, so that all of them are reported at once.

use std::fmt::Display;

use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
    /// Whether an error leaves nothing to generate; the others still let the expansion go on.
    fatal: bool,
}

impl Ctxt {
    pub(crate) fn error_spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.fatal = true;
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error the expansion works around: it is reported, and the rest is still generated, so
    /// that the code using the item does not fail a second time on what is missing.
    pub(crate) fn recoverable_spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// `expand()` when nothing was reported, or with the errors when every one is recoverable;
    /// the combined errors alone otherwise.
    pub(crate) fn finish(
        self,
        expand: impl FnOnce() -> proc_macro2::TokenStream,
    ) -> syn::Result<proc_macro2::TokenStream> {
        if self.fatal {
            return self.check().map(|()| proc_macro2::TokenStream::new());
        }
        let errors = self.errors.iter().map(syn::Error::to_compile_error);
        let expansion = expand();
        Ok(quote::quote!(#(#errors)* #expansion))
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        self.fatal = true;
        self.errors.push(error);
    }

    /// One combined error, or `Ok` when nothing was reported.
    pub(crate) fn check(self) -> syn::Result<()> {
        let mut errors = self.errors.into_iter();
        let Some(mut first) = errors.next() else {
            return Ok(());
        };
        for e in errors {
            first.combine(e);
        }
        Err(first)
    }
}
