//! The import window: a file's sheet → what it holds → which column is which field → a
//! preview of the first rows as they will be read, every bad cell marked with its message,
//! while the whole file is checked against the rules on a worker → Import (all or nothing;
//! on a refusal the window stays open with the refused rows) or Import only the valid
//! rows (the others written beside the file with why). The file is read on a worker
//! before the window opens.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};

use crate::command::Command;
use crate::domain::lang::{Lang, Localized};
use crate::domain::{LicenseKind, Money};
use crate::import::mapping::{Mapping, fields, guess};
use crate::import::source::{Sheet, Source, SourceFormat};
use crate::import::{ImportKind, MAX_REPORTED, RowError, check_rows};

/// How many rows the preview reads and shows.
pub const PREVIEW_ROWS: usize = 200;

/// The steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Sheet,
    Kind,
    Columns,
    Preview,
}

impl Step {
    const ALL: [Step; 4] = [Step::Sheet, Step::Kind, Step::Columns, Step::Preview];

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Step::Sheet => lang.pick("1. Файл и лист", "1. File and sheet"),
            Step::Kind => lang.pick("2. Что в файле", "2. What it holds"),
            Step::Columns => lang.pick("3. Столбцы", "3. Columns"),
            Step::Preview => lang.pick("4. Проверка", "4. Preview"),
        }
    }
}

/// Which sheet, read through which mapping: what a check of the whole file is of.
pub type CheckKey = (usize, Mapping);

/// What the window is working on.
pub struct Wizard {
    pub file_name: String,
    /// Where the file is: the rows an import leaves out are written beside it.
    pub path: PathBuf,
    pub source: Arc<Source>,
    pub sheet: usize,
    pub mapping: Mapping,
    pub step: Step,
    /// The mapping was the one chosen last time for this layout of file.
    pub remembered: bool,
    check: Option<Check>,
    /// The whole file checked against the rules, by the import itself rolled back.
    rules: Option<Rules>,
    /// A job on this file runs (a check or an import).
    working: bool,
    /// What an import of the valid rows did, said in the window.
    finished: Option<String>,
}

/// What a check of the whole file found.
pub enum Found {
    /// The rows the import refuses; none when the file imports as it is.
    Rows(Vec<RowError>),
    /// Why the file could not be checked, as a sentence.
    NotChecked(String),
}

/// The rows the import of one sheet and mapping refuses, or why they could not be checked.
struct Rules {
    key: CheckKey,
    found: Found,
    /// The refused cells by (row line, column index); a row-wide refusal has no column.
    marks: HashMap<(u64, Option<usize>), usize>,
}

/// The preview's reading of the first rows under one sheet and mapping.
struct Check {
    key: (usize, Mapping),
    /// Bad cells by (row line, column index); a row-wide problem has no column.
    marks: HashMap<(u64, Option<usize>), String>,
    /// What stops the file from being read at all (a required field without a column).
    blocking: Option<String>,
    /// The rows shown: indices into the sheet's rows, blank rows left out.
    rows: Vec<usize>,
}

impl Wizard {
    /// A window on a file just read; `remembered` is the mapping chosen last time for a
    /// file with the same headers, if any.
    pub fn new(
        path: PathBuf,
        source: Source,
        remembered: impl Fn(&Sheet) -> Option<Mapping>,
    ) -> Wizard {
        let file_name = path.file_name().map_or(path.display().to_string(), |n| {
            n.to_string_lossy().into_owned()
        });
        let source = Arc::new(source);
        // The first sheet that looks like one of our files.
        let sheet = source
            .sheets
            .iter()
            .position(|s| guess(&s.headers).missing().is_empty())
            .unwrap_or(0);
        let (mapping, remembered) = match remembered(&source.sheets[sheet]) {
            Some(m) => (m, true),
            None => (guess(&source.sheets[sheet].headers), false),
        };
        Wizard {
            file_name,
            path,
            source,
            sheet,
            mapping,
            step: Step::Sheet,
            remembered,
            check: None,
            rules: None,
            working: false,
            finished: None,
        }
    }

