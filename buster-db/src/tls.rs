//! TLS for every connection the engine opens, with libpq's `sslmode` meanings.
//!
//! [`prepare`] is the one place that turns a [`Config`] into what the driver connects with: the
//! driver configuration with its `sslmode` set, and the TLS connector. The pool, the migrations
//! session and the per-test databases all go through it, so they cannot disagree on TLS.
//!
//! The connector is rustls with the `ring` provider, set on each `ClientConfig` (never installed
//! process-wide, which panics when two crates install different ones). How the server's
//! certificate is checked depends on the mode:
//!
//! | mode | certificate check |
//! |---|---|
//! | `disable` | no TLS |
//! | `prefer` | none (TLS is tried, plain if the server refuses it) |
//! | `require` | none, unless a root certificate is given: then as `verify-ca` (libpq does the same) |
//! | `verify-ca` | the chain up to a root of `sslrootcert` (else the platform's), not the host name |
//! | `verify-full` | the chain and the host name |
//!
//! The platform's roots are read from the operating system's trust store with
//! `rustls-native-certs` (as libpq's `sslrootcert=system` reads OpenSSL's default store), so a
//! company CA installed on the host is trusted and the roots are updated with the system,
//! unlike a list compiled into the binary.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use crate::{Config, Error, ErrorKind, Result};

/// How a connection uses TLS: libpq's `sslmode`, given as `?sslmode=…` in the URL or with
/// [`Config::ssl_mode`].
///
/// ```
/// use buster_db::{Config, SslMode};
///
/// let config = Config::from_url("postgres://app@db.internal/buster?sslmode=verify-full")?;
/// assert_eq!(config.get_ssl_mode(), SslMode::VerifyFull);
/// assert_eq!("verify-ca".parse::<SslMode>()?, SslMode::VerifyCa);
/// # Ok::<(), buster_db::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SslMode {
    /// Never use TLS.
    Disable,
    /// Try TLS without checking the certificate; connect in plain if the server refuses TLS.
    /// The default, as in libpq.
    Prefer,
    /// Insist on TLS, without checking the certificate — unless a root certificate is given,
    /// then check the chain as [`SslMode::VerifyCa`] does.
    Require,
    /// Insist on TLS and check that the certificate chains to a trusted root; the host name is
    /// not checked.
    VerifyCa,
    /// Insist on TLS and check the chain and that the certificate is issued for the host name
    /// connected to.
    VerifyFull,
}

impl SslMode {
    /// The mode's name as written in a URL: `disable`, `prefer`, `require`, `verify-ca`,
    /// `verify-full`.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// Whether the server's certificate is checked against roots in this mode.
    fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SslMode {
    type Err = Error;

    /// Parses a libpq `sslmode` value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] for any other text, and for libpq's `allow`, which tries plain
    /// first and which the driver cannot do.
    fn from_str(text: &str) -> Result<SslMode> {
        match text {
            "disable" => Ok(SslMode::Disable),
            "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            "allow" => Err(Error::new(
                ErrorKind::Config,
                "sslmode `allow` is not supported: use `prefer` (TLS first, plain if refused)",
            )),
            other => Err(Error::new(
                ErrorKind::Config,
                format!(
                    "invalid sslmode {other:?}: expected one of `disable`, `prefer`, `require`, \
                     `verify-ca`, `verify-full`"
                ),
            )),
        }
    }
}

