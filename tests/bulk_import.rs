//! Large sales files (2,000 rows and more) are loaded by two threads with SQLite's own
//! constraint checks set aside: the same rows, the same figures, the same refusals as a
//! row-by-row import, and the constraints back in force afterwards.

use partner_desk::import::mapping::Mapping;
use partner_desk::import::{
    ImportError, ImportKind, Problem, first_fitting_sheet, import_bytes, import_file, import_sheet,
    source,
};
use partner_desk::store::{RuleError, Store};
use partner_desk::synthetic;

use crate::util::*;

/// A store with the generated partners and pins, and the generated sales file's lines
/// (header first): 3,000 sales, above the bulk threshold.
fn channel(t: &TempDb) -> (Store, Vec<String>) {
    let files = synthetic::write_files(&t.dir.path().join("gen"), 3_000).unwrap();
    let mut store = t.open();
    import_file(&mut store, ImportKind::Partners, &files.partners).unwrap();
    import_file(&mut store, ImportKind::Pins, &files.pins).unwrap();
    let lines = std::fs::read_to_string(&files.sales)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (store, lines)
}

/// The sales lines with a client name column: some rows name their client, one client
/// is renamed half-way.
fn with_client_names(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},client_name"),
            _ => {
                let client = line.split(',').nth(2).unwrap_or_default();
                let name = match i % 7 {
                    0 => format!("ООО «Клиент {client}»"),
                    3 if i > lines.len() / 2 => format!("АО «Клиент {client}»"),
                    _ => String::new(),
                };
                format!("{line},{name}")
            }
        })
        .collect()
}

fn text(lines: &[String]) -> String {
    lines.join("\n") + "\n"
}

/// Every sale's stored fields and figures, and every client, in order.
fn contents(store: &Store) -> (Vec<String>, Vec<String>) {
    let mut raw = Raw::of(store);
    let mut rows = |sql: &str| raw.texts(sql);
    (
        rows(
            "SELECT concat_ws('|', id, doc, date, partner_id, client_inn, kind, amount_kop,
                    self_referred, connected_by_partner, used_in_work, premium_kop, rate_pct,
                    reason, status, one_c_terms) FROM sales ORDER BY id",
        ),
        rows("SELECT inn || '|' || name FROM clients ORDER BY inn"),
    )
}

#[test]
fn a_bulk_load_writes_what_a_row_by_row_import_writes() {
    let (bulk_dir, rows_dir) = (TempDb::new(), TempDb::new());
    let (mut bulk, lines) = channel(&bulk_dir);
    let (mut by_row, _) = channel(&rows_dir);
    let lines = with_client_names(&lines);

    let summary = import_bytes(&mut bulk, ImportKind::Sales, text(&lines).as_bytes()).unwrap();
    assert_eq!(summary.sales, 3_000);
    // The same rows in files small enough to be written one by one.
    let mut written = 0;
    for part in lines[1..].chunks(1_000) {
        let file = [&lines[..1], part].concat();
        written += import_bytes(&mut by_row, ImportKind::Sales, text(&file).as_bytes())
            .unwrap()
            .sales;
    }
    assert_eq!(written, 3_000);
    let (sales, clients) = contents(&bulk);
    assert_eq!(sales.len(), 3_000);
    assert_eq!((sales, clients), contents(&by_row));
    let renamed = contents(&bulk)
        .1
        .iter()
        .filter(|c| c.contains("АО «Клиент"))
        .count();
    assert!(renamed > 0, "a client renamed half-way keeps the new name");
}

#[test]
fn a_large_sheet_from_the_import_window_is_loaded_as_a_large_file_is() {
    // The import window reads the file first, for its preview; a file import reads it
    // while the rules are read. Both load the same.
    let (file_dir, window_dir) = (TempDb::new(), TempDb::new());
    let (mut by_file, lines) = channel(&file_dir);
    let (mut by_window, _) = channel(&window_dir);
    let lines = with_client_names(&lines);
    let bytes = text(&lines).into_bytes();
    assert!(
        bytes.len() > 100_000,
        "the file is read while the rules are"
    );

    import_bytes(&mut by_file, ImportKind::Sales, &bytes).unwrap();
    let source = source::read_source(&bytes).unwrap();
    let sheet = first_fitting_sheet(&source, ImportKind::Sales);
    let mapping = Mapping::auto(ImportKind::Sales, &sheet.headers);
    let summary = import_sheet(&mut by_window, sheet, mapping, "", &|_, _| {}).unwrap();
    assert_eq!(summary.sales, 3_000);
    assert_eq!(contents(&by_window), contents(&by_file));

    // A large file without a required column is refused naming it, and nothing is written.
    let without_amount: Vec<String> = lines
        .iter()
        .map(|l| l.replacen("amount", "sum_total", 1))
        .collect();
    let before = contents(&by_file);
    let err = import_bytes(
        &mut by_file,
        ImportKind::Sales,
        text(&without_amount).as_bytes(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ImportError::MissingColumns { names, .. } if names == &["amount"]),
        "{err:?}"
    );
    assert_eq!(contents(&by_file), before);
}

