//! The egui pages and the widgets they share. Page functions (`*_ui`) take the data they
//! show by reference and return the [`Command`](crate::command::Command) the user asked for;
//! they never touch the database.

pub mod chart;
pub mod client;
mod client_field;
mod dates;
pub mod dialogs;
pub mod import_wizard;
pub mod overview;
pub mod partners;
pub mod payments;
pub mod pins;
pub mod rates;
pub mod requisites;
pub mod sales;
pub mod search;
pub mod statements;
mod tables;
pub mod welcome;

pub use client_field::KnownClient;
pub use dates::{Period, date_row, period_fields, period_filter, select_all};
pub use tables::{
    COPY_ROWS, Cell, Col, Records, RowView, Table, TableOut, list_menu, list_menu_items,
    shown_columns, shown_list, take_notice,
};

use std::sync::Arc;

use chrono::NaiveDate;
use egui::{Color32, Response, RichText, Ui};

use crate::command::PageCtx;
use crate::domain::lang::{Lang, Localized};
use crate::domain::{self, Money, PartnerId};
use crate::store::{PartnerRow, Right, Rights};

pub use crate::command::Page;

/// The width a record's side panel opens at, the same on every page (the user drags it;
/// the table beside it keeps its columns and scrolls sideways).
pub const SIDE_PANEL: f32 = 390.0;

/// Registers the bundled DejaVu Sans (Cyrillic and ₽) ahead of egui's own fonts.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".into(),
        Arc::new(egui::FontData::from_static(include_bytes!(
            "../../assets/fonts/DejaVuSans.ttf"
        ))),
    );
    for (family, first) in [
        (egui::FontFamily::Proportional, true),
        (egui::FontFamily::Monospace, false),
    ] {
        let list = fonts.families.entry(family).or_default();
        if first {
            list.insert(0, "dejavu".into());
        } else {
            list.push("dejavu".into());
        }
    }
    ctx.set_fonts(fonts);
}

/// The colour of error text in either theme.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// The colour of warnings in either theme.
pub fn warn_color(ui: &Ui) -> Color32 {
    ui.visuals().warn_fg_color
}

/// A form row in a two-column grid: the label, then the text field with its error (if
/// any) under it. The field is named by its label for screen readers and tests.
pub fn text_row(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    error: Option<&str>,
) -> Response {
    field_row(ui, label, error, |ui, label| {
        ui.add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(240.0),
        )
        .labelled_by(label)
    })
}

/// A form row: the label, then what `field` adds (named by the label), with the error under
/// it; Enter in the field submits the form.
fn field_row(
    ui: &mut Ui,
    label: &str,
    error: Option<&str>,
    field: impl FnOnce(&mut Ui, egui::Id) -> Response,
) -> Response {
    let label = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let r = field(ui, label.id);
            if let Some(error) = error {
                ui.label(RichText::new(error).color(error_color(ui)).small());
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                ui.data_mut(|d| d.insert_temp(submitted_id(), true));
            }
            r
        })
        .inner;
    ui.end_row();
    response
}

fn submitted_id() -> egui::Id {
    egui::Id::unique("partner-desk-form-submitted")
}

/// True once per Enter pressed in a form's text field this frame (not in a search box or
/// another window's field). The App clears it at the start of every frame.
pub fn take_submitted(ui: &Ui) -> bool {
    ui.data_mut(|d| d.remove_temp::<bool>(submitted_id()))
        .unwrap_or(false)
}

/// What the buttons under a form were asked to do this frame.
pub struct FormButtons {
    /// The action was clicked, or Enter pressed in a field, while the form was ready.
    pub submitted: bool,
    pub cancelled: bool,
}

/// The buttons under a side panel's form: the action, enabled while the form is `ready`
/// (Enter in one of its fields does it too), and «Отмена» (Esc).
pub fn form_buttons(
    ui: &mut Ui,
    action: &str,
    ready: bool,
    ctx: &PageCtx,
    right: Right,
) -> FormButtons {
    let (lang, ready) = (ctx.lang, ready && ctx.may(right));
    ui.horizontal(|ui| {
        let enter = take_submitted(ui);
        let clicked = change_button(ui, ctx, right, ready, egui::Button::new(action)).clicked();
        let cancelled = ui
            .button(lang.pick("Отмена", "Cancel"))
            .on_hover_text("Esc")
            .clicked();
        FormButtons {
            submitted: ready && (clicked || enter),
            cancelled,
        }
    })
    .inner
}

