//! What a file does its own way (see `store::engine`): its pins written by the program,
//! statements and imports recorded by plain statements, the undo of an import replayed
//! from temporary triggers' log, and a bulk load that sets SQLite's constraints, the
//! insert triggers and the lists' indexes aside and checks the rows before it commits.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _};

use super::bulk;
use crate::domain::{ImportId, Inn, PinId, RatePct};
use crate::store::columns::{self, SaleColumn};
use crate::store::engine::BulkSales;
use crate::store::engine::Engine;
use crate::store::imports::ImportLog;
use crate::store::issued::NewIssued;
use crate::store::pins::{NewEvent, PinOutcome, PinWrite};
use crate::store::sale::iso_date;
use crate::store::{CheckedSale, Db, StoreError, Tx, now_stamp};

/// The lists' indexes of `sales`, which a large load (and the undo of one) builds again
/// after it instead of keeping them row by row. The client's is last: a load that matches
/// rows by client keeps it.
pub(in crate::store) const LIST_INDEXES: [&str; 3] =
    ["sales_date", "sales_partner_date", "sales_client"];

/// How many rows one INSERT statement of a bulk load writes: the texts bound to one
/// statement (7 a row) then fit SQLite's lookaside memory.
pub(in crate::store) const INSERT_ROWS: usize = 16;

/// How many sales of a bulk load are queued before they are written: one prepared
/// statement serves them all (a cached one is looked up by its text and has its bindings
/// cleared each time it goes back to the cache).
pub(in crate::store) const QUEUED_ROWS: usize = 64 * INSERT_ROWS;

/// NULL, for a column a checked sale has no value of.
const NO_VALUE: Option<i64> = None;

impl Engine for Connection {
    fn who(&self) -> String {
        crate::clock::user_login()
    }

