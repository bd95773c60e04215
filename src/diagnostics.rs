//! What the program leaves behind for support: a log in the data folder (what was opened,
//! imported, exported and issued; errors with their context) and, when it panics, a crash
//! report with the version and the last lines of the log, shown on the next start.
//!
//! The log holds nothing beyond what the database already holds (INNs, names, file paths).

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// How many log files are kept (one a day).
const LOG_FILES_KEPT: usize = 14;
/// How many of the last log lines a crash report carries.
const LINES_IN_A_CRASH_REPORT: usize = 40;

/// The program's own folder in the user's data folder: `<data>/partner-desk`.
pub fn data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("partner-desk"))
}

/// Where the logs are written: `<data>/partner-desk/logs`.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Where crash reports are written: `<data>/partner-desk/crashes`.
pub fn crash_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("crashes")
}

/// The version as About and the crash report say it: `0.1.0 (abc1234, 2026-11-28)`.
pub fn version() -> String {
    format!(
        "{} ({}, {})",
        env!("CARGO_PKG_VERSION"),
        env!("PARTNER_DESK_COMMIT"),
        env!("PARTNER_DESK_BUILD_DATE")
    )
}

/// The last lines logged, for a crash report: whole lines, and the one being written.
#[derive(Clone, Default)]
struct Recent(Arc<Mutex<(VecDeque<String>, String)>>);

impl Recent {
    fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|l| l.0.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// [`Recent::lines`] without waiting: none when the lines are being written (the
    /// allocation that failed may be this very thread's, holding them).
    fn lines_now(&self) -> Vec<String> {
        self.0
            .try_lock()
            .map(|l| l.0.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl std::io::Write for Recent {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut guard) = self.0.lock() {
            let (lines, partial) = &mut *guard;
            partial.push_str(&String::from_utf8_lossy(buf));
            while let Some(end) = partial.find('\n') {
                if lines.len() == LINES_IN_A_CRASH_REPORT {
                    lines.pop_front();
                }
                lines.push_back(partial[..end].to_owned());
                partial.drain(..=end);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts the log: a file a day in `<data_dir>/logs` (the last 14 kept), the last lines in
/// memory for a crash report, and, with `verbose`, every line on stderr too. Installs the
/// panic hook that writes crash reports. Where no file can be written, the program runs
/// on without a log file. The guard keeps the file writer; drop it last.
pub fn start(
    data_dir: Option<&Path>,
    verbose: bool,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let recent = Recent::default();
    let level = if verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::INFO
    };
    let filter = tracing_subscriber::filter::Targets::new().with_target("partner_desk", level);
    let (file, guard) = match data_dir.map(log_dir).and_then(|dir| {
        std::fs::create_dir_all(&dir).ok()?;
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("partner-desk")
            .filename_suffix("log")
            .max_log_files(LOG_FILES_KEPT)
            .build(dir)
            .ok()
    }) {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (Some(writer), Some(guard))
        }
        None => (None, None),
    };
    let memory = recent.clone();
    // Every line passes through `redact` on its way to the file, the memory and the
    // terminal: an address typed with its password is never kept.
    let _ =
        tracing_subscriber::registry()
            .with(filter)
            .with(file.map(|w| {
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || {
                        Redacting(tracing_subscriber::fmt::MakeWriter::make_writer(&w))
                    })
            }))
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || Redacting(memory.clone())),
            )
            .with(verbose.then(|| {
                tracing_subscriber::fmt::layer().with_writer(|| Redacting(std::io::stderr()))
            }))
            .try_init();
    if let Some(dir) = data_dir.map(crash_dir) {
        let _ = CRASHES.set(Crashes {
            dir: dir.clone(),
            logs: data_dir.map(log_dir),
            recent: recent.clone(),
        });
        crate::alloc::on_failure(allocation_failed);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            tracing::error!("the program stopped: {info}");
            let report = crash_report(&info.to_string(), &recent.lines());
            if let Ok(path) = write_crash_report(&dir, &report) {
                eprintln!("Crash report: {}", path.display());
            }
            previous(info);
        }));
    }
    guard
}

/// Where a failed allocation's report goes, set by [`start`].
struct Crashes {
    dir: PathBuf,
    logs: Option<PathBuf>,
    recent: Recent,
}

static CRASHES: std::sync::OnceLock<Crashes> = std::sync::OnceLock::new();

