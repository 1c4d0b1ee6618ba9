//! Rust types that map to PostgreSQL column types.

use postgres_types::{FromSqlOwned, ToSql};

use crate::meta::SqlType;

/// A non-null value type that can be stored in a column.
///
/// Implemented for `Uuid`, `String`, [`Citext`](crate::Citext), `bool`, `i16`, `i32`, `i64`,
/// `f32`, `f64`, `Decimal` (`numeric`, feature `decimal`), `DateTime<Utc>`, `NaiveDateTime`
/// (`timestamp`), `NaiveDate`, `NaiveTime`, [`Interval`](crate::Interval), `Vec<u8>` (`bytea`),
/// `IpAddr` (`inet`), `IpInet` / `IpCidr` (`inet` / `cidr`, feature `network`),
/// `serde_json::Value`, `Json<T>` (jsonb via serde), `Vec<T>` of those (PostgreSQL arrays), enums
/// with `#[derive(buster_db::Enum)]` and newtypes with `#[derive(buster_db::Scalar)]`.
///
/// # Newtypes
///
/// `#[derive(buster_db::Scalar)]` on a struct of one field over a column type makes the struct
/// a column type of its own: stored as the field's type (the drift check and the DDL see
/// `uuid` below), usable plain, in `Option` and in `Vec` (when the field's type can be an array
/// element), and compared only with values of the newtype, so a `UserId` cannot be passed where
/// an `OrgId` is expected. The struct must also derive `Debug`, as every bound value does.
///
/// ```
/// use buster_db::prelude::*;
/// use buster_db::{Table, Uuid};
///
/// #[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq, Eq)]
/// pub struct UserId(pub Uuid);
///
/// #[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq, Eq)]
/// pub struct OrgId(pub Uuid);
///
/// #[derive(Table, Debug, Clone)]
/// #[table(name = "members")]
/// pub struct Member {
///     #[column(primary_key)]
///     pub user_id: UserId,
///     pub org_id: OrgId,
///     pub invited_by: Option<UserId>,
///     pub admins: Vec<UserId>,
/// }
///
/// fn main() {
///     let query = Member::select().filter(Member::org_id.eq(OrgId(Uuid::nil())));
///     assert_eq!(
///         query.to_sql().text,
///         r#"SELECT "members"."user_id", "members"."org_id", "members"."invited_by", "members"."admins" FROM "members" WHERE "members"."org_id" = $1"#
///     );
///     assert!(<Member as Table>::META.ddl().contains(r#""user_id" uuid NOT NULL"#));
///     assert!(<Member as Table>::META.ddl().contains(r#""admins" uuid[] NOT NULL"#));
/// }
/// ```
///
/// # jsonb of a serde type
///
/// `#[derive(buster_db::Scalar)] #[scalar(json)]` on a serde type stores it as `jsonb` directly,
/// with no [`Json`](crate::Json) around it in the table; a stored value that does not
/// deserialize into it reads as an [`ErrorKind::Conversion`](crate::ErrorKind::Conversion)
/// error naming the column.
///
/// ```
/// use buster_db::Table;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(buster_db::Scalar, Serialize, Deserialize, Debug, Clone, PartialEq)]
/// #[scalar(json)]
/// pub struct Preferences { pub theme: String, pub digest: bool }
///
/// #[derive(Table, Debug, Clone)]
/// #[table(name = "profiles")]
/// pub struct Profile {
///     #[column(primary_key)]
///     pub id: i64,
///     pub preferences: Preferences,
/// }
///
/// fn main() {
///     assert!(<Profile as Table>::META.ddl().contains(r#""preferences" jsonb NOT NULL"#));
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported column type",
    label = "unsupported column type",
    note = "supported: Uuid, String, Citext, bool, i16, i32, i64, f32, f64, Decimal, DateTime<Utc>, NaiveDateTime, NaiveDate, NaiveTime, Interval, Vec<u8> (bytea), IpAddr, IpInet, IpCidr, serde_json::Value, Json<T>, Vec<T> of those, enums deriving `buster_db::Enum`, newtypes deriving `buster_db::Scalar`, and Option<T> of any of them"
)]
pub trait Scalar: ToSql + FromSqlOwned + Send + Sync + 'static {
    /// The PostgreSQL type of the column.
    const SQL_TYPE: SqlType;
}

