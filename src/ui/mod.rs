//! The egui pages and the widgets they share. Page functions (`*_ui`) take the data they
//! show by reference and return the [`Command`](crate::command::Command) the user asked for;
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
use crate::export::list::{List, Value, tab_separated};
use crate::export::{self, ListFormat};
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

/// Forgets an Enter no form took.
pub fn clear_submitted(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<bool>(submitted_id()));
}

/// A date form row in a two-column grid: the text field (31.01.2025 or 2025-01-31) with
/// a calendar button beside it, and its error (if any) under it.
pub fn date_row(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
    today: NaiveDate,
    lang: Lang,
) -> Response {
    field_row(ui, label, error, |ui, label| {
        ui.horizontal(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(lang.pick("дд.мм.гггг", "dd.mm.yyyy"))
                        .desired_width(204.0),
                )
                .labelled_by(label);
            calendar_button(ui, value, today, lang);
            r
        })
        .inner
    })
}

/// A ▦ button that opens a month's calendar; the day clicked goes into `value` as the
/// interface writes dates. True when a day was picked.
pub fn calendar_button(ui: &mut Ui, value: &mut String, today: NaiveDate, lang: Lang) -> bool {
    use chrono::{Datelike, Months};
    let button = ui
        .button("▦")
        .on_hover_text(lang.pick("Выбрать в календаре", "Pick from the calendar"));
    let month_id = button.id.with("month");
    if button.clicked() {
        // The calendar opens on the month of the date in the field, else this month.
        let shown = parse_date_field(value, lang)
            .ok()
            .flatten()
            .unwrap_or(today);
        ui.data_mut(|d| d.insert_temp(month_id, shown.with_day(1).unwrap_or(shown)));
    }
    let mut picked = false;
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let mut month: NaiveDate = ui.data_mut(|d| {
                d.get_temp(month_id)
                    .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
            });
            let chosen = parse_date_field(value, lang).ok().flatten();
            ui.horizontal(|ui| {
                if ui
                    .button("◀")
                    .on_hover_text(lang.pick("Предыдущий месяц", "Previous month"))
                    .clicked()
                {
                    month = month.checked_sub_months(Months::new(1)).unwrap_or(month);
                }
                ui.label(RichText::new(month_title(month, lang)).strong());
                if ui
                    .button("▶")
                    .on_hover_text(lang.pick("Следующий месяц", "Next month"))
                    .clicked()
                {
                    month = month.checked_add_months(Months::new(1)).unwrap_or(month);
                }
            });
            let weekdays = lang.pick("Пн Вт Ср Чт Пт Сб Вс", "Mo Tu We Th Fr Sa Su");
            egui::Grid::new(month_id.with("grid"))
                .spacing([2.0, 2.0])
                .min_col_width(28.0)
                .show(ui, |ui| {
                    for day in weekdays.split(' ') {
                        ui.label(RichText::new(day).weak());
                    }
                    ui.end_row();
                    let lead = month.weekday().num_days_from_monday();
                    for _ in 0..lead {
                        ui.label("");
                    }
                    let mut day = month;
                    let mut column = lead;
                    while day.month() == month.month() {
                        let mut text = RichText::new(day.day().to_string());
                        if day == today {
                            text = text.strong().underline();
                        }
                        if ui
                            .add(
                                egui::Button::selectable(chosen == Some(day), text)
                                    .min_size(egui::vec2(28.0, 22.0)),
                            )
                            .clicked()
                        {
                            *value = date(day, lang);
                            picked = true;
                        }
                        column += 1;
                        if column == 7 {
                            ui.end_row();
                            column = 0;
                        }
                        day = match day.succ_opt() {
                            Some(next) => next,
                            None => break,
                        };
                    }
                });
            if ui.button(lang.pick("Сегодня", "Today")).clicked() {
                *value = date(today, lang);
                picked = true;
            }
            ui.data_mut(|d| d.insert_temp(month_id, month));
            if picked {
                ui.close();
            }
        });
    picked
}

/// «Январь 2025» / «January 2025».
fn month_title(month: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const RU: [&str; 12] = [
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match lang {
        Lang::Ru => RU,
        Lang::En => EN,
    };
    format!("{} {}", names[month.month0() as usize], month.year())
}

/// A period chosen in one click: this or last month, quarter, year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Period {
    ThisMonth,
    #[default]
    LastMonth,
    ThisQuarter,
    LastQuarter,
    ThisYear,
    Custom,
}

