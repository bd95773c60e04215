//! One open database at a time: what the window did to one database never acts on the
//! next one opened, and a worker of the window that fails is noticed, said, and started
//! again. Driven through egui_kittest as a user would.

use std::sync::atomic::Ordering;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use partner_desk::app::{App, Config, Faults};
use partner_desk::domain::{Lang, LicenseKind};
use partner_desk::import::ImportKind;
use partner_desk::ui::dialogs::{Picked, ScriptedDialogs};

use crate::gui::*;
use crate::util::*;

/// [`two_partners_and_a_sale_in_april`], and a second sale: its sales are numbered 1 and 2,
/// as a sale just recorded in another file with one sale is.
pub(crate) fn a_file_with_two_sales(t: &TempDb) {
    two_partners_and_a_sale_in_april(t);
    a_sale_of_beta(t, "38319");
}

/// A developer-services sale of Бета to C3 on 2025-04-20, recorded as a colleague would.
pub(crate) fn a_sale_of_beta(t: &TempDb, amount: &str) {
    let mut s = t.open();
    let beta = s.read().partner_by_inn(&inn(BETA)).unwrap().unwrap();
    let sale = sale(beta, "2025-04-20", C3, LicenseKind::DevServices, amount);
    s.write(|db| db.record_sale(&sale)).unwrap();
}

/// [`two_partners_and_a_sale_in_april`], and the client C1 pinned to Альфа, so that the
/// Sales page's form can record a corporate sale.
pub(crate) fn a_file_with_a_pin(t: &TempDb) {
    two_partners_and_a_sale_in_april(t);
    let mut s = t.open();
    let alfa = s.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    s.write(|db| db.request_pin(&inn(C1), "АО «Клиент»", alfa, d("2025-05-01"), ""))
        .unwrap();
}

