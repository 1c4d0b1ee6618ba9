//! Input checks shared by the domain queries: each returns [`Error::validation`] naming the field,
//! so a query refuses bad input before it sends any SQL.

use buster_db::{Error, Page, Result};

/// The longest name, title or other short text the queries accept, in characters.
pub(crate) const MAX_TEXT: usize = 255;

/// The longest email address (RFC 5321 limits a forward path to 254 characters).
const MAX_EMAIL: usize = 254;

/// The longest local part of an email address (before the `@`).
const MAX_EMAIL_LOCAL: usize = 64;

/// The longest label of a domain name.
const MAX_DOMAIN_LABEL: usize = 63;

/// Text that is not blank, at most `max` characters long and free of NUL characters (which
/// PostgreSQL text cannot hold).
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    bounded(field, value, max)
}

/// Like [`text`], for an optional value: `None` passes.
pub(crate) fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) => text(field, v, max),
        None => Ok(()),
    }
}

/// Text of at most `max` characters without NUL characters; it may be empty.
pub(crate) fn bounded(field: &str, value: &str, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::validation(
            field,
            format!("must be at most {max} characters long, got {len}"),
        ));
    }
    if value.contains('\0') {
        return Err(Error::validation(field, "must not contain NUL characters"));
    }
    Ok(())
}

/// An email address in the common `local@domain.tld` form.
///
/// Deliberately simpler than RFC 5322: no quoted local parts, comments or IP-literal domains,
/// which sign-up forms do not produce. The local part is 1 to 64 printable ASCII characters
/// (none of `"(),:;<>[\]` or whitespace, no leading, trailing or doubled dot); the domain has at
/// least two dot-separated labels of letters, digits and inner hyphens, each 1 to 63 long.
pub(crate) fn email(field: &str, value: &str) -> Result<()> {
    match email_problem(value) {
        Some(why) => Err(Error::validation(field, why)),
        None => Ok(()),
    }
}

/// Why `value` is not an email address as [`email`] defines it, or `None` when it is one.
pub(crate) fn email_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("must not be empty");
    }
    if value.chars().count() > MAX_EMAIL {
        return Some("must be at most 254 characters long");
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Some("must be an email address (`name@example.com`): `@` is missing");
    };
    if domain.contains('@') {
        return Some("must contain exactly one `@`");
    }
    if local.is_empty() || local.len() > MAX_EMAIL_LOCAL {
        return Some("must have 1 to 64 characters before the `@`");
    }
    let local_char_ok = |c: char| c.is_ascii_graphic() && !"\"(),:;<>[\\]".contains(c);
    if !local.chars().all(local_char_ok)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return Some("has an invalid part before the `@`");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= MAX_DOMAIN_LABEL
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if domain.split('.').count() < 2 || !domain.split('.').all(label_ok) {
        return Some("must have a domain like `example.com` after the `@`");
    }
    None
}

/// A page number from 1 and a page size from 1 to [`MAX_PAGE_SIZE`](buster_db::query::MAX_PAGE_SIZE),
/// as `paginate` checks it.
pub(crate) fn page(page: u32, page_size: u32) -> Result<()> {
    Page::check(page, page_size)
}

/// A list that must hold at least one element.
pub(crate) fn non_empty<T>(field: &str, values: &[T]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    Ok(())
}

/// The longest long-form text the queries accept (a chat message, a dataset definition, a model
/// file), in characters.
pub(crate) const MAX_LONG_TEXT: usize = 1_000_000;

/// JSON that a `jsonb` column can store: no string or object key holds a NUL character, which
/// `jsonb` refuses (`\u0000`). Walks the value without recursion, so any depth is fine.
pub(crate) fn json(field: &str, value: &buster_db::JsonValue) -> Result<()> {
    use buster_db::JsonValue;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        match v {
            JsonValue::String(s) if s.contains('\0') => {
                return Err(Error::validation(field, "must not contain NUL characters"));
            }
            JsonValue::Array(items) => pending.extend(items),
            JsonValue::Object(map) => {
                if map.keys().any(|k| k.contains('\0')) {
                    return Err(Error::validation(field, "must not contain NUL characters"));
                }
                pending.extend(map.values());
            }
            _ => {}
        }
    }
    Ok(())
}

