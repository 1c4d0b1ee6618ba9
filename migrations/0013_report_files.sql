-- Reports: documents whose content is edited in place.
CREATE TABLE report_files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    content text NOT NULL DEFAULT '',
    organization_id uuid NOT NULL REFERENCES organizations (id),
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE INDEX report_files_organization_id_idx ON report_files (organization_id);

-- Text-search indexes over asset names: the expression the search query renders, so it is used.
CREATE INDEX report_files_name_search_idx ON report_files
    USING gin (to_tsvector('english'::regconfig, COALESCE(name, ''::text)));
CREATE INDEX chats_title_search_idx ON chats
    USING gin (to_tsvector('english'::regconfig, COALESCE(title, ''::text)));
CREATE INDEX collections_name_search_idx ON collections
    USING gin (to_tsvector('english'::regconfig, COALESCE(name, ''::text)));
