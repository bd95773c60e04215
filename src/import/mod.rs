//! Import of partners, pins, sales and returns from CSV files and workbooks: the file is
//! read ([`source`]), its columns matched to fields ([`mapping`]), every row read and
//! checked, and either all of it is written in one transaction or nothing is. Rows equal to
//! what is already stored are skipped, so importing a file twice changes nothing, and the
//! newest import can be undone while it is the last change.

mod archive;
pub mod bank;
mod bulk;
mod errors;
pub mod mapping;
mod partners;
mod pins;
pub mod rejected;
pub mod requisites;
mod returns;
mod sales;
pub mod source;
mod table;
pub mod workbook;
mod xls;

pub use errors::{ImportError, MAX_FOUND, MAX_REPORTED, Problem, RowError};
use partners::*;
pub use pins::PinAction;
use pins::*;
use returns::*;
use sales::*;
pub use workbook::WorkbookLimit;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::names::{NameError, Named, Names, YES_NO, YesNo};
use crate::domain::{
    self, AmountError, Inn, InnError, LicenseKind, Money, PartnerId, RoleFacts, Status, TextError,
    TextField,
};
use crate::store::{ImportLog, NewSale, PinOutcome, RuleError, Store, StoreError};
use mapping::Mapping;
use source::{Sheet, Source};
use table::{Row, Table};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Partners,
    Pins,
    Sales,
    Returns,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Partners,
        ImportKind::Pins,
        ImportKind::Sales,
        ImportKind::Returns,
    ];

    pub fn parse(text: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == text)
    }

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Partners => "partners",
            ImportKind::Pins => "pins",
            ImportKind::Sales => "sales",
            ImportKind::Returns => "returns",
        }
    }
}

/// What an import added or changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub partners_added: usize,
    pub partners_updated: usize,
    pub status_changes: usize,
    pub pins_added: usize,
    pub pins_extended: usize,
    pub pins_released: usize,
    pub sales: usize,
    pub returns: usize,
    pub amount: Money,
    /// Rows equal to what was already stored, left as they were.
    pub skipped: usize,
    /// The recorded import, for its undo.
    pub import_id: Option<crate::domain::ImportId>,
    /// The text encoding a CSV file was read in, said after the counts.
    pub encoding: Option<source::TextEncoding>,
    /// Rows left out as wrong (only the right rows imported), the file they were written
    /// to beside the original, or the sentence saying why it could not be.
    pub rejected: usize,
    pub rejected_file: Option<std::path::PathBuf>,
    pub rejected_unwritten: Option<String>,
}

impl Summary {
    pub fn text(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        let mut add = |n: usize, ru: &str, en: &str| {
            if n > 0 {
                parts.push(format!("{} {n}", lang.pick(ru, en)));
            }
        };
        add(
            self.partners_added,
            "партнёров добавлено:",
            "partners added:",
        );
        add(
            self.partners_updated,
            "партнёров обновлено:",
            "partners updated:",
        );
        add(self.status_changes, "изменений статуса:", "status changes:");
        add(self.pins_added, "закреплений:", "pins:");
        add(self.pins_extended, "продлений:", "extensions:");
        add(self.pins_released, "снятий:", "releases:");
        add(self.sales, "продаж:", "sales:");
        add(self.returns, "возвратов:", "returns:");
        add(
            self.skipped,
            "пропущено как уже записанные:",
            "skipped as already recorded:",
        );
        let mut text = format!(
            "{} {}",
            lang.pick("Импортировано строк:", "Rows imported:"),
            self.rows
        );
        if !parts.is_empty() {
            text.push_str(" (");
            text.push_str(&parts.join(", "));
            text.push(')');
        }
        if self.sales + self.returns > 0 {
            let _ = write!(
                text,
                "; {} {}",
                lang.pick("сумма", "amount"),
                self.amount.display(lang)
            );
        }
        if let Some(encoding) = self.encoding {
            let _ = write!(
                text,
                "; {} {}",
                lang.pick("файл прочитан в кодировке", "the file was read as"),
                encoding.label()
            );
        }
        match (&self.rejected_file, &self.rejected_unwritten) {
            (Some(path), _) => {
                _ = write!(
                    text,
                    "; {} {}: {} {}",
                    lang.pick(
                        "неверные строки не импортированы,",
                        "wrong rows not imported,"
                    ),
                    self.rejected,
                    lang.pick(
                        "они записаны с причиной в файл",
                        "they are written with the reason to"
                    ),
                    path.display()
                )
            }
            (None, Some(why)) => {
                _ = write!(
                    text,
                    "; {} {}; {why}",
                    lang.pick(
                        "неверные строки не импортированы,",
                        "wrong rows not imported,"
                    ),
                    self.rejected,
                )
            }
            (None, None) => {}
        }
        text
    }
}

