//! The database, as the rest of the program sees it: one API through which everything is
//! read and written, whatever engine keeps the data.
//!
//! - [`Store`] is an open database: [`Store::read`] gives a [`Db`], a view with read methods
//!   only; [`Store::write`] runs a closure in one transaction and hands it a [`Tx`], the only
//!   type with write methods (it reads too, through `Deref<Target = Db>`).
//! - Reads and writes are domain operations (partners, pins, sales, returns, rates,
//!   statements, imports, the Overview's queries) that take and give domain types and the
//!   rows below; no SQL leaves this module.
//! - What went wrong is a [`StoreError`], and a broken rule is its [`RuleError`], each said
//!   in Russian and English.
//!
//! Two engines keep the data: a SQLite file ([`sqlite`], one manager's, the default) and a
//! PostgreSQL server ([`postgres`], a team's). The SQL of every read and write is written
//! once, in the modules here, and runs on either through `sql::Conn`; what is one
//! engine's own (opening a file, PRAGMAs, backups, the bulk loader's index handling;
//! connecting to a server, its schema, COPY) lives in that engine's module.

pub mod columns;
pub mod copy;
mod corrections;
mod engine;
mod errors;
mod imports;
mod issued;
mod overview;
mod partners;
mod payments;
mod pins;
pub mod postgres;
mod rates;
mod requisites;
mod rows;
mod sale;
mod sales;
mod sales_bulk;
mod sales_list;
pub(crate) mod sql;
pub mod sqlite;
mod values;
pub mod watch;

use std::path::{Path, PathBuf};

use crate::domain::lang::Lang;
use crate::domain::{Inn, PartnerId, SaleId};
use chrono::NaiveDate;

pub use corrections::{
    Correction, CorrectionKind, RecordOf, Recorded, changes as correction_changes,
};
pub use engine::BulkSales;
pub use errors::{CopyDifference, RuleError, ServerProblem, StoreError, Stored};
pub use imports::{ImportLog, ImportRecord};
pub use issued::{IssuedRow, NewIssued};
pub use overview::{MonthPremiums, Refusal};
pub use partners::{PartnerRecord, PartnerRow, StatusRecord};
pub use payments::PaymentRow;
pub use pins::{PinCancel, PinEvent, PinEventKind, PinOutcome, PinRow};
use rows::*;
pub use sale::{CheckedSale, NewSale, SaleRefusal};
pub use sales::SaleRow;
pub use sales_bulk::SaleRules;
pub use sales_list::{SaleListRow, SalesQuery, SalesSelection, SalesSort};
use sql::{Conn, Optional as _};
pub use sqlite::SCHEMA_VERSION;

/// The URL when `path` is a team database's address, not a file.
pub fn server_url(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| postgres::is_server_url(p))
}

/// A kind of change a login may or may not make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Right {
    /// Partners, statuses, pins, sales, returns, imports: a manager's work.
    Record,
    /// Rates, issuing and reopening statements: a lead's.
    Lead,
}

impl Right {
    /// What a login without this right is told (the window says it on a disabled action).
    pub fn refusal(self, lang: Lang) -> &'static str {
        match self {
            Right::Record => lang.pick(
                "Ваша роль в общей базе — аудитор: она читает и выгружает, но не записывает. Закрепления, продажи, возвраты, статусы и импорт записывают менеджеры и руководители. Ничего не изменено.",
                "Your role in the team database is auditor: it reads and exports but does not record. Pins, sales, returns, statuses and imports are recorded by managers and leads. Nothing was changed.",
            ),
            Right::Lead => lang.pick(
                "Ставки, выдачу и переоткрытие ведомостей меняют только руководители (роль lead в общей базе). Ничего не изменено.",
                "Rates, issuing and reopening statements are changed by leads only (the lead role in the team database). Nothing was changed.",
            ),
        }
    }
}

/// What the login may change: on a file, everything; on a team database, what its role
/// (`partner_desk_manager`, `partner_desk_lead`, `partner_desk_auditor`) is granted. The
/// server enforces it; the window only follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rights {
    pub record: bool,
    pub lead: bool,
}