    /// The sheet and mapping shown now.
    pub fn check_key(&self) -> CheckKey {
        (self.sheet, self.mapping.clone())
    }

    /// A job on this file started.
    pub fn started(&mut self) {
        self.working = true;
    }

    /// The rows the import refuses under `key`, found by a check or by the import itself.
    pub fn checked(&mut self, key: CheckKey, found: Found) {
        self.working = false;
        let headers = &self.source.sheets[key.0].headers;
        let marks: HashMap<_, _> = match &found {
            Found::Rows(rows) => rows
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let column = headers.iter().position(|h| *h == e.column);
                    ((e.line, column.filter(|_| !e.column.is_empty())), i)
                })
                .collect(),
            Found::NotChecked(_) => HashMap::new(),
        };
        self.rules = Some(Rules { key, found, marks });
    }

    /// A job on this file ended without telling rows: a check that could not run says
    /// why, and is not started again for the same sheet and mapping.
    pub fn failed(&mut self, why: String) {
        self.working = false;
        if self.rules_now().is_none() {
            self.checked(self.check_key(), Found::NotChecked(why));
        }
    }

    /// The valid rows were imported: the window says what was done and where the others
    /// went.
    pub fn finished(&mut self, text: String) {
        self.working = false;
        self.finished = Some(text);
    }

    /// The check of the sheet and mapping shown now, once done.
    fn rules_now(&self) -> Option<&Rules> {
        let (sheet, mapping) = (self.sheet, &self.mapping);
        self.rules
            .as_ref()
            .filter(|r| r.key.0 == sheet && r.key.1 == *mapping)
    }

    /// Whether the preview waits for a check that is not running.
    fn wants_check(&self) -> bool {
        self.step == Step::Preview
            && self.ready()
            && !self.working
            && self.finished.is_none()
            && self.rules_now().is_none()
    }

    pub fn sheet(&self) -> &Sheet {
        &self.source.sheets[self.sheet]
    }

    /// Whether Import can go ahead: every required field has a column.
    pub fn ready(&self) -> bool {
        self.mapping.missing().is_empty()
    }

    /// The marks of the preview, computed again when the sheet or the mapping changed.
    fn check(&mut self, lang: Lang) {
        let key = (self.sheet, self.mapping.clone());
        if self.check.as_ref().is_none_or(|c| c.key != key) {
            let sheet = &self.source.sheets[self.sheet];
            let mut check = Check {
                key,
                marks: HashMap::new(),
                blocking: None,
                rows: sheet
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !sheet.is_blank(r))
                    .map(|(i, _)| i)
                    .take(PREVIEW_ROWS)
                    .collect(),
            };
            match check_rows(sheet, self.mapping.clone(), PREVIEW_ROWS) {
                Ok(errors) => {
                    for e in errors {
                        let column = sheet.headers.iter().position(|h| *h == e.column);
                        check.marks.insert((e.line, column), e.problem.text(lang));
                    }
                }
                Err(crate::import::ImportError::Rows(errors)) => {
                    check.blocking = errors.first().map(|e| e.problem.text(lang));
                }
                Err(e) => check.blocking = Some(e.text(lang)),
            }
            self.check = Some(check);
        }
    }
}

fn kind_name(kind: ImportKind, lang: Lang) -> &'static str {
    match kind {
        ImportKind::Partners => lang.pick("Партнёры", "Partners"),
        ImportKind::Pins => lang.pick("Закрепления (стоп-лист)", "Pins (stop-list)"),
        ImportKind::Sales => lang.pick("Продажи", "Sales"),
        ImportKind::Returns => lang.pick("Возвраты", "Returns"),
    }
}

