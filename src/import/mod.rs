//! Import of partners, pins, sales and returns from CSV files and workbooks: the file is
//! read ([`source`]), its columns matched to fields ([`mapping`]), every row read and
//! checked, and either all of it is written in one transaction or nothing is. Rows equal to
//! what is already stored are skipped, so importing a file twice changes nothing, and the
//! newest import can be undone while it is the last change.

mod bulk;
pub mod mapping;
pub mod source;
mod table;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::names::{NameError, Named, Names, YES_NO, YesNo};
use crate::domain::{
    self, AmountError, Inn, InnError, LicenseKind, Money, PartnerId, RoleFacts, Status,
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

/// What is wrong with one cell or row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    Inn(InnError),
    Amount(AmountError),
    Date(String),
    Bool(String),
    Status(String, NameError<Status>),
    Kind(String, NameError<LicenseKind>),
    Action(String, NameError<PinAction>),
    StatusWithoutSince,
    FieldCount { found: usize, expected: usize },
    Rule(RuleError),
}

impl Localized for Problem {
    fn text(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        match self {
            Problem::Required => lang
                .pick("значение обязательно", "a value is required")
                .into(),
            Problem::Inn(e) => e.text(lang),
            Problem::Amount(e) => e.text(lang),
            Problem::Date(v) if ru => {
                format!("«{v}» — не дата; нужна существующая дата вида 2025-01-31 или 31.01.2025")
            }
            Problem::Date(v) => {
                format!("{v:?} is not a date; write an existing date as 2025-01-31 or 31.01.2025")
            }
            Problem::Bool(v) if ru => {
                format!("«{v}» — не да/нет; пишите да/нет, yes/no, true/false, 1/0 или Истина/Ложь")
            }
            Problem::Bool(v) => {
                format!("{v:?} is not yes/no; write yes/no, да/нет, true/false, 1/0 or Истина/Ложь")
            }
            Problem::Status(v, e) => e.text(v, ("статус", "status"), lang),
            Problem::Kind(v, e) => e.text(v, ("вид лицензии", "license kind"), lang),
            Problem::Action(v, e) => e.text(v, ("действие", "action"), lang),
            Problem::StatusWithoutSince => lang
                .pick(
                    "для статуса нужна дата status_since",
                    "a status needs its status_since date",
                )
                .into(),
            Problem::FieldCount { found, expected } if ru => {
                format!("в строке {found} полей, а в заголовке {expected}")
            }
            Problem::FieldCount { found, expected } => {
                format!("the row has {found} fields; the header has {expected}")
            }
            Problem::Rule(e) => e.text(lang),
        }
    }
}

/// One wrong row: `FILE:LINE: column: what is wrong`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub problem: Problem,
}

/// Why a file was not imported. Nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is neither a workbook (.xlsx, .xls, .ods) nor CSV text; save it as CSV or as an Excel workbook"
    )]
    NotText,
    #[error(
        "the file holds more than 2 GB of text; split it into several files and import them one after another"
    )]
    TooLarge,
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("line {line}: the file is not valid CSV: {message}")]
    Malformed { line: u64, message: String },
    #[error("the column {name:?} appears twice in the header")]
    DuplicateColumn { name: String },
    #[error(
        "no column could be matched to: {}; the file's columns are: {}. Rename them as in the README or map them in the import window",
        names.join(", "), found.join(", ")
    )]
    MissingColumns {
        kind: ImportKind,
        names: Vec<String>,
        found: Vec<String>,
    },
    #[error("{} rows are wrong", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Localized for ImportError {
    fn text(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ImportError::Io(e) => format!("не удаётся прочитать файл: {e}"),
            ImportError::Empty => "файл пуст".into(),
                        ImportError::NotText => "файл не является ни книгой Excel (.xlsx, .xls, .ods), ни текстом CSV; сохраните его как CSV или книгу Excel".into(),
            ImportError::TooLarge => "в файле больше 2 ГБ текста; разделите его на несколько файлов и загрузите их по очереди".into(),
            ImportError::Workbook(e) => format!("книгу не удаётся прочитать: {e}"),
            ImportError::Malformed { line, message } => {
                format!("строка {line}: файл не является корректным CSV: {message}")
            }
            ImportError::DuplicateColumn { name } => {
                format!("столбец «{name}» встречается в заголовке дважды")
            }
                                    ImportError::MissingColumns { kind, names, found } => format!(
                "не удалось сопоставить столбцы: {}; в файле есть: {}. Переименуйте столбцы как в README или сопоставьте их в окне импорта",
                names
                    .iter()
                    .map(|n| match mapping::fields(*kind).iter().find(|f| f.code == n) {
                        Some(f) => format!("«{}» ({n})", f.label(Lang::Ru)),
                        None => n.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                found.join(", ")
            ),
            ImportError::Rows(rows) => format!("ошибок в строках: {}", rows.len()),
            ImportError::Store(e) => e.text(lang),
        }
    }
}

