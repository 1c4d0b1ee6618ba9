//! A throwaway PostgreSQL cluster for fault tests.
//!
//! [`Cluster::start`] runs `initdb` into a fresh temporary folder and starts a server on a free
//! loopback port, listening on `127.0.0.1` and on a Unix socket inside that folder only, with
//! trust authentication and `fsync=off`. The tests may then restart it, stop it, or change its
//! configuration without touching any other server. When the last clone of a [`Cluster`] is
//! dropped (also while a failing test unwinds) the server is stopped with `pg_ctl stop -m
//! immediate` and the folder is removed.
//!
//! [`Cluster::builder`] adds TLS (`ssl = on` with a certificate and key written into the
//! folder, optionally a CA for client certificates) and a `pg_hba.conf` of the test's own.
//!
//! The binaries come from `PG_BIN` when set, else `/usr/lib/postgresql/15/bin`, else the newest
//! `/usr/lib/postgresql/*/bin`. PostgreSQL refuses to run as root, so when the tests run as root
//! every server command runs as the `postgres` OS user (`runuser -u postgres`), and the folder
//! is handed to that user.

use std::fmt;
use std::fs;
use std::io;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use buster_db::Config;

use crate::certs::Ca;

/// How `pg_ctl` stops the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopMode {
    /// `-m fast`: sessions are terminated, open transactions rolled back, then a checkpoint.
    Fast,
    /// `-m immediate`: every process quits at once; the next start runs crash recovery.
    Immediate,
}

impl StopMode {
    fn flag(self) -> &'static str {
        match self {
            StopMode::Fast => "fast",
            StopMode::Immediate => "immediate",
        }
    }
}

/// A PostgreSQL server of its own, in a temporary folder; cheap to clone (clones share it).
#[derive(Clone)]
pub struct Cluster {
    inner: Arc<Inner>,
}

struct Inner {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    options: String,
    /// The CA file clients verify the server with ([`ClusterBuilder::tls_only`]).
    root: Option<PathBuf>,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl Cluster {
    /// Creates and starts a cluster with the default settings.
    ///
    /// # Errors
    ///
    /// When no PostgreSQL binaries are found, or `initdb` or `pg_ctl start` fail (the error then
    /// carries their output and the end of the server log).
    pub fn start() -> io::Result<Cluster> {
        Cluster::start_with(&[])
    }

    /// Creates and starts a cluster with extra server settings (`-c name=value`).
    ///
    /// # Errors
    ///
    /// As [`Cluster::start`].
    pub fn start_with(settings: &[(&str, &str)]) -> io::Result<Cluster> {
        settings
            .iter()
            .fold(Cluster::builder(), |b, (name, value)| {
                b.setting(name, value)
            })
            .start()
    }

    /// A cluster with TLS, a `pg_hba.conf` of its own or extra settings.
    ///
    /// ```no_run
    /// # fn demo(cert: &str, key: &str) -> std::io::Result<()> {
    /// use buster_db_tests::cluster::Cluster;
    /// let cluster = Cluster::builder()
    ///     .tls(cert, key)
    ///     .hba(&["hostssl all all 127.0.0.1/32 trust"])
    ///     .start()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClusterBuilder {
        ClusterBuilder::default()
    }

    fn start_built(built: ClusterBuilder) -> io::Result<Cluster> {
        let mut cluster = Cluster::empty(find_bin()?)?;
        let data = cluster.data_dir();
        let initdb = cluster
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync", "--no-instructions"])
            .output()?;
        check("initdb", &initdb)?;
        let mut settings = built.settings;
        if let Some(tls) = &built.tls {
            settings.extend(cluster.write_tls(tls, built.client_ca_pem.as_deref())?);
        }
        if let Some(lines) = &built.hba {
            cluster.write_server_file(&data.join("pg_hba.conf"), &lines.join("\n"))?;
        }
        if let Some(ca_pem) = &built.verify_with {
            let root = cluster.inner.dir.join("root.crt");
            fs::write(&root, ca_pem)?;
            if let Some(inner) = Arc::get_mut(&mut cluster.inner) {
                inner.root = Some(root);
            }
        }
        cluster.launch(&settings)?;
        Ok(cluster)
    }

