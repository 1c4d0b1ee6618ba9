-- The column types beyond the product's own: numeric, timestamp without time zone, time,
-- interval, bytea, inet, cidr and citext, each plain, as an array and nullable.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE fx_more_types (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    t_numeric numeric NOT NULL,
    t_ts timestamp NOT NULL,
    t_time time NOT NULL,
    t_date date NOT NULL,
    t_interval interval NOT NULL,
    t_bytes bytea NOT NULL,
    t_ip inet NOT NULL,
    t_inet inet NOT NULL,
    t_cidr cidr NOT NULL,
    t_citext citext NOT NULL,
    a_numeric numeric[] NOT NULL,
    a_ts timestamp[] NOT NULL,
    a_time time[] NOT NULL,
    a_interval interval[] NOT NULL,
    a_bytes bytea[] NOT NULL,
    a_ip inet[] NOT NULL,
    a_cidr cidr[] NOT NULL,
    a_citext citext[] NOT NULL,
    o_numeric numeric NULL,
    o_ts timestamp NULL,
    o_time time NULL,
    o_interval interval NULL,
    o_bytes bytea NULL,
    o_ip inet NULL,
    o_cidr cidr NULL,
    o_citext citext NULL
);

-- Numbers a `Decimal` cannot hold (more than 28 significant digits, NaN) beside one it can:
-- reading them must be a typed error, never a panic or a rounded value.
CREATE TABLE fx_wide_numbers (
    id integer PRIMARY KEY,
    value numeric NOT NULL
);
INSERT INTO fx_wide_numbers (id, value) VALUES
    (1, 1e40),
    (2, 'NaN'),
    (3, 12.50);

-- Ids kept as newtypes over uuid in Rust, plain uuid columns here.
CREATE TABLE fx_seats (
    user_id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    invited_by uuid NULL,
    admins uuid[] NOT NULL,
    label text NOT NULL
);

-- Columns whose type carries a modifier, declared in Rust with `sql_type`.
CREATE TABLE fx_sized (
    id integer PRIMARY KEY,
    code varchar(50) NOT NULL,
    amount numeric(12, 2) NOT NULL,
    at timestamp(3) NOT NULL,
    tags varchar(20)[] NOT NULL,
    note character(4) NULL
);

-- An enum kept as text, as databases migrated by other tools often do. Row 99 holds a label
-- the Rust enum does not know.
CREATE TABLE fx_tickets (
    id integer PRIMARY KEY,
    status text NOT NULL,
    history text[] NOT NULL,
    previous varchar(20) NULL
);
INSERT INTO fx_tickets (id, status, history, previous) VALUES (99, 'escalated', '{}', NULL);

-- jsonb columns holding a serde type declared with `#[scalar(json)]`.
CREATE TABLE fx_settings (
    id integer PRIMARY KEY,
    settings jsonb NOT NULL,
    history jsonb[] NOT NULL,
    extra jsonb NULL
);
-- Row 99 holds JSON that is not a `Preferences`.
INSERT INTO fx_settings (id, settings, history, extra) VALUES (99, '{"theme": 1}', '{}', NULL);

-- The `time` crate's types, beside chrono's.
CREATE TABLE fx_time_types (
    id integer PRIMARY KEY,
    at timestamptz NOT NULL,
    local_at timestamp NOT NULL,
    day date NOT NULL,
    clock time NOT NULL,
    days date[] NOT NULL,
    maybe timestamptz NULL
);
