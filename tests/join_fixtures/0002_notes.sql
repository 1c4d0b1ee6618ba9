CREATE TABLE jx_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NULL REFERENCES users (id),
    body text NOT NULL,
    deleted_at timestamptz
);
