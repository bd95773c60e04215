//! Sales in bulk, from a file: the rules read once (`SaleRules`), each sale checked
//! against them on one thread and queued, written many rows to a statement on the other,
//! with the list's indexes set aside while a large file loads.

use super::sql::Optional as _;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::columns::{self, SaleColumn};
use super::sales::*;
use super::sql::{Conn, Param};
use super::*;
use crate::domain::pin::{Pin, check_shipment};
use crate::domain::statement::figure_sale;
use crate::domain::{
    Inn, Money, PartnerFacts, PartnerId, RateBook, RatePct, RoleFacts, ShipmentRefusal, Status,
    ZeroReason,
};

/// How many rows one INSERT statement writes.
pub(super) const INSERT_ROWS: usize = 16;

/// How many sales of a bulk load are queued before they are written: one prepared
/// statement serves them all (a cached one is looked up by its text and has its
/// bindings cleared each time it goes back to the cache).
pub(super) const QUEUED_ROWS: usize = 64 * INSERT_ROWS;

/// How many sales of a bulk load go to a server at a time (by COPY, see
/// `postgres::insert_sales`).
const SERVER_QUEUED_ROWS: usize = 16_384;

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

/// The `CREATE INDEX` statement of an index set aside for a load, to build it again.
pub(super) type IndexSql = String;

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

/// What sales are checked against, read whole for a bulk load ([`Db::sale_rules`]):
/// partners by INN with their facts, every pin, the rates, the statements in force. Plain
/// data, so a second thread can check rows while the first writes them.
pub struct SaleRules {
    pub(super) partners: FxHashMap<Inn, PartnerId>,
    /// Stored clients by INN, with their names.
    pub(super) clients: FxHashMap<Inn, String>,
    pub(super) pins: FxHashMap<Inn, Vec<Pin>>,
    pub(super) facts: FxHashMap<PartnerId, PartnerFacts>,
    pub(super) rates: RateBook,
    pub(super) locks: Vec<crate::domain::LockedPeriod>,
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
            crate::domain::lock::locking_statement(&self.locks, sale.partner, sale.date)
                .map(|l| l.number.as_str()),
            pins.map_or(&[][..], Vec::as_slice),
            facts,
            &self.rates,
        )
    }
}

/// A bulk load of sales under way in this transaction.
#[must_use = "end_bulk_sales checks the rows against what was set aside and puts it back"]
pub struct BulkSales {
    /// The file's insert triggers set aside (none on a server, which keeps all of them).
    pub(super) triggers: Vec<super::sqlite::bulk::SetAside>,
    /// Indexes set aside, to be built again at the end.
    pub(super) indexes: Vec<String>,
    /// The largest rowid before the load: the rows above it are the load's.
    pub(super) stored: i64,
}

/// A UNIQUE constraint refused the row.
/// (The server's refusal is a [`RuleError::DuplicateDoc`] already, see
/// `postgres::server_error`.)
pub(super) fn is_unique_violation(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl Db<'_> {
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
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut facts = FxHashMap::default();
        for (_, id) in &partners {
            facts.insert(PartnerId(*id), self.partner_facts(PartnerId(*id))?);
        }
        let mut clients = FxHashMap::default();
        for row in self
            .conn
            .prepare_cached("SELECT inn, name FROM clients")?
            .query_map((), |r| Ok((r.get::<String>(0)?, r.get(1)?)))?
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
}

