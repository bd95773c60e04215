//! Correcting recorded sales and returns: a record changed or deleted while its period is
//! in no issued statement (the database's period lock refuses it otherwise, and the
//! sentence says to reopen the statement), each correction kept in `sale_corrections` with
//! the record before and after, who made it and when. A deleted record is restored by
//! recording it again under the same checks (a new id), kept as a correction of the new
//! record that names the deleted one. Statements are computed from the records, so they
//! follow.

use super::sql::Optional as _;
use chrono::NaiveDate;

use super::{Db, NewSale, RuleError, StoreError, Stored, Tx};
use crate::domain::{LicenseKind, Money, PartnerId, RecordWrite, SaleId};

/// What a correction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorrectionKind {
    Changed,
    Deleted,
    /// The record was recorded again after its deletion (stored as a change whose record
    /// after names the deleted one).
    Restored,
}

/// Whether a kept record was a sale or a return (of which sale); unknown in what the
/// program kept before it said.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordOf {
    #[default]
    Unknown,
    Sale,
    ReturnOf(i64),
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
    /// A sale or the return of which sale.
    #[serde(default)]
    pub record: RecordOf,
    /// The deleted record this one restores, in a restore's record after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<i64>,
}

impl Recorded {
    pub fn amount(&self) -> Money {
        Money::from_kopecks(self.amount_kop)
    }
}

/// One correction of a record, as the history shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The record corrected.
    pub sale_id: SaleId,
    /// Its place among all corrections, oldest first (a record's id may be given again
    /// once the record is deleted, so order tells which deletion a restore undid).
    pub order: i64,
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
                        connected_by_partner, used_in_work, return_of
                 FROM sales WHERE id = ?1",
            )?
            .query_row([id.0], |r| {
                let return_of: Option<i64> = r.get(9)?;
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
                        record: return_of.map_or(RecordOf::Sale, RecordOf::ReturnOf),
                        restored_from: None,
                    },
                    return_of.is_some(),
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
        new_sale_of(&r, ("sales.client_inn", "sales.kind"))
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
        let restores: Vec<(i64, i64)> = self
            .corrections_where(
                "action = 'changed' AND json_extract(before, '$.client_inn') = ?1",
                client.as_str(),
            )?
            .iter()
            .filter_map(|c| Some((c.after.as_ref()?.restored_from?, c.order)))
            .collect();
        let mut deleted = self.corrections_where(
            "action = 'deleted' AND json_extract(before, '$.client_inn') = ?1",
            client.as_str(),
        )?;
        // A deletion is undone by a restore naming its record made after it.
        deleted.retain(|d| {
            !restores
                .iter()
                .any(|&(of, order)| of == d.sale_id.0 && order > d.order)
        });
        Ok(deleted)
    }

    /// The deletion of record `id`, unless it was restored since.
    fn deletion(&self, id: SaleId) -> Result<Recorded, StoreError> {
        let deleted = self
            .sale_corrections(id)?
            .into_iter()
            .rfind(|c| c.kind == CorrectionKind::Deleted)
            .ok_or_else(|| RuleError::UnknownSale {
                doc: format!("#{}", id.0),
            })?;
        let inn = crate::domain::Inn::parse(&deleted.before.client_inn).map_err(|_| {
            StoreError::UnknownValue {
                what: Stored::Inn,
                column: "sale_corrections.before",
                value: deleted.before.client_inn.clone(),
            }
        })?;
        let restored = self
            .deleted_sales_of_client(&inn)?
            .iter()
            .all(|c| c.order != deleted.order);
        if restored {
            return Err(RuleError::AlreadyRestored.into());
        }
        Ok(deleted.before)
    }

    fn corrections_where(
        &self,
        condition: &str,
        value: impl super::sql::Param,
    ) -> Result<Vec<Correction>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT corrected_at, corrected_by, action, before, after, sale_id, id
             FROM sale_corrections WHERE {condition} ORDER BY id"
        ))?;
        let rows = stmt.query_map([value], |r| {
            Ok((
                (SaleId(r.get::<i64>(5)?), r.get::<i64>(6)?),
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
            let ((sale_id, order), at, by, action, before, after) = row?;
            let after = (!after.is_empty())
                .then(|| read(&after, "sale_corrections.after"))
                .transpose()?;
            let kind = match (action.as_str(), &after) {
                ("deleted", _) => CorrectionKind::Deleted,
                (_, Some(after)) if after.restored_from.is_some() => CorrectionKind::Restored,
                _ => CorrectionKind::Changed,
            };
            Ok(Correction {
                sale_id,
                order,
                at,
                by,
                kind,
                before: read(&before, "sale_corrections.before")?,
                after,
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
        // A restore is a change of the new record whose record after names the deleted
        // one: the tables' rules (and the server's grants) know changes and deletions.
        let action = match kind {
            CorrectionKind::Changed | CorrectionKind::Restored => "changed",
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

impl Tx<'_> {
    /// Puts deleted record `id` back: recorded again (a new id) under the checks a new
    /// record meets (the period lock, the shipment rule, what a return may be), and kept as
    /// a correction of the new record, with who restored it and when. Returns the new id.
    pub fn restore_sale(&self, id: SaleId) -> Result<SaleId, StoreError> {
        let before = self.deletion(id)?;
        let new = match before.record {
            RecordOf::Unknown => return Err(RuleError::NotRestorable.into()),
            RecordOf::ReturnOf(of) => self.record_return(
                SaleId(of),
                before.date,
                before.amount(),
                before.doc.as_deref(),
            )?,
            RecordOf::Sale => {
                let columns = ("sale_corrections.before", "sale_corrections.before");
                self.record_sale(&new_sale_of(&before, columns)?)?
            }
        };
        let (mut after, _) = self.recorded(new)?;
        after.restored_from = Some(id.0);
        self.forget();
        self.note_correction(new, CorrectionKind::Restored, &before, Some(&after))?;
        Ok(new)
    }
}

/// A kept record of a sale as the sale to record again, `columns` naming where its INN and
/// its kind were read, should either not read.
fn new_sale_of(r: &Recorded, columns: (&'static str, &'static str)) -> Result<NewSale, StoreError> {
    let unknown = |what, column, value: &str| StoreError::UnknownValue {
        what,
        column,
        value: value.to_owned(),
    };
    Ok(NewSale {
        doc: r.doc.clone(),
        date: r.date,
        partner: PartnerId(r.partner_id),
        client_inn: crate::domain::Inn::parse(&r.client_inn)
            .map_err(|_| unknown(Stored::Inn, columns.0, &r.client_inn))?,
        client_name: String::new(),
        kind: LicenseKind::parse(&r.kind)
            .ok_or_else(|| unknown(Stored::LicenseKind, columns.1, &r.kind))?,
        amount: r.amount(),
        role: crate::domain::RoleFacts {
            self_referred: r.self_referred,
            connected_by_partner: r.connected_by_partner,
            used_in_work: r.used_in_work,
        },
    })
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
