//! The sales list: which sales and returns a query selects, in what order, with their
//! totals, read a page of rows at a time.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::statement::SaleFigures;
use crate::domain::{
    LicenseKind, Money, PartnerId, RatePct, RoleFacts, SaleId, Status, ZeroReason,
};

/// The order of the sales list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SalesSort {
    #[default]
    Date,
    Partner,
    Client,
    Kind,
    Amount,
    Premium,
}

/// Which sales and returns the list shows, in what order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SalesQuery {
    pub partner: Option<PartnerId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<LicenseKind>,
    /// Part of a client's INN or name, a document number, or a partner's name or INN.
    pub text: String,
    /// Exactly this client.
    pub client: Option<String>,
    pub sort: SalesSort,
    pub descending: bool,
}

impl SalesQuery {
    /// Whether it leaves any sale out (sorting leaves none out).
    pub fn filters(&self) -> bool {
        self.partner.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || self.kind.is_some()
            || !self.text.trim().is_empty()
            || self.client.is_some()
    }
}

/// What a query of the sales list selects: ids in order, and the sums of all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SalesSelection {
    pub ids: Vec<i64>,
    pub amount: Money,
    pub premium: Money,
}

/// A sale or return as the sales list shows it, with its stored figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleListRow {
    pub id: SaleId,
    pub date: NaiveDate,
    pub doc: Option<String>,
    pub partner: PartnerId,
    pub partner_name: String,
    pub client_inn: String,
    pub client_name: String,
    pub kind: LicenseKind,
    /// Negative for a return.
    pub amount: Money,
    pub status: Option<Status>,
    pub one_c_terms: bool,
    pub rate: Option<RatePct>,
    pub premium: Money,
    pub reason: Option<ZeroReason>,
    /// For a return: the original sale's document number, or `#id`.
    pub return_of: Option<String>,
    /// The partner's role as recorded with the sale (a correction starts from it).
    pub role: RoleFacts,
    /// The login that recorded it; empty for what was recorded before the program kept it.
    pub recorded_by: String,
}

impl SaleListRow {
    /// The status whose rates were applied: Integrator for ITS of a 1C partner.
    pub fn terms(&self) -> Option<Status> {
        crate::domain::premium::terms_of(self.status, self.one_c_terms)
    }
}

const LIST_FROM: &str =
    "sales s JOIN clients c ON c.inn = s.client_inn JOIN partners p ON p.id = s.partner_id
    LEFT JOIN sales o ON o.id = s.return_of";

/// The signed amount of a list row: a return counts against.
const SIGNED_AMOUNT: &str =
    "CASE WHEN s.return_of IS NULL THEN s.amount_kop ELSE -s.amount_kop END";

impl SalesQuery {
    /// The WHERE clause with only the filters that are set, so that SQLite can use the
    /// index that fits them, and its parameters in order.
    fn filter(&self) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut terms = vec!["TRUE"];
        let mut params = Vec::new();
        if let Some(p) = self.partner {
            terms.push("s.partner_id = ?");
            params.push(Value::Integer(p.0));
        }
        if let Some(from) = self.from {
            terms.push("s.date >= ?");
            params.push(Value::Text(from.to_string()));
        }
        if let Some(to) = self.to {
            terms.push("s.date <= ?");
            params.push(Value::Text(to.to_string()));
        }
        if let Some(kind) = self.kind {
            terms.push("s.kind = ?");
            params.push(Value::Text(kind.code().to_owned()));
        }
        let text = self.text.trim().to_lowercase();
        if !text.is_empty() {
            terms.push(
                "(s.client_inn LIKE ? || '%' OR casefold(c.name) LIKE '%' || ? || '%'
                  OR casefold(coalesce(s.doc, '')) LIKE '%' || ? || '%' OR casefold(p.name) LIKE '%' || ? || '%'
                  OR p.inn LIKE ? || '%')",
            );
            params.extend(std::iter::repeat_n(Value::Text(text), 5));
        }
        if let Some(client) = &self.client {
            terms.push("s.client_inn = ?");
            params.push(Value::Text(client.clone()));
        }
        (terms.join(" AND "), params)
    }

    /// Whether the query needs the client's and partner's names.
    fn needs_names(&self) -> bool {
        !self.text.trim().is_empty() || matches!(self.sort, SalesSort::Partner | SalesSort::Client)
    }

    fn order(&self) -> String {
        let column = match self.sort {
            SalesSort::Date => "s.date",
            SalesSort::Partner => "p.name",
            SalesSort::Client => "c.name",
            SalesSort::Kind => "s.kind",
            SalesSort::Amount => SIGNED_AMOUNT,
            SalesSort::Premium => "s.premium_kop",
        };
        let dir = if self.descending { "DESC" } else { "ASC" };
        format!("{column} {dir}, s.id {dir}")
    }
}

/// A sale's stored figures (its `status`, `one_c_terms`, `rate_pct` and `reason`), read.
pub(super) fn sale_figures(
    status: Option<String>,
    one_c_terms: bool,
    rate: Option<String>,
    reason: Option<String>,
) -> Result<SaleFigures, StoreError> {
    Ok(SaleFigures {
        status: parse_code(status, (Stored::Status, "sales.status"), Status::parse)?,
        one_c_terms,
        rate: parse_code(rate, (Stored::Rate, "sales.rate_pct"), |r| {
            RatePct::parse(r).ok()
        })?,
        reason: parse_code(
            reason,
            (Stored::ZeroReason, "sales.reason"),
            ZeroReason::parse,
        )?,
    })
}

