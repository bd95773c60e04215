//! The Sales page's side panel: the sale form (new or correcting) with the premium
//! explained as it is filled, and an opened sale with its return form and its history.

use super::*;
use crate::domain::{AmountError, InnError, TextField};
use crate::store::{IssuedRow, Right};

/// The sale form, new or correcting a recorded sale: its fields, what the sale would be,
/// and its buttons.
pub(super) fn sale_form_ui(
    ui: &mut Ui,
    page: &mut SalesPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.heading(if page.editing.is_some() {
        lang.pick("Исправить продажу", "Correct the sale")
    } else {
        lang.pick("Новая продажа", "New sale")
    });
    changed_meanwhile_ui(ui, page, data, lang);
    let focus_first = std::mem::take(&mut page.focus_first);
    let ready = page
        .draft
        .ui(ui, (&mut page.known_client, focus_first), data, ctx);
    let label = if page.editing.is_some() {
        lang.pick("Сохранить исправление", "Save the correction")
    } else {
        lang.pick("Записать продажу", "Record sale")
    };
    let buttons = ui::form_buttons(ui, label, ready.is_some(), ctx, Right::Record);
    if buttons.cancelled {
        page.close_form();
    }
    let sale = ready.filter(|_| buttons.submitted)?;
    Some(match &page.editing {
        Some(Editing { id, base, .. }) => Command::CorrectSale {
            id: *id,
            sale,
            base: Box::new(base.clone()),
        },
        None => Command::RecordSale(sale),
    })
}

/// The sale form's fields as they were read at the start of the frame.
struct Typed {
    date: ui::DateField,
    inn: Result<Inn, InnError>,
    amount: Result<Money, AmountError>,
}

