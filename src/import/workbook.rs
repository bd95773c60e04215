//! Workbooks (.xlsx, .xlsb, .ods, .xls) read into sheets of text cells in bounded memory.
//!
//! An .xlsx or .xlsb sheet is read cell by cell (calamine's cell readers), never as the
//! rectangle its cells or its declared dimension span, so a stray cell at XFD1048576 costs
//! what one cell costs. calamine reads an .ods or .xls whole, as rectangles: their sizes are
//! measured first (`archive`, `xls`) and a file whose rectangles would pass
//! [`MAX_WHOLE_CELLS`] is refused before calamine reads it. Every zip archive's parts are
//! checked first too (`archive::check`). Past a limit the file is refused with a
//! [`WorkbookLimit`], which says what to do.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader};

use super::archive::{self, Zipped};
use super::source::{Sheet, Source, SourceFormat, number_text};
use super::{ImportError, xls};
use crate::domain::lang::{Lang, Localized};

/// Excel's last row: a sheet has at most this many.
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's last column (XFD): a sheet has at most this many.
pub const MAX_COLUMNS: u32 = 16_384;
/// A workbook's zip archive has at most this many parts.
pub const MAX_PARTS: u64 = 10_000;
/// A part of a workbook's archive unpacks to at most this (1 GiB).
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// A part of over [`RATIO_FROM_BYTES`] unpacks to at most this many times its packed size:
/// spreadsheet programs' XML packs ten to thirty times, a zip bomb a thousand.
pub const MAX_PART_RATIO: u64 = 100;
/// The size from which [`MAX_PART_RATIO`] applies (small parts of repeated markup pack
/// better than large ones).
pub const RATIO_FROM_BYTES: u64 = 1 << 20;
/// An .xlsx holds at most this many shared texts (calamine keeps them all in memory).
pub const MAX_SHARED_TEXTS: u64 = 3_000_000;
/// An .ods or .xls is read whole by calamine, as rectangles of cells: at most this many
/// cells in all its sheets' rectangles (for example 200,000 rows of 10 columns).
pub const MAX_WHOLE_CELLS: u64 = 2_000_000;
/// An .xls file is read whole, and its workbook stream copied: at most 32 MiB.
pub const MAX_XLS_BYTES: u64 = 32 << 20;
/// How many empty cells between the filled ones of its rows a workbook may make the
/// import keep (eight bytes each): cells scattered far apart are refused past it.
pub const MAX_GAP_CELLS: u64 = 8_000_000;
/// How far a sheet's declared dimension may pass its cells, in cells, before the file is
/// taken for one not made by a spreadsheet program.
pub const DIMENSION_SLACK: u64 = 1_000_000;

/// A workbook refused for its size or shape before it could take the computer's memory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookLimit {
    PastLastRow {
        sheet: String,
    },
    PastLastColumn {
        sheet: String,
    },
    DeclaredPastContent {
        sheet: String,
        declared: String,
        content: String,
    },
    TooManyParts {
        parts: u64,
    },
    PartTooLarge {
        part: String,
        bytes: u64,
    },
    PartRatio {
        part: String,
        ratio: u64,
    },
    PartLargerThanDeclared {
        part: String,
    },
    TooManySharedTexts {
        count: u64,
    },
    TooManyCells {
        cells: u64,
    },
    XlsTooLarge {
        bytes: u64,
    },
    ScatteredCells {
        sheet: String,
    },
}

