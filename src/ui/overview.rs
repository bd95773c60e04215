//! The Overview page: what needs attention today (pins about to end, refused requests,
//! premiums held back by a rate not set, statuses not backed by evidence), this month and
//! quarter against last year, and premiums as pictures.

use crate::store::Right;
use chrono::{Datelike, Days, Months, NaiveDate};
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::Lang;
use crate::domain::status::status_name;
use crate::domain::{Money, Status};
use crate::reader::{Ask, Loaded};
use crate::snapshot::Data;
use crate::store::{Db, PinRow, Refusal, SalesQuery, StoreError};
use crate::ui;
use crate::ui::chart::{MonthSeries, premium_chart_ui};

/// Pins ending within this many days are listed.
pub use crate::ui::pins::ENDING_SOON_DAYS;

/// Sales, amount and premium of a period and of the same period a year before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub now: (i64, Money, Money),
    pub last_year: (i64, Money, Money),
    /// How many of the records counted in `now` are returns.
    pub returns: i64,
}

/// What needs attention today: small lists, read first, so that the Overview shows them
/// as soon as the window opens.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    pub ending: Vec<PinRow>,
    pub refusals: Vec<Refusal>,
}

/// The Overview's figures: sums over the sales of a year and more, read after the lists
/// (a third of a second over a million sales).
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub without_rate: (i64, Money),
    pub month: Comparison,
    pub quarter: Comparison,
    pub series: MonthSeries,
    pub by_status: Vec<(Option<Status>, Money)>,
}

/// The page's state between frames.
#[derive(Default)]
pub struct OverviewPage {
    /// The Overview read for a data version and a day: its lists, then its figures.
    lists: Loaded<(u64, NaiveDate), Lists>,
    figures: Loaded<(u64, NaiveDate), Figures>,
    /// The pin being extended from the Overview, and who agreed.
    extending: Option<(crate::domain::PinId, String)>,
}

fn totals(db: &Db<'_>, from: NaiveDate, to: NaiveDate) -> Result<(i64, Money, Money), StoreError> {
    db.sales_totals(&SalesQuery {
        from: Some(from),
        to: Some(to),
        ..SalesQuery::default()
    })
}

fn comparison(db: &Db<'_>, from: NaiveDate, to: NaiveDate) -> Result<Comparison, StoreError> {
    let year_ago = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
    Ok(Comparison {
        from,
        to,
        now: totals(db, from, to)?,
        last_year: totals(db, year_ago(from), year_ago(to))?,
        returns: db.returns_count(&SalesQuery {
            from: Some(from),
            to: Some(to),
            ..SalesQuery::default()
        })?,
    })
}

impl OverviewPage {
    pub fn wants_data(&self, version: u64) -> bool {
        let wants = |waiting: bool, here: bool| !here && !waiting;
        version > 0
            && (wants(self.lists.waiting(), self.lists.get().is_some())
                || wants(self.figures.waiting(), self.figures.get().is_some()))
    }

    /// The Overview shows its lists (for some data version and day).
    pub fn ready(&self) -> bool {
        self.lists.get().is_some()
    }

    pub fn extended(&mut self) {
        self.extending = None;
    }

    /// Reads the Overview (on the reader) when the data or the day changed.
    pub fn load(
        &mut self,
        ask: Ask<'_>,
        version: u64,
        today: NaiveDate,
    ) -> Option<crate::reader::ReadError> {
        let key = (version, today);
        let lists = self.lists.load(ask, &key, move |db| {
            Ok(Lists {
                ending: db.pins_ending(today, ENDING_SOON_DAYS)?,
                refusals: db.refusals_since(today - Days::new(30))?,
            })
        });
        // Asked after the lists: the reader answers in turn.
        let figures = self.figures.load(ask, &key, move |db| figures(db, today));
        lists.or(figures)
    }
}