/// The code stored in `column` read as `what`, which another program may have broken.
pub(super) fn parse_code<T>(
    code: Option<String>,
    (what, column): (Stored, &'static str),
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    code.map(|c| {
        parse(&c).ok_or(StoreError::UnknownValue {
            what,
            column,
            value: c,
        })
    })
    .transpose()
}

type ListRaw = (
    (i64, NaiveDate, Option<String>, i64),
    (String, String, String, String),
    (i64, Option<String>, bool, Option<String>),
    (i64, Option<String>, Option<String>),
    (bool, bool, bool),
    String,
);

impl Db<'_> {
    /// How many sales and returns match, with the sums of their amounts and premiums.
    pub fn sales_totals(&self, q: &SalesQuery) -> Result<(i64, Money, Money), StoreError> {
        let (filter, params) = q.filter();
        let sql = format!(
            "SELECT count(*), coalesce(sum({SIGNED_AMOUNT}), 0), coalesce(sum(s.premium_kop), 0)
             FROM {LIST_FROM} WHERE {filter}"
        );
        let (n, amount, premium): (i64, i64, i64) = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok((n, money(amount), money(premium)))
    }

    /// How many of the records the query selects are returns.
    pub fn returns_count(&self, q: &SalesQuery) -> Result<i64, StoreError> {
        let (filter, params) = q.filter();
        let sql = format!(
            "SELECT count(*) FROM {LIST_FROM} WHERE ({filter}) AND s.return_of IS NOT NULL"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row(params, |r| r.get(0))
    }

    /// Every sale and return the query selects, as ids in its order, with the totals: what
    /// the Sales page scrolls through. Rows are then read a page at a time by id.
    pub fn sales_selection(&self, q: &SalesQuery) -> Result<SalesSelection, StoreError> {
        let (filter, params) = q.filter();
        let from = if q.needs_names() {
            "sales s JOIN clients c ON c.inn = s.client_inn JOIN partners p ON p.id = s.partner_id"
        } else {
            "sales s"
        };
        let sql = format!(
            "SELECT s.id, {SIGNED_AMOUNT}, s.premium_kop FROM {from} WHERE {filter} ORDER BY {}",
            q.order()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut selection = SalesSelection::default();
        let (mut amount, mut premium) = (0i64, 0i64);
        stmt.for_each(params, |row| {
            selection.ids.push(row.get(0)?);
            amount += row.get::<i64>(1)?;
            premium += row.get::<i64>(2)?;
            Ok(())
        })?;
        selection.amount = money(amount);
        selection.premium = money(premium);
        Ok(selection)
    }

    /// The list rows of these sales and returns, in the order given.
    pub fn sales_rows(&self, ids: &[i64]) -> Result<Vec<SaleListRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut rows = self.list_rows(&format!("s.id IN ({list})"), "s.id", Vec::new())?;
        let position: HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| position.get(&r.id.0).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// One page of the sales list.
    pub fn sales_page(
        &self,
        q: &SalesQuery,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<SaleListRow>, StoreError> {
        let (filter, mut params) = q.filter();
        params.push(rusqlite::types::Value::Integer(limit as i64));
        params.push(rusqlite::types::Value::Integer(offset as i64));
        self.list_rows(&filter, &format!("{} LIMIT ? OFFSET ?", q.order()), params)
    }

    fn list_rows(
        &self,
        filter: &str,
        order: &str,
        params: Vec<rusqlite::types::Value>,
    ) -> Result<Vec<SaleListRow>, StoreError> {
        let sql = format!(
            "SELECT s.id, s.date, s.doc, s.partner_id, p.name, s.client_inn, c.name, s.kind,
                    {SIGNED_AMOUNT}, s.status, s.one_c_terms, s.rate_pct, s.premium_kop, s.reason,
                    CASE WHEN s.return_of IS NULL THEN NULL ELSE coalesce(o.doc, '#' || o.id) END,
                    s.self_referred, s.connected_by_partner, s.used_in_work, s.recorded_by
             FROM {LIST_FROM} WHERE {filter} ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok::<ListRaw, StoreError>((
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                (r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?),
                (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?),
                (r.get(12)?, r.get(13)?, r.get(14)?),
                (r.get(15)?, r.get(16)?, r.get(17)?),
                r.get(18)?,
            ))
        })?;
        rows.map(|row| {
            let (
                (id, date, doc, partner),
                (partner_name, client_inn, client_name, kind),
                (amount, status, one_c_terms, rate),
                (premium, reason, return_of),
                (self_referred, connected_by_partner, used_in_work),
                recorded_by,
            ) = row?;
            let figures = sale_figures(status, one_c_terms, rate, reason)?;
            Ok(SaleListRow {
                id: SaleId(id),
                date,
                doc,
                partner: PartnerId(partner),
                partner_name,
                client_inn,
                client_name,
                kind: LicenseKind::parse(&kind).ok_or(StoreError::UnknownValue {
                    what: Stored::LicenseKind,
                    column: "sales.kind",
                    value: kind,
                })?,
                amount: money(amount),
                status: figures.status,
                one_c_terms,
                rate: figures.rate,
                premium: money(premium),
                reason: figures.reason,
                return_of,
                role: RoleFacts {
                    self_referred,
                    connected_by_partner,
                    used_in_work,
                },
                recorded_by,
            })
        })
        .collect()
    }
}
