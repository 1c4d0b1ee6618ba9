-- At most one profile per user: the user is the key.
CREATE TABLE user_profiles (
    user_id uuid PRIMARY KEY REFERENCES users (id),
    bio text NULL,
    timezone text NOT NULL DEFAULT 'UTC',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);
