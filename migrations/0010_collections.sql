-- Collections and the assets they hold. The asset side is polymorphic (asset_type says which
-- table asset_id points at), so it has no foreign key.
CREATE TABLE collections (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text NULL,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE INDEX collections_organization_id_idx ON collections (organization_id);

-- A removed entry is soft-deleted and keeps its key: adding the asset again revives it.
CREATE TABLE collections_to_assets (
    collection_id uuid NOT NULL REFERENCES collections (id),
    asset_id uuid NOT NULL,
    asset_type asset_type NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    PRIMARY KEY (collection_id, asset_id, asset_type)
);

-- Which collections hold an asset.
CREATE INDEX collections_to_assets_asset_id_asset_type_idx
    ON collections_to_assets (asset_id, asset_type);
