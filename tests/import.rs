//! CSV imports: every format variant, and all-or-nothing on any bad row.

use partner_desk::domain::lang::{Lang, Localized};
use partner_desk::domain::{LicenseKind, Status};
use partner_desk::import::{ImportError, ImportKind, Problem, import_bytes};
use partner_desk::store::Store;

use crate::util::*;

fn import(
    s: &mut Store,
    kind: ImportKind,
    text: &str,
) -> Result<partner_desk::import::Summary, ImportError> {
    import_bytes(s, kind, text.as_bytes())
}

fn partners(s: &mut Store) {
    import(s, ImportKind::Partners, &format!(
        "inn,name,status,status_since,one_c_partner\n{ALFA},ООО «Альфа»,dealer,2024-01-01,yes\n{BETA},ООО «Бета»,агент,01.01.2024,\n"
    ))
    .unwrap();
}

/// [`partners`], and C1 pinned to Альфа from 2025-01-01.
fn partners_and_a_pin(s: &mut Store) {
    partners(s);
    import(
        s,
        ImportKind::Pins,
        &format!("date,client_inn,partner_inn\n2025-01-01,{C1},{ALFA}\n"),
    )
    .unwrap();
}

#[test]
fn partners_are_read_with_semicolons_bom_russian_statuses_and_columns_in_any_order() {
    let t = TempDb::new();
    let mut s = t.open();
    let text = format!(
        "\u{feff}status_since;Name;INN;status;one_c_partner\n01.02.2024;\"ООО \"\"Альфа\"\"; филиал\";{ALFA};Интегратор;да\n;ИП Смирнов;{SMIRNOV};;\n"
    );
    let summary = import(&mut s, ImportKind::Partners, &text).unwrap();
    assert_eq!((summary.partners_added, summary.status_changes), (2, 1));
    let db = s.read();
    let id = db.partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let facts = db.partner_facts(id).unwrap();
    assert_eq!(facts.name, "ООО \"Альфа\"; филиал");
    assert!(facts.one_c_partner);
    assert_eq!(
        facts.history.in_force_on(d("2024-02-01")),
        Some(Status::Integrator)
    );
    let smirnov = db
        .partner_facts(db.partner_by_inn(&inn(SMIRNOV)).unwrap().unwrap())
        .unwrap();
    assert!(!smirnov.one_c_partner);
    assert_eq!(smirnov.history.in_force_on(d("2030-01-01")), None);
}

#[test]
fn a_known_partner_is_updated_and_gets_status_changes_not_yet_in_its_history() {
    let t = TempDb::new();
    let mut s = t.open();
    partners(&mut s);
    let text = format!(
        "inn,name,status,status_since\n{ALFA},ООО «Альфа-Про»,integrator,2025-03-01\n{ALFA},ООО «Альфа-Про»,dealer,2024-01-01\n"
    );
    let summary = import(&mut s, ImportKind::Partners, &text).unwrap();
    assert_eq!(
        (
            summary.partners_added,
            summary.partners_updated,
            summary.status_changes
        ),
        (0, 1, 1)
    );
    let db = s.read();
    let facts = db
        .partner_facts(db.partner_by_inn(&inn(ALFA)).unwrap().unwrap())
        .unwrap();
    assert_eq!(facts.name, "ООО «Альфа-Про»");
    assert!(
        facts.one_c_partner,
        "an absent one_c_partner column keeps the flag"
    );
    assert_eq!(facts.history.changes().len(), 2);
}

#[test]
fn a_file_with_one_bad_row_writes_nothing_and_names_every_problem() {
    let t = TempDb::new();
    let mut s = t.open();
    let text = format!(
        "inn,name,status,status_since\n{ALFA},ООО «Альфа»,dealer,2024-01-01\n7707083894,ООО «Опечатка»,,\n{BETA},ООО «Бета»,partner,31.02.2024\n{SMIRNOV},,dealer,\n"
    );
    let errors = row_errors(import(&mut s, ImportKind::Partners, &text).unwrap_err());
    let located: Vec<(u64, &str)> = errors.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        located,
        [
            (3, "inn"),
            (4, "status"),
            (4, "status_since"),
            (5, "name"),
            (5, "status_since")
        ]
    );
    assert_eq!(s.read().counts().unwrap().partners, 0);
}

