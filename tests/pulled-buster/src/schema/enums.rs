//! Written by `pull` from database `buster`, schema `public`.
//!
//! The enum types of the schema.

/// The enum type `asset_permission_role`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "asset_permission_role")]
pub enum AssetPermissionRole {
    /// The label `owner`.
    Owner,
    /// The label `viewer`.
    Viewer,
    /// The label `can_view`.
    CanView,
    /// The label `can_filter`.
    CanFilter,
    /// The label `can_edit`.
    CanEdit,
    /// The label `full_access`.
    FullAccess,
}

/// The enum type `asset_type`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "asset_type")]
pub enum AssetType {
    /// The label `chat`.
    Chat,
    /// The label `metric_file`.
    MetricFile,
    /// The label `dashboard_file`.
    DashboardFile,
    /// The label `report_file`.
    ReportFile,
    /// The label `collection`.
    Collection,
}

/// The enum type `chat_type`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "chat_type")]
pub enum ChatType {
    /// The label `analyst`.
    Analyst,
    /// The label `data_engineer`.
    DataEngineer,
}

/// The enum type `data_source_onboarding_status`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "data_source_onboarding_status", rename_all = "camelCase")]
pub enum DataSourceOnboardingStatus {
    /// The label `notStarted`.
    NotStarted,
    /// The label `inProgress`.
    InProgress,
    /// The label `completed`.
    Completed,
    /// The label `failed`.
    Failed,
}

/// The enum type `dataset_type`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "dataset_type", rename_all = "camelCase")]
pub enum DatasetType {
    /// The label `table`.
    Table,
    /// The label `view`.
    View,
    /// The label `materializedView`.
    MaterializedView,
}

/// The enum type `identity_type`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "identity_type")]
pub enum IdentityType {
    /// The label `user`.
    User,
    /// The label `team`.
    Team,
    /// The label `organization`.
    Organization,
}

/// The enum type `sharing_setting`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "sharing_setting")]
pub enum SharingSetting {
    /// The label `none`.
    None,
    /// The label `team`.
    Team,
    /// The label `organization`.
    Organization,
    /// The label `public`.
    Public,
}

/// The enum type `user_organization_role`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "user_organization_role")]
pub enum UserOrganizationRole {
    /// The label `workspace_admin`.
    WorkspaceAdmin,
    /// The label `data_admin`.
    DataAdmin,
    /// The label `querier`.
    Querier,
    /// The label `restricted_querier`.
    RestrictedQuerier,
    /// The label `viewer`.
    Viewer,
}

/// The enum type `user_organization_status`.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "user_organization_status")]
pub enum UserOrganizationStatus {
    /// The label `active`.
    Active,
    /// The label `inactive`.
    Inactive,
    /// The label `pending`.
    Pending,
    /// The label `guest`.
    Guest,
}
