//! Aggregates for the Overview page and the charts, computed by SQL over the stored figures.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Db, StoreError, Stored, money, parse_inn};
use crate::domain::{Inn, LicenseKind, Money, PartnerId, Status};

/// A pin request refused, as the Overview lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub on_date: NaiveDate,
    pub client_inn: Inn,
    pub client_name: String,
    pub requested_by: PartnerId,
    pub holder: Option<PartnerId>,
}

/// Premiums of one month, by license kind.
pub type MonthPremiums = BTreeMap<LicenseKind, Money>;

impl Db<'_> {
    /// Pin requests refused on or after `since`, newest first.
    pub fn refusals_since(&self, since: NaiveDate) -> Result<Vec<Refusal>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.on_date, e.client_inn, c.name, e.partner_id, e.holder_partner_id
             FROM pin_events e JOIN clients c ON c.inn = e.client_inn
             WHERE e.event = 'refused' AND e.on_date >= ?1 ORDER BY e.on_date DESC, e.id DESC",
        )?;
        let rows = stmt.query_map([since], |r| {
            Ok((
                r.get::<NaiveDate>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<i64>(3)?,
                r.get::<Option<i64>>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (on_date, inn, client_name, by, holder) = row?;
            Ok(Refusal {
                on_date,
                client_inn: parse_inn(inn, "pin_events.client_inn")?,
                client_name,
                requested_by: PartnerId(by),
                holder: holder.map(PartnerId),
            })
        })
        .collect()
    }

    /// How many sales have a zero premium because the rate is not set, and their amount.
    pub fn sales_without_rate(&self) -> Result<(i64, Money), StoreError> {
        let (n, kop): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(amount_kop), 0) FROM sales WHERE reason = 'no_rate' AND return_of IS NULL",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((n, money(kop)))
    }

    /// Premiums by calendar month (`YYYY-MM`) and license kind for `[from, to]`, of one
    /// partner or of all: sums of the stored figures, the same as the statements' totals.
    pub fn premiums_by_month(
        &self,
        partner: Option<PartnerId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<BTreeMap<String, MonthPremiums>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(CAST(date AS TEXT), 1, 7), kind, sum(premium_kop) FROM sales
             WHERE (partner_id = ?1 OR ?1 IS NULL) AND date BETWEEN ?2 AND ?3
             GROUP BY 1, 2",
        )?;
        let rows = stmt.query_map((partner.map(|p| p.0), from, to), |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?))
        })?;
        let mut out: BTreeMap<String, MonthPremiums> = BTreeMap::new();
        for row in rows {
            let (month, kind, kop) = row?;
            let kind = LicenseKind::parse(&kind).ok_or(StoreError::UnknownValue {
                what: Stored::LicenseKind,
                column: "sales.kind",
                value: kind,
            })?;
            out.entry(month).or_default().insert(kind, money(kop));
        }
        Ok(out)
    }

    /// Premiums of `[from, to]` by the status that was in force on each sale's date.
    pub fn premiums_by_status(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Option<Status>, Money)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, sum(premium_kop) FROM sales WHERE date BETWEEN ?1 AND ?2 GROUP BY status ORDER BY status",
        )?;
        let rows = stmt.query_map((from, to), |r| {
            Ok((r.get::<Option<String>>(0)?, r.get::<i64>(1)?))
        })?;
        rows.map(|row| {
            let (status, kop) = row?;
            let status = status
                .map(|s| {
                    Status::parse(&s).ok_or(StoreError::UnknownValue {
                        what: Stored::Status,
                        column: "sales.status",
                        value: s,
                    })
                })
                .transpose()?;
            Ok((status, money(kop)))
        })
        .collect()
    }
}