/// PEM text, read from a file when connecting or given as bytes.
#[derive(Clone)]
pub(crate) enum Pem {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

/// Where the roots that server certificates are checked against come from.
#[derive(Clone)]
pub(crate) enum Roots {
    /// The operating system's trust store (`sslrootcert=system`).
    System,
    /// The certificates of a PEM file or text.
    Pem(Pem),
}

/// The TLS part of a [`Config`]: what the URL's `sslmode`, `sslrootcert`, `sslcert` and
/// `sslkey` (or the builder methods) said. Files are read when connecting, as libpq does.
#[derive(Clone, Default)]
pub(crate) struct TlsSettings {
    /// `None` when not given: `prefer`, or `verify-full` with `sslrootcert=system`.
    pub(crate) mode: Option<SslMode>,
    pub(crate) roots: Option<Roots>,
    pub(crate) cert: Option<Pem>,
    pub(crate) key: Option<Pem>,
}

/// The connection parameters [`TlsSettings::set`] takes; the driver never sees them.
pub(crate) const TLS_PARAMS: &[&str] = &["sslmode", "sslrootcert", "sslcert", "sslkey"];

impl TlsSettings {
    /// Takes one TLS connection parameter (one of [`TLS_PARAMS`]); an empty value means "not
    /// given", as in libpq.
    pub(crate) fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let file = || (!value.is_empty()).then(|| Pem::File(PathBuf::from(value)));
        match key {
            "sslmode" => self.mode = Some(value.parse()?),
            "sslrootcert" => self.roots = root_file(value),
            "sslcert" => self.cert = file(),
            "sslkey" => self.key = file(),
            other => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("`{other}` is not a TLS parameter"),
                ));
            }
        }
        Ok(())
    }

    /// The mode in effect: the one given, else `verify-full` with `sslrootcert=system` (libpq
    /// 16's rule), else `prefer`.
    pub(crate) fn effective_mode(&self) -> SslMode {
        match (self.mode, &self.roots) {
            (Some(mode), _) => mode,
            (None, Some(Roots::System)) => SslMode::VerifyFull,
            (None, _) => SslMode::Prefer,
        }
    }

    /// The mode in effect, refusing combinations that cannot be honoured.
    pub(crate) fn checked_mode(&self) -> Result<SslMode> {
        let mode = self.effective_mode();
        if matches!(self.roots, Some(Roots::System)) && !mode.verifies() {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "sslrootcert=system needs sslmode `verify-ca` or `verify-full`, not `{mode}`"
                ),
            ));
        }
        if !cfg!(feature = "tls") {
            if !matches!(mode, SslMode::Disable | SslMode::Prefer) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "sslmode `{mode}` needs TLS, but buster-db was built without its `tls` \
                         feature"
                    ),
                ));
            }
            if self.roots.is_some() || self.cert.is_some() || self.key.is_some() {
                return Err(Error::new(
                    ErrorKind::Config,
                    "sslrootcert, sslcert and sslkey need TLS, but buster-db was built without \
                     its `tls` feature",
                ));
            }
        }
        Ok(mode)
    }
}

/// `sslrootcert`'s value: `system` names the platform's roots, anything else a file.
pub(crate) fn root_file(value: &str) -> Option<Roots> {
    match value {
        "" => None,
        "system" => Some(Roots::System),
        path => Some(Roots::Pem(Pem::File(PathBuf::from(path)))),
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pem::File(path) => f.debug_tuple("File").field(path).finish(),
            Pem::Bytes(bytes) => write!(f, "Pem({} bytes)", bytes.len()),
        }
    }
}

impl fmt::Debug for Roots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Roots::System => f.write_str("System"),
            Roots::Pem(pem) => pem.fmt(f),
        }
    }
}

impl fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A key given as PEM text is the secret itself: only its path is ever shown.
        let key = self.key.as_ref().map(|key| match key {
            Pem::File(path) => path.display().to_string(),
            Pem::Bytes(_) => "***".to_owned(),
        });
        f.debug_struct("Tls")
            .field("sslmode", &self.effective_mode())
            .field("sslrootcert", &self.roots)
            .field("sslcert", &self.cert)
            .field("sslkey", &key)
            .finish()
    }
}

/// What the driver connects with: rustls when the `tls` feature is on.
#[cfg(feature = "tls")]
pub(crate) type Connector = tokio_postgres_rustls::MakeRustlsConnect;

/// What the driver connects with: plain TCP only, the `tls` feature being off.
#[cfg(not(feature = "tls"))]
pub(crate) type Connector = tokio_postgres::NoTls;

