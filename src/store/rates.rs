//! Rate-table versions: read them all, add one from a date.

use super::sql::Conn;
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Tx, now_stamp};
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
        let mut versions: Vec<(i64, Option<NaiveDate>)> = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, effective_from FROM rate_versions ORDER BY id")?;
        for row in stmt.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))? {
            versions.push(row?);
        }
        let mut cells = self.conn.prepare_cached(
            "SELECT kind, status, rate_pct FROM rate_cells WHERE version_id = ?1",
        )?;
        let mut book = Vec::with_capacity(versions.len());
        for (id, effective_from) in versions {
            let mut table = RateTable::empty();
            let rows = cells.query_map([id], |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                ))
            })?;
            for row in rows {
                let (kind, status, rate) = row?;
                let kind = LicenseKind::parse(&kind)
                    .ok_or_else(|| StoreError::BadValue(format!("license kind {kind}")))?;
                let status = Status::parse(&status)
                    .ok_or_else(|| StoreError::BadValue(format!("status {status}")))?;
                let rate = rate
                    .map(|r| {
                        RatePct::parse(&r).map_err(|_| StoreError::BadValue(format!("rate {r}")))
                    })
                    .transpose()?;
                table.set(kind, status, rate);
            }
            book.push(RateVersion {
                effective_from,
                table,
            });
        }
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
