//! Files as managers bring them: Excel workbooks and 1C's Windows-1251 CSV with Russian
//! headers, re-imported files, and the undo of a whole import.

use partner_desk::domain::{LicenseKind, Status};
use partner_desk::import::mapping::Mapping;
use partner_desk::import::source::{SourceFormat, TextEncoding, read_source};
use partner_desk::import::{ImportError, ImportKind, check_rows, import_bytes, import_file};
use partner_desk::store::Store;
use rust_xlsxwriter::{Format, Workbook};

use crate::util::*;

/// An INN that begins with a zero, which Excel drops when the cell holds a number.
const ZERO_LED: &str = "0123456788";

pub fn setup(s: &mut Store) {
    let alfa = partner(
        s,
        ALFA,
        "ООО «Альфа»",
        false,
        Some(("2024-01-01", Status::Dealer)),
    );
    s.write(|db| {
        for client in [C1, C2, ZERO_LED] {
            db.request_pin(&inn(client), "", alfa, d("2025-01-01"), "")?;
        }
        Ok::<_, partner_desk::store::StoreError>(())
    })
    .unwrap();
}

/// A sales workbook as a 1C report saves it: a title row, Russian headers, dates as dates,
/// INNs and amounts as numbers, license kinds by their Russian names.
pub fn sales_workbook(bad_amount: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name("Продажи").unwrap();
    sheet
        .write(0, 0, "Отчёт о продажах за январь 2025")
        .unwrap();
    let headers = [
        "№ документа",
        "Дата",
        "ИНН партнёра",
        "ИНН клиента",
        "Клиент",
        "Вид лицензии",
        "Сумма, руб.",
    ];
    for (col, h) in headers.iter().enumerate() {
        sheet.write(2, col as u16, *h).unwrap();
    }
    let rows: [(&str, u32, &str, &str, LicenseKind, f64); 3] = [
        ("Р-1", 10, C1, "Клиент один", LicenseKind::Saas, 1234.56),
        (
            "Р-2",
            11,
            C2,
            "Клиент два",
            LicenseKind::OnpremUser,
            0.1 + 0.2,
        ),
        (
            "Р-3",
            12,
            ZERO_LED,
            "Клиент три",
            LicenseKind::DevServices,
            99_999.99,
        ),
    ];
    for (i, (doc, day, client, name, kind, amount)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, *day as u8).unwrap();
        sheet.write(r, 0, *doc).unwrap();
        sheet.write_with_format(r, 1, &day, &date).unwrap();
        sheet.write(r, 2, ALFA.parse::<f64>().unwrap()).unwrap();
        sheet.write(r, 3, client.parse::<f64>().unwrap()).unwrap();
        sheet.write(r, 4, *name).unwrap();
        sheet
            .write(r, 5, kind.name(partner_desk::domain::Lang::Ru))
            .unwrap();
        if bad_amount && i == 1 {
            sheet.write(r, 6, "двести").unwrap();
        } else {
            sheet.write(r, 6, *amount).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Every row of every data table, hashed: equal checksums mean equal contents.
fn checksum(t: &TempDb) -> String {
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    let mut dump = String::new();
    for table in [
        "partners",
        "specialists",
        "status_changes",
        "clients",
        "pins",
        "pin_events",
        "rate_versions",
        "rate_cells",
        "sales",
        "issued_statements",
        "statement_events",
    ] {
        let mut stmt = raw
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let width = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..width {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                dump.push_str(&format!("{v:?}|"));
            }
            dump.push('\n');
        }
    }
    partner_desk::statements::sha256_hex(dump.as_bytes())
}

#[test]
fn a_workbook_with_russian_headers_is_matched_and_read_exactly_to_the_kopeck() {
    let t = TempDb::new();
    let mut s = t.open();
    setup(&mut s);
    let path = t.dir.path().join("продажи.xlsx");
    std::fs::write(&path, sales_workbook(false)).unwrap();
    let summary = import_file(&mut s, ImportKind::Sales, &path).unwrap();
    assert_eq!((summary.sales, summary.skipped), (3, 0));
    assert_eq!(summary.amount, rub("101234.85"));
    let sale = s.read().sale_by_doc("Р-3").unwrap().unwrap();
    assert_eq!(sale.entry.client_inn, inn(ZERO_LED));
    assert_eq!(sale.entry.date, d("2025-01-12"));
    assert_eq!(sale.entry.kind, LicenseKind::DevServices);
    assert_eq!(sale.entry.amount, rub("99999.99"));
    assert_eq!(
        s.read().sale_by_doc("Р-2").unwrap().unwrap().entry.amount,
        rub("0.30")
    );
}

#[test]
fn a_bad_cell_is_marked_with_its_message_and_nothing_is_imported() {
    let t = TempDb::new();
    let mut s = t.open();
    setup(&mut s);
    let bytes = sales_workbook(true);
    let source = read_source(&bytes).unwrap();
    assert_eq!(source.format, SourceFormat::Workbook);
    let sheet = &source.sheets[0];
    assert_eq!(sheet.name, "Продажи");
    let mapping = Mapping::auto(ImportKind::Sales, &sheet.headers);
    // The preview's check: the sheet's row 5, in the file's own column name.
    let marks = check_rows(sheet, mapping, 100).unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (marks[0].line, marks[0].column.as_str()),
        (5, "Сумма, руб.")
    );
    let before = checksum(&t);
    let err = import_bytes(&mut s, ImportKind::Sales, &bytes).unwrap_err();
    assert!(
        err.report("продажи.xlsx", partner_desk::domain::Lang::Ru)
            .starts_with("продажи.xlsx:5: Сумма, руб.: "),
        "{err:?}"
    );
    assert_eq!(checksum(&t), before);
    assert_eq!(s.read().counts().unwrap().sales, 0);
}

