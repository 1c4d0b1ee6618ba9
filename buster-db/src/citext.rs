//! `citext`: text compared without regard to case (the `citext` extension).

use std::error::Error as StdError;
use std::fmt;

use bytes::BytesMut;
use postgres_types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

/// Text in a `citext` column (the `citext` extension): stored as written, compared by the
/// database without regard to case, so `Citext::from("Ann@Example.com")` equals a stored
/// `ann@example.com` in a filter, a unique key and an upsert's conflict.
///
/// The Rust value keeps the text as written; `==` in Rust compares it case-insensitively too,
/// as the column does (by Unicode lowercase, close to the extension's `lower()`).
///
/// ```
/// use buster_db::Citext;
///
/// let email = Citext::from("Ann@Example.com");
/// assert_eq!(email.as_str(), "Ann@Example.com");
/// assert_eq!(email, Citext::from("ann@example.COM"));
/// ```
#[derive(Clone, Default)]
pub struct Citext(pub String);

impl Citext {
    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as written, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl PartialEq for Citext {
    fn eq(&self, other: &Citext) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }
}

impl Eq for Citext {}

impl fmt::Debug for Citext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Citext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Citext {
    fn from(s: String) -> Citext {
        Citext(s)
    }
}

impl From<&str> for Citext {
    fn from(s: &str) -> Citext {
        Citext(s.to_owned())
    }
}

fn is_citext(ty: &Type) -> bool {
    ty.name() == "citext"
}

impl ToSql for Citext {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        <&str as ToSql>::to_sql(&self.0.as_str(), ty, out)
    }

    fn accepts(ty: &Type) -> bool {
        is_citext(ty)
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Citext {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Citext, Box<dyn StdError + Sync + Send>> {
        <String as FromSql>::from_sql(ty, raw).map(Citext)
    }

    fn accepts(ty: &Type) -> bool {
        is_citext(ty)
    }
}