#[test]
fn pins_are_applied_in_date_order_and_a_conflict_writes_nothing() {
    let t = TempDb::new();
    let mut s = t.open();
    partners(&mut s);
    // Out of date order in the file; the extension comes after the pin it extends.
    let ok = format!(
        "date,client_inn,partner_inn,action,client_name,note\n2025-02-20,{C1},{ALFA},extend,,согласовано\n2025-01-01,{C1},{ALFA},,АО «Клиент»,\n2025-01-02,{C2},{BETA},pin,,\n2025-03-01,{C2},{BETA},release,,\n"
    );
    let summary = import(&mut s, ImportKind::Pins, &ok).unwrap();
    assert_eq!(
        (
            summary.pins_added,
            summary.pins_extended,
            summary.pins_released
        ),
        (2, 1, 1)
    );
    let pins = s.read().pins_of_client(&inn(C1)).unwrap();
    assert_eq!(pins[0].ends_on, d("2025-07-01"));

    let conflict =
        format!("date;client_inn;partner_inn\n2025-03-01;{C3};{BETA}\n2025-03-05;{C1};{BETA}\n");
    let errors = row_errors(import(&mut s, ImportKind::Pins, &conflict).unwrap_err());
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].0, errors[0].1.as_str()), (3, "client_inn"));
    let text = partner_desk::domain::Localized::text(&errors[0].2, Lang::Ru);
    assert_eq!(
        text,
        format!("Клиент {C1} закреплён за ООО «Альфа» ({ALFA}) по 30.06.2025")
    );
    assert!(
        s.read().pins_of_client(&inn(C3)).unwrap().is_empty(),
        "the good row was not kept"
    );
}

#[test]
fn sales_are_read_with_every_amount_date_and_flag_form() {
    let t = TempDb::new();
    let mut s = t.open();
    partners_and_a_pin(&mut s);
    let text = format!(
        "date;partner_inn;client_inn;kind;amount;doc;self_referred;connected_by_partner;used_in_work;client_name\n\
         10.01.2025;{ALFA};{C1};saas;\"1 234,56\";D-1;нет;ДА;1;АО «Клиент»\n\
         2025-01-11;{ALFA};{C1};onprem_user;1\u{a0}000.5;;false;;;\n\
         2025-01-12;{ALFA};{C2};its;100;D-3;;;;\n"
    );
    let summary = import(&mut s, ImportKind::Sales, &text).unwrap();
    assert_eq!(summary.sales, 3);
    assert_eq!(summary.amount, rub("2335,06"));
    let sale = s.read().sale_by_doc("D-1").unwrap().unwrap();
    assert_eq!(sale.entry.amount, rub("1234,56"));
    assert_eq!(sale.entry.kind, LicenseKind::Saas);
    assert!(sale.entry.role.connected_by_partner && !sale.entry.role.self_referred);
}

#[test]
fn sales_without_a_pin_unknown_partners_and_taken_documents_write_nothing() {
    let t = TempDb::new();
    let mut s = t.open();
    partners(&mut s);
    let text = format!(
        "date,partner_inn,client_inn,kind,amount,doc\n\
         2025-01-10,{ALFA},{C2},its,100,D-1\n\
         2025-01-10,{ALFA},{C1},saas,100,D-2\n\
         2025-01-10,{SMIRNOV},{C1},its,100,D-3\n\
         2025-01-10,{ALFA},{C2},its,100,D-1\n\
         2025-01-10,{ALFA},{C2},cloud,1e5,D-5\n\
         2025-01-10,{ALFA},{C2},its,\"0,005\",D-6\n"
    );
    let errors = row_errors(import(&mut s, ImportKind::Sales, &text).unwrap_err());
    let located: Vec<(u64, &str)> = errors.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    // Cell problems and the rules are found at once, across the whole file, in its order.
    assert_eq!(
        located,
        [
            (3, "client_inn"),
            (4, "partner_inn"),
            (5, "doc"),
            (6, "kind"),
            (6, "amount"),
            (7, "amount")
        ]
    );
    assert_eq!(s.read().counts().unwrap().sales, 0);
}

#[test]
fn returns_point_at_sales_by_document() {
    let t = TempDb::new();
    let mut s = t.open();
    partners(&mut s);
    import(
        &mut s,
        ImportKind::Sales,
        &format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-01-10,{ALFA},{C2},its,1000,D-1\n"
        ),
    )
    .unwrap();
    let summary = import(
        &mut s,
        ImportKind::Returns,
        "date,sale_doc,amount\n2025-02-01,D-1,400\n",
    )
    .unwrap();
    assert_eq!(summary.returns, 1);
    let errors = row_errors(
        import(
            &mut s,
            ImportKind::Returns,
            "date,sale_doc,amount\n2025-02-02,D-1,600\n2025-02-02,D-1,\"0,01\"\n2025-02-03,D-9,1\n",
        )
        .unwrap_err(),
    );
    let located: Vec<(u64, &str)> = errors.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(located, [(3, "amount"), (4, "sale_doc")]);
    assert_eq!(s.read().counts().unwrap().returns, 1);
}

