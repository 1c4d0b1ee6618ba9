//! API keys: secrets that authenticate programs on behalf of an organization.

mod create_api_key;
mod list_api_keys;
mod revoke_api_key;
mod validate_api_key;

pub use create_api_key::*;
pub use list_api_keys::*;
pub use revoke_api_key::*;
pub use validate_api_key::*;
