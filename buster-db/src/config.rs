//! Connection and pool configuration.

/// Connection and pool settings (stub).
#[derive(Clone)]
pub struct Config {}

pub(crate) fn redact(text: &str) -> String {
    text.to_owned()
}
