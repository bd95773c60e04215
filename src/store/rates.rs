//! Rate-table versions: read them all, add one from a date.

use super::sql::Conn;
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Stored, Tx, now_stamp};
use crate::domain::{LicenseKind, RateBook, RatePct, RateTable, RateVersion, Status};

/// The note of the first rate version: the regulation's own rates.
pub(super) const REGULATION_NOTE: &str = "Регламент работы с партнёрами";

/// Every cell of `table` as stored: kind, status and the rate as text (none: no premium).
pub(super) fn cells(table: &RateTable) -> Vec<(&'static str, &'static str, Option<String>)> {
    let mut cells = Vec::new();
    for kind in LicenseKind::ALL {
        for status in Status::ALL {
            let rate = match table.cell(kind, status) {
                crate::domain::RateCell::Pct(rate) => Some(rate.to_string()),
                _ => None,
            };
            cells.push((kind.code(), status.code(), rate));
        }
    }
    cells
}

pub(super) fn insert_cells(
    conn: Conn<'_>,
    version: i64,
    table: &RateTable,
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO rate_cells (version_id, kind, status, rate_pct) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (kind, status, rate) in cells(table) {
        insert.execute((version, kind, status, rate))?;
    }
    Ok(())
}

impl Db<'_> {
    /// Every version of the rate table.
    pub fn rate_book(&self) -> Result<RateBook, StoreError> {
        if let Some(book) = &self.cache.borrow().rates {
            return Ok(book.clone());
        }
        let book = self.read_rate_book()?;
        self.cache.borrow_mut().rates = Some(book.clone());
        Ok(book)
    }

    fn read_rate_book(&self) -> Result<RateBook, StoreError> {
        // One query for every version and its cells (a version without cells comes as one
        // row of nulls): on a server each query is a round trip.
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.id, v.effective_from, c.kind, c.status, c.rate_pct
             FROM rate_versions v LEFT JOIN rate_cells c ON c.version_id = v.id
             ORDER BY v.id",
        )?;
        let rows = stmt.query_map((), |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<Option<NaiveDate>>(1)?,
                r.get::<Option<String>>(2)?,
                r.get::<Option<String>>(3)?,
                r.get::<Option<String>>(4)?,
            ))
        })?;
        let mut book: Vec<(i64, RateVersion)> = Vec::new();
        for row in rows {
            let (id, effective_from, kind, status, rate) = row?;
            if book.last().is_none_or(|(last, _)| *last != id) {
                book.push((
                    id,
                    RateVersion {
                        effective_from,
                        table: RateTable::empty(),
                    },
                ));
            }
            let (Some(kind), Some(status)) = (kind, status) else {
                continue;
            };
            let unknown = |what, column, value| StoreError::UnknownValue {
                what,
                column,
                value,
            };
            let kind = LicenseKind::parse(&kind)
                .ok_or_else(|| unknown(Stored::LicenseKind, "rate_cells.kind", kind.clone()))?;
            let status = Status::parse(&status)
                .ok_or_else(|| unknown(Stored::Status, "rate_cells.status", status.clone()))?;
            let rate = rate
                .map(|r| {
                    RatePct::parse(&r)
                        .map_err(|_| unknown(Stored::Rate, "rate_cells.rate_pct", r.clone()))
                })
                .transpose()?;
            if let Some((_, version)) = book.last_mut() {
                version.table.set(kind, status, rate);
            }
        }
        let book = book.into_iter().map(|(_, version)| version).collect();
        Ok(RateBook::new(book))
    }
}

impl Tx<'_> {
    /// Adds a rate-table version in force from `effective_from`. Sales dated before it keep
    /// the rates they had.
    pub fn add_rate_version(
        &self,
        effective_from: NaiveDate,
        table: &RateTable,
        note: &str,
    ) -> Result<(), StoreError> {
        RuleError::check_text(crate::domain::TextField::Note, note)?;
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM rate_versions WHERE effective_from = ?1)",
            [effective_from],
            |r| r.get(0),
        )?;
        if exists {
            return Err(RuleError::RateVersionExists {
                date: effective_from,
            }
            .into());
        }
        let version = self.conn.query_row(
            "INSERT INTO rate_versions (effective_from, note, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            (effective_from, note.trim(), now_stamp(), self.who()),
            |r| r.get(0),
        )?;
        insert_cells(self.conn, version, table)?;
        self.forget();
        self.refigure(None, Some(effective_from))?;
        Ok(())
    }
}