/// A button that changes the data: enabled when it is `ready` and the login may make the
/// change (`right`); when the login may not, the button is disabled and says why on hover.
pub fn change_button(
    ui: &mut Ui,
    ctx: &PageCtx,
    right: Right,
    ready: bool,
    button: impl egui::Widget,
) -> Response {
    rights_button(ui, (ctx.rights, ctx.lang), right, ready, button)
}

/// [`change_button`] where there is no page context (menus, the welcome page): the login's
/// rights and the language.
pub fn rights_button(
    ui: &mut Ui,
    (rights, lang): (Rights, Lang),
    right: Right,
    ready: bool,
    button: impl egui::Widget,
) -> Response {
    let may = rights.allows(right);
    let response = ui.add_enabled(ready && may, button);
    if may {
        response
    } else {
        response.on_disabled_hover_text(right.refusal(lang))
    }
}

/// ` · записал anna`: who recorded an event, as a history line ends; nothing for what was
/// recorded before the program kept it.
pub fn recorded_by(login: &str, lang: Lang) -> String {
    if login.is_empty() {
        String::new()
    } else {
        format!(" · {} {login}", lang.pick("записал", "by"))
    }
}

/// Forgets an Enter no form took.
pub fn clear_submitted(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<bool>(submitted_id()));
}

/// A checkbox row in a two-column grid.
pub fn check_row(ui: &mut Ui, label: &str, value: &mut bool) -> Response {
    ui.label("");
    let r = ui.checkbox(value, label);
    ui.end_row();
    r
}

/// Money for a table cell, right-aligned by the caller's layout.
pub fn money(m: Money, lang: Lang) -> String {
    m.display(lang)
}

pub fn date(d: NaiveDate, lang: Lang) -> String {
    domain::show_date(d, lang)
}

pub use crate::domain::rates::version_label;

/// What is wrong with a form field: said beside it, in the window's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// Not a date.
    Date,
    /// Written as a date, of a day the calendar does not have (30.02.2025).
    NoSuchDay,
    /// Empty where something is needed: what to enter.
    Missing(Needed),
    Inn(domain::InnError),
    /// A text that cannot be stored: too long, or with a control character.
    Text(domain::TextError),
    /// A rate of the rate table that does not read.
    Rate {
        kind: domain::LicenseKind,
        status: domain::Status,
        error: domain::RateError,
    },
}

/// What a form needs and was not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed {
    Name,
    Date,
    CertificateDate,
}

impl Localized for FieldError {
    fn text(&self, lang: Lang) -> String {
        match self {
            FieldError::NoSuchDay => {
                lang.say("такого дня нет в календаре", "the calendar has no such day")
            }
            FieldError::Date => lang.say(
                "нужна дата вида 31.01.2025 или 2025-01-31",
                "write a date as 31.01.2025 or 2025-01-31",
            ),
            FieldError::Missing(Needed::Name) => lang.say("укажите название", "enter the name"),
            FieldError::Missing(Needed::Date) => lang.say("укажите дату", "enter the date"),
            FieldError::Missing(Needed::CertificateDate) => lang.say(
                "укажите дату сертификата специалиста",
                "enter the specialist's certificate date",
            ),
            FieldError::Inn(e) => e.text(lang),
            FieldError::Text(e) => e.text(lang),
            FieldError::Rate {
                kind,
                status,
                error,
            } => format!(
                "{} × {}: {}",
                kind.short_name(lang),
                status.name(lang),
                error.text(lang)
            ),
        }
    }
}

/// What to say beside a free-text field whose text cannot be stored (too long, or with a
/// control character): nothing when it can.
pub fn text_error(field: domain::TextField, text: &str, lang: Lang) -> Option<String> {
    field
        .check(text)
        .err()
        .map(|e| FieldError::Text(e).text(lang))
}

