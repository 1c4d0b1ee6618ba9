//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `chats`.

use super::{AssetType, ChatType};
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A row of `chats`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "chats",
    index(created_at),
    index(created_by),
    index(organization_id),
    search_index(title)
)]
pub struct Chat {
    /// Column `id` of `chats`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `title` of `chats`.
    pub title: String,
    /// Column `chat_type` of `chats`.
    #[column(default = "'analyst'")]
    pub chat_type: ChatType,
    /// Column `organization_id` of `chats`.
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Column `publicly_accessible` of `chats`.
    #[column(default = "false")]
    pub publicly_accessible: bool,
    /// Column `most_recent_file_id` of `chats`.
    pub most_recent_file_id: Option<Uuid>,
    /// Column `most_recent_file_type` of `chats`.
    pub most_recent_file_type: Option<AssetType>,
    /// Column `created_by` of `chats`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `updated_by` of `chats`.
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// Column `created_at` of `chats`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `chats`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `chats`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
