CREATE TABLE tags (
    note_id uuid NOT NULL REFERENCES notes (id),
    label text NOT NULL,
    PRIMARY KEY (note_id, label)
);
