//! The Partners page: the list with status, evidence, pins and premiums; the form for a
//! new or selected partner, its status history and the evidence of its requirements.

use crate::store::Right;
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::status::{CertifiedSpecialist, status_name};
use crate::domain::{Evidence, Inn, PartnerId, Status, TextField};
use crate::export::list::Value;
use crate::snapshot::{Data, PartnerSummary};
use crate::ui;
use crate::ui::chart::{MonthSeries, premium_chart_ui};
use crate::ui::{FieldError, Needed};

mod changed;
use changed::changed_meanwhile_ui;

/// The Partners table's name, under which its columns are remembered.
const TABLE: &str = "partners-table";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
enum Sort {
    #[default]
    Name,
    Inn,
    Status,
    Pinned,
    Premium,
}

/// What the form is editing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    Nothing,
    New,
    Edit(PartnerId),
}

#[derive(Clone, Debug, Default)]
struct Draft {
    inn: String,
    name: String,
    one_c_partner: bool,
}

#[derive(Clone, Debug, Default)]
struct StatusDraft {
    status: Option<Status>,
    date: String,
    note: String,
}

#[derive(Clone, Debug, Default)]
struct EvidenceDraft {
    site_page_url: String,
    site_checked_on: String,
    specialists: Vec<(String, String)>,
    initiates_meetings: bool,
    offers_upgrades: bool,
    clients_use_service: bool,
}

/// The page's state between frames.
#[derive(Default)]
pub struct PartnersPage {
    search: String,
    sort: Sort,
    descending: bool,
    mode: Mode,
    /// The partner whose record the drafts were filled from.
    loaded_for: Option<PartnerId>,
    /// The name and 1C flag the draft was filled from (or saved), and the data version then:
    /// when a later snapshot stores other ones while the form is open (a colleague saved),
    /// the form says so and the user chooses.
    base: Option<(String, bool, u64)>,
    draft: Draft,
    status: StatusDraft,
    evidence: EvidenceDraft,
    /// The premiums-by-month chart of the partner in the form, by data version.
    chart: crate::reader::Loaded<(PartnerId, u64, chrono::NaiveDate), MonthSeries>,
    view: ui::RowView<(u64, u64, String, Sort, bool)>,
}

impl PartnersPage {
    /// After a partner was added or saved (at data `version`): keep it selected; a saved
    /// form keeps what was saved, a new partner's form is filled once its record is read.
    pub fn saved(&mut self, id: Option<PartnerId>, version: u64) {
        if id.is_some() && self.editing() == id {
            let draft = &self.draft;
            self.base = Some((draft.name.trim().to_owned(), draft.one_c_partner, version));
        } else {
            self.loaded_for = None;
        }
        self.mode = id.map_or(Mode::Nothing, Mode::Edit);
    }

    fn editing(&self) -> Option<PartnerId> {
        match self.mode {
            Mode::Edit(id) => Some(id),
            _ => None,
        }
    }

    /// True when the partner in the form has no chart for this data version yet.
    pub fn wants_chart(&self, version: u64) -> bool {
        self.editing().is_some_and(|id| {
            self.chart
                .entry()
                .is_none_or(|((p, v, _), _)| *p != id || *v != version)
        })
    }

    /// Asks for the chart of the partner in the form, when it is missing or stale.
    pub fn load_chart(
        &mut self,
        ask: crate::reader::Ask<'_>,
        version: u64,
        today: chrono::NaiveDate,
    ) -> Option<crate::reader::ReadError> {
        let id = self.editing()?;
        self.chart.load(ask, &(id, version, today), move |db| {
            MonthSeries::load(db, Some(id), today)
        })
    }

    /// Opens an empty form for a new partner.
    pub fn start_new(&mut self) {
        self.mode = Mode::New;
        self.draft = Draft::default();
    }

    pub fn status_saved(&mut self) {
        // Keep the status just set; the date refills with today and the note empties.
        self.status = StatusDraft {
            status: self.status.status,
            ..StatusDraft::default()
        };
    }

    pub fn select(&mut self, id: PartnerId) {
        self.mode = Mode::Edit(id);
        self.loaded_for = None;
    }
}

impl Draft {
    /// The INN and name, or the error of each wrong field.
    fn parse(&self) -> (Result<Inn, FieldError>, Result<String, FieldError>) {
        let inn = Inn::parse(&self.inn).map_err(FieldError::Inn);
        let name = self.name.trim().to_owned();
        let name = if name.is_empty() {
            Err(FieldError::Missing(Needed::Name))
        } else {
            TextField::PartnerName
                .check(&name)
                .map(|()| name)
                .map_err(FieldError::Text)
        };
        (inn, name)
    }
}

