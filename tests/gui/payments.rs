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
