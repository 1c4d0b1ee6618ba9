//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `report_files`.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `report_files`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "report_files", index(organization_id), search_index(name))]
pub struct ReportFile {
    /// Column `id` of `report_files`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `name` of `report_files`.
    pub name: String,
    /// Column `content` of `report_files`.
    #[column(default = "''")]
    pub content: String,
    /// Column `organization_id` of `report_files`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `created_by` of `report_files`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `report_files`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `report_files`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `report_files`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `report_files`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