impl Rights {
    pub const ALL: Rights = Rights {
        record: true,
        lead: true,
    };

    pub fn allows(self, right: Right) -> bool {
        match right {
            Right::Record => self.record,
            Right::Lead => self.lead,
        }
    }
}

impl Default for Rights {
    fn default() -> Rights {
        Rights::ALL
    }
}

/// How a time of record is written: RFC 3339 with milliseconds and the local offset.
pub(crate) const STAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3f%:z";

/// An open database: a file, or a team's database on a server.
pub struct Store {
    engine: Engine,
}

enum Engine {
    File(sqlite::FileStore),
    Server(Box<postgres::PgConn>),
}

impl Store {
    /// Opens (creating if missing) and migrates the database file; see
    /// [`sqlite::FileStore::open`]. A `postgres://` URL in place of the path connects to
    /// that team database instead ([`Store::connect`]): `--db` and `PARTNER_DESK_DB` take
    /// either.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(url) = server_url(path) {
            return Store::connect(url);
        }
        sqlite::FileStore::open(path).map(Store::file)
    }

    /// [`Store::open`] without the check for damage, left to [`Db::damage`].
    pub fn open_unchecked(path: &Path) -> Result<Store, StoreError> {
        if let Some(url) = server_url(path) {
            return Store::connect(url);
        }
        sqlite::FileStore::open_unchecked(path).map(Store::file)
    }

    /// [`Store::open_unchecked`] for a window, waiting at most `wait` for another
    /// program's write.
    pub fn open_unchecked_waiting(
        path: &Path,
        wait: std::time::Duration,
    ) -> Result<Store, StoreError> {
        if let Some(url) = server_url(path) {
            return Store::connect(url);
        }
        sqlite::FileStore::open_unchecked_waiting(path, wait).map(Store::file)
    }

    /// A fresh database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        sqlite::FileStore::open_in_memory().map(Store::file)
    }

    /// Connects to a team database on a server (`postgres://…`), which `server init` made
    /// at this program's schema version.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Ok(Store {
            engine: Engine::Server(Box::new(postgres::open(url)?)),
        })
    }

    fn file(file: sqlite::FileStore) -> Store {
        Store {
            engine: Engine::File(file),
        }
    }

    /// The file under this store, when it is a file.
    pub fn as_file(&self) -> Option<&sqlite::FileStore> {
        match &self.engine {
            Engine::File(f) => Some(f),
            Engine::Server(_) => None,
        }
    }

    /// The server, as shown to people (`user@host:port/database`), when it is one.
    pub fn server(&self) -> Option<&str> {
        match &self.engine {
            Engine::File(_) => None,
            Engine::Server(s) => Some(&s.shown),
        }
    }

    /// Where the data is, as shown to people: the file's path or the server.
    pub fn shown(&self) -> String {
        match &self.engine {
            Engine::File(f) => f
                .path()
                .map_or(":memory:".into(), |p| p.display().to_string()),
            Engine::Server(s) => s.shown.clone(),
        }
    }

    /// Whether the whole file was checked for damage when it was opened (a server always
    /// keeps its own pages whole).
    pub fn checked_on_open(&self) -> bool {
        self.as_file().is_none_or(|f| f.checked_on_open())
    }

    /// Closes the database (a file closed cleanly opens faster next time).
    pub fn close(self) {
        match self.engine {
            Engine::File(f) => f.close(),
            Engine::Server(_) => {}
        }
    }

    /// The file this store is on, if any.
    pub fn path(&self) -> Option<&Path> {
        self.as_file().and_then(|f| f.path())
    }

    /// True when the file is marked read-only and every write is refused.
    pub fn is_read_only(&self) -> bool {
        self.as_file().is_some_and(|f| f.is_read_only())
    }

    /// What a window should say about the database besides its contents.
    pub fn notices(&self, lang: Lang) -> Vec<&'static str> {
        self.as_file().map_or_else(Vec::new, |f| f.notices(lang))
    }

    /// Where the file as it was is kept when it is upgraded.
    pub fn kept_before_upgrade(path: &Path) -> PathBuf {
        sqlite::FileStore::kept_before_upgrade(path)
    }

    /// The schema version of the file at `path`, read without changing anything.
    pub fn schema_version_of(path: &Path) -> Option<i64> {
        sqlite::FileStore::schema_version_of(path)
    }

    /// Marks this window as working on the file (a server needs no mark).
    pub fn claim_instance(&self) -> bool {
        self.as_file().is_none_or(|f| f.claim_instance())
    }

    /// True when another window has the file open.
    pub fn other_instance(&self) -> bool {
        self.as_file().is_some_and(|f| f.other_instance())
    }

    /// Copies the whole database to the file `target`, checked before it is put in place: a
    /// file's backup, or a server's archive on this computer.
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        match &self.engine {
            Engine::File(f) => f.backup_to(target),
            Engine::Server(_) => self.archive_to(target).map(drop),
        }
    }

    /// A team database copied whole into a new file at `target` (see
    /// [`copy::server_to_file`]); a file is not a team database and is refused.
    pub fn archive_to(&self, target: &Path) -> Result<copy::Copied, StoreError> {
        match &self.engine {
            Engine::Server(s) => copy::server_to_file(s, target),
            Engine::File(f) => Err(StoreError::BadServerUrl {
                url: f.path().map_or(String::new(), |p| p.display().to_string()),
                reason: errors::ServerProblem::NotATeamDatabase,
            }),
        }
    }

    /// What this login may change (asked of the server each time: an administrator may
    /// change a role while the window is open).
    pub fn rights(&self) -> Result<Rights, StoreError> {
        match &self.engine {
            Engine::File(_) => Ok(Rights::ALL),
            Engine::Server(s) => {
                let row = s
                    .client
                    .borrow_mut()
                    .query_one(
                        "SELECT has_function_privilege('partner_desk.take_turn(text)', 'EXECUTE'),
                                has_function_privilege('partner_desk.issue_statement(text, bigint,
                                    date, date, date, bytea, text, bigint, bigint, bigint)', 'EXECUTE')",
                        &[],
                    )
                    .map_err(|e| s.error(&e))?;
                Ok(Rights {
                    record: values::pg_get(&row, 0, "")?,
                    lead: values::pg_get(&row, 1, "")?,
                })
            }
        }
    }

    /// Who the events this store writes are recorded as: the login on a team database,
    /// the user's login on the computer for a file.
    pub fn login(&self) -> String {
        self.read().who()
    }

    /// Reads outside a transaction.
    pub fn read(&self) -> Db<'_> {
        match &self.engine {
            Engine::File(f) => f.read(),
            Engine::Server(s) => Db::new(Conn::Pg(s)),
        }
    }

    /// Runs `f` in one write transaction: all of it is committed, or none. Writers take
    /// turns (SQLite's `BEGIN IMMEDIATE`, the server's write-turn row); another writer is
    /// waited for up to 10 s, then [`StoreError::Busy`].
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &mut self.engine {
            Engine::File(file) => file.write(f),
            Engine::Server(s) => postgres::write(s, postgres::Turn::Whole, f),
        }
    }

    /// Runs `f`, a write about the one client `client` (a pin request or a sale of that
    /// client), in one write transaction, as [`Store::write`] does. On a team database such
    /// writes about different clients do not wait for each other: what they write is that
    /// client's, and what they read besides (partners, statuses, rates, issued statements)
    /// only writes that take the whole turn change.
    pub fn write_on_client<T, E>(
        &mut self,
        client: &Inn,
        f: impl FnOnce(&ClientTx<'_, '_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let on_client = |tx: &Tx<'_>| f(&ClientTx { tx, client });
        match &mut self.engine {
            Engine::File(file) => file.write(on_client),
            Engine::Server(s) => postgres::write(s, postgres::Turn::Client(client), on_client),
        }
    }

    /// [`Store::write`] for a bulk load (see [`sqlite::FileStore::write_bulk`]).
    pub(crate) fn write_bulk<T, E>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        match &mut self.engine {
            Engine::File(file) => file.write_bulk(f),
            Engine::Server(s) => postgres::write(s, postgres::Turn::Whole, f),
        }
    }
}

