//! SQL text from the catalog as a declaration writes it: column defaults and CHECK
//! expressions.

use crate::drift::normalize::{literal_end, unwrapped, without_modifier};

/// The expression of `CHECK (..)` without the keyword and the parentheses around it, or
/// `None` when the definition says more (`NOT VALID`, `NO INHERIT`).
pub(crate) fn check_expression(definition: &str) -> Option<&str> {
    let mut body = definition.trim().strip_prefix("CHECK")?.trim();
    let mut stripped = false;
    while let Some(inner) = unwrapped(body) {
        body = inner.trim();
        stripped = true;
    }
    stripped.then_some(body)
}

/// A column default as the declaration writes it: the catalog's text, without a cast of a
/// lone string literal to the column's own type (`'querier'::user_organization_role` →
/// `'querier'`); `None` for a `NULL` default, which is no default.
pub(crate) fn default_expression<'d>(default: &'d str, type_name: &str) -> Option<&'d str> {
    let default = default.trim();
    let bare_type = without_modifier(type_name);
    let is_own_type = |cast: &str| cast == type_name || bare_type.as_deref() == Some(cast);
    if default.eq_ignore_ascii_case("null")
        || default
            .split_once("::")
            .is_some_and(|(value, cast)| value.eq_ignore_ascii_case("null") && is_own_type(cast))
    {
        return None;
    }
    if let Some(end) = literal_end(default)
        && let Some(cast) = default[end..].strip_prefix("::")
        && is_own_type(cast)
    {
        return Some(&default[..end]);
    }
    Some(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lose_a_cast_to_their_own_type() {
        assert_eq!(
            default_expression(
                "'querier'::user_organization_role",
                "user_organization_role"
            ),
            Some("'querier'")
        );
        assert_eq!(
            default_expression("'dev'::character varying", "character varying(20)"),
            Some("'dev'")
        );
        assert_eq!(default_expression("'{}'::jsonb", "jsonb"), Some("'{}'"));
        assert_eq!(
            default_expression("'1'::text", "integer"),
            Some("'1'::text")
        );
        assert_eq!(
            default_expression("gen_random_uuid()", "uuid"),
            Some("gen_random_uuid()")
        );
        assert_eq!(default_expression("NULL::text", "text"), None);
    }

    #[test]
    fn check_expressions_lose_their_parentheses() {
        assert_eq!(
            check_expression("CHECK ((length(title) > 0))"),
            Some("length(title) > 0")
        );
        assert_eq!(
            check_expression("CHECK ((a > 0) AND (b > 0))"),
            Some("(a > 0) AND (b > 0)")
        );
        assert_eq!(check_expression("CHECK ((a > 0)) NOT VALID"), None);
        assert_eq!(check_expression("CHECK ((x = ')'))"), Some("x = ')'"));
    }
}
