//! The rows an import left out, written beside the file they came from, in its format
//! (a CSV file with its delimiter and encoding; a workbook as `.xlsx`), each with a last
//! column saying why: fixed there, the file imports again as it is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::source::{Sheet, Source, SourceFormat, TextEncoding, decode_text, detect_delimiter};
use super::{ImportError, RowError};
use crate::domain::lang::{Lang, Localized};

/// The header of the added column.
pub fn reason_header(lang: Lang) -> &'static str {
    lang.pick("Ошибка", "Why refused")
}

/// Where the refused rows of `original` are written: beside it, `-rejected` added to its
/// name; a workbook's as `.xlsx`.
pub fn rejected_path(original: &Path, format: SourceFormat) -> PathBuf {
    let stem = original
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let extension = match format {
        SourceFormat::Workbook => "xlsx".to_owned(),
        SourceFormat::Csv { .. } => original
            .extension()
            .map_or("csv".to_owned(), |e| e.to_string_lossy().into_owned()),
    };
    original.with_file_name(format!("{stem}-rejected.{extension}"))
}

/// Writes the rows of `sheet` that `refused` names, under the sheet's headers and the
/// reason column, to [`rejected_path`]; gives back the path.
pub fn write_rejected(
    original: &Path,
    source: &Source,
    sheet: &Sheet,
    refused: &[RowError],
    lang: Lang,
) -> Result<PathBuf, ImportError> {
    let path = rejected_path(original, source.format);
    let table = rows_of(sheet, refused, lang);
    let failed = |e: std::io::Error| ImportError::RejectedNotWritten {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let bytes = match source.format {
        SourceFormat::Csv { encoding } => {
            let delimiter = std::fs::read(original)
                .ok()
                .and_then(|bytes| decode_text(&bytes).ok())
                .map_or(b';', |(text, _)| detect_delimiter(&text));
            csv_bytes(&table, delimiter, encoding).map_err(failed)?
        }
        SourceFormat::Workbook => xlsx_bytes(&table, &sheet.name).map_err(failed)?,
    };
    std::fs::write(&path, bytes).map_err(failed)?;
    Ok(path)
}

/// A cell's text, and whether a workbook stored it as a number (kept so: an INN read back
/// gets its lost leading zero again).
type Cell = (String, bool);

/// The header row and the refused rows, each with its reasons as the last cell.
fn rows_of(sheet: &Sheet, refused: &[RowError], lang: Lang) -> Vec<Vec<Cell>> {
    let mut reasons: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for e in refused {
        let text = e.problem.text(lang);
        reasons
            .entry(e.line)
            .or_default()
            .push(if e.column.is_empty() {
                text
            } else {
                format!("{}: {text}", e.column)
            });
    }
    let width = sheet.headers.len();
    let mut header: Vec<Cell> = sheet.headers.iter().map(|h| (h.clone(), false)).collect();
    header.push((reason_header(lang).to_owned(), false));
    let mut table = vec![header];
    for row in &sheet.rows {
        let Some(why) = reasons.get(&row.line) else {
            continue;
        };
        let mut cells: Vec<Cell> = (0..width)
            .map(|c| {
                sheet
                    .cell(row, c)
                    .map_or((String::new(), false), |c| (c.text.to_owned(), c.number))
            })
            .collect();
        cells.push((why.join("; "), false));
        table.push(cells);
    }
    table
}

fn csv_bytes(
    table: &[Vec<Cell>],
    delimiter: u8,
    encoding: TextEncoding,
) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in table {
        writer
            .write_record(row.iter().map(|(text, _)| text))
            .map_err(std::io::Error::other)?;
    }
    let bytes = writer.into_inner().map_err(std::io::Error::other)?;
    let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
    Ok(match encoding {
        TextEncoding::Utf8 => text.into_bytes(),
        TextEncoding::Windows1251 => encoding_rs::WINDOWS_1251.encode(&text).0.into_owned(),
        TextEncoding::Utf16 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
    })
}

fn xlsx_bytes(table: &[Vec<Cell>], sheet_name: &str) -> std::io::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    // A name Excel refuses (too long, or with `[]:*?/\`) leaves the default one.
    let _ = sheet.set_name(sheet_name);
    for (r, row) in table.iter().enumerate() {
        for (c, (text, number)) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match text.parse::<f64>() {
                Ok(value) if *number => sheet.write_number(r, c, value),
                _ => sheet.write_string(r, c, text),
            }
            .map_err(std::io::Error::other)?;
        }
    }
    book.save_to_buffer().map_err(std::io::Error::other)
}
