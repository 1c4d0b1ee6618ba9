//! Remove a user from an organization.

use crate::schema::UsersToOrganization;
use buster_db::{Executor, Result, Table, Uuid};

/// Input of [`remove_user_from_organization`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoveUserFromOrganizationParams {
    /// The member.
    pub user_id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// Who removes them (recorded as `deleted_by` and `updated_by`).
    pub removed_by: Uuid,
}

impl RemoveUserFromOrganizationParams {
    /// Nothing to check: ids are always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Soft-deletes the live membership, recording who removed the member, and returns the removed
/// row. Adding the user again revives it
/// ([`add_user_to_organization`](super::add_user_to_organization)).
///
/// One statement: the soft delete sets `deleted_at` and `updated_at` and records `deleted_by`
/// and `updated_by`, on the live row only, so a removal racing another one finds nothing
/// instead of recording a second remover.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no live membership (nothing
/// is written); [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation) when
/// `removed_by` is not a user; database errors.
pub async fn remove_user_from_organization<E: Executor + ?Sized>(
    params: RemoveUserFromOrganizationParams,
    exec: &E,
) -> Result<UsersToOrganization> {
    params.validate()?;
    UsersToOrganization::soft_delete((params.user_id, params.organization_id))
        .set(UsersToOrganization::deleted_by, Some(params.removed_by))
        .set(UsersToOrganization::updated_by, params.removed_by)
        .one(exec)
        .await
}
