//! Automatic backups: when the window opens a database, a checked copy of it is taken into
//! a `backups` folder beside it, and only the last N such copies are kept.

use std::path::{Path, PathBuf};

use crate::store::{Store, StoreError};

/// The environment variable that turns automatic backups on: the number of copies to keep.
pub const KEEP_VAR: &str = "PARTNER_DESK_BACKUPS";

/// How many automatic backups to keep, from `PARTNER_DESK_BACKUPS`; `None` (off) when it is
/// unset, empty, 0 or not a number.
pub fn keep_from_env() -> Option<usize> {
    std::env::var(KEEP_VAR)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &usize| n > 0)
}

/// Opens `db` on its own connection (for a worker thread) and backs it up with
/// [`on_start`], stamped with the time now. Returns the copy's path.
pub fn run(db: &Path, keep: usize) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let store = Store::open(db)?;
    on_start(&store, keep, &stamp)
}

/// The folder automatic backups of `db` go to: `backups` beside it.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Copies the database into its backups folder as `<name>-<stamp>.sqlite3` (the copy is
/// checked before it is put in place), then deletes all but the newest `keep` copies of this
/// database. `stamp` is the time as `YYYYMMDD-HHMMSS`, so names sort by age. Returns the
/// copy's path.
pub fn on_start(store: &Store, keep: usize, stamp: &str) -> Result<PathBuf, StoreError> {
    let Some(db) = store.path() else {
        return Err(match store.server() {
            Some(server) => StoreError::CannotOpen {
                path: server.to_owned(),
                reason: "a team database is backed up on its server (pg_dump); \
                         partner-desk copy --from URL --to FILE makes an archive of it here"
                    .into(),
            },
            None => StoreError::CannotOpen {
                path: ":memory:".into(),
                reason: "a database in memory has no file to back up".into(),
            },
        });
    };
    let dir = folder(db);
    let cannot = |e: std::io::Error| StoreError::CannotOpen {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(cannot)?;
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = dir.join(format!("{stem}-{stamp}.sqlite3"));
    store.backup_to(&target)?;
    let mut copies: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(cannot)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_copy_of(p, &stem))
        .collect();
    copies.sort();
    let excess = copies.len().saturating_sub(keep.max(1));
    for old in &copies[..excess] {
        std::fs::remove_file(old).map_err(cannot)?;
    }
    Ok(target)
}

/// `<stem>-YYYYMMDD-HHMMSS.sqlite3`, and nothing else a user may have put there.
fn is_copy_of(path: &Path, stem: &str) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some(stamp) = name
        .strip_prefix(stem)
        .and_then(|n| n.strip_prefix('-'))
        .and_then(|n| n.strip_suffix(".sqlite3"))
    else {
        return false;
    };
    stamp.len() == 15
        && stamp
            .char_indices()
            .all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() })
}
