//! The window, driven through egui_kittest as a user would: by role and label, on a real
//! database in a temporary folder. No GPU is needed.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use partner_desk::app::{App, Config};
use partner_desk::domain::{Lang, LicenseKind, Status};
use partner_desk::store::SalesQuery;
use partner_desk::ui::dialogs::{Picked, ScriptedDialogs};

use crate::util::*;

mod week;

pub(crate) const TODAY: &str = "2025-05-20";

pub(crate) fn harness(t: &TempDb, lang: Lang, answers: Vec<Picked>) -> Harness<'static, App> {
    harness_with(t, lang, answers, None)
}

/// [`harness`], with a data folder of logs and crash reports.
fn harness_with(
    t: &TempDb,
    lang: Lang,
    answers: Vec<Picked>,
    data_dir: Option<std::path::PathBuf>,
) -> Harness<'static, App> {
    let mut h = unsettled_harness(t, lang, answers, data_dir);
    h.run_ok();
    h
}

/// [`harness_with`], before its first frames have run.
fn unsettled_harness(
    t: &TempDb,
    lang: Lang,
    answers: Vec<Picked>,
    data_dir: Option<std::path::PathBuf>,
) -> Harness<'static, App> {
    let config = Config {
        lang: Some(lang),
        today: Some(d(TODAY)),
        background_reads: false,
        dialogs: Box::new(ScriptedDialogs {
            answers: answers.into(),
        }),
        data_dir,
        ..Config::new(t.db_arg().into())
    };
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config))
}

pub(crate) fn type_into(h: &mut Harness<'static, App>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.step();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_ok();
}

pub(crate) fn click(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).click();
    h.run_ok();
}

pub(crate) fn click_button(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run_ok();
}

pub(crate) fn choose(h: &mut Harness<'static, App>, combo_label: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo_label).click();
    h.run_ok();
    h.get_by_label(option).click();
    h.run_ok();
}

pub(crate) fn has_text(h: &Harness<'static, App>, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

/// Two partners: Альфа (Dealer) and Бета (Agent), no pins, no sales.
pub(crate) fn two_partners(t: &TempDb) {
    let mut s = t.open();
    alfa(&mut s, Status::Dealer);
    beta(&mut s, Status::Agent);
}

/// [`two_partners`], and a 5 000 ₽ developer-services sale of Альфа on 2025-04-15.
pub(crate) fn two_partners_and_a_sale_in_april(t: &TempDb) {
    two_partners(t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    s.write(|db| {
        db.record_sale(&sale(
            alfa,
            "2025-04-15",
            C2,
            LicenseKind::DevServices,
            "5000",
        ))
    })
    .unwrap();
}

#[test]
fn gui_opens_a_file_another_program_is_writing_as_soon_as_it_is_free() {
    let t = TempDb::on_file();
    two_partners(&t);
    // Another program holds the file until it commits, as a large import from the command
    // line does through a rollback journal.
    let other = rusqlite::Connection::open(&t.path).unwrap();
    let mode: String = other
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let mut h = harness(&t, Lang::Ru, vec![]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the window does not wait for the write: {:?}",
        started.elapsed()
    );
    let says = |h: &Harness<'static, App>, text: &str| {
        h.query_all_by_label_contains(text).next().is_some()
    };
    assert!(says(&h, "База данных занята"));
    assert!(says(&h, "как только она освободится"));
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !says(&h, "партнёров 2") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
        h.run_ok();
    }
    assert!(says(&h, "партнёров 2"), "the window opened the file");
    assert!(!says(&h, "Окно откроет её само"));
    assert!(says(&h, "База данных освободилась и открыта"));
}

#[test]
fn gui_adds_a_partner_after_refusing_an_invalid_inn() {
    let t = TempDb::new();
    let mut h = harness(&t, Lang::Ru, vec![]);
    assert!(
        has_text(&h, "Добро пожаловать"),
        "an empty database greets with a welcome"
    );
    click(&mut h, "Начать с пустой базы: новый партнёр");
    type_into(&mut h, Role::TextInput, "ИНН", "770708389");
    assert!(
        has_text(&h, "в ИНН 9 цифр"),
        "the INN is checked as it is typed"
    );
    type_into(&mut h, Role::TextInput, "Название", "ООО «Альфа»");
    assert!(
        h.get_by_role_and_label(Role::Button, "Сохранить")
            .accesskit_node()
            .is_disabled()
    );
    type_into(&mut h, Role::TextInput, "ИНН", "3");
    assert!(!has_text(&h, "в ИНН"));
    click_button(&mut h, "Сохранить");
    assert!(
        h.state().last_message().contains("Партнёр добавлен"),
        "{}",
        h.state().last_message()
    );
    assert_eq!(h.state().data().counts.partners, 1);
    assert_eq!(h.state().data().partners[0].inn.as_str(), ALFA);
}

#[test]
fn gui_pins_a_client_and_shows_the_conflict_before_saving() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    click_button(&mut h, "+ Закрепить клиента");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C1);
    type_into(&mut h, Role::TextInput, "Название клиента", "АО «Клиент»");
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    assert!(has_text(&h, "Клиент будет закреплён по 19.08.2025"));
    click_button(&mut h, "Закрепить");
    assert_eq!(h.state().data().pins.len(), 1);

    click_button(&mut h, "+ Закрепить клиента");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C1);
    choose(&mut h, "Партнёр", &format!("ООО «Бета» · {BETA}"));
    assert!(
        has_text(&h, "Клиент закреплён за ООО «Альфа» по 19.08.2025"),
        "the conflict shows before saving"
    );
    click_button(&mut h, "Записать отказ");
    assert!(
        h.state().last_message().contains("Отказ записан"),
        "{}",
        h.state().last_message()
    );
    assert_eq!(h.state().data().pins.len(), 1, "a refusal makes no pin");
    let events = h
        .state()
        .store()
        .unwrap()
        .read()
        .pin_events(&inn(C1))
        .unwrap();
    assert_eq!(events.len(), 2, "the refusal is in the history");
}