/// A view of the database for reading: [`Store::read`] outside a transaction, or the
/// reading side of a [`Tx`]. It has no method that writes.
///
/// ```compile_fail,E0599
/// # use partner_desk::store::Store;
/// # use partner_desk::domain::Inn;
/// let store = Store::open_in_memory().unwrap();
/// let inn = Inn::parse("7707083893").unwrap();
/// // Writing is a method of the transaction only: a read view has no `upsert_client`.
/// store.read().upsert_client(&inn, "АО «Клиент»").unwrap();
/// ```
pub struct Db<'c> {
    conn: Conn<'c>,
    /// What this view has read and will read again (an import asks for the same partner and
    /// rates on every row). It lives as long as one read or one transaction, and every write
    /// that changes what it holds clears it.
    cache: std::cell::RefCell<Cache>,
}

/// The view of one write transaction, handed out by [`Store::write`] only: every read of
/// [`Db`] (through `Deref`) and the writes. Nothing else can write, so every write of the
/// program is inside one transaction, committed whole or not at all.
///
/// ```
/// # use partner_desk::store::Store;
/// # use partner_desk::domain::Inn;
/// let mut store = Store::open_in_memory().unwrap();
/// let inn = Inn::parse("7707083893").unwrap();
/// store.write(|tx| tx.upsert_client(&inn, "АО «Клиент»")).unwrap();
/// assert_eq!(store.read().client_name(&inn).unwrap(), "АО «Клиент»");
/// ```
pub struct Tx<'c> {
    db: Db<'c>,
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Db<'c>;

    fn deref(&self) -> &Db<'c> {
        &self.db
    }
}

