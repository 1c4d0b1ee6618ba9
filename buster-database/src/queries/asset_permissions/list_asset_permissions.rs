//! List who holds which role on an asset.

use crate::schema::{AssetPermission, AssetType, IdentityType, User};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`list_asset_permissions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListAssetPermissionsParams {
    /// The asset's id.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
}

impl ListAssetPermissionsParams {
    /// Nothing to check: an id and an enum value are always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// A grant on an asset, with the user who holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetPermissionWithUser {
    /// The grant.
    pub permission: AssetPermission,
    /// The holder when it is a live user; `None` for a team or organization grant, or a grant
    /// to a soft-deleted user.
    pub user: Option<User>,
}

/// The live grants on the asset, oldest first (ties by holder), each with its user.
///
/// One statement: `asset_permissions LEFT JOIN users ON users.id = identity_id AND
/// identity_type = 'user'` (plus the users' soft-delete filter), so a team or organization
/// whose id happens to equal a user's id is never taken for that user. Revoked grants never
/// appear.
///
/// # Errors
///
/// Database errors.
pub async fn list_asset_permissions<E: Executor + ?Sized>(
    params: ListAssetPermissionsParams,
    exec: &E,
) -> Result<Vec<AssetPermissionWithUser>> {
    params.validate()?;
    let rows = AssetPermission::select()
        .left_join(
            User::table(),
            User::id
                .eq_col(AssetPermission::identity_id)
                .and(AssetPermission::identity_type.eq(IdentityType::User)),
        )
        .filter(
            AssetPermission::asset_id
                .eq(params.asset_id)
                .and(AssetPermission::asset_type.eq(params.asset_type)),
        )
        .order_by(AssetPermission::created_at.asc())
        .order_by(AssetPermission::identity_type.asc())
        .order_by(AssetPermission::identity_id.asc())
        .all(exec)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(permission, user)| AssetPermissionWithUser { permission, user })
        .collect())
}
