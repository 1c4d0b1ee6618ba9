-- A changed enum default, a changed jsonb default and a NOT NULL column made nullable.
ALTER TABLE users_to_organizations ALTER COLUMN role SET DEFAULT 'viewer';
ALTER TABLE messages ALTER COLUMN reasoning SET DEFAULT '{}';
ALTER TABLE chats ALTER COLUMN title DROP NOT NULL;