/// Draws the import window. Returns `RunImport` or `CloseImport` when the user chooses.
pub fn wizard_ui(ctx: &egui::Context, w: &mut Wizard, lang: Lang) -> Option<Command> {
    let mut command = None;
    let mut open = true;
    egui::Window::new(lang.pick("Импорт данных", "Import data"))
        .id(egui::Id::unique("import-wizard"))
        .open(&mut open)
        .default_size([860.0, 560.0])
        .min_size([760.0, 460.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                for (i, step) in Step::ALL.into_iter().enumerate() {
                    if i > 0 {
                        ui.label(RichText::new("›").weak());
                    }
                    let text = RichText::new(step.title(lang));
                    let text = if step == w.step {
                        text.strong()
                    } else {
                        text.weak()
                    };
                    ui.label(text);
                }
            });
            ui.separator();
            let bottom = 36.0;
            let height = (ui.available_height() - bottom).max(120.0);
            egui::ScrollArea::vertical()
                .id_salt("wizard-body")
                .max_height(height)
                .min_scrolled_height(height)
                .auto_shrink([false, false])
                .show(ui, |ui| match w.step {
                    Step::Sheet => sheet_ui(ui, w, lang),
                    Step::Kind => kind_ui(ui, w, lang),
                    Step::Columns => columns_ui(ui, w, lang),
                    Step::Preview => preview_ui(ui, w, lang, height),
                });
            ui.separator();
            command = buttons_ui(ui, w, lang);
        });
    if command.is_none() && w.wants_check() {
        command = Some(Command::CheckImport);
    }
    if !open {
        command = Some(Command::CloseImport);
    }
    command
}

/// Back, Next or the imports, and Cancel.
fn buttons_ui(ui: &mut Ui, w: &mut Wizard, lang: Lang) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        let index = Step::ALL.iter().position(|s| *s == w.step).unwrap_or(0);
        let idle = !w.working && w.finished.is_none();
        if ui
            .add_enabled(
                index > 0 && idle,
                egui::Button::new(lang.pick("‹ Назад", "‹ Back")),
            )
            .clicked()
        {
            w.step = Step::ALL[index - 1];
        }
        if w.step == Step::Preview {
            command = import_buttons_ui(ui, w, idle, lang);
        } else if ui.button(lang.pick("Далее ›", "Next ›")).clicked() {
            w.step = Step::ALL[index + 1];
        }
        let close = if w.finished.is_some() {
            lang.pick("Закрыть", "Close")
        } else {
            lang.pick("Отмена", "Cancel")
        };
        if ui.button(close).clicked() {
            command = Some(Command::CloseImport);
        }
    });
    command
}

/// Import (enabled once the whole file is checked) and, when the check refused rows but
/// not all, Import only the valid rows.
fn import_buttons_ui(ui: &mut Ui, w: &Wizard, idle: bool, lang: Lang) -> Option<Command> {
    let mut command = None;
    let refused = w.rules_now().map(|r| &r.found);
    let checked = matches!(refused, Some(Found::Rows(_)));
    // Once written, the file is not imported again from the same window.
    let done = w.finished.is_some();
    let import = ui
        .add_enabled(
            w.ready() && checked && idle && !done,
            egui::Button::new(RichText::new(lang.pick("Импортировать", "Import")).strong()),
        )
        .on_disabled_hover_text(if done {
            lang.pick(
                "Файл уже импортирован; закройте окно",
                "The file is imported already; close the window",
            )
        } else if w.ready() {
            lang.pick(
                "Импорт станет доступен, когда весь файл будет проверен",
                "Import is enabled once the whole file is checked",
            )
        } else {
            lang.pick(
                "Сопоставьте столбцы всем обязательным полям (шаг 3)",
                "Map a column to every required field (step 3)",
            )
        });
    if import.clicked() {
        command = Some(Command::RunImport);
    }
    if let Some(Found::Rows(rows)) = refused
        && !rows.is_empty()
    {
        let bad: HashSet<u64> = rows.iter().map(|e| e.line).collect();
        let sheet = w.sheet();
        let total = sheet.rows.iter().filter(|r| !sheet.is_blank(r)).count();
        let valid = ui
            .add_enabled(
                idle && !done && bad.len() < total,
                egui::Button::new(lang.pick(
                    "Импортировать только верные строки",
                    "Import only the valid rows",
                )),
            )
            .on_hover_text(lang.pick(
                "Записать верные строки; неверные — в файл рядом с исходным, с причиной",
                "Write the valid rows; the wrong ones go to a file beside the original, with why",
            ));
        if valid.clicked() {
            command = Some(Command::RunImportValid);
        }
    }
    command
}

