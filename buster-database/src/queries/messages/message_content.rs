//! What a message says: the part of a message its sender and the analyst write.

use crate::validate::{self, MAX_LONG_TEXT, MAX_TEXT};
use buster_db::{JsonValue, Result};

/// The content of a message, as [`create_chat_with_message`](crate::create_chat_with_message)
/// and [`upsert_message`](crate::upsert_message) write it.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageContent {
    /// The message's title (1 to 255 characters).
    pub title: String,
    /// What the user asked (at most 1,000,000 characters).
    pub request_message: Option<String>,
    /// The response messages: a JSON array.
    pub response_messages: JsonValue,
    /// The reasoning steps: a JSON array.
    pub reasoning: JsonValue,
    /// The last reasoning message shown (at most 1,000,000 characters).
    pub final_reasoning_message: Option<String>,
    /// Whether the response is complete.
    pub is_completed: bool,
    /// The user's feedback on the response (at most 1,000,000 characters).
    pub feedback: Option<String>,
}

impl MessageContent {
    /// A request with this title and text, not answered yet: empty responses and reasoning.
    pub fn request(title: impl Into<String>, request_message: impl Into<String>) -> MessageContent {
        MessageContent {
            title: title.into(),
            request_message: Some(request_message.into()),
            response_messages: JsonValue::Array(Vec::new()),
            reasoning: JsonValue::Array(Vec::new()),
            final_reasoning_message: None,
            is_completed: false,
            feedback: None,
        }
    }

    /// Checks the content; each field name is prefixed with `prefix` (for example `message.`),
    /// so an error names the field as the caller's params spell it.
    ///
    /// `title` is 1 to 255 characters; the optional texts may be empty but are at most
    /// 1,000,000 characters; no text holds a NUL character; `response_messages` and `reasoning`
    /// are JSON arrays whose strings hold no NUL character (which `jsonb` refuses).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate_as(&self, prefix: &str) -> Result<()> {
        let field = |name: &str| format!("{prefix}{name}");
        validate::text(&field("title"), &self.title, MAX_TEXT)?;
        for (name, value) in [
            ("request_message", &self.request_message),
            ("final_reasoning_message", &self.final_reasoning_message),
            ("feedback", &self.feedback),
        ] {
            if let Some(v) = value {
                validate::bounded(&field(name), v, MAX_LONG_TEXT)?;
            }
        }
        validate::json_array(&field("response_messages"), &self.response_messages)?;
        validate::json_array(&field("reasoning"), &self.reasoning)
    }
}
