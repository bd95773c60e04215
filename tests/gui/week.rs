//! A manager's week through the window: the frictions a new user met, each a test of what
//! the window now does instead.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use partner_desk::app::App;
use partner_desk::command::Page;
use partner_desk::domain::Lang;
use partner_desk::store::NewSale;

use super::*;
use crate::session::{a_file_with_a_pin, record_a_sale_of_3000};

/// Asserts that the status bar's last message holds `text`.
fn says(h: &Harness<'static, App>, text: &str) {
    let said = h.state().last_message();
    assert!(said.contains(text), "«{text}» in «{said}»");
}

/// Presses `key` and lets the window settle.
fn press(h: &mut Harness<'static, App>, key: Key) {
    h.key_press(key);
    h.run_ok();
}

/// Focuses the field labelled `label` and selects what it holds, as Ctrl+A does.
fn select_all_in(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_ok();
}

#[test]
fn gui_a_new_sale_opens_empty_after_a_save_a_cancel_or_an_undo() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "1000");
    click_button(&mut h, "Отмена");
    click_button(&mut h, "+ Новая продажа");
    assert_eq!(input_text(&h, "Сумма, ₽"), "", "a cancelled draft is gone");
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "1000");
    h.key_press(Key::Escape);
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "2000");
    assert_eq!(
        input_text(&h, "Сумма, ₽"),
        "2000",
        "what is typed after Esc and Ctrl+N is the whole amount"
    );
    h.key_press(Key::Escape);
    h.run_ok();

    click(&mut h, "Стоп-лист");
    record_a_sale_of_3000(&mut h);
    assert_eq!(
        input_text(&h, "Сумма, ₽"),
        "",
        "the form is empty after a save"
    );
    assert_eq!(input_text(&h, "ИНН клиента"), "");
    assert_eq!(input_text(&h, "Дата отгрузки"), "20.05.2025");
    let partner = h.get_by_role_and_label(Role::ComboBox, "Партнёр");
    assert_eq!(
        partner.accesskit_node().value().as_deref(),
        Some("— выберите —"),
        "no partner is chosen"
    );

    h.key_press(Key::Escape);
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_ok();
    assert!(h.state().last_message().starts_with("Отменено:"));
    click_button(&mut h, "+ Новая продажа");
    assert_eq!(input_text(&h, "Сумма, ₽"), "", "and after an undo");
    assert_eq!(input_text(&h, "ИНН клиента"), "");
}

#[test]
fn gui_an_emptied_date_stays_empty_and_a_date_typed_over_a_selected_one_replaces_it() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.get_by_label(C1).click();
    h.run_ok();
    assert_eq!(input_text(&h, "Дата согласования"), "20.05.2025");
    select_all_in(&mut h, "Дата согласования");
    h.key_press(Key::Backspace);
    h.run_ok();
    assert_eq!(
        input_text(&h, "Дата согласования"),
        "",
        "an emptied date is not filled again"
    );
    h.get_by_role_and_label(Role::TextInput, "Дата согласования")
        .type_text("19.05.2025");
    h.run_ok();
    assert_eq!(input_text(&h, "Дата согласования"), "19.05.2025");

    // A date field selects its date when it gains the focus: typing replaces it.
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "Дата отгрузки", "01.05.2025");
    assert_eq!(input_text(&h, "Дата отгрузки"), "01.05.2025");
}

#[test]
fn gui_a_sale_dated_in_an_issued_period_is_flagged_as_the_date_is_typed() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let issued =
        partner_desk::statements::issue(&mut s, alfa, d("2025-04-01"), d("2025-04-30"), d(TODAY))
            .unwrap();
    drop(s);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    type_into(&mut h, Role::TextInput, "Дата отгрузки", "15.04.2025");
    let said = format!("период выдан в ведомости № {}", issued.number);
    assert!(has_text(&h, &said), "the date is flagged as it is typed");
    type_into(&mut h, Role::TextInput, "ИНН клиента", C1);
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "3000");
    assert!(
        h.get_by_role_and_label(Role::Button, "Записать продажу")
            .accesskit_node()
            .is_disabled(),
        "a sale in an issued period is not offered for recording"
    );
    type_into(&mut h, Role::TextInput, "Дата отгрузки", "15.05.2025");
    assert!(
        !has_text(&h, &said),
        "a date in an open period is not flagged"
    );
}

