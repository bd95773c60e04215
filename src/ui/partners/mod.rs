//! The Partners page: the list with status, evidence, pins and premiums; the form for a
//! new or selected partner, its status history and the evidence of its requirements.

use crate::store::Right;
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::status::{CertifiedSpecialist, status_name};
use crate::domain::{Evidence, Inn, PartnerId, Status, TextField};
use crate::export::ListFormat;
use crate::export::list::Value;
use crate::snapshot::{Data, PartnerSummary};
use crate::ui;
use crate::ui::chart::{MonthSeries, premium_chart_ui};
use crate::ui::{FieldError, Needed};

mod changed;
mod form;
use changed::changed_meanwhile_ui;
use form::form_ui;

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
    /// The date was filled (with today) once; emptied since, it stays empty until typed.
    dated: bool,
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
    requisites: ui::requisites::RequisitesDraft,
    /// The premiums-by-month chart of the partner in the form, by data version.
    chart: crate::reader::Loaded<(PartnerId, u64, chrono::NaiveDate), MonthSeries>,
    view: ui::RowView<(u64, u64, String, Sort, bool)>,
    /// The new partner's INN takes the cursor when the form is next drawn.
    focus_first: bool,
}

impl PartnersPage {
    /// After the partner's requisites were saved: the form is filled again from the record
    /// as read next.
    pub fn requisites_saved(&mut self) {
        self.loaded_for = None;
    }

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
        self.focus_first = true;
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
    if ctx.new_requested {
        page.start_new();
    }
    if ctx.cancel_requested {
        page.mode = Mode::Nothing;
    }
    // A narrow window wraps the toolbar and the filters onto more lines: none is hidden.
    let export = ui.horizontal_wrapped(|ui| toolbar_ui(ui, page, ctx)).inner;
    ui.separator();
    let mut command = None;
    if page.mode != Mode::Nothing {
        egui::Panel::right("partner-form")
            .default_size(ui::SIDE_PANEL)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    command = form_ui(ui, page, data, ctx);
                });
            });
    }
    table_ui(ui, page, data, export, ctx).or(command)
}

/// The page's heading, the search, «+ New partner» and the list's menu: the format asked
/// for.
fn toolbar_ui(ui: &mut Ui, page: &mut PartnersPage, ctx: &PageCtx) -> Option<ListFormat> {
    let lang = ctx.lang;
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
        page.start_new();
    }
    ui::list_menu(ui, lang)
}

/// The table's columns.
fn columns(lang: Lang) -> [ui::Col<Sort>; 7] {
    [
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
    ]
}

/// A partner's value in column `col` of [`columns`]; its pins and premiums are «…» until
/// they are read, after the snapshot.
fn partner_cell(p: &PartnerSummary, col: usize, pins_read: bool, lang: Lang) -> ui::Cell {
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
        5 | 6 if !pins_read => ui::Cell::pending(),
        5 => Value::Count(p.pinned_now).into(),
        _ => Value::Money(p.premium_year).into(),
    }
}

/// The table of the partners the search finds (or that there are none): the list
/// exported when asked (from the toolbar's `export` or the table's menu); a row clicked
/// opens the partner.
fn table_ui(
    ui: &mut Ui,
    page: &mut PartnersPage,
    data: &Data,
    export: Option<ListFormat>,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
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
    if data.summaries.is_empty() {
        // No partner yet: what to do first, not a search to change.
        ui::empty_state(
            ui,
            lang.pick("Партнёров пока нет", "No partners yet"),
            lang.pick(
                "Добавьте первого партнёра (+ Новый партнёр или Ctrl+N) или импортируйте список из Excel (Файл ▸ Импорт…, Ctrl+I).",
                "Add the first partner (+ New partner or Ctrl+N) or import a list from Excel (File ▸ Import…, Ctrl+I).",
            ),
        );
        return None;
    }
    if rows.is_empty() {
        ui::empty_state(
            ui,
            lang.pick("Партнёров не найдено", "No partners found"),
            lang.pick(
                "Измените поиск или добавьте партнёра (Ctrl+N).",
                "Change the search or add a partner (Ctrl+N).",
            ),
        );
        return None;
    }
    let selected = match page.mode {
        Mode::Edit(id) => Some(id),
        _ => None,
    };
    let cols = columns(lang);
    let pins_read = data.pins_version != 0;
    let cell = |i: usize, col: usize| partner_cell(rows[i], col, pins_read, lang);
    let out = ui::Table::new(TABLE, &cols, rows.len(), lang)
        .view((data.version, data.pins_version, &search, sort, descending))
        .sort(&mut page.sort, &mut page.descending)
        .opened(|i| selected == Some(rows[i].id))
        .show(ui, cell);
    let mut command = None;
    if let Some(format) = out.export.or(export) {
        let title = lang.pick("Партнёры", "Partners");
        let mut list = ui::shown_list(ui.ctx(), TABLE, title, &cols, rows.len(), cell, ctx.today);
        let search = page.search.trim();
        let said: Vec<String> = (!search.is_empty())
            .then(|| format!("{} «{search}»", lang.pick("поиск", "search")))
            .into_iter()
            .collect();
        let none = lang.pick("нет, все партнёры", "none, every partner");
        list.filter = crate::export::list::filter_line(&said, none, lang);
        command = Some(Command::ExportList(Box::new(list), format));
    }
    if let Some(i) = out.opened {
        page.select(rows[i].id);
    }
    command
}