/// How many row errors are reported at most.
pub const MAX_REPORTED: usize = 100;

impl ImportError {
    /// The full report: for row errors, one `FILE:LINE: column: problem` line each (up to
    /// 100); otherwise `FILE: problem`.
    pub fn report(&self, file: &str, lang: Lang) -> String {
        match self {
            ImportError::Rows(rows) => {
                let mut out = String::new();
                for e in rows.iter().take(MAX_REPORTED) {
                    let column = if e.column.is_empty() {
                        String::new()
                    } else {
                        format!(" {}:", e.column)
                    };
                    let _ = writeln!(out, "{file}:{}:{column} {}", e.line, e.problem.text(lang));
                }
                if rows.len() > MAX_REPORTED {
                    let _ = writeln!(
                        out,
                        "{}",
                        match lang {
                            Lang::Ru => format!("… и ещё ошибок: {}", rows.len() - MAX_REPORTED),
                            Lang::En => format!("… and {} more errors", rows.len() - MAX_REPORTED),
                        }
                    );
                }
                let _ = write!(
                    out,
                    "{}",
                    lang.pick(
                        "Ничего не записано: исправьте строки и повторите импорт.",
                        "Nothing was written: fix the rows and import again."
                    )
                );
                out
            }
            other => format!("{file}: {}", other.text(lang)),
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
    pub import_id: Option<i64>,
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
    import_sheet(store, sheet, mapping, file, &|_, _| {})
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
/// rows are written of how many.
pub fn import_sheet(
    store: &mut Store,
    sheet: &Sheet,
    mapping: Mapping,
    file: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<Summary, ImportError> {
    let table = Table::new(sheet, mapping)?;
    if table.mapping().kind == ImportKind::Sales && table.rows.len() >= bulk::BULK_ROWS {
        return bulk::load_sales(store, &table, file, progress);
    }
    let lines = read_lines(&table)?;
    let run = Run {
        table: &table,
        file,
        progress,
    };
    match lines {
        Lines::Partners(rows) => apply_partners(store, &run, &rows),
        Lines::Pins(rows) => apply_pins(store, &run, &rows),
        Lines::Sales(rows) => apply_sales(store, &run, &rows),
        Lines::Returns(rows) => apply_returns(store, &run, &rows),
    }
}

/// The problems of the first `limit` rows as they will be read, before anything is
/// written: what a preview marks. The rows after them are not looked at; the import
/// reads every row before it writes any.
pub fn check_rows(
    sheet: &Sheet,
    mapping: Mapping,
    limit: usize,
) -> Result<Vec<RowError>, ImportError> {
    let table = Table::first(sheet, mapping, limit)?;
    match read_lines(&table) {
        Ok(_) => Ok(Vec::new()),
        Err(ImportError::Rows(errors)) => Ok(errors),
        Err(other) => Err(other),
    }
}

/// Every row of a file read and checked, before anything is written.
enum Lines {
    Partners(Vec<(u64, PartnerLine)>),
    Pins(Vec<(u64, PinLine)>),
    Sales(Vec<(u64, SaleLine)>),
    Returns(Vec<(u64, ReturnLine)>),
}

fn read_lines(table: &Table<'_>) -> Result<Lines, ImportError> {
    Ok(match table.mapping().kind {
        ImportKind::Partners => Lines::Partners(read_partners(table)?),
        ImportKind::Pins => Lines::Pins(read_pins(table)?),
        ImportKind::Sales => Lines::Sales(read_sales(table)?),
        ImportKind::Returns => Lines::Returns(read_returns(table)?),
    })
}

/// What every write of one import needs to know.
struct Run<'a> {
    table: &'a Table<'a>,
    file: &'a str,
    progress: &'a dyn Fn(usize, usize),
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

/// Reads every row with `read`; fails with all the problems found if any.
fn read_rows<T>(
    table: &Table<'_>,
    mut read: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Result<Vec<(u64, T)>, ImportError> {
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
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// What one row did to the database.
enum Done {
    Written,
    /// Equal to what was already stored: skipped.
    Skipped,
}

/// Applies checked rows in one transaction, recorded as one import; a rule refusal
/// becomes that row's error, and any error rolls the whole file back.
fn apply<T>(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, T)],
    column_of: impl Fn(&RuleError) -> &'static str,
    mut each: impl FnMut(
        &crate::store::Db<'_>,
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
        let mut errors = Vec::new();
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
            if errors.len() > MAX_REPORTED {
                break;
            }
        }
        (run.progress)(rows.len(), rows.len());
        if !errors.is_empty() {
            return Err(ImportError::Rows(errors));
        }
        finish(db, run.table, &log, &summary)?;
        Ok(summary)
    })
}

/// Ends an import that wrote its rows: its summary recorded, its column mapping
/// remembered for the next file laid out the same way.
fn finish(
    db: &crate::store::Db<'_>,
    table: &Table<'_>,
    log: &ImportLog,
    summary: &Summary,
) -> Result<(), StoreError> {
    db.end_import(log, &summary.text(Lang::En))?;
    let layout = mapping::layout_key(table.headers());
    let columns = serde_json::to_string(&table.mapping().columns)
        .map_err(|e| StoreError::BadValue(e.to_string()))?;
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

struct PartnerLine {
    inn: Inn,
    name: String,
    status: Option<(Status, NaiveDate)>,
    one_c_partner: Option<bool>,
}

fn read_partners(table: &Table<'_>) -> Result<Vec<(u64, PartnerLine)>, ImportError> {
    let has_flag = table.has("one_c_partner");
    read_rows(table, |c| {
        let inn = c.inn("inn");
        let name = c.required("name", |t| Ok(t.to_owned()));
        let status = c.optional("status", |t| {
            Status::read(t).map_err(|e| Problem::Status(t.to_owned(), e))
        });
        let since = c.optional("status_since", parse_date);
        let one_c_partner = has_flag.then(|| c.flag("one_c_partner", false));
        let status = match (status?, since?) {
            (Some(status), Some(since)) => Some((status, since)),
            (Some(_), None) => {
                c.fail("status_since", Problem::StatusWithoutSince);
                None
            }
            (None, _) => None,
        };
        Some(PartnerLine {
            inn: inn?,
            name: name?,
            status,
            one_c_partner,
        })
    })
}

fn apply_partners(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, PartnerLine)],
) -> Result<Summary, ImportError> {
    apply(
        store,
        run,
        rows,
        |_| "inn",
        |db, _, p, summary| {
            let mut done = Done::Skipped;
            let id = match db.partner_by_inn(&p.inn)? {
                Some(id) => {
                    let current = db.partner_facts(id)?;
                    let one_c = p.one_c_partner.unwrap_or(current.one_c_partner);
                    if current.name != p.name || current.one_c_partner != one_c {
                        db.update_partner(id, &p.name, one_c)?;
                        summary.partners_updated += 1;
                        done = Done::Written;
                    }
                    id
                }
                None => {
                    summary.partners_added += 1;
                    done = Done::Written;
                    db.add_partner(&p.inn, &p.name, p.one_c_partner.unwrap_or(false))?
                }
            };
            if let Some((status, since)) = p.status {
                let history = db.partner_facts(id)?.history;
                if !history.contains(since, Some(status)) {
                    db.add_status_change(id, since, Some(status), "")?;
                    summary.status_changes += 1;
                    done = Done::Written;
                }
            }
            Ok(done)
        },
    )
}

/// What a row of a pins file does to the stop-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinAction {
    Pin,
    Extend,
    Release,
}