    fn check(&self, _: &Db<'_>, pragma: &str) -> Result<(), StoreError> {
        let check: String = self.query_row(pragma, [], |r| r.get(0))?;
        if check == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(check))
        }
    }

    fn write_pin_request(
        &self,
        tx: &Tx<'_>,
        client_name: &str,
        write: PinWrite,
        e: NewEvent<'_>,
    ) -> Result<Option<PinId>, StoreError> {
        tx.upsert_client(e.client, client_name)?;
        let pin_id = match write {
            PinWrite::New(ends_on) => Some(
                tx.conn
                    .prepare_cached(
                        "INSERT INTO pins (client_inn, partner_id, pinned_on, ends_on)
                         VALUES (?1, ?2, ?3, ?4) RETURNING id",
                    )?
                    .query_row((e.client.as_str(), e.partner.0, e.on_date, ends_on), |r| {
                        r.get(0)
                    })?,
            ),
            PinWrite::Extend(pin_id, ends_on) => {
                self.move_pin_end(tx, pin_id, ends_on, None)?;
                Some(pin_id)
            }
            PinWrite::Nothing => None,
        };
        tx.record_event(NewEvent { pin_id, ..e })?;
        Ok(pin_id)
    }

    fn decided_anew_on_overlap(
        &self,
        _: &Tx<'_>,
        _: Option<&str>,
        decide: &mut dyn FnMut() -> Result<PinOutcome, StoreError>,
    ) -> Result<PinOutcome, StoreError> {
        decide()
    }

    fn move_pin_end(
        &self,
        tx: &Tx<'_>,
        pin_id: PinId,
        ends_on: NaiveDate,
        released_on: Option<NaiveDate>,
    ) -> Result<(), StoreError> {
        tx.forget();
        tx.conn
            .prepare_cached("UPDATE pins SET ends_on = ?2, released_on = ?3 WHERE id = ?1")?
            .execute((pin_id, ends_on, released_on))?;
        Ok(())
    }

    fn record_issued(&self, tx: &Tx<'_>, s: &NewIssued<'_>) -> Result<i64, StoreError> {
        let id = tx.conn.query_row(
            "INSERT INTO issued_statements (number, partner_id, period_from, period_to, issued_on, json, sha256,
                                            lines, amount_kop, premium_kop, recorded_at, issued_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
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
                now_stamp(),
                tx.who(),
            ),
            |r| r.get::<i64>(0),
        )?;
        tx.conn.execute(
            "INSERT INTO statement_events (statement_id, event, on_date, reason, recorded_at, recorded_by)
             VALUES (?1, 'issued', ?2, '', ?3, ?4)",
            (id, s.issued_on, now_stamp(), tx.who()),
        )?;
        Ok(id)
    }

    fn reopen_statement(
        &self,
        tx: &Tx<'_>,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError> {
        tx.conn.execute(
            "UPDATE issued_statements SET reopened_on = ?2, reopen_reason = ?3 WHERE id = ?1",
            (id, on, reason),
        )?;
        tx.conn.execute(
            "INSERT INTO statement_events (statement_id, event, on_date, reason, recorded_at, recorded_by)
             VALUES (?1, 'reopened', ?2, ?3, ?4, ?5)",
            (id, on, reason, now_stamp(), tx.who()),
        )?;
        Ok(())
    }

    /// Notes the largest rowid of every data table (rows above it are the import's) and
    /// sets temporary triggers that write, for every row the import updates or deletes
    /// that existed before, the statement that puts the row back.
    fn begin_import(&self, tx: &Tx<'_>, kind: &str, file: &str) -> Result<ImportLog, StoreError> {
        let mut high_water = BTreeMap::new();
        for table in data_tables(self)? {
            let max: i64 = self.query_row(
                &format!("SELECT coalesce(max(rowid), 0) FROM \"{table}\""),
                [],
                |r| r.get(0),
            )?;
            high_water.insert(table, max);
        }
        let marks = serde_json::to_string(&high_water).map_err(|_| StoreError::Fault {
            what: "an import's high-water marks written as JSON",
        })?;
        self.execute("DELETE FROM import_undo", [])?;
        let id: ImportId = tx.conn.query_row(
            "INSERT INTO imports (kind, file, imported_at, imported_by, change_seq, high_water)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
            (kind, file, now_stamp(), tx.who(), tx.change_seq()?, marks),
            |r| r.get(0),
        )?;
        for (table, max) in &high_water {
            self.execute_batch(&undo_triggers(self, id, table, *max)?)?;
        }
        Ok(ImportLog { id, high_water })
    }

    fn end_import(&self, tx: &Tx<'_>, log: &ImportLog, summary: &str) -> Result<(), StoreError> {
        for table in log.high_water.keys() {
            self.execute_batch(&format!(
                "DROP TRIGGER temp.\"undo_update_{table}\"; DROP TRIGGER temp.\"undo_delete_{table}\";"
            ))?;
        }
        tx.conn.execute(
            "UPDATE imports SET summary = ?2 WHERE id = ?1",
            (log.id, summary),
        )?;
        Ok(())
    }

    /// The statements the temporary triggers logged, newest first, then the import's new
    /// rows deleted; the append-only triggers let such deletes through only while
    /// `undo_gate` holds the import being undone.
    fn undo_import(&self, tx: &Tx<'_>, id: ImportId, log: &ImportLog) -> Result<(), StoreError> {
        self.execute("INSERT INTO undo_gate (import_id) VALUES (?1)", [id.0])?;
        self.pragma_update(None, "defer_foreign_keys", true)?;
        let statements: Vec<String> = self
            .prepare_cached(
                "SELECT statement FROM import_undo WHERE import_id = ?1 ORDER BY seq DESC",
            )?
            .query_map([id.0], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for statement in statements {
            self.execute_batch(&statement)?;
        }
        for (table, max) in &log.high_water {
            // Deleting most of the sales is faster without the lists' indexes, built again
            // for what stays.
            let aside = if table == "sales" {
                let (added, kept): (i64, i64) = self.query_row(
                    "SELECT count(*) FILTER (WHERE rowid > ?1), count(*) FILTER (WHERE rowid <= ?1)
                     FROM sales",
                    [max],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if added >= kept && added > 0 {
                    set_indexes_aside(self, &LIST_INDEXES)?
                } else {
                    Vec::new()
                }
            } else {
                Vec::new()
            };
            self.execute(&format!("DELETE FROM \"{table}\" WHERE rowid > ?1"), [max])?;
            build_indexes_again(self, aside)?;
        }
        self.execute("DELETE FROM undo_gate", [])?;
        self.execute("DELETE FROM import_undo WHERE import_id = ?1", [id.0])?;
        tx.conn.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            (id, now_stamp()),
        )?;
        Ok(())
    }

    /// The table's insert triggers (the period lock's, a return's) are set aside — with
    /// one, SQLite journals every page each insert touches, in case the trigger aborts it
    /// — while the loader checks every row by the same rules; the connection's CHECK and
    /// foreign-key constraints are off too (`Store::write_bulk`). When the load is at least
    /// as large as the table already is, the lists' indexes (by date, by partner and date,
    /// and by client unless rows without a document are to be matched by client to sales
    /// stored before) are set aside and built again at the end, which sorts once instead
    /// of seeking once per row.
    fn begin_bulk_sales(
        &self,
        _: &Tx<'_>,
        rows: usize,
        all_have_docs: bool,
    ) -> Result<BulkSales, StoreError> {
        // A million sales touch their indexes all over: 32 MiB of page cache for this
        // connection from now on.
        self.pragma_update(None, "cache_size", -32_768)?;
        let stored: i64 = self.query_row("SELECT coalesce(max(rowid), 0) FROM sales", [], |r| {
            r.get(0)
        })?;
        let mut indexes = Vec::new();
        if rows as i64 >= stored {
            // Rows without a document are looked up by client, when there are sales to
            // look them up among.
            let keep_client = !all_have_docs && stored > 0;
            let names = &LIST_INDEXES[..if keep_client { 2 } else { 3 }];
            indexes = set_indexes_aside(self, names)?;
        }
        Ok(BulkSales {
            triggers: bulk::set_triggers_aside(self)?,
            indexes,
            stored,
        })
    }

    /// The indexes are built again first: the check of the foreign keys walks them.
    fn end_bulk_sales(&self, tx: &Tx<'_>, bulk: BulkSales) -> Result<(), StoreError> {
        tx.write_queued()?;
        build_indexes_again(self, bulk.indexes)?;
        if let Some((rowid, rule)) = bulk::first_broken(self, bulk.stored, &bulk.triggers)? {
            return Err(StoreError::BrokenInLoad {
                at: (rowid - bulk.stored - 1).max(0) as usize,
                rule,
            });
        }
        bulk::put_back(self, bulk.triggers)
    }

    fn load_client(&self, tx: &Tx<'_>, client: &Inn, name: &str) -> Result<(), StoreError> {
        tx.upsert_client(client, name)
    }

    fn queued_rows(&self) -> usize {
        QUEUED_ROWS
    }

    fn insert_sales(&self, tx: &Tx<'_>, sales: &[CheckedSale]) -> Result<i64, (usize, StoreError)> {
        insert_sales(self, (&tx.stamp(), &tx.who()), sales).map_err(|(at, e)| (at, e.into()))?;
        Ok(self.last_insert_rowid())
    }
}