impl EvidenceDraft {
    fn from(e: &Evidence, lang: Lang) -> EvidenceDraft {
        EvidenceDraft {
            site_page_url: e.site_page_url.clone(),
            site_checked_on: e
                .site_checked_on
                .map(|d| ui::date(d, lang))
                .unwrap_or_default(),
            specialists: e
                .specialists
                .iter()
                .map(|s| (s.name.clone(), ui::date(s.certified_on, lang)))
                .collect(),
            initiates_meetings: e.initiates_meetings,
            offers_upgrades: e.offers_upgrades,
            clients_use_service: e.clients_use_service,
        }
    }

    fn parse(&self) -> Result<Evidence, FieldError> {
        let site_checked_on = ui::parse_date_field(&self.site_checked_on)?;
        TextField::Page
            .check(&self.site_page_url)
            .map_err(FieldError::Text)?;
        let mut specialists = Vec::new();
        for (name, date) in &self.specialists {
            if name.trim().is_empty() {
                continue;
            }
            let certified_on =
                ui::parse_date_field(date)?.ok_or(FieldError::Missing(Needed::CertificateDate))?;
            TextField::PersonName
                .check(name)
                .map_err(FieldError::Text)?;
            specialists.push(CertifiedSpecialist {
                name: name.trim().to_owned(),
                certified_on,
            });
        }
        Ok(Evidence {
            site_page_url: self.site_page_url.trim().to_owned(),
            site_checked_on,
            specialists,
            initiates_meetings: self.initiates_meetings,
            offers_upgrades: self.offers_upgrades,
            clients_use_service: self.clients_use_service,
        })
    }
}

/// The partners matching `search`, in the chosen order, as indices into `data.summaries`.
fn sorted(data: &Data, search: &str, sort: Sort, descending: bool) -> Vec<usize> {
    let needle = search.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..data.summaries.len())
        .filter(|&i| {
            let p = &data.summaries[i];
            needle.is_empty()
                || p.name.to_lowercase().contains(&needle)
                || p.inn.as_str().contains(&needle)
        })
        .collect();
    let s = &data.summaries;
    match sort {
        Sort::Name => rows.sort_by_cached_key(|&i| s[i].name.to_lowercase()),
        Sort::Inn => rows.sort_by(|&a, &b| s[a].inn.cmp(&s[b].inn)),
        Sort::Status => rows.sort_by_key(|&i| s[i].status),
        Sort::Pinned => rows.sort_by_key(|&i| s[i].pinned_now),
        Sort::Premium => rows.sort_by_key(|&i| s[i].premium_year),
    }
    if descending {
        rows.reverse();
    }
    rows
}

