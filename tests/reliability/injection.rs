//! Case 9: spreadsheet injection. Partner, client and document names that begin with
//! `= + - @`, a tab or a CR are written to CSV and XLSX statements; read back, none is a
//! formula: in CSV each such cell starts with `'`, in XLSX each is a text cell.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use partner_desk::domain::lang::Lang;
use partner_desk::domain::{LicenseKind, Status};
use partner_desk::export::{self, Format};

use crate::util::*;

/// Names a spreadsheet would run, one for each dangerous first character.
pub const NAMES: [&str; 8] = [
    "=HYPERLINK(\"http://x\";\"y\")",
    "+1+1",
    "-2+3",
    "@SUM(1;2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "-@x",
];

#[derive(Debug, Default)]
pub struct Figures {
    pub csv_cells_checked: u64,
    pub csv_formulas: u64,
    pub xlsx_cells_checked: u64,
    pub xlsx_formulas: u64,
}

pub fn run() -> Figures {
    let t = TempDb::new();
    let mut s = t.open();
    let a = partner(
        &mut s,
        ALFA,
        NAMES[0],
        false,
        Some(("2024-01-01", Status::Dealer)),
    );
    let clients = super::child::client_inns(NAMES.len() as u64);
    for (i, name) in NAMES.iter().enumerate() {
        let mut x = sale(a, "2025-01-10", C1, LicenseKind::DevServices, "100");
        x.client_inn = clients[i];
        x.client_name = (*name).to_owned();
        x.doc = Some(format!("{name}#{i}"));
        s.write(|db| db.record_sale(&x)).unwrap();
    }
    let st = s
        .read()
        .statement(a, d("2025-01-01"), d("2025-03-31"), d("2025-04-01"))
        .unwrap();
    let mut f = Figures::default();
    let dangerous = |c: &str| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_ours = |c: &str| {
        NAMES
            .iter()
            .any(|n| c.contains(n.trim_start_matches(['\t', '\r'])))
    };

    let bytes = export::render(&st, Format::Csv, Lang::Ru).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter().filter(|c| is_ours(c)) {
            f.csv_cells_checked += 1;
            if dangerous(cell) {
                f.csv_formulas += 1;
            }
        }
    }

    let bytes = export::render(&st, Format::Xlsx, Lang::Ru).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&sheet).unwrap();
    // The totals' own formulas (SUM and SUMIF over the lines) are the only ones.
    f.xlsx_formulas += formulas
        .used_cells()
        .filter(|(_, _, x)| !x.is_empty() && !x.starts_with("SUM(") && !x.starts_with("SUMIF(E"))
        .count() as u64;
    let range = book.worksheet_range(&sheet).unwrap();
    for (_, _, cell) in range.used_cells() {
        if let Data::String(text) = cell {
            if is_ours(text) {
                f.xlsx_cells_checked += 1;
            }
        } else if matches!(cell, Data::Error(_)) {
            f.xlsx_formulas += 1;
        }
    }
    f
}

#[test]
fn names_that_look_like_formulas_stay_inert_text_in_csv_and_xlsx() {
    let f = run();
    assert_eq!((f.csv_formulas, f.xlsx_formulas), (0, 0), "{f:?}");
    // Every client name and document of each line, and the partner's name in the header.
    assert!(f.csv_cells_checked > NAMES.len() as u64 * 2, "{f:?}");
    assert!(f.xlsx_cells_checked > NAMES.len() as u64 * 2, "{f:?}");
}
