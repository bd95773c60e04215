//! Statement files read back: XLSX with calamine, PDF with pdf-extract, CSV against JSON;
//! issuing, byte-for-byte re-export, the period lock, and batch export.

use std::io::Cursor;
use std::sync::atomic::AtomicBool;

use calamine::{Data, Reader, Xlsx};
use partner_desk::domain::lang::Lang;
use partner_desk::domain::{LicenseKind, Statement, Status};
use partner_desk::export::{self, Format};
use partner_desk::statements;
use partner_desk::store::{RuleError, Store, StoreError};

use crate::util::*;

/// Альфа (Dealer, 1C partner) with a quarter of sales, a return, a video-calls line without
/// a rate, and a client whose name starts like a formula.
fn quarter(t: &TempDb) -> (Store, partner_desk::domain::PartnerId) {
    let mut s = t.open();
    let a = partner(
        &mut s,
        ALFA,
        "ООО «Альфа»",
        true,
        Some(("2024-01-01", Status::Dealer)),
    );
    s.write(|db| db.request_pin(&inn(C1), "=HYPERLINK(\"http://x\")", a, d("2025-01-01"), ""))
        .unwrap();
    let mut first = sale(a, "2025-01-10", C1, LicenseKind::Saas, "120 000");
    first.doc = Some("A-1".into());
    let first = s.write(|db| db.record_sale(&first)).unwrap();
    s.write(|db| {
        db.record_sale(&sale(
            a,
            "2025-02-11",
            C1,
            LicenseKind::VideoCalls,
            "10 000",
        ))
    })
    .unwrap();
    record(
        &mut s,
        &sale(a, "2025-03-01", C2, LicenseKind::Its, "333,33"),
    );
    s.write(|db| db.record_return(first, d("2025-03-20"), rub("40 000"), Some("R-1")))
        .unwrap();
    (s, a)
}

fn statement(s: &Store, a: partner_desk::domain::PartnerId) -> Statement {
    s.read()
        .statement(a, d("2025-01-01"), d("2025-03-31"), d("2025-04-02"))
        .unwrap()
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn xlsx_statement_has_numbers_dates_and_inert_text() {
    let t = TempDb::new();
    let (s, a) = quarter(&t);
    let st = statement(&s, a);
    let bytes = export::render(&st, Format::Xlsx, Lang::Ru).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["ООО «Альфа»"]);
    let range = book.worksheet_range("ООО «Альфа»").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("Дата"))
        .unwrap();
    let first = &range.rows().nth(header + 1).unwrap();
    assert!(
        matches!(first[0], Data::DateTime(_)),
        "dates are real dates: {:?}",
        first[0]
    );
    assert_eq!(first[5], Data::Float(120000.0), "amounts are numbers");
    assert_eq!(first[9], Data::Float(30000.0), "premiums are numbers");
    assert_eq!(
        first[3],
        Data::String("=HYPERLINK(\"http://x\")".into()),
        "a name like a formula stays text"
    );
    let premiums: Vec<String> = rows[header + 1..header + 1 + st.lines.len()]
        .iter()
        .map(|r| r[9].clone())
        .collect();
    assert_eq!(premiums, ["30000.00", "0.00", "166.67", "-10000.00"]);
    let total = rows
        .iter()
        .find(|r| r.first().map(String::as_str) == Some("Итого"))
        .unwrap();
    assert_eq!(total[9], st.totals.overall.premium.plain());
    // The totals are formulas over the lines (their values cached, read above); no other
    // cell is a formula.
    let formulas = book.worksheet_formula("ООО «Альфа»").unwrap();
    let written: Vec<&String> = formulas
        .used_cells()
        .map(|(_, _, f)| f)
        .filter(|f| !f.is_empty())
        .collect();
    assert!(!written.is_empty());
    assert!(
        written
            .iter()
            .all(|f| f.starts_with("SUM(F") || f.starts_with("SUM(J") || f.starts_with("SUMIF(E")),
        "{written:?}"
    );
}

