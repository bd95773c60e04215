//! Correcting recorded sales and returns: a record changed or deleted while its period is
//! in no issued statement (the database's period lock refuses it otherwise, and the
//! sentence says to reopen the statement), each correction kept in `sale_corrections` with
//! the record before and after, who made it and when. Statements are computed from the
//! records, so they follow.

use super::sql::Optional as _;
use chrono::NaiveDate;

use super::{Db, NewSale, RuleError, StoreError, Stored, Tx};
use crate::domain::{LicenseKind, Money, PartnerId, RecordWrite, SaleId};

/// What a correction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorrectionKind {
    Changed,
    Deleted,
}

/// A sale or return as a correction keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    pub doc: Option<String>,
    pub date: NaiveDate,
    pub partner_id: i64,
    pub client_inn: String,
    pub kind: String,
    pub amount_kop: i64,
    pub self_referred: bool,
    pub connected_by_partner: bool,
    pub used_in_work: bool,
}

impl Recorded {
    pub fn amount(&self) -> Money {
        Money::from_kopecks(self.amount_kop)
    }
}

/// One correction of a record, as the history shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// When, as stored (RFC 3339); [`Correction::when`] shows it.
    pub at: String,
    pub by: String,
    pub kind: CorrectionKind,
    pub before: Recorded,
    /// None for a deletion.
    pub after: Option<Recorded>,
}

impl Db<'_> {
    /// The record of sale or return `id` as it is stored.
    fn recorded(&self, id: SaleId) -> Result<(Recorded, bool), StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                        connected_by_partner, used_in_work, return_of IS NOT NULL
                 FROM sales WHERE id = ?1",
            )?
            .query_row([id.0], |r| {
                Ok((
                    Recorded {
                        doc: r.get(0)?,
                        date: r.get(1)?,
                        partner_id: r.get(2)?,
                        client_inn: r.get(3)?,
                        kind: r.get(4)?,
                        amount_kop: r.get(5)?,
                        self_referred: r.get(6)?,
                        connected_by_partner: r.get(7)?,
                        used_in_work: r.get(8)?,
                    },
                    r.get(9)?,
                ))
            })
            .optional()?;
        found.ok_or_else(|| {
            RuleError::UnknownSale {
                doc: format!("#{}", id.0),
            }
            .into()
        })
    }

    /// Refuses a correction (`write`) of a record in a period an issued statement locks,
    /// or moving it into one, and one of a sale that has returns.
    fn correctable(&self, id: SaleId, write: RecordWrite) -> Result<(), StoreError> {
        self.period_lock(write)?;
        let returns: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM sales WHERE return_of = ?1")?
            .query_row([id.0], |r| r.get(0))?;
        if returns > 0 {
            return Err(RuleError::SaleHasReturns.into());
        }
        Ok(())
    }

    /// Sale `id` as it is recorded, in the shape a correction takes: what putting it back
    /// after a correction writes.
    pub fn sale_as_new(&self, id: SaleId) -> Result<NewSale, StoreError> {
        let (r, is_return) = self.recorded(id)?;
        if is_return {
            return Err(RuleError::ReturnNotEditable.into());
        }
        let unknown = |what, column, value: &str| StoreError::UnknownValue {
            what,
            column,
            value: value.to_owned(),
        };
        Ok(NewSale {
            doc: r.doc,
            date: r.date,
            partner: crate::domain::PartnerId(r.partner_id),
            client_inn: crate::domain::Inn::parse(&r.client_inn)
                .map_err(|_| unknown(Stored::Inn, "sales.client_inn", &r.client_inn))?,
            client_name: String::new(),
            kind: LicenseKind::parse(&r.kind)
                .ok_or_else(|| unknown(Stored::LicenseKind, "sales.kind", &r.kind))?,
            amount: Money::from_kopecks(r.amount_kop),
            role: crate::domain::RoleFacts {
                self_referred: r.self_referred,
                connected_by_partner: r.connected_by_partner,
                used_in_work: r.used_in_work,
            },
        })
    }

    /// The corrections of sale or return `id`, oldest first.
    pub fn sale_corrections(&self, id: SaleId) -> Result<Vec<Correction>, StoreError> {
        self.corrections_where("sale_id = ?1", id.0)
    }

    /// The sales and returns of a client that were deleted, each with its deletion, oldest
    /// first: what the client card lists, as they are no longer in the lists.
    pub fn deleted_sales_of_client(
        &self,
        client: &crate::domain::Inn,
    ) -> Result<Vec<Correction>, StoreError> {
        self.corrections_where(
            "action = 'deleted' AND json_extract(before, '$.client_inn') = ?1",
            client.as_str(),
        )
    }

    fn corrections_where(
        &self,
        condition: &str,
        value: impl super::sql::Param,
    ) -> Result<Vec<Correction>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT corrected_at, corrected_by, action, before, after FROM sale_corrections
             WHERE {condition} ORDER BY id"
        ))?;
        let rows = stmt.query_map([value], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
            ))
        })?;
        let read = |text: &str, column| {
            serde_json::from_str::<Recorded>(text).map_err(|e| StoreError::UnreadableJson {
                column,
                reason: e.to_string(),
            })
        };
        rows.map(|row| {
            let (at, by, action, before, after) = row?;
            Ok(Correction {
                at,
                by,
                kind: if action == "deleted" {
                    CorrectionKind::Deleted
                } else {
                    CorrectionKind::Changed
                },
                before: read(&before, "sale_corrections.before")?,
                after: (!after.is_empty())
                    .then(|| read(&after, "sale_corrections.after"))
                    .transpose()?,
            })
        })
        .collect()
    }
}

