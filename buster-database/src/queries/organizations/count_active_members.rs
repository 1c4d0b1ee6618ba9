//! Count an organization's active members.

use crate::schema::{Organization, User, UserOrganizationStatus, UsersToOrganization};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`count_active_members`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountActiveMembersParams {
    /// The organization.
    pub organization_id: Uuid,
}

impl CountActiveMembersParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// How many members the organization has whose membership is live and `active` and whose user
/// is live. A soft-deleted organization has none. One statement:
/// `users_to_organizations ⋈ users ⋈ organizations`, `count(*)`.
///
/// # Errors
///
/// Database errors.
pub async fn count_active_members<E: Executor + ?Sized>(
    params: CountActiveMembersParams,
    exec: &E,
) -> Result<i64> {
    params.validate()?;
    UsersToOrganization::select()
        .inner_join(User::table(), User::id.eq_col(UsersToOrganization::user_id))
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(UsersToOrganization::organization_id),
        )
        .filter(UsersToOrganization::organization_id.eq(params.organization_id))
        .filter(UsersToOrganization::status.eq(UserOrganizationStatus::Active))
        .count(exec)
        .await
}
