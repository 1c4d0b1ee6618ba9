//! `#[buster_db::test]`: an async test that receives a `Db` on its own fresh database.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Meta, Token};

use crate::migrations;

/// The parsed `#[buster_db::test(..)]` arguments.
struct Args {
    /// `migrations = "folder"`: fixture files applied after the crate's own migrations.
    fixtures: Option<LitStr>,
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = parse_args(args, &mut errors);
    let func: ItemFn = syn::parse2(item)?;
    check_signature(&func, &mut errors);
    let fixtures = match &args.fixtures {
        Some(lit) => match migrations::scan(lit) {
            Ok(files) => migrations::expand(&files),
            Err(e) => {
                errors.push(e);
                quote!(&[])
            }
        },
        None => quote!(&[]),
    };
    errors.finish()?;
    Ok(generate(&func, &fixtures))
}

fn parse_args(args: TokenStream, errors: &mut Errors) -> Args {
    let mut out = Args { fixtures: None };
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(e) => {
            errors.push(e);
            return out;
        }
    };
    for meta in metas {
        let path = meta.path();
        if path.is_ident("migrations") {
            let lit = match &meta {
                Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            };
            match lit {
                Some(_) if out.fixtures.is_some() => errors.push(syn::Error::new(
                    meta.span(),
                    "duplicate `test` argument `migrations`",
                )),
                Some(lit) => out.fixtures = Some(lit),
                None => errors.push(syn::Error::new(
                    meta.span(),
                    "expected `migrations = \"folder\"`, a folder relative to the crate's manifest",
                )),
            }
        } else {
            let name = quote!(#path).to_string().replace(' ', "");
            errors.push(syn::Error::new(
                path.span(),
                format!("unknown `test` argument `{name}`, expected `migrations`"),
            ));
        }
    }
    out
}

fn check_signature(func: &ItemFn, errors: &mut Errors) {
    let sig = &func.sig;
    if sig.asyncness.is_none() {
        errors.push(syn::Error::new(
            sig.fn_token.span,
            "`#[buster_db::test]` requires an `async fn`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            sig.generics.span(),
            "`#[buster_db::test]` functions cannot be generic",
        ));
    }
    if let Some(token) = &sig.constness {
        errors.push(syn::Error::new(
            token.span,
            "`#[buster_db::test]` functions cannot be `const`",
        ));
    }
    if let Some(token) = &sig.unsafety {
        errors.push(syn::Error::new(
            token.span,
            "`#[buster_db::test]` functions cannot be `unsafe`",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new(
            variadic.span(),
            "`#[buster_db::test]` functions cannot be variadic",
        ));
    }
    match sig.inputs.len() {
        1 => {
            if let Some(FnArg::Receiver(recv)) = sig.inputs.first() {
                errors.push(syn::Error::new(
                    recv.span(),
                    "`#[buster_db::test]` functions take `db: Db`, not `self`",
                ));
            }
        }
        0 => errors.push(syn::Error::new(
            sig.paren_token.span.join(),
            "`#[buster_db::test]` functions take exactly one argument, `db: Db`",
        )),
        _ => errors.push(syn::Error::new(
            sig.inputs
                .iter()
                .nth(1)
                .map_or(sig.ident.span(), Spanned::span),
            "`#[buster_db::test]` functions take exactly one argument, `db: Db`",
        )),
    }
    for attr in &func.attrs {
        if attr.path().is_ident("test") {
            errors.push(syn::Error::new(
                attr.span(),
                "remove `#[test]`: `#[buster_db::test]` already declares the test",
            ));
        }
    }
}

/// The original function becomes an inner item of a plain `#[test]` function with the same
/// name, so test filters, `#[ignore]` and `#[should_panic]` behave as for any other test.
fn generate(func: &ItemFn, fixtures: &TokenStream) -> TokenStream {
    let ItemFn {
        attrs, vis, sig, ..
    } = func;
    let ident = &sig.ident;
    let output = &sig.output;
    let mut inner = func.clone();
    inner.attrs.clear();
    inner.vis = syn::Visibility::Inherited;
    // Type mismatches of the argument (`&Db`, `Conn`, ..) are reported at the argument.
    let arg_span = sig.inputs.span();
    let body = quote_spanned!(arg_span=> #ident);
    quote! {
        #[::core::prelude::v1::test]
        #(#attrs)*
        #vis fn #ident() #output {
            #inner
            ::buster_db::testing::__block_on(::buster_db::testing::__run(
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                ::buster_db::migrate::MIGRATIONS,
                #fixtures,
                #body,
            ))
        }
    }
}

/// Collects every error so the user sees all of them in one compile.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn errors(args: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> Vec<String> {
        match super::expand(args, item) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn accepts_async_fn_with_one_argument() {
        let out = super::expand(
            quote!(),
            quote!(
                async fn finds(db: Db) {}
            ),
        );
        let text = out.map(|t| t.to_string()).unwrap_or_default();
        assert!(text.contains("__run"), "{text}");
        assert!(text.contains("fn finds ()"), "{text}");
    }

    #[test]
    fn reports_every_error_at_once() {
        let errs = errors(
            quote!(migration = "x", migrations = 3),
            quote!(
                fn finds(a: Db, b: Db) {}
            ),
        );
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs[0].contains("unknown `test` argument `migration`"));
        assert!(errs[1].contains("expected `migrations = \"folder\"`"));
        assert!(errs[2].contains("requires an `async fn`"));
        assert!(errs[3].contains("exactly one argument"));
    }

    #[test]
    fn rejects_missing_argument() {
        let errs = errors(
            quote!(),
            quote!(
                async fn finds() {}
            ),
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
    }
}
