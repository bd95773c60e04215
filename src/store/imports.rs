//! What an import wrote, kept so the whole import can be undone while nothing else has been
//! changed since; exact duplicates of stored rows; and the column mappings chosen per file
//! layout.
//!
//! The undo is exact and generic. Before an import, the largest rowid of every data table
//! is noted: rows above it afterwards are the import's own. While it runs, temporary
//! triggers write, for every row it updates or deletes that existed before, the statement
//! that puts the row back. Undo replays those statements newest first and deletes the new
//! rows, in one transaction; the append-only triggers let such deletes through only while
//! `undo_gate` holds the import being undone.

use std::collections::BTreeMap;

use super::sql::Optional as _;
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Tx, now_stamp};
use crate::domain::{ImportId, Inn, LicenseKind, Money, PartnerId};

/// Tables that are bookkeeping of imports and changes, not data an import writes.
const NOT_DATA: &[&str] = &[
    "changes",
    "imports",
    "import_undo",
    "undo_gate",
    "import_layouts",
];

/// An import under way: its row in `imports` and where each table stood before it.
#[derive(Clone, Debug)]
pub struct ImportLog {
    pub id: ImportId,
    high_water: BTreeMap<String, i64>,
}

/// A table's or a column's name in the schema.
type SqlName = String;

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

    /// The file's data tables (a team database's are `partner_desk.import_tables()`).
    fn data_tables(&self) -> Result<Vec<SqlName>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )?;
        let names = stmt
            .query_map((), |r| r.get::<String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(names
            .into_iter()
            .filter(|n| !NOT_DATA.contains(&n.as_str()))
            .collect())
    }

    fn columns_of(&self, table: &str) -> Result<Vec<SqlName>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM pragma_table_info(?1)")?;
        let names = stmt
            .query_map([table], |r| r.get::<String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(names)
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
        if self.conn.is_server() {
            // The server notes where each table stands and records the import itself (no
            // login may write the imports or their undo log); its triggers keep what the
            // import changes of older rows while this transaction runs.
            let (id, marks): (ImportId, String) = self.conn.query_row(
                "SELECT id, high_water FROM partner_desk.begin_import(?1, ?2)",
                (kind, file),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let high_water =
                serde_json::from_str(&marks).map_err(|e| StoreError::BadValue(e.to_string()))?;
            return Ok(ImportLog { id, high_water });
        }
        let mut high_water = BTreeMap::new();
        for table in self.data_tables()? {
            let max: i64 = self.conn.query_row(
                &format!("SELECT coalesce(max(rowid), 0) FROM \"{table}\""),
                (),
                |r| r.get(0),
            )?;
            high_water.insert(table, max);
        }
        let marks =
            serde_json::to_string(&high_water).map_err(|e| StoreError::BadValue(e.to_string()))?;
        self.conn.execute("DELETE FROM import_undo", ())?;
        let id: ImportId = self.conn.query_row(
            "INSERT INTO imports (kind, file, imported_at, imported_by, change_seq, high_water)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            (
                kind,
                file,
                now_stamp(),
                self.who(),
                self.change_seq()?,
                marks,
            ),
            |r| r.get(0),
        )?;
        for (table, max) in &high_water {
            let columns = self.columns_of(table)?;
            let quoted = |c: &String| format!("' || quote(OLD.\"{c}\") || '");
            let set = columns
                .iter()
                .map(|c| format!("\"{c}\" = {}", quoted(c)))
                .collect::<Vec<_>>()
                .join(", ");
            let names = columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let values = columns.iter().map(quoted).collect::<Vec<_>>().join(", ");
            let log = |statement: String| {
                let id = id.0;
                format!(
                    "INSERT INTO main.import_undo (import_id, seq, statement) VALUES ({id},
                       (SELECT coalesce(max(seq), 0) + 1 FROM main.import_undo WHERE import_id = {id}),
                       {statement});"
                )
            };
            let update = log(format!(
                "'UPDATE \"{table}\" SET {set} WHERE rowid = ' || OLD.rowid"
            ));
            let delete = log(format!(
                "'INSERT INTO \"{table}\" (rowid, {names}) VALUES (' || OLD.rowid || ', {values})'"
            ));
            self.conn.execute_batch(&format!(
                "CREATE TEMP TRIGGER \"undo_update_{table}\" AFTER UPDATE ON main.\"{table}\"
                 WHEN OLD.rowid <= {max} BEGIN {update} END;
                 CREATE TEMP TRIGGER \"undo_delete_{table}\" AFTER DELETE ON main.\"{table}\"
                 WHEN OLD.rowid <= {max} BEGIN {delete} END;"
            ))?;
        }
        Ok(ImportLog { id, high_water })
    }

    /// Ends the recording of an import: it wrote what `summary` says.
    pub fn end_import(&self, log: &ImportLog, summary: &str) -> Result<(), StoreError> {
        if self.conn.is_server() {
            return self.conn.query_row(
                "SELECT partner_desk.end_import(?1, ?2)",
                (log.id, summary),
                |_| Ok(()),
            );
        }
        for table in log.high_water.keys() {
            self.conn.execute_batch(&format!(
                "DROP TRIGGER temp.\"undo_update_{table}\"; DROP TRIGGER temp.\"undo_delete_{table}\";"
            ))?;
        }
        self.conn.execute(
            "UPDATE imports SET summary = ?2 WHERE id = ?1",
            (log.id, summary),
        )?;
        Ok(())
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
            serde_json::from_str(&marks).map_err(|e| StoreError::BadValue(e.to_string()))?;
        if self.conn.is_server() {
            // As the owner: managers may not delete history, the undo of an import may. The
            // server checks again that the import is the newest, that nothing was written
            // since and that every row it puts back or deletes is the import's own, and
            // marks it undone.
            self.conn
                .query_row("SELECT partner_desk.undo_import(?1)", [id], |_| Ok(()))?;
            self.forget();
            return Ok(());
        }
        self.undo_in_file(id, &high_water)?;
        self.conn.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            (id, now_stamp()),
        )?;
        self.forget();
        Ok(())
    }

    /// SQLite's undo: the statements the temporary triggers logged, newest first, then the
    /// import's new rows deleted.
    fn undo_in_file(
        &self,
        id: ImportId,
        high_water: &BTreeMap<String, i64>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute("INSERT INTO undo_gate (import_id) VALUES (?1)", [id])?;
        if let Some(lite) = self.conn.lite() {
            lite.pragma_update(None, "defer_foreign_keys", true)?;
        }
        let statements = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT statement FROM import_undo WHERE import_id = ?1 ORDER BY seq DESC",
            )?;
            stmt.query_map([id], |r| r.get::<String>(0))?
                .collect::<Result<Vec<_>, _>>()?
        };
        for statement in statements {
            self.conn.execute_batch(&statement)?;
        }
        for (table, max) in high_water {
            // Deleting most of the sales is faster without the lists' indexes, built again
            // for what stays.
            let aside = if table == "sales" {
                let (added, kept): (i64, i64) = self.conn.query_row(
                    "SELECT count(*) FILTER (WHERE rowid > ?1), count(*) FILTER (WHERE rowid <= ?1)
                     FROM sales",
                    [max],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if added >= kept && added > 0 {
                    self.set_indexes_aside(&super::sales::LIST_INDEXES)?
                } else {
                    Vec::new()
                }
            } else {
                Vec::new()
            };
            self.conn
                .execute(&format!("DELETE FROM \"{table}\" WHERE rowid > ?1"), [max])?;
            self.build_indexes_again(aside)?;
        }
        self.conn.execute("DELETE FROM undo_gate", ())?;
        self.conn
            .execute("DELETE FROM import_undo WHERE import_id = ?1", [id])?;
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
