//! Chats: conversations with the analyst, and who can see them.

mod create_chat_with_message;
mod get_chat_with_creator;
mod list_chats_for_user;

pub use create_chat_with_message::*;
pub use get_chat_with_creator::*;
pub use list_chats_for_user::*;