/// Imports a file (CSV or workbook) of the given kind, its columns matched by their
/// headers, all or nothing.
pub fn import_file(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
) -> Result<Summary, ImportError> {
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    import_named(store, kind, bytes, &name)
}

/// Imports the bytes of a file of the given kind, its columns matched by their headers.
pub fn import_bytes(
    store: &mut Store,
    kind: ImportKind,
    bytes: &[u8],
) -> Result<Summary, ImportError> {
    import_named(store, kind, bytes.to_vec(), "")
}

fn import_named(
    store: &mut Store,
    kind: ImportKind,
    bytes: Vec<u8>,
    file: &str,
) -> Result<Summary, ImportError> {
    if kind == ImportKind::Sales && bytes.len() >= bulk::BULK_BYTES {
        return bulk::load_sales_file(store, bytes, file);
    }
    let source = source::read_source_owned(bytes)?;
    let sheet = first_fitting_sheet(&source, kind);
    let mapping = Mapping::auto(kind, &sheet.headers);
    let summary = import_sheet(store, sheet, mapping, file, &|_, _| {})?;
    Ok(Summary {
        encoding: source.encoding(),
        ..summary
    })
}

/// The first sheet whose headers hold every required field of `kind`, else the first.
pub fn first_fitting_sheet(source: &Source, kind: ImportKind) -> &Sheet {
    source
        .sheets
        .iter()
        .find(|s| Mapping::auto(kind, &s.headers).missing().is_empty())
        .unwrap_or(&source.sheets[0])
}

/// Imports a sheet read through `mapping`, all or nothing, telling `progress` how many
/// rows are written of how many. A refusal lists every row that cannot be read and every
/// row the rules refuse, together ([`check_sheet`] finds the same).
pub fn import_sheet(
    store: &mut Store,
    sheet: &Sheet,
    mapping: Mapping,
    file: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<Summary, ImportError> {
    run_sheet(store, sheet, mapping, file, progress, Ending::Write)
}

/// Every row of the sheet the import would refuse, and why: the cells that cannot be read
/// and the rules (stop-list, shipment rule, issued periods, documents) broken, all found at
/// once. The import itself runs and its transaction is rolled back, so this is exactly what
/// [`import_sheet`] would refuse against the data as it is now; nothing is written.
pub fn check_sheet(
    store: &mut Store,
    sheet: &Sheet,
    mapping: Mapping,
    file: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<RowError>, ImportError> {
    match run_sheet(store, sheet, mapping, file, progress, Ending::Check) {
        Ok(_) => Ok(Vec::new()),
        Err(ImportError::Rows(rows)) => Ok(rows),
        Err(other) => Err(other),
    }
}

/// Imports the rows of the sheet that [`check_sheet`] finds nothing wrong with, in one
/// transaction; gives back what was imported and the rows left out, with why.
pub fn import_valid(
    store: &mut Store,
    sheet: &Sheet,
    mapping: Mapping,
    file: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<(Summary, Vec<RowError>), ImportError> {
    let refused = check_sheet(store, sheet, mapping.clone(), file, progress)?;
    let lines: std::collections::HashSet<u64> = refused.iter().map(|e| e.line).collect();
    let kept = sheet.without_lines(&lines);
    let summary = import_sheet(store, &kept, mapping, file, progress)?;
    Ok((summary, refused))
}

/// Whether a run of the import writes, or only finds what it would refuse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Write,
    /// Rolled back whatever it found.
    Check,
}

fn run_sheet(
    store: &mut Store,
    sheet: &Sheet,
    mapping: Mapping,
    file: &str,
    progress: &dyn Fn(usize, usize),
    ending: Ending,
) -> Result<Summary, ImportError> {
    let table = Table::new(sheet, mapping)?;
    if table.mapping().kind == ImportKind::Sales && table.rows.len() >= bulk::BULK_ROWS {
        return bulk::load_sales(store, &table, file, progress, ending);
    }
    let (lines, unreadable) = read_lines(&table);
    let run = Run {
        table: &table,
        file,
        progress,
        unreadable,
        ending,
    };
    match lines {
        Lines::Partners(rows) => apply_partners(store, &run, &rows),
        Lines::Pins(rows) => apply_pins(store, &run, &rows),
        Lines::Sales(rows) => apply_sales(store, &run, &rows),
        Lines::Returns(rows) => apply_returns(store, &run, &rows),
    }
}

/// The problems of the first `limit` rows' cells as they will be read, before anything is
/// written; the rules are not looked at ([`check_sheet`] checks them, on every row).
pub fn check_rows(
    sheet: &Sheet,
    mapping: Mapping,
    limit: usize,
) -> Result<Vec<RowError>, ImportError> {
    let table = Table::first(sheet, mapping, limit)?;
    Ok(read_lines(&table).1)
}

/// Every row of a file read and checked, before anything is written.
enum Lines {
    Partners(Vec<(u64, PartnerLine)>),
    Pins(Vec<(u64, PinLine)>),
    Sales(Vec<(u64, SaleLine)>),
    Returns(Vec<(u64, ReturnLine)>),
}

/// The rows of a table that can be read, and the problems of those that cannot.
fn read_lines(table: &Table<'_>) -> (Lines, Vec<RowError>) {
    fn with<T>(
        lines: impl FnOnce(Vec<(u64, T)>) -> Lines,
        (rows, errors): Read<T>,
    ) -> (Lines, Vec<RowError>) {
        (lines(rows), errors)
    }
    match table.mapping().kind {
        ImportKind::Partners => with(Lines::Partners, read_partners(table)),
        ImportKind::Pins => with(Lines::Pins, read_pins(table)),
        ImportKind::Sales => with(Lines::Sales, read_sales(table)),
        ImportKind::Returns => with(Lines::Returns, read_returns(table)),
    }
}

/// The rows read, by line, and the problems of the rows that could not be.
type Read<T> = (Vec<(u64, T)>, Vec<RowError>);

/// What every write of one import needs to know.
struct Run<'a> {
    table: &'a Table<'a>,
    file: &'a str,
    progress: &'a dyn Fn(usize, usize),
    /// The rows whose cells cannot be read: refused with those the rules refuse.
    unreadable: Vec<RowError>,
    ending: Ending,
}

/// Collects the problems of one row's cells.
struct Cells<'t> {
    table: &'t Table<'t>,
    row: &'t Row,
    errors: Vec<RowError>,
}

