//! The egui pages and the widgets they share. Page functions (`*_ui`) take the data they
//! show by reference and return the [`Command`](crate::app::Command) the user asked for;
//! they never touch the database.

pub mod chart;
pub mod client;
pub mod dialogs;
pub mod import_wizard;
pub mod overview;
pub mod partners;
pub mod pins;
pub mod rates;
pub mod sales;
pub mod search;
pub mod statements;
pub mod welcome;

use std::sync::Arc;

use chrono::NaiveDate;
use egui::{Color32, Response, RichText, Ui};

use crate::domain::lang::Lang;
use crate::domain::{self, Money, PartnerId};
use crate::store::PartnerRow;

/// The pages of the window, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Page {
    #[default]
    Overview,
    Partners,
    StopList,
    Sales,
    Statements,
    Rates,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Overview,
        Page::Partners,
        Page::StopList,
        Page::Sales,
        Page::Statements,
        Page::Rates,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Page::Overview => lang.pick("Обзор", "Overview"),
            Page::Partners => lang.pick("Партнёры", "Partners"),
            Page::StopList => lang.pick("Стоп-лист", "Stop-list"),
            Page::Sales => lang.pick("Продажи", "Sales"),
            Page::Statements => lang.pick("Ведомости премий", "Premium statements"),
            Page::Rates => lang.pick("Ставки премий", "Rate table"),
        }
    }
}

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
    let label = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
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

/// Reads a date field: empty is None, a bad date is an error message.
pub fn parse_date_field(text: &str, lang: Lang) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    domain::parse_date(text).map(Some).ok_or_else(|| {
        lang.pick(
            "нужна дата вида 31.01.2025 или 2025-01-31",
            "write a date as 31.01.2025 or 2025-01-31",
        )
        .to_owned()
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
            ui.add(
                egui::TextEdit::singleline(&mut filter)
                    .hint_text(lang.pick("поиск по названию или ИНН", "search by name or INN")),
            )
            .accessible_name(lang.pick("Поиск партнёра", "Find partner"))
            .request_focus();
            if ui.selectable_label(selected.is_none(), none_text).clicked() {
                *selected = None;
                changed = true;
            }
            let needle = filter.trim().to_lowercase();
            for p in partners.iter().filter(|p| {
                needle.is_empty()
                    || p.name.to_lowercase().contains(&needle)
                    || p.inn.as_str().contains(&needle)
            }) {
                if ui
                    .selectable_label(*selected == Some(p.id), format!("{} · {}", p.name, p.inn))
                    .clicked()
                {
                    *selected = Some(p.id);
                    changed = true;
                }
            }
        });
    response.response.labelled_by(label_id);
    ui.data_mut(|d| d.insert_temp(filter_id, filter));
    changed
}

/// The search box of a page's toolbar; Ctrl+F (`focus`) puts the cursor in it.
pub fn search_box(ui: &mut Ui, text: &mut String, hint: &str, width: f32, focus: bool, lang: Lang) {
    let search = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(width),
        )
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

/// The rows a list shows, as indices into the data snapshot, kept until the data or the
/// view (search, filters, order) changes: filtering and sorting a whole list is not work to
/// redo every frame.
pub struct RowView<K> {
    key: Option<K>,
    rows: Vec<usize>,
}

impl<K> Default for RowView<K> {
    fn default() -> RowView<K> {
        RowView {
            key: None,
            rows: Vec::new(),
        }
    }
}

impl<K: PartialEq> RowView<K> {
    /// The rows for `key`, computed by `compute` only when the key changed.
    pub fn rows(&mut self, key: K, compute: impl FnOnce() -> Vec<usize>) -> &[usize] {
        if self.key.as_ref() != Some(&key) {
            self.rows = compute();
            self.key = Some(key);
        }
        &self.rows
    }
}

/// A column of a [`table`].
pub struct Col<S> {
    pub title: &'static str,
    /// Width in points; 0 fills what is left.
    pub width: f32,
    /// Right-aligned (numbers, money).
    pub right: bool,
    /// Hidden while a side panel narrows the table.
    pub wide_only: bool,
    /// Clicking the header sorts by this.
    pub sort: Option<S>,
}

