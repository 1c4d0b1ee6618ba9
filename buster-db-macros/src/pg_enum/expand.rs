//! The impls of `#[derive(Enum)]`: `Enum` (labels and metadata), `Scalar` and `Element` (so the
//! type works as a column and an array element), and the `ToSql` / `FromSql` glue, which calls
//! the label functions of `::buster_db::__private`.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Enum;

pub(crate) fn expand(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let type_name = &e.type_name;
    let variants: Vec<_> = e.variants.iter().map(|v| v.ident).collect();
    let labels: Vec<_> = e.variants.iter().map(|v| &v.label).collect();
    let (sql_type, accepts) = if e.text {
        (
            quote!(::buster_db::__private::SqlType::named("text")),
            quote!(::buster_db::__private::text_accepts(ty)),
        )
    } else {
        (
            quote!(::buster_db::__private::SqlType::enumeration(&__META)),
            quote!(::buster_db::__private::enum_accepts(ty, #type_name)),
        )
    };
    quote! {
        const _: () = {
            static __META: ::buster_db::__private::EnumMeta = ::buster_db::__private::EnumMeta {
                name: #type_name,
                labels: &[#(#labels),*],
            };

            #[automatically_derived]
            impl ::buster_db::__private::Enum for #ident {
                const META: &'static ::buster_db::__private::EnumMeta = &__META;
                fn label(&self) -> &'static str {
                    match self {
                        #(#ident::#variants => #labels,)*
                    }
                }
            }

            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::__private::Scalar for #ident {
                const SQL_TYPE: ::buster_db::__private::SqlType = #sql_type;
            }

            #[automatically_derived]
            impl ::buster_db::__private::Element for #ident {}

            #[automatically_derived]
            impl ::buster_db::__private::ToSql for #ident {
                fn to_sql(
                    &self,
                    _ty: &::buster_db::__private::Type,
                    out: &mut ::buster_db::__private::BytesMut,
                ) -> ::core::result::Result<::buster_db::__private::IsNull, ::buster_db::__private::BoxError> {
                    ::buster_db::__private::enum_to_sql(::buster_db::__private::Enum::label(self), out)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    #accepts
                }

                ::buster_db::__private::to_sql_checked!();
            }

            #[automatically_derived]
            impl<'__a> ::buster_db::__private::FromSql<'__a> for #ident {
                fn from_sql(
                    _ty: &::buster_db::__private::Type,
                    raw: &'__a [u8],
                ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
                    match ::buster_db::__private::enum_label(raw, #type_name)? {
                        #(#labels => ::core::result::Result::Ok(#ident::#variants),)*
                        __other => ::core::result::Result::Err(
                            ::buster_db::__private::unknown_label(__other, #type_name),
                        ),
                    }
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    #accepts
                }
            }
        };
    }
}
