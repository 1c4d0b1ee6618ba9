//! Collections: named groups of assets.

mod add_assets_to_collection;
mod collection_asset;
mod remove_assets_from_collection;

pub use add_assets_to_collection::*;
pub use collection_asset::*;
pub use remove_assets_from_collection::*;
