//! Get a chat with the user who started it.

use crate::schema::{Chat, User};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`get_chat_with_creator`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetChatWithCreatorParams {
    /// The chat's id.
    pub chat_id: Uuid,
}

impl GetChatWithCreatorParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// A chat and its creator.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatWithCreator {
    /// The chat.
    pub chat: Chat,
    /// The user who started it; `None` when that user is soft-deleted.
    pub creator: Option<User>,
}

/// The live chat with this id and its creator, or `None` when there is no live chat.
///
/// One statement: `chats LEFT JOIN users`, with the users' soft-delete filter in the `ON`
/// clause, so a chat whose creator was deleted is still returned, with `creator: None`.
///
/// # Errors
///
/// Database errors.
pub async fn get_chat_with_creator<E: Executor + ?Sized>(
    params: GetChatWithCreatorParams,
    exec: &E,
) -> Result<Option<ChatWithCreator>> {
    params.validate()?;
    let row = Chat::select()
        .left_join(User::table(), User::id.eq_col(Chat::created_by))
        .filter(Chat::id.eq(params.chat_id))
        .optional(exec)
        .await?;
    Ok(row.map(|(chat, creator)| ChatWithCreator { chat, creator }))
}
