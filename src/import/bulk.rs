//! A large file of sales loaded on two threads: one reads and checks the rows against the
//! rules read whole beforehand ([`SaleRules`]), the other writes them as they come, in the
//! one transaction of the import.

use std::sync::mpsc::sync_channel;

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

use super::mapping::Mapping;
use super::source;
use super::table::{Row, Table};
use super::{
    Cells, Ending, ImportError, ImportKind, MAX_FOUND, Matched, Problem, RowError, Summary, finish,
    repeats_stored, sale_column,
};
use crate::domain::Inn;
use crate::store::{
    CheckedSale, ImportLog, NewSale, RuleError, SaleRefusal, SaleRules, Store, StoreError, Tx,
};

/// From this many sales on, an import loads them in bulk (see `Tx::begin_bulk_sales`).
pub(super) const BULK_ROWS: usize = 2_000;

/// From this size on, a file of sales is taken to hold [`BULK_ROWS`] or about, and is
/// read while the rules are ([`load_sales_file`]).
pub(super) const BULK_BYTES: usize = 100_000;

/// How many rows the checking thread hands over at a time.
const CHUNK_ROWS: usize = 1_024;

/// A row as the checking thread hands it over.
enum Checked {
    /// What is wrong with its cells.
    Unreadable(Vec<RowError>),
    /// A sale to write, unless it repeats a stored one.
    Sale {
        checked: CheckedSale,
        /// The client's name when the client is new to this load or renamed by this row:
        /// the only rows whose client the writer needs to record (every row's when sales
        /// were stored before, as any row may be skipped as a repeat).
        client: Option<String>,
        /// The sale as read, when sales were stored before: a row may repeat one of them.
        sale: Option<Box<NewSale>>,
    },
    /// A sale the rules refuse, unless it repeats a stored one.
    Refused {
        sale: Box<NewSale>,
        refusal: Refusal,
    },
}

/// Why the checking thread refuses a sale.
enum Refusal {
    Rule(SaleRefusal),
    /// An earlier row of the file has the same document number.
    DocTwice(String),
}

/// The checking thread: the rules, and what it has seen of the file so far (borrowed
/// from the sheet, so nothing is copied to remember it).
struct Checker<'s> {
    table: &'s Table<'s>,
    rules: &'s SaleRules,
    /// Sales were stored before this load: every row goes with its sale, which may repeat
    /// one of them.
    stored_before: bool,
    /// The rows seen so far that have a document, by their index in the table, found by
    /// the document: four bytes a row where a set of texts takes sixteen (a million rows:
    /// 10 MB instead of 36).
    docs: hashbrown::HashTable<u32>,
    /// Client → the name last given (empty when none).
    clients: FxHashMap<Inn, &'s str>,
}

/// Loads a sheet of sales, all or nothing, as `import_sheet` does for smaller files.
/// The rows are read and checked on a second thread while this one writes them; errors
/// are told the same way: every unreadable cell and every refused row together (up to
/// [`MAX_FOUND`]). A check (`ending`) rolls back what it loaded.
pub(super) fn load_sales(
    store: &mut Store,
    table: &Table<'_>,
    file: &str,
    progress: &dyn Fn(usize, usize),
    ending: Ending,
) -> Result<Summary, ImportError> {
    store.write_bulk(|db| {
        let log = db.begin_import(ImportKind::Sales.code(), file)?;
        let rules = db.sale_rules()?;
        load(db, &log, &rules, table, progress, ending)
    })
}

/// Loads a file of sales of [`BULK_BYTES`] or more like [`load_sales`], its rows read on
/// a second thread while this one reads the rules. What is wrong with the file is told
/// as for a smaller one.
pub(super) fn load_sales_file(
    store: &mut Store,
    bytes: Vec<u8>,
    file: &str,
) -> Result<Summary, ImportError> {
    store.write_bulk(|db| {
        let (source, started) = std::thread::scope(|scope| {
            let reading = scope.spawn(|| source::read_source_owned(bytes));
            let started = db
                .begin_import(ImportKind::Sales.code(), file)
                .and_then(|log| Ok((db.sale_rules()?, log)));
            let source = reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (source, started)
        });
        let source = source?;
        let sheet = super::first_fitting_sheet(&source, ImportKind::Sales);
        let table = Table::new(sheet, Mapping::auto(ImportKind::Sales, &sheet.headers))?;
        let (rules, log) = started?;
        let summary = load(db, &log, &rules, &table, &|_, _| {}, Ending::Write)?;
        Ok(Summary {
            encoding: source.encoding(),
            ..summary
        })
    })
}