/// Whether the sidebar's button of page `name` is marked as the page on screen.
fn marked(h: &Harness<'static, App>, name: &str) -> bool {
    h.get_by_role_and_label(Role::Button, name)
        .accesskit_node()
        .toggled()
        == Some(egui::accesskit::Toggled::True)
}

#[test]
fn gui_opening_a_path_with_no_file_asks_before_creating_an_empty_database() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let typo = t.dir.path().join("partenrs.sqlite3");
    let answers = vec![Picked::Path(typo.clone()), Picked::Path(typo.clone())];
    let mut h = harness(&t, Lang::Ru, answers);
    click(&mut h, "Продажи");
    assert!(marked(&h, "Продажи"));
    click(&mut h, "Файл");
    click(&mut h, "Открыть базу данных…");
    assert!(has_text(&h, "нет. Создать там новую пустую базу данных?"));
    click_button(&mut h, "Отмена");
    assert!(!typo.exists(), "nothing is created unasked");
    assert_eq!(
        h.state().data().counts.sales,
        1,
        "the database open stays open"
    );

    click(&mut h, "Файл");
    click(&mut h, "Открыть базу данных…");
    click_button(&mut h, "Создать пустую базу");
    assert!(typo.exists(), "created once the user says so");
    assert_eq!(h.state().data().counts.sales, 0);
    assert!(has_text(&h, "Добро пожаловать в Partner Desk"));
    assert!(
        !Page::ALL.iter().any(|p| marked(&h, p.name(Lang::Ru))),
        "the welcome page is on screen, not a page the sidebar would mark"
    );
    click(&mut h, "Продажи");
    assert!(marked(&h, "Продажи"));
}

/// Deletes the sale dated `date` on the Sales page, confirmed.
fn delete_the_sale_of(h: &mut Harness<'static, App>, date: &str) {
    click_button(h, "Продажи");
    h.get_by_label(date).click();
    h.run_ok();
    click_button(h, "Удалить…");
    click_button(h, "Подтвердить");
    says(h, "Запись удалена");
}

/// The history of corrections of the one sale stored, by its id.
fn history_of_the_sale(t: &TempDb) -> Vec<partner_desk::store::Correction> {
    let store = t.open();
    let db = store.read();
    let rows = db.sales_page(&SalesQuery::default(), 0, 10).unwrap();
    assert_eq!(rows.len(), 1, "the sale is back");
    db.sale_corrections(rows[0].id).unwrap()
}

#[test]
fn gui_a_deleted_sale_comes_back_with_ctrl_z_or_restore_on_the_client_card_with_who_and_when() {
    use partner_desk::store::CorrectionKind;
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    delete_the_sale_of(&mut h, "15.04.2025");
    assert_eq!(h.state().data().counts.sales, 0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_ok();
    says(&h, "Отменено:");
    assert_eq!(h.state().data().counts.sales, 1, "Ctrl+Z puts it back");
    let history = history_of_the_sale(&t);
    let restore = history.last().unwrap();
    assert_eq!(restore.kind, CorrectionKind::Restored);
    assert!(!restore.by.is_empty() && !restore.at.is_empty());
    assert_eq!(restore.before.amount(), rub("5000"));
    click(&mut h, "Стоп-лист");
    click(&mut h, "Продажи");
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    assert!(
        has_text(&h, "восстановлена после удаления"),
        "the history says so"
    );

    // Deleted again: the client card offers «Восстановить» on the struck-through record.
    delete_the_sale_of(&mut h, "15.04.2025");
    h.state_mut()
        .run(partner_desk::command::Command::OpenClient(inn(C2)));
    h.run_ok();
    assert!(has_text(&h, "Удалённые записи"));
    click_button(&mut h, "Восстановить");
    assert_eq!(h.state().data().counts.sales, 1, "restored from the card");
    assert!(
        !has_text(&h, "Удалённые записи"),
        "no longer listed as deleted"
    );
    assert_eq!(
        history_of_the_sale(&t).last().unwrap().kind,
        CorrectionKind::Restored
    );
}

#[test]
fn gui_a_deleted_sale_in_an_issued_period_is_not_offered_for_restoring() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    delete_the_sale_of(&mut h, "15.04.2025");
    drop(h);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    // Another sale of April, so that the statement issued is not empty.
    s.write(|db| {
        db.record_sale(&sale(
            alfa,
            "2025-04-20",
            C3,
            partner_desk::domain::LicenseKind::DevServices,
            "100",
        ))
    })
    .unwrap();
    partner_desk::statements::issue(&mut s, alfa, d("2025-04-01"), d("2025-04-30"), d(TODAY))
        .unwrap();
    drop(s);
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.state_mut()
        .run(partner_desk::command::Command::OpenClient(inn(C2)));
    h.run_ok();
    assert!(has_text(&h, "Удалённые записи"));
    assert!(
        h.get_by_role_and_label(Role::Button, "Восстановить")
            .accesskit_node()
            .is_disabled(),
        "an issued period's record is not put back"
    );
}