#[test]
fn a_bulk_load_tells_every_unreadable_cell_and_writes_nothing() {
    let t = TempDb::new();
    let (mut store, mut lines) = channel(&t);
    let bad = |line: &str, amount: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[4] = amount;
        cells.join(",")
    };
    lines[10] = bad(&lines[10], "десять");
    lines[2_500] = bad(&lines[2_500], "-5");
    let errors = row_errors(
        import_bytes(&mut store, ImportKind::Sales, text(&lines).as_bytes()).unwrap_err(),
    );
    let at: Vec<(u64, &str)> = errors.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(at, [(11, "amount"), (2_501, "amount")]);
    assert_eq!(contents(&store).0.len(), 0);
}

#[test]
fn a_bulk_load_refuses_a_document_twice_an_unknown_partner_and_a_taken_document() {
    let t = TempDb::new();
    let (mut store, mut lines) = channel(&t);
    // Line 3000 repeats the document of line 2; line 1500 names no partner we have.
    let doc_of = |line: &str| line.rsplit(',').next().unwrap_or_default().to_owned();
    let first_doc = doc_of(&lines[1]);
    let last = lines[2_999].clone();
    lines[2_999] = format!("{},{first_doc}", &last[..last.rfind(',').unwrap()]);
    let mut cells: Vec<String> = lines[1_499].split(',').map(str::to_owned).collect();
    cells[1] = SMIRNOV.to_owned();
    lines[1_499] = cells.join(",");
    let errors = row_errors(
        import_bytes(&mut store, ImportKind::Sales, text(&lines).as_bytes()).unwrap_err(),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].0, errors[0].1.as_str()), (1_500, "partner_inn"));
    assert!(matches!(
        errors[0].2,
        Problem::Rule(RuleError::UnknownPartner { .. })
    ));
    assert_eq!((errors[1].0, errors[1].1.as_str()), (3_000, "doc"));
    assert!(
        matches!(&errors[1].2, Problem::Rule(RuleError::DuplicateDoc { doc }) if *doc == first_doc)
    );
    assert_eq!(contents(&store).0.len(), 0);

    // Loaded once, the file again skips every row; a stored document with another
    // amount is refused, naming the document.
    let (_, original) = channel(&TempDb::new());
    import_bytes(&mut store, ImportKind::Sales, text(&original).as_bytes()).unwrap();
    let before = contents(&store);
    let again = import_bytes(&mut store, ImportKind::Sales, text(&original).as_bytes()).unwrap();
    assert_eq!((again.sales, again.skipped), (0, 3_000));
    assert_eq!(contents(&store), before);
    let mut changed = original.clone();
    let mut cells: Vec<String> = changed[7].split(',').map(str::to_owned).collect();
    cells[4] = "1.00".to_owned();
    let doc = cells[5].clone();
    changed[7] = cells.join(",");
    let errors = row_errors(
        import_bytes(&mut store, ImportKind::Sales, text(&changed).as_bytes()).unwrap_err(),
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].0, errors[0].1.as_str()), (8, "doc"));
    assert!(matches!(&errors[0].2, Problem::Rule(RuleError::DuplicateDoc { doc: d }) if *d == doc));
    assert_eq!(contents(&store), before);
}

#[test]
fn after_a_bulk_load_foreign_keys_and_checks_are_in_force_again() {
    // SQLite's constraints are set aside during a load; a server's never are.
    let t = TempDb::on_file();
    let (mut store, lines) = channel(&t);
    import_bytes(&mut store, ImportKind::Sales, text(&lines).as_bytes()).unwrap();
    let conn = rusqlite::Connection::open(&t.path).unwrap();
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    let negative = conn.execute(
        "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
            connected_by_partner, used_in_work, recorded_at, premium_kop)
         SELECT date, partner_id, client_inn, kind, -1, 0, 1, 1, recorded_at, 0 FROM sales LIMIT 1",
        [],
    );
    assert!(
        negative.is_err(),
        "the amount CHECK holds for other writers"
    );
}

