//! Create a user, their organization and their admin membership, atomically.

use crate::queries::users::{CreateUserParams, create_user};
use crate::schema::{
    NewUsersToOrganization, Organization, User, UserOrganizationRole, UsersToOrganization,
};
use buster_db::{Db, Error, Result, Table};

use super::{CreateOrganizationParams, create_organization};

/// Input of [`create_user_with_organization`].
#[derive(Debug, Clone, PartialEq)]
pub struct CreateUserWithOrganizationParams {
    /// The user to create.
    pub user: CreateUserParams,
    /// The organization to create, with the user as its workspace admin.
    pub organization: CreateOrganizationParams,
}

impl CreateUserWithOrganizationParams {
    /// Checks both parts as their own queries do; a field is named by its path
    /// (`user.email`, `organization.name`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        self.user.validate().map_err(|e| e.within("user"))?;
        self.organization
            .validate()
            .map_err(|e| e.within("organization"))
    }
}

/// What [`create_user_with_organization`] created.
#[derive(Debug, Clone, PartialEq)]
pub struct UserWithOrganization {
    /// The new user.
    pub user: User,
    /// The new organization.
    pub organization: Organization,
    /// The user's membership, as `workspace_admin`, created by the user themselves.
    pub membership: UsersToOrganization,
}

/// Creates the user, the organization and the user's `workspace_admin` membership in one
/// transaction: if any step fails (a taken email, a taken organization name, …) nothing is left
/// behind.
///
/// Takes a `&Db` rather than any executor because it opens its own transaction.
///
/// # Errors
///
/// [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) for a taken email
/// (`users_email_key`) or organization name (`organizations_name_key`); validation and database
/// errors. Nothing is written in either case.
pub async fn create_user_with_organization(
    params: CreateUserWithOrganizationParams,
    db: &Db,
) -> Result<UserWithOrganization> {
    params.validate()?;
    let CreateUserWithOrganizationParams { user, organization } = params;
    db.transaction(async |tx| {
        let user = create_user(user, tx).await?;
        let organization = create_organization(organization, tx).await?;
        let membership = UsersToOrganization::insert(NewUsersToOrganization {
            user_id: user.id,
            organization_id: organization.id,
            role: Some(UserOrganizationRole::WorkspaceAdmin),
            sharing_setting: None,
            edit_sql: None,
            upload_csv: None,
            export_assets: None,
            email_slack_enabled: None,
            status: None,
            created_by: user.id,
            updated_by: user.id,
            deleted_by: None,
        })
        .one(tx)
        .await?;
        Ok::<_, Error>(UserWithOrganization {
            user,
            organization,
            membership,
        })
    })
    .await
}
