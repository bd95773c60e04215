//! The regulation's rules as the store applies them to recorded data.

use partner_desk::domain::lang::{Lang, Localized};
use partner_desk::domain::{LicenseKind, Money, PartnerId, SaleId, Status, ZeroReason};
use partner_desk::store::{PinEventKind, PinOutcome, RuleError, Store, StoreError};

use crate::util::*;

fn rule(e: StoreError) -> RuleError {
    match e {
        StoreError::Rule(r) => r,
        other => panic!("expected a rule error, got {other:?}"),
    }
}

#[test]
fn pin_conflict_is_refused_naming_the_holder_and_the_refusal_is_recorded() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    let b = partner(&mut s, BETA, "ООО «Бета»", false, None);
    let first = s
        .write(|db| db.request_pin(&inn(C1), "АО Клиент", a, d("2025-01-15"), ""))
        .unwrap();
    assert!(matches!(first, PinOutcome::Pinned { .. }));
    let second = s
        .write(|db| db.request_pin(&inn(C1), "", b, d("2025-03-01"), ""))
        .unwrap();
    match second {
        PinOutcome::Refused {
            holder,
            holder_label,
            last_day,
        } => {
            assert_eq!(holder, a);
            assert_eq!(holder_label, "ООО «Альфа» (7707083893)");
            assert_eq!(last_day, d("2025-04-14"));
        }
        other => panic!("{other:?}"),
    }
    let events = s.read().pin_events(&inn(C1)).unwrap();
    let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [PinEventKind::Pinned, PinEventKind::Refused]);
    assert_eq!(events[1].holder, Some(a));
    assert_eq!(s.read().client_name(&inn(C1)).unwrap(), "АО Клиент");
}

#[test]
fn pin_extension_and_release_are_kept_in_history() {
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Agent);
    let PinOutcome::Pinned { pin_id, ends_on } = s
        .write(|db| db.request_pin(&inn(C1), "", a, d("2024-11-30"), ""))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(ends_on, d("2025-02-28"));
    let extended = s
        .write(|db| db.extend_pin(pin_id, d("2025-02-20"), "Иванов", "по согласованию"))
        .unwrap();
    assert_eq!(extended, d("2025-05-28"));
    s.write(|db| db.release_pin(pin_id, d("2025-04-01"), "клиент ушёл"))
        .unwrap();
    let pins = s.read().pins_of_client(&inn(C1)).unwrap();
    assert_eq!(pins[0].ends_on, d("2025-04-01"));
    assert_eq!(pins[0].released_on, Some(d("2025-04-01")));
    let events = s.read().pin_events(&inn(C1)).unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            PinEventKind::Pinned,
            PinEventKind::Extended,
            PinEventKind::Released
        ]
    );
    assert_eq!(events[1].agreed_by, "Иванов");
    // Nothing is deleted: history and pins refuse it at the database itself.
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    assert!(raw.execute("DELETE FROM pin_events", []).is_err());
    assert!(raw.execute("UPDATE pin_events SET note = 'x'", []).is_err());
    assert!(raw.execute("DELETE FROM pins", []).is_err());
    assert!(raw.execute("DELETE FROM status_changes", []).is_err());
}

#[test]
fn shipment_rule_refuses_a_corporate_sale_without_a_pin_and_says_which_pin_ended() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    pin_client(&mut s, a, C1, "2025-01-15");
    // The last day in force is accepted; the day after is refused naming the end.
    record(&mut s, &sale(a, "2025-04-14", C1, LicenseKind::Saas, "100"));
    let err = rule(
        s.write(|db| db.record_sale(&sale(a, "2025-04-15", C1, LicenseKind::Saas, "100")))
            .unwrap_err(),
    );
    assert!(
        err.text(Lang::Ru)
            .contains("последний день действия — 14.04.2025"),
        "{}",
        err.text(Lang::Ru)
    );
    let err = rule(
        s.write(|db| db.record_sale(&sale(a, "2025-02-01", C2, LicenseKind::OnpremUser, "100")))
            .unwrap_err(),
    );
    assert!(
        err.text(Lang::Ru).contains("не закреплён"),
        "{}",
        err.text(Lang::Ru)
    );
    // ITS and developer services need no pin.
    record(&mut s, &sale(a, "2025-02-01", C2, LicenseKind::Its, "100"));
    record(
        &mut s,
        &sale(a, "2025-02-01", C2, LicenseKind::DevServices, "100"),
    );
    assert_eq!(s.read().counts().unwrap().sales, 3);
}

