//! The Stop-list's side panel: the pin request form with the conflict shown before saving,
//! and an opened pin with its extension, early release, the cancellation of a mistaken
//! record, and the client's history.

use super::*;
use crate::domain::TextField;
use crate::store::Right;

/// The last extension or release of the pin, when it can be cancelled as recorded by
/// mistake: a reason, and the button.
pub(super) fn cancel_ui(
    ui: &mut Ui,
    reason: &mut String,
    pin_id: crate::domain::PinId,
    events: &[PinEvent],
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
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
    ui::change_button(ui, ctx, Right::Record, ready, egui::Button::new(button))
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

/// The form to pin a client: its fields, what the request would do, and its buttons.
pub(super) fn pin_form_ui(
    ui: &mut Ui,
    page: &mut PinsPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Закрепить клиента", "Pin a client"));
    let focus_first = std::mem::take(&mut page.focus_first);
    let ready = page
        .draft
        .ui(ui, (&mut page.known_client, focus_first), data, ctx);
    let label = if ready.as_ref().is_some_and(|r| r.refused) {
        lang.pick("Записать отказ", "Record the refusal")
    } else {
        lang.pick("Закрепить", "Pin")
    };
    let buttons = ui::form_buttons(ui, label, ready.is_some(), ctx, Right::Record);
    if buttons.cancelled {
        page.mode = Mode::Nothing;
    }
    let Request {
        inn, partner, date, ..
    } = ready.filter(|_| buttons.submitted)?;
    Some(Command::RequestPin {
        client: inn,
        client_name: page.draft.client_name.trim().to_owned(),
        partner,
        date,
        note: page.draft.note.trim().to_owned(),
    })
}

/// A pin request the form's fields make.
struct Request {
    inn: Inn,
    partner: PartnerId,
    date: chrono::NaiveDate,
    /// Another partner holds the client: the request can only be recorded as refused.
    refused: bool,
}

impl Draft {
    /// The form's fields, then what the request would do under them. The request, when
    /// the fields read.
    fn ui(
        &mut self,
        ui: &mut Ui,
        (known_client, focus_first): (&mut ui::KnownClient, bool),
        data: &Data,
        ctx: &PageCtx,
    ) -> Option<Request> {
        let inn = Inn::parse(&self.client_inn);
        let date = ui::parse_date_field(&self.date);
        egui::Grid::new("pin-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                self.fields_ui(ui, (known_client, focus_first), &date, data, ctx);
            });
        let texts_fit = TextField::ClientName.check(&self.client_name).is_ok()
            && TextField::Note.check(&self.note).is_ok();
        let (Ok(inn), Some(partner), Ok(Some(date))) = (inn, self.partner, date) else {
            return None;
        };
        if !texts_fit {
            return None;
        }
        let refused = decision_ui(ui, inn, partner, date, data, ctx.lang);
        Some(Request {
            inn,
            partner,
            date,
            refused,
        })
    }

    /// The fields; the client's INN takes the cursor when `focus_first`.
    fn fields_ui(
        &mut self,
        ui: &mut Ui,
        (known_client, focus_first): (&mut ui::KnownClient, bool),
        date: &ui::DateField,
        data: &Data,
        ctx: &PageCtx,
    ) {
        let lang = ctx.lang;
        let inn = known_client.inn_row(
            ui,
            &mut self.client_inn,
            &mut self.client_name,
            &data.pins,
            ctx.today,
            lang,
        );
        if focus_first {
            inn.request_focus();
        }
        ui::free_text_row(
            ui,
            lang.pick("Название клиента", "Client name"),
            &mut self.client_name,
            "ООО «…»",
            TextField::ClientName,
            lang,
        );
        let label = ui.label(lang.pick("Партнёр", "Partner"));
        ui::partner_combo(
            ui,
            "pin-partner",
            label.id,
            &data.partners,
            &mut self.partner,
            lang.pick("— выберите —", "— choose —"),
            lang,
        );
        ui.end_row();
        let date_error = ui::date_error(date, lang);
        ui::date_row(
            ui,
            lang.pick("Дата заявки", "Request date"),
            &mut self.date,
            date_error.as_deref(),
            ctx.today,
            lang,
        );
        ui::free_text_row(
            ui,
            lang.pick("Примечание", "Note"),
            &mut self.note,
            "",
            TextField::Note,
            lang,
        );
    }
}

