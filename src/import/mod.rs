//! Import of partners, pins, sales and returns from CSV files: every row is read and
//! checked, and either all of a file is written in one transaction or nothing is.

mod table;

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::{
    self, AmountError, Inn, InnError, LicenseKind, Money, PartnerId, RoleFacts, Status,
};
use crate::store::{NewSale, PinOutcome, RuleError, Store, StoreError};
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
    Status(String),
    Kind(String),
    Action(String),
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
                format!("«{v}» — не да/нет; пишите да/нет, yes/no, true/false или 1/0")
            }
            Problem::Bool(v) => {
                format!("{v:?} is not yes/no; write yes/no, да/нет, true/false or 1/0")
            }
            Problem::Status(v) if ru => {
                format!("неизвестный статус «{v}»; допустимы агент, дилер, интегратор")
            }
            Problem::Status(v) => format!("unknown status {v:?}; use agent, dealer or integrator"),
            Problem::Kind(v) if ru => format!(
                "неизвестный вид лицензии «{v}»; допустимы its, saas, onprem_server, onprem_user, dev_services, video_calls"
            ),
            Problem::Kind(v) => format!(
                "unknown license kind {v:?}; use its, saas, onprem_server, onprem_user, dev_services or video_calls"
            ),
            Problem::Action(v) if ru => {
                format!("неизвестное действие «{v}»; допустимы pin, extend, release")
            }
            Problem::Action(v) => format!("unknown action {v:?}; use pin, extend or release"),
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
    #[error("the file is not UTF-8 text (byte {offset}); save it as CSV UTF-8")]
    NotUtf8 { offset: usize },
    #[error("line {line}: the file is not valid CSV: {message}")]
    Malformed { line: u64, message: String },
    #[error("the column {name:?} appears twice in the header")]
    DuplicateColumn { name: String },
    #[error("the header lacks the columns: {}", names.join(", "))]
    MissingColumns { names: Vec<String> },
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
            ImportError::NotUtf8 { offset } => {
                format!("файл не в кодировке UTF-8 (байт {offset}); сохраните его как «CSV UTF-8»")
            }
            ImportError::Malformed { line, message } => {
                format!("строка {line}: файл не является корректным CSV: {message}")
            }
            ImportError::DuplicateColumn { name } => {
                format!("столбец «{name}» встречается в заголовке дважды")
            }
            ImportError::MissingColumns { names } => {
                format!("в заголовке нет столбцов: {}", names.join(", "))
            }
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

/// Imports a file of the given kind into the store, all or nothing.
pub fn import_file(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
) -> Result<Summary, ImportError> {
    let bytes = std::fs::read(path)?;
    import_bytes(store, kind, &bytes)
}

/// Imports CSV bytes of the given kind into the store, all or nothing.
pub fn import_bytes(
    store: &mut Store,
    kind: ImportKind,
    bytes: &[u8],
) -> Result<Summary, ImportError> {
    let table = Table::parse(bytes)?;
    match kind {
        ImportKind::Partners => import_partners(store, &table),
        ImportKind::Pins => import_pins(store, &table),
        ImportKind::Sales => import_sales(store, &table),
        ImportKind::Returns => import_returns(store, &table),
    }
}

/// Collects the problems of one row's cells.
struct Cells<'t> {
    table: &'t Table,
    row: &'t Row,
    errors: Vec<RowError>,
}

