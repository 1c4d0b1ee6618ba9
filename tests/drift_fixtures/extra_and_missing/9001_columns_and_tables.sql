-- A column and a unique index no struct declares, a declared column dropped, a declared table
-- dropped.
ALTER TABLE api_keys ADD COLUMN label text NULL;
CREATE UNIQUE INDEX api_keys_label_key ON api_keys (label);
ALTER TABLE user_profiles DROP COLUMN bio;
DROP TABLE asset_permissions;