/// What `partner`'s request for client `inn` on `date` would do, said under the form: a
/// new pin, an extension, or a refusal (then true).
fn decision_ui(
    ui: &mut Ui,
    inn: Inn,
    partner: PartnerId,
    date: chrono::NaiveDate,
    data: &Data,
    lang: Lang,
) -> bool {
    let until = |ends_on| ui::date(crate::domain::pin::last_day_of(ends_on), lang);
    match decide_pin_request(&pins_of(data, &inn), partner, date) {
        Ok(PinDecision::New { ends_on }) => {
            let will = lang.pick(
                "Клиент будет закреплён по",
                "The client will be pinned until",
            );
            ui::verdict(ui, true, &format!("{will} {}", until(ends_on)));
        }
        Ok(PinDecision::Extension { ends_on, .. }) => {
            let extends = lang.pick(
                "Клиент уже закреплён за этим партнёром: заявка продлит закрепление по",
                "The partner already holds this client: the request extends the pin until",
            );
            ui::verdict(ui, true, &format!("{extends} {}", until(ends_on)));
        }
        Ok(PinDecision::Refused { holder, last_day }) => {
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
            return true;
        }
        Err(e) => ui::verdict(ui, false, &e.to_string()),
    }
    false
}

/// An opened pin: what it is, its extension and early release while it is in force, and
/// the client's history with the cancellation of a mistaken record.
pub(super) fn selected_pin_ui(
    ui: &mut Ui,
    page: &mut PinsPage,
    row: &PinRow,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let pin = &row.pin;
    let mut command = pin_ui(ui, row, ctx);
    if pin.state_on(ctx.today) == PinState::InForce {
        for draft in [&mut page.extend, &mut page.release] {
            if !draft.dated {
                draft.date = ui::date(ctx.today, lang);
                draft.dated = true;
            }
        }
        command = page.extend.extension_ui(ui, row, data, ctx).or(command);
        command = page.release.release_ui(ui, pin.id, ctx).or(command);
    }
    ui.add_space(8.0);
    ui.separator();
    ui.strong(lang.pick(
        "История клиента в стоп-листе",
        "The client's stop-list history",
    ));
    match page.shown_events().cloned() {
        None => _ = ui.spinner(),
        Some(events) => {
            for e in events.iter() {
                event_ui(ui, e, data, lang);
            }
            command = command.or(cancel_ui(ui, &mut page.cancel_reason, pin.id, &events, ctx));
        }
    }
    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
        page.mode = Mode::Nothing;
    }
    command
}

/// What the pin is: the client (with a button to its card), the partner and the term.
fn pin_ui(ui: &mut Ui, row: &PinRow, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let pin = &row.pin;
    let mut command = None;
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
    command
}

/// The pin's last day after an extension agreed on `date`, said under the form as the pin
/// form says a new pin's; or why it cannot be extended then. The new end, when it can be.
fn extension_preview(
    ui: &mut Ui,
    row: &PinRow,
    data: &Data,
    date: chrono::NaiveDate,
    lang: Lang,
) -> Option<chrono::NaiveDate> {
    let pins: Vec<_> = data
        .pins
        .iter()
        .filter(|r| r.client_inn == row.client_inn)
        .map(|r| r.pin.clone())
        .collect();
    let until = |day| ui::date(crate::domain::pin::last_day_of(day), lang);
    match crate::domain::pin::extend(&pins, &row.pin, date) {
        Ok(ends_on) => {
            let will = lang.pick("Закрепление продлится по", "The pin will last until");
            ui::verdict(ui, true, &format!("{will} {}", until(ends_on)));
            Some(ends_on)
        }
        Err(e) => {
            let why = match e {
                crate::domain::PinError::NotInForce { date } => lang.say(
                    format_args!("{} закрепление не действует", ui::date(date, lang)),
                    format_args!("the pin is not in force on {}", ui::date(date, lang)),
                ),
                crate::domain::PinError::Conflict { last_day, .. } => lang.say(
                    format_args!(
                        "клиент закреплён за другим партнёром по {}",
                        ui::date(last_day, lang)
                    ),
                    format_args!(
                        "the client is pinned to another partner until {}",
                        ui::date(last_day, lang)
                    ),
                ),
                crate::domain::PinError::DateOutOfRange => lang
                    .pick(
                        "дата вне календаря",
                        "the date is out of the calendar's range",
                    )
                    .to_owned(),
            };
            let cannot = lang.pick("Продлить нельзя", "Cannot extend");
            ui::verdict(ui, false, &format!("{cannot}: {why}"));
            None
        }
    }
}

