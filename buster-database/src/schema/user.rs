//! `users`: people who sign in.

use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A user. The email is unique among live users, so a soft-deleted account does not block
/// signing up again with the same address.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "users")]
pub struct User {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The sign-in email, unique among live users.
    #[column(unique)]
    pub email: String,
    /// The display name.
    pub name: String,
    /// Whether the user may sign in.
    #[column(default = "true")]
    pub is_active: bool,
    /// Free-form user settings (a JSON object).
    #[column(default = "'{}'::jsonb")]
    pub config: JsonValue,
    /// The URL of the user's picture.
    pub avatar_url: Option<String>,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the row was last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the row was soft-deleted; `None` while live.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
