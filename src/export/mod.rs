//! Statements out: one statement model, rendered as JSON or CSV, and written safely.

pub mod csv;
pub mod json;
pub mod pdf;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use crate::domain::Statement;
use crate::domain::lang::{Lang, Localized};

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
    #[error("cannot make the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
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
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    pub path: String,
    pub source: std::io::Error,
}

impl Localized for WriteError {
    fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!(
                "cannot write {}: {}; close the file if another program has it open, or choose another folder",
                self.path, self.source
            ),
            Lang::Ru => format!(
                "не удаётся записать {}: {}; закройте файл, если он открыт в другой программе (например, в Excel), или выберите другую папку",
                self.path, self.source
            ),
        }
    }
}

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
    #[error("the statement format comes from the file extension: use .json, .csv, .xlsx or .pdf")]
    UnknownFormat,
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl Localized for ExportError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (ExportError::UnknownFormat, Lang::Ru) => {
                "формат ведомости определяется расширением файла: укажите .json, .csv, .xlsx или .pdf".into()
            }
            (ExportError::Render(e), Lang::Ru) => format!("не удалось сформировать файл: {e}"),
            (ExportError::Write(e), _) => e.text(lang),
            (e, Lang::En) => e.to_string(),
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

/// Why the sales list could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("the export was cancelled; no file was written")]
    Cancelled,
}

impl Localized for ListError {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (ListError::Store(e), _) => e.text(lang),
            (ListError::Render(e), Lang::Ru) => format!("не удалось сформировать файл: {e}"),
            (ListError::Write(e), _) => e.text(lang),
            (ListError::Cancelled, Lang::Ru) => "выгрузка отменена; файл не записан".into(),
            (e, Lang::En) => e.to_string(),
        }
    }
}

/// Writes the sales and returns `query` selects, in its order and with the Sales page's
/// columns, to an XLSX file at `path` (atomically), telling `progress` how many rows are
/// written; gives up when `cancel` is set. Returns the number of rows written.
pub fn write_sales_list(
    store: &crate::store::Store,
    query: &crate::store::SalesQuery,
    path: &Path,
    lang: Lang,
    progress: &dyn Fn(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<usize, ListError> {
    let db = store.read();
    let selection = db.sales_selection(query)?;
    let total = selection.ids.len();
    let render = |e: rust_xlsxwriter::XlsxError| ListError::Render(e.into());
    let mut list = xlsx::SalesList::new(lang).map_err(render)?;
    for ids in selection.ids.chunks(2_000) {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(ListError::Cancelled);
        }
        for row in db.sales_rows(ids)? {
            list.add(&row).map_err(render)?;
        }
        progress(list.rows() as usize, total);
    }
    let rows = list.rows() as usize;
    let bytes = list.finish().map_err(render)?;
    write_atomically(path, &bytes)?;
    Ok(rows)
}