impl ActionDraft {
    /// The form to extend `row`'s pin by three months: when it was agreed, by whom, a note,
    /// the last day it would then have, and the button. Who agreed is asked for in red
    /// once «Продлить» is pressed without it, not before.
    fn extension_ui(
        &mut self,
        ui: &mut Ui,
        row: &PinRow,
        data: &Data,
        ctx: &PageCtx,
    ) -> Option<Command> {
        let lang = ctx.lang;
        ui.add_space(8.0);
        ui.separator();
        ui.strong(lang.pick("Продлить на 3 месяца", "Extend by 3 months"));
        let date = ui::parse_date_field(&self.date);
        egui::Grid::new("extend-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| self.extension_fields_ui(ui, &date, ctx));
        let texts_fit = TextField::PersonName.check(&self.agreed_by).is_ok()
            && TextField::Note.check(&self.note).is_ok();
        let ready = match date {
            Ok(Some(date)) => extension_preview(ui, row, data, date, lang).map(|_| date),
            _ => None,
        }
        .filter(|_| texts_fit);
        let clicked = ui::change_button(
            ui,
            ctx,
            Right::Record,
            ready.is_some(),
            egui::Button::new(lang.pick("Продлить", "Extend")),
        )
        .clicked()
            // Enter in one of the form's fields extends too.
            || ui::take_submitted(ui);
        if clicked && self.agreed_by.trim().is_empty() {
            self.tried = true;
            return None;
        }
        Some(Command::ExtendPin {
            pin_id: row.pin.id,
            date: ready.filter(|_| clicked)?,
            agreed_by: self.agreed_by.trim().to_owned(),
            note: self.note.trim().to_owned(),
        })
    }

    fn extension_fields_ui(&mut self, ui: &mut Ui, date: &ui::DateField, ctx: &PageCtx) {
        let lang = ctx.lang;
        ui::date_row(
            ui,
            lang.pick("Дата согласования", "Agreed on"),
            &mut self.date,
            date.as_ref().err().map(|e| e.text(lang)).as_deref(),
            ctx.today,
            lang,
        );
        let who_error = if self.tried && self.agreed_by.trim().is_empty() {
            Some(
                lang.pick("укажите, кто согласовал", "enter who agreed")
                    .to_owned(),
            )
        } else {
            ui::text_error(TextField::PersonName, &self.agreed_by, lang)
        };
        let who = ui::text_row(
            ui,
            lang.pick("Кто согласовал", "Agreed by"),
            &mut self.agreed_by,
            "",
            who_error.as_deref(),
        );
        // Opened, the pin's extension waits for who agreed: the one field it needs.
        if std::mem::take(&mut self.focus) {
            who.request_focus();
        }
        ui::free_text_row(
            ui,
            lang.pick("Примечание", "Note"),
            &mut self.note,
            "",
            TextField::Note,
            lang,
        );
    }

    /// The form to release pin `pin_id` early: the date, the reason, and the button.
    fn release_ui(&mut self, ui: &mut Ui, pin_id: PinId, ctx: &PageCtx) -> Option<Command> {
        let lang = ctx.lang;
        ui.add_space(8.0);
        ui.separator();
        ui.strong(lang.pick("Снять досрочно", "Release early"));
        let date = ui::parse_date_field(&self.date);
        egui::Grid::new("release-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui::date_row(
                    ui,
                    lang.pick("Дата снятия", "Release date"),
                    &mut self.date,
                    date.as_ref().err().map(|e| e.text(lang)).as_deref(),
                    ctx.today,
                    lang,
                );
                ui::free_text_row(
                    ui,
                    lang.pick("Причина", "Reason"),
                    &mut self.note,
                    "",
                    TextField::Note,
                    lang,
                );
            });
        if ui::change_button(
            ui,
            ctx,
            Right::Record,
            matches!(date, Ok(Some(_))) && TextField::Note.check(&self.note).is_ok(),
            egui::Button::new(lang.pick("Снять закрепление…", "Release…")),
        )
        .clicked()
            && let Ok(Some(date)) = date
        {
            return Some(Command::ReleasePin {
                pin_id,
                date,
                note: self.note.trim().to_owned(),
            });
        }
        None
    }
}

/// One event of the client's history, struck through with why when it was cancelled.
fn event_ui(ui: &mut Ui, e: &PinEvent, data: &Data, lang: Lang) {
    let text = event_text(e, data, lang);
    let Some(c) = &e.cancelled else {
        ui.label(text);
        return;
    };
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

/// An event of the history in a line: when, what, which partner, until when, who held
/// the client, who agreed, the note and who recorded it.
fn event_text(e: &PinEvent, data: &Data, lang: Lang) -> String {
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
    text + &ui::recorded_by(&e.recorded_by, lang)
}
