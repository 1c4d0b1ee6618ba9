//! The impls of `#[derive(Scalar)]`: `Scalar` with the wrapped type's SQL type, `Element` when
//! the wrapped type is one, and `ToSql` / `FromSql` handing off to the wrapped value.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Newtype;

pub(crate) fn expand(n: &Newtype<'_>) -> TokenStream {
    match n {
        Newtype::Wrapper {
            ident,
            member,
            inner,
        } => wrapper(ident, member, inner),
        Newtype::Json { ident } => json(ident),
    }
}

/// `#[scalar(json)]`: `jsonb` through serde, as `Json<T>` would store it.
fn json(ident: &syn::Ident) -> TokenStream {
    quote! {
        const _: () = {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::__private::Scalar for #ident {
                const SQL_TYPE: ::buster_db::__private::SqlType =
                    ::buster_db::__private::SqlType::named("jsonb");
            }

            #[automatically_derived]
            impl ::buster_db::__private::Element for #ident {}

            #[automatically_derived]
            impl ::buster_db::__private::ToSql for #ident {
                fn to_sql(
                    &self,
                    ty: &::buster_db::__private::Type,
                    out: &mut ::buster_db::__private::BytesMut,
                ) -> ::core::result::Result<::buster_db::__private::IsNull, ::buster_db::__private::BoxError> {
                    ::buster_db::__private::ToSql::to_sql(&::buster_db::__private::Json(self), ty, out)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    <::buster_db::__private::Json<Self> as ::buster_db::__private::ToSql>::accepts(ty)
                }

                ::buster_db::__private::to_sql_checked!();
            }

            #[automatically_derived]
            impl<'__a> ::buster_db::__private::FromSql<'__a> for #ident {
                fn from_sql(
                    ty: &::buster_db::__private::Type,
                    raw: &'__a [u8],
                ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
                    <::buster_db::__private::Json<Self> as ::buster_db::__private::FromSql<'__a>>::from_sql(ty, raw)
                        .map(|__json| __json.0)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    <::buster_db::__private::Json<Self> as ::buster_db::__private::FromSql<'__a>>::accepts(ty)
                }
            }
        };
    }
}

fn wrapper(ident: &syn::Ident, member: &syn::Member, inner: &syn::Type) -> TokenStream {
    let construct = match member {
        syn::Member::Named(name) => quote!(|__v| #ident { #name: __v }),
        syn::Member::Unnamed(_) => quote!(#ident),
    };
    // Spanned at the field's type, so "`X` is not a supported column type" points at it.
    let sql_type = quote_spanned! {inner.span()=>
        <#inner as ::buster_db::__private::Scalar>::SQL_TYPE
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::__private::Scalar for #ident {
                const SQL_TYPE: ::buster_db::__private::SqlType = #sql_type;
            }

            // The higher-ranked bound keeps this impl a conditional one: a newtype over a type
            // that cannot be an array element is still a column type, just not an element.
            #[automatically_derived]
            impl ::buster_db::__private::Element for #ident
            where
                for<'__a> #inner: ::buster_db::__private::Element,
            {
            }

            #[automatically_derived]
            impl ::buster_db::__private::ToSql for #ident {
                fn to_sql(
                    &self,
                    ty: &::buster_db::__private::Type,
                    out: &mut ::buster_db::__private::BytesMut,
                ) -> ::core::result::Result<::buster_db::__private::IsNull, ::buster_db::__private::BoxError> {
                    ::buster_db::__private::ToSql::to_sql(&self.#member, ty, out)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    <#inner as ::buster_db::__private::ToSql>::accepts(ty)
                }

                ::buster_db::__private::to_sql_checked!();
            }

            #[automatically_derived]
            impl<'__a> ::buster_db::__private::FromSql<'__a> for #ident {
                fn from_sql(
                    ty: &::buster_db::__private::Type,
                    raw: &'__a [u8],
                ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
                    <#inner as ::buster_db::__private::FromSql<'__a>>::from_sql(ty, raw).map(#construct)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    <#inner as ::buster_db::__private::FromSql<'__a>>::accepts(ty)
                }
            }
        };
    }
}