#[test]
fn gui_records_a_sale_explaining_the_premium_and_refuses_one_without_a_pin() {
    let t = TempDb::new();
    two_partners(&t);
    {
        let mut s = t.open();
        let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
        s.write(|db| db.request_pin(&inn(C1), "АО «Клиент»", alfa, d("2025-05-01"), ""))
            .unwrap();
    }
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    type_into(&mut h, Role::TextInput, "ИНН клиента", C2);
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "120 000");
    assert!(
        has_text(
            &h,
            "Продажу нельзя записать: клиент 7810000026 не закреплён за ООО «Альфа»"
        ),
        "a corporate sale without a pin is refused before saving"
    );
    assert!(
        h.get_by_role_and_label(Role::Button, "Записать продажу")
            .accesskit_node()
            .is_disabled()
    );

    click_button(&mut h, "Выбрать из закреплённых (1) ▾");
    click_button(&mut h, &format!("{C1} · АО «Клиент»"));
    let line = "Дилер · Корпоративные тарифы SaaS · 25\u{a0}% × 120\u{a0}000,00\u{a0}₽ = 30\u{a0}000,00\u{a0}₽";
    assert!(has_text(&h, line), "the live line explains the premium");
    // Enter in the page's search box does not record the ready sale.
    h.get_by_role_and_label(Role::TextInput, "Поиск").focus();
    h.step();
    h.get_by_role_and_label(Role::TextInput, "Поиск")
        .type_text("x");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert_eq!(
        h.state().data().counts.sales,
        0,
        "Enter outside the form saves nothing"
    );
    h.get_by_role_and_label(Role::TextInput, "Поиск").focus();
    h.step();
    h.key_press(egui::Key::Backspace);
    h.run_ok();
    click_button(&mut h, "Записать продажу");
    assert!(
        h.state().last_message().contains("Продажа записана"),
        "{}",
        h.state().last_message()
    );
    let (n, _, premium) = h
        .state()
        .store()
        .unwrap()
        .read()
        .sales_totals(&SalesQuery::default())
        .unwrap();
    assert_eq!((n, premium), (1, rub("30000")));
    h.run_ok();
    assert!(
        has_text(&h, "Премия: 30\u{a0}000,00\u{a0}₽"),
        "the footer sums the rows"
    );
}

#[test]
fn gui_status_change_in_the_past_changes_later_premiums_only() {
    let t = TempDb::new();
    two_partners(&t);
    {
        let mut s = t.open();
        let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
        pin_client(&mut s, alfa, C1, "2025-03-01");
        for day in ["2025-03-10", "2025-04-10"] {
            record(&mut s, &sale(alfa, day, C1, LicenseKind::Saas, "1000"));
        }
    }
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Партнёры");
    click(&mut h, "ООО «Альфа»");
    choose(&mut h, "Новый статус", "Интегратор");
    h.get_by_role_and_label(Role::TextInput, "Действует с")
        .focus();
    h.step();
    // The field holds today's date; select it all and type over it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Действует с", "01.04.2025");
    click_button(&mut h, "Изменить статус");
    assert!(
        has_text(&h, "Подтвердите действие"),
        "a permanent change asks first"
    );
    click_button(&mut h, "Подтвердить");
    let rows = h
        .state()
        .store()
        .unwrap()
        .read()
        .sales_page(&SalesQuery::default(), 0, 10)
        .unwrap();
    let premiums: Vec<_> = rows.iter().map(|r| (r.date, r.premium)).collect();
    assert_eq!(
        premiums,
        [(d("2025-03-10"), rub("250")), (d("2025-04-10"), rub("500"))]
    );
}

#[test]
fn gui_switches_language_in_the_view_menu() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    assert!(h.query_by_label("Стоп-лист").is_some());
    click(&mut h, "Вид");
    click(&mut h, "English");
    assert_eq!(h.state().lang(), Lang::En);
    assert!(h.query_by_label("Stop-list").is_some());
    assert!(h.query_by_label("Стоп-лист").is_none());
}

#[test]
fn gui_exports_a_statement_through_the_dialog_or_a_typed_path() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let json = t.dir.path().join("statement.json");
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![Picked::Path(json.clone()), Picked::Unavailable],
    );
    click(&mut h, "Ведомости премий");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    assert!(has_text(&h, "Итого по видам лицензий"));
    click_button(&mut h, "Экспорт…");
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(
        value["period"],
        serde_json::json!({"from": "2025-04-01", "to": "2025-04-30"})
    );
    assert_eq!(value["totals"]["premium"], "500.00");
    // The saved file can be opened, or its folder shown, from the window.
    assert!(h.query_by_label("Файл сохранён").is_some());
    assert!(h.query_by_label(&json.display().to_string()).is_some());
    assert!(h.query_by_label("Показать в папке").is_some());
    assert!(h.query_by_label("Открыть").is_some());
    click_button(&mut h, "Закрыть");
    assert!(h.query_by_label("Файл сохранён").is_none());

    // No file dialog: the app asks for a typed-in path instead of doing nothing.
    click_button(&mut h, "Экспорт…");
    assert!(has_text(&h, "Системное окно выбора файла недоступно"));
    // The name suggested has the format last exported, not always the same one.
    let suggested = h
        .get_by_role_and_label(Role::TextInput, "Путь к файлу")
        .value()
        .unwrap_or_default();
    assert!(suggested.ends_with(".json"), "{suggested}");
    let csv = t.dir.path().join("typed.csv");
    // The field starts with a suggested name; clear it by selecting all and typing over.
    h.get_by_role_and_label(Role::TextInput, "Путь к файлу")
        .focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Путь к файлу")
        .type_text(&csv.display().to_string());
    h.run_ok();
    click_button(&mut h, "OK");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Ведомость премий партнёра"), "{text}");
}

#[test]
fn gui_exports_statements_in_the_language_chosen_for_documents_not_the_interfaces() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let russian = t.dir.path().join("ru.csv");
    let english = t.dir.path().join("en.csv");
    let mut h = harness(
        &t,
        Lang::En,
        vec![Picked::Path(russian.clone()), Picked::Path(english.clone())],
    );
    click(&mut h, "Premium statements");
    choose(&mut h, "Partner:", &format!("ООО «Альфа» · {ALFA}"));
    // An English interface still writes a Russian statement until asked otherwise.
    assert_eq!(h.state().doc_lang(), Lang::Ru);
    click_button(&mut h, "Export…");
    let text = std::fs::read_to_string(&russian).unwrap();
    assert!(text.contains("Ведомость премий партнёра"), "{text}");
    assert!(text.contains("5000,00"), "{text}");

    choose(&mut h, "Documents in:", "English");
    click_button(&mut h, "Export…");
    let text = std::fs::read_to_string(&english).unwrap();
    assert!(!text.contains("Ведомость"), "{text}");
    assert!(text.contains("Dealer"), "{text}");
    assert_eq!(h.state().doc_lang(), Lang::En, "kept for the next run");
}

