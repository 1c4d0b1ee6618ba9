-- Memberships. A removed membership is soft-deleted and keeps its (user, organization) key, so
-- adding the user again revives the row instead of inserting a second one.
CREATE TABLE users_to_organizations (
    user_id uuid NOT NULL REFERENCES users (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    role user_organization_role NOT NULL DEFAULT 'querier',
    sharing_setting sharing_setting NOT NULL DEFAULT 'none',
    edit_sql boolean NOT NULL DEFAULT false,
    upload_csv boolean NOT NULL DEFAULT false,
    export_assets boolean NOT NULL DEFAULT false,
    email_slack_enabled boolean NOT NULL DEFAULT false,
    status user_organization_status NOT NULL DEFAULT 'active',
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    deleted_by uuid NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    PRIMARY KEY (user_id, organization_id)
);

-- Listing an organization's members; the key already serves lookups by user.
CREATE INDEX users_to_organizations_organization_id_idx
    ON users_to_organizations (organization_id);
