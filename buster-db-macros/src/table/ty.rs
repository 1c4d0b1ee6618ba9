//! What the derive reads from a field's type. A macro sees the type only as written, so every
//! check matches the parsed `syn::Type` (its path segments), never the token text: `MyJson<T>` is
//! not `Json<T>`, and spacing or a path prefix (`chrono::DateTime<chrono::Utc>`) changes nothing.

use syn::{GenericArgument, PathArguments, PathSegment, Type};

fn last_segment(ty: &Type) -> Option<&PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The single generic argument of `ty` (`Option<T>` → `T`).
fn generic_arg(ty: &Type) -> Option<&Type> {
    match &last_segment(ty)?.arguments {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first()? {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name)
}

/// Written `Option<..>`: the column is nullable.
pub(crate) fn is_option(ty: &Type) -> bool {
    is_named(ty, "Option")
}

/// `DateTime<Utc>`: the one type of a `created_at` / `updated_at` column (`timestamptz`).
pub(crate) fn is_utc_timestamp(ty: &Type) -> bool {
    is_named(ty, "DateTime") && generic_arg(ty).is_some_and(|arg| is_named(arg, "Utc"))
}

/// `Option<DateTime<Utc>>`: the one type of a `soft_delete` column.
pub(crate) fn is_optional_utc_timestamp(ty: &Type) -> bool {
    is_option(ty) && generic_arg(ty).is_some_and(is_utc_timestamp)
}

/// Types whose `Default` is known, so the insert shape can derive `Default`.
pub(crate) fn has_known_default(ty: &Type) -> bool {
    const KNOWN: &[&str] = &[
        "String",
        "bool",
        "i16",
        "i32",
        "i64",
        "f32",
        "f64",
        "Vec",
        "Option",
        "Uuid",
        "Value",
        "JsonValue",
        "Decimal",
        "Interval",
        "Citext",
        "NaiveTime",
        "NaiveDateTime",
    ];
    last_segment(ty).is_some_and(|s| KNOWN.iter().any(|known| s.ident == known))
}

/// A number the engine does arithmetic on (`i16`, `i32`, `i64`, `f32`, `f64`, `Decimal`), or an
/// `Option` of one: the columns that get `+ - * /`. An alias of a number is not seen through;
/// such a column still has the operators through `.expr()`.
/// Returns the number type (`i32` for `Option<i32>`).
pub(crate) fn numeric(ty: &Type) -> Option<&Type> {
    const NUMERIC: &[&str] = &["i16", "i32", "i64", "f32", "f64", "Decimal"];
    let inner = if is_option(ty) { generic_arg(ty)? } else { ty };
    last_segment(inner)
        .is_some_and(|s| s.arguments.is_empty() && NUMERIC.iter().any(|n| s.ident == n))
        .then_some(inner)
}

/// Whether `Json<..>` appears anywhere in `ty` (`Json<T>`, `Option<Json<T>>`, `Vec<Json<T>>`).
/// `Json<T>` is `Clone` and `PartialEq` only when `T` is, which the derive cannot know, so the
/// insert and update shapes holding one derive neither.
pub(crate) fn mentions_json(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => {
            p.qself.as_ref().is_some_and(|q| mentions_json(&q.ty))
                || p.path.segments.iter().any(|seg| {
                    let PathArguments::AngleBracketed(args) = &seg.arguments else {
                        return false;
                    };
                    seg.ident == "Json"
                        || args.args.iter().any(|arg| match arg {
                            GenericArgument::Type(t) => mentions_json(t),
                            GenericArgument::AssocType(a) => mentions_json(&a.ty),
                            _ => false,
                        })
                })
        }
        Type::Reference(r) => mentions_json(&r.elem),
        Type::Slice(s) => mentions_json(&s.elem),
        Type::Array(a) => mentions_json(&a.elem),
        Type::Ptr(p) => mentions_json(&p.elem),
        Type::Paren(p) => mentions_json(&p.elem),
        Type::Group(g) => mentions_json(&g.elem),
        Type::Tuple(t) => t.elems.iter().any(mentions_json),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(check: fn(&Type) -> bool, yes: &[&str], no: &[&str]) -> syn::Result<()> {
        for text in yes {
            assert!(check(&syn::parse_str(text)?), "{text} should match");
        }
        for text in no {
            assert!(!check(&syn::parse_str(text)?), "{text} should not match");
        }
        Ok(())
    }

    #[test]
    fn json_is_found_by_segment_anywhere_in_the_type() -> syn::Result<()> {
        check(
            mentions_json,
            &[
                "Json<Doc>",
                "buster_db::Json<Doc>",
                "Option<Json<Doc>>",
                "Vec<Option<Json<Doc>>>",
                "(i32, Json<Doc>)",
                "[Json<Doc>; 2]",
            ],
            &[
                "JsonValue",
                "MyJson<Doc>",
                "Json",
                "Vec<String>",
                "json::Value",
            ],
        )
    }

    #[test]
    fn timestamps() -> syn::Result<()> {
        check(
            is_utc_timestamp,
            &["DateTime<Utc>", "chrono::DateTime<chrono::Utc>"],
            &["DateTime<Local>", "Option<DateTime<Utc>>", "NaiveDateTime"],
        )?;
        check(
            is_optional_utc_timestamp,
            &[
                "Option<DateTime<Utc>>",
                "std::option::Option<DateTime<Utc>>",
            ],
            &["Option<String>", "DateTime<Utc>", "Option<DateTime<Local>>"],
        )
    }

    #[test]
    fn numbers() -> syn::Result<()> {
        check(
            |ty| numeric(ty).is_some(),
            &[
                "i32",
                "Option<i64>",
                "rust_decimal::Decimal",
                "std::option::Option<f64>",
            ],
            &["String", "Option<String>", "Vec<i32>", "u32", "Cents"],
        )
    }

    #[test]
    fn known_defaults() -> syn::Result<()> {
        check(
            has_known_default,
            &[
                "std::string::String",
                "Option<MyId>",
                "i64",
                "serde_json::Value",
            ],
            &["MyId", "NaiveDate", "u32"],
        )
    }
}
