//! Reliability: crash-safety, concurrent writers, the pin race, damaged files, migrations,
//! backups, hostile input, money, spreadsheet injection, the period lock and hostile files. Each case is a
//! function that runs at a given size and returns its figures; `cargo test` runs every case
//! small, and `long_suite` (ignored by default) runs them at full size and writes
//! docs/RELIABILITY.md.
//!
//! Cases that need a second process run this very test binary again with
//! `PARTNER_DESK_TEST_ROLE` set: the `child` test below then plays that role instead of
//! testing, and reports what it committed on stdout, one flushed line per transaction.

mod backups;
mod child;
mod crash;
mod files;
mod hostile;
mod injection;
mod issue_race;
mod lock;
mod migration;
mod money;
mod pin_race;
mod suite;
mod team_load;
pub mod workbooks;
mod writers;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const ROLE: &str = "PARTNER_DESK_TEST_ROLE";
const ARGS: &str = "PARTNER_DESK_TEST_ARGS";

/// Plays a child's role when the parent asked for one; an ordinary run passes at once.
#[test]
fn child() {
    if let Ok(role) = std::env::var(ROLE) {
        let args = std::env::var(ARGS).unwrap_or_default();
        let args: Vec<&str> = args.split('\u{1f}').collect();
        child::main(&role, &args);
    }
}

/// A child process playing `role` with `args`; its stdout is piped to the parent.
pub fn spawn_child(role: &str, args: &[&str]) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "reliability::child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(ROLE, role)
        .env(ARGS, args.join("\u{1f}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The report lines of a child (those starting with `@`), as they arrive.
pub fn report_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if let Some(report) = line.strip_prefix('@')
                && tx.send(report.to_owned()).is_err()
            {
                break;
            }
        }
    });
    rx
}

/// Waits for the child's `ready` line (up to 60 s).
pub fn wait_ready(lines: &mpsc::Receiver<String>) {
    let line = lines.recv_timeout(Duration::from_secs(60)).unwrap();
    assert_eq!(line, "ready");
}

/// Starts a child for each (role, arguments), waits until every one is ready, then lets
/// them all go at once (see [`go`]).
pub fn start_together(
    db: &Path,
    children: &[(&str, Vec<String>)],
) -> Vec<(std::process::Child, mpsc::Receiver<String>)> {
    let started: Vec<_> = children
        .iter()
        .map(|(role, args)| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut child = spawn_child(role, &args);
            let lines = report_lines(&mut child);
            (child, lines)
        })
        .collect();
    for (_, lines) in &started {
        wait_ready(lines);
    }
    go(db);
    started
}

/// Lets children waiting in `wait_for_go` start, all at once.
pub fn go(db: &Path) {
    std::fs::write(go_file(db), b"").unwrap();
}

/// The file whose creation starts the children: `<db>.go` beside a file, or one in the
/// temporary folder named after a team database.
pub fn go_file(db: &Path) -> std::path::PathBuf {
    match partner_desk::store::server_url(db) {
        Some(url) => {
            let name: String = url
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            std::env::temp_dir().join(format!("{name}.go"))
        }
        None => {
            let mut go = db.as_os_str().to_owned();
            go.push(".go");
            go.into()
        }
    }
}

/// A small deterministic generator (SplitMix64): the cases need reproducible randomness,
/// not a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

/// SHA-256 of a file's bytes, or of nothing when it does not exist.
pub fn hash(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).unwrap_or_default();
    format!("{:x}", Sha256::digest(bytes))
}

/// `PRAGMA integrity_check` of a file, through a plain connection.
pub fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string())
}

/// The number of rows of every table of ours, by name.
pub fn row_counts(path: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}
