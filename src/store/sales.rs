//! Sales and returns: recording them under the shipment rule (one at a time, or in bulk
//! from a file), and reading them back as entries for statements; the list is in
//! `sales_list`.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::issued::{Lock, lock_on};
use super::{Db, RuleError, StoreError, day, money, now_stamp, parse_inn};
use crate::domain::pin::{Pin, check_shipment};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

use crate::domain::statement::{Figured, ReturnOf, build_statement, figure, figure_sale};
use crate::domain::{
    Entry, Inn, LicenseKind, Money, PartnerFacts, PartnerId, RateBook, RatePct, RoleFacts, SaleId,
    ShipmentRefusal, Statement, Status, ZeroReason,
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
            date: day(r, 2)?,
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
                    sale_date: day(r, 11)?,
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
    doc.map(crate::domain::trim).filter(|d| !d.is_empty())
}

/// The indexes the lists read, which a change of most of the table sets aside and builds
/// again after it.
pub(super) const LIST_INDEXES: [&str; 3] = ["sales_date", "sales_partner_date", "sales_client"];

/// How many rows one INSERT statement writes.
const INSERT_ROWS: usize = 16;

/// How many sales of a bulk load are queued before they are written: one prepared
/// statement serves them all (a cached one is looked up by its text and has its
/// bindings cleared each time it goes back to the cache).
const QUEUED_ROWS: usize = 64 * INSERT_ROWS;

/// A sale ready to be written: checked, with its figures.
#[derive(Clone, Debug)]
pub struct CheckedSale {
    doc: Option<String>,
    date: NaiveDate,
    partner: i64,
    client_inn: Inn,
    kind: &'static str,
    amount_kop: i64,
    role: RoleFacts,
    premium_kop: i64,
    rate: Option<RatePct>,
    reason: Option<&'static str>,
    status: Option<&'static str>,
    one_c_terms: bool,
}

/// Why a sale is refused, before it is told with the partners' names
/// ([`Db::refusal_error`]).
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
fn checked_sale(
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
    pub fn amount(&self) -> Money {
        Money::from_kopecks(self.amount_kop)
    }
}

