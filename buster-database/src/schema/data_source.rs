//! `data_sources`: the warehouses an organization connects.

use super::DataSourceOnboardingStatus;
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A connected database or warehouse. Its name is unique per organization and environment
/// among live data sources.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "data_sources", unique(name, organization_id, env))]
pub struct DataSource {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The display name.
    pub name: String,
    /// The kind of database, e.g. `postgres` or `snowflake`.
    pub r#type: String,
    /// The id of the stored connection secret.
    pub secret_id: Uuid,
    /// How far the first scan got.
    #[column(default = "'notStarted'")]
    pub onboarding_status: DataSourceOnboardingStatus,
    /// Why the first scan failed, if it did.
    pub onboarding_error: Option<String>,
    /// The owning organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// The environment, e.g. `dev` or `prod`.
    #[column(default = "'dev'")]
    pub env: String,
    /// Who created the row (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Who last changed it (`users.id`).
    #[column(references = users::id)]
    pub updated_by: Uuid,
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