#[test]
fn pdf_statement_text_is_extractable_with_every_premium_and_the_total() {
    let t = TempDb::new();
    let (s, a) = quarter(&t);
    let st = statement(&s, a);
    let path = t.dir.path().join("q1.pdf");
    export::write_statement(&st, &path, Lang::Ru).unwrap();
    let text = pdf_text(&path);
    assert!(text.contains("Ведомость премий партнёра"), "{text}");
    assert!(text.contains("ООО «Альфа»"), "{text}");
    for premium in ["30 000,00 ₽", "0,00 ₽", "166,67 ₽", "-10 000,00 ₽"] {
        assert!(text.contains(premium), "{premium} in {text}");
    }
    assert!(
        text.contains(
            &st.totals
                .overall
                .premium
                .display(Lang::Ru)
                .replace('\u{a0}', " ")
        )
    );
    assert!(text.contains("стр. 1 из 1"), "{text}");
    assert!(
        text.contains("От партнёра"),
        "room for both signatures: {text}"
    );
}

#[test]
fn pdf_statement_wraps_a_long_name_and_every_zero_premium_reason_and_cuts_none() {
    use partner_desk::domain::ZeroReason;
    let t = TempDb::new();
    let (s, a) = quarter(&t);
    let mut st = statement(&s, a);
    let long = "Общество с ограниченной ответственностью «Научно-производственное объединение \
                информационных технологий и автоматизации»";
    assert!(long.chars().count() >= 120);
    let template = st.lines[0].clone();
    st.lines = ZeroReason::ALL
        .iter()
        .map(|&reason| partner_desk::domain::statement::Line {
            client_name: long.to_owned(),
            reason: Some(reason),
            doc: Some(format!("ДОК-2025-000000-{}", reason.code())),
            ..template.clone()
        })
        .collect();
    st.partner.name = long.to_owned();
    for lang in [Lang::Ru, Lang::En] {
        let path = t
            .dir
            .path()
            .join(format!("long-{}.pdf", lang.pick("ru", "en")));
        export::write_statement(&st, &path, lang).unwrap();
        // Wrapped lines come out of the PDF joined with or without a space: the text is
        // compared without its spaces, every other character in its order.
        let words = |text: &str| {
            text.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        };
        let text = words(&pdf_text(&path));
        // Only the pages' footers shorten the name, to keep clear of the page number.
        let in_footers = format!("…·{}", lang.pick("период", "period"));
        assert_eq!(
            text.matches('…').count(),
            text.matches(&in_footers).count(),
            "nothing else is cut: {text}"
        );
        assert!(
            text.matches(&words(long)).count() > ZeroReason::ALL.len(),
            "the name whole in the header and on every line: {text}"
        );
        for reason in ZeroReason::ALL {
            let words_of_reason = words(reason.text(lang));
            assert!(
                text.contains(&words_of_reason),
                "{words_of_reason:?} whole in {text}"
            );
            // A document number wider than its column is broken between characters, all kept.
            let doc = format!("ДОК-2025-000000-{}", reason.code());
            assert!(text.contains(&doc), "{doc} in {text}");
        }
    }
}

