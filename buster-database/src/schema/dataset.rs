//! `datasets`: the modelled relations of a data source.

use super::DatasetType;
use super::{data_sources, organizations, users};
use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A dataset: one modelled table or view of a data source, deployed from a model file.
///
/// Unique among live datasets by (name, schema, database identifier, data source), with NULLs
/// counted as equal (`NULLS NOT DISTINCT`): a dataset without a database identifier is still
/// one row per name and schema, so a deploy upsert updates it instead of adding a duplicate.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "datasets",
    unique_nulls_not_distinct(name, schema, database_identifier, data_source_id),
    index(data_source_id)
)]
pub struct Dataset {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The dataset's name.
    pub name: String,
    /// The database holding the relation.
    pub database_name: String,
    /// When the analyst should use this dataset.
    pub when_to_use: Option<String>,
    /// When the analyst should not use it.
    pub when_not_to_use: Option<String>,
    /// Whether the relation is a table, a view or a materialized view.
    pub r#type: DatasetType,
    /// The SQL defining the dataset.
    pub definition: String,
    /// The schema holding the relation.
    pub schema: String,
    /// Whether the dataset is offered to the analyst.
    #[column(default = "false")]
    pub enabled: bool,
    /// Whether it was imported rather than deployed from a model file.
    #[column(default = "false")]
    pub imported: bool,
    /// The data source it reads (`data_sources.id`).
    #[column(references = data_sources::id)]
    pub data_source_id: Uuid,
    /// The owning organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// The semantic model.
    pub model: Option<String>,
    /// The model file it was deployed from.
    pub yml_file: Option<String>,
    /// Which database of the data source, when it has several.
    pub database_identifier: Option<String>,
    /// Free-form metadata.
    pub metadata: Option<JsonValue>,
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
