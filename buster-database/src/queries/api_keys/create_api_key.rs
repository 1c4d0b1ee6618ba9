//! Create an API key.

use crate::schema::{ApiKey, NewApiKey};
use crate::validate;
use buster_db::{Error, Executor, Result, Table, Uuid};

/// The longest key text accepted, in characters.
pub(crate) const MAX_KEY: usize = 1024;

/// Input of [`create_api_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateApiKeyParams {
    /// The user who creates the key.
    pub owner_id: Uuid,
    /// The organization the key acts for.
    pub organization_id: Uuid,
    /// The secret clients present, unique among live keys.
    pub key: String,
}

impl CreateApiKeyParams {
    /// Checks that `key` is 1 to 1,024 characters without whitespace.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `key`.
    pub fn validate(&self) -> Result<()> {
        key_text(&self.key)
    }
}

/// Key text as clients send it in a header: non-empty, bounded, no whitespace.
pub(crate) fn key_text(key: &str) -> Result<()> {
    validate::text("key", key, MAX_KEY)?;
    if key.chars().any(char::is_whitespace) {
        return Err(Error::validation("key", "must not contain whitespace"));
    }
    Ok(())
}

/// Inserts an API key and returns it.
///
/// # Errors
///
/// [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) (`api_keys_key_key`) when
/// a live key has the same text; [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation)
/// when the owner or the organization does not exist; validation and database errors.
pub async fn create_api_key<E: Executor + ?Sized>(
    params: CreateApiKeyParams,
    exec: &E,
) -> Result<ApiKey> {
    params.validate()?;
    ApiKey::insert(NewApiKey {
        id: None,
        owner_id: params.owner_id,
        key: params.key,
        organization_id: params.organization_id,
    })
    .one(exec)
    .await
}