impl Localized for WorkbookLimit {
    fn text(&self, lang: Lang) -> String {
        match self {
            WorkbookLimit::PastLastRow { sheet } => lang.say(
                format!(
                    "лист «{sheet}» заходит за строку 1 048 576, последнюю строку листа Excel; разделите его на несколько файлов не больше миллиона строк"
                ),
                format!(
                    "the sheet «{sheet}» goes past row 1,048,576, the last row of an Excel sheet; split it into several files of at most a million rows"
                ),
            ),
            WorkbookLimit::PastLastColumn { sheet } => lang.say(
                format!(
                    "лист «{sheet}» заходит за столбец XFD (16 384), последний столбец листа Excel; файл повреждён или сделан не программой электронных таблиц"
                ),
                format!(
                    "the sheet «{sheet}» goes past column XFD (16,384), the last column of an Excel sheet; the file is damaged or was not made by a spreadsheet program"
                ),
            ),
            WorkbookLimit::DeclaredPastContent {
                sheet,
                declared,
                content,
            } => lang.say(
                format!(
                    "лист «{sheet}» объявляет, что занимает {declared}, а его ячейки кончаются на {content}; файл сделан не программой электронных таблиц или повреждён: откройте его в Excel или LibreOffice и сохраните заново"
                ),
                format!(
                    "the sheet «{sheet}» declares that it spans {declared} while its cells end at {content}; the file was not made by a spreadsheet program or is damaged: open it in Excel or LibreOffice and save it again"
                ),
            ),
            WorkbookLimit::ScatteredCells { sheet } => lang.say(
                format!(
                    "ячейки листа «{sheet}» разбросаны далеко друг от друга: между ними больше 8 000 000 пустых; удалите пустые строки и столбцы или скопируйте таблицу на новый лист"
                ),
                format!(
                    "the cells of the sheet «{sheet}» lie far apart: more than 8,000,000 empty cells between them; delete the empty rows and columns, or copy the table to a new sheet"
                ),
            ),
            WorkbookLimit::TooManyParts { .. }
            | WorkbookLimit::PartTooLarge { .. }
            | WorkbookLimit::PartRatio { .. }
            | WorkbookLimit::PartLargerThanDeclared { .. }
            | WorkbookLimit::TooManySharedTexts { .. }
            | WorkbookLimit::TooManyCells { .. }
            | WorkbookLimit::XlsTooLarge { .. } => self.of_the_archive(lang),
        }
    }
}

impl WorkbookLimit {
    /// The workbook's archive, its parts and what the whole file holds.
    fn of_the_archive(&self, lang: Lang) -> String {
        match self {
            WorkbookLimit::TooManyParts { parts } => lang.say(
                format!(
                    "в архиве книги {parts} частей (допустимо до 10 000); файл повреждён или это не книга"
                ),
                format!(
                    "the workbook's archive has {parts} parts (at most 10,000); the file is damaged or not a workbook"
                ),
            ),
            WorkbookLimit::PartTooLarge { part, bytes } => lang.say(
                format!(
                    "часть книги {part} распаковывается в {bytes} байт (допустимо до 1 ГиБ); разделите данные на несколько файлов"
                ),
                format!(
                    "the part {part} of the workbook unpacks to {bytes} bytes (at most 1 GiB); split the data into several files"
                ),
            ),
            WorkbookLimit::PartRatio { part, ratio } => lang.say(
                format!(
                    "часть книги {part} распаковывается в {ratio} раз больше своего сжатого размера (допустимо до 100): программы электронных таблиц таких файлов не пишут; откройте его в Excel или LibreOffice и сохраните заново"
                ),
                format!(
                    "the part {part} of the workbook unpacks to {ratio} times its packed size (at most 100): spreadsheet programs do not write such files; open it in Excel or LibreOffice and save it again"
                ),
            ),
            WorkbookLimit::PartLargerThanDeclared { part } => lang.say(
                format!(
                    "часть книги {part} распаковывается больше, чем объявлено в архиве; файл повреждён"
                ),
                format!(
                    "the part {part} of the workbook unpacks to more than its archive declares; the file is damaged"
                ),
            ),
            WorkbookLimit::TooManySharedTexts { count } => lang.say(
                format!(
                    "в книге {count} разных текстов (допустимо до 3 000 000); разделите данные на несколько файлов"
                ),
                format!(
                    "the workbook holds {count} distinct texts (at most 3,000,000); split the data into several files"
                ),
            ),
            WorkbookLimit::TooManyCells { cells } => lang.say(
                format!(
                    "листы книги занимают {cells} ячеек (файл .ods или .xls читается целиком: допустимо до 2 000 000); сохраните его как .xlsx или CSV или разделите"
                ),
                format!(
                    "the workbook's sheets span {cells} cells (an .ods or .xls file is read whole: at most 2,000,000); save it as .xlsx or CSV, or split it"
                ),
            ),
            WorkbookLimit::XlsTooLarge { bytes } => lang.say(
                format!(
                    "в файле .xls {bytes} байт (допустимо до 32 МиБ: он читается целиком); сохраните его как .xlsx или CSV"
                ),
                format!(
                    "the .xls file has {bytes} bytes (at most 32 MiB, as it is read whole); save it as .xlsx or CSV"
                ),
            ),
            _ => unreachable!("said by WorkbookLimit::text's other arms"),
        }
    }
}

crate::domain::lang::english_display!(WorkbookLimit);

impl From<WorkbookLimit> for ImportError {
    fn from(limit: WorkbookLimit) -> ImportError {
        ImportError::Limit(limit)
    }
}

/// The name of a cell as a spreadsheet shows it: `XFD1048576` for (1048575, 16383).
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