#[test]
fn malformed_files_are_refused_with_a_reason() {
    let t = TempDb::new();
    let mut s = t.open();
    assert!(matches!(
        import(&mut s, ImportKind::Partners, ""),
        Err(ImportError::Empty)
    ));
    assert!(matches!(
        import(&mut s, ImportKind::Partners, "name,status\nX,dealer\n"),
        Err(ImportError::MissingColumns { names, .. }) if names == ["inn"]
    ));
    assert!(matches!(
        import(&mut s, ImportKind::Partners, "inn,name,inn\n"),
        Err(ImportError::DuplicateColumn { .. })
    ));
    assert!(matches!(
        import_bytes(&mut s, ImportKind::Partners, b"inn,name\n\xff\x00,x\n"),
        Err(ImportError::NotText)
    ));
    let errors = row_errors(
        import(
            &mut s,
            ImportKind::Partners,
            &format!("inn,name\n{ALFA},A,extra\n"),
        )
        .unwrap_err(),
    );
    assert!(matches!(
        errors[0].2,
        Problem::FieldCount {
            found: 3,
            expected: 2
        }
    ));
    // A header-only file imports nothing and succeeds.
    assert_eq!(
        import(&mut s, ImportKind::Partners, "inn,name\n")
            .unwrap()
            .rows,
        0
    );
}

#[test]
fn the_error_report_is_file_line_column_problem() {
    let t = TempDb::new();
    let mut s = t.open();
    let err = import(&mut s, ImportKind::Partners, "inn,name\n770708389,X\n").unwrap_err();
    let report = err.report("partners.csv", Lang::En);
    assert!(
        report.starts_with("partners.csv:2: inn: the INN has 9 digits"),
        "{report}"
    );
    let report = err.report("partners.csv", Lang::Ru);
    assert!(
        report.starts_with("partners.csv:2: inn: в ИНН 9 цифр"),
        "{report}"
    );
    assert!(report.ends_with("Ничего не записано: исправьте строки и повторите импорт."));
}

