//! Sales in bulk, from a file: the rules read once (`SaleRules`), each sale checked
//! against them on one thread and queued, written many rows to a statement on the other
//! (each engine its own way: see `engine::Engine::begin_bulk_sales`).

use rustc_hash::FxHashMap;

use super::sale::*;
use super::*;
use crate::domain::pin::Pin;
use crate::domain::{Inn, PartnerFacts, PartnerId, RateBook};

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

    /// The sale checked as [`Tx::record_sale`] checks it, with its figures.
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

impl Db<'_> {
    /// What refuses a sale of a bulk load, told as [`Tx::record_sale`] would tell it.
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
            clients.insert(parse_inn(inn, "clients.inn")?, name);
        }
        Ok(SaleRules {
            partners: partners
                .into_iter()
                .map(|(inn, id)| Ok((parse_inn(inn, "partners.inn")?, PartnerId(id))))
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
    /// Starts a bulk load of sales in this transaction: what the engine sets aside for it
    /// (a file: SQLite's constraints, the table's insert triggers and, for a load at least
    /// as large as the table, the lists' indexes), while [`SaleRules::check`] checks every
    /// row by the same rules. [`Tx::end_bulk_sales`] checks the rows written against all
    /// of those before the transaction commits and puts them back, so no other writer ever
    /// meets the table without them.
    pub fn begin_bulk_sales(
        &self,
        rows: usize,
        all_have_docs: bool,
    ) -> Result<BulkSales, StoreError> {
        self.conn
            .engine()
            .begin_bulk_sales(self, rows, all_have_docs)
    }

    /// Ends a bulk load of sales: the rows written are checked against every constraint
    /// and trigger set aside (a row that breaks one is [`StoreError::BrokenInLoad`], and
    /// the transaction writes nothing), the indexes set aside are built again and the
    /// triggers are back.
    pub fn end_bulk_sales(&self, bulk: BulkSales) -> Result<(), StoreError> {
        self.conn.engine().end_bulk_sales(self, bulk)
    }

    /// Records a sale of a bulk load (see [`Tx::begin_bulk_sales`]) checked by
    /// [`SaleRules::check`]: its client is recorded when `client_name` is given (the loader
    /// gives it for the first sale of a client, or one that renames it), and the sale is
    /// written with others in one statement, at the latest by [`Tx::end_bulk_sales`]. The
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
            return Err(RuleError::KeptByTheDatabase {
                rule: "CHECK (amount_kop > 0)".into(),
            }
            .into());
        }
        RuleError::check_text(
            crate::domain::TextField::Doc,
            checked.doc.as_deref().unwrap_or_default(),
        )?;
        if let Some(name) = client_name {
            RuleError::check_text(crate::domain::TextField::ClientName, name)?;
            self.conn
                .engine()
                .load_client(self, &checked.client_inn, name)?;
        }
        let batch = self.conn.engine().queued_rows();
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
        let mut queued = std::mem::take(&mut self.cache.borrow_mut().queued);
        let written = match self.insert_sales(&queued) {
            Ok(_) => Ok(()),
            Err((at, e)) if e.is_unique_violation() => {
                // The loader looks documents up before it queues them: this is the index
                // catching what it missed. The failing statement wrote nothing; find the
                // taken one among its rows.
                let mut doc = String::from("?");
                for d in queued[at..].iter().filter_map(|s| s.doc.as_deref()) {
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
        self.conn.engine().insert_sales(self, sales)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RoleFacts;
    use crate::store::Store;
    use chrono::NaiveDate;

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
    fn a_bulk_load_checks_every_check_key_and_trigger_it_set_aside_before_it_commits() {
        assert!(loaded(100, 0, |_| {}).is_ok());
        let broken = |at, f: fn(&mut CheckedSale)| match loaded(100, at, f) {
            Err(StoreError::BrokenInLoad { at, rule }) => (at, rule),
            other => panic!("{other:?}"),
        };
        let (at, rule) = broken(40, |s| s.kind = "video");
        assert_eq!(
            (at, rule.as_str()),
            (
                40,
                "CHECK (kind IN ('its', 'saas', 'onprem_server', 'onprem_user', 'dev_services', 'video_calls'))"
            )
        );
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
            taken_at(
                crate::store::sqlite::QUEUED_ROWS + 300,
                crate::store::sqlite::QUEUED_ROWS + 10,
                5
            )
            .as_deref(),
            Some("D5")
        );
        // In the last, shorter statement.
        assert_eq!(taken_at(40, 39, 20).as_deref(), Some("D20"));
    }
}
