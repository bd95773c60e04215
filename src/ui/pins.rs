//! The Stop-list page: pins with their state and days left, filters, a form to pin a
//! client that shows a conflict before saving, and extension, release and history.

use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::pin::{PinDecision, decide_pin_request};
use crate::domain::{self, Inn, PartnerId, Pin, PinState};
use crate::export::list::Value;
use crate::snapshot::Data;
use crate::store::{Db, PinEvent, PinEventKind, PinRow};
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
    Selected(i64),
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
    /// The client whose history the page shows, and that history once loaded.
    history: Option<(Inn, Option<Vec<PinEvent>>)>,
    history_version: u64,
    view: ui::RowView<View>,
    /// The stored name of the client whose INN the form holds.
    known_client: ui::KnownClient,
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
            history_version: 0,
            view: Default::default(),
            known_client: Default::default(),
        }
    }
}

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
    pub fn name_known_client(
        &mut self,
        reader: &crate::reader::Reader,
        store: &crate::store::Store,
    ) {
        if self.mode == Mode::New {
            let d = &mut self.draft;
            self.known_client
                .fill(reader, store, &d.client_inn, &mut d.client_name);
        }
    }

    /// True while the history shown is not loaded yet.
    pub fn wants_data(&self) -> bool {
        matches!(&self.history, Some((_, None)))
    }

    /// Loads the history the page shows, when it is missing or stale.
    pub fn load(&mut self, db: &Db<'_>, version: u64) {
        if let Some((client, events)) = &mut self.history
            && (events.is_none() || self.history_version != version)
        {
            *events = Some(db.pin_events(client).unwrap_or_default());
            self.history_version = version;
        }
    }

    fn new_form(&mut self, today: chrono::NaiveDate, lang: Lang) {
        self.mode = Mode::New;
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
    let today = ctx.today;
    let mut command = None;
    if ctx.new_requested {
        page.new_form(today, lang);
    }
    if ctx.cancel_requested {
        page.mode = Mode::Nothing;
    }
    let mut export = None;
    ui.horizontal(|ui| {
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
        if ui
            .button(lang.pick("+ Закрепить клиента", "+ Pin a client"))
            .on_hover_text("Ctrl+N")
            .clicked()
        {
            page.new_form(today, lang);
        }
        export = ui::list_menu(ui, lang);
    });
    ui.horizontal(|ui| {
        ui.selectable_value(&mut page.filter, Filter::All, lang.pick("Все", "All"));
        ui.selectable_value(
            &mut page.filter,
            Filter::InForce,
            lang.pick("Действующие", "In force"),
        );
        ui.selectable_value(
            &mut page.filter,
            Filter::EndingSoon,
            lang.pick("Истекают за 14 дней", "Ending within 14 days"),
        );
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
    });
    ui.separator();

    match page.mode {
        Mode::New => {
            egui::Panel::right("pin-form")
                .default_size(ui::SIDE_PANEL)
                .show(ui, |ui| {
                    command = new_pin_ui(ui, page, data, ctx);
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

    if data.pins_version == 0 {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.pick("Чтение закреплений…", "Reading the pins…"));
        });
        return command;
    }
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
        return command;
    }
    let selected = match page.mode {
        Mode::Selected(id) => Some(id),
        _ => None,
    };
    let cols = [
        ui::Col::new(lang.pick("ИНН клиента", "Client INN"), 100.0),
        ui::Col::new(lang.pick("Клиент", "Client"), 0.0).sort(Sort::Client),
        ui::Col::new(lang.pick("Партнёр", "Partner"), 160.0).sort(Sort::Partner),
        ui::Col::new(lang.pick("Закреплён", "Pinned on"), 95.0).sort(Sort::PinnedOn),
        ui::Col::new(lang.pick("Последний день", "Last day"), 120.0).sort(Sort::LastDay),
        ui::Col::new(lang.pick("Осталось дней", "Days left"), 108.0).right(),
        ui::Col::new(lang.pick("Состояние", "State"), 95.0),
    ];
    let cell = |i: usize, col: usize| -> ui::Cell {
        let r = rows[i];
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
    };
    let out = ui::table(
        ui,
        TABLE,
        &cols,
        rows.len(),
        (
            view.version,
            &view.search,
            view.filter,
            view.partner,
            view.sort,
            view.descending,
        ),
        Some((&mut page.sort, &mut page.descending)),
        |i| selected == Some(rows[i].pin.id),
        cell,
        lang,
    );
    if let Some(format) = out.export.or(export) {
        let title = lang.pick("Стоп-лист", "Stop-list");
        let list = ui::shown_list(ui.ctx(), TABLE, title, &cols, rows.len(), cell, today);
        command = Some(Command::ExportList(Box::new(list), format));
    }
    let clicked = out.opened.map(|i| rows[i].pin.id);
    if let Some(id) = clicked {
        page.mode = Mode::Selected(id);
        page.extend = ActionDraft {
            date: ui::date(today, lang),
            ..ActionDraft::default()
        };
        page.release = ActionDraft {
            date: ui::date(today, lang),
            ..ActionDraft::default()
        };
        page.history = data
            .pins
            .iter()
            .find(|r| r.pin.id == id)
            .map(|r| (r.client_inn, None));
    }
    command
}

