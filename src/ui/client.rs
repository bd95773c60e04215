//! The client card: everything about one client INN — who held it in the stop-list when
//! (a timeline), its refused requests, its sales and returns, and their premiums.

use egui::{Color32, RichText, Stroke};

use crate::command::{Command, PageCtx};
use crate::snapshot::Data;

use crate::domain::{Inn, Lang, Money};
use crate::store::{
    Correction, Db, PinEvent, PinEventKind, PinRow, RecordOf, Right, SaleListRow, SalesQuery,
    StoreError,
};
use crate::ui;

/// The most sales a card lists; the Sales page shows them all.
const MAX_SALES: usize = 500;

/// A client card and what it shows, loaded per data version.
pub struct ClientCard {
    pub inn: Inn,
    loaded: crate::reader::Loaded<u64, ClientData>,
}

struct ClientData {
    name: String,
    events: Vec<PinEvent>,
    sales: Vec<SaleListRow>,
    /// Sales and returns deleted as mistakes, with who deleted them and when.
    deleted: Vec<Correction>,
    count: i64,
    amount: Money,
    premium: Money,
}

impl ClientCard {
    pub fn new(inn: Inn) -> ClientCard {
        ClientCard {
            inn,
            loaded: Default::default(),
        }
    }

    pub fn wants_data(&self, version: u64) -> bool {
        !self.loaded.is_for(&version)
    }

    /// Asks for what the card shows, when it is missing or stale.
    pub fn load(
        &mut self,
        ask: crate::reader::Ask<'_>,
        version: u64,
    ) -> Option<crate::reader::ReadError> {
        let inn = self.inn;
        self.loaded
            .load(ask, &version, move |db| ClientData::read(db, &inn))
    }
}

impl ClientData {
    fn read(db: &Db<'_>, inn: &Inn) -> Result<ClientData, StoreError> {
        let query = SalesQuery {
            client: Some(inn.to_string()),
            descending: true,
            ..SalesQuery::default()
        };
        let (count, amount, premium) = db.sales_totals(&query)?;
        Ok(ClientData {
            name: db.client_name(inn)?,
            events: db.pin_events(inn)?,
            sales: db.sales_page(&query, 0, MAX_SALES)?,
            deleted: db.deleted_sales_of_client(inn)?,
            count,
            amount,
            premium,
        })
    }
}

/// The card as a window; `open` turns false when it is closed.
pub fn client_card_ui(
    ctx: &egui::Context,
    card: &mut ClientCard,
    data: &Data,
    pctx: &PageCtx,
    open: &mut bool,
) -> Option<Command> {
    let lang = pctx.lang;
    let title = format!("{} {}", lang.pick("Клиент", "Client"), card.inn);
    egui::Window::new(title)
        .open(open)
        .default_width(720.0)
        .default_height(520.0)
        .vscroll(true)
        .show(ctx, |ui| {
            let Some(c) = card.loaded.get() else {
                ui.spinner();
                return None;
            };
            ui.heading(if c.name.is_empty() {
                card.inn.to_string()
            } else {
                c.name.clone()
            });
            ui.label(format!("{} {}", lang.pick("ИНН", "INN"), card.inn));
            ui.add_space(6.0);
            ui.strong(lang.pick(
                "Стоп-лист: кто и когда держал клиента",
                "Stop-list: who held the client when",
            ));
            timeline_ui(ui, card.inn, data, pctx);
            refusals_ui(ui, &c.events, data, lang);
            let command = sales_ui(ui, c, lang);
            deleted_ui(ui, &c.deleted, data, pctx).or(command)
        })
        .and_then(|shown| shown.inner.flatten())
}

/// Who held the client when: a bar per pin from its first day to its end, on one scale
/// with a red line at today; the pins are read after the rest of the data.
fn timeline_ui(ui: &mut egui::Ui, inn: Inn, data: &Data, pctx: &PageCtx) {
    let lang = pctx.lang;
    let pins: Vec<_> = data.pins.iter().filter(|r| r.client_inn == inn).collect();
    if data.pins_version == 0 {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.pick("Чтение закреплений…", "Reading the pins…"));
        });
        return;
    }
    if pins.is_empty() {
        ui.label(
            RichText::new(lang.pick("Клиент не закреплялся.", "The client was never pinned."))
                .weak(),
        );
        return;
    }
    let start = pins
        .iter()
        .map(|r| r.pin.pinned_on)
        .min()
        .unwrap_or(pctx.today);
    let end = pins
        .iter()
        .map(|r| r.pin.ends_on)
        .max()
        .unwrap_or(pctx.today)
        .max(pctx.today);
    let scale = Scale {
        start,
        span: (end - start).num_days().max(1) as f32,
        today: pctx.today,
    };
    let width = ui.available_width().min(680.0);
    for r in &pins {
        ui.horizontal(|ui| pin_bar_ui(ui, r, &scale, width))
            .response
            .on_hover_text(format!(
                "{} — {}",
                ui::date(r.pin.pinned_on, lang),
                ui::date(r.pin.last_day(), lang)
            ));
    }
    // The last day in force, as the Stop-list and a refusal say it.
    let last_day = pins
        .iter()
        .map(|r| r.pin.last_day())
        .max()
        .unwrap_or(pctx.today)
        .max(pctx.today);
    ui.label(
        RichText::new(format!(
            "{} — {} · {}",
            ui::date(start, lang),
            ui::date(last_day, lang),
            lang.pick("красная черта — сегодня", "the red line is today")
        ))
        .weak()
        .small(),
    );
}

/// The timeline's days: its first, how many it spans, and today.
struct Scale {
    start: chrono::NaiveDate,
    span: f32,
    today: chrono::NaiveDate,
}

