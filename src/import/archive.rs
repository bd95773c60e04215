//! A workbook's zip archive (.xlsx, .xlsb, .ods) looked at before calamine reads it: how
//! many parts it has, what each part unpacks to — as the archive declares it and as it
//! really is, unpacked here through a small buffer — and how many shared texts an .xlsx
//! holds. calamine keeps a part's text nodes and an .xlsx's shared texts in memory whole,
//! so a part that unpacks a thousandfold would take gigabytes there; here it costs the
//! buffer.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::ImportError;
use super::workbook::{
    MAX_COLUMNS, MAX_PART_BYTES, MAX_PART_RATIO, MAX_PARTS, MAX_ROWS, MAX_SHARED_TEXTS,
    MAX_WHOLE_CELLS, RATIO_FROM_BYTES, WorkbookLimit,
};

/// The spreadsheet formats that are zip archives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Zipped {
    Xlsx,
    Xlsb,
    Ods,
}

/// Checks every part of the archive against the limits and tells which format it holds.
pub(super) fn check(bytes: &[u8]) -> Result<Zipped, ImportError> {
    if let Some(parts) = declared_parts(bytes)
        && parts > MAX_PARTS
    {
        return Err(WorkbookLimit::TooManyParts { parts }.into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Workbook(e.to_string()))?;
    let mut kind = Zipped::Xlsx;
    let mut buf = vec![0u8; 64 << 10];
    for index in 0..zip.len() {
        let mut part = zip
            .by_index(index)
            .map_err(|e| ImportError::Workbook(e.to_string()))?;
        let name = part.name().to_owned();
        match name.as_str() {
            "mimetype" => kind = Zipped::Ods,
            "xl/workbook.bin" => kind = Zipped::Xlsb,
            _ => {}
        }
        let declared = part.size();
        let packed = part.compressed_size().max(1);
        if declared > MAX_PART_BYTES {
            return Err(WorkbookLimit::PartTooLarge {
                part: name,
                bytes: declared,
            }
            .into());
        }
        if declared > RATIO_FROM_BYTES && declared / packed > MAX_PART_RATIO {
            return Err(WorkbookLimit::PartRatio {
                part: name,
                ratio: declared / packed,
            }
            .into());
        }
        let shared = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let mut texts = SharedTexts::default();
        let mut unpacked = 0u64;
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ImportError::Workbook(format!("{name}: {e}"))),
            };
            unpacked += n as u64;
            // A part that unpacks to more than it declared is refused as it passes the
            // declaration, before anything reads it.
            if unpacked > declared {
                return Err(WorkbookLimit::PartLargerThanDeclared { part: name }.into());
            }
            if shared {
                texts.scan(&buf[..n]);
                if let Some(count) = texts.over_limit() {
                    return Err(WorkbookLimit::TooManySharedTexts { count }.into());
                }
            }
        }
    }
    Ok(kind)
}

/// The number of parts the archive's end record declares, read before the archive's
/// directory is read whole.
fn declared_parts(bytes: &[u8]) -> Option<u64> {
    const END: &[u8] = b"PK\x05\x06";
    let tail = bytes.len().saturating_sub(22 + u16::MAX as usize);
    let at = memchr::memmem::rfind(&bytes[tail..], END)? + tail;
    let count = bytes.get(at + 10..at + 12)?;
    Some(u64::from(u16::from_le_bytes([count[0], count[1]])))
}

/// What the shared texts of an .xlsx declare and hold, read as they are unpacked: the
/// `uniqueCount` calamine reserves room for, and the `<si>` elements it keeps.
#[derive(Default)]
struct SharedTexts {
    /// The start of the part, until the `<sst …>` tag is whole.
    head: Vec<u8>,
    declared: Option<u64>,
    found: u64,
    /// The last bytes of the previous piece, so a tag split between two is still seen.
    /// (`</x:si>` of a prefixed file counts too: the count errs high, never low.)
    carry: Vec<u8>,
}

