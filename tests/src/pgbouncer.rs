//! A throwaway PgBouncer in front of a server, for the pooler-mode tests.
//!
//! [`PgBouncer::start`] writes its own `pgbouncer.ini` and `userlist.txt` into a fresh temporary
//! folder, listens on a free port on `127.0.0.1` (no Unix socket), trusts every user, forwards
//! every database name to the given server and runs in the foreground as a child process. It is
//! killed and its folder removed when the [`PgBouncer`] is dropped, also while a failing test
//! unwinds. PgBouncer refuses to run as root, so when the tests run as root it runs as the
//! `postgres` OS user.
//!
//! [`PgBouncer::find`] tells whether the binary is installed (`PGBOUNCER` names it, else
//! `pgbouncer` on `PATH` or in `/usr/sbin`); `.ci/run` installs it, so only a developer machine
//! without it skips these tests, with a message saying so.

use std::fs;
use std::io;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::cluster::free_port;

/// How PgBouncer hands server sessions to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    /// A client keeps one server session from connect to disconnect.
    Session,
    /// A client gets a server session for one transaction at a time.
    Transaction,
}

impl PoolMode {
    fn name(self) -> &'static str {
        match self {
            PoolMode::Session => "session",
            PoolMode::Transaction => "transaction",
        }
    }
}

/// A running PgBouncer, stopped when dropped.
pub struct PgBouncer {
    child: Child,
    dir: PathBuf,
    port: u16,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl PgBouncer {
    /// The PgBouncer binary, if one is installed.
    pub fn find() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("PGBOUNCER") {
            // Named but missing counts as not installed.
            return Some(PathBuf::from(path)).filter(|path| path.is_file());
        }
        let on_path = std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
            .unwrap_or_default();
        on_path
            .into_iter()
            .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
            .map(|dir| dir.join("pgbouncer"))
            .find(|path| path.is_file())
    }

    /// Starts PgBouncer in `mode` in front of the server at `127.0.0.1:server_port`, with at
    /// most `server_pool` server sessions per database and user.
    ///
    /// # Errors
    ///
    /// When the binary is missing, the folder cannot be written, or PgBouncer does not accept
    /// connections within 10 s (the error then carries its log).
    pub fn start(mode: PoolMode, server_port: u16, server_pool: usize) -> io::Result<PgBouncer> {
        let bin =
            PgBouncer::find().ok_or_else(|| io::Error::other("pgbouncer is not installed"))?;
        let dir = std::env::temp_dir().join(format!(
            "buster-pgbouncer-{}-{}",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir)?;
        let port = free_port()?;
        let ini = format!(
            "[databases]\n\
             * = host=127.0.0.1 port={server_port}\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {port}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {dir}/userlist.txt\n\
             pool_mode = {mode}\n\
             default_pool_size = {server_pool}\n\
             max_client_conn = 2000\n\
             server_lifetime = 3600\n\
             server_idle_timeout = 600\n\
             logfile = {dir}/pgbouncer.log\n",
            dir = dir.display(),
            mode = mode.name(),
        );
        fs::write(dir.join("pgbouncer.ini"), ini)?;
        fs::write(dir.join("userlist.txt"), "\"postgres\" \"\"\n")?;
        let mut command = Command::new(&bin);
        command
            .arg(dir.join("pgbouncer.ini"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = postgres_user()? {
            chown(&dir, uid, gid)?;
            command.uid(uid).gid(gid);
        }
        let child = command.spawn()?;
        // From here on, dropping `bouncer` kills the process and removes the folder.
        let mut bouncer = PgBouncer { child, dir, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = bouncer.child.try_wait() {
                return Err(io::Error::other(format!(
                    "pgbouncer exited ({status}):\n{}",
                    bouncer.log()
                )));
            }
            if started.elapsed() > Duration::from_secs(10) {
                return Err(io::Error::other(format!(
                    "pgbouncer did not listen within 10 s:\n{}",
                    bouncer.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(bouncer)
    }

    /// [`PgBouncer::start`], or `Ok(None)` after printing that `test` is skipped when the
    /// binary is not installed (and only then).
    ///
    /// # Errors
    ///
    /// As [`PgBouncer::start`].
    pub fn start_or_skip(
        test: &str,
        mode: PoolMode,
        server_port: u16,
        server_pool: usize,
    ) -> io::Result<Option<PgBouncer>> {
        if PgBouncer::find().is_none() {
            eprintln!(
                "SKIPPED {test}: the `pgbouncer` binary is not installed (apt-get install \
                 pgbouncer, or set PGBOUNCER)"
            );
            return Ok(None);
        }
        PgBouncer::start(mode, server_port, server_pool).map(Some)
    }

    /// The port it listens on, at `127.0.0.1`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:<port>/<dbname>` followed by `query` (e.g.
    /// `?pgbouncer=true`, or empty).
    pub fn url(&self, dbname: &str, query: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{dbname}{query}",
            self.port
        )
    }

    /// Its log file, for failure messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The `postgres` user's ids when running as root (PgBouncer refuses root), else `None`.
fn postgres_user() -> io::Result<Option<(u32, u32)>> {
    use std::os::unix::fs::MetadataExt;
    if fs::metadata("/proc/self")?.uid() != 0 {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .map(|line| line.split(':').collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&"postgres"))
        .and_then(|fields| Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?)))
        .map(Some)
        .ok_or_else(|| io::Error::other("running as root, but there is no `postgres` user"))
}

fn chown(dir: &Path, uid: u32, gid: u32) -> io::Result<()> {
    std::os::unix::fs::chown(dir, Some(uid), Some(gid))?;
    for entry in fs::read_dir(dir)? {
        std::os::unix::fs::chown(entry?.path(), Some(uid), Some(gid))?;
    }
    Ok(())
}
