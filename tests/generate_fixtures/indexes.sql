CREATE TABLE gn_notes (
    id bigint PRIMARY KEY,
    owner_id bigint NOT NULL,
    slug text NOT NULL,
    title text NOT NULL,
    created_on date NOT NULL,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX gn_notes_title_unique ON gn_notes (title);
CREATE INDEX gn_notes_owner_id_created_on_idx ON gn_notes (created_on, owner_id);
