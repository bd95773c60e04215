//! Team databases' passwords in the system's keyring, when the user asks for it: behind a
//! small trait, so that tests script it. On Linux the keyring is the desktop's Secret
//! Service (GNOME Keyring, KWallet), reached through `secret-tool` (Debian's
//! `libsecret-tools`); where that is missing, and on other systems for now, there is no
//! keyring and the password is asked once per start. A password never goes on a command
//! line: `secret-tool` reads it from its standard input.

use std::io::Write;
use std::process::{Command, Stdio};
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

/// The system's keyring (`secret-tool` on Linux), or none.
#[derive(Default)]
pub struct SystemKeyring;

const SERVICE: &str = "partner-desk";

impl SystemKeyring {
    fn secret_tool(args: &[&str], input: Option<&str>) -> Option<String> {
        if !cfg!(target_os = "linux") {
            return None;
        }
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
}

impl Keyring for SystemKeyring {
    fn available(&self) -> bool {
        // `secret-tool` is there and a Secret Service answers on the session bus.
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            && SystemKeyring::secret_tool(&["search", "service", SERVICE], None).is_some()
    }

    fn get(&self, server: &str) -> Option<String> {
        SystemKeyring::secret_tool(&["lookup", "service", SERVICE, "server", server], None)
            .filter(|p| !p.is_empty())
    }

    fn set(&self, server: &str, password: &str) -> bool {
        let label = format!("Partner Desk: {server}");
        let args = [
            "store", "--label", &label, "service", SERVICE, "server", server,
        ];
        SystemKeyring::secret_tool(&args, Some(password)).is_some()
    }

    fn forget(&self, server: &str) {
        SystemKeyring::secret_tool(&["clear", "service", SERVICE, "server", server], None);
    }
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
