//! Messages: the turns of a chat.

mod get_conversation_history;
mod message_content;
mod upsert_message;

pub use get_conversation_history::*;
pub use message_content::*;
pub use upsert_message::*;
