//! What each engine does its own way, behind one interface. The store's shared modules write
//! their SQL once (in SQLite's words, see `sql`) and call these for the rest; they never
//! ask which engine they run on. [`sql::Conn::engine`](super::sql::Conn::engine) is the one
//! place that chooses: `rusqlite::Connection` implements this in `sqlite/engine.rs`,
//! `postgres::PgConn` in `postgres/engine.rs`.

use chrono::NaiveDate;

use super::imports::ImportLog;
use super::issued::NewIssued;
use super::pins::{NewEvent, PinOutcome, PinWrite};
use super::{CheckedSale, StoreError, Tx};
use crate::domain::{ImportId, Inn, PinId};

/// A bulk load of sales under way in a transaction: what its engine set aside for it.
#[must_use = "end_bulk_sales checks the rows against what was set aside and puts it back"]
pub struct BulkSales {
    /// A file's insert triggers set aside (none on a server, which keeps all of them).
    pub(super) triggers: Vec<SetAside>,
    /// Indexes set aside, to be built again at the end.
    pub(super) indexes: Vec<String>,
    /// The largest rowid before the load: the rows above it are the load's.
    pub(super) stored: i64,
}

/// An insert trigger dropped for a load: its name, the SQL that makes it, and its WHEN
/// condition (over `NEW`), which no row of the load may meet.
#[derive(Clone, Debug)]
pub(super) struct SetAside {
    pub(super) name: String,
    pub(super) sql: String,
    pub(super) when: String,
}

/// An engine's own way of doing what the store does on both.
pub(super) trait Engine {
    /// Who the writes of this connection are recorded as: the login on a team database,
    /// the user's login on the computer for a file.
    fn who(&self) -> String;

    /// Fails when the database is found damaged (`pragma` names the check a file runs; a
    /// server keeps its own pages whole).
    fn check(&self, tx: &super::Db<'_>, pragma: &str) -> Result<(), StoreError>;

    /// Writes what a pin request decided: the client (and its name, when one is given), the
    /// pin, and the event; returns the pin's id (none for a refusal).
    fn write_pin_request(
        &self,
        tx: &Tx<'_>,
        client_name: &str,
        write: PinWrite,
        event: NewEvent<'_>,
    ) -> Result<Option<PinId>, StoreError>;

    /// A pin request `decide`d and written: on a team database from `savepoint` (the one
    /// the transaction took as it began, else one of its own), and decided again on what is
    /// committed then if another writer pinned the client meanwhile past the write turn
    /// (the exclusion constraint refused the write). A file has no other writer meanwhile.
    fn decided_anew_on_overlap(
        &self,
        tx: &Tx<'_>,
        savepoint: Option<&str>,
        decide: &mut dyn FnMut() -> Result<PinOutcome, StoreError>,
    ) -> Result<PinOutcome, StoreError>;

    /// Moves a pin's end, as the event that moves it (written next) says.
    fn move_pin_end(
        &self,
        tx: &Tx<'_>,
        pin_id: PinId,
        ends_on: NaiveDate,
        released_on: Option<NaiveDate>,
    ) -> Result<(), StoreError>;

    /// Stores an issued statement with its event; its id.
    fn record_issued(&self, tx: &Tx<'_>, s: &NewIssued<'_>) -> Result<i64, StoreError>;

    /// Reopens issued statement `id` on `on` for `reason`, with its event.
    fn reopen_statement(
        &self,
        tx: &Tx<'_>,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError>;

    /// Starts recording an import in this transaction.
    fn begin_import(&self, tx: &Tx<'_>, kind: &str, file: &str) -> Result<ImportLog, StoreError>;

    /// Ends the recording of an import: it wrote what `summary` says.
    fn end_import(&self, tx: &Tx<'_>, log: &ImportLog, summary: &str) -> Result<(), StoreError>;

    /// Undoes import `id`, the newest, with nothing written since (checked by the caller).
    fn undo_import(&self, tx: &Tx<'_>, id: ImportId, log: &ImportLog) -> Result<(), StoreError>;

    /// Starts a bulk load of `rows` sales: what the engine sets aside for it.
    fn begin_bulk_sales(
        &self,
        tx: &Tx<'_>,
        rows: usize,
        all_have_docs: bool,
    ) -> Result<BulkSales, StoreError>;

    /// Ends a bulk load: what was set aside is checked against the rows written and put
    /// back.
    fn end_bulk_sales(&self, tx: &Tx<'_>, bulk: BulkSales) -> Result<(), StoreError>;

    /// Records a client of a bulk load: now, or with the load's next queue of sales.
    fn load_client(&self, tx: &Tx<'_>, client: &Inn, name: &str) -> Result<(), StoreError>;

    /// How many sales of a bulk load are queued before they are written.
    fn queued_rows(&self) -> usize;

    /// Writes checked sales (and the clients queued with them), in their order; the id of
    /// the last. A failure says where the statement that failed begins in `sales`.
    fn insert_sales(&self, tx: &Tx<'_>, sales: &[CheckedSale]) -> Result<i64, (usize, StoreError)>;
}
