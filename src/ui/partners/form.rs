//! The Partners page's side panel: the form for a new or selected partner, its premiums
//! by month, its status with the history of changes, and the evidence of its
//! requirements.

use super::*;
use crate::store::PartnerRecord;

/// The form of the partner the page has open, or of a new one.
pub(super) fn form_ui(
    ui: &mut Ui,
    page: &mut PartnersPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let editing = match page.mode {
        Mode::Edit(id) => data.records.get(&id).map(|r| (id, r)),
        _ => None,
    };
    if let Some((id, record)) = editing
        && page.loaded_for != Some(id)
    {
        page.fill(id, record, data.version, ctx);
    }
    ui.heading(match editing {
        Some((_, r)) => r.facts.name.clone(),
        None => lang.pick("Новый партнёр", "New partner").to_owned(),
    });
    if let Some((_, record)) = editing {
        changed_meanwhile_ui(ui, page, (record, data.version), lang);
    }
    let focus_first = std::mem::take(&mut page.focus_first) && editing.is_none();
    let asked = page
        .draft
        .ui(ui, (editing.map(|(id, _)| id), focus_first), ctx);
    if asked.close {
        page.mode = Mode::Nothing;
    }
    let mut command = asked.save;
    let Some((id, record)) = editing else {
        return command;
    };
    command = chart_ui(ui, page, id, lang).or(command);
    command = page.status.ui(ui, id, record, ctx).or(command);
    status_history_ui(ui, record, lang);
    command = page.evidence.ui(ui, id, record, ctx).or(command);
    ui::requisites::partner_requisites_ui(ui, &mut page.requisites, id, &record.requisites, ctx)
        .or(command)
}

impl PartnersPage {
    /// The form filled from partner `id`'s record, read at data `version`.
    fn fill(&mut self, id: PartnerId, record: &PartnerRecord, version: u64, ctx: &PageCtx) {
        self.draft = Draft {
            inn: record.facts.inn.to_string(),
            name: record.facts.name.clone(),
            one_c_partner: record.facts.one_c_partner,
        };
        self.base = Some((
            record.facts.name.clone(),
            record.facts.one_c_partner,
            version,
        ));
        self.evidence = EvidenceDraft::from(&record.evidence, ctx.lang);
        self.requisites = ui::requisites::RequisitesDraft::from(&record.requisites, ctx.lang);
        // The status in force is where a change starts from, so "Change status" never
        // withdraws a status by default.
        self.status = StatusDraft {
            status: record.facts.history.in_force_on(ctx.today),
            date: ui::date(ctx.today, ctx.lang),
            dated: true,
            ..StatusDraft::default()
        };
        self.loaded_for = Some(id);
    }
}

/// What the partner's own fields were asked this frame.
struct Asked {
    /// «Save» (or Enter in a field) with fields that read: the partner added or changed.
    save: Option<Command>,
    /// «Close».
    close: bool,
}

impl Draft {
    /// The partner's INN (fixed once it is stored), name and 1C flag, with «Save» and
    /// «Close» under them. `editing` is the stored partner the form is on; a new one's INN
    /// takes the cursor when `focus_first`.
    fn ui(
        &mut self,
        ui: &mut Ui,
        (editing, focus_first): (Option<PartnerId>, bool),
        ctx: &PageCtx,
    ) -> Asked {
        let lang = ctx.lang;
        let (inn, name) = self.parse();
        // A field's error shows once something was typed, so a fresh form is not all red.
        let inn_error = inn
            .as_ref()
            .err()
            .filter(|_| !self.inn.is_empty())
            .map(|e| e.text(lang));
        let name_error = name
            .as_ref()
            .err()
            .filter(|_| inn.is_ok() || !self.name.is_empty())
            .map(|e| e.text(lang));
        let parsed = inn.and_then(|inn| name.map(|name| (inn, name)));
        let mut enter = false;
        egui::Grid::new("partner-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let r = text_or_fixed(
                    ui,
                    lang.pick("ИНН", "INN"),
                    &mut self.inn,
                    editing.is_none(),
                    inn_error.as_deref(),
                );
                if focus_first {
                    r.request_focus();
                }
                enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let r = ui::text_row(
                    ui,
                    lang.pick("Название", "Name"),
                    &mut self.name,
                    "ООО «…»",
                    name_error.as_deref(),
                );
                enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui::check_row(
                    ui,
                    lang.pick(
                        "Партнёр 1С (договор с фирмой «1С»)",
                        "1C partner (contract with firm 1C)",
                    ),
                    &mut self.one_c_partner,
                );
            });
        ui.horizontal(|ui| {
            let save = ui::change_button(
                ui,
                ctx,
                Right::Record,
                parsed.is_ok(),
                egui::Button::new(lang.pick("Сохранить", "Save")),
            );
            let close = ui
                .button(lang.pick("Закрыть", "Close"))
                .on_hover_text("Esc")
                .clicked();
            let save = parsed
                .ok()
                .filter(|_| save.clicked() || enter)
                .map(|(inn, name)| self.command(inn, name, editing));
            Asked { save, close }
        })
        .inner
    }

    /// The partner saved: a new one added, or the one the form is on changed.
    fn command(&self, inn: Inn, name: String, editing: Option<PartnerId>) -> Command {
        match editing {
            Some(id) => Command::UpdatePartner {
                id,
                name,
                one_c_partner: self.one_c_partner,
            },
            None => Command::AddPartner {
                inn,
                name,
                one_c_partner: self.one_c_partner,
            },
        }
    }
}