impl Named for PinAction {
    fn every() -> &'static [PinAction] {
        &[PinAction::Pin, PinAction::Extend, PinAction::Release]
    }

    fn shown(self, lang: Lang) -> &'static str {
        match self {
            PinAction::Pin => lang.pick("закрепление", "pin"),
            PinAction::Extend => lang.pick("продление", "extend"),
            PinAction::Release => lang.pick("снятие", "release"),
        }
    }
}

/// The actions of a pins file, as codes and in Russian as a noun, a verb or done.
static PIN_ACTIONS: Names<PinAction> = Names::new(|| {
    let forms: [(PinAction, &[&'static str]); 3] = [
        (
            PinAction::Pin,
            &[
                "pin",
                "закрепление",
                "закрепить",
                "закреплен",
                "закреплено",
                "закрепили",
            ],
        ),
        (
            PinAction::Extend,
            &[
                "extend",
                "продление",
                "продлить",
                "продлен",
                "продлено",
                "продлили",
            ],
        ),
        (
            PinAction::Release,
            &[
                "release",
                "снятие",
                "снять",
                "снят",
                "снято",
                "сняли",
                "освободить",
                "открепить",
            ],
        ),
    ];
    forms
        .into_iter()
        .flat_map(|(action, names)| names.iter().map(move |name| (*name, vec![action])))
        .collect()
});

impl PinAction {
    /// The stop-list events that a row with this action, once applied, leaves.
    fn events(self) -> &'static [&'static str] {
        match self {
            PinAction::Pin => &["pinned", "extended"],
            PinAction::Extend => &["extended"],
            PinAction::Release => &["released"],
        }
    }
}

struct PinLine {
    date: NaiveDate,
    client: Inn,
    partner: Inn,
    action: PinAction,
    client_name: String,
    agreed_by: String,
    note: String,
}

fn read_pins(table: &Table<'_>) -> Result<Vec<(u64, PinLine)>, ImportError> {
    let mut rows = read_rows(table, |c| {
        let date = c.date("date");
        let client = c.inn("client_inn");
        let partner = c.inn("partner_inn");
        let action = c.optional("action", |t| {
            PIN_ACTIONS
                .parse(t)
                .map_err(|e| Problem::Action(t.to_owned(), e))
        });
        Some(PinLine {
            date: date?,
            client: client?,
            partner: partner?,
            action: action?.unwrap_or(PinAction::Pin),
            client_name: c.text("client_name").to_owned(),
            agreed_by: c.text("agreed_by").to_owned(),
            note: c.text("note").to_owned(),
        })
    })?;
    // Date order, file order within a day (the sort is stable).
    rows.sort_by_key(|(_, p)| p.date);
    Ok(rows)
}

fn apply_pins(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, PinLine)],
) -> Result<Summary, ImportError> {
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        RuleError::PinNotInForce { .. } | RuleError::NoPinInForce { .. } => "date",
        _ => "client_inn",
    };
    apply(store, run, rows, column_of, |db, log, p, summary| {
        let partner = partner_of(db, &p.partner)?;
        if db.pin_event_before(log, &p.client, partner, p.date, p.action.events())? {
            return Ok(Done::Skipped);
        }
        if p.action == PinAction::Pin {
            return match db.request_pin(&p.client, &p.client_name, partner, p.date, &p.note)? {
                PinOutcome::Pinned { .. } => {
                    summary.pins_added += 1;
                    Ok(Done::Written)
                }
                PinOutcome::Extended { .. } => {
                    summary.pins_extended += 1;
                    Ok(Done::Written)
                }
                PinOutcome::Refused {
                    holder_label,
                    last_day,
                    ..
                } => Err(RuleError::PinConflict {
                    client: p.client,
                    holder: holder_label,
                    last_day,
                }
                .into()),
            };
        }
        db.upsert_client(&p.client, &p.client_name)?;
        let pin = db
            .pin_in_force(&p.client, partner, p.date)?
            .ok_or_else(|| RuleError::NoPinInForce {
                client: p.client,
                partner: db.partner_label(partner).unwrap_or_default(),
                date: p.date,
            })?;
        if p.action == PinAction::Extend {
            db.extend_pin(pin.id, p.date, &p.agreed_by, &p.note)?;
            summary.pins_extended += 1;
        } else {
            db.release_pin(pin.id, p.date, &p.note)?;
            summary.pins_released += 1;
        }
        Ok(Done::Written)
    })
}

