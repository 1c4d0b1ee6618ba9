//! Pipelining on the pool: the statements one task runs concurrently on a [`Db`](crate::Db)
//! share one connection.
//!
//! `tokio::try_join!(a.one(&db), b.one(&db), c.one(&db))` would otherwise check three
//! connections out of the pool (and open new ones when fewer are idle), although the driver
//! pipelines the requests sent concurrently on one connection: they go out one after the other
//! without waiting for each other's answers. So the first statement of a task checks a
//! connection out and lends it to the statements of the same task that start while it is out;
//! the last of them to finish returns it. Statements run one after the other each check a
//! connection out as before.
//!
//! Never lent: streams and `COPY` (they hold their connection until they end), transactions and
//! [`Conn`](crate::Conn)s (they have their own), and statements in pooler mode (a pooler may send
//! each statement outside a transaction to another server session).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;

use crate::Result;
use crate::connect::Object;
use crate::db::{Shared, release};
use crate::prepared::TextHasher;

/// Who a connection is lent to: a task, or outside any task (the future given to `block_on`)
/// the thread running it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Owner {
    Task(tokio::task::Id),
    Thread(std::thread::ThreadId),
}

impl Owner {
    fn current() -> Owner {
        match tokio::task::try_id() {
            Some(id) => Owner::Task(id),
            None => Owner::Thread(std::thread::current().id()),
        }
    }
}

/// The connection a task has out, once checked out, and how many of its statements use it.
struct Lent {
    users: usize,
    conn: Arc<OnceCell<Object>>,
}

/// The connections lent to tasks right now, by task (the ids are the runtime's, hashed with the
/// statement cache's hasher): a pool serving many tasks at once holds one entry for each of
/// them.
#[derive(Default)]
struct Lents {
    by_owner: HashMap<Owner, Lent, BuildHasherDefault<TextHasher>>,
    /// Emptied cells of leases that ended, for the next ones: most statements run one at a
    /// time, and each would otherwise allocate a cell and free it.
    spare: Vec<Arc<OnceCell<Object>>>,
}

/// Cells kept for reuse: as many as tasks that commonly run statements at the same time.
const SPARE_CELLS: usize = 16;

/// The connections lent to tasks right now.
#[derive(Default)]
pub(crate) struct Leases {
    lent: Mutex<Lents>,
}

impl Leases {
    fn lock(&self) -> MutexGuard<'_, Lents> {
        // Nothing panics while holding the lock; a poisoned map is still consistent.
        self.lent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins the connection the current task has out of `shared`'s pool, or starts a lease of
    /// its own.
    pub(crate) fn join(shared: &Shared) -> Lease<'_> {
        let owner = Owner::current();
        let mut lent = shared.leases.lock();
        let Lents { by_owner, spare } = &mut *lent;
        let conn = match by_owner.entry(owner) {
            Entry::Occupied(mut l) => {
                let l = l.get_mut();
                l.users += 1;
                Arc::clone(&l.conn)
            }
            Entry::Vacant(v) => {
                let conn = spare.pop().unwrap_or_default();
                v.insert(Lent {
                    users: 1,
                    conn: Arc::clone(&conn),
                });
                conn
            }
        };
        Lease {
            shared,
            owner,
            conn: Some(conn),
        }
    }
}

/// One statement's share of a lent connection; the last share to go returns the connection to
/// the pool.
pub(crate) struct Lease<'a> {
    shared: &'a Shared,
    owner: Owner,
    conn: Option<Arc<OnceCell<Object>>>,
}

impl Lease<'_> {
    /// The lent connection: checked out with `checkout` by the first statement that gets here
    /// (the others wait for it; when that checkout fails or is cancelled, the next one tries).
    pub(crate) async fn conn<F>(&self, checkout: impl FnOnce() -> F) -> Result<&Object>
    where
        F: Future<Output = Result<Object>>,
    {
        match &self.conn {
            Some(cell) => cell.get_or_try_init(checkout).await,
            None => Err(crate::Error::new(
                crate::ErrorKind::Connection,
                "the connection was already returned",
            )),
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let mut lent = self.shared.leases.lock();
        let last = match lent.by_owner.entry(self.owner) {
            Entry::Occupied(mut l) if Arc::ptr_eq(&l.get().conn, &conn) => {
                let users = &mut l.get_mut().users;
                *users -= 1;
                if *users == 0 {
                    drop(l.remove());
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !last {
            return;
        }
        // The list no longer holds it and no other share is left: this is the only handle.
        let Some(cell) = Arc::get_mut(&mut conn) else {
            return;
        };
        let obj = cell.take();
        if lent.spare.len() < SPARE_CELLS {
            lent.spare.push(conn);
        }
        drop(lent);
        if let Some(obj) = obj {
            release(obj, None, self.shared);
        }
    }
}
