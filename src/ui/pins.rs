//! The Stop-list page: pins with their state and days left, filters, a form to pin a
//! client that shows a conflict before saving, and extension, release and history.

use crate::store::Right;
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::pin::{PinDecision, decide_pin_request};
use crate::domain::{self, Inn, PartnerId, Pin, PinId, PinState};
use crate::export::ListFormat;
use crate::export::list::Value;
use crate::snapshot::Data;
use crate::store::{PinEvent, PinEventKind, PinRow};
use crate::ui;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
enum Filter {
    #[default]
    All,
    InForce,
    EndingSoon,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
enum Sort {
    #[default]
    PinnedOn,
    Client,
    Partner,
    LastDay,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    Nothing,
    New,
    Selected(PinId),
}

#[derive(Clone, Debug, Default)]
struct Draft {
    client_inn: String,
    client_name: String,
    partner: Option<PartnerId>,
    date: String,
    note: String,
}

#[derive(Clone, Debug, Default)]
struct ActionDraft {
    date: String,
    /// The date was filled (with today) once; emptied since, it stays empty until typed.
    dated: bool,
    /// «Продлить» was pressed: what is missing is said in red from then on.
    tried: bool,
    /// The pin was just opened: «Кто согласовал» takes the cursor.
    focus: bool,
    agreed_by: String,
    note: String,
}

/// The page's state between frames.
pub struct PinsPage {
    search: String,
    filter: Filter,
    partner: Option<PartnerId>,
    sort: Sort,
    descending: bool,
    mode: Mode,
    draft: Draft,
    extend: ActionDraft,
    release: ActionDraft,
    /// Why the last extension or release is cancelled as recorded by mistake.
    cancel_reason: String,
    /// The client whose history the page shows.
    history: Option<Inn>,
    /// That history, read on the reader by client and data version.
    /// Shared, so that a frame drawing it takes a reference, not a copy.
    events: crate::reader::Loaded<(Inn, u64), std::sync::Arc<[PinEvent]>>,
    view: ui::RowView<View>,
    /// The stored name of the client whose INN the form holds.
    known_client: ui::KnownClient,
    /// The new form's first field takes the cursor when next drawn.
    focus_first: bool,
}

impl Default for PinsPage {
    /// The pins in force, newest first: an expired pin is not taken for an active one.
    fn default() -> PinsPage {
        PinsPage {
            search: String::new(),
            filter: Filter::InForce,
            partner: None,
            sort: Sort::PinnedOn,
            descending: true,
            mode: Mode::Nothing,
            draft: Draft::default(),
            extend: ActionDraft::default(),
            release: ActionDraft::default(),
            cancel_reason: String::new(),
            history: None,
            events: Default::default(),
            view: Default::default(),
            known_client: Default::default(),
            focus_first: false,
        }
    }
}

mod form;
use form::{pin_form_ui, selected_pin_ui};

/// Within this many days of its last day a pin is "ending soon".
pub const ENDING_SOON_DAYS: i64 = 14;

/// The Stop-list table's name, under which its columns are remembered.
const TABLE: &str = "pins-table";

impl PinsPage {
    pub fn saved(&mut self) {
        self.draft = Draft::default();
        self.cancel_reason.clear();
        self.known_client = Default::default();
        if self.mode == Mode::New {
            self.mode = Mode::Nothing;
        }
        self.extend = ActionDraft::default();
        self.release = ActionDraft::default();
    }

    /// A stored client's INN typed in the pin form fills its name (read on the reader).
    pub fn name_known_client(&mut self, ask: crate::reader::Ask<'_>) {
        if self.mode == Mode::New {
            let d = &mut self.draft;
            self.known_client
                .fill(ask, &d.client_inn, &mut d.client_name);
        }
    }

    /// True while the history shown is not loaded yet.
    pub fn wants_data(&self) -> bool {
        self.history.is_some() && self.shown_events().is_none()
    }

