//! Reading what managers bring: CSV in UTF-8 or Windows-1251 (as 1C and Excel save it), and
//! workbooks (`.xlsx`, `.xls`, `.ods`, read by `workbook`). Every source becomes sheets of
//! text cells under a header row; what the cells mean is decided later, by the column
//! mapping.

use rust_decimal::{Decimal, RoundingStrategy};

use super::ImportError;

/// How the bytes were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Csv { encoding: TextEncoding },
    Workbook,
}

/// The text encoding of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16,
    Windows1251,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16 => "UTF-16",
            TextEncoding::Windows1251 => "Windows-1251",
        }
    }
}

/// A file read into sheets (a CSV file is one sheet).
#[derive(Clone, Debug)]
pub struct Source {
    pub format: SourceFormat,
    pub sheets: Vec<Sheet>,
}

impl Source {
    /// The encoding a CSV file was read in; none for a workbook.
    pub fn encoding(&self) -> Option<TextEncoding> {
        match self.format {
            SourceFormat::Csv { encoding } => Some(encoding),
            SourceFormat::Workbook => None,
        }
    }
}

/// One sheet: its header row and the data rows under it.
///
/// The cells are spans of one text: the CSV file itself when its cells are as written
/// (no quotes), else their text one after another. A sheet of a million rows is three
/// allocations, not seven million; [`Sheet::cells`] reads a row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
    text: String,
    spans: Vec<Span>,
    /// A workbook's rows end at their last filled cell, and may be shorter than the
    /// header; a CSV row has as many cells as its header.
    ragged: bool,
}

/// Where a cell's text is in the sheet's text, and whether a workbook stored it as a
/// number (the high bit of `end`): eight bytes a cell, so that a million rows of nine cells
/// take 72 MB rather than 216.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Span {
    start: u32,
    end: u32,
}

/// The bit of [`Span::end`] that says a workbook stored the cell as a number.
const NUMBER: u32 = 1 << 31;

/// The most text one sheet holds (2 GiB less a byte): what a span can point into.
pub const MAX_TEXT: usize = (NUMBER - 1) as usize;

impl Span {
    /// A span of text within [`MAX_TEXT`], which the sheet's readers make sure of.
    fn new(start: usize, end: usize, number: bool) -> Span {
        debug_assert!(end <= MAX_TEXT);
        Span {
            start: start as u32,
            end: end as u32 | if number { NUMBER } else { 0 },
        }
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.end & !NUMBER) as usize
    }

    fn number(self) -> bool {
        self.end & NUMBER != 0
    }
}

/// One data row, and where it is in the file: the line of a CSV file, the row number of a
/// sheet. Its cells are read through the sheet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SourceRow {
    pub line: u64,
    /// Its cells: `spans[first..first + len]` of the sheet.
    first: u32,
    len: u32,
}

impl SourceRow {
    /// The number of cells in the row.
    pub fn width(&self) -> usize {
        self.len as usize
    }

    fn spans(&self) -> std::ops::Range<usize> {
        self.first as usize..(self.first + self.len) as usize
    }
}

/// A cell as text. `number` is set when a workbook stored it as a number (an INN that lost
/// its leading zero that way gets it back).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cell<'s> {
    pub text: &'s str,
    pub number: bool,
}

impl Sheet {
    /// An empty sheet of a workbook, named.
    pub(super) fn of_workbook(name: &str) -> Sheet {
        Sheet {
            name: name.to_owned(),
            ragged: true,
            ..Sheet::default()
        }
    }

    /// Whether `row` has as many cells as the header (a workbook's row: at most as many,
    /// the rest empty).
    pub fn fits(&self, row: &SourceRow) -> bool {
        let width = self.headers.len();
        row.width() == width || (self.ragged && row.width() < width)
    }

