//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `collections_to_assets`.

use super::AssetType;
use super::{collections, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `collections_to_assets`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "collections_to_assets",
    primary_key(collection_id, asset_id, asset_type),
    index(asset_id, asset_type)
)]
pub struct CollectionsToAsset {
    /// Column `collection_id` of `collections_to_assets`.
    #[column(references = collections::id)]
    pub collection_id: Uuid,
    /// Column `asset_id` of `collections_to_assets`.
    pub asset_id: Uuid,
    /// Column `asset_type` of `collections_to_assets`.
    pub asset_type: AssetType,
    /// Column `created_by` of `collections_to_assets`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `collections_to_assets`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `collections_to_assets`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `collections_to_assets`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `collections_to_assets`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
