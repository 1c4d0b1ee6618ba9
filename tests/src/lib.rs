//! Tables used by the integration tests, declared as any downstream crate would.
//!
//! `User` maps the real `users` table; the `Fx*` tables are created by the fixture migrations in
//! `tests/migrations/`, applied with `#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]`.

pub mod capture;
pub mod certs;
pub mod cluster;
pub mod existing;
pub mod pgbouncer;
pub mod shapes;
pub mod tenant;

use std::net::IpAddr;

use buster_db::types::cidr::{IpCidr, IpInet};
use buster_db::types::time;
use buster_db::{
    Citext, DateTime, Decimal, Interval, Json, JsonValue, NaiveDate, NaiveDateTime, NaiveTime,
    Table, Utc, Uuid,
};
use serde::{Deserialize, Serialize};

/// The seed's `users` table (created by the main migrations).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(default = "true")]
    pub is_active: bool,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A soft-deletable table with nullable columns, for filters, ordering and pagination.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_tasks")]
pub struct FxTask {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub title: String,
    pub priority: i32,
    pub note: Option<String>,
    pub due_on: Option<NaiveDate>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Posts referencing `users` (foreign key `fx_posts_author_id_fkey`) with a non-negative score
/// (check `fx_posts_score_check`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_posts")]
pub struct FxPost {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub author_id: Uuid,
    pub title: String,
    pub score: i32,
}

/// `fx_tasks` read with `note` as a required `String`, although the column is nullable: reading
/// a task without a note cannot fit, on purpose.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_tasks", columns = "fx_tasks_required_note")]
pub struct FxTaskRequiredNote {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub title: String,
    pub priority: i32,
    pub note: String,
}

/// A table whose `label` column is NOT NULL in SQL but `Option` here, on purpose.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_strict")]
pub struct FxStrict {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub label: Option<String>,
}

/// A membership of a user in an organization: a composite primary key.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_memberships", primary_key(org_id, user_id))]
pub struct FxMembership {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A table with an array column.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_tagged")]
pub struct FxTagged {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    pub tags: Vec<String>,
}

/// An account with a caller-chosen id.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_accounts")]
pub struct FxAccount {
    #[column(primary_key)]
    pub id: i32,
    pub balance: i64,
}

/// The PostgreSQL enum `fx_mood`; labels are camelCase, one is renamed.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq)]
#[pg_enum(name = "fx_mood", rename_all = "camelCase")]
pub enum Mood {
    /// `veryHappy`
    VeryHappy,
    /// `neutral`
    Neutral,
    /// `grumpy_cat`
    #[pg_enum(rename = "grumpy_cat")]
    Grumpy,
}

/// A document stored as jsonb through serde.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Doc {
    /// A title.
    pub title: String,
    /// Some numbers.
    pub values: Vec<i64>,
    /// An optional nested document.
    pub child: Option<Box<Doc>>,
}

/// One column of every supported type, plain and nullable.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_types")]
pub struct FxType {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub t_text: String,
    pub t_bool: bool,
    pub t_i16: i16,
    pub t_i32: i32,
    pub t_i64: i64,
    pub t_f32: f32,
    pub t_f64: f64,
    pub t_ts: DateTime<Utc>,
    pub t_date: NaiveDate,
    pub t_json: JsonValue,
    pub t_doc: Json<Doc>,
    pub t_texts: Vec<String>,
    pub t_uuids: Vec<Uuid>,
    pub t_i64s: Vec<i64>,
    pub t_mood: Mood,
    pub t_moods: Vec<Mood>,
    pub o_text: Option<String>,
    pub o_i32: Option<i32>,
    pub o_f64: Option<f64>,
    pub o_ts: Option<DateTime<Utc>>,
    pub o_date: Option<NaiveDate>,
    pub o_json: Option<JsonValue>,
    pub o_doc: Option<Json<Doc>>,
    pub o_texts: Option<Vec<String>>,
    pub o_mood: Option<Mood>,
}

/// The column types beyond the product's own, plain, as arrays and nullable (created by
/// `tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_more_types")]
pub struct FxMoreType {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub t_numeric: Decimal,
    pub t_ts: NaiveDateTime,
    pub t_time: NaiveTime,
    pub t_date: NaiveDate,
    pub t_interval: Interval,
    pub t_bytes: Vec<u8>,
    pub t_ip: IpAddr,
    pub t_inet: IpInet,
    pub t_cidr: IpCidr,
    pub t_citext: Citext,
    pub a_numeric: Vec<Decimal>,
    pub a_ts: Vec<NaiveDateTime>,
    pub a_time: Vec<NaiveTime>,
    pub a_interval: Vec<Interval>,
    pub a_bytes: Vec<Vec<u8>>,
    pub a_ip: Vec<IpAddr>,
    pub a_cidr: Vec<IpCidr>,
    pub a_citext: Vec<Citext>,
    pub o_numeric: Option<Decimal>,
    pub o_ts: Option<NaiveDateTime>,
    pub o_time: Option<NaiveTime>,
    pub o_interval: Option<Interval>,
    pub o_bytes: Option<Vec<u8>>,
    pub o_ip: Option<IpAddr>,
    pub o_cidr: Option<IpCidr>,
    pub o_citext: Option<Citext>,
}

/// Numbers `tests/types_fixtures/` stores, some too wide for a `Decimal`.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_wide_numbers")]
pub struct FxWideNumber {
    #[column(primary_key)]
    pub id: i32,
    pub value: Decimal,
}

/// A user's id, kept apart from other ids by its type.
#[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub Uuid);

/// An organization's id.
#[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgId(pub Uuid);

/// A label as a named one-field struct over text.
#[derive(buster_db::Scalar, Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The text.
    pub text: String,
}

