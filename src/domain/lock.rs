//! What an issued statement locks, and what a return may be (REGULATION §7 and §4.1),
//! decided here for every writer of the program. Both databases keep the same rules as a
//! backstop (their triggers), for any other writer; a test runs the same cases through this
//! module and both databases' triggers and requires the same decision.

use chrono::NaiveDate;

use super::money::Money;
use super::{PartnerId, SaleId};

/// A period that an issued statement in force (not reopened) locks: its partner's sales and
/// returns dated from `from` to `to`, both included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockedPeriod {
    pub partner: PartnerId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The statement's number, by which a refusal names it.
    pub number: String,
}

/// The statement among `locked` that locks a record of `partner` dated `date`. Two
/// statements of a partner in force never cover one day (both databases refuse it), so
/// there is at most one.
pub fn locking_statement(
    locked: &[LockedPeriod],
    partner: PartnerId,
    date: NaiveDate,
) -> Option<&LockedPeriod> {
    locked
        .iter()
        .find(|l| l.partner == partner && l.from <= date && date <= l.to)
}

/// A write of a sale or a return, as the period lock sees it: where the record is dated and
/// whose it is, before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordWrite {
    /// A new record.
    Add { partner: PartnerId, date: NaiveDate },
    /// A record changed in any column (its figures too), possibly re-dated or moved to
    /// another partner.
    Change {
        from: (PartnerId, NaiveDate),
        to: (PartnerId, NaiveDate),
    },
    /// A record deleted.
    Delete { partner: PartnerId, date: NaiveDate },
}

/// Whether the period lock lets `write` through: no record in a locked period may be added,
/// changed in any way or deleted, and none may be moved into one. A refusal names the
/// statement that locks it (the record's own first, then the one it would move into).
pub fn period_lock(locked: &[LockedPeriod], write: RecordWrite) -> Result<(), &LockedPeriod> {
    let days = match write {
        RecordWrite::Add { partner, date } | RecordWrite::Delete { partner, date } => {
            [Some((partner, date)), None]
        }
        RecordWrite::Change { from, to } => [Some(from), Some(to)],
    };
    match days
        .into_iter()
        .flatten()
        .find_map(|(partner, date)| locking_statement(locked, partner, date))
    {
        Some(statement) => Err(statement),
        None => Ok(()),
    }
}

/// A recorded sale or return, as a return of it is checked against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Returnable {
    pub id: SaleId,
    pub partner: PartnerId,
    pub date: NaiveDate,
    pub amount: Money,
    /// The record is itself a return.
    pub is_return: bool,
    /// What its returns have taken back so far.
    pub returned: Money,
}

impl Returnable {
    /// What may still be returned of it.
    pub fn left(&self) -> Money {
        self.amount - self.returned
    }
}

/// Why a return cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReturnRefusal {
    /// There is no such recorded sale.
    #[error("there is no such sale")]
    NoSuchSale,
    /// The record named is a return: a return is of a sale.
    #[error("a return is of a sale, not of another return")]
    ReturnOfReturn,
    /// A return is dated on or after its sale.
    #[error("the return is dated before its sale ({sale_date})")]
    BeforeSale { sale_date: NaiveDate },
    /// The return's date is in a period an issued statement locks (its own statement
    /// stays as issued; the return lands in an open period).
    #[error("the return's date is locked by statement {number}")]
    Locked { number: String },
    /// More than what is left of the sale.
    #[error("more than is left of the sale ({left})")]
    TooLarge { left: Money },
}