/// A scalar that may be an element of a PostgreSQL array column (`Vec<T>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an element of an array column",
    note = "array columns hold one level of non-null scalars, e.g. `Vec<String>` or `Vec<Uuid>`"
)]
pub trait Element: Scalar {}

/// A column's Rust type: a [`Scalar`], or `Option` of one for a nullable column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported column type",
    label = "unsupported column type",
    note = "supported: Uuid, String, Citext, bool, i16, i32, i64, f32, f64, Decimal, DateTime<Utc>, NaiveDateTime, NaiveDate, NaiveTime, Interval, Vec<u8> (bytea), IpAddr, IpInet, IpCidr, serde_json::Value, Json<T>, Vec<T> of those, enums deriving `buster_db::Enum`, newtypes deriving `buster_db::Scalar`, and Option<T> of any of them"
)]
pub trait ColumnType: ToSql + FromSqlOwned + Send + Sync + 'static {
    /// The PostgreSQL type of the column.
    const SQL_TYPE: SqlType;
    /// Whether the column accepts NULL (`Option<T>`).
    const NULLABLE: bool;
    /// The type as `Option` (itself when already nullable): what `min` / `max` return.
    type Optional: FromSqlOwned + Send + 'static;
    /// The non-null type: what comparisons take (`= NULL` is never true; use `is_null`).
    type Inner: ColumnType;
}

impl<T: Scalar> ColumnType for T {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = false;
    type Optional = Option<T>;
    type Inner = T;
}

impl<T: Scalar> ColumnType for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
    type Optional = Option<T>;
    type Inner = T;
}

/// Numeric column types: the ones `sum` and `avg` apply to.
#[doc(hidden)]
pub trait Numeric {
    /// What `sum` returns (PostgreSQL's own result type, `bigint` for every integer).
    type Sum: FromSqlOwned + Send + 'static;
    /// What closes `sum(…`: a cast where needed, so the result has that type.
    const SUM_CLOSE: &'static str;
    /// The type itself, named through this trait: a `sum` of a column that is not numeric is
    /// then of an unknown type, and not reported again where it is selected.
    type Itself: Numeric;
}

impl Numeric for i16 {
    type Sum = i64;
    type Itself = Self;
    const SUM_CLOSE: &'static str = ")";
}
impl Numeric for i32 {
    type Sum = i64;
    type Itself = Self;
    const SUM_CLOSE: &'static str = ")";
}
impl Numeric for i64 {
    type Sum = i64;
    type Itself = Self;
    // sum(bigint) is numeric in PostgreSQL; the cast keeps it an i64 and turns an overflow into
    // an error instead of a silent loss.
    const SUM_CLOSE: &'static str = ")::bigint";
}
impl Numeric for f32 {
    type Sum = f32;
    type Itself = Self;
    const SUM_CLOSE: &'static str = ")";
}
impl Numeric for f64 {
    type Sum = f64;
    type Itself = Self;
    const SUM_CLOSE: &'static str = ")";
}
impl<T: Numeric> Numeric for Option<T> {
    type Sum = T::Sum;
    type Itself = Self;
    const SUM_CLOSE: &'static str = T::SUM_CLOSE;
}

macro_rules! scalars {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Scalar for $ty {
            const SQL_TYPE: SqlType = SqlType::named($name);
        }
        impl Element for $ty {}
    )*};
}

scalars! {
    uuid::Uuid => "uuid",
    String => "text",
    bool => "boolean",
    i16 => "smallint",
    i32 => "integer",
    i64 => "bigint",
    f32 => "real",
    f64 => "double precision",
    chrono::DateTime<chrono::Utc> => "timestamp with time zone",
    chrono::NaiveDate => "date",
    chrono::NaiveDateTime => "timestamp without time zone",
    chrono::NaiveTime => "time without time zone",
    serde_json::Value => "jsonb",
    Vec<u8> => "bytea",
    std::net::IpAddr => "inet",
    crate::Interval => "interval",
    crate::Citext => "citext",
}

#[cfg(feature = "decimal")]
scalars! {
    rust_decimal::Decimal => "numeric",
}

#[cfg(feature = "network")]
scalars! {
    cidr::IpInet => "inet",
    cidr::IpCidr => "cidr",
}

#[cfg(feature = "time")]
scalars! {
    time::OffsetDateTime => "timestamp with time zone",
    time::PrimitiveDateTime => "timestamp without time zone",
    time::Date => "date",
    time::Time => "time without time zone",
}

