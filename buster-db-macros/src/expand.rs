//! Code generation for `#[derive(Table)]`. The generated code is glue: it names columns, builds
//! metadata and calls generic functions of `::buster_db::__private`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident};

use crate::ast::{self, Column, Managed, Table};
use crate::ctxt::Ctxt;
use crate::valid;

pub(crate) fn derive_table(input: &DeriveInput) -> syn::Result<TokenStream> {
    let mut cx = Ctxt::default();
    let Some(mut table) = ast::Table::from_input(&mut cx, input) else {
        cx.check()?;
        return Ok(TokenStream::new());
    };
    valid::check(&mut cx, &mut table);
    cx.check()?;
    Ok(expand(&table))
}

fn expand(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let vis = t.vis;
    let module = &t.module;
    let new_ident = format_ident!("New{}", ident);
    let patch_ident = format_ident!("{}Patch", ident);

    let columns_mod = columns_module(t);
    let consts = t.columns.iter().map(|c| {
        let f = c.ident;
        let doc = format!("The `{}` column of `{}`.", c.name, t.name);
        quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals)]
            #vis const #f: #module::#f = #module::#f;
        }
    });

    let key_ty = key_type(t);
    let meta = meta(t);
    let new_struct = new_struct(t, &new_ident);
    let patch_struct = patch_struct(t, &patch_ident);

    let decode_fields = t.columns.iter().enumerate().map(|(i, c)| {
        let f = c.ident;
        let name = &c.name;
        let ty = c.ty;
        quote_spanned! {c.ty.span()=>
            #f: ::buster_db::__private::column::<#ty>(__row, __offset + #i, #name)?
        }
    });

    let soft = if t.soft_delete.is_some() {
        quote! {
            #[automatically_derived]
            impl ::buster_db::SoftDelete for #ident {}
        }
    } else {
        quote! {
            #[automatically_derived]
            impl ::buster_db::HardDelete for #ident {}
        }
    };

    let updatable = t.columns.iter().filter(|c| c.updatable()).map(|c| {
        let f = c.ident;
        quote! {
            #[automatically_derived]
            impl ::buster_db::Updatable for #module::#f {}
        }
    });

    let conflict_targets = conflict_targets(t);
    let key_expr = {
        let parts: Vec<_> = t
            .primary_key
            .iter()
            .map(|&i| {
                let f = t.columns[i].ident;
                quote!(::core::clone::Clone::clone(&self.#f))
            })
            .collect();
        match parts.as_slice() {
            [one] => one.clone(),
            many => quote!((#(#many,)*)),
        }
    };
    let relations = relations(t);
    let doc_new = format!(
        "The insert shape of [`{ident}`]: columns with a default are `Option` (`None` → `DEFAULT`); managed columns are absent."
    );
    let doc_patch = format!(
        "The update shape of [`{ident}`]: each `Some` field is set; the key and managed columns cannot be."
    );

    quote! {
        #columns_mod

        #[automatically_derived]
        impl #ident {
            #(#consts)*
            #relations
        }

        #[doc = #doc_new]
        #new_struct

        #[doc = #doc_patch]
        #patch_struct

        const _: () = {
            #[automatically_derived]
            impl ::buster_db::Table for #ident {
                type Key = #key_ty;
                type New = #new_ident;
                type Patch = #patch_ident;

                const META: &'static ::buster_db::TableMeta = #meta;

                fn __statements() -> &'static ::buster_db::__private::Statements {
                    static __STATEMENTS: ::buster_db::__private::OnceLock<::buster_db::__private::Statements> =
                        ::buster_db::__private::OnceLock::new();
                    __STATEMENTS.get_or_init(|| ::buster_db::__private::Statements::new(
                        <Self as ::buster_db::Table>::META,
                    ))
                }

                fn primary_key(&self) -> Self::Key {
                    #key_expr
                }

                fn __decode(
                    __row: &::buster_db::Row,
                    __offset: usize,
                ) -> ::buster_db::Result<Self> {
                    ::core::result::Result::Ok(#ident {
                        #(#decode_fields,)*
                    })
                }
            }

            #soft
            #(#updatable)*
            #conflict_targets
        };
    }
}