/// Seats of users in organizations, keyed by newtypes over uuid (`tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_seats")]
pub struct FxSeat {
    #[column(primary_key)]
    pub user_id: UserId,
    pub org_id: OrgId,
    pub invited_by: Option<UserId>,
    pub admins: Vec<UserId>,
    pub label: Label,
}

/// Columns with a type modifier, declared with `sql_type` (`tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_sized")]
pub struct FxSized {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "varchar(50)")]
    pub code: String,
    #[column(sql_type = "numeric(12, 2)")]
    pub amount: Decimal,
    #[column(sql_type = "timestamp(3)")]
    pub at: NaiveDateTime,
    #[column(sql_type = "varchar(20)[]")]
    pub tags: Vec<String>,
    #[column(sql_type = "char(4)")]
    pub note: Option<String>,
}

/// A ticket's status, kept as its label in a text column.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text, rename_all = "lowercase")]
pub enum TicketStatus {
    /// `open`
    Open,
    /// `closed`
    Closed,
    /// `on_hold`
    #[pg_enum(rename = "on_hold")]
    OnHold,
}

/// Tickets with text-enum columns (`tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_tickets")]
pub struct FxTicket {
    #[column(primary_key)]
    pub id: i32,
    pub status: TicketStatus,
    pub history: Vec<TicketStatus>,
    #[column(sql_type = "varchar(20)")]
    pub previous: Option<TicketStatus>,
}

/// Preferences stored as jsonb through serde, with no `Json<T>` around them.
#[derive(buster_db::Scalar, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[scalar(json)]
pub struct Preferences {
    /// A theme name.
    pub theme: String,
    /// Whether a digest is sent.
    pub digest: bool,
    /// Anything else.
    pub tags: Vec<String>,
}

/// Settings rows with jsonb columns of a serde type (`tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_settings")]
pub struct FxSettings {
    #[column(primary_key)]
    pub id: i32,
    pub settings: Preferences,
    pub history: Vec<Preferences>,
    pub extra: Option<Preferences>,
}

/// The `time` crate's column types (feature `time`; `tests/types_fixtures/`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_time_types")]
pub struct FxTimeType {
    #[column(primary_key)]
    pub id: i32,
    pub at: time::OffsetDateTime,
    pub local_at: time::PrimitiveDateTime,
    pub day: time::Date,
    pub clock: time::Time,
    pub days: Vec<time::Date>,
    pub maybe: Option<time::OffsetDateTime>,
}

/// The sessions connected to the current database (a view over `pg_stat_activity`).
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_sessions")]
pub struct FxSession {
    #[column(primary_key)]
    pub pid: i32,
    pub state: Option<String>,
    pub backend_type: Option<String>,
}

/// A [`NewUser`] with `email` and `name`, every defaulted column left to its default.
/// The accounts `1..=n` with `balance(id)`, for loads into `fx_accounts`.
pub fn accounts(n: i32, balance: fn(i32) -> i64) -> Vec<NewFxAccount> {
    (1..=n)
        .map(|id| NewFxAccount {
            id,
            balance: balance(id),
        })
        .collect()
}

/// Whether `fx_accounts` holds exactly the accounts `1..=n` with `balance(id)`.
pub async fn holds_accounts(
    db: &buster_db::Db,
    n: i32,
    balance: fn(i32) -> i64,
) -> buster_db::Result<bool> {
    use buster_db::prelude::*;
    let stored = FxAccount::select()
        .order_by(FxAccount::id.asc())
        .all(db)
        .await?;
    Ok(stored.len() == usize::try_from(n).unwrap_or(0)
        && stored
            .iter()
            .zip(1..)
            .all(|(a, id)| a.id == id && a.balance == balance(id)))
}

pub fn new_user(email: &str, name: &str) -> NewUser {
    NewUser::new(email.to_owned(), name.to_owned())
}

/// Every text an error shows: `Display`, `Debug`, pretty `Debug`, and the same of each source,
/// for the tests that look for a secret in them.
pub fn error_texts(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e} | {e:?} | {e:#?}");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(" | {s} | {s:?}"));
        source = s.source();
    }
    out
}

/// How many sessions of the current database sit idle inside a transaction.
pub async fn sessions_idle_in_transaction(db: &buster_db::Db) -> buster_db::Result<i64> {
    use buster_db::query::ColumnExt;
    FxSession::select()
        .filter(FxSession::state.like("idle in transaction%"))
        .count(db)
        .await
}

/// Waits until no session of the current database is idle inside a transaction, and tells
/// whether that happened within ten seconds.
///
/// A connection the pool abandons is closed by the client at once, but the server notices the
/// closed socket (and rolls back) a moment later, so a single look could see it still there.
pub async fn no_session_left_idle_in_transaction(db: &buster_db::Db) -> buster_db::Result<bool> {
    for _ in 0..500 {
        if sessions_idle_in_transaction(db).await? == 0 {
            return Ok(true);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok(false)
}

/// The kind of a failed result; `None` for success.
pub fn kind<T>(r: buster_db::Result<T>) -> Option<buster_db::ErrorKind> {
    r.err().map(|e| e.kind())
}

/// The field a validation error names; `None` for success or any other error.
pub fn invalid_field<T>(r: buster_db::Result<T>) -> Option<String> {
    r.err()
        .filter(|e| e.kind() == buster_db::ErrorKind::Validation)
        .and_then(|e| e.field().map(str::to_owned))
}
