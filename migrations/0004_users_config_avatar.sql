-- Per-user settings and picture.
ALTER TABLE users
    ADD COLUMN config jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN avatar_url text NULL;
