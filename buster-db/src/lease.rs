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

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;

use crate::Result;
use crate::connect::Object;
use crate::db::{Shared, release};

/// Who a connection is lent to: a task, or outside any task (the future given to `block_on`)
/// the thread running it.
#[derive(Clone, Copy, PartialEq, Eq)]
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
    owner: Owner,
    users: usize,
    conn: Arc<OnceCell<Object>>,
}

/// The connections lent to tasks right now.
#[derive(Default)]
pub(crate) struct Leases {
    lent: Mutex<Vec<Lent>>,
}

impl Leases {
    fn lock(&self) -> MutexGuard<'_, Vec<Lent>> {
        // Nothing panics while holding the lock; a poisoned list is still consistent.
        self.lent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins the connection the current task has out of `shared`'s pool, or starts a lease of
    /// its own.
    pub(crate) fn join(shared: &Shared) -> Lease<'_> {
        let owner = Owner::current();
        let mut lent = shared.leases.lock();
        let conn = match lent.iter_mut().find(|l| l.owner == owner) {
            Some(l) => {
                l.users += 1;
                Arc::clone(&l.conn)
            }
            None => {
                let conn = Arc::new(OnceCell::new());
                lent.push(Lent {
                    owner,
                    users: 1,
                    conn: Arc::clone(&conn),
                });
                conn
            }
        };
        Lease {
            shared,
            conn: Some(conn),
        }
    }
}

/// One statement's share of a lent connection; the last share to go returns the connection to
/// the pool.
pub(crate) struct Lease<'a> {
    shared: &'a Shared,
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
        let Some(conn) = self.conn.take() else {
            return;
        };
        let last = {
            let mut lent = self.shared.leases.lock();
            match lent.iter().position(|l| Arc::ptr_eq(&l.conn, &conn)) {
                Some(at) => {
                    lent[at].users -= 1;
                    if lent[at].users == 0 {
                        drop(lent.swap_remove(at));
                        true
                    } else {
                        false
                    }
                }
                None => false,
            }
        };
        if !last {
            return;
        }
        // The list no longer holds it and no other share is left: this is the only handle.
        if let Some(obj) = Arc::into_inner(conn).and_then(OnceCell::into_inner) {
            release(obj, None, self.shared);
        }
    }
}