#[test]
fn gui_the_highlight_stays_with_the_sale_when_a_return_above_it_reloads_the_list() {
    let t = TempDb::new();
    crate::session::a_file_with_two_sales(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Продажи");
    // Newest first: Бета's sale of 20.04, then Альфа's of 15.04 (the second row).
    h.get_by_label("15.04.2025").click();
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Сумма возврата, ₽", "1000");
    click_button(&mut h, "Записать возврат");
    says(&h, "Возврат записан");
    assert!(
        has_text(&h, "Возврат · Услуги разработчика"),
        "a return is labelled so in the list"
    );
    // The return (dated today) is now the first row: the sale is the third.
    h.event(egui::Event::Copy);
    h.step();
    let text = copied(&h).expect("Ctrl+C copies the highlighted row");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("15.04.2025\tООО «Альфа»"),
        "the highlight is still the sale returned: {text}"
    );
}

/// The labels of every node in the harness's tree.
fn labels_of<S>(h: &Harness<'_, S>) -> Vec<String> {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .collect()
}

#[test]
fn gui_an_amount_that_does_not_fit_its_cell_shows_an_ellipsis_and_its_whole_value_never_a_part() {
    use partner_desk::domain::Money;
    use partner_desk::export::list::Value;
    use partner_desk::ui::{Cell, Col, Table};
    let amounts = ["10000", "45000.50", "120000"].map(|a| Money::parse_amount(a).unwrap());
    // The amount column narrowed (as a user may drag it) below its amounts' width.
    let cols = [
        Col::<()>::new("Дата", 85.0),
        Col::new("Сумма", 48.0).right(),
    ];
    let mut h = Harness::builder().with_size([400.0, 300.0]).build_ui(|ui| {
        partner_desk::ui::install_fonts(ui.ctx());
        let _ = Table::new("amounts", &cols, 3, Lang::Ru).show(ui, |row, col| match col {
            0 => Cell::from(Value::Date(d("2025-04-10"))),
            _ => Cell::from(Value::Money(amounts[row])),
        });
    });
    h.run_steps(4);
    let labels = labels_of(&h);
    for part in [
        "10",
        "45",
        "120",
        "10\u{a0}000",
        "120\u{a0}000",
        "120\u{a0}0…",
    ] {
        assert!(
            !labels.iter().any(|l| l == part),
            "a part of a number: {labels:?}"
        );
    }
    assert_eq!(
        labels.iter().filter(|l| *l == "…").count(),
        3,
        "each amount that does not fit is «…»: {labels:?}"
    );
    h.query_all_by_label("…").nth(2).unwrap().hover();
    h.run();
    assert!(
        h.query_by_label("120\u{a0}000,00\u{a0}₽").is_some(),
        "its tooltip gives the whole value: {:?}",
        labels_of(&h)
    );
}

