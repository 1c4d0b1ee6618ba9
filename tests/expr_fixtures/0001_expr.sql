CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE ex_docs (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    body text,
    team text NOT NULL DEFAULT 'core',
    score integer NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{}',
    meta jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE TABLE ex_counters (
    name text PRIMARY KEY,
    n integer NOT NULL DEFAULT 0,
    note text
);
CREATE TABLE ex_folders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id uuid REFERENCES ex_folders (id),
    name text NOT NULL,
    deleted_at timestamptz
);
