CREATE TABLE gn_notes (id bigint PRIMARY KEY, token boolean NOT NULL);
