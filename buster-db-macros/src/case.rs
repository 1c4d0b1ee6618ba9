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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(snake_case("UserProfile"), "user_profile");
        assert_eq!(snake_case("Api"), "api");
    }
}
