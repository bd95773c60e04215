//! Statements out: one statement model, rendered as JSON or CSV, and written safely.

pub mod bank;
pub mod csv;
pub mod json;
pub mod list;
pub mod pdf;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use crate::domain::Statement;
use crate::domain::lang::{Lang, Localized, english_display};
use crate::export::list::{Column, List, Value};

/// A statement file format, picked by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Xlsx, Format::Pdf];

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == text.trim().to_ascii_lowercase())
    }
}

/// Why a statement could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    Pdf(#[from] pdf::PdfError),
}

impl Localized for RenderError {
    fn text(&self, lang: Lang) -> String {
        // What the renderers say is English only.
        let failed = match self {
            RenderError::Xlsx(e) => format!("cannot make the workbook: {e}"),
            RenderError::Pdf(e) => e.to_string(),
        };
        lang.say(format!("не удалось сформировать файл: {failed}"), failed)
    }
}

/// Renders a statement in a format: one statement model, four renderers.
pub fn render(statement: &Statement, format: Format, lang: Lang) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Json => json::statement_json(statement),
        Format::Csv => csv::statement_csv(statement, lang),
        Format::Xlsx => xlsx::statement_xlsx(statement, lang)?,
        Format::Pdf => pdf::statement_pdf(statement, lang)?,
    })
}

/// Why a file could not be written. The target is left as it was.
#[derive(Debug, thiserror::Error)]
pub struct WriteError {
    pub path: String,
    pub source: std::io::Error,
}

impl Localized for WriteError {
    fn text(&self, lang: Lang) -> String {
        let (path, source) = (&self.path, &self.source);
        lang.say(
            format!(
                "не удаётся записать {path}: {source}; закройте файл, если он открыт в другой программе (например, в Excel), или выберите другую папку"
            ),
            format!(
                "cannot write {path}: {source}; close the file if another program has it open, or choose another folder"
            ),
        )
    }
}

english_display!(RenderError, WriteError, ExportError, ListError);

/// Writes `bytes` to `path` so that the target is either the old file or the whole new
/// one: a temporary file in the same folder, fsync, rename over the target, fsync the
/// folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |source| WriteError {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// A file name for a partner's statement that is safe on every OS:
/// `<INN>_<partner>_<from>_<to>.<ext>`, with characters that some system forbids replaced.
pub fn statement_file_name(
    inn: &str,
    partner: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: Format,
) -> String {
    let mut name: String = partner
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' | '«' | '»' => '_',
            c if c.is_control() => '_',
            c if c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let name: String = name
        .trim_matches(|c| c == '_' || c == '.')
        .chars()
        .take(60)
        .collect();
    format!("{inn}_{name}_{from}_{to}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_file_names_are_safe_on_every_os() {
        let d = |s: &str| s.parse().unwrap();
        assert_eq!(
            statement_file_name(
                "7707083893",
                "ООО «Альфа/Бета»: \"Софт\"",
                d("2025-01-01"),
                d("2025-03-31"),
                Format::Csv
            ),
            "7707083893_ООО_Альфа_Бета_Софт_2025-01-01_2025-03-31.csv"
        );
    }
}

/// Why a statement file was not written. The target is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    UnknownFormat,
    Render(#[from] RenderError),
    Write(#[from] WriteError),
}

impl Localized for ExportError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ExportError::UnknownFormat => lang.say(
                "формат ведомости определяется расширением файла: укажите .json, .csv, .xlsx или .pdf",
                "the statement format comes from the file extension: use .json, .csv, .xlsx or .pdf",
            ),
            ExportError::Render(e) => e.text(lang),
            ExportError::Write(e) => e.text(lang),
        }
    }
}

/// Writes a statement to `path` in the format its extension names, atomically.
pub fn write_statement(
    statement: &Statement,
    path: &Path,
    lang: Lang,
) -> Result<Format, ExportError> {
    let format = Format::from_path(path).ok_or(ExportError::UnknownFormat)?;
    write_atomically(path, &render(statement, format, lang)?)?;
    Ok(format)
}

/// Writes a partner's акт сверки to `path`, as PDF or XLSX by its extension, atomically.
pub fn write_reconciliation(
    r: &crate::domain::reconciliation::Reconciliation,
    path: &Path,
    lang: Lang,
) -> Result<Format, ExportError> {
    let format = Format::from_path(path).ok_or(ExportError::UnknownFormat)?;
    let bytes = match format {
        Format::Pdf => pdf::reconciliation_pdf(r, lang).map_err(RenderError::from)?,
        Format::Xlsx => xlsx::reconciliation_xlsx(r, lang).map_err(RenderError::from)?,
        Format::Json | Format::Csv => return Err(ExportError::UnknownFormat),
    };
    write_atomically(path, &bytes)?;
    Ok(format)
}

/// What a list is exported as: a workbook to work on, or a PDF to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Xlsx,
    Pdf,
}

