//! The import window: a file's sheet → what it holds → which column is which field → a
//! preview of the first rows as they will be read, every bad cell marked with its message
//! → Import. The file is read on a worker before the window opens; the import itself runs
//! on a worker too, all or nothing.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};

use crate::command::Command;
use crate::domain::lang::{Lang, Localized};
use crate::domain::{LicenseKind, Money};
use crate::import::mapping::{Mapping, fields, guess};
use crate::import::source::{Sheet, Source, SourceFormat};
use crate::import::{ImportKind, check_rows};

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

/// What the window is working on.
pub struct Wizard {
    pub file_name: String,
    pub source: Arc<Source>,
    pub sheet: usize,
    pub mapping: Mapping,
    pub step: Step,
    /// The mapping was the one chosen last time for this layout of file.
    pub remembered: bool,
    check: Option<Check>,
}

/// The preview's reading of the first rows under one sheet and mapping.
struct Check {
    key: (usize, Mapping),
    /// Bad cells by (row line, column index); a row-wide problem has no column.
    marks: HashMap<(u64, Option<usize>), String>,
    /// What stops the file from being read at all (a required field without a column).
    blocking: Option<String>,
    messages: Vec<String>,
    /// The rows shown: indices into the sheet's rows, blank rows left out.
    rows: Vec<usize>,
}

impl Wizard {
    /// A window on a file just read; `remembered` is the mapping chosen last time for a
    /// file with the same headers, if any.
    pub fn new(
        file_name: String,
        source: Source,
        remembered: impl Fn(&Sheet) -> Option<Mapping>,
    ) -> Wizard {
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
            source,
            sheet,
            mapping,
            step: Step::Sheet,
            remembered,
            check: None,
        }
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
                messages: Vec::new(),
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
                        let text = e.problem.text(lang);
                        check.messages.push(if e.column.is_empty() {
                            format!("{}: {text}", e.line)
                        } else {
                            format!("{}: {}: {text}", e.line, e.column)
                        });
                        check.marks.insert((e.line, column), text);
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
            ui.horizontal(|ui| {
                let index = Step::ALL.iter().position(|s| *s == w.step).unwrap_or(0);
                if ui
                    .add_enabled(index > 0, egui::Button::new(lang.pick("‹ Назад", "‹ Back")))
                    .clicked()
                {
                    w.step = Step::ALL[index - 1];
                }
                if w.step == Step::Preview {
                    let import = ui
                        .add_enabled(
                            w.ready(),
                            egui::Button::new(
                                RichText::new(lang.pick("Импортировать", "Import")).strong(),
                            ),
                        )
                        .on_disabled_hover_text(lang.pick(
                            "Сопоставьте столбцы всем обязательным полям (шаг 3)",
                            "Map a column to every required field (step 3)",
                        ));
                    if import.clicked() {
                        command = Some(Command::RunImport);
                    }
                } else if ui.button(lang.pick("Далее ›", "Next ›")).clicked() {
                    w.step = Step::ALL[index + 1];
                }
                if ui.button(lang.pick("Отмена", "Cancel")).clicked() {
                    command = Some(Command::CloseImport);
                }
            });
        });
    if !open {
        command = Some(Command::CloseImport);
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
    check_summary_ui(ui, check, kind, sheet.rows.len(), lang);
    ui.add_space(4.0);
    let rows_height = (height - ui.min_rect().height() - 40.0).max(120.0);
    preview_table_ui(ui, sheet, check, &mapped, rows_height, lang);
}

/// A mapped column of the preview: its field's label and code, and its index in the sheet.
type Mapped = (&'static str, &'static str, usize);

/// What the preview shows of the sheet's `total` rows, how many errors they hold, that
/// the import checks them all, and the first five errors.
fn check_summary_ui(ui: &mut Ui, check: &Check, kind: ImportKind, total: usize, lang: Lang) {
    let error = ui.visuals().error_fg_color;
    let bad = check.messages.len();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} · {} {} {} {total}.",
            kind_name(kind, lang),
            lang.pick("показано строк:", "rows shown:"),
            check.rows.len(),
            lang.pick("из", "of"),
        ));
        if bad == 0 {
            ui.colored_label(
                Color32::from_rgb(0x2e, 0x7d, 0x32),
                lang.pick("Ошибок в них нет.", "No errors in them."),
            );
        } else {
            ui.colored_label(
                error,
                format!(
                    "{} {bad}",
                    lang.pick("Ошибок в этих строках:", "Errors in these rows:")
                ),
            );
        }
    });
    ui.label(
        RichText::new(lang.pick(
            "Импорт проверит все строки и правила регламента; если хоть одна строка неверна, не будет записано ничего.",
            "The import checks every row and the regulation's rules; if any row is wrong, nothing is written.",
        ))
        .weak(),
    );
    for message in check.messages.iter().take(5) {
        ui.colored_label(error, format!("{} {message}", lang.pick("строка", "row")));
    }
}

/// The rows shown, a column per mapped field after the line number: each cell as the
/// import reads it, a bad one marked with its message.
fn preview_table_ui(
    ui: &mut Ui,
    sheet: &Sheet,
    check: &Check,
    mapped: &[Mapped],
    rows_height: f32,
    lang: Lang,
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
            body.rows(22.0, check.rows.len(), |row| {
                preview_row_ui(row, sheet, check, mapped, lang);
            });
        });
}

/// One row of the preview: its line (marked when the row as a whole is wrong) and its
/// mapped cells.
fn preview_row_ui(
    mut row: egui_extras::TableRow<'_, '_>,
    sheet: &Sheet,
    check: &Check,
    mapped: &[Mapped],
    lang: Lang,
) {
    let r = &sheet.rows[check.rows[row.index()]];
    let marks = &check.marks;
    let row_problem = marks.get(&(r.line, None));
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
            match marks.get(&(r.line, Some(*column))) {
                Some(problem) => {
                    let shown = if text.is_empty() { "∅" } else { text };
                    ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {shown}"))
                        .on_hover_text(problem);
                }
                None => match as_read(code, text, lang) {
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
