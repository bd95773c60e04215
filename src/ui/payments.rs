//! The «Выплаты» page: issued statements not yet paid in full (partner, number, period,
//! amount, paid, left, days since issue) and the total owed; payment orders for the
//! statements chosen, a bank statement imported, and a payment recorded by hand or undone,
//! with its history.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::Localized;
use crate::domain::payments::{Due, NewPayment, PaymentSource};
use crate::domain::{Money, show_date};
use crate::snapshot::Data;
use crate::store::Right;
use crate::ui;

/// The page's state between frames.
#[derive(Default)]
pub struct PaymentsPage {
    /// The statements chosen for payment orders.
    chosen: BTreeSet<i64>,
    /// Settled statements shown too.
    show_settled: bool,
    /// The statement whose payments are shown, with the payment being typed.
    opened: Option<i64>,
    date: String,
    amount: String,
    doc: String,
    /// The акт сверки's period, as typed: this year to today when a statement is opened.
    act_from: String,
    act_to: String,
    /// What was left on the opened statement when its amount was put in the form.
    prefilled: Option<Money>,
    /// The first payment order's number, as typed; empty: the one suggested.
    first_number: String,
    /// One after the last payment order written in this session.
    next_number: Option<u32>,
}

impl PaymentsPage {
    /// After payment orders up to number `last` were written: the next file goes on from
    /// there.
    pub fn orders_written(&mut self, last: u32) {
        self.next_number = Some(last.saturating_add(1));
        self.first_number.clear();
    }

    /// The number the next payment orders start from when none is typed: one after the
    /// highest of this year's payments, or after the last written in this session.
    fn suggested_number(&self, data: &Data, today: NaiveDate) -> u32 {
        let recorded = crate::domain::payments::next_order_number(
            data.payments.iter().map(|p| (p.on_date, p.doc.as_str())),
            today.year(),
        );
        recorded.max(self.next_number.unwrap_or(1))
    }

    /// After a payment was recorded: the form is emptied.
    pub fn recorded(&mut self) {
        self.amount.clear();
        self.doc.clear();
    }
}

/// The total owed: what is left on every statement not settled (a negative statement's
/// remainder is withheld from it).
pub fn total_owed(dues: &[Due]) -> Money {
    dues.iter().map(Due::left).sum()
}

/// The page.
pub fn payments_ui(
    ui: &mut Ui,
    page: &mut PaymentsPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Выплаты", "Payments"));
    let shown: Vec<&Due> = data
        .dues
        .iter()
        .filter(|d| page.show_settled || !d.is_settled())
        .collect();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("Всего к выплате:", "Total owed:"),
                total_owed(&data.dues).display(lang)
            ))
            .strong(),
        );
        ui.separator();
        ui.checkbox(
            &mut page.show_settled,
            lang.pick("Показывать оплаченные", "Show paid ones"),
        );
    });
    let mut command = buttons_ui(ui, page, data, ctx);
    ui.add_space(6.0);
    if shown.is_empty() {
        ui.label(
            RichText::new(lang.pick(
                "Неоплаченных выданных отчётов нет.",
                "No issued statement is waiting for payment.",
            ))
            .weak(),
        );
    } else {
        dues_table_ui(ui, page, &shown, ctx);
    }
    if let Some(due) = page
        .opened
        .and_then(|id| data.dues.iter().find(|d| d.statement_id == id))
    {
        command = opened_ui(ui, page, due, data, ctx).or(command);
    }
    command
}

fn buttons_ui(ui: &mut Ui, page: &mut PaymentsPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.horizontal(|ui| {
        let numbers: Vec<String> = data
            .dues
            .iter()
            .filter(|d| page.chosen.contains(&d.statement_id))
            .map(|d| d.number.clone())
            .collect();
        let orders = ui::change_button(
            ui,
            ctx,
            Right::Record,
            !numbers.is_empty(),
            egui::Button::new(lang.pick("Платёжные поручения…", "Payment orders…")),
        )
        .on_hover_text(lang.pick(
            "Файл 1CClientBankExchange для 1С:Бухгалтерии или клиента банка: по поручению на партнёра",
            "A 1CClientBankExchange file for 1C or the bank's client: one order per partner",
        ));
        let label = ui.label(lang.pick("с №", "from No."));
        let suggested = page.suggested_number(data, ctx.today);
        let typed = page.first_number.trim().parse::<u32>().ok().filter(|n| *n > 0);
        let wrong = typed.is_none() && !page.first_number.trim().is_empty();
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut page.first_number)
                    .hint_text(suggested.to_string())
                    .desired_width(56.0),
            )
            .labelled_by(label.id);
        field.on_hover_text(if wrong {
            lang.pick(
                "Номер — целое число от 1; пусто — номер по порядку",
                "A number is a whole number from 1; empty: the next in order",
            )
        } else {
            lang.pick(
                "Номер первого поручения; по порядку — следующий после последней оплаты этого года",
                "The first order's number; in order, the one after this year's last payment",
            )
        });
        if orders.clicked() && !wrong {
            command = Some(Command::PaymentOrders(
                numbers,
                Some(typed.unwrap_or(suggested)),
            ));
        }
        if ui::change_button(
            ui,
            ctx,
            Right::Lead,
            true,
            egui::Button::new(lang.pick("Выписка банка…", "Bank statement…")),
        )
        .clicked()
        {
            command = Some(Command::ImportBank);
        }
    });
    command
}