impl<'t> Cells<'t> {
    fn new(table: &'t Table, row: &'t Row) -> Cells<'t> {
        Cells {
            table,
            row,
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, column: &str, problem: Problem) {
        self.errors.push(RowError {
            line: self.row.line,
            column: column.to_owned(),
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

    fn inn(&mut self, column: &str) -> Option<Inn> {
        self.required(column, |t| Inn::parse(t).map_err(Problem::Inn))
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.required(column, parse_date)
    }

    fn amount(&mut self, column: &str) -> Option<Money> {
        self.required(column, |t| Money::parse_amount(t).map_err(Problem::Amount))
    }
}

fn parse_date(text: &str) -> Result<NaiveDate, Problem> {
    domain::parse_date(text).ok_or_else(|| Problem::Date(text.to_owned()))
}

/// `yes/no`, `true/false`, `1/0`, `да/нет`, in any case.
pub fn parse_bool(text: &str) -> Result<bool, Problem> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "true" | "1" | "да" => Ok(true),
        "no" | "false" | "0" | "нет" => Ok(false),
        _ => Err(Problem::Bool(text.to_owned())),
    }
}

/// Reads every row with `read`; fails with all the problems found if any.
fn read_rows<T>(
    table: &Table,
    mut read: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Result<Vec<(u64, T)>, ImportError> {
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
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

/// Applies checked rows in one transaction; a rule refusal becomes that row's error, and
/// any error rolls the whole file back.
fn apply<T>(
    store: &mut Store,
    rows: &[(u64, T)],
    column_of: impl Fn(&RuleError) -> &'static str,
    mut each: impl FnMut(&crate::store::Db<'_>, &T, &mut Summary) -> Result<(), StoreError>,
) -> Result<Summary, ImportError> {
    store.write(|db| {
        let mut summary = Summary {
            rows: rows.len(),
            ..Summary::default()
        };
        let mut errors = Vec::new();
        for (line, row) in rows {
            match each(db, row, &mut summary) {
                Ok(()) => {}
                Err(StoreError::Rule(rule)) => errors.push(RowError {
                    line: *line,
                    column: column_of(&rule).to_owned(),
                    problem: Problem::Rule(rule),
                }),
                Err(other) => return Err(ImportError::Store(other)),
            }
            if errors.len() > MAX_REPORTED {
                break;
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(ImportError::Rows(errors))
        }
    })
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

fn import_partners(store: &mut Store, table: &Table) -> Result<Summary, ImportError> {
    table.require(&["inn", "name"])?;
    let has_flag = table.has("one_c_partner");
    let rows = read_rows(table, |c| {
        let inn = c.inn("inn");
        let name = c.required("name", |t| Ok(t.to_owned()));
        let status = c.optional("status", |t| {
            Status::parse(t).ok_or_else(|| Problem::Status(t.to_owned()))
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
    })?;
    apply(
        store,
        &rows,
        |_| "inn",
        |db, p, summary| {
            let id = match db.partner_by_inn(&p.inn)? {
                Some(id) => {
                    let current = db.partner_facts(id)?;
                    let one_c = p.one_c_partner.unwrap_or(current.one_c_partner);
                    if current.name != p.name || current.one_c_partner != one_c {
                        db.update_partner(id, &p.name, one_c)?;
                        summary.partners_updated += 1;
                    }
                    id
                }
                None => {
                    summary.partners_added += 1;
                    db.add_partner(&p.inn, &p.name, p.one_c_partner.unwrap_or(false))?
                }
            };
            if let Some((status, since)) = p.status {
                let history = db.partner_facts(id)?.history;
                if !history.contains(since, Some(status)) {
                    db.add_status_change(id, since, Some(status), "")?;
                    summary.status_changes += 1;
                }
            }
            Ok(())
        },
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PinAction {
    Pin,
    Extend,
    Release,
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

fn import_pins(store: &mut Store, table: &Table) -> Result<Summary, ImportError> {
    table.require(&["date", "client_inn", "partner_inn"])?;
    let mut rows = read_rows(table, |c| {
        let date = c.date("date");
        let client = c.inn("client_inn");
        let partner = c.inn("partner_inn");
        let action = c.optional("action", |t| match t.to_lowercase().as_str() {
            "pin" => Ok(PinAction::Pin),
            "extend" => Ok(PinAction::Extend),
            "release" => Ok(PinAction::Release),
            _ => Err(Problem::Action(t.to_owned())),
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
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        RuleError::PinNotInForce { .. } | RuleError::NoPinInForce { .. } => "date",
        _ => "client_inn",
    };
    apply(store, &rows, column_of, |db, p, summary| {
        let partner = partner_of(db, &p.partner)?;
        if p.action == PinAction::Pin {
            return match db.request_pin(&p.client, &p.client_name, partner, p.date, &p.note)? {
                PinOutcome::Pinned { .. } => {
                    summary.pins_added += 1;
                    Ok(())
                }
                PinOutcome::Extended { .. } => {
                    summary.pins_extended += 1;
                    Ok(())
                }
                PinOutcome::Refused {
                    holder_label,
                    last_day,
                    ..
                } => Err(RuleError::PinConflict {
                    client: p.client.clone(),
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
                client: p.client.clone(),
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
        Ok(())
    })
}

struct SaleLine {
    sale: NewSale,
    partner_inn: Inn,
}

fn import_sales(store: &mut Store, table: &Table) -> Result<Summary, ImportError> {
    table.require(&["date", "partner_inn", "client_inn", "kind", "amount"])?;
    let rows = read_rows(table, |c| {
        let date = c.date("date");
        let partner_inn = c.inn("partner_inn");
        let client_inn = c.inn("client_inn");
        let kind = c.required("kind", |t| {
            LicenseKind::parse(t).ok_or_else(|| Problem::Kind(t.to_owned()))
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
    })?;
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        RuleError::DuplicateDoc { .. } => "doc",
        _ => "client_inn",
    };
    apply(store, &rows, column_of, |db, line, summary| {
        let partner = partner_of(db, &line.partner_inn)?;
        db.record_sale(&NewSale {
            partner,
            ..line.sale.clone()
        })?;
        summary.sales += 1;
        summary.amount += line.sale.amount;
        Ok(())
    })
}

struct ReturnLine {
    date: NaiveDate,
    sale_doc: String,
    amount: Money,
    doc: Option<String>,
}

fn import_returns(store: &mut Store, table: &Table) -> Result<Summary, ImportError> {
    table.require(&["date", "sale_doc", "amount"])?;
    let rows = read_rows(table, |c| {
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
    })?;
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownSale { .. } | RuleError::ReturnOfReturn => "sale_doc",
        RuleError::ReturnTooLarge { .. } => "amount",
        RuleError::DuplicateDoc { .. } => "doc",
        _ => "date",
    };
    apply(store, &rows, column_of, |db, r, summary| {
        let sale = db
            .sale_by_doc(&r.sale_doc)?
            .ok_or_else(|| RuleError::UnknownSale {
                doc: r.sale_doc.clone(),
            })?;
        db.record_return(sale.id, r.date, r.amount, r.doc.as_deref())?;
        summary.returns += 1;
        summary.amount += r.amount;
        Ok(())
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
