//! The PostgreSQL enum types of the Buster schema (created by `migrations/0002_enums.sql`).

/// A member's role in an organization (`user_organization_role`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "user_organization_role")]
pub enum UserOrganizationRole {
    /// Manages the workspace: members, settings, billing.
    WorkspaceAdmin,
    /// Manages data sources and datasets.
    DataAdmin,
    /// Queries every dataset.
    Querier,
    /// Queries only the datasets granted to them.
    RestrictedQuerier,
    /// Sees shared assets, runs no queries.
    Viewer,
}

/// Whether a membership is in use (`user_organization_status`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "user_organization_status")]
pub enum UserOrganizationStatus {
    /// A working member.
    Active,
    /// A member who can no longer sign in to the organization.
    Inactive,
    /// Invited, not joined yet.
    Pending,
    /// A guest from outside the organization.
    Guest,
}

/// How far a member's assets are shared by default (`sharing_setting`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "sharing_setting")]
pub enum SharingSetting {
    /// Not shared.
    None,
    /// Shared with the member's teams.
    Team,
    /// Shared with the whole organization.
    Organization,
    /// Shared with anyone who has the link.
    Public,
}

/// The kind of asset a permission or collection entry points at (`asset_type`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "asset_type")]
pub enum AssetType {
    /// A chat with the analyst.
    Chat,
    /// A metric file.
    MetricFile,
    /// A dashboard file.
    DashboardFile,
    /// A report file.
    ReportFile,
    /// A collection.
    Collection,
}

/// What an identity may do with an asset (`asset_permission_role`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "asset_permission_role")]
pub enum AssetPermissionRole {
    /// Created the asset; may do everything.
    Owner,
    /// May see the asset.
    Viewer,
    /// May see the asset.
    CanView,
    /// May see the asset and change its filters.
    CanFilter,
    /// May edit the asset.
    CanEdit,
    /// May edit, share and delete the asset.
    FullAccess,
}

/// Who holds an asset permission (`identity_type`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "identity_type")]
pub enum IdentityType {
    /// A user (`identity_id` is a `users.id`).
    User,
    /// A team.
    Team,
    /// An organization (`identity_id` is an `organizations.id`).
    Organization,
}

/// The kind of assistant a chat talks to (`chat_type`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "chat_type")]
pub enum ChatType {
    /// The analyst, answering questions about data.
    Analyst,
    /// The data engineer, modelling data.
    DataEngineer,
}

/// How far the first scan of a data source got (`data_source_onboarding_status`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "data_source_onboarding_status")]
pub enum DataSourceOnboardingStatus {
    /// Not started.
    #[pg_enum(rename = "notStarted")]
    NotStarted,
    /// Running.
    #[pg_enum(rename = "inProgress")]
    InProgress,
    /// Done.
    #[pg_enum(rename = "completed")]
    Completed,
    /// Stopped with an error (see `data_sources.onboarding_error`).
    #[pg_enum(rename = "failed")]
    Failed,
}

/// The kind of relation a dataset reads (`dataset_type`).
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[pg_enum(name = "dataset_type")]
pub enum DatasetType {
    /// A table.
    #[pg_enum(rename = "table")]
    Table,
    /// A view.
    #[pg_enum(rename = "view")]
    View,
    /// A materialized view.
    #[pg_enum(rename = "materializedView")]
    MaterializedView,
}
