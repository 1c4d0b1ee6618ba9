//! Take assets out of a collection.

use crate::schema::{AssetType, CollectionsToAsset};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

use super::collection_asset::{CollectionAsset, distinct};

/// Input of [`remove_assets_from_collection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveAssetsFromCollectionParams {
    /// The collection.
    pub collection_id: Uuid,
    /// The assets to remove; repeats and assets not in the collection are fine.
    pub assets: Vec<CollectionAsset>,
    /// Who removes them (recorded as `updated_by`).
    pub removed_by: Uuid,
}

impl RemoveAssetsFromCollectionParams {
    /// Nothing to check: ids and enum values are always well-formed, and an empty list is a
    /// valid (empty) request.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Removes (soft-deletes) the collection's live entries for these assets and returns them, in
/// no particular order. Adding an asset again revives its entry
/// ([`add_assets_to_collection`](super::add_assets_to_collection)).
///
/// One statement whatever the number of assets: the entries are matched as
/// `asset_type = 'chat' AND asset_id = ANY($n) OR asset_type = 'metric_file' AND … ` with one
/// array of ids per asset type (empty for the types not asked for), so an id is only ever
/// matched together with its own type and the statement's text never changes. Entries that were
/// already removed are neither touched nor returned. An empty list returns nothing without a
/// round trip.
///
/// # Errors
///
/// [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation) when `removed_by`
/// is not a user; database errors.
pub async fn remove_assets_from_collection<E: Executor + ?Sized>(
    params: RemoveAssetsFromCollectionParams,
    exec: &E,
) -> Result<Vec<CollectionsToAsset>> {
    params.validate()?;
    if params.assets.is_empty() {
        return Ok(Vec::new());
    }
    let assets = distinct(params.assets);
    let of_type = |t: AssetType| {
        let ids: Vec<Uuid> = assets
            .iter()
            .filter(|a| a.asset_type == t)
            .map(|a| a.asset_id)
            .collect();
        CollectionsToAsset::asset_type
            .eq(t)
            .and(CollectionsToAsset::asset_id.is_in(ids))
    };
    let [chat, metric, dashboard, report, collection] = ASSET_TYPES;
    CollectionsToAsset::soft_delete_where(
        CollectionsToAsset::collection_id
            .eq(params.collection_id)
            .and(
                of_type(chat)
                    .or(of_type(metric))
                    .or(of_type(dashboard))
                    .or(of_type(report))
                    .or(of_type(collection)),
            ),
    )
    .set(CollectionsToAsset::updated_by, params.removed_by)
    .all(exec)
    .await
}

/// Every asset type, once.
const ASSET_TYPES: [AssetType; 5] = [
    AssetType::Chat,
    AssetType::MetricFile,
    AssetType::DashboardFile,
    AssetType::ReportFile,
    AssetType::Collection,
];

/// Fails to compile when an asset type is added without being added to [`ASSET_TYPES`].
const _: fn(AssetType) = |t| match t {
    AssetType::Chat
    | AssetType::MetricFile
    | AssetType::DashboardFile
    | AssetType::ReportFile
    | AssetType::Collection => {}
};