#[test]
fn status_change_with_a_past_date_changes_later_premiums_and_not_earlier_ones() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Agent);
    pin_client(&mut s, a, C1, "2025-01-01");
    record(
        &mut s,
        &sale(a, "2025-01-10", C1, LicenseKind::Saas, "1000"),
    );
    record(
        &mut s,
        &sale(a, "2025-02-10", C1, LicenseKind::Saas, "1000"),
    );
    let before = s
        .read()
        .statement(a, d("2025-01-01"), d("2025-03-31"), d("2025-04-01"))
        .unwrap();
    assert_eq!(before.totals.overall.premium, rub("200"));
    s.write(|db| db.add_status_change(a, d("2025-02-01"), Some(Status::Dealer), "повышение"))
        .unwrap();
    let after = s
        .read()
        .statement(a, d("2025-01-01"), d("2025-03-31"), d("2025-04-01"))
        .unwrap();
    assert_eq!(after.lines[0].premium, rub("100"));
    assert_eq!(after.lines[1].premium, rub("250"));
}

#[test]
fn rate_version_from_a_date_never_changes_premiums_of_earlier_sales() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    pin_client(&mut s, a, C1, "2025-01-01");
    record(
        &mut s,
        &sale(a, "2025-01-10", C1, LicenseKind::VideoCalls, "1000"),
    );
    record(
        &mut s,
        &sale(a, "2025-02-10", C1, LicenseKind::VideoCalls, "1000"),
    );
    let table = with_video_calls_rate(&s, 15);
    s.write(|db| db.add_rate_version(d("2025-02-01"), &table, "видеозвонки"))
        .unwrap();
    let st = s
        .read()
        .statement(a, d("2025-01-01"), d("2025-03-31"), d("2025-04-01"))
        .unwrap();
    assert_eq!(
        (st.lines[0].premium, st.lines[0].reason),
        (Money::ZERO, Some(ZeroReason::NoRate))
    );
    assert_eq!(st.lines[1].premium, rub("150"));
    assert_eq!(st.rate_versions, ["default", "2025-02-01"]);
    // A second version on the same date is refused; versions are never rewritten.
    let err = rule(
        s.write(|db| db.add_rate_version(d("2025-02-01"), &table, ""))
            .unwrap_err(),
    );
    assert_eq!(
        err,
        RuleError::RateVersionExists {
            date: d("2025-02-01")
        }
    );
}

#[test]
fn return_takes_the_original_sales_terms_and_cannot_exceed_what_is_left() {
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    pin_client(&mut s, a, C1, "2025-01-01");
    let id = s
        .write(|db| db.record_sale(&sale(a, "2025-01-10", C1, LicenseKind::Saas, "120000")))
        .unwrap();
    s.write(|db| db.add_status_change(a, d("2025-02-01"), Some(Status::Integrator), ""))
        .unwrap();
    s.write(|db| db.record_return(id, d("2025-05-01"), rub("40000"), Some("R-1")))
        .unwrap();
    let err = rule(
        s.write(|db| db.record_return(id, d("2025-05-02"), rub("80000,01"), None))
            .unwrap_err(),
    );
    assert_eq!(err, RuleError::ReturnTooLarge { left: rub("80000") });
    let said = partner_desk::domain::Localized::text(&err, partner_desk::domain::Lang::Ru);
    assert!(
        said.ends_with("не больше 80\u{a0}000,00\u{a0}₽"),
        "said as money: {said}"
    );
    let err = rule(
        s.write(|db| db.record_return(id, d("2025-01-09"), rub("1"), None))
            .unwrap_err(),
    );
    assert!(matches!(err, RuleError::ReturnBeforeSale { .. }));
    let st = s
        .read()
        .statement(a, d("2025-04-01"), d("2025-06-30"), d("2025-07-01"))
        .unwrap();
    assert_eq!(st.lines.len(), 1);
    assert_eq!(
        (st.lines[0].amount, st.lines[0].premium),
        (-rub("40000"), -rub("10000"))
    );
}

#[test]
fn documents_are_unique_across_sales_and_returns() {
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let mut first = sale(a, "2025-01-10", C1, LicenseKind::Its, "100");
    first.doc = Some("D-1".into());
    let id = s.write(|db| db.record_sale(&first)).unwrap();
    let err = rule(s.write(|db| db.record_sale(&first)).unwrap_err());
    assert_eq!(err, RuleError::DuplicateDoc { doc: "D-1".into() });
    let err = rule(
        s.write(|db| db.record_return(id, d("2025-01-11"), rub("1"), Some("D-1")))
            .unwrap_err(),
    );
    assert_eq!(err, RuleError::DuplicateDoc { doc: "D-1".into() });
}