#[test]
fn gui_imports_on_a_worker_and_shows_every_bad_row_in_a_report() {
    let t = TempDb::new();
    let bad = t.file(
        "partners.csv",
        "inn,name\n770708389,A\n7707083894,B\n12,C\n1234567890123,D\n",
    );
    let good = t.file(
        "partners-ok.csv",
        &format!("inn,name,status,status_since\n{ALFA},ООО «Альфа»,dealer,2024-01-01\n"),
    );
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(bad), Picked::Path(good)]);
    click(&mut h, "Импортировать из файла (Excel, CSV)…");
    wait_for_job(&mut h);
    through_the_wizard(&mut h);
    let report = h
        .state()
        .details()
        .expect("a long error report opens in a window")
        .to_owned();
    assert!(
        report.contains("partners.csv:2: inn: в ИНН 9 цифр"),
        "{report}"
    );
    assert!(
        report.contains("partners.csv:5: inn: в ИНН 13 цифр"),
        "{report}"
    );
    assert_eq!(
        h.state().data().counts.partners,
        0,
        "nothing of a bad file is written"
    );
    // The report window stays open; Ctrl+I opens the next file.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    through_the_wizard(&mut h);
    assert_eq!(h.state().data().counts.partners, 1);
    assert!(
        h.state().last_message().contains("партнёров добавлено: 1"),
        "{}",
        h.state().last_message()
    );
}

/// Accepts what the import window found (kind and columns), waits for the whole file to
/// be checked, and imports.
pub(crate) fn through_the_wizard(h: &mut Harness<'static, App>) {
    for _ in 0..3 {
        click_button(h, "Далее ›");
    }
    wait_for_job(h);
    click_button(h, "Импортировать");
    wait_for_job(h);
}

