//! The hand-written clients: plain `tokio-postgres` with statements prepared once (the floor, in
//! two forms: collecting the rows with `query` then decoding them, or decoding each row as it
//! arrives with `query_raw`), and `deadpool-postgres` with a checkout and `prepare_cached` per
//! statement.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::TryStreamExt;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};
use uuid::Uuid;

use crate::model::{Input, NewRow, Post, UpsertRow, User, sql};
use crate::{BoxError, BoxResult, POOL_SIZE};

/// Opens one connection and drives it on a spawned task.
pub(crate) async fn connect(config: &tokio_postgres::Config) -> BoxResult<Client> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(err) = connection.await {
            eprintln!("connection closed: {err}");
        }
    });
    Ok(client)
}

fn user(row: &Row, o: usize) -> Result<User, tokio_postgres::Error> {
    Ok(User {
        id: row.try_get(o)?,
        email: row.try_get(o + 1)?,
        name: row.try_get(o + 2)?,
        created_at: row.try_get(o + 3)?,
        updated_at: row.try_get(o + 4)?,
        deleted_at: row.try_get(o + 5)?,
    })
}

/// Decodes a user row the hand-written way (for the decoding measurement).
pub(crate) fn decode_user(row: &Row) -> Result<User, tokio_postgres::Error> {
    user(row, 0)
}

fn post(row: &Row, o: usize) -> Result<Post, tokio_postgres::Error> {
    Ok(Post {
        id: row.try_get(o)?,
        user_id: row.try_get(o + 1)?,
        title: row.try_get(o + 2)?,
        body: row.try_get(o + 3)?,
        deleted_at: row.try_get(o + 4)?,
    })
}

fn users(rows: &[Row]) -> Result<Vec<User>, tokio_postgres::Error> {
    rows.iter().map(|r| user(r, 0)).collect()
}

/// Sends `st` and decodes each row as it arrives, without collecting the rows first.
async fn streamed<T>(
    c: &Client,
    st: &Statement,
    params: &[&(dyn ToSql + Sync)],
    capacity: usize,
    decode: impl Fn(&Row) -> Result<T, tokio_postgres::Error>,
) -> BoxResult<Vec<T>> {
    let rows = c.query_raw(st, params.iter().copied()).await?;
    let mut rows = std::pin::pin!(rows);
    let mut out = Vec::with_capacity(capacity);
    while let Some(row) = rows.try_next().await? {
        out.push(decode(&row)?);
    }
    Ok(out)
}

/// How the floor reads rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// `query`, then decode the collected rows.
    Collect,
    /// `query_raw`, decoding each row as it arrives.
    Stream,
}

/// A find by primary key, read as `read` says.
async fn find_by(read: Read, c: &Client, st: &Statement, id: Uuid) -> BoxResult<bool> {
    match read {
        Read::Collect => find(c, st, id).await,
        Read::Stream => find_streamed(c, st, id).await,
    }
}

async fn find_streamed(c: &Client, st: &Statement, id: Uuid) -> BoxResult<bool> {
    let found = streamed(c, st, &[&id], 1, |r| user(r, 0)).await?;
    Ok(black_box(found).pop().is_some())
}

async fn list_streamed(c: &Client, st: &Statement, n: i64) -> BoxResult<usize> {
    let capacity = usize::try_from(n)?;
    let rows = streamed(c, st, &[&n], capacity, |r| user(r, 0)).await?;
    Ok(black_box(rows).len())
}

async fn join_streamed(c: &Client, st: &Statement, n: i64) -> BoxResult<usize> {
    let capacity = usize::try_from(n)?;
    let pairs = streamed(c, st, &[&n], capacity, |r| Ok((user(r, 0)?, post(r, 6)?))).await?;
    Ok(black_box(pairs).len())
}

async fn insert_streamed(
    c: &Client,
    one: &Statement,
    many: &Statement,
    rows: Vec<NewRow>,
) -> BoxResult<usize> {
    let n = rows.len();
    let out = if let [row] = rows.as_slice() {
        streamed(c, one, &[&row.email, &row.name], 1, |r| user(r, 0)).await?
    } else {
        let (emails, names): (Vec<String>, Vec<String>) =
            rows.into_iter().map(|r| (r.email, r.name)).unzip();
        streamed(c, many, &[&emails, &names], n, |r| user(r, 0)).await?
    };
    Ok(black_box(out).len())
}