/// Records a 3 000 ₽ sale of Альфа to its pinned client on the Sales page's form.
pub(crate) fn record_a_sale_of_3000(h: &mut Harness<'static, App>) {
    click(h, "Продажи");
    click_button(h, "+ Новая продажа");
    choose(h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
    click_button(h, "Выбрать из закреплённых (1) ▾");
    click_button(h, &format!("{C1} · АО «Клиент»"));
    type_into(h, Role::TextInput, "Сумма, ₽", "3000");
    click_button(h, "Записать продажу");
    assert!(
        h.state()
            .last_message()
            .contains("Продажа записана: 3\u{a0}000,00\u{a0}₽"),
        "{}",
        h.state().last_message()
    );
}

/// File ▸ Open database…, answered by the scripted dialog.
pub(crate) fn open_another_database(h: &mut Harness<'static, App>) {
    click(h, "Файл");
    click(h, "Открыть базу данных…");
}

/// Every sale of the database, as (id, amount), in id order.
pub(crate) fn sales_of(t: &TempDb) -> Vec<(i64, String)> {
    let store = t.open();
    let db = store.read();
    let rows = db
        .sales_page(&partner_desk::store::SalesQuery::default(), 0, 100)
        .unwrap();
    let mut sales: Vec<_> = rows
        .iter()
        .map(|r| (r.id.0, r.amount.to_string()))
        .collect();
    sales.sort();
    sales
}

/// Presses Ctrl+Z outside any text field.
pub(crate) fn ctrl_z(h: &mut Harness<'static, App>) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_ok();
}

#[test]
fn gui_ctrl_z_after_another_database_is_opened_takes_nothing_back_in_it() {
    let a = TempDb::new();
    a_file_with_a_pin(&a);
    let b = TempDb::new();
    a_file_with_two_sales(&b);
    let b_before = sales_of(&b);
    let mut h = harness(&a, Lang::Ru, vec![Picked::Path(b.db_arg().into())]);
    record_a_sale_of_3000(&mut h);
    let a_after = sales_of(&a);
    assert_eq!(a_after.len(), 2);

    open_another_database(&mut h);
    assert_eq!(h.state().data().counts.sales, 2, "B is open");
    ctrl_z(&mut h);
    assert_eq!(sales_of(&b), b_before, "nothing of B is taken back");
    assert_eq!(sales_of(&a), a_after, "nor of A, which is closed");
    assert!(
        h.state().last_message().contains("Отменять нечего"),
        "{}",
        h.state().last_message()
    );
}

#[test]
fn gui_the_offer_to_undo_an_import_goes_with_the_database_it_was_made_in() {
    let a = TempDb::new();
    two_partners(&a);
    // B's own last import can still be undone, and it has the number A's will have.
    let b = TempDb::new();
    two_partners(&b);
    let clients = b.file(
        "b.csv",
        &format!("date,client_inn,partner_inn\n2025-05-02,{C2},{BETA}\n"),
    );
    partner_desk::actions::import_file(&mut b.open(), ImportKind::Pins, &clients).unwrap();
    let b_pins = b.open().read().pin_rows().unwrap().len();
    let csv = a.file(
        "a.csv",
        &format!("date,client_inn,partner_inn\n2025-05-02,{C1},{ALFA}\n"),
    );
    let mut h = harness(
        &a,
        Lang::Ru,
        vec![Picked::Path(csv), Picked::Path(b.db_arg().into())],
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    through_the_wizard(&mut h);
    assert!(has_text(&h, "Импорт завершён"), "the undo is offered in A");

    open_another_database(&mut h);
    assert_eq!(h.state().data().counts.pins, b_pins as i64, "B is open");
    assert!(
        !has_text(&h, "Отменить импорт"),
        "the offer to undo A's import is gone with A"
    );
    ctrl_z(&mut h);
    assert_eq!(b.open().read().pin_rows().unwrap().len(), b_pins);
    assert!(
        h.state().last_message().contains("Отменять нечего"),
        "{}",
        h.state().last_message()
    );
}

/// A window on `t` whose workers run on threads of their own, as in the program, with
/// `faults` to make them fail.
pub(crate) fn threaded_harness(t: &TempDb, faults: Faults) -> Harness<'static, App> {
    let config = Config {
        lang: Some(Lang::Ru),
        today: Some(d(TODAY)),
        background_reads: true,
        dialogs: Box::new(ScriptedDialogs {
            answers: Default::default(),
        }),
        faults,
        ..Config::new(t.db_arg().into())
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config));
    let read = frames_until(&mut h, Duration::from_secs(10), |h| {
        h.state().data().version > 0 && !h.state().reading()
    });
    assert!(read.is_some(), "the window read its data");
    h
}

/// Starts a pin of C1 to Альфа on the Stop-list page, up to its button.
pub(crate) fn fill_a_pin(h: &mut Harness<'static, App>) {
    click(h, "Стоп-лист");
    click_button(h, "+ Закрепить клиента");
    type_into(h, Role::TextInput, "ИНН клиента", C1);
    type_into(h, Role::TextInput, "Название клиента", "АО «Клиент»");
    choose(h, "Партнёр", &format!("ООО «Альфа» · {ALFA}"));
}

#[test]
fn gui_a_read_that_panics_is_said_and_the_reader_reads_again() {
    let t = TempDb::new();
    two_partners_and_a_sale_in_april(&t);
    let faults = Faults::default();
    let mut h = threaded_harness(&t, faults.clone());
    faults.read_panics.store(true, Ordering::SeqCst);
    click(&mut h, "Продажи");
    let said = frames_until(&mut h, Duration::from_secs(5), |h| {
        h.state()
            .last_message()
            .contains("Чтение данных прервалось")
    });
    assert!(said.is_some(), "{}", h.state().last_message());
    assert!(
        !faults.read_panics.load(Ordering::SeqCst),
        "a read panicked"
    );

    // A colleague's sale: the window reads again, on a reader that works.
    a_sale_of_beta(&t, "700");
    let shown = frames_until(&mut h, Duration::from_secs(5), |h| {
        has_text(h, "20.04.2025") && has_text(h, "15.04.2025")
    });
    assert!(shown.is_some(), "the page shows the sales read again");
}

