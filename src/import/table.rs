//! Reading a CSV file as managers save it from spreadsheets: header row, `,` or `;`,
//! UTF-8 with or without BOM, RFC 4180 quoting; columns found by name in any order.

use std::collections::HashMap;

use super::{ImportError, Problem, RowError};

/// A CSV file read into rows of cells, with each column found by its header name.
pub(crate) struct Table {
    columns: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

/// One data row and the line of the file it starts on.
pub(crate) struct Row {
    pub line: u64,
    cells: Vec<String>,
}

/// The delimiter of the header line: `;` when it has more of them than of `,`.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.chars().filter(|&x| x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

fn normalize(name: &str) -> String {
    name.trim().trim_start_matches('\u{feff}').to_lowercase()
}

impl Table {
    pub fn parse(bytes: &[u8]) -> Result<Table, ImportError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if text.trim().is_empty() {
            return Err(ImportError::Empty);
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(detect_delimiter(text))
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| ImportError::Malformed {
                line: 1,
                message: e.to_string(),
            })?
            .clone();
        let mut columns = HashMap::new();
        for (index, name) in headers.iter().enumerate() {
            let name = normalize(name);
            if name.is_empty() {
                continue;
            }
            if columns.insert(name.clone(), index).is_some() {
                return Err(ImportError::DuplicateColumn { name });
            }
        }
        let width = headers.len();
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| ImportError::Malformed {
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if record.len() != width {
                errors.push(RowError {
                    line,
                    column: String::new(),
                    problem: Problem::FieldCount {
                        found: record.len(),
                        expected: width,
                    },
                });
                continue;
            }
            rows.push(Row {
                line,
                cells: record.iter().map(str::to_owned).collect(),
            });
        }
        if !errors.is_empty() {
            return Err(ImportError::Rows(errors));
        }
        Ok(Table { columns, rows })
    }

    /// Fails naming every required column that the header lacks.
    pub fn require(&self, names: &[&str]) -> Result<(), ImportError> {
        let missing: Vec<String> = names
            .iter()
            .filter(|n| !self.columns.contains_key(**n))
            .map(|n| n.to_string())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ImportError::MissingColumns { names: missing })
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }

    /// The trimmed cell of `row` in column `name`; empty when the column is absent.
    pub fn cell<'r>(&self, row: &'r Row, name: &str) -> &'r str {
        self.columns
            .get(name)
            .and_then(|&i| row.cells.get(i))
            .map_or("", |c| c.trim())
    }
}
