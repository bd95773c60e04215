//! The partner open in the form, changed by a colleague meanwhile: the form says so and
//! the user chooses.

use egui::Ui;

use super::PartnersPage;
use crate::domain::lang::Lang;

/// The partner in the form was changed by someone else since the form was filled: the form
/// is never overwritten behind the user's back; they take the new values or keep theirs.
pub(super) fn changed_meanwhile_ui(
    ui: &mut Ui,
    page: &mut PartnersPage,
    (record, version): (&crate::store::PartnerRecord, u64),
    lang: Lang,
) {
    let now = (record.facts.name.clone(), record.facts.one_c_partner);
    let mine = (page.draft.name.trim().to_owned(), page.draft.one_c_partner);
    let changed = page.base.as_ref().is_some_and(|(name, one_c, at)| {
        version > *at && (name.as_str(), *one_c) != (now.0.as_str(), now.1)
    });
    if !changed || now == mine {
        return;
    }
    let said = format!(
        "{} «{}», {} {}.",
        lang.pick(
            "Пока вы редактировали, партнёра изменили: название",
            "While you were editing, the partner was changed: name",
        ),
        now.0,
        lang.pick("партнёр 1С:", "1C partner:"),
        if now.1 {
            lang.pick("да", "yes")
        } else {
            lang.pick("нет", "no")
        }
    );
    if let Some(take_theirs) = crate::ui::changed_meanwhile(ui, &said, None, lang) {
        if take_theirs {
            page.draft.name = now.0.clone();
            page.draft.one_c_partner = now.1;
        }
        page.base = Some((now.0.clone(), now.1, version));
    }
}