impl<'t> Cells<'t> {
    fn new(table: &'t Table<'t>, row: &'t Row) -> Cells<'t> {
        Cells {
            table,
            row,
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, column: &str, problem: Problem) {
        self.errors.push(RowError {
            line: self.row.line,
            column: self.table.header_of(column),
            problem,
        });
    }

    fn text(&self, column: &str) -> &'t str {
        self.table.cell(self.row, column)
    }

    /// The free text in `column`, checked as `field`'s (its length, no control character).
    fn free_text(&mut self, column: &str, field: TextField) -> &'t str {
        let text = self.text(column);
        if let Err(e) = field.check(text) {
            self.fail(column, Problem::Text(e));
        }
        text
    }

    fn required<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let text = self.text(column);
        if text.is_empty() {
            self.fail(column, Problem::Required);
            return None;
        }
        parse(text).map_err(|p| self.fail(column, p)).ok()
    }

    fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<Option<T>> {
        let text = self.text(column);
        if text.is_empty() {
            return Some(None);
        }
        parse(text).map(Some).map_err(|p| self.fail(column, p)).ok()
    }

    fn flag(&mut self, column: &str, default: bool) -> bool {
        self.optional(column, parse_bool)
            .flatten()
            .unwrap_or(default)
    }

    /// An INN; one a workbook kept as a number gets back the leading zero it lost.
    fn inn(&mut self, column: &str) -> Option<Inn> {
        let number = self.table.is_number(self.row, column);
        self.required(column, |t| {
            let lost_zero =
                number && matches!(t.len(), 9 | 11) && t.bytes().all(|b| b.is_ascii_digit());
            if lost_zero {
                Inn::parse(&format!("0{t}"))
            } else {
                Inn::parse(t)
            }
            .map_err(Problem::Inn)
        })
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.required(column, parse_date)
    }

    fn amount(&mut self, column: &str) -> Option<Money> {
        self.required(column, |t| Money::parse_amount(t).map_err(Problem::Amount))
    }
}

/// A date, also as 1C writes it with a time of day (`31.01.2025 0:00:00`).
pub fn parse_date(text: &str) -> Result<NaiveDate, Problem> {
    let (day, time) = text.split_once(' ').unwrap_or((text, ""));
    let time_ok = time.is_empty()
        || chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S").is_ok()
        || chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").is_ok();
    domain::parse_date(day)
        .filter(|_| time_ok)
        .ok_or_else(|| Problem::Date(text.to_owned()))
}

