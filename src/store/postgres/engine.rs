//! What a team database does its own way (see `store::engine`): pins changed by their
//! events, statements issued and reopened and imports recorded and undone by the server's
//! own functions (upgrade-2.sql), and a bulk load that sets nothing aside and writes by
//! COPY, its clients queued with its sales.

use chrono::NaiveDate;

use super::PgConn;
use crate::domain::{ImportId, Inn, PinId};
use crate::store::engine::BulkSales;
use crate::store::engine::Engine;
use crate::store::imports::ImportLog;
use crate::store::issued::NewIssued;
use crate::store::pins::{NewEvent, PinOutcome, PinWrite};
use crate::store::values::Row;
use crate::store::{CheckedSale, Db, StoreError, Tx, now_stamp};

/// How many sales of a bulk load go to a server at a time (by COPY, see
/// [`super::insert_sales`]): each statement to a server is a round trip.
const QUEUED_ROWS: usize = 16_384;

impl Engine for PgConn {
    fn who(&self) -> String {
        self.login.clone()
    }

    fn check(&self, _: &Db<'_>, _: &str) -> Result<(), StoreError> {
        Ok(())
    }

    /// One statement: a round trip each would hold the client's turn longer. The server
    /// makes, extends or releases the pin from its event, in the same statement (no login
    /// may write pins itself); the client is recorded first (the event's subquery reads the
    /// client's insert, so it runs before the event's).
    fn write_pin_request(
        &self,
        tx: &Tx<'_>,
        client_name: &str,
        write: PinWrite,
        e: NewEvent<'_>,
    ) -> Result<Option<PinId>, StoreError> {
        let extended = match write {
            PinWrite::Extend(pin_id, _) => Some(pin_id),
            _ => None,
        };
        tx.conn
            .prepare_cached(
                "WITH client AS (INSERT INTO clients (inn, name) VALUES (?2, ?12)
                                 ON CONFLICT (inn) DO UPDATE SET name = excluded.name
                                 WHERE excluded.name <> '' RETURNING 1)
                 INSERT INTO pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on,
                                         holder_partner_id, agreed_by, note, recorded_at, recorded_by)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
                 WHERE (SELECT count(*) FROM client) >= 0
                 RETURNING pin_id",
            )?
            .query_row(
                (
                    extended,
                    e.client.as_str(),
                    e.partner.0,
                    e.kind.code(),
                    e.on_date,
                    e.ends_on,
                    e.holder.map(|h| h.0),
                    e.agreed_by.trim(),
                    e.note.trim(),
                    now_stamp(),
                    tx.who(),
                    client_name.trim(),
                ),
                |r: &Row<'_>| r.get(0),
            )
    }

    /// A writer that does not take the write turn (another tool, plain SQL) may pin the
    /// client between the request's check and its write. The exclusion constraint refuses
    /// the write then; the request is decided again on what is now committed: a refusal
    /// naming that holder, recorded as any refusal is.
    fn decided_anew_on_overlap(
        &self,
        tx: &Tx<'_>,
        savepoint: Option<&str>,
        decide: &mut dyn FnMut() -> Result<PinOutcome, StoreError>,
    ) -> Result<PinOutcome, StoreError> {
        let savepoint = match savepoint {
            Some(taken) => taken,
            None => {
                tx.conn.execute_batch("SAVEPOINT pin_request")?;
                "pin_request"
            }
        };
        match decide() {
            Err(StoreError::PinsOverlap) => {
                tx.conn
                    .execute_batch(&format!("ROLLBACK TO SAVEPOINT {savepoint}"))?;
                tx.forget();
                decide()
            }
            decided => decided,
        }
    }

    /// Nothing: the server moves the pin from the event itself (`pin_event_applied`,
    /// `pin_correction_applied`); no login may write pins.
    fn move_pin_end(
        &self,
        tx: &Tx<'_>,
        _: PinId,
        _: NaiveDate,
        _: Option<NaiveDate>,
    ) -> Result<(), StoreError> {
        tx.forget();
        Ok(())
    }

    /// Through the server's function, which writes the event with who and when: no login
    /// may write statements or their events itself.
    fn record_issued(&self, tx: &Tx<'_>, s: &NewIssued<'_>) -> Result<i64, StoreError> {
        tx.conn.query_row(
            "SELECT partner_desk.issue_statement(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            (
                s.number,
                s.partner.0,
                s.from,
                s.to,
                s.issued_on,
                s.json,
                s.sha256,
                s.lines,
                s.amount.kopecks(),
                s.premium.kopecks(),
            ),
            |r| r.get::<i64>(0),
        )
    }

    fn reopen_statement(
        &self,
        tx: &Tx<'_>,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError> {
        tx.conn.query_row(
            "SELECT partner_desk.reopen_statement(?1, ?2, ?3)",
            (id, on, reason),
            |_| Ok(()),
        )
    }

    /// The server notes where each table stands and records the import itself (no login
    /// may write the imports or their undo log); its triggers keep what the import changes
    /// of older rows while this transaction runs.
    fn begin_import(&self, tx: &Tx<'_>, kind: &str, file: &str) -> Result<ImportLog, StoreError> {
        let (id, marks): (ImportId, String) = tx.conn.query_row(
            "SELECT id, high_water FROM partner_desk.begin_import(?1, ?2)",
            (kind, file),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let high_water = serde_json::from_str(&marks).map_err(|e| StoreError::UnreadableJson {
            column: "imports.high_water",
            reason: e.to_string(),
        })?;
        Ok(ImportLog { id, high_water })
    }

    fn end_import(&self, tx: &Tx<'_>, log: &ImportLog, summary: &str) -> Result<(), StoreError> {
        tx.conn.query_row(
            "SELECT partner_desk.end_import(?1, ?2)",
            (log.id, summary),
            |_| Ok(()),
        )
    }

    /// As the owner: managers may not delete history, the undo of an import may. The
    /// server checks again that the import is the newest, that nothing was written since
    /// and that every row it puts back or deletes is the import's own, and marks it undone.
    fn undo_import(&self, tx: &Tx<'_>, id: ImportId, _: &ImportLog) -> Result<(), StoreError> {
        tx.conn
            .query_row("SELECT partner_desk.undo_import(?1)", [id], |_| Ok(()))
    }

    /// The server keeps its indexes, constraints and triggers through a load: the sales
    /// reach the table by COPY, and it checks them as any other writer's.
    fn begin_bulk_sales(&self, _: &Tx<'_>, _: usize, _: bool) -> Result<BulkSales, StoreError> {
        Ok(BulkSales {
            triggers: Vec::new(),
            indexes: Vec::new(),
            stored: 0,
        })
    }

    fn end_bulk_sales(&self, tx: &Tx<'_>, _: BulkSales) -> Result<(), StoreError> {
        tx.write_queued()
    }

    /// The clients go with the queue, many to a statement.
    fn load_client(&self, tx: &Tx<'_>, client: &Inn, name: &str) -> Result<(), StoreError> {
        tx.cache
            .borrow_mut()
            .queued_clients
            .push((*client, name.trim().to_owned()));
        Ok(())
    }

    fn queued_rows(&self) -> usize {
        QUEUED_ROWS
    }

    fn insert_sales(&self, tx: &Tx<'_>, sales: &[CheckedSale]) -> Result<i64, (usize, StoreError)> {
        let clients = std::mem::take(&mut tx.cache.borrow_mut().queued_clients);
        super::upsert_clients(self, &clients).map_err(|e| (0, e))?;
        super::insert_sales(self, (&tx.stamp(), &tx.who()), sales).map_err(|e| (0, e))
    }
}
