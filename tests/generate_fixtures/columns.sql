CREATE TABLE gn_notes (
    id bigint PRIMARY KEY,
    views integer NOT NULL,
    title varchar(40) NOT NULL,
    body text NOT NULL,
    summary text,
    pinned boolean NOT NULL DEFAULT false,
    rank integer NOT NULL DEFAULT 1
);
