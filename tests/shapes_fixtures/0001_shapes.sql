-- The tables of the query-shape tests (`tests/src/shapes.rs`): a chain of eight tables to join
-- (workspaces, folders, dashboards, widgets, metrics, datasets, sources, and the product's users),
-- events to page through, and `sx_sources`, which has no soft-delete column.
CREATE TABLE sx_workspaces (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_folders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id uuid NOT NULL REFERENCES sx_workspaces (id),
    parent_id uuid REFERENCES sx_folders (id),
    name text NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_dashboards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    folder_id uuid REFERENCES sx_folders (id),
    title text NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_sources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL REFERENCES users (id),
    name text NOT NULL
);
CREATE TABLE sx_datasets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_id uuid NOT NULL REFERENCES sx_sources (id) ON DELETE CASCADE,
    name text NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_metrics (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dataset_id uuid NOT NULL REFERENCES sx_datasets (id) ON DELETE CASCADE,
    name text NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dashboard_id uuid NOT NULL REFERENCES sx_dashboards (id),
    metric_id uuid NOT NULL REFERENCES sx_metrics (id) ON DELETE CASCADE,
    position integer NOT NULL,
    deleted_at timestamptz
);
CREATE TABLE sx_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at timestamptz NOT NULL,
    kind text NOT NULL,
    score integer NOT NULL,
    note text,
    deleted_at timestamptz
);
CREATE INDEX sx_events_at_id ON sx_events (at DESC, id DESC);
