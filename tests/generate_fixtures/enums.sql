CREATE TYPE gn_mood AS ENUM ('calm', 'busy');
CREATE TABLE gn_notes (id bigint PRIMARY KEY, mood gn_mood NOT NULL DEFAULT 'calm');
