//! The assets that contain an asset: the collections holding it and the chats whose latest file
//! it is.

use crate::schema::{AssetType, Chat, Collection, CollectionsToAsset};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

use super::AssetHit;

/// Input of [`get_asset_ancestors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetAssetAncestorsParams {
    /// The asset.
    pub asset_id: Uuid,
    /// Its kind.
    pub asset_type: AssetType,
}

impl GetAssetAncestorsParams {
    /// The ancestors of asset `asset_id` of kind `asset_type`.
    pub fn new(asset_id: Uuid, asset_type: AssetType) -> Self {
        GetAssetAncestorsParams {
            asset_id,
            asset_type,
        }
    }

    /// Nothing to check: any id and kind may be asked about.
    ///
    /// # Errors
    ///
    /// None; kept for the shape every query's params share.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The live collections that hold the asset (through a live link) and the live chats whose most
/// recent file it is, ordered by name: one `UNION ALL` statement whose parts tag their rows
/// with their kind.
///
/// # Errors
///
/// Database errors.
pub async fn get_asset_ancestors<E: Executor + ?Sized>(
    params: GetAssetAncestorsParams,
    exec: &E,
) -> Result<Vec<AssetHit>> {
    params.validate()?;
    let collections = Collection::select()
        .inner_join(
            CollectionsToAsset::table(),
            CollectionsToAsset::collection_id.eq_col(Collection::id),
        )
        .filter(CollectionsToAsset::asset_id.eq(params.asset_id))
        .filter(CollectionsToAsset::asset_type.eq(params.asset_type))
        .columns((Collection::id, lit(AssetType::Collection), Collection::name));
    let chats = Chat::select()
        .filter(Chat::most_recent_file_id.eq(params.asset_id))
        .filter(Chat::most_recent_file_type.eq(params.asset_type))
        .columns((Chat::id, lit(AssetType::Chat), Chat::title));
    let rows = collections
        .union_all(chats)
        .order_by(Collection::name.asc())
        .order_by(Collection::id.asc())
        .all(exec)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(asset_id, asset_type, name)| AssetHit {
            asset_id,
            asset_type,
            name,
        })
        .collect())
}
