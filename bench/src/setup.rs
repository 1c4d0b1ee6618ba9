//! The benchmark database: created, seeded, reset between write rounds and dropped, all through
//! one plain `tokio-postgres` connection that is never timed.

use std::sync::Arc;

use tokio_postgres::Client;
use uuid::Uuid;

use crate::model::{DDL, Input, NewRow, UpsertRow};
use crate::{BoxResult, Op, floor};

/// Live users in the seed; every eleventh seeded user is soft-deleted on top of these.
pub(crate) const LIVE_USERS: usize = 10_000;
/// Posts per seeded user; every tenth post is soft-deleted.
const POSTS_PER_USER: usize = 2;
/// Tasks of the pool workload, and finds per task.
pub(crate) const POOL_TASKS: usize = 64;
pub(crate) const FINDS_PER_TASK: usize = 8;
/// Finds per sample of the find workload.
pub(crate) const FINDS_PER_SAMPLE: usize = 10;

/// Whether the seeded user `i` is soft-deleted.
fn user_deleted(i: usize) -> bool {
    i % 11 == 10
}

/// Whether the seeded post `k` (post `j` of user `i` is `i * POSTS_PER_USER + j`) is
/// soft-deleted.
fn post_deleted(k: usize) -> bool {
    k % 10 == 9
}

/// The live posts of the first `n` live users in key order: the seed's ids are sorted, so those
/// are the first live users of the seed.
pub(crate) fn live_posts_of_first_users(n: usize) -> usize {
    (0..LIVE_USERS + LIVE_USERS / 10)
        .filter(|&i| !user_deleted(i))
        .take(n)
        .map(|i| {
            (0..POSTS_PER_USER)
                .filter(|&j| !post_deleted(i * POSTS_PER_USER + j))
                .count()
        })
        .sum()
}

/// Emails of rows written by the write workloads start with this, so a reset finds them.
const WRITTEN: &str = "w:";

/// Drops and creates the benchmark database on the server of `admin`.
pub(crate) async fn create_database(admin: &Client, name: &str) -> BoxResult<()> {
    // Each its own statement: DROP / CREATE DATABASE cannot run in a transaction block.
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
        format!("ALTER DATABASE {name} SET synchronous_commit = off"),
    ] {
        admin.batch_execute(&statement).await?;
    }
    Ok(())
}

/// Drops the benchmark database.
pub(crate) async fn drop_database(admin: &Client, name: &str) -> BoxResult<()> {
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    Ok(())
}

/// The seeded state and the untimed connection that prepares and resets each round.
pub(crate) struct Seed {
    pub(crate) admin: Client,
    live: Vec<Uuid>,
    seq: usize,
}

