//! The Rates page: the rate table in force, its earlier versions, and a new version from
//! a date made by editing a copy.

use crate::store::Right;
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::{LicenseKind, RateCell, RatePct, RateTable, RateVersion, Status};
use crate::snapshot::Data;
use crate::ui::{self, FieldError};

struct Editor {
    date: String,
    note: String,
    /// Rates as typed, by kind and status; empty means "not set".
    cells: [[String; 3]; 6],
}

/// The page's state between frames.
#[derive(Default)]
pub struct RatesPage {
    /// The version shown, by its index in the book; the one in force today when None.
    shown: Option<usize>,
    editor: Option<Editor>,
}

impl RatesPage {
    pub fn saved(&mut self) {
        self.editor = None;
        self.shown = None;
    }
}

impl Editor {
    fn from(table: &RateTable, today: chrono::NaiveDate, lang: Lang) -> Editor {
        let mut cells: [[String; 3]; 6] = Default::default();
        for (k, kind) in LicenseKind::ALL.into_iter().enumerate() {
            for (s, status) in Status::ALL.into_iter().enumerate() {
                if let RateCell::Pct(rate) = table.cell(kind, status) {
                    cells[k][s] = rate.display(lang);
                }
            }
        }
        Editor {
            date: ui::date(today, lang),
            note: String::new(),
            cells,
        }
    }

    fn parse(&self) -> Result<RateTable, FieldError> {
        let mut table = RateTable::empty();
        for (k, kind) in LicenseKind::ALL.into_iter().enumerate() {
            for (s, status) in Status::ALL.into_iter().enumerate() {
                let text = self.cells[k][s].trim();
                if text.is_empty() || RateTable::is_fixed_no_premium(kind, status) {
                    continue;
                }
                let rate = RatePct::parse(text).map_err(|error| FieldError::Rate {
                    kind,
                    status,
                    error,
                })?;
                table.set(kind, status, Some(rate));
            }
        }
        Ok(table)
    }
}

fn table_grid(
    ui: &mut Ui,
    id: &str,
    lang: Lang,
    mut cell: impl FnMut(&mut Ui, usize, LicenseKind, usize, Status),
) {
    egui::Grid::new(id)
        .num_columns(4)
        .striped(true)
        .spacing([24.0, 6.0])
        .min_col_width(90.0)
        .show(ui, |ui| {
            ui.strong(lang.pick("Вид лицензии", "License kind"));
            for status in Status::ALL {
                ui.strong(status.name(lang));
            }
            ui.end_row();
            for (k, kind) in LicenseKind::ALL.into_iter().enumerate() {
                ui.label(kind.short_name(lang))
                    .on_hover_text(kind.name(lang));
                for (s, status) in Status::ALL.into_iter().enumerate() {
                    cell(ui, k, kind, s, status);
                }
                ui.end_row();
            }
        });
}

/// The Rates page.
pub fn rates_ui(ui: &mut Ui, page: &mut RatesPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let in_force = data.rates.in_force_on(ctx.today);
    ui.horizontal(|ui| {
        ui.heading(lang.pick("Ставки премий", "Premium rates"));
        ui.add_space(16.0);
        if page.editor.is_none()
            && ui::change_button(
                ui,
                ctx,
                Right::Lead,
                true,
                egui::Button::new(lang.pick("Новая версия с даты…", "New version from a date…")),
            )
            .clicked()
        {
            page.editor = Some(Editor::from(&in_force.table, ctx.today, lang));
        }
    });
    ui.separator();
    if ctx.cancel_requested {
        page.editor = None;
    }
    if page.editor.is_some() {
        return editor_ui(ui, page, data, ctx);
    }
    versions_ui(ui, page, data, ctx);
    None
}

/// The new version being made, with «Save version…» and «Cancel».
fn editor_ui(ui: &mut Ui, page: &mut RatesPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let editor = page.editor.as_mut()?;
    let ready = editor.ui(ui, data.rates.versions(), (ctx.today, lang));
    let mut command = None;
    let mut cancel = false;
    ui.horizontal(|ui| {
        if ui::change_button(
            ui,
            ctx,
            Right::Lead,
            ready.is_some(),
            egui::Button::new(lang.pick("Сохранить версию…", "Save version…")),
        )
        .clicked()
            && let Some((date, table)) = ready
        {
            command = Some(Command::AddRateVersion {
                date,
                table: Box::new(table),
                note: editor.note.trim().to_owned(),
            });
        }
        if ui.button(lang.pick("Отмена", "Cancel")).clicked() {
            cancel = true;
        }
    });
    if cancel {
        page.editor = None;
    }
    command
}

