//! The SQLite engine: the database as one file (or memory, in tests). Opening and migrating
//! the file, its PRAGMAs and journal modes, the instance lock, backups through SQLite's
//! online backup API, integrity checks, and the SQL of every read and write, among them the
//! bulk loader's handling of indexes and triggers. What the rest of the program sees of it
//! is the API [`crate::store`] re-exports.

pub(super) mod bulk;
mod engine;

#[cfg(test)]
pub(in crate::store) use engine::QUEUED_ROWS;
mod closed;
mod file;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::sql::Conn;
use super::{Db, RuleError, StoreError, Tx};
use crate::domain::lang::Lang;
pub(in crate::store) use file::remove_with_journal;
pub use schema::SCHEMA_VERSION;

/// The database as one SQLite file (or memory, in tests).
pub struct FileStore {
    conn: Connection,
    path: Option<PathBuf>,
    /// The file is marked read-only: it is opened for reading and every write is refused.
    read_only: bool,
    /// This window's claim on the file (see [`FileStore::claim_instance`]).
    instance: std::cell::RefCell<Option<std::fs::File>>,
    /// The whole file was checked for damage when it was opened.
    checked: bool,
}

impl From<rusqlite::Error> for StoreError {
    /// The period-lock triggers say `locked: …`, a return's `return: RULE`; those are rules,
    /// not faults. (The program decides the lock before it writes and names the statement
    /// then; the file's triggers, for other writers, do not name it.)
    fn from(e: rusqlite::Error) -> StoreError {
        match &e {
            rusqlite::Error::SqliteFailure(_, Some(message)) if message.starts_with("locked:") => {
                RuleError::PeriodLocked {
                    number: String::from("?"),
                }
                .into()
            }
            // A value of another type than the column's: a file changed by another program.
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::WrongType {
                reason: e.to_string(),
            },
            rusqlite::Error::SqliteFailure(_, Some(message)) if message.starts_with("return:") => {
                RuleError::ReturnBroken {
                    rule: message["return:".len()..].trim().to_owned(),
                }
                .into()
            }
            rusqlite::Error::QueryReturnedNoRows => StoreError::NoRow,
            _ => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                    StoreError::Damaged(e.to_string())
                }
                Some(rusqlite::ErrorCode::DatabaseBusy) => StoreError::Busy,
                Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
                Some(rusqlite::ErrorCode::SystemIoFailure) => StoreError::DiskIo(e.to_string()),
                _ => StoreError::Sqlite(e),
            },
        }
    }
}

/// Puts the file in WAL mode, waiting until `wait_until` for another program's write to end.
/// The switch is asked inside the read it needs, so SQLite refuses it at once while
/// another program writes rather than wait (a wait there could deadlock two readers): it
/// is asked again every 50 ms instead, as the busy timeout would.
fn wal_when_free(conn: &Connection, wait_until: std::time::Instant) -> Result<(), StoreError> {
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(e) => match StoreError::from(e) {
                StoreError::Busy if std::time::Instant::now() < wait_until => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => return Err(other),
            },
        }
    }
}