impl Period {
    pub const ALL: [Period; 6] = [
        Period::ThisMonth,
        Period::LastMonth,
        Period::ThisQuarter,
        Period::LastQuarter,
        Period::ThisYear,
        Period::Custom,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Period::ThisMonth => lang.pick("Этот месяц", "This month"),
            Period::LastMonth => lang.pick("Прошлый месяц", "Last month"),
            Period::ThisQuarter => lang.pick("Этот квартал", "This quarter"),
            Period::LastQuarter => lang.pick("Прошлый квартал", "Last quarter"),
            Period::ThisYear => lang.pick("Этот год", "This year"),
            Period::Custom => lang.pick("Другой период", "Custom"),
        }
    }

    /// The first and last day of the period around `today`; None for Custom.
    pub fn bounds(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        use chrono::{Datelike, Months};
        let month_start = today.with_day(1)?;
        let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?;
        let span = |start: NaiveDate, months: u32| {
            Some((
                start,
                start.checked_add_months(Months::new(months))?.pred_opt()?,
            ))
        };
        match self {
            Period::ThisMonth => span(month_start, 1),
            Period::LastMonth => span(month_start.checked_sub_months(Months::new(1))?, 1),
            Period::ThisQuarter => span(quarter_start, 3),
            Period::LastQuarter => span(quarter_start.checked_sub_months(Months::new(3))?, 3),
            Period::ThisYear => span(NaiveDate::from_ymd_opt(today.year(), 1, 1)?, 12),
            Period::Custom => None,
        }
    }
}

/// A filter's period fields, «с … по …» with a calendar each, and a «Период ▾» menu of the
/// Statements page's presets (and «весь период», which clears both).
pub fn period_filter(
    ui: &mut Ui,
    from: &mut String,
    to: &mut String,
    today: NaiveDate,
    lang: Lang,
) {
    ui.menu_button(lang.pick("Период ▾", "Period ▾"), |ui| {
        for p in Period::ALL {
            if let Some((start, end)) = p.bounds(today)
                && ui.button(p.name(lang)).clicked()
            {
                *from = date(start, lang);
                *to = date(end, lang);
                ui.close();
            }
        }
        ui.separator();
        if ui.button(lang.pick("Весь период", "All time")).clicked() {
            from.clear();
            to.clear();
            ui.close();
        }
    });
    for (text, name) in [(from, lang.pick("с", "from")), (to, lang.pick("по", "to"))] {
        let label = ui.label(name);
        let r = ui
            .add(
                egui::TextEdit::singleline(text)
                    .hint_text(lang.pick("дд.мм.гггг", "dd.mm.yyyy"))
                    .desired_width(90.0),
            )
            .labelled_by(label.id);
        if let Err(e) = parse_date_field(text, lang) {
            r.on_hover_text(e);
        }
        calendar_button(ui, text, today, lang);
    }
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
    /// Width in points at first (the user resizes it; the table remembers); 0 fills what
    /// is left.
    pub width: f32,
    /// Right-aligned (numbers, money).
    pub right: bool,
    /// Clicking the header sorts by this.
    pub sort: Option<S>,
}

impl<S> Col<S> {
    pub fn new(title: &'static str, width: f32) -> Col<S> {
        Col {
            title,
            width,
            right: false,
            sort: None,
        }
    }