/// The view of a write about one client, handed out by [`Store::write_on_client`]: it
/// can only request that client's pin and record that client's sales, which is what lets
/// such writes about different clients run side by side on a team database.
pub struct ClientTx<'t, 'c> {
    tx: &'t Tx<'c>,
    client: &'t Inn,
}

impl ClientTx<'_, '_> {
    /// [`Tx::request_pin`] for this client.
    pub fn request_pin(
        &self,
        client_name: &str,
        partner: PartnerId,
        date: NaiveDate,
        note: &str,
    ) -> Result<PinOutcome, StoreError> {
        // On a server this write took its savepoint as it began.
        let savepoint = Some(postgres::CLIENT_SAVEPOINT);
        self.tx
            .request_pin_at(savepoint, self.client, client_name, partner, date, note)
    }

    /// [`Tx::record_sale`] for a sale of this client; a sale of another is refused.
    pub fn record_sale(&self, sale: &NewSale) -> Result<SaleId, StoreError> {
        if sale.client_inn != *self.client {
            return Err(StoreError::Fault {
                what: "a sale of another client in a write about one client",
            });
        }
        self.tx.record_sale(sale)
    }
}

#[derive(Default)]
struct Cache {
    rates: Option<crate::domain::RateBook>,
    facts: std::collections::HashMap<PartnerId, crate::domain::PartnerFacts>,
    /// Pins by client INN, as read.
    pins: std::collections::HashMap<Inn, Vec<crate::domain::Pin>>,
    /// Statements in force: (partner, first day, last day, number).
    locks: Option<Vec<crate::domain::LockedPeriod>>,
    /// Clients known to be stored, with the name stored.
    clients: std::collections::HashMap<String, String>,
    /// The time this transaction records things at.
    stamp: Option<String>,
    /// Sales of a bulk load checked and not yet written.
    queued: Vec<sale::CheckedSale>,
    /// Clients of a bulk load on a server, with their names, not yet written.
    queued_clients: Vec<(Inn, String)>,
}

