//! `collections`: named groups of assets.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A collection. Its assets are in [`CollectionsToAsset`](super::CollectionsToAsset).
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "collections", index(organization_id), search_index(name))]
pub struct Collection {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The collection's name.
    pub name: String,
    /// What it gathers.
    pub description: Option<String>,
    /// The owning organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Who created the row (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Who last changed it (`users.id`).
    #[column(references = users::id)]
    pub updated_by: Uuid,
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