    /// The history of the client shown, once read (of the last data version read).
    pub(crate) fn shown_events(&self) -> Option<&std::sync::Arc<[PinEvent]>> {
        let client = self.history?;
        self.events
            .entry()
            .filter(|((inn, _), _)| *inn == client)
            .map(|(_, events)| events)
    }

    /// Asks for the history the page shows, when it is missing or stale.
    pub fn load(
        &mut self,
        ask: crate::reader::Ask<'_>,
        version: u64,
    ) -> Option<crate::reader::ReadError> {
        let client = self.history?;
        self.events.load(ask, &(client, version), move |db| {
            db.pin_events(&client).map(std::sync::Arc::from)
        })
    }

    /// Opens pin `id` beside the list, its forms dated today and its client's history read.
    fn open(&mut self, id: PinId, data: &Data, ctx: &PageCtx) {
        self.mode = Mode::Selected(id);
        self.extend = ActionDraft {
            date: ui::date(ctx.today, ctx.lang),
            dated: true,
            focus: true,
            ..ActionDraft::default()
        };
        self.release = ActionDraft {
            date: ui::date(ctx.today, ctx.lang),
            dated: true,
            ..ActionDraft::default()
        };
        self.history = data
            .pins
            .iter()
            .find(|r| r.pin.id == id)
            .map(|r| r.client_inn);
    }

    fn new_form(&mut self, today: chrono::NaiveDate, lang: Lang) {
        self.mode = Mode::New;
        self.focus_first = true;
        self.draft = Draft {
            date: ui::date(today, lang),
            ..Draft::default()
        };
    }
}

fn state_name(state: PinState, lang: Lang) -> &'static str {
    match state {
        PinState::InForce => lang.pick("действует", "in force"),
        PinState::Ended => lang.pick("истёк", "ended"),
        PinState::Released => lang.pick("снят", "released"),
        PinState::NotYet => lang.pick("ещё не начался", "not yet"),
    }
}

/// The Stop-list page.
pub fn pins_ui(ui: &mut Ui, page: &mut PinsPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    if ctx.new_requested {
        page.new_form(ctx.today, lang);
    }
    if ctx.cancel_requested {
        page.mode = Mode::Nothing;
    }
    // A narrow window wraps the toolbar and the filters onto more lines: none is hidden.
    let export = ui.horizontal_wrapped(|ui| toolbar_ui(ui, page, ctx)).inner;
    ui.horizontal_wrapped(|ui| filters_ui(ui, page, data, lang));
    ui.separator();
    let command = side_panel_ui(ui, page, data, ctx);
    if data.pins_version == 0 {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.pick("Чтение закреплений…", "Reading the pins…"));
        });
        return command;
    }
    table_ui(ui, page, data, export, ctx).or(command)
}

/// The page's heading, the search, «+ Pin a client» and the list's menu: the format
/// asked for.
fn toolbar_ui(ui: &mut Ui, page: &mut PinsPage, ctx: &PageCtx) -> Option<ListFormat> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Стоп-лист", "Stop-list"));
    ui.add_space(16.0);
    ui::search_box(
        ui,
        &mut page.search,
        lang.pick(
            "ИНН или название клиента (Ctrl+F)",
            "Client INN or name (Ctrl+F)",
        ),
        240.0,
        ctx.focus_search,
        lang,
    );
    if ui::change_button(
        ui,
        ctx,
        Right::Record,
        true,
        egui::Button::new(lang.pick("+ Закрепить клиента", "+ Pin a client")),
    )
    .on_hover_text("Ctrl+N")
    .clicked()
    {
        page.new_form(ctx.today, lang);
    }
    ui::list_menu(ui, lang)
}

impl Filter {
    fn name(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => lang.pick("Все", "All"),
            Filter::InForce => lang.pick("Действующие", "In force"),
            Filter::EndingSoon => lang.pick("Истекают за 14 дней", "Ending within 14 days"),
        }
    }
}