/// A failed allocation's report, called by the allocator with its reserve given back
/// (see `crate::alloc`): the crash report first without the backtrace (whose symbols take
/// memory), then the backtrace; a line in today's log written directly, since the log's
/// writer thread may never run again. The program aborts after it.
fn allocation_failed(size: usize) {
    let Some(crashes) = CRASHES.get() else {
        return;
    };
    let what = format!("memory allocation of {size} bytes failed");
    let lines = crashes.recent.lines_now();
    let mut text = format!(
        "Partner Desk {}\n{} {}\n\n{what}\n\nLast lines of the log:\n",
        version(),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    for line in &lines {
        text += line;
        text += "\n";
    }
    let Ok(path) = write_crash_report(&crashes.dir, &text) else {
        return;
    };
    eprintln!("Crash report: {}", path.display());
    if let Some(logs) = &crashes.logs {
        let name = format!("partner-desk.{}.log", chrono::Utc::now().format("%Y-%m-%d"));
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(logs.join(name))
        {
            let _ = writeln!(
                log,
                "{} ERROR partner_desk::diagnostics: the program stopped: {what}; crash report {}",
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ"),
                path.display()
            );
        }
    }
    if let Ok(mut file) = std::fs::OpenOptions::new().append(true).open(&path) {
        let _ = write!(file, "\n{}\n", std::backtrace::Backtrace::force_capture());
    }
}

/// `text` with every password it holds replaced by `***`: the one in an address's user
/// part (`postgres://anna:secret@db/pd`) and any `password=…` (an address's query, a
/// connection string). What is said to the user and what is logged passes through it.
pub fn redact(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut kept = 0;
    let mut hidden = Vec::new();
    // The password of each address's user part: after "://", up to the last '@' before
    // the address's host ends.
    let mut from = 0;
    while let Some(at) = text[from..].find("://") {
        let start = from + at + 3;
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || "/?#\"'»)>".contains(c))
            .map_or(text.len(), |e| start + e);
        if let Some(user_end) = text[start..end].rfind('@').map(|e| start + e)
            && let Some(colon) = text[start..user_end].find(':').map(|c| start + c)
        {
            hidden.push((colon + 1, user_end));
        }
        from = end.max(start);
    }
    // Every "password=…", whatever its case.
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("password=") {
        let start = from + at + "password=".len();
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || "&;\"'»".contains(c))
            .map_or(text.len(), |e| start + e);
        hidden.push((start, end));
        from = end.max(start);
    }
    if hidden.iter().all(|(start, end)| start == end) {
        return std::borrow::Cow::Borrowed(text);
    }
    hidden.sort_unstable();
    for (start, end) in hidden {
        if start < kept || start == end {
            continue;
        }
        out.push_str(&text[kept..start]);
        out.push_str("***");
        kept = end;
    }
    out.push_str(&text[kept..]);
    std::borrow::Cow::Owned(out)
}

/// A writer that hides passwords ([`redact`]) in what it is given to write.
struct Redacting<W>(W);

impl<W: std::io::Write> std::io::Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(redact(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A crash report: what panicked and where, the version, and the last lines of the log.
pub fn crash_report(panic: &str, last_lines: &[String]) -> String {
    let mut text = format!(
        "Partner Desk {}\n{} {}\n\n{panic}\n\n{}\n\n",
        version(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::backtrace::Backtrace::force_capture()
    );
    text += "Last lines of the log:\n";
    for line in last_lines {
        text += line;
        text += "\n";
    }
    text
}

/// Writes a crash report into `dir` as `crash-<time>.txt`, and says where.
pub fn write_crash_report(dir: &Path, report: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name = format!(
        "crash-{}.txt",
        chrono::Local::now().format("%Y-%m-%d-%H%M%S")
    );
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path)?;
    file.write_all(report.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

/// The crash reports not yet shown to the user, oldest first.
pub fn unseen_crashes(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
                && !seen_mark(p).exists()
        })
        .collect();
    found.sort();
    found
}

/// Notes that the user has been told of these crash reports.
pub fn mark_seen(reports: &[PathBuf]) {
    for report in reports {
        if let Err(e) = std::fs::write(seen_mark(report), b"") {
            tracing::warn!("cannot mark {} as seen: {e}", report.display());
        }
    }
}

fn seen_mark(report: &Path) -> PathBuf {
    report.with_extension("seen")
}

/// Opens a folder (or a file) in the system's file manager.
pub fn open_in_system(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let program = "explorer";
    #[cfg(target_os = "macos")]
    let program = "open";
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let program = "xdg-open";
    std::process::Command::new(program)
        .arg(path)
        .spawn()
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_report_carries_the_version_the_panic_and_the_last_log_lines() {
        let dir = tempfile::tempdir().unwrap();
        let report = crash_report(
            "panicked at src/app.rs:1:1: boom",
            &["INFO opened /tmp/x.sqlite3".to_owned()],
        );
        let path = write_crash_report(dir.path(), &report).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!("Partner Desk {}", env!("CARGO_PKG_VERSION"))));
        assert!(text.contains("boom"));
        assert!(text.ends_with("INFO opened /tmp/x.sqlite3\n"));
        assert_eq!(unseen_crashes(dir.path()), std::slice::from_ref(&path));
        mark_seen(&[path]);
        assert!(unseen_crashes(dir.path()).is_empty());
    }

    #[test]
    fn no_password_is_kept_in_what_is_logged_or_said() {
        for (said, kept) in [
            (
                "ServerAddUser { url: \"postgres://owner:s3cr3t@db.example:5432/pd\", name: \"anna\" }",
                "ServerAddUser { url: \"postgres://owner:***@db.example:5432/pd\", name: \"anna\" }",
            ),
            (
                "copy --to postgresql://a:b:c@db/pd?sslmode=require&password=xyz done",
                "copy --to postgresql://a:***@db/pd?sslmode=require&password=*** done",
            ),
            (
                "host=db user=anna PASSWORD=hunter2 dbname=pd",
                "host=db user=anna PASSWORD=*** dbname=pd",
            ),
            (
                "postgres://anna@db.example/pd",
                "postgres://anna@db.example/pd",
            ),
            (
                "no address here: 12:30 @ home",
                "no address here: 12:30 @ home",
            ),
        ] {
            assert_eq!(redact(said), kept);
        }
        let mut written = Redacting(Vec::new());
        write!(written, "opened postgres://anna:secret@db/pd").unwrap();
        assert_eq!(written.0, b"opened postgres://anna:***@db/pd");
    }

    #[test]
    fn recent_lines_keep_only_the_last_ones() {
        let mut recent = Recent::default();
        for i in 0..LINES_IN_A_CRASH_REPORT + 5 {
            writeln!(recent, "line {i}").unwrap();
        }
        let lines = recent.lines();
        assert_eq!(lines.len(), LINES_IN_A_CRASH_REPORT);
        assert_eq!(lines[0], "line 5");
    }
}