/// Whether a file can be made in the folder of `path`: SQLite writes its journal there, so
/// a database in a folder that cannot be written cannot be opened at all. Tried with a
/// file made and removed at once.
fn folder_writable(path: &Path) -> bool {
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let probe = folder.join(format!(".partner-desk-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => e.kind() == std::io::ErrorKind::AlreadyExists,
    }
}

/// How long a write waits for another one on the same file before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl FileStore {
    /// Opens (creating if missing) and migrates the database file. A file written by a
    /// newer version, one that is not a SQLite database or is damaged, is refused and left
    /// untouched; a file marked read-only is opened for reading only. The whole file is
    /// checked for damage unless a command of this program closed it cleanly
    /// ([`FileStore::close`]) and nothing has changed it since.
    pub fn open(path: &Path) -> Result<FileStore, StoreError> {
        let check = !closed::matches(path);
        FileStore::open_with(path, check, BUSY_TIMEOUT)
    }

    /// Whether the whole file was checked for damage when it was opened (a file closed
    /// cleanly and unchanged since is not).
    pub fn checked_on_open(&self) -> bool {
        self.checked
    }

    /// Closes the database. A file this closing leaves with no write-ahead log (no other
    /// connection is open) is marked as closed cleanly, so that the next command opens it
    /// without reading it whole.
    pub fn close(self) {
        let path = self.path.clone().filter(|_| !self.read_only);
        drop(self);
        if let Some(path) = path {
            closed::record(&path);
        }
    }

    /// Opens the file like [`FileStore::open`] but leaves the check for damage, which reads
    /// the whole file (1.1 s at a million sales), to [`Db::damage`]: the window runs it on a
    /// thread of its own and writes nothing until it passed. A file that needs an upgrade is
    /// checked here all the same.
    pub fn open_unchecked(path: &Path) -> Result<FileStore, StoreError> {
        FileStore::open_with(path, false, BUSY_TIMEOUT)
    }

    /// [`FileStore::open_unchecked`] for a window, which must not freeze: while the file is
    /// opened it waits at most `wait` for another program's write (a large import from the
    /// command line holds the file until it commits), then tells [`StoreError::Busy`].
    /// Once open, its writes wait for others as any do.
    pub fn open_unchecked_waiting(path: &Path, wait: Duration) -> Result<FileStore, StoreError> {
        FileStore::open_with(path, false, wait)
    }

    fn open_with(path: &Path, check: bool, wait: Duration) -> Result<FileStore, StoreError> {
        let asked = std::time::Instant::now();
        FileStore::open_here(path, check, wait).map_err(|e| match e {
            StoreError::Busy => StoreError::BusyFor {
                waited: asked.elapsed(),
            },
            StoreError::CannotOpen { .. } | StoreError::Sqlite(_) | StoreError::DiskIo(_)
                if !folder_writable(path) =>
            {
                StoreError::FolderReadOnly {
                    folder: path
                        .parent()
                        .map_or_else(String::new, |d| d.display().to_string()),
                }
            }
            other => other,
        })
    }

    fn open_here(path: &Path, check: bool, wait: Duration) -> Result<FileStore, StoreError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::CannotOpen {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
        }
        // The permission bits are the user's word, even for a user the system lets write.
        let read_only = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| StoreError::CannotOpen {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
        conn.busy_timeout(wait)?;
        let wait_until = std::time::Instant::now() + wait;
        let store = FileStore::init(conn, Some(path.to_path_buf()), read_only, check, wait_until)?;
        store.conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(store)
    }

    /// A fresh database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<FileStore, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        FileStore::init(conn, None, false, true, std::time::Instant::now())
    }

    fn init(
        conn: Connection,
        path: Option<PathBuf>,
        read_only: bool,
        check: bool,
        wait_until: std::time::Instant,
    ) -> Result<FileStore, StoreError> {
        let shown = path
            .as_ref()
            .map_or(":memory:".into(), |p| p.display().to_string());
        let not_ours = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: shown.clone(),
            },
            _ => StoreError::from(e),
        };
        // Every statement the program runs stays prepared (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(128);
        // Plans stay as prepared: no statement is compiled again because a bound value
        // changed (SQLite otherwise re-prepares on some rebinds, per row of an import).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        // Read the version before anything writes to the file.
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_ours)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: shown,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found > 0
            && !schema::looks_like_ours(&conn).map_err(|e| match e {
                StoreError::Sqlite(e) => not_ours(e),
                other => other,
            })?
        {
            return Err(StoreError::NotADatabase { path: shown });
        }
        if found == 0 && schema::has_foreign_tables(&conn)? {
            return Err(StoreError::NotADatabase { path: shown });
        }
        // A damaged file is refused before anything is written to it, so that its backup
        // or a recovery tool still sees it as it was.
        let checked = found > 0 && (check || found < SCHEMA_VERSION);
        if checked {
            Db::new(Conn::Lite(&conn)).damage()?;
        }
        if read_only && found < SCHEMA_VERSION {
            return Err(StoreError::ReadOnly { path: shown });
        }
        if !read_only {
            conn.pragma_update(None, "foreign_keys", true)?;
            if path.is_some() {
                wal_when_free(&conn, wait_until)?;
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        // 16 MiB of page cache (a bulk import takes more, see `Db::begin_bulk_sales`).
        conn.pragma_update(None, "cache_size", -16_384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Case-insensitive search that knows Cyrillic (SQLite's own lower() is ASCII only).
        conn.create_scalar_function(
            "casefold",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8
                | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<String>(0)?.to_lowercase()),
        )?;
        let mut store = FileStore {
            conn,
            path,
            read_only,
            instance: Default::default(),
            checked,
        };
        if read_only {
            return Ok(store);
        }
        if found > 0 && found < SCHEMA_VERSION {
            store.backup_before_upgrade(found)?;
        }
        schema::migrate(&mut store.conn, found)?;
        Ok(store)
    }

    /// SQLite's `PRAGMA data_version` on this connection: it changes when another
    /// connection commits, never for this one's own writes.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The file this store is on, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when the file is marked read-only and every write is refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// What a window should say about the file besides its contents: another window has
    /// it open, it is read-only.
    pub fn notices(&self, lang: Lang) -> Vec<&'static str> {
        let mut notices = Vec::new();
        if self.other_instance() {
            notices.push(lang.pick(
                "база открыта и в другом окне",
                "the database is open in another window too",
            ));
        }
        if self.read_only {
            notices.push(lang.pick("файл только для чтения", "the file is read-only"));
        }
        notices
    }

    /// Reads outside a transaction.
    pub fn read(&self) -> Db<'_> {
        Db::new(Conn::Lite(&self.conn))
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is committed, or none.
    /// Another process writing at the same time is waited for (up to 10 s), not reported.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self
                    .path
                    .as_ref()
                    .map_or(String::new(), |p| p.display().to_string()),
            }
            .into());
        }
        let asked = std::time::Instant::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| match StoreError::from(e) {
                StoreError::Busy => StoreError::BusyFor {
                    waited: asked.elapsed(),
                },
                other => other,
            })?;
        // Every write counts itself, so an import knows whether it is still the last one.
        tx.execute("UPDATE changes SET seq = seq + 1 WHERE id = 1", [])
            .map_err(StoreError::from)?;
        let value = f(&Tx {
            db: Db::new(Conn::Lite(&tx)),
        })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Runs `f` like [`Store::write`], with SQLite's foreign-key and CHECK constraints set
    /// aside for this connection until the transaction ends: for a bulk load, whose end
    /// checks every row the load wrote against each of them before it commits
    /// (`sqlite::bulk`). Temporary storage is a file meanwhile: SQLite builds an
    /// index half as fast again when its sorter works in memory. Both are as before
    /// afterwards, also when `f` fails.
    ///
    /// When this is the only connection to the file (the command line), the load goes
    /// through a rollback journal instead of the write-ahead log: the pages it adds are
    /// written once, to the file, instead of to the log and then again to the file at the
    /// checkpoint. The commit is as atomic and as durable (`synchronous = FULL`). The file
    /// is back in WAL mode afterwards; a program that opens the file meanwhile waits for the
    /// commit (see [`Store::open_unchecked_waiting`]). With another connection open (a
    /// window and its reader), the switch is refused at once and the load goes through the
    /// log as any write does.
    pub(crate) fn write_bulk<T, E>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        // `foreign_keys` cannot change inside a transaction: set before it begins.
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 PRAGMA ignore_check_constraints = ON;
                 PRAGMA temp_store = FILE",
            )
            .map_err(StoreError::from)?;
        let journal = self.path.is_some() && self.alone_switch_journal("DELETE");
        let result = self.write(f);
        if journal {
            // Refused only while another connection reads at this very moment; that one's
            // `Store::open` puts the file back in WAL mode itself.
            let _ = self.alone_switch_journal("WAL");
        }
        let restored = self
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA ignore_check_constraints = OFF;
                 PRAGMA temp_store = MEMORY",
            )
            .map_err(StoreError::from);
        let value = result?;
        restored?;
        Ok(value)
    }

    /// Puts the file in journal `mode` ("DELETE" or "WAL") if no other connection has it
    /// open, without waiting for one to close. True when the file is now in that mode.
    fn alone_switch_journal(&self, mode: &str) -> bool {
        if self.conn.busy_timeout(Duration::ZERO).is_err() {
            return false;
        }
        let now = self
            .conn
            .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| {
                r.get::<_, String>(0)
            });
        let restored = self.conn.busy_timeout(BUSY_TIMEOUT).is_ok();
        restored && now.is_ok_and(|now| now.eq_ignore_ascii_case(mode))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Localized;

    fn pragmas(store: &FileStore) -> (i64, i64, i64) {
        let get = |name: &str| -> i64 {
            store
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap_or(-1)
        };
        (
            get("foreign_keys"),
            get("ignore_check_constraints"),
            get("temp_store"),
        )
    }

    #[test]
    fn a_bulk_write_puts_the_constraints_back_whether_it_succeeds_or_fails() {
        let mut store = FileStore::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let usual = pragmas(&store);
        assert_eq!(
            usual,
            (1, 0, 2),
            "foreign keys on, checks on, temp in memory"
        );
        let inside = store
            .write_bulk(|db| {
                db.conn
                    .query_row("PRAGMA ignore_check_constraints", (), |r| r.get::<i64>(0))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inside, 1, "a load sets the CHECKs aside");
        assert_eq!(pragmas(&store), usual);
        let failed = store.write_bulk(|_| Err::<(), _>(StoreError::NoRow));
        assert!(failed.is_err());
        assert_eq!(pragmas(&store), usual);
    }

    fn journal(db: &Db<'_>) -> Result<String, StoreError> {
        db.conn.query_row("PRAGMA journal_mode", (), |r| r.get(0))
    }

    #[test]
    fn a_bulk_write_alone_on_its_file_goes_through_a_rollback_journal_and_leaves_wal_after() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bulk.sqlite3");
        let mut store = FileStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(journal(&store.read()).ok().as_deref(), Some("wal"));
        let inside = store.write_bulk(|tx| journal(tx));
        assert_eq!(inside.ok().as_deref(), Some("delete"));
        assert_eq!(journal(&store.read()).ok().as_deref(), Some("wal"));
        let failed = store.write_bulk(|_| Err::<(), _>(StoreError::NoRow));
        assert!(failed.is_err());
        assert_eq!(journal(&store.read()).ok().as_deref(), Some("wal"));

        // Another connection (a window's reader) keeps the load in the log, without a wait
        // for the busy timeout.
        let other = FileStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(journal(&other.read()).ok().as_deref(), Some("wal"));
        let started = std::time::Instant::now();
        let inside = store.write_bulk(|tx| journal(tx));
        assert_eq!(inside.ok().as_deref(), Some("wal"));
        assert!(
            started.elapsed() < BUSY_TIMEOUT / 2,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(journal(&other.read()).ok().as_deref(), Some("wal"));
    }

    #[test]
    fn a_window_opened_during_a_rollback_journal_load_waits_for_its_commit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bulk.sqlite3");
        let mut store = FileStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let opened = store
            .write_bulk(|db| {
                db.conn.execute_batch(
                    "CREATE TABLE filler (x TEXT);
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
                     INSERT INTO filler SELECT hex(randomblob(500)) FROM n;",
                )?;
                let path = path.clone();
                let newcomer = std::thread::spawn(move || {
                    FileStore::open(&path).map(|s| journal(&s.read()).ok())
                });
                std::thread::sleep(Duration::from_millis(300));
                Ok::<_, StoreError>(newcomer)
            })
            .unwrap_or_else(|e| panic!("{e}"));
        // The load outgrows the page cache, so it holds the file from early on: the newcomer
        // waits for the commit and opens the file in WAL mode.
        let opened = opened
            .join()
            .unwrap_or_else(|_| panic!("the newcomer panicked"));
        assert_eq!(opened.ok().flatten().as_deref(), Some("wal"));
        let filled: i64 = store
            .conn
            .query_row("SELECT count(*) FROM filler", [], |r| r.get(0))
            .unwrap_or(-1);
        assert_eq!(filled, 40000);
    }

    #[test]
    fn a_full_disk_is_told_as_such_in_both_languages_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("full.sqlite3");
        let mut store = FileStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        // The file may grow no further: the next pages a write needs are refused as on a
        // full disk (SQLITE_FULL).
        let pages: i64 = store
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap_or(0);
        let _ = store
            .conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                r.get::<_, i64>(0)
            });
        let e = store
            .write(|tx| {
                for i in 0..2000 {
                    tx.conn.execute(
                        "INSERT INTO clients (inn, name) VALUES (?1, ?2)",
                        (format!("{i:010}"), "x".repeat(400)),
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::DiskFull), "{e:?}");
        assert!(
            e.text(Lang::Ru)
                .starts_with("диск, на котором лежит база данных, заполнен")
        );
        assert!(e.text(Lang::En).contains("free some space on it"));
        let clients: i64 = store
            .conn
            .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
            .unwrap_or(-1);
        assert_eq!(clients, 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_database_in_a_folder_that_cannot_be_written_is_told_so() {
        // /proc cannot be written even by root, as a read-only disk cannot.
        let e = FileStore::open(Path::new("/proc/partner-desk.sqlite3"))
            .err()
            .unwrap_or_else(|| panic!("opened"));
        assert!(
            matches!(&e, StoreError::FolderReadOnly { folder } if folder == "/proc"),
            "{e:?}"
        );
        assert!(
            e.text(Lang::Ru)
                .starts_with("в папку /proc нельзя записывать")
        );
    }

    #[test]
    fn a_file_kept_busy_by_another_program_is_told_in_a_sentence() {
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        let e = StoreError::from(busy);
        assert!(matches!(e, StoreError::Busy), "{e:?}");
        assert!(e.text(Lang::Ru).starts_with("база данных занята"));
        assert!(e.text(Lang::En).contains("try again when it has finished"));
    }
}