fn sheet_ui(ui: &mut Ui, w: &mut Wizard, lang: Lang) {
    let format = match w.source.format {
        SourceFormat::Workbook => lang
            .pick(
                "книга Excel / OpenDocument",
                "Excel / OpenDocument workbook",
            )
            .to_owned(),
        SourceFormat::Csv { encoding } => format!("CSV, {}", encoding.label()),
    };
    egui::Grid::new("wizard-file")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(lang.pick("Файл:", "File:"));
            ui.strong(&w.file_name);
            ui.end_row();
            ui.label(lang.pick("Формат:", "Format:"));
            ui.label(format);
            ui.end_row();
            if w.source.sheets.len() > 1 {
                let label = ui.label(lang.pick("Лист:", "Sheet:"));
                let before = w.sheet;
                egui::ComboBox::from_id_salt("wizard-sheet")
                    .selected_text(&w.source.sheets[w.sheet].name)
                    .show_ui(ui, |ui| {
                        for (i, sheet) in w.source.sheets.iter().enumerate() {
                            let rows = lang.pick("строк", "rows");
                            ui.selectable_value(
                                &mut w.sheet,
                                i,
                                format!("{} — {rows}: {}", sheet.name, sheet.rows.len()),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if w.sheet != before {
                    w.mapping = guess(&w.sheet().headers);
                    w.remembered = false;
                }
                ui.end_row();
            }
            ui.label(lang.pick("Строк данных:", "Data rows:"));
            ui.label(w.sheet().rows.len().to_string());
            ui.end_row();
        });
    ui.add_space(8.0);
    ui.label(RichText::new(lang.pick("Столбцы в файле:", "Columns in the file:")).weak());
    let headers = w.sheet().headers.join(" · ");
    if headers.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            lang.pick(
                "На листе нет строки заголовков: первая строка таблицы должна называть столбцы.",
                "The sheet has no header row: the table's first row must name the columns.",
            ),
        );
    } else {
        ui.label(headers);
    }
}

fn kind_ui(ui: &mut Ui, w: &mut Wizard, lang: Lang) {
    ui.label(lang.pick("Что содержит файл?", "What does the file hold?"));
    ui.add_space(4.0);
    let headers = w.sheet().headers.clone();
    for kind in ImportKind::ALL {
        let auto = Mapping::auto(kind, &headers);
        let found = auto.columns.iter().filter(|c| c.is_some()).count();
        let text = format!(
            "{} — {} {found} {} {}",
            kind_name(kind, lang),
            lang.pick("узнано полей:", "fields recognised:"),
            lang.pick("из", "of"),
            fields(kind).len()
        );
        if ui.radio(w.mapping.kind == kind, text).clicked() && w.mapping.kind != kind {
            w.mapping = auto;
            w.remembered = false;
        }
    }
}