#[test]
fn database_from_a_newer_version_is_refused_and_left_untouched() {
    let t = TempDb::on_file();
    drop(t.open());
    {
        let raw = rusqlite::Connection::open(&t.path).unwrap();
        raw.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&t.path).unwrap();
    let err = Store::open(&t.path).err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.text(Lang::Ru).contains("более новой версией"));
    assert_eq!(std::fs::read(&t.path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let t = TempDb::on_file();
    let bytes = b"inn;name\n7707083893;not a database\n".repeat(20);
    std::fs::write(&t.path, &bytes).unwrap();
    let err = Store::open(&t.path).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert_eq!(std::fs::read(&t.path).unwrap(), bytes);
}

#[test]
fn a_new_database_is_migrated_to_the_current_schema_with_the_regulation_rates() {
    let t = TempDb::on_file();
    let s = t.open();
    drop(s);
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    let version: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, partner_desk::store::SCHEMA_VERSION);
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let s = t.open();
    let book = s.read().rate_book().unwrap();
    assert_eq!(book.versions().len(), 1);
    assert_eq!(
        book.versions()[0].table,
        partner_desk::domain::RateTable::regulation_default()
    );
}

#[test]
fn a_failed_write_leaves_nothing_half_written() {
    let t = TempDb::new();
    let mut s = t.open();
    let result: Result<(), StoreError> = s.write(|db| {
        db.add_partner(&inn(ALFA), "ООО «Альфа»", false)?;
        db.add_partner(&inn(ALFA), "ООО «Альфа» снова", false)?;
        Ok(())
    });
    assert!(matches!(
        result,
        Err(StoreError::Rule(RuleError::PartnerExists { .. }))
    ));
    assert_eq!(s.read().counts().unwrap().partners, 0);
}

#[test]
fn listed_premiums_follow_status_changes_rate_versions_and_the_1c_flag() {
    use partner_desk::store::SalesQuery;
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Agent);
    pin_client(&mut s, a, C1, "2025-01-01");
    let sold = s
        .write(|db| db.record_sale(&sale(a, "2025-01-10", C1, LicenseKind::Saas, "1000")))
        .unwrap();
    record(
        &mut s,
        &sale(a, "2025-02-10", C1, LicenseKind::VideoCalls, "1000"),
    );
    record(&mut s, &sale(a, "2025-02-11", C2, LicenseKind::Its, "1000"));
    s.write(|db| db.record_return(sold, d("2025-03-01"), rub("400"), None))
        .unwrap();
    let check = |s: &Store| {
        let db = s.read();
        let listed = db.sales_page(&SalesQuery::default(), 0, 100).unwrap();
        let statement = db
            .statement(a, d("2025-01-01"), d("2025-12-31"), d("2026-01-01"))
            .unwrap();
        let from_list: Vec<_> = listed
            .iter()
            .map(|r| (r.amount, r.premium, r.rate, r.reason))
            .collect();
        let from_statement: Vec<_> = statement
            .lines
            .iter()
            .map(|l| (l.amount, l.premium, l.rate, l.reason))
            .collect();
        assert_eq!(from_list, from_statement);
        let (n, amount, premium) = db.sales_totals(&SalesQuery::default()).unwrap();
        assert_eq!(
            (n, amount, premium),
            (
                4,
                statement.totals.overall.amount,
                statement.totals.overall.premium
            )
        );
        premium
    };
    assert_eq!(check(&s), rub("60")); // 100 − 40 (return), video calls not set, ITS needs Integrator
    s.write(|db| db.add_status_change(a, d("2025-01-05"), Some(Status::Dealer), ""))
        .unwrap();
    assert_eq!(check(&s), rub("150")); // 250 − 100
    let table = with_video_calls_rate(&s, 15);
    s.write(|db| db.add_rate_version(d("2025-02-01"), &table, ""))
        .unwrap();
    assert_eq!(check(&s), rub("300"));
    s.write(|db| db.update_partner(a, "ООО «Альфа»", true))
        .unwrap();
    assert_eq!(check(&s), rub("800")); // ITS on Integrator terms: + 500
}

