//! Payments of issued statements: what is due on each, the payments recorded (by hand or
//! from a bank statement), and a payment undone by a row that cancels it (history kept:
//! nothing is changed or deleted).

use chrono::NaiveDate;

use super::sql::{Optional as _, Row};
use super::{Db, RuleError, StoreError, Tx, money, now_stamp, parse_inn};
use crate::domain::payments::{Due, NewPayment, PaymentSource};
use crate::domain::reconciliation::{Paid, Reconciliation, reconciliation};
use crate::domain::{Money, PartnerId, TextField};

/// A payment as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub statement_id: i64,
    pub on_date: NaiveDate,
    pub amount: Money,
    pub doc: String,
    pub source: PaymentSource,
    pub bank_ref: String,
    /// The payment this row cancels (an undo).
    pub cancels: Option<i64>,
    /// Whether a later row cancels this one.
    pub cancelled: bool,
    pub recorded_at: String,
    pub recorded_by: String,
}

fn due_row(r: &Row<'_>) -> Result<Due, StoreError> {
    Ok(Due {
        statement_id: r.get(0)?,
        number: r.get(1)?,
        partner: PartnerId(r.get(2)?),
        partner_inn: parse_inn(r.get(3)?, "partners.inn")?,
        partner_name: r.get(4)?,
        from: r.get(5)?,
        to: r.get(6)?,
        issued_on: r.get(7)?,
        premium: money(r.get(8)?),
        paid: money(r.get(9)?),
    })
}

fn payment_row(r: &Row<'_>) -> Result<PaymentRow, StoreError> {
    let source: String = r.get(5)?;
    Ok(PaymentRow {
        id: r.get(0)?,
        statement_id: r.get(1)?,
        on_date: r.get(2)?,
        amount: money(r.get(3)?),
        doc: r.get(4)?,
        source: PaymentSource::parse(&source).ok_or(StoreError::UnknownValue {
            what: super::Stored::PaymentSource,
            column: "payments.source",
            value: source,
        })?,
        bank_ref: r.get(6)?,
        cancels: r.get(7)?,
        cancelled: r.get(8)?,
        recorded_at: r.get(9)?,
        recorded_by: r.get(10)?,
    })
}

const DUE_COLUMNS: &str = "i.id, i.number, i.partner_id, p.inn, p.name, i.period_from, i.period_to,
    i.issued_on, i.premium_kop,
    (SELECT coalesce(sum(x.amount_kop), 0) FROM payments x WHERE x.statement_id = i.id)";