/// The driver configuration (with the driver's `sslmode` set) and the TLS connector for
/// `config`: the one function every connection of the engine is opened through.
///
/// # Errors
///
/// [`ErrorKind::Config`] for a mode the build cannot honour, a certificate or key file that
/// cannot be read or holds no usable PEM, or a client certificate without its key.
pub(crate) fn prepare(config: &Config) -> Result<(tokio_postgres::Config, Connector)> {
    use tokio_postgres::config::SslMode as DriverMode;

    let settings = config.tls();
    let mode = settings.checked_mode()?;
    let mut pg = config.pg();
    // The driver knows only these three; the certificate checks of the stronger modes are done
    // by the connector, which the driver uses once TLS is on.
    pg.ssl_mode(match mode {
        SslMode::Disable => DriverMode::Disable,
        SslMode::Prefer => DriverMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => DriverMode::Require,
    });
    Ok((pg, connector(settings, mode)?))
}

#[cfg(not(feature = "tls"))]
fn connector(_: &TlsSettings, _: SslMode) -> Result<Connector> {
    Ok(tokio_postgres::NoTls)
}

#[cfg(feature = "tls")]
fn connector(settings: &TlsSettings, mode: SslMode) -> Result<Connector> {
    rustls_tls::client_config(settings, mode).map(tokio_postgres_rustls::MakeRustlsConnect::new)
}

/// Why a connection attempt failed in its TLS handshake, in words: for example
/// `certificate verify failed: UnknownIssuer`. `None` when `err` is no TLS failure.
pub(crate) fn handshake_failure(err: &tokio_postgres::Error) -> Option<String> {
    #[cfg(feature = "tls")]
    if let Some(reason) = rustls_tls::failure(err) {
        return Some(reason);
    }
    // The driver's message names the step only; the reason (e.g. "server does not support
    // TLS") is its source.
    if err.to_string() != "error performing TLS handshake" {
        return None;
    }
    let reason = std::error::Error::source(err).map_or_else(String::new, ToString::to_string);
    Some(format!("TLS handshake failed: {reason}"))
}

#[cfg(feature = "tls")]
mod rustls_tls {
    use std::sync::{Arc, OnceLock};

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::WebPkiSupportedAlgorithms;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
    use rustls::server::ParsedCertificate;
    use rustls::{
        CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
    };

    use super::{Pem, Roots, SslMode, TlsSettings};
    use crate::{Error, ErrorKind, Result};

    /// The ALPN protocol name PostgreSQL 17 expects (needed for `sslnegotiation=direct`, ignored
    /// by older servers).
    const ALPN: &[u8] = b"postgresql";