fn relations(t: &Table<'_>) -> TokenStream {
    use crate::attr::RelationKind;
    let vis = t.vis;
    let fns = t.attrs.relations.iter().map(|r| {
        let name = &r.name;
        let target = &r.target;
        // Spanned at the key column, so a type mismatch points at the declaration.
        let new_call = quote_spanned!(target.span()=> ::buster_db::__private::relation());
        let new_m2m = match &r.through {
            Some((from, _)) => quote_spanned!(from.span()=> ::buster_db::ManyToMany::__new()),
            None => quote!(),
        };
        match (&r.kind, &r.through) {
            (RelationKind::HasOne, _) => {
                let doc = format!(
                    "The `{name}` relation: the row of `{}` whose key column points here.",
                    quote!(#target)
                );
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::HasOne<Self, #target> {
                        #new_call
                    }
                }
            }
            (RelationKind::HasMany, _) => {
                let doc = format!(
                    "The `{name}` relation: the rows whose `{}` points here.",
                    quote!(#target)
                );
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::HasMany<Self, #target> {
                        #new_call
                    }
                }
            }
            (RelationKind::ManyToMany, Some((from, to))) => {
                let doc = format!(
                    "The `{name}` relation: rows of `{}` linked through `{}`.",
                    quote!(#target),
                    quote!(#from)
                );
                quote! {
                    #[doc = #doc]
                    #vis fn #name() -> ::buster_db::ManyToMany<Self, #from, #to, #target> {
                        #new_m2m
                    }
                }
            }
            (RelationKind::ManyToMany, None) => quote!(),
        }
    });
    quote!(#(#fns)*)
}

fn columns_module(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let module = &t.module;
    // The column types are as visible as the struct they point back to.
    let item_vis = match t.vis {
        syn::Visibility::Inherited => quote!(pub(super)),
        syn::Visibility::Public(_) => quote!(pub),
        _ => quote!(pub(crate)),
    };
    let doc = format!("The column types of table `{}` ([`{}`]).", t.name, ident);
    let items = t.columns.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let name = &c.name;
        let doc = format!("Column `{}` of `{}`.", c.name, t.name);
        let value = quote_spanned!(ty.span()=> #ty);
        quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            #item_vis struct #f;

            #[automatically_derived]
            impl ::buster_db::Column for #f {
                type Table = super::#ident;
                type Value = #value;
                const NAME: &'static str = #name;
            }
        }
    });
    // The module sits beside the struct; its items are reachable exactly as far as the struct.
    let outer_vis = match t.vis {
        syn::Visibility::Inherited => quote!(),
        other => quote!(#other),
    };
    let fields = t.columns.iter().map(|c| c.ident);
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, non_snake_case)]
        #outer_vis mod #module {
            #[allow(unused_imports)]
            use super::*;
            #(#items)*

            // rustc prints a type by its bare name when no other item of the crate has that
            // name; a namesake for each column keeps messages at `users::email`, with the table.
            #[allow(dead_code)]
            mod __namesakes {
                #(pub(super) struct #fields;)*
            }
        }
    }
}