    /// The cells of `row`, a row of this sheet.
    pub fn cells(&self, row: &SourceRow) -> impl Iterator<Item = Cell<'_>> {
        self.spans[row.spans()]
            .iter()
            .map(|span| self.cell_of(span))
    }

    /// The sheet without the rows at `lines` (their lines in the file are kept).
    pub fn without_lines(&self, lines: &std::collections::HashSet<u64>) -> Sheet {
        Sheet {
            rows: self
                .rows
                .iter()
                .filter(|r| !lines.contains(&r.line))
                .copied()
                .collect(),
            ..self.clone()
        }
    }

    /// A row with nothing but spaces in its cells: no row of data, whatever the kind.
    pub fn is_blank(&self, row: &SourceRow) -> bool {
        self.cells(row).all(|c| c.text.trim().is_empty())
    }

    /// The cell of `row` in `column`, when the row is that wide.
    pub fn cell(&self, row: &SourceRow, column: usize) -> Option<Cell<'_>> {
        (column < row.width()).then(|| self.cell_of(&self.spans[row.first as usize + column]))
    }

    fn cell_of(&self, span: &Span) -> Cell<'_> {
        Cell {
            text: &self.text[span.range()],
            number: span.number(),
        }
    }

    /// Adds a row of cells, each its text and whether a workbook stored it as a number.
    /// Fails when the sheet would outgrow [`MAX_TEXT`].
    pub(super) fn push_row<'c>(
        &mut self,
        line: u64,
        cells: impl IntoIterator<Item = (&'c str, bool)>,
    ) -> Result<(), ImportError> {
        let first = self.spans.len();
        for (text, number) in cells {
            let start = self.text.len();
            if start + text.len() > MAX_TEXT {
                return Err(ImportError::TooLarge);
            }
            self.text.push_str(text);
            self.spans.push(Span::new(start, self.text.len(), number));
        }
        self.push_row_of(line, first);
        Ok(())
    }

    /// Adds the row whose cells are the spans from `first` on.
    fn push_row_of(&mut self, line: u64, first: usize) {
        self.rows.push(SourceRow {
            line,
            first: first as u32,
            len: (self.spans.len() - first) as u32,
        });
    }
}

/// Reads a file of any supported kind, telling workbooks from CSV by their first bytes.
pub fn read_source(bytes: &[u8]) -> Result<Source, ImportError> {
    if is_workbook(bytes) {
        return super::workbook::read_workbook(bytes);
    }
    read_text_source(decode_text(bytes)?)
}

/// [`read_source`] of bytes it may keep: a file in UTF-8 becomes the sheet's text as it
/// is, not a copy of it.
pub fn read_source_owned(bytes: Vec<u8>) -> Result<Source, ImportError> {
    if is_workbook(&bytes) {
        return super::workbook::read_workbook(&bytes);
    }
    read_text_source(decode_owned(bytes)?)
}

/// .xlsx and .ods are ZIP archives; .xls is an OLE compound file.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn read_text_source((text, encoding): (String, TextEncoding)) -> Result<Source, ImportError> {
    Ok(Source {
        format: SourceFormat::Csv { encoding },
        sheets: vec![read_csv(text)?],
    })
}

/// [`decode_text`] of bytes it may keep.
fn decode_owned(mut bytes: Vec<u8>) -> Result<(String, TextEncoding), ImportError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom = bytes.starts_with(BOM);
    if !bom && encoding_rs::Encoding::for_bom(&bytes).is_some() {
        return decode_text(&bytes);
    }
    if bom {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, TextEncoding::Utf8)),
        // Text that says it is UTF-8 and is not.
        Err(_) if bom => Err(ImportError::NotText),
        Err(e) => decode_text(e.as_bytes()),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, otherwise
/// Windows-1251, the encoding of CSV files saved by 1C and by Russian Excel.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ImportError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(ImportError::NotText);
        }
        let label = if encoding == encoding_rs::UTF_8 {
            TextEncoding::Utf8
        } else {
            TextEncoding::Utf16
        };
        return Ok((text.into_owned(), label));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), TextEncoding::Utf8));
    }
    one_encoding(bytes)?;
    let (text, had_errors) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    // Control characters other than tab and line breaks mean a binary file, not text.
    if had_errors
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(ImportError::NotText);
    }
    Ok((text.into_owned(), TextEncoding::Windows1251))
}