    /// A streaming replica of this cluster: `pg_basebackup -R -X stream` into a folder of its
    /// own, started on a free port as a hot standby (plain TCP, trust authentication). Dropping
    /// it stops and removes it, as for any cluster.
    ///
    /// # Errors
    ///
    /// When `pg_basebackup` or `pg_ctl start` fail.
    pub fn start_replica(&self) -> io::Result<Cluster> {
        let mut replica = Cluster::empty(self.inner.bin.clone())?;
        let backup = replica
            .command("pg_basebackup")
            .arg("-D")
            .arg(replica.data_dir())
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port().to_string(),
                "-U",
                "postgres",
            ])
            .args(["-R", "-X", "stream", "-c", "fast", "--no-sync"])
            .output()?;
        check("pg_basebackup", &backup)?;
        replica.launch(&[])?;
        Ok(replica)
    }

    /// Promotes a standby to a primary (`pg_ctl promote`, waiting until it accepts writes).
    ///
    /// # Errors
    ///
    /// When `pg_ctl` fails (for example on a cluster that is no standby).
    pub fn promote(&self) -> io::Result<()> {
        self.pg_ctl(&["promote"])
    }

    /// A cluster folder, not yet holding a data directory, removed when dropped.
    fn empty(bin: PathBuf) -> io::Result<Cluster> {
        let as_postgres = fs::metadata("/proc/self")?.uid() == 0;
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "buster-cluster-{}-{}-{}",
            std::process::id(),
            stamp % 1_000_000_000,
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir(&dir)?;
        // From here on, dropping `cluster` removes the folder (and stops a started server).
        let cluster = Cluster {
            inner: Arc::new(Inner {
                bin,
                dir,
                port: 0,
                as_postgres,
                options: String::new(),
                root: None,
            }),
        };
        if as_postgres {
            let chown = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&cluster.inner.dir)
                .output()?;
            check("chown", &chown)?;
        }
        Ok(cluster)
    }

    /// Starts the server of the data directory on a free port, with `settings`.
    fn launch(&mut self, settings: &[(String, String)]) -> io::Result<()> {
        // A port picked by the kernel is free now but could be taken before the server binds
        // it; a few attempts make that race harmless.
        let mut last = None;
        for _ in 0..3 {
            let port = free_port()?;
            let mut options = format!(
                "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
                 -c fsync=off -c full_page_writes=off -c synchronous_commit=on \
                 -c max_connections=120 -c shared_buffers=32MB",
                self.inner.dir.display()
            );
            for (name, value) in settings {
                options.push_str(&format!(" -c {name}={value}"));
            }
            if let Some(inner) = Arc::get_mut(&mut self.inner) {
                inner.port = port;
                inner.options = options;
            }
            match self.pg_ctl(&["start"]) {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("the cluster did not start")))
    }

    /// The TCP port the server listens on (at `127.0.0.1`).
    pub fn port(&self) -> u16 {
        self.inner.port
    }

    /// `postgres://postgres@127.0.0.1:<port>/<dbname>`; for a [`ClusterBuilder::tls_only`]
    /// cluster `postgres://postgres@localhost:<port>/<dbname>?sslmode=verify-full&sslrootcert=…`.
    pub fn url(&self, dbname: &str) -> String {
        match &self.inner.root {
            None => format!("postgres://postgres@127.0.0.1:{}/{dbname}", self.inner.port),
            Some(root) => format!(
                "postgres://postgres@localhost:{}/{dbname}?sslmode=verify-full&sslrootcert={}",
                self.inner.port,
                root.display()
                    .to_string()
                    .replace('%', "%25")
                    .replace(' ', "%20")
            ),
        }
    }

    /// Whether clients reach this cluster over verified TLS only ([`ClusterBuilder::tls_only`]).
    pub fn is_tls_only(&self) -> bool {
        self.inner.root.is_some()
    }

    /// A [`Config`] for database `dbname` of this cluster, as the `postgres` superuser.
    ///
    /// # Errors
    ///
    /// Never in practice: the URL is well formed.
    pub fn config(&self, dbname: &str) -> buster_db::Result<Config> {
        Config::from_url(&self.url(dbname))
    }

    /// Restarts the server (`pg_ctl restart -m <mode>`) and returns once it accepts connections
    /// again. Blocks the calling thread: use [`Cluster::restart_async`] from async code.
    ///
    /// # Errors
    ///
    /// When `pg_ctl` fails.
    pub fn restart(&self, mode: StopMode) -> io::Result<()> {
        self.pg_ctl(&["-m", mode.flag(), "restart"])
    }

    /// [`Cluster::restart`] on a blocking thread; resolves to the instant the server was ready.
    ///
    /// # Errors
    ///
    /// As [`Cluster::restart`].
    pub async fn restart_async(&self, mode: StopMode) -> io::Result<Instant> {
        let cluster = self.clone();
        tokio::task::spawn_blocking(move || cluster.restart(mode).map(|()| Instant::now()))
            .await
            .map_err(io::Error::other)?
    }

    /// Stops the server (`pg_ctl stop -m <mode>`).
    ///
    /// # Errors
    ///
    /// When `pg_ctl` fails.
    pub fn stop(&self, mode: StopMode) -> io::Result<()> {
        self.pg_ctl(&["-m", mode.flag(), "stop"])
    }

    /// Starts the server again after [`Cluster::stop`].
    ///
    /// # Errors
    ///
    /// When `pg_ctl` fails.
    pub fn start_again(&self) -> io::Result<()> {
        self.pg_ctl(&["start"])
    }

    /// Puts `line` first in `pg_hba.conf` (the first matching line wins) and reloads the
    /// server's configuration.
    ///
    /// # Errors
    ///
    /// When the file cannot be rewritten or the reload fails.
    pub fn prepend_hba(&self, line: &str) -> io::Result<()> {
        let path = self.data_dir().join("pg_hba.conf");
        let old = fs::read_to_string(&path)?;
        fs::write(&path, format!("{line}\n{old}"))?;
        self.pg_ctl(&["reload"])
    }

    /// The last `lines` lines of the server log, for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = fs::read_to_string(self.log_file()).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Writes the server's certificate, key and client CA into the cluster folder and returns
    /// the settings that point the server at them.
    fn write_tls(
        &self,
        tls: &ServerTls,
        client_ca_pem: Option<&str>,
    ) -> io::Result<Vec<(String, String)>> {
        let dir = &self.inner.dir;
        let cert = dir.join("server.crt");
        let key = dir.join("server.key");
        self.write_server_file(&cert, &tls.cert_pem)?;
        // The server refuses a key that others than its owner may read.
        self.write_server_file(&key, &tls.key_pem)?;
        let mut settings = vec![
            ("ssl".to_owned(), "on".to_owned()),
            ("ssl_cert_file".to_owned(), cert.display().to_string()),
            ("ssl_key_file".to_owned(), key.display().to_string()),
        ];
        if let Some(ca_pem) = client_ca_pem {
            let ca = dir.join("client-ca.crt");
            self.write_server_file(&ca, ca_pem)?;
            settings.push(("ssl_ca_file".to_owned(), ca.display().to_string()));
        }
        Ok(settings)
    }

    /// Writes `text` to `path` with mode 0600, owned by the user the server runs as.
    fn write_server_file(&self, path: &Path, text: &str) -> io::Result<()> {
        fs::write(path, text)?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        if self.inner.as_postgres {
            let chown = Command::new("chown")
                .arg("postgres:postgres")
                .arg(path)
                .output()?;
            check("chown", &chown)?;
        }
        Ok(())
    }

    fn data_dir(&self) -> PathBuf {
        self.inner.dir.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.inner.dir.join("server.log")
    }

    fn command(&self, tool: &str) -> Command {
        command(&self.inner.bin, self.inner.as_postgres, tool)
    }

    /// Runs `pg_ctl -D <data> -l <log> -w -t 30 -o <options> <args>`.
    fn pg_ctl(&self, args: &[&str]) -> io::Result<()> {
        let output = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.log_file())
            .args(["-w", "-t", "30", "-o", &self.inner.options])
            .args(args)
            .output()?;
        check(&format!("pg_ctl {}", args.join(" ")), &output)
            .map_err(|e| io::Error::other(format!("{e}\nserver log:\n{}", self.log_tail(30))))
    }
}