/// The Overview's figures on `today`.
fn figures(db: &Db<'_>, today: NaiveDate) -> Result<Figures, StoreError> {
    let month_start = today.with_day(1).unwrap_or(today);
    let quarter_start =
        NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1).unwrap_or(today);
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    Ok(Figures {
        without_rate: db.sales_without_rate()?,
        month: comparison(db, month_start, today)?,
        quarter: comparison(db, quarter_start, today)?,
        series: MonthSeries::load(db, None, today)?,
        by_status: db.premiums_by_status(year_start, today)?,
    })
}

/// A card of the Overview: a framed box with its title, holding what `add` draws.
fn card<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    // The frame's margins and stroke come on top of the width set inside it.
    let width = (ui.available_width() - 22.0).max(100.0);
    let inner = egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(width);
            ui.label(RichText::new(title).strong().size(15.0));
            ui.add_space(4.0);
            add(ui)
        })
        .inner;
    ui.add_space(8.0);
    inner
}

fn change(now: Money, before: Money, lang: Lang) -> String {
    if before.is_zero() {
        return lang.pick("год назад: 0", "a year ago: 0").to_owned();
    }
    let pct =
        (now.decimal() - before.decimal()) / before.decimal() * rust_decimal::Decimal::ONE_HUNDRED;
    let pct = pct.round_dp(0);
    format!(
        "{} {} ({}{}\u{a0}%)",
        lang.pick("год назад:", "a year ago:"),
        before.display(lang),
        if pct.is_sign_negative() { "" } else { "+" },
        pct
    )
}

fn comparison_ui(ui: &mut Ui, title: &str, c: &Comparison, lang: Lang) {
    ui.vertical(|ui| {
        ui.label(RichText::new(title).strong());
        ui.label(
            RichText::new(format!(
                "{} — {}",
                ui::date(c.from, lang),
                ui::date(c.to, lang)
            ))
            .weak()
            .small(),
        );
        // Sales and returns counted apart: a return is not another sale.
        ui.label(format!(
            "{} {} · {} {}",
            lang.pick("Продаж:", "Sales:"),
            c.now.0 - c.returns,
            lang.pick("возвратов:", "returns:"),
            c.returns
        ));
        ui.label(format!(
            "{} {}",
            lang.pick("Сумма:", "Amount:"),
            c.now.1.display(lang)
        ));
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("Премия:", "Premium:"),
                c.now.2.display(lang)
            ))
            .strong(),
        );
        ui.label(RichText::new(change(c.now.2, c.last_year.2, lang)).weak());
    });
}

/// The Overview page.
pub fn overview_ui(
    ui: &mut Ui,
    page: &mut OverviewPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Обзор", "Overview"));
    ui.add_space(6.0);
    let Some(lists) = page.lists.get() else {
        ui.spinner();
        return None;
    };
    let figures = page.figures.get();
    let extending = &mut page.extending;
    let mut command = extend_dialog_ui(ui, extending, &lists.ending, ctx);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.columns(2, |cols| {
            command = attention_ui(&mut cols[0], lists, extending, data, ctx).or(command.take());
            command = owed_card(&mut cols[1], data, ctx).or(command.take());
            command = figures_ui(&mut cols[1], figures, lang).or(command.take());
        });
        let Some(overview) = figures else { return };
        command = chart_card(ui, overview, lang).or(command.take());
    });
    command
}

