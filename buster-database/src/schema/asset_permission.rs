//! `asset_permissions`: who may do what with an asset.

use super::users;
use super::{AssetPermissionRole, AssetType, IdentityType};
use buster_db::{DateTime, Utc, Uuid};

/// A grant of `role` on an asset to a user, team or organization.
///
/// Both sides are polymorphic, so neither has a foreign key. Revoking is a soft delete; a
/// revoked grant keeps its four-column key, so granting again revives it.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "asset_permissions",
    primary_key(identity_id, identity_type, asset_id, asset_type),
    index(asset_id, asset_type)
)]
pub struct AssetPermission {
    /// The holder's id in the table of its type.
    pub identity_id: Uuid,
    /// The kind of holder.
    pub identity_type: IdentityType,
    /// The asset's id in the table of its type.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
    /// What the holder may do.
    pub role: AssetPermissionRole,
    /// Who granted it (`users.id`).
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
    /// When the grant was revoked; `None` while in force.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