#[test]
fn sales_list_filters_search_sorts_and_pages() {
    use partner_desk::store::{SalesQuery, SalesSort};
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let b = beta(&mut s, Status::Agent);
    for (i, day) in ["2025-01-10", "2025-02-10", "2025-03-10"]
        .into_iter()
        .enumerate()
    {
        let mut x = sale(
            a,
            day,
            C1,
            LicenseKind::DevServices,
            &format!("{}", (i + 1) * 100),
        );
        x.client_name = "АО «Ромашка»".into();
        s.write(|db| db.record_sale(&x)).unwrap();
    }
    record(&mut s, &sale(b, "2025-02-15", C2, LicenseKind::Its, "50"));
    let db = s.read();
    let q = |f: &dyn Fn(&mut SalesQuery)| {
        let mut q = SalesQuery::default();
        f(&mut q);
        db.sales_page(&q, 0, 10).unwrap()
    };
    assert_eq!(q(&|q| q.partner = Some(b)).len(), 1);
    assert_eq!(q(&|q| q.from = Some(d("2025-02-10"))).len(), 3);
    assert_eq!(q(&|q| q.to = Some(d("2025-02-10"))).len(), 2);
    assert_eq!(q(&|q| q.kind = Some(LicenseKind::Its)).len(), 1);
    assert_eq!(
        q(&|q| q.text = "ромаш".into()).len(),
        3,
        "search ignores Cyrillic case"
    );
    assert_eq!(
        q(&|q| q.text = "бета".into()).len(),
        1,
        "search finds partner names"
    );
    assert_eq!(
        q(&|q| q.text = C2[..4].into()).len(),
        1,
        "search finds an INN by its start"
    );
    assert_eq!(
        q(&|q| q.text = BETA.into()).len(),
        1,
        "search finds a partner's INN"
    );
    let by_amount = q(&|q| {
        q.sort = SalesSort::Amount;
        q.descending = true;
    });
    assert_eq!(by_amount[0].amount, rub("300"));
    let page = db.sales_page(&SalesQuery::default(), 1, 2).unwrap();
    assert_eq!(
        page.iter().map(|r| r.date).collect::<Vec<_>>(),
        [d("2025-02-10"), d("2025-02-15")]
    );
}

#[test]
fn a_database_of_an_earlier_schema_is_upgraded_in_place_keeping_its_data() {
    let t = TempDb::on_file();
    {
        let mut s = t.open();
        alfa(&mut s, Status::Dealer);
    }
    take_back_to_schema_1(&t.path);
    let s = t.open();
    assert_eq!(s.read().counts().unwrap().partners, 1);
    assert!(s.read().issued_statements().unwrap().is_empty());
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    let version: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, partner_desk::store::SCHEMA_VERSION);
    // The file as it was is kept next to it, checked.
    let backup = t.dir.path().join(format!(
        "test-before-v{}.sqlite3",
        partner_desk::store::SCHEMA_VERSION
    ));
    let old = rusqlite::Connection::open(&backup).unwrap();
    let old_version: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(old_version, 1);
    let partners: i64 = old
        .query_row("SELECT count(*) FROM partners", [], |r| r.get(0))
        .unwrap();
    assert_eq!(partners, 1);
}

#[test]
fn chart_of_a_partner_equals_its_statements_month_by_month() {
    use chrono::{Datelike, Months};
    use partner_desk::ui::chart::MonthSeries;
    let t = TempDb::new();
    let mut s = t.open();
    let today = d("2025-12-31");
    partner_desk::demo::fill(&mut s, today).unwrap();
    let db = s.read();
    for p in db.partners().unwrap() {
        let series = MonthSeries::load(&db, Some(p.id), today).unwrap();
        assert_eq!(series.months.len(), 24);
        for (month, kinds) in &series.months {
            let last = month
                .checked_add_months(Months::new(1))
                .unwrap()
                .pred_opt()
                .unwrap();
            let statement = db.statement(p.id, *month, last, today).unwrap();
            let by_kind: std::collections::BTreeMap<_, _> = statement
                .totals
                .by_kind
                .iter()
                .map(|(k, sums)| (*k, sums.premium))
                .collect();
            assert_eq!(
                kinds,
                &by_kind,
                "{} {}-{}",
                p.name,
                month.year(),
                month.month()
            );
        }
    }
}

#[test]
fn a_file_closed_cleanly_opens_without_reading_it_whole_and_any_other_is_checked() {
    let t = TempDb::on_file();
    let mut s = t.open();
    partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    s.close();
    let s = t.open();
    assert!(!s.checked_on_open(), "closed cleanly, unchanged since");
    s.close();

    // Changed by something else since: checked again.
    let file = std::fs::File::options().write(true).open(&t.path).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    file.set_modified(later).unwrap();
    drop(file);
    let mut s = t.open();
    assert!(s.checked_on_open(), "a changed file is checked in full");

    // A program that did not close (a crash) leaves its log: the next open checks.
    partner(&mut s, BETA, "ООО «Бета»", false, None);
    std::mem::forget(s);
    let s = t.open();
    assert!(
        s.checked_on_open(),
        "a file not closed cleanly is checked in full"
    );
    assert_eq!(s.read().partners().unwrap().len(), 2, "and nothing is lost");
    assert!(s.read().integrity().is_ok());
}

#[test]
fn a_copy_of_a_cleanly_closed_file_is_checked_and_refused_when_damaged() {
    let t = TempDb::on_file();
    let mut s = t.open();
    partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    s.close();
    let mut bytes = std::fs::read(&t.path).unwrap();
    let page = 4096;
    // The last page's b-tree header: a page type no page has.
    let at = bytes.len() - page;
    bytes[at] = 0x7f;
    let copy = t.dir.path().join("copy.sqlite3");
    std::fs::write(&copy, &bytes).unwrap();
    match Store::open(&copy) {
        Err(StoreError::Damaged(_)) => {}
        other => panic!("a damaged copy is refused: {:?}", other.map(|_| ())),
    }
    assert_eq!(std::fs::read(&copy).unwrap(), bytes, "and left as it was");
}

