//! Opening connections: the one place every connection of the engine (the pool's, a migration
//! or template session's) is opened, with the TLS connector and the password provider.

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use deadpool_postgres::ClientWrapper;
use tokio::task::JoinHandle;
use tokio_postgres::Client;

use crate::config::redact;
use crate::db::{Shared, connect_error};
use crate::prepared::Prepared;
use crate::{Config, Error, ErrorKind, Result};

/// The error a password provider may return.
pub(crate) type ProviderError = Box<dyn std::error::Error + Send + Sync>;

type PasswordFuture =
    Pin<Box<dyn Future<Output = std::result::Result<String, ProviderError>> + Send>>;

/// Where the password of each new connection comes from ([`Config::password_provider`]).
#[derive(Clone)]
pub(crate) struct PasswordProvider(Arc<dyn Fn() -> PasswordFuture + Send + Sync>);

impl PasswordProvider {
    pub(crate) fn new<F, Fut, E>(provider: F) -> PasswordProvider
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<String, E>> + Send + 'static,
        E: Into<ProviderError>,
    {
        PasswordProvider(Arc::new(move || {
            let password = provider();
            Box::pin(async move { password.await.map_err(Into::into) })
        }))
    }

    /// Asks for a password, within three quarters of the create timeout: a provider that hangs
    /// (an unreachable token service) fails the connection attempt like an unreachable server
    /// does, and always before the pool's own bound on the whole attempt (the create timeout),
    /// so the error names the provider rather than a bare timeout.
    async fn password(&self, config: &Config) -> Result<String> {
        let timeout = config.get_create_timeout() * 3 / 4;
        match tokio::time::timeout(timeout, (self.0)()).await {
            Ok(Ok(password)) => Ok(password),
            Ok(Err(err)) => Err(Error::new(
                ErrorKind::Connection,
                format!(
                    "could not connect to {}: the password provider failed: {}",
                    config.target(),
                    redact(&err.to_string())
                ),
            )),
            Err(_) => Err(Error::new(
                ErrorKind::Connection,
                format!(
                    "could not connect to {}: the password provider gave no password within \
                     {timeout:?}",
                    config.target()
                ),
            )),
        }
    }
}

impl fmt::Debug for PasswordProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordProvider")
    }
}

/// Opens connections for one [`Config`]: the driver configuration and TLS connector are made
/// once, the password (when a provider gives it) is asked for every connection.
pub(crate) struct Connector {
    pg: tokio_postgres::Config,
    tls: crate::tls::Connector,
    config: Config,
    /// In pooler mode, the pool whose type cache a new connection warms before use.
    warm: Option<Weak<Shared>>,
}

impl Connector {
    /// # Errors
    ///
    /// What [`crate::tls::prepare`] refuses: a mode the build cannot honour, unreadable
    /// certificate or key files.
    pub(crate) fn new(config: &Config) -> Result<Connector> {
        let (pg, tls) = crate::tls::prepare(config)?;
        Ok(Connector {
            pg,
            tls,
            config: config.clone(),
            warm: None,
        })
    }

    /// Makes every new connection warm `shared`'s type cache before it is handed out (pooler
    /// mode: [`crate::pooler::Types::warm`]).
    pub(crate) fn warming(mut self, shared: Weak<Shared>) -> Connector {
        self.warm = Some(shared);
        self
    }

    /// Opens one connection and spawns the task that drives it.
    pub(crate) async fn open(&self) -> Result<(Client, JoinHandle<()>)> {
        let provided;
        let pg = match self.config.get_password_provider() {
            Some(provider) => {
                let mut pg = self.pg.clone();
                pg.password(provider.password(&self.config).await?);
                provided = pg;
                &provided
            }
            None => &self.pg,
        };
        let (client, connection) = pg
            .connect(self.tls.clone())
            .await
            .map_err(|err| connect_error(err, &self.config))?;
        let driver = tokio::spawn(async move {
            // A failure here surfaces as a closed-connection error on the client.
            let _ = connection.await;
        });
        Ok((client, driver))
    }
}

