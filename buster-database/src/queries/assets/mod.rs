//! Assets across kinds: chats, collections and reports, searched together.

mod get_asset_ancestors;
mod list_library_assets;
mod search_assets;

pub use get_asset_ancestors::*;
pub use list_library_assets::*;
pub use search_assets::*;
