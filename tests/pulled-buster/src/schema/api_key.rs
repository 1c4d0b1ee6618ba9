//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `api_keys`.

use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `api_keys`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "api_keys", index(organization_id))]
pub struct ApiKey {
    /// Column `id` of `api_keys`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `owner_id` of `api_keys`.
    #[column(references = users::id)]
    pub owner_id: Uuid,
    /// Column `key` of `api_keys`.
    #[column(unique)]
    pub key: String,
    /// Column `organization_id` of `api_keys`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `created_at` of `api_keys`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `api_keys`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `api_keys`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