struct SaleLine {
    sale: NewSale,
    partner_inn: Inn,
}

fn read_sales(table: &Table<'_>) -> Result<Vec<(u64, SaleLine)>, ImportError> {
    read_rows(table, read_sale)
}

fn read_sale(c: &mut Cells<'_>) -> Option<SaleLine> {
    {
        let date = c.date("date");
        let partner_inn = c.inn("partner_inn");
        let client_inn = c.inn("client_inn");
        let kind = c.required("kind", |t| {
            LicenseKind::read(t).map_err(|e| Problem::Kind(t.to_owned(), e))
        });
        let amount = c.amount("amount");
        let role = RoleFacts {
            self_referred: c.flag("self_referred", false),
            connected_by_partner: c.flag("connected_by_partner", true),
            used_in_work: c.flag("used_in_work", true),
        };
        let doc = c.text("doc");
        Some(SaleLine {
            sale: NewSale {
                doc: (!doc.is_empty()).then(|| doc.to_owned()),
                date: date?,
                partner: PartnerId(0),
                client_inn: client_inn?,
                client_name: c.text("client_name").to_owned(),
                kind: kind?,
                amount: amount?,
                role,
            },
            partner_inn: partner_inn?,
        })
    }
}

/// A stored sale that a row repeats: same fields, stored before this import.
fn repeats(stored: &crate::store::SaleRow, log: &ImportLog, sale: &NewSale) -> bool {
    let e = &stored.entry;
    e.id <= log.stored_before("sales")
        && e.return_of.is_none()
        && stored.partner == sale.partner
        && e.date == sale.date
        && e.client_inn == sale.client_inn
        && e.kind == sale.kind
        && e.amount == sale.amount
        && e.role == sale.role
}

