//! `report_files`: documents whose content is edited in place.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A report: a named document of markdown text.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "report_files", index(organization_id), search_index(name))]
pub struct ReportFile {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The report's name.
    pub name: String,
    /// The report's text.
    #[column(default = "''")]
    pub content: String,
    /// The owning organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
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