/// Reads a workbook of any kind calamine reads, within the limits above.
pub(super) fn read_workbook(bytes: &[u8]) -> Result<Source, ImportError> {
    let mut gaps = 0;
    let sheets = if bytes.starts_with(b"PK\x03\x04") {
        match archive::check(bytes)? {
            Zipped::Xlsx => read_xlsx(bytes, &mut gaps)?,
            Zipped::Xlsb => read_xlsb(bytes, &mut gaps)?,
            Zipped::Ods => {
                archive::check_ods(bytes)?;
                let book = calamine::Ods::new(Cursor::new(bytes)).map_err(unreadable)?;
                read_whole(book, &mut gaps)?
            }
        }
    } else {
        xls::check(bytes)?;
        let book = calamine::Xls::new(Cursor::new(bytes)).map_err(unreadable)?;
        read_whole(book, &mut gaps)?
    };
    if sheets.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(Source {
        format: SourceFormat::Workbook,
        sheets,
    })
}

fn unreadable(e: impl std::fmt::Display) -> ImportError {
    ImportError::Workbook(e.to_string())
}

/// The sheets of a workbook that calamine reads cell by cell (`worksheet_cells_reader`
/// of an .xlsx or an .xlsb, which share no trait), each put together by [`Rows`].
macro_rules! sheets_by_cells {
    ($book:expr, $gaps:expr) => {{
        let mut sheets = Vec::new();
        for name in $book.sheet_names() {
            let in_sheet = |e| ImportError::Workbook(format!("{name}: {e}"));
            let mut cells = $book.worksheet_cells_reader(&name).map_err(in_sheet)?;
            let mut rows = Rows::new(&name, $gaps, Some(cells.dimensions()))?;
            while let Some(cell) = cells.next_cell().map_err(in_sheet)? {
                rows.cell(cell.get_position(), cell.get_value())?;
            }
            sheets.push(rows.finish()?);
        }
        sheets
    }};
}

fn read_xlsx(bytes: &[u8], gaps: &mut u64) -> Result<Vec<Sheet>, ImportError> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    Ok(sheets_by_cells!(book, gaps))
}

fn read_xlsb(bytes: &[u8], gaps: &mut u64) -> Result<Vec<Sheet>, ImportError> {
    let mut book = calamine::Xlsb::new(Cursor::new(bytes)).map_err(unreadable)?;
    Ok(sheets_by_cells!(book, gaps))
}

/// The sheets of a workbook calamine has read whole (measured before, see the module),
/// their filled cells taken in the order a cell reader gives them.
fn read_whole<'b, R>(mut book: R, gaps: &mut u64) -> Result<Vec<Sheet>, ImportError>
where
    R: Reader<Cursor<&'b [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::Workbook(format!("{name}: {e}")))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows = Rows::new(&name, gaps, None)?;
        for (row, column, data) in range.used_cells() {
            let at = (top + row as u32, left + column as u32);
            rows.cell(at, &data_ref(data))?;
        }
        sheets.push(rows.finish()?);
    }
    Ok(sheets)
}

/// A cell of a sheet read whole as a cell reader gives it.
fn data_ref(data: &Data) -> DataRef<'_> {
    match data {
        Data::Empty => DataRef::Empty,
        Data::String(s) => DataRef::SharedString(s),
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
    }
}

/// A workbook cell as the text a manager sees in it, appended to `out`: numbers exactly
/// as stored (to the kopeck), dates as `YYYY-MM-DD`, yes/no for booleans. True when it
/// was stored as a number.
fn write_cell(data: &DataRef<'_>, out: &mut String) -> bool {
    match data {
        DataRef::Empty => {}
        DataRef::String(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Int(i) => {
            out.push_str(&i.to_string());
            return true;
        }
        DataRef::Float(f) => {
            out.push_str(&number_text(*f));
            return true;
        }
        DataRef::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) if d.is_datetime() => out.push_str(&dt.date().format("%Y-%m-%d").to_string()),
            _ => {
                out.push_str(&number_text(d.as_f64()));
                return true;
            }
        },
        DataRef::DateTimeIso(s) => out.push_str(s.get(..10).unwrap_or(s)),
        DataRef::Error(e) => out.push_str(&format!("#{e}")),
    }
    false
}

/// A sheet put together from its cells in reading order. The header is the first row
/// with two filled cells (a row with one above it is a title); the sheet's columns are
/// the header's, from its first filled cell to its last, and each row keeps its cells in
/// those columns up to its last filled one (a shorter row reads as empty cells after).
struct Rows<'g> {
    name: String,
    sheet: Sheet,
    /// Empty cells kept between filled ones, in the whole workbook.
    gaps: &'g mut u64,
    /// The header's first and last column, once found.
    columns: Option<(u32, u32)>,
    /// The row being gathered, and its filled cells: column, text in `text`, number.
    row: Option<u32>,
    cells: Vec<(u32, std::ops::Range<usize>, bool)>,
    text: String,
    /// The last row and column holding a cell, filled or not.
    extent: Option<(u32, u32)>,
    declared: Option<calamine::Dimensions>,
}

