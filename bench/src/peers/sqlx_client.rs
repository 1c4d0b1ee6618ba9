//! sqlx: a `PgPool` and `query_as` with `#[derive(FromRow)]` rows, on the same SQL as the
//! hand-written clients (sqlx caches the prepared statements per connection).

use std::hint::black_box;
use std::str::FromStr;
use std::sync::Arc;

use buster_db::{DateTime, Utc, Uuid};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};

use crate::floor::{group_by_parent, join_all};
use crate::model::{Input, sql};
use crate::{BoxError, BoxResult, POOL_SIZE};

/// A user as sqlx decodes it (by column name).
#[allow(dead_code)] // decoded in full, only counted
#[derive(sqlx::FromRow, Debug)]
pub(crate) struct SqlxUser {
    pub(crate) id: Uuid,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// A post as sqlx decodes it (by column name).
#[allow(dead_code)] // decoded in full, only counted
#[derive(sqlx::FromRow, Debug)]
pub(crate) struct SqlxPost {
    pub(crate) id: Uuid,
    pub(crate) user_id: Uuid,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// A (user, post) pair; the join's columns are aliased since both tables have `id`.
#[allow(dead_code)] // decoded in full, only counted
#[derive(sqlx::FromRow, Debug)]
pub(crate) struct SqlxPair {
    pub(crate) u_id: Uuid,
    pub(crate) u_email: String,
    pub(crate) u_name: String,
    pub(crate) u_created_at: DateTime<Utc>,
    pub(crate) u_updated_at: DateTime<Utc>,
    pub(crate) u_deleted_at: Option<DateTime<Utc>>,
    pub(crate) p_id: Uuid,
    pub(crate) p_user_id: Uuid,
    pub(crate) p_title: String,
    pub(crate) p_body: String,
    pub(crate) p_deleted_at: Option<DateTime<Utc>>,
}

const JOIN: &str = "SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, \
    u.created_at AS u_created_at, u.updated_at AS u_updated_at, u.deleted_at AS u_deleted_at, \
    p.id AS p_id, p.user_id AS p_user_id, p.title AS p_title, p.body AS p_body, \
    p.deleted_at AS p_deleted_at \
    FROM bench_users u JOIN bench_posts p ON p.user_id = u.id \
    WHERE u.deleted_at IS NULL AND p.deleted_at IS NULL LIMIT $1";

pub(crate) struct Sqlx {
    pool: PgPool,
}

async fn find<'e, E>(exec: E, id: Uuid) -> BoxResult<bool>
where
    E: sqlx::PgExecutor<'e>,
{
    let found = sqlx::query_as::<_, SqlxUser>(sql::FIND)
        .bind(id)
        .fetch_optional(exec)
        .await?;
    Ok(black_box(found).is_some())
}

impl Sqlx {
    /// A pool of 16 connections that, like the other pools here, does not ping a connection on
    /// checkout (`test_before_acquire(false)`).
    pub(crate) async fn new(url: &str, dbname: &str) -> BoxResult<Sqlx> {
        let options = PgConnectOptions::from_str(url)?
            .database(dbname)
            .ssl_mode(PgSslMode::Disable);
        let pool = PgPoolOptions::new()
            .max_connections(u32::try_from(POOL_SIZE)?)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(Sqlx { pool })
    }

    /// Inserts the bulk rows with the `UNNEST` statement, binding two `Vec<String>`.
    pub(crate) async fn bulk(&self, rows: Vec<(String, String)>) -> BoxResult<usize> {
        let (a, b): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
        let done = sqlx::query(sql::BULK_UNNEST)
            .bind(a)
            .bind(b)
            .execute(&self.pool)
            .await?;
        Ok(usize::try_from(done.rows_affected())?)
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn run(&self, input: Input) -> BoxResult<usize> {
        let pool = &self.pool;
        match input {
            Input::Find(ids) => {
                let mut n = 0;
                for id in ids {
                    n += usize::from(find(pool, id).await?);
                }
                Ok(n)
            }
            Input::List(n) => {
                let rows = sqlx::query_as::<_, SqlxUser>(sql::LIST)
                    .bind(n)
                    .fetch_all(pool)
                    .await?;
                Ok(black_box(rows).len())
            }
            Input::Join(n) => {
                let rows = sqlx::query_as::<_, SqlxPair>(JOIN)
                    .bind(n)
                    .fetch_all(pool)
                    .await?;
                Ok(black_box(rows).len())
            }
            Input::Relation(n) => {
                let users = sqlx::query_as::<_, SqlxUser>(sql::USERS_BY_ID)
                    .bind(n)
                    .fetch_all(pool)
                    .await?;
                let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
                let posts = sqlx::query_as::<_, SqlxPost>(sql::POSTS_OF_USERS)
                    .bind(ids)
                    .fetch_all(pool)
                    .await?;
                let groups = group_by_parent(&users, |u| u.id, posts, |p| p.user_id);
                Ok(black_box(groups).iter().map(Vec::len).sum())
            }
            Input::Insert(rows) => {
                let out = if let [row] = rows.as_slice() {
                    sqlx::query_as::<_, SqlxUser>(sql::INSERT_ONE)
                        .bind(&row.email)
                        .bind(&row.name)
                        .fetch_all(pool)
                        .await?
                } else {
                    let (emails, names): (Vec<String>, Vec<String>) =
                        rows.into_iter().map(|r| (r.email, r.name)).unzip();
                    sqlx::query_as::<_, SqlxUser>(sql::INSERT_MANY)
                        .bind(emails)
                        .bind(names)
                        .fetch_all(pool)
                        .await?
                };
                Ok(black_box(out).len())
            }
            Input::Upsert(rows) => {
                let out = if let [row] = rows.as_slice() {
                    sqlx::query_as::<_, SqlxUser>(sql::UPSERT_ONE)
                        .bind(row.id)
                        .bind(&row.email)
                        .bind(&row.name)
                        .fetch_all(pool)
                        .await?
                } else {
                    let mut ids = Vec::with_capacity(rows.len());
                    let mut emails = Vec::with_capacity(rows.len());
                    let mut names = Vec::with_capacity(rows.len());
                    for r in rows {
                        ids.push(r.id);
                        emails.push(r.email);
                        names.push(r.name);
                    }
                    sqlx::query_as::<_, SqlxUser>(sql::UPSERT_MANY)
                        .bind(ids)
                        .bind(emails)
                        .bind(names)
                        .fetch_all(pool)
                        .await?
                };
                Ok(black_box(out).len())
            }
            Input::SoftDelete(ids) => {
                let done = sqlx::query(sql::SOFT_DELETE)
                    .bind(ids)
                    .execute(pool)
                    .await?;
                Ok(usize::try_from(done.rows_affected())?)
            }
            Input::Pool { ids, tasks } => {
                let per = ids.len() / tasks;
                let mut handles = Vec::with_capacity(tasks);
                for t in 0..tasks {
                    let ids = Arc::clone(&ids);
                    let pool = self.pool.clone();
                    handles.push(tokio::spawn(async move {
                        let mut n = 0;
                        for &id in &ids[t * per..(t + 1) * per] {
                            n += usize::from(find(&pool, id).await?);
                        }
                        Ok::<usize, BoxError>(n)
                    }));
                }
                join_all(handles).await
            }
            Input::Pipeline(ids) => {
                // A sqlx connection is used through `&mut`, so its queries cannot be in flight
                // together: the eight finds run one after another on one connection.
                let mut conn = pool.acquire().await?;
                let mut n = 0;
                for id in ids {
                    n += usize::from(find(&mut *conn, id).await?);
                }
                Ok(n)
            }
        }
    }
}
