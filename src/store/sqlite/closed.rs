//! The mark a cleanly closed database leaves beside itself, `<file>-closed`: the file's
//! identity, size and modification time as they were when a command of this program
//! closed it, with no write-ahead log left. A file that still matches its mark is as the
//! program left it, so opening it skips the full check for damage, which reads the whole
//! file (a second at a million sales). Anything else — a crash, another connection still
//! open, a copy, a restore, another program's write — has no matching mark and is checked
//! in full before it is used, as every file was before.

use std::path::{Path, PathBuf};

fn mark_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-closed");
    PathBuf::from(name)
}

fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The file's state as the mark keeps it, or None while a write-ahead log with content
/// is beside it (a connection is open, or one did not close).
fn state(db: &Path) -> Option<String> {
    if std::fs::metadata(wal_path(db)).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    let meta = std::fs::metadata(db).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    #[cfg(unix)]
    let identity = {
        use std::os::unix::fs::MetadataExt as _;
        format!("{}:{}", meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let identity = String::new();
    Some(format!(
        "partner-desk closed {identity} {} {modified}\n",
        meta.len()
    ))
}

/// Whether the file is as a command of this program left it when it closed it.
pub(crate) fn matches(db: &Path) -> bool {
    match (std::fs::read_to_string(mark_path(db)), state(db)) {
        (Ok(mark), Some(now)) => mark == now,
        _ => false,
    }
}

/// Marks the file as closed cleanly, as it is now; where it cannot be (a log is left, the
/// folder is read-only), an old mark is removed so that it cannot match.
pub(crate) fn record(db: &Path) {
    let written = state(db).is_some_and(|now| std::fs::write(mark_path(db), now).is_ok());
    if !written {
        forget(db);
    }
}

/// Removes the mark: the next open checks the file in full.
pub(crate) fn forget(db: &Path) {
    let _ = std::fs::remove_file(mark_path(db));
}
