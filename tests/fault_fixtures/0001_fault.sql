-- Tables of the reliability suite (tests/tests/reliability.rs). Applied to a throwaway cluster
-- with `migrate_with`, and on top of the real schema by `#[buster_db::test(migrations =
-- "fault_fixtures")]`. Every name starts with `fault_` (or is the odd `we"ird`), so none can
-- collide with a table of the real schema or of the other fixture folders.

-- Rows written under faults: ids are chosen by the writers, `grp` ties the rows of one
-- transaction together so a torn transaction shows as a group of the wrong size.
CREATE TABLE fault_events (
    id bigint PRIMARY KEY,
    writer integer NOT NULL,
    grp bigint NOT NULL,
    payload text NOT NULL
);

-- A small table whose columns change type under a warm statement cache.
CREATE TABLE fault_items (
    id integer PRIMARY KEY,
    label text NOT NULL,
    qty integer NOT NULL
);

-- Accounts for deadlocks, serialization failures and the transfer invariant.
CREATE TABLE fault_accounts (
    id integer PRIMARY KEY,
    balance bigint NOT NULL,
    CONSTRAINT fault_accounts_balance_check CHECK (balance >= 0)
);

-- Owners and pets: a named unique constraint, a named foreign key and a named check.
CREATE TABLE fault_owners (
    id integer PRIMARY KEY,
    email text NOT NULL,
    CONSTRAINT fault_owners_email_key UNIQUE (email)
);

CREATE TABLE fault_pets (
    id integer PRIMARY KEY,
    owner_id integer NOT NULL,
    name text NOT NULL,
    age integer NOT NULL,
    CONSTRAINT fault_pets_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES fault_owners (id),
    CONSTRAINT fault_pets_age_check CHECK (age >= 0)
);

-- NOT NULL here, `Option` in Rust: the only way a typed insert can send NULL to it.
CREATE TABLE fault_strict (
    id integer PRIMARY KEY,
    label text NOT NULL
);

-- Hostile values: text, arrays and jsonb. The array columns make batch inserts use VALUES.
CREATE TABLE fault_blobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body text NOT NULL,
    tags text[] NOT NULL,
    nums bigint[] NOT NULL,
    doc jsonb NOT NULL
);

-- Plain text rows: batch inserts of this table go through UNNEST.
CREATE TABLE fault_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    body text NOT NULL
);

-- Identifiers with a double quote and a semicolon, declared through the derive's attributes.
CREATE TABLE "we""ird" (
    id integer PRIMARY KEY,
    "va""l" text NOT NULL,
    "semi;colon" text NOT NULL
);

-- A soft-deletable table with a key unique among live rows, for the model test.
CREATE TABLE fault_docs (
    id integer PRIMARY KEY,
    slug text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);
CREATE UNIQUE INDEX fault_docs_slug_key ON fault_docs (slug) WHERE deleted_at IS NULL;

-- A read that takes half a second, for statement timeouts.
CREATE VIEW fault_slow AS
SELECT 1::integer AS id FROM pg_sleep(0.5);