impl Tx<'_> {
    /// Starts a bulk load of sales in this transaction. On a file, the table's insert
    /// triggers (the period lock's, a return's) are set aside — with one, SQLite journals
    /// every page each insert touches, in case the trigger aborts it — while
    /// [`SaleRules::check`] checks every row by the same rules; the connection's CHECK and
    /// foreign-key constraints are off too (`Store::write_bulk`). [`Db::end_bulk_sales`]
    /// checks the rows written against all of those before the transaction commits, and
    /// puts the triggers back, so no other writer ever meets the table without them.
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
        let Some(lite) = self.conn.lite() else {
            // The server keeps its indexes, constraints and triggers through a load: the
            // sales reach the table by COPY (see `insert_sales`).
            return Ok(BulkSales {
                triggers: Vec::new(),
                indexes: Vec::new(),
                stored: 0,
            });
        };
        // A million sales touch their indexes all over: 32 MiB of page cache for this
        // connection from now on.
        lite.pragma_update(None, "cache_size", -32_768)?;
        let stored: i64 =
            self.conn
                .query_row("SELECT coalesce(max(rowid), 0) FROM sales", (), |r| {
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
        Ok(BulkSales {
            triggers: super::sqlite::bulk::set_triggers_aside(lite)?,
            indexes,
            stored,
        })
    }

    /// Ends a bulk load of sales: the rows written are checked against every constraint
    /// and trigger set aside (a row that breaks one is [`StoreError::BrokenInLoad`], and
    /// the transaction writes nothing), the indexes set aside are built again and the
    /// triggers are back.
    pub fn end_bulk_sales(&self, bulk: BulkSales) -> Result<(), StoreError> {
        self.write_queued()?;
        if let Some(lite) = self.conn.lite() {
            let broken = super::sqlite::bulk::first_broken(lite, bulk.stored, &bulk.triggers)?;
            if let Some((rowid, rule)) = broken {
                return Err(StoreError::BrokenInLoad {
                    at: (rowid - bulk.stored - 1).max(0) as usize,
                    rule,
                });
            }
            super::sqlite::bulk::put_back(lite, bulk.triggers)?;
        }
        self.build_indexes_again(bulk.indexes)?;
        Ok(())
    }

    /// Drops those of the `names` indexes that exist, returning the SQL that makes them.
    pub(super) fn set_indexes_aside(&self, names: &[&str]) -> Result<Vec<IndexSql>, StoreError> {
        let mut indexes = Vec::new();
        if self.conn.is_server() {
            return Ok(indexes);
        }
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
        let Some(lite) = self.conn.lite().filter(|_| !indexes.is_empty()) else {
            return Ok(());
        };
        // Building an index sorts. SQLite's sorter fills runs as large as the page cache
        // and sorts each on a worker thread: with 2 MiB runs, which fit a processor's
        // cache, and two threads, the three indexes of a million sales take 1.4 s instead
        // of 2.5 s.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", (), |r| r.get(0))?;
        lite.pragma_update(None, "threads", 2)?;
        lite.pragma_update(None, "cache_size", -2_048)?;
        for sql in indexes {
            lite.execute_batch(&sql)?;
        }
        lite.pragma_update(None, "cache_size", cache)?;
        Ok(())
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
        RuleError::check_text(
            crate::domain::TextField::Doc,
            checked.doc.as_deref().unwrap_or_default(),
        )?;
        if let Some(name) = client_name {
            RuleError::check_text(crate::domain::TextField::ClientName, name)?;
            if self.conn.is_server() {
                // On a server the clients go with the queue, many to a statement.
                self.cache
                    .borrow_mut()
                    .queued_clients
                    .push((checked.client_inn, name.trim().to_owned()));
            } else {
                self.upsert_client(&checked.client_inn, name)?;
            }
        }
        // Each statement to a server is a round trip: it gets larger batches.
        let batch = if self.conn.is_server() {
            SERVER_QUEUED_ROWS
        } else {
            QUEUED_ROWS
        };
        let full = {
            let mut cache = self.cache.borrow_mut();
            cache.queued.push(checked);
            cache.queued.len() >= batch
        };
        if full {
            self.write_queued()?;
        }
        Ok(())
    }

    pub(super) fn write_queued(&self) -> Result<(), StoreError> {
        let clients = std::mem::take(&mut self.cache.borrow_mut().queued_clients);
        if let Conn::Pg(server) = self.conn {
            super::postgres::upsert_clients(server, &clients)?;
        }
        let mut queued = std::mem::take(&mut self.cache.borrow_mut().queued);
        let written = match self.insert_sales(&queued) {
            Ok(_) => Ok(()),
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
            Err((_, e)) => Err(e),
        };
        // The queue keeps its room for the next rows.
        queued.clear();
        self.cache.borrow_mut().queued = queued;
        written
    }

    /// Writes checked sales, in their order; the id of the last. A failure says where the
    /// statement that failed begins in `sales`.
    pub(super) fn insert_sales(&self, sales: &[CheckedSale]) -> Result<i64, (usize, StoreError)> {
        match self.conn {
            Conn::Lite(lite) => {
                self.insert_sales_in_file(lite, sales)
                    .map_err(|(at, e)| (at, e.into()))?;
                Ok(lite.last_insert_rowid())
            }
            Conn::Pg(server) => {
                super::postgres::insert_sales(server, (&self.stamp(), &self.who()), sales)
                    .map_err(|e| (0, e))
            }
        }
    }

    /// SQLite's way: `INSERT_ROWS` to a statement, bound without a copy.
    fn insert_sales_in_file(
        &self,
        conn: &rusqlite::Connection,
        sales: &[CheckedSale],
    ) -> Result<(), (usize, rusqlite::Error)> {
        // Every row is recorded at the same time by the same user: ?1 and ?2, bound once
        // per statement; each row's other columns (those a correction replaces) after them.
        let bound = SaleColumn::replaced().count();
        let (stamp, who) = (self.stamp(), self.who());
        // The few rates in use, as text.
        let mut rates: Vec<(RatePct, String)> = Vec::new();
        let sql_for = |n: usize| {
            let rows: Vec<String> = (0..n)
                .map(|r| {
                    let mut next = 3 + r * bound;
                    let params: Vec<String> = SaleColumn::written()
                        .map(|c| match c {
                            SaleColumn::RecordedAt => "?1".to_owned(),
                            SaleColumn::RecordedBy => "?2".to_owned(),
                            _ => {
                                next += 1;
                                format!("?{}", next - 1)
                            }
                        })
                        .collect();
                    format!("({})", params.join(", "))
                })
                .collect();
            format!(
                "INSERT INTO sales ({}) VALUES {}",
                columns::joined(SaleColumn::written()),
                rows.join(", ")
            )
        };
        // The statement for a full chunk is written once for the process, and prepared
        // once for all the full chunks: its bindings stay between them, ?1 and ?2 with them.
        static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let prepare = |sql: &str| {
            let mut stmt = conn.prepare_cached(sql)?;
            stmt.raw_bind_parameter(1, &stamp)?;
            stmt.raw_bind_parameter(2, &who)?;
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
            let mut i = 3;
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
                for column in SaleColumn::replaced() {
                    let value: &dyn rusqlite::ToSql = match column {
                        SaleColumn::Doc => &s.doc,
                        SaleColumn::Date => &date,
                        SaleColumn::PartnerId => &s.partner,
                        SaleColumn::ClientInn => &s.client_inn.as_str(),
                        SaleColumn::Kind => &s.kind,
                        SaleColumn::AmountKop => &s.amount_kop,
                        SaleColumn::SelfReferred => &s.role.self_referred,
                        SaleColumn::ConnectedByPartner => &s.role.connected_by_partner,
                        SaleColumn::UsedInWork => &s.role.used_in_work,
                        SaleColumn::PremiumKop => &s.premium_kop,
                        SaleColumn::RatePct => &rate,
                        SaleColumn::Reason => &s.reason,
                        SaleColumn::Status => &s.status,
                        SaleColumn::OneCTerms => &s.one_c_terms,
                        SaleColumn::Id
                        | SaleColumn::ReturnOf
                        | SaleColumn::RecordedAt
                        | SaleColumn::RecordedBy => &NO_VALUE,
                    };
                    stmt.raw_bind_parameter(i, value).map_err(failed)?;
                    i += 1;
                }
            }
            stmt.raw_execute().map_err(failed)?;
        }
        Ok(())
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

    /// What a bulk load of `rows` (partner 1's sales of client 7707083893, with `broken`
    /// put at `at`) comes to at its end, against a file where partner 1 has statement
    /// 2024-0001 issued for January 2024.
    fn loaded(rows: usize, at: usize, broken: impl Fn(&mut CheckedSale)) -> Result<(), StoreError> {
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let client = Inn::parse("7707083893").unwrap_or_else(|e| panic!("{e:?}"));
        store
            .write(|tx| {
                tx.add_partner(&client, "Альфа", false)?;
                tx.upsert_client(&client, "")?;
                tx.conn.execute_batch(
                    "INSERT INTO issued_statements (number, partner_id, period_from, period_to,
                         issued_on, json, sha256, lines, amount_kop, premium_kop, recorded_at)
                     VALUES ('2024-0001', 1, '2024-01-01', '2024-01-31', '2024-02-01', X'7b7d',
                             '', 1, 0, 0, '')",
                )
            })
            .unwrap_or_else(|e| panic!("{e}"));
        store.write_bulk(|db| {
            let bulk = db.begin_bulk_sales(rows, true)?;
            for i in 0..rows {
                let mut row = sale(&format!("D{i}"));
                if i == at {
                    broken(&mut row);
                }
                db.queue_checked(row, None)?;
            }
            db.end_bulk_sales(bulk)
        })
    }

    #[test]
    fn a_bulk_load_checks_every_constraint_and_trigger_it_set_aside_before_it_commits() {
        assert!(loaded(100, 0, |_| {}).is_ok());
        let broken = |at, f: fn(&mut CheckedSale)| match loaded(100, at, f) {
            Err(StoreError::BrokenInLoad { at, rule }) => (at, rule),
            other => panic!("{other:?}"),
        };
        let (at, rule) = broken(40, |s| s.kind = "video");
        assert_eq!(at, 40);
        assert!(rule.starts_with("CHECK (kind IN"), "{rule}");
        let (at, rule) = broken(41, |s| s.partner = 99);
        assert_eq!(
            (at, rule.as_str()),
            (41, "partner_id REFERENCES partners (id)")
        );
        let (at, rule) = broken(42, |s| {
            s.client_inn = Inn::parse("7736207543").unwrap_or_else(|e| panic!("{e:?}"))
        });
        assert_eq!(
            (at, rule.as_str()),
            (42, "client_inn REFERENCES clients (inn)")
        );
        let (at, rule) = broken(43, |s| {
            s.date = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap_or_default()
        });
        assert_eq!((at, rule.as_str()), (43, "trigger sales_locked_insert"));
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
