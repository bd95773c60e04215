//! Sales and returns: recording them under the shipment rule, and reading them back as
//! entries for statements and lists.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Db, RuleError, StoreError, money, now_stamp, parse_inn};
use crate::domain::pin::check_shipment;
use crate::domain::statement::{ReturnOf, build_statement};
use crate::domain::{
    Entry, Inn, LicenseKind, Money, PartnerId, RoleFacts, SaleId, ShipmentRefusal, Statement,
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

/// A recorded sale or return with its partner, for lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleRow {
    pub id: SaleId,
    pub partner: PartnerId,
    pub entry: Entry,
}

const ENTRY_COLUMNS: &str = "s.id, s.doc, s.date, s.client_inn, c.name, s.kind, s.amount_kop,
    s.self_referred, s.connected_by_partner, s.used_in_work, o.id, o.date, o.doc, s.partner_id";

const ENTRY_FROM: &str = "sales s JOIN clients c ON c.inn = s.client_inn
    LEFT JOIN sales o ON o.id = s.return_of";

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(SaleRaw, i64)> {
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
            return_of: match r.get::<_, Option<i64>>(10)? {
                Some(sale_id) => Some(ReturnOf {
                    sale_id,
                    sale_date: r.get(11)?,
                    sale_doc: r.get(12)?,
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
            client_inn: parse_inn(self.client_inn)?,
            client_name: self.client_name,
            kind: LicenseKind::parse(&self.kind)
                .ok_or_else(|| StoreError::BadValue(format!("license kind {}", self.kind)))?,
            amount: money(self.amount_kop),
            role: self.role,
            return_of: self.return_of,
        })
    }
}

fn clean_doc(doc: Option<&str>) -> Option<&str> {
    doc.map(str::trim).filter(|d| !d.is_empty())
}

impl Db<'_> {
    fn doc_taken(&self, doc: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sales WHERE doc = ?1)")?
            .query_row([doc], |r| r.get(0))?)
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
        let pins = self.pins_of_client(client)?;
        check_shipment(&pins, kind, partner, date).map_err(|refusal| {
            let holder = match &refusal {
                ShipmentRefusal::PinnedToOther { holder, .. } => self.partner_label(*holder).ok(),
                _ => None,
            };
            match self.partner_label(partner) {
                Ok(partner) => RuleError::Shipment {
                    client: client.clone(),
                    partner,
                    refusal,
                    holder,
                }
                .into(),
                Err(e) => e,
            }
        })
    }

    /// Records a sale. Refused when its document number is taken, or when the shipment
    /// rule finds no pin of the partner in force on the sale date.
    pub fn record_sale(&self, sale: &NewSale) -> Result<SaleId, StoreError> {
        let doc = clean_doc(sale.doc.as_deref());
        if let Some(doc) = doc
            && self.doc_taken(doc)?
        {
            return Err(RuleError::DuplicateDoc {
                doc: doc.to_owned(),
            }
            .into());
        }
        self.check_shipment(&sale.client_inn, sale.partner, sale.kind, sale.date)?;
        self.upsert_client(&sale.client_inn, &sale.client_name)?;
        self.conn
            .prepare_cached(
                "INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                                    connected_by_partner, used_in_work, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute((
                doc,
                sale.date,
                sale.partner.0,
                sale.client_inn.as_str(),
                sale.kind.code(),
                sale.amount.kopecks(),
                sale.role.self_referred,
                sale.role.connected_by_partner,
                sale.role.used_in_work,
                now_stamp(),
            ))?;
        Ok(SaleId(self.conn.last_insert_rowid()))
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
        key: impl rusqlite::ToSql,
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

    /// Records a return of (part of) a sale (REGULATION §4.1).
    pub fn record_return(
        &self,
        sale: SaleId,
        date: NaiveDate,
        amount: Money,
        doc: Option<&str>,
    ) -> Result<SaleId, StoreError> {
        let original = self.sale(sale)?.ok_or(RuleError::UnknownSale {
            doc: format!("#{}", sale.0),
        })?;
        if original.entry.return_of.is_some() {
            return Err(RuleError::ReturnOfReturn.into());
        }
        if date < original.entry.date {
            return Err(RuleError::ReturnBeforeSale {
                date,
                sale_date: original.entry.date,
            }
            .into());
        }
        let left = self.unreturned(sale)?;
        if amount > left {
            return Err(RuleError::ReturnTooLarge { left: left.plain() }.into());
        }
        let doc = clean_doc(doc);
        if let Some(doc) = doc
            && self.doc_taken(doc)?
        {
            return Err(RuleError::DuplicateDoc {
                doc: doc.to_owned(),
            }
            .into());
        }
        self.conn
            .prepare_cached(
                "INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                                    connected_by_partner, used_in_work, return_of, recorded_at)
                 SELECT ?2, ?3, partner_id, client_inn, kind, ?4, self_referred, connected_by_partner,
                        used_in_work, id, ?5
                 FROM sales WHERE id = ?1",
            )?
            .execute((sale.0, doc, date, amount.kopecks(), now_stamp()))?;
        Ok(SaleId(self.conn.last_insert_rowid()))
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
        Ok(build_statement(
            &facts,
            &rates,
            &entries,
            from,
            to,
            generated_on,
        ))
    }
}
