//! Certificates made at run time for the TLS tests: a CA of the test's own and what it issues.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

/// A certificate authority of the test's own.
pub struct Ca {
    /// The CA's certificate, PEM.
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    /// A self-signed CA named `name`.
    ///
    /// # Errors
    ///
    /// When rcgen cannot make the key or certificate.
    pub fn new(name: &str) -> Result<Ca, rcgen::Error> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let pem = params.self_signed(&key)?.pem();
        Ok(Ca {
            pem,
            issuer: Issuer::new(params, key),
        })
    }

    /// A certificate and its private key (both PEM) for `names`, with common name `cn`,
    /// valid from `from` to `until` (years).
    ///
    /// # Errors
    ///
    /// When rcgen cannot make the key or certificate.
    pub fn issue(
        &self,
        cn: &str,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
        (from, until): (i32, i32),
    ) -> Result<(String, String), rcgen::Error> {
        let key = KeyPair::generate()?;
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names)?;
        params.distinguished_name.push(DnType::CommonName, cn);
        params.extended_key_usages = vec![usage];
        params.not_before = rcgen::date_time_ymd(from, 1, 1);
        params.not_after = rcgen::date_time_ymd(until, 1, 1);
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// A server certificate for `localhost` only: no IP address among its names.
    ///
    /// # Errors
    ///
    /// When rcgen cannot make the key or certificate.
    pub fn server(&self, valid: (i32, i32)) -> Result<(String, String), rcgen::Error> {
        let usage = ExtendedKeyUsagePurpose::ServerAuth;
        self.issue("localhost", &["localhost"], usage, valid)
    }
}
