//! Name conventions shared by the derives: Rust names are `CamelCase`, SQL names `snake_case`.

/// `UserProfile` → `user_profile`: default table names (plus `s`), enum type names and labels.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// `SuperAdmin` → `superAdmin`: only the first letter changes.
pub(crate) fn camel_case(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(snake_case("UserProfile"), "user_profile");
        assert_eq!(snake_case("Api"), "api");
        assert_eq!(camel_case("SuperAdmin"), "superAdmin");
        assert_eq!(camel_case(""), "");
    }
}
