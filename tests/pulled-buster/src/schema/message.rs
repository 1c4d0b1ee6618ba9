//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `messages`.

use super::{chats, users};
use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A row of `messages`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "messages", index(chat_id), index(created_at))]
pub struct Message {
    /// Column `id` of `messages`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `chat_id` of `messages`.
    #[column(references = chats::id)]
    pub chat_id: Uuid,
    /// Column `request_message` of `messages`.
    pub request_message: Option<String>,
    /// Column `response_messages` of `messages`.
    #[column(default = "'[]'")]
    pub response_messages: JsonValue,
    /// Column `reasoning` of `messages`.
    #[column(default = "'[]'")]
    pub reasoning: JsonValue,
    /// Column `title` of `messages`.
    pub title: String,
    /// Column `final_reasoning_message` of `messages`.
    pub final_reasoning_message: Option<String>,
    /// Column `is_completed` of `messages`.
    #[column(default = "false")]
    pub is_completed: bool,
    /// Column `feedback` of `messages`.
    pub feedback: Option<String>,
    /// Column `created_by` of `messages`.
    #[column(references = users::id)]
    pub created_by: Uuid,
    /// Column `created_at` of `messages`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `messages`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `messages`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
