//! An .xls file measured before calamine reads it whole: its workbook stream taken out of
//! the compound file here, and each sheet's cell records walked to find the rectangle
//! calamine will make of them (32 bytes a cell, filled or not) and the dimension it will
//! reserve room for. What does not read as a compound file or BIFF records is refused as
//! damaged, since calamine would then be reading something this check did not measure.

use super::ImportError;
use super::workbook::{DIMENSION_SLACK, MAX_WHOLE_CELLS, MAX_XLS_BYTES, WorkbookLimit, cell_name};

/// Refuses an .xls file whose sheets calamine would make too large.
pub(super) fn check(bytes: &[u8]) -> Result<(), ImportError> {
    if bytes.len() as u64 > MAX_XLS_BYTES {
        return Err(WorkbookLimit::XlsTooLarge {
            bytes: bytes.len() as u64,
        }
        .into());
    }
    let stream = workbook_stream(bytes).ok_or_else(|| {
        ImportError::Workbook("the compound file of the .xls cannot be read; it is damaged".into())
    })?;
    let mut cells = 0u64;
    for (index, at) in sheet_offsets(&stream).into_iter().enumerate() {
        let sheet = measure(stream.get(at..).unwrap_or_default());
        let name = format!("#{}", index + 1);
        if let Some((rows, columns)) = sheet.declared
            && sheet.area() + DIMENSION_SLACK < rows * columns
        {
            return Err(WorkbookLimit::DeclaredPastContent {
                sheet: name,
                declared: format!("A1:{}", cell_name(clip(rows), clip(columns))),
                content: sheet.last.map_or("A1".into(), |(r, c)| cell_name(r, c)),
            }
            .into());
        }
        cells += sheet.area().max(sheet.records);
        if cells > MAX_WHOLE_CELLS {
            return Err(WorkbookLimit::TooManyCells { cells }.into());
        }
    }
    Ok(())
}

/// A count of rows or columns as the last index of them, for a cell's name.
fn clip(count: u64) -> u32 {
    u32::try_from(count.saturating_sub(1)).unwrap_or(u32::MAX)
}

/// What a sheet's records make calamine build.
#[derive(Default)]
struct Measured {
    /// The declared dimension, rows and columns (calamine reserves room for it).
    declared: Option<(u64, u64)>,
    first: Option<(u32, u32)>,
    last: Option<(u32, u32)>,
    /// Cell records read (each kept by calamine, once per record).
    records: u64,
}

impl Measured {
    fn cell(&mut self, row: u32, column: u32) {
        self.records += 1;
        let (r0, c0) = self.first.unwrap_or((row, column));
        let (r1, c1) = self.last.unwrap_or((row, column));
        self.first = Some((r0.min(row), c0.min(column)));
        self.last = Some((r1.max(row), c1.max(column)));
    }

