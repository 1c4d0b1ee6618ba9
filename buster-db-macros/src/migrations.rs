//! `embed_migrations!("folder")`: lists `NNNN_name.sql` files at compile time and embeds them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

/// One `NNNN_name.sql` file found in the folder.
pub(crate) struct MigrationFile {
    pub(crate) version: i64,
    pub(crate) name: String,
    pub(crate) file_name: String,
    pub(crate) path: String,
}

pub(crate) fn embed(input: TokenStream) -> syn::Result<TokenStream> {
    let lit: LitStr = syn::parse2(input).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a string literal: the migrations folder, relative to the crate's manifest",
        )
    })?;
    let files = scan(&lit)?;
    Ok(expand(&files))
}

/// Emits `&[Migration { .. }, ..]`, already sorted by version.
pub(crate) fn expand(files: &[MigrationFile]) -> TokenStream {
    let items = files.iter().map(|f| {
        let version = f.version;
        let name = &f.name;
        let path = &f.path;
        quote! {
            ::buster_db::__private::Migration {
                version: #version,
                name: #name,
                sql: ::core::include_str!(#path),
            }
        }
    });
    quote!(&[#(#items),*])
}

/// Reads the folder named by `lit` (relative to `CARGO_MANIFEST_DIR`); every error points at `lit`.
pub(crate) fn scan(lit: &LitStr) -> syn::Result<Vec<MigrationFile>> {
    let span = lit.span();
    let dir = resolve(&lit.value(), span)?;
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        syn::Error::new(
            span,
            format!("cannot read migrations folder `{}`: {e}", dir.display()),
        )
    })?;

    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(e) => push(syn::Error::new(
                span,
                format!("cannot list migrations folder `{}`: {e}", dir.display()),
            )),
        }
    }
    // Directory order differs between systems; sorting keeps the messages stable.
    paths.sort();

    let mut by_version: BTreeMap<i64, MigrationFile> = BTreeMap::new();
    for path in paths {
        if !path.is_file() || path.extension().is_none_or(|ext| ext != "sql") {
            continue;
        }
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            push(syn::Error::new(
                span,
                format!(
                    "migration file name `{}` is not valid UTF-8",
                    path.display()
                ),
            ));
            continue;
        };
        let Some((version, name)) = parse_file_name(&file_name) else {
            push(syn::Error::new(
                span,
                format!(
                    "migration file `{file_name}` must be named `NNNN_name.sql` \
                     (digits, `_`, then lowercase letters, digits and `_`)"
                ),
            ));
            continue;
        };
        let Ok(version) = version.parse::<i64>() else {
            push(syn::Error::new(
                span,
                format!("migration file `{file_name}` has a version that does not fit in an i64"),
            ));
            continue;
        };
        let Some(abs) = path.to_str().map(str::to_owned) else {
            push(syn::Error::new(
                span,
                format!("migration path `{}` is not valid UTF-8", path.display()),
            ));
            continue;
        };
        if let Some(first) = by_version.get(&version) {
            push(syn::Error::new(
                span,
                format!(
                    "duplicate migration version {version}: `{}` and `{file_name}`",
                    first.file_name
                ),
            ));
            continue;
        }
        by_version.insert(
            version,
            MigrationFile {
                version,
                name: name.to_owned(),
                file_name,
                path: abs,
            },
        );
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(by_version.into_values().collect()),
    }
}

fn resolve(relative: &str, span: Span) -> syn::Result<PathBuf> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| {
        syn::Error::new(
            span,
            "`CARGO_MANIFEST_DIR` is not set; build with cargo to embed migrations",
        )
    })?;
    Ok(Path::new(&root).join(relative))
}

/// Splits `0001_create_users.sql` into `("0001", "create_users")`; `None` unless the whole name
/// matches `^\d+_[a-z0-9_]+\.sql$`.
fn parse_file_name(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".sql")?;
    let (version, name) = stem.split_once('_')?;
    let version_ok = !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit());
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    (version_ok && name_ok).then_some((version, name))
}

#[cfg(test)]
mod tests {
    use super::parse_file_name;

    #[test]
    fn file_names() {
        assert_eq!(parse_file_name("0001_users.sql"), Some(("0001", "users")));
        assert_eq!(
            parse_file_name("12_add_index_2.sql"),
            Some(("12", "add_index_2"))
        );
        assert_eq!(parse_file_name("0001_Users.sql"), None);
        assert_eq!(parse_file_name("0001_.sql"), None);
        assert_eq!(parse_file_name("_users.sql"), None);
        assert_eq!(parse_file_name("v1_users.sql"), None);
        assert_eq!(parse_file_name("0001-users.sql"), None);
        assert_eq!(parse_file_name("0001_users.SQL"), None);
    }
}