impl SharedTexts {
    fn scan(&mut self, piece: &[u8]) {
        if self.declared.is_none() && self.head.len() < 64 << 10 {
            self.head
                .extend_from_slice(&piece[..piece.len().min(64 << 10)]);
            self.declared = declared_count(&self.head);
        }
        let mut joined = std::mem::take(&mut self.carry);
        let carried = joined.len();
        joined.extend_from_slice(piece);
        for at in memchr::memmem::find_iter(&joined, b"si") {
            let before = at.checked_sub(1).and_then(|i| joined.get(i));
            let after = joined.get(at + 2);
            // A match whose last byte was carried over was counted with the last piece.
            if at + 2 >= carried
                && matches!(before, Some(b'<' | b':'))
                && matches!(after, Some(b'>' | b' ' | b'\t' | b'\r' | b'\n'))
            {
                self.found += 1;
            }
        }
        let keep = joined.len().min(3);
        self.carry = joined[joined.len() - keep..].to_vec();
    }

    /// The count past the limit, declared or found.
    fn over_limit(&self) -> Option<u64> {
        let count = self.found.max(self.declared.unwrap_or(0));
        (count > MAX_SHARED_TEXTS).then_some(count)
    }
}

/// The `uniqueCount` (or else `count`) of the `<sst …>` tag at the start of the shared
/// texts, once the tag is whole.
fn declared_count(head: &[u8]) -> Option<u64> {
    let start = memchr::memmem::find(head, b"sst")?;
    let end = memchr::memchr(b'>', &head[start..])? + start;
    let tag = &head[start..end];
    let value = |name: &[u8]| {
        let at = memchr::memmem::find(tag, name)? + name.len();
        let digits = tag[at..].iter().take_while(|b| b.is_ascii_digit());
        let text: Vec<u8> = digits.copied().collect();
        // More digits than a u64 holds is more than any limit.
        std::str::from_utf8(&text)
            .ok()?
            .parse::<u64>()
            .ok()
            .or(Some(u64::MAX))
    };
    Some(
        value(b"uniqueCount=\"")
            .or_else(|| value(b"count=\""))
            .unwrap_or(0),
    )
}