impl Tx<'_> {
    fn note_correction(
        &self,
        id: SaleId,
        kind: CorrectionKind,
        before: &Recorded,
        after: Option<&Recorded>,
    ) -> Result<(), StoreError> {
        let json = |r: &Recorded| {
            serde_json::to_string(r).map_err(|_| StoreError::Fault {
                what: "a correction's record written as JSON",
            })
        };
        let after = after.map(json).transpose()?.unwrap_or_default();
        let action = match kind {
            CorrectionKind::Changed => "changed",
            CorrectionKind::Deleted => "deleted",
        };
        self.conn
            .prepare_cached(
                "INSERT INTO sale_corrections (sale_id, corrected_at, corrected_by, action, before, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((id.0, self.stamp(), self.who(), action, json(before)?, after))?;
        Ok(())
    }

    /// Changes a recorded sale to `sale`: checked as a new sale is (the shipment rule, the
    /// period lock on its new date, a document no other record has) and its premium figured
    /// again. A return is deleted and recorded again instead; a sale with returns has them
    /// deleted first.
    pub fn correct_sale(&self, id: SaleId, sale: &NewSale) -> Result<(), StoreError> {
        let (before, is_return) = self.recorded(id)?;
        if is_return {
            return Err(RuleError::ReturnNotEditable.into());
        }
        self.correctable(
            id,
            RecordWrite::Change {
                from: (PartnerId(before.partner_id), before.date),
                to: (sale.partner, sale.date),
            },
        )?;
        let checked = self.check_sale(sale)?;
        self.replace_sale(id, &checked)?;
        let (after, _) = self.recorded(id)?;
        if after == before {
            return Err(RuleError::NothingCorrected.into());
        }
        self.forget();
        self.note_correction(id, CorrectionKind::Changed, &before, Some(&after))
    }

    /// [`Tx::correct_sale`] of a sale its user saw as `seen` when they began to correct it:
    /// refused with nothing written when the record is no longer that (someone else changed
    /// it meanwhile), so that nobody's change is written over unseen. Returns the sale as it
    /// was.
    pub fn correct_sale_seen(
        &self,
        id: SaleId,
        seen: &NewSale,
        sale: &NewSale,
    ) -> Result<NewSale, StoreError> {
        let before = self.sale_as_new(id)?;
        // The client's name is the client's, not the sale's.
        let seen = NewSale {
            client_name: before.client_name.clone(),
            ..seen.clone()
        };
        if before != seen {
            return Err(RuleError::ChangedMeanwhile.into());
        }
        self.correct_sale(id, sale)?;
        Ok(before)
    }

    /// Deletes a recorded sale (with no returns) or return.
    pub fn delete_sale(&self, id: SaleId) -> Result<(), StoreError> {
        let (before, _) = self.recorded(id)?;
        self.correctable(
            id,
            RecordWrite::Delete {
                partner: PartnerId(before.partner_id),
                date: before.date,
            },
        )?;
        self.conn
            .prepare_cached("DELETE FROM sales WHERE id = ?1")?
            .execute([id.0])?;
        self.forget();
        self.note_correction(id, CorrectionKind::Deleted, &before, None)
    }
}

impl Correction {
    /// When it was made, as `29.11.2026 05:20` in the time zone it was made in.
    pub fn when(&self) -> String {
        chrono::DateTime::parse_from_rfc3339(&self.at)
            .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
            .unwrap_or_else(|_| self.at.clone())
    }
}

/// What changed between two versions of a record, field by field, as the history says it;
/// `partner` names a partner by its id.
pub fn changes(
    before: &Recorded,
    after: &Recorded,
    partner: impl Fn(i64) -> String,
    lang: crate::domain::lang::Lang,
) -> Vec<String> {
    use crate::domain::show_date;
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let flag = |b: bool| {
        if b {
            t("да", "yes")
        } else {
            t("нет", "no")
        }
        .to_owned()
    };
    let kind = |code: &str| {
        LicenseKind::parse(code).map_or(code.to_owned(), |k| k.short_name(lang).to_owned())
    };
    let doc = |r: &Recorded| r.doc.clone().unwrap_or_default();
    let fields = [
        (
            t("дата", "date"),
            show_date(before.date, lang),
            show_date(after.date, lang),
        ),
        (t("документ", "document"), doc(before), doc(after)),
        (
            t("партнёр", "partner"),
            partner(before.partner_id),
            partner(after.partner_id),
        ),
        (
            t("клиент", "client"),
            before.client_inn.clone(),
            after.client_inn.clone(),
        ),
        (t("вид", "kind"), kind(&before.kind), kind(&after.kind)),
        (
            t("сумма", "amount"),
            before.amount().display(lang),
            after.amount().display(lang),
        ),
        (
            t("пришёл сам", "came on its own"),
            flag(before.self_referred),
            flag(after.self_referred),
        ),
        (
            t("подключён партнёром", "connected by the partner"),
            flag(before.connected_by_partner),
            flag(after.connected_by_partner),
        ),
        (
            t("используется в работе", "used in the work"),
            flag(before.used_in_work),
            flag(after.used_in_work),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name}: {a} → {b}"))
        .collect()
}
