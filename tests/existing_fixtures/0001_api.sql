-- A database in the shape of the product's Rust API tables, as another migration tool leaves
-- it: varchar columns, enums kept in text, unique constraints over every row (deleted ones
-- included), constraint names chosen by PostgreSQL, and a second schema. Applied by plain SQL;
-- the declarations in `tests/src/existing.rs` must match it exactly.

CREATE TABLE api_data_sources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    type text NOT NULL,
    organization_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    UNIQUE (name, organization_id)
);

CREATE TABLE api_datasets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    database_name varchar(255) NOT NULL,
    data_source_id uuid NOT NULL REFERENCES api_data_sources (id),
    type text NOT NULL,
    definition text NOT NULL,
    yml_file text NULL,
    enabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    UNIQUE (database_name, data_source_id)
);

CREATE TABLE api_asset_permissions (
    identity_id uuid NOT NULL,
    identity_type text NOT NULL,
    asset_id uuid NOT NULL,
    asset_type text NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    PRIMARY KEY (identity_id, identity_type, asset_id, asset_type)
);

-- A second schema, and a table of the same name in the default one that the declarations
-- must not be confused with.
CREATE SCHEMA vault;

CREATE TABLE vault.secrets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    secret text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE secrets (
    id integer PRIMARY KEY,
    unrelated boolean NOT NULL
);

-- One schema per data source, each with the same table, created as the product's API creates
-- them at run time; the declaration names no schema and is used in one at a time.
CREATE SCHEMA ds_alpha;
CREATE SCHEMA ds_beta;
CREATE TABLE ds_alpha.api_embeddings (
    id integer PRIMARY KEY,
    content text NOT NULL
);
CREATE TABLE ds_beta.api_embeddings (
    id integer PRIMARY KEY,
    content text NOT NULL
);