#[test]
fn gui_imports_a_russian_workbook_through_the_wizard_and_undoes_it() {
    let t = TempDb::new();
    crate::import_files::setup(&mut t.open());
    let bad = t.dir.path().join("продажи-ошибка.xlsx");
    std::fs::write(&bad, crate::import_files::sales_workbook(true)).unwrap();
    let good = t.dir.path().join("продажи.xlsx");
    std::fs::write(&good, crate::import_files::sales_workbook(false)).unwrap();
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![
            Picked::Path(bad),
            Picked::Path(good.clone()),
            Picked::Path(good),
        ],
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    assert!(has_text(&h, "книга Excel"));
    assert!(has_text(&h, "Строк данных:"));
    click_button(&mut h, "Далее ›");
    // The kind is recognised from the headers.
    let sales = h.get_by_role_and_label(Role::RadioButton, "Продажи — узнано полей: 7 из 10");
    assert_eq!(
        sales.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    click_button(&mut h, "Далее ›");
    // Every Russian header is matched to its field.
    for (field, header) in [
        ("Дата *", "Дата"),
        ("ИНН клиента *", "ИНН клиента"),
        ("Сумма *", "Сумма, руб."),
        ("Номер документа", "№ документа"),
    ] {
        let combo = h.get_by_role_and_label(Role::ComboBox, field);
        assert_eq!(
            combo.accesskit_node().value().as_deref(),
            Some(header),
            "{field}"
        );
    }
    click_button(&mut h, "Далее ›");
    wait_for_job(&mut h);
    // The bad cell is marked in the preview, with the count.
    assert!(has_text(&h, "⚠ двести"));
    assert!(has_text(&h, "Строк, которые импорт не примет: 1."));
    click_button(&mut h, "Импортировать");
    wait_for_job(&mut h);
    assert_eq!(
        h.state().data().counts.sales,
        0,
        "nothing of a bad file is written"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    through_the_wizard(&mut h);
    assert_eq!(h.state().data().counts.sales, 3);
    assert!(has_text(&h, "Импорт завершён"));
    click_button(&mut h, "Отменить импорт");
    click_button(&mut h, "Подтвердить");
    assert_eq!(h.state().data().counts.sales, 0);
    assert!(h.state().last_message().contains("Импорт отменён"));

    // The mapping chosen for this layout of file is offered again.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    click_button(&mut h, "Далее ›");
    click_button(&mut h, "Далее ›");
    assert!(has_text(&h, "Сопоставление взято из прошлого импорта"));
}

pub(crate) fn wait_for_job(h: &mut Harness<'static, App>) {
    for _ in 0..500 {
        h.step();
        if !h.state().busy() {
            h.run_ok();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the job did not finish");
}

#[test]
fn gui_upgrades_an_older_database_on_a_worker_and_opens_it_after() {
    let t = TempDb::on_file();
    two_partners(&t);
    take_back_to_schema_1(&t.path);
    // Another program writes meanwhile, so the upgrade waits for it: the window must be
    // drawn and say what it is doing while it does.
    let other = rusqlite::Connection::open(&t.path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut h = unsettled_harness(&t, Lang::Ru, vec![], None);
    for _ in 0..3 {
        h.step();
    }
    assert!(h.state().busy(), "the upgrade runs on a worker");
    assert!(
        has_text(&h, "Обновление базы данных для этой версии программы…"),
        "the window says what it is doing"
    );
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    wait_for_job(&mut h);
    assert!(
        h.state()
            .last_message()
            .contains("База данных обновлена до схемы"),
        "{}",
        h.state().last_message()
    );
    click(&mut h, "Партнёры");
    assert!(has_text(&h, "ООО «Альфа»"), "the upgraded file is open");
    let kept = partner_desk::store::Store::kept_before_upgrade(&t.path);
    assert_eq!(
        partner_desk::store::Store::schema_version_of(&kept),
        Some(1),
        "the file as it was is kept beside it"
    );
    assert_eq!(
        partner_desk::store::Store::schema_version_of(&t.path),
        Some(partner_desk::store::SCHEMA_VERSION)
    );
}

#[test]
fn gui_issues_a_statement_exports_it_as_pdf_and_exports_all_to_a_folder() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let pdf = t.dir.path().join("issued.pdf");
    let folder = t.dir.path().join("all");
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![Picked::Path(pdf.clone()), Picked::Path(folder.clone())],
    );
    click(&mut h, "Ведомости премий");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    click_button(&mut h, "Выдать…");
    assert!(has_text(&h, "Подтвердите действие"), "issuing asks first");
    click_button(&mut h, "Подтвердить");
    assert!(
        h.state()
            .last_message()
            .contains("Выдана ведомость 2025-0001"),
        "{}",
        h.state().last_message()
    );
    assert_eq!(h.state().data().issued.len(), 1);
    click_button(&mut h, "Экспорт выданной…");
    assert!(
        std::fs::read(&pdf).unwrap().starts_with(b"%PDF"),
        "the issued statement is written as PDF"
    );

    click_button(&mut h, "Выгрузить в папку…");
    wait_for_job(&mut h);
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 2, "one statement and the summary: {files:?}");
}

/// Альфа holds C1 for 3 more days after TODAY and C2 for 30; Бета was refused C1.
fn overview_data(t: &TempDb) {
    two_partners(t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let beta = s.read().partner_by_inn(&inn(BETA)).unwrap().unwrap();
    // A pin made on P ends on P + 3 months: last day = P + 3 months − 1 day.
    s.write(|db| db.request_pin(&inn(C1), "АО «Скоро»", alfa, d("2025-02-24"), ""))
        .unwrap(); // last day 23.05, 3 days from TODAY
    s.write(|db| db.request_pin(&inn(C2), "АО «Нескоро»", alfa, d("2025-03-20"), ""))
        .unwrap(); // last day 19.06
    pin_client(&mut s, beta, C1, "2025-05-10"); // refused
}

#[test]
fn gui_overview_lists_what_needs_attention_and_extends_a_pin_right_there() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.run_ok();
    assert!(has_text(&h, "Закрепления истекают в ближайшие 14 дней"));
    // Listed twice: ending soon, and in the refused request.
    assert_eq!(
        h.query_all_by_label("АО «Скоро»").count(),
        2,
        "a pin ending in 3 days is listed"
    );
    assert!(
        h.query_by_label("АО «Нескоро»").is_none(),
        "a pin ending in 30 days is not"
    );
    assert!(
        has_text(&h, "просил ООО «Бета»"),
        "the refused request appears"
    );

    click_button(&mut h, "Продлить…");
    // What is extended, and to which last day, before who agreed.
    assert!(has_text(&h, &format!("Клиент: АО «Скоро» ({C1})")));
    assert!(has_text(&h, "Партнёр: ООО «Альфа»"));
    assert!(has_text(&h, "по 23.05.2025 → по 23.08.2025"));
    type_into(&mut h, Role::TextInput, "Кто согласовал", "Иванов");
    click_button(&mut h, "Продлить");
    let pins = h
        .state()
        .store()
        .unwrap()
        .read()
        .pins_of_client(&inn(C1))
        .unwrap();
    assert_eq!(
        pins[0].ends_on,
        d("2025-08-24"),
        "the end moved by 3 months"
    );
    assert_eq!(
        h.query_all_by_label("АО «Скоро»").count(),
        1,
        "no longer ending soon"
    );
}

#[test]
fn gui_global_search_finds_a_partner_by_partial_inn_a_sale_by_document_and_an_unpinned_client() {
    let t = TempDb::new();
    two_partners(&t);
    {
        let mut s = t.open();
        let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
        let mut x = sale(alfa, "2025-04-15", C2, LicenseKind::Its, "100");
        x.doc = Some("РН-4242".into());
        x.client_name = "АО «Без закрепления»".into();
        s.write(|db| db.record_sale(&x)).unwrap();
    }
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    let label = "Название, ИНН партнёра или клиента, номер документа";
    type_into(&mut h, Role::TextInput, label, "77070");
    click_button(&mut h, &format!("ООО «Альфа» · {ALFA}"));
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Название")
            .is_some(),
        "the partner's form is open"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    type_into(&mut h, Role::TextInput, label, "4242");
    h.run_ok();
    let hit = h.get_by_label_contains("РН-4242");
    hit.click();
    h.run_ok();
    assert!(
        has_text(&h, "Строк: 1"),
        "the Sales page shows that sale's month and partner"
    );

    // A client with sales and no pin is found too, by a part of its name.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_ok();
    type_into(&mut h, Role::TextInput, label, "без закреп");
    h.run_ok();
    click_button(&mut h, &format!("АО «Без закрепления» · {C2}"));
    assert!(
        has_text(&h, &format!("Клиент {C2}")),
        "the client card is open"
    );
}

#[test]
fn gui_opened_on_a_file_that_is_not_a_database_says_so_and_leaves_it_untouched() {
    let t = TempDb::on_file();
    let junk = b"PK\x03\x04 this is a spreadsheet, not a database".repeat(50);
    std::fs::write(&t.path, &junk).unwrap();
    let h = harness(&t, Lang::Ru, vec![]);
    let said = h
        .query_all_by_label_contains("не база Partner Desk")
        .count();
    assert!(said >= 1, "the window says what is wrong");
    assert!(
        h.query_by_label("Открыть другую базу…").is_some(),
        "and offers a way out"
    );
    assert_eq!(
        std::fs::read(&t.path).unwrap(),
        junk,
        "the file's bytes are unchanged"
    );
}

#[test]
fn gui_tells_of_the_last_crash_once_with_where_its_report_is() {
    let t = TempDb::new();
    let data = t.dir.path().join("data");
    let crashes = partner_desk::diagnostics::crash_dir(&data);
    let report = partner_desk::diagnostics::write_crash_report(
        &crashes,
        &partner_desk::diagnostics::crash_report("boom", &[]),
    )
    .unwrap();
    let mut h = harness_with(&t, Lang::Ru, vec![], Some(data.clone()));
    assert!(has_text(&h, "Программа закрылась неожиданно"));
    assert!(has_text(&h, &report.display().to_string()));
    click_button(&mut h, "Понятно");
    assert!(!has_text(&h, "Программа закрылась неожиданно"));
    drop(h);
    let h = harness_with(&t, Lang::Ru, vec![], Some(data));
    assert!(
        !has_text(&h, "Программа закрылась неожиданно"),
        "told once, not on every start"
    );
}

#[test]
fn gui_about_says_the_version_the_database_and_its_schema() {
    let t = TempDb::new();
    let mut h = harness(&t, Lang::En, vec![]);
    let path = t.db_arg().to_string_lossy().into_owned();
    let schema = match t.server {
        Some(_) => format!(
            "{} (the team database's schema)",
            partner_desk::store::postgres::SERVER_SCHEMA_VERSION
        ),
        None => partner_desk::store::SCHEMA_VERSION.to_string(),
    };
    let count = |h: &Harness<'static, App>| {
        (
            h.query_all_by_label_contains(&path).count(),
            h.query_all_by_label(&schema).count(),
        )
    };
    let before = count(&h);
    click(&mut h, "Help");
    click(&mut h, "About");
    assert!(has_text(&h, env!("CARGO_PKG_VERSION")));
    assert_eq!(
        count(&h),
        (before.0 + 1, before.1 + 1),
        "the path and the schema"
    );
    assert!(has_text(&h, "Libraries and their licenses"));
}

#[test]
fn gui_reads_its_data_first_then_the_pins_then_checks_the_file_and_says_so() {
    let t = TempDb::on_file();
    two_partners_and_a_sale_in_april(&t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    pin_client(&mut s, alfa, C1, "2025-04-01");
    drop(s);
    let config = Config {
        lang: Some(Lang::Ru),
        today: Some(d(TODAY)),
        background_reads: true,
        ..Config::new(t.db_arg().into())
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config));
    let started = std::time::Instant::now();
    while h.state().reading() && started.elapsed() < std::time::Duration::from_secs(20) {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_ok();
    let data = h.state().data();
    assert!(data.version > 0 && data.pins_version == data.version);
    assert_eq!(data.pins.len(), 1, "the pin, read after the snapshot");
    // With the pins: each partner's clients pinned today and premium this year.
    let today = d(TODAY);
    let year_start = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap();
    let activity = t.open().read().partner_activity(today, year_start).unwrap();
    assert!(!activity.is_empty());
    for p in &data.summaries {
        let expected = activity.get(&p.id).copied().unwrap_or_default();
        assert_eq!((p.pinned_now, p.premium_year), expected, "{}", p.name);
    }
    assert!(has_text(&h, "файл проверен"));
    assert!(has_text(&h, "Закрепления истекают"));
    // Writing works once the check has passed.
    click(&mut h, "Партнёры");
    assert!(!has_text(&h, "Идёт проверка файла"));
}

#[test]
fn gui_lists_its_keyboard_shortcuts_and_offers_quick_search_in_help() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Справка");
    click(&mut h, "Сочетания клавиш");
    h.run_ok();
    for keys in ["Ctrl+K", "Ctrl+N", "Ctrl+1", "Esc"] {
        assert!(has_text(&h, keys), "{keys}");
    }
    assert!(has_text(&h, "быстрый поиск партнёра или клиента"));
    assert!(has_text(&h, "курсор в первом поле формы"));
}

#[test]
fn gui_client_card_gives_the_pins_last_day_as_the_stop_list_does() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.run_ok();
    h.query_all_by_label("АО «Скоро»").next().unwrap().click();
    h.run_ok();
    let shown = |text: &str| h.query_all_by_label_contains(text).next().is_some();
    assert!(shown("Стоп-лист: кто и когда держал клиента"));
    // Pinned 24.02.2025 for 3 months: in force through 23.05.2025, as the Stop-list says
    // (the bar's tooltip and the span under it alike).
    assert!(shown("24.02.2025 — 23.05.2025 ·"));
    assert!(!shown("24.05.2025"));
}

