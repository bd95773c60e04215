//! The database file: the mark of the window working on it, and backups through SQLite's
//! online backup API, checked before they are put in place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{FileStore, SCHEMA_VERSION, StoreError};
use crate::store::CopyDifference;

impl FileStore {
    /// Where the file as it was is kept when it is upgraded to this program's schema:
    /// `<name>-before-vN.sqlite3` beside it.
    pub fn kept_before_upgrade(path: &Path) -> PathBuf {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.with_file_name(format!("{stem}-before-v{SCHEMA_VERSION}.sqlite3"))
    }

    /// The schema version of the file at `path`, read without changing anything and without
    /// waiting for another program's write; None when it cannot be read at once (opening
    /// it says why).
    pub fn schema_version_of(path: &Path) -> Option<i64> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()?;
        conn.busy_timeout(Duration::ZERO).ok()?;
        conn.query_row("PRAGMA user_version", [], |r| r.get(0)).ok()
    }

    /// Before a schema upgrade, copies the file next to itself as
    /// `<name>-before-v<N>.sqlite3` and checks the copy, so the old data is kept whatever
    /// happens to the upgrade.
    pub(super) fn backup_before_upgrade(&self, found: i64) -> Result<(), StoreError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let target = FileStore::kept_before_upgrade(path);
        // A copy left by an earlier attempt is kept only if it checks out; it is only ever
        // put in place whole (see `copy_checked`), but a hand-made file may stand there.
        if target.exists() && check_copy(&target, found).is_ok() {
            return Ok(());
        }
        self.copy_checked(&target, found)
    }

    /// Marks this window as working on the file, so that a second window on it can say so:
    /// an OS lock on `<file>-instance`, released when the window closes or its process dies.
    /// Returns false when another window holds the mark or there is no file to mark.
    pub fn claim_instance(&self) -> bool {
        if self.instance.borrow().is_some() {
            return true;
        }
        let Some(path) = &self.path else {
            return false;
        };
        let mut name = path.as_os_str().to_owned();
        name.push("-instance");
        let Ok(file) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(PathBuf::from(name))
        else {
            return false;
        };
        match file.try_lock() {
            Ok(()) => {
                *self.instance.borrow_mut() = Some(file);
                true
            }
            Err(_) => false,
        }
    }

    /// True when another window has this file open. A window that finds the other gone takes
    /// the mark over. Windows that claimed nothing (none on a file in memory or in a folder
    /// that cannot be written) see no other.
    pub fn other_instance(&self) -> bool {
        if self.instance.borrow().is_some() || self.path.is_none() {
            return false;
        }
        if self.claim_instance() {
            return false;
        }
        // Not claimed: either another window holds it, or the mark cannot be made at all.
        let mut name = self
            .path
            .as_ref()
            .map(|p| p.as_os_str().to_owned())
            .unwrap_or_default();
        name.push("-instance");
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(PathBuf::from(name))
            .is_ok_and(|f| f.try_lock_shared().is_err())
    }

    /// Copies the database to `target` with SQLite's online backup API (other windows and
    /// processes may go on writing), checks the copy and only then puts it in place, so an
    /// interrupted backup never leaves a half-written file under the target's name.
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.copy_checked(target, version)
    }

    fn copy_checked(&self, target: &Path, version: i64) -> Result<(), StoreError> {
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let cannot = |reason: String| StoreError::CannotOpen {
            path: target.display().to_string(),
            reason,
        };
        let _ = std::fs::remove_file(&partial);
        let copied = (|| {
            {
                let mut dest = Connection::open(&partial)?;
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut dest)?;
                backup.run_to_completion(256, Duration::from_millis(0), None)?;
                drop(backup);
                // One self-contained file: no -wal or -shm beside the copy.
                dest.pragma_update(None, "journal_mode", "DELETE")?;
            }
            if let Err(reason) = check_copy(&partial, version) {
                return Err(cannot(format!("the copy does not check out ({reason})")));
            }
            std::fs::rename(&partial, target).map_err(|e| match e.raw_os_error() {
                // ENOSPC
                Some(28) => StoreError::DiskFull,
                _ => cannot(e.to_string()),
            })
        })();
        // Nothing half-written is left behind, whatever stopped the copy (a full disk).
        if copied.is_err() {
            remove_with_journal(&partial);
        }
        copied
    }
}

