//! What can be wrong with an import: a cell, a row, or the file, each said in Russian
//! and English, with the file, line and column.

use super::*;

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
    FieldCount {
        found: usize,
        expected: usize,
    },
    Rule(RuleError),
    Text(TextError),
    /// A line of a requisites file names no field.
    UnknownRequisite(String),
}

impl Localized for Problem {
    fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Required => lang.say("значение обязательно", "a value is required"),
            Problem::Inn(e) => e.text(lang),
            Problem::Amount(e) => e.text(lang),
            Problem::Date(v) => lang.say(
                format!("«{v}» — не дата; нужна существующая дата вида 2025-01-31 или 31.01.2025"),
                format!("{v:?} is not a date; write an existing date as 2025-01-31 or 31.01.2025"),
            ),
            Problem::Bool(v) => lang.say(
                format!(
                    "«{v}» — не да/нет; пишите да/нет, yes/no, true/false, 1/0 или Истина/Ложь"
                ),
                format!(
                    "{v:?} is not yes/no; write yes/no, да/нет, true/false, 1/0 or Истина/Ложь"
                ),
            ),
            Problem::Status(v, e) => e.text(v, ("статус", "status"), lang),
            Problem::Kind(v, e) => e.text(v, ("вид лицензии", "license kind"), lang),
            Problem::Action(v, e) => e.text(v, ("действие", "action"), lang),
            Problem::StatusWithoutSince => lang.say(
                "для статуса нужна дата status_since",
                "a status needs its status_since date",
            ),
            Problem::FieldCount { found, expected } => lang.say(
                format!("в строке {found} полей, а в заголовке {expected}"),
                format!("the row has {found} fields; the header has {expected}"),
            ),
            Problem::Rule(e) => e.text(lang),
            Problem::Text(e) => e.text(lang),
            Problem::UnknownRequisite(name) => lang.say(
                format!(
                    "«{name}» — не реквизит; пишите «Поле = значение», например «КПП = 773601001»"
                ),
                format!(
                    "«{name}» is not a requisite; write «Field = value», e.g. «КПП = 773601001»"
                ),
            ),
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
    Io(#[from] std::io::Error),
    Empty,
    NotText,
    MixedEncoding {
        line: u64,
        utf8_line: u64,
    },
    TooLarge,
    Workbook(String),
    Limit(#[source] WorkbookLimit),
    Malformed {
        line: u64,
        message: String,
    },
    DuplicateColumn {
        name: String,
    },
    MissingColumns {
        kind: ImportKind,
        names: Vec<String>,
        found: Vec<String>,
    },
    Rows(Vec<RowError>),
    Store(#[from] StoreError),
    /// The file of refused rows could not be written beside the original.
    RejectedNotWritten {
        path: String,
        message: String,
    },
}

impl Localized for ImportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ImportError::Io(e) => lang.say(
                format!("не удаётся прочитать файл: {e}"),
                format!("cannot read the file: {e}"),
            ),
            ImportError::Empty => lang.say("файл пуст", "the file is empty"),
            ImportError::NotText => lang.say(
                "файл не является ни книгой Excel (.xlsx, .xls, .ods), ни текстом CSV; сохраните его как CSV или книгу Excel",
                "the file is neither a workbook (.xlsx, .xls, .ods) nor CSV text; save it as CSV or as an Excel workbook",
            ),
            ImportError::MixedEncoding { line, utf8_line } => lang.say(
                format!(
                    "строка {line} не в UTF-8, а строка {utf8_line} в UTF-8: в файле смешаны две кодировки (например, вставлена строка из другого файла); сохраните его заново в одной кодировке, UTF-8, и загрузите"
                ),
                format!(
                    "line {line} is not in UTF-8 while line {utf8_line} is: the file mixes two encodings (a line pasted from another file, for example); save it again in one encoding, UTF-8, and import it"
                ),
            ),
            ImportError::TooLarge => lang.say(
                "в файле больше 2 ГБ текста; разделите его на несколько файлов и загрузите их по очереди",
                "the file holds more than 2 GB of text; split it into several files and import them one after another",
            ),
            ImportError::Workbook(e) => lang.say(
                format!("книгу не удаётся прочитать: {e}"),
                format!("the workbook cannot be read: {e}"),
            ),
            ImportError::Limit(limit) => limit.text(lang),
            ImportError::Malformed { line, message } => lang.say(
                format!("строка {line}: файл не является корректным CSV: {message}"),
                format!("line {line}: the file is not valid CSV: {message}"),
            ),
            ImportError::DuplicateColumn { name } => lang.say(
                format!("столбец «{name}» встречается в заголовке дважды"),
                format!("the column {name:?} appears twice in the header"),
            ),
            ImportError::MissingColumns { kind, names, found } => {
                missing_columns(*kind, names, found, lang)
            }
            ImportError::Rows(rows) => lang.say(
                format!("ошибок в строках: {}", rows.len()),
                format!("{} rows are wrong", rows.len()),
            ),
            ImportError::Store(e) => e.text(lang),
            ImportError::RejectedNotWritten { path, message } => lang.say(
                format!(
                    "не удаётся записать файл неверных строк {path}: {message}; проверьте, что папка доступна для записи и файл не открыт в другой программе"
                ),
                format!(
                    "cannot write the file of refused rows {path}: {message}; check that the folder can be written to and the file is not open in another program"
                ),
            ),
        }
    }
}

crate::domain::lang::english_display!(ImportError);

/// No column of the file could be matched to the fields `names` (codes): Russian names
/// each field by its label too.
fn missing_columns(kind: ImportKind, names: &[String], found: &[String], lang: Lang) -> String {
    let (found, codes) = (found.join(", "), names.join(", "));
    let labelled = names
        .iter()
        .map(
            |n| match mapping::fields(kind).iter().find(|f| f.code == n) {
                Some(f) => format!("«{}» ({n})", f.label(Lang::Ru)),
                None => n.clone(),
            },
        )
        .collect::<Vec<_>>()
        .join(", ");
    lang.say(
        format!(
            "не удалось сопоставить столбцы: {labelled}; в файле есть: {found}. Переименуйте столбцы как в README или сопоставьте их в окне импорта"
        ),
        format!(
            "no column could be matched to: {codes}; the file's columns are: {found}. Rename them as in the README or map them in the import window"
        ),
    )
}

/// How many row errors are reported at most.
pub const MAX_REPORTED: usize = 100;

/// How many refused rows an import or a check finds before it stops looking: enough for a
/// file to be imported in one go without the rows it refuses.
pub const MAX_FOUND: usize = 10_000;

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
                        lang.say(
                            format!("… и ещё ошибок: {}", rows.len() - MAX_REPORTED),
                            format!("… and {} more errors", rows.len() - MAX_REPORTED),
                        )
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