/// The load itself, in the import's transaction.
fn load(
    db: &Tx<'_>,
    log: &ImportLog,
    rules: &SaleRules,
    table: &Table<'_>,
    progress: &dyn Fn(usize, usize),
    ending: Ending,
) -> Result<Summary, ImportError> {
    let total = table.rows.len();
    let all_have_docs = table.rows.iter().all(|r| !table.cell(r, "doc").is_empty());
    let bulk = db.begin_bulk_sales(total, all_have_docs)?;
    let mut load = Load {
        db,
        log,
        table,
        summary: Summary {
            rows: total,
            import_id: Some(log.id),
            ..Summary::default()
        },
        unreadable: Vec::new(),
        refused: Vec::new(),
        written: Vec::with_capacity(total),
        matched: Matched::new(),
    };
    let mut checker = Checker {
        table,
        rules,
        stored_before: log.stored_before("sales") > 0,
        docs: hashbrown::HashTable::with_capacity(total),
        clients: FxHashMap::default(),
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Vec<(u64, Checked)>>(8);
        scope.spawn(move || {
            for (n, chunk) in table.rows.chunks(CHUNK_ROWS).enumerate() {
                let checked = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, row)| (row.line, checker.check(n * CHUNK_ROWS + i, row)))
                    .collect();
                // The writer stopped on an error: nothing more to check.
                if sender.send(checked).is_err() {
                    return;
                }
            }
        });
        let mut done = 0;
        for chunk in receiver {
            for (line, row) in chunk {
                load.take(line, row)?;
            }
            done += CHUNK_ROWS;
            progress(done.min(total), total);
        }
        Ok::<(), ImportError>(())
    })?;
    let Load {
        summary,
        mut unreadable,
        mut refused,
        written,
        ..
    } = load;
    if !unreadable.is_empty() || !refused.is_empty() {
        unreadable.append(&mut refused);
        unreadable.sort_by_key(|e| e.line);
        return Err(ImportError::Rows(unreadable));
    }
    // The rows written, checked again against what the load set aside: a row that breaks
    // it is told at its line, as any refused row is.
    if let Err(e) = db.end_bulk_sales(bulk) {
        return Err(match e {
            StoreError::BrokenInLoad { at, rule } => ImportError::Rows(vec![RowError {
                line: written.get(at).copied().unwrap_or_default(),
                column: String::new(),
                problem: Problem::Rule(RuleError::KeptByTheDatabase { rule }),
            }]),
            other => ImportError::Store(other),
        });
    }
    if ending == Ending::Check {
        return Err(ImportError::Rows(Vec::new()));
    }
    finish(db, table, log, &summary)?;
    Ok(summary)
}

impl<'s> Checker<'s> {
    /// Reads the row at `index` of the table and checks it against the rules.
    fn check(&mut self, index: usize, row: &'s Row) -> Checked {
        let mut cells = Cells::new(self.table, row);
        let line = match super::read_sale(&mut cells) {
            Some(line) if cells.errors.is_empty() => line,
            _ => return Checked::Unreadable(cells.errors),
        };
        let refused = |sale, refusal| Checked::Refused {
            sale: Box::new(sale),
            refusal,
        };
        let partner = match self.rules.partner(&line.partner_inn) {
            Ok(partner) => partner,
            Err(refusal) => return refused(line.sale, Refusal::Rule(refusal)),
        };
        let sale = NewSale {
            partner,
            ..line.sale
        };
        let doc = self.table.cell(row, "doc");
        if !doc.is_empty() && self.doc_seen(doc, index) {
            return refused(sale, Refusal::DocTwice(doc.to_owned()));
        }
        let checked = match self.rules.check(&sale) {
            Ok(checked) => checked,
            Err(refusal) => return refused(sale, Refusal::Rule(refusal)),
        };
        let name = self.table.cell(row, "client_name");
        let known = sale.client_inn;
        let client = match self.clients.insert(known, name) {
            // A row may be skipped as a repeat, and its client with it: every row's then.
            _ if self.stored_before => Some(sale.client_name.clone()),
            Some(before) if name.is_empty() || before == name => {
                // Keep the name given before for the next rows to compare with.
                self.clients.insert(known, before);
                None
            }
            None if self.rules.has_client(&sale.client_inn, name) => None,
            _ => Some(sale.client_name.clone()),
        };
        Checked::Sale {
            checked,
            client,
            sale: self.stored_before.then(|| Box::new(sale)),
        }
    }
}

