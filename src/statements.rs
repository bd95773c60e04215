//! Statements as the business handles them: issuing (number, stored figures, checksum,
//! period lock), re-exporting an issued statement exactly, and exporting every partner's
//! statement for a period at once. Composes the store, the domain and the renderers; the
//! CLI and the window both call these.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

use crate::domain::lang::{Lang, Localized, english_display};
use crate::domain::{Money, PartnerId, Statement};
use crate::export::{self, ExportError, Format};
use crate::store::{NewIssued, RuleError, Store, StoreError, Tx};

/// The SHA-256 of bytes, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// What issuing made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub number: String,
    pub lines: usize,
    pub premium: Money,
    pub sha256: String,
}

/// Issues the statement of `partner` for `[from, to]` on `today`, in one transaction: a
/// sequential number, its canonical JSON and checksum stored, its sales locked.
pub fn issue(
    store: &mut Store,
    partner: PartnerId,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Issued, StoreError> {
    store.write(|db| issue_in(db, partner, from, to, today).map(|(_, issued)| issued))
}

/// [`issue`] within the transaction `db`: what issuing made and the issued statement's id.
pub fn issue_in(
    db: &Tx<'_>,
    partner: PartnerId,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<(i64, Issued), StoreError> {
    let mut statement = db.statement(partner, from, to, today)?;
    if statement.lines.is_empty() {
        return Err(RuleError::EmptyStatement.into());
    }
    let number = db.next_statement_number(today.year())?;
    statement.number = Some(number.clone());
    statement.issued_by = Some(db.who());
    let json = export::json::statement_json(&statement);
    let sha256 = sha256_hex(&json);
    let id = db.record_issued(&NewIssued {
        number: &number,
        partner,
        from,
        to,
        issued_on: today,
        json: &json,
        sha256: &sha256,
        lines: statement.lines.len() as i64,
        amount: statement.totals.overall.amount,
        premium: statement.totals.overall.premium,
    })?;
    let issued = Issued {
        number,
        lines: statement.lines.len(),
        premium: statement.totals.overall.premium,
        sha256,
    };
    Ok((id, issued))
}

/// Why an issued statement could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum IssuedExportError {
    Store(#[from] StoreError),
    Parse(#[from] export::json::ParseError),
    Checksum { number: String },
    Export(#[from] ExportError),
}

impl Localized for IssuedExportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            IssuedExportError::Store(e) => e.text(lang),
            IssuedExportError::Export(e) => e.text(lang),
            IssuedExportError::Checksum { number } => lang.say(
                format!(
                    "сохранённая ведомость {number} не совпадает со своей контрольной суммой; база данных может быть повреждена"
                ),
                format!(
                    "the stored statement {number} does not match its checksum; the database may be damaged"
                ),
            ),
            // The reader's own words, in English only.
            IssuedExportError::Parse(e) => e.to_string(),
        }
    }
}

english_display!(IssuedExportError, BatchError);

/// The issued statement with this number, as it was issued (checked against its checksum).
pub fn issued_statement(
    store: &Store,
    number: &str,
) -> Result<(Statement, Vec<u8>), IssuedExportError> {
    let (row, json) = store.read().issued_statement(number)?;
    if sha256_hex(&json) != row.sha256 {
        return Err(IssuedExportError::Checksum { number: row.number });
    }
    Ok((export::json::parse_statement(&json)?, json))
}

/// Writes an issued statement: JSON byte for byte as stored, other formats from its stored
/// figures, whatever has changed in rates or statuses since.
pub fn export_issued(
    store: &Store,
    number: &str,
    path: &Path,
    lang: Lang,
) -> Result<Format, IssuedExportError> {
    let (statement, json) = issued_statement(store, number)?;
    let format = Format::from_path(path).ok_or(ExportError::UnknownFormat)?;
    if format == Format::Json {
        export::write_atomically(path, &json).map_err(ExportError::from)?;
        Ok(format)
    } else {
        Ok(export::write_statement(&statement, path, lang)?)
    }
}

/// What a batch export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchSummary {
    pub files: Vec<PathBuf>,
    pub summary_file: Option<PathBuf>,
    pub premium: Money,
    pub cancelled: bool,
}

/// Why the statements of a period could not all be written.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    Folder {
        path: String,
        source: std::io::Error,
    },
    Store(#[from] StoreError),
    Export(#[from] ExportError),
    Write(#[from] export::WriteError),
}

impl Localized for BatchError {
    fn text(&self, lang: Lang) -> String {
        match self {
            BatchError::Folder { path, source } => lang.say(
                format!("Не удаётся создать папку {path}: {source}"),
                format!("cannot create the folder {path}: {source}"),
            ),
            BatchError::Store(e) => e.text(lang),
            BatchError::Export(e) => e.text(lang),
            BatchError::Write(e) => e.text(lang),
        }
    }
}

/// Writes one statement per partner with activity in `[from, to]` into `dir`, named
/// `<INN>_<partner>_<from>_<to>.<ext>`, and `summary_<from>_<to>.csv` with every partner's
/// totals, in `doc_lang`. `progress(done, total)` is called after each file; setting
/// `cancel` stops between files (what was written stays, each file whole).
#[allow(clippy::too_many_arguments)]
pub fn export_all(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    dir: &Path,
    format: Format,
    doc_lang: Lang,
    progress: &dyn Fn(usize, usize),
    cancel: &AtomicBool,
) -> Result<BatchSummary, BatchError> {
    std::fs::create_dir_all(dir).map_err(|source| BatchError::Folder {
        path: dir.display().to_string(),
        source,
    })?;
    let db = store.read();
    let partners = db.partners_with_activity(from, to)?;
    let mut summary = BatchSummary::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, partner) in partners.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            summary.cancelled = true;
            break;
        }
        let statement = db.statement(*partner, from, to, today)?;
        let name = export::statement_file_name(
            statement.partner.inn.as_str(),
            &statement.partner.name,
            from,
            to,
            format,
        );
        let path = dir.join(&name);
        export::write_statement(&statement, &path, doc_lang)?;
        summary.premium += statement.totals.overall.premium;
        rows.push(vec![
            statement.partner.name.clone(),
            statement.partner.inn.to_string(),
            statement.lines.len().to_string(),
            export::csv::number(statement.totals.overall.amount),
            export::csv::number(statement.totals.overall.premium),
            name,
        ]);
        summary.files.push(path);
        progress(i + 1, partners.len());
    }
    let summary_path = dir.join(format!("summary_{from}_{to}.csv"));
    let header = [
        doc_lang.pick("Партнёр", "Partner"),
        doc_lang.pick("ИНН", "INN"),
        doc_lang.pick("Строк", "Lines"),
        doc_lang.pick("Сумма, ₽", "Amount, ₽"),
        doc_lang.pick("Премия, ₽", "Premium, ₽"),
        doc_lang.pick("Файл", "File"),
    ];
    let bytes = export::csv::table_csv(&header, &rows);
    export::write_atomically(&summary_path, &bytes)?;
    summary.summary_file = Some(summary_path);
    Ok(summary)
}
