-- Tenants. The name is unique among live organizations only, so a soft-deleted organization
-- does not block creating a new one with the same name.
CREATE TABLE organizations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    domain text NULL,
    domains text[] NULL,
    payment_required boolean NOT NULL DEFAULT false,
    restrict_new_user_invitations boolean NOT NULL DEFAULT false,
    default_role user_organization_role NOT NULL DEFAULT 'restricted_querier',
    organization_color_palettes jsonb NOT NULL
        DEFAULT '{"selectedId":null,"palettes":[],"selectedDictionaryPalette":null}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE UNIQUE INDEX organizations_name_key ON organizations (name) WHERE deleted_at IS NULL;
