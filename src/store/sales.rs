//! Sales and returns: recording them under the shipment rule (one at a time, or in bulk
//! from a file), and reading them back as entries for statements; the list is in
//! `sales_list`.

use super::sql::{Optional as _, Row};
use chrono::NaiveDate;

use super::columns::SaleColumn;
use super::sale::*;
use super::{Db, RuleError, StoreError, Tx, money, now_stamp, parse_inn};
use crate::domain::lock::{self, ReturnRefusal, Returnable};
use crate::domain::pin::check_shipment;
use std::collections::HashMap;

use crate::domain::statement::{Figured, ReturnOf, SaleFigures, build_statement, figure};
use crate::domain::{
    Entry, Inn, LicenseKind, Money, PartnerFacts, PartnerId, RateBook, RoleFacts, SaleId,
    ShipmentRefusal, Statement, Status, ZeroReason,
};

/// A recorded sale or return with its partner, for lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleRow {
    pub id: SaleId,
    pub partner: PartnerId,
    pub entry: Entry,
}

const ENTRY_COLUMNS: &str = "s.id, s.doc, s.date, s.client_inn, c.name, s.kind, s.amount_kop,
    s.self_referred, s.connected_by_partner, s.used_in_work, o.id, o.date, o.doc, s.partner_id,
    o.status, o.one_c_terms, o.rate_pct, o.reason";

const ENTRY_FROM: &str = "sales s JOIN clients c ON c.inn = s.client_inn
    LEFT JOIN sales o ON o.id = s.return_of";

fn entry_row(r: &Row<'_>) -> Result<(SaleRaw, i64), StoreError> {
    Ok((
        SaleRaw {
            id: r.get(0)?,
            doc: r.get(1)?,
            date: r.get(2)?,
            client_inn: r.get(3)?,
            client_name: r.get(4)?,
            kind: r.get(5)?,
            amount_kop: r.get(6)?,
            role: RoleFacts {
                self_referred: r.get(7)?,
                connected_by_partner: r.get(8)?,
                used_in_work: r.get(9)?,
            },
            return_of: match r.get::<Option<i64>>(10)? {
                Some(sale_id) => Some(ReturnOf {
                    sale_id,
                    sale_date: r.get(11)?,
                    sale_doc: r.get(12)?,
                    figures: Some(super::sales_list::sale_figures(
                        r.get(14)?,
                        r.get::<Option<bool>>(15)?.unwrap_or(false),
                        r.get(16)?,
                        r.get(17)?,
                    )?),
                }),
                None => None,
            },
        },
        r.get(13)?,
    ))
}

struct SaleRaw {
    id: i64,
    doc: Option<String>,
    date: NaiveDate,
    client_inn: String,
    client_name: String,
    kind: String,
    amount_kop: i64,
    role: RoleFacts,
    return_of: Option<ReturnOf>,
}

impl SaleRaw {
    fn into_entry(self) -> Result<Entry, StoreError> {
        Ok(Entry {
            id: self.id,
            doc: self.doc,
            date: self.date,
            client_inn: parse_inn(self.client_inn, "sales.client_inn")?,
            client_name: self.client_name,
            kind: LicenseKind::parse(&self.kind).ok_or(StoreError::UnknownValue {
                what: super::Stored::LicenseKind,
                column: "sales.kind",
                value: self.kind,
            })?,
            amount: money(self.amount_kop),
            role: self.role,
            return_of: self.return_of,
        })
    }
}

