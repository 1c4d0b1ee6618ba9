//! Write a message and mark its chat as changed.

use crate::schema::{Chat, Message, NewMessage};
use buster_db::query::Written;
use buster_db::{Db, Error, Result, Table, Uuid};

use super::MessageContent;

/// Input of [`upsert_message`].
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertMessageParams {
    /// The message's id: a new id inserts the message, an existing one updates it.
    pub id: Uuid,
    /// The chat the message belongs to.
    pub chat_id: Uuid,
    /// Who sent the message (recorded only when the message is inserted).
    pub created_by: Uuid,
    /// What the message says.
    pub content: MessageContent,
}

impl UpsertMessageParams {
    /// Checks the content as [`MessageContent::validate_as`] does, with fields named
    /// `content.title`, `content.reasoning`, ….
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        self.content.validate_as("content.")
    }
}

/// What [`upsert_message`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct UpsertedMessage {
    /// The message as stored.
    pub message: Message,
    /// Whether it was inserted or updated.
    pub written: Written,
    /// Its chat, with `updated_at` moved to now.
    pub chat: Chat,
}

/// Inserts or updates the message with this id and sets its chat's `updated_at` to now, in one
/// transaction.
///
/// 1. The chat is touched first (`UPDATE chats SET updated_at = now()` on the live row), which
///    also locks it: a chat that is missing or soft-deleted stops the operation here.
/// 2. The message is upserted on its id. An update rewrites the content; `chat_id`, `created_by`
///    and `created_at` stay. A soft-deleted message is not revived.
///
/// Either both writes happen or neither does.
///
/// Takes a `&Db` rather than any executor because it opens its own transaction.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the chat is missing or
/// soft-deleted, when the message is soft-deleted, or when the id belongs to a message of
/// another chat (nothing is written in all three cases);
/// [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation) when a new message's
/// `created_by` is not a user; validation and database errors.
pub async fn upsert_message(params: UpsertMessageParams, db: &Db) -> Result<UpsertedMessage> {
    params.validate()?;
    let UpsertMessageParams {
        id,
        chat_id,
        created_by,
        content,
    } = params;
    db.transaction(async |tx| {
        let chat = Chat::update(chat_id).one(tx).await?;
        let mut written = Message::upsert(NewMessage {
            id: Some(id),
            chat_id,
            request_message: content.request_message,
            response_messages: Some(content.response_messages),
            reasoning: Some(content.reasoning),
            title: content.title,
            final_reasoning_message: content.final_reasoning_message,
            is_completed: Some(content.is_completed),
            feedback: content.feedback,
            created_by,
        })
        .on_conflict(Message::id)
        .update((
            Message::request_message,
            Message::response_messages,
            Message::reasoning,
            Message::title,
            Message::final_reasoning_message,
            Message::is_completed,
            Message::feedback,
        ))
        .outcomes(tx)
        .await?;
        let Some((message, written)) = written.pop() else {
            // The conflicting message is soft-deleted: the upsert leaves it alone.
            return Err(Error::not_found(Message::META.name));
        };
        if message.chat_id != chat_id {
            // The update already ran; returning an error rolls it back.
            return Err(Error::not_found(Message::META.name));
        }
        Ok(UpsertedMessage {
            message,
            written,
            chat,
        })
    })
    .await
}