/// Partner `id`'s premiums by month over 24 months, once read: a month clicked shows its
/// sales.
fn chart_ui(ui: &mut Ui, page: &PartnersPage, id: PartnerId, lang: Lang) -> Option<Command> {
    let ((chart_id, _, _), series) = page.chart.entry()?;
    if *chart_id != id {
        return None;
    }
    let mut command = None;
    ui.add_space(8.0);
    egui::CollapsingHeader::new(format!(
        "{} · {}",
        lang.pick(
            "Премии по месяцам за 24 месяца",
            "Premiums by month, 24 months"
        ),
        series.total().display(lang)
    ))
    .default_open(true)
    .show(ui, |ui| {
        if let Some(month) = premium_chart_ui(ui, "partner-chart", series, lang, 180.0) {
            command = Some(Command::ShowSales {
                partner: Some(id),
                month,
            });
        }
    });
    command
}

impl StatusDraft {
    /// The partner's status today, what its requirements lack for it, and the form to
    /// change the status from a date.
    fn ui(
        &mut self,
        ui: &mut Ui,
        partner: PartnerId,
        record: &PartnerRecord,
        ctx: &PageCtx,
    ) -> Option<Command> {
        let lang = ctx.lang;
        ui.add_space(12.0);
        ui.separator();
        ui.strong(lang.pick("Статус", "Status"));
        status_today_ui(ui, record, ctx);
        if !self.dated {
            self.date = ui::date(ctx.today, lang);
            self.dated = true;
        }
        let date = ui::parse_date_field(&self.date);
        egui::Grid::new("status-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| self.fields_ui(ui, &date, ctx));
        let date = date.ok().flatten();
        let clicked = ui::change_button(
            ui,
            ctx,
            Right::Record,
            date.is_some(),
            egui::Button::new(lang.pick("Изменить статус", "Change status")),
        )
        .clicked();
        Some(Command::AddStatusChange {
            partner,
            date: date.filter(|_| clicked)?,
            status: self.status,
            note: self.note.trim().to_owned(),
        })
    }

    fn fields_ui(&mut self, ui: &mut Ui, date: &ui::DateField, ctx: &PageCtx) {
        let lang = ctx.lang;
        let label = ui.label(lang.pick("Новый статус", "New status"));
        let combo = egui::ComboBox::from_id_salt("new-status")
            .selected_text(status_name(self.status, lang))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.status, None, status_name(None, lang));
                for s in Status::ALL {
                    ui.selectable_value(&mut self.status, Some(s), s.name(lang));
                }
            });
        combo.response.labelled_by(label.id);
        ui.end_row();
        let date_error = ui::date_error(date, lang);
        ui::date_row(
            ui,
            lang.pick("Действует с", "Effective from"),
            &mut self.date,
            date_error.as_deref(),
            ctx.today,
            lang,
        );
        ui::text_row(ui, lang.pick("Основание", "Note"), &mut self.note, "", None);
    }
}

/// The status in force today, with a warning for each requirement of it the evidence
/// lacks.
fn status_today_ui(ui: &mut Ui, record: &PartnerRecord, ctx: &PageCtx) {
    let lang = ctx.lang;
    let today_status = record.facts.history.in_force_on(ctx.today);
    ui.label(format!(
        "{} {}",
        lang.pick("Сегодня:", "Today:"),
        status_name(today_status, lang)
    ));
    let gaps = record.evidence.gaps(today_status);
    if gaps.is_empty() {
        return;
    }
    ui.label(
        RichText::new(lang.pick(
            "⚠ Статус не подтверждён требованиями регламента:",
            "⚠ The status is not backed by the regulation's requirements:",
        ))
        .color(ui::warn_color(ui)),
    );
    for gap in &gaps {
        ui.label(RichText::new(format!("• {}", gap.text(lang))).color(ui::warn_color(ui)));
    }
}