#[test]
fn gui_stop_list_opens_on_the_pins_in_force_newest_first() {
    let t = TempDb::new();
    overview_data(&t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    s.write(|db| db.request_pin(&inn(C3), "АО «Давно»", alfa, d("2024-01-10"), ""))
        .unwrap(); // ended 09.04.2024
    drop(s);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.run_ok();
    let y = |name: &str| h.get_by_label(name).rect().min.y;
    assert!(
        h.query_by_label("АО «Давно»").is_none(),
        "an ended pin is not shown at first"
    );
    assert!(
        y("АО «Нескоро»") < y("АО «Скоро»"),
        "pinned 20.03 above pinned 24.02"
    );
    click(&mut h, "Все");
    assert!(
        h.query_by_label("АО «Давно»").is_some(),
        "every pin, when asked"
    );
}

#[test]
fn gui_sale_form_fills_a_stored_clients_name_from_its_inn() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C1);
    h.run_ok();
    let name = |h: &Harness<'static, App>| {
        h.get_by_role_and_label(Role::TextInput, "Название клиента")
            .value()
            .unwrap_or_default()
    };
    assert_eq!(name(&h), "АО «Скоро»");
    // An INN nobody stored leaves the name to the user.
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C3);
    h.run_ok();
    assert_eq!(name(&h), "");
}

#[test]
fn gui_pin_form_fills_the_name_of_a_client_of_the_stop_list() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    click_button(&mut h, "+ Закрепить клиента");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C2);
    h.run_ok();
    let name = h
        .get_by_role_and_label(Role::TextInput, "Название клиента")
        .value()
        .unwrap_or_default();
    assert_eq!(name, "АО «Нескоро»");
}

#[test]
fn gui_sale_form_keeps_its_fields_in_place_as_it_fills() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    let y = |h: &Harness<'static, App>| {
        h.get_by_role_and_label(Role::TextInput, "Название клиента")
            .rect()
            .min
            .y
    };
    let before = y(&h);
    // A partner with clients pinned on the date (today's, filled in) brings the pick
    // list: nothing moves.
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    assert!(
        h.query_by_label_contains("Выбрать из закреплённых (")
            .is_some()
    );
    assert_eq!(y(&h), before);
    // An INN half typed is wrong until it is whole: its error line does not push the form.
    type_into(&mut h, Role::TextInput, "ИНН клиента", "77070");
    h.run_ok();
    assert_eq!(y(&h), before);
}

