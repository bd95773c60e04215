//! The import window checks the whole file against the rules before Import, lists the
//! rows it refuses, stays open on a refusal, and imports only the valid rows with the
//! others written beside the file.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use partner_desk::domain::{Lang, Status};
use partner_desk::ui::dialogs::Picked;

use super::{click_button, harness, wait_for_job};
use crate::util::*;

/// Альфа with C1 pinned, Бета with C2 pinned, C3 pinned to nobody; a file of Альфа's
/// sales to the three, as 1C saves it (semicolons, Windows-1251, Russian headers).
fn sales_to_three(t: &TempDb) -> std::path::PathBuf {
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    let b = beta(&mut s, Status::Dealer);
    pin_client(&mut s, a, C1, "2025-01-01");
    pin_client(&mut s, b, C2, "2025-01-01");
    let text = format!(
        "Дата;ИНН партнёра;ИНН клиента;Вид лицензии;Сумма;№ документа\r\n\
         10.02.2025;{ALFA};{C1};saas;1000;Д-1\r\n\
         10.02.2025;{ALFA};{C2};saas;2000;Д-2\r\n\
         10.02.2025;{ALFA};{C3};saas;3000;Д-3\r\n"
    );
    let path = t.dir.path().join("продажи.csv");
    std::fs::write(&path, encoding_rs::WINDOWS_1251.encode(&text).0).unwrap();
    path
}

/// Opens the file in the import window and goes to its preview, the check done.
fn to_the_preview(h: &mut egui_kittest::Harness<'static, partner_desk::app::App>) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    wait_for_job(h);
    for _ in 0..3 {
        click_button(h, "Далее ›");
    }
    wait_for_job(h);
}

/// Whether a label holds `text`, once or more (the window and the status bar may both say it).
fn has_text(h: &egui_kittest::Harness<'static, partner_desk::app::App>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn disabled(h: &egui_kittest::Harness<'static, partner_desk::app::App>, label: &str) -> bool {
    h.get_by_role_and_label(Role::Button, label)
        .accesskit_node()
        .is_disabled()
}

#[test]
fn gui_the_preview_lists_rows_the_rules_refuse_and_a_refused_import_keeps_the_window() {
    let t = TempDb::new();
    let file = sales_to_three(&t);
    let mut h = harness(&t, Lang::Ru, vec![Picked::Path(file)]);
    to_the_preview(&mut h);
    // Before anything is written, the preview names both rows with their sentences.
    assert!(has_text(&h, "Строк, которые импорт не примет: 2."));
    assert!(has_text(
        &h,
        &format!(
            "строка 3: ИНН клиента: продажу нельзя записать: клиент {C2} закреплён за другим партнёром"
        )
    ));
    assert!(has_text(
        &h,
        &format!("строка 4: ИНН клиента: продажу нельзя записать: клиент {C3} не закреплён за")
    ));
    assert!(!has_text(&h, "Ошибок в них нет"));
    assert!(!disabled(&h, "Импортировать"), "enabled once checked");

    click_button(&mut h, "Импортировать");
    wait_for_job(&mut h);
    assert_eq!(h.state().data().counts.sales, 0, "all or nothing");
    // The window is still open, the refused rows listed.
    assert!(has_text(&h, "Строк, которые импорт не примет: 2."));
    assert!(has_text(&h, "4. Проверка"));
    assert!(!disabled(&h, "Импортировать только верные строки"));
}

#[test]
fn gui_imports_only_the_valid_rows_and_writes_the_refused_beside_the_file_to_fix_and_import() {
    let t = TempDb::new();
    let file = sales_to_three(&t);
    let rejected = t.dir.path().join("продажи-rejected.csv");
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![Picked::Path(file), Picked::Path(rejected.clone())],
    );
    to_the_preview(&mut h);
    click_button(&mut h, "Импортировать только верные строки");
    wait_for_job(&mut h);
    assert_eq!(h.state().data().counts.sales, 1, "the valid row, written");
    // The window says where the refused rows went.
    assert!(has_text(&h, &rejected.display().to_string()));
    assert!(
        has_text(&h, "Они не записаны"),
        "the refused rows are said to be left out, not that Import writes nothing"
    );
    // Written: the same file is not imported again from this window.
    assert!(disabled(&h, "Импортировать"));
    assert!(disabled(&h, "Импортировать только верные строки"));

    // Beside the original, as it was: semicolons, Windows-1251, the reason last.
    let bytes = std::fs::read(&rejected).unwrap();
    let (text, _, bad) = encoding_rs::WINDOWS_1251.decode(&bytes);
    assert!(!bad);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[0],
        "Дата;ИНН партнёра;ИНН клиента;Вид лицензии;Сумма;№ документа;Ошибка"
    );
    assert!(
        lines[1].starts_with(&format!("10.02.2025;{ALFA};{C2};saas;2000;Д-2;ИНН клиента: продажу нельзя записать: клиент {C2} закреплён за другим партнёром")),
        "{text}"
    );
    assert!(
        lines[2].starts_with(&format!("10.02.2025;{ALFA};{C3};saas;3000;Д-3;\"ИНН клиента: продажу нельзя записать: клиент {C3} не закреплён")),
        "{text}"
    );

    // Fixed there (Бета's sale is Бета's; the third client is C1), it imports as it is.
    let fixed = text
        .replace(&format!("{ALFA};{C2}"), &format!("{BETA};{C2}"))
        .replace(&format!(";{C3};"), &format!(";{C1};"));
    std::fs::write(&rejected, encoding_rs::WINDOWS_1251.encode(&fixed).0).unwrap();
    to_the_preview(&mut h);
    assert!(has_text(
        &h,
        "Все строки проверены по формату и правилам: ошибок нет."
    ));
    click_button(&mut h, "Импортировать");
    wait_for_job(&mut h);
    assert_eq!(h.state().data().counts.sales, 3);
    assert!(
        !has_text(&h, "4. Проверка"),
        "the window closes once imported"
    );
}