/// [`text_row`] for a free text of `field`, its limit said beside it when passed.
pub fn free_text_row(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    field: domain::TextField,
    lang: Lang,
) -> Response {
    let error = text_error(field, value, lang);
    text_row(ui, label, value, hint, error.as_deref())
}

/// A date field read: empty is None.
pub type DateField = Result<Option<NaiveDate>, FieldError>;

/// What to say beside a date field that must hold a date: nothing when it does.
pub fn date_error(date: &DateField, lang: Lang) -> Option<String> {
    match date {
        Err(e) => Some(e.text(lang)),
        Ok(None) => Some(FieldError::Missing(Needed::Date).text(lang)),
        Ok(Some(_)) => None,
    }
}

/// Reads a date field: empty is None.
pub fn parse_date_field(text: &str) -> DateField {
    if text.trim().is_empty() {
        return Ok(None);
    }
    domain::parse_date(text)
        .map(Some)
        .ok_or(if domain::is_no_such_day(text) {
            FieldError::NoSuchDay
        } else {
            FieldError::Date
        })
}

/// A column header that sorts the table when clicked, showing the direction.
pub fn sort_header<S: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    this: S,
    sort: &mut S,
    descending: &mut bool,
) -> bool {
    let arrow = if *sort == this {
        if *descending { " ▼" } else { " ▲" }
    } else {
        ""
    };
    let clicked = ui
        .add(egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false))
        .clicked();
    if clicked {
        if *sort == this {
            *descending = !*descending;
        } else {
            *sort = this;
            *descending = false;
        }
    }
    clicked
}

/// A searchable choice of partner. `None` is shown as `none_text`.
pub fn partner_combo(
    ui: &mut Ui,
    id_salt: &str,
    label_id: egui::Id,
    partners: &[PartnerRow],
    selected: &mut Option<PartnerId>,
    none_text: &str,
    lang: Lang,
) -> bool {
    let current = selected
        .and_then(|id| partners.iter().find(|p| p.id == id))
        .map_or(none_text.to_owned(), |p| p.name.clone());
    let filter_id = ui.make_persistent_id((id_salt, "filter"));
    let mut filter: String = ui.data_mut(|d| d.get_temp(filter_id).unwrap_or_default());
    let mut changed = false;
    let response = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(current)
        .width(240.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            // Typing filters; Down and Up move through the partners found, Enter takes the
            // one on the cursor (the first found, when the arrows were not used).
            let (up, down, enter) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::Enter),
                )
            });
            let typed = ui
                .add(
                    egui::TextEdit::singleline(&mut filter)
                        .hint_text(lang.pick("поиск по названию или ИНН", "search by name or INN")),
                )
                .accessible_name(lang.pick("Поиск партнёра", "Find partner"));
            typed.request_focus();
            if ui.selectable_label(selected.is_none(), none_text).clicked() {
                *selected = None;
                changed = true;
            }
            let needle = filter.trim().to_lowercase();
            let found: Vec<&PartnerRow> = partners
                .iter()
                .filter(|p| {
                    needle.is_empty()
                        || p.name.to_lowercase().contains(&needle)
                        || p.inn.as_str().contains(&needle)
                })
                .collect();
            let cursor = combo_cursor(ui, filter_id, (up, down), typed.changed(), found.len());
            for (i, p) in found.iter().enumerate() {
                let on = cursor.map_or(*selected == Some(p.id), |c| c == i);
                let r = ui.selectable_label(on, format!("{} · {}", p.name, p.inn));
                if r.clicked() || (enter && on && (cursor.is_some() || !needle.is_empty())) {
                    *selected = Some(p.id);
                    changed = true;
                    ui.close();
                }
            }
        });
    let response_of_box = response.response.labelled_by(label_id);
    // Chosen by the keys, the box keeps the cursor, so that Tab goes on to the next field.
    if changed {
        response_of_box.request_focus();
    }
    // What was typed to find a partner filters the list while it is open only: closed (a
    // partner chosen, or the page left), the next opening lists every partner.
    if response.inner.is_none() || changed {
        filter.clear();
        ui.data_mut(|d| d.remove::<Option<usize>>(filter_id.with("cursor")));
    }
    ui.data_mut(|d| d.insert_temp(filter_id, filter));
    changed
}

