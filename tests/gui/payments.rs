//! From statement to paid premium in the window: requisites typed and checked beside each
//! field.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use partner_desk::domain::Lang;

use super::{click, click_button, harness, has_text, type_into};
use crate::store::payments::{ACCOUNT, BIK};
use crate::util::*;

#[test]
fn gui_our_requisites_name_a_mistyped_account_beside_it_and_are_saved_once_right() {
    let t = TempDb::new();
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Файл");
    click(&mut h, "Реквизиты организации…");
    type_into(
        &mut h,
        Role::TextInput,
        "Полное наименование",
        "ООО «1С-Коннект»",
    );
    type_into(&mut h, Role::TextInput, "ИНН", BETA);
    // A БИК one digit short: the account's key does not agree with it.
    type_into(&mut h, Role::TextInput, "БИК", &BIK[..8]);
    type_into(&mut h, Role::TextInput, "Р/с", ACCOUNT);
    assert!(has_text(&h, "БИК: нужно 9 цифр"));
    assert!(has_text(
        &h,
        "контрольный ключ счёта не сходится с БИК 04403082"
    ));
    assert!(
        h.get_by_role_and_label(Role::Button, "Сохранить реквизиты")
            .accesskit_node()
            .is_disabled()
    );
    type_into(&mut h, Role::TextInput, "БИК", &BIK[8..]);
    assert!(!has_text(&h, "контрольный ключ"));
    click_button(&mut h, "Сохранить реквизиты");
    assert!(
        h.state()
            .last_message()
            .contains("Реквизиты организации сохранены"),
        "{}",
        h.state().last_message()
    );
    let ours = t.open().read().organisation().unwrap();
    assert_eq!((ours.inn.as_str(), ours.account.as_str()), (BETA, ACCOUNT));
    assert_eq!(h.state().data().organisation, ours);
}

#[test]
fn gui_issues_a_statement_writes_its_payment_order_and_marks_it_paid_from_the_banks_statement() {
    use crate::store::payments::{alfa_with_sales, bank_statement};
    use partner_desk::domain::LicenseKind;
    use partner_desk::ui::dialogs::Picked;
    let t = TempDb::new();
    {
        let (mut s, alfa) = alfa_with_sales(&t, 0);
        s.write(|tx| {
            tx.record_sale(&sale(
                alfa,
                "2025-04-15",
                C2,
                LicenseKind::DevServices,
                "5000",
            ))
        })
        .unwrap();
    }
    let orders = t.dir.path().join("orders.txt");
    let statement = t.dir.path().join("statement.txt");
    let mut h = harness(
        &t,
        Lang::Ru,
        vec![
            Picked::Path(orders.clone()),
            Picked::Path(statement.clone()),
        ],
    );
    // Issue April's statement.
    click(&mut h, "Ведомости премий");
    super::choose(&mut h, "Партнёр:", &format!("ООО «Альфа» · {ALFA}"));
    click_button(&mut h, "Выдать…");
    click_button(&mut h, "Подтвердить");
    assert!(
        h.state()
            .last_message()
            .contains("Выдана ведомость 2025-0001"),
        "{}",
        h.state().last_message()
    );
    // The payments page owes it; its payment order is written.
    click(&mut h, "Выплаты");
    assert!(has_text(&h, "Всего к выплате: 500,00"), "the total owed");
    h.get_by_role_and_label(Role::CheckBox, "2025-0001").click();
    h.run_ok();
    click_button(&mut h, "Платёжные поручения…");
    assert!(
        h.state().last_message().contains("поручений 1"),
        "{}",
        h.state().last_message()
    );
    let written = std::fs::read(&orders).unwrap();
    assert!(written.starts_with(b"1CClientBankExchange\r\n"));
    // The bank pays it; its statement comes back and the premium is paid.
    std::fs::write(&statement, bank_statement(&written, "21.05.2025", None)).unwrap();
    click_button(&mut h, "Выписка банка…");
    assert!(
        h.state().last_message().contains("оплат записано 1"),
        "{}",
        h.state().last_message()
    );
    assert!(h.state().data().dues.iter().all(|d| d.is_settled()));
    assert!(has_text(&h, "Неоплаченных выданных отчётов нет."));
    assert!(has_text(&h, "Всего к выплате: 0,00"));
}