/// `yes/no`, `true/false`, `1/0`, `да/нет`, `Истина/Ложь`, in any case ([`YES_NO`]).
pub fn parse_bool(text: &str) -> Result<bool, Problem> {
    // The common words at once: an import reads three of these a row.
    match domain::trim(text) {
        "1" | "yes" | "да" | "Да" | "true" => return Ok(true),
        "0" | "no" | "нет" | "Нет" | "false" => return Ok(false),
        _ => {}
    }
    YES_NO
        .parse(text)
        .map(|YesNo(yes)| yes)
        .map_err(|_| Problem::Bool(text.to_owned()))
}

/// Reads every row with `read`: the rows read, and the problems of the others.
fn read_rows<T>(table: &Table<'_>, mut read: impl FnMut(&mut Cells<'_>) -> Option<T>) -> Read<T> {
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in table.rows.iter() {
        let mut cells = Cells::new(table, row);
        let value = read(&mut cells);
        match value {
            Some(value) if cells.errors.is_empty() => rows.push((row.line, value)),
            _ => errors.append(&mut cells.errors),
        }
    }
    (rows, errors)
}

/// What one row did to the database.
enum Done {
    Written,
    /// Equal to what was already stored: skipped.
    Skipped,
}

/// Applies the rows read in one transaction, recorded as one import; a rule refusal
/// becomes that row's error, told with the rows that could not be read, and any error
/// rolls the whole file back (as does the end of a check).
fn apply<T>(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, T)],
    column_of: impl Fn(&RuleError) -> &'static str,
    mut each: impl FnMut(
        &crate::store::Tx<'_>,
        &ImportLog,
        &T,
        &mut Summary,
    ) -> Result<Done, StoreError>,
) -> Result<Summary, ImportError> {
    let kind = run.table.mapping().kind;
    store.write(|db| {
        let log = db.begin_import(kind.code(), run.file)?;
        let mut summary = Summary {
            rows: rows.len(),
            import_id: Some(log.id),
            ..Summary::default()
        };
        let mut errors = run.unreadable.clone();
        for (index, (line, row)) in rows.iter().enumerate() {
            if index % 1000 == 0 {
                (run.progress)(index, rows.len());
            }
            match each(db, &log, row, &mut summary) {
                Ok(Done::Written) => {}
                Ok(Done::Skipped) => summary.skipped += 1,
                Err(StoreError::Rule(rule)) => errors.push(RowError {
                    line: *line,
                    column: run.table.header_of(column_of(&rule)),
                    problem: Problem::Rule(rule),
                }),
                Err(other) => return Err(ImportError::Store(other)),
            }
            if errors.len() > MAX_FOUND {
                break;
            }
        }
        (run.progress)(rows.len(), rows.len());
        if !errors.is_empty() || run.ending == Ending::Check {
            // Pins are applied in date order: the refusals are told in the file's.
            errors.sort_by_key(|e| e.line);
            return Err(ImportError::Rows(errors));
        }
        finish(db, run.table, &log, &summary)?;
        Ok(summary)
    })
}

/// Ends an import that wrote its rows: its summary recorded, its column mapping
/// remembered for the next file laid out the same way.
fn finish(
    db: &crate::store::Tx<'_>,
    table: &Table<'_>,
    log: &ImportLog,
    summary: &Summary,
) -> Result<(), StoreError> {
    db.end_import(log, &summary.text(Lang::En))?;
    let layout = mapping::layout_key(table.headers());
    let columns =
        serde_json::to_string(&table.mapping().columns).map_err(|_| StoreError::Fault {
            what: "an import's column mapping written as JSON",
        })?;
    db.remember_layout(&layout, table.mapping().kind.code(), &columns)
}

fn partner_of(db: &crate::store::Db<'_>, inn: &Inn) -> Result<PartnerId, StoreError> {
    db.partner_by_inn(inn)?.ok_or_else(|| {
        RuleError::UnknownPartner {
            inn: inn.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_read_in_english_russian_and_digits_in_any_case() {
        for yes in ["yes", "YES", "true", "True", "1", "да", "Да", "ДА"] {
            assert_eq!(parse_bool(yes), Ok(true), "{yes}");
        }
        for no in ["no", "No", "false", "0", "нет", "НЕТ"] {
            assert_eq!(parse_bool(no), Ok(false), "{no}");
        }
        assert!(parse_bool("y").is_err());
        assert!(parse_bool("2").is_err());
    }
}
