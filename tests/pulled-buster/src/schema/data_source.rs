//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `data_sources`.

use super::DataSourceOnboardingStatus;
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `data_sources`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "data_sources", unique(name, organization_id, env))]
pub struct DataSource {
    /// Column `id` of `data_sources`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `name` of `data_sources`.
    pub name: String,
    /// Column `type` of `data_sources`.
    pub r#type: String,
    /// Column `secret_id` of `data_sources`.
    pub secret_id: Uuid,
    /// Column `onboarding_status` of `data_sources`.
    #[column(default = "'notStarted'")]
    pub onboarding_status: DataSourceOnboardingStatus,
    /// Column `onboarding_error` of `data_sources`.
    pub onboarding_error: Option<String>,
    /// Column `organization_id` of `data_sources`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `env` of `data_sources`.
    #[column(default = "'dev'")]
    pub env: String,
    /// Column `created_by` of `data_sources`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `data_sources`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `data_sources`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `data_sources`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `data_sources`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
