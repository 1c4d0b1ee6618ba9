//! An asset as a collection refers to it.

use crate::schema::AssetType;
use buster_db::Uuid;

/// An asset named by its id and kind: the key of an entry of a collection, together with the
/// collection's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CollectionAsset {
    /// The asset's id in the table of its type.
    pub asset_id: Uuid,
    /// The kind of asset.
    pub asset_type: AssetType,
}

impl CollectionAsset {
    /// The asset `asset_id` of kind `asset_type`.
    pub fn new(asset_id: Uuid, asset_type: AssetType) -> CollectionAsset {
        CollectionAsset {
            asset_id,
            asset_type,
        }
    }
}

/// `assets` without repeats, in first-seen order.
pub(super) fn distinct(assets: Vec<CollectionAsset>) -> Vec<CollectionAsset> {
    let mut seen = std::collections::HashSet::with_capacity(assets.len());
    assets.into_iter().filter(|a| seen.insert(*a)).collect()
}
