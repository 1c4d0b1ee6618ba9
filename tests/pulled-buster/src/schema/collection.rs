//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `collections`.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `collections`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "collections", index(organization_id), search_index(name))]
pub struct Collection {
    /// Column `id` of `collections`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `name` of `collections`.
    pub name: String,
    /// Column `description` of `collections`.
    pub description: Option<String>,
    /// Column `organization_id` of `collections`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `created_by` of `collections`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `collections`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `collections`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `collections`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `collections`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