impl ListFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ListFormat::Xlsx => "xlsx",
            ListFormat::Pdf => "pdf",
        }
    }

    /// The name of the file dialog's filter.
    pub fn kind(self) -> &'static str {
        match self {
            ListFormat::Xlsx => "Excel",
            ListFormat::Pdf => "PDF",
        }
    }
}

/// A printed list longer than this is refused: it would be thousands of pages.
pub const PDF_LIST_ROWS: usize = 20_000;

/// Why a list could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    Store(#[from] crate::store::StoreError),
    Render(#[from] RenderError),
    Write(#[from] WriteError),
    Cancelled,
    TooLongToPrint(usize),
}

impl Localized for ListError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ListError::Store(e) => e.text(lang),
            ListError::Render(e) => e.text(lang),
            ListError::Write(e) => e.text(lang),
            ListError::Cancelled => lang.say(
                "выгрузка отменена; файл не записан",
                "the export was cancelled; no file was written",
            ),
            ListError::TooLongToPrint(rows) => lang.say(
                format!(
                    "в списке {rows} строк, это слишком много для печати (не больше {PDF_LIST_ROWS}); \
                     сузьте его фильтрами или выгрузите в Excel"
                ),
                format!(
                    "the list has {rows} rows, too many to print (at most {PDF_LIST_ROWS}); narrow it with the filters or export it to Excel"
                ),
            ),
        }
    }
}

/// Renders a list as a workbook or a PDF.
pub fn render_list(list: &List, format: ListFormat, lang: Lang) -> Result<Vec<u8>, ListError> {
    Ok(match format {
        ListFormat::Xlsx => xlsx::list_xlsx(list, lang).map_err(RenderError::from)?,
        ListFormat::Pdf if list.rows.len() > PDF_LIST_ROWS => {
            return Err(ListError::TooLongToPrint(list.rows.len()));
        }
        ListFormat::Pdf => pdf::list_pdf(list, lang).map_err(RenderError::from)?,
    })
}

/// What the Sales list is filtered by, in words: its partner, kind, client, period and
/// search, or that it is every sale.
fn sales_filter_line(
    db: &crate::store::Db<'_>,
    query: &crate::store::SalesQuery,
    lang: Lang,
) -> Result<String, ListError> {
    let mut said = Vec::new();
    if let Some(partner) = query.partner {
        let name = db
            .partners()?
            .into_iter()
            .find(|p| p.id == partner)
            .map_or_else(|| format!("#{}", partner.0), |p| p.name);
        said.push(format!("{} {name}", lang.pick("партнёр", "partner")));
    }
    if let Some(kind) = query.kind {
        said.push(format!(
            "{} {}",
            lang.pick("вид", "kind"),
            kind.short_name(lang)
        ));
    }
    if let Some(client) = &query.client {
        said.push(format!("{} {client}", lang.pick("клиент", "client")));
    }
    let day = |d: Option<chrono::NaiveDate>| {
        d.map_or("…".to_owned(), |d| crate::domain::show_date(d, lang))
    };
    if query.from.is_some() || query.to.is_some() {
        said.push(format!(
            "{} {} — {}",
            lang.pick("период", "period"),
            day(query.from),
            day(query.to)
        ));
    }
    if !query.text.trim().is_empty() {
        said.push(format!(
            "{} «{}»",
            lang.pick("поиск", "search"),
            query.text.trim()
        ));
    }
    let none = lang.pick("нет, все продажи и возвраты", "none, every sale and return");
    Ok(list::filter_line(&said, none, lang))
}

/// Writes a list shown on a page to `path`, atomically.
pub fn write_list(
    list: &List,
    format: ListFormat,
    path: &Path,
    lang: Lang,
) -> Result<usize, ListError> {
    write_atomically(path, &render_list(list, format, lang)?)?;
    Ok(list.rows.len())
}

/// A column of the exported sales list. The list has the Sales page's columns, with the
/// document and the client's INN beside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SalesColumn {
    Date,
    Document,
    Partner,
    ClientInn,
    Client,
    Kind,
    Amount,
    Terms,
    Rate,
    Premium,
    Reason,
}

impl SalesColumn {
    pub const ALL: [SalesColumn; 11] = [
        SalesColumn::Date,
        SalesColumn::Document,
        SalesColumn::Partner,
        SalesColumn::ClientInn,
        SalesColumn::Client,
        SalesColumn::Kind,
        SalesColumn::Amount,
        SalesColumn::Terms,
        SalesColumn::Rate,
        SalesColumn::Premium,
        SalesColumn::Reason,
    ];