    pub(super) fn client_config(settings: &TlsSettings, mode: SslMode) -> Result<ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| config_error(format!("cannot set up TLS: {e}")))?;
        let algorithms = provider.signature_verification_algorithms;
        let roots = match (mode, &settings.roots) {
            (SslMode::VerifyCa | SslMode::VerifyFull, roots)
            | (SslMode::Require, roots @ Some(_)) => Some(root_store(roots.as_ref())?),
            _ => None,
        };
        let builder = match (mode, roots) {
            (SslMode::VerifyFull, Some(roots)) => builder.with_root_certificates(roots),
            (_, roots) => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unnamed { roots, algorithms })),
        };
        // libpq ignores the client certificate when TLS is off.
        if mode == SslMode::Disable {
            return Ok(builder.with_no_client_auth());
        }
        let mut config = match (&settings.cert, &settings.key) {
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), Some(key)) => {
                let chain = certificates(cert, "sslcert")?;
                let key = private_key(key)?;
                builder.with_client_auth_cert(chain, key).map_err(|e| {
                    config_error(format!(
                        "sslcert and sslkey do not make a usable client certificate: {e}"
                    ))
                })?
            }
            (Some(_), None) => return Err(config_error("sslcert is given without sslkey")),
            (None, Some(_)) => return Err(config_error("sslkey is given without sslcert")),
        };
        config.alpn_protocols = vec![ALPN.to_vec()];
        Ok(config)
    }

    fn config_error(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    /// The roots of `sslrootcert`, or the platform's when none is given.
    fn root_store(roots: Option<&Roots>) -> Result<RootCertStore> {
        let pem = match roots {
            None | Some(Roots::System) => return platform_roots(),
            Some(Roots::Pem(pem)) => pem,
        };
        let mut store = RootCertStore::empty();
        for cert in certificates(pem, "sslrootcert")? {
            store.add(cert).map_err(|e| {
                config_error(format!(
                    "sslrootcert {}: a certificate is not usable as a root: {e}",
                    describe(pem)
                ))
            })?;
        }
        Ok(store)
    }

    /// The operating system's trust store, read once per process.
    fn platform_roots() -> Result<RootCertStore> {
        static ROOTS: OnceLock<Result<RootCertStore, String>> = OnceLock::new();
        let loaded = ROOTS.get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            let (_, rejected) = store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                let why = found
                    .errors
                    .first()
                    .map_or_else(|| "none found".to_owned(), ToString::to_string);
                return Err(format!(
                    "no root certificate could be read from the platform's trust store ({why}, \
                     {rejected} unusable): give the server's CA with sslrootcert"
                ));
            }
            Ok(store)
        });
        loaded.clone().map_err(config_error)
    }

    fn describe(pem: &Pem) -> String {
        match pem {
            Pem::File(path) => format!("`{}`", path.display()),
            Pem::Bytes(_) => "(PEM text)".to_owned(),
        }
    }

    fn read(pem: &Pem, param: &str) -> Result<Arc<[u8]>> {
        match pem {
            Pem::Bytes(bytes) => Ok(Arc::clone(bytes)),
            Pem::File(path) => std::fs::read(path).map(Arc::from).map_err(|e| {
                config_error(format!("cannot read {param} `{}`: {e}", path.display()))
                    .with_source(e)
            }),
        }
    }

    fn certificates(pem: &Pem, param: &str) -> Result<Vec<CertificateDer<'static>>> {
        let bytes = read(pem, param)?;
        let certs = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                config_error(format!("{param} {} is not valid PEM: {e}", describe(pem)))
            })?;
        if certs.is_empty() {
            return Err(config_error(format!(
                "{param} {} holds no PEM certificate",
                describe(pem)
            )));
        }
        Ok(certs)
    }

    fn private_key(pem: &Pem) -> Result<PrivateKeyDer<'static>> {
        let bytes = read(pem, "sslkey")?;
        // The PEM parser's messages may quote the input, which is the secret: say only what
        // was expected.
        PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
            config_error(format!(
                "sslkey {} holds no PEM private key (PKCS#8, PKCS#1 or SEC1)",
                describe(pem)
            ))
        })
    }

    /// The server-certificate check of every mode but `verify-full` (which is rustls's own
    /// verifier). Without roots (`prefer`, `require`) any certificate passes: TLS against
    /// eavesdropping, no check of who the server is. With roots (`verify-ca`, `require` with
    /// `sslrootcert`) the chain must lead to one of them, validity dates included; the host name
    /// is not compared. The handshake signatures are checked either way, so the session key is
    /// the certificate holder's.
    #[derive(Debug)]
    struct Unnamed {
        roots: Option<RootCertStore>,
        algorithms: WebPkiSupportedAlgorithms,
    }

    impl ServerCertVerifier for Unnamed {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            if let Some(roots) = &self.roots {
                let cert = ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_cert_signed_by_trust_anchor(
                    &cert,
                    roots,
                    intermediates,
                    now,
                    self.algorithms.all,
                )?;
            }
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    }

    /// The rustls error inside a failed connection attempt, described.
    pub(super) fn failure(err: &tokio_postgres::Error) -> Option<String> {
        let mut source = std::error::Error::source(err);
        while let Some(e) = source {
            // `io::Error::source` skips the error it wraps, so look inside by hand.
            let inner = e
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::get_ref)
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            if let Some(tls) = inner.or_else(|| e.downcast_ref::<rustls::Error>()) {
                return Some(describe_error(tls));
            }
            source = e.source();
        }
        None
    }

    fn describe_error(err: &rustls::Error) -> String {
        match err {
            rustls::Error::InvalidCertificate(cert) => {
                let reason = certificate_reason(cert);
                let detail = cert.to_string();
                if detail == reason {
                    format!("certificate verify failed: {reason}")
                } else {
                    format!("certificate verify failed: {reason} ({detail})")
                }
            }
            rustls::Error::AlertReceived(alert) => {
                format!("TLS handshake failed: the server sent the alert {alert:?}")
            }
            other => format!("TLS handshake failed: {other}"),
        }
    }

    /// A stable name for the reason a certificate was refused; the `…Context` variants carry
    /// the same reason with more detail.
    fn certificate_reason(err: &CertificateError) -> String {
        match err {
            CertificateError::UnknownIssuer => "UnknownIssuer".to_owned(),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "NotValidForName".to_owned()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "Expired".to_owned()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "NotValidYet".to_owned()
            }
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                "InvalidPurpose".to_owned()
            }
            other => {
                let debug = format!("{other:?}");
                debug
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_print_as_libpq_spells_them() -> Result<()> {
        for mode in [
            SslMode::Disable,
            SslMode::Prefer,
            SslMode::Require,
            SslMode::VerifyCa,
            SslMode::VerifyFull,
        ] {
            assert_eq!(mode.as_str().parse::<SslMode>()?, mode);
            assert_eq!(mode.to_string(), mode.as_str());
        }
        for bad in ["allow", "verify_full", "VERIFY-FULL", ""] {
            let err = bad.parse::<SslMode>().err().map(|e| e.kind());
            assert_eq!(err, Some(ErrorKind::Config), "{bad:?}");
        }
        Ok(())
    }

    #[cfg(feature = "tls")]
    #[test]
    fn system_roots_default_to_verify_full_and_refuse_weak_modes() -> Result<()> {
        let mut settings = TlsSettings::default();
        assert_eq!(settings.checked_mode()?, SslMode::Prefer);
        settings.set("sslrootcert", "system")?;
        assert_eq!(settings.effective_mode(), SslMode::VerifyFull);
        settings.set("sslmode", "require")?;
        let err = settings.checked_mode().err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Config));
        settings.set("sslrootcert", "")?;
        assert_eq!(settings.checked_mode()?, SslMode::Require);
        Ok(())
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn without_the_feature_only_disable_and_prefer_are_accepted() -> Result<()> {
        for url in [
            "postgres://h/db?sslmode=disable",
            "postgres://h/db?sslmode=prefer",
        ] {
            Config::from_url(url)?;
        }
        for mode in ["require", "verify-ca", "verify-full"] {
            let url = format!("postgres://h/db?sslmode={mode}");
            let err = Config::from_url(&url).err();
            assert_eq!(
                err.as_ref().map(Error::kind),
                Some(ErrorKind::Config),
                "{mode}"
            );
            let message = err.map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("`tls` feature"), "{message}");
        }
        // Set through the builder, the mode is refused when connecting.
        let config = Config::from_url("postgres://h/db")?.ssl_mode(SslMode::VerifyFull);
        let err = prepare(&config).err().map(|e| e.kind());
        assert_eq!(err, Some(ErrorKind::Config));
        Ok(())
    }

    #[test]
    fn debug_shows_key_paths_but_never_key_text() {
        let settings = TlsSettings {
            mode: Some(SslMode::VerifyFull),
            roots: Some(Roots::Pem(Pem::Bytes(Arc::from(&b"-----BEGIN CERT"[..])))),
            cert: Some(Pem::File(PathBuf::from("/etc/app/client.crt"))),
            key: Some(Pem::Bytes(Arc::from(
                &b"-----BEGIN PRIVATE KEY-----secret"[..],
            ))),
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("sslkey: Some(\"***\")"), "{shown}");
        assert!(
            shown.contains("verify-full") || shown.contains("VerifyFull"),
            "{shown}"
        );
        assert!(shown.contains("/etc/app/client.crt"), "{shown}");
        assert!(shown.contains("Pem(15 bytes)"), "{shown}");
    }
}