/// The file's data tables: every table but the bookkeeping of imports and changes.
fn data_tables(conn: &Connection) -> Result<Vec<String>, StoreError> {
    const NOT_DATA: &[&str] = &[
        "changes",
        "imports",
        "import_undo",
        "undo_gate",
        "import_layouts",
    ];
    let names: Vec<String> = conn
        .prepare_cached(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(names
        .into_iter()
        .filter(|n| !NOT_DATA.contains(&n.as_str()))
        .collect())
}

/// The temporary triggers that log, for import `id`, what puts back each row of `table`
/// (up to rowid `max`) that the import updates or deletes.
fn undo_triggers(
    conn: &Connection,
    id: ImportId,
    table: &str,
    max: i64,
) -> Result<String, StoreError> {
    let columns: Vec<String> = conn
        .prepare_cached("SELECT name FROM pragma_table_info(?1)")?
        .query_map([table], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
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
    Ok(format!(
        "CREATE TEMP TRIGGER \"undo_update_{table}\" AFTER UPDATE ON main.\"{table}\"
         WHEN OLD.rowid <= {max} BEGIN {update} END;
         CREATE TEMP TRIGGER \"undo_delete_{table}\" AFTER DELETE ON main.\"{table}\"
         WHEN OLD.rowid <= {max} BEGIN {delete} END;"
    ))
}

/// Drops those of the `names` indexes that exist, returning the SQL that makes them.
fn set_indexes_aside(conn: &Connection, names: &[&str]) -> Result<Vec<String>, StoreError> {
    let mut indexes = Vec::new();
    for name in names {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP INDEX {name}"))?;
            indexes.push(sql);
        }
    }
    Ok(indexes)
}

/// Builds again the indexes [`set_indexes_aside`] dropped.
fn build_indexes_again(conn: &Connection, indexes: Vec<String>) -> Result<(), StoreError> {
    if indexes.is_empty() {
        return Ok(());
    }
    // Building an index sorts. SQLite's sorter fills runs as large as the page cache and
    // sorts each on a worker thread: with 2 MiB runs, which fit a processor's cache, and
    // two threads, the three indexes of a million sales take 1.4 s instead of 2.5 s.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "threads", 2)?;
    conn.pragma_update(None, "cache_size", -2_048)?;
    for sql in indexes {
        conn.execute_batch(&sql)?;
    }
    conn.pragma_update(None, "cache_size", cache)?;
    Ok(())
}

/// Writes checked sales recorded at `stamp` by `who`, `INSERT_ROWS` to a statement, bound
/// without a copy. A failure says where the statement that failed begins in `sales`.
fn insert_sales(
    conn: &Connection,
    (stamp, who): (&str, &str),
    sales: &[CheckedSale],
) -> Result<(), (usize, rusqlite::Error)> {
    // Every row is recorded at the same time by the same user: ?1 and ?2, bound once per
    // statement; each row's other columns (those a correction replaces) after them.
    let bound = SaleColumn::replaced().count();
    let sql_for = |n: usize| {
        let rows: Vec<String> = (0..n)
            .map(|r| {
                let mut next = 3 + r * bound;
                let params: Vec<String> = SaleColumn::written()
                    .map(|c| match c {
                        SaleColumn::RecordedAt => "?1".to_owned(),
                        SaleColumn::RecordedBy => "?2".to_owned(),
                        _ => {
                            next += 1;
                            format!("?{}", next - 1)
                        }
                    })
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        format!(
            "INSERT INTO sales ({}) VALUES {}",
            columns::joined(SaleColumn::written()),
            rows.join(", ")
        )
    };
    // The statement for a full chunk is written once for the process, and prepared once
    // for all the full chunks: its bindings stay between them, ?1 and ?2 with them.
    static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let prepare = |sql: &str| {
        let mut stmt = conn.prepare_cached(sql)?;
        stmt.raw_bind_parameter(1, stamp)?;
        stmt.raw_bind_parameter(2, who)?;
        Ok(stmt)
    };
    let mut full = if sales.len() >= INSERT_ROWS {
        Some(prepare(FULL.get_or_init(|| sql_for(INSERT_ROWS))).map_err(|e| (0, e))?)
    } else {
        None
    };
    // The few rates in use, as text.
    let mut rates: Vec<(RatePct, String)> = Vec::new();
    for (at, chunk) in sales.chunks(INSERT_ROWS).enumerate() {
        let at = at * INSERT_ROWS;
        let failed = |e| (at, e);
        let mut last;
        let stmt = match &mut full {
            Some(stmt) if chunk.len() == INSERT_ROWS => stmt,
            _ => {
                last = prepare(&sql_for(chunk.len())).map_err(failed)?;
                &mut last
            }
        };
        let mut i = 3;
        for s in chunk {
            let date = iso_date(s.date);
            let date = std::str::from_utf8(&date).unwrap_or_default();
            let rate = s.rate.map(|r| {
                if let Some(i) = rates.iter().position(|(known, _)| *known == r) {
                    i
                } else {
                    rates.push((r, r.to_string()));
                    rates.len() - 1
                }
            });
            let rate = rate.map(|i| rates[i].1.as_str());
            for column in SaleColumn::replaced() {
                let value: &dyn rusqlite::ToSql = match column {
                    SaleColumn::Doc => &s.doc,
                    SaleColumn::Date => &date,
                    SaleColumn::PartnerId => &s.partner,
                    SaleColumn::ClientInn => &s.client_inn.as_str(),
                    SaleColumn::Kind => &s.kind,
                    SaleColumn::AmountKop => &s.amount_kop,
                    SaleColumn::SelfReferred => &s.role.self_referred,
                    SaleColumn::ConnectedByPartner => &s.role.connected_by_partner,
                    SaleColumn::UsedInWork => &s.role.used_in_work,
                    SaleColumn::PremiumKop => &s.premium_kop,
                    SaleColumn::RatePct => &rate,
                    SaleColumn::Reason => &s.reason,
                    SaleColumn::Status => &s.status,
                    SaleColumn::OneCTerms => &s.one_c_terms,
                    SaleColumn::Id
                    | SaleColumn::ReturnOf
                    | SaleColumn::RecordedAt
                    | SaleColumn::RecordedBy => &NO_VALUE,
                };
                stmt.raw_bind_parameter(i, value).map_err(failed)?;
                i += 1;
            }
        }
        stmt.raw_execute().map_err(failed)?;
    }
    Ok(())
}
