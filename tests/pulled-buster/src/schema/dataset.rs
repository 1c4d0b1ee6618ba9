//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `datasets`.

use super::DatasetType;
use super::{data_sources, organizations, users};
use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A row of `datasets`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "datasets",
    unique_nulls_not_distinct(name, schema, database_identifier, data_source_id),
    index(data_source_id)
)]
pub struct Dataset {
    /// Column `id` of `datasets`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `name` of `datasets`.
    pub name: String,
    /// Column `database_name` of `datasets`.
    pub database_name: String,
    /// Column `when_to_use` of `datasets`.
    pub when_to_use: Option<String>,
    /// Column `when_not_to_use` of `datasets`.
    pub when_not_to_use: Option<String>,
    /// Column `type` of `datasets`.
    pub r#type: DatasetType,
    /// Column `definition` of `datasets`.
    pub definition: String,
    /// Column `schema` of `datasets`.
    pub schema: String,
    /// Column `enabled` of `datasets`.
    #[column(default = "false")]
    pub enabled: bool,
    /// Column `imported` of `datasets`.
    #[column(default = "false")]
    pub imported: bool,
    /// Column `data_source_id` of `datasets`.
    #[column(references = data_sources::id)]
    pub data_source_id: Uuid,
    /// Column `organization_id` of `datasets`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `model` of `datasets`.
    pub model: Option<String>,
    /// Column `yml_file` of `datasets`.
    pub yml_file: Option<String>,
    /// Column `database_identifier` of `datasets`.
    pub database_identifier: Option<String>,
    /// Column `metadata` of `datasets`.
    pub metadata: Option<JsonValue>,
    /// Column `created_by` of `datasets`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `datasets`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `datasets`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `datasets`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `datasets`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
