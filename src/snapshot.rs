//! What the pages show: a snapshot of the data, read after every change.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::status::EvidenceGap;
use crate::domain::{Inn, Money, PartnerId, RateBook, Status};
use crate::store::{
    Counts, ImportRecord, IssuedRow, PartnerRecord, PartnerRow, PinRow, Store, StoreError,
};

/// A partner as the Partners page lists it.
#[derive(Clone, Debug)]
pub struct PartnerSummary {
    pub id: PartnerId,
    pub inn: Inn,
    pub name: String,
    pub one_c_partner: bool,
    pub status: Option<Status>,
    pub gaps: Vec<EvidenceGap>,
    pub pinned_now: i64,
    pub premium_year: Money,
}

/// A snapshot of what the pages show, reloaded after every change.
#[derive(Default)]
pub struct Data {
    pub version: u64,
    pub counts: Counts,
    pub partners: Vec<PartnerRow>,
    pub summaries: Vec<PartnerSummary>,
    pub records: HashMap<PartnerId, PartnerRecord>,
    /// Every pin, read after the rest of the snapshot (a hundred thousand take a sixth of
    /// a second) with the partners' `pinned_now` and `premium_year`, and kept from the
    /// last snapshot until then.
    pub pins: Vec<PinRow>,
    /// The data version `pins` and the partners' activity were read at; 0 until they first
    /// arrive.
    pub pins_version: u64,
    pub rates: RateBook,
    pub issued: Vec<IssuedRow>,
    /// The newest import, and whether it can still be undone.
    pub last_import: Option<ImportRecord>,
    /// Our organisation's requisites (empty until entered).
    pub organisation: crate::domain::Requisites,
    /// Every issued statement in force with what is paid on it, and every payment.
    pub dues: Vec<crate::domain::payments::Due>,
    pub payments: Vec<crate::store::PaymentRow>,
}

impl Data {
    pub(crate) fn load(store: &Store, today: NaiveDate, version: u64) -> Result<Data, StoreError> {
        let db = store.read();
        let partners = db.partners()?;
        let mut records = HashMap::new();
        let mut summaries = Vec::with_capacity(partners.len());
        for p in &partners {
            let record = db.partner(p.id)?;
            let status = record.facts.history.in_force_on(today);
            summaries.push(PartnerSummary {
                id: p.id,
                inn: p.inn,
                name: p.name.clone(),
                one_c_partner: p.one_c_partner,
                status,
                gaps: record.evidence.gaps(status),
                // Read after the snapshot, with the pins (`Later`).
                pinned_now: 0,
                premium_year: Money::ZERO,
            });
            records.insert(p.id, record);
        }
        Ok(Data {
            version,
            counts: db.counts()?,
            partners,
            summaries,
            records,
            pins: Vec::new(),
            pins_version: 0,
            rates: db.rate_book()?,
            issued: db.issued_statements()?,
            last_import: db.last_import()?,
            organisation: db.organisation()?,
            dues: db.dues()?,
            payments: db.payments()?,
        })
    }

    /// The issued statement, not reopened, that locks `partner`'s records dated `date`.
    pub fn issued_over(
        &self,
        partner: PartnerId,
        date: chrono::NaiveDate,
    ) -> Option<&crate::store::IssuedRow> {
        self.issued_within(partner, date, date)
    }

    /// The issued statement, not reopened, of `partner` over any day of `[from, to]`.
    pub fn issued_within(
        &self,
        partner: PartnerId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Option<&crate::store::IssuedRow> {
        self.issued
            .iter()
            .find(|s| s.partner == partner && s.reopened.is_none() && s.from <= to && from <= s.to)
    }

    pub fn partner_name(&self, id: PartnerId) -> String {
        self.partners
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}
