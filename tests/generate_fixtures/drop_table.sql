CREATE TABLE gn_owners (id bigint PRIMARY KEY);
CREATE TABLE gn_retired (id bigint PRIMARY KEY);