#[test]
fn a_preview_reads_the_rows_it_shows_and_not_the_rest_of_the_file() {
    let mut text = String::from("date,partner_inn,client_inn,kind,amount,doc\n");
    for i in 0..5 {
        text.push_str(&format!("2025-01-10,{ALFA},{C1},its,100,D{i}\n"));
    }
    // The seventh row has a bad amount, the eighth a cell too many.
    text.push_str(&format!("\n2025-01-10,{ALFA},{C1},its,сто,D6\n"));
    text.push_str(&format!("2025-01-10,{ALFA},{C1},its,100,D7,x\n"));
    let source = read_source(text.as_bytes()).unwrap();
    let sheet = &source.sheets[0];
    let mapping = || Mapping::auto(ImportKind::Sales, &sheet.headers);
    assert!(check_rows(sheet, mapping(), 5).unwrap().is_empty());
    // A blank line is not a row: the sixth row shown is the bad amount, on line 8.
    let marks = check_rows(sheet, mapping(), 6).unwrap();
    assert_eq!(
        marks
            .iter()
            .map(|m| (m.line, m.column.as_str()))
            .collect::<Vec<_>>(),
        [(8, "amount")]
    );
    // A row of the wrong width stops the whole file from being read.
    assert!(matches!(
        check_rows(sheet, mapping(), 7),
        Err(ImportError::Rows(rows)) if rows.len() == 1 && rows[0].line == 9
    ));
}