/// The dialog that extends a pin from the Overview: the client, the partner and the new
/// last day, and who agreed.
fn extend_dialog_ui(
    ui: &mut Ui,
    extending: &mut Option<(crate::domain::PinId, String)>,
    ending: &[PinRow],
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let (pin_id, agreed_by) = extending.as_mut()?;
    let mut decision = None;
    let row = ending.iter().find(|r| r.pin.id == *pin_id);
    egui::Modal::new(egui::Id::unique("overview-extend")).show(ui.ctx(), |ui| {
        ui.heading(lang.pick(
            "Продлить закрепление на 3 месяца",
            "Extend the pin by 3 months",
        ));
        // What is extended, and to which day, before anyone is named as agreeing.
        if let Some(r) = row {
            extended_pin_ui(ui, r, ctx);
        }
        let label = ui.label(lang.pick("Кто согласовал", "Agreed by"));
        ui.add(egui::TextEdit::singleline(agreed_by).desired_width(300.0))
            .labelled_by(label.id)
            .request_focus();
        decision = ui::confirm_buttons(
            ui,
            lang.pick("Продлить", "Extend"),
            !agreed_by.trim().is_empty(),
            lang,
        );
    });
    match decision {
        Some(true) => Some(Command::ExtendPin {
            pin_id: *pin_id,
            date: ctx.today,
            agreed_by: agreed_by.trim().to_owned(),
            note: lang
                .pick("продлено из обзора", "extended from the overview")
                .to_owned(),
        }),
        Some(false) => {
            *extending = None;
            None
        }
        None => None,
    }
}

/// The pin the dialog extends: its client, its partner, and its last day now and after.
fn extended_pin_ui(ui: &mut Ui, r: &PinRow, ctx: &PageCtx) {
    let lang = ctx.lang;
    let client = if r.client_name.is_empty() {
        r.client_inn.to_string()
    } else {
        format!("{} ({})", r.client_name, r.client_inn)
    };
    ui.label(format!("{} {client}", lang.pick("Клиент:", "Client:")));
    ui.label(format!(
        "{} {}",
        lang.pick("Партнёр:", "Partner:"),
        r.partner_name
    ));
    let until = |day| format!("{} {}", lang.pick("по", "until"), ui::date(day, lang));
    let new_last = crate::domain::pin::extend(std::slice::from_ref(&r.pin), &r.pin, ctx.today)
        .ok()
        .map(crate::domain::pin::last_day_of);
    if let Some(new_last) = new_last {
        ui.label(
            RichText::new(format!("{} → {}", until(r.pin.last_day()), until(new_last))).strong(),
        );
    }
}

/// The left column, what needs attention: pins ending, refusals, statuses not backed.
fn attention_ui(
    ui: &mut Ui,
    lists: &Lists,
    extending: &mut Option<(crate::domain::PinId, String)>,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let title = lang.pick(
        "Закрепления истекают в ближайшие 14 дней",
        "Pins ending within 14 days",
    );
    let ending = card(ui, title, |ui| ending_ui(ui, &lists.ending, extending, ctx));
    let title = lang.pick(
        "Отказы в закреплении за 30 дней",
        "Pin requests refused in 30 days",
    );
    let refused = card(ui, title, |ui| refusals_ui(ui, &lists.refusals, data, lang));
    let title = lang.pick(
        "Статус не подтверждён требованиями",
        "Status not backed by evidence",
    );
    let unbacked = card(ui, title, |ui| unbacked_ui(ui, data, lang));
    unbacked.or(refused).or(ending)
}

/// Each pin ending soon, with «Extend…» and its client's card a click away.
fn ending_ui(
    ui: &mut Ui,
    ending: &[PinRow],
    extending: &mut Option<(crate::domain::PinId, String)>,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    if ending.is_empty() {
        ui.label(RichText::new(lang.pick("Нет — всё спокойно.", "None — all quiet.")).weak());
    }
    for r in ending {
        ui.horizontal_wrapped(|ui| {
            let extend = egui::Button::new(lang.pick("Продлить…", "Extend…")).small();
            if ui::change_button(ui, ctx, Right::Record, true, extend).clicked() {
                *extending = Some((r.pin.id, String::new()));
            }
            let client = if r.client_name.is_empty() {
                r.client_inn.to_string()
            } else {
                r.client_name.clone()
            };
            if ui
                .link(client)
                .on_hover_text(r.client_inn.as_str())
                .clicked()
            {
                command = Some(Command::OpenClient(r.client_inn));
            }
            ui.label(format!(
                "· {} · {} {} ({} {})",
                r.partner_name,
                lang.pick("по", "until"),
                ui::date(r.pin.last_day(), lang),
                r.pin.days_left(ctx.today),
                lang.pick("дн.", "days")
            ));
        });
    }
    command
}

