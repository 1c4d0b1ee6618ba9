CREATE TABLE gn_notes (id bigint PRIMARY KEY, title text NOT NULL, legacy text);
