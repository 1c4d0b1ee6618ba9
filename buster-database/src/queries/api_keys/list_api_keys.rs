//! List an organization's API keys.

use crate::schema::{ApiKey, Organization};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`list_api_keys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListApiKeysParams {
    /// The organization.
    pub organization_id: Uuid,
}

impl ListApiKeysParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The organization's live (not revoked) keys, newest first. A soft-deleted organization has
/// none: the keys are joined to their live organization.
///
/// # Errors
///
/// Database errors.
pub async fn list_api_keys<E: Executor + ?Sized>(
    params: ListApiKeysParams,
    exec: &E,
) -> Result<Vec<ApiKey>> {
    params.validate()?;
    ApiKey::select()
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(ApiKey::organization_id),
        )
        .filter(ApiKey::organization_id.eq(params.organization_id))
        .order_by(ApiKey::created_at.desc())
        .order_by(ApiKey::id.asc())
        .column(ApiKey::table())
        .all(exec)
        .await
}
