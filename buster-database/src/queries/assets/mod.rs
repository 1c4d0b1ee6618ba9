//! Assets across kinds: chats, collections and reports, searched together.

mod search_assets;

pub use search_assets::*;
