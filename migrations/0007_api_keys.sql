-- API keys. Revoking is a soft delete; the key text is unique among live keys.
CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL REFERENCES users (id),
    key text NOT NULL,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE UNIQUE INDEX api_keys_key_key ON api_keys (key) WHERE deleted_at IS NULL;
CREATE INDEX api_keys_organization_id_idx ON api_keys (organization_id);