fn columns_ui(ui: &mut Ui, w: &mut Wizard, lang: Lang) {
    if w.remembered {
        ui.label(
            RichText::new(lang.pick(
                "Сопоставление взято из прошлого импорта файла с такими же столбцами.",
                "The mapping is the one chosen last time for a file with these columns.",
            ))
            .weak(),
        );
    }
    let none = lang.pick("— нет в файле —", "— not in the file —");
    let headers = w.sheet().headers.clone();
    egui::Grid::new("wizard-columns")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (field, column) in fields(w.mapping.kind)
                .iter()
                .zip(w.mapping.columns.iter_mut())
            {
                let mut text = RichText::new(if field.required {
                    format!("{} *", field.label(lang))
                } else {
                    field.label(lang).to_owned()
                });
                if field.required && column.is_none() {
                    text = text.color(ui.visuals().error_fg_color);
                }
                let label = ui.label(text);
                let selected = column
                    .and_then(|i| headers.get(i))
                    .map_or(none.to_owned(), |h| h.clone());
                egui::ComboBox::from_id_salt(("wizard-column", field.code))
                    .selected_text(selected)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(column, None, none);
                        for (i, h) in headers.iter().enumerate() {
                            ui.selectable_value(column, Some(i), h);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.label(RichText::new(lang.pick("* — обязательное поле", "* — required")).weak());
}

/// The preview's rows fill the window's body, `height` high, below what is said about them.
fn preview_ui(ui: &mut Ui, w: &mut Wizard, lang: Lang, height: f32) {
    let kind = w.mapping.kind;
    let mapped: Vec<Mapped> = fields(kind)
        .iter()
        .zip(&w.mapping.columns)
        .filter_map(|(f, c)| c.map(|c| (f.label(lang), f.code, c)))
        .collect();
    w.check(lang);
    let Some(check) = &w.check else { return };
    let sheet = &w.source.sheets[w.sheet];
    if let Some(blocking) = &check.blocking {
        ui.colored_label(ui.visuals().error_fg_color, blocking);
        return;
    }
    if let Some(finished) = &w.finished {
        let done = RichText::new(finished).color(Color32::from_rgb(0x2e, 0x7d, 0x32));
        ui.add(egui::Label::new(done).wrap());
    }
    ui.label(format!(
        "{} · {} {} {} {}.",
        kind_name(kind, lang),
        lang.pick("показано строк:", "rows shown:"),
        check.rows.len(),
        lang.pick("из", "of"),
        sheet.rows.len(),
    ));
    let written = w.finished.is_some();
    let rules = w.rules_now();
    rules_ui(ui, rules, written, lang);
    ui.add_space(4.0);
    let rows_height = (height - ui.min_rect().height() - 40.0).max(120.0);
    let marks = Marks { check, rules, lang };
    preview_table_ui(ui, sheet, &marks, &mapped, rows_height);
}

/// A mapped column of the preview: its field's label and code, and its index in the sheet.
type Mapped = (&'static str, &'static str, usize);

/// What the check of the whole file found: under way, nothing, or every refused row with
/// its line, column and sentence; once the valid rows are `written`, that these were not.
fn rules_ui(ui: &mut Ui, rules: Option<&Rules>, written: bool, lang: Lang) {
    let error = ui.visuals().error_fg_color;
    let Some(rules) = rules else {
        ui.horizontal_wrapped(|ui| {
            ui.spinner();
            ui.label(lang.pick(
                "Проверяю весь файл: формат ячеек и правила регламента (стоп-лист, правило отгрузки, выданные периоды)…",
                "Checking the whole file: the cells and the regulation's rules (the stop-list, the shipment rule, the issued periods)…",
            ));
        });
        return;
    };
    let rows = match &rules.found {
        Found::NotChecked(why) => {
            ui.colored_label(
                error,
                format!(
                    "{} {why}",
                    lang.pick("Файл не проверен:", "The file is not checked:")
                ),
            );
            return;
        }
        Found::Rows(rows) if rows.is_empty() => {
            ui.colored_label(
                Color32::from_rgb(0x2e, 0x7d, 0x32),
                lang.pick(
                    "Все строки проверены по формату и правилам: ошибок нет.",
                    "Every row is checked against the format and the rules: no errors.",
                ),
            );
            return;
        }
        Found::Rows(rows) => rows,
    };
    let bad: HashSet<u64> = rows.iter().map(|e| e.line).collect();
    let said = |ui: &mut Ui, text: String| {
        ui.add(egui::Label::new(RichText::new(text).color(error)).wrap());
    };
    said(
        ui,
        format!(
            "{} {}. {}",
            lang.pick(
                "Строк, которые импорт не примет:",
                "Rows the import refuses:"
            ),
            bad.len(),
            if written {
                lang.pick(
                    "Они не записаны: они в файле рядом с исходным, с причиной.",
                    "They are not written: they are in a file beside the original, with why.",
                )
            } else {
                lang.pick(
                    "«Импортировать» не запишет ничего; «Импортировать только верные строки» запишет остальные, а эти — в файл рядом с исходным, с причиной.",
                    "Import writes nothing; Import only the valid rows writes the others, and these go to a file beside the original, with why.",
                )
            }
        ),
    );
    egui::ScrollArea::vertical()
        .id_salt("wizard-refused")
        .max_height(110.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for e in rows.iter().take(MAX_REPORTED) {
                said(ui, refusal_text(e, lang));
            }
            if rows.len() > MAX_REPORTED {
                ui.label(format!(
                    "{} {}",
                    lang.pick("… и ещё ошибок:", "… and more errors:"),
                    rows.len() - MAX_REPORTED
                ));
            }
        });
}

/// `строка 3: ИНН клиента: …`: a refused row's line, column and sentence.
fn refusal_text(e: &RowError, lang: Lang) -> String {
    let row = lang.pick("строка", "row");
    let text = e.problem.text(lang);
    if e.column.is_empty() {
        format!("{row} {}: {text}", e.line)
    } else {
        format!("{row} {}: {}: {text}", e.line, e.column)
    }
}

/// The problems marked in the preview's cells: the whole file's check once done, the
/// reading of the rows shown until then.
struct Marks<'a> {
    check: &'a Check,
    rules: Option<&'a Rules>,
    lang: Lang,
}

