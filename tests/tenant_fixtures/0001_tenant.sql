-- Row-level security on two tenant tables, for tests/tests/tenant.rs.
--
-- Roles belong to the whole server, not to one database, so the role is created only when
-- missing: every template built on the server shares it.
DO $$
BEGIN
    CREATE ROLE buster_tenant NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL;
END
$$;

CREATE TABLE tn_projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX tn_projects_org_id_name_key ON tn_projects (org_id, name)
    WHERE deleted_at IS NULL;

CREATE TABLE tn_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL,
    project_id uuid NOT NULL REFERENCES tn_projects (id),
    title text NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON tn_projects, tn_tasks TO buster_tenant;

ALTER TABLE tn_projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE tn_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tn_projects_tenant ON tn_projects
    USING (org_id = current_setting('app.org_id')::uuid)
    WITH CHECK (org_id = current_setting('app.org_id')::uuid);
CREATE POLICY tn_tasks_tenant ON tn_tasks
    USING (org_id = current_setting('app.org_id')::uuid)
    WITH CHECK (org_id = current_setting('app.org_id')::uuid);