/// The statements, a row each, with a box to choose it and a button to open its payments.
fn dues_table_ui(ui: &mut Ui, page: &mut PaymentsPage, shown: &[&Due], ctx: &PageCtx) {
    let lang = ctx.lang;
    let titles = [
        lang.pick("В поручение", "Pay"),
        lang.pick("Партнёр", "Partner"),
        lang.pick("Оплаты", "Payments"),
        lang.pick("Период", "Period"),
        lang.pick("Сумма", "Amount"),
        lang.pick("Оплачено", "Paid"),
        lang.pick("Осталось", "Left"),
        lang.pick("Дней с выдачи", "Days since issue"),
    ];
    let mut builder = egui_extras::TableBuilder::new(ui)
        .id_salt("payments-table")
        .striped(true)
        .max_scroll_height(320.0)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(egui_extras::Column::initial(110.0))
        .column(egui_extras::Column::initial(200.0).clip(true))
        .column(egui_extras::Column::initial(75.0))
        .column(egui_extras::Column::initial(180.0));
    for _ in 4..titles.len() {
        builder = builder.column(egui_extras::Column::initial(105.0).at_least(60.0));
    }
    builder
        .header(22.0, |mut header| {
            for title in titles {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, shown.len(), |mut row| {
                let due = shown[row.index()];
                row.col(|ui| {
                    let mut chosen = page.chosen.contains(&due.statement_id);
                    let hint = lang.pick("В платёжные поручения", "Into the payment orders");
                    if ui
                        .checkbox(&mut chosen, &due.number)
                        .on_hover_text(hint)
                        .changed()
                    {
                        if chosen {
                            page.chosen.insert(due.statement_id);
                        } else {
                            page.chosen.remove(&due.statement_id);
                        }
                    }
                });
                row.col(|ui| {
                    ui.label(&due.partner_name);
                });
                row.col(|ui| {
                    let open = ui
                        .link(lang.pick("оплаты…", "payments…"))
                        .on_hover_text(format!(
                            "{} {}",
                            lang.pick("Оплаты по отчёту", "Payments of"),
                            due.number
                        ));
                    if open.clicked() {
                        page.opened = Some(due.statement_id);
                        page.date = show_date(ctx.today, lang);
                        page.amount = amount_text(due.left());
                        page.prefilled = Some(due.left());
                        if page.act_from.is_empty() && page.act_to.is_empty() {
                            let year = NaiveDate::from_ymd_opt(ctx.today.year(), 1, 1);
                            page.act_from = show_date(year.unwrap_or(ctx.today), lang);
                            page.act_to = show_date(ctx.today, lang);
                        }
                    }
                });
                row.col(|ui| {
                    ui.label(format!(
                        "{} — {}",
                        show_date(due.from, lang),
                        show_date(due.to, lang)
                    ));
                });
                let right = egui::Layout::right_to_left(egui::Align::Center);
                for money in [due.premium, due.paid, due.left()] {
                    row.col(|ui| {
                        ui.with_layout(right, |ui| ui.label(money.display(lang)));
                    });
                }
                row.col(|ui| {
                    ui.with_layout(right, |ui| ui.label(due.days_open(ctx.today).to_string()));
                });
            });
        });
}

