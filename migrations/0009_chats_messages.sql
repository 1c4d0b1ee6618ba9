-- Chats with the analyst and their messages.
CREATE TABLE chats (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    chat_type chat_type NOT NULL DEFAULT 'analyst',
    organization_id uuid NOT NULL REFERENCES organizations (id),
    publicly_accessible boolean NOT NULL DEFAULT false,
    most_recent_file_id uuid NULL,
    most_recent_file_type asset_type NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    updated_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE INDEX chats_organization_id_idx ON chats (organization_id);
CREATE INDEX chats_created_by_idx ON chats (created_by);
CREATE INDEX chats_created_at_idx ON chats (created_at);

CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_id uuid NOT NULL REFERENCES chats (id),
    request_message text NULL,
    response_messages jsonb NOT NULL DEFAULT '[]',
    reasoning jsonb NOT NULL DEFAULT '[]',
    title text NOT NULL,
    final_reasoning_message text NULL,
    is_completed boolean NOT NULL DEFAULT false,
    feedback text NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz NULL
);

CREATE INDEX messages_chat_id_idx ON messages (chat_id);
CREATE INDEX messages_created_at_idx ON messages (created_at);