/// Like [`json`], and the value must be a JSON array.
pub(crate) fn json_array(field: &str, value: &buster_db::JsonValue) -> Result<()> {
    if !value.is_array() {
        return Err(Error::validation(field, "must be a JSON array"));
    }
    json(field, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use buster_db::ErrorKind;
    use buster_db::query::MAX_PAGE_SIZE;

    fn field_of(r: Result<()>) -> Option<String> {
        r.err()
            .filter(|e| e.kind() == ErrorKind::Validation)
            .and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn plain_addresses_pass() {
        for ok in [
            "ada@example.com",
            "ada.lovelace+tag@mail.example.co.uk",
            "a_b-c@x-y.io",
            "1@2.de",
        ] {
            assert!(email("email", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn malformed_addresses_name_the_field() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@@example.com",
            "a@b@example.com",
            "ada lovelace@example.com",
            ".ada@example.com",
            "ada..l@example.com",
            "ada@-example.com",
            "ada@example..com",
            "ada@exa_mple.com",
        ] {
            assert_eq!(
                field_of(email("email", bad)).as_deref(),
                Some("email"),
                "{bad}"
            );
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(email("email", &long_local).is_err());
        let long = format!("a@{}.com", vec!["b".repeat(60); 5].join("."));
        assert!(email("email", &long).is_err());
    }

    #[test]
    fn text_is_non_blank_bounded_and_nul_free() {
        assert!(text("name", "Ada", MAX_TEXT).is_ok());
        assert!(text("name", &"é".repeat(255), MAX_TEXT).is_ok());
        assert_eq!(
            field_of(text("name", "", MAX_TEXT)).as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of(text("name", "  ", MAX_TEXT)).as_deref(),
            Some("name")
        );
        assert!(text("name", &"é".repeat(256), MAX_TEXT).is_err());
        assert!(text("name", "a\0b", MAX_TEXT).is_err());
        assert!(optional_text("domain", None, MAX_TEXT).is_ok());
        assert!(optional_text("domain", Some(""), MAX_TEXT).is_err());
    }

    #[test]
    fn pages_start_at_one_and_sizes_stay_within_bounds() {
        assert!(page(1, 1).is_ok());
        assert!(page(7, MAX_PAGE_SIZE).is_ok());
        assert_eq!(field_of(page(0, 10)).as_deref(), Some("page"));
        assert_eq!(field_of(page(1, 0)).as_deref(), Some("page_size"));
        assert_eq!(
            field_of(page(1, MAX_PAGE_SIZE + 1)).as_deref(),
            Some("page_size")
        );
    }

    #[test]
    fn lists_must_not_be_empty() {
        assert!(non_empty("ids", &[1]).is_ok());
        assert_eq!(
            field_of(non_empty::<u8>("ids", &[])).as_deref(),
            Some("ids")
        );
    }

    #[test]
    fn json_refuses_nul_anywhere_and_arrays_must_be_arrays() {
        use buster_db::types::serde_json::json;
        assert!(json("m", &json!({"a": [1, "x", {"b": null}]})).is_ok());
        assert_eq!(
            field_of(json("m", &json!({"a": [{"b": "x\0"}]}))).as_deref(),
            Some("m")
        );
        assert!(json("m", &json!({"k\0": 1})).is_err());
        assert!(json_array("r", &json!([])).is_ok());
        assert_eq!(field_of(json_array("r", &json!({}))).as_deref(), Some("r"));
        assert!(json_array("r", &json!(["\0"])).is_err());
    }
}
