//! Revoke the grants of several identities on an asset.

use crate::schema::{AssetPermission, AssetType, IdentityType};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`revoke_asset_permissions`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeAssetPermissionsParams {
    /// The asset's id.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
    /// The kind of the holders in `identity_ids`.
    pub identity_type: IdentityType,
    /// The holders whose grants end; duplicates and holders without a grant are fine.
    pub identity_ids: Vec<Uuid>,
    /// Who revokes them (recorded as `updated_by`).
    pub revoked_by: Uuid,
}

impl RevokeAssetPermissionsParams {
    /// Nothing to check: any list of ids, including an empty one, is a valid request.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Revokes (soft-deletes) the live grants on the asset held by any of `identity_ids`, and
/// returns them, in no particular order. Granting again revives a revoked grant
/// ([`grant_asset_permission`](super::grant_asset_permission)).
///
/// One statement whatever the number of ids (`identity_id = ANY($n)`, one array parameter); it
/// sets `deleted_at`, `updated_at` and `updated_by` on live grants only, so grants that were
/// already revoked are neither touched nor returned. An empty list returns nothing without a
/// round trip.
///
/// # Errors
///
/// Database errors.
pub async fn revoke_asset_permissions<E: Executor + ?Sized>(
    params: RevokeAssetPermissionsParams,
    exec: &E,
) -> Result<Vec<AssetPermission>> {
    params.validate()?;
    if params.identity_ids.is_empty() {
        return Ok(Vec::new());
    }
    AssetPermission::soft_delete_where(
        AssetPermission::asset_id
            .eq(params.asset_id)
            .and(AssetPermission::asset_type.eq(params.asset_type))
            .and(AssetPermission::identity_type.eq(params.identity_type))
            .and(AssetPermission::identity_id.is_in(params.identity_ids)),
    )
    .set(AssetPermission::updated_by, params.revoked_by)
    .all(exec)
    .await
}
