-- The same key columns in another order: lookups by the declared key prefix lose the index.
ALTER TABLE collections_to_assets DROP CONSTRAINT collections_to_assets_pkey;
ALTER TABLE collections_to_assets ADD PRIMARY KEY (asset_id, collection_id, asset_type);
