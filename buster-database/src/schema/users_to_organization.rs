//! `users_to_organizations`: memberships.

use super::{SharingSetting, UserOrganizationRole, UserOrganizationStatus};
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A user's membership of an organization.
///
/// The key is the pair (user, organization), and a soft-deleted membership keeps it: adding the
/// same user again must revive the row (an upsert on the key), not insert a second one.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "users_to_organizations", primary_key(user_id, organization_id))]
#[table(index(organization_id))]
pub struct UsersToOrganization {
    /// The member (`users.id`).
    #[column(references = users::id)]
    pub user_id: Uuid,
    /// The organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// The member's role.
    #[column(default = "'querier'")]
    pub role: UserOrganizationRole,
    /// How far the member's assets are shared by default.
    #[column(default = "'none'")]
    pub sharing_setting: SharingSetting,
    /// Whether the member may write SQL.
    #[column(default = "false")]
    pub edit_sql: bool,
    /// Whether the member may upload CSV files.
    #[column(default = "false")]
    pub upload_csv: bool,
    /// Whether the member may export assets.
    #[column(default = "false")]
    pub export_assets: bool,
    /// Whether the member may send assets by email or Slack.
    #[column(default = "false")]
    pub email_slack_enabled: bool,
    /// Whether the membership is in use.
    #[column(default = "'active'")]
    pub status: UserOrganizationStatus,
    /// Who created the membership (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Who last changed it (`users.id`).
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Who removed the member (`users.id`), once removed.
    #[column(references = users::id)]
    pub deleted_by: Option<Uuid>,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the row was last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the member was removed; `None` while a member.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