#[test]
fn a_windows_1251_csv_from_1c_with_russian_headers_and_kind_names_is_imported() {
    let t = TempDb::new();
    let mut s = t.open();
    setup(&mut s);
    let text = format!(
        "Дата;ИНН партнёра;ИНН клиента;Вид лицензии;Сумма;Номер документа\r\n\
         15.01.2025 0:00:00;{ALFA};{C1};Корпоративные тарифы SaaS и доп. функции;1 000,50;Д-1\r\n\
         16.01.2025;{ALFA};{C2};onprem_user;200;Д-2\r\n"
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    let source = read_source(&bytes).unwrap();
    assert_eq!(
        source.format,
        SourceFormat::Csv {
            encoding: TextEncoding::Windows1251
        }
    );
    let path = t.dir.path().join("1c.csv");
    std::fs::write(&path, &bytes).unwrap();
    let summary = import_file(&mut s, ImportKind::Sales, &path).unwrap();
    assert_eq!(summary.sales, 2);
    assert_eq!(summary.amount, rub("1200.50"));
    let sale = s.read().sale_by_doc("Д-1").unwrap().unwrap();
    assert_eq!(
        (sale.entry.kind, sale.entry.date),
        (LicenseKind::Saas, d("2025-01-15"))
    );
}

#[test]
fn a_file_whose_columns_cannot_be_matched_is_refused_naming_them() {
    let t = TempDb::new();
    let mut s = t.open();
    let err = import_bytes(
        &mut s,
        ImportKind::Sales,
        "Дата;Покупатель;Итого\n01.01.2025;X;1\n".as_bytes(),
    )
    .unwrap_err();
    let ImportError::MissingColumns { names, found, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(names, &["partner_inn", "client_inn", "kind", "amount"]);
    assert_eq!(found, &["Дата", "Покупатель", "Итого"]);
    let text = err.to_string();
    assert!(
        text.contains("partner_inn, client_inn, kind, amount"),
        "{text}"
    );
}

#[test]
fn importing_the_same_files_twice_skips_every_row_already_stored() {
    let t = TempDb::new();
    let mut s = t.open();
    let partners =
        format!("ИНН;Наименование;Статус;Статус с\n{ALFA};ООО «Альфа»;дилер;01.01.2024\n");
    let pins =
        format!("Дата;ИНН клиента;ИНН партнёра\n2025-01-01;{C1};{ALFA}\n2025-01-01;{C2};{ALFA}\n");
    // Two equal sales without a document are two sales, both kept once.
    let sales = format!(
        "date,partner_inn,client_inn,kind,amount,doc\n\
         2025-01-10,{ALFA},{C1},saas,100,\n2025-01-10,{ALFA},{C1},saas,100,\n\
         2025-01-11,{ALFA},{C2},saas,50,S-1\n"
    );
    let returns = "date,sale_doc,amount\n2025-01-20,S-1,10\n";
    let files = [
        (ImportKind::Partners, partners.as_str()),
        (ImportKind::Pins, pins.as_str()),
        (ImportKind::Sales, sales.as_str()),
        (ImportKind::Returns, returns),
    ];
    for (kind, text) in files {
        let first = import_bytes(&mut s, kind, text.as_bytes()).unwrap();
        assert_eq!(first.skipped, 0, "{kind:?}");
    }
    let counts = s.read().counts().unwrap();
    assert_eq!((counts.pins, counts.sales, counts.returns), (2, 3, 1));
    let before = checksum(&t);
    for (kind, text) in files {
        let again = import_bytes(&mut s, kind, text.as_bytes()).unwrap();
        assert_eq!(again.skipped, again.rows, "{kind:?}: {again:?}");
    }
    assert_eq!(checksum(&t), before);
    // A row whose document exists with other fields stays an error.
    let changed = format!(
        "date,partner_inn,client_inn,kind,amount,doc\n2025-01-11,{ALFA},{C2},saas,51,S-1\n"
    );
    assert!(import_bytes(&mut s, ImportKind::Sales, changed.as_bytes()).is_err());
}

#[test]
fn undo_of_an_import_restores_the_exact_previous_state() {
    let t = TempDb::new();
    let mut s = t.open();
    setup(&mut s);
    import_bytes(
        &mut s,
        ImportKind::Sales,
        format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-01-05,{ALFA},{C1},saas,10,A-1\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let before = checksum(&t);
    let counts = s.read().counts().unwrap();
    // An import that adds a partner, changes a name, adds a status change (which figures
    // the partner's sales again), and pins, extends and sells.
    let summary = import_bytes(
        &mut s,
        ImportKind::Partners,
        format!("inn,name,status,status_since\n{ALFA},ООО «Альфа-2»,integrator,2025-01-03\n{BETA},ООО «Бета»,agent,2025-01-01\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (
            summary.partners_added,
            summary.partners_updated,
            summary.status_changes
        ),
        (1, 1, 2)
    );
    assert_ne!(checksum(&t), before);
    let id = summary.import_id.unwrap();
    let last = s.read().last_import().unwrap().unwrap();
    assert!(last.undoable);
    s.write(|db| db.undo_import(id)).unwrap();
    assert_eq!(checksum(&t), before);
    assert_eq!(s.read().counts().unwrap(), counts);
    assert!(!s.read().last_import().unwrap().unwrap().undoable);

    // Once anything else is written, the import stays.
    let pins = import_bytes(
        &mut s,
        ImportKind::Pins,
        format!("date,client_inn,partner_inn,action,agreed_by\n2025-02-01,{C3},{ALFA},pin,\n2025-03-01,{C1},{ALFA},extend,Иванов\n").as_bytes(),
    )
    .unwrap();
    let after_pins = checksum(&t);
    s.write(|db| db.add_partner(&inn(SMIRNOV), "ИП Смирнов", false))
        .unwrap();
    let refused = s.write(|db| db.undo_import(pins.import_id.unwrap()));
    assert!(refused.is_err());
    assert_ne!(checksum(&t), after_pins);
    assert_eq!(s.read().counts().unwrap().partners, 2);
}

#[test]
fn ods_and_xls_workbooks_are_read_like_xlsx() {
    // Saved by LibreOffice from a CSV: dates became date cells, INNs and amounts numbers
    // (the client INN 0123456788 lost its leading zero on the way).
    for name in ["sales.ods", "sales.xls"] {
        let t = TempDb::new();
        let mut s = t.open();
        setup(&mut s);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let summary = import_file(&mut s, ImportKind::Sales, &path).unwrap();
        assert_eq!(
            (summary.sales, summary.amount),
            (2, rub("1334.55")),
            "{name}"
        );
        let sale = s.read().sale_by_doc("X-2").unwrap().unwrap();
        assert_eq!(sale.entry.client_inn, inn(ZERO_LED), "{name}");
        assert_eq!(sale.entry.date, d("2025-01-11"), "{name}");
        assert_eq!(sale.entry.kind, LicenseKind::DevServices, "{name}");
    }
}
