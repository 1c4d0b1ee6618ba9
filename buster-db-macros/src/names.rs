//! Names as types: a field name becomes a list of `Ch<'c'>` characters, so that a record field
//! and the column selected at its place can be compared by the type checker.

use proc_macro2::TokenStream;
use quote::quote;

/// `Name<(Ch<'e'>, (Ch<'m'>, (… , ())))>` for `email`; a raw identifier loses its `r#`.
pub(crate) fn name_type(name: &str) -> TokenStream {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let list = name.chars().rev().fold(
        quote!(()),
        |rest, c| quote!((::buster_db::__private::Ch<#c>, #rest)),
    );
    quote!(::buster_db::__private::Name<#list>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_a_list_of_its_characters() {
        let id = quote!(
            ::buster_db::__private::Name<(
                ::buster_db::__private::Ch<'i'>,
                (::buster_db::__private::Ch<'d'>, ())
            )>
        );
        assert_eq!(name_type("id").to_string(), id.to_string());
        assert_eq!(
            name_type("r#type").to_string(),
            name_type("type").to_string()
        );
    }
}