impl Editor {
    /// The new version's date and note, and its table of rates to edit: the version when
    /// every rate reads and no version starts on its date.
    fn ui(
        &mut self,
        ui: &mut Ui,
        versions: &[RateVersion],
        (today, lang): (chrono::NaiveDate, Lang),
    ) -> Option<(chrono::NaiveDate, RateTable)> {
        ui.label(lang.pick(
            "Новая версия действует с указанной даты: премии продаж с этой даты будут пересчитаны, продажи до неё сохранят свои. Пустая ячейка — ставка не задана.",
            "The new version is in force from its date: premiums of sales from then on are figured again, earlier sales keep theirs. An empty cell means the rate is not set.",
        ));
        let date = ui::parse_date_field(&self.date);
        let taken = |d: chrono::NaiveDate| versions.iter().any(|v| v.effective_from == Some(d));
        egui::Grid::new("rate-version-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let taken = matches!(date, Ok(Some(d)) if taken(d));
                self.fields_ui(ui, &date, taken, (today, lang));
            });
        ui.add_space(6.0);
        table_grid(ui, "rate-editor", lang, |ui, k, kind, s, status| {
            if RateTable::is_fixed_no_premium(kind, status) {
                ui.label("—");
            } else {
                ui.add(
                    egui::TextEdit::singleline(&mut self.cells[k][s])
                        .desired_width(96.0)
                        .hint_text(lang.pick("не задана", "not set")),
                )
                .accessible_name(format!(
                    "{} × {}",
                    kind.short_name(lang),
                    status.name(lang)
                ));
            }
        });
        let table = self.parse();
        if let Err(e) = &table {
            ui::verdict(ui, false, &e.text(lang));
        }
        match (date, table) {
            (Ok(Some(d)), Ok(table)) if !taken(d) => Some((d, table)),
            _ => None,
        }
    }

    /// The date the version is in force from (not one another version has) and its note.
    fn fields_ui(
        &mut self,
        ui: &mut Ui,
        date: &ui::DateField,
        taken: bool,
        (today, lang): (chrono::NaiveDate, Lang),
    ) {
        let date_error = ui::date_error(date, lang).or_else(|| {
            taken.then(|| {
                lang.pick(
                    "версия с этой даты уже есть",
                    "a version from this date exists",
                )
                .to_owned()
            })
        });
        ui::date_row(
            ui,
            lang.pick("Действует с", "In force from"),
            &mut self.date,
            date_error.as_deref(),
            today,
            lang,
        );
        ui::text_row(ui, lang.pick("Основание", "Note"), &mut self.note, "", None);
    }
}

/// The versions to choose from and the table of the one chosen (the one in force today at
/// first), with what «—» and «not set» mean.
fn versions_ui(ui: &mut Ui, page: &mut RatesPage, data: &Data, ctx: &PageCtx) {
    let lang = ctx.lang;
    let versions = data.rates.versions();
    let in_force = data.rates.in_force_on(ctx.today);
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.pick("Версии:", "Versions:"));
        for (i, version) in versions.iter().enumerate() {
            let shown = page.shown.map_or(version == in_force, |s| s == i);
            let mut text = version.display(lang);
            if version == in_force {
                text += lang.pick(" (действует)", " (in force)");
            }
            if ui.selectable_label(shown, text).clicked() {
                page.shown = Some(i);
            }
        }
    });
    ui.add_space(6.0);
    let version = page.shown.and_then(|i| versions.get(i)).unwrap_or(in_force);
    table_grid(ui, "rate-table", lang, |ui, _, kind, _, status| {
        let cell = version.table.cell(kind, status);
        let text = RichText::new(cell.display(lang));
        ui.label(if cell == RateCell::NotSet {
            text.color(ui::warn_color(ui))
        } else {
            text
        });
    });
    ui.add_space(8.0);
    ui.label(RichText::new(lang.pick(
        "«—»: ИТС премируется только на условиях Интегратора (партнёр 1С получает ставку Интегратора при любом статусе). «не задана»: регламент не даёт ставку — премия 0, пока менеджер её не задаст.",
        "“—”: ITS pays a premium only on Integrator terms (a 1C partner gets the Integrator rate whatever its status). “not set”: the regulation gives no rate — the premium is 0 until a manager sets one.",
    )).weak().small());
}