#[test]
fn the_pins_ending_soon_are_read_alone_and_are_those_the_whole_list_gives() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    let mut day = d("2024-09-01");
    for i in 0..60u64 {
        let client =
            partner_desk::domain::Inn::complete(&format!("50{:07}", 2_000_000 + i * 3)).unwrap();
        let outcome = s
            .write(|db| db.request_pin(&client, "", a, day, ""))
            .unwrap();
        if i % 7 == 0
            && let PinOutcome::Pinned { pin_id, .. } = outcome
        {
            // Released early: no longer in force from that day.
            s.write(|db| db.release_pin(pin_id, day + chrono::Days::new(20), ""))
                .unwrap();
        }
        day = day + chrono::Days::new(2);
    }
    let all = s.read().pin_rows().unwrap();
    let mut seen = 0;
    for today in (0..200).map(|n| d("2024-10-01") + chrono::Days::new(n)) {
        let ending: Vec<_> = all
            .iter()
            .filter(|r| r.pin.in_force_on(today) && r.pin.days_left(today) <= 14)
            .map(|r| r.pin.id)
            .collect();
        let read: Vec<_> = s
            .read()
            .pins_ending(today, 14)
            .unwrap()
            .iter()
            .map(|r| r.pin.id)
            .collect();
        assert_eq!(read, ending, "{today}");
        seen += read.len();
    }
    assert!(seen > 100, "the days tried see pins ending: {seen}");
}

#[test]
fn a_mistyped_sale_is_corrected_or_deleted_with_its_history_until_its_period_is_issued() {
    use partner_desk::store::CorrectionKind;
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let typo = s
        .write(|db| {
            db.record_sale(&sale(
                a,
                "2025-04-15",
                C2,
                LicenseKind::DevServices,
                "120000",
            ))
        })
        .unwrap();
    a_typo_is_corrected_with_what_changed_in_its_history(&mut s, a, typo);
    a_sale_with_a_return_is_not_changed_under_it(&mut s, a, typo);

    // Issued: the database refuses, and the sentence says to reopen the statement.
    let issued = partner_desk::statements::issue(
        &mut s,
        a,
        d("2025-04-01"),
        d("2025-04-30"),
        d("2025-05-01"),
    )
    .unwrap();
    let refused = s.write(|db| db.delete_sale(typo)).unwrap_err();
    let text = refused.text(Lang::Ru);
    assert!(
        text.contains(&issued.number) && text.contains("переоткройте"),
        "{text}"
    );
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    assert!(
        raw.execute("DELETE FROM sales WHERE id = ?1", [typo.0])
            .is_err(),
        "the lock is the database's own"
    );
    s.write(|db| db.reopen_statement(&issued.number, d("2025-05-02"), "ошибка в сумме"))
        .unwrap();
    s.write(|db| db.delete_sale(typo)).unwrap();
    assert!(s.read().sale(typo).unwrap().is_none());
    let history = s.read().sale_corrections(typo).unwrap();
    assert_eq!(
        history.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [CorrectionKind::Changed, CorrectionKind::Deleted]
    );
    // The history itself is append-only.
    assert!(raw.execute("DELETE FROM sale_corrections", []).is_err());
    assert!(
        raw.execute("UPDATE sale_corrections SET corrected_by = 'x'", [])
            .is_err()
    );
}

/// 12 000, not 120 000: the statement follows, and the history says what changed.
fn a_typo_is_corrected_with_what_changed_in_its_history(s: &mut Store, a: PartnerId, typo: SaleId) {
    use partner_desk::store::CorrectionKind;
    let premium = |s: &Store| {
        s.read()
            .statement(a, d("2025-04-01"), d("2025-04-30"), d("2025-05-01"))
            .unwrap()
            .totals
            .overall
            .premium
    };
    let before = premium(s);
    s.write(|db| {
        db.correct_sale(
            typo,
            &sale(a, "2025-04-15", C2, LicenseKind::DevServices, "12000"),
        )
    })
    .unwrap();
    assert_eq!(premium(s).kopecks() * 10, before.kopecks());
    let history = s.read().sale_corrections(typo).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind, CorrectionKind::Changed);
    assert_eq!(history[0].before.amount(), rub("120000"));
    assert_eq!(history[0].after.as_ref().unwrap().amount(), rub("12000"));
    let said = partner_desk::store::correction_changes(
        &history[0].before,
        history[0].after.as_ref().unwrap(),
        |_| String::new(),
        Lang::Ru,
    );
    assert_eq!(
        said,
        ["сумма: 120\u{a0}000,00\u{a0}₽ → 12\u{a0}000,00\u{a0}₽"]
    );
}