    fn column(self, lang: Lang) -> Column {
        let (ru, en, width) = match self {
            SalesColumn::Date => ("Дата", "Date", 11.0),
            SalesColumn::Document => ("Документ", "Document", 14.0),
            SalesColumn::Partner => ("Партнёр", "Partner", 28.0),
            SalesColumn::ClientInn => ("ИНН клиента", "Client INN", 14.0),
            SalesColumn::Client => ("Клиент", "Client", 32.0),
            SalesColumn::Kind => ("Вид лицензии", "License kind", 26.0),
            SalesColumn::Amount => ("Сумма", "Amount", 16.0),
            SalesColumn::Terms => ("Условия", "Terms", 16.0),
            SalesColumn::Rate => ("Ставка", "Rate", 8.0),
            SalesColumn::Premium => ("Премия", "Premium", 16.0),
            SalesColumn::Reason => ("Причина нулевой премии", "Why zero", 40.0),
        };
        Column {
            title: lang.pick(ru, en).to_owned(),
            width,
        }
    }

    fn value(self, r: &crate::store::SaleListRow, lang: Lang) -> Value {
        match self {
            SalesColumn::Date => Value::Date(r.date),
            SalesColumn::Document => Value::Text(match (&r.doc, &r.return_of) {
                (Some(doc), _) => doc.clone(),
                (None, Some(of)) => format!("↩ {of}"),
                (None, None) => String::new(),
            }),
            SalesColumn::Partner => Value::text(&r.partner_name),
            SalesColumn::ClientInn => Value::Code(r.client_inn.clone()),
            SalesColumn::Client => Value::text(&r.client_name),
            SalesColumn::Kind if r.return_of.is_some() => Value::Text(format!(
                "{} · {}",
                lang.pick("Возврат", "Return"),
                r.kind.short_name(lang)
            )),
            SalesColumn::Kind => Value::text(r.kind.short_name(lang)),
            SalesColumn::Amount => Value::Money(r.amount),
            SalesColumn::Terms => Value::Text(crate::domain::premium::terms_name(
                r.terms(),
                r.one_c_terms,
                lang,
            )),
            SalesColumn::Rate => r.rate.map_or(Value::Empty, Value::Rate),
            SalesColumn::Premium => Value::Money(r.premium),
            SalesColumn::Reason => r
                .reason
                .map_or(Value::Empty, |reason| Value::text(reason.text(lang))),
        }
    }
}

/// The Sales page's list to export: the sales and returns its query selects, in its order,
/// with the columns shown, as a workbook or a PDF.
#[derive(Clone, Debug)]
pub struct SalesListExport {
    pub query: crate::store::SalesQuery,
    pub columns: Vec<SalesColumn>,
    pub format: ListFormat,
}

/// Writes the sales list to `path` (atomically), telling `progress` how many rows are
/// done; gives up when `cancel` is set. Returns the number of rows written.
pub fn write_sales_list(
    store: &crate::store::Store,
    list: &SalesListExport,
    path: &Path,
    (lang, today): (Lang, chrono::NaiveDate),
    progress: &dyn Fn(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<usize, ListError> {
    let SalesListExport {
        query,
        columns,
        format,
    } = list;
    let format = *format;
    let db = store.read();
    let selection = db.sales_selection(query)?;
    let total = selection.ids.len();
    if format == ListFormat::Pdf && total > PDF_LIST_ROWS {
        return Err(ListError::TooLongToPrint(total));
    }
    let title = lang.pick("Продажи", "Sales").to_owned();
    let heads: Vec<Column> = columns.iter().map(|c| c.column(lang)).collect();
    let render = |e: rust_xlsxwriter::XlsxError| ListError::Render(e.into());
    // A workbook is written row by row; a printed list (at most PDF_LIST_ROWS) is laid out
    // whole.
    let mut book = match format {
        ListFormat::Xlsx => Some(xlsx::ListBook::new(&title, &heads, lang).map_err(render)?),
        ListFormat::Pdf => None,
    };
    let mut printed = Vec::new();
    let mut done = 0;
    for ids in selection.ids.chunks(2_000) {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(ListError::Cancelled);
        }
        for row in db.sales_rows(ids)? {
            let cells: Vec<Value> = columns.iter().map(|c| c.value(&row, lang)).collect();
            match &mut book {
                Some(book) => book.add(&cells).map_err(render)?,
                None => printed.push(cells),
            }
            done += 1;
        }
        progress(done, total);
    }
    let bytes = match book {
        Some(book) => book.finish().map_err(render)?,
        None => render_list(
            &List {
                title,
                made_on: today,
                filter: sales_filter_line(&db, query, lang)?,
                totals: format!(
                    "{} {} · {} {} · {} {}",
                    lang.pick("Итого: строк", "Totals: rows"),
                    total,
                    lang.pick("сумма", "amount"),
                    selection.amount.display(lang),
                    lang.pick("премия", "premium"),
                    selection.premium.display(lang),
                ),
                columns: heads,
                rows: printed,
            },
            ListFormat::Pdf,
            lang,
        )?,
    };
    write_atomically(path, &bytes)?;
    Ok(done)
}