impl Db<'_> {
    /// The id of the sale or return with this document number.
    pub fn sale_id_by_doc(&self, doc: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM sales WHERE doc = ?1")?
            .query_row([doc.trim()], |r| r.get(0))
            .optional()
    }

    pub(super) fn doc_taken(&self, doc: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sales WHERE doc = ?1)")?
            .query_row([doc], |r| r.get(0))
    }

    /// Checks the shipment rule for a sale without recording it: Ok, or the refusal.
    pub fn check_shipment(
        &self,
        client: &Inn,
        partner: PartnerId,
        kind: LicenseKind,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        if !kind.needs_pin() {
            return Ok(());
        }
        self.read_pins_of(client)?;
        let checked = {
            let cache = self.cache.borrow();
            let pins = cache.pins.get(client).map_or(&[][..], Vec::as_slice);
            check_shipment(pins, kind, partner, date)
        };
        checked.map_err(|refusal| self.shipment_error(client, partner, refusal))
    }

    /// The shipment rule's refusal told with the partners' names.
    pub(super) fn shipment_error(
        &self,
        client: &Inn,
        partner: PartnerId,
        refusal: ShipmentRefusal,
    ) -> StoreError {
        let holder = match &refusal {
            ShipmentRefusal::PinnedToOther { holder, .. } => self.partner_label(*holder).ok(),
            _ => None,
        };
        match self.partner_label(partner) {
            Ok(partner) => RuleError::Shipment {
                client: *client,
                partner,
                refusal,
                holder,
            }
            .into(),
            Err(e) => e,
        }
    }

    /// The sale with this document number.
    pub fn sale_by_doc(&self, doc: &str) -> Result<Option<SaleRow>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM} WHERE s.doc = ?1");
        self.one_sale(&sql, doc.trim())
    }

    pub fn sale(&self, id: SaleId) -> Result<Option<SaleRow>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM} WHERE s.id = ?1");
        self.one_sale(&sql, id.0)
    }

    fn one_sale(
        &self,
        sql: &str,
        key: impl super::sql::Param,
    ) -> Result<Option<SaleRow>, StoreError> {
        let found = self
            .conn
            .prepare_cached(sql)?
            .query_row([key], entry_row)
            .optional()?;
        found
            .map(|(raw, partner)| {
                Ok(SaleRow {
                    id: SaleId(raw.id),
                    partner: PartnerId(partner),
                    entry: raw.into_entry()?,
                })
            })
            .transpose()
    }

    /// How much of a sale is still unreturned.
    pub fn unreturned(&self, sale: SaleId) -> Result<Money, StoreError> {
        let (amount, returned): (i64, i64) = self.conn.prepare_cached(
            "SELECT amount_kop, (SELECT coalesce(sum(amount_kop), 0) FROM sales WHERE return_of = ?1)
             FROM sales WHERE id = ?1",
        )?
        .query_row([sale.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(money(amount - returned))
    }

    /// The partner's sales and returns dated in `[from, to]`, in date and entry order.
    pub fn entries(
        &self,
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Entry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM}
             WHERE s.partner_id = ?1 AND s.date BETWEEN ?2 AND ?3 ORDER BY s.date, s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((partner.0, from, to), entry_row)?;
        rows.map(|row| row?.0.into_entry()).collect()
    }

    /// The premium statement of a partner for `[from, to]`, computed now by the domain.
    pub fn statement(
        &self,
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
        generated_on: NaiveDate,
    ) -> Result<Statement, StoreError> {
        let facts = self.partner_facts(partner)?;
        let rates = self.rate_book()?;
        let entries = self.entries(partner, from, to)?;
        let mut statement = build_statement(&facts, &rates, &entries, from, to, generated_on);
        let parties = crate::domain::statement::Parties {
            ours: self.organisation()?,
            partner: crate::domain::Requisites {
                inn: String::new(),
                ..self.partner_requisites(partner)?
            },
        };
        if parties != crate::domain::statement::Parties::default() {
            statement.parties = Some(Box::new(parties));
        }
        Ok(statement)
    }
}