impl PinsPage {
    /// What the list is filtered by, for the line under a printout's title.
    fn filter_line(&self, data: &Data, lang: Lang) -> String {
        let mut said = Vec::new();
        if self.filter != Filter::All {
            said.push(self.filter.name(lang).to_lowercase());
        }
        if let Some(partner) = self.partner {
            let name = data.partner_name(partner);
            said.push(format!("{} {name}", lang.pick("партнёр", "partner")));
        }
        if !self.search.trim().is_empty() {
            said.push(format!(
                "{} «{}»",
                lang.pick("поиск", "search"),
                self.search.trim()
            ));
        }
        let none = lang.pick("нет, все закрепления", "none, every pin");
        crate::export::list::filter_line(&said, none, lang)
    }
}

/// Which pins the list shows: all, in force or ending soon, of one partner or all.
fn filters_ui(ui: &mut Ui, page: &mut PinsPage, data: &Data, lang: Lang) {
    for filter in [Filter::All, Filter::InForce, Filter::EndingSoon] {
        ui.selectable_value(&mut page.filter, filter, filter.name(lang));
    }
    let label = ui.label(lang.pick("Партнёр:", "Partner:"));
    ui::partner_combo(
        ui,
        "pins-partner-filter",
        label.id,
        &data.partners,
        &mut page.partner,
        lang.pick("все", "all"),
        lang,
    );
}

/// The side panel: the form to pin a client, or the pin opened.
fn side_panel_ui(ui: &mut Ui, page: &mut PinsPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let mut command = None;
    match page.mode {
        Mode::New => {
            egui::Panel::right("pin-form")
                .default_size(ui::SIDE_PANEL)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        command = pin_form_ui(ui, page, data, ctx);
                    });
                });
        }
        Mode::Selected(pin_id) => {
            if let Some(row) = data.pins.iter().find(|r| r.pin.id == pin_id) {
                egui::Panel::right("pin-actions")
                    .default_size(ui::SIDE_PANEL)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical().show(ui, |ui| {
                            command = selected_pin_ui(ui, page, row, data, ctx);
                        });
                    });
            }
        }
        Mode::Nothing => {}
    }
    command
}

/// The table's columns.
fn columns(lang: Lang) -> [ui::Col<Sort>; 7] {
    [
        ui::Col::new(lang.pick("ИНН клиента", "Client INN"), 100.0),
        ui::Col::new(lang.pick("Клиент", "Client"), 0.0).sort(Sort::Client),
        ui::Col::new(lang.pick("Партнёр", "Partner"), 160.0).sort(Sort::Partner),
        ui::Col::new(lang.pick("Закреплён", "Pinned on"), 95.0).sort(Sort::PinnedOn),
        ui::Col::new(lang.pick("Последний день", "Last day"), 120.0).sort(Sort::LastDay),
        ui::Col::new(lang.pick("Осталось дней", "Days left"), 108.0).right(),
        ui::Col::new(lang.pick("Состояние", "State"), 95.0),
    ]
}

/// A pin's value in column `col` of [`columns`], on `today`.
fn pin_cell(r: &PinRow, col: usize, today: chrono::NaiveDate, lang: Lang) -> ui::Cell {
    let state = r.pin.state_on(today);
    match col {
        0 => Value::Code(r.client_inn.to_string()).into(),
        1 => Value::text(&r.client_name).into(),
        2 => Value::text(&r.partner_name).into(),
        3 => Value::Date(r.pin.pinned_on).into(),
        4 => Value::Date(r.pin.last_day()).into(),
        5 if state == PinState::InForce => {
            let days = r.pin.days_left(today);
            let cell = ui::Cell::from(Value::Count(days));
            if days <= ENDING_SOON_DAYS {
                cell.warn()
            } else {
                cell
            }
        }
        5 => Value::Empty.into(),
        _ => Value::text(state_name(state, lang)).into(),
    }
}

