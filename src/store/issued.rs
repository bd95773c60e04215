//! Issued statements: their stored figures and checksum, the period lock they put on the
//! sales they cover, and reopening with a reason.

use super::sql::{Optional as _, Row};
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Tx, money};
use crate::domain::lock::{self, LockedPeriod, RecordWrite};
use crate::domain::{Money, PartnerId};

/// An issued statement as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedRow {
    pub id: i64,
    pub number: String,
    pub partner: PartnerId,
    pub partner_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub issued_on: NaiveDate,
    pub lines: i64,
    pub amount: Money,
    pub premium: Money,
    pub sha256: String,
    /// When and why it was reopened; an issued statement locks its sales until then.
    pub reopened: Option<(NaiveDate, String)>,
    /// The logins that issued it and reopened it (empty: before the program kept them,
    /// or not reopened).
    pub issued_by: String,
    pub reopened_by: String,
}

/// What an issued statement stores.
pub struct NewIssued<'a> {
    pub number: &'a str,
    pub partner: PartnerId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub issued_on: NaiveDate,
    pub json: &'a [u8],
    pub sha256: &'a str,
    pub lines: i64,
    pub amount: Money,
    pub premium: Money,
}

const ISSUED_COLUMNS: &str =
    "i.id, i.number, i.partner_id, p.name, i.period_from, i.period_to, i.issued_on,
    i.lines, i.amount_kop, i.premium_kop, i.sha256, i.reopened_on, i.reopen_reason, i.issued_by,
    (SELECT e.recorded_by FROM statement_events e
     WHERE e.statement_id = i.id AND e.event = 'reopened' ORDER BY e.id DESC LIMIT 1)";

/// The periods statements in force lock, as `sql` (with its parameters) selects them:
/// partner, first day, last day, number.
fn locked_periods(
    db: &Db<'_>,
    sql: &str,
    params: impl super::sql::Params,
) -> Result<Vec<LockedPeriod>, StoreError> {
    let mut stmt = db.conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok(LockedPeriod {
            partner: PartnerId(r.get(0)?),
            from: r.get(1)?,
            to: r.get(2)?,
            number: r.get(3)?,
        })
    })?;
    rows.collect()
}

fn issued_row(r: &Row<'_>) -> Result<IssuedRow, StoreError> {
    let reopened_on: Option<NaiveDate> = r.get(11)?;
    let reason: Option<String> = r.get(12)?;
    Ok(IssuedRow {
        id: r.get(0)?,
        number: r.get(1)?,
        partner: PartnerId(r.get(2)?),
        partner_name: r.get(3)?,
        from: r.get(4)?,
        to: r.get(5)?,
        issued_on: r.get(6)?,
        lines: r.get(7)?,
        amount: money(r.get(8)?),
        premium: money(r.get(9)?),
        sha256: r.get(10)?,
        reopened: reopened_on.map(|d| (d, reason.unwrap_or_default())),
        issued_by: r.get(13)?,
        reopened_by: r.get::<Option<String>>(14)?.unwrap_or_default(),
    })
}