/// A sale with a return is not changed under it; a return is deleted, not changed.
fn a_sale_with_a_return_is_not_changed_under_it(s: &mut Store, a: PartnerId, typo: SaleId) {
    let ret = s
        .write(|db| db.record_return(typo, d("2025-04-20"), rub("1000"), None))
        .unwrap();
    let refused = s.write(|db| db.delete_sale(typo)).unwrap_err();
    assert_eq!(rule(refused), RuleError::SaleHasReturns);
    let refused = s
        .write(|db| {
            db.correct_sale(
                ret,
                &sale(a, "2025-04-20", C2, LicenseKind::DevServices, "5"),
            )
        })
        .unwrap_err();
    assert_eq!(rule(refused), RuleError::ReturnNotEditable);
    s.write(|db| db.delete_sale(ret)).unwrap();
}

#[test]
fn a_correction_that_changes_nothing_is_refused_and_not_recorded() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Agent);
    let same = sale(a, "2025-04-15", C2, LicenseKind::DevServices, "100");
    let id = s.write(|db| db.record_sale(&same)).unwrap();
    let refused = s.write(|db| db.correct_sale(id, &same)).unwrap_err();
    assert_eq!(rule(refused), RuleError::NothingCorrected);
    assert!(s.read().sale_corrections(id).unwrap().is_empty());
}

#[test]
fn a_pin_event_recorded_by_mistake_is_cancelled_and_stays_in_the_history() {
    let t = TempDb::new();
    let mut s = t.open();
    let alfa = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    let beta = partner(&mut s, BETA, "ООО «Бета»", false, None);
    let pinned = s
        .write(|db| db.request_pin(&inn(C1), "АО «Клиент»", alfa, d("2025-01-10"), ""))
        .unwrap();
    let PinOutcome::Pinned { pin_id, ends_on } = pinned else {
        panic!("{pinned:?}")
    };
    // Extended by mistake, then cancelled: the term is as it was, the event is kept.
    s.write(|db| db.extend_pin(pin_id, d("2025-03-01"), "Иванов", ""))
        .unwrap();
    let err = rule(s.write(|db| db.cancel_pin_event(pin_id, " ")).unwrap_err());
    assert_eq!(err, RuleError::CancelReasonRequired);
    s.write(|db| db.cancel_pin_event(pin_id, "продлили не того клиента"))
        .unwrap();
    let pins = s.read().pins_of_client(&inn(C1)).unwrap();
    assert_eq!(pins[0].ends_on, ends_on);
    let events = s.read().pin_events(&inn(C1)).unwrap();
    assert_eq!(events.len(), 2, "nothing is deleted from the history");
    assert_eq!(events[1].kind, PinEventKind::Extended);
    assert_eq!(
        events[1].cancelled.as_ref().map(|c| c.reason.as_str()),
        Some("продлили не того клиента")
    );
    // The pinning itself is not cancelled: a pin recorded by mistake is released.
    let err = rule(
        s.write(|db| db.cancel_pin_event(pin_id, "ещё раз"))
            .unwrap_err(),
    );
    assert_eq!(err, RuleError::NothingToCancel);

    // A release cancelled after another partner pinned the client would make two holders:
    // refused, with the holder named.
    s.write(|db| db.release_pin(pin_id, d("2025-02-01"), ""))
        .unwrap();
    pin_client(&mut s, beta, C1, "2025-02-05");
    let err = rule(
        s.write(|db| db.cancel_pin_event(pin_id, "ошибка"))
            .unwrap_err(),
    );
    assert!(matches!(err, RuleError::CancelConflicts { .. }), "{err:?}");
    assert!(
        err.text(Lang::Ru).contains("ООО «Бета»") && err.text(Lang::Ru).contains("05.02.2025"),
        "{}",
        err.text(Lang::Ru)
    );
    let pins = s.read().pins_of_client(&inn(C1)).unwrap();
    assert_eq!(pins[0].released_on, Some(d("2025-02-01")), "unchanged");
}

