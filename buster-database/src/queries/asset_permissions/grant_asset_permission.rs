//! Grant a role on an asset.

use crate::schema::{
    AssetPermission, AssetPermissionRole, AssetType, IdentityType, NewAssetPermission,
};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`grant_asset_permission`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantAssetPermissionParams {
    /// The holder's id in the table of its type.
    pub identity_id: Uuid,
    /// The kind of holder.
    pub identity_type: IdentityType,
    /// The asset's id in the table of its type.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
    /// The role to grant.
    pub role: AssetPermissionRole,
    /// Who grants it (recorded as `created_by` of a new grant and `updated_by`).
    pub granted_by: Uuid,
}

impl GrantAssetPermissionParams {
    /// Grants `role` on the asset to the user `user_id`.
    pub fn to_user(
        user_id: Uuid,
        asset_id: Uuid,
        asset_type: AssetType,
        role: AssetPermissionRole,
        granted_by: Uuid,
    ) -> GrantAssetPermissionParams {
        GrantAssetPermissionParams {
            identity_id: user_id,
            identity_type: IdentityType::User,
            asset_id,
            asset_type,
            role,
            granted_by,
        }
    }

    /// Nothing to check: ids and enum values are always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Grants the role, in one statement: an upsert on the grant's key
/// `(identity_id, identity_type, asset_id, asset_type)`.
///
/// - No grant yet: one is inserted.
/// - A live grant: its `role` and `updated_by` change; `created_by` and `created_at` stay.
/// - A revoked (soft-deleted) grant: it is revived with the new role, since the key still holds
///   the old row.
///
/// Neither side is checked: permissions are polymorphic and have no foreign keys.
///
/// # Errors
///
/// Database errors.
pub async fn grant_asset_permission<E: Executor + ?Sized>(
    params: GrantAssetPermissionParams,
    exec: &E,
) -> Result<AssetPermission> {
    params.validate()?;
    AssetPermission::upsert(NewAssetPermission {
        identity_id: params.identity_id,
        identity_type: params.identity_type,
        asset_id: params.asset_id,
        asset_type: params.asset_type,
        role: params.role,
        created_by: params.granted_by,
        updated_by: params.granted_by,
    })
    .on_conflict((
        AssetPermission::identity_id,
        AssetPermission::identity_type,
        AssetPermission::asset_id,
        AssetPermission::asset_type,
    ))
    .update((AssetPermission::role, AssetPermission::updated_by))
    .revive()
    .one(exec)
    .await
}