async fn upsert_streamed(
    c: &Client,
    one: &Statement,
    many: &Statement,
    rows: Vec<UpsertRow>,
) -> BoxResult<usize> {
    let n = rows.len();
    let out = if let [row] = rows.as_slice() {
        let params: [&(dyn ToSql + Sync); 3] = [&row.id, &row.email, &row.name];
        streamed(c, one, &params, 1, |r| user(r, 0)).await?
    } else {
        let mut ids = Vec::with_capacity(n);
        let mut emails = Vec::with_capacity(n);
        let mut names = Vec::with_capacity(n);
        for r in rows {
            ids.push(r.id);
            emails.push(r.email);
            names.push(r.name);
        }
        streamed(c, many, &[&ids, &emails, &names], n, |r| user(r, 0)).await?
    };
    Ok(black_box(out).len())
}

/// The first `n` live users in key order, read as `read` says.
async fn users_by_id(read: Read, c: &Client, st: &Statement, n: i64) -> BoxResult<Vec<User>> {
    match read {
        Read::Collect => Ok(users(&c.query(st, &[&n]).await?)?),
        Read::Stream => streamed(c, st, &[&n], usize::try_from(n)?, |r| user(r, 0)).await,
    }
}

/// The live posts of `users`, read as `read` says.
async fn posts_of(read: Read, c: &Client, st: &Statement, users: &[User]) -> BoxResult<Vec<Post>> {
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    match read {
        Read::Collect => Ok(c
            .query(st, &[&ids])
            .await?
            .iter()
            .map(|r| post(r, 0))
            .collect::<Result<_, _>>()?),
        Read::Stream => streamed(c, st, &[&ids], users.len(), |r| post(r, 0)).await,
    }
}

/// Groups `children` by the parent key each holds, one list per parent in the parents' order
/// (how the hand-written clients and sqlx put a relation load together).
pub(crate) fn group_by_parent<P, C>(
    parents: &[P],
    parent_key: impl Fn(&P) -> Uuid,
    children: Vec<C>,
    child_key: impl Fn(&C) -> Uuid,
) -> Vec<Vec<C>> {
    let mut by_parent: HashMap<Uuid, Vec<C>> = HashMap::with_capacity(parents.len());
    for child in children {
        by_parent.entry(child_key(&child)).or_default().push(child);
    }
    parents
        .iter()
        .map(|p| by_parent.remove(&parent_key(p)).unwrap_or_default())
        .collect()
}

/// Groups the posts per user and counts them.
fn grouped_count(users: &[User], posts: Vec<Post>) -> usize {
    let groups = group_by_parent(users, |u| u.id, posts, |p| p.user_id);
    black_box(groups).iter().map(Vec::len).sum()
}

/// The relation load on one connection: the users, then their posts.
async fn relation(
    read: Read,
    c: &Client,
    users_st: &Statement,
    posts_st: &Statement,
    n: i64,
) -> BoxResult<usize> {
    let users = users_by_id(read, c, users_st, n).await?;
    let posts = posts_of(read, c, posts_st, &users).await?;
    Ok(grouped_count(&users, posts))
}

async fn find(c: &Client, st: &Statement, id: Uuid) -> BoxResult<bool> {
    let row = c.query_opt(st, &[&id]).await?;
    let found = row.as_ref().map(|r| user(r, 0)).transpose()?;
    Ok(black_box(found).is_some())
}

async fn list(c: &Client, st: &Statement, n: i64) -> BoxResult<usize> {
    let rows = users(&c.query(st, &[&n]).await?)?;
    Ok(black_box(rows).len())
}

async fn join(c: &Client, st: &Statement, n: i64) -> BoxResult<usize> {
    let rows = c.query(st, &[&n]).await?;
    let pairs = rows
        .iter()
        .map(|r| Ok((user(r, 0)?, post(r, 6)?)))
        .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
    Ok(black_box(pairs).len())
}

async fn insert(
    c: &Client,
    one: &Statement,
    many: &Statement,
    rows: Vec<NewRow>,
) -> BoxResult<usize> {
    let out = if let [row] = rows.as_slice() {
        c.query(one, &[&row.email, &row.name]).await?
    } else {
        let (emails, names): (Vec<String>, Vec<String>) =
            rows.into_iter().map(|r| (r.email, r.name)).unzip();
        c.query(many, &[&emails, &names]).await?
    };
    Ok(black_box(users(&out)?).len())
}

async fn upsert(
    c: &Client,
    one: &Statement,
    many: &Statement,
    rows: Vec<UpsertRow>,
) -> BoxResult<usize> {
    let out = if let [row] = rows.as_slice() {
        c.query(one, &[&row.id, &row.email, &row.name]).await?
    } else {
        let mut ids = Vec::with_capacity(rows.len());
        let mut emails = Vec::with_capacity(rows.len());
        let mut names = Vec::with_capacity(rows.len());
        for r in rows {
            ids.push(r.id);
            emails.push(r.email);
            names.push(r.name);
        }
        c.query(many, &[&ids, &emails, &names]).await?
    };
    Ok(black_box(users(&out)?).len())
}

