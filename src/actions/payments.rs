//! Payments, as the window and the command line both make them: payment orders for the
//! statements due, and a bank statement's payments matched and recorded.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::{ActionError, Done};
use crate::domain::payments::{self, BankPayment, Due, Unmatched};
use crate::domain::{Money, document};
use crate::export::{self, bank::PaymentOrder};
use crate::import;
use crate::store::{RuleError, Store, StoreError};

/// What a file of payment orders holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrdersWritten {
    pub path: PathBuf,
    pub orders: usize,
    /// The first and the last payment order's number.
    pub numbers: (u32, u32),
    pub amount: Money,
    /// The partners refused for want of bank requisites: nothing was written for them.
    pub refused: Vec<String>,
}

/// What a bank statement's import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankImported {
    pub recorded: Vec<BankPayment>,
    pub already: usize,
    pub unmatched: Vec<(BankPayment, Unmatched)>,
}

/// The statements `numbers` name (every statement not yet settled when none is named).
fn chosen(dues: &[Due], numbers: &[String]) -> Result<Vec<usize>, ActionError> {
    if numbers.is_empty() {
        return Ok((0..dues.len()).filter(|i| !dues[*i].is_settled()).collect());
    }
    numbers
        .iter()
        .map(|n| {
            dues.iter()
                .position(|d| d.number == n.trim())
                .ok_or_else(|| {
                    RuleError::UnknownStatement {
                        number: n.trim().to_owned(),
                    }
                    .into()
                })
        })
        .collect()
}

/// Writes the payment orders for the statements `numbers` (all due when none is named):
/// one per partner, its statements netted; a partner without bank requisites is refused
/// by name and nothing is written for it.
pub fn payment_orders(
    store: &Store,
    numbers: &[String],
    first: Option<u32>,
    path: &Path,
    (today, now): (NaiveDate, NaiveTime),
) -> Result<Done, ActionError> {
    let db = store.read();
    let ours = db.organisation()?;
    if ours.inn.is_empty() || !ours.missing_for_payment().is_empty() {
        return Err(RuleError::NoOurBankRequisites.into());
    }
    let dues = db.dues()?;
    let picked: Vec<&Due> = chosen(&dues, numbers)?
        .into_iter()
        .map(|i| &dues[i])
        .collect();
    let (orders, _) = payments::orders(&picked);
    let mut refused = Vec::new();
    let mut written = Vec::new();
    let mut requisites = Vec::new();
    for order in &orders {
        let r = db.partner_requisites(order.partner)?;
        let name = order.dues[0].partner_name.clone();
        if r.missing_for_payment().is_empty() {
            requisites.push((order, r, name));
        } else {
            refused.push(name);
        }
    }
    let first = match first {
        Some(first) => first,
        None => payments::next_order_number(
            db.payments()?.iter().map(|p| (p.on_date, p.doc.as_str())),
            today.year(),
        ),
    };
    for (i, (order, r, name)) in requisites.iter().enumerate() {
        let vat = document::vat_purpose(r.vat, order.amount);
        written.push(PaymentOrder {
            number: first.saturating_add(i as u32),
            amount: order.amount,
            name,
            inn: order.dues[0].partner_inn.as_str(),
            recipient: r,
            purpose: payments::purpose(
                order,
                &document::contract(r, crate::domain::Lang::Ru),
                &vat,
            ),
        });
    }
    if written.is_empty() {
        return Err(match refused.is_empty() {
            true => RuleError::NothingToPay.into(),
            false => RuleError::NoBankRequisites {
                partner: refused.join(", "),
            }
            .into(),
        });
    }
    let bytes = export::bank::payment_orders(&ours, &written, today, now);
    export::write_atomically(path, &bytes).map_err(export::ExportError::from)?;
    Ok(Done::PaymentOrders(OrdersWritten {
        path: path.to_owned(),
        orders: written.len(),
        numbers: (first, first.saturating_add(written.len() as u32 - 1)),
        amount: written.iter().map(|o| o.amount).sum(),
        refused,
    }))
}

/// Writes the акт сверки of `partner` for `[from, to]` to `path` (PDF or XLSX by its
/// extension).
pub fn write_reconciliation(
    store: &Store,
    partner: crate::domain::PartnerId,
    period: (NaiveDate, NaiveDate),
    path: &Path,
    (lang, today): (crate::domain::Lang, NaiveDate),
) -> Result<Done, ActionError> {
    let act = store.read().reconciliation(partner, period, today, lang)?;
    export::write_reconciliation(&act, path, lang)?;
    Ok(Done::ReconciliationWritten {
        path: path.to_owned(),
        closing: act.closing,
    })
}

/// Imports a bank statement: its outgoing payments matched to the statements they pay and
/// recorded, in one transaction; what matches nothing is listed with why; a payment
/// recorded by an earlier import is not recorded again.
pub fn import_bank(store: &mut Store, file: &Path) -> Result<Done, ActionError> {
    let failed = |e| ActionError::import(file.display().to_string(), e);
    let bytes = std::fs::read(file).map_err(|e| failed(e.into()))?;
    let documents = import::bank::read_exchange(&bytes).map_err(failed)?;
    let ours = store.read().organisation()?.inn;
    let found = import::bank::outgoing(&documents, &ours).map_err(failed)?;
    let done = store.write(|tx| {
        let mut done = BankImported {
            recorded: Vec::new(),
            already: 0,
            unmatched: Vec::new(),
        };
        for p in found {
            if tx.bank_ref_recorded(&p.bank_ref())? {
                done.already += 1;
                continue;
            }
            match payments::match_payment(&p, &tx.dues()?) {
                Ok(rows) => {
                    for row in &rows {
                        tx.record_payment(row)?;
                    }
                    done.recorded.push(p);
                }
                Err(why) => done.unmatched.push((p, why)),
            }
        }
        Ok::<_, StoreError>(done)
    })?;
    Ok(Done::BankImported(done))
}