#[test]
fn gui_corrects_a_mistyped_sale_and_refuses_to_delete_one_in_an_issued_period() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    h.run_ok();
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    click_button(&mut h, "Исправить…");
    assert!(h.query_by_label("Исправить продажу").is_some());
    // 5 000 typed where 500 was meant.
    h.get_by_role_and_label(Role::TextInput, "Сумма, ₽").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Сумма, ₽")
        .type_text("500");
    h.run_ok();
    click_button(&mut h, "Сохранить исправление");
    let alfa = h
        .state()
        .store()
        .unwrap()
        .read()
        .partner_by_inn(&inn(ALFA))
        .unwrap()
        .unwrap();
    let statement = h
        .state()
        .store()
        .unwrap()
        .read()
        .statement(alfa, d("2025-04-01"), d("2025-04-30"), d(TODAY))
        .unwrap();
    assert_eq!(
        statement.totals.overall.amount,
        rub("500"),
        "the statement follows"
    );
    assert!(h.query_by_label("История исправлений").is_some());
    assert!(
        h.query_by_label_contains("сумма: 5\u{a0}000,00\u{a0}₽ → 500,00\u{a0}₽")
            .is_some(),
        "the history line says what changed"
    );

    // Issued: deleting is refused with the sentence, and nothing changes.
    let mut s = t.open();
    let issued =
        partner_desk::statements::issue(&mut s, alfa, d("2025-04-01"), d("2025-04-30"), d(TODAY))
            .unwrap();
    drop(s);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    h.run_ok();
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    click_button(&mut h, "Удалить…");
    click_button(&mut h, "Подтвердить");
    assert!(
        h.state().last_message().contains(&issued.number)
            && h.state().last_message().contains("переоткройте"),
        "{}",
        h.state().last_message()
    );
    let count = h.state().store().unwrap().read().counts().unwrap().sales;
    assert_eq!(count, 1);
}

#[test]
fn gui_exports_exactly_the_filtered_sales_list_to_excel() {
    use calamine::{Data, Reader, Xlsx};
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    {
        let mut s = t.open();
        let beta = s.read().partner_by_inn(&inn(BETA)).unwrap().unwrap();
        s.write(|db| {
            db.record_sale(&sale(
                beta,
                "2025-04-16",
                C3,
                LicenseKind::DevServices,
                "700",
            ))
        })
        .unwrap();
    }
    let xlsx = t.dir.path().join("alfa.xlsx");
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(xlsx.clone())]);
    click(&mut h, "Продажи");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    click_button(&mut h, "Экспорт в Excel…");
    wait_for_job(&mut h);
    assert!(
        h.state().last_message().contains("Строк выгружено: 1"),
        "{}",
        h.state().last_message()
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("Продажи").unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), 2, "the header and Альфа's one sale, not Бета's");
    assert_eq!(rows[0][0], Data::String("Дата".into()));
    assert_eq!(rows[1][2], Data::String("ООО «Альфа»".into()));
    assert_eq!(rows[1][6], Data::Float(5000.0), "the amount is a number");
    assert!(
        matches!(rows[1][0], Data::DateTime(_)),
        "the date is a date: {:?}",
        rows[1][0]
    );
}

/// The text the window put on the clipboard in its last frame.
pub(crate) fn copied(h: &Harness<'static, App>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn gui_copies_two_highlighted_rows_as_tab_separated_lines() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.run_ok();
    for name in ["АО «Нескоро»", "АО «Скоро»"] {
        h.get_by_label(name)
            .click_modifiers(egui::Modifiers::COMMAND);
        h.run_ok();
    }
    // What the system sends for Ctrl+C (egui-winit turns the keys into a copy event).
    h.event(egui::Event::Copy);
    h.step();
    let text = copied(&h).expect("Ctrl+C puts the rows on the clipboard");
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0][..5],
        [
            C2,
            "АО «Нескоро»",
            "ООО «Альфа»",
            "20.03.2025",
            "19.06.2025"
        ]
    );
    assert_eq!(lines[1][..3], [C1, "АО «Скоро»", "ООО «Альфа»"]);
    assert_eq!(lines[1][5], "3", "days left, a number Excel reads");
    h.run_ok();
    assert!(
        h.state().last_message().contains("Скопировано строк: 2"),
        "{}",
        h.state().last_message()
    );

    // Home highlights the first row alone; Ctrl+A then every row of the list.
    h.key_press(egui::Key::Home);
    h.run_ok();
    h.event(egui::Event::Copy);
    h.step();
    assert_eq!(copied(&h).expect("copied").lines().count(), 1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.event(egui::Event::Copy);
    h.step();
    assert_eq!(copied(&h).expect("copied").lines().count(), 2);
}

#[test]
fn gui_moves_through_a_table_with_the_keys_and_opens_a_row_with_enter() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.run_ok();
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::ArrowDown);
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    // The second row, newest first, is АО «Скоро»: its card opens beside the table.
    assert!(
        h.query_all_by_label("АО «Скоро»").count() >= 2,
        "the row and the heading of the opened pin"
    );
    // The table keeps every column while a record is open.
    assert!(h.query_by_label("Осталось дней").is_some());
    assert!(h.query_by_label("Состояние").is_some());
}

#[test]
fn gui_exports_the_stop_list_shown_to_excel_and_prints_it_to_pdf() {
    use calamine::{Data, Reader, Xlsx};
    let t = TempDb::new();
    overview_data(&t);
    let xlsx = t.dir.path().join("stop.xlsx");
    let pdf = t.dir.path().join("stop.pdf");
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![Picked::Path(xlsx.clone()), Picked::Path(pdf.clone())],
    );
    click(&mut h, "Стоп-лист");
    type_into(&mut h, Role::TextInput, "Поиск", "Нескоро");
    h.run_ok();
    click_button(&mut h, "Список ▾");
    click_button(&mut h, "Экспорт в Excel…");
    wait_for_job(&mut h);
    assert!(
        h.state().last_message().contains("Строк выгружено: 1"),
        "{}",
        h.state().last_message()
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("Стоп-лист").unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(
        rows.len(),
        2,
        "the header and the one pin the search leaves"
    );
    assert_eq!(rows[0][1], Data::String("Клиент".into()));
    assert_eq!(rows[1][1], Data::String("АО «Нескоро»".into()));
    assert!(matches!(rows[1][3], Data::DateTime(_)), "{:?}", rows[1][3]);
    assert_eq!(rows[1][5], Data::Float(30.0), "days left, a number");

    click_button(&mut h, "Список ▾");
    click_button(&mut h, "Печать / PDF…");
    wait_for_job(&mut h);
    let text = pdf_text(&pdf);
    for whole in ["Стоп-лист", "АО «Нескоро»", C2, "ООО «Альфа»", "19.06.2025"]
    {
        assert!(text.contains(whole), "{whole} in the printed list: {text}");
    }
    assert!(!text.contains("АО «Скоро»"), "only the rows shown");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Фильтр: действующие · поиск «Нескоро»"),
        "the filter under the title: {text}"
    );
}

