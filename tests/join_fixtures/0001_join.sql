CREATE TABLE jx_orgs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE TABLE jx_members (
    user_id uuid NOT NULL REFERENCES users (id),
    org_id uuid NOT NULL REFERENCES jx_orgs (id),
    role text NOT NULL DEFAULT 'member',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (user_id, org_id)
);
CREATE TABLE jx_posts (
    id bigserial PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES users (id),
    reviewer_id uuid REFERENCES users (id),
    title text NOT NULL,
    score integer NOT NULL DEFAULT 0,
    deleted_at timestamptz
);
CREATE TABLE jx_profiles (
    user_id uuid PRIMARY KEY REFERENCES users (id),
    bio text NOT NULL,
    deleted_at timestamptz
);
