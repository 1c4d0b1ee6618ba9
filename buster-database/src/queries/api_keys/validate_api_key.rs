//! Check an API key presented by a client.

use crate::schema::{ApiKey, Organization};
use buster_db::Result;
use buster_db::prelude::*;

use super::create_api_key::key_text;

/// Input of [`validate_api_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateApiKeyParams {
    /// The key text the client presented.
    pub key: String,
}

impl ValidateApiKeyParams {
    /// Checks that `key` is 1 to 1,024 characters without whitespace.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `key`.
    pub fn validate(&self) -> Result<()> {
        key_text(&self.key)
    }
}

/// A valid API key and the organization it acts for.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyWithOrganization {
    /// The key.
    pub api_key: ApiKey,
    /// Its organization.
    pub organization: Organization,
}

/// The key with this text and its organization, when both are live; `None` for an unknown or
/// revoked key, or a key of a soft-deleted organization. One statement:
/// `api_keys ⋈ organizations`.
///
/// # Errors
///
/// Validation and database errors.
pub async fn validate_api_key<E: Executor + ?Sized>(
    params: ValidateApiKeyParams,
    exec: &E,
) -> Result<Option<ApiKeyWithOrganization>> {
    params.validate()?;
    let row = ApiKey::select()
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(ApiKey::organization_id),
        )
        .filter(ApiKey::key.eq(params.key))
        .optional(exec)
        .await?;
    Ok(row.map(|(api_key, organization)| ApiKeyWithOrganization {
        api_key,
        organization,
    }))
}