/// The Partners page.
pub fn partners_ui(
    ui: &mut Ui,
    page: &mut PartnersPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    if ctx.new_requested {
        page.mode = Mode::New;
        page.draft = Draft::default();
    }
    if ctx.cancel_requested {
        page.mode = Mode::Nothing;
    }
    let mut export = None;
    ui.horizontal(|ui| {
        ui.heading(lang.pick("Партнёры", "Partners"));
        ui.add_space(16.0);
        ui::search_box(
            ui,
            &mut page.search,
            lang.pick(
                "Поиск по названию или ИНН (Ctrl+F)",
                "Search by name or INN (Ctrl+F)",
            ),
            280.0,
            ctx.focus_search,
            lang,
        );
        if ui::change_button(
            ui,
            ctx,
            Right::Record,
            true,
            egui::Button::new(lang.pick("+ Новый партнёр", "+ New partner")),
        )
        .on_hover_text("Ctrl+N")
        .clicked()
        {
            page.mode = Mode::New;
            page.draft = Draft::default();
        }
        export = ui::list_menu(ui, lang);
    });
    ui.separator();

    if page.mode != Mode::Nothing {
        egui::Panel::right("partner-form")
            .default_size(ui::SIDE_PANEL)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    command = form_ui(ui, page, data, ctx);
                });
            });
    }

    let (search, sort, descending) = (page.search.clone(), page.sort, page.descending);
    let rows: Vec<&PartnerSummary> = page
        .view
        .rows(
            (
                data.version,
                data.pins_version,
                search.clone(),
                sort,
                descending,
            ),
            || sorted(data, &search, sort, descending),
        )
        .iter()
        .map(|&i| &data.summaries[i])
        .collect();
    if rows.is_empty() {
        ui::empty_state(
            ui,
            lang.pick("Партнёров не найдено", "No partners found"),
            lang.pick(
                "Измените поиск или добавьте партнёра (Ctrl+N).",
                "Change the search or add a partner (Ctrl+N).",
            ),
        );
        return command;
    }
    let selected = match page.mode {
        Mode::Edit(id) => Some(id),
        _ => None,
    };
    let cols = [
        ui::Col::new(lang.pick("Название", "Name"), 0.0).sort(Sort::Name),
        ui::Col::new(lang.pick("ИНН", "INN"), 115.0).sort(Sort::Inn),
        ui::Col::new(lang.pick("Статус сегодня", "Status today"), 115.0).sort(Sort::Status),
        ui::Col::new(lang.pick("Партнёр 1С", "1C partner"), 85.0),
        ui::Col::new(lang.pick("Требования", "Requirements"), 100.0),
        ui::Col::new(lang.pick("Клиентов", "Clients"), 80.0)
            .right()
            .sort(Sort::Pinned),
        ui::Col::new(lang.pick("Премия за год", "Premium this year"), 140.0)
            .right()
            .sort(Sort::Premium),
    ];
    let cell = |i: usize, col: usize| -> ui::Cell {
        let p = rows[i];
        let yes = |on: bool| Value::text(if on { "✓" } else { "" });
        match col {
            0 => Value::text(&p.name).into(),
            1 => Value::Code(p.inn.to_string()).into(),
            2 => Value::text(status_name(p.status, lang)).into(),
            3 => yes(p.one_c_partner).into(),
            4 if p.gaps.is_empty() => yes(true).into(),
            4 => {
                let gaps = p
                    .gaps
                    .iter()
                    .map(|g| g.text(lang))
                    .collect::<Vec<_>>()
                    .join("\n");
                ui::Cell::from(Value::Text(format!("✗ {}", p.gaps.len())))
                    .warn()
                    .tip(gaps)
            }
            // Read after the snapshot: "…" until then.
            5 | 6 if data.pins_version == 0 => ui::Cell::pending(),
            5 => Value::Count(p.pinned_now).into(),
            _ => Value::Money(p.premium_year).into(),
        }
    };
    let out = ui::Table::new(TABLE, &cols, rows.len(), lang)
        .view((data.version, data.pins_version, &search, sort, descending))
        .sort(&mut page.sort, &mut page.descending)
        .opened(|i| selected == Some(rows[i].id))
        .show(ui, cell);
    if let Some(format) = out.export.or(export) {
        let title = lang.pick("Партнёры", "Partners");
        let list = ui::shown_list(ui.ctx(), TABLE, title, &cols, rows.len(), cell, ctx.today);
        command = Some(Command::ExportList(Box::new(list), format));
    }
    let clicked = out.opened.map(|i| rows[i].id);
    if let Some(id) = clicked {
        page.select(id);
    }
    command
}

