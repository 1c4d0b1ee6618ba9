//! diesel-async: `AsyncPgConnection` from its deadpool pool, queries built with diesel's DSL.

use std::hint::black_box;
use std::sync::Arc;

use buster_db::{DateTime, Utc, Uuid};
use diesel::dsl::now;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::floor::{count8, join_all};
use crate::model::Input;
use crate::{BoxError, BoxResult, POOL_SIZE};

/// The diesel schema of the benchmark tables.
pub(crate) mod schema {
    diesel::table! {
        bench_users (id) {
            id -> Uuid,
            email -> Text,
            name -> Text,
            created_at -> Timestamptz,
            updated_at -> Timestamptz,
            deleted_at -> Nullable<Timestamptz>,
        }
    }

    diesel::table! {
        bench_posts (id) {
            id -> Uuid,
            user_id -> Uuid,
            title -> Text,
            body -> Text,
            deleted_at -> Nullable<Timestamptz>,
        }
    }

    diesel::table! {
        bench_bulk (a, b) {
            a -> Text,
            b -> Text,
        }
    }

    diesel::joinable!(bench_posts -> bench_users (user_id));
    diesel::allow_tables_to_appear_in_same_query!(bench_users, bench_posts);
}

use schema::{bench_bulk, bench_posts, bench_users};

/// A user as diesel loads it.
#[allow(dead_code)] // decoded in full, only counted
#[derive(Queryable, Selectable, Identifiable, Debug)]
#[diesel(table_name = bench_users, check_for_backend(diesel::pg::Pg))]
pub(crate) struct DieselUser {
    pub(crate) id: Uuid,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

/// A post as diesel loads it.
#[allow(dead_code)] // decoded in full, only counted
#[derive(Queryable, Selectable, Identifiable, Associations, Debug)]
#[diesel(
    table_name = bench_posts,
    belongs_to(DieselUser, foreign_key = user_id),
    check_for_backend(diesel::pg::Pg)
)]
pub(crate) struct DieselPost {
    pub(crate) id: Uuid,
    pub(crate) user_id: Uuid,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) deleted_at: Option<DateTime<Utc>>,
}

#[derive(Insertable)]
#[diesel(table_name = bench_users)]
struct NewUser {
    email: String,
    name: String,
}

#[derive(Insertable)]
#[diesel(table_name = bench_users)]
struct UpsertUser {
    id: Uuid,
    email: String,
    name: String,
}

/// A row of the bulk comparison.
#[derive(Insertable)]
#[diesel(table_name = bench_bulk)]
pub(crate) struct BulkRow {
    pub(crate) a: String,
    pub(crate) b: String,
}

pub(crate) type DieselPool = Pool<AsyncPgConnection>;

pub(crate) struct Diesel {
    pub(crate) pool: DieselPool,
}

async fn find(mut conn: &AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let found = bench_users::table
        .filter(bench_users::id.eq(id))
        .filter(bench_users::deleted_at.is_null())
        .select(DieselUser::as_select())
        .get_result(&mut conn)
        .await
        .optional()?;
    Ok(black_box(found).is_some())
}

async fn pooled_find(pool: &DieselPool, id: Uuid) -> BoxResult<bool> {
    let conn = pool.get().await?;
    Ok(find(&conn, id).await?)
}

impl Diesel {
    /// A pool of 16 connections that does not ping on checkout (`RecyclingMethod::Fast`, the
    /// same as the deadpool-postgres and buster-db pools here).
    pub(crate) fn new(url: &str) -> BoxResult<Diesel> {
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::Fast;
        let manager =
            AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build()?;
        Ok(Diesel { pool })
    }

