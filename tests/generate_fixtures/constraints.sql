CREATE TABLE gn_owners (id bigint PRIMARY KEY);
CREATE TABLE gn_notes (
    id bigint NOT NULL,
    version integer NOT NULL DEFAULT 1,
    owner_id bigint NOT NULL,
    editor_id bigint REFERENCES gn_owners (id),
    reviewer_id bigint REFERENCES gn_owners (id),
    title text NOT NULL,
    stars integer NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    CONSTRAINT gn_notes_stars_range CHECK (stars >= 0),
    CONSTRAINT gn_notes_legacy CHECK (version > 0)
);