#[test]
fn license_kinds_are_read_in_the_regulations_words_the_programs_names_and_short_forms() {
    let t = TempDb::new();
    let mut s = t.open();
    partners_and_a_pin(&mut s);
    use LicenseKind::*;
    let kinds = [
        (
            "Лицензии в составе 1С:КП (ИТС) и дополнительные функции*",
            Its,
            C2,
        ),
        (
            "Корпоративные тарифы SaaS и дополнительные функции*",
            Saas,
            C1,
        ),
        ("Серверные лицензий On-premise", OnpremServer, C1),
        ("Пользовательские лицензии On-premise", OnpremUser, C1),
        ("Доп. услуги разработчика", DevServices, C2),
        ("«1С-Коннект: Видеозвонки»", VideoCalls, C1),
        ("Корпоративные тарифы SaaS", Saas, C1),
        ("Видеозвонки", VideoCalls, C1),
        ("ИТС", Its, C2),
        ("1С:КП", Its, C2),
        ("КП", Its, C2),
        ("SaaS", Saas, C1),
        ("on-premise server", OnpremServer, C1),
        ("On-premise, пользовательские", OnpremUser, C1),
        ("услуги разработчика", DevServices, C2),
        ("Лицензии в составе 1С:КП (ИТС) и доп. функции", Its, C2),
        ("Video calls", VideoCalls, C1),
        ("dev_services", DevServices, C2),
    ];
    let mut text =
        String::from("Дата;ИНН партнёра;ИНН клиента;Вид лицензии;Сумма, руб.;№ документа\n");
    for (i, (name, _, client)) in kinds.iter().enumerate() {
        text += &format!("15.01.2025;{ALFA};{client};\"{name}\";100;K-{i}\n");
    }
    // One short form that could be two kinds: the whole file is refused, saying so.
    let ambiguous = format!("{text}16.01.2025;{ALFA};{C1};On-premise;100;K-99\n");
    let errors = row_errors(import(&mut s, ImportKind::Sales, &ambiguous).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (line, column, problem) = &errors[0];
    assert_eq!(
        (*line, column.as_str()),
        (kinds.len() as u64 + 2, "Вид лицензии")
    );
    let said = problem.text(Lang::Ru);
    assert!(said.contains("может означать разное"), "{said}");
    assert!(said.contains("«Серверные лицензии On-premise»"), "{said}");
    assert!(
        said.contains("«Пользовательские лицензии On-premise»"),
        "{said}"
    );
    assert_eq!(s.read().counts().unwrap().sales, 0, "all or nothing");

    let summary = import(&mut s, ImportKind::Sales, &text).unwrap();
    assert_eq!(summary.sales, kinds.len());
    for (i, (name, kind, _)) in kinds.iter().enumerate() {
        let sale = s.read().sale_by_doc(&format!("K-{i}")).unwrap().unwrap();
        assert_eq!(sale.entry.kind, *kind, "{name}");
    }
}

#[test]
fn an_unknown_kind_is_refused_with_the_closest_name_and_the_accepted_ones() {
    let t = TempDb::new();
    let mut s = t.open();
    partners(&mut s);
    let text = format!(
        "date,partner_inn,client_inn,kind,amount\n2025-01-10,{ALFA},{C2},Лицензии в составе ИТС и доп функц,100\n"
    );
    let errors = row_errors(import(&mut s, ImportKind::Sales, &text).unwrap_err());
    let said = errors[0].2.text(Lang::Ru);
    assert!(
        said.starts_with("неизвестный вид лицензии «Лицензии в составе ИТС и доп функц»"),
        "{said}"
    );
    assert!(
        said.contains("Может быть, «Лицензии в составе 1С:КП (ИТС) и доп. функции»?"),
        "{said}"
    );
    assert!(said.contains("Допустимы: «Лицензии в составе"), "{said}");
    let said = errors[0].2.text(Lang::En);
    assert!(
        said.contains("Did you mean \"Licenses within 1C:KP (ITS) and add-ons\"?"),
        "{said}"
    );
}

#[test]
fn statuses_yes_no_and_pin_actions_are_read_as_1c_and_managers_write_them() {
    let t = TempDb::new();
    let mut s = t.open();
    let text = format!(
        "ИНН;Наименование;Статус;Статус с;Партнёр 1С\n{ALFA};ООО «Альфа»;Статус интегратора;01.01.2024;Истина\n{BETA};ООО «Бета»; ДИЛЕР ;01.01.2024;Ложь\n"
    );
    import(&mut s, ImportKind::Partners, &text).unwrap();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let facts = s.read().partner_facts(alfa).unwrap();
    assert!(facts.one_c_partner);
    assert_eq!(
        facts.history.in_force_on(d("2025-01-01")),
        Some(Status::Integrator)
    );
    let pins = format!(
        "date,client_inn,partner_inn,action\n2025-01-01,{C1},{ALFA},Закрепить\n2025-02-01,{C1},{ALFA},продлено\n"
    );
    import(&mut s, ImportKind::Pins, &pins).unwrap();
    let bad = format!("date,client_inn,partner_inn,action\n2025-01-01,{C2},{ALFA},закрепитт\n");
    let errors = row_errors(import(&mut s, ImportKind::Pins, &bad).unwrap_err());
    let said = errors[0].2.text(Lang::Ru);
    assert!(said.contains("Может быть, «закрепление»?"), "{said}");
}

#[test]
fn the_regulation_the_name_tests_read_is_the_shared_seed_verbatim() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = std::fs::read(here.join("tests/fixtures/partner-regulation.ru.txt")).unwrap();
    // The seed sits beside a checkout of the project; a lone checkout has only the copy.
    if let Ok(seed) = std::fs::read(here.join("../shared/seed/partner-regulation.ru.txt")) {
        assert_eq!(copy, seed, "tests/fixtures holds the seed as it is");
    }
    assert!(
        String::from_utf8(copy)
            .unwrap()
            .contains("Серверные лицензий On-premise")
    );
}

