//! `user_profiles`: one optional profile per user.

use super::users;
use buster_db::{DateTime, Utc, Uuid};

/// A user's profile, keyed by the user: a user has at most one.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "user_profiles")]
pub struct UserProfile {
    /// The user (`users.id`) this profile belongs to.
    #[column(primary_key, references = users::id)]
    pub user_id: Uuid,
    /// A short text about the user.
    pub bio: Option<String>,
    /// The user's IANA time zone, e.g. `Europe/Paris`.
    #[column(default = "'UTC'")]
    pub timezone: String,
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