    pub fn right(self) -> Col<S> {
        Col {
            right: true,
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

/// What a table's cell shows: a value (drawn, copied and exported the same), with a
/// tooltip and a warning colour where the page wants them.
pub struct Cell {
    pub value: Value,
    pub tip: Option<String>,
    pub warn: bool,
    /// The row is still being read: drawn as «…», not copied.
    pub pending: bool,
}

impl Cell {
    pub fn tip(self, tip: impl Into<String>) -> Cell {
        Cell {
            tip: Some(tip.into()),
            ..self
        }
    }

    pub fn warn(self) -> Cell {
        Cell { warn: true, ..self }
    }

    pub fn pending() -> Cell {
        Cell {
            pending: true,
            ..Cell::from(Value::text("…"))
        }
    }
}

impl From<Value> for Cell {
    fn from(value: Value) -> Cell {
        Cell {
            value,
            tip: None,
            warn: false,
            pending: false,
        }
    }
}

/// What the user did with a table this frame.
#[derive(Default)]
pub struct TableOut {
    /// The row opened (clicked, or Enter on the highlighted row).
    pub opened: Option<usize>,
    /// The user asked to take the list out of the program.
    pub export: Option<ListFormat>,
}

/// The rows highlighted in a table, kept while the list shows the same view.
#[derive(Clone, Default)]
struct Selection {
    view: u64,
    rows: std::collections::BTreeSet<usize>,
    anchor: Option<usize>,
    cursor: Option<usize>,
    /// Scroll to the cursor on the next frame (moved by keys).
    scroll: bool,
}

impl Selection {
    fn only(&mut self, row: usize) {
        self.rows.clear();
        self.rows.insert(row);
        self.anchor = Some(row);
        self.cursor = Some(row);
    }

    fn extend_to(&mut self, row: usize) {
        let anchor = self.anchor.unwrap_or(row);
        self.rows = (anchor.min(row)..=anchor.max(row)).collect();
        self.cursor = Some(row);
    }

    fn toggle(&mut self, row: usize) {
        if !self.rows.remove(&row) {
            self.rows.insert(row);
        }
        self.anchor = Some(row);
        self.cursor = Some(row);
    }
}

/// At most this many rows are copied at once; more go to Excel.
pub const COPY_ROWS: usize = 10_000;

const ROW_H: f32 = 22.0;

fn notice_id() -> egui::Id {
    egui::Id::unique("partner-desk-table-notice")
}

/// What a table has to say (rows copied, or why not), once; the window shows it.
pub fn take_notice(ctx: &egui::Context) -> Option<String> {
    ctx.data_mut(|d| d.remove_temp::<String>(notice_id()))
}

fn hidden_id(id: &str) -> egui::Id {
    egui::Id::unique(("partner-desk-hidden-columns", id))
}

/// The columns of table `id` the user has not hidden, as indices into `cols`.
pub fn shown_columns<S>(ctx: &egui::Context, id: &str, cols: &[Col<S>]) -> Vec<usize> {
    let hidden: Vec<usize> = ctx.data_mut(|d| d.get_persisted(hidden_id(id)).unwrap_or_default());
    let shown: Vec<usize> = (0..cols.len()).filter(|i| !hidden.contains(i)).collect();
    if shown.is_empty() {
        (0..cols.len()).collect()
    } else {
        shown
    }
}

/// The list table `id` shows, to export: every row of the view (not only those on
/// screen), in its order, with the columns shown.
pub fn shown_list<S>(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    cols: &[Col<S>],
    rows: usize,
    mut cell: impl FnMut(usize, usize) -> Cell,
    today: NaiveDate,
) -> List {
    let shown = shown_columns(ctx, id, cols);
    List {
        title: title.to_owned(),
        made_on: today,
        columns: shown
            .iter()
            .map(|&c| export::list::Column {
                title: cols[c].title.to_owned(),
                width: if cols[c].width > 0.0 {
                    f64::from(cols[c].width / 7.0)
                } else {
                    36.0
                },
            })
            .collect(),
        rows: (0..rows)
            .map(|r| shown.iter().map(|&c| cell(r, c).value).collect())
            .collect(),
    }
}

/// A menu of what can be done with a list: export it to Excel or print it.
pub fn list_menu_items(ui: &mut Ui, lang: Lang) -> Option<ListFormat> {
    let mut format = None;
    if ui
        .button(lang.pick("Экспорт в Excel…", "Export to Excel…"))
        .on_hover_text(lang.pick(
            "Строки списка как он отфильтрован и отсортирован, с показанными столбцами: даты, суммы и ставки — числами",
            "The list's rows as filtered and sorted, with the columns shown: dates, amounts and rates as numbers",
        ))
        .clicked()
    {
        format = Some(ListFormat::Xlsx);
    }
    if ui
        .button(lang.pick("Печать / PDF…", "Print / PDF…"))
        .on_hover_text(lang.pick(
            "Список в PDF, чтобы напечатать или отправить",
            "The list as a PDF, to print or send",
        ))
        .clicked()
    {
        format = Some(ListFormat::Pdf);
    }
    format
}

/// A toolbar button «Список ▾» with [`list_menu_items`].
pub fn list_menu(ui: &mut Ui, lang: Lang) -> Option<ListFormat> {
    let mut format = None;
    ui.menu_button(lang.pick("Список ▾", "List ▾"), |ui| {
        format = list_menu_items(ui, lang);
    });
    format
}

/// A table with virtual rows (only the visible ones are drawn) that keeps every column
/// (it scrolls sideways when narrow): columns resized by dragging (double-click fits),
/// hidden from the header's menu, both remembered; sortable headers; rows highlighted by
/// click, Ctrl+click, Shift+click, the arrow keys, Home, End, PgUp, PgDn and Ctrl+A;
/// Enter or a click opens a row; Ctrl+C copies the highlighted rows as tab-separated text.
/// `view` names what the list shows: the highlight is forgotten when it changes. `cell`
/// gives a row's (by index) value in a column (by its index in `cols`).
#[allow(clippy::too_many_arguments)]
pub fn table<S: PartialEq + Copy>(
    ui: &mut Ui,
    id: &str,
    cols: &[Col<S>],
    rows: usize,
    view: impl std::hash::Hash,
    mut sort: Option<(&mut S, &mut bool)>,
    opened: impl Fn(usize) -> bool,
    mut cell: impl FnMut(usize, usize) -> Cell,
    lang: Lang,
) -> TableOut {
    let ctx = ui.ctx().clone();
    let view = {
        use std::hash::Hasher;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        view.hash(&mut hasher);
        hasher.finish()
    };
    let state_id = egui::Id::unique(("partner-desk-table", id));
    let mut sel: Selection = ctx.data_mut(|d| d.get_temp(state_id).unwrap_or_default());
    if sel.view != view {
        sel = Selection {
            view,
            ..Selection::default()
        };
    }
    sel.rows.retain(|&r| r < rows);
    let shown = shown_columns(&ctx, id, cols);
    let mut out = TableOut::default();

    // The keys go to the table last clicked or pointed at; when that one is not on screen
    // any more, to the first table drawn.
    let active_id = egui::Id::unique("partner-desk-active-table");
    let frame = ctx.cumulative_frame_nr();
    let (active, seen): (egui::Id, u64) =
        ctx.data_mut(|d| d.get_temp(active_id).unwrap_or((egui::Id::NULL, 0)));
    let keys = rows > 0
        && (active == state_id || seen + 1 < frame)
        && !ctx.text_edit_focused()
        && !egui::Popup::is_any_open(&ctx)
        && ctx.memory(|m| m.top_modal_layer().is_none());
    if active == state_id || seen + 1 < frame {
        ctx.data_mut(|d| d.insert_temp(active_id, (state_id, frame)));
    }
    let visible_rows = ((ui.available_height() - 30.0) / ROW_H).max(1.0) as usize;
    let mut copy = false;
    if keys {
        use egui::{Key, Modifiers};
        let (up, down, home, end, pg_up, pg_down, enter, all, copy_key, shift) =
            ui.input_mut(|i| {
                let shift = i.modifiers.shift;
                let pressed = |i: &mut egui::InputState, key| {
                    i.consume_key(Modifiers::NONE, key) || i.consume_key(Modifiers::SHIFT, key)
                };
                (
                    pressed(i, Key::ArrowUp),
                    pressed(i, Key::ArrowDown),
                    pressed(i, Key::Home),
                    pressed(i, Key::End),
                    pressed(i, Key::PageUp),
                    pressed(i, Key::PageDown),
                    i.key_pressed(Key::Enter),
                    i.consume_key(Modifiers::COMMAND, Key::A),
                    i.consume_key(Modifiers::COMMAND, Key::C)
                        || i.events.iter().any(|e| matches!(e, egui::Event::Copy)),
                    shift,
                )
            });
        let last = rows - 1;
        let at = sel.cursor.unwrap_or(0);
        let target = if up {
            Some(at.saturating_sub(1))
        } else if down {
            Some(if sel.cursor.is_none() {
                0
            } else {
                (at + 1).min(last)
            })
        } else if home {
            Some(0)
        } else if end {
            Some(last)
        } else if pg_up {
            Some(at.saturating_sub(visible_rows))
        } else if pg_down {
            Some((at + visible_rows).min(last))
        } else {
            None
        };
        if let Some(row) = target {
            if shift {
                sel.extend_to(row);
            } else {
                sel.only(row);
            }
            sel.scroll = true;
        }
        if all {
            sel.rows = (0..rows).collect();
        }
        if enter && let Some(row) = sel.cursor {
            out.opened = Some(row);
        }
        copy = copy_key;
    }

    // Rows are clicked to select them; labels must not take the click for text selection.
    ui.style_mut().interaction.selectable_labels = false;
    let right = egui::Layout::right_to_left(egui::Align::Center);
    let mut clicked = None;
    let mut hide: Option<(usize, bool)> = None;
    let mut menu_copy = false;
    let mut menu_all = false;
    let scroll_to = sel.scroll.then_some(sel.cursor).flatten();
    sel.scroll = false;
    let hovered = egui::ScrollArea::horizontal()
        .id_salt((id, "sideways"))
        .show(ui, |ui| {
            let mut builder = egui_extras::TableBuilder::new(ui)
                .id_salt(id)
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::CLICK)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
            if let Some(row) = scroll_to {
                builder = builder.scroll_to_row(row, None);
            }
            for &i in &shown {
                builder = builder.column(if cols[i].width > 0.0 {
                    egui_extras::Column::initial(cols[i].width)
                        .at_least(30.0)
                        .clip(true)
                } else {
                    // The filling column gives way when a side panel opens.
                    egui_extras::Column::remainder()
                        .at_least(120.0)
                        .clip(true)
                        .resizable(false)
                });
            }
            let columns_menu = |ui: &mut Ui, hide: &mut Option<(usize, bool)>| {
                ui.menu_button(lang.pick("Столбцы", "Columns"), |ui| {
                    for (i, col) in cols.iter().enumerate() {
                        let mut on = shown.contains(&i);
                        if ui.checkbox(&mut on, col.title).changed() {
                            *hide = Some((i, !on));
                        }
                    }
                });
            };
            let mut hovered = false;
            builder
                .header(24.0, |mut header| {
                    for &i in &shown {
                        let col = &cols[i];
                        let (_, response) = header.col(|ui| {
                            let mut draw = |ui: &mut Ui| match (col.sort, sort.as_mut()) {
                                (Some(key), Some((current, descending))) => {
                                    _ = sort_header(ui, col.title, key, current, descending);
                                }
                                _ => {
                                    _ = ui.add(
                                        egui::Label::new(RichText::new(col.title).strong())
                                            .truncate(),
                                    )
                                }
                            };
                            if col.right {
                                ui.with_layout(right, draw);
                            } else {
                                draw(ui);
                            }
                        });
                        response.context_menu(|ui| columns_menu(ui, &mut hide));
                    }
                })
                .body(|body| {
                    body.rows(ROW_H, rows, |mut row| {
                        let index = row.index();
                        row.set_selected(sel.rows.contains(&index) || opened(index));
                        for &i in &shown {
                            row.col(|ui| {
                                let c = cell(index, i);
                                if cols[i].right {
                                    ui.with_layout(right, |ui| cell_ui(ui, &c, lang));
                                } else {
                                    cell_ui(ui, &c, lang);
                                }
                            });
                        }
                        let response = row.response();
                        hovered |= response.hovered();
                        if response.clicked() {
                            clicked = Some((index, ui_modifiers(&response)));
                        }
                        if response.secondary_clicked() && !sel.rows.contains(&index) {
                            sel.only(index);
                        }
                        response.context_menu(|ui| {
                            if ui
                                .button(format!(
                                    "{} ({})",
                                    lang.pick("Копировать строки", "Copy rows"),
                                    ui.ctx().format_shortcut(&COPY)
                                ))
                                .clicked()
                            {
                                menu_copy = true;
                            }
                            if ui
                                .button(format!(
                                    "{} ({})",
                                    lang.pick("Выделить все", "Select all"),
                                    ui.ctx().format_shortcut(&SELECT_ALL)
                                ))
                                .clicked()
                            {
                                menu_all = true;
                            }
                            ui.separator();
                            if let Some(format) = list_menu_items(ui, lang) {
                                out.export = Some(format);
                            }
                            ui.separator();
                            columns_menu(ui, &mut hide);
                        });
                    });
                });
            hovered
        })
        .inner;
    if let Some((index, modifiers)) = clicked {
        if modifiers.command {
            sel.toggle(index);
        } else if modifiers.shift {
            sel.extend_to(index);
        } else {
            sel.only(index);
            out.opened = Some(index);
        }
    }
    if clicked.is_some() || hovered {
        ctx.data_mut(|d| d.insert_temp(active_id, (state_id, frame)));
    }
    if menu_all {
        sel.rows = (0..rows).collect();
    }
    if copy || menu_copy {
        let notice = copy_rows(&ctx, &sel, &shown, &mut cell, lang);
        ctx.data_mut(|d| d.insert_temp(notice_id(), notice));
        ctx.request_repaint();
    }
    if let Some((column, hidden)) = hide {
        ctx.data_mut(|d| {
            let list: &mut Vec<usize> = d.get_persisted_mut_or_default(hidden_id(id));
            list.retain(|&c| c != column);
            // The last column shown stays.
            if hidden && list.len() + 1 < cols.len() {
                list.push(column);
            }
        });
    }
    ctx.data_mut(|d| d.insert_temp(state_id, sel));
    out
}

/// Ctrl+C, as the table's menu shows it.
const COPY: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::C);
const SELECT_ALL: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::A);

