//! Code generation for `#[derive(Table)]`. The generated code is glue: it names columns, builds
//! metadata and calls generic functions of `::buster_db::__private`.

mod column;
mod conflict;
mod insert;
mod meta;
mod patch;
mod relation;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::ast::{Column, Table};
use super::ty;

pub(crate) fn expand(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let new_ident = format_ident!("New{}", ident);
    let patch_ident = format_ident!("{}Patch", ident);

    let columns_mod = column::module(t);
    let consts = column::constants(t);
    let relations = relation::functions(t);
    let new_struct = insert::new_struct(t, &new_ident);
    let patch_struct = patch::patch_struct(t, &patch_ident);
    let doc_new = format!(
        "The insert shape of [`{ident}`]: columns with a default are `Option` (`None` → `DEFAULT`); managed columns are absent."
    );
    let doc_patch = format!(
        "The update shape of [`{ident}`]: each `Some` field is set; the key and managed columns cannot be."
    );

    let key_ty = one_or_tuple(t.primary_key.iter().map(|&i| t.columns[i].ty));
    let column_types = t.columns.iter().map(|c| c.ty);
    let meta = meta::table_meta(t);
    // PostgreSQL tells two tables of one name apart by their schemas (the same name twice in a
    // FROM list is refused only for one relation), so the schema is part of the identity.
    let table_ident = crate::names::ident_type(&match &t.schema {
        Some(schema) => format!("{}.{}", schema.value, t.name),
        None => t.name.clone(),
    });
    let key_expr = one_or_tuple(t.primary_key.iter().map(|&i| {
        let f = t.columns[i].ident;
        quote!(::core::clone::Clone::clone(&self.#f))
    }));
    let module = &t.module;
    // The row is read by one generic call over the table's column list; the values come back
    // nested as the list is, and are moved into the struct.
    let decoded: Vec<_> = (0..t.columns.len())
        .map(|i| quote::format_ident!("__v{}", i))
        .collect();
    let decode_list = nest(t.columns.iter().map(|c| {
        let f = c.ident;
        quote!(#module::#f)
    }));
    let decode_pattern = nest(decoded.iter().map(|v| quote!(#v)));
    let decode_fields = t.columns.iter().zip(&decoded).map(|(c, v)| {
        let f = c.ident;
        quote!(#f: #v)
    });
    let delete = if t.soft_delete.is_some() {
        quote!(::buster_db::__private::SoftDelete)
    } else {
        quote!(::buster_db::__private::HardDelete)
    };
    let updatable = t.columns.iter().filter(|c| c.updatable()).map(|c| {
        let f = c.ident;
        // Not listed under "other types implement" in a message: the list would be the table's
        // whole column set.
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::__private::Updatable for #module::#f {}
        }
    });
    let conflict_targets = conflict::targets(t);
    let foreign_key_checks = meta::foreign_key_checks(t);

    quote! {
        #columns_mod

        impl #ident {
            #consts
            #relations
        }

        #[doc = #doc_new]
        #new_struct

        #[doc = #doc_patch]
        #patch_struct

        const _: () = {
            #[automatically_derived]
            impl ::buster_db::__private::Table for #ident {
                type Key = #key_ty;
                type New = #new_ident;
                type Patch = #patch_ident;
                type __Columns = (#(#column_types,)*);
                type __Ident = #table_ident;

                const META: &'static ::buster_db::__private::TableMeta = #meta;

                #[inline]
                fn __statements() -> &'static ::buster_db::__private::Statements {
                    static __STATEMENTS: ::buster_db::__private::OnceLock<::buster_db::__private::Statements> =
                        ::buster_db::__private::OnceLock::new();
                    ::buster_db::__private::statements(
                        &__STATEMENTS,
                        <Self as ::buster_db::__private::Table>::META,
                    )
                }

                #[inline]
                fn primary_key(&self) -> Self::Key {
                    #key_expr
                }

                #[inline]
                fn __decode(
                    __row: &::buster_db::__private::Row,
                    __offset: usize,
                ) -> ::buster_db::__private::Result<Self> {
                    match ::buster_db::__private::decode::<#decode_list>(__row, __offset) {
                        ::core::result::Result::Ok(#decode_pattern) => {
                            ::core::result::Result::Ok(#ident {
                                #(#decode_fields,)*
                            })
                        }
                        ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
                    }
                }
            }

            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl #delete for #ident {}
            #(#updatable)*
            #conflict_targets
            #foreign_key_checks
        };
    }
}

/// Items nested in pairs, ending in `()`: `(a, (b, ()))`, as the generic code of
/// `::buster_db::__private` takes a column list and the fields that go with it.
fn nest(items: impl DoubleEndedIterator<Item = TokenStream>) -> TokenStream {
    items
        .rev()
        .fold(quote!(()), |tail, item| quote!((#item, #tail)))
}

/// A key of one column is that column's type or value; a composite key is a tuple.
fn one_or_tuple<T: ToTokens>(items: impl IntoIterator<Item = T>) -> TokenStream {
    let items: Vec<T> = items.into_iter().collect();
    match items.as_slice() {
        [one] => quote!(#one),
        many => quote!((#(#many,)*)),
    }
}

fn option<T: ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn str_list(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

/// The SQL names of columns given by position.
fn column_names(t: &Table<'_>, columns: &[usize]) -> Vec<String> {
    columns.iter().map(|&i| t.columns[i].name.clone()).collect()
}

/// The derives of the insert and update shapes: only what every field type is known to
/// support; `Debug` is written by hand (see [`shape_debug`]).
fn shape_derives(columns: &[&Column<'_>], default: bool) -> TokenStream {
    let mut derives = Vec::new();
    if !columns.iter().any(|c| ty::mentions_json(c.ty)) {
        derives.push(quote!(Clone));
        derives.push(quote!(PartialEq));
    }
    if default {
        derives.push(quote!(Default));
    }
    if derives.is_empty() {
        return quote!();
    }
    quote!(#[derive(#(#derives),*)])
}

/// `Debug` for an insert or update shape, written by the library from the values the shape
/// binds (`debug_insert` / `debug_patch`): no field is read by the derive, so an unsupported
/// field type is reported once, at its column, and the body is one call.
fn shape_debug(t: &Table<'_>, shape: &syn::Ident, helper: TokenStream) -> TokenStream {
    let ident = t.ident;
    let name = shape.to_string();
    quote! {
        #[automatically_derived]
        impl ::core::fmt::Debug for #shape {
            #[inline]
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::buster_db::__private::#helper::<#ident, Self>(self, __f, #name)
            }
        }
    }
}
