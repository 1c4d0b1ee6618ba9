//! Read replicas: routing reads, read-your-writes by WAL position, and replica health.
//!
//! A [`Db`] with replicas ([`Config::replica`]) holds one pool per replica beside its own.
//! Reads that lock nothing arrive through [`Executor::__read`](crate::Executor) and go to a
//! healthy replica, in turn; everything else stays on the primary.
//!
//! - **Read-your-writes** ([`ReadConsistency::ReadYourWrites`]): after every write on the
//!   primary through the handle, `pg_current_wal_lsn()` is read on the same connection and
//!   kept as the handle's floor. A read then needs a replica whose replayed position
//!   (`pg_last_wal_replay_lsn()`) has reached the floor: the last known position is used when
//!   it suffices, else the replica is asked again until [`Config::replica_wait`] has passed,
//!   after which the read goes to the primary.
//! - **Health**: a task probes every replica every [`PROBE_EVERY`] (bounded by the create
//!   timeout): unreachable, promoted (`pg_is_in_recovery()` false) or lagging beyond
//!   [`Config::max_replica_lag`] takes it out of rotation; a good probe puts it back. A read
//!   that fails on a replica because the connection broke takes it out at once and is retried
//!   on the next server; so is a read cancelled by a recovery conflict.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use postgres_types::PgLsn;
use tokio_postgres::Row;

use crate::db::{Db, Shared, Sink};
use crate::executor::Params;
use crate::{Config, Error, ErrorKind, ReadConsistency, Result};

/// How often the health task probes each replica.
pub(crate) const PROBE_EVERY: Duration = Duration::from_millis(200);

/// How often a read waiting for a replica to replay its floor asks again.
const REPLAY_POLL: Duration = Duration::from_millis(2);

/// A position in the primary's write-ahead log, as a handle's read-your-writes floor: pass it
/// between requests (its text form is PostgreSQL's, e.g. `0/16B3748`) so that a later request,
/// on any process, reads what an earlier one wrote ([`Db::write_token`], [`Db::observe`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct WriteToken(u64);

impl fmt::Display for WriteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:X}/{:X}", self.0 >> 32, self.0 & 0xFFFF_FFFF)
    }
}

impl FromStr for WriteToken {
    type Err = Error;

    fn from_str(text: &str) -> Result<WriteToken> {
        let invalid = || {
            Error::new(
                ErrorKind::Validation,
                format!("`{text}` is not a WAL position such as 0/16B3748"),
            )
        };
        let (high, low) = text.split_once('/').ok_or_else(invalid)?;
        let high = u64::from_str_radix(high, 16).map_err(|_| invalid())?;
        let low = u64::from_str_radix(low, 16).map_err(|_| invalid())?;
        if high > u64::from(u32::MAX) || low > u64::from(u32::MAX) {
            return Err(invalid());
        }
        Ok(WriteToken((high << 32) | low))
    }
}

/// What [`Db::replica_status`] reports of one replica.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplicaStatus {
    /// `host:port/dbname` of the replica.
    pub server: String,
    /// Whether reads go to it now.
    pub healthy: bool,
    /// Why it is out of rotation, when it is.
    pub reason: Option<String>,
    /// The replay lag of the last probe, when it answered.
    pub lag: Option<Duration>,
    /// Its pool's figures; `statements_executed` counts the reads it served.
    pub pool: crate::PoolStatus,
}

/// One replica: its pool and what the probes and reads learnt of it.
pub(crate) struct Replica {
    db: Db,
    healthy: AtomicBool,
    /// The last replayed WAL position seen.
    replayed: AtomicU64,
    /// Lag of the last probe in microseconds (`u64::MAX`: unknown).
    lag_us: AtomicU64,
    reason: std::sync::Mutex<Option<String>>,
    /// WAL positions the probes saw received but not yet replayed, with when they saw them.
    behind: std::sync::Mutex<VecDeque<(Instant, u64)>>,
}

impl Replica {
    fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    fn set_down(&self, reason: String) {
        self.healthy.store(false, Ordering::Release);
        if let Ok(mut slot) = self.reason.lock() {
            *slot = Some(reason);
        }
    }

    fn set_up(&self) {
        self.healthy.store(true, Ordering::Release);
        if let Ok(mut slot) = self.reason.lock() {
            *slot = None;
        }
    }

    fn note_replayed(&self, lsn: u64) {
        self.replayed.fetch_max(lsn, Ordering::AcqRel);
    }

