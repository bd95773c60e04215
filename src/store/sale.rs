//! A sale to record, and the one check of it: the period lock, the shipment rule and its
//! figures ([`checked_sale`]), made the same way for a sale recorded alone
//! (`Tx::record_sale`) and for each sale of a bulk load (`SaleRules::check`); and a checked
//! sale's values as a statement binds them, column by column (`columns::SaleColumn`).

use chrono::NaiveDate;

use super::columns::SaleColumn;
use super::sql::Param;
use crate::domain::pin::{Pin, check_shipment};
use crate::domain::statement::figure_sale;
use crate::domain::{
    Inn, LicenseKind, Money, PartnerFacts, PartnerId, RateBook, RatePct, RoleFacts,
    ShipmentRefusal, Status, ZeroReason,
};

/// A sale to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSale {
    pub doc: Option<String>,
    pub date: NaiveDate,
    pub partner: PartnerId,
    pub client_inn: Inn,
    pub client_name: String,
    pub kind: LicenseKind,
    pub amount: Money,
    pub role: RoleFacts,
}

pub(super) fn clean_doc(doc: Option<&str>) -> Option<&str> {
    doc.map(crate::domain::trim).filter(|d| !d.is_empty())
}

/// A sale ready to be written: checked, with its figures.
#[derive(Clone, Debug)]
pub struct CheckedSale {
    pub(super) doc: Option<String>,
    pub(super) date: NaiveDate,
    pub(super) partner: i64,
    pub(super) client_inn: Inn,
    pub(super) kind: &'static str,
    pub(super) amount_kop: i64,
    pub(super) role: RoleFacts,
    pub(super) premium_kop: i64,
    pub(super) rate: Option<RatePct>,
    pub(super) reason: Option<&'static str>,
    pub(super) status: Option<&'static str>,
    pub(super) one_c_terms: bool,
}

/// A checked sale's columns as the parameters of a statement: `first` (an id, say) then the
/// value of each of `columns`, in their order (see [`CheckedSale::params`]).
pub(super) struct SaleColumns<'a> {
    sale: &'a CheckedSale,
    first: Option<&'a dyn Param>,
    columns: Vec<SaleColumn>,
    /// When and by whom it is recorded.
    stamp: &'a str,
    who: &'a str,
    rate: Option<String>,
}

impl super::sql::Params for SaleColumns<'_> {
    fn list(&self) -> Vec<&dyn Param> {
        let s = self.sale;
        let value = |column: SaleColumn| -> &dyn Param {
            match column {
                SaleColumn::Doc => &s.doc,
                SaleColumn::Date => &s.date,
                SaleColumn::PartnerId => &s.partner,
                SaleColumn::ClientInn => &s.client_inn,
                SaleColumn::Kind => &s.kind,
                SaleColumn::AmountKop => &s.amount_kop,
                SaleColumn::SelfReferred => &s.role.self_referred,
                SaleColumn::ConnectedByPartner => &s.role.connected_by_partner,
                SaleColumn::UsedInWork => &s.role.used_in_work,
                SaleColumn::RecordedAt => &self.stamp,
                SaleColumn::RecordedBy => &self.who,
                SaleColumn::PremiumKop => &s.premium_kop,
                SaleColumn::RatePct => &self.rate,
                SaleColumn::Reason => &s.reason,
                SaleColumn::Status => &s.status,
                SaleColumn::OneCTerms => &s.one_c_terms,
                // A checked sale is new: its id is the database's, and it returns nothing.
                SaleColumn::Id | SaleColumn::ReturnOf => &NO_VALUE,
            }
        };
        self.first
            .into_iter()
            .chain(self.columns.iter().map(|c| value(*c)))
            .collect()
    }
}

/// NULL, for a column a checked sale has no value of.
const NO_VALUE: Option<i64> = None;

/// Why a sale is refused, before it is told with the partners' names
/// ([`Db::refusal_error`](super::Db::refusal_error)).
#[derive(Clone, Debug)]
pub enum SaleRefusal {
    /// No partner has this INN.
    UnknownPartner(String),
    /// The number of the issued statement that locks the sale's date.
    Locked(String),
    Shipment(ShipmentRefusal),
}

/// A sale checked against the period lock and the shipment rule, with its figures: the
/// one check of [`Db::record_sale`] and of a bulk load's [`SaleRules::check`].
pub(super) fn checked_sale(
    sale: &NewSale,
    locked_by: Option<&str>,
    pins: &[Pin],
    facts: &PartnerFacts,
    rates: &RateBook,
) -> Result<CheckedSale, SaleRefusal> {
    if let Some(number) = locked_by {
        return Err(SaleRefusal::Locked(number.to_owned()));
    }
    check_shipment(pins, sale.kind, sale.partner, sale.date).map_err(SaleRefusal::Shipment)?;
    let (status, premium) = figure_sale(facts, rates, sale.date, sale.kind, sale.amount, sale.role);
    // The document's uniqueness is the index's to check when the row is written.
    Ok(CheckedSale {
        doc: clean_doc(sale.doc.as_deref()).map(str::to_owned),
        date: sale.date,
        partner: sale.partner.0,
        client_inn: sale.client_inn,
        kind: sale.kind.code(),
        amount_kop: sale.amount.kopecks(),
        role: sale.role,
        premium_kop: premium.premium.kopecks(),
        rate: premium.rate,
        reason: premium.reason.map(ZeroReason::code),
        status: status.map(Status::code),
        one_c_terms: premium.one_c_terms,
    })
}

impl CheckedSale {
    /// `first` (when some), then the sale's value of each of `columns`, as a statement's
    /// parameters; `stamp` and `who` say when and by whom it is recorded.
    pub(super) fn params<'a>(
        &'a self,
        first: Option<&'a dyn Param>,
        columns: impl Iterator<Item = SaleColumn>,
        (stamp, who): (&'a str, &'a str),
    ) -> SaleColumns<'a> {
        SaleColumns {
            sale: self,
            first,
            columns: columns.collect(),
            stamp,
            who,
            rate: self.rate.map(|r| r.to_string()),
        }
    }

    pub fn amount(&self) -> Money {
        Money::from_kopecks(self.amount_kop)
    }
}

/// `YYYY-MM-DD`, as dates are stored, without going through a formatter: a bulk load
/// writes a million of them.
pub(super) fn iso_date(date: NaiveDate) -> [u8; 10] {
    use chrono::Datelike;
    let mut text = *b"0000-00-00";
    let mut put = |at: usize, digits: usize, mut n: u32| {
        for i in (at..at + digits).rev() {
            text[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, date.year().clamp(0, 9999) as u32);
    put(5, 2, date.month());
    put(8, 2, date.day());
    text
}
