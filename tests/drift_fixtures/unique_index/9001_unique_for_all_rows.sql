-- The email key made unique among all rows instead of live rows, and the organization name key
-- dropped.
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (email);
DROP INDEX organizations_name_key;
