-- Connected warehouses and the datasets modelled on them.
CREATE TABLE data_sources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    type text NOT NULL,
    secret_id uuid NOT NULL,
    onboarding_status data_source_onboarding_status NOT NULL DEFAULT 'notStarted',
    onboarding_error text NULL,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    env text NOT NULL DEFAULT 'dev',
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

-- Also serves lookups by name within an organization.
CREATE UNIQUE INDEX data_sources_name_organization_id_env_key
    ON data_sources (name, organization_id, env) WHERE deleted_at IS NULL;

CREATE TABLE datasets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    database_name text NOT NULL,
    when_to_use text NULL,
    when_not_to_use text NULL,
    type dataset_type NOT NULL,
    definition text NOT NULL,
    schema text NOT NULL,
    enabled boolean NOT NULL DEFAULT false,
    imported boolean NOT NULL DEFAULT false,
    data_source_id uuid NOT NULL REFERENCES data_sources (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    model text NULL,
    yml_file text NULL,
    database_identifier text NULL,
    metadata jsonb NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

-- The deploy upsert's conflict target: one live dataset per relation of a data source.
CREATE UNIQUE INDEX datasets_name_schema_database_identifier_data_source_id_key
    ON datasets (name, schema, database_identifier, data_source_id) WHERE deleted_at IS NULL;
-- A deploy soft-deletes the data source's datasets missing from the batch.
CREATE INDEX datasets_data_source_id_idx ON datasets (data_source_id);
