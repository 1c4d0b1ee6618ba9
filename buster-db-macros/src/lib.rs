//! Derive and attribute macros of buster-db. Use them through the `buster-db` crate, which
//! re-exports them; the generated code refers to `::buster_db`.
//!
//! Each entry point only converts between `proc_macro` and `proc_macro2` tokens; the work is done
//! by a `proc_macro2` function, so it can be unit-tested and its expansion snapshotted.
#![forbid(unsafe_code)]

mod case;
mod ctxt;
mod migrations;
mod names;
mod pg_enum;
mod record;
mod scalar;
#[cfg(test)]
mod snapshot;
mod table;
mod test_attr;

use proc_macro::TokenStream;

/// Derives a table: see the `buster_db::Table` documentation for the attributes.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    table::derive(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives a PostgreSQL enum type mapping for a fieldless Rust enum.
#[proc_macro_derive(Enum, attributes(pg_enum))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    pg_enum::derive(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives a column type for a struct of one field over a column type (`struct UserId(Uuid);`):
/// stored as the field's type, compared only with itself. With `#[scalar(json)]`, a serde type
/// stored as `jsonb`.
#[proc_macro_derive(Scalar, attributes(scalar))]
pub fn derive_scalar(input: TokenStream) -> TokenStream {
    scalar::derive(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `FromColumns` for a struct with named fields, so a column subset can be read into it:
/// `User::select().columns((User::id, User::email)).all_as::<UserEmail>(&db)`. Field types must
/// match the selected columns' types, in order.
#[proc_macro_derive(Record)]
pub fn derive_record(input: TokenStream) -> TokenStream {
    record::derive(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Runs an async test against its own fresh database cloned from a migrated template.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    test_attr::expand(args.into(), item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Embeds every `NNNN_name.sql` file of a folder (relative to the calling crate's manifest) as
/// a `&'static [buster_db::migrate::Migration]`, in version order.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    migrations::embed(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
