//! The benchmark schema, the inputs every client receives, and the hand-written SQL shared by the
//! `tokio-postgres` and `deadpool-postgres` clients.

use buster_db::{DateTime, Utc, Uuid};

/// The schema, created by the benchmark in its own database.
pub(crate) const DDL: &str = "
CREATE TABLE bench_users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE TABLE bench_posts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES bench_users (id),
    title text NOT NULL,
    body text NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX bench_posts_user_id ON bench_posts (user_id);
CREATE TABLE bench_bulk (
    a text NOT NULL,
    b text NOT NULL,
    PRIMARY KEY (a, b)
);
";

// The rows of every client are decoded in full, as an application would, but the benchmark
// only counts them: their fields are never read.

/// A user row as buster-db declares it.
#[allow(dead_code)]
#[derive(buster_db::Table, Debug, Clone)]
#[table(name = "bench_users", has_many(posts = bench_posts::user_id))]
pub(crate) struct BenchUser {
    /// Primary key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Creation time.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Soft-delete time.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A post row as buster-db declares it.
#[allow(dead_code)]
#[derive(buster_db::Table, Debug, Clone)]
#[table(name = "bench_posts")]
pub(crate) struct BenchPost {
    /// Primary key.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// The author.
    pub user_id: Uuid,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Soft-delete time.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A two-text-column row for the bulk insert comparison.
#[allow(dead_code)]
#[derive(buster_db::Table, Debug, Clone)]
#[table(name = "bench_bulk", primary_key(a, b))]
pub(crate) struct BenchBulk {
    /// First text.
    pub a: String,
    /// Second text.
    pub b: String,
}

/// A user decoded by hand from a `tokio_postgres::Row` (the floor and deadpool clients).
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) id: Uuid,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// A post decoded by hand from a `tokio_postgres::Row`.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct Post {
    pub(crate) id: Uuid,
    pub(crate) user_id: Uuid,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// A row to insert (the key comes from the column default).
#[derive(Debug, Clone)]
pub(crate) struct NewRow {
    pub(crate) email: String,
    pub(crate) name: String,
}

/// A row to upsert on the primary key.
#[derive(Debug, Clone)]
pub(crate) struct UpsertRow {
    pub(crate) id: Uuid,
    pub(crate) email: String,
    pub(crate) name: String,
}

/// What one timed call of a client does. Write inputs are moved into the client, so turning
/// them into the client's own shapes is part of the measured time.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// Find each id by primary key, one statement per id.
    Find(Vec<Uuid>),
    /// Read this many live users.
    List(i64),
    /// Read this many live (user, post) pairs.
    Join(i64),
    /// Read this many live users in key order, then their live posts, grouped per user.
    Relation(i64),
    /// Insert these users, returning them (one row: `VALUES`; more: one batch statement).
    Insert(Vec<NewRow>),
    /// Upsert these users on the primary key, updating email and name.
    Upsert(Vec<UpsertRow>),
    /// Soft-delete the users with these ids in one statement.
    SoftDelete(Vec<Uuid>),
    /// Spawn `tasks` tasks that each find `ids.len() / tasks` ids on the 16-connection pool.
    Pool {
        ids: std::sync::Arc<Vec<Uuid>>,
        tasks: usize,
    },
    /// Eight finds polled together on one connection.
    Pipeline([Uuid; 8]),
}

/// Hand-written statements (the floor's and deadpool's SQL).
pub(crate) mod sql {
    /// Columns of `bench_users`.
    macro_rules! user_cols {
        () => {
            "id, email, name, created_at, updated_at, deleted_at"
        };
    }

    /// Columns of `bench_posts`.
    macro_rules! post_cols {
        () => {
            "id, user_id, title, body, deleted_at"
        };
    }

    pub(crate) const FIND: &str = concat!(
        "SELECT ",
        user_cols!(),
        " FROM bench_users WHERE id = $1 AND deleted_at IS NULL"
    );
    pub(crate) const LIST: &str = concat!(
        "SELECT ",
        user_cols!(),
        " FROM bench_users WHERE deleted_at IS NULL LIMIT $1"
    );
    /// The users of the relation load: the first live ones in key order.
    pub(crate) const USERS_BY_ID: &str = concat!(
        "SELECT ",
        user_cols!(),
        " FROM bench_users WHERE deleted_at IS NULL ORDER BY id LIMIT $1"
    );
    /// The live posts of a list of users. Ordered by key, as buster-db orders the children of
    /// a relation.
    pub(crate) const POSTS_OF_USERS: &str = concat!(
        "SELECT ",
        post_cols!(),
        " FROM bench_posts WHERE user_id = ANY($1) AND deleted_at IS NULL ORDER BY id"
    );
    pub(crate) const JOIN: &str = "SELECT u.id, u.email, u.name, u.created_at, u.updated_at, \
        u.deleted_at, p.id, p.user_id, p.title, p.body, p.deleted_at \
        FROM bench_users u JOIN bench_posts p ON p.user_id = u.id \
        WHERE u.deleted_at IS NULL AND p.deleted_at IS NULL LIMIT $1";
    pub(crate) const INSERT_ONE: &str = concat!(
        "INSERT INTO bench_users (email, name) VALUES ($1, $2) RETURNING ",
        user_cols!()
    );
    pub(crate) const INSERT_MANY: &str = concat!(
        "INSERT INTO bench_users (email, name) SELECT * FROM UNNEST($1::text[], $2::text[]) RETURNING ",
        user_cols!()
    );
    pub(crate) const UPSERT_ONE: &str = concat!(
        "INSERT INTO bench_users (id, email, name) VALUES ($1, $2, $3) ",
        "ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, ",
        "updated_at = now() WHERE bench_users.deleted_at IS NULL RETURNING ",
        user_cols!()
    );
    pub(crate) const UPSERT_MANY: &str = concat!(
        "INSERT INTO bench_users (id, email, name) ",
        "SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[]) ",
        "ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, ",
        "updated_at = now() WHERE bench_users.deleted_at IS NULL RETURNING ",
        user_cols!()
    );
    pub(crate) const SOFT_DELETE: &str = "UPDATE bench_users SET deleted_at = now(), \
        updated_at = now() WHERE id = ANY($1) AND deleted_at IS NULL";
    pub(crate) const BULK_UNNEST: &str =
        "INSERT INTO bench_bulk (a, b) SELECT * FROM UNNEST($1::text[], $2::text[])";
}
