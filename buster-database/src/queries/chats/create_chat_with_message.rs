//! Start a chat: the chat, its creator's ownership and the first message, atomically.

use crate::queries::messages::MessageContent;
use crate::schema::{
    AssetPermission, AssetPermissionRole, AssetType, Chat, ChatType, IdentityType, Message,
    NewAssetPermission, NewChat, NewMessage,
};
use crate::validate::{self, MAX_TEXT};
use buster_db::{Db, Error, Result, Table, Uuid};

/// Input of [`create_chat_with_message`].
#[derive(Debug, Clone, PartialEq)]
pub struct CreateChatWithMessageParams {
    /// The organization the chat belongs to.
    pub organization_id: Uuid,
    /// Who starts the chat: its creator, owner and the first message's sender.
    pub created_by: Uuid,
    /// The chat's title (1 to 255 characters).
    pub title: String,
    /// The assistant the chat talks to.
    pub chat_type: ChatType,
    /// The first message.
    pub message: MessageContent,
}

impl CreateChatWithMessageParams {
    /// An analyst chat titled `title` whose first message is `message`.
    pub fn new(
        organization_id: Uuid,
        created_by: Uuid,
        title: impl Into<String>,
        message: MessageContent,
    ) -> CreateChatWithMessageParams {
        CreateChatWithMessageParams {
            organization_id,
            created_by,
            title: title.into(),
            chat_type: ChatType::Analyst,
            message,
        }
    }

    /// Checks that `title` is 1 to 255 characters and the message as
    /// [`MessageContent::validate_as`] does (fields `message.title`, `message.reasoning`, …).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        validate::text("title", &self.title, MAX_TEXT)?;
        self.message.validate_as("message.")
    }
}

/// What [`create_chat_with_message`] created.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatWithFirstMessage {
    /// The new chat.
    pub chat: Chat,
    /// The creator's `owner` permission on the chat.
    pub owner_permission: AssetPermission,
    /// The first message.
    pub message: Message,
}

/// Creates the chat, an `owner` asset permission for its creator and the first message in one
/// transaction: if any step fails (an unknown organization or user, …) nothing is left behind.
///
/// The permission is written with `ON CONFLICT DO NOTHING` on its four-column key
/// `(identity_id, identity_type, asset_id, asset_type)`, so a grant that already exists is kept
/// as it is. The chat's id is new, so such a grant can only exist if it was written for the id
/// ahead of the chat; it is then read back (revoked or not) instead of being replaced.
///
/// Takes a `&Db` rather than any executor because it opens its own transaction.
///
/// # Errors
///
/// [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation) when the
/// organization or the creator does not exist; validation and database errors. Nothing is
/// written in either case.
pub async fn create_chat_with_message(
    params: CreateChatWithMessageParams,
    db: &Db,
) -> Result<ChatWithFirstMessage> {
    params.validate()?;
    let CreateChatWithMessageParams {
        organization_id,
        created_by,
        title,
        chat_type,
        message,
    } = params;
    db.transaction(async |tx| {
        let chat = Chat::insert(NewChat {
            id: None,
            title,
            chat_type: Some(chat_type),
            organization_id,
            publicly_accessible: None,
            most_recent_file_id: None,
            most_recent_file_type: None,
            created_by,
            updated_by: created_by,
        })
        .one(tx)
        .await?;
        let key = (created_by, IdentityType::User, chat.id, AssetType::Chat);
        let inserted = AssetPermission::upsert(NewAssetPermission {
            identity_id: key.0,
            identity_type: key.1,
            asset_id: key.2,
            asset_type: key.3,
            role: AssetPermissionRole::Owner,
            created_by,
            updated_by: created_by,
        })
        .on_conflict((
            AssetPermission::identity_id,
            AssetPermission::identity_type,
            AssetPermission::asset_id,
            AssetPermission::asset_type,
        ))
        .do_nothing()
        .optional(tx)
        .await?;
        let owner_permission = match inserted {
            Some(p) => p,
            None => AssetPermission::find(key).with_deleted().one(tx).await?,
        };
        let message = Message::insert(NewMessage {
            id: None,
            chat_id: chat.id,
            request_message: message.request_message,
            response_messages: Some(message.response_messages),
            reasoning: Some(message.reasoning),
            title: message.title,
            final_reasoning_message: message.final_reasoning_message,
            is_completed: Some(message.is_completed),
            feedback: message.feedback,
            created_by,
        })
        .one(tx)
        .await?;
        Ok::<_, Error>(ChatWithFirstMessage {
            chat,
            owner_permission,
            message,
        })
    })
    .await
}