#[test]
fn pdf_of_a_long_statement_repeats_the_header_on_every_page() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Agent);
    s.write(|db| {
        for i in 0..120 {
            db.record_sale(&sale(
                a,
                "2025-01-10",
                C2,
                LicenseKind::DevServices,
                &format!("{}", 100 + i),
            ))?;
        }
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let st = s
        .read()
        .statement(a, d("2025-01-01"), d("2025-01-31"), d("2025-02-01"))
        .unwrap();
    let path = t.dir.path().join("long.pdf");
    export::write_statement(&st, &path, Lang::Ru).unwrap();
    let texts = pdf_pages(&path);
    let pages = texts.len();
    assert!(pages >= 3, "{pages} pages");
    for (i, text) in texts.iter().enumerate() {
        assert!(
            text.contains(&format!("стр. {} из {pages}", i + 1)),
            "{text}"
        );
        assert_eq!(
            text.matches("Условия").count(),
            1,
            "the table header repeats on each page: {text}"
        );
    }
}

#[test]
fn csv_statement_agrees_with_json() {
    let t = TempDb::new();
    let (s, a) = quarter(&t);
    let st = statement(&s, a);
    let json: serde_json::Value =
        serde_json::from_slice(&export::render(&st, Format::Json, Lang::Ru).unwrap()).unwrap();
    let csv = export::render(&st, Format::Csv, Lang::Ru).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(&csv[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = records
        .iter()
        .position(|r| r.get(0) == Some("Дата"))
        .unwrap();
    for (i, line) in json["lines"].as_array().unwrap().iter().enumerate() {
        let r = &records[header + 1 + i];
        assert_eq!(
            r.get(5).unwrap().replace(',', "."),
            line["amount"].as_str().unwrap()
        );
        assert_eq!(
            r.get(8).unwrap().replace(',', "."),
            line["premium"].as_str().unwrap()
        );
        // The kind by the name the form, the Sales list and the explanation give it.
        let kind = partner_desk::domain::LicenseKind::parse(line["kind"].as_str().unwrap());
        assert_eq!(r.get(4), kind.map(|k| k.short_name(Lang::Ru)));
    }
}

#[test]
fn issued_statement_is_numbered_stored_and_reexported_byte_for_byte_after_a_rate_change() {
    let t = TempDb::new();
    let (mut s, a) = quarter(&t);
    let issued =
        statements::issue(&mut s, a, d("2025-01-01"), d("2025-03-31"), d("2025-04-02")).unwrap();
    assert_eq!(issued.number, "2025-0001");
    let first = t.dir.path().join("issued-1.json");
    statements::export_issued(&s, &issued.number, &first, Lang::Ru).unwrap();
    let stored = std::fs::read(&first).unwrap();
    assert_eq!(statements::sha256_hex(&stored), issued.sha256);

    // Later a rate version and a status change that would change the figures.
    let table = with_video_calls_rate(&s, 20);
    s.write(|db| db.add_rate_version(d("2025-01-01"), &table, ""))
        .unwrap();
    s.write(|db| db.add_status_change(a, d("2024-06-01"), Some(Status::Agent), ""))
        .unwrap();
    assert_ne!(
        statement(&s, a).totals.overall.premium,
        issued.premium,
        "a fresh statement now differs"
    );
    let locked = partner_desk::store::SalesQuery {
        partner: Some(a),
        from: Some(d("2025-01-01")),
        to: Some(d("2025-03-31")),
        ..Default::default()
    };
    let (_, _, listed) = s.read().sales_totals(&locked).unwrap();
    assert_eq!(
        listed, issued.premium,
        "the figures of locked sales are not figured again"
    );

    let again = t.dir.path().join("issued-2.json");
    statements::export_issued(&s, &issued.number, &again, Lang::Ru).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), stored, "byte for byte");
    let xlsx = t.dir.path().join("issued.xlsx");
    statements::export_issued(&s, &issued.number, &xlsx, Lang::Ru).unwrap();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let total = range.rows().find(|r| cell_text(&r[0]) == "Итого").unwrap();
    assert_eq!(
        cell_text(&total[9]),
        issued.premium.plain(),
        "identical figures in every format"
    );
    assert!(
        range.rows().any(|r| cell_text(&r[2]) == "2025-0001"),
        "the number is on the sheet"
    );

    // The next statement of the year gets the next number.
    record(&mut s, &sale(a, "2025-04-10", C2, LicenseKind::Its, "100"));
    let second =
        statements::issue(&mut s, a, d("2025-04-01"), d("2025-06-30"), d("2025-07-01")).unwrap();
    assert_eq!(second.number, "2025-0002");
    let empty = statements::issue(&mut s, a, d("2026-01-01"), d("2026-01-31"), d("2026-02-01"))
        .unwrap_err();
    assert!(matches!(empty, StoreError::Rule(RuleError::EmptyStatement)));
    let overlapping =
        statements::issue(&mut s, a, d("2025-03-01"), d("2025-03-31"), d("2025-07-01"))
            .unwrap_err();
    assert!(matches!(
        overlapping,
        StoreError::Rule(RuleError::AlreadyIssued { .. })
    ));
}

#[test]
fn issued_period_is_locked_by_the_database_until_reopened_with_a_reason() {
    let t = TempDb::new();
    let (mut s, a) = quarter(&t);
    let issued =
        statements::issue(&mut s, a, d("2025-01-01"), d("2025-03-31"), d("2025-04-02")).unwrap();
    let b = beta(&mut s, Status::Agent);

    // The statement that locks a day, as a sale's check asks for it: the period's first and
    // last day are locked, the day after and another partner's sale are not.
    let locking = |s: &Store, p, day| {
        let read = s.read();
        let number = read.locking_statement(p, d(day)).unwrap();
        number.map(String::from)
    };
    let locked = Some(issued.number.clone());
    assert_eq!(locking(&s, a, "2025-01-01"), locked);
    assert_eq!(locking(&s, a, "2025-03-31"), locked);
    assert_eq!(locking(&s, a, "2024-12-31"), None);
    assert_eq!(locking(&s, a, "2025-04-01"), None);
    assert_eq!(locking(&s, b, "2025-02-01"), None);

    // Through the store API: a sale or return dated in the period is refused, naming the statement.
    let err = s
        .write(|db| db.record_sale(&sale(a, "2025-02-01", C2, LicenseKind::Its, "1")))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        RuleError::PeriodLocked {
            number: issued.number.clone()
        }
        .to_string()
    );
    let original = s.read().sale_by_doc("A-1").unwrap().unwrap().id;
    let err = s
        .write(|db| db.record_return(original, d("2025-03-25"), rub("1"), None))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rule(RuleError::PeriodLocked { .. })),
        "{err:?}"
    );
    // A return dated after the period is a correction in the next one: allowed.
    s.write(|db| db.record_return(original, d("2025-04-05"), rub("1"), None))
        .unwrap();

    // Through raw SQL, by another program: every way of changing a locked sale is refused
    // by the database's triggers.
    let mut raw = Raw::of(&s);
    let (no, yes, stamp, blob) = if raw.is_server() {
        ("false", "true", "now()", "'\\x00'")
    } else {
        ("0", "1", "'x'", "x'00'")
    };
    let attempts = [
        "UPDATE sales SET amount_kop = 1 WHERE doc = 'A-1'".to_owned(),
        "UPDATE sales SET date = '2025-05-01' WHERE doc = 'A-1'".to_owned(),
        "UPDATE sales SET date = '2025-02-01' WHERE date = '2025-04-05'".to_owned(),
        "DELETE FROM sales WHERE doc = 'A-1'".to_owned(),
        format!(
            "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred, connected_by_partner, used_in_work, recorded_at, premium_kop) SELECT '2025-02-02', partner_id, client_inn, kind, 100, {no}, {yes}, {yes}, {stamp}, 0 FROM sales WHERE doc = 'A-1'"
        ),
        format!("UPDATE issued_statements SET json = {blob}"),
        "DELETE FROM issued_statements".to_owned(),
    ];
    // Each alone: on the server a refused statement ends its own transaction only.
    let refused = attempts.iter().filter(|sql| !raw.ok(sql)).count();
    assert_eq!(
        refused,
        attempts.len(),
        "attempted {}, refused {refused}",
        attempts.len()
    );

    // Reopening needs a reason, is kept, and unlocks the period.
    let err = s
        .write(|db| db.reopen_statement(&issued.number, d("2025-04-10"), " "))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rule(RuleError::ReasonRequired)));
    s.write(|db| db.reopen_statement(&issued.number, d("2025-04-10"), "ошибка в сумме"))
        .unwrap();
    assert!(raw.ok("UPDATE sales SET amount_kop = 12000000 WHERE doc = 'A-1'"));
    assert_eq!(
        locking(&s, a, "2025-02-01"),
        None,
        "a reopened statement locks nothing"
    );
    let row = &s.read().issued_statements().unwrap()[0];
    assert_eq!(
        row.reopened,
        Some((d("2025-04-10"), "ошибка в сумме".to_owned()))
    );
}

