//! `messages`: the turns of a chat.

use super::{chats, users};
use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// One request to the analyst and its response.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "messages", index(chat_id), index(created_at))]
pub struct Message {
    /// The key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The chat (`chats.id`).
    #[column(references = chats::id)]
    pub chat_id: Uuid,
    /// What the user asked.
    pub request_message: Option<String>,
    /// The response messages, a JSON array.
    #[column(default = "'[]'::jsonb")]
    pub response_messages: JsonValue,
    /// The reasoning steps, a JSON array.
    #[column(default = "'[]'::jsonb")]
    pub reasoning: JsonValue,
    /// The message's title.
    pub title: String,
    /// The last reasoning message shown.
    pub final_reasoning_message: Option<String>,
    /// Whether the response is complete.
    #[column(default = "false")]
    pub is_completed: bool,
    /// The user's feedback on the response.
    pub feedback: Option<String>,
    /// Who sent the message (`users.id`).
    #[column(references = users::id)]
    pub created_by: Uuid,
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