impl Tx<'_> {
    /// A sale checked against the period lock and the shipment rule, its client recorded
    /// and its premium figured: ready to be written.
    pub(super) fn check_sale(&self, sale: &NewSale) -> Result<CheckedSale, StoreError> {
        check_sale_texts(sale)?;
        let lock = self.locking_statement(sale.partner, sale.date)?;
        self.read_pins_of(&sale.client_inn)?;
        if !self.cache.borrow().facts.contains_key(&sale.partner) {
            self.partner_facts(sale.partner)?;
        }
        if self.cache.borrow().rates.is_none() {
            self.rate_book()?;
        }
        let checked = {
            let cache = self.cache.borrow();
            let (Some(facts), Some(rates)) = (cache.facts.get(&sale.partner), &cache.rates) else {
                return Err(StoreError::Fault {
                    what: "a partner's facts or the rates gone from the cache just filled",
                });
            };
            let pins = cache.pins.get(&sale.client_inn);
            checked_sale(
                sale,
                lock.as_deref(),
                pins.map_or(&[][..], Vec::as_slice),
                facts,
                rates,
            )
        };
        let checked = checked.map_err(|refusal| self.refusal_error(sale, refusal))?;
        self.upsert_client(&sale.client_inn, &sale.client_name)?;
        Ok(checked)
    }

    /// Records a sale. Refused when its document number is taken, or when the shipment
    /// rule finds no pin of the partner in force on the sale date.
    pub fn record_sale(&self, sale: &NewSale) -> Result<SaleId, StoreError> {
        let checked = self.check_sale(sale)?;
        match self.insert_sales(std::slice::from_ref(&checked)) {
            Ok(id) => Ok(SaleId(id)),
            Err((_, e)) if e.is_unique_violation() => Err(RuleError::DuplicateDoc {
                doc: checked.doc.unwrap_or_default(),
            }
            .into()),
            Err((_, e)) => Err(e),
        }
    }

    /// Puts a checked sale in the place of sale `id`, its figures with it. A document
    /// another record has is refused, as when a sale is recorded.
    pub(super) fn replace_sale(&self, id: SaleId, s: &CheckedSale) -> Result<(), StoreError> {
        static REPLACE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = REPLACE.get_or_init(|| {
            let set: Vec<String> = SaleColumn::replaced()
                .enumerate()
                .map(|(i, c)| format!("{} = ?{}", c.name(), i + 2))
                .collect();
            format!("UPDATE sales SET {} WHERE id = ?1", set.join(", "))
        });
        let written = self.conn.prepare_cached(sql)?.execute(s.params(
            Some(&id.0),
            SaleColumn::replaced(),
            ("", ""),
        ));
        match written {
            Ok(_) => Ok(()),
            Err(e) if e.is_unique_violation() => Err(RuleError::DuplicateDoc {
                doc: s.doc.clone().unwrap_or_default(),
            }
            .into()),
            Err(e) => Err(e),
        }
    }

    /// Writes the figures of a sale or return, as `domain::statement::figure` made them.
    fn store_figures(&self, id: i64, f: &Figured) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE sales SET premium_kop = ?2, rate_pct = ?3, reason = ?4, status = ?5, one_c_terms = ?6
                 WHERE id = ?1",
            )?
            .execute((
                id,
                f.premium.premium.kopecks(),
                f.premium.rate.map(|r| r.to_string()),
                f.premium.reason.map(ZeroReason::code),
                f.status.map(Status::code),
                f.premium.one_c_terms,
            ))?;
        Ok(())
    }

    /// Figures again every sale and return whose premium is decided on or after `from`
    /// (all of them for `None`), of one partner or of all. Called by every write that
    /// changes what premiums depend on. Returns how many entries were figured.
    pub(super) fn refigure(
        &self,
        partner: Option<PartnerId>,
        from: Option<NaiveDate>,
    ) -> Result<usize, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM}
                          WHERE (s.partner_id = ?1 OR ?1 IS NULL) AND (coalesce(o.date, s.date) >= ?2 OR ?2 IS NULL)
               AND NOT EXISTS (SELECT 1 FROM issued_statements i WHERE i.reopened_on IS NULL
                               AND i.partner_id = s.partner_id AND s.date BETWEEN i.period_from AND i.period_to)"
        );
        let rows: Vec<(Entry, i64)> = {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map((partner.map(|p| p.0), from), entry_row)?;
            rows.map(|row| {
                let (raw, partner) = row?;
                Ok((raw.into_entry()?, partner))
            })
            .collect::<Result<_, StoreError>>()?
        };
        let rates: RateBook = self.rate_book()?;
        let mut facts: HashMap<i64, PartnerFacts> = HashMap::new();
        // Sales first: a return figured here goes by its sale's figures as they are now.
        let mut rows = rows;
        rows.sort_by_key(|(entry, _)| entry.return_of.is_some());
        let returned: std::collections::HashSet<i64> = rows
            .iter()
            .filter_map(|(entry, _)| entry.return_of.as_ref().map(|r| r.sale_id))
            .collect();
        let mut figured_now: HashMap<i64, SaleFigures> = HashMap::new();
        for (entry, partner) in &mut rows {
            if !facts.contains_key(partner) {
                facts.insert(*partner, self.partner_facts(PartnerId(*partner))?);
            }
            if let Some(r) = entry.return_of.as_mut()
                && let Some(now) = figured_now.get(&r.sale_id)
            {
                r.figures = Some(*now);
            }
            if let Some(f) = facts.get(partner) {
                let figured = figure(f, &rates, entry);
                if returned.contains(&entry.id) {
                    figured_now.insert(entry.id, SaleFigures::from(&figured));
                }
                self.store_figures(entry.id, &figured)?;
            }
        }
        Ok(rows.len())
    }

    /// Records a return of (part of) a sale (REGULATION §4.1).
    pub fn record_return(
        &self,
        sale: SaleId,
        date: NaiveDate,
        amount: Money,
        doc: Option<&str>,
    ) -> Result<SaleId, StoreError> {
        RuleError::check_text(crate::domain::TextField::Doc, doc.unwrap_or_default())?;
        let original = self.sale(sale)?.ok_or(RuleError::UnknownSale {
            doc: format!("#{}", sale.0),
        })?;
        let returnable = Returnable {
            id: sale,
            partner: original.partner,
            date: original.entry.date,
            amount: original.entry.amount,
            is_return: original.entry.return_of.is_some(),
            returned: original.entry.amount - self.unreturned(sale)?,
        };
        let locked = self.locks_of(original.partner)?;
        lock::check_return(Some(&returnable), date, amount, &locked).map_err(|refusal| {
            match refusal {
                ReturnRefusal::NoSuchSale => RuleError::UnknownSale {
                    doc: format!("#{}", sale.0),
                },
                ReturnRefusal::ReturnOfReturn => RuleError::ReturnOfReturn,
                ReturnRefusal::BeforeSale { sale_date } => {
                    RuleError::ReturnBeforeSale { date, sale_date }
                }
                ReturnRefusal::Locked { number } => RuleError::PeriodLocked { number },
                ReturnRefusal::TooLarge { left } => RuleError::ReturnTooLarge { left },
            }
        })?;
        let doc = clean_doc(doc);
        if let Some(doc) = doc
            && self.doc_taken(doc)?
        {
            return Err(RuleError::DuplicateDoc {
                doc: doc.to_owned(),
            }
            .into());
        }
        let id: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                                    connected_by_partner, used_in_work, return_of, recorded_at,
                                    recorded_by, premium_kop)
                 SELECT ?2, ?3, partner_id, client_inn, kind, ?4, self_referred, connected_by_partner,
                        used_in_work, id, ?5, ?6, 0
                 FROM sales WHERE id = ?1 RETURNING id",
            )?
            .query_row(
                (sale.0, doc, date, amount.kopecks(), now_stamp(), self.who()),
                |r| r.get(0),
            )?;
        // Read back, with the figures stored for its sale, which decide its own.
        let entry = self
            .sale(SaleId(id))?
            .ok_or(RuleError::UnknownSale {
                doc: format!("#{id}"),
            })?
            .entry;
        let figured = figure(
            &self.partner_facts(original.partner)?,
            &self.rate_book()?,
            &entry,
        );
        self.store_figures(id, &figured)?;
        Ok(SaleId(id))
    }
}

/// A sale's texts, as every write of one checks them (see [`RuleError::check_text`]).
pub(super) fn check_sale_texts(sale: &NewSale) -> Result<(), RuleError> {
    RuleError::check_text(
        crate::domain::TextField::Doc,
        sale.doc.as_deref().unwrap_or_default(),
    )?;
    RuleError::check_text(crate::domain::TextField::ClientName, &sale.client_name)
}