impl<'c> Db<'c> {
    fn new(conn: Conn<'c>) -> Db<'c> {
        Db {
            conn,
            cache: Default::default(),
        }
    }

    /// A view of a team database's connection.
    fn on_server(server: &'c postgres::PgConn) -> Db<'c> {
        Db::new(Conn::Pg(server))
    }

    /// Forgets what was read about partners, rates, pins and statements, after a write
    /// that changed them.
    fn forget(&self) {
        let mut cache = self.cache.borrow_mut();
        // Sales queued for writing are not something read: they stay.
        *cache = Cache {
            queued: std::mem::take(&mut cache.queued),
            queued_clients: std::mem::take(&mut cache.queued_clients),
            stamp: cache.stamp.take(),
            ..Cache::default()
        };
    }
}

/// Counts of what the database holds, for the status bar and summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub partners: i64,
    pub clients: i64,
    pub pins: i64,
    pub sales: i64,
    pub returns: i64,
}

impl Db<'_> {
    /// How many of each there are. The sales are all rows less the returns (both counted
    /// on an index: a sixth of the time of counting the sales that are not returns).
    pub fn counts(&self) -> Result<Counts, StoreError> {
        self.conn.query_row(
            "SELECT (SELECT count(*) FROM partners), (SELECT count(*) FROM clients),
                    (SELECT count(*) FROM pins),
                    (SELECT count(*) FROM sales) - (SELECT count(*) FROM sales WHERE return_of IS NOT NULL),
                    (SELECT count(*) FROM sales WHERE return_of IS NOT NULL)",
            (),
            |r| {
                Ok(Counts {
                    partners: r.get(0)?,
                    clients: r.get(1)?,
                    pins: r.get(2)?,
                    sales: r.get(3)?,
                    returns: r.get(4)?,
                })
            },
        )
    }

    /// Fails when SQLite finds the file damaged (`PRAGMA quick_check`).
    pub fn damage(&self) -> Result<(), StoreError> {
        self.check("PRAGMA quick_check(1)")
    }

    /// The full check: [`Db::damage`], and that every index holds exactly its table's rows.
    pub fn integrity(&self) -> Result<(), StoreError> {
        self.check("PRAGMA integrity_check(1)")
    }

    /// A server keeps its own pages whole; only a file is checked.
    fn check(&self, pragma: &str) -> Result<(), StoreError> {
        self.conn.engine().check(self, pragma)
    }

    /// The time this transaction records things at: one for all rows of an import.
    /// Who records what this view writes: on a team database the login connected, on a
    /// file the user's login on the computer.
    pub(crate) fn who(&self) -> String {
        self.conn.engine().who()
    }

    pub(super) fn stamp(&self) -> String {
        self.cache
            .borrow_mut()
            .stamp
            .get_or_insert_with(now_stamp)
            .clone()
    }

    /// Stored clients whose INN starts with `needle` or whose name holds it (any case),
    /// by name, at most `limit`: what a client field offers as the user types.
    pub fn find_clients(
        &self,
        needle: &str,
        limit: usize,
    ) -> Result<Vec<(Inn, String)>, StoreError> {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT inn, name FROM clients
             WHERE inn LIKE ?1 || '%' OR casefold(name) LIKE '%' || ?1 || '%'
             ORDER BY name = '', name, inn LIMIT ?2",
        )?;
        let rows = stmt.query_map((needle.as_str(), limit as i64), |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?))
        })?;
        let mut found = Vec::new();
        for row in rows {
            let (inn, name) = row?;
            // A stored INN always reads; one that does not is left out, not fatal.
            if let Ok(inn) = Inn::parse(&inn) {
                found.push((inn, name));
            }
        }
        Ok(found)
    }

    /// The client's recorded name, or an empty string.
    pub fn client_name(&self, inn: &Inn) -> Result<String, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM clients WHERE inn = ?1")?
            .query_row([inn.as_str()], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }
}

impl Tx<'_> {
    /// Records the client's name when given (a known client keeps its name otherwise).
    pub fn upsert_client(&self, inn: &Inn, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        RuleError::check_text(crate::domain::TextField::ClientName, name)?;
        if let Some(stored) = self.cache.borrow().clients.get(inn.as_str())
            && (name.is_empty() || stored == name)
        {
            return Ok(());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO clients (inn, name) VALUES (?1, ?2)
                 ON CONFLICT (inn) DO UPDATE SET name = excluded.name WHERE excluded.name <> ''",
            )?
            .execute((inn.as_str(), name))?;
        let mut cache = self.cache.borrow_mut();
        let stored = cache.clients.entry(inn.as_str().to_owned()).or_default();
        if !name.is_empty() {
            name.clone_into(stored);
        }
        Ok(())
    }
}
