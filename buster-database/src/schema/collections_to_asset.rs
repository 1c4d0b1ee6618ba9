//! `collections_to_assets`: which assets a collection holds.

use super::AssetType;
use super::{collections, users};
use buster_db::{DateTime, Utc, Uuid};

/// An asset in a collection.
///
/// The asset is polymorphic (`asset_type` says which table `asset_id` points at), so there is
/// no foreign key on it. A removed entry keeps its key: adding the asset again revives it.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "collections_to_assets",
    primary_key(collection_id, asset_id, asset_type),
    index(asset_id, asset_type)
)]
pub struct CollectionsToAsset {
    /// The collection (`collections.id`).
    #[column(references = collections::id)]
    pub collection_id: Uuid,
    /// The asset's id in the table of its type.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
    /// Who added the asset (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Who last changed the entry (`users.id`).
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the row was last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the asset was removed from the collection; `None` while in it.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
