//! Get an organization.

use crate::schema::Organization;
use buster_db::{Executor, Result, Table, Uuid};

/// Input of [`get_organization`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetOrganizationParams {
    /// The organization's id.
    pub id: Uuid,
}

impl GetOrganizationParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The live organization with this id.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is none or it is
/// soft-deleted; database errors.
pub async fn get_organization<E: Executor + ?Sized>(
    params: GetOrganizationParams,
    exec: &E,
) -> Result<Organization> {
    params.validate()?;
    Organization::find(params.id).one(exec).await
}