#[test]
fn a_deleted_sale_is_listed_with_its_client_and_who_deleted_it() {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let id = s
        .write(|db| db.record_sale(&sale(a, "2025-04-15", C2, LicenseKind::DevServices, "5000")))
        .unwrap();
    assert!(
        s.read()
            .deleted_sales_of_client(&inn(C2))
            .unwrap()
            .is_empty()
    );
    s.write(|db| db.delete_sale(id)).unwrap();
    let deleted = s.read().deleted_sales_of_client(&inn(C2)).unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].before.amount(), rub("5000"));
    assert!(!deleted[0].by.is_empty());
    assert!(
        s.read()
            .deleted_sales_of_client(&inn(C1))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn every_event_records_who_did_it_and_an_issued_statement_says_who_issued_it() {
    let t = TempDb::new();
    let mut s = t.open();
    let who = s.login();
    assert!(!who.is_empty());
    if let Some(url) = &t.server {
        let config = partner_desk::store::postgres::config(url).unwrap();
        assert_eq!(Some(who.as_str()), config.get_user(), "the login connected");
    }
    let a = alfa(&mut s, Status::Dealer);
    let b = partner(&mut s, BETA, "ООО «Бета»", false, None);
    pin_client(&mut s, a, C1, "2025-01-15");
    pin_client(&mut s, b, C1, "2025-02-01");
    let sale_id = s
        .write(|db| db.record_sale(&sale(a, "2025-01-20", C1, LicenseKind::Saas, "120000")))
        .unwrap();
    s.write(|db| db.record_return(sale_id, d("2025-01-25"), rub("20000"), None))
        .unwrap();

    let events = s.read().pin_events(&inn(C1)).unwrap();
    assert_eq!(events.len(), 2, "the pin and the refusal");
    assert!(events.iter().all(|e| e.recorded_by == who), "{events:?}");
    let record = s.read().partner(a).unwrap();
    assert!(record.changes.iter().all(|c| c.recorded_by == who));
    let rows = s
        .read()
        .sales_page(&partner_desk::store::SalesQuery::default(), 0, 10)
        .unwrap();
    assert_eq!(rows.len(), 2, "the sale and its return");
    assert!(rows.iter().all(|r| r.recorded_by == who));

    let issued = partner_desk::statements::issue(
        &mut s,
        a,
        d("2025-01-01"),
        d("2025-01-31"),
        d("2025-02-05"),
    )
    .unwrap();
    partner_desk::actions::reopen(&mut s, &issued.number, "ошибка в сумме", d("2025-02-06"))
        .unwrap();
    let row = &s.read().issued_statements().unwrap()[0];
    assert_eq!(
        (row.issued_by.as_str(), row.reopened_by.as_str()),
        (who.as_str(), who.as_str())
    );
    let (statement, json) = partner_desk::statements::issued_statement(&s, &issued.number).unwrap();
    assert_eq!(statement.issued_by.as_deref(), Some(who.as_str()));
    assert!(
        String::from_utf8(json)
            .unwrap()
            .contains(&format!("\"issued_by\": \"{who}\"")),
        "the stored JSON carries issued_by"
    );
}

#[test]
fn a_nul_or_a_name_past_its_limit_is_refused_alike_on_both_engines_and_nothing_is_written() {
    let t = TempDb::new();
    let mut s = t.open();
    let refused = |e: StoreError| match e {
        StoreError::Rule(RuleError::Text { field, error }) => (field, error),
        other => panic!("{other:?}"),
    };
    let nul = s
        .write(|db| db.add_partner(&inn(ALFA), "ООО\0Альфа", false))
        .unwrap_err();
    let (field, error) = refused(nul);
    assert_eq!(field, partner_desk::domain::TextField::PartnerName);
    assert_eq!(
        RuleError::Text { field, error }.text(Lang::Ru),
        "название партнёра: в тексте управляющий символ (U+0000) на 4-й позиции; удалите его (он бывает в скопированном тексте)"
    );
    let long = "Я".repeat(50_000);
    refused(
        s.write(|db| db.add_partner(&inn(ALFA), &long, false))
            .unwrap_err(),
    );
    let a = partner(&mut s, ALFA, "ООО «Альфа»", true, None);
    let pin = s.write(|db| db.request_pin(&inn(C1), "АО\0", a, d("2025-01-01"), ""));
    refused(pin.unwrap_err());
    let sale = partner_desk::store::NewSale {
        doc: Some("D-\u{7f}".into()),
        ..sale(a, "2025-01-10", C1, LicenseKind::Its, "100")
    };
    refused(s.write(|db| db.record_sale(&sale)).unwrap_err());
    let counts = s.read().counts().unwrap();
    assert_eq!((counts.partners, counts.pins, counts.sales), (1, 0, 0));
}

/// A file written before texts were checked, or by hand, may hold a NUL or a name past its
/// limit: the copy into a team database refuses it naming the row, as a write would, and
/// the server keeps nothing. Runs on the server run (`scripts/test-with-server`).
#[test]
fn copy_into_a_team_database_refuses_a_stored_nul_naming_its_row_and_copies_nothing() {
    if !on_server() {
        return;
    }
    let t = TempDb::on_file();
    let mut s = t.open();
    partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    s.close();
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    raw.execute("UPDATE partners SET name = 'ООО' || char(0) || 'Альфа'", [])
        .unwrap();
    drop(raw);
    let url = new_server_database();
    let e =
        partner_desk::actions::copy(t.path.to_str().unwrap(), &url, d("2025-05-20")).unwrap_err();
    let said = e.text(Lang::En);
    assert!(
        said.contains("(partners #1, name): the text holds a control character (U+0000)"),
        "{said}"
    );
    let team = Store::connect(&url).unwrap();
    assert_eq!(team.read().counts().unwrap().partners, 0);
}

/// What reading back a sale says after another program ran `sql` on the file.
fn sale_read_after_another_program_ran(sql: &str) -> StoreError {
    let t = TempDb::on_file();
    let mut s = t.open();
    let a = partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    let id = s
        .write(|db| db.record_sale(&sale(a, "2025-01-10", C1, LicenseKind::Its, "100")))
        .unwrap();
    drop(s);
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    raw.execute_batch(sql).unwrap();
    drop(raw);
    t.open().read().sale(id).unwrap_err()
}

#[test]
fn a_value_of_the_wrong_type_written_by_another_program_is_told_in_a_sentence() {
    let e = sale_read_after_another_program_ran("UPDATE sales SET date = '2025-13-45'");
    let said = e.text(Lang::Ru);
    assert!(
        said.starts_with("в базе данных значение, которое нельзя прочитать")
            && said
                .ends_with("выполните partner-desk check или откройте последнюю резервную копию"),
        "{said}"
    );
}

#[test]
fn a_stored_value_the_program_does_not_know_is_named_with_its_column_in_a_sentence() {
    // Another program changed the client's INN by a digit: its check digit is wrong now.
    let broken = format!("{}9", &C1[..9]);
    let e = sale_read_after_another_program_ran(&format!(
        "PRAGMA foreign_keys = OFF;
         UPDATE clients SET inn = '{broken}'; UPDATE sales SET client_inn = '{broken}'"
    ));
    assert!(
        matches!(&e, StoreError::UnknownValue { column: "sales.client_inn", value, .. } if *value == broken),
        "{e:?}"
    );
    let (ru, en) = (e.text(Lang::Ru), e.text(Lang::En));
    let said_ru = format!("в базе данных в sales.client_inn записано «{broken}»");
    let said_en = format!("the database holds \"{broken}\" in sales.client_inn");
    assert!(
        ru.starts_with(&said_ru)
            && ru.contains("как ИНН")
            && ru.ends_with("откройте последнюю резервную копию"),
        "{ru}"
    );
    assert!(en.starts_with(&said_en) && en.contains("as an INN"), "{en}");
}
pub mod payments;

#[test]
fn a_return_is_at_its_sales_rate_when_the_rates_change_after_the_sale_was_issued() {
    // Dev services at 10 % for a Dealer. A 1 000 ₽ sale in March, issued; half of it
    // returned in April; then a new rate version makes dev services 30 % from January.
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let sold = record(
        &mut s,
        &sale(a, "2025-03-10", C1, LicenseKind::DevServices, "1000"),
    );
    let open_sale = record(
        &mut s,
        &sale(a, "2025-04-05", C1, LicenseKind::DevServices, "1000"),
    );
    partner_desk::statements::issue(&mut s, a, d("2025-03-01"), d("2025-03-31"), d("2025-04-01"))
        .unwrap();
    let returned = s
        .write(|db| db.record_return(sold, d("2025-04-20"), rub("500"), None))
        .unwrap();
    let premium = |s: &partner_desk::store::Store, id: partner_desk::domain::SaleId| {
        let april = s
            .read()
            .statement(a, d("2025-04-01"), d("2025-04-30"), d("2025-05-01"))
            .unwrap();
        april
            .lines
            .iter()
            .find(|l| l.return_of.is_some() == (id == returned))
            .map(|l| l.premium)
            .unwrap()
    };
    assert_eq!(premium(&s, returned), -rub("50"), "10 % of 500, withheld");
    let table = with_rate(&s, LicenseKind::DevServices, Status::Dealer, 30);
    s.write(|db| db.add_rate_version(d("2025-01-01"), &table, ""))
        .unwrap();
    // The issued sale keeps its 10 %, and so does its return, stored and in April's
    // statement; the sale of the open period goes to 30 %.
    assert_eq!(premium(&s, returned), -rub("50"));
    assert_eq!(premium(&s, open_sale), rub("300"));
    let listed = s
        .read()
        .sales_page(&partner_desk::store::SalesQuery::default(), 0, 10)
        .unwrap()
        .into_iter()
        .find(|r| r.id == returned)
        .map(|r| r.premium);
    assert_eq!(listed, Some(-rub("50")), "the stored premium too");
    // Once the March statement is reopened, the sale is figured again at 30 %, and its
    // return follows it.
    s.write(|db| db.reopen_statement("2025-0001", d("2025-05-02"), "ошибка в ставке"))
        .unwrap();
    assert_eq!(premium(&s, returned), -rub("150"));
}
