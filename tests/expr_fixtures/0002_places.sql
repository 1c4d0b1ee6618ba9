CREATE TABLE ex_places (
    name text PRIMARY KEY,
    at point NOT NULL,
    last_seen point
);
