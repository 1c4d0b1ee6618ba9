//! The conversation up to a message.

use crate::schema::{Chat, Message};
use buster_db::prelude::*;
use buster_db::{Error, Result, Uuid};

buster_db::alias!(Anchor = "anchor");

/// Input of [`get_conversation_history`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetConversationHistoryParams {
    /// The message the history leads up to.
    pub message_id: Uuid,
}

impl GetConversationHistoryParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The live messages of the message's chat created at or before it, oldest first (ties by id),
/// the message itself included.
///
/// One statement: `messages ⋈ messages AS anchor ⋈ chats`, joining each message to the anchor
/// message of the same chat that it does not postdate, and to the chat. Soft-deleted messages
/// never appear. Messages written in the same transaction as the anchor share its `created_at`
/// (`now()` is the transaction's start) and count as "at" it.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the message is missing or
/// soft-deleted, or its chat is soft-deleted: a history always holds at least the message
/// itself, so an empty result can only mean one of those; database errors.
pub async fn get_conversation_history<E: Executor + ?Sized>(
    params: GetConversationHistoryParams,
    exec: &E,
) -> Result<Vec<Message>> {
    params.validate()?;
    let anchor = Message::alias(Anchor);
    let messages = Message::select()
        .inner_join(
            anchor,
            anchor
                .col(Message::chat_id)
                .eq_col(Message::chat_id)
                .and(Message::created_at.le_col(anchor.col(Message::created_at))),
        )
        .inner_join(Chat::table(), Chat::id.eq_col(Message::chat_id))
        .filter(anchor.col(Message::id).eq(params.message_id))
        .order_by(Message::created_at.asc())
        .order_by(Message::id.asc())
        .column(Message::table())
        .all(exec)
        .await?;
    if messages.is_empty() {
        return Err(Error::not_found(Message::META.name));
    }
    Ok(messages)
}