/// Where the arrow keys are among a combo box's `found` items (None until they are used or
/// something is typed, then the first): kept under `id` between frames.
pub(crate) fn combo_cursor(
    ui: &mut Ui,
    id: egui::Id,
    (up, down): (bool, bool),
    typed: bool,
    found: usize,
) -> Option<usize> {
    let id = id.with("cursor");
    let mut cursor: Option<usize> = ui.data_mut(|d| d.get_temp(id)).flatten();
    if typed {
        cursor = Some(0);
    }
    if down {
        cursor = Some(cursor.map_or(0, |c| c + 1));
    }
    if up {
        cursor = cursor.map(|c| c.saturating_sub(1));
    }
    let cursor = cursor.filter(|_| found > 0).map(|c| c.min(found - 1));
    ui.data_mut(|d| d.insert_temp(id, cursor));
    cursor
}

/// Ctrl+K: the search through the whole database, from anywhere.
pub const QUICK_SEARCH: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::K);

/// The search box of a page's toolbar; Ctrl+F (`focus`) puts the cursor in it. Its tooltip
/// tells of Ctrl+K, which searches everywhere.
pub fn search_box(ui: &mut Ui, text: &mut String, hint: &str, width: f32, focus: bool, lang: Lang) {
    let everywhere = format!(
        "{} — {}",
        ui.ctx().format_shortcut(&QUICK_SEARCH),
        lang.pick(
            "поиск по всей базе: клиенты, партнёры, документы",
            "search the whole database: clients, partners, documents"
        )
    );
    let search = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(width),
        )
        .on_hover_text(everywhere)
        .accessible_name(lang.pick("Поиск", "Search"));
    if focus {
        search.request_focus();
    }
}

/// A dialog's confirm and cancel buttons; Enter confirms (when `ready`), Esc cancels.
/// Some(true) confirmed, Some(false) cancelled.
pub fn confirm_buttons(ui: &mut Ui, confirm: &str, ready: bool, lang: Lang) -> Option<bool> {
    let mut decision = None;
    ui.horizontal(|ui| {
        if ui.add_enabled(ready, egui::Button::new(confirm)).clicked()
            || (ready && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            decision = Some(true);
        }
        if ui.button(lang.pick("Отмена", "Cancel")).clicked()
            || ui.input(|i| i.key_pressed(egui::Key::Escape))
        {
            decision = Some(false);
        }
    });
    decision
}

/// What a form being edited says when someone else changed what it edits: `said` (what they
/// changed) and `then` (what became of the user's save, if anything); the user takes their
/// version (`Some(true)`) or keeps their own (`Some(false)`).
pub fn changed_meanwhile(ui: &mut Ui, said: &str, then: Option<&str>, lang: Lang) -> Option<bool> {
    let mut choice = None;
    egui::Frame::new()
        .fill(ui.visuals().extreme_bg_color)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.label(RichText::new(said).color(ui.visuals().warn_fg_color));
            if let Some(then) = then {
                ui.label(then);
            }
            ui.horizontal(|ui| {
                if ui.button(lang.pick("Взять новое", "Take theirs")).clicked() {
                    choice = Some(true);
                }
                if ui
                    .button(lang.pick("Оставить моё", "Keep mine"))
                    .on_hover_text(lang.pick(
                        "Сохранение запишет ваши значения поверх изменений коллеги",
                        "Saving writes your values over the colleague's change",
                    ))
                    .clicked()
                {
                    choice = Some(false);
                }
            });
        });
    choice
}

/// A message under a form: green for what will happen, red for what is refused.
pub fn verdict(ui: &mut Ui, ok: bool, text: &str) {
    let color = if ok {
        ui.visuals().hyperlink_color
    } else {
        error_color(ui)
    };
    ui.label(RichText::new(text).color(color));
}

/// A placeholder for an empty table, with what to do about it.
pub fn empty_state(ui: &mut Ui, title: &str, hint: &str) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(title).heading());
        ui.label(hint);
    });
}
