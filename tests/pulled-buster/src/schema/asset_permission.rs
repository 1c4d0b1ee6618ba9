//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `asset_permissions`.

use super::users;
use super::{AssetPermissionRole, AssetType, IdentityType};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `asset_permissions`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "asset_permissions",
    primary_key(identity_id, identity_type, asset_id, asset_type),
    index(asset_id, asset_type)
)]
pub struct AssetPermission {
    /// Column `identity_id` of `asset_permissions`.
    pub identity_id: Uuid,
    /// Column `identity_type` of `asset_permissions`.
    pub identity_type: IdentityType,
    /// Column `asset_id` of `asset_permissions`.
    pub asset_id: Uuid,
    /// Column `asset_type` of `asset_permissions`.
    pub asset_type: AssetType,
    /// Column `role` of `asset_permissions`.
    pub role: AssetPermissionRole,
    /// Column `created_by` of `asset_permissions`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `asset_permissions`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `asset_permissions`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `asset_permissions`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `asset_permissions`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
