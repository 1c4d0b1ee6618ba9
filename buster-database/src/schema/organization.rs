//! `organizations`: the tenants.

use serde::{Deserialize, Serialize};

use super::UserOrganizationRole;
use buster_db::{DateTime, Json, Utc, Uuid};

/// An organization (tenant). Its name is unique among live organizations.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "organizations")]
pub struct Organization {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The display name, unique among live organizations.
    #[column(unique)]
    pub name: String,
    /// The primary email domain.
    pub domain: Option<String>,
    /// Every email domain whose users may join.
    pub domains: Option<Vec<String>>,
    /// Whether the organization must pay before using the product.
    #[column(default = "false")]
    pub payment_required: bool,
    /// Whether only admins may invite new users.
    #[column(default = "false")]
    pub restrict_new_user_invitations: bool,
    /// The role new members get.
    #[column(default = "'restricted_querier'")]
    pub default_role: UserOrganizationRole,
    /// The chart color palettes and which one is selected.
    #[column(
        default = r#"'{"selectedId":null,"palettes":[],"selectedDictionaryPalette":null}'::jsonb"#
    )]
    pub organization_color_palettes: Json<ColorPalettes>,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the row was last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the row was soft-deleted; `None` while live.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The value of `organizations.organization_color_palettes`.
///
/// Serialized with the camelCase keys the product stores.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColorPalettes {
    /// The id of the selected palette of [`ColorPalettes::palettes`], if any.
    pub selected_id: Option<String>,
    /// The organization's own palettes.
    pub palettes: Vec<ColorPalette>,
    /// A palette picked from the built-in dictionary, if any.
    pub selected_dictionary_palette: Option<ColorPalette>,
}

/// One named list of chart colors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColorPalette {
    /// The palette's id.
    pub id: String,
    /// Its display name, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The colors, as CSS color strings (`#1f77b4`).
    pub colors: Vec<String>,
}