#[test]
fn gui_a_check_for_damage_that_stops_refuses_writes_with_a_sentence_until_it_passes() {
    let t = TempDb::on_file();
    two_partners(&t);
    let faults = Faults::default();
    faults.check_dies.store(true, Ordering::SeqCst);
    let mut h = threaded_harness(&t, faults.clone());
    assert!(
        has_text(&h, "проверка файла прервалась"),
        "the status bar says so"
    );
    fill_a_pin(&mut h);
    click_button(&mut h, "Закрепить");
    assert!(
        h.state()
            .last_message()
            .contains("Проверка файла базы данных на повреждения прервалась"),
        "{}",
        h.state().last_message()
    );
    assert!(
        t.open().read().pin_rows().unwrap().is_empty(),
        "nothing is written"
    );

    // The refused write ran the check again.
    let checked = frames_until(&mut h, Duration::from_secs(10), |h| {
        h.query_by_label("файл проверен").is_some()
    });
    assert!(checked.is_some(), "the check runs again and passes");
    click_button(&mut h, "Закрепить");
    assert!(
        h.state().last_message().contains("закреплён"),
        "{}",
        h.state().last_message()
    );
    assert_eq!(t.open().read().pin_rows().unwrap().len(), 1);
}

#[test]
fn gui_an_import_that_ends_after_another_database_is_opened_offers_no_undo_there() {
    let a = TempDb::new();
    two_partners(&a);
    // B's own last import can still be undone, and it has the number A's will have.
    let b = TempDb::new();
    two_partners(&b);
    let pins = b.file(
        "b.csv",
        &format!("date,client_inn,partner_inn\n2025-05-02,{C2},{BETA}\n"),
    );
    partner_desk::actions::import_file(&mut b.open(), ImportKind::Pins, &pins).unwrap();
    let csv = a.file(
        "a.csv",
        &format!("date,client_inn,partner_inn\n2025-05-02,{C1},{ALFA}\n"),
    );
    let mut h = harness(&a, Lang::Ru, vec![Picked::Path(csv)]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(&mut h);
    for _ in 0..3 {
        click_button(&mut h, "Далее ›");
    }
    wait_for_job(&mut h);
    h.get_by_role_and_label(Role::Button, "Импортировать")
        .click();
    h.step();
    assert!(h.state().busy(), "the import runs on a worker");
    // B opens while it runs, as a team database connected to meanwhile does.
    h.state_mut()
        .run(partner_desk::app::Command::OpenRecent(b.db_arg().into()));
    wait_for_job(&mut h);
    assert_eq!(
        a.open().read().pin_rows().unwrap().len(),
        1,
        "A got its import"
    );
    assert_eq!(h.state().data().counts.pins, 1, "B is open");
    assert!(
        !has_text(&h, "Отменить импорт"),
        "no undo of an import is offered in B"
    );
}

#[test]
fn gui_a_typed_path_asked_for_one_database_goes_with_it() {
    let a = TempDb::new();
    two_partners(&a);
    let b = TempDb::new();
    two_partners_and_a_sale_in_april(&b);
    let mut h = harness(&a, Lang::Ru, vec![Picked::Unavailable]);
    click(&mut h, "Файл");
    click(&mut h, "Резервная копия…");
    assert!(
        has_text(&h, "Резервная копия базы"),
        "a path is asked for A's backup"
    );
    h.state_mut()
        .run(partner_desk::app::Command::OpenRecent(b.db_arg().into()));
    h.run_ok();
    assert_eq!(h.state().data().counts.sales, 1, "B is open");
    assert!(
        !has_text(&h, "Резервная копия базы"),
        "the path asked for A's backup is not asked for B's"
    );
}