/// The last extension or release of the pin, when it can be cancelled as recorded by
/// mistake: a reason, and the button.
fn cancel_ui(
    ui: &mut Ui,
    reason: &mut String,
    pin_id: i64,
    events: &[PinEvent],
    lang: Lang,
) -> Option<Command> {
    let last = events
        .iter()
        .rfind(|e| e.pin_id == Some(pin_id) && e.cancelled.is_none())?;
    let what = match last.kind {
        PinEventKind::Extended => lang.pick("продление", "the extension"),
        PinEventKind::Released => lang.pick("снятие", "the release"),
        _ => return None,
    };
    ui.add_space(6.0);
    let label = ui.label(lang.pick(
        "Запись сделана по ошибке? Причина отмены:",
        "Recorded by mistake? Why cancel it:",
    ));
    ui.add(egui::TextEdit::singleline(reason).desired_width(300.0))
        .labelled_by(label.id);
    let button = format!(
        "{} {what} {} {}…",
        lang.pick("Отменить", "Cancel"),
        lang.pick("от", "of"),
        ui::date(last.on_date, lang)
    );
    let ready = !reason.trim().is_empty();
    ui.add_enabled(ready, egui::Button::new(button))
        .on_hover_text(lang.pick(
            "Срок закрепления станет прежним; запись останется в истории с отметкой об отмене",
            "The pin's term is put back; the record stays in the history, marked cancelled",
        ))
        .clicked()
        .then(|| Command::CancelPinEvent {
            pin_id,
            reason: reason.trim().to_owned(),
        })
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

fn new_pin_ui(ui: &mut Ui, page: &mut PinsPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.heading(lang.pick("Закрепить клиента", "Pin a client"));
    let d = &mut page.draft;
    let inn = Inn::parse(&d.client_inn);
    let date = ui::parse_date_field(&d.date, lang);
    egui::Grid::new("pin-grid")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let inn_error = match &inn {
                Err(e) if !d.client_inn.is_empty() => Some(e.text(lang)),
                _ => None,
            };
            page.known_client.inn_row(
                ui,
                &mut d.client_inn,
                &mut d.client_name,
                inn_error.as_deref(),
                &data.pins,
                ctx.today,
                lang,
            );
            ui::text_row(
                ui,
                lang.pick("Название клиента", "Client name"),
                &mut d.client_name,
                "ООО «…»",
                None,
            );
            let label = ui.label(lang.pick("Партнёр", "Partner"));
            ui::partner_combo(
                ui,
                "pin-partner",
                label.id,
                &data.partners,
                &mut d.partner,
                lang.pick("— выберите —", "— choose —"),
                lang,
            );
            ui.end_row();
            let date_error = match &date {
                Err(e) => Some(e.clone()),
                Ok(None) => Some(lang.pick("укажите дату", "enter the date").to_owned()),
                _ => None,
            };
            ui::date_row(
                ui,
                lang.pick("Дата заявки", "Request date"),
                &mut d.date,
                date_error.as_deref(),
                ctx.today,
                lang,
            );
            ui::text_row(ui, lang.pick("Примечание", "Note"), &mut d.note, "", None);
        });
    let ready = match (inn, d.partner, date) {
        (Ok(inn), Some(partner), Ok(Some(date))) => Some((inn, partner, date)),
        _ => None,
    };
    let mut refused = false;
    if let Some((inn, partner, date)) = &ready {
        match decide_pin_request(&pins_of(data, inn), *partner, *date) {
            Ok(PinDecision::New { ends_on }) => ui::verdict(
                ui,
                true,
                &format!(
                    "{} {}",
                    lang.pick(
                        "Клиент будет закреплён по",
                        "The client will be pinned until"
                    ),
                    ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                ),
            ),
            Ok(PinDecision::Extension { ends_on, .. }) => ui::verdict(
                ui,
                true,
                &format!(
                    "{} {}",
                    lang.pick(
                        "Клиент уже закреплён за этим партнёром: заявка продлит закрепление по",
                        "The partner already holds this client: the request extends the pin until"
                    ),
                    ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                ),
            ),
            Ok(PinDecision::Refused { holder, last_day }) => {
                refused = true;
                ui::verdict(
                    ui,
                    false,
                    &format!(
                        "{} {} {}. {}",
                        lang.pick("Клиент закреплён за", "The client is pinned to"),
                        data.partner_name(holder),
                        format_args!("{} {}", lang.pick("по", "until"), ui::date(last_day, lang)),
                        lang.pick(
                            "Заявку можно только записать как отказ.",
                            "The request can only be recorded as refused."
                        )
                    ),
                );
            }
            Err(e) => ui::verdict(ui, false, &e.to_string()),
        }
    }
    ui.horizontal(|ui| {
        let label = if refused {
            lang.pick("Записать отказ", "Record the refusal")
        } else {
            lang.pick("Закрепить", "Pin")
        };
        let enter = ui::take_submitted(ui);
        if (ui
            .add_enabled(ready.is_some(), egui::Button::new(label))
            .clicked()
            || enter)
            && let Some((inn, partner, date)) = ready
        {
            command = Some(Command::RequestPin {
                client: inn,
                client_name: page.draft.client_name.trim().to_owned(),
                partner,
                date,
                note: page.draft.note.trim().to_owned(),
            });
        }
        if ui
            .button(lang.pick("Отмена", "Cancel"))
            .on_hover_text("Esc")
            .clicked()
        {
            page.mode = Mode::Nothing;
        }
    });
    command
}