/// The column a refusal of a sale row is told under.
fn sale_column(rule: &RuleError) -> &'static str {
    match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        RuleError::DuplicateDoc { .. } => "doc",
        _ => "client_inn",
    }
}

/// Rows without a document already matched to stored sales, by what they are.
type Matched = HashMap<(NaiveDate, PartnerId, Inn, LicenseKind, Money), usize>;

/// Whether the sale repeats one stored before this import: such a row is skipped.
fn repeats_stored(
    db: &crate::store::Db<'_>,
    log: &ImportLog,
    sale: &NewSale,
    matched: &mut Matched,
) -> Result<bool, StoreError> {
    // With no sale stored before the import there is nothing a row could repeat.
    if log.stored_before("sales") == 0 {
        return Ok(false);
    }
    match &sale.doc {
        // Most documents are new: a cheap look first, the whole sale only if found.
        Some(doc) => Ok(db.sale_id_by_doc(doc)?.is_some()
            && db.sale_by_doc(doc)?.is_some_and(|s| repeats(&s, log, sale))),
        None => {
            let key = (
                sale.date,
                sale.partner,
                sale.client_inn,
                sale.kind,
                sale.amount,
            );
            let seen = matched.entry(key).or_default();
            let stored = db.same_sales_before(
                log,
                sale.date,
                sale.partner,
                &sale.client_inn,
                sale.kind,
                sale.amount,
            )?;
            if stored > *seen {
                *seen += 1;
                return Ok(true);
            }
            Ok(false)
        }
    }
}