/// Refuses an .ods whose sheets calamine would make too large. calamine reads the
/// content whole: each row's cells with their repeats across (`number-columns-repeated`,
/// up to the row's last filled cell), then the rectangle of the filled ones with each
/// row's repeats down (`number-rows-repeated`). Both are counted here, streaming, before.
pub(super) fn check_ods(bytes: &[u8]) -> Result<(), ImportError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Workbook(e.to_string()))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| ImportError::Workbook(format!("content.xml: {e}")))?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.expand_empty_elements = true;
    let fault = |e: quick_xml::Error| ImportError::Workbook(format!("content.xml: {e}"));
    let mut buf = Vec::new();
    let mut tables = OdsCount::default();
    let mut table = OdsTable::default();
    let mut row: Option<OdsRow> = None;
    // Inside a cell: its depth below the cell and whether anything is in it.
    let mut cell: Option<(u32, usize, bool)> = None;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(fault)?;
        if let Some((depth, repeats, filled)) = cell.as_mut() {
            match event {
                Event::Start(_) => {
                    *depth += 1;
                    *filled = true;
                }
                Event::End(_) if *depth == 0 => {
                    let (repeats, filled) = (*repeats, *filled);
                    cell = None;
                    if let Some(row) = row.as_mut() {
                        row.cells(repeats, filled);
                    }
                }
                Event::End(_) => *depth -= 1,
                Event::Text(t) if !t.iter().all(u8::is_ascii_whitespace) => *filled = true,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"table:table" => table = OdsTable::default(),
                b"table:table-row" => {
                    row = Some(OdsRow {
                        repeats: repeated(&e, b"table:number-rows-repeated"),
                        ..OdsRow::default()
                    });
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let valued = e
                        .try_get_attribute(b"office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                    cell = Some((0, repeated(&e, b"table:number-columns-repeated"), valued));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"table:table-row" => {
                    if let Some(row) = row.take() {
                        table.row(row);
                    }
                }
                b"table:table" => {
                    tables.add(&std::mem::take(&mut table));
                    if let Some(cells) = tables.over_limit() {
                        return Err(WorkbookLimit::TooManyCells { cells }.into());
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if let Some(cells) = tables.over_limit_with(&table) {
            return Err(WorkbookLimit::TooManyCells { cells }.into());
        }
    }
    Ok(())
}

/// A repeat count attribute, 1 when absent or unreadable (calamine then fails itself).
fn repeated(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> usize {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
        .unwrap_or(1)
}

/// One row of an .ods as calamine keeps it.
#[derive(Default)]
struct OdsRow {
    repeats: usize,
    /// Cells kept: up to the last filled one, with their repeats, at most 16,384.
    width: usize,
    /// Empty cells not yet kept (kept only if a filled one follows).
    pending: usize,
    first_filled: Option<usize>,
}

impl OdsRow {
    fn cells(&mut self, repeats: usize, filled: bool) {
        let room = MAX_COLUMNS as usize;
        if !filled {
            self.pending = self.pending.saturating_add(repeats);
            return;
        }
        self.width = self.width.saturating_add(self.pending).min(room);
        self.first_filled.get_or_insert(self.width);
        self.width = self.width.saturating_add(repeats).min(room);
        self.pending = 0;
    }
}

/// One sheet of an .ods as calamine builds it.
#[derive(Default)]
struct OdsTable {
    /// Rows so far (with repeats), capped at Excel's last row as calamine caps them.
    rows: usize,
    /// Cells kept row by row, before the rows' repeats.
    kept: u64,
    /// The first and last rows (with repeats) holding a filled cell.
    filled_rows: Option<(usize, usize)>,
    /// The first and last columns holding one.
    columns: Option<(usize, usize)>,
}

impl OdsTable {
    fn row(&mut self, row: OdsRow) {
        let repeats = row
            .repeats
            .min((MAX_ROWS as usize).saturating_sub(self.rows));
        self.kept += row.width as u64;
        if let Some(first) = row.first_filled {
            let (top, _) = self.filled_rows.unwrap_or((self.rows, 0));
            self.filled_rows = Some((top, self.rows + repeats.max(1) - 1));
            let (left, right) = self.columns.unwrap_or((first, 0));
            self.columns = Some((left.min(first), right.max(row.width - 1)));
        }
        self.rows += repeats;
    }

    /// The rectangle calamine makes of the filled cells.
    fn area(&self) -> u64 {
        match (self.filled_rows, self.columns) {
            (Some((top, bottom)), Some((left, right))) => {
                (bottom - top + 1) as u64 * (right - left + 1) as u64
            }
            _ => 0,
        }
    }
}

/// The cells of the sheets counted so far.
#[derive(Default)]
struct OdsCount {
    kept: u64,
    area: u64,
}

impl OdsCount {
    fn add(&mut self, table: &OdsTable) {
        self.kept += table.kept;
        self.area += table.area();
    }

    fn over_limit(&self) -> Option<u64> {
        let cells = self.kept.max(self.area);
        (cells > MAX_WHOLE_CELLS).then_some(cells)
    }

    fn over_limit_with(&self, table: &OdsTable) -> Option<u64> {
        let cells = (self.kept + table.kept).max(self.area + table.area());
        (cells > MAX_WHOLE_CELLS).then_some(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_texts_are_counted_across_pieces_and_their_declaration_read() {
        let xml = b"<?xml version=\"1.0\"?><sst xmlns=\"x\" count=\"9\" uniqueCount=\"3\"><si><t>a</t></si><si><t>b</t></si><si>\n<t>c</t></si></sst>";
        for split in 1..xml.len() {
            let mut texts = SharedTexts::default();
            texts.scan(&xml[..split]);
            texts.scan(&xml[split..]);
            assert_eq!((texts.declared, texts.found), (Some(3), 3), "{split}");
        }
        // A prefixed file's closing tags count too: high, never low.
        let mut prefixed = SharedTexts::default();
        prefixed.scan(b"<x:sst><x:si><x:t>c</x:t></x:si></x:sst>");
        assert_eq!(prefixed.found, 2);
        let mut huge = SharedTexts::default();
        huge.scan(b"<sst uniqueCount=\"99999999999999999999999\">");
        assert_eq!(huge.over_limit(), Some(u64::MAX));
    }
}