/// The opened statement: a payment by hand, and its payments with their undo.
fn opened_ui(
    ui: &mut Ui,
    page: &mut PaymentsPage,
    due: &Due,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    // What is left changed (a payment recorded or undone): the amount put in follows it,
    // unless the user typed another.
    let left = due.left();
    let untouched = |page: &PaymentsPage| {
        page.amount.is_empty()
            || page.prefilled.map(amount_text).as_deref() == Some(page.amount.as_str())
    };
    if page.prefilled != Some(left) && untouched(page) {
        page.amount = if left.is_zero() {
            String::new()
        } else {
            amount_text(left)
        };
        page.prefilled = Some(left);
    }
    ui.add_space(10.0);
    ui.separator();
    ui.strong(format!(
        "{} {} — {}",
        lang.pick("Оплата по отчёту", "Payment of statement"),
        due.number,
        due.partner_name
    ));
    let date = crate::domain::parse_date(&page.date);
    let amount = Money::parse_amount(&page.amount);
    egui::Grid::new("payment-grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let date_error = date
                .is_none()
                .then(|| lang.pick("нужна дата", "a date is needed"));
            ui::date_row(
                ui,
                lang.pick("Дата оплаты", "Paid on"),
                &mut page.date,
                date_error,
                ctx.today,
                lang,
            );
            let amount_error = amount
                .as_ref()
                .err()
                .filter(|_| !page.amount.is_empty())
                .map(|e| e.text(lang));
            ui::text_row(
                ui,
                lang.pick("Сумма оплаты", "Amount paid"),
                &mut page.amount,
                "0,00",
                amount_error.as_deref(),
            );
            ui::text_row(
                ui,
                lang.pick("№ платёжного поручения", "Payment order No."),
                &mut page.doc,
                "15",
                None,
            );
        });
    let mut command = None;
    if let (Some(on_date), Ok(amount)) = (date, amount) {
        let clicked = ui::change_button(
            ui,
            ctx,
            Right::Lead,
            true,
            egui::Button::new(lang.pick("Записать оплату", "Record payment")),
        )
        .clicked();
        if clicked {
            command = Some(Command::RecordPayment(Box::new(NewPayment {
                statement_id: due.statement_id,
                on_date,
                // A negative statement is withheld: its payment is negative too.
                amount: if due.premium.kopecks() < 0 {
                    -amount
                } else {
                    amount
                },
                doc: page.doc.trim().to_owned(),
                source: PaymentSource::Hand,
                bank_ref: String::new(),
            })));
        }
    }
    ui.add_space(4.0);
    let act = reconciliation_ui(ui, page, due, ctx);
    history_ui(ui, due, data, ctx).or(command).or(act)
}

/// An amount as the form's field takes it: `1234,50`.
fn amount_text(amount: Money) -> String {
    amount.plain().replace('.', ",")
}

/// The partner's акт сверки for the period chosen beside its button.
fn reconciliation_ui(
    ui: &mut Ui,
    page: &mut PaymentsPage,
    due: &Due,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.pick("Акт сверки", "Reconciliation"));
        ui::period_filter(ui, &mut page.act_from, &mut page.act_to, ctx.today, lang);
        let from = ui::parse_date_field(&page.act_from);
        let to = ui::parse_date_field(&page.act_to);
        let period = match (from, to) {
            (Ok(Some(from)), Ok(Some(to))) if from <= to => Some((from, to)),
            _ => None,
        };
        let button = ui.add_enabled(
            period.is_some(),
            egui::Button::new(lang.pick("Сохранить акт сверки…", "Save reconciliation…")),
        );
        let button = button
            .on_hover_text(lang.pick(
                "PDF или Excel, по расширению имени файла (.pdf, .xlsx)",
                "PDF or Excel, by the file name's extension (.pdf, .xlsx)",
            ))
            .on_disabled_hover_text(lang.pick(
                "Укажите период: первый день и последний, не раньше первого",
                "Give the period: a first day and a last one, not before the first",
            ));
        if let (true, Some((from, to))) = (button.clicked(), period) {
            command = Some(Command::ExportReconciliation {
                partner: due.partner,
                from,
                to,
            });
        }
    });
    command
}

/// The statement's payments as recorded, each undone one marked, with «Отменить» for the
/// others.
fn history_ui(ui: &mut Ui, due: &Due, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.add_space(6.0);
    ui.label(RichText::new(lang.pick("История оплат", "Payments")).weak());
    let mine: Vec<_> = data
        .payments
        .iter()
        .filter(|p| p.statement_id == due.statement_id)
        .collect();
    if mine.is_empty() {
        ui.label(RichText::new(lang.pick("оплат не было", "none yet")).weak());
    }
    for p in mine {
        ui.horizontal(|ui| {
            let text = format!(
                "{} · {} · № {} · {}{}",
                show_date(p.on_date, lang),
                p.amount.display(lang),
                p.doc,
                p.source.name(lang),
                ui::recorded_by(&p.recorded_by, lang)
            );
            if p.cancelled {
                ui.label(RichText::new(text).strikethrough());
            } else {
                ui.label(text);
            }
            if !p.cancelled
                && p.cancels.is_none()
                && ui::change_button(
                    ui,
                    ctx,
                    Right::Lead,
                    true,
                    egui::Button::new(lang.pick("Отменить", "Undo")),
                )
                .clicked()
            {
                command = Some(Command::UndoPayment {
                    id: p.id,
                    what: format!(
                        "{} · {} · № {}",
                        show_date(p.on_date, lang),
                        p.amount.display(lang),
                        p.doc
                    ),
                });
            }
        });
    }
    command
}

/// How the Overview says what is owed: the total, and the statements unpaid longer than
/// `days`.
pub fn overdue(dues: &[Due], today: chrono::NaiveDate, days: i64) -> Vec<&Due> {
    dues.iter()
        .filter(|d| d.left().kopecks() > 0 && d.days_open(today) > days)
        .collect()
}