/// Each request refused lately: when, the client, who asked and who holds it.
fn refusals_ui(ui: &mut Ui, refusals: &[Refusal], data: &Data, lang: Lang) -> Option<Command> {
    let mut command = None;
    if refusals.is_empty() {
        ui.label(RichText::new(lang.pick("Отказов не было.", "No refusals.")).weak());
    }
    for r in refusals {
        ui.horizontal_wrapped(|ui| {
            ui.label(ui::date(r.on_date, lang));
            let client = if r.client_name.is_empty() {
                r.client_inn.to_string()
            } else {
                r.client_name.clone()
            };
            if ui.link(client).clicked() {
                command = Some(Command::OpenClient(r.client_inn));
            }
            ui.label(format!(
                "· {} {} · {} {}",
                lang.pick("просил", "asked by"),
                data.partner_name(r.requested_by),
                lang.pick("закреплён за", "held by"),
                r.holder.map(|h| data.partner_name(h)).unwrap_or_default()
            ));
        });
    }
    command
}

/// Each partner whose status its evidence does not back, with how many requirements lack.
fn unbacked_ui(ui: &mut Ui, data: &Data, lang: Lang) -> Option<Command> {
    let mut command = None;
    let unbacked: Vec<_> = data
        .summaries
        .iter()
        .filter(|p| !p.gaps.is_empty())
        .collect();
    if unbacked.is_empty() {
        ui.label(
            RichText::new(lang.pick("Все статусы подтверждены.", "Every status is backed.")).weak(),
        );
    }
    for p in unbacked {
        ui.horizontal(|ui| {
            if ui.link(&p.name).clicked() {
                command = Some(Command::OpenPartner(p.id));
            }
            let gaps: Vec<_> = p.gaps.iter().map(|g| g.text(lang)).collect();
            let text = format!("{} · {}", status_name(p.status, lang), p.gaps.len());
            ui.label(RichText::new(text).color(ui::warn_color(ui)))
                .on_hover_text(gaps.join("\n"));
        });
    }
    command
}

/// The right column, the figures once read: this month and quarter against last year,
/// premiums held back by a rate not set, this year's premium by status.
/// What is owed to partners on issued statements, and those unpaid longer than the
/// setting's days (which the card changes), each opening the «Выплаты» page.
fn owed_card(ui: &mut Ui, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let title = lang.pick("Выплаты партнёрам", "Payments to partners");
    card(ui, title, |ui| {
        let mut command = None;
        let owed = super::payments::total_owed(&data.dues);
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("Всего к выплате:", "Total owed:"),
                owed.display(lang)
            ))
            .strong(),
        );
        let mut days = ctx.overdue_days;
        ui.horizontal(|ui| {
            let label = ui.label(lang.pick("Не оплачены дольше", "Unpaid for more than"));
            let field = ui.add(egui::DragValue::new(&mut days).range(1..=365));
            if field.labelled_by(label.id).changed() {
                command = Some(Command::OverdueAfter(days));
            }
            ui.label(lang.pick("дней:", "days:"));
        });
        let overdue = super::payments::overdue(&data.dues, ctx.today, i64::from(ctx.overdue_days));
        if overdue.is_empty() {
            ui.label(RichText::new(lang.pick("нет", "none")).weak());
        }
        for due in overdue {
            let text = format!(
                "{} · {} · {} · {} {}",
                due.number,
                due.partner_name,
                due.left().display(lang),
                due.days_open(ctx.today),
                lang.pick("дн.", "days")
            );
            if ui
                .link(RichText::new(text).color(ui::warn_color(ui)))
                .clicked()
            {
                command = Some(Command::Navigate(ui::Page::Payments));
            }
        }
        command
    })
}

