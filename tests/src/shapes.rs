//! Tables of the query-shape tests (`tests/shapes_fixtures/`): a chain of eight tables to join —
//! workspaces, folders (nested through `parent_id`), dashboards, widgets, metrics, datasets,
//! sources and the product's users —, events to page through, and `SxSource`, a table without
//! soft delete.

use buster_db::{DateTime, Table, Utc, Uuid};

/// A workspace, holding folders.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_workspaces")]
pub struct SxWorkspace {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A folder of a workspace, perhaps inside another folder.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_folders")]
pub struct SxFolder {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A dashboard, in a folder or in none.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_dashboards")]
pub struct SxDashboard {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub folder_id: Option<Uuid>,
    pub title: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A widget of a dashboard, showing a metric.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_widgets")]
pub struct SxWidget {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub dashboard_id: Uuid,
    pub metric_id: Uuid,
    pub position: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A metric computed from a dataset.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_metrics")]
pub struct SxMetric {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub dataset_id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A dataset read from a source.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_datasets")]
pub struct SxDataset {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub source_id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A data source owned by a user. No soft-delete column: its rows are deleted for good.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_sources")]
pub struct SxSource {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
}

/// An event, to page through by time.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "sx_events")]
pub struct SxEvent {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub score: i32,
    pub note: Option<String>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
