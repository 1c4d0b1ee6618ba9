CREATE TABLE gn_notes (id bigint PRIMARY KEY, kind text NOT NULL,
    CONSTRAINT gn_notes_kind CHECK (kind IN ('memo', 'todo')));