#[test]
fn gui_undoes_the_last_sale_recorded_with_ctrl_z() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    h.run_ok();
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    click_button(&mut h, "Исправить…");
    h.get_by_role_and_label(Role::TextInput, "Сумма, ₽").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Сумма, ₽")
        .type_text("500");
    h.run_ok();
    click_button(&mut h, "Сохранить исправление");
    let amount = |h: &Harness<'static, App>| {
        let store = h.state().store().unwrap();
        let db = store.read();
        let rows = db.sales_page(&SalesQuery::default(), 0, 10).unwrap();
        rows[0].amount
    };
    assert_eq!(amount(&h), rub("500"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    assert_eq!(amount(&h), rub("5000"), "the correction is taken back");
    assert!(
        h.state().last_message().starts_with("Отменено:"),
        "{}",
        h.state().last_message()
    );
    // Once: a second Ctrl+Z has nothing left to undo.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    assert!(h.state().last_message().contains("Отменять нечего"));
    assert_eq!(amount(&h), rub("5000"));
}

#[test]
fn gui_client_field_offers_stored_clients_by_name_with_who_holds_the_pin() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "ИНН клиента", "нескор");
    h.run_ok();
    let offer = "АО «Нескоро» · ".to_owned() + C2 + "\nзакреплён за ООО «Альфа» по 19.06.2025";
    assert!(
        h.query_by_label(&offer).is_some(),
        "the stored client is offered"
    );
    h.get_by_label(&offer).click();
    h.run_ok();
    let value = |label: &str| {
        h.get_by_role_and_label(Role::TextInput, label)
            .value()
            .unwrap_or_default()
    };
    assert_eq!(value("ИНН клиента"), C2);
    assert_eq!(value("Название клиента"), "АО «Нескоро»");
}

