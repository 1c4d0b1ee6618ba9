//! Put assets into a collection.

use crate::schema::{Collection, CollectionsToAsset, NewCollectionsToAsset};
use buster_db::{Db, Result, Table, Uuid};

use super::collection_asset::{CollectionAsset, distinct};

/// Input of [`add_assets_to_collection`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddAssetsToCollectionParams {
    /// The collection.
    pub collection_id: Uuid,
    /// The assets to add; repeats count once, assets already in the collection are fine.
    pub assets: Vec<CollectionAsset>,
    /// Who adds them (recorded as `created_by` of new entries, and `updated_by` of the entries
    /// and of the collection).
    pub added_by: Uuid,
}

impl AddAssetsToCollectionParams {
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

/// Adds the assets to the live collection and returns their entries, in no particular order,
/// in one transaction of two statements whatever the number of assets:
///
/// 1. the collection is touched (`updated_at`, `updated_by`), which checks that it is live and
///    locks it against a concurrent deletion;
/// 2. the entries are upserted in one statement (`UNNEST` of one array per column) on their key
///    `(collection_id, asset_id, asset_type)`: a new entry is inserted, a live one only gets
///    `updated_by`, and a removed (soft-deleted) one is revived, since the key still holds it.
///
/// An empty list returns nothing without a round trip. Assets are polymorphic: their existence
/// is not checked.
///
/// Takes a `&Db` rather than any executor because it opens its own transaction.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the collection is missing or
/// soft-deleted; [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation)
/// when `added_by` is not a user; database errors. Nothing is written in these cases.
pub async fn add_assets_to_collection(
    params: AddAssetsToCollectionParams,
    db: &Db,
) -> Result<Vec<CollectionsToAsset>> {
    params.validate()?;
    let AddAssetsToCollectionParams {
        collection_id,
        assets,
        added_by,
    } = params;
    if assets.is_empty() {
        return Ok(Vec::new());
    }
    // The same key twice in one upsert would make PostgreSQL refuse the whole statement.
    let rows: Vec<NewCollectionsToAsset> = distinct(assets)
        .into_iter()
        .map(|a| NewCollectionsToAsset {
            collection_id,
            asset_id: a.asset_id,
            asset_type: a.asset_type,
            created_by: added_by,
            updated_by: added_by,
        })
        .collect();
    db.transaction(async |tx| {
        Collection::update(collection_id)
            .set(Collection::updated_by, added_by)
            .one(tx)
            .await?;
        CollectionsToAsset::upsert_many(rows)
            .on_conflict((
                CollectionsToAsset::collection_id,
                CollectionsToAsset::asset_id,
                CollectionsToAsset::asset_type,
            ))
            .update((CollectionsToAsset::updated_by,))
            .revive()
            .all(tx)
            .await
    })
    .await
}
