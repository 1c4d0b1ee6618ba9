//! `#[buster_db::test]`: an async test that receives a `Db` on its own fresh database.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Meta, Token};

use crate::migrations;

/// The parsed `#[buster_db::test(..)]` arguments.
#[derive(Default)]
struct Args {
    /// `migrations = "folder"` or `migrations = path::TO::MIGRATIONS`; `None`: the `migrations/`
    /// folder next to the calling crate's manifest.
    migrations: Option<Source>,
    /// Whether a `migrations` argument was written, valid or not (an invalid one is reported
    /// as such, not as a missing folder).
    migrations_named: bool,
    /// `fixtures = "folder"`: files applied after the migrations, not recorded as migrations.
    fixtures: Option<LitStr>,
}

/// Where a test's migrations come from.
enum Source {
    Folder(LitStr),
    Static(syn::Path),
}

/// The folder `#[buster_db::test]` reads when no `migrations` argument is given, as
/// `#[sqlx::test]` does: the schema of the crate under test, not of some other crate.
const DEFAULT_FOLDER: &str = "migrations";

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = parse_args(args, &mut errors);
    let func: ItemFn = syn::parse2(item)?;
    check_signature(&func, &mut errors);
    let migrations = match &args.migrations {
        Some(Source::Static(path)) => quote!(#path),
        Some(Source::Folder(lit)) => embed(lit, &mut errors),
        None if args.migrations_named => quote!(&[]),
        None => default_migrations(&func, &mut errors),
    };
    let fixtures = match &args.fixtures {
        Some(lit) => embed(lit, &mut errors),
        None => quote!(&[]),
    };
    errors.finish()?;
    Ok(generate(&func, &migrations, &fixtures))
}

fn embed(lit: &LitStr, errors: &mut Errors) -> TokenStream {
    match migrations::scan(lit) {
        Ok(files) => migrations::expand(&files),
        Err(e) => {
            errors.push(e);
            quote!(&[])
        }
    }
}

/// The calling crate's `migrations/` folder; without one the test cannot know its schema, and
/// silently testing against an empty database would hide that.
fn default_migrations(func: &ItemFn, errors: &mut Errors) -> TokenStream {
    let span = func.sig.ident.span();
    let lit = LitStr::new(DEFAULT_FOLDER, span);
    let exists = std::env::var_os("CARGO_MANIFEST_DIR")
        .is_some_and(|root| std::path::Path::new(&root).join(DEFAULT_FOLDER).is_dir());
    if !exists {
        errors.push(syn::Error::new(
            span,
            "`#[buster_db::test]` found no `migrations/` folder next to this crate's Cargo.toml; \
             add one, or name the migrations: `#[buster_db::test(migrations = \"folder\")]` \
             or `#[buster_db::test(migrations = my_crate::MIGRATIONS)]`",
        ));
        return quote!(&[]);
    }
    embed(&lit, errors)
}

fn parse_args(args: TokenStream, errors: &mut Errors) -> Args {
    let mut out = Args::default();
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(e) => {
            errors.push(e);
            return out;
        }
    };
    for meta in metas {
        let path = meta.path();
        let value = match &meta {
            Meta::NameValue(nv) => Some(&nv.value),
            _ => None,
        };
        let folder = |value: Option<&syn::Expr>| match value {
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) => Some(s.clone()),
            _ => None,
        };
        if path.is_ident("migrations") {
            out.migrations_named = true;
            let source = match value {
                Some(syn::Expr::Path(p)) if p.qself.is_none() => {
                    Some(Source::Static(p.path.clone()))
                }
                other => folder(other).map(Source::Folder),
            };
            match source {
                Some(_) if out.migrations.is_some() => errors.push(syn::Error::new(
                    meta.span(),
                    "duplicate `test` argument `migrations`",
                )),
                Some(source) => out.migrations = Some(source),
                None => errors.push(syn::Error::new(
                    meta.span(),
                    "expected `migrations = \"folder\"` (relative to the crate's manifest) or \
                     `migrations = path::TO::MIGRATIONS` (a `&[Migration]`)",
                )),
            }
        } else if path.is_ident("fixtures") {
            match folder(value) {
                Some(_) if out.fixtures.is_some() => errors.push(syn::Error::new(
                    meta.span(),
                    "duplicate `test` argument `fixtures`",
                )),
                Some(lit) => out.fixtures = Some(lit),
                None => errors.push(syn::Error::new(
                    meta.span(),
                    "expected `fixtures = \"folder\"`, a folder relative to the crate's manifest",
                )),
            }
        } else {
            let name = quote!(#path).to_string().replace(' ', "");
            errors.push(syn::Error::new(
                path.span(),
                format!("unknown `test` argument `{name}`, expected `migrations` or `fixtures`"),
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
fn generate(func: &ItemFn, migrations: &TokenStream, fixtures: &TokenStream) -> TokenStream {
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
            ::buster_db::__private::block_on_test(::buster_db::__private::run_test(
                ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                #migrations,
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
            quote!(migrations = my_crate::MIGRATIONS),
            quote!(
                async fn finds(db: Db) {}
            ),
        );
        let text = out.map(|t| t.to_string()).unwrap_or_default();
        assert!(text.contains("run_test"), "{text}");
        assert!(text.contains("fn finds ()"), "{text}");
        assert!(text.contains("my_crate :: MIGRATIONS"), "{text}");
    }

    #[test]
    fn reports_every_error_at_once() {
        let errs = errors(
            quote!(migration = "x", migrations = 3, fixtures = x),
            quote!(
                fn finds(a: Db, b: Db) {}
            ),
        );
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(errs[0].contains("unknown `test` argument `migration`"));
        assert!(errs[1].contains("expected `migrations = \"folder\"`"));
        assert!(errs[2].contains("expected `fixtures = \"folder\"`"));
        assert!(errs[3].contains("requires an `async fn`"));
        assert!(errs[4].contains("exactly one argument"));
    }

    #[test]
    fn rejects_missing_argument() {
        let errs = errors(
            quote!(migrations = m::M),
            quote!(
                async fn finds() {}
            ),
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
    }

    #[test]
    fn without_a_migrations_folder_says_how_to_name_one() {
        // The macro crate itself has no `migrations/` folder.
        let errs = errors(
            quote!(),
            quote!(
                async fn finds(db: Db) {}
            ),
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains("found no `migrations/` folder"),
            "{errs:?}"
        );
        assert!(
            errs[0].contains("migrations = my_crate::MIGRATIONS"),
            "{errs:?}"
        );
    }
}
