//! Declarations of a database this crate does not migrate: the tables of
//! `tests/existing_fixtures/`, in the shape of the product's Rust API tables (varchar columns,
//! enums kept in text, unique constraints over every row, a second schema), applied with
//! `#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]`.

use buster_db::{DateTime, Table, Utc, Uuid};

/// What a data source connects to, kept as text.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text, rename_all = "lowercase")]
pub enum DataSourceType {
    /// `postgres`
    Postgres,
    /// `snowflake`
    Snowflake,
    /// `bigquery`
    BigQuery,
}

/// What a dataset is in its warehouse, kept as text.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text)]
pub enum DatasetType {
    /// `table`
    Table,
    /// `view`
    View,
    /// `materialized_view`
    MaterializedView,
}

/// Who holds a permission, kept as text.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text)]
pub enum IdentityType {
    /// `user`
    User,
    /// `team`
    Team,
    /// `organization`
    Organization,
}

/// What a permission is on, kept as text.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text)]
pub enum AssetType {
    /// `dashboard`
    Dashboard,
    /// `thread`
    Thread,
    /// `collection`
    Collection,
    /// `metric_file`
    MetricFile,
}

/// The role a permission grants, kept as text.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(text)]
pub enum AssetRole {
    /// `owner`
    Owner,
    /// `full_access`
    FullAccess,
    /// `can_edit`
    CanEdit,
    /// `can_view`
    CanView,
}

/// A warehouse connection; its name is unique in its organization over every row, deleted
/// ones included, as the database's constraint says.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "api_data_sources", unique(name, organization_id, all_rows))]
pub struct ApiDataSource {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(sql_type = "varchar(255)")]
    pub name: String,
    #[column(name = "type")]
    pub kind: DataSourceType,
    pub organization_id: Uuid,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A dataset of a data source, unique by database name within its source over every row: the
/// API revives a deleted dataset when it is deployed again.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "api_datasets", unique(database_name, data_source_id, all_rows))]
pub struct ApiDataset {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(sql_type = "varchar(255)")]
    pub name: String,
    #[column(sql_type = "varchar(255)")]
    pub database_name: String,
    #[column(references = api_data_sources::id)]
    pub data_source_id: Uuid,
    #[column(name = "type")]
    pub kind: DatasetType,
    pub definition: String,
    pub yml_file: Option<String>,
    #[column(default = "false")]
    pub enabled: bool,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A permission of an identity on an asset; the key covers every row.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(
    name = "api_asset_permissions",
    primary_key(identity_id, identity_type, asset_id, asset_type)
)]
pub struct ApiAssetPermission {
    pub identity_id: Uuid,
    pub identity_type: IdentityType,
    pub asset_id: Uuid,
    pub asset_type: AssetType,
    pub role: AssetRole,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A secret in the `vault` schema; `public.secrets` is another table.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(schema = "vault", name = "secrets")]
pub struct VaultSecret {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub name: String,
    pub secret: String,
    #[column(default = "''")]
    pub description: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
}

/// A table every data source's schema has; which schema is chosen per transaction with
/// `TxOptions::search_path`.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "api_embeddings")]
pub struct ApiEmbedding {
    #[column(primary_key)]
    pub id: i32,
    pub content: String,
}
