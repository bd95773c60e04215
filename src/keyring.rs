//! Team databases' passwords in the system's keyring, when the user asks for it: behind a
//! small trait, so that tests script it. On Linux the keyring is the desktop's Secret
//! Service (GNOME Keyring, KWallet), reached through `secret-tool` (Debian's
//! `libsecret-tools`); on Windows the Credential Manager and on macOS the Keychain, through
//! the `keyring` crate. Where there is none, the password is asked once per start. A
//! password never goes on a command line: `secret-tool` reads it from its standard input.

use std::sync::{Arc, Mutex};

/// Where passwords may be kept between runs, by team database (as shown:
/// `login@host:port/database`).
pub trait Keyring: Send + Sync {
    /// Whether a keyring can be used here at all.
    fn available(&self) -> bool;
    /// The password kept for `server`, if any.
    fn get(&self, server: &str) -> Option<String>;
    /// Keeps `password` for `server`; false when it could not be kept.
    fn set(&self, server: &str, password: &str) -> bool;
    /// Forgets the password of `server` (it was refused).
    fn forget(&self, server: &str);
}

/// The system's keyring: the Secret Service through `secret-tool` on Linux, the Credential
/// Manager on Windows, the Keychain on macOS; none elsewhere.
#[derive(Default)]
pub struct SystemKeyring;

const SERVICE: &str = "partner-desk";

impl Keyring for SystemKeyring {
    fn available(&self) -> bool {
        system::available()
    }

    fn get(&self, server: &str) -> Option<String> {
        system::get(server).filter(|p| !p.is_empty())
    }

    fn set(&self, server: &str, password: &str) -> bool {
        system::set(server, password)
    }

    fn forget(&self, server: &str) {
        system::forget(server);
    }
}

#[cfg(target_os = "linux")]
mod system {
    //! The desktop's Secret Service (GNOME Keyring, KWallet) through `secret-tool`.

    use super::SERVICE;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn secret_tool(args: &[&str], input: Option<&str>) -> Option<String> {
        let mut child = Command::new("secret-tool")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.unwrap_or_default().as_bytes());
        }
        let out = child.wait_with_output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn available() -> bool {
        // `secret-tool` is there and a Secret Service answers on the session bus.
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            && secret_tool(&["search", "service", SERVICE], None).is_some()
    }

    pub fn get(server: &str) -> Option<String> {
        secret_tool(&["lookup", "service", SERVICE, "server", server], None)
    }

    pub fn set(server: &str, password: &str) -> bool {
        let label = format!("Partner Desk: {server}");
        let args = [
            "store", "--label", &label, "service", SERVICE, "server", server,
        ];
        secret_tool(&args, Some(password)).is_some()
    }

    pub fn forget(server: &str) {
        secret_tool(&["clear", "service", SERVICE, "server", server], None);
    }
}

#[cfg(any(windows, target_os = "macos"))]
mod system {
    //! Windows' Credential Manager and macOS's Keychain, through the `keyring` crate (built
    //! and checked only on those systems).

    use super::SERVICE;

    fn entry(server: &str) -> Option<::keyring::Entry> {
        ::keyring::Entry::new(SERVICE, server).ok()
    }

    pub fn available() -> bool {
        true
    }

    pub fn get(server: &str) -> Option<String> {
        entry(server)?.get_password().ok()
    }

    pub fn set(server: &str, password: &str) -> bool {
        entry(server).is_some_and(|e| e.set_password(password).is_ok())
    }

    pub fn forget(server: &str) {
        if let Some(e) = entry(server) {
            let _ = e.delete_credential();
        }
    }
}

#[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
mod system {
    //! No keyring: the password is asked once per start.

    pub fn available() -> bool {
        false
    }

    pub fn get(_server: &str) -> Option<String> {
        None
    }

    pub fn set(_server: &str, _password: &str) -> bool {
        false
    }

    pub fn forget(_server: &str) {}
}

/// A keyring in memory, shared by its clones: for tests.
#[derive(Clone, Default)]
pub struct MemoryKeyring(pub Arc<Mutex<Vec<(String, String)>>>);

impl Keyring for MemoryKeyring {
    fn available(&self) -> bool {
        true
    }

    fn get(&self, server: &str) -> Option<String> {
        let kept = self.0.lock().ok()?;
        kept.iter()
            .find(|(s, _)| s == server)
            .map(|(_, p)| p.clone())
    }

    fn set(&self, server: &str, password: &str) -> bool {
        self.forget(server);
        self.0
            .lock()
            .map(|mut kept| kept.push((server.to_owned(), password.to_owned())))
            .is_ok()
    }

    fn forget(&self, server: &str) {
        if let Ok(mut kept) = self.0.lock() {
            kept.retain(|(s, _)| s != server);
        }
    }
}
