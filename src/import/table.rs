//! A sheet seen through a column mapping: each row's cells found by field code.

use std::borrow::Cow;

use super::mapping::{Mapping, fields};
use super::source::{Cell, Sheet, SourceRow};
use super::{ImportError, Problem, RowError};
use crate::domain::trim;

/// The rows of a sheet with each field's column known.
pub(crate) struct Table<'s> {
    sheet: &'s Sheet,
    mapping: Mapping,
    /// Each mapped field's code and column, found once rather than for every cell read.
    columns: Vec<(&'static str, usize)>,
    /// The rows that are not blank: the sheet's own when none is (no copy), else those.
    pub rows: Cow<'s, [SourceRow]>,
}

/// One data row and where it is in the file.
pub(crate) type Row = SourceRow;

impl<'s> Table<'s> {
    /// Fails naming every required field no column is mapped to, and on rows whose number
    /// of cells differs from the header's. Blank rows are left out.
    pub fn new(sheet: &'s Sheet, mapping: Mapping) -> Result<Table<'s>, ImportError> {
        Table::first(sheet, mapping, usize::MAX)
    }

    /// [`Table::new`] over the first `limit` rows that are not blank, for a preview: its
    /// work does not grow with the file.
    pub fn first(
        sheet: &'s Sheet,
        mapping: Mapping,
        limit: usize,
    ) -> Result<Table<'s>, ImportError> {
        let missing = mapping.missing();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                kind: mapping.kind,
                names: missing.iter().map(|f| f.code.to_owned()).collect(),
                found: sheet.headers.clone(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        for name in sheet.headers.iter().map(|h| super::mapping::normalize(h)) {
            if !name.is_empty()
                && !seen.insert(name.clone())
                && mapping_uses(&mapping, sheet, &name)
            {
                return Err(ImportError::DuplicateColumn { name });
            }
        }
        let width = sheet.headers.len();
        let mut errors = Vec::new();
        // The rows are the sheet's own as long as none is left out; a copy is made from the
        // first one that is.
        let (mut taken, mut copy) = (0, None::<Vec<SourceRow>>);
        for (i, row) in sheet.rows.iter().enumerate() {
            if taken + errors.len() >= limit {
                break;
            }
            if sheet.is_blank(row) {
                copy.get_or_insert_with(|| sheet.rows[..i].to_vec());
                continue;
            }
            if !sheet.fits(row) {
                errors.push(RowError {
                    line: row.line,
                    column: String::new(),
                    problem: Problem::FieldCount {
                        found: row.width(),
                        expected: width,
                    },
                });
                continue;
            }
            taken += 1;
            if let Some(copy) = &mut copy {
                copy.push(*row);
            }
        }
        if !errors.is_empty() {
            return Err(ImportError::Rows(errors));
        }
        let rows = match copy {
            Some(rows) => Cow::Owned(rows),
            None => Cow::Borrowed(&sheet.rows[..taken]),
        };
        let columns = fields(mapping.kind)
            .iter()
            .filter_map(|f| Some((f.code, mapping.column(f.code)?)))
            .collect();
        Ok(Table {
            sheet,
            mapping,
            columns,
            rows,
        })
    }

    fn column(&self, code: &str) -> Option<usize> {
        // Codes are string constants: the same code is most often the same pointer.
        let same = |c: &str| std::ptr::eq(c, code) || c == code;
        self.columns.iter().find(|(c, _)| same(c)).map(|&(_, i)| i)
    }

    pub fn has(&self, code: &str) -> bool {
        self.column(code).is_some()
    }

    fn raw(&self, row: &Row, code: &str) -> Option<Cell<'s>> {
        self.column(code).and_then(|i| self.sheet.cell(row, i))
    }

    /// The trimmed cell of `row` in field `code`; empty when the field has no column.
    pub fn cell(&self, row: &Row, code: &str) -> &'s str {
        self.raw(row, code).map_or("", |c| trim(c.text))
    }

    /// Whether a workbook stored the cell as a number.
    pub fn is_number(&self, row: &Row, code: &str) -> bool {
        self.raw(row, code).is_some_and(|c| c.number)
    }

    /// The file's header over the field's column, for error reports.
    pub fn header_of(&self, code: &str) -> String {
        self.column(code)
            .and_then(|i| self.sheet.headers.get(i))
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    pub fn headers(&self) -> &[String] {
        &self.sheet.headers
    }
}

/// A repeated header name matters only when a mapped column bears it (an export may
/// repeat a column nobody reads).
fn mapping_uses(mapping: &Mapping, sheet: &Sheet, name: &str) -> bool {
    fields(mapping.kind).iter().any(|f| {
        mapping
            .column(f.code)
            .and_then(|i| sheet.headers.get(i))
            .is_some_and(|h| super::mapping::normalize(h) == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportKind;
    use crate::import::source::read_source;

    fn table_of(csv: &str, test: impl Fn(&Table<'_>)) {
        let source = read_source(csv.as_bytes()).unwrap();
        let sheet = &source.sheets[0];
        test(&Table::new(sheet, Mapping::auto(ImportKind::Pins, &sheet.headers)).unwrap());
    }

    #[test]
    fn the_rows_are_the_sheets_own_unless_a_blank_one_is_left_out() {
        let head = "client_inn,partner_inn,date\n";
        let a = "7707083893,7710002527,2025-01-10\n";
        let b = "5010504246,7710002527,2025-01-11\n";
        table_of(&format!("{head}{a}{b}"), |t| {
            assert!(matches!(t.rows, Cow::Borrowed(_)));
            assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        });
        table_of(&format!("{head}{a} , , \n{b}"), |t| {
            assert!(matches!(t.rows, Cow::Owned(_)));
            assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
            assert_eq!(t.cell(&t.rows[1], "client_inn"), "5010504246");
        });
    }
}