impl Draft {
    /// The form's fields, then what the sale would be under them: its premium explained,
    /// or why it cannot be recorded. The sale, when it can be.
    fn ui(
        &mut self,
        ui: &mut Ui,
        (known_client, focus_first): (&mut ui::KnownClient, bool),
        data: &Data,
        ctx: &PageCtx,
    ) -> Option<NewSale> {
        let typed = Typed {
            date: ui::parse_date_field(&self.date),
            inn: Inn::parse(&self.client_inn),
            amount: Money::parse_amount(&self.amount),
        };
        egui::Grid::new("sale-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                self.date_and_partner_rows(ui, (&typed.date, focus_first), data, ctx);
                known_client.inn_row(
                    ui,
                    &mut self.client_inn,
                    &mut self.client_name,
                    &data.pins,
                    ctx.today,
                    ctx.lang,
                );
                self.pinned_clients_row(ui, &typed.date, data, ctx.lang);
                self.deal_rows(ui, &typed.amount, ctx.lang);
                self.role_rows(ui, ctx.lang);
            });
        self.verdict_ui(ui, &typed, data, ctx.lang)
    }

    /// The date (which takes the cursor when the form `focus_first`) and the partner.
    fn date_and_partner_rows(
        &mut self,
        ui: &mut Ui,
        (date, focus_first): (&ui::DateField, bool),
        data: &Data,
        ctx: &PageCtx,
    ) {
        let lang = ctx.lang;
        let date_error = ui::date_error(date, lang)
            .or_else(|| self.issued_over(date, data).map(|s| issued_text(s, lang)));
        let first = ui::date_row(
            ui,
            lang.pick("Дата отгрузки", "Shipment date"),
            &mut self.date,
            date_error.as_deref(),
            ctx.today,
            lang,
        );
        if focus_first {
            first.request_focus();
            ui::select_all(ui.ctx(), first.id, &self.date);
        }
        let label = ui.label(lang.pick("Партнёр", "Partner"));
        ui::partner_combo(
            ui,
            "sale-partner",
            label.id,
            &data.partners,
            &mut self.partner,
            lang.pick("— выберите —", "— choose —"),
            lang,
        );
        ui.end_row();
    }

    /// The issued statement, not reopened, of the chosen partner that covers the date
    /// typed: a sale dated in it cannot be recorded.
    fn issued_over<'d>(&self, date: &ui::DateField, data: &'d Data) -> Option<&'d IssuedRow> {
        match (date, self.partner) {
            (Ok(Some(date)), Some(partner)) => data.issued_over(partner, *date),
            _ => None,
        }
    }

    /// The clients this partner has pinned on the date, to pick from. The row is always
    /// there, so that the fields below do not move as the form fills.
    fn pinned_clients_row(&mut self, ui: &mut Ui, date: &ui::DateField, data: &Data, lang: Lang) {
        let pinned: Vec<_> = match (self.partner, date) {
            (Some(partner), Ok(Some(date))) => data
                .pins
                .iter()
                .filter(|r| r.pin.partner == partner && r.pin.in_force_on(*date))
                .collect(),
            _ => Vec::new(),
        };
        ui.label("");
        if pinned.is_empty() {
            ui.add_enabled(
                false,
                egui::Button::new(lang.pick("Выбрать из закреплённых ▾", "Pick a pinned client ▾")),
            )
            .on_disabled_hover_text(lang.pick(
                "Выберите партнёра и дату: здесь появятся его закреплённые клиенты",
                "Choose the partner and the date: their pinned clients appear here",
            ));
            ui.end_row();
            return;
        }
        let title = format!(
            "{} ({}) ▾",
            lang.pick("Выбрать из закреплённых", "Pick a pinned client"),
            pinned.len()
        );
        ui.menu_button(title, |ui| {
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for r in &pinned {
                        let text = format!("{} · {}", r.client_inn, r.client_name);
                        if ui.button(text).clicked() {
                            self.client_inn = r.client_inn.to_string();
                            self.client_name = r.client_name.clone();
                            ui.close();
                        }
                    }
                });
        });
        ui.end_row();
    }

    /// The client's name, the license kind, the amount and the document.
    fn deal_rows(&mut self, ui: &mut Ui, amount: &Result<Money, AmountError>, lang: Lang) {
        ui::free_text_row(
            ui,
            lang.pick("Название клиента", "Client name"),
            &mut self.client_name,
            "",
            TextField::ClientName,
            lang,
        );
        let label = ui.label(lang.pick("Вид лицензии", "License kind"));
        let mut kind = Some(self.kind);
        kind_combo(ui, "sale-kind", label.id, &mut kind, None, lang);
        self.kind = kind.unwrap_or(self.kind);
        ui.end_row();
        let label = lang.pick("Сумма, ₽", "Amount, ₽");
        amount_row(ui, label, &mut self.amount, amount, lang);
        ui::free_text_row(
            ui,
            lang.pick("Номер документа", "Document number"),
            &mut self.doc,
            lang.pick("необязательно", "optional"),
            TextField::Doc,
            lang,
        );
    }

    /// The partner's role in the sale, which its premium depends on.
    fn role_rows(&mut self, ui: &mut Ui, lang: Lang) {
        ui::check_row(
            ui,
            lang.pick(
                "Клиент пришёл в 1С-Коннект сам",
                "The client came on its own",
            ),
            &mut self.role.self_referred,
        );
        ui::check_row(
            ui,
            lang.pick(
                "Клиент подключён партнёром ранее",
                "The partner connected the client before",
            ),
            &mut self.role.connected_by_partner,
        );
        ui::check_row(
            ui,
            lang.pick(
                "Сервис используется в работе с партнёром",
                "Used in work with the partner",
            ),
            &mut self.role.used_in_work,
        );
    }

    /// What the sale would be, said under the form once its date, partner and amount read:
    /// its premium explained, or why it cannot be recorded. The sale, when it can be.
    fn verdict_ui(&self, ui: &mut Ui, typed: &Typed, data: &Data, lang: Lang) -> Option<NewSale> {
        let texts_fit = TextField::ClientName.check(&self.client_name).is_ok()
            && TextField::Doc.check(&self.doc).is_ok();
        let (Ok(Some(date)), Some(partner), Ok(amount)) =
            (&typed.date, self.partner, &typed.amount)
        else {
            return None;
        };
        let record = data.records.get(&partner).filter(|_| texts_fit)?;
        if let Some(issued) = self.issued_over(&typed.date, data) {
            let cannot = lang.pick("Продажу нельзя записать", "The sale cannot be recorded");
            ui::verdict(
                ui,
                false,
                &format!("{cannot}: {}", issued_text(issued, lang)),
            );
            return None;
        }
        let premium = premium_of(&PremiumInput {
            kind: self.kind,
            amount: *amount,
            one_c_partner: record.facts.one_c_partner,
            status: record.facts.history.in_force_on(*date),
            role: self.role,
            rates: &data.rates.in_force_on(*date).table,
        });
        let line = explain(&premium, self.kind, *amount, lang);
        let client = match &typed.inn {
            Ok(client) => client,
            // The premium is shown while the INN is still to be typed; a wrong one is said.
            Err(e) => {
                ui::verdict(ui, true, &line);
                if !self.client_inn.trim().is_empty() {
                    let cannot =
                        lang.pick("Продажу нельзя записать", "The sale cannot be recorded");
                    let field = lang.pick("ИНН клиента", "the client's INN");
                    ui::verdict(ui, false, &format!("{cannot}: {field} — {}", e.text(lang)));
                }
                return None;
            }
        };
        let pins: Vec<Pin> = data
            .pins
            .iter()
            .filter(|r| &r.client_inn == client)
            .map(|r| r.pin.clone())
            .collect();
        if let Err(refusal) = check_shipment(&pins, self.kind, partner, *date) {
            let holder = match &refusal {
                crate::domain::ShipmentRefusal::PinnedToOther { holder, .. } => {
                    Some(data.partner_name(*holder))
                }
                _ => None,
            };
            let text = refusal.text(client, &record.facts.name, holder.as_deref(), lang);
            let cannot = lang.pick("Продажу нельзя записать", "The sale cannot be recorded");
            ui::verdict(ui, false, &format!("{cannot}: {text}"));
            return None;
        }
        ui::verdict(ui, true, &line);
        Some(NewSale {
            doc: Some(self.doc.trim().to_owned()).filter(|x| !x.is_empty()),
            date: *date,
            partner,
            client_inn: *client,
            client_name: self.client_name.trim().to_owned(),
            kind: self.kind,
            amount: *amount,
            role: self.role,
        })
    }
}

