//! Revoke an API key.

use crate::schema::ApiKey;
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`revoke_api_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevokeApiKeyParams {
    /// The key's id.
    pub id: Uuid,
    /// The organization the key must belong to, so that one tenant cannot revoke another's key.
    pub organization_id: Uuid,
}

impl RevokeApiKeyParams {
    /// Nothing to check: ids are always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Revokes (soft-deletes) the live key with this id in this organization and returns it. A
/// revoked key no longer validates and its text may be issued again.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no such live key in the
/// organization (revoking twice changes nothing); database errors.
pub async fn revoke_api_key<E: Executor + ?Sized>(
    params: RevokeApiKeyParams,
    exec: &E,
) -> Result<ApiKey> {
    params.validate()?;
    ApiKey::soft_delete_where(
        ApiKey::id
            .eq(params.id)
            .and(ApiKey::organization_id.eq(params.organization_id)),
    )
    .one(exec)
    .await
}