/// Refuses text that is not UTF-8 as a whole yet holds lines of UTF-8 beyond ASCII: two
/// encodings in one file (a line pasted from elsewhere), which read as either would turn
/// the other's letters into nonsense. Names the first line that is not UTF-8, and one that
/// is.
fn one_encoding(bytes: &[u8]) -> Result<(), ImportError> {
    let mut not_utf8 = None;
    let mut utf8 = None;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i as u64 + 1;
        match std::str::from_utf8(line) {
            Err(_) => {
                not_utf8.get_or_insert(line_no);
            }
            Ok(text) if !text.is_ascii() => {
                utf8.get_or_insert(line_no);
            }
            Ok(_) => {}
        }
        if let (Some(line), Some(utf8_line)) = (not_utf8, utf8) {
            return Err(ImportError::MixedEncoding { line, utf8_line });
        }
    }
    Ok(())
}

/// The delimiter of the header line: the most frequent of `;`, tab and `,`.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.chars().filter(|&x| x == c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == b','))
        .map_or(b',', |(d, _)| d)
}

fn read_csv(text: String) -> Result<Sheet, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if text.len() > MAX_TEXT {
        return Err(ImportError::TooLarge);
    }
    let delimiter = detect_delimiter(&text);
    if is_plain(&text) {
        Ok(split_plain(text, delimiter))
    } else {
        read_records(&text, delimiter)
    }
}

/// Whether every cell of the CSV text is as written: no quotes, and no line ended by a
/// carriage return alone. Each line is then a record and each delimiter ends a cell.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr(b'"', bytes).is_none()
        && memchr::memchr_iter(b'\r', bytes).all(|at| bytes.get(at + 1) == Some(&b'\n'))
}

/// Reads [`is_plain`] CSV text as the `csv` reader would, its cells spans of the text
/// itself: the first line that is not blank is the header, every other one a row.
fn split_plain(text: String, delimiter: u8) -> Sheet {
    let bytes = text.as_bytes();
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut sheet = Sheet {
        rows: Vec::with_capacity(lines),
        spans: Vec::with_capacity(lines + memchr::memchr_iter(delimiter, bytes).count()),
        ..Sheet::default()
    };
    let mut header: Option<Vec<String>> = None;
    let (mut line, mut line_start, mut cell_start) = (1, 0, 0);
    let mut first = 0;
    let ends = memchr::memchr2_iter(b'\n', delimiter, bytes).chain([bytes.len()]);
    for at in ends {
        let span = |end| Span::new(cell_start, end, false);
        if bytes.get(at).is_some_and(|&b| b != b'\n') {
            sheet.spans.push(span(at));
            cell_start = at + 1;
            continue;
        }
        let end = if at > cell_start && bytes[at - 1] == b'\r' {
            at - 1
        } else {
            at
        };
        // A blank line is no record.
        if end > line_start || sheet.spans.len() > first {
            sheet.spans.push(span(end));
            if header.is_none() {
                let cells = sheet.spans.drain(first..);
                header = Some(cells.map(|s| text[s.range()].trim().to_owned()).collect());
            } else {
                sheet.push_row_of(line, first);
            }
        }
        first = sheet.spans.len();
        (line, line_start, cell_start) = (line + 1, at + 1, at + 1);
    }
    sheet.headers = header.unwrap_or_default();
    sheet.text = text;
    sheet
}

/// The records of CSV text under its header, each with its line counted from 1 at the
/// text's start.
fn read_records(text: &str, delimiter: u8) -> Result<Sheet, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Malformed {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    // The reader's own line count slips on blank lines and CRLF ends; the line an editor
    // shows is counted from the record's byte offset instead.
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| {
        let mut byte = (byte as usize).min(text.len());
        // A record's offset may point at the blank lines the reader skipped before it.
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte >= counted.0 {
            counted.1 += text.as_bytes()[counted.0..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted.0 = byte;
        }
        counted.1
    };
    let mut sheet = Sheet {
        headers,
        ..Sheet::default()
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(sheet),
            Ok(true) => {
                let line = record.position().map_or(0, |p| line_at(p.byte()));
                sheet.push_row(line, record.iter().map(|cell| (cell, false)))?;
            }
            Err(e) => {
                return Err(ImportError::Malformed {
                    line: e.position().map_or(0, |p| line_at(p.byte())),
                    message: e.to_string(),
                });
            }
        }
    }
}

