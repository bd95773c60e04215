//! The built binary on temporary databases, as a manager or a script would run it.

use std::process::{Command, Output};

use crate::util::*;

pub(crate) fn run(t: &TempDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .arg("--db")
        .arg(t.db_arg())
        .args(args)
        .env("LANG", "ru_RU.UTF-8")
        .env("LC_ALL", "ru_RU.UTF-8")
        .env_remove("PARTNER_DESK_DB")
        .output()
        .unwrap()
}

/// [`run`] with `data_home` as the user's data folder, for its logs and crash reports.
fn run_with_home(t: &TempDb, data_home: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .arg("--db")
        .arg(&t.path)
        .args(args)
        .env("XDG_DATA_HOME", data_home)
        .env("LANG", "ru_RU.UTF-8")
        .env("LC_ALL", "ru_RU.UTF-8")
        .env_remove("PARTNER_DESK_DB")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cli_imports_files_and_writes_json_and_csv_statements() {
    let t = TempDb::new();
    let partners = t.file(
        "partners.csv",
        &format!("inn,name,status,status_since\n{ALFA},ООО «Альфа»,dealer,2024-01-01\n"),
    );
    let pins = t.file(
        "pins.csv",
        &format!("date,client_inn,partner_inn\n2025-01-01,{C1},{ALFA}\n"),
    );
    let sales = t.file(
        "sales.csv",
        &format!("date,partner_inn,client_inn,kind,amount,doc,client_name\n2025-01-10,{ALFA},{C1},saas,120000,D-1,=HYPERLINK(\"x\")\n"),
    );
    for (kind, file) in [("partners", &partners), ("pins", &pins), ("sales", &sales)] {
        let o = run(&t, &["import", kind, file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).starts_with("Импортировано строк: 1"),
            "{}",
            stdout(&o)
        );
    }
    let json = t.dir.path().join("q1.json");
    let o = run(
        &t,
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "31.03.2025",
            "--out",
            json.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(value["totals"]["premium"], "30000.00");
    assert_eq!(value["lines"][0]["rate"], "25");

    let csv = t.dir.path().join("q1.csv");
    let o = run(
        &t,
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV for people starts with a BOM"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("Ведомость премий партнёра"));
    assert!(text.contains("120000,00;Дилер;25;30000,00"), "{text}");
    assert!(
        text.contains("'=HYPERLINK"),
        "a formula-like name is made inert: {text}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let total = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.get(0) == Some("Итого"))
        .unwrap();
    assert_eq!(total.get(8), Some("30000,00"));
}

#[test]
fn cli_refuses_a_bad_file_with_line_numbered_messages_and_exit_status_1() {
    let t = TempDb::new();
    let bad = t.file(
        "partners.csv",
        &format!("inn,name\n{ALFA},ООО «Альфа»\n12345,ООО «Ошибка»\n"),
    );
    let o = run(&t, &["import", "partners", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("partners.csv:3: inn: в ИНН 5 цифр"), "{err}");
    assert!(err.contains("Ничего не записано"), "{err}");
    let partners = t.open().read().counts().unwrap().partners;
    assert_eq!(partners, 0);
}

#[test]
fn cli_errors_are_one_clear_sentence_and_never_a_panic() {
    let t = TempDb::new();
    let o = run(
        &t,
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            "x.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("партнёра с ИНН 7707083893 нет"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &t,
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            "x.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(".json, .csv, .xlsx или .pdf"),
        "{}",
        stderr(&o)
    );
    let o = run(&t, &["import", "partners", "/nonexistent/file.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("panicked"));
    let o = run(&t, &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let junk = t.file("junk.sqlite3", "this is not a database at all, not even close......................................................");
    let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .args(["--db", junk.to_str().unwrap(), "demo"])
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a Partner Desk database"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cli_gives_up_on_a_team_server_that_takes_the_connection_and_never_answers_in_10_s() {
    let (silent, url) = silent_server();
    let started = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .args(["--db", &url, "demo"])
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the server did not answer within 10 seconds"),
        "{}",
        stderr(&o)
    );
    assert!(
        waited >= std::time::Duration::from_secs(9) && waited < std::time::Duration::from_secs(30),
        "{waited:?}"
    );
    drop(silent);
}

#[test]
fn cli_demo_fills_an_empty_database_once() {
    let t = TempDb::new();
    let o = run(&t, &["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let counts = t.open().read().counts().unwrap();
    assert!(
        counts.partners >= 10 && counts.sales >= 100 && counts.returns >= 1,
        "{counts:?}"
    );
    let o = run(&t, &["demo"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn cli_uses_the_database_named_by_the_environment() {
    let t = TempDb::new();
    let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .arg("demo")
        .env("PARTNER_DESK_DB", t.db_arg())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t.open().read().counts().unwrap().partners > 0);
}

#[test]
fn cli_imports_russian_headers_skips_a_repeat_undoes_and_names_unmatched_columns() {
    let t = TempDb::new();
    let partners = t.file(
        "партнёры.csv",
        &format!("ИНН;Наименование;Статус;Статус с\n{ALFA};ООО «Альфа»;Дилер;01.01.2024\n"),
    );
    // Before any import there is nothing to undo, and it is said so.
    let o = run(&t, &["undo-import"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("ничего не импортировали — отменять нечего"),
        "{}",
        stderr(&o)
    );
    let o = run(&t, &["import", "partners", partners.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&t, &["import", "partners", partners.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("пропущено как уже записанные: 1"),
        "{}",
        stdout(&o)
    );
    // The repeat was the last import and wrote nothing; undoing it changes nothing, and
    // a second undo is refused with a reason.
    let o = run(&t, &["undo-import"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&t, &["undo-import"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("импорт уже нельзя отменить"),
        "{}",
        stderr(&o)
    );
    let sales = t.file("продажи.csv", "Дата;Покупатель;Итого\n01.01.2025;X;1\n");
    let o = run(&t, &["import", "sales", sales.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("«ИНН партнёра» (partner_inn)")
            && stderr(&o).contains("в файле есть: Дата, Покупатель, Итого"),
        "{}",
        stderr(&o)
    );
}

/// The binary run with `LANG` and `LC_ALL` set to `locale`.
fn run_in(locale: &str, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .args(args)
        .env("LANG", locale)
        .env("LC_ALL", locale)
        .env_remove("PARTNER_DESK_DB")
        .output()
        .unwrap()
}

/// «Альфа» (an Integrator) with one ITS sale in January 2025, imported by the command line.
fn alfa_with_a_january_sale(t: &TempDb) {
    let partners = t.file(
        "partners.csv",
        &format!("inn,name,status,status_since\n{ALFA},ООО «Альфа»,integrator,2024-01-01\n"),
    );
    let sales = t.file(
        "sales.csv",
        &format!("date,partner_inn,client_inn,kind,amount\n2025-01-10,{ALFA},{C2},ИТС,275200.06\n"),
    );
    for (kind, file) in [("partners", &partners), ("sales", &sales)] {
        assert!(
            run(t, &["import", kind, file.to_str().unwrap()])
                .status
                .success()
        );
    }
}

/// «Альфа»'s January statement written to `out` in the C locale, in `lang` when asked.
fn january_statement_in_c_locale(t: &TempDb, out: &std::path::Path, lang: Option<&str>) -> Output {
    let db = t.db_arg();
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "--db".as_ref(),
        db.as_os_str(),
        "statement".as_ref(),
        "--partner".as_ref(),
        ALFA.as_ref(),
        "--from".as_ref(),
        "2025-01-01".as_ref(),
        "--to".as_ref(),
        "2025-01-31".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    if let Some(lang) = lang {
        args.extend(["--lang", lang].map(std::ffi::OsStr::new));
    }
    let o = run_in("C", &args);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

#[test]
fn statements_are_russian_whatever_the_locale_and_english_when_asked() {
    let t = TempDb::new();
    alfa_with_a_january_sale(&t);
    let statement = |out: &std::path::Path, lang| january_statement_in_c_locale(&t, out, lang);
    let pdf = t.dir.path().join("x.pdf");
    let o = statement(&pdf, None);
    assert!(
        stdout(&o).contains("Statement written"),
        "messages follow the locale"
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("Ведомость премий партнёра"), "{text}");
    assert!(text.contains("137 600,03 ₽"), "{text}");
    assert!(text.contains("Интегратор"), "{text}");

    let csv = t.dir.path().join("x.csv");
    let o = statement(&csv, Some("en"));
    assert!(stdout(&o).contains("Statement written"));
    let text = String::from_utf8(std::fs::read(&csv).unwrap()[3..].to_vec()).unwrap();
    assert!(text.contains("Integrator"), "{text}");
    assert!(!text.contains("Ведомость"), "{text}");
    let o = statement(&csv, Some("ru"));
    assert!(
        stdout(&o).contains("Ведомость записана"),
        "--lang is the messages' too"
    );
    issued_statement_is_written_in_the_language_asked(&t);
}

/// An issued statement re-exports in the language asked for, with the same figures; its
/// stored JSON stays as issued.
fn issued_statement_is_written_in_the_language_asked(t: &TempDb) {
    let o = run(
        t,
        &[
            "issue",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    let number = said
        .split_whitespace()
        .find(|w| w.len() == 9 && w.as_bytes()[4] == b'-')
        .unwrap_or_else(|| panic!("a number in {said}"));
    let exported = |out: &std::path::Path, lang: &str| {
        let o = run(
            t,
            &[
                "statement",
                "--number",
                number,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                lang,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(out).unwrap()
    };
    let en = String::from_utf8(exported(&t.dir.path().join("n.csv"), "en")[3..].to_vec()).unwrap();
    assert!(
        en.contains("Integrator") && en.contains("137600,03"),
        "{en}"
    );
    let ru = String::from_utf8(exported(&t.dir.path().join("n.csv"), "ru")[3..].to_vec()).unwrap();
    assert!(
        ru.contains("Интегратор") && ru.contains("137600,03"),
        "{ru}"
    );
    let json_en = exported(&t.dir.path().join("en.json"), "en");
    let json_ru = exported(&t.dir.path().join("ru.json"), "ru");
    assert_eq!(json_en, json_ru, "the stored JSON, byte for byte");
}

/// Wrong arguments (a date that is none, a wrong INN, an empty period, an unknown format)
/// are told before any database is opened or made.
fn wrong_arguments_are_told_before_any_database_is_opened(t: &TempDb) {
    for args in [
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-13-01",
            "--to",
            "2025-01-31",
            "--out",
            "x.pdf",
        ][..],
        &[
            "issue",
            "--partner",
            "7707083894",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
        ],
        &[
            "issue",
            "--partner",
            ALFA,
            "--from",
            "2025-02-01",
            "--to",
            "2025-01-31",
        ],
        &[
            "statements",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
            "--dir",
            "d",
            "--format",
            "doc",
        ],
    ] {
        let o = run(t, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!t.path.exists(), "{args:?} opened the database");
    }
}

#[test]
fn the_command_line_explains_itself_suggests_and_refuses_bad_arguments_before_opening() {
    let t = TempDb::on_file();
    let o = run(&t, &["statment"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'statement'"), "{}", stderr(&o));
    let o = run(&t, &["statement", "--partnr", ALFA]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--partner"), "{}", stderr(&o));

    let o = run(&t, &["statement", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for option in [
        "--partner <INN>",
        "--from <DATE>",
        "--number <NUMBER>",
        "--out <FILE>",
        "--lang",
    ] {
        assert!(help.contains(option), "{option} in {help}");
    }
    let o = run(&t, &["--version"]);
    assert!(stdout(&o).starts_with(&format!("partner-desk {}", env!("CARGO_PKG_VERSION"))));
    wrong_arguments_are_told_before_any_database_is_opened(&t);
    let o = run(
        &t,
        &[
            "issue",
            "--partner",
            "7707083894",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
        ],
    );
    assert!(
        stderr(&o).contains("контрольн"),
        "the INN's own sentence: {}",
        stderr(&o)
    );
    let o = run(
        &t,
        &[
            "statement",
            "--partner",
            ALFA,
            "--from",
            "31.02.2025",
            "--to",
            "2025-03-31",
            "--out",
            "x.pdf",
        ],
    );
    assert!(
        stderr(&o).contains("ошибка: --from «31.02.2025»: такого дня нет в календаре"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("error") && !stderr(&o).contains("For more"),
        "said in Russian only: {}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(2));

    let o = run(&t, &["completions", "bash"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("partner-desk"));
    assert!(stdout(&o).contains("undo-import"));
}

#[test]
fn a_crash_leaves_a_report_with_the_version_and_the_last_log_lines_and_the_log_is_kept() {
    let t = TempDb::on_file();
    let data_home = t.dir.path().join("data-home");
    let run_with_data = |args: &[&str]| run_with_home(&t, &data_home, args);
    let o = run_with_data(&["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_with_data(&["crash-test"]);
    assert_eq!(o.status.code(), Some(101), "a panic");
    assert!(stderr(&o).contains("Crash report:"), "{}", stderr(&o));
    let folder = data_home.join("partner-desk");
    let reports = partner_desk::diagnostics::unseen_crashes(&folder.join("crashes"));
    assert_eq!(reports.len(), 1);
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(report.starts_with(&format!("Partner Desk {}", env!("CARGO_PKG_VERSION"))));
    assert!(report.contains("a crash asked for by the crash-test command"));
    assert!(report.contains("Last lines of the log:"), "{report}");
    assert!(report.contains("CrashTest"), "the last log lines: {report}");

    let logs: Vec<_> = std::fs::read_dir(folder.join("logs"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let log = logs.concat();
    assert!(
        log.contains("Демо-данные: партнёров"),
        "what was done is logged: {log}"
    );

    let o = run_with_data(&[
        "--verbose",
        "backup",
        t.dir.path().join("b.sqlite3").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Резервная копия записана"),
        "--verbose: {}",
        stderr(&o)
    );
}

#[test]
fn cli_marks_a_file_it_closed_cleanly_and_check_reads_it_whole() {
    let t = TempDb::on_file();
    assert!(run(&t, &["demo"]).status.success());
    let mut mark = t.path.clone().into_os_string();
    mark.push("-closed");
    assert!(
        std::path::Path::new(&mark).exists(),
        "the next command opens it without the full check"
    );
    let o = run(&t, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Проверка пройдена"), "{}", stdout(&o));
}

#[test]
fn cli_says_which_encoding_it_read_and_refuses_a_file_of_two_encodings_naming_the_line() {
    let t = TempDb::new();
    let text = format!("inn;name\n{ALFA};ООО «Альфа»\n");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let one = t.dir.path().join("1251.csv");
    std::fs::write(&one, &cp1251).unwrap();
    let o = run(&t, &["import", "partners", one.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("файл прочитан в кодировке Windows-1251"),
        "{}",
        stdout(&o)
    );
    let beta = format!("{BETA};ООО «Бета»\n");
    let (line, _, _) = encoding_rs::WINDOWS_1251.encode(&beta);
    let mixed = [
        format!("inn;name\n{SMIRNOV};ИП Смирнов\n").as_bytes(),
        &line,
    ]
    .concat();
    let two = t.dir.path().join("mixed.csv");
    std::fs::write(&two, mixed).unwrap();
    let o = run(&t, &["import", "partners", two.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("mixed.csv: строка 3 не в UTF-8, а строка 2 в UTF-8"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        t.open().read().counts().unwrap().partners,
        1,
        "nothing of it was written"
    );
}

#[test]
fn a_failed_allocation_or_a_panic_leaves_a_crash_report_and_a_log_line() {
    let t = TempDb::on_file();
    let data_home = t.dir.path().join("data-home");
    let run_with_data = |args: &[&str]| run_with_home(&t, &data_home, args);
    let folder = data_home.join("partner-desk");
    let log = || {
        std::fs::read_dir(folder.join("logs"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect::<String>()
    };
    // Rust aborts on a failed allocation without the panic hook: the allocator reports it.
    let o = run_with_data(&["crash-test", "--alloc"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("Crash report:"), "{}", stderr(&o));
    let reports = partner_desk::diagnostics::unseen_crashes(&folder.join("crashes"));
    assert_eq!(reports.len(), 1);
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(
        report.contains("memory allocation of 140737488355328 bytes failed"),
        "{report}"
    );
    assert!(report.contains("CrashTest"), "the last log lines: {report}");
    assert!(
        log().contains("the program stopped: memory allocation of 140737488355328 bytes failed"),
        "{}",
        log()
    );
    partner_desk::diagnostics::mark_seen(&reports);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let o = run_with_data(&["crash-test"]);
    assert_eq!(o.status.code(), Some(101), "a panic");
    assert_eq!(
        partner_desk::diagnostics::unseen_crashes(&folder.join("crashes")).len(),
        1
    );
    assert!(
        log().contains("the program stopped: panicked at"),
        "a panic is logged as it happens: {}",
        log()
    );
}

#[test]
fn a_command_waits_for_another_programs_write_and_says_how_long_it_waited_when_it_gives_up() {
    let t = TempDb::on_file();
    assert!(run(&t, &["demo"]).status.success());
    // Another program writes through a rollback journal, as a large import does, and holds
    // the write for two seconds: the command waits for it rather than refuse at once.
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    raw.pragma_update(None, "journal_mode", "DELETE").unwrap();
    raw.execute_batch("BEGIN IMMEDIATE; UPDATE changes SET seq = seq + 1")
        .unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        raw.execute_batch("COMMIT").unwrap();
    });
    let partners = t.file("p.csv", &format!("inn,name\n{SMIRNOV},ИП Смирнов\n"));
    let started = std::time::Instant::now();
    let o = run(&t, &["import", "partners", partners.to_str().unwrap()]);
    holder.join().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1500),
        "it waited for the other write: {:?}",
        started.elapsed()
    );
    // When it gives up, it says how long it waited.
    use partner_desk::domain::lang::{Lang, Localized};
    let busy = partner_desk::store::StoreError::BusyFor {
        waited: std::time::Duration::from_millis(10_040),
    };
    assert!(
        busy.text(Lang::Ru)
            .contains("записывала в неё все 10.0 с, что здесь её ждали"),
        "{}",
        busy.text(Lang::Ru)
    );
}

#[test]
fn an_address_typed_with_its_password_is_refused_and_the_password_is_neither_said_nor_logged() {
    let t = TempDb::on_file();
    let data_home = t.dir.path().join("data-home");
    let secret = "s3cr3t-Pa55";
    let url = format!("postgres://owner:{secret}@db.example:5432/partner_desk");
    let file = t.path.to_str().unwrap().to_owned();
    for args in [
        vec![
            "server",
            "add-user",
            url.as_str(),
            "anna",
            "--role",
            "manager",
        ],
        vec!["copy", "--from", file.as_str(), "--to", url.as_str()],
        vec!["--db", url.as_str(), "check"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
            .args(["--verbose", "--lang", "en"])
            .args(&args)
            .env("XDG_DATA_HOME", &data_home)
            .env_remove("PARTNER_DESK_DB")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(!o.status.success(), "{args:?}");
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(said.contains("password"), "{args:?}: {said}");
        assert!(!said.contains(secret), "{args:?}: {said}");
    }
    let logs: Vec<_> = std::fs::read_dir(data_home.join("partner-desk").join("logs"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let log = logs.concat();
    assert!(log.contains("owner:***@db.example"), "{log}");
    assert!(!log.contains(secret), "{log}");
}