impl Checker<'_> {
    /// Whether an earlier row has document `doc`; remembers the row at `index` as its row
    /// if not.
    fn doc_seen(&mut self, doc: &str, index: usize) -> bool {
        let table = self.table;
        let doc_of = |i: &u32| table.cell(&table.rows[*i as usize], "doc");
        let hash = |doc: &str| FxBuildHasher.hash_one(doc);
        match self
            .docs
            .entry(hash(doc), |i| doc_of(i) == doc, |i| hash(doc_of(i)))
        {
            hashbrown::hash_table::Entry::Occupied(_) => true,
            hashbrown::hash_table::Entry::Vacant(entry) => {
                // A table of over four billion rows cannot be read (see `source::MAX_TEXT`).
                entry.insert(index as u32);
                false
            }
        }
    }
}

/// The writing thread's side of a load.
struct Load<'a, 'c> {
    db: &'a Tx<'c>,
    log: &'a ImportLog,
    table: &'a Table<'a>,
    summary: Summary,
    unreadable: Vec<RowError>,
    refused: Vec<RowError>,
    matched: Matched,
    /// The line of each row written, in the order written.
    written: Vec<u64>,
}

impl Load<'_, '_> {
    /// Writes a checked row, or notes why it cannot be. The rows after a wrong one are
    /// still written (the transaction will be rolled back) so that each is checked as the
    /// import of the rows that are right would check it, until [`MAX_FOUND`] are wrong.
    fn take(&mut self, line: u64, row: Checked) -> Result<(), ImportError> {
        let stopped = self.unreadable.len() + self.refused.len() > MAX_FOUND;
        let written = match row {
            Checked::Unreadable(mut errors) => {
                self.unreadable.append(&mut errors);
                return Ok(());
            }
            _ if stopped => return Ok(()),
            Checked::Refused { sale, refusal } => self.refused_row(&sale, refusal),
            Checked::Sale {
                checked,
                client,
                sale,
            } => self.write(checked, client, sale).map(|wrote| {
                if wrote {
                    self.written.push(line);
                }
            }),
        };
        match written {
            Ok(()) => Ok(()),
            Err(StoreError::Rule(rule)) => {
                self.refused.push(RowError {
                    line,
                    column: self.table.header_of(sale_column(&rule)),
                    problem: Problem::Rule(rule),
                });
                Ok(())
            }
            Err(other) => Err(ImportError::Store(other)),
        }
    }

    /// A refused row is skipped if it repeats a stored sale, else it is the refusal.
    fn refused_row(&mut self, sale: &NewSale, refusal: Refusal) -> Result<(), StoreError> {
        if repeats_stored(self.db, self.log, sale, &mut self.matched)? {
            self.summary.skipped += 1;
            return Ok(());
        }
        Err(match refusal {
            Refusal::Rule(refusal) => self.db.refusal_error(sale, refusal),
            Refusal::DocTwice(doc) => RuleError::DuplicateDoc { doc }.into(),
        })
    }

    /// Writes a checked row (true), or skips it as a repeat of a stored sale (false).
    fn write(
        &mut self,
        checked: CheckedSale,
        client: Option<String>,
        sale: Option<Box<NewSale>>,
    ) -> Result<bool, StoreError> {
        if let Some(sale) = sale {
            if repeats_stored(self.db, self.log, &sale, &mut self.matched)? {
                self.summary.skipped += 1;
                return Ok(false);
            }
            // A document stored before with other fields: taken.
            if let Some(doc) = &sale.doc
                && self.db.sale_id_by_doc(doc)?.is_some()
            {
                return Err(RuleError::DuplicateDoc { doc: doc.clone() }.into());
            }
        }
        self.summary.amount += checked.amount();
        self.db.queue_checked(checked, client.as_deref())?;
        self.summary.sales += 1;
        Ok(true)
    }
}