fn ui_modifiers(response: &Response) -> egui::Modifiers {
    response.ctx.input(|i| i.modifiers)
}

/// Puts the highlighted rows on the clipboard; says what was done.
fn copy_rows(
    ctx: &egui::Context,
    sel: &Selection,
    shown: &[usize],
    cell: &mut impl FnMut(usize, usize) -> Cell,
    lang: Lang,
) -> String {
    if sel.rows.is_empty() {
        return lang
            .pick(
                "Нечего копировать: выделите строки (щелчок, Shift+щелчок, Ctrl+A).",
                "Nothing to copy: highlight rows (click, Shift+click, Ctrl+A).",
            )
            .to_owned();
    }
    if sel.rows.len() > COPY_ROWS {
        return format!(
            "{} {}; {}",
            lang.pick("Выделено строк:", "Rows highlighted:"),
            sel.rows.len(),
            lang.pick(
                "копируется не больше 10 000 — выгрузите список через «Экспорт в Excel…»",
                "at most 10,000 are copied — export the list with «Export to Excel…»"
            )
        );
    }
    let mut lines: Vec<Vec<Value>> = Vec::with_capacity(sel.rows.len());
    for &row in &sel.rows {
        let cells: Vec<Cell> = shown.iter().map(|&c| cell(row, c)).collect();
        if cells.iter().any(|c| c.pending) {
            return lang
                .pick(
                    "Строки ещё читаются из базы — нажмите Ctrl+C ещё раз через секунду.",
                    "The rows are still being read — press Ctrl+C again in a second.",
                )
                .to_owned();
        }
        lines.push(cells.into_iter().map(|c| c.value).collect());
    }
    ctx.copy_text(tab_separated(lines.iter().map(Vec::as_slice), lang));
    format!(
        "{} {}",
        lang.pick("Скопировано строк:", "Rows copied:"),
        lines.len()
    )
}