impl<'g> Rows<'g> {
    /// Refuses at once a sheet that declares itself past Excel's grid.
    fn new(
        name: &str,
        gaps: &'g mut u64,
        declared: Option<calamine::Dimensions>,
    ) -> Result<Rows<'g>, ImportError> {
        if let Some(d) = declared {
            past_the_grid(name, d.end)?;
        }
        Ok(Rows {
            name: name.to_owned(),
            sheet: Sheet::of_workbook(name),
            gaps,
            columns: None,
            row: None,
            cells: Vec::new(),
            text: String::new(),
            extent: None,
            declared,
        })
    }

    fn cell(&mut self, (row, column): (u32, u32), data: &DataRef<'_>) -> Result<(), ImportError> {
        past_the_grid(&self.name, (row, column))?;
        let (last_row, last_column) = self.extent.unwrap_or((0, 0));
        self.extent = Some((last_row.max(row), last_column.max(column)));
        if self.row != Some(row) {
            self.end_row()?;
            self.row = Some(row);
        }
        let start = self.text.len();
        let number = write_cell(data, &mut self.text);
        if self.text[start..].trim().is_empty() {
            self.text.truncate(start);
        } else {
            self.cells.push((column, start..self.text.len(), number));
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), ImportError> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        self.cells.sort_by_key(|(column, ..)| *column);
        let result = self.take_row(row);
        self.cells.clear();
        self.text.clear();
        result
    }

    fn take_row(&mut self, row: u32) -> Result<(), ImportError> {
        let text = &self.text;
        let Some((first, last)) = self.columns else {
            if let [(first, ..), .., (last, ..)] = self.cells[..] {
                let mut filled = self.cells.iter().peekable();
                self.sheet.headers = (first..=last)
                    .map(|column| match filled.next_if(|(c, ..)| *c == column) {
                        Some((_, range, _)) => text[range.clone()].trim().to_owned(),
                        None => String::new(),
                    })
                    .collect();
                self.columns = Some((first, last));
            }
            return Ok(());
        };
        let within: Vec<_> = self
            .cells
            .iter()
            .filter(|(c, ..)| (first..=last).contains(c))
            .collect();
        let Some((row_last, ..)) = within.last() else {
            return Ok(());
        };
        let kept = u64::from(row_last - first + 1);
        *self.gaps += kept - within.len() as u64;
        if *self.gaps > MAX_GAP_CELLS {
            return Err(WorkbookLimit::ScatteredCells {
                sheet: self.name.clone(),
            }
            .into());
        }
        let mut filled = within.iter().peekable();
        let cells =
            (first..=*row_last).map(|column| match filled.next_if(|(c, ..)| *c == column) {
                Some((_, range, number)) => (&text[range.clone()], *number),
                None => ("", false),
            });
        self.sheet.push_row(u64::from(row) + 1, cells)
    }

    /// The sheet, unless it declared a dimension far past its cells.
    fn finish(mut self) -> Result<Sheet, ImportError> {
        self.end_row()?;
        if let Some(declared) = self.declared {
            let (rows, columns) = self.extent.map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let content = u64::from(rows) * u64::from(columns);
            let spans = (u64::from(declared.end.0) + 1) * (u64::from(declared.end.1) + 1);
            if spans > content + DIMENSION_SLACK {
                return Err(WorkbookLimit::DeclaredPastContent {
                    sheet: self.name,
                    declared: format!(
                        "{}:{}",
                        cell_name(declared.start.0, declared.start.1),
                        cell_name(declared.end.0, declared.end.1)
                    ),
                    content: cell_name(rows.saturating_sub(1), columns.saturating_sub(1)),
                }
                .into());
            }
        }
        Ok(self.sheet)
    }
}

/// Refuses a position past Excel's last row or column.
fn past_the_grid(sheet: &str, (row, column): (u32, u32)) -> Result<(), ImportError> {
    if row >= MAX_ROWS {
        return Err(WorkbookLimit::PastLastRow {
            sheet: sheet.to_owned(),
        }
        .into());
    }
    if column >= MAX_COLUMNS {
        return Err(WorkbookLimit::PastLastColumn {
            sheet: sheet.to_owned(),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 2), "C12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }
}
