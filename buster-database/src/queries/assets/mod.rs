//! Assets across kinds: chats, collections and reports, searched together.

mod list_library_assets;
mod search_assets;

pub use list_library_assets::*;
pub use search_assets::*;
