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

use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use tokio::sync::Notify;

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
    slot: Arc<Slot>,
}

/// Where the shares of a lease find their connection.
#[derive(Default)]
struct Slot {
    /// The connection, once checked out.
    conn: OnceLock<Object>,
    /// A share is checking the connection out.
    busy: AtomicBool,
    /// Wakes the shares waiting for that checkout when it ends, done or not.
    ended: Notify,
}

/// The connections lent to tasks right now, and the slots of earlier leases, kept for the next
/// ones (a statement on a `Db` then allocates nothing for its lease).
#[derive(Default)]
pub(crate) struct Leases {
    lent: Mutex<Lists>,
}

#[derive(Default)]
struct Lists {
    lent: Vec<Lent>,
    spare: Vec<Arc<Slot>>,
}

/// The most slots kept for reuse: as many as tasks that had a lease at the same time, up to this.
const SPARE_SLOTS: usize = 64;

impl Leases {
    fn lock(&self) -> MutexGuard<'_, Lists> {
        // Nothing panics while holding the lock; poisoned lists are still consistent.
        self.lent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins the connection the current task has out of `shared`'s pool, or starts a lease of
    /// its own.
    pub(crate) fn join(shared: &Shared) -> Lease<'_> {
        let owner = Owner::current();
        let mut lists = shared.leases.lock();
        let slot = match lists.lent.iter_mut().find(|l| l.owner == owner) {
            Some(l) => {
                l.users += 1;
                Arc::clone(&l.slot)
            }
            None => {
                let slot = lists.spare.pop().unwrap_or_default();
                lists.lent.push(Lent {
                    owner,
                    users: 1,
                    slot: Arc::clone(&slot),
                });
                slot
            }
        };
        Lease {
            shared,
            slot: Some(slot),
        }
    }
}

/// One statement's share of a lent connection; the last share to go returns the connection to
/// the pool.
pub(crate) struct Lease<'a> {
    shared: &'a Shared,
    slot: Option<Arc<Slot>>,
}

/// Ends a share's checkout, done or not (also when its statement is dropped mid-way), and wakes
/// the shares waiting for it: one of them tries next if there is no connection.
struct Checkout<'a>(&'a Slot);

impl Drop for Checkout<'_> {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::Release);
        self.0.ended.notify_waiters();
    }
}

impl Lease<'_> {
    /// The lent connection: checked out with `checkout` by the first statement that gets here
    /// (the others wait for it; when that checkout fails or is cancelled, the next one tries).
    pub(crate) async fn conn<F>(&self, checkout: impl FnOnce() -> F) -> Result<&Object>
    where
        F: Future<Output = Result<Object>>,
    {
        let Some(slot) = &self.slot else {
            return Err(crate::Error::new(
                crate::ErrorKind::Connection,
                "the connection was already returned",
            ));
        };
        let mut checkout = Some(checkout);
        loop {
            if let Some(conn) = slot.conn.get() {
                return Ok(conn);
            }
            let claimed = slot
                .busy
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Acquire)
                .is_ok();
            if claimed {
                let ending = Checkout(slot);
                let Some(checkout) = checkout.take() else {
                    // This share's checkout ran already and failed, which returned its error:
                    // it never comes back here. Should it, it does not try twice.
                    drop(ending);
                    return Err(crate::Error::new(
                        crate::ErrorKind::Connection,
                        "no connection could be checked out for this task",
                    ));
                };
                let obj = checkout().await?;
                // Only the share holding `busy` sets the connection, so this is the first.
                let conn = slot.conn.get_or_init(|| obj);
                drop(ending);
                return Ok(conn);
            }
            // Another share is checking out: wait until it ends. Registered before the second
            // look, so an end between the two is not missed.
            let mut ended = pin!(slot.ended.notified());
            ended.as_mut().enable();
            if slot.conn.get().is_none() && slot.busy.load(Ordering::Acquire) {
                ended.await;
            }
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let obj = {
            let mut lists = self.shared.leases.lock();
            let Some(at) = lists.lent.iter().position(|l| Arc::ptr_eq(&l.slot, &slot)) else {
                return;
            };
            lists.lent[at].users -= 1;
            if lists.lent[at].users > 0 {
                return;
            }
            drop(lists.lent.swap_remove(at));
            // The list no longer holds it and no other share is left: this is the only handle.
            let mut slot = slot;
            let Some(emptied) = Arc::get_mut(&mut slot) else {
                return;
            };
            let obj = emptied.conn.take();
            if lists.spare.len() < SPARE_SLOTS {
                lists.spare.push(slot);
            }
            obj
        };
        if let Some(obj) = obj {
            release(obj, None, self.shared);
        }
    }
}
