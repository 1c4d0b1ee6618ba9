//! `api_keys`: keys that authenticate programs on behalf of an organization.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// An API key. The key text is unique among live keys; revoking is a soft delete.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "api_keys", index(organization_id))]
pub struct ApiKey {
    /// The row's key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The user who created the key (`users.id`).
    #[column(references = users::id)]
    pub owner_id: Uuid,
    /// The secret presented by clients, unique among live keys.
    #[column(unique)]
    pub key: String,
    /// The organization the key acts for (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the row was last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the key was revoked; `None` while valid.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