/// Three sales of Альфа in April (10 000, 45 000,50 and 120 000 ₽) to a client with a long
/// name, each with a document number, and one of Бета.
fn three_sales_of_alfa(t: &TempDb) {
    two_partners(t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let beta = s.read().partner_by_inn(&inn(BETA)).unwrap().unwrap();
    let long = "Общество с ограниченной ответственностью «Научно-производственное объединение Северные технологии»";
    let days = [
        ("2025-04-10", "10000"),
        ("2025-04-11", "45000.50"),
        ("2025-04-12", "120000"),
    ];
    for (n, (day, amount)) in days.into_iter().enumerate() {
        let kind = partner_desk::domain::LicenseKind::DevServices;
        let sale = NewSale {
            doc: Some(format!("РН-2025-000{n}")),
            client_name: long.to_owned(),
            ..sale(alfa, day, C2, kind, amount)
        };
        s.write(|db| db.record_sale(&sale)).unwrap();
    }
    let kind = partner_desk::domain::LicenseKind::DevServices;
    let other = sale(beta, "2025-04-13", C3, kind, "7");
    s.write(|db| db.record_sale(&other)).unwrap();
}

#[test]
fn gui_the_sales_list_printed_never_breaks_a_number_a_date_or_an_inn_and_says_its_filter_and_totals()
 {
    let t = TempDb::new();
    three_sales_of_alfa(&t);
    let pdf = t.dir.path().join("sales.pdf");
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(pdf.clone())]);
    click_button(&mut h, "Продажи");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    click_button(&mut h, "Печать / PDF…");
    wait_for_job(&mut h);
    // Spaces of any kind as one: a value broken across lines would read as two words.
    let text = pdf_text(&pdf);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let whole = [
        "10 000,00 ₽",
        "45 000,50 ₽",
        "120 000,00 ₽",
        "10.04.2025",
        "12.04.2025",
        C2,
        "РН-2025-0002",
        "Документ",
        "Ставка",
    ];
    for value in whole {
        assert!(
            text.contains(value),
            "«{value}» whole in the printout: {text}"
        );
    }
    assert!(
        text.contains("Фильтр: партнёр ООО «Альфа»"),
        "the filter under the title: {text}"
    );
    assert!(
        text.contains("Итого: строк 3 · сумма 175 000,50 ₽"),
        "the list's totals: {text}"
    );
    assert!(!text.contains("ООО «Бета»"), "only the rows shown");
}

#[test]
fn gui_the_extension_form_says_the_new_last_day_and_asks_who_agreed_in_red_only_once_tried() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Стоп-лист");
    h.get_by_label(C1).click();
    h.run_ok();
    // Pinned on 01.05.2025 until 31.07.2025: three months more end on 31.10.2025.
    assert!(
        has_text(&h, "Закрепление продлится по 31.10.2025"),
        "the new last day, before anything is saved"
    );
    assert!(
        !has_text(&h, "укажите, кто согласовал"),
        "nothing is red before an attempt"
    );
    click_button(&mut h, "Продлить");
    assert!(has_text(&h, "укажите, кто согласовал"), "said once tried");
    let pins = h.state().data().pins.clone();
    assert_eq!(pins[0].pin.last_day(), d("2025-07-31"), "nothing extended");
}

#[test]
fn gui_an_empty_partners_page_says_what_to_do_first() {
    let t = TempDb::new();
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Партнёры");
    assert!(has_text(&h, "Партнёров пока нет"));
    assert!(has_text(&h, "Добавьте первого партнёра"));
    assert!(
        !has_text(&h, "Измените поиск"),
        "there is no search to change"
    );
}

#[test]
fn gui_a_partner_combos_typed_filter_is_gone_once_it_closes() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Продажи");
    h.get_by_role_and_label(Role::ComboBox, "Партнёр:").click();
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Поиск партнёра", "Бета");
    assert!(h.query_by_label(&format!("ООО «Альфа» · {ALFA}")).is_none());
    h.key_press(Key::Escape);
    h.run_ok();
    click_button(&mut h, "Стоп-лист");
    click_button(&mut h, "Продажи");
    h.get_by_role_and_label(Role::ComboBox, "Партнёр:").click();
    h.run_ok();
    assert_eq!(input_text(&h, "Поиск партнёра"), "");
    assert!(
        h.query_by_label(&format!("ООО «Альфа» · {ALFA}")).is_some(),
        "every partner is offered again"
    );
}

#[test]
fn a_column_headed_klient_prishyol_sam_is_read_as_the_client_came_on_its_own() {
    use partner_desk::import::ImportKind;
    use partner_desk::import::mapping::{Mapping, fields};
    let headers: Vec<String> = [
        "Дата",
        "ИНН партнёра",
        "ИНН клиента",
        "Вид лицензии",
        "Сумма",
        "Клиент пришёл сам",
    ]
    .map(String::from)
    .to_vec();
    let mapping = Mapping::auto(ImportKind::Sales, &headers);
    assert_eq!(mapping.column("self_referred"), Some(5));
    let field = fields(ImportKind::Sales)
        .iter()
        .find(|f| f.code == "self_referred")
        .unwrap();
    assert_eq!(
        field.label(Lang::Ru),
        "Клиент пришёл сам",
        "named as the sale form names it"
    );
}

