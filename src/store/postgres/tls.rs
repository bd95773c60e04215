//! Encrypted connections to a team database. A server on another computer is connected to
//! over TLS (rustls) unless its address says `sslmode=disable`: a password never crosses
//! the network in the clear because an address left the mode out (libpq's `prefer` falls
//! back to plain text silently; here `prefer` and no `sslmode` encrypt). An address with
//! `sslmode=require` (or libpq's `verify-ca`, `verify-full`) is encrypted whatever the host.
//! The server's certificate is checked against the company's CA file named by
//! `sslrootcert=PATH`, else against the system's trusted roots, and its name against the
//! host connected to: an encrypted connection to a server that cannot prove who it is is
//! refused, never made (stricter than libpq's `require`, which does not check). A server on
//! this computer (localhost, 127.0.0.1, ::1, a Unix socket) is connected to in plain text
//! unless encryption is asked for: there is no network to protect.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::store::ServerProblem;

/// What an address says of encryption (`sslmode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SslMode {
    /// No `sslmode`: encrypted unless the server is on this computer.
    #[default]
    Unsaid,
    /// `disable` (or `allow`): never encrypted, as the user wrote.
    Disable,
    /// `prefer`: as [`SslMode::Unsaid`] (never a silent fall back to plain text).
    Prefer,
    /// `require`, `verify-ca`, `verify-full`: always encrypted, the certificate checked.
    Require,
}

/// What an address asks of encryption.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsWish {
    pub mode: SslMode,
    /// The company's CA certificate (PEM), instead of the system's roots.
    pub root_cert: Option<PathBuf>,
}

impl TlsWish {
    /// Whether a connection to a server on this computer (`local`) or another is encrypted.
    pub fn encrypts(&self, local: bool) -> bool {
        match self.mode {
            SslMode::Require => true,
            SslMode::Disable => false,
            SslMode::Unsaid | SslMode::Prefer => !local,
        }
    }
}

/// Whether `host` is this computer: a loopback name or address, or a Unix socket's folder.
pub fn is_local_host(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with('/')
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Splits what `url` says of TLS from the rest: the address as the driver reads it (it
/// knows no `sslrootcert` and no `verify-…`; its own `sslmode` is set by the caller from
/// the wish), and the wish.
pub fn split(url: &str) -> (String, TlsWish) {
    let url = url.trim();
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), TlsWish::default());
    };
    let mut wish = TlsWish::default();
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslrootcert" => wish.root_cert = Some(PathBuf::from(unescape(value))),
            "sslmode" => {
                wish.mode = match value {
                    "require" | "verify-ca" | "verify-full" => SslMode::Require,
                    "disable" | "allow" => SslMode::Disable,
                    _ => SslMode::Prefer,
                }
            }
            _ => kept.push(pair),
        }
    }
    let driver = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (driver, wish)
}

/// `%2F` and the like in a query value, as a path was written into an address.
fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The TLS connector for `wish`: the company's CA, or the system's roots.
pub fn connector(
    wish: &TlsWish,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, ServerProblem> {
    let mut roots = rustls::RootCertStore::empty();
    match &wish.root_cert {
        Some(path) => {
            let unreadable =
                |why: String| ServerProblem::CaFileUnreadable(format!("{}: {why}", path.display()));
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .map_err(|e| unreadable(e.to_string()))?
                .collect::<Result<_, _>>()
                .map_err(|e| unreadable(e.to_string()))?;
            if certs.is_empty() {
                return Err(unreadable("no certificate in it".into()));
            }
            for cert in certs {
                roots.add(cert).map_err(|e| unreadable(e.to_string()))?;
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                // A system root rustls cannot read is left out, as browsers do.
                let _ = roots.add(cert);
            }
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ServerProblem::Said(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_says_whether_to_encrypt_and_with_which_ca_the_driver_reads_the_rest() {
        let (driver, wish) = split("postgres://anna@db.example/pd");
        assert_eq!(driver, "postgres://anna@db.example/pd");
        assert_eq!(wish.mode, SslMode::Unsaid);
        let (driver, wish) = split(
            "postgres://anna@db.example/pd?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
        );
        assert_eq!(driver, "postgres://anna@db.example/pd?application_name=x");
        assert_eq!(wish.mode, SslMode::Require);
        assert_eq!(wish.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        let (driver, wish) = split("postgres://anna@db.example/pd?sslmode=prefer");
        assert_eq!(driver, "postgres://anna@db.example/pd");
        assert_eq!(wish.mode, SslMode::Prefer);
    }

    #[test]
    fn a_password_crosses_the_network_encrypted_unless_the_address_says_sslmode_disable() {
        let wish = |url: &str| split(url).1;
        for unsaid in [
            "postgres://anna@db.example/pd",
            "postgres://anna@db.example/pd?sslmode=prefer",
        ] {
            assert!(wish(unsaid).encrypts(false), "{unsaid}");
            assert!(
                !wish(unsaid).encrypts(true),
                "{unsaid}: the server is this computer"
            );
        }
        assert!(!wish("postgres://anna@db.example/pd?sslmode=disable").encrypts(false));
        assert!(wish("postgres://anna@localhost/pd?sslmode=require").encrypts(true));
        for local in [
            "localhost",
            "LocalHost",
            "127.0.0.1",
            "127.0.1.1",
            "::1",
            "[::1]",
            "/var/run/postgresql",
        ] {
            assert!(is_local_host(local), "{local}");
        }
        for remote in [
            "db.example",
            "10.0.0.5",
            "192.168.10.2",
            "fe80::1",
            "localhost.example",
        ] {
            assert!(!is_local_host(remote), "{remote}");
        }
    }

    #[test]
    fn a_ca_file_that_cannot_be_read_is_said() {
        let wish = TlsWish {
            mode: SslMode::Require,
            root_cert: Some(PathBuf::from("/nonexistent/ca.pem")),
        };
        assert!(matches!(
            connector(&wish),
            Err(ServerProblem::CaFileUnreadable(_))
        ));
    }
}