impl<S> Col<S> {
    pub fn new(title: &'static str, width: f32) -> Col<S> {
        Col {
            title,
            width,
            right: false,
            wide_only: false,
            sort: None,
        }
    }

    pub fn right(self) -> Col<S> {
        Col {
            right: true,
            ..self
        }
    }

    pub fn wide_only(self) -> Col<S> {
        Col {
            wide_only: true,
            ..self
        }
    }

    pub fn sort(self, key: S) -> Col<S> {
        Col {
            sort: Some(key),
            ..self
        }
    }
}

/// A table with virtual rows (only the visible ones are drawn), sortable headers, row
/// selection by click, and fewer columns when `compact`. `cell` draws the cell of a row
/// (by index) and a column (by its index in `cols`). Returns the row clicked, if any.
#[allow(clippy::too_many_arguments)]
pub fn table<S: PartialEq + Copy>(
    ui: &mut Ui,
    id: &str,
    cols: &[Col<S>],
    compact: bool,
    rows: usize,
    mut sort: Option<(&mut S, &mut bool)>,
    selected: impl Fn(usize) -> bool,
    mut cell: impl FnMut(&mut Ui, usize, usize),
) -> Option<usize> {
    let visible: Vec<usize> = (0..cols.len())
        .filter(|&i| !(compact && cols[i].wide_only))
        .collect();
    // Rows are clicked to select them; labels must not take the click for text selection.
    ui.style_mut().interaction.selectable_labels = false;
    let mut builder = egui_extras::TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for &i in &visible {
        builder = builder.column(if cols[i].width > 0.0 {
            egui_extras::Column::exact(cols[i].width).clip(true)
        } else {
            egui_extras::Column::remainder().at_least(80.0).clip(true)
        });
    }
    let right = egui::Layout::right_to_left(egui::Align::Center);
    let mut clicked = None;
    builder
        .header(24.0, |mut header| {
            for &i in &visible {
                let col = &cols[i];
                header.col(|ui| {
                    let mut draw = |ui: &mut Ui| match (col.sort, sort.as_mut()) {
                        (Some(key), Some((current, descending))) => {
                            _ = sort_header(ui, col.title, key, current, descending);
                        }
                        _ => _ = ui.strong(col.title),
                    };
                    if col.right {
                        ui.with_layout(right, draw);
                    } else {
                        draw(ui);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(22.0, rows, |mut row| {
                let index = row.index();
                row.set_selected(selected(index));
                for &i in &visible {
                    row.col(|ui| {
                        if cols[i].right {
                            ui.with_layout(right, |ui| cell(ui, index, i));
                        } else {
                            cell(ui, index, i);
                        }
                    });
                }
                if row.response().clicked() {
                    clicked = Some(index);
                }
            });
        });
    clicked
}

/// Fills a form's client name from the INN typed, with the name stored for that client
/// (read on the reader), once per INN: a name the user typed or cleared stays as it is.
#[derive(Default)]
pub struct KnownClient {
    read: crate::reader::Loaded<domain::Inn, String>,
    named_for: Option<domain::Inn>,
}

impl KnownClient {
    /// Asks for the stored name of the client whose INN `inn` holds, and puts it in `name`
    /// when it comes and `name` is empty.
    pub fn fill(
        &mut self,
        reader: &crate::reader::Reader,
        store: &crate::store::Store,
        inn: &str,
        name: &mut String,
    ) {
        let Ok(inn) = domain::Inn::parse(inn) else {
            return;
        };
        if self.named_for == Some(inn) {
            return;
        }
        let read = move |db: &crate::store::Db<'_>| db.client_name(&inn);
        let _ = self.read.load(reader, store, &inn, read);
        if self.read.is_for(&inn) {
            self.named_for = Some(inn);
            let stored = self.read.get().cloned().unwrap_or_default();
            if name.trim().is_empty() && !stored.is_empty() {
                *name = stored;
            }
        }
    }

    /// The form was filled from a record: the name of `inn` is not looked for again.
    pub fn filled(&mut self, inn: &str) {
        self.named_for = domain::Inn::parse(inn).ok();
    }
}