#[test]
fn undoing_a_bulk_load_leaves_the_tables_and_their_indexes_as_they_were() {
    let t = TempDb::new();
    let (mut store, lines) = channel(&t);
    let indexes = |store: &Store| -> Vec<String> {
        let mut raw = Raw::of(store);
        if raw.is_server() {
            raw.texts("SELECT indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'partner_desk' ORDER BY 1")
        } else {
            raw.texts("SELECT name || ':' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        }
    };
    // A few sales stored before, so that the undo has rows to keep and indexes to rebuild.
    let first = import_bytes(&mut store, ImportKind::Sales, text(&lines[..11]).as_bytes()).unwrap();
    assert_eq!(first.sales, 10);
    let before = (contents(&store), indexes(&store));
    let rest = [&lines[..1], &lines[11..]].concat();
    let load = import_bytes(&mut store, ImportKind::Sales, text(&rest).as_bytes()).unwrap();
    assert_eq!(load.sales, 2_990);
    store
        .write(|db| db.undo_import(load.import_id.unwrap()))
        .unwrap();
    assert_eq!((contents(&store), indexes(&store)), before);
    if store.server().is_none() {
        let conn = rusqlite::Connection::open(&t.path).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
}

#[test]
fn a_bulk_file_row_breaking_each_rule_the_database_keeps_is_refused_at_its_line() {
    use partner_desk::domain::LicenseKind;
    let t = TempDb::new();
    let (mut store, lines) = channel(&t);
    // Every CHECK of a sale a file can reach: its kind, its amount, its three facts.
    let mut checks: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},self_referred,connected_by_partner,used_in_work"),
            _ => format!("{line},no,yes,yes"),
        })
        .collect();
    let set = |lines: &mut Vec<String>, at: usize, column: usize, value: &str| {
        let mut cells: Vec<&str> = lines[at].split(',').collect();
        cells[column] = value;
        lines[at] = cells.join(",");
    };
    set(&mut checks, 10, 3, "xyz");
    set(&mut checks, 20, 4, "0");
    set(&mut checks, 30, 6, "maybe");
    set(&mut checks, 40, 7, "2");
    set(&mut checks, 50, 8, "?");
    let errors = row_errors(
        import_bytes(&mut store, ImportKind::Sales, text(&checks).as_bytes()).unwrap_err(),
    );
    let at: Vec<(u64, &str)> = errors.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        at,
        [
            (11, "kind"),
            (21, "amount"),
            (31, "self_referred"),
            (41, "connected_by_partner"),
            (51, "used_in_work")
        ]
    );
    assert_eq!(contents(&store).0.len(), 0);

    // Its partner's foreign key, and the period lock: a partner we do not have, and a sale
    // dated in a month its partner's statement was issued for.
    let mut refused = lines.clone();
    let partner_of = |line: &str| line.split(',').nth(1).unwrap_or_default().to_owned();
    let locked_partner = partner_of(&lines[2_000]);
    let partner = store
        .read()
        .partner_by_inn(&inn(&locked_partner))
        .unwrap()
        .unwrap();
    let outside = sale(partner, "2030-01-05", C1, LicenseKind::DevServices, "1000");
    store.write(|tx| tx.record_sale(&outside)).unwrap();
    partner_desk::statements::issue(
        &mut store,
        partner,
        d("2030-01-01"),
        d("2030-01-31"),
        d("2030-02-01"),
    )
    .unwrap();
    set(&mut refused, 1_499, 1, SMIRNOV);
    set(&mut refused, 2_000, 0, "2030-01-20");
    set(&mut refused, 2_000, 3, "dev_services");
    let errors = row_errors(
        import_bytes(&mut store, ImportKind::Sales, text(&refused).as_bytes()).unwrap_err(),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 1_500);
    assert!(matches!(
        errors[0].2,
        Problem::Rule(RuleError::UnknownPartner { .. })
    ));
    assert_eq!(errors[1].0, 2_001);
    assert_eq!(errors[1].1, "date", "the date is what has to change");
    assert!(
        matches!(&errors[1].2, Problem::Rule(RuleError::PeriodLocked { number }) if number.ends_with("-0001")),
        "{:?}",
        errors[1].2
    );
    assert_eq!(contents(&store).0.len(), 1, "only the sale recorded before");
}
