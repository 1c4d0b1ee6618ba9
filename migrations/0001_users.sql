-- People who sign in. Rows are soft-deleted (deleted_at), never removed.
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

-- An email is unique among live rows only, so a soft-deleted account does not block signing up
-- again with the same address.
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE deleted_at IS NULL;