fn figures_ui(ui: &mut Ui, figures: Option<&Figures>, lang: Lang) -> Option<Command> {
    let title = lang.pick("Этот месяц и квартал", "This month and quarter");
    let Some(overview) = figures else {
        card(ui, title, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                let adding = lang.pick("Суммы считаются…", "Adding up the sales…");
                ui.label(RichText::new(adding).weak());
            });
        });
        return None;
    };
    card(ui, title, |ui| {
        ui.columns(2, |c| {
            comparison_ui(
                &mut c[0],
                lang.pick("Месяц", "Month"),
                &overview.month,
                lang,
            );
            comparison_ui(
                &mut c[1],
                lang.pick("Квартал", "Quarter"),
                &overview.quarter,
                lang,
            );
        });
    });
    let title = lang.pick("Премия 0: ставка не задана", "Premium 0: rate not set");
    let command = card(ui, title, |ui| {
        without_rate_ui(ui, overview.without_rate, lang)
    });
    let title = lang.pick(
        "Премия этого года по статусам",
        "This year's premium by status",
    );
    card(ui, title, |ui| by_status_ui(ui, &overview.by_status, lang));
    command
}

/// How many sales (and for how much) have no rate, with the way to the rate table.
fn without_rate_ui(ui: &mut Ui, (n, amount): (i64, Money), lang: Lang) -> Option<Command> {
    if n == 0 {
        ui.label(RichText::new(lang.pick("Таких продаж нет.", "No such sales.")).weak());
        return None;
    }
    ui.label(format!(
        "{} {n} {} {}",
        lang.pick("Продаж:", "Sales:"),
        lang.pick("на сумму", "for"),
        amount.display(lang)
    ));
    ui.label(RichText::new(lang.pick(
        "Регламент не даёт ставку для видеозвонков; премия появится, когда ставка будет задана.",
        "The regulation gives no rate for video calls; the premium appears once a rate is set.",
    )).weak());
    ui.button(lang.pick("Открыть ставки премий", "Open the rate table"))
        .clicked()
        .then_some(Command::Navigate(ui::Page::Rates))
}

/// Each status's premium this year, as a bar of the whole with the sum beside it.
fn by_status_ui(ui: &mut Ui, by_status: &[(Option<Status>, Money)], lang: Lang) {
    let total: Money = by_status.iter().map(|(_, m)| *m).sum();
    for (status, premium) in by_status {
        let share = if total.is_zero() {
            0.0
        } else {
            height(*premium) / height(total)
        };
        ui.horizontal(|ui| {
            ui.add_sized([110.0, 18.0], egui::Label::new(status_name(*status, lang)));
            // The sum beside its bar, not across it: a short bar cannot hold it.
            ui.add(egui::ProgressBar::new(share as f32).desired_width(200.0));
            ui.label(premium.display(lang));
        });
    }
}

/// Premiums by month over 24 months: a month clicked shows its sales.
fn chart_card(ui: &mut Ui, overview: &Figures, lang: Lang) -> Option<Command> {
    let title = lang.pick(
        "Премии по месяцам за 24 месяца",
        "Premiums by month, last 24 months",
    );
    card(ui, title, |ui| {
        ui.label(
            RichText::new(lang.pick(
                "Наведите на столбец, чтобы увидеть сумму; щелчок открывает продажи месяца.",
                "Hover a bar for its sum; a click opens that month's sales.",
            ))
            .weak()
            .small(),
        );
        let month = premium_chart_ui(ui, "overview-chart", &overview.series, lang, 260.0)?;
        Some(Command::ShowSales {
            partner: None,
            month,
        })
    })
}

/// A premium as a fraction's numerator, only for drawing the status bars.
fn height(m: Money) -> f64 {
    m.decimal().to_string().parse().unwrap_or(0.0)
}