/// Альфа's April statement exported to JSON through the dialog: the window with «Файл
/// сохранён» open.
fn april_statement_exported(t: &TempDb) -> Harness<'static, App> {
    two_partners_and_a_sale_in_april(t);
    let json = t.dir.path().join("statement.json");
    let mut h = harness(t, Lang::Ru, vec![Picked::Path(json)]);
    click(&mut h, "Ведомости премий");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    h.run_ok();
    click_button(&mut h, "Экспорт…");
    h
}

#[test]
fn gui_the_file_saved_window_closes_with_esc_and_stands_over_no_toolbar() {
    let t = TempDb::new();
    let mut h = april_statement_exported(&t);
    assert!(h.query_by_label("Файл сохранён").is_some());
    // Under the toolbar's row of buttons, not over it.
    let window = h
        .get_by_label("Файл сохранён")
        .accesskit_node()
        .bounding_box()
        .unwrap();
    let export = h
        .get_by_role_and_label(Role::Button, "Экспорт…")
        .accesskit_node()
        .bounding_box()
        .unwrap();
    assert!(window.y0 > export.y1 + 100.0, "{window:?} over {export:?}");
    h.key_press(Key::Escape);
    h.run_ok();
    assert!(h.query_by_label("Файл сохранён").is_none(), "Esc closes it");
}

#[test]
fn gui_the_overview_counts_sales_and_returns_apart() {
    let t = TempDb::new();
    two_partners(&t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let kind = partner_desk::domain::LicenseKind::DevServices;
    let id = s
        .write(|db| db.record_sale(&sale(alfa, "2025-05-05", C2, kind, "5000")))
        .unwrap();
    s.write(|db| db.record_return(id, d("2025-05-10"), rub("1000"), None))
        .unwrap();
    drop(s);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Обзор");
    h.run_ok();
    assert_eq!(
        h.query_all_by_label_contains("Продаж: 1 · возвратов: 1")
            .count(),
        2,
        "this month and this quarter: a return is not counted as another sale"
    );
}

/// With the English sale form open: Альфа's pinned client, 4,000.50 typed as the English
/// list shows amounts, recorded.
fn record_4000_50_for_alfa_in_english(h: &mut Harness<'static, App>) {
    choose(h, "Partner", &format!("ООО «Альфа» · {ALFA}"));
    click_button(h, "Pick a pinned client (1) ▾");
    click_button(h, &format!("{C1} · АО «Клиент»"));
    type_into(h, Role::TextInput, "Amount, ₽", "4,000.50");
    click_button(h, "Record sale");
    says(h, "Sale recorded: 4,000.50\u{a0}₽");
}

#[test]
fn gui_in_english_the_amount_field_reads_amounts_as_the_list_shows_them_and_dates_have_one_format()
{
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::En, vec![]);
    click_button(&mut h, "Sales");
    let shown =
        |h: &Harness<'static, App>, text| h.query_all_by_label_contains(text).next().is_some();
    assert!(shown(&h, "2025-04-15"), "the list's dates");
    assert!(shown(&h, "5,000.00\u{a0}₽"), "the list's amounts");
    click_button(&mut h, "+ New sale");
    let date = h.get_by_role_and_label(Role::TextInput, "Shipment date");
    assert_eq!(date.accesskit_node().value().as_deref(), Some("2025-05-20"));
    select_all_in(&mut h, "Shipment date");
    h.key_press(Key::Backspace);
    h.run_ok();
    let date = h.get_by_role_and_label(Role::TextInput, "Shipment date");
    assert_eq!(
        date.accesskit_node().placeholder(),
        Some("yyyy-mm-dd"),
        "the field asks for dates as the list shows them"
    );
    h.get_by_role_and_label(Role::TextInput, "Shipment date")
        .type_text("2025-05-20");
    h.run_ok();
    record_4000_50_for_alfa_in_english(&mut h);
}

#[test]
fn gui_the_status_bars_last_message_changes_language_with_the_window() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::En, vec![]);
    click_button(&mut h, "Sales");
    click_button(&mut h, "+ New sale");
    record_4000_50_for_alfa_in_english(&mut h);
    click(&mut h, "View");
    click(&mut h, "Русский");
    says(&h, "Продажа записана: 4\u{a0}000,50\u{a0}₽");
    assert!(
        h.query_all_by_label_contains("Продажа записана")
            .next()
            .is_some(),
        "the status bar draws it in Russian"
    );
    // A refusal too: Ctrl+Z twice, the second has nothing to take back.
    crate::session::ctrl_z(&mut h);
    crate::session::ctrl_z(&mut h);
    says(&h, "Отменять нечего");
    // The Sales list has a column «Вид» too: the menu's comes first.
    h.get_all_by_label("Вид").next().unwrap().click();
    h.run_ok();
    click(&mut h, "English");
    says(&h, "Nothing to undo");
}