/// The table of the pins the search and filters show (or that there are none): the list
/// exported when asked (from the toolbar's `export` or the table's menu); a row clicked
/// opens the pin.
fn table_ui(
    ui: &mut Ui,
    page: &mut PinsPage,
    data: &Data,
    export: Option<ListFormat>,
    ctx: &PageCtx,
) -> Option<Command> {
    let (lang, today) = (ctx.lang, ctx.today);
    let view = View {
        version: data.pins_version,
        search: page.search.clone(),
        filter: page.filter,
        partner: page.partner,
        sort: page.sort,
        descending: page.descending,
        today,
    };
    let rows: Vec<&PinRow> = page
        .view
        .rows(view.clone(), || shown_pins(data, &view))
        .iter()
        .map(|&i| &data.pins[i])
        .collect();
    if rows.is_empty() {
        ui::empty_state(
            ui,
            lang.pick("Закреплений не найдено", "No pins found"),
            lang.pick(
                "Измените фильтры или закрепите клиента (Ctrl+N).",
                "Change the filters or pin a client (Ctrl+N).",
            ),
        );
        return None;
    }
    let selected = match page.mode {
        Mode::Selected(id) => Some(id),
        _ => None,
    };
    let cols = columns(lang);
    let cell = |i: usize, col: usize| pin_cell(rows[i], col, today, lang);
    let out = ui::Table::new(TABLE, &cols, rows.len(), lang)
        .view((
            view.version,
            &view.search,
            view.filter,
            view.partner,
            view.sort,
            view.descending,
        ))
        .sort(&mut page.sort, &mut page.descending)
        .opened(|i| selected == Some(rows[i].pin.id))
        .show(ui, cell);
    let mut command = None;
    if let Some(format) = out.export.or(export) {
        let title = lang.pick("Стоп-лист", "Stop-list");
        let mut list = ui::shown_list(ui.ctx(), TABLE, title, &cols, rows.len(), cell, today);
        list.filter = page.filter_line(data, lang);
        command = Some(Command::ExportList(Box::new(list), format));
    }
    if let Some(i) = out.opened {
        page.open(rows[i].pin.id, data, ctx);
    }
    command
}

/// What the list shows: the data version and the page's search, filters and order.
#[derive(Clone, PartialEq)]
struct View {
    version: u64,
    search: String,
    filter: Filter,
    partner: Option<PartnerId>,
    sort: Sort,
    descending: bool,
    today: chrono::NaiveDate,
}

/// The pins the list shows, in its order, as indices into `data.pins`.
fn shown_pins(data: &Data, view: &View) -> Vec<usize> {
    let View {
        search,
        filter,
        partner,
        sort,
        descending,
        today,
        ..
    } = view;
    let (filter, partner, sort, today) = (*filter, *partner, *sort, *today);
    let needle = search.trim().to_lowercase();
    let pins = &data.pins;
    let mut rows: Vec<usize> = (0..pins.len())
        .filter(|&i| {
            let r = &pins[i];
            partner.is_none_or(|p| r.pin.partner == p)
                && match filter {
                    Filter::All => true,
                    Filter::InForce => r.pin.in_force_on(today),
                    Filter::EndingSoon => {
                        r.pin.in_force_on(today) && r.pin.days_left(today) <= ENDING_SOON_DAYS
                    }
                }
                && (needle.is_empty()
                    || r.client_inn.as_str().contains(&needle)
                    || r.client_name.to_lowercase().contains(&needle)
                    || r.partner_name.to_lowercase().contains(&needle))
        })
        .collect();
    match sort {
        Sort::PinnedOn => rows.sort_by_key(|&i| pins[i].pin.pinned_on),
        Sort::Client => rows.sort_by_cached_key(|&i| pins[i].client_name.to_lowercase()),
        Sort::Partner => rows.sort_by_cached_key(|&i| pins[i].partner_name.to_lowercase()),
        Sort::LastDay => rows.sort_by_key(|&i| pins[i].pin.ends_on),
    }
    if *descending {
        rows.reverse();
    }
    rows
}

/// Every pin of a client, from the snapshot.
fn pins_of(data: &Data, client: &Inn) -> Vec<Pin> {
    data.pins
        .iter()
        .filter(|r| &r.client_inn == client)
        .map(|r| r.pin.clone())
        .collect()
}