/// A pin's line of the timeline: its partner, then its bar (green while in force) on the
/// scale, with today's red line.
fn pin_bar_ui(ui: &mut egui::Ui, r: &PinRow, scale: &Scale, width: f32) {
    ui.add_sized([170.0, 18.0], egui::Label::new(&r.partner_name).truncate());
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width - 180.0, 14.0), egui::Sense::hover());
    let x = |d: chrono::NaiveDate| {
        rect.left() + rect.width() * ((d - scale.start).num_days() as f32 / scale.span)
    };
    let bar = egui::Rect::from_min_max(
        egui::pos2(x(r.pin.pinned_on), rect.top()),
        egui::pos2(
            x(r.pin.ends_on).max(x(r.pin.pinned_on) + 2.0),
            rect.bottom(),
        ),
    );
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
    let color = if r.pin.in_force_on(scale.today) {
        Color32::from_rgb(0x59, 0xa1, 0x4f)
    } else {
        Color32::GRAY
    };
    painter.rect_filled(bar, 2.0, color);
    let today = x(scale.today);
    painter.line_segment(
        [
            egui::pos2(today, rect.top() - 2.0),
            egui::pos2(today, rect.bottom() + 2.0),
        ],
        Stroke::new(1.5, ui::error_color(ui)),
    );
}

/// The client's refused pin requests: when, who asked, who held it.
fn refusals_ui(ui: &mut egui::Ui, events: &[PinEvent], data: &Data, lang: Lang) {
    for e in events.iter().filter(|e| e.kind == PinEventKind::Refused) {
        ui.label(format!(
            "{} · {} {} · {} {}{}",
            ui::date(e.on_date, lang),
            lang.pick("отказ:", "refused:"),
            data.partner_name(e.partner),
            lang.pick("закреплён за", "held by"),
            e.holder.map(|h| data.partner_name(h)).unwrap_or_default(),
            ui::recorded_by(&e.recorded_by, lang)
        ));
    }
}

/// The client's sales and returns with their totals; a partner clicked opens it.
fn sales_ui(ui: &mut egui::Ui, c: &ClientData, lang: Lang) -> Option<Command> {
    let mut command = None;
    ui.add_space(8.0);
    ui.strong(format!(
        "{} {} · {} {} · {} {}",
        lang.pick("Продаж и возвратов:", "Sales and returns:"),
        c.count,
        lang.pick("сумма", "amount"),
        c.amount.display(lang),
        lang.pick("премия", "premium"),
        c.premium.display(lang)
    ));
    egui::Grid::new("client-sales")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for s in &c.sales {
                ui.label(ui::date(s.date, lang));
                if ui.link(&s.partner_name).clicked() {
                    command = Some(Command::OpenPartner(s.partner));
                }
                ui.label(s.kind.short_name(lang));
                ui.label(ui::money(s.amount, lang));
                ui.label(match s.reason {
                    Some(r) => format!("{} · {}", ui::money(s.premium, lang), r.text(lang)),
                    None => ui::money(s.premium, lang),
                });
                ui.end_row();
            }
        });
    command
}

/// The client's sales and returns deleted as mistakes, struck through, with who deleted
/// them and when; «Восстановить» puts one back while its period is in no issued statement.
fn deleted_ui(
    ui: &mut egui::Ui,
    deleted: &[Correction],
    data: &Data,
    pctx: &PageCtx,
) -> Option<Command> {
    let lang = pctx.lang;
    if deleted.is_empty() {
        return None;
    }
    ui.add_space(8.0);
    ui.strong(lang.pick(
        "Удалённые записи (остаются в истории исправлений)",
        "Deleted records (kept in the history of corrections)",
    ));
    let mut command = None;
    for d in deleted {
        let r = &d.before;
        let partner = crate::domain::PartnerId(r.partner_id);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} · {} · {} · {}{} · {} {} ({})",
                    ui::date(r.date, lang),
                    data.partner_name(partner),
                    r.doc.as_deref().unwrap_or("—"),
                    ui::money(r.amount(), lang),
                    if matches!(r.record, RecordOf::ReturnOf(_)) || r.amount_kop < 0 {
                        lang.pick(" (возврат)", " (return)")
                    } else {
                        ""
                    },
                    lang.pick("удалена", "deleted"),
                    d.when(),
                    d.by
                ))
                .strikethrough()
                .weak(),
            );
            if restore_button(ui, d, data.issued_over(partner, r.date), pctx) {
                command = Some(Command::RestoreSale { id: d.sale_id });
            }
        });
    }
    command
}

/// «Восстановить» beside a deleted record: offered while its period is open, and for a
/// record whose deletion kept whether it was a sale or a return.
fn restore_button(
    ui: &mut egui::Ui,
    d: &Correction,
    issued: Option<&crate::store::IssuedRow>,
    pctx: &PageCtx,
) -> bool {
    let lang = pctx.lang;
    if d.before.record == RecordOf::Unknown {
        return false;
    }
    let button = egui::Button::new(lang.pick("Восстановить", "Restore")).small();
    let r = ui::change_button(ui, pctx, Right::Record, issued.is_none(), button);
    match issued {
        Some(s) => r.on_disabled_hover_text(lang.say(
            format_args!(
                "период выдан в ведомости № {}; переоткройте её, чтобы восстановить запись",
                s.number
            ),
            format_args!(
                "the period is issued in statement No. {}; reopen it to restore the record",
                s.number
            ),
        )),
        None => r.on_hover_text(lang.pick(
            "Записать её снова; восстановление останется в истории",
            "Record it again; the restore stays in the history",
        )),
    }
    .clicked()
}
