//! The partner open in the form, changed by a colleague meanwhile: the form says so and
//! the user chooses.

use egui::{RichText, Ui};

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
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
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
                ))
                .color(ui.visuals().warn_fg_color),
            );
            ui.horizontal(|ui| {
                if ui.button(lang.pick("Взять новое", "Take theirs")).clicked() {
                    page.draft.name = now.0.clone();
                    page.draft.one_c_partner = now.1;
                    page.base = Some((now.0.clone(), now.1, version));
                }
                if ui
                    .button(lang.pick("Оставить моё", "Keep mine"))
                    .on_hover_text(lang.pick(
                        "Сохранение запишет ваши значения поверх изменений коллеги",
                        "Saving writes your values over the colleague's change",
                    ))
                    .clicked()
                {
                    page.base = Some((now.0.clone(), now.1, version));
                }
            });
        });
}
