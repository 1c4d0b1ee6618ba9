CREATE TABLE gn_owners (id bigint PRIMARY KEY, name text NOT NULL);