/// A cell's text, cut to its column with one tooltip: the whole text when it is cut, and
/// the page's tip.
fn cell_ui(ui: &mut Ui, cell: &Cell, lang: Lang) {
    let text = cell.value.display(lang);
    let mut rich = RichText::new(&text);
    if matches!(cell.value, Value::Code(_)) {
        rich = rich.monospace();
    }
    if cell.warn {
        rich = rich.color(warn_color(ui));
    }
    let room = ui.available_width();
    let galley = egui::WidgetText::from(rich.clone()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let cut = galley.size().x > room + 0.5;
    let response = ui.add(
        egui::Label::new(rich)
            .truncate()
            .show_tooltip_when_elided(false),
    );
    let tip = match (&cell.tip, cut) {
        (Some(tip), true) if *tip != text => Some(format!("{text}\n{tip}")),
        (Some(tip), _) => Some(tip.clone()),
        (None, true) => Some(text),
        (None, false) => None,
    };
    if let Some(tip) = tip {
        response.on_hover_text(tip);
    }
}

/// A form's client: the INN field offers stored clients as the user types an INN or a
/// name (each with who holds its pin and until when), and a stored client's INN fills the
/// name, once per INN: a name the user typed or cleared stays as it is. Both are read on
/// the reader.
#[derive(Default)]
pub struct KnownClient {
    read: crate::reader::Loaded<domain::Inn, String>,
    named_for: Option<domain::Inn>,
    /// What the INN field holds, to find clients for.
    typed: String,
    found: crate::reader::Loaded<String, Vec<(domain::Inn, String)>>,
}

/// How many stored clients the INN field offers.
const CLIENT_HITS: usize = 8;

impl KnownClient {
    /// Asks for the stored name of the client whose INN `inn` holds, and puts it in `name`
    /// when it comes and `name` is empty; asks for the clients the field's text finds.
    pub fn fill(
        &mut self,
        reader: &crate::reader::Reader,
        store: &crate::store::Store,
        inn: &str,
        name: &mut String,
    ) {
        let needle = self.typed.trim().to_owned();
        if needle.chars().count() >= 2 {
            let key = needle.clone();
            let read = move |db: &crate::store::Db<'_>| db.find_clients(&needle, CLIENT_HITS);
            let _ = self.found.load(reader, store, &key, read);
        }
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

    /// The client INN row of a form grid. While the field has the cursor, stored clients
    /// whose INN starts with the text or whose name holds it are offered under it (over the
    /// form, which does not move); clicking one puts its INN and name in the form.
    #[allow(clippy::too_many_arguments)]
    pub fn inn_row(
        &mut self,
        ui: &mut Ui,
        inn: &mut String,
        name: &mut String,
        error: Option<&str>,
        pins: &[crate::store::PinRow],
        today: NaiveDate,
        lang: Lang,
    ) -> Response {
        // The error line is always there (empty when the INN reads), so the fields under it
        // do not move while an INN is typed.
        let response = text_row(
            ui,
            lang.pick("ИНН клиента", "Client INN"),
            inn,
            lang.pick("ИНН или название клиента", "client's INN or name"),
            Some(error.unwrap_or("")),
        );
        self.typed = inn.clone();
        let popup_id = response.id.with("clients");
        let was_open: bool = ui.data_mut(|d| d.get_temp(popup_id).unwrap_or(false));
        let needle = inn.trim().to_owned();
        let hits: Vec<(domain::Inn, String)> = match self.found.get() {
            Some(hits) if self.found.is_for(&needle) => hits
                .iter()
                .filter(|(found, _)| found.as_str() != needle)
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        let mut open = false;
        if !hits.is_empty() && (response.has_focus() || was_open) {
            let area = egui::Area::new(popup_id)
                .order(egui::Order::Foreground)
                .fixed_pos(response.rect.left_bottom() + egui::vec2(0.0, 2.0))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_width(380.0);
                        for (found, found_name) in &hits {
                            let holder = pins
                                .iter()
                                .find(|r| r.client_inn == *found && r.pin.in_force_on(today))
                                .map(|r| {
                                    format!(
                                        "{} {} {} {}",
                                        lang.pick("закреплён за", "pinned to"),
                                        r.partner_name,
                                        lang.pick("по", "until"),
                                        date(r.pin.last_day(), lang)
                                    )
                                })
                                .unwrap_or_else(|| {
                                    lang.pick("не закреплён", "not pinned").to_owned()
                                });
                            let title = if found_name.is_empty() {
                                found.to_string()
                            } else {
                                format!("{found_name} · {found}")
                            };
                            let text = format!("{title}\n{holder}");
                            if ui.selectable_label(false, text).clicked() {
                                *inn = found.to_string();
                                *name = found_name.clone();
                                self.named_for = Some(*found);
                                self.typed = inn.clone();
                            }
                        }
                    });
                });
            let pointer_in = area.response.contains_pointer();
            open = response.has_focus() || pointer_in;
        }
        ui.data_mut(|d| d.insert_temp(popup_id, open));
        response
    }
}