/// Whether a return of `amount` dated `date` may be recorded of `sale` (REGULATION §4.1): a
/// return is of a recorded sale, not of a return, dated on or after it, in a period no
/// statement in force (`locked`) locks, and of no more than what is left of it; the first
/// of these that fails is the refusal. Its figures are the sale's (`statement::figure`).
pub fn check_return(
    sale: Option<&Returnable>,
    date: NaiveDate,
    amount: Money,
    locked: &[LockedPeriod],
) -> Result<(), ReturnRefusal> {
    let sale = sale.ok_or(ReturnRefusal::NoSuchSale)?;
    if sale.is_return {
        return Err(ReturnRefusal::ReturnOfReturn);
    }
    if date < sale.date {
        return Err(ReturnRefusal::BeforeSale {
            sale_date: sale.date,
        });
    }
    if let Some(statement) = locking_statement(locked, sale.partner, date) {
        return Err(ReturnRefusal::Locked {
            number: statement.number.clone(),
        });
    }
    if amount > sale.left() {
        return Err(ReturnRefusal::TooLarge { left: sale.left() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::domain::parse_date(text).unwrap_or_else(|| panic!("{text}"))
    }

    fn locked() -> Vec<LockedPeriod> {
        vec![LockedPeriod {
            partner: PartnerId(1),
            from: d("2025-01-01"),
            to: d("2025-03-31"),
            number: "2025-0001".into(),
        }]
    }

    #[test]
    fn an_issued_statement_locks_its_partners_records_of_its_period_and_no_other() {
        let locked = locked();
        let add = |partner, date| {
            period_lock(
                &locked,
                RecordWrite::Add {
                    partner: PartnerId(partner),
                    date: d(date),
                },
            )
            .map_err(|l| l.number.clone())
        };
        assert_eq!(add(1, "2025-01-01"), Err("2025-0001".into()));
        assert_eq!(add(1, "2025-03-31"), Err("2025-0001".into()));
        assert_eq!(add(1, "2025-04-01"), Ok(()));
        assert_eq!(add(1, "2024-12-31"), Ok(()));
        assert_eq!(add(2, "2025-02-01"), Ok(()));
        let change = |from: &str, to: &str| {
            period_lock(
                &locked,
                RecordWrite::Change {
                    from: (PartnerId(1), d(from)),
                    to: (PartnerId(1), d(to)),
                },
            )
            .is_ok()
        };
        assert!(!change("2025-02-01", "2025-02-01"), "its figures too");
        assert!(!change("2025-02-01", "2025-05-01"), "re-dated out");
        assert!(!change("2025-05-01", "2025-02-01"), "re-dated in");
        assert!(change("2025-05-01", "2025-06-01"));
    }

    #[test]
    fn a_return_is_of_a_recorded_sale_after_it_and_of_no_more_than_is_left() {
        let sale = Returnable {
            id: SaleId(1),
            partner: PartnerId(1),
            date: d("2025-02-01"),
            amount: Money::from_kopecks(100_000),
            is_return: false,
            returned: Money::from_kopecks(30_000),
        };
        let locked = locked();
        let ok =
            |date, kop| check_return(Some(&sale), d(date), Money::from_kopecks(kop), &locked[..0]);
        assert_eq!(ok("2025-02-01", 70_000), Ok(()));
        assert_eq!(
            check_return(
                Some(&sale),
                d("2025-03-01"),
                Money::from_kopecks(1),
                &locked
            ),
            Err(ReturnRefusal::Locked {
                number: "2025-0001".into()
            })
        );
        assert_eq!(
            ok("2025-02-01", 70_001),
            Err(ReturnRefusal::TooLarge {
                left: Money::from_kopecks(70_000)
            })
        );
        assert_eq!(
            ok("2025-01-31", 1),
            Err(ReturnRefusal::BeforeSale {
                sale_date: d("2025-02-01")
            })
        );
        let a_return = Returnable {
            is_return: true,
            ..sale
        };
        assert_eq!(
            check_return(
                Some(&a_return),
                d("2025-03-01"),
                Money::from_kopecks(1),
                &[]
            ),
            Err(ReturnRefusal::ReturnOfReturn)
        );
        assert_eq!(
            check_return(None, d("2025-03-01"), Money::from_kopecks(1), &[]),
            Err(ReturnRefusal::NoSuchSale)
        );
    }
}
