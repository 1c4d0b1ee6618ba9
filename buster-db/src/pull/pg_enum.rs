//! Enum types as `#[derive(Enum)]` enums whose labels round-trip: the variant names, and the
//! `rename_all` style or `rename`s that give back each label under the derive's rules.

use std::collections::HashSet;

use super::introspect::FoundEnum;
use super::name;

/// An enum type's declaration.
pub(crate) struct EnumDecl {
    pub(crate) name: String,
    pub(crate) rust: String,
    pub(crate) doc: String,
    /// `rename_all = ".."`, when every label follows that style.
    pub(crate) rename_all: Option<&'static str>,
    /// Each variant with its label and whether it needs `rename = ".."`.
    pub(crate) variants: Vec<(String, String, bool)>,
    /// The variants share a word, or repeat the enum's name, which clippy's
    /// `enum_variant_names` reports; the labels are the database's, so it is allowed.
    pub(crate) allow_variant_names: bool,
}

/// A `rename_all` style (`None`: the derive's default) and how it labels a variant.
type LabelStyle = (Option<&'static str>, fn(&str) -> String);

/// Each enum type as a Rust enum whose variants' labels are the type's.
pub(crate) fn enum_decls(enums: &[FoundEnum]) -> Vec<EnumDecl> {
    let mut taken: HashSet<String> = name::USED_TYPES.iter().map(|t| (*t).to_owned()).collect();
    enums
        .iter()
        .map(|e| {
            let rust = name::unique(name::upper_camel(&e.name, "Enum"), |n| taken.contains(n));
            taken.insert(rust.clone());
            let mut used: HashSet<String> = HashSet::new();
            let idents: Vec<String> = e
                .labels
                .iter()
                .map(|label| {
                    let ident = name::unique(name::variant(label), |n| used.contains(n));
                    used.insert(ident.clone());
                    ident
                })
                .collect();
            let styles: [LabelStyle; 3] = [
                (None, snake_label),
                (Some("camelCase"), camel_label),
                (Some("lowercase"), str::to_lowercase),
            ];
            let round_trips = |style: fn(&str) -> String| {
                idents.iter().zip(&e.labels).all(|(i, l)| style(i) == *l)
            };
            let (rename_all, style) = styles
                .iter()
                .find(|(_, style)| round_trips(*style))
                .copied()
                .unwrap_or(styles[0]);
            let variants: Vec<(String, String, bool)> = idents
                .into_iter()
                .zip(&e.labels)
                .map(|(ident, label)| {
                    let rename = style(&ident) != *label;
                    (ident, label.clone(), rename)
                })
                .collect();
            let allow_variant_names = repeats_words(&rust, &variants);
            EnumDecl {
                name: e.name.clone(),
                doc: e
                    .comment
                    .clone()
                    .unwrap_or_else(|| format!("The enum type `{}`.", e.name)),
                rust,
                rename_all,
                variants,
                allow_variant_names,
            }
        })
        .collect()
}

/// How `#[derive(Enum)]` labels a variant by default: `snake_case`.
fn snake_label(variant: &str) -> String {
    let mut out = String::new();
    for (i, ch) in variant.chars().enumerate() {
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

/// `rename_all = "camelCase"`: the first letter lowercase.
fn camel_label(variant: &str) -> String {
    let mut chars = variant.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What clippy's `enum_variant_names` reports: three or more variants sharing their first or
/// last word, or a variant starting or ending with the enum's name.
fn repeats_words(rust: &str, variants: &[(String, String, bool)]) -> bool {
    let words = |s: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for ch in s.chars() {
            match out.last_mut() {
                Some(w) if !ch.is_uppercase() => w.push(ch),
                _ => out.push(ch.to_string()),
            }
        }
        out
    };
    let split: Vec<Vec<String>> = variants.iter().map(|(v, _, _)| words(v)).collect();
    let shared = |pick: fn(&Vec<String>) -> Option<&String>| {
        let first = split.first().and_then(pick);
        first.is_some() && split.iter().all(|w| pick(w) == first)
    };
    let repeats_name = variants
        .iter()
        .any(|(v, _, _)| v.len() > rust.len() && (v.starts_with(rust) || v.ends_with(rust)));
    repeats_name || (variants.len() >= 3 && (shared(|w| w.first()) || shared(|w| w.last())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, labels: &[&str]) -> EnumDecl {
        let found = FoundEnum {
            name: name.to_owned(),
            printed: name.to_owned(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            comment: None,
        };
        enum_decls(&[found]).remove(0)
    }

    fn variants(e: &EnumDecl) -> Vec<(&str, &str, bool)> {
        e.variants
            .iter()
            .map(|(v, l, r)| (v.as_str(), l.as_str(), *r))
            .collect()
    }

    #[test]
    fn labels_round_trip_through_a_style_or_renames() {
        let e = decl("chat_type", &["analyst", "data_engineer"]);
        assert_eq!((e.rust.as_str(), e.rename_all), ("ChatType", None));
        assert_eq!(
            variants(&e),
            [
                ("Analyst", "analyst", false),
                ("DataEngineer", "data_engineer", false)
            ]
        );
        let e = decl("status", &["notStarted", "inProgress", "failed"]);
        assert_eq!(e.rename_all, Some("camelCase"));
        assert!(variants(&e).iter().all(|(_, _, rename)| !rename));
        let e = decl("mood", &["happy", "notSure", "HTTP-error", "happy!"]);
        assert_eq!(e.rename_all, None);
        assert_eq!(
            variants(&e),
            [
                ("Happy", "happy", false),
                ("NotSure", "notSure", true),
                ("HttpError", "HTTP-error", true),
                ("Happy2", "happy!", true),
            ]
        );
        assert_eq!(decl("option", &[]).rust, "Option2");
    }

    #[test]
    fn shared_words_are_allowed() {
        assert!(
            decl(
                "priority",
                &["low_priority", "high_priority", "no_priority"]
            )
            .allow_variant_names
        );
        assert!(!decl("priority", &["low", "high", "none"]).allow_variant_names);
    }
}
