-- A search index rebuilt as a btree over another configuration, and one dropped.
DROP INDEX report_files_name_search_idx;
CREATE INDEX report_files_name_search_idx ON report_files
    (to_tsvector('simple'::regconfig, COALESCE(name, ''::text)));
DROP INDEX chats_title_search_idx;