    pub(crate) async fn run(&self, input: Input) -> BoxResult<usize> {
        match input {
            Input::Find(ids) => {
                let mut n = 0;
                for id in ids {
                    n += usize::from(pooled_find(&self.pool, id).await?);
                }
                Ok(n)
            }
            Input::List(n) => {
                let mut conn = self.pool.get().await?;
                let rows = bench_users::table
                    .filter(bench_users::deleted_at.is_null())
                    .limit(n)
                    .select(DieselUser::as_select())
                    .load(&mut conn)
                    .await?;
                Ok(black_box(rows).len())
            }
            Input::Join(n) => {
                let mut conn = self.pool.get().await?;
                let rows: Vec<(DieselUser, DieselPost)> = bench_users::table
                    .inner_join(bench_posts::table)
                    .filter(bench_users::deleted_at.is_null())
                    .filter(bench_posts::deleted_at.is_null())
                    .limit(n)
                    .select((DieselUser::as_select(), DieselPost::as_select()))
                    .load(&mut conn)
                    .await?;
                Ok(black_box(rows).len())
            }
            Input::Relation(n) => {
                // Both statements on one checked-out connection, as diesel's `load` takes one.
                let mut conn = self.pool.get().await?;
                let users = bench_users::table
                    .filter(bench_users::deleted_at.is_null())
                    .order(bench_users::id)
                    .limit(n)
                    .select(DieselUser::as_select())
                    .load(&mut conn)
                    .await?;
                let posts = DieselPost::belonging_to(&users)
                    .filter(bench_posts::deleted_at.is_null())
                    .order(bench_posts::id)
                    .select(DieselPost::as_select())
                    .load(&mut conn)
                    .await?;
                let groups = posts.grouped_by(&users);
                Ok(black_box(groups).iter().map(Vec::len).sum())
            }
            Input::Insert(rows) => {
                let mut conn = self.pool.get().await?;
                let rows: Vec<NewUser> = rows
                    .into_iter()
                    .map(|r| NewUser {
                        email: r.email,
                        name: r.name,
                    })
                    .collect();
                let out = diesel::insert_into(bench_users::table)
                    .values(&rows)
                    .returning(DieselUser::as_returning())
                    .get_results(&mut conn)
                    .await?;
                Ok(black_box(out).len())
            }
            Input::Upsert(rows) => {
                let mut conn = self.pool.get().await?;
                let rows: Vec<UpsertUser> = rows
                    .into_iter()
                    .map(|r| UpsertUser {
                        id: r.id,
                        email: r.email,
                        name: r.name,
                    })
                    .collect();
                let upsert = diesel::insert_into(bench_users::table)
                    .values(&rows)
                    .on_conflict(bench_users::id)
                    .do_update()
                    .set((
                        bench_users::email.eq(excluded(bench_users::email)),
                        bench_users::name.eq(excluded(bench_users::name)),
                        bench_users::updated_at.eq(now),
                    ));
                // `DO UPDATE … WHERE`: a conflicting soft-deleted row is left alone.
                let out = diesel::query_dsl::methods::FilterDsl::filter(
                    upsert,
                    bench_users::deleted_at.is_null(),
                )
                .returning(DieselUser::as_returning())
                .get_results(&mut conn)
                .await?;
                Ok(black_box(out).len())
            }
            Input::SoftDelete(ids) => {
                let mut conn = self.pool.get().await?;
                let n = diesel::update(
                    bench_users::table
                        .filter(bench_users::id.eq_any(ids))
                        .filter(bench_users::deleted_at.is_null()),
                )
                .set((
                    bench_users::deleted_at.eq(now),
                    bench_users::updated_at.eq(now),
                ))
                .execute(&mut conn)
                .await?;
                Ok(n)
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
                            n += usize::from(pooled_find(&pool, id).await?);
                        }
                        Ok::<usize, BoxError>(n)
                    }));
                }
                join_all(handles).await
            }
            Input::Pipeline([a, b, c, d, e, f, g, h]) => {
                // diesel-async pipelines queries polled together on a shared connection.
                let obj = self.pool.get().await?;
                let conn: &AsyncPgConnection = &obj;
                let r = tokio::join!(
                    find(conn, a),
                    find(conn, b),
                    find(conn, c),
                    find(conn, d),
                    find(conn, e),
                    find(conn, f),
                    find(conn, g),
                    find(conn, h)
                );
                count8(r)
            }
        }
    }

    /// Inserts the bulk rows with one multi-row `VALUES` statement (diesel's way).
    pub(crate) async fn bulk(&self, rows: Vec<(String, String)>) -> BoxResult<usize> {
        let mut conn = self.pool.get().await?;
        let rows: Vec<BulkRow> = rows.into_iter().map(|(a, b)| BulkRow { a, b }).collect();
        let mut n = 0;
        // 2 parameters per row: stay under PostgreSQL's 65,535 parameters per statement.
        for chunk in rows.chunks(30_000) {
            n += diesel::insert_into(bench_bulk::table)
                .values(chunk)
                .execute(&mut conn)
                .await?;
        }
        Ok(n)
    }
}
