-- A database built without buster-db, for `pull`: what the derive states (an enum with labels
-- in several styles, varchar and numeric columns, a keyword column, a name that is no
-- identifier, a composite key, foreign keys with actions, a check, unique keys with and
-- without soft delete, plain and text-search indexes, comments) and what it cannot (no primary
-- key, a tsvector column, an expression index, an index with a sort order or a name of its own,
-- a foreign key over two columns, an identity and a generated column).

CREATE TYPE mood AS ENUM ('happy', 'notSure', 'HTTP-error');
COMMENT ON TYPE mood IS 'How a writer feels.';

CREATE TABLE authors (
    id bigserial PRIMARY KEY,
    handle varchar(40) NOT NULL,
    display_name char(12),
    type text NOT NULL DEFAULT 'person',
    "Created At" timestamptz NOT NULL DEFAULT now(),
    mood mood NOT NULL DEFAULT 'happy',
    moods mood[],
    rating numeric(3, 1),
    born date,
    profile json,
    CONSTRAINT authors_handle_not_empty CHECK (length(handle) > 0)
);
COMMENT ON TABLE authors IS 'People who write posts.';
COMMENT ON COLUMN authors.handle IS 'The name in the author''s URL.';
CREATE UNIQUE INDEX authors_handle_key ON authors (handle);
CREATE UNIQUE INDEX authors_display_name_key ON authors (display_name) NULLS NOT DISTINCT;
CREATE INDEX authors_lower_handle_idx ON authors (lower(handle));
CREATE INDEX authors_type_mood_idx ON authors (type, mood);

CREATE TABLE posts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title text NOT NULL,
    slug varchar(80) NOT NULL,
    search tsvector,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX posts_author_id_title_key ON posts (author_id, title) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
CREATE INDEX posts_author_id_idx ON posts (author_id);
CREATE INDEX posts_title_search_idx ON posts
    USING gin (to_tsvector('english'::regconfig, COALESCE(title, ''::text)));
CREATE INDEX posts_newest ON posts (created_at DESC);

CREATE TABLE post_tags (
    post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE ON UPDATE RESTRICT,
    tag varchar(30) NOT NULL,
    PRIMARY KEY (post_id, tag)
);

CREATE TABLE page_views (
    post_id uuid NOT NULL REFERENCES posts (id),
    viewed_at timestamp(3) NOT NULL DEFAULT now(),
    visitor inet
);

CREATE TABLE editions (
    number integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id uuid NOT NULL,
    tag varchar(30) NOT NULL,
    title_length integer GENERATED ALWAYS AS (length(tag)) STORED,
    FOREIGN KEY (post_id, tag) REFERENCES post_tags (post_id, tag)
);

-- A second schema, pulled with `--schema archive`; its foreign key leaves the schema.
CREATE SCHEMA archive;
CREATE TABLE archive.posts (
    id uuid PRIMARY KEY,
    author_id bigint REFERENCES public.authors (id),
    title text NOT NULL
);