async fn soft_delete(c: &Client, st: &Statement, ids: &[Uuid]) -> BoxResult<usize> {
    Ok(usize::try_from(c.execute(st, &[&ids]).await?)?)
}

/// The statements of the floor, prepared once per connection.
struct Prepared {
    find: Statement,
    list: Statement,
    join: Statement,
    users_by_id: Statement,
    posts_of_users: Statement,
    insert_one: Statement,
    insert_many: Statement,
    upsert_one: Statement,
    upsert_many: Statement,
    soft_delete: Statement,
}

impl Prepared {
    async fn new(c: &Client) -> BoxResult<Prepared> {
        Ok(Prepared {
            find: c.prepare(sql::FIND).await?,
            list: c.prepare(sql::LIST).await?,
            join: c.prepare(sql::JOIN).await?,
            users_by_id: c.prepare(sql::USERS_BY_ID).await?,
            posts_of_users: c.prepare(sql::POSTS_OF_USERS).await?,
            insert_one: c.prepare(sql::INSERT_ONE).await?,
            insert_many: c.prepare(sql::INSERT_MANY).await?,
            upsert_one: c.prepare(sql::UPSERT_ONE).await?,
            upsert_many: c.prepare(sql::UPSERT_MANY).await?,
            soft_delete: c.prepare(sql::SOFT_DELETE).await?,
        })
    }
}

/// Plain `tokio-postgres`: one connection, statements prepared up front, rows decoded by
/// position, collected first or decoded as they arrive (both forms use the same connections).
/// For the pool workload it holds 16 such connections shared by the tasks.
pub(crate) struct Floor {
    /// One connection per form, as every other client has its own: a call that follows one on
    /// the same connection meets a warm server process.
    collect: (Client, Prepared),
    stream: (Client, Prepared),
    fleet: Vec<Arc<(Client, Statement)>>,
    config: tokio_postgres::Config,
}

impl Floor {
    pub(crate) async fn new(config: &tokio_postgres::Config) -> BoxResult<Floor> {
        let collect = connect(config).await?;
        let collect_st = Prepared::new(&collect).await?;
        let stream = connect(config).await?;
        let stream_st = Prepared::new(&stream).await?;
        Ok(Floor {
            collect: (collect, collect_st),
            stream: (stream, stream_st),
            fleet: Vec::new(),
            config: config.clone(),
        })
    }

    /// Opens the 16 connections of the pool workload (kept only while it runs).
    pub(crate) async fn open_fleet(&mut self) -> BoxResult<()> {
        for _ in 0..POOL_SIZE {
            let c = connect(&self.config).await?;
            let st = c.prepare(sql::FIND).await?;
            self.fleet.push(Arc::new((c, st)));
        }
        Ok(())
    }

    pub(crate) fn close_fleet(&mut self) {
        self.fleet.clear();
    }

    pub(crate) async fn run(&self, read: Read, input: Input) -> BoxResult<usize> {
        let (c, st) = match read {
            Read::Collect => (&self.collect.0, &self.collect.1),
            Read::Stream => (&self.stream.0, &self.stream.1),
        };
        match input {
            Input::Find(ids) => {
                let mut n = 0;
                for id in ids {
                    n += usize::from(find_by(read, c, &st.find, id).await?);
                }
                Ok(n)
            }
            Input::List(n) => match read {
                Read::Collect => list(c, &st.list, n).await,
                Read::Stream => list_streamed(c, &st.list, n).await,
            },
            Input::Join(n) => match read {
                Read::Collect => join(c, &st.join, n).await,
                Read::Stream => join_streamed(c, &st.join, n).await,
            },
            Input::Relation(n) => relation(read, c, &st.users_by_id, &st.posts_of_users, n).await,
            Input::Insert(rows) => match read {
                Read::Collect => insert(c, &st.insert_one, &st.insert_many, rows).await,
                Read::Stream => insert_streamed(c, &st.insert_one, &st.insert_many, rows).await,
            },
            Input::Upsert(rows) => match read {
                Read::Collect => upsert(c, &st.upsert_one, &st.upsert_many, rows).await,
                Read::Stream => upsert_streamed(c, &st.upsert_one, &st.upsert_many, rows).await,
            },
            Input::SoftDelete(ids) => soft_delete(c, &st.soft_delete, &ids).await,
            Input::Pool { ids, tasks } => {
                if self.fleet.is_empty() {
                    return Err("the connections of the pool workload are not open".into());
                }
                let per = ids.len() / tasks;
                let mut handles = Vec::with_capacity(tasks);
                for t in 0..tasks {
                    let ids = Arc::clone(&ids);
                    let conn = Arc::clone(&self.fleet[t % self.fleet.len()]);
                    handles.push(tokio::spawn(async move {
                        let mut n = 0;
                        for &id in &ids[t * per..(t + 1) * per] {
                            n += usize::from(find_by(read, &conn.0, &conn.1, id).await?);
                        }
                        Ok::<usize, BoxError>(n)
                    }));
                }
                join_all(handles).await
            }
            Input::Pipeline([a, b, d, e, f, g, h, i]) => {
                let s = &st.find;
                let r = tokio::join!(
                    find_by(read, c, s, a),
                    find_by(read, c, s, b),
                    find_by(read, c, s, d),
                    find_by(read, c, s, e),
                    find_by(read, c, s, f),
                    find_by(read, c, s, g),
                    find_by(read, c, s, h),
                    find_by(read, c, s, i)
                );
                count8(r)
            }
        }
    }
}

