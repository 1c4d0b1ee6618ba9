-- Fixture tables of the integration tests, applied after the real migrations. Every name starts
-- with `fx_` so that none can collide with a table of the real schema.

-- Tasks: a soft-deletable table with nullable columns, for filters, ordering and pagination.
CREATE TABLE fx_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    priority integer NOT NULL,
    note text NULL,
    due_on date NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

-- Posts: a foreign key to users and a CHECK constraint, with the names PostgreSQL gives them.
CREATE TABLE fx_posts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id uuid NOT NULL,
    title text NOT NULL,
    score integer NOT NULL,
    CONSTRAINT fx_posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id),
    CONSTRAINT fx_posts_score_check CHECK (score >= 0)
);

-- Deliberately NOT NULL although its Rust field is an `Option`: the only way a typed insert can
-- send NULL to a NOT NULL column, to observe the not-null error kind.
CREATE TABLE fx_strict (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label text NOT NULL
);

-- Memberships: a composite primary key on a soft-deletable table.
CREATE TABLE fx_memberships (
    org_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL,
    PRIMARY KEY (org_id, user_id)
);

-- Tagged items: an array column, which a batch insert cannot unnest.
CREATE TABLE fx_tagged (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    tags text[] NOT NULL
);

-- Accounts with caller-chosen integer ids, for lock ordering and isolation tests.
CREATE TABLE fx_accounts (
    id integer PRIMARY KEY,
    balance bigint NOT NULL
);

CREATE TYPE fx_mood AS ENUM ('veryHappy', 'neutral', 'grumpy_cat');

-- One column of every supported type, plain and nullable.
CREATE TABLE fx_types (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    t_text text NOT NULL,
    t_bool boolean NOT NULL,
    t_i16 smallint NOT NULL,
    t_i32 integer NOT NULL,
    t_i64 bigint NOT NULL,
    t_f32 real NOT NULL,
    t_f64 double precision NOT NULL,
    t_ts timestamptz NOT NULL,
    t_date date NOT NULL,
    t_json jsonb NOT NULL,
    t_doc jsonb NOT NULL,
    t_texts text[] NOT NULL,
    t_uuids uuid[] NOT NULL,
    t_i64s bigint[] NOT NULL,
    t_mood fx_mood NOT NULL,
    t_moods fx_mood[] NOT NULL,
    o_text text NULL,
    o_i32 integer NULL,
    o_f64 double precision NULL,
    o_ts timestamptz NULL,
    o_date date NULL,
    o_json jsonb NULL,
    o_doc jsonb NULL,
    o_texts text[] NULL,
    o_mood fx_mood NULL
);

-- The sessions connected to the current database, so tests can check that no connection was
-- left idle inside a transaction. A view, read through a derived table like any other.
CREATE VIEW fx_sessions AS
SELECT pid, state, backend_type
FROM pg_stat_activity
WHERE datname = current_database();