fn key_type(t: &Table<'_>) -> TokenStream {
    let tys: Vec<_> = t.primary_key.iter().map(|&i| t.columns[i].ty).collect();
    match tys.as_slice() {
        [one] => quote!(#one),
        many => quote!((#(#many,)*)),
    }
}

fn str_list(items: impl Iterator<Item = String>) -> TokenStream {
    let items: Vec<String> = items.collect();
    quote!(&[#(#items),*])
}

fn meta(t: &Table<'_>) -> TokenStream {
    let name = &t.name;
    let struct_name = t.ident.to_string();
    let columns = t.columns.iter().map(|c| {
        let ty = c.ty;
        let cname = &c.name;
        let field = c.ident.to_string();
        let default = match c.default() {
            Some(d) => quote!(::core::option::Option::Some(#d)),
            None => quote!(::core::option::Option::None),
        };
        let pk = c.primary_key;
        let managed = match c.managed {
            Managed::No => quote!(No),
            Managed::CreatedAt => quote!(CreatedAt),
            Managed::UpdatedAt => quote!(UpdatedAt),
            Managed::SoftDelete => quote!(SoftDelete),
        };
        let sql_type = quote_spanned!(ty.span()=> <#ty as ::buster_db::ColumnType>::SQL_TYPE);
        let nullable = quote_spanned!(ty.span()=> <#ty as ::buster_db::ColumnType>::NULLABLE);
        quote! {
            ::buster_db::ColumnMeta {
                name: #cname,
                field: #field,
                sql_type: #sql_type,
                nullable: #nullable,
                default: #default,
                primary_key: #pk,
                managed: ::buster_db::Managed::#managed,
            }
        }
    });
    let pk = str_list(t.primary_key.iter().map(|&i| t.columns[i].name.clone()));
    let predicate = live_predicate(t);
    let predicate = match &predicate {
        Some(p) => quote!(::core::option::Option::Some(#p)),
        None => quote!(::core::option::Option::None),
    };
    let index = |key: &ast::Key, unique: bool| {
        let names: Vec<String> = key
            .columns
            .iter()
            .map(|&i| t.columns[i].name.clone())
            .collect();
        let idx_name = format!(
            "{}_{}_{}",
            t.name,
            names.join("_"),
            if unique { "key" } else { "idx" }
        );
        let cols = str_list(names.into_iter());
        let pred = if unique {
            predicate.clone()
        } else {
            quote!(::core::option::Option::None)
        };
        let nnd = key.nulls_not_distinct;
        quote! {
            ::buster_db::IndexMeta {
                name: #idx_name,
                columns: #cols,
                unique: #unique,
                predicate: #pred,
                nulls_not_distinct: #nnd,
            }
        }
    };
    let indexes = t
        .uniques
        .iter()
        .map(|k| index(k, true))
        .chain(t.indexes.iter().map(|k| index(k, false)));
    let opt = |v: Option<usize>| match v {
        Some(i) => quote!(::core::option::Option::Some(#i)),
        None => quote!(::core::option::Option::None),
    };
    let soft = opt(t.soft_delete);
    let updated = opt(t.updated_at);
    quote! {
        &::buster_db::TableMeta {
            name: #name,
            struct_name: #struct_name,
            columns: &[#(#columns),*],
            primary_key: #pk,
            indexes: &[#(#indexes),*],
            soft_delete: #soft,
            updated_at: #updated,
        }
    }
}

/// `"deleted_at" IS NULL` for soft-deletable tables: unique keys hold among live rows only.
fn live_predicate(t: &Table<'_>) -> Option<String> {
    t.soft_delete
        .map(|i| format!("\"{}\" IS NULL", t.columns[i].name.replace('"', "\"\"")))
}

/// Types whose `Default` is known, so the insert shape can derive `Default`.
fn has_known_default(ty: &syn::Type) -> bool {
    let Some(seg) = ast::last_segment(ty) else {
        return false;
    };
    matches!(
        seg.ident.to_string().as_str(),
        "String"
            | "bool"
            | "i16"
            | "i32"
            | "i64"
            | "f32"
            | "f64"
            | "Vec"
            | "Option"
            | "Uuid"
            | "Value"
            | "JsonValue"
    )
}

fn mentions_json(ty: &syn::Type) -> bool {
    quote!(#ty).to_string().contains("Json <") || quote!(#ty).to_string().contains("Json<")
}

fn new_struct(t: &Table<'_>, new_ident: &Ident) -> TokenStream {
    let vis = t.vis;
    let ident = t.ident;
    let cols: Vec<&Column<'_>> = t.columns.iter().filter(|c| c.insertable()).collect();
    let fields = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let doc = match c.default() {
            Some(d) => format!("Column `{}`; `None` uses its default `{d}`.", c.name),
            None => format!("Column `{}`.", c.name),
        };
        if c.default().is_some() {
            quote!(#[doc = #doc] pub #f: ::core::option::Option<#ty>)
        } else {
            quote!(#[doc = #doc] pub #f: #ty)
        }
    });
    let defaultable = cols
        .iter()
        .all(|c| c.default().is_some() || has_known_default(c.ty));
    let clonable = !cols.iter().any(|c| mentions_json(c.ty));
    let mut derives = vec![quote!(Debug)];
    if clonable {
        derives.push(quote!(Clone));
        derives.push(quote!(PartialEq));
    }
    if defaultable {
        derives.push(quote!(Default));
    }
    let values = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned! {ty.span()=>
                __out.push(self.#f.as_ref().map(::buster_db::__private::bind::<#ty>));
            }
        } else {
            quote_spanned! {ty.span()=>
                __out.push(::core::option::Option::Some(::buster_db::__private::bind::<#ty>(&self.#f)));
            }
        }
    });
    let arrays_decl = cols.iter().enumerate().map(|(i, c)| {
        let v = format_ident!("__c{}", i);
        let ty = c.ty;
        if c.default().is_some() {
            quote!(let mut #v: ::std::vec::Vec<::core::option::Option<#ty>> = ::std::vec::Vec::with_capacity(__n);)
        } else {
            quote!(let mut #v: ::std::vec::Vec<#ty> = ::std::vec::Vec::with_capacity(__n);)
        }
    });
    let arrays_push = cols.iter().enumerate().map(|(i, c)| {
        let v = format_ident!("__c{}", i);
        let f = c.ident;
        quote!(#v.push(__r.#f);)
    });
    let arrays_out = cols.iter().enumerate().map(|(i, c)| {
        let v = format_ident!("__c{}", i);
        let ty = c.ty;
        if c.default().is_some() {
            quote_spanned!(ty.span()=> ::buster_db::__private::array_opt::<#ty>(#v))
        } else {
            quote_spanned!(ty.span()=> ::buster_db::__private::array::<#ty>(#v))
        }
    });
    quote! {
        #[derive(#(#derives),*)]
        #vis struct #new_ident {
            #(#fields,)*
        }

        #[automatically_derived]
        impl ::buster_db::Insertable<#ident> for #new_ident {
            fn __values<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<::core::option::Option<&'__a (dyn ::buster_db::__private::ToSql + Sync)>>,
            ) {
                #(#values)*
            }

            fn __arrays(
                __rows: ::std::vec::Vec<Self>,
            ) -> ::std::vec::Vec<::std::boxed::Box<dyn ::buster_db::__private::ToSql + Send + Sync>> {
                let __n = __rows.len();
                #(#arrays_decl)*
                for __r in __rows {
                    #(#arrays_push)*
                }
                ::std::vec![#(#arrays_out),*]
            }
        }
    }
}

fn patch_struct(t: &Table<'_>, patch_ident: &Ident) -> TokenStream {
    let vis = t.vis;
    let ident = t.ident;
    let cols: Vec<&Column<'_>> = t.columns.iter().filter(|c| c.updatable()).collect();
    let fields = cols.iter().map(|c| {
        let f = c.ident;
        let ty = c.ty;
        let doc = format!("Sets column `{}` when `Some`.", c.name);
        quote!(#[doc = #doc] pub #f: ::core::option::Option<#ty>)
    });
    let sets = cols.iter().map(|c| {
        let f = c.ident;
        let name = &c.name;
        let ty = c.ty;
        quote_spanned! {ty.span()=>
            if let ::core::option::Option::Some(__v) = &self.#f {
                __out.push((#name, ::buster_db::__private::bind::<#ty>(__v)));
            }
        }
    });
    let clonable = !cols.iter().any(|c| mentions_json(c.ty));
    let derives = if clonable {
        quote!(Debug, Clone, PartialEq, Default)
    } else {
        quote!(Debug, Default)
    };
    quote! {
        #[derive(#derives)]
        #vis struct #patch_ident {
            #(#fields,)*
        }

        #[automatically_derived]
        impl ::buster_db::Patch<#ident> for #patch_ident {
            fn __sets<'__a>(
                &'__a self,
                __out: &mut ::std::vec::Vec<(&'static str, &'__a (dyn ::buster_db::__private::ToSql + Sync))>,
            ) {
                #(#sets)*
            }
        }
    }
}

fn conflict_targets(t: &Table<'_>) -> TokenStream {
    let ident = t.ident;
    let module = &t.module;
    let predicate = live_predicate(t);
    let target = |cols: &[usize], partial: bool| {
        let tys: Vec<TokenStream> = cols
            .iter()
            .map(|&i| {
                let f = t.columns[i].ident;
                quote!(#module::#f)
            })
            .collect();
        let ty = match tys.as_slice() {
            [one] => one.clone(),
            many => quote!((#(#many,)*)),
        };
        let names = str_list(cols.iter().map(|&i| t.columns[i].name.clone()));
        let (pred, scope) = match (&predicate, partial) {
            (Some(p), true) => (
                quote!(::core::option::Option::Some(#p)),
                quote!(::buster_db::LiveRows),
            ),
            _ => (
                quote!(::core::option::Option::None),
                quote!(::buster_db::AllRows),
            ),
        };
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::buster_db::ConflictTarget<#ident> for #ty {
                const COLUMNS: &'static [&'static str] = #names;
                const PREDICATE: ::core::option::Option<&'static str> = #pred;
                type Scope = #scope;
            }
        }
    };
    let mut out = Vec::new();
    let mut seen: Vec<Vec<usize>> = Vec::new();
    if !t.primary_key.is_empty() {
        out.push(target(&t.primary_key, false));
        seen.push(t.primary_key.clone());
    }
    for u in &t.uniques {
        if seen.contains(&u.columns) {
            continue;
        }
        seen.push(u.columns.clone());
        out.push(target(&u.columns, true));
    }
    quote!(#(#out)*)
}