#[test]
fn batch_export_writes_one_file_per_active_partner_and_a_summary() {
    let t = TempDb::new();
    let mut s = t.open();
    partner_desk::demo::fill(&mut s, d("2025-12-31")).unwrap();
    let dir = t.dir.path().join("out");
    let done = std::cell::Cell::new(0);
    let summary = statements::export_all(
        &s,
        d("2025-01-01"),
        d("2025-12-31"),
        d("2025-12-31"),
        &dir,
        Format::Xlsx,
        Lang::Ru,
        &|n, _| done.set(n),
        &AtomicBool::new(false),
    )
    .unwrap();
    let active = s
        .read()
        .partners_with_activity(d("2025-01-01"), d("2025-12-31"))
        .unwrap()
        .len();
    assert_eq!(summary.files.len(), active);
    assert_eq!(done.get(), active);
    for file in &summary.files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with("_2025-01-01_2025-12-31.xlsx"), "{name}");
        assert!(!name.contains(['«', '»', '/', ':', ' ']), "{name}");
        assert!(std::fs::metadata(file).unwrap().len() > 1000);
    }
    let summary_text = std::fs::read_to_string(summary.summary_file.unwrap()).unwrap();
    assert_eq!(summary_text.lines().count(), active + 1);

    let cancelled = statements::export_all(
        &s,
        d("2025-01-01"),
        d("2025-12-31"),
        d("2025-12-31"),
        &t.dir.path().join("cancelled"),
        Format::Pdf,
        Lang::Ru,
        &|_, _| {},
        &AtomicBool::new(true),
    )
    .unwrap();
    assert!(cancelled.cancelled && cancelled.files.is_empty());
}
