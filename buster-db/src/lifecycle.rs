//! Pool lifecycle: connections kept open at least, retired by age, closed when idle too long.
//!
//! deadpool opens connections on demand and keeps them until they fail. On top of that:
//!
//! - [`fill`] opens connections up to [`Config::min_idle`], at start-up and after the server
//!   ended some (a restart, `pg_terminate_backend`, an idle timeout of its own);
//! - a connection older than [`Config::max_lifetime`] is never handed out again (the recycle
//!   hook refuses it), is closed when returned by a statement or a transaction, and otherwise
//!   at the next maintenance pass; one that is checked out is never touched, so no statement is
//!   cut off;
//! - a maintenance task ([`spawn`]) closes dead, expired and (above the minimum) long-idle
//!   connections sitting in the pool, then fills it again. It holds the pool weakly and ends
//!   when the pool is closed or dropped.

use std::time::Duration;

use deadpool_postgres::{Metrics, Timeouts};

use crate::connect::{Object, Pool, PoolError};

use crate::Config;

/// The longest pause between two maintenance passes.
const MAX_TICK: Duration = Duration::from_secs(1);

/// Whether a connection is past the configured lifetime.
pub(crate) fn expired(metrics: &Metrics, config: &Config) -> bool {
    config
        .get_max_lifetime()
        .is_some_and(|lifetime| metrics.age() >= lifetime)
}

/// Returns a connection to the pool, or closes it when it is past its lifetime.
pub(crate) fn give_back(obj: Object, config: &Config) {
    if expired(Object::metrics(&obj), config) {
        drop(Object::take(obj));
    }
}

/// Opens connections until the pool holds [`Config::min_idle`] of them (capped at the pool
/// size), by checking out the idle ones and as many new ones as are missing, then returning
/// them all. A checkout that would have to wait ends the pass: the pool is busy anyway.
pub(crate) async fn fill(pool: &Pool, config: &Config) -> Result<(), PoolError> {
    let want = config.get_min_idle().min(config.get_pool_size());
    let status = pool.status();
    if status.size >= want {
        return Ok(());
    }
    let take = status.available + (want - status.size);
    let now = Timeouts {
        wait: Some(Duration::ZERO),
        create: Some(config.get_create_timeout()),
        recycle: None,
    };
    let mut held = Vec::with_capacity(take);
    for _ in 0..take {
        match pool.timeout_get(&now).await {
            Ok(obj) => held.push(obj),
            Err(PoolError::Timeout(_)) => break,
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Closes the idle connections that are dead, expired or (above the minimum) idle for longer
/// than [`Config::idle_timeout`]. Only connections sitting in the pool are looked at.
fn prune(pool: &Pool, config: &Config) {
    let mut closable = pool.status().size.saturating_sub(config.get_min_idle());
    let removed = pool.retain(|client, metrics| {
        if client.is_closed() || expired(&metrics, config) {
            closable = closable.saturating_sub(1);
            return false;
        }
        let idle_too_long = config
            .get_idle_timeout()
            .is_some_and(|timeout| metrics.last_used() >= timeout);
        if idle_too_long && closable > 0 {
            closable -= 1;
            return false;
        }
        true
    });
    drop(removed);
}

/// The pause between maintenance passes, or `None` when no setting needs them.
fn tick(config: &Config) -> Option<Duration> {
    let timed = [config.get_max_lifetime(), config.get_idle_timeout()];
    if config.get_min_idle() == 0 && timed.iter().all(Option::is_none) {
        return None;
    }
    let tick = timed
        .into_iter()
        .flatten()
        .map(|d| d / 4)
        .fold(MAX_TICK, Duration::min);
    Some(tick.max(Duration::from_millis(20)))
}

/// Starts the maintenance task of `pool`, if its settings need one.
pub(crate) fn spawn(pool: &Pool, config: &Config) {
    let Some(every) = tick(config) else {
        return;
    };
    let weak = pool.weak();
    let config = config.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let Some(pool) = weak.upgrade() else {
                break;
            };
            if pool.is_closed() {
                break;
            }
            prune(&pool, &config);
            if let Err(err) = fill(&pool, &config).await {
                tracing::debug!(error = %crate::config::redact(&err.to_string()), "cannot refill the pool");
            }
        }
    });
}