#[test]
fn gui_at_the_smallest_window_the_sales_toolbar_and_filters_wrap_and_none_is_hidden() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    let [width, height] = partner_desk::app::MIN_WINDOW;
    assert!(width <= 800.0 && height <= 500.0);
    h.set_size(egui::vec2(800.0, 500.0));
    click_button(&mut h, "Продажи");
    h.run_ok();
    for (role, label) in [
        (Role::Button, "+ Новая продажа"),
        (Role::Button, "Экспорт в Excel…"),
        (Role::Button, "Печать / PDF…"),
        (Role::Button, "Период ▾"),
        (Role::TextInput, "с"),
        (Role::TextInput, "по"),
    ] {
        let rect = h
            .get_by_role_and_label(role, label)
            .accesskit_node()
            .bounding_box()
            .unwrap();
        assert!(
            rect.x1 <= 800.0 && rect.y1 <= 500.0,
            "«{label}» within the window: {rect:?}"
        );
    }
}

#[test]
fn gui_ctrl_k_opens_a_hit_with_the_arrows_and_enter() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    let label = "Название, ИНН партнёра или клиента, номер документа";
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_ok();
    type_into(&mut h, Role::TextInput, label, "ООО");
    // Альфа, then Бета: Down moves to Бета, Enter opens it.
    h.key_press(Key::ArrowDown);
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    assert!(h.query_by_label(label).is_none(), "the search closed");
    assert_eq!(input_text(&h, "Название"), "ООО «Бета»");
    // Enter alone opens the first hit.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_ok();
    type_into(&mut h, Role::TextInput, label, "ООО");
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(input_text(&h, "Название"), "ООО «Альфа»");
}

#[test]
fn gui_ctrl_n_puts_the_cursor_in_the_first_field_and_the_client_offers_go_by_the_keys() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Продажи");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_ok();
    assert!(
        h.get_by_role_and_label(Role::TextInput, "Дата отгрузки")
            .accesskit_node()
            .is_focused(),
        "the form's first field has the cursor"
    );
    type_into(&mut h, Role::TextInput, "ИНН клиента", "Клиент");
    assert!(has_text(&h, "АО «Клиент»"), "the stored client is offered");
    h.key_press(Key::ArrowDown);
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(input_text(&h, "ИНН клиента"), C1, "Enter takes the offer");
    assert_eq!(input_text(&h, "Название клиента"), "АО «Клиент»");
    assert_eq!(h.state().data().counts.sales, 1, "and records nothing");
}

#[test]
fn gui_a_partner_combo_filters_as_you_type_and_the_arrows_and_enter_choose() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    let partner = |h: &Harness<'static, App>| {
        h.get_by_role_and_label(Role::ComboBox, "Партнёр")
            .accesskit_node()
            .value()
    };
    h.get_by_role_and_label(Role::ComboBox, "Партнёр").click();
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Поиск партнёра", "Бет");
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        partner(&h).as_deref(),
        Some("ООО «Бета»"),
        "Enter takes the one found"
    );
    h.get_by_role_and_label(Role::ComboBox, "Партнёр").click();
    h.run_ok();
    h.key_press(Key::ArrowDown);
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        partner(&h).as_deref(),
        Some("ООО «Альфа»"),
        "the arrows choose"
    );
}

#[test]
fn gui_a_pin_is_extended_without_the_mouse() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run_ok();
    // The client found by its INN in the page's search; Esc leaves the search box.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_ok();
    h.get_by_role_and_label(Role::TextInput, "Поиск")
        .type_text(C1);
    h.run_ok();
    press(&mut h, Key::Escape);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    let who = h.get_by_role_and_label(Role::TextInput, "Кто согласовал");
    assert!(
        who.accesskit_node().is_focused(),
        "the one field it needs has the cursor"
    );
    who.type_text("Иванов И. И.");
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    says(&h, "Закрепление продлено по 31.10.2025");
}