#[cfg(feature = "decimal")]
impl Numeric for rust_decimal::Decimal {
    type Sum = rust_decimal::Decimal;
    type Itself = Self;
    const SUM_CLOSE: &'static str = ")";
}

/// What a `Json<T>` column stores: a type serde writes and reads, with `Debug` (a row's
/// `Debug` shows its documents).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a `Json<{Self}>` column: it needs `serde::Serialize`, `serde::Deserialize` and `Debug`",
    label = "not a JSON document type",
    note = "derive them on `{Self}`: `#[derive(Debug, serde::Serialize, serde::Deserialize)]`; or store an untyped `serde_json::Value`"
)]
pub trait JsonDocument:
    serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + 'static
{
}

#[diagnostic::do_not_recommend]
impl<T> JsonDocument for T where
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + 'static
{
}

impl<T: JsonDocument> Scalar for postgres_types::Json<T> {
    const SQL_TYPE: SqlType = SqlType::named("jsonb");
}

impl<T: JsonDocument> Element for postgres_types::Json<T> {}

impl<T: Element> Scalar for Vec<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE.array();
}

/// A Rust value usable where a column of type `T` is expected: in a comparison, an `IN` list or
/// an update.
///
/// Besides `T` itself: `&str`, `&&str` and `&String` for text, `&T` for clonable `T`, and a
/// plain `T` for a nullable `Option<T>` column: `set(User::nickname, "annie")` sets a nullable
/// text column. (`Some("annie")` is not taken: an `Option<&str>` beside `Option<String>` would
/// leave `set(column, None)` without a type.)
#[diagnostic::on_unimplemented(
    message = "a `{Self}` cannot be used as a value of type `{T}`",
    label = "expected a value of type `{T}`"
)]
pub trait IntoSql<T> {
    /// The owned value bound as a parameter.
    type Out: ToSql + Send + Sync + 'static;
    /// Converts into the bound value.
    fn into_sql(self) -> Self::Out;
}

impl<T: ColumnType> IntoSql<T> for T {
    type Out = T;
    fn into_sql(self) -> T {
        self
    }
}

impl<T: Scalar> IntoSql<Option<T>> for T {
    type Out = T;
    fn into_sql(self) -> T {
        self
    }
}

impl<T: ColumnType + Clone> IntoSql<T> for &T {
    type Out = T;
    fn into_sql(self) -> T {
        self.clone()
    }
}

impl IntoSql<String> for &str {
    type Out = String;
    fn into_sql(self) -> String {
        self.to_owned()
    }
}

impl IntoSql<Option<String>> for &str {
    type Out = String;
    fn into_sql(self) -> String {
        self.to_owned()
    }
}

impl IntoSql<String> for &&str {
    type Out = String;
    fn into_sql(self) -> String {
        (*self).to_owned()
    }
}

impl IntoSql<Option<String>> for &&str {
    type Out = String;
    fn into_sql(self) -> String {
        (*self).to_owned()
    }
}

/// A PostgreSQL enum type, implemented by `#[derive(buster_db::Enum)]`.
///
/// ```ignore
/// #[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
/// #[pg_enum(name = "user_organization_role")]
/// pub enum Role { WorkspaceAdmin, DataAdmin, Querier }   // labels: workspace_admin, …
/// ```
///
/// Attributes: `#[pg_enum(name = "...")]` (the type name; default: the enum name in snake case),
/// `#[pg_enum(rename_all = "snake_case" | "camelCase" | "lowercase")]`, `#[pg_enum(text)]`, and
/// on a variant `#[pg_enum(rename = "...")]`.
///
/// With `text`, the enum is kept as its label in a `text` column (or `varchar`, with
/// `#[column(sql_type = "varchar(20)")]`) instead of a PostgreSQL enum type, as databases
/// migrated by other tools often do. Nothing in the database limits such a column to the known
/// labels, so reading a label the Rust enum does not know is an error of kind
/// [`ErrorKind::Conversion`](crate::ErrorKind::Conversion) naming the column, never a panic.
/// A text enum has no type for the drift check to compare: leave it out of
/// [`Schema::enums`](crate::Schema::enums).
///
/// ```
/// #[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
/// #[pg_enum(text)]
/// pub enum AssetKind { Dashboard, MetricFile }   // stored as 'dashboard', 'metric_file'
/// ```
pub trait Enum: Scalar {
    /// The type's name and labels.
    const META: &'static crate::meta::EnumMeta;
    /// This value's label.
    fn label(&self) -> &'static str;
}