/// The partner's status changes, newest first, each with its note and who recorded it.
fn status_history_ui(ui: &mut Ui, record: &PartnerRecord, lang: Lang) {
    ui.add_space(6.0);
    ui.label(RichText::new(lang.pick("История статусов", "Status history")).weak());
    if record.changes.is_empty() {
        ui.label(RichText::new(lang.pick("изменений не было", "no changes yet")).weak());
    }
    for r in record.changes.iter().rev() {
        ui.label(format!(
            "{} {} — {}{}{}",
            lang.pick("с", "from"),
            ui::date(r.change.effective_from, lang),
            status_name(r.change.status, lang),
            if r.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.note)
            },
            ui::recorded_by(&r.recorded_by, lang)
        ))
        .on_hover_text(format!(
            "{} {}",
            lang.pick("записано", "recorded"),
            r.recorded_at
        ));
    }
}

impl EvidenceDraft {
    /// The evidence of the partner's requirements (regulation §1): its site page, what it
    /// does, its certified specialists; «Save evidence» once it differs from what is stored.
    fn ui(
        &mut self,
        ui: &mut Ui,
        partner: PartnerId,
        record: &PartnerRecord,
        ctx: &PageCtx,
    ) -> Option<Command> {
        let lang = ctx.lang;
        ui.add_space(12.0);
        ui.separator();
        ui.strong(lang.pick(
            "Подтверждение требований (регламент, раздел 1)",
            "Evidence of requirements (regulation §1)",
        ));
        self.site_and_work_ui(ui, ctx);
        self.specialists_ui(ui, lang);
        match self.parse() {
            Ok(evidence) => {
                let save = evidence != record.evidence
                    && ui::change_button(
                        ui,
                        ctx,
                        Right::Record,
                        true,
                        egui::Button::new(lang.pick("Сохранить подтверждения", "Save evidence")),
                    )
                    .clicked();
                save.then_some(Command::SetEvidence { partner, evidence })
            }
            Err(e) => {
                ui.label(RichText::new(e.text(lang)).color(ui::error_color(ui)));
                None
            }
        }
    }

    /// The site page and when it was checked, and what the partner does in its work.
    fn site_and_work_ui(&mut self, ui: &mut Ui, ctx: &PageCtx) {
        let lang = ctx.lang;
        egui::Grid::new("evidence-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui::text_row(
                    ui,
                    lang.pick("Страница на сайте", "Site page"),
                    &mut self.site_page_url,
                    "https://",
                    None,
                );
                ui::date_row(
                    ui,
                    lang.pick("Проверена", "Checked on"),
                    &mut self.site_checked_on,
                    None,
                    ctx.today,
                    lang,
                );
            });
        for (value, ru, en) in [
            (
                &mut self.initiates_meetings,
                "Инициирует переговоры и встречи с менеджерами (Интегратор)",
                "Initiates negotiations and meetings (Integrator)",
            ),
            (
                &mut self.offers_upgrades,
                "Предлагает повышение тарифа или презентацию (Дилер)",
                "Offers tariff upgrades or presentations (Dealer)",
            ),
            (
                &mut self.clients_use_service,
                "Клиенты используют 1С-Коннект в работе с партнёром (Агент)",
                "Clients use 1С-Коннект with the partner (Agent)",
            ),
        ] {
            ui.checkbox(value, lang.pick(ru, en));
        }
    }

    /// The certified «Клиент-менеджер» specialists, each a name and a date, removed by ✕
    /// and added by «+ specialist».
    fn specialists_ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.label(lang.pick(
            "Специалисты «Клиент-менеджер»:",
            "«Клиент-менеджер» specialists:",
        ));
        let mut remove = None;
        for (i, (name, date)) in self.specialists.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(name)
                        .desired_width(170.0)
                        .hint_text(lang.pick("ФИО", "Name")),
                )
                .accessible_name(format!(
                    "{} {}",
                    lang.pick("Специалист", "Specialist"),
                    i + 1
                ));
                ui.add(
                    egui::TextEdit::singleline(date)
                        .desired_width(90.0)
                        .hint_text("31.01.2025"),
                )
                .accessible_name(format!(
                    "{} {}",
                    lang.pick("Дата сертификата", "Certificate date"),
                    i + 1
                ));
                if ui
                    .small_button("✕")
                    .on_hover_text(lang.pick("Убрать", "Remove"))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.specialists.remove(i);
        }
        if ui
            .small_button(lang.pick("+ специалист", "+ specialist"))
            .clicked()
        {
            self.specialists.push((String::new(), String::new()));
        }
    }
}

/// An editable text row, or a fixed value when editing is not allowed (a partner's INN
/// is its identity).
fn text_or_fixed(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    editable: bool,
    error: Option<&str>,
) -> egui::Response {
    if editable {
        ui::text_row(ui, label, value, "7707083893", error)
    } else {
        let l = ui.label(label);
        let r = ui.monospace(value.as_str()).labelled_by(l.id);
        ui.end_row();
        r
    }
}
