//! Reading what managers bring: CSV in UTF-8 or Windows-1251 (as 1C and Excel save it), and
//! workbooks (`.xlsx`, `.xls`, `.ods`). Every source becomes sheets of text cells under a
//! header row; what the cells mean is decided later, by the column mapping.

use std::io::Cursor;

use calamine::{Data, Reader};
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

/// One sheet: its header row and the data rows under it.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
}

/// One data row, and where it is in the file: the line of a CSV file, the row number of a
/// sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A cell as text. `number` is set when a workbook stored it as a number (an INN that lost
/// its leading zero that way gets it back).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub number: bool,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: false,
        }
    }
}

/// Reads a file of any supported kind, telling workbooks from CSV by their first bytes.
pub fn read_source(bytes: &[u8]) -> Result<Source, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    // .xlsx and .ods are ZIP archives; .xls is an OLE compound file.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return read_workbook(bytes);
    }
    let (text, encoding) = decode_text(bytes)?;
    Ok(Source {
        format: SourceFormat::Csv { encoding },
        sheets: vec![read_csv(&text)?],
    })
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

/// The delimiter of the header line: the most frequent of `;`, tab and `,`.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.chars().filter(|&x| x == c).count();
    [(b';', count(';')), (b'\t', count('\t')), (b',', count(','))]
        .into_iter()
        .max_by_key(|&(d, n)| (n, d == b','))
        .map_or(b',', |(d, _)| d)
}

/// From this size on, a CSV file is read in two halves on two threads when it can be.
const HALVES_BYTES: usize = 4 << 20;

fn read_csv(text: &str) -> Result<Sheet, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let delimiter = detect_delimiter(text);
    // A file without a quote has no field a line break could be inside: any line break
    // ends a record, so the second half can be read from the first one after the middle.
    let middle = text.len() / 2;
    let split = (text.len() >= HALVES_BYTES && !text.as_bytes().contains(&b'"'))
        .then(|| text.as_bytes()[middle..].iter().position(|&b| b == b'\n'))
        .flatten()
        .map(|at| middle + at + 1);
    let Some(split) = split else {
        let (headers, rows) = read_records(text, delimiter, true)?;
        return Ok(Sheet {
            name: String::new(),
            headers,
            rows,
        });
    };
    let (head, tail) = text.split_at(split);
    let tail_line = 1 + head.bytes().filter(|&b| b == b'\n').count() as u64;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_records(tail, delimiter, false));
        let first = read_records(head, delimiter, true);
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second.map(|(_, rows)| (tail_line, rows)))
    });
    let (headers, mut rows) = first?;
    let (tail_line, tail_rows) = second?;
    rows.extend(tail_rows.into_iter().map(|row| SourceRow {
        line: row.line + tail_line - 1,
        ..row
    }));
    Ok(Sheet {
        name: String::new(),
        headers,
        rows,
    })
}

/// The header (when the text starts with one) and the records of CSV text, each with
/// its line counted from 1 at the text's start.
fn read_records(
    text: &str,
    delimiter: u8,
    with_header: bool,
) -> Result<(Vec<String>, Vec<SourceRow>), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(with_header)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = if with_header {
        reader
            .headers()
            .map_err(|e| ImportError::Malformed {
                line: 1,
                message: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect()
    } else {
        Vec::new()
    };
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
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Malformed {
            line: e.position().map_or(0, |p| line_at(p.byte())),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        rows.push(SourceRow {
            line,
            cells: record.iter().map(Cell::text).collect(),
        });
    }
    Ok((headers, rows))
}

fn read_workbook(bytes: &[u8]) -> Result<Source, ImportError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::Workbook(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::Workbook(format!("{name}: {e}")))?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        let mut rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| SourceRow {
                line: u64::from(first_row) + i as u64 + 1,
                cells: cells.iter().map(cell_of).collect(),
            })
            .filter(|row| row.cells.iter().any(|c| !c.text.trim().is_empty()));
        // The header is the first row with anything in it (titles above a table are common
        // in exports, so a row with a single filled cell is taken as a title, not a header).
        let mut headers = Vec::new();
        for row in rows.by_ref() {
            let filled = row
                .cells
                .iter()
                .filter(|c| !c.text.trim().is_empty())
                .count();
            if filled >= 2 {
                headers = row
                    .cells
                    .into_iter()
                    .map(|c| c.text.trim().to_owned())
                    .collect();
                break;
            }
        }
        sheets.push(Sheet {
            name,
            headers,
            rows: rows.collect(),
        });
    }
    if sheets.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(Source {
        format: SourceFormat::Workbook,
        sheets,
    })
}

/// A workbook cell as the text a manager sees in it: numbers exactly as stored (to the
/// kopeck), dates as `YYYY-MM-DD`, yes/no for booleans.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::text(s.clone()),
        Data::Int(i) => Cell {
            text: i.to_string(),
            number: true,
        },
        Data::Float(f) => Cell {
            text: number_text(*f),
            number: true,
        },
        Data::Bool(b) => Cell::text(if *b { "yes" } else { "no" }),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if d.is_datetime() => Cell::text(dt.date().format("%Y-%m-%d").to_string()),
            _ => Cell {
                text: number_text(d.as_f64()),
                number: true,
            },
        },
        Data::DateTimeIso(s) => Cell::text(s.get(..10).unwrap_or(s).to_owned()),
        Data::DurationIso(s) => Cell::text(s.clone()),
        Data::Error(e) => Cell::text(format!("#{e}")),
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
            let sheet = read_csv(text).unwrap();
            let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4], "{text:?}");
        }
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

    #[test]
    fn a_large_csv_read_in_two_halves_is_the_file_read_in_one() {
        // Over the threshold, CRLF ends, blank lines, Cyrillic: lines must still be counted
        // as an editor shows them.
        let mut text = String::from("date;partner_inn;client;amount\r\n");
        let mut n = 0;
        while text.len() < HALVES_BYTES + 1_000 {
            n += 1;
            text.push_str(&format!(
                "2025-01-{:02};7707083893;Клиент {n};{n},50\r\n",
                n % 28 + 1
            ));
            if n % 1_000 == 0 {
                text.push_str("\r\n");
            }
        }
        let halves = read_csv(&text).unwrap_or_else(|e| panic!("{e:?}"));
        let (headers, rows) = read_records(&text, b';', true).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(halves.headers, headers);
        assert_eq!(halves.rows.len(), n);
        assert_eq!(halves.rows, rows);
        let last = halves.rows.last().map(|r| r.line);
        assert_eq!(last, Some(1 + n as u64 + (n as u64 / 1_000)));
    }
}