#[test]
fn gui_a_sale_is_recorded_without_the_mouse() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_ok();
    // The date is today's, selected: Tab past the calendar to the partner, Space opens its
    // list.
    press(&mut h, Key::Tab);
    press(&mut h, Key::Tab);
    assert!(
        h.get_by_role_and_label(Role::ComboBox, "Партнёр")
            .accesskit_node()
            .is_focused(),
        "Tab reached the partner"
    );
    press(&mut h, Key::Space);
    h.get_by_role_and_label(Role::TextInput, "Поиск партнёра")
        .type_text("Альф");
    h.run_ok();
    press(&mut h, Key::Enter);
    press(&mut h, Key::Tab);
    h.get_by_role_and_label(Role::TextInput, "ИНН клиента")
        .type_text("Клиент");
    h.run_ok();
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    // Past the pinned clients' button, the client's name and the kind: the amount.
    for _ in 0..4 {
        press(&mut h, Key::Tab);
    }
    let amount = h.get_by_role_and_label(Role::TextInput, "Сумма, ₽");
    assert!(
        amount.accesskit_node().is_focused(),
        "Tab reached the amount"
    );
    amount.type_text("3000");
    h.run_ok();
    press(&mut h, Key::Enter);
    says(&h, "Продажа записана: 3\u{a0}000,00\u{a0}₽");
}

#[test]
fn gui_a_statement_is_exported_without_the_mouse() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let pdf = t.dir.path().join("statement.pdf");
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(pdf.clone())]);
    let focused = |h: &Harness<'static, App>, role, label| {
        h.get_by_role_and_label(role, label)
            .accesskit_node()
            .is_focused()
    };
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run_ok();
    // Ctrl+F: the partner's box; Space opens it, typing finds, Enter takes.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_ok();
    assert!(focused(&h, Role::ComboBox, "Партнёр:"));
    press(&mut h, Key::Space);
    h.get_by_role_and_label(Role::TextInput, "Поиск партнёра")
        .type_text("Альф");
    h.run_ok();
    press(&mut h, Key::Enter);
    // Tab to «Экспорт…» (past the language, the periods and «Выдать…»), Enter.
    let mut tabs = 0;
    while !focused(&h, Role::Button, "Экспорт…") && tabs < 20 {
        press(&mut h, Key::Tab);
        tabs += 1;
    }
    press(&mut h, Key::Enter);
    assert!(pdf.exists(), "{}", h.state().last_message());
}

#[test]
fn gui_a_license_kind_is_named_alike_in_the_form_the_explanation_and_the_printed_list() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let pdf = t.dir.path().join("sales.pdf");
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(pdf.clone())]);
    click_button(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    let kind = h
        .get_by_role_and_label(Role::ComboBox, "Вид лицензии")
        .accesskit_node()
        .value()
        .unwrap();
    assert_eq!(kind, "Корпоративные тарифы SaaS");
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    click_button(&mut h, "Выбрать из закреплённых (1) ▾");
    click_button(&mut h, &format!("{C1} · АО «Клиент»"));
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "1000");
    assert!(
        has_text(&h, &format!("Дилер · {kind} · 25")),
        "the explanation"
    );
    click_button(&mut h, "Записать продажу");
    click_button(&mut h, "Печать / PDF…");
    wait_for_job(&mut h);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Услуги разработчика"), "the list: {text}");
    assert!(text.contains(&kind), "the list: {text}");
}

#[test]
fn gui_the_kind_box_finds_as_you_type_and_esc_closes_only_the_list_over_the_form() {
    let t = TempDb::new();
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click_button(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    h.get_by_role_and_label(Role::ComboBox, "Вид лицензии")
        .click();
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Поиск вида", "разраб");
    press(&mut h, Key::Enter);
    let kind = h
        .get_by_role_and_label(Role::ComboBox, "Вид лицензии")
        .accesskit_node()
        .value();
    assert_eq!(kind.as_deref(), Some("Услуги разработчика"));
    // Esc closes the list that is open, not the form under it.
    h.get_by_role_and_label(Role::ComboBox, "Партнёр").click();
    h.run_ok();
    assert!(h.query_by_label("Поиск партнёра").is_some());
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label("Поиск партнёра").is_none(),
        "the list closed"
    );
    assert!(
        h.query_by_label("Записать продажу").is_some(),
        "the form stays"
    );
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label("Записать продажу").is_none(),
        "then the form"
    );
}

