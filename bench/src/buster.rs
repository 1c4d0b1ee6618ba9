//! buster-db, used as its documentation shows: queries run on a `&Db` (a pooled connection per
//! statement), and the same queries on one checked-out `Conn` to separate the checkout cost.

use std::hint::black_box;
use std::sync::Arc;

use buster_db::prelude::*;
use buster_db::{Conn, Uuid};

use crate::floor::{count8, join_all};
use crate::model::{BenchPost, BenchUser, Input, NewBenchUser};
use crate::{BoxError, BoxResult};

async fn find<E: Executor + ?Sized>(exec: &E, id: Uuid) -> BoxResult<bool> {
    let found = BenchUser::find(id).optional(exec).await?;
    Ok(black_box(found).is_some())
}

/// Runs every workload but the pool and pipeline ones on `exec`.
async fn run_on<E: Executor + ?Sized>(exec: &E, input: Input) -> BoxResult<usize> {
    match input {
        Input::Find(ids) => {
            let mut n = 0;
            for id in ids {
                n += usize::from(find(exec, id).await?);
            }
            Ok(n)
        }
        Input::List(n) => {
            let rows = BenchUser::select().limit(n).all(exec).await?;
            Ok(black_box(rows).len())
        }
        Input::Join(n) => {
            let rows = BenchUser::select()
                .inner_join(BenchPost::table(), BenchPost::user_id.eq_col(BenchUser::id))
                .limit(n)
                .all(exec)
                .await?;
            Ok(black_box(rows).len())
        }
        Input::Relation(n) => {
            let users = BenchUser::select()
                .order_by(BenchUser::id.asc())
                .limit(n)
                .all(exec)
                .await?;
            let posts = BenchUser::posts().load(&users, exec).await?;
            Ok(black_box(posts).iter().map(Vec::len).sum())
        }
        Input::Insert(rows) => {
            let new = rows.into_iter().map(|r| NewBenchUser {
                id: None,
                email: r.email,
                name: r.name,
            });
            let out = if new.len() == 1 {
                let mut new = new;
                match new.next() {
                    Some(row) => vec![BenchUser::insert(row).one(exec).await?],
                    None => Vec::new(),
                }
            } else {
                BenchUser::insert_many(new).all(exec).await?
            };
            Ok(black_box(out).len())
        }
        Input::Upsert(rows) => {
            let mut new = rows.into_iter().map(|r| NewBenchUser {
                id: Some(r.id),
                email: r.email,
                name: r.name,
            });
            let out = if new.len() == 1 {
                match new.next() {
                    Some(row) => {
                        BenchUser::upsert(row)
                            .on_conflict(BenchUser::id)
                            .update((BenchUser::email, BenchUser::name))
                            .all(exec)
                            .await?
                    }
                    None => Vec::new(),
                }
            } else {
                BenchUser::upsert_many(new)
                    .on_conflict(BenchUser::id)
                    .update((BenchUser::email, BenchUser::name))
                    .all(exec)
                    .await?
            };
            Ok(black_box(out).len())
        }
        Input::SoftDelete(ids) => {
            let n = BenchUser::soft_delete_where(BenchUser::id.is_in(ids))
                .execute(exec)
                .await?;
            Ok(usize::try_from(n)?)
        }
        Input::Pool { .. } | Input::Pipeline(_) => {
            Err("the pool and pipeline workloads are run by their callers".into())
        }
    }
}

async fn pipeline<E: Executor + ?Sized>(exec: &E, ids: [Uuid; 8]) -> BoxResult<usize> {
    let [a, b, c, d, e, f, g, h] = ids;
    let r = tokio::join!(
        find(exec, a),
        find(exec, b),
        find(exec, c),
        find(exec, d),
        find(exec, e),
        find(exec, f),
        find(exec, g),
        find(exec, h)
    );
    count8(r)
}

/// Queries on a `&Db`: each statement checks a connection out of the pool.
pub(crate) struct Buster {
    pub(crate) db: Db,
}

impl Buster {
    pub(crate) async fn run(&self, input: Input) -> BoxResult<usize> {
        match input {
            Input::Pool { ids, tasks } => {
                let per = ids.len() / tasks;
                let mut handles = Vec::with_capacity(tasks);
                for t in 0..tasks {
                    let ids = Arc::clone(&ids);
                    let db = self.db.clone();
                    handles.push(tokio::spawn(async move {
                        let mut n = 0;
                        for &id in &ids[t * per..(t + 1) * per] {
                            n += usize::from(find(&db, id).await?);
                        }
                        Ok::<usize, BoxError>(n)
                    }));
                }
                join_all(handles).await
            }
            // Joined in one task, the eight finds share one pooled connection.
            Input::Pipeline(ids) => pipeline(&self.db, ids).await,
            other => run_on(&self.db, other).await,
        }
    }
}

/// The same queries on one `Conn` checked out up front (no pool checkout per statement).
pub(crate) struct BusterConn {
    pub(crate) conn: Conn,
}

impl BusterConn {
    pub(crate) async fn run(&self, input: Input) -> BoxResult<usize> {
        match input {
            Input::Pipeline(ids) => pipeline(&self.conn, ids).await,
            other => run_on(&self.conn, other).await,
        }
    }
}