/// Sums the results of spawned tasks.
pub(crate) async fn join_all(
    handles: Vec<tokio::task::JoinHandle<BoxResult<usize>>>,
) -> BoxResult<usize> {
    let mut n = 0;
    for h in handles {
        n += h.await??;
    }
    Ok(n)
}

/// The results of eight finds polled together.
type Eight<E> = (
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
    Result<bool, E>,
);

/// Counts the rows found by eight pipelined finds.
pub(crate) fn count8<E>(r: Eight<E>) -> BoxResult<usize>
where
    BoxError: From<E>,
{
    let all = [r.0?, r.1?, r.2?, r.3?, r.4?, r.5?, r.6?, r.7?];
    Ok(all.iter().filter(|f| **f).count())
}

/// `deadpool-postgres` used the usual way: check out a connection per statement and go through
/// its prepared-statement cache.
pub(crate) struct Deadpool {
    pool: Pool,
}

impl Deadpool {
    pub(crate) fn new(config: &tokio_postgres::Config) -> BoxResult<Deadpool> {
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()?;
        Ok(Deadpool { pool })
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
                let c = self.pool.get().await?;
                let st = c.prepare_cached(sql::LIST).await?;
                list(&c, &st, n).await
            }
            Input::Join(n) => {
                let c = self.pool.get().await?;
                let st = c.prepare_cached(sql::JOIN).await?;
                join(&c, &st, n).await
            }
            Input::Relation(n) => {
                // A checkout per statement, as for the other workloads.
                let users = {
                    let c = self.pool.get().await?;
                    let st = c.prepare_cached(sql::USERS_BY_ID).await?;
                    users_by_id(Read::Collect, &c, &st, n).await?
                };
                let c = self.pool.get().await?;
                let st = c.prepare_cached(sql::POSTS_OF_USERS).await?;
                let posts = posts_of(Read::Collect, &c, &st, &users).await?;
                Ok(grouped_count(&users, posts))
            }
            Input::Insert(rows) => {
                let c = self.pool.get().await?;
                let sql = if rows.len() == 1 {
                    sql::INSERT_ONE
                } else {
                    sql::INSERT_MANY
                };
                let st = c.prepare_cached(sql).await?;
                insert(&c, &st, &st, rows).await
            }
            Input::Upsert(rows) => {
                let c = self.pool.get().await?;
                let sql = if rows.len() == 1 {
                    sql::UPSERT_ONE
                } else {
                    sql::UPSERT_MANY
                };
                let st = c.prepare_cached(sql).await?;
                upsert(&c, &st, &st, rows).await
            }
            Input::SoftDelete(ids) => {
                let c = self.pool.get().await?;
                let st = c.prepare_cached(sql::SOFT_DELETE).await?;
                soft_delete(&c, &st, &ids).await
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
            Input::Pipeline([a, b, d, e, f, g, h, i]) => {
                let obj = self.pool.get().await?;
                let c: &deadpool_postgres::ClientWrapper = &obj;
                let cached = |id| async move {
                    let st = c.prepare_cached(sql::FIND).await?;
                    find(c, &st, id).await
                };
                let r = tokio::join!(
                    cached(a),
                    cached(b),
                    cached(d),
                    cached(e),
                    cached(f),
                    cached(g),
                    cached(h),
                    cached(i)
                );
                count8(r)
            }
        }
    }
}

async fn pooled_find(pool: &Pool, id: Uuid) -> BoxResult<bool> {
    let c = pool.get().await?;
    let st = c.prepare_cached(sql::FIND).await?;
    find(&c, &st, id).await
}
