-- A dataset without a database identifier still has one live row per (name, schema, data
-- source): NULL identifiers must conflict, so the deploy upsert updates instead of duplicating.
DROP INDEX datasets_name_schema_database_identifier_data_source_id_key;
CREATE UNIQUE INDEX datasets_name_schema_database_identifier_data_source_id_key
    ON datasets (name, schema, database_identifier, data_source_id) NULLS NOT DISTINCT
    WHERE deleted_at IS NULL;
