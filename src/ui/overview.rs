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

fn card(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui)) {
    // The frame's margins and stroke come on top of the width set inside it.
    let width = (ui.available_width() - 22.0).max(100.0);
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(width);
            ui.label(RichText::new(title).strong().size(15.0));
            ui.add_space(4.0);
            add(ui);
        });
    ui.add_space(8.0);
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
        ui.label(format!("{} {}", lang.pick("Продаж:", "Sales:"), c.now.0));
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
    let today = ctx.today;
    let mut command = None;
    ui.heading(lang.pick("Обзор", "Overview"));
    ui.add_space(6.0);
    let Some(lists) = page.lists.get() else {
        ui.spinner();
        return None;
    };
    let figures = page.figures.get();

    if let Some((pin_id, agreed_by)) = &mut page.extending {
        let mut decision = None;
        let row = lists.ending.iter().find(|r| r.pin.id == *pin_id);
        egui::Modal::new(egui::Id::unique("overview-extend")).show(ui.ctx(), |ui| {
            ui.heading(lang.pick(
                "Продлить закрепление на 3 месяца",
                "Extend the pin by 3 months",
            ));
            // What is extended, and to which day, before anyone is named as agreeing.
            if let Some(r) = row {
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
                let new_last =
                    crate::domain::pin::extend(std::slice::from_ref(&r.pin), &r.pin, today)
                        .ok()
                        .map(crate::domain::pin::last_day_of);
                if let Some(new_last) = new_last {
                    ui.label(
                        RichText::new(format!("{} → {}", until(r.pin.last_day()), until(new_last)))
                            .strong(),
                    );
                }
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
            Some(true) => {
                command = Some(Command::ExtendPin {
                    pin_id: *pin_id,
                    date: today,
                    agreed_by: agreed_by.trim().to_owned(),
                    note: lang
                        .pick("продлено из обзора", "extended from the overview")
                        .to_owned(),
                });
            }
            Some(false) => page.extending = None,
            None => {}
        }
    }

    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.columns(2, |cols| {
            let ending = &lists.ending;
            card(&mut cols[0], lang.pick("Закрепления истекают в ближайшие 14 дней", "Pins ending within 14 days"), |ui| {
                if ending.is_empty() {
                    ui.label(RichText::new(lang.pick("Нет — всё спокойно.", "None — all quiet.")).weak());
                }
                for r in ending {
                    ui.horizontal_wrapped(|ui| {
                        if ui::change_button(ui, ctx, Right::Record, true, egui::Button::new(lang.pick("Продлить…", "Extend…")).small()).clicked() {
                            page.extending = Some((r.pin.id, String::new()));
                        }
                        let client = if r.client_name.is_empty() { r.client_inn.to_string() } else { r.client_name.clone() };
                        if ui.link(client).on_hover_text(r.client_inn.as_str()).clicked() {
                            command = Some(Command::OpenClient(r.client_inn));
                        }
                        ui.label(format!(
                            "· {} · {} {} ({} {})",
                            r.partner_name,
                            lang.pick("по", "until"),
                            ui::date(r.pin.last_day(), lang),
                            r.pin.days_left(today),
                            lang.pick("дн.", "days")
                        ));
                    });
                }
            });
            card(&mut cols[0], lang.pick("Отказы в закреплении за 30 дней", "Pin requests refused in 30 days"), |ui| {
                if lists.refusals.is_empty() {
                    ui.label(RichText::new(lang.pick("Отказов не было.", "No refusals.")).weak());
                }
                for r in &lists.refusals {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(ui::date(r.on_date, lang));
                        let client = if r.client_name.is_empty() { r.client_inn.to_string() } else { r.client_name.clone() };
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
            });
            let unbacked: Vec<_> = data.summaries.iter().filter(|p| !p.gaps.is_empty()).collect();
            card(&mut cols[0], lang.pick("Статус не подтверждён требованиями", "Status not backed by evidence"), |ui| {
                if unbacked.is_empty() {
                    ui.label(RichText::new(lang.pick("Все статусы подтверждены.", "Every status is backed.")).weak());
                }
                for p in unbacked {
                    ui.horizontal(|ui| {
                        if ui.link(&p.name).clicked() {
                            command = Some(Command::OpenPartner(p.id));
                        }
                        ui.label(RichText::new(format!("{} · {}", status_name(p.status, lang), p.gaps.len())).color(ui::warn_color(ui)))
                            .on_hover_text(p.gaps.iter().map(|g| g.text(lang)).collect::<Vec<_>>().join("\n"));
                    });
                }
            });

            let Some(overview) = figures else {
                card(&mut cols[1], lang.pick("Этот месяц и квартал", "This month and quarter"), |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new(lang.pick("Суммы считаются…", "Adding up the sales…")).weak());
                    });
                });
                return;
            };
            card(&mut cols[1], lang.pick("Этот месяц и квартал", "This month and quarter"), |ui| {
                ui.columns(2, |c| {
                    comparison_ui(&mut c[0], lang.pick("Месяц", "Month"), &overview.month, lang);
                    comparison_ui(&mut c[1], lang.pick("Квартал", "Quarter"), &overview.quarter, lang);
                });
            });
            card(&mut cols[1], lang.pick("Премия 0: ставка не задана", "Premium 0: rate not set"), |ui| {
                let (n, amount) = overview.without_rate;
                if n == 0 {
                    ui.label(RichText::new(lang.pick("Таких продаж нет.", "No such sales.")).weak());
                } else {
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
                    if ui.button(lang.pick("Открыть ставки премий", "Open the rate table")).clicked() {
                        command = Some(Command::Navigate(ui::Page::Rates));
                    }
                }
            });
            card(&mut cols[1], lang.pick("Премия этого года по статусам", "This year's premium by status"), |ui| {
                let total: Money = overview.by_status.iter().map(|(_, m)| *m).sum();
                for (status, premium) in &overview.by_status {
                    let share = if total.is_zero() { 0.0 } else { height(*premium) / height(total) };
                    ui.horizontal(|ui| {
                        ui.add_sized([110.0, 18.0], egui::Label::new(status_name(*status, lang)));
                        // The sum beside its bar, not across it: a short bar cannot hold it.
                        ui.add(egui::ProgressBar::new(share as f32).desired_width(200.0));
                        ui.label(premium.display(lang));
                    });
                }
            });
        });
        let Some(overview) = figures else { return };
        card(ui, lang.pick("Премии по месяцам за 24 месяца", "Premiums by month, last 24 months"), |ui| {
            ui.label(RichText::new(lang.pick(
                "Наведите на столбец, чтобы увидеть сумму; щелчок открывает продажи месяца.",
                "Hover a bar for its sum; a click opens that month's sales.",
            )).weak().small());
            if let Some(month) = premium_chart_ui(ui, "overview-chart", &overview.series, lang, 260.0) {
                command = Some(Command::ShowSales { partner: None, month });
            }
        });
    });
    command
}

/// A premium as a fraction's numerator, only for drawing the status bars.
fn height(m: Money) -> f64 {
    m.decimal().to_string().parse().unwrap_or(0.0)
}
