//! `#[derive(Enum)]`: a fieldless Rust enum as a PostgreSQL enum type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::case::snake_case;
use crate::ctxt::Ctxt;

const OPTIONS: &str =
    "`name = \"..\"`, `rename_all = \"snake_case\" | \"camelCase\" | \"lowercase\"`";

pub(crate) fn derive(input: TokenStream) -> syn::Result<TokenStream> {
    let input: &DeriveInput = &syn::parse2(input)?;
    let mut cx = Ctxt::default();
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`Enum` can only be derived for an enum whose variants have no fields",
        ));
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned(
            &input.generics,
            "a PostgreSQL enum cannot be generic: its labels are fixed",
        );
    }
    let mut type_name = None;
    let mut rename_all = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("pg_enum")) {
        let r = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let v: LitStr = meta.value()?.parse()?;
                type_name = Some(v.value());
            } else if meta.path.is_ident("rename_all") {
                let v: LitStr = meta.value()?.parse()?;
                match v.value().as_str() {
                    "snake_case" | "camelCase" | "lowercase" => rename_all = Some(v.value()),
                    other => cx.error_spanned(
                        &v,
                        format_args!("unknown `rename_all` style `{other}`, expected one of `snake_case`, `camelCase`, `lowercase`"),
                    ),
                }
            } else {
                cx.error_spanned(
                    &meta.path,
                    format_args!("unknown `pg_enum` attribute, expected one of {OPTIONS}"),
                );
            }
            Ok(())
        });
        if let Err(e) = r {
            cx.push(e);
        }
    }
    let ident = &input.ident;
    let type_name = type_name.unwrap_or_else(|| snake_case(&ident.to_string()));
    let style = rename_all.unwrap_or_else(|| "snake_case".to_owned());
    let mut variants = Vec::new();
    let mut labels = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            cx.error_spanned(&v.ident, "a PostgreSQL enum variant cannot carry fields");
            continue;
        }
        let mut label = None;
        for attr in v.attrs.iter().filter(|a| a.path().is_ident("pg_enum")) {
            let r = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let l: LitStr = meta.value()?.parse()?;
                    label = Some(l.value());
                } else {
                    cx.error_spanned(
                        &meta.path,
                        "unknown `pg_enum` variant attribute, expected `rename = \"..\"`",
                    );
                }
                Ok(())
            });
            if let Err(e) = r {
                cx.push(e);
            }
        }
        let name = v.ident.to_string();
        let label = label.unwrap_or_else(|| match style.as_str() {
            "camelCase" => {
                let mut c = name.chars();
                c.next()
                    .map(|f| f.to_lowercase().chain(c).collect())
                    .unwrap_or_default()
            }
            "lowercase" => name.to_lowercase(),
            _ => snake_case(&name),
        });
        if let Some(pos) = labels.iter().position(|l| *l == label) {
            let first: &syn::Ident = variants[pos];
            cx.error_spanned(
                &v.ident,
                format!("label `{label}` is used by both `{first}` and `{}`; each variant needs its own label", v.ident),
            );
        }
        variants.push(&v.ident);
        labels.push(label);
    }
    if data.variants.is_empty() {
        cx.error_spanned(ident, "a PostgreSQL enum needs at least one variant");
    }
    cx.check()?;
    Ok(quote! {
        const _: () = {
            static __META: ::buster_db::EnumMeta = ::buster_db::EnumMeta {
                name: #type_name,
                labels: &[#(#labels),*],
            };

            #[automatically_derived]
            impl ::buster_db::Enum for #ident {
                const META: &'static ::buster_db::EnumMeta = &__META;
                fn label(&self) -> &'static str {
                    match self {
                        #(#ident::#variants => #labels,)*
                    }
                }
            }

            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::Scalar for #ident {
                const SQL_TYPE: ::buster_db::SqlType = ::buster_db::SqlType::enumeration(&__META);
            }

            #[automatically_derived]
            impl ::buster_db::Element for #ident {}

            #[automatically_derived]
            impl ::buster_db::__private::ToSql for #ident {
                fn to_sql(
                    &self,
                    _ty: &::buster_db::__private::Type,
                    out: &mut ::buster_db::__private::BytesMut,
                ) -> ::core::result::Result<::buster_db::__private::IsNull, ::buster_db::__private::BoxError> {
                    ::buster_db::__private::enum_to_sql(::buster_db::Enum::label(self), out)
                }

                fn accepts(ty: &::buster_db::__private::Type) -> bool {
                    ::buster_db::__private::enum_accepts(ty, #type_name)
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
                    ::buster_db::__private::enum_accepts(ty, #type_name)
                }
            }
        };
    })
}