impl Seed {
    /// Creates the tables and seeds 11,000 users (1,000 soft-deleted) and 22,000 posts.
    ///
    /// The users' ids are random but sorted, so user `i` has the `i`-th smallest key: a read
    /// `ORDER BY id` meets the users in seed order, and the posts of its first users are known.
    pub(crate) async fn new(config: &tokio_postgres::Config) -> BoxResult<Seed> {
        let admin = floor::connect(config).await?;
        admin.batch_execute(DDL).await?;
        let total = LIVE_USERS + LIVE_USERS / 10;
        let mut ids: Vec<Uuid> = (0..total).map(|_| Uuid::new_v4()).collect();
        ids.sort_unstable();
        let mut emails = Vec::with_capacity(total);
        let mut names = Vec::with_capacity(total);
        let mut deleted = Vec::with_capacity(total);
        let mut live = Vec::with_capacity(LIVE_USERS);
        for (i, id) in ids.iter().enumerate() {
            emails.push(format!("user{i}@bench.example"));
            names.push(format!("User number {i}"));
            let is_deleted = user_deleted(i);
            deleted.push(is_deleted);
            if !is_deleted {
                live.push(*id);
            }
        }
        admin
            .execute(
                "INSERT INTO bench_users (id, email, name, deleted_at) \
                 SELECT u.id, u.email, u.name, CASE WHEN u.deleted THEN now() END \
                 FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::bool[]) \
                 AS u(id, email, name, deleted)",
                &[&ids, &emails, &names, &deleted],
            )
            .await?;
        let mut post_users = Vec::new();
        let mut titles = Vec::new();
        let mut bodies = Vec::new();
        let mut posts_deleted = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            for j in 0..POSTS_PER_USER {
                let k = i * POSTS_PER_USER + j;
                post_users.push(*id);
                titles.push(format!("Post {k} of user {i}"));
                bodies.push(format!(
                    "Body of post {k}: a paragraph of about a hundred characters, the size of \
                     a short comment."
                ));
                posts_deleted.push(post_deleted(k));
            }
        }
        admin
            .execute(
                "INSERT INTO bench_posts (user_id, title, body, deleted_at) \
                 SELECT p.user_id, p.title, p.body, CASE WHEN p.deleted THEN now() END \
                 FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::bool[]) \
                 AS p(user_id, title, body, deleted)",
                &[&post_users, &titles, &bodies, &posts_deleted],
            )
            .await?;
        admin.batch_execute("VACUUM ANALYZE").await?;
        Ok(Seed {
            admin,
            live,
            seq: 0,
        })
    }

    fn live_id(&self, k: usize) -> Uuid {
        // A stride co-prime with the row count spreads the reads over the table.
        self.live[(k * 7919) % self.live.len()]
    }

    fn live_ids(&mut self, n: usize) -> Vec<Uuid> {
        let start = self.seq;
        self.seq += n;
        (start..start + n).map(|k| self.live_id(k)).collect()
    }

    /// Rows written by a workload are named after the round, so no two rounds collide.
    fn round(&mut self) -> usize {
        self.seq += 1;
        self.seq
    }

    async fn insert_written(&self, ids: &[Uuid], round: usize) -> BoxResult<()> {
        let emails: Vec<String> = (0..ids.len())
            .map(|i| format!("{WRITTEN}{round}:{i}@seeded.example"))
            .collect();
        self.admin
            .execute(
                "INSERT INTO bench_users (id, email, name) \
                 SELECT u.id, u.email, 'seeded' FROM UNNEST($1::uuid[], $2::text[]) AS u(id, email)",
                &[&ids, &emails],
            )
            .await?;
        Ok(())
    }

    /// The input of one timed call, after preparing the state it needs (untimed).
    pub(crate) async fn input(&mut self, op: Op) -> BoxResult<Input> {
        Ok(match op {
            Op::Find => Input::Find(self.live_ids(FINDS_PER_SAMPLE)),
            Op::List(n) => Input::List(n),
            Op::Join(n) => Input::Join(n),
            Op::Relation(n) => Input::Relation(n),
            Op::Insert(n) => {
                let round = self.round();
                Input::Insert(
                    (0..n)
                        .map(|i| NewRow {
                            email: format!("{WRITTEN}{round}:{i}@insert.example"),
                            name: format!("Inserted user {i}"),
                        })
                        .collect(),
                )
            }
            Op::Upsert(n) => {
                // Half the rows (the single row of a one-row upsert) hit an existing key.
                let round = self.round();
                let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
                self.insert_written(&ids[..n.div_ceil(2)], round).await?;
                Input::Upsert(
                    ids.into_iter()
                        .enumerate()
                        .map(|(i, id)| UpsertRow {
                            id,
                            email: format!("{WRITTEN}{round}:{i}@upsert.example"),
                            name: format!("Upserted user {i}"),
                        })
                        .collect(),
                )
            }
            Op::SoftDelete(n) => {
                let round = self.round();
                let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
                self.insert_written(&ids, round).await?;
                Input::SoftDelete(ids)
            }
            Op::Pool => Input::Pool {
                ids: Arc::new(self.live_ids(POOL_TASKS * FINDS_PER_TASK)),
                tasks: POOL_TASKS,
            },
            Op::Pipeline => {
                let ids = self.live_ids(8);
                let mut out = [Uuid::nil(); 8];
                out.copy_from_slice(&ids);
                Input::Pipeline(out)
            }
        })
    }

    /// Puts the tables back as they were before the input was prepared.
    pub(crate) async fn reset(&self, op: Op) -> BoxResult<()> {
        if op.writes() {
            self.admin
                .execute(
                    "DELETE FROM bench_users WHERE email LIKE $1",
                    &[&format!("{WRITTEN}%")],
                )
                .await?;
        }
        Ok(())
    }

    /// Cleans up after all rounds of a workload.
    pub(crate) async fn after(&self, op: Op) -> BoxResult<()> {
        if op.writes() {
            self.admin
                .batch_execute("VACUUM ANALYZE bench_users")
                .await?;
        }
        Ok(())
    }
}