impl Db<'_> {
    /// The next statement number of a year: `2025-0001`, `2025-0002`, …
    pub fn next_statement_number(&self, year: i32) -> Result<String, StoreError> {
        let prefix = format!("{year:04}-");
        let last: Option<String> = self
            .conn
            .query_row(
                "SELECT max(number) FROM issued_statements WHERE number LIKE ?1 || '%'",
                [&prefix],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let next = last
            .and_then(|n| n[prefix.len()..].parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        Ok(format!("{prefix}{next:04}"))
    }

    /// The issued (not reopened) statement of `partner` whose period overlaps `[from, to]`.
    pub fn issued_overlapping(
        &self,
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<IssuedRow>, StoreError> {
        let sql = format!(
            "SELECT {ISSUED_COLUMNS} FROM issued_statements i JOIN partners p ON p.id = i.partner_id
             WHERE i.partner_id = ?1 AND i.reopened_on IS NULL AND i.period_from <= ?3 AND i.period_to >= ?2
             ORDER BY i.id LIMIT 1"
        );
        self.conn
            .query_row(&sql, (partner.0, from, to), issued_row)
            .optional()
    }

    /// Every issued statement, newest first.
    pub fn issued_statements(&self) -> Result<Vec<IssuedRow>, StoreError> {
        let sql = format!(
            "SELECT {ISSUED_COLUMNS} FROM issued_statements i JOIN partners p ON p.id = i.partner_id ORDER BY i.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((), issued_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The issued statement with this number, and the JSON bytes stored when it was issued.
    pub fn issued_statement(&self, number: &str) -> Result<(IssuedRow, Vec<u8>), StoreError> {
        let sql = format!(
            "SELECT {ISSUED_COLUMNS}, i.json FROM issued_statements i JOIN partners p ON p.id = i.partner_id
             WHERE i.number = ?1"
        );
        self.conn
            .query_row(&sql, [number.trim()], |r| {
                Ok((issued_row(r)?, r.get::<Vec<u8>>(15)?))
            })
            .optional()?
            .ok_or_else(|| {
                RuleError::UnknownStatement {
                    number: number.trim().to_owned(),
                }
                .into()
            })
    }

    /// Every period a statement in force locks.
    pub(super) fn locks(&self) -> Result<Vec<LockedPeriod>, StoreError> {
        if self.cache.borrow().locks.is_none() {
            let locks = locked_periods(
                self,
                "SELECT partner_id, period_from, period_to, number FROM issued_statements
                 WHERE reopened_on IS NULL",
                (),
            )?;
            self.cache.borrow_mut().locks = Some(locks);
        }
        Ok(self.cache.borrow().locks.clone().unwrap_or_default())
    }

    /// The periods statements in force lock of `partner`: all of them when this view has
    /// read every one (a bulk load does), else that partner's only (an indexed read, not
    /// every statement).
    pub(super) fn locks_of(&self, partner: PartnerId) -> Result<Vec<LockedPeriod>, StoreError> {
        if let Some(locks) = self.cache.borrow().locks.as_deref() {
            return Ok(locks
                .iter()
                .filter(|l| l.partner == partner)
                .cloned()
                .collect());
        }
        locked_periods(
            self,
            "SELECT partner_id, period_from, period_to, number FROM issued_statements
             WHERE partner_id = ?1 AND reopened_on IS NULL",
            [partner.0],
        )
    }

    /// The number of the issued statement that locks a sale of `partner` dated `date`, if
    /// any (decided by [`lock::locking_statement`]).
    pub fn locking_statement(
        &self,
        partner: PartnerId,
        date: NaiveDate,
    ) -> Result<Option<Box<str>>, StoreError> {
        let locks = self.locks_of(partner)?;
        Ok(lock::locking_statement(&locks, partner, date).map(|l| Box::from(l.number.as_str())))
    }

    /// Whether the period lock lets `write` through (decided by [`lock::period_lock`]): a
    /// refusal names the statement.
    pub(super) fn period_lock(&self, write: RecordWrite) -> Result<(), StoreError> {
        let mut partners: Vec<PartnerId> = match write {
            RecordWrite::Add { partner, .. } | RecordWrite::Delete { partner, .. } => vec![partner],
            RecordWrite::Change { from, to } => vec![from.0, to.0],
        };
        partners.dedup();
        let mut locks = Vec::new();
        for partner in partners {
            locks.extend(self.locks_of(partner)?);
        }
        lock::period_lock(&locks, write).map_err(|l| {
            RuleError::PeriodLocked {
                number: l.number.clone(),
            }
            .into()
        })
    }

    /// Partners with a sale or return dated in `[from, to]`, by name.
    pub fn partners_with_activity(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PartnerId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id FROM partners p WHERE EXISTS
               (SELECT 1 FROM sales s WHERE s.partner_id = p.id AND s.date BETWEEN ?1 AND ?2)
             ORDER BY p.name COLLATE NOCASE, p.id",
        )?;
        let ids = stmt
            .query_map((from, to), |r| Ok(PartnerId(r.get(0)?)))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

impl Tx<'_> {
    /// Records an issued statement; from now on its sales are locked.
    pub fn record_issued(&self, s: &NewIssued<'_>) -> Result<i64, StoreError> {
        self.forget();
        if let Some(other) = self.issued_overlapping(s.partner, s.from, s.to)? {
            return Err(RuleError::AlreadyIssued {
                number: other.number,
                from: other.from,
                to: other.to,
            }
            .into());
        }
        self.conn.engine().record_issued(self, s)
    }

    /// Reopens an issued statement with a stated reason: its sales are no longer locked, and
    /// are figured again by the rates and statuses of now (their returns with them). The
    /// statement and the reason stay in the history.
    pub fn reopen_statement(
        &self,
        number: &str,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(), StoreError> {
        let (row, _) = self.issued_statement(number)?;
        if row.reopened.is_some() {
            return Err(RuleError::AlreadyReopened { number: row.number }.into());
        }
        let paid: crate::domain::Money = self.payments_of(row.id)?.iter().map(|p| p.amount).sum();
        if !paid.is_zero() {
            return Err(RuleError::StatementPaid {
                number: row.number,
                paid,
            }
            .into());
        }
        if reason.trim().is_empty() {
            return Err(RuleError::ReasonRequired.into());
        }
        RuleError::check_text(crate::domain::TextField::Reason, reason)?;
        self.forget();
        self.conn
            .engine()
            .reopen_statement(self, row.id, on, reason.trim())?;
        self.refigure(Some(row.partner), Some(row.from))?;
        Ok(())
    }
}
