-- Grants on assets to users, teams or organizations. Both sides are polymorphic, so neither has
-- a foreign key. A revoked grant is soft-deleted and keeps its key: granting again revives it.
CREATE TABLE asset_permissions (
    identity_id uuid NOT NULL,
    identity_type identity_type NOT NULL,
    asset_id uuid NOT NULL,
    asset_type asset_type NOT NULL,
    role asset_permission_role NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    PRIMARY KEY (identity_id, identity_type, asset_id, asset_type)
);

-- Listing an asset's permissions; the key serves lookups by identity.
CREATE INDEX asset_permissions_asset_id_asset_type_idx
    ON asset_permissions (asset_id, asset_type);