/// Why a date in an issued period does not do, said beside the date as it is typed.
fn issued_text(issued: &IssuedRow, lang: Lang) -> String {
    let number = &issued.number;
    lang.say(
        format_args!(
            "период выдан в ведомости № {number}; датируйте продажу открытым периодом или переоткройте ведомость"
        ),
        format_args!(
            "the period is issued in statement No. {number}; date the sale in an open period or reopen the statement"
        ),
    )
}

/// The sale being corrected was changed by someone else meanwhile (found when saving, with
/// nothing written): the form keeps what was typed; the user takes their version or keeps
/// theirs own, which the next save then writes over it.
fn changed_meanwhile_ui(ui: &mut Ui, page: &mut SalesPage, data: &Data, lang: Lang) {
    let Some(Editing {
        base,
        theirs: Some(now),
        ..
    }) = &mut page.editing
    else {
        return;
    };
    let partner = data.partner_name(now.partner);
    let said = format!(
        "{} {}, {partner}, {} {}, {}{}.",
        lang.pick(
            "Пока вы редактировали, продажу изменили:",
            "While you were editing, the sale was changed:",
        ),
        ui::date(now.date, lang),
        lang.pick("клиент", "client"),
        now.client_inn,
        now.amount.display(lang),
        now.doc.as_deref().map_or_else(String::new, |doc| format!(
            ", {} {doc}",
            lang.pick("документ", "document")
        )),
    );
    let then = lang.pick(
        "Ваше исправление не записано.",
        "Your correction was not written.",
    );
    let choice = ui::changed_meanwhile(ui, &said, Some(then), lang);
    if let Some(take_theirs) = choice {
        let now = now.clone();
        if take_theirs {
            page.draft = Draft::of(&now, lang);
        }
        *base = now;
        if let Some(editing) = &mut page.editing {
            editing.theirs = None;
        }
    }
}

/// An opened sale or return: what it is, its buttons, its history of corrections, and
/// the form to return it.
pub(super) fn selected_sale_ui(
    ui: &mut Ui,
    page: &mut SalesPage,
    row: &SaleListRow,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    record_ui(ui, row, lang);
    let mut command = record_buttons_ui(ui, page, row, ctx);
    if let Some(history) = page.corrections.get().filter(|h| !h.is_empty())
        && page.corrections.is_for(&(row.id, data.version))
    {
        corrections_ui(ui, history, data, lang);
    }
    if row.return_of.is_none() {
        command = page.ret.ui(ui, row.id, ctx).or(command);
    }
    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
        page.mode = Mode::Nothing;
    }
    command
}

/// What the sale or return is: its heading, date, partner, client, kind and figures, and
/// who recorded it.
fn record_ui(ui: &mut Ui, row: &SaleListRow, lang: Lang) {
    ui.heading(match &row.return_of {
        Some(of) => format!("{} {of}", lang.pick("Возврат по", "Return of")),
        None => format!(
            "{} {}",
            lang.pick("Продажа", "Sale"),
            row.doc.clone().unwrap_or_else(|| format!("#{}", row.id.0))
        ),
    });
    ui.label(format!(
        "{} · {}",
        ui::date(row.date, lang),
        row.partner_name
    ));
    ui.label(format!("{} · {}", row.client_inn, row.client_name));
    ui.label(row.kind.short_name(lang))
        .on_hover_text(row.kind.name(lang));
    ui.label(format!(
        "{} {}",
        lang.pick("Сумма:", "Amount:"),
        ui::money(row.amount, lang)
    ));
    ui.label(format!(
        "{} {}",
        lang.pick("Премия:", "Premium:"),
        ui::money(row.premium, lang)
    ));
    if let Some(reason) = row.reason {
        ui.label(RichText::new(reason.text(lang)).weak());
    }
    if !row.recorded_by.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("Записал:", "Recorded by:"),
                row.recorded_by
            ))
            .weak(),
        );
    }
}