/// A connection of the pool: the driver's client and the statements prepared on it, boxed so
/// that the pool moves a pointer, not the client, on every checkout and return.
pub(crate) struct Session {
    parts: Box<(ClientWrapper, Prepared)>,
    /// When [`crate::Db`] last checked this connection out (or it was opened): how long it
    /// sat unused, for the ping of a long-idle connection.
    last_checkout: Instant,
}

impl Session {
    fn new(client: ClientWrapper) -> Session {
        Session {
            parts: Box::new((client, Prepared::default())),
            last_checkout: Instant::now(),
        }
    }

    /// The statements prepared on this connection.
    pub(crate) fn prepared(&self) -> &Prepared {
        &self.parts.1
    }

    /// The client, to open a transaction on, and the statements prepared on it.
    pub(crate) fn split(&mut self) -> (&mut ClientWrapper, &Prepared) {
        let (client, prepared) = &mut *self.parts;
        (client, prepared)
    }

    /// How long since the last checkout; marks this one.
    pub(crate) fn idle_since_last_checkout(&mut self) -> Duration {
        let now = Instant::now();
        let idle = now.saturating_duration_since(self.last_checkout);
        self.last_checkout = now;
        idle
    }
}

impl Deref for Session {
    type Target = ClientWrapper;
    fn deref(&self) -> &ClientWrapper {
        &self.parts.0
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut ClientWrapper {
        &mut self.parts.0
    }
}

impl managed::Manager for Connector {
    type Type = Session;
    type Error = Error;

    async fn create(&self) -> Result<Session> {
        // Opening a connection (TCP, the TLS handshake, authentication, the warm-up) is a
        // future of some ten kilobytes. The pool's checkout future holds it inline, and every
        // statement on a `Db` moves its checkout future: boxed, it is allocated only when a
        // connection is opened.
        Box::pin(self.create_session()).await
    }

    /// Refuses a connection whose socket the driver has seen close; no I/O here (the checkout
    /// ping of a long-idle connection is `Db::checkout`'s).
    async fn recycle(&self, client: &mut Session, _: &Metrics) -> RecycleResult<Error> {
        if client.is_closed() {
            return Err(RecycleError::message("the connection is closed"));
        }
        Ok(())
    }
}

impl Connector {
    /// Opens a connection and, in pooler mode, warms the type cache on it. A warm-up that
    /// fails without an answer from the server (the session behind the pooler broke off, a
    /// message out of turn) is tried once more on a fresh connection.
    async fn create_session(&self) -> Result<Session> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (client, driver) = self.open().await?;
            let Some(shared) = self.warm.as_ref().and_then(Weak::upgrade) else {
                return Ok(Session::new(ClientWrapper::new(client, driver)));
            };
            match shared.types.warm(&client).await {
                Ok(()) => return Ok(Session::new(ClientWrapper::new(client, driver))),
                Err(err) if attempts < 2 && err.as_db_error().is_none() => {
                    tracing::debug!(error = %err, "warming a new connection failed; retrying");
                }
                Err(err) => {
                    return Err(Error::new(
                        ErrorKind::Connection,
                        format!(
                            "a new connection failed its setup: {}",
                            redact(&err.to_string())
                        ),
                    )
                    .with_source(err));
                }
            }
        }
    }
}

/// The pool of the engine's connections.
pub(crate) type Pool = managed::Pool<Connector>;
/// A connection checked out of the [`Pool`].
pub(crate) type Object = managed::Object<Connector>;
/// Why a checkout failed.
pub(crate) type PoolError = managed::PoolError<Error>;
/// A hook of the pool's builder.
pub(crate) type Hook = managed::Hook<Connector>;
/// What a hook may fail with.
pub(crate) type HookError = managed::HookError<Error>;