/// `YYYY-MM-DD`, as dates are stored, without going through a formatter: a bulk load
/// writes a million of them.
fn iso_date(date: NaiveDate) -> [u8; 10] {
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

/// What sales are checked against, read whole for a bulk load ([`Db::sale_rules`]):
/// partners by INN with their facts, every pin, the rates, the statements in force. Plain
/// data, so a second thread can check rows while the first writes them.
pub struct SaleRules {
    partners: FxHashMap<Inn, PartnerId>,
    /// Stored clients by INN, with their names.
    clients: FxHashMap<Inn, String>,
    pins: FxHashMap<Inn, Vec<Pin>>,
    facts: FxHashMap<PartnerId, PartnerFacts>,
    rates: RateBook,
    locks: Vec<Lock>,
}

impl SaleRules {
    /// The partner with this INN.
    pub fn partner(&self, inn: &Inn) -> Result<PartnerId, SaleRefusal> {
        self.partners
            .get(inn)
            .copied()
            .ok_or_else(|| SaleRefusal::UnknownPartner(inn.to_string()))
    }

    /// Whether the client is stored under this name (or any, when `name` is empty): a
    /// sale of theirs need not record them.
    pub fn has_client(&self, inn: &Inn, name: &str) -> bool {
        self.clients
            .get(inn)
            .is_some_and(|stored| name.is_empty() || stored == name)
    }

    /// The sale checked as [`Db::record_sale`] checks it, with its figures.
    pub fn check(&self, sale: &NewSale) -> Result<CheckedSale, SaleRefusal> {
        let Some(facts) = self.facts.get(&sale.partner) else {
            return Err(SaleRefusal::UnknownPartner(format!("#{}", sale.partner.0)));
        };
        let pins = self.pins.get(&sale.client_inn);
        checked_sale(
            sale,
            lock_on(&self.locks, sale.partner, sale.date),
            pins.map_or(&[][..], Vec::as_slice),
            facts,
            &self.rates,
        )
    }
}

/// A bulk load of sales under way in this transaction.
#[must_use = "end_bulk_sales puts the period lock's trigger back"]
pub struct BulkSales {
    trigger: Option<String>,
    /// Indexes set aside, to be built again at the end.
    indexes: Vec<String>,
}

/// A UNIQUE constraint refused the row.
fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl Db<'_> {
    /// Starts a bulk load of sales in this transaction: the period lock on new sales is
    /// checked by [`SaleRules::check`] alone while its trigger is set aside — with it,
    /// SQLite journals every page each insert touches, in case the trigger aborts it.
    /// [`Db::end_bulk_sales`] puts the trigger back before the transaction commits, so no
    /// other writer ever meets the table without it.
    ///
    /// When the load is at least as large as the table already is, the lists' indexes
    /// (by date, by partner and date, and by client unless rows without a document are to
    /// be matched by client to sales stored before) are also set aside and built again at
    /// the end, which sorts once instead of seeking once per row.
    pub fn begin_bulk_sales(
        &self,
        rows: usize,
        all_have_docs: bool,
    ) -> Result<BulkSales, StoreError> {
        // A million sales touch their indexes all over: 32 MiB of page cache for this
        // connection from now on.
        self.conn.pragma_update(None, "cache_size", -32_768)?;
        let stored: i64 =
            self.conn
                .query_row("SELECT coalesce(max(rowid), 0) FROM sales", [], |r| {
                    r.get(0)
                })?;
        let mut indexes = Vec::new();
        if rows as i64 >= stored {
            // Rows without a document are looked up by client, when there are sales to
            // look them up among.
            let keep_client = !all_have_docs && stored > 0;
            let names = &LIST_INDEXES[..if keep_client { 2 } else { 3 }];
            indexes = self.set_indexes_aside(names)?;
        }
        let trigger: Option<String> = self
            .conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'sales_locked_insert'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if trigger.is_some() {
            self.conn
                .execute_batch("DROP TRIGGER sales_locked_insert")?;
        }
        Ok(BulkSales { trigger, indexes })
    }

    /// Ends a bulk load of sales: the indexes set aside are built again and the period
    /// lock's trigger is back.
    pub fn end_bulk_sales(&self, bulk: BulkSales) -> Result<(), StoreError> {
        self.write_queued()?;
        self.build_indexes_again(bulk.indexes)?;
        if let Some(sql) = bulk.trigger {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }

    /// Drops those of the `names` indexes that exist, returning the SQL that makes them.
    pub(super) fn set_indexes_aside(&self, names: &[&str]) -> Result<Vec<String>, StoreError> {
        let mut indexes = Vec::new();
        for name in names {
            let sql: Option<String> = self
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                self.conn.execute_batch(&format!("DROP INDEX {name}"))?;
                indexes.push(sql);
            }
        }
        Ok(indexes)
    }

    /// Builds again the indexes [`Db::set_indexes_aside`] dropped.
    pub(super) fn build_indexes_again(&self, indexes: Vec<String>) -> Result<(), StoreError> {
        // Building an index sorts. SQLite's sorter fills runs as large as the page cache
        // and sorts each on a worker thread: with 2 MiB runs, which fit a processor's
        // cache, and two threads, the three indexes of a million sales take 1.4 s instead
        // of 2.5 s.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "threads", 2)?;
        self.conn.pragma_update(None, "cache_size", -2_048)?;
        for sql in indexes {
            self.conn.execute_batch(&sql)?;
        }
        self.conn.pragma_update(None, "cache_size", cache)?;
        Ok(())
    }

    /// The id of the sale or return with this document number.
    pub fn sale_id_by_doc(&self, doc: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM sales WHERE doc = ?1")?
            .query_row([doc.trim()], |r| r.get(0))
            .optional()?)
    }

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
        self.read_pins_of(client)?;
        let checked = {
            let cache = self.cache.borrow();
            let pins = cache.pins.get(client).map_or(&[][..], Vec::as_slice);
            check_shipment(pins, kind, partner, date)
        };
        checked.map_err(|refusal| self.shipment_error(client, partner, refusal))
    }

    /// The shipment rule's refusal told with the partners' names.
    fn shipment_error(
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

    /// What refuses a sale of a bulk load, told as [`Db::record_sale`] would tell it.
    pub fn refusal_error(&self, sale: &NewSale, refusal: SaleRefusal) -> StoreError {
        match refusal {
            SaleRefusal::UnknownPartner(inn) => RuleError::UnknownPartner { inn }.into(),
            SaleRefusal::Locked(number) => RuleError::PeriodLocked { number }.into(),
            SaleRefusal::Shipment(refusal) => {
                self.shipment_error(&sale.client_inn, sale.partner, refusal)
            }
        }
    }

    /// What sales are checked against, read whole for a bulk load: see [`SaleRules`].
    pub fn sale_rules(&self) -> Result<SaleRules, StoreError> {
        let partners: Vec<(String, i64)> = self
            .conn
            .prepare_cached("SELECT inn, id FROM partners")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut facts = FxHashMap::default();
        for (_, id) in &partners {
            facts.insert(PartnerId(*id), self.partner_facts(PartnerId(*id))?);
        }
        let mut clients = FxHashMap::default();
        for row in self
            .conn
            .prepare_cached("SELECT inn, name FROM clients")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
        {
            let (inn, name) = row?;
            clients.insert(parse_inn(inn)?, name);
        }
        Ok(SaleRules {
            partners: partners
                .into_iter()
                .map(|(inn, id)| Ok((parse_inn(inn)?, PartnerId(id))))
                .collect::<Result<_, StoreError>>()?,
            clients,
            pins: self.all_pins()?,
            facts,
            rates: self.rate_book()?,
            locks: self.locks()?,
        })
    }

    /// Records a sale. Refused when its document number is taken, or when the shipment
    /// rule finds no pin of the partner in force on the sale date.
    pub fn record_sale(&self, sale: &NewSale) -> Result<SaleId, StoreError> {
        let checked = self.check_sale(sale)?;
        match self.insert_sales(std::slice::from_ref(&checked)) {
            Ok(()) => Ok(SaleId(self.conn.last_insert_rowid())),
            Err((_, e)) if is_unique_violation(&e) => Err(RuleError::DuplicateDoc {
                doc: checked.doc.unwrap_or_default(),
            }
            .into()),
            Err((_, e)) => Err(e.into()),
        }
    }

    /// Records a sale of a bulk load (see [`Db::begin_bulk_sales`]) checked by
    /// [`SaleRules::check`]: its client is recorded when `client_name` is given (the loader
    /// gives it for the first sale of a client, or one that renames it), and the sale is
    /// written with others in one statement, at the latest by [`Db::end_bulk_sales`]. The
    /// loader looks documents up before; the unique index catches what it would miss.
    pub fn queue_checked(
        &self,
        checked: CheckedSale,
        client_name: Option<&str>,
    ) -> Result<(), StoreError> {
        // A bulk load runs with the table's CHECKs and foreign keys set aside
        // (`Store::write_bulk`). Kind, flags and partner hold by the row's types and
        // `SaleRules`; the client is recorded here; the amount is checked here.
        if checked.amount_kop <= 0 {
            return Err(StoreError::BadValue(format!(
                "amount {} kopecks is not above zero",
                checked.amount_kop
            )));
        }
        if let Some(name) = client_name {
            self.upsert_client(&checked.client_inn, name)?;
        }
        let full = {
            let mut cache = self.cache.borrow_mut();
            cache.queued.push(checked);
            cache.queued.len() >= QUEUED_ROWS
        };
        if full {
            self.write_queued()?;
        }
        Ok(())
    }

    fn write_queued(&self) -> Result<(), StoreError> {
        let mut queued = std::mem::take(&mut self.cache.borrow_mut().queued);
        let written = match self.insert_sales(&queued) {
            Ok(()) => Ok(()),
            Err((at, e)) if is_unique_violation(&e) => {
                // The loader looks documents up before it queues them: this is the index
                // catching what it missed. The failing statement wrote nothing; find the
                // taken one among its rows.
                let mut doc = String::from("?");
                let rows = &queued[at..queued.len().min(at + INSERT_ROWS)];
                for d in rows.iter().filter_map(|s| s.doc.as_deref()) {
                    if self.doc_taken(d)? {
                        d.clone_into(&mut doc);
                        break;
                    }
                }
                Err(RuleError::DuplicateDoc { doc }.into())
            }
            Err((_, e)) => Err(e.into()),
        };
        // The queue keeps its room for the next rows.
        queued.clear();
        self.cache.borrow_mut().queued = queued;
        written
    }

    /// Writes checked sales, `INSERT_ROWS` to a statement. A failure says where the
    /// statement that failed begins in `sales`.
    fn insert_sales(&self, sales: &[CheckedSale]) -> Result<(), (usize, rusqlite::Error)> {
        const COLUMNS: &str = "recorded_at, doc, date, partner_id, client_inn, kind, amount_kop,
            self_referred, connected_by_partner, used_in_work, premium_kop, rate_pct, reason,
            status, one_c_terms";
        // Every row is recorded at the same time: ?1, bound once per statement.
        const BOUND: usize = 14;
        let stamp = self.stamp();
        // The few rates in use, as text.
        let mut rates: Vec<(RatePct, String)> = Vec::new();
        let sql_for = |n: usize| {
            let rows: Vec<String> = (0..n)
                .map(|r| {
                    let params: Vec<String> = (0..BOUND)
                        .map(|c| format!("?{}", 2 + r * BOUND + c))
                        .collect();
                    format!("(?1, {})", params.join(", "))
                })
                .collect();
            format!("INSERT INTO sales ({COLUMNS}) VALUES {}", rows.join(", "))
        };
        // The statement for a full chunk is written once for the process, and prepared
        // once for all the full chunks: its bindings stay between them, ?1 with them.
        static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let prepare = |sql: &str| {
            let mut stmt = self.conn.prepare_cached(sql)?;
            stmt.raw_bind_parameter(1, &stamp)?;
            Ok(stmt)
        };
        let mut full = if sales.len() >= INSERT_ROWS {
            Some(prepare(FULL.get_or_init(|| sql_for(INSERT_ROWS))).map_err(|e| (0, e))?)
        } else {
            None
        };
        for (at, chunk) in sales.chunks(INSERT_ROWS).enumerate() {
            let at = at * INSERT_ROWS;
            let failed = |e| (at, e);
            let mut last;
            let stmt = match &mut full {
                Some(stmt) if chunk.len() == INSERT_ROWS => stmt,
                _ => {
                    last = prepare(&sql_for(chunk.len())).map_err(failed)?;
                    &mut last
                }
            };
            let mut i = 2;
            for s in chunk {
                let date = iso_date(s.date);
                let date = std::str::from_utf8(&date).unwrap_or_default();
                let rate = s.rate.map(|r| {
                    if let Some(i) = rates.iter().position(|(known, _)| *known == r) {
                        i
                    } else {
                        rates.push((r, r.to_string()));
                        rates.len() - 1
                    }
                });
                let rate = rate.map(|i| rates[i].1.as_str());
                let values: [&dyn rusqlite::ToSql; BOUND] = [
                    &s.doc,
                    &date,
                    &s.partner,
                    &s.client_inn.as_str(),
                    &s.kind,
                    &s.amount_kop,
                    &s.role.self_referred,
                    &s.role.connected_by_partner,
                    &s.role.used_in_work,
                    &s.premium_kop,
                    &rate,
                    &s.reason,
                    &s.status,
                    &s.one_c_terms,
                ];
                for value in values {
                    stmt.raw_bind_parameter(i, value).map_err(failed)?;
                    i += 1;
                }
            }
            stmt.raw_execute().map_err(failed)?;
        }
        Ok(())
    }

    /// A sale checked against the period lock and the shipment rule, its client recorded
    /// and its premium figured: ready to be written.
    pub(super) fn check_sale(&self, sale: &NewSale) -> Result<CheckedSale, StoreError> {
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
                return Err(StoreError::BadValue(format!("partner {}", sale.partner.0)));
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

    /// Puts a checked sale in the place of sale `id`, its figures with it. A document
    /// another record has is refused, as when a sale is recorded.
    pub(super) fn replace_sale(&self, id: SaleId, s: &CheckedSale) -> Result<(), StoreError> {
        let written = self
            .conn
            .prepare_cached(
                "UPDATE sales SET doc = ?2, date = ?3, partner_id = ?4, client_inn = ?5, kind = ?6,
                     amount_kop = ?7, self_referred = ?8, connected_by_partner = ?9,
                     used_in_work = ?10, premium_kop = ?11, rate_pct = ?12, reason = ?13,
                     status = ?14, one_c_terms = ?15
                 WHERE id = ?1",
            )?
            .execute(rusqlite::params![
                id.0,
                s.doc,
                s.date,
                s.partner,
                s.client_inn.as_str(),
                s.kind,
                s.amount_kop,
                s.role.self_referred,
                s.role.connected_by_partner,
                s.role.used_in_work,
                s.premium_kop,
                s.rate.map(|r| r.to_string()),
                s.reason,
                s.status,
                s.one_c_terms,
            ]);
        match written {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(RuleError::DuplicateDoc {
                doc: s.doc.clone().unwrap_or_default(),
            }
            .into()),
            Err(e) => Err(e.into()),
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
                          WHERE (?1 IS NULL OR s.partner_id = ?1) AND (?2 IS NULL OR coalesce(o.date, s.date) >= ?2)
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
        for (entry, partner) in &rows {
            if !facts.contains_key(partner) {
                facts.insert(*partner, self.partner_facts(PartnerId(*partner))?);
            }
            if let Some(f) = facts.get(partner) {
                self.store_figures(entry.id, &figure(f, &rates, entry))?;
            }
        }
        Ok(rows.len())
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
        if let Some(number) = self.locking_statement(original.partner, date)? {
            return Err(RuleError::PeriodLocked { number }.into());
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
                                    connected_by_partner, used_in_work, return_of, recorded_at, premium_kop)
                 SELECT ?2, ?3, partner_id, client_inn, kind, ?4, self_referred, connected_by_partner,
                        used_in_work, id, ?5, 0
                 FROM sales WHERE id = ?1",
            )?
            .execute((sale.0, doc, date, amount.kopecks(), now_stamp()))?;
        let id = self.conn.last_insert_rowid();
        let entry = Entry {
            id,
            date,
            amount,
            return_of: Some(ReturnOf {
                sale_id: sale.0,
                sale_date: original.entry.date,
                sale_doc: original.entry.doc.clone(),
            }),
            ..original.entry
        };
        let figured = figure(
            &self.partner_facts(original.partner)?,
            &self.rate_book()?,
            &entry,
        );
        self.store_figures(id, &figured)?;
        Ok(SaleId(id))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn sale(doc: &str) -> CheckedSale {
        CheckedSale {
            doc: Some(doc.to_owned()),
            date: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap_or_default(),
            partner: 1,
            client_inn: Inn::parse("7707083893").unwrap_or_else(|e| panic!("{e:?}")),
            kind: "its",
            amount_kop: 100,
            role: RoleFacts::default(),
            premium_kop: 0,
            rate: None,
            reason: None,
            status: None,
            one_c_terms: false,
        }
    }

    /// The loader looks every document up before it queues its sale; should one slip by,
    /// the index refuses it, and the load names the document whose statement failed, not
    /// one written by an earlier statement of the same queue.
    fn taken_at(queued: usize, again: usize, of: usize) -> Option<String> {
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let failed = store.write_bulk(|db| {
            for i in 0..queued {
                let doc = if i == again { of } else { i };
                db.queue_checked(sale(&format!("D{doc}")), None)?;
            }
            db.write_queued()
        });
        match failed {
            Err(StoreError::Rule(RuleError::DuplicateDoc { doc })) => Some(doc),
            _ => None,
        }
    }

    #[test]
    fn a_document_the_index_refuses_in_a_bulk_load_is_named() {
        // In the statement after the one that wrote it, in the same queue.
        assert_eq!(taken_at(200, 100, 3).as_deref(), Some("D3"));
        // In a later queue.
        assert_eq!(
            taken_at(QUEUED_ROWS + 300, QUEUED_ROWS + 10, 5).as_deref(),
            Some("D5")
        );
        // In the last, shorter statement.
        assert_eq!(taken_at(40, 39, 20).as_deref(), Some("D20"));
    }
}