/// The decimal a workbook number stands for. A spreadsheet keeps `1234.56` as the nearest
/// binary fraction; its shortest round-trip form is the decimal that was typed. A figure a
/// formula left a hair off a kopeck (`0.1 + 0.2`) is put back on it; anything else with
/// more than two decimals is kept as it is, for the amount check to refuse.
pub fn number_text(value: f64) -> String {
    let shortest = format!("{value}");
    let Ok(decimal) = shortest.parse::<Decimal>() else {
        return shortest;
    };
    if decimal.scale() <= 2 {
        return decimal.normalize().to_string();
    }
    let kopecks = decimal.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if (decimal - kopecks).abs() < Decimal::new(1, 9) {
        kopecks.normalize().to_string()
    } else {
        shortest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_numbers_are_read_exactly_to_the_kopeck() {
        assert_eq!(number_text(1234.56), "1234.56");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1_000_000.0), "1000000");
        assert_eq!(number_text(99_999_999.99), "99999999.99");
        assert_eq!(number_text(7707083893.0), "7707083893");
        assert_eq!(number_text(0.005), "0.005");
    }

    #[test]
    fn bytes_kept_are_read_as_bytes_lent_are() {
        let utf8 = "Дата;Сумма\n01.02.2025;100\n".as_bytes().to_vec();
        let bom = [b"\xEF\xBB\xBF".as_slice(), &utf8].concat();
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Дата;Сумма\n01.02.2025;100\n");
        let utf16: Vec<u8> = "\u{feff}Дата;Сумма\n01.02.2025;100\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let broken_bom = [b"\xEF\xBB\xBF".as_slice(), &cp1251].concat();
        for bytes in [utf8, bom, cp1251.to_vec(), utf16] {
            let lent = read_source(&bytes).unwrap();
            let kept = read_source_owned(bytes).unwrap();
            assert_eq!(kept.format, lent.format);
            assert_eq!(kept.sheets, lent.sheets);
            assert_eq!(kept.sheets[0].headers, ["Дата", "Сумма"]);
        }
        // Said to be UTF-8 by its mark, and not: refused either way.
        assert!(matches!(
            read_source(&broken_bom),
            Err(ImportError::NotText)
        ));
        assert!(matches!(
            read_source_owned(broken_bom),
            Err(ImportError::NotText)
        ));
    }

    #[test]
    fn a_cell_is_eight_bytes_and_a_row_sixteen() {
        assert_eq!(std::mem::size_of::<Span>(), 8);
        assert_eq!(std::mem::size_of::<SourceRow>(), 16);
        let mut sheet = Sheet::default();
        sheet.push_row(2, [("12", true), ("x", false)]).unwrap();
        let cells: Vec<_> = sheet.cells(&sheet.rows[0]).collect();
        assert_eq!((cells[0].text, cells[0].number), ("12", true));
        assert_eq!((cells[1].text, cells[1].number), ("x", false));
    }

    #[test]
    fn windows_1251_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Дата;Сумма\n01.02.2025;100\n");
        let (text, encoding) = decode_text(&bytes).unwrap();
        assert_eq!(encoding, TextEncoding::Windows1251);
        assert!(text.starts_with("Дата;Сумма"));
        let (text, encoding) = decode_text("Дата;Сумма".as_bytes()).unwrap();
        assert_eq!(
            (text.as_str(), encoding),
            ("Дата;Сумма", TextEncoding::Utf8)
        );
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "ИНН\tИмя".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let source = read_source(&bytes).unwrap();
        assert_eq!(source.sheets[0].headers, ["ИНН", "Имя"]);
    }

    #[test]
    fn rows_carry_the_line_an_editor_shows_whatever_the_line_ends() {
        for text in ["a,b\n1,2\n\n3,4\n", "a,b\r\n1,2\r\n\r\n3,4\r\n"] {
            let sheet = read_csv(text.to_owned()).unwrap();
            let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4], "{text:?}");
        }
    }

    #[test]
    fn a_file_of_utf8_lines_and_a_windows_1251_line_is_refused_naming_the_first_bad_line() {
        let (line, _, _) = encoding_rs::WINDOWS_1251.encode("7707083894;ООО «Бета»\n");
        let bytes = [
            "inn;name\n7707083893;ООО «Альфа»\n".as_bytes(),
            &line,
            "7736207543;ООО «Гамма»\n".as_bytes(),
        ]
        .concat();
        let e = decode_text(&bytes).unwrap_err();
        assert!(
            matches!(
                e,
                ImportError::MixedEncoding {
                    line: 3,
                    utf8_line: 2
                }
            ),
            "{e:?}"
        );
        assert!(matches!(
            read_source_owned(bytes),
            Err(ImportError::MixedEncoding { line: 3, .. })
        ));
        // A file all in Windows-1251, or all in UTF-8, is read as it is.
        let (all, _, _) = encoding_rs::WINDOWS_1251.encode("inn;name\n7707083893;ООО «Альфа»\n");
        assert_eq!(decode_text(&all).unwrap().1, TextEncoding::Windows1251);
    }

    #[test]
    fn binary_bytes_are_not_taken_for_text() {
        assert!(matches!(
            decode_text(&[0x00, 0x01, 0xFF, 0x02]),
            Err(ImportError::NotText)
        ));
    }

    #[test]
    fn the_delimiter_is_the_commonest_of_semicolon_tab_and_comma() {
        assert_eq!(detect_delimiter("a;b;c\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a,b;c,d\n"), b',');
        assert_eq!(detect_delimiter("a\n"), b',');
    }

    /// A row's line and cells.
    type Contents = (u64, Vec<(String, bool)>);

    /// The headers, and each row's line and cells.
    fn contents(sheet: &Sheet) -> (Vec<String>, Vec<Contents>) {
        let rows = sheet.rows.iter().map(|row| {
            let cells = sheet.cells(row).map(|c| (c.text.to_owned(), c.number));
            (row.line, cells.collect())
        });
        (sheet.headers.clone(), rows.collect())
    }

    #[test]
    fn a_csv_without_quotes_is_split_as_the_csv_reader_reads_it() {
        let texts = [
            "a,b\n1,2\n\n3,4\n",
            "a,b\r\n1,2\r\n\r\n3,4\r\n",
            "\n\r\nh1;h2;h3\r\n;;\r\n x ; y\r\nя;ю;э;лишнее\r\n\r\n\nlast;no;newline",
            "a,b,c",
            "a\tb\n1\t2\n",
            "a\n1\n\n2",
            "a,b,\n1,2,\n",
            "a,b\n   \n1,2\n",
            " дата ; ИНН \n2025-01-02;7707083893\n",
        ];
        for text in texts {
            assert!(is_plain(text), "{text:?}");
            let delimiter = detect_delimiter(text);
            let read = read_records(text, delimiter).unwrap_or_else(|e| panic!("{e:?}"));
            let split = split_plain(text.to_owned(), delimiter);
            assert_eq!(contents(&split), contents(&read), "{text:?}");
        }
        // Quotes, or a line ended by a carriage return alone, go to the reader.
        assert!(!is_plain("a,b\n\"1,5\",2\n"));
        assert!(!is_plain("a,b\r1,2\r"));
        let sheet = read_csv("a,b\n\"x\ny\",2\n3,4\n".into()).unwrap_or_else(|e| panic!("{e:?}"));
        let (_, rows) = contents(&sheet);
        assert_eq!(rows[0].1[0].0, "x\ny");
        assert_eq!(rows[1].0, 4);
    }
}
