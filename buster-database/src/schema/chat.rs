//! `chats`: conversations with the analyst.

use super::{AssetType, ChatType};
use super::{organizations, users};
use buster_db::{DateTime, Utc, Uuid};

/// A chat. Its messages are in [`Message`](super::Message).
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "chats",
    index(organization_id),
    index(created_by),
    index(created_at),
    search_index(title)
)]
pub struct Chat {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The chat's title.
    pub title: String,
    /// The assistant the chat talks to.
    #[column(default = "'analyst'")]
    pub chat_type: ChatType,
    /// The owning organization (`organizations.id`).
    #[column(references = organizations::id)]
    pub organization_id: Uuid,
    /// Whether anyone with the link may read the chat.
    #[column(default = "false")]
    pub publicly_accessible: bool,
    /// The file the chat produced most recently.
    pub most_recent_file_id: Option<Uuid>,
    /// The kind of that file.
    pub most_recent_file_type: Option<AssetType>,
    /// Who started the chat (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Who last changed it (`users.id`).
    #[column(references = users::id)]
    pub updated_by: Uuid,
    /// When the row was created.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When the chat last changed, including a new or updated message.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When the row was soft-deleted; `None` while live.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