#[test]
fn gui_the_overview_names_an_overdue_statement_and_a_payment_by_hand_is_recorded_and_undone() {
    let t = TempDb::new();
    march_issued(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    assert!(has_text(&h, "Всего к выплате: 500,00"), "the total owed");
    assert!(
        has_text(&h, "2025-0001 · ООО «Альфа» · 500,00"),
        "unpaid for 49 days, more than 30"
    );
    click(&mut h, "Выплаты");
    click(&mut h, "оплаты…");
    type_into(&mut h, Role::TextInput, "№ платёжного поручения", "77");
    click_button(&mut h, "Записать оплату");
    assert!(
        h.state().last_message().contains("Оплата записана"),
        "{}",
        h.state().last_message()
    );
    assert!(h.state().data().dues[0].is_settled());
    // Undoing a payment asks first, naming it.
    click_button(&mut h, "Отменить");
    assert!(has_text(
        &h,
        "Отменить оплату 20.05.2025 · 500,00\u{a0}₽ · № 77?"
    ));
    assert!(h.state().data().dues[0].is_settled(), "nothing done yet");
    click_button(&mut h, "Подтвердить");
    assert!(
        h.state().last_message().contains("Оплата отменена"),
        "{}",
        h.state().last_message()
    );
    assert_eq!(h.state().data().dues[0].left(), rub("500"));
    assert_eq!(
        crate::gui::input_text(&h, "Сумма оплаты"),
        "500,00",
        "the amount put in follows what is left again"
    );
    assert_eq!(
        h.state().data().payments.len(),
        2,
        "the payment and its undo, both kept"
    );
}

#[test]
fn gui_a_partners_requisites_are_typed_in_its_form_and_a_wrong_account_is_named_beside_it() {
    let t = TempDb::new();
    {
        let mut s = t.open();
        partner(&mut s, ALFA, "ООО «Альфа»", false, None);
    }
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Партнёры");
    click(&mut h, "ООО «Альфа»");
    assert!(has_text(
        &h,
        "Без банковских реквизитов платёжное поручение не составить."
    ));
    type_into(&mut h, Role::TextInput, "Банк", "ПАО Сбербанк");
    type_into(&mut h, Role::TextInput, "БИК", BIK);
    type_into(&mut h, Role::TextInput, "Р/с", "40702810900000002852");
    assert!(has_text(
        &h,
        "Р/с: контрольный ключ счёта не сходится с БИК 044030827"
    ));
    type_into(&mut h, Role::TextInput, "Номер договора", "П-15");
    type_into(&mut h, Role::TextInput, "НДС, %", "20");
    assert!(
        h.get_by_role_and_label(Role::Button, "Сохранить реквизиты")
            .accesskit_node()
            .is_disabled()
    );
    // The account as typed is wrong: select it all and type over it.
    h.get_by_role_and_label(Role::TextInput, "Р/с").focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    type_into(&mut h, Role::TextInput, "Р/с", ACCOUNT);
    assert!(!has_text(&h, "контрольный ключ"));
    // The requisites are at the foot of the partner's form: scrolled to first.
    h.get_by_role_and_label(Role::Button, "Сохранить реквизиты")
        .scroll_to_me();
    h.run_ok();
    click_button(&mut h, "Сохранить реквизиты");
    assert!(
        h.state()
            .last_message()
            .contains("Реквизиты партнёра сохранены"),
        "{}",
        h.state().last_message()
    );
    let alfa = t.open().read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let r = t.open().read().partner_requisites(alfa).unwrap();
    assert_eq!(
        (r.bik.as_str(), r.account.as_str(), r.contract_no.as_str()),
        (BIK, ACCOUNT, "П-15")
    );
    assert_eq!(
        r.vat.map(partner_desk::domain::Vat::code).as_deref(),
        Some("20")
    );
}

#[test]
fn gui_the_reconciliation_is_written_for_the_period_chosen_beside_its_button() {
    use partner_desk::ui::dialogs::Picked;
    let t = TempDb::new();
    march_issued(&t);
    let (year, quarter) = (t.dir.path().join("year.pdf"), t.dir.path().join("q1.xlsx"));
    let answers = vec![Picked::Path(year.clone()), Picked::Path(quarter.clone())];
    let mut h = harness(&t, Lang::Ru, answers);
    click(&mut h, "Выплаты");
    click(&mut h, "оплаты…");
    // This year to today, as opened: the statement issued on 1 April is owed.
    click_button(&mut h, "Сохранить акт сверки…");
    let said = h.state().last_message();
    assert!(said.contains("сальдо на конец 500,00"), "{said}");
    assert!(std::fs::read(&year).unwrap().starts_with(b"%PDF"));
    // The first quarter, chosen from the menu: nothing was issued yet.
    click(&mut h, "Период ▾");
    click(&mut h, "Прошлый квартал");
    click_button(&mut h, "Сохранить акт сверки…");
    let said = h.state().last_message();
    assert!(said.contains("сальдо на конец 0,00"), "{said}");
    assert!(std::fs::read(&quarter).unwrap().starts_with(b"PK"));
    // A period that ends before it starts cannot be saved.
    type_into(&mut h, Role::TextInput, "по", "31.12.2024");
    let button = h.get_by_role_and_label(Role::Button, "Сохранить акт сверки…");
    assert!(button.accesskit_node().is_disabled());
}

#[test]
fn gui_payment_orders_written_twice_in_a_row_go_on_numbering_and_take_a_number_typed() {
    use partner_desk::ui::dialogs::Picked;
    let t = TempDb::new();
    march_issued(&t);
    let files: Vec<_> = (1..=3)
        .map(|i| t.dir.path().join(format!("orders-{i}.txt")))
        .collect();
    let answers = files.iter().cloned().map(Picked::Path).collect();
    let mut h = harness(&t, Lang::Ru, answers);
    click(&mut h, "Выплаты");
    h.get_by_role_and_label(Role::CheckBox, "2025-0001").click();
    h.run_ok();
    for expected in ["(№ 1)", "(№ 2)"] {
        click_button(&mut h, "Платёжные поручения…");
        let said = h.state().last_message();
        assert!(said.contains(&format!("поручений 1 {expected}")), "{said}");
    }
    type_into(&mut h, Role::TextInput, "с №", "70");
    click_button(&mut h, "Платёжные поручения…");
    let said = h.state().last_message();
    assert!(said.contains("поручений 1 (№ 70)"), "{said}");
    let third = std::fs::read(&files[2]).unwrap();
    assert!(
        third.windows(9).any(|w| w == b"\xcd\xee\xec\xe5\xf0=70\r"),
        "Номер=70 in Windows-1251"
    );
}

/// Альфа with a 5 000 ₽ developer-services sale on 15 March (500 ₽ of premium), and
/// March's statement issued on 1 April: 2025-0001, unpaid.
fn march_issued(t: &TempDb) {
    use crate::store::payments::alfa_with_sales;
    use partner_desk::domain::LicenseKind;
    let (mut s, alfa) = alfa_with_sales(t, 0);
    let march = sale(alfa, "2025-03-15", C2, LicenseKind::DevServices, "5000");
    s.write(|tx| tx.record_sale(&march)).unwrap();
    partner_desk::statements::issue(
        &mut s,
        alfa,
        d("2025-03-01"),
        d("2025-03-31"),
        d("2025-04-01"),
    )
    .unwrap();
}