    /// The cells of the rectangle the sheet's cells span.
    fn area(&self) -> u64 {
        match (self.first, self.last) {
            (Some((r0, c0)), Some((r1, c1))) => u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1),
            _ => 0,
        }
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The BIFF records from the start of `stream`: (type, data), until the stream ends or a
/// record runs past it.
fn records(stream: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// Where each sheet's records begin: the BoundSheet records of the workbook's globals,
/// which calamine follows, each to a sheet it reads (two may point at the same one).
fn sheet_offsets(stream: &[u8]) -> Vec<usize> {
    records(stream)
        .take_while(|(typ, _)| *typ != 0x000A)
        .filter(|(typ, _)| *typ == 0x0085)
        .filter_map(|(_, data)| Some(u32_at(data, 0)? as usize))
        .collect()
}

/// A sheet's cell records, as calamine reads them (up to the sheet's EOF record).
fn measure(sheet: &[u8]) -> Measured {
    let mut m = Measured::default();
    for (typ, data) in records(sheet) {
        match typ {
            0x000A => break,
            0x0200 => {
                m.declared = match data.len() {
                    10 => Some((u16_at(data, 2), u16_at(data, 6))),
                    14 => Some((u32_at(data, 4), u16_at(data, 10))),
                    _ => None,
                }
                .and_then(|(rows, columns)| Some((u64::from(rows?), u64::from(columns?))));
            }
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) {
                    m.cell(row, column);
                }
            }
            // MulRk: a row, its first column, the values, its last column.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                if let (Some(row), Some(first), Some(last)) =
                    (u16_at(data, 0), u16_at(data, 2), last)
                {
                    m.cell(row, first);
                    m.cell(row, last.max(first));
                    // Each value of the record is a cell calamine keeps.
                    m.records += u64::from(last.saturating_sub(first).saturating_sub(1));
                }
            }
            _ => {}
        }
    }
    m
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// The compound file's header and its sector allocation table.
struct Compound<'b> {
    bytes: &'b [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl<'b> Compound<'b> {
    fn open(bytes: &'b [u8]) -> Option<Compound<'b>> {
        if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return None;
        }
        let shift = u16_at(bytes, 0x1E)?;
        if shift != 9 && shift != 12 {
            return None;
        }
        let sector = 1usize << shift;
        let sectors = bytes.len() / sector;
        // calamine sizes its tables by these counts: none can pass the file's sectors.
        let fat_count = u32_at(bytes, 0x2C)? as usize;
        let mini_count = u32_at(bytes, 0x40)? as usize;
        let chain_count = u32_at(bytes, 0x48)? as usize;
        if fat_count.max(mini_count).max(chain_count) > sectors {
            return None;
        }
        let mut file = Compound {
            bytes,
            sector,
            fat: Vec::new(),
        };
        // The sectors of the table: up to 109 in the header, the rest in a chain of
        // sectors each ending with the next one's number.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
            .filter(|&n| n != FREE)
            .collect();
        let mut next = u32_at(bytes, 0x44)?;
        let per = sector / 4 - 1;
        let mut hops = 0;
        while next != END_OF_CHAIN && next != FREE && fat_sectors.len() < fat_count {
            hops += 1;
            let block = file.sector_bytes(next)?;
            if hops > sectors {
                return None;
            }
            fat_sectors.extend(
                (0..per)
                    .filter_map(|i| u32_at(block, 4 * i))
                    .filter(|&n| n != FREE),
            );
            next = u32_at(block, 4 * per)?;
        }
        fat_sectors.truncate(fat_count);
        let mut fat = Vec::with_capacity(fat_sectors.len() * (sector / 4));
        for n in fat_sectors {
            let block = file.sector_bytes(n)?;
            fat.extend((0..sector / 4).filter_map(|i| u32_at(block, 4 * i)));
        }
        file.fat = fat;
        Some(file)
    }

    fn sector_bytes(&self, n: u32) -> Option<&'b [u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.bytes.get(start..start.checked_add(self.sector)?)
    }

    /// The bytes of the chain of sectors from `start`, at most `size` of them (the whole
    /// chain when `size` is None). None when the chain is broken or loops.
    fn chain(&self, start: u32, size: Option<u64>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut n = start;
        while n != END_OF_CHAIN {
            if out.len() > self.bytes.len() || size.is_some_and(|s| out.len() as u64 >= s) {
                break;
            }
            out.extend_from_slice(self.sector_bytes(n)?);
            n = *self.fat.get(n as usize)?;
        }
        if let Some(size) = size {
            if (out.len() as u64) < size {
                return None;
            }
            out.truncate(size as usize);
        }
        Some(out)
    }
}

/// The workbook stream ("Workbook", or "Book" in older files) of a compound file.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let file = Compound::open(bytes)?;
    let directory = file.chain(u32_at(bytes, 0x30)?, None)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let name_of = |entry: &[u8]| {
        let len = (u16_at(entry, 64).unwrap_or(0) as usize).min(64);
        let units: Vec<u16> = entry[..len.saturating_sub(2)]
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let size_of = |entry: &[u8]| {
        let size = u64::from(u32_at(entry, 120).unwrap_or(0));
        // A 512-byte-sector file keeps only the low half of the size.
        if file.sector == 512 {
            size
        } else {
            size | u64::from(u32_at(entry, 124).unwrap_or(0)) << 32
        }
    };
    let stream = entries.iter().find(|e| {
        e.get(66) == Some(&2) && ["workbook", "book"].contains(&name_of(e).to_lowercase().as_str())
    })?;
    let (start, size) = (u32_at(stream, 116)?, size_of(stream));
    if size > bytes.len() as u64 {
        return None;
    }
    if size >= u64::from(u32_at(bytes, 0x38)?) {
        return file.chain(start, Some(size));
    }
    // A small stream lives in the mini stream (the root entry's chain), in 64-byte
    // sectors chained by the mini table.
    let root = entries.first()?;
    let mini = file.chain(u32_at(root, 116)?, Some(size_of(root)))?;
    let mini_fat: Vec<u32> = file
        .chain(u32_at(bytes, 0x3C)?, None)?
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let mut out = Vec::new();
    let mut n = start;
    while n != END_OF_CHAIN && (out.len() as u64) < size {
        let at = (n as usize).checked_mul(64)?;
        out.extend_from_slice(mini.get(at..at + 64)?);
        n = *mini_fat.get(n as usize)?;
    }
    if (out.len() as u64) < size {
        return None;
    }
    out.truncate(size as usize);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_xls_is_measured_as_the_small_sheet_it_is() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sales.xls"
        ))
        .unwrap();
        let stream = workbook_stream(&bytes).unwrap();
        let offsets = sheet_offsets(&stream);
        assert_eq!(offsets.len(), 1);
        let sheet = measure(&stream[offsets[0]..]);
        assert!(sheet.records > 5 && sheet.area() < 100, "{}", sheet.area());
        assert!(check(&bytes).is_ok());
    }
}