fn apply_sales(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, SaleLine)],
) -> Result<Summary, ImportError> {
    let mut matched = Matched::new();
    let mut partners: HashMap<Inn, PartnerId> = HashMap::new();
    apply(store, run, rows, sale_column, |db, log, line, summary| {
        let partner = match partners.get(&line.partner_inn) {
            Some(id) => *id,
            None => {
                let id = partner_of(db, &line.partner_inn)?;
                partners.insert(line.partner_inn, id);
                id
            }
        };
        let sale = NewSale {
            partner,
            ..line.sale.clone()
        };
        if repeats_stored(db, log, &sale, &mut matched)? {
            return Ok(Done::Skipped);
        }
        db.record_sale(&sale)?;
        summary.sales += 1;
        summary.amount += sale.amount;
        Ok(Done::Written)
    })
}

struct ReturnLine {
    date: NaiveDate,
    sale_doc: String,
    amount: Money,
    doc: Option<String>,
}

fn read_returns(table: &Table<'_>) -> Result<Vec<(u64, ReturnLine)>, ImportError> {
    read_rows(table, |c| {
        let date = c.date("date");
        let sale_doc = c.required("sale_doc", |t| Ok(t.to_owned()));
        let amount = c.amount("amount");
        let doc = c.text("doc");
        Some(ReturnLine {
            date: date?,
            sale_doc: sale_doc?,
            amount: amount?,
            doc: (!doc.is_empty()).then(|| doc.to_owned()),
        })
    })
}

fn apply_returns(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, ReturnLine)],
) -> Result<Summary, ImportError> {
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownSale { .. } | RuleError::ReturnOfReturn => "sale_doc",
        RuleError::ReturnTooLarge { .. } => "amount",
        RuleError::DuplicateDoc { .. } => "doc",
        _ => "date",
    };
    let mut matched: HashMap<(i64, NaiveDate, Money), usize> = HashMap::new();
    apply(store, run, rows, column_of, |db, log, r, summary| {
        let sale = db
            .sale_by_doc(&r.sale_doc)?
            .ok_or_else(|| RuleError::UnknownSale {
                doc: r.sale_doc.clone(),
            })?;
        match &r.doc {
            Some(doc) => {
                let repeated = db.sale_by_doc(doc)?.is_some_and(|stored| {
                    let e = &stored.entry;
                    e.id <= log.stored_before("sales")
                        && e.return_of.as_ref().is_some_and(|o| o.sale_id == sale.id.0)
                        && e.date == r.date
                        && e.amount == r.amount
                });
                if repeated {
                    return Ok(Done::Skipped);
                }
            }
            None => {
                let seen = matched.entry((sale.id.0, r.date, r.amount)).or_default();
                if db.same_returns_before(log, sale.id.0, r.date, r.amount)? > *seen {
                    *seen += 1;
                    return Ok(Done::Skipped);
                }
            }
        }
        db.record_return(sale.id, r.date, r.amount, r.doc.as_deref())?;
        summary.returns += 1;
        summary.amount += r.amount;
        Ok(Done::Written)
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