#[test]
fn gui_ctrl_n_puts_the_cursor_in_the_new_forms_first_field_on_every_page() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    for (page, field, typed) in [
        ("Стоп-лист", "ИНН клиента", "7736207543"),
        ("Партнёры", "ИНН", "7707083893"),
        ("Продажи", "Дата отгрузки", "21.05.2025"),
    ] {
        click(&mut h, page);
        h.key_press_modifiers(Modifiers::COMMAND, Key::N);
        h.run_ok();
        // Typed with no field clicked: it goes where the cursor is.
        h.event(egui::Event::Text(typed.into()));
        h.run_ok();
        assert_eq!(input_text(&h, field), typed, "{page}");
    }
}

#[test]
fn gui_a_sale_with_a_wrong_client_inn_says_it_cannot_be_recorded_and_why() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    choose(&mut h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    type_into(&mut h, Role::TextInput, "Сумма, ₽", "5000");
    assert!(
        !has_text(&h, "Продажу нельзя записать"),
        "no INN yet: only the premium"
    );
    // The INN of the pinned client with its last digit changed.
    let wrong = format!("{}{}", &C1[..9], (C1.as_bytes()[9] - b'0' + 1) % 10);
    type_into(&mut h, Role::TextInput, "ИНН клиента", &wrong);
    assert!(
        has_text(
            &h,
            "Продажу нельзя записать: ИНН клиента — неверная контрольная цифра"
        ),
        "the wrong INN is said under the form"
    );
    let save = h.get_by_role_and_label(Role::Button, "Записать продажу");
    assert!(save.accesskit_node().is_disabled());
}

#[test]
fn gui_a_shipment_date_the_calendar_has_not_is_said_so_not_as_a_wrong_format() {
    let t = TempDb::new();
    a_file_with_a_pin(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    click_button(&mut h, "+ Новая продажа");
    type_into(&mut h, Role::TextInput, "Дата отгрузки", "30.02.2025");
    assert!(has_text(&h, "такого дня нет в календаре"));
    type_into(&mut h, Role::TextInput, "Дата отгрузки", "30.2.2025");
    assert!(has_text(&h, "нужна дата вида 31.01.2025 или 2025-01-31"));
}

#[test]
fn gui_a_statement_once_issued_is_shown_as_issued_and_what_is_computed_now_exports_as_a_draft() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Ведомости премий");
    choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    assert!(has_text(&h, "Проект — не выдан"), "a preview is a draft");
    click_button(&mut h, "Выдать…");
    assert!(
        has_text(
            &h,
            "Выдать ведомость партнёра ООО «Альфа» за 01.04.2025 — 30.04.2025."
        ),
        "the confirmation names the partner"
    );
    click_button(&mut h, "Подтвердить");
    assert!(has_text(&h, "Ведомость выдана: № 2025-0001 от 20.05.2025"));
    assert!(!has_text(&h, "Проект — не выдан"));
    assert!(h.query_by_label("Экспорт выданной…").is_some());
    assert!(h.query_by_label("Экспорт проекта…").is_some());
    assert!(h.query_by_label("Экспорт…").is_none());
    // A period that only overlaps the issued one is a draft still.
    click(&mut h, "Этот год");
    assert!(has_text(&h, "Проект — не выдан"));
}

#[test]
fn gui_what_is_said_of_an_export_stays_clear_of_the_saved_files_buttons() {
    let t = TempDb::new();
    let mut h = april_statement_exported(&t);
    h.run_ok();
    let said = h.state().last_message();
    let toasts: Vec<egui::Rect> = h.query_all_by_label(&said).map(|n| n.rect()).collect();
    assert!(!toasts.is_empty(), "{said}");
    for button in ["Открыть", "Показать в папке", "Закрыть"] {
        let rect = h.get_by_role_and_label(Role::Button, button).rect();
        for toast in &toasts {
            assert!(!toast.intersects(rect), "{button} {rect:?} under {toast:?}");
        }
    }
}

#[test]
fn gui_an_empty_sales_page_says_what_to_do_first() {
    let t = TempDb::new();
    t.open();
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    assert!(has_text(
        &h,
        "сначала добавьте партнёра на странице «Партнёры» (Ctrl+2)"
    ));
    drop(h);
    two_partners(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    assert!(has_text(
        &h,
        "Запишите продажу (Ctrl+N) или импортируйте продажи из файла"
    ));
    assert!(!has_text(&h, "Измените фильтры"), "no filter is set");
}