fn selected_pin_ui(
    ui: &mut Ui,
    page: &mut PinsPage,
    row: &PinRow,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    let pin = &row.pin;
    ui.heading(if row.client_name.is_empty() {
        row.client_inn.to_string()
    } else {
        row.client_name.clone()
    });
    ui.horizontal(|ui| {
        ui.label(format!("{} {}", lang.pick("ИНН", "INN"), row.client_inn));
        if ui
            .small_button(lang.pick("Карточка клиента", "Client card"))
            .clicked()
        {
            command = Some(Command::OpenClient(row.client_inn));
        }
    });
    ui.label(format!(
        "{} {}",
        lang.pick("Партнёр:", "Partner:"),
        row.partner_name
    ));
    ui.label(format!(
        "{} {} — {} ({})",
        lang.pick("Действует", "In force"),
        ui::date(pin.pinned_on, lang),
        ui::date(pin.last_day(), lang),
        state_name(pin.state_on(ctx.today), lang)
    ));
    if pin.state_on(ctx.today) == PinState::InForce {
        ui.add_space(8.0);
        ui.separator();
        ui.strong(lang.pick("Продлить на 3 месяца", "Extend by 3 months"));
        for draft in [&mut page.extend, &mut page.release] {
            if draft.date.is_empty() {
                draft.date = ui::date(ctx.today, lang);
            }
        }
        let date = ui::parse_date_field(&page.extend.date, lang);
        egui::Grid::new("extend-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui::date_row(
                    ui,
                    lang.pick("Дата согласования", "Agreed on"),
                    &mut page.extend.date,
                    date.as_ref().err().map(String::as_str),
                    ctx.today,
                    lang,
                );
                let who_error = page
                    .extend
                    .agreed_by
                    .trim()
                    .is_empty()
                    .then(|| lang.pick("укажите, кто согласовал", "enter who agreed"));
                ui::text_row(
                    ui,
                    lang.pick("Кто согласовал", "Agreed by"),
                    &mut page.extend.agreed_by,
                    "",
                    who_error,
                );
                ui::text_row(
                    ui,
                    lang.pick("Примечание", "Note"),
                    &mut page.extend.note,
                    "",
                    None,
                );
            });
        let ready = match date {
            Ok(Some(date)) if !page.extend.agreed_by.trim().is_empty() => Some(date),
            _ => None,
        };
        if ui
            .add_enabled(
                ready.is_some(),
                egui::Button::new(lang.pick("Продлить", "Extend")),
            )
            .clicked()
            && let Some(date) = ready
        {
            command = Some(Command::ExtendPin {
                pin_id: pin.id,
                date,
                agreed_by: page.extend.agreed_by.trim().to_owned(),
                note: page.extend.note.trim().to_owned(),
            });
        }
        ui.add_space(8.0);
        ui.separator();
        ui.strong(lang.pick("Снять досрочно", "Release early"));
        let date = ui::parse_date_field(&page.release.date, lang);
        egui::Grid::new("release-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui::date_row(
                    ui,
                    lang.pick("Дата снятия", "Release date"),
                    &mut page.release.date,
                    date.as_ref().err().map(String::as_str),
                    ctx.today,
                    lang,
                );
                ui::text_row(
                    ui,
                    lang.pick("Причина", "Reason"),
                    &mut page.release.note,
                    "",
                    None,
                );
            });
        if ui
            .add_enabled(
                matches!(date, Ok(Some(_))),
                egui::Button::new(lang.pick("Снять закрепление…", "Release…")),
            )
            .clicked()
            && let Ok(Some(date)) = date
        {
            command = Some(Command::ReleasePin {
                pin_id: pin.id,
                date,
                note: page.release.note.trim().to_owned(),
            });
        }
    }
    ui.add_space(8.0);
    ui.separator();
    ui.strong(lang.pick(
        "История клиента в стоп-листе",
        "The client's stop-list history",
    ));
    match page
        .history
        .as_ref()
        .and_then(|(_, events)| events.as_ref())
    {
        None => _ = ui.spinner(),
        Some(events) => {
            for e in events {
                let what = match e.kind {
                    PinEventKind::Pinned => lang.pick("закреплён", "pinned"),
                    PinEventKind::Refused => lang.pick("отказ", "refused"),
                    PinEventKind::Extended => lang.pick("продлён", "extended"),
                    PinEventKind::Released => lang.pick("снят", "released"),
                };
                let mut text = format!(
                    "{} · {} · {}",
                    ui::date(e.on_date, lang),
                    what,
                    data.partner_name(e.partner)
                );
                if let Some(ends_on) = e.ends_on {
                    text += &format!(
                        " · {} {}",
                        lang.pick("по", "until"),
                        ui::date(crate::domain::pin::last_day_of(ends_on), lang)
                    );
                }
                if let Some(holder) = e.holder {
                    text += &format!(
                        " · {} {}",
                        lang.pick("закреплён за", "held by"),
                        data.partner_name(holder)
                    );
                }
                if !e.agreed_by.is_empty() {
                    text += &format!(
                        " · {} {}",
                        lang.pick("согласовал", "agreed by"),
                        e.agreed_by
                    );
                }
                if !e.note.is_empty() {
                    text += &format!(" · {}", e.note);
                }
                match &e.cancelled {
                    None => _ = ui.label(text),
                    Some(c) => {
                        ui.label(RichText::new(text).strikethrough().weak());
                        ui.label(
                            RichText::new(format!(
                                "{} {} ({}): {}",
                                lang.pick("отменено как ошибочное", "cancelled as a mistake"),
                                c.at.get(..10)
                                    .and_then(domain::parse_date)
                                    .map_or(c.at.clone(), |d| ui::date(d, lang)),
                                c.by,
                                c.reason
                            ))
                            .small()
                            .color(ui::warn_color(ui)),
                        );
                    }
                }
            }
            command = command.or(cancel_ui(ui, &mut page.cancel_reason, pin.id, events, lang));
        }
    }
    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
        page.mode = Mode::Nothing;
    }
    command
}
