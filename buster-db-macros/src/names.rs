//! Names as types: a field name becomes a tuple of letter types, so that a record field and the
//! column selected at its place can be compared by the type checker.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// `Name<(e, m, a, i, l,)>` for `email`, each letter a type of `buster_db::query::letters`
/// (`_0`–`_9` for digits, `__` for `_`, `Ch<'é'>` for any other character); a raw identifier
/// loses its `r#`. The tuple is flat: a nested list would make the macro copy it once per
/// character.
pub(crate) fn name_type(name: &str) -> TokenStream {
    let name = unraw(name);
    let letters = name.chars().map(|c| match letter(c) {
        Some(l) => quote!(::buster_db::__private::letters::#l),
        None => quote!(::buster_db::__private::Ch<#c>),
    });
    quote!(::buster_db::__private::Name<(#(#letters,)*)>)
}

/// The letters of a name as the names of their types in `buster_db::query::letters`, or `None`
/// when a character has no type there (then [`name_type`] writes it).
pub(crate) fn letters(name: &str) -> Option<Vec<Ident>> {
    unraw(name).chars().map(letter).collect()
}

fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

fn letter(c: char) -> Option<Ident> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(format_ident!("{}", c)),
        '0'..='9' => Some(format_ident!("_{}", c)),
        '_' => Some(format_ident!("__")),
        _ => None,
    }
}

/// A table's SQL name as a type: its 64-bit FNV-1a hash as sixteen hexadecimal digits,
/// `(X3, (XA, (… , ())))`, which a join compares with the names of the tables already in the
/// query (the type checker compares digits, not strings).
pub(crate) fn ident_type(name: &str) -> TokenStream {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    (0..16).fold(quote!(()), |rest, i| {
        let digit = quote::format_ident!("X{:X}", (hash >> (i * 4)) & 0xf);
        quote!((::buster_db::__private::#digit, #rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_name_is_sixteen_digits_of_its_hash() {
        let ident = ident_type("users").to_string();
        assert_eq!(ident.matches("__private").count(), 16);
        assert_eq!(ident, ident_type("users").to_string());
        assert_ne!(ident, ident_type("posts").to_string());
    }

    #[test]
    fn a_name_is_a_tuple_of_its_letters() {
        let id = quote!(
            ::buster_db::__private::Name<(
                ::buster_db::__private::letters::i,
                ::buster_db::__private::letters::d,
            )>
        );
        assert_eq!(name_type("id").to_string(), id.to_string());
        assert_eq!(
            name_type("r#type").to_string(),
            name_type("type").to_string()
        );
        let mixed = name_type("aB_9é").to_string();
        for letter in [
            "letters :: a",
            "letters :: B",
            "letters :: __",
            "letters :: _9",
            "Ch < 'é' >",
        ] {
            assert!(mixed.contains(letter), "{letter} in {mixed}");
        }
    }
}