impl Marks<'_> {
    fn get(&self, line: u64, column: Option<usize>) -> Option<String> {
        match self.rules {
            Some(Rules {
                found: Found::Rows(rows),
                marks,
                ..
            }) => marks
                .get(&(line, column))
                .map(|&i| rows[i].problem.text(self.lang)),
            _ => self.check.marks.get(&(line, column)).cloned(),
        }
    }
}

/// The rows shown, a column per mapped field after the line number: each cell as the
/// import reads it, a bad one marked with its message.
fn preview_table_ui(
    ui: &mut Ui,
    sheet: &Sheet,
    marks: &Marks<'_>,
    mapped: &[Mapped],
    rows_height: f32,
) {
    let mut builder = egui_extras::TableBuilder::new(ui)
        .id_salt("wizard-preview")
        .striped(true)
        .max_scroll_height(rows_height)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(egui_extras::Column::exact(48.0));
    for _ in mapped {
        builder = builder.column(
            egui_extras::Column::initial(130.0)
                .at_least(60.0)
                .clip(true),
        );
    }
    builder
        .header(22.0, |mut header| {
            header.col(|ui| {
                ui.strong("№");
            });
            for (label, _, _) in mapped {
                header.col(|ui| {
                    ui.strong(*label);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, marks.check.rows.len(), |row| {
                preview_row_ui(row, sheet, marks, mapped);
            });
        });
}

/// One row of the preview: its line (marked when the row as a whole is wrong) and its
/// mapped cells.
fn preview_row_ui(
    mut row: egui_extras::TableRow<'_, '_>,
    sheet: &Sheet,
    marks: &Marks<'_>,
    mapped: &[Mapped],
) {
    let r = &sheet.rows[marks.check.rows[row.index()]];
    let row_problem = marks.get(r.line, None);
    row.col(|ui| {
        let text = RichText::new(r.line.to_string()).weak();
        match row_problem {
            Some(p) => {
                _ = ui
                    .colored_label(ui.visuals().error_fg_color, r.line.to_string())
                    .on_hover_text(p);
            }
            None => _ = ui.label(text),
        }
    });
    for (_, code, column) in mapped {
        row.col(|ui| {
            let text = sheet.cell(r, *column).map_or("", |c| c.text.trim());
            match marks.get(r.line, Some(*column)) {
                Some(problem) => {
                    let shown = if text.is_empty() { "∅" } else { text };
                    ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {shown}"))
                        .on_hover_text(problem);
                }
                None => match as_read(code, text, marks.lang) {
                    Some(read) => _ = ui.label(read).on_hover_text(text),
                    None => _ = ui.label(text),
                },
            }
        });
    }
}

/// A cell as the import will understand it: dates, amounts and license kinds in the
/// interface's own form (the cell's text is shown on hover).
fn as_read(code: &str, text: &str, lang: Lang) -> Option<String> {
    match code {
        "date" | "status_since" => crate::import::parse_date(text)
            .ok()
            .map(|d| crate::domain::show_date(d, lang)),
        "amount" => Money::parse_amount(text).ok().map(|m| m.display(lang)),
        "kind" => LicenseKind::parse(text).map(|k| k.short_name(lang).to_owned()),
        _ => None,
    }
}
