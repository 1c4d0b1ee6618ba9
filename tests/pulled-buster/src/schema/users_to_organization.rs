//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `users_to_organizations`.

use super::{SharingSetting, UserOrganizationRole, UserOrganizationStatus};
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `users_to_organizations`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "users_to_organizations",
    primary_key(user_id, organization_id),
    index(organization_id)
)]
pub struct UsersToOrganization {
    /// Column `user_id` of `users_to_organizations`.
    #[column(references = users::id)]
    pub user_id: Uuid,
    /// Column `organization_id` of `users_to_organizations`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `role` of `users_to_organizations`.
    #[column(default = "'querier'")]
    pub role: UserOrganizationRole,
    /// Column `sharing_setting` of `users_to_organizations`.
    #[column(default = "'none'")]
    pub sharing_setting: SharingSetting,
    /// Column `edit_sql` of `users_to_organizations`.
    #[column(default = "false")]
    pub edit_sql: bool,
    /// Column `upload_csv` of `users_to_organizations`.
    #[column(default = "false")]
    pub upload_csv: bool,
    /// Column `export_assets` of `users_to_organizations`.
    #[column(default = "false")]
    pub export_assets: bool,
    /// Column `email_slack_enabled` of `users_to_organizations`.
    #[column(default = "false")]
    pub email_slack_enabled: bool,
    /// Column `status` of `users_to_organizations`.
    #[column(default = "'active'")]
    pub status: UserOrganizationStatus,
    /// Column `created_by` of `users_to_organizations`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `users_to_organizations`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `deleted_by` of `users_to_organizations`.
    #[column(references = users::id)]
    pub deleted_by: Option<Uuid>,
    /// Column `created_at` of `users_to_organizations`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `users_to_organizations`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `users_to_organizations`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