impl Db<'_> {
    /// Every issued statement in force (not reopened) with what has been paid on it, oldest
    /// first.
    pub fn dues(&self) -> Result<Vec<Due>, StoreError> {
        let sql = format!(
            "SELECT {DUE_COLUMNS} FROM issued_statements i JOIN partners p ON p.id = i.partner_id
             WHERE i.reopened_on IS NULL ORDER BY i.issued_on, i.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((), due_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The payments of a statement, in the order recorded, undone ones with their undo.
    pub fn payments_of(&self, statement_id: i64) -> Result<Vec<PaymentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.id, x.statement_id, x.on_date, x.amount_kop, x.doc, x.source, x.bank_ref,
                    x.cancels, EXISTS (SELECT 1 FROM payments c WHERE c.cancels = x.id),
                    x.recorded_at, x.recorded_by
             FROM payments x WHERE x.statement_id = ?1 ORDER BY x.id",
        )?;
        let rows = stmt
            .query_map([statement_id], payment_row)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every payment, in the order recorded.
    pub fn payments(&self) -> Result<Vec<PaymentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.id, x.statement_id, x.on_date, x.amount_kop, x.doc, x.source, x.bank_ref,
                    x.cancels, EXISTS (SELECT 1 FROM payments c WHERE c.cancels = x.id),
                    x.recorded_at, x.recorded_by
             FROM payments x ORDER BY x.id",
        )?;
        let rows = stmt.query_map((), payment_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The акт сверки of `partner` for `[from, to]`, made on `made_on`.
    pub fn reconciliation(
        &self,
        partner: PartnerId,
        (from, to): (NaiveDate, NaiveDate),
        made_on: NaiveDate,
        lang: crate::domain::Lang,
    ) -> Result<Reconciliation, StoreError> {
        let dues = self.dues()?;
        let mine: Vec<&Due> = dues.iter().filter(|d| d.partner == partner).collect();
        let paid: Vec<Paid> = self
            .payments()?
            .into_iter()
            .filter_map(|p| {
                let due = mine.iter().find(|d| d.statement_id == p.statement_id)?;
                Some(Paid {
                    on_date: p.on_date,
                    amount: p.amount,
                    doc: p.doc,
                    number: due.number.clone(),
                })
            })
            .collect();
        let (opening, lines, closing) = reconciliation(&mine, &paid, (from, to), lang);
        let facts = self.partner_facts(partner)?;
        Ok(Reconciliation {
            partner_name: facts.name,
            partner_inn: facts.inn.to_string(),
            parties: crate::domain::statement::Parties {
                ours: self.organisation()?,
                partner: self.partner_requisites(partner)?,
            },
            from,
            to,
            made_on,
            opening,
            accrued: lines.iter().map(|l| l.accrued).sum(),
            paid: lines.iter().map(|l| l.paid).sum(),
            lines,
            closing,
        })
    }

    /// Whether a bank's payment with this reference is recorded (and not undone).
    pub fn bank_ref_recorded(&self, bank_ref: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM payments x WHERE x.bank_ref = ?1 AND x.cancels IS NULL
                 AND NOT EXISTS (SELECT 1 FROM payments c WHERE c.cancels = x.id) LIMIT 1",
                [bank_ref],
                |r| r.get::<i64>(0),
            )
            .optional()?
            .is_some())
    }
}

impl Tx<'_> {
    /// Records a payment of an issued statement in force; it may leave the statement
    /// partly paid, never paid more than its premium (nor, for a negative one, withheld
    /// more).
    pub fn record_payment(&self, p: &NewPayment) -> Result<i64, StoreError> {
        RuleError::check_text(TextField::Doc, &p.doc)?;
        let due = self
            .dues()?
            .into_iter()
            .find(|d| d.statement_id == p.statement_id)
            .ok_or(RuleError::NotDue)?;
        let left = due.left();
        let over = if left.kopecks() >= 0 {
            p.amount.kopecks() > left.kopecks()
        } else {
            p.amount.kopecks() < left.kopecks()
        };
        if p.amount.is_zero() || over {
            return Err(RuleError::PaymentTooLarge {
                number: due.number,
                left: left.display(crate::domain::Lang::Ru),
            }
            .into());
        }
        let id = self.conn.query_row(
            "INSERT INTO payments (statement_id, on_date, amount_kop, doc, source, bank_ref,
                                   recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            (
                p.statement_id,
                p.on_date,
                p.amount.kopecks(),
                p.doc.trim(),
                p.source.code(),
                p.bank_ref.as_str(),
                now_stamp(),
                self.who(),
            ),
            |r| r.get(0),
        )?;
        Ok(id)
    }

    /// Undoes a payment recorded by mistake: a row with the opposite amount that cancels
    /// it, dated `on`; the payment and its undo stay in the history.
    pub fn undo_payment(&self, id: i64, on: NaiveDate) -> Result<(), StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT x.statement_id, x.amount_kop, x.doc, x.cancels,
                        EXISTS (SELECT 1 FROM payments c WHERE c.cancels = x.id)
                 FROM payments x WHERE x.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<i64>(1)?,
                        r.get::<String>(2)?,
                        r.get::<Option<i64>>(3)?,
                        r.get::<bool>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((statement_id, amount, doc, None, false)) = row else {
            return Err(RuleError::NothingToCancel.into());
        };
        self.conn.execute(
            "INSERT INTO payments (statement_id, on_date, amount_kop, doc, source, cancels,
                                   recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, 'undo', ?5, ?6, ?7)",
            (statement_id, on, -amount, doc, id, now_stamp(), self.who()),
        )?;
        Ok(())
    }
}