/// «Correct…» (a sale only) and «Delete…»: a typo is corrected, not returned, while the
/// period is in no issued statement.
fn record_buttons_ui(
    ui: &mut Ui,
    page: &mut SalesPage,
    row: &SaleListRow,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.horizontal(|ui| {
        if row.return_of.is_none()
            && ui::change_button(
                ui,
                ctx,
                Right::Record,
                true,
                egui::Button::new(lang.pick("Исправить…", "Correct…")),
            )
            .on_hover_text(lang.pick(
                    "Изменить дату, клиента, вид, сумму или роль партнёра; исправление останется в истории",
                    "Change the date, client, kind, amount or the partner's role; the correction stays in the history",
                ))
                .clicked()
        {
            page.start_correction(row, lang);
        }
        if ui::change_button(
            ui,
            ctx,
            Right::Record,
            true,
            egui::Button::new(lang.pick("Удалить…", "Delete…")),
        )
        .clicked()
        {
            command = Some(Command::DeleteSale { id: row.id });
        }
    });
    command
}

/// The record's corrections, each with when, who and what changed.
fn corrections_ui(ui: &mut Ui, history: &[crate::store::Correction], data: &Data, lang: Lang) {
    ui.add_space(6.0);
    ui.strong(lang.pick("История исправлений", "History of corrections"));
    for c in history {
        let what = match &c.after {
            Some(after) => {
                let partner = |id| data.partner_name(PartnerId(id));
                crate::store::correction_changes(&c.before, after, partner, lang).join("; ")
            }
            None => lang.pick("удалена", "deleted").to_owned(),
        };
        let what = match c.kind {
            crate::store::CorrectionKind::Restored => lang
                .pick(
                    "восстановлена после удаления",
                    "restored after its deletion",
                )
                .to_owned(),
            _ => what,
        };
        ui.label(RichText::new(format!("{} · {} · {what}", c.when(), c.by)).small());
    }
}

impl ReturnDraft {
    /// The form to return sale `sale`: its date, amount and document, and the button that
    /// records it.
    fn ui(&mut self, ui: &mut Ui, sale: SaleId, ctx: &PageCtx) -> Option<Command> {
        let lang = ctx.lang;
        ui.add_space(8.0);
        ui.separator();
        ui.strong(lang.pick("Оформить возврат", "Record a return"));
        let date = ui::parse_date_field(&self.date);
        let amount = Money::parse_amount(&self.amount);
        egui::Grid::new("return-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| self.fields_ui(ui, &date, &amount, ctx));
        ui.label(RichText::new(lang.pick(
            "Премия возврата считается по ставке исходной продажи и попадёт в ведомость периода даты возврата.",
            "The return's premium uses the original sale's rate and lands in the statement of the return's period.",
        )).weak().small());
        let ready = matches!((&date, &amount), (Ok(Some(_)), Ok(_)));
        if ui::change_button(
            ui,
            ctx,
            Right::Record,
            ready,
            egui::Button::new(lang.pick("Записать возврат", "Record return")),
        )
        .clicked()
            && let (Ok(Some(date)), Ok(amount)) = (date, amount)
        {
            return Some(Command::RecordReturn {
                sale,
                date,
                amount,
                doc: Some(self.doc.trim().to_owned()).filter(|x| !x.is_empty()),
            });
        }
        None
    }

    fn fields_ui(
        &mut self,
        ui: &mut Ui,
        date: &ui::DateField,
        amount: &Result<Money, AmountError>,
        ctx: &PageCtx,
    ) {
        let lang = ctx.lang;
        ui::date_row(
            ui,
            lang.pick("Дата возврата", "Return date"),
            &mut self.date,
            date.as_ref().err().map(|e| e.text(lang)).as_deref(),
            ctx.today,
            lang,
        );
        let label = lang.pick("Сумма возврата, ₽", "Returned amount, ₽");
        amount_row(ui, label, &mut self.amount, amount, lang);
        ui::text_row(
            ui,
            lang.pick("Номер документа", "Document number"),
            &mut self.doc,
            lang.pick("необязательно", "optional"),
            None,
        );
    }
}

/// An amount's row: what is typed, and why it does not read once something is typed.
fn amount_row(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    amount: &Result<Money, AmountError>,
    lang: Lang,
) {
    let error = match amount {
        Err(e) if !text.is_empty() => Some(e.text(lang)),
        _ => None,
    };
    let hint = lang.pick("1 234,56", "1,234.56");
    ui::text_row(ui, label, text, hint, error.as_deref());
}
