//! What an import wrote, kept so the whole import can be undone while nothing else has been
//! changed since; exact duplicates of stored rows; and the column mappings chosen per file
//! layout.
//!
//! The undo is exact and generic. Before an import, the largest id of every data table is
//! noted: rows above it afterwards are the import's own. While it runs, every row it
//! updates or deletes that existed before is kept as it was (a file's temporary triggers,
//! a team database's own trigger). Undo puts those back newest first and deletes the new
//! rows, in one transaction (see each engine's `undo_import`).

use std::collections::BTreeMap;

use super::sql::Optional as _;
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Tx, now_stamp};
use crate::domain::{ImportId, Inn, LicenseKind, Money, PartnerId};

/// An import under way: its row in `imports` and where each table stood before it.
#[derive(Clone, Debug)]
pub struct ImportLog {
    pub id: ImportId,
    pub(super) high_water: BTreeMap<String, i64>,
}

impl ImportLog {
    /// The largest rowid `table` had before the import (rows above it are the import's).
    pub fn stored_before(&self, table: &str) -> i64 {
        self.high_water.get(table).copied().unwrap_or(i64::MAX)
    }
}

/// An import as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: ImportId,
    pub kind: String,
    pub file: String,
    pub imported_at: String,
    pub summary: String,
    pub undone: bool,
    /// Nothing has been written since, so it can still be undone.
    pub undoable: bool,
}

impl Db<'_> {
    /// The number of the write transaction this view is in (every write counts one).
    pub fn change_seq(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT seq FROM changes WHERE id = 1", (), |r| r.get(0))
    }

    /// The newest import, and whether it can still be undone.
    pub fn last_import(&self) -> Result<Option<ImportRecord>, StoreError> {
        let now = self.change_seq()?;
        self.conn
            .query_row(
                "SELECT id, kind, file, imported_at, summary, undone_at IS NOT NULL, change_seq
                 FROM imports ORDER BY id DESC LIMIT 1",
                (),
                |r| {
                    let undone: bool = r.get(5)?;
                    let seq: i64 = r.get(6)?;
                    Ok(ImportRecord {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        file: r.get(2)?,
                        imported_at: r.get(3)?,
                        summary: r.get(4)?,
                        undone,
                        undoable: !undone && seq == now,
                    })
                },
            )
            .optional()
    }

    /// How many sales equal to this one (same date, partner, client, kind and amount, no
    /// document) were stored before the import.
    pub fn same_sales_before(
        &self,
        log: &ImportLog,
        date: NaiveDate,
        partner: PartnerId,
        client: &Inn,
        kind: LicenseKind,
        amount: Money,
    ) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM sales WHERE client_inn = ?1 AND date = ?2 AND partner_id = ?3
                 AND kind = ?4 AND amount_kop = ?5 AND return_of IS NULL AND doc IS NULL
                 AND id <= ?6",
            )?
            .query_row(
                (
                    client.as_str(),
                    date,
                    partner.0,
                    kind.code(),
                    amount.kopecks(),
                    log.stored_before("sales"),
                ),
                |r| r.get(0),
            )?;
        Ok(n as usize)
    }

    /// How many returns of this sale with this date and amount and no document were
    /// stored before the import.
    pub fn same_returns_before(
        &self,
        log: &ImportLog,
        sale: i64,
        date: NaiveDate,
        amount: Money,
    ) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM sales WHERE return_of = ?1 AND date = ?2 AND amount_kop = ?3
                 AND doc IS NULL AND id <= ?4",
            )?
            .query_row(
                (sale, date, amount.kopecks(), log.stored_before("sales")),
                |r| r.get(0),
            )?;
        Ok(n as usize)
    }

    /// Whether the stop-list already recorded this event (`pinned`, `extended`,
    /// `released`) for this client, partner and date before the import.
    pub fn pin_event_before(
        &self,
        log: &ImportLog,
        client: &Inn,
        partner: PartnerId,
        date: NaiveDate,
        events: &[&str],
    ) -> Result<bool, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event FROM pin_events WHERE client_inn = ?1 AND partner_id = ?2
             AND on_date = ?3 AND id <= ?4",
        )?;
        let found = stmt
            .query_map(
                (
                    client.as_str(),
                    partner.0,
                    date,
                    log.stored_before("pin_events"),
                ),
                |r| r.get::<String>(0),
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(found.iter().any(|e| events.contains(&e.as_str())))
    }

    /// The kind and mapping last chosen for a file layout.
    pub fn layout(&self, layout: &str) -> Result<Option<(String, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT kind, columns FROM import_layouts WHERE layout = ?1",
                [layout],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }
}

impl Tx<'_> {
    /// Starts recording an import (inside its write transaction). Only the newest import
    /// keeps what undoes it.
    pub fn begin_import(&self, kind: &str, file: &str) -> Result<ImportLog, StoreError> {
        self.conn.engine().begin_import(self, kind, file)
    }

    /// Ends the recording of an import: it wrote what `summary` says.
    pub fn end_import(&self, log: &ImportLog, summary: &str) -> Result<(), StoreError> {
        self.conn.engine().end_import(self, log, summary)
    }

    /// Undoes the import `id` exactly, if it is the newest and nothing has been written
    /// since (this undo being the next write).
    pub fn undo_import(&self, id: ImportId) -> Result<(), StoreError> {
        let record = self.last_import()?.filter(|r| r.id == id);
        let Some(record) = record else {
            return Err(RuleError::ImportNotUndoable.into());
        };
        let (seq, marks): (i64, String) = self.conn.query_row(
            "SELECT change_seq, high_water FROM imports WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        // This transaction has already counted itself.
        if record.undone || seq + 1 != self.change_seq()? {
            return Err(RuleError::ImportNotUndoable.into());
        }
        let high_water: BTreeMap<String, i64> =
            serde_json::from_str(&marks).map_err(|e| StoreError::UnreadableJson {
                column: "imports.high_water",
                reason: e.to_string(),
            })?;
        self.conn
            .engine()
            .undo_import(self, id, &ImportLog { id, high_water })?;
        self.forget();
        Ok(())
    }

    /// Keeps the mapping chosen for a file layout.
    pub fn remember_layout(
        &self,
        layout: &str,
        kind: &str,
        columns: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO import_layouts (layout, kind, columns, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (layout) DO UPDATE SET kind = excluded.kind, columns = excluded.columns,
             saved_at = excluded.saved_at",
            (layout, kind, columns, now_stamp()),
        )?;
        Ok(())
    }
}
