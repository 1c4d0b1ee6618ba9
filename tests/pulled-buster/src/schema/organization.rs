//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `organizations`.

use super::UserOrganizationRole;
use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A row of `organizations`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "organizations")]
pub struct Organization {
    /// Column `id` of `organizations`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `name` of `organizations`.
    #[column(unique)]
    pub name: String,
    /// Column `domain` of `organizations`.
    pub domain: Option<String>,
    /// Column `domains` of `organizations`.
    pub domains: Option<Vec<String>>,
    /// Column `payment_required` of `organizations`.
    #[column(default = "false")]
    pub payment_required: bool,
    /// Column `restrict_new_user_invitations` of `organizations`.
    #[column(default = "false")]
    pub restrict_new_user_invitations: bool,
    /// Column `default_role` of `organizations`.
    #[column(default = "'restricted_querier'")]
    pub default_role: UserOrganizationRole,
    /// Column `organization_color_palettes` of `organizations`.
    #[column(
        default = "'{\"palettes\": [], \"selectedId\": null, \"selectedDictionaryPalette\": null}'"
    )]
    pub organization_color_palettes: JsonValue,
    /// Column `created_at` of `organizations`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `organizations`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `organizations`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
