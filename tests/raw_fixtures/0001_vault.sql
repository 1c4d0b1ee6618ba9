-- A secret store shaped like the one the product's database has (Supabase Vault): secrets are
-- written through a server function and read from a table of another schema that no struct
-- declares. Nothing is encrypted here: the raw statement tests need a server function to call.
CREATE SCHEMA vault;

CREATE TABLE vault.secrets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text UNIQUE,
    secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION vault.create_secret(new_secret text, new_name text DEFAULT NULL)
RETURNS uuid
LANGUAGE sql
AS $$
    INSERT INTO vault.secrets (secret, name) VALUES (new_secret, new_name) RETURNING id
$$;
