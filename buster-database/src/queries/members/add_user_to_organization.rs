//! Add a user to an organization, or change their membership.

use crate::schema::{
    NewUsersToOrganization, UserOrganizationRole, UserOrganizationStatus, UsersToOrganization,
};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`add_user_to_organization`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddUserToOrganizationParams {
    /// The user.
    pub user_id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// Their role.
    pub role: UserOrganizationRole,
    /// The membership's status.
    pub status: UserOrganizationStatus,
    /// Who adds them (recorded as `created_by` of a new membership and `updated_by`).
    pub added_by: Uuid,
}

impl AddUserToOrganizationParams {
    /// An `active` membership with this role.
    pub fn new(
        user_id: Uuid,
        organization_id: Uuid,
        role: UserOrganizationRole,
        added_by: Uuid,
    ) -> AddUserToOrganizationParams {
        AddUserToOrganizationParams {
            user_id,
            organization_id,
            role,
            status: UserOrganizationStatus::Active,
            added_by,
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

/// Makes the user a member of the organization with this role and status, in one statement: an
/// upsert on the membership key `(user_id, organization_id)`.
///
/// - No membership yet: one is inserted (other settings take their defaults).
/// - A live membership: its `role`, `status` and `updated_by` are updated; its other settings
///   and `created_by` stay.
/// - A removed (soft-deleted) membership: it is revived (`deleted_at` and `deleted_by` cleared)
///   and updated the same way, since the key still holds the old row.
///
/// # Errors
///
/// [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation) when the user, the
/// organization or `added_by` does not exist; database errors.
pub async fn add_user_to_organization<E: Executor + ?Sized>(
    params: AddUserToOrganizationParams,
    exec: &E,
) -> Result<UsersToOrganization> {
    params.validate()?;
    UsersToOrganization::upsert(NewUsersToOrganization {
        user_id: params.user_id,
        organization_id: params.organization_id,
        role: Some(params.role),
        sharing_setting: None,
        edit_sql: None,
        upload_csv: None,
        export_assets: None,
        email_slack_enabled: None,
        status: Some(params.status),
        created_by: params.added_by,
        updated_by: params.added_by,
        deleted_by: None,
    })
    .on_conflict((
        UsersToOrganization::user_id,
        UsersToOrganization::organization_id,
    ))
    .update((
        UsersToOrganization::role,
        UsersToOrganization::status,
        UsersToOrganization::updated_by,
        UsersToOrganization::deleted_by,
    ))
    .revive()
    .one(exec)
    .await
}