#[test]
fn a_text_past_its_limit_or_with_a_control_character_is_refused_with_its_line_and_column() {
    let t = TempDb::new();
    let mut s = t.open();
    partners_and_a_pin(&mut s);
    let long = "я".repeat(501);
    let text = format!("inn,name\n{ALFA},ООО «Альфа»\n{BETA},{long}\n{SMIRNOV},ИП\u{0}Смирнов\n");
    let err = import(&mut s, ImportKind::Partners, &text).unwrap_err();
    let report = err.report("partners.csv", Lang::Ru);
    assert!(
        report.contains(
            "partners.csv:3: name: символов в тексте: 501, а в названии или имени допустимо до 500"
        ),
        "{report}"
    );
    assert!(
        report.contains("partners.csv:4: name: в тексте управляющий символ (U+0000)"),
        "{report}"
    );
    let sales = format!(
        "date,partner_inn,client_inn,kind,amount,doc,client_name\n\
         2025-01-10,{ALFA},{C1},saas,100,{},АО\n2025-01-10,{ALFA},{C1},saas,100,D-2,АО\u{1}\n",
        "D".repeat(101)
    );
    let located: Vec<(u64, String)> =
        row_errors(import(&mut s, ImportKind::Sales, &sales).unwrap_err())
            .into_iter()
            .map(|(line, column, _)| (line, column))
            .collect();
    assert_eq!(
        located,
        [(2, "doc".to_owned()), (3, "client_name".to_owned())]
    );
    let counts = s.read().counts().unwrap();
    assert_eq!((counts.partners, counts.sales), (2, 0));
}

/// A file of sales with a refusal of every kind: cells that cannot be read, an unknown
/// partner, a client pinned to another partner, a client pinned to nobody, a day of an
/// issued period, a document used twice; the rest right. Its refused lines, and `filler`
/// right rows after them.
fn every_refusal(s: &mut Store, filler: usize) -> (String, Vec<u64>) {
    use partner_desk::statements;
    let a = alfa(s, Status::Dealer);
    let b = beta(s, Status::Dealer);
    pin_client(s, a, C1, "2025-01-01");
    pin_client(s, b, C2, "2025-01-01");
    record(s, &sale(a, "2025-01-15", C1, LicenseKind::Its, "100"));
    statements::issue(s, a, d("2025-01-01"), d("2025-01-31"), d("2025-02-01")).unwrap();
    let mut text = format!(
        "date,partner_inn,client_inn,kind,amount,doc\n\
         2025-02-10,{ALFA},{C1},saas,100,D-1\n\
         2025-02-10,{ALFA},{C2},saas,100,D-2\n\
         2025-02-10,{ALFA},{C3},saas,100,D-3\n\
         2025-01-20,{ALFA},{C1},saas,100,D-4\n\
         2025-02-10,{SMIRNOV},{C1},saas,100,D-5\n\
         2025-02-11,{ALFA},{C1},saas,100,D-1\n\
         2025-02-10,{ALFA},{C1},saas,двести,D-7\n"
    );
    for i in 0..filler {
        text.push_str(&format!("2025-03-01,{ALFA},{C1},saas,1,F-{i}\n"));
    }
    (text, vec![3, 4, 5, 6, 7, 8])
}

#[test]
fn the_preview_check_finds_every_refusal_the_import_meets_at_once_and_writes_nothing() {
    use partner_desk::import::mapping::Mapping;
    use partner_desk::import::source::read_source;
    use partner_desk::import::{check_sheet, import_sheet, import_valid};
    // A small file, and one large enough to be loaded in bulk.
    for filler in [0, 2_100] {
        let t = TempDb::new();
        let mut s = t.open();
        let (text, refused_lines) = every_refusal(&mut s, filler);
        let source = read_source(text.as_bytes()).unwrap();
        let sheet = &source.sheets[0];
        let mapping = Mapping::auto(ImportKind::Sales, &sheet.headers);
        let checked = check_sheet(&mut s, sheet, mapping.clone(), "f.csv", &|_, _| {}).unwrap();
        let lines: Vec<u64> = checked.iter().map(|e| e.line).collect();
        assert_eq!(lines, refused_lines, "{filler}: {checked:#?}");
        assert_eq!(
            s.read().counts().unwrap().sales,
            1,
            "a check writes nothing"
        );

        let refused =
            import_sheet(&mut s, sheet, mapping.clone(), "f.csv", &|_, _| {}).unwrap_err();
        match refused {
            ImportError::Rows(rows) => assert_eq!(rows, checked, "{filler}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(s.read().counts().unwrap().sales, 1);

        let (summary, left_out) =
            import_valid(&mut s, sheet, mapping, "f.csv", &|_, _| {}).unwrap();
        assert_eq!(left_out, checked);
        assert_eq!(summary.sales, 1 + filler);
        assert_eq!(s.read().counts().unwrap().sales, 2 + filler as i64);
    }
}