/// Removes a database file that is not to be kept, with the journal SQLite may have left
/// beside it.
pub(in crate::store) fn remove_with_journal(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// Why a copy of the database does not check out.
#[derive(Debug, thiserror::Error)]
enum CopyFault {
    #[error("{0}")]
    Unreadable(#[from] rusqlite::Error),
    #[error("integrity check: {0}")]
    Damaged(String),
    #[error("schema {found}, expected {expected}")]
    Version { found: i64, expected: i64 },
}

/// A copy is whole (`integrity_check`) and at the expected schema version.
fn check_copy(path: &Path, version: i64) -> Result<(), CopyFault> {
    let copy = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let found: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(CopyFault::Damaged(check));
    }
    if found != version {
        return Err(CopyFault::Version {
            found,
            expected: version,
        });
    }
    Ok(())
}

/// How much CSV text a copy hands on at a time.
const CSV_CHUNK: usize = 8 << 20;

impl FileStore {
    /// Every row of `table` (its `columns`, in id order) as CSV, handed to `take` in chunks
    /// of about 8 MiB: NULL is an empty field, text is quoted (so an empty text is `""`),
    /// a blob is its hex as PostgreSQL reads `bytea`. Returns the number of rows.
    pub(in crate::store) fn table_as_csv(
        &self,
        table: &str,
        columns: &str,
        take: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<i64, StoreError> {
        use rusqlite::types::ValueRef;
        use std::fmt::Write as _;
        let order = if columns.starts_with("id,") {
            "ORDER BY id"
        } else {
            ""
        };
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {columns} FROM {table} {order}"))?;
        let width = stmt.column_count();
        let names: Vec<&str> = columns.split(',').map(str::trim).collect();
        let mut rows = stmt.query([])?;
        let mut csv = String::new();
        let mut count = 0;
        while let Some(row) = rows.next()? {
            for i in 0..width {
                if i > 0 {
                    csv.push(',');
                }
                match row.get_ref(i)? {
                    ValueRef::Null => {}
                    ValueRef::Integer(n) => {
                        let _ = write!(csv, "{n}");
                    }
                    ValueRef::Real(x) => {
                        let _ = write!(csv, "{x}");
                    }
                    ValueRef::Text(t) => {
                        check_copied(table, &names, i, row, t)?;
                        csv.push('"');
                        csv.push_str(&String::from_utf8_lossy(t).replace('"', "\"\""));
                        csv.push('"');
                    }
                    ValueRef::Blob(b) => {
                        csv.push_str("\"\\x");
                        for byte in b {
                            let _ = write!(csv, "{byte:02x}");
                        }
                        csv.push('"');
                    }
                }
            }
            csv.push('\n');
            count += 1;
            if csv.len() >= CSV_CHUNK {
                take(csv.as_bytes())?;
                csv.clear();
            }
        }
        if !csv.is_empty() {
            take(csv.as_bytes())?;
        }
        Ok(count)
    }

    /// Every issued statement's number, stored JSON and SHA-256.
    pub(in crate::store) fn issued_json(
        &self,
    ) -> Result<Vec<(String, Vec<u8>, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT number, json, sha256 FROM issued_statements ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// Refuses a text a team database would not take, or the program would not write: past
/// its limit or with a control character where the column is a name, a number or a note
/// (`columns::text_field`), with a NUL anywhere. Named by the row's key (its first column).
fn check_copied(
    table: &str,
    names: &[&str],
    i: usize,
    row: &rusqlite::Row<'_>,
    text: &[u8],
) -> Result<(), StoreError> {
    let text = String::from_utf8_lossy(text);
    let checked = match crate::store::columns::text_field(table, names[i]) {
        Some(field) => field.check(&text),
        None if text.contains('\0') => Err(crate::domain::TextError::Control {
            code: 0,
            at: text.chars().take_while(|&c| c != '\0').count() + 1,
        }),
        None => Ok(()),
    };
    checked.map_err(|error| StoreError::StoredText {
        table: crate::store::columns::TABLES
            .iter()
            .find(|t| t.name == table)
            .map_or("?", |t| t.name),
        key: match row.get_ref(0) {
            Ok(rusqlite::types::ValueRef::Integer(n)) => format!("#{n}"),
            Ok(rusqlite::types::ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
            _ => String::new(),
        },
        column: names[i].to_owned(),
        error,
    })
}

impl FileStore {
    /// Fills this new file with the rows `read` gives for each table copied (see
    /// `columns::copied`), in one transaction, in place of the regulation's rates that a new
    /// file starts with. `read(table, columns, take)` hands each row to `take` and returns
    /// how many it gave.
    #[allow(clippy::type_complexity)]
    pub(in crate::store) fn fill_from(
        &self,
        read: &mut dyn FnMut(
            &str,
            &str,
            &mut dyn FnMut(&[rusqlite::types::Value]) -> Result<(), StoreError>,
        ) -> Result<i64, StoreError>,
    ) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let conn = &self.conn;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let tx = conn.unchecked_transaction()?;
        // A new file has the regulation's rates as its first version; the copy brings its own.
        let mut triggers = Vec::new();
        for name in ["rate_cells_no_delete", "rate_versions_no_delete"] {
            let sql: String = tx.query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )?;
            tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
            triggers.push(sql);
        }
        tx.execute_batch("DELETE FROM rate_cells; DELETE FROM rate_versions;")?;
        for sql in &triggers {
            tx.execute_batch(sql)?;
        }
        let mut copied = Vec::new();
        for (table, columns) in crate::store::columns::copied() {
            let columns = columns.as_str();
            let marks = vec!["?"; columns.split(',').count()].join(", ");
            let mut insert =
                tx.prepare(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))?;
            let rows = read(table, columns, &mut |values| {
                insert.execute(rusqlite::params_from_iter(values))?;
                Ok(())
            })?;
            copied.push((table, rows));
        }
        let broken: Option<String> = tx
            .query_row(
                "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(table) = broken {
            return Err(StoreError::CopyDiffers(CopyDifference::Reference { table }));
        }
        tx.commit()?;
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        Ok(copied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_that_fails_leaves_no_partial_file_behind() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store =
            FileStore::open(&dir.path().join("a.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
        // A folder that holds a file stands where the backup should go: the copy is
        // written and checked, and cannot be put in place.
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(target.join("x"), b"x").unwrap_or_else(|e| panic!("{e}"));
        assert!(store.backup_to(&target).is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("partial"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