fn form_ui(ui: &mut Ui, page: &mut PartnersPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    let editing = match page.mode {
        Mode::Edit(id) => data.records.get(&id).map(|r| (id, r)),
        _ => None,
    };
    if let Some((id, record)) = editing
        && page.loaded_for != Some(id)
    {
        page.draft = Draft {
            inn: record.facts.inn.to_string(),
            name: record.facts.name.clone(),
            one_c_partner: record.facts.one_c_partner,
        };
        page.base = Some((
            record.facts.name.clone(),
            record.facts.one_c_partner,
            data.version,
        ));
        page.evidence = EvidenceDraft::from(&record.evidence, lang);
        // The status in force is where a change starts from, so "Change status" never
        // withdraws a status by default.
        page.status = StatusDraft {
            status: record.facts.history.in_force_on(ctx.today),
            date: ui::date(ctx.today, lang),
            ..StatusDraft::default()
        };
        page.loaded_for = Some(id);
    }
    ui.heading(match editing {
        Some((_, r)) => r.facts.name.clone(),
        None => lang.pick("Новый партнёр", "New partner").to_owned(),
    });
    if let Some((_, record)) = editing {
        changed_meanwhile_ui(ui, page, (record, data.version), lang);
    }
    let (inn, name) = page.draft.parse();
    // A field's error shows once something was typed, so a fresh form is not all red.
    let inn_error = inn
        .as_ref()
        .err()
        .filter(|_| !page.draft.inn.is_empty())
        .map(|e| e.text(lang));
    let name_error = name
        .as_ref()
        .err()
        .filter(|_| inn.is_ok() || !page.draft.name.is_empty())
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
                &mut page.draft.inn,
                editing.is_none(),
                inn_error.as_deref(),
            );
            enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let r = ui::text_row(
                ui,
                lang.pick("Название", "Name"),
                &mut page.draft.name,
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
                &mut page.draft.one_c_partner,
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
        if (save.clicked() || enter)
            && let Ok((inn, name)) = &parsed
        {
            command = Some(match editing {
                Some((id, _)) => Command::UpdatePartner {
                    id,
                    name: name.clone(),
                    one_c_partner: page.draft.one_c_partner,
                },
                None => Command::AddPartner {
                    inn: *inn,
                    name: name.clone(),
                    one_c_partner: page.draft.one_c_partner,
                },
            });
        }
        if ui
            .button(lang.pick("Закрыть", "Close"))
            .on_hover_text("Esc")
            .clicked()
        {
            page.mode = Mode::Nothing;
        }
    });
    let Some((id, record)) = editing else {
        return command;
    };

    if let Some(((chart_id, _, _), series)) = page.chart.entry()
        && *chart_id == id
    {
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
    }

    ui.add_space(12.0);
    ui.separator();
    ui.strong(lang.pick("Статус", "Status"));
    let today_status = record.facts.history.in_force_on(ctx.today);
    ui.label(format!(
        "{} {}",
        lang.pick("Сегодня:", "Today:"),
        status_name(today_status, lang)
    ));
    let gaps = record.evidence.gaps(today_status);
    if !gaps.is_empty() {
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
    if page.status.date.is_empty() {
        page.status.date = ui::date(ctx.today, lang);
    }
    let date = ui::parse_date_field(&page.status.date);
    egui::Grid::new("status-grid")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(lang.pick("Новый статус", "New status"));
            let combo = egui::ComboBox::from_id_salt("new-status")
                .selected_text(status_name(page.status.status, lang))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut page.status.status, None, status_name(None, lang));
                    for s in Status::ALL {
                        ui.selectable_value(&mut page.status.status, Some(s), s.name(lang));
                    }
                });
            combo.response.labelled_by(label.id);
            ui.end_row();
            let date_error = ui::date_error(&date, lang);
            ui::date_row(
                ui,
                lang.pick("Действует с", "Effective from"),
                &mut page.status.date,
                date_error.as_deref(),
                ctx.today,
                lang,
            );
            ui::text_row(
                ui,
                lang.pick("Основание", "Note"),
                &mut page.status.note,
                "",
                None,
            );
        });
    let date = date.ok().flatten();
    if ui::change_button(
        ui,
        ctx,
        Right::Record,
        date.is_some(),
        egui::Button::new(lang.pick("Изменить статус", "Change status")),
    )
    .clicked()
        && let Some(date) = date
    {
        command = Some(Command::AddStatusChange {
            partner: id,
            date,
            status: page.status.status,
            note: page.status.note.trim().to_owned(),
        });
    }
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

    ui.add_space(12.0);
    ui.separator();
    ui.strong(lang.pick(
        "Подтверждение требований (регламент, раздел 1)",
        "Evidence of requirements (regulation §1)",
    ));
    let ev = &mut page.evidence;
    egui::Grid::new("evidence-grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui::text_row(
                ui,
                lang.pick("Страница на сайте", "Site page"),
                &mut ev.site_page_url,
                "https://",
                None,
            );
            ui::date_row(
                ui,
                lang.pick("Проверена", "Checked on"),
                &mut ev.site_checked_on,
                None,
                ctx.today,
                lang,
            );
        });
    for (value, ru, en) in [
        (
            &mut ev.initiates_meetings,
            "Инициирует переговоры и встречи с менеджерами (Интегратор)",
            "Initiates negotiations and meetings (Integrator)",
        ),
        (
            &mut ev.offers_upgrades,
            "Предлагает повышение тарифа или презентацию (Дилер)",
            "Offers tariff upgrades or presentations (Dealer)",
        ),
        (
            &mut ev.clients_use_service,
            "Клиенты используют 1С-Коннект в работе с партнёром (Агент)",
            "Clients use 1С-Коннект with the partner (Agent)",
        ),
    ] {
        ui.checkbox(value, lang.pick(ru, en));
    }
    ui.label(lang.pick(
        "Специалисты «Клиент-менеджер»:",
        "«Клиент-менеджер» specialists:",
    ));
    let mut remove = None;
    for (i, (name, date)) in ev.specialists.iter_mut().enumerate() {
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
        ev.specialists.remove(i);
    }
    if ui
        .small_button(lang.pick("+ специалист", "+ specialist"))
        .clicked()
    {
        ev.specialists.push((String::new(), String::new()));
    }
    match ev.parse() {
        Ok(evidence) => {
            if evidence != record.evidence
                && ui::change_button(
                    ui,
                    ctx,
                    Right::Record,
                    true,
                    egui::Button::new(lang.pick("Сохранить подтверждения", "Save evidence")),
                )
                .clicked()
            {
                command = Some(Command::SetEvidence {
                    partner: id,
                    evidence,
                });
            }
        }
        Err(e) => {
            ui.label(RichText::new(e.text(lang)).color(ui::error_color(ui)));
        }
    }
    command
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