#[test]
fn gui_cancels_an_extension_recorded_by_mistake_and_keeps_it_in_the_history() {
    let t = TempDb::new();
    overview_data(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.get_by_label("АО «Нескоро»").click();
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Кто согласовал", "Иванов");
    click_button(&mut h, "Продлить");
    assert!(
        h.state().last_message().contains("продлено"),
        "{}",
        h.state().last_message()
    );
    type_into(
        &mut h,
        Role::TextInput,
        "Запись сделана по ошибке? Причина отмены:",
        "продлили не того клиента",
    );
    click_button(&mut h, "Отменить продление от 20.05.2025…");
    click_button(&mut h, "Подтвердить");
    assert!(
        h.state()
            .last_message()
            .contains("Ошибочная запись отменена"),
        "{}",
        h.state().last_message()
    );
    let pins = h
        .state()
        .store()
        .unwrap()
        .read()
        .pins_of_client(&inn(C2))
        .unwrap();
    assert_eq!(pins[0].last_day(), d("2025-06-19"), "the term is as before");
    assert!(has_text(&h, "отменено как ошибочное"));
}

/// Runs frames of `h` until `done` holds, for at most `limit`; how long it took.
pub(crate) fn frames_until(
    h: &mut Harness<'static, App>,
    limit: std::time::Duration,
    done: impl Fn(&Harness<'static, App>) -> bool,
) -> Option<std::time::Duration> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        h.step();
        if done(h) {
            return Some(start.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

#[test]
fn gui_two_windows_on_one_database_see_each_others_pin_within_a_second() {
    let t = TempDb::new();
    two_partners(&t);
    let mut a = harness(&t, Lang::Ru, vec![]);
    let mut b = harness(&t, Lang::Ru, vec![]);
    click(&mut a, "Стоп-лист");
    click(&mut b, "Стоп-лист");
    assert!(b.state().data().pins.is_empty());

    click_button(&mut a, "+ Закрепить клиента");
    type_into(&mut a, Role::TextInput, "ИНН клиента", C1);
    type_into(&mut a, Role::TextInput, "Название клиента", "АО «Клиент»");
    choose(&mut a, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    click_button(&mut a, "Закрепить");
    assert_eq!(a.state().data().pins.len(), 1);

    // Nothing is clicked in the other window: it learns of the pin by itself.
    let took = frames_until(&mut b, std::time::Duration::from_secs(1), |b| {
        b.state().data().pins.len() == 1 && has_text(b, "АО «Клиент»")
    });
    assert!(took.is_some(), "the colleague's pin shows within a second");

    click_button(&mut b, "+ Закрепить клиента");
    type_into(&mut b, Role::TextInput, "ИНН клиента", C1);
    choose(&mut b, "Партнёр", &format!("ООО «Бета» · {BETA}"));
    assert!(
        has_text(&b, "Клиент закреплён за ООО «Альфа» по 19.08.2025"),
        "the colleague's fresh pin shows as the conflict before saving"
    );
}

/// The text in the input labelled `label`.
pub(crate) fn input_text(h: &Harness<'static, App>, label: &str) -> String {
    h.get_by_role_and_label(Role::TextInput, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

#[test]
fn gui_a_partner_a_colleague_changes_while_it_is_edited_is_not_overwritten_the_user_chooses() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Партнёры");
    click(&mut h, "ООО «Альфа»");
    type_into(&mut h, Role::TextInput, "Название", " (Москва)");
    assert_eq!(input_text(&h, "Название"), "ООО «Альфа» (Москва)");
    assert!(!has_text(&h, "Пока вы редактировали"));

    // A colleague renames the partner meanwhile.
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    s.write(|db| db.update_partner(alfa, "ООО «Альфа-Сервис»", false))
        .unwrap();
    let told = frames_until(&mut h, std::time::Duration::from_secs(2), |h| {
        has_text(h, "Пока вы редактировали, партнёра изменили")
    });
    assert!(told.is_some(), "the form says the partner changed");
    assert_eq!(
        input_text(&h, "Название"),
        "ООО «Альфа» (Москва)",
        "what the user typed is kept until they choose"
    );
    click_button(&mut h, "Взять новое");
    assert_eq!(input_text(&h, "Название"), "ООО «Альфа-Сервис»");
    assert!(!has_text(&h, "Пока вы редактировали"));

    // Saving one's own change says nothing of the kind.
    type_into(&mut h, Role::TextInput, "Название", " Плюс");
    click_button(&mut h, "Сохранить");
    for _ in 0..5 {
        h.step();
    }
    assert!(!has_text(&h, "Пока вы редактировали"));
}

#[test]
fn gui_a_team_server_that_does_not_answer_leaves_the_window_responsive_and_can_be_given_up() {
    use std::time::{Duration, Instant};
    let (silent, url) = silent_server();
    let config = Config {
        lang: Some(Lang::Ru),
        background_reads: true,
        keyring: Box::new(partner_desk::keyring::MemoryKeyring::default()),
        ..Config::new(url.into())
    };
    let started = Instant::now();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config));
    for _ in 0..5 {
        h.step();
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(h.state().store().is_none());
    h.get_by_label_contains("Подключение к anna@127.0.0.1:");
    h.get_by_label_contains("ждут до 10 секунд");
    // Given up: the page offers to try again or to open something else.
    h.get_by_role_and_label(Role::Button, "Отмена").click();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("Подключение отменено.");
    h.get_by_role_and_label(Role::Button, "Повторить подключение");
    h.get_by_role_and_label(Role::Button, "Открыть другую базу…");
    drop(silent);
}

/// A keyring that fails as badly as can be: reading it panics.
struct PanickingKeyring;

impl partner_desk::keyring::Keyring for PanickingKeyring {
    fn available(&self) -> bool {
        true
    }
    fn get(&self, _: &str) -> Option<String> {
        panic!("the keyring broke")
    }
    fn set(&self, _: &str, _: &str) -> bool {
        false
    }
    fn forget(&self, _: &str) {}
}

#[test]
fn gui_a_connection_attempt_that_breaks_inside_the_program_says_so_and_offers_to_try_again() {
    let (silent, url) = silent_server();
    let config = Config {
        lang: Some(Lang::Ru),
        background_reads: true,
        keyring: Box::new(PanickingKeyring),
        ..Config::new(url.into())
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config));
    let started = std::time::Instant::now();
    while h.query_by_label_contains("внутренней ошибки").is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "still connecting"
        );
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(h.state().store().is_none());
    h.get_by_role_and_label(Role::Button, "Повторить подключение");
    h.get_by_role_and_label(Role::Button, "Открыть другую базу…");
    drop(silent);
}

/// Types `text` over what the text field `label` holds.
fn retype(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run_ok();
}

#[test]
fn gui_a_sale_a_colleague_corrects_while_it_is_corrected_here_is_not_written_over_the_user_chooses()
{
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut s = t.open();
    let id = partner_desk::domain::SaleId(
        Raw::of(&s).texts("SELECT CAST(id AS TEXT) FROM sales")[0]
            .parse()
            .unwrap(),
    );
    // A colleague sets the amount of the sale to `amount`.
    let mut colleague = |amount: &str| {
        s.write(|db| {
            let mut now = db.sale_as_new(id)?;
            now.amount = rub(amount);
            db.correct_sale(id, &now)
        })
        .unwrap();
    };
    let amount = |h: &Harness<'static, App>| {
        h.state()
            .store()
            .unwrap()
            .read()
            .sale_as_new(id)
            .unwrap()
            .amount
    };
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    click_button(&mut h, "Исправить…");
    retype(&mut h, "Сумма, ₽", "500");

    colleague("7 000");
    click_button(&mut h, "Сохранить исправление");
    assert!(has_text(
        &h,
        "Пока вы редактировали, продажу изменили: 15.04.2025"
    ));
    let told = |amount: &str| format!("клиент {C2}, {}", rub(amount).display(Lang::Ru));
    assert!(has_text(&h, &told("7 000")));
    assert_eq!(
        amount(&h),
        rub("7 000"),
        "nothing of the correction was written"
    );
    assert_eq!(input_text(&h, "Сумма, ₽"), "500", "what was typed is kept");
    click_button(&mut h, "Взять новое");
    assert_eq!(input_text(&h, "Сумма, ₽"), "7 000,00");
    assert!(!has_text(&h, "Пока вы редактировали"));

    retype(&mut h, "Сумма, ₽", "500");
    colleague("8 000");
    click_button(&mut h, "Сохранить исправление");
    assert!(has_text(&h, &told("8 000")));
    click_button(&mut h, "Оставить моё");
    assert!(!has_text(&h, "Пока вы редактировали"));
    click_button(&mut h, "Сохранить исправление");
    assert_eq!(amount(&h), rub("500"), "kept: written over the colleague's");
    assert!(!has_text(&h, "Пока вы редактировали"));

    // Undone after a colleague changed it again: refused, theirs stays.
    colleague("9 000");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
    let said = "Исправление нельзя отменить: продажу с тех пор изменил";
    assert!(h.query_all_by_label_contains(said).next().is_some());
    assert_eq!(amount(&h), rub("9 000"));
}

#[test]
fn gui_a_name_past_its_limit_is_refused_beside_the_field_and_not_saved() {
    let t = TempDb::new();
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Начать с пустой базы: новый партнёр");
    type_into(&mut h, Role::TextInput, "ИНН", ALFA);
    type_into(&mut h, Role::TextInput, "Название", &"я".repeat(501));
    assert!(
        has_text(
            &h,
            "символов в тексте: 501, а в названии или имени допустимо до 500"
        ),
        "the limit is said beside the field"
    );
    assert!(
        h.get_by_role_and_label(Role::Button, "Сохранить")
            .accesskit_node()
            .is_disabled()
    );
    assert_eq!(h.state().data().counts.partners, 0);
}
mod import;
mod payments;
