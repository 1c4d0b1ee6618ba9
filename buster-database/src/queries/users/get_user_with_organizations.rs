//! Get a user with the organizations they belong to.

use crate::schema::{Organization, User, UsersToOrganization};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`get_user_with_organizations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetUserWithOrganizationsParams {
    /// The user's id.
    pub user_id: Uuid,
}

impl GetUserWithOrganizationsParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// A user and their live memberships of live organizations.
#[derive(Debug, Clone, PartialEq)]
pub struct UserWithOrganizations {
    /// The user.
    pub user: User,
    /// Their organizations, by name.
    pub organizations: Vec<UserOrganization>,
}

/// One organization of a user, with the membership that makes them a member.
#[derive(Debug, Clone, PartialEq)]
pub struct UserOrganization {
    /// The organization.
    pub organization: Organization,
    /// The membership: role, status, permissions.
    pub membership: UsersToOrganization,
}

/// The live user with this id and their organizations, or `None` when there is no live user.
///
/// The user and the membership ⋈ organization join are two statements sent concurrently.
/// Soft-deleted memberships and soft-deleted organizations never appear (the join hides them in
/// its `ON` clause and its `WHERE`).
///
/// # Errors
///
/// Database errors.
pub async fn get_user_with_organizations<E: Executor + ?Sized>(
    params: GetUserWithOrganizationsParams,
    exec: &E,
) -> Result<Option<UserWithOrganizations>> {
    params.validate()?;
    let user = User::find(params.user_id).optional(exec);
    let organizations = UsersToOrganization::select()
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(UsersToOrganization::organization_id),
        )
        .filter(UsersToOrganization::user_id.eq(params.user_id))
        .order_by(Organization::name.asc())
        .all(exec);
    let (user, organizations) = tokio::try_join!(user, organizations)?;
    Ok(user.map(|user| UserWithOrganizations {
        user,
        organizations: organizations
            .into_iter()
            .map(|(membership, organization)| UserOrganization {
                organization,
                membership,
            })
            .collect(),
    }))
}