    /// Asks the replica how far it has replayed (not counted as a statement of the pool).
    async fn replay_position(&self) -> Result<u64> {
        let obj = self.db.checkout().await?;
        let lsn = simple_lsn(&obj, "SELECT pg_last_wal_replay_lsn()")
            .await
            .unwrap_or(0);
        self.note_replayed(lsn);
        Ok(lsn)
    }

    /// Whether the replica has replayed `floor`, asking it again until `deadline`.
    async fn reaches(&self, floor: u64, deadline: Instant) -> bool {
        loop {
            if self.replayed.load(Ordering::Acquire) >= floor {
                return true;
            }
            match self.replay_position().await {
                Ok(lsn) if lsn >= floor => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
            if Instant::now() + REPLAY_POLL > deadline {
                return false;
            }
            tokio::time::sleep(REPLAY_POLL).await;
        }
    }

    /// One health probe: reachable, still a standby, and within the lag bound.
    ///
    /// The lag is measured against the probes' own clock, not the server's replay timestamp
    /// (unknown until a standby has replayed a transaction since it started): it is the time
    /// since the probe that first saw WAL the replica has received and still not replayed.
    async fn probe(&self, config: &Config) {
        const SQL: &str = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn(), \
                           pg_last_wal_receive_lsn()";
        let asked = async {
            let obj = self.db.checkout().await?;
            obj.query_one(SQL, &[]).await.map_err(Error::from_pg)
        };
        let row = match tokio::time::timeout(config.get_create_timeout(), asked).await {
            Ok(Ok(row)) => row,
            Ok(Err(err)) => return self.set_down(format!("unreachable: {err}")),
            Err(_) => return self.set_down("unreachable: the probe timed out".to_owned()),
        };
        let read = |row: &Row| -> std::result::Result<(bool, u64, u64), tokio_postgres::Error> {
            let replayed: Option<PgLsn> = row.try_get(1)?;
            let received: Option<PgLsn> = row.try_get(2)?;
            Ok((
                row.try_get(0)?,
                replayed.map_or(0, u64::from),
                received.map_or(0, u64::from),
            ))
        };
        let Ok((in_recovery, replayed, received)) = read(&row) else {
            return self.set_down("the probe's answer could not be read".to_owned());
        };
        self.note_replayed(replayed);
        let now = Instant::now();
        let lag = match self.behind.lock() {
            Ok(mut behind) => {
                if received > behind.back().map_or(replayed, |&(_, lsn)| lsn) {
                    behind.push_back((now, received));
                }
                while behind.front().is_some_and(|&(_, lsn)| lsn <= replayed) {
                    behind.pop_front();
                }
                behind
                    .front()
                    .map_or(Duration::ZERO, |&(seen, _)| now - seen)
            }
            Err(_) => Duration::ZERO,
        };
        self.lag_us.store(
            u64::try_from(lag.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        if !in_recovery {
            self.set_down("promoted: it is no standby any more".to_owned());
        } else if lag > config.get_max_replica_lag() {
            self.set_down(format!(
                "lagging: {lag:?} behind, more than the {:?} allowed",
                config.get_max_replica_lag()
            ));
        } else {
            self.set_up();
        }
    }

    fn status(&self) -> ReplicaStatus {
        let lag = self.lag_us.load(Ordering::Relaxed);
        ReplicaStatus {
            server: self.db.config().target(),
            healthy: self.healthy(),
            reason: self.reason.lock().ok().and_then(|slot| slot.clone()),
            lag: (lag != u64::MAX).then(|| Duration::from_micros(lag)),
            pool: self.db.status(),
        }
    }
}

/// The replicas of a [`Db`] and its read-your-writes floor.
pub(crate) struct Replicas {
    list: Vec<Replica>,
    next: AtomicUsize,
    /// The WAL position of the handle's last write (0: none yet).
    floor: AtomicU64,
}

impl Replicas {
    /// Builds a pool per replica; none is connected yet (the first probe does that), so a
    /// replica that is down at start-up does not stop the primary's pool from starting.
    pub(crate) fn open(config: &Config) -> Result<Option<Replicas>> {
        let configs = config.replica_configs();
        if configs.is_empty() {
            return Ok(None);
        }
        let mut list = Vec::with_capacity(configs.len());
        for config in configs {
            list.push(Replica {
                db: Db::open_lazy(config)?,
                healthy: AtomicBool::new(false),
                replayed: AtomicU64::new(0),
                lag_us: AtomicU64::new(u64::MAX),
                reason: std::sync::Mutex::new(Some("not probed yet".to_owned())),
                behind: std::sync::Mutex::new(VecDeque::new()),
            });
        }
        Ok(Some(Replicas {
            list,
            next: AtomicUsize::new(0),
            floor: AtomicU64::new(0),
        }))
    }

    /// Probes every replica once.
    pub(crate) async fn probe_all(&self, config: &Config) {
        for replica in &self.list {
            replica.probe(config).await;
        }
    }

    pub(crate) fn status(&self) -> Vec<ReplicaStatus> {
        self.list.iter().map(Replica::status).collect()
    }

    pub(crate) fn floor(&self) -> WriteToken {
        WriteToken(self.floor.load(Ordering::Acquire))
    }

    pub(crate) fn observe(&self, token: WriteToken) {
        self.floor.fetch_max(token.0, Ordering::AcqRel);
    }

    /// Runs a read on a replica that may serve it; `None` when none could (the caller then
    /// runs it on the primary).
    pub(crate) async fn read(
        &self,
        config: &Config,
        sql: &str,
        params: &Params<'_>,
        sink: &mut Sink<'_>,
    ) -> Option<Result<u64>> {
        let floor = match config.get_read_consistency() {
            ReadConsistency::ReadYourWrites => self.floor.load(Ordering::Acquire),
            ReadConsistency::Eventual => 0,
        };
        let deadline = Instant::now() + config.get_replica_wait();
        let n = self.list.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            let replica = &self.list[(start + i) % n];
            if !replica.healthy() || (floor > 0 && !replica.reaches(floor, deadline).await) {
                continue;
            }
            let mut delivered = 0u64;
            let mut counting = |row: &Row| {
                delivered += 1;
                sink(row)
            };
            let served =
                crate::executor::Sealed::__each(&replica.db, sql, params, &mut counting).await;
            match served {
                Ok(count) => return Some(Ok(count)),
                // Rows already handed over cannot be taken back: the read fails as it would on
                // the primary.
                Err(err) if delivered > 0 => return Some(Err(err)),
                Err(err)
                    if matches!(err.kind(), ErrorKind::Connection | ErrorKind::PoolTimeout) =>
                {
                    if err.kind() == ErrorKind::Connection {
                        replica.set_down(format!("unreachable: {err}"));
                    }
                }
                // A recovery conflict cancels a standby's query with 40001 (or 40P01): the
                // read is fine on another server.
                Err(err) if err.is_retryable() => {}
                Err(err) => return Some(Err(err)),
            }
        }
        None
    }
}

/// Records the primary's WAL position after a write on `client`, when read-your-writes needs
/// it. A failure to read it is ignored: the write itself succeeded, and the next write records
/// a later position.
pub(crate) async fn note_write(client: &tokio_postgres::Client, shared: &Shared) {
    let Some(replicas) = &shared.replicas else {
        return;
    };
    if shared.config.get_read_consistency() != ReadConsistency::ReadYourWrites {
        return;
    }
    if let Some(lsn) = simple_lsn(client, "SELECT pg_current_wal_lsn()").await {
        replicas.floor.fetch_max(lsn, Ordering::AcqRel);
    }
}

/// Runs a one-value query returning a WAL position in one round trip (the simple protocol);
/// `None` when it fails or returns NULL.
async fn simple_lsn(client: &tokio_postgres::Client, sql: &str) -> Option<u64> {
    let messages = client.simple_query(sql).await.ok()?;
    messages.iter().find_map(|message| match message {
        tokio_postgres::SimpleQueryMessage::Row(row) => row
            .get(0)
            .and_then(|text| text.parse::<WriteToken>().ok())
            .map(|t| t.0),
        _ => None,
    })
}

/// Starts the health task of `shared`'s replicas: a first probe right away, then one every
/// [`PROBE_EVERY`], until the `Db` is dropped.
pub(crate) fn spawn_health(shared: &Arc<Shared>) {
    if shared.replicas.is_none() {
        return;
    }
    let weak: Weak<Shared> = Arc::downgrade(shared);
    tokio::spawn(async move {
        loop {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            if let Some(replicas) = &shared.replicas {
                replicas.probe_all(&shared.config).await;
            }
            drop(shared);
            tokio::time::sleep(PROBE_EVERY).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_tokens_read_and_print_as_postgres_does() -> Result<()> {
        let token: WriteToken = "16/B374D848".parse()?;
        assert_eq!(token.0, (0x16 << 32) | 0xB374_D848);
        assert_eq!(token.to_string(), "16/B374D848");
        for bad in ["", "16", "x/1", "1/100000000", "1/2/3"] {
            let err = bad.parse::<WriteToken>().err().map(|e| e.kind());
            assert_eq!(err, Some(ErrorKind::Validation), "{bad}");
        }
        Ok(())
    }
}