/// What [`Cluster::builder`] starts: settings, TLS files, a `pg_hba.conf`.
#[derive(Default)]
pub struct ClusterBuilder {
    settings: Vec<(String, String)>,
    tls: Option<ServerTls>,
    client_ca_pem: Option<String>,
    hba: Option<Vec<String>>,
    verify_with: Option<String>,
}

struct ServerTls {
    cert_pem: String,
    key_pem: String,
}

impl ClusterBuilder {
    /// Adds a server setting (`-c name=value`).
    pub fn setting(mut self, name: &str, value: &str) -> ClusterBuilder {
        self.settings.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Turns TLS on (`ssl = on`) with this certificate (chain) and private key, both PEM; the
    /// key file is written with mode 0600 and owned by the server's user, as the server demands.
    pub fn tls(mut self, cert_pem: &str, key_pem: &str) -> ClusterBuilder {
        self.tls = Some(ServerTls {
            cert_pem: cert_pem.to_owned(),
            key_pem: key_pem.to_owned(),
        });
        self
    }

    /// Trusts client certificates issued by this CA (`ssl_ca_file`), for `cert`
    /// authentication; needs [`ClusterBuilder::tls`].
    pub fn client_ca(mut self, ca_pem: &str) -> ClusterBuilder {
        self.client_ca_pem = Some(ca_pem.to_owned());
        self
    }

    /// Replaces `pg_hba.conf` with exactly these lines.
    pub fn hba(mut self, lines: &[&str]) -> ClusterBuilder {
        self.hba = Some(lines.iter().map(|l| (*l).to_owned()).collect());
        self
    }

    /// Serves TLS only: a `localhost` certificate issued by a CA made here, `pg_hba.conf` with
    /// `hostssl` lines only, and [`Cluster::url`] / [`Cluster::config`] connecting with
    /// `sslmode=verify-full` against that CA. Replaces [`ClusterBuilder::tls`] and
    /// [`ClusterBuilder::hba`].
    ///
    /// # Errors
    ///
    /// When the certificates cannot be made.
    pub fn tls_only(mut self) -> io::Result<ClusterBuilder> {
        let ca = Ca::new("buster cluster CA").map_err(io::Error::other)?;
        let (cert, key) = ca.server((2020, 2999)).map_err(io::Error::other)?;
        self = self.tls(&cert, &key).hba(&[
            "hostssl all all 127.0.0.1/32 trust",
            "hostssl all all ::1/128 trust",
        ]);
        self.verify_with = Some(ca.pem);
        Ok(self)
    }

    /// Creates and starts the cluster.
    ///
    /// # Errors
    ///
    /// As [`Cluster::start`], and when a TLS file or `pg_hba.conf` cannot be written.
    pub fn start(self) -> io::Result<Cluster> {
        Cluster::start_built(self)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if data.join("postmaster.pid").exists() {
            let _ = command(&self.bin, self.as_postgres, "pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "-t", "10", "stop"])
                .output();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.inner.dir)
            .field("port", &self.inner.port)
            .finish()
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
///
/// # Errors
///
/// When no port can be bound.
pub fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn command(bin: &Path, as_postgres: bool, tool: &str) -> Command {
    let program = bin.join(tool);
    if as_postgres {
        let mut c = Command::new(runuser());
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn runuser() -> PathBuf {
    ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("runuser"))
}

fn find_bin() -> io::Result<PathBuf> {
    if let Some(bin) = std::env::var_os("PG_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let preferred = PathBuf::from("/usr/lib/postgresql/15/bin");
    if preferred.join("initdb").exists() {
        return Ok(preferred);
    }
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or_else(|| {
        io::Error::other(
            "no PostgreSQL server binaries found: set PG_BIN or install postgresql-15 \
             (initdb and pg_ctl are needed)",
        )
    })
}

fn check(what: &str, output: &Output) -> io::Result<()> {
    if output.status.success() {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )))
}

/// Polls `check` every 20 ms until it returns `true` or `within` has passed; tells which.
pub async fn wait_until<F, Fut>(within: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if started.elapsed() >= within {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
