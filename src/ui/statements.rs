//! The Statements page: a partner and a period, the statement as it will be exported
//! (lines, reasons, totals by kind), and Export….

use crate::store::Right;
use chrono::NaiveDate;
use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::Lang;
use crate::domain::premium::terms_name;
use crate::domain::statement::Line;
use crate::domain::status::status_name;
use crate::domain::{PartnerId, Statement};
use crate::export::Format;
use crate::export::list::Value;
use crate::reader::{Ask, Loaded};
use crate::snapshot::Data;
use crate::store::IssuedRow;
use crate::ui;

pub use crate::ui::Period;

type Key = (PartnerId, NaiveDate, NaiveDate, u64);

/// The page's state between frames.
#[derive(Default)]
pub struct StatementsPage {
    pub partner: Option<PartnerId>,
    pub period: Period,
    from: String,
    to: String,
    /// Showing the list of issued statements instead of the preview.
    issued_tab: bool,
    /// The issued statement selected in the list, and the reason typed for reopening it.
    selected_issued: Option<String>,
    reopen_reason: String,
    batch_format: Option<Format>,
    wanted: Option<Key>,
    /// The preview, read on the reader (a statement of 50 000 lines takes a quarter of a
    /// second), and the sentence of a read that failed.
    loaded: Loaded<Key, Statement>,
    failed: Option<(Key, String)>,
}

impl StatementsPage {
    pub fn reopened(&mut self) {
        self.reopen_reason.clear();
    }

    pub fn wants_data(&self) -> bool {
        self.wanted.is_some_and(|key| {
            !self.loaded.is_for(&key)
                && !self.loaded.waiting()
                && self.failed.as_ref().is_none_or(|(k, _)| *k != key)
        })
    }

    /// Forget the preview, so it is made again.
    pub fn invalidate(&mut self) {
        self.loaded = Loaded::default();
        self.failed = None;
    }

    /// Asks the reader for the preview the page shows, and takes it when it has come.
    pub fn load(&mut self, ask: Ask<'_>, today: NaiveDate, lang: Lang) {
        if let Some(key @ (partner, from, to, _)) = self.wanted
            && let Some(e) = self
                .loaded
                .load(ask, &key, move |db| db.statement(partner, from, to, today))
        {
            use crate::domain::lang::Localized;
            self.failed = Some((key, e.text(lang)));
        }
    }

    /// Shows a partner's statement for a period, as the Sales page or a test may ask.
    pub fn show(&mut self, partner: PartnerId, from: NaiveDate, to: NaiveDate, lang: Lang) {
        self.partner = Some(partner);
        self.period = Period::Custom;
        self.from = ui::date(from, lang);
        self.to = ui::date(to, lang);
    }
}

/// The Statements page.
pub fn statements_ui(
    ui: &mut Ui,
    page: &mut StatementsPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = ui
        .horizontal_wrapped(|ui| partner_row_ui(ui, page, data, ctx))
        .inner;
    ui.horizontal_wrapped(|ui| period_row_ui(ui, page, data, ctx));
    // The custom period's dates on a line of their own: the row above wraps, they do not.
    if page.period == Period::Custom {
        ui::period_fields(ui, &mut page.from, &mut page.to, ctx.today, lang);
    }
    let bounds = page.bounds(ctx.today);
    ui.separator();
    if let Some((from, to)) = bounds {
        command = ui
            .horizontal(|ui| batch_export_ui(ui, page, from, to, lang))
            .inner
            .or(command);
    }
    ui.separator();
    if page.issued_tab {
        return issued_ui(ui, page, data, ctx).or(command);
    }
    preview_ui(ui, page, data, bounds, ctx).or(command)
}

impl StatementsPage {
    /// The period chosen, or the custom one typed when both its dates read and the start is
    /// no later than the end.
    fn bounds(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        if let Some(bounds) = self.period.bounds(today) {
            return Some(bounds);
        }
        match (
            ui::parse_date_field(&self.from),
            ui::parse_date_field(&self.to),
        ) {
            (Ok(Some(from)), Ok(Some(to))) if from <= to => Some((from, to)),
            _ => None,
        }
    }
}

/// The page's heading, the partner, and the language of exported documents.
fn partner_row_ui(
    ui: &mut Ui,
    page: &mut StatementsPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Ведомость премий", "Premium statement"));
    ui.add_space(12.0);
    let label = ui.label(lang.pick("Партнёр:", "Partner:"));
    // Ctrl+F: the page's search is its choice of partner.
    if ctx.focus_search {
        let id = ui.make_persistent_id(egui::IdSalt::new("statement-partner"));
        ui.memory_mut(|m| m.request_focus(id));
    }
    ui::partner_combo(
        ui,
        "statement-partner",
        label.id,
        &data.partners,
        &mut page.partner,
        lang.pick("— выберите —", "— choose —"),
        lang,
    );
    ui.add_space(12.0);
    doc_lang_combo(ui, ctx.doc_lang, lang).map(Command::DocumentsIn)
}

/// The periods to choose from (a custom one starts from the period chosen before), and the
/// preview or the issued statements.
fn period_row_ui(ui: &mut Ui, page: &mut StatementsPage, data: &Data, ctx: &PageCtx) {
    let lang = ctx.lang;
    for p in Period::ALL {
        if ui
            .selectable_label(page.period == p, p.name(lang))
            .clicked()
        {
            if p == Period::Custom
                && let Some((from, to)) = page.period.bounds(ctx.today)
            {
                page.from = ui::date(from, lang);
                page.to = ui::date(to, lang);
            }
            page.period = p;
        }
    }
    ui.separator();
    ui.selectable_value(
        &mut page.issued_tab,
        false,
        lang.pick("Предпросмотр", "Preview"),
    );
    ui.selectable_value(
        &mut page.issued_tab,
        true,
        format!(
            "{} ({})",
            lang.pick("Выданные", "Issued"),
            data.issued.len()
        ),
    );
}

/// Every partner's statement for the period, in a format, to a folder.
fn batch_export_ui(
    ui: &mut Ui,
    page: &mut StatementsPage,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Option<Command> {
    let label = ui.label(format!(
        "{} {} — {}:",
        lang.pick("Все ведомости за", "All statements for"),
        ui::date(from, lang),
        ui::date(to, lang)
    ));
    let format = page.batch_format.get_or_insert(Format::Xlsx);
    egui::ComboBox::from_id_salt("batch-format")
        .selected_text(format.extension().to_uppercase())
        .show_ui(ui, |ui| {
            for f in Format::ALL {
                ui.selectable_value(format, f, f.extension().to_uppercase());
            }
        })
        .response
        .labelled_by(label.id);
    ui.button(lang.pick("Выгрузить в папку…", "Export to a folder…"))
        .clicked()
        .then_some(Command::ExportAll {
            from,
            to,
            format: *format,
        })
}

/// The statement of the partner and period chosen, as it will be exported, once read; or
/// what is missing to make one.
fn preview_ui(
    ui: &mut Ui,
    page: &mut StatementsPage,
    data: &Data,
    bounds: Option<(NaiveDate, NaiveDate)>,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let Some(partner) = page.partner else {
        page.wanted = None;
        ui::empty_state(
            ui,
            lang.pick("Выберите партнёра", "Choose a partner"),
            lang.pick("Ведомость покажет продажи и возвраты партнёра за период, как они будут выгружены.", "The statement shows the partner's sales and returns for the period, as they will be exported."),
        );
        return None;
    };
    let Some((from, to)) = bounds else {
        page.wanted = None;
        ui::empty_state(
            ui,
            lang.pick("Укажите период", "Enter the period"),
            lang.pick(
                "Даты вида 31.01.2025; начало не позже конца.",
                "Dates as 31.01.2025; the start no later than the end.",
            ),
        );
        return None;
    };
    page.wanted = Some((partner, from, to, data.version));
    let key = (partner, from, to, data.version);
    let statement = match (page.loaded.get(), &page.failed) {
        (Some(statement), _) if page.loaded.is_for(&key) => statement,
        (_, Some((k, e))) if *k == key => {
            ui::verdict(ui, false, e);
            return None;
        }
        _ => {
            ui.spinner();
            return None;
        }
    };
    statement_ui(ui, statement, (partner, from, to), data, ctx)
}

/// A statement read, of a partner for a period: what it is about and what can be done
/// with it, its lines and its totals.
fn statement_ui(
    ui: &mut Ui,
    statement: &Statement,
    of: (PartnerId, NaiveDate, NaiveDate),
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let command = ui
        .horizontal(|ui| {
            ui.vertical(|ui| statement_facts_ui(ui, statement, lang));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::TOP), |ui| {
                statement_actions_ui(ui, statement, of, data, ctx)
            })
            .inner
        })
        .inner;
    if statement.lines_without_rate() > 0 {
        ui.label(
            RichText::new(format!(
                "⚠ {} {}",
                lang.pick(
                    "Строк с незаданной ставкой (премия 0):",
                    "Lines whose rate is not set (premium 0):"
                ),
                statement.lines_without_rate()
            ))
            .color(ui::warn_color(ui)),
        );
    }
    ui.add_space(4.0);
    // The statement issued for exactly this period is the document the figures are of.
    let issued = data
        .issued_within(of.0, of.1, of.2)
        .filter(|r| (r.from, r.to) == (of.1, of.2));
    egui::Panel::bottom("statement-totals").show(ui, |ui| totals_ui(ui, statement, issued, lang));
    if statement.lines.is_empty() {
        ui::empty_state(
            ui,
            lang.pick("За период нет продаж", "No sales in the period"),
            lang.pick(
                "Выберите другой период или партнёра.",
                "Choose another period or partner.",
            ),
        );
        return command;
    }
    lines_ui(ui, statement, ctx).or(command)
}

/// The partner (its INN, 1C flag and status at the period's end), the period, the day the
/// statement was made and the rate versions it used.
fn statement_facts_ui(ui: &mut Ui, statement: &Statement, lang: Lang) {
    ui.label(RichText::new(&statement.partner.name).strong().size(16.0));
    ui.label(format!(
        "{} {} · {} {} · {} {}",
        lang.pick("ИНН", "INN"),
        statement.partner.inn,
        lang.pick("партнёр 1С:", "1C partner:"),
        if statement.partner.one_c_partner {
            lang.pick("да", "yes")
        } else {
            lang.pick("нет", "no")
        },
        lang.pick("статус на конец периода:", "status at period end:"),
        status_name(statement.partner.status, lang)
    ));
    ui.label(format!(
        "{} {} — {} · {} {} · {} {}",
        lang.pick("Период", "Period"),
        ui::date(statement.from, lang),
        ui::date(statement.to, lang),
        lang.pick("сформирована", "generated on"),
        ui::date(statement.generated_on, lang),
        lang.pick("версии ставок:", "rate versions:"),
        statement
            .rate_versions
            .iter()
            .map(|v| ui::version_label(v, lang))
            .collect::<Vec<_>>()
            .join(", ")
    ));
}

/// «Export…», and «Issue…» or, when a statement issued for the partner overlaps the
/// period, that one and «Export the issued one…».
fn statement_actions_ui(
    ui: &mut Ui,
    statement: &Statement,
    (partner, from, to): (PartnerId, NaiveDate, NaiveDate),
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    let issued = data.issued_within(partner, from, to);
    match issued {
        Some(row) => {
            if ui
                .button(lang.pick("Экспорт выданной…", "Export the issued one…"))
                .clicked()
            {
                command = Some(Command::ExportIssued {
                    number: row.number.clone(),
                });
            }
            ui.label(
                RichText::new(format!(
                    "{} {} ({} — {})",
                    lang.pick("Выдана ведомость", "Issued statement"),
                    row.number,
                    ui::date(row.from, lang),
                    ui::date(row.to, lang)
                ))
                .strong(),
            );
        }
        None => {
            if ui::change_button(
                ui,
                ctx,
                Right::Lead,
                !statement.lines.is_empty(),
                egui::Button::new(lang.pick("Выдать…", "Issue…")),
            )
            .on_hover_text(lang.pick(
                "Присвоить номер, сохранить цифры и закрыть период от изменений",
                "Give it a number, store its figures and lock the period",
            ))
            .clicked()
            {
                command = Some(Command::IssueStatement { partner, from, to });
            }
        }
    }
    // Beside an issued statement, the figures as computed now are a draft.
    let (export, tip) = match issued {
        Some(_) => (
            lang.pick("Экспорт проекта…", "Export the draft…"),
            lang.pick(
                "Цифры, как они посчитаны сейчас, с пометкой «Проект — не выдан»: PDF, Excel, JSON или CSV",
                "The figures as computed now, marked «Draft — not issued»: PDF, Excel, JSON or CSV",
            ),
        ),
        None => (
            lang.pick("Экспорт…", "Export…"),
            lang.pick("PDF, Excel, JSON или CSV", "PDF, Excel, JSON or CSV"),
        ),
    };
    if ui
        .add_enabled(!statement.lines.is_empty(), egui::Button::new(export))
        .on_hover_text(tip)
        .clicked()
    {
        command = Some(Command::ExportStatement { partner, from, to });
    }
    command
}

/// The statement's amount and premium by license kind, and overall; under them, the
/// statement `issued` for the period, else that this is a draft.
fn totals_ui(ui: &mut Ui, statement: &Statement, issued: Option<&IssuedRow>, lang: Lang) {
    let money_cell = |ui: &mut Ui, text: String, strong: bool| {
        let size = egui::vec2(150.0, ui.spacing().interact_size.y);
        ui.allocate_ui_with_layout(
            size,
            egui::Layout::right_to_left(egui::Align::Center),
            |ui| {
                if strong {
                    ui.strong(text)
                } else {
                    ui.label(text)
                }
            },
        );
    };
    egui::Grid::new("totals-grid")
        .num_columns(3)
        .striped(true)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            ui.strong(lang.pick("Итого по видам лицензий", "Totals by license kind"));
            money_cell(ui, lang.pick("Сумма", "Amount").to_owned(), true);
            money_cell(ui, lang.pick("Премия", "Premium").to_owned(), true);
            ui.end_row();
            for (kind, sums) in &statement.totals.by_kind {
                ui.label(kind.short_name(lang))
                    .on_hover_text(kind.name(lang));
                money_cell(ui, ui::money(sums.amount, lang), false);
                money_cell(ui, ui::money(sums.premium, lang), false);
                ui.end_row();
            }
            ui.strong(lang.pick("Итого", "Total"));
            money_cell(ui, ui::money(statement.totals.overall.amount, lang), true);
            money_cell(ui, ui::money(statement.totals.overall.premium, lang), true);
            ui.end_row();
        });
    // As the document says it: the amount to pay (or withhold) in words, and that a
    // preview is no document yet.
    let (label, amount, words) = crate::domain::document::to_pay(statement, lang);
    ui.label(format!("{label}: {} — {words}", amount.display(lang)));
    if let Some(row) = issued {
        ui.strong(format!(
            "{} {} {} {}",
            lang.pick("Ведомость выдана: №", "Statement issued: No."),
            row.number,
            lang.pick("от", "of"),
            ui::date(row.issued_on, lang)
        ));
    } else if let Some(mark) = crate::domain::document::draft_mark(statement, lang) {
        ui.label(RichText::new(mark).color(ui::warn_color(ui)));
    }
}

/// The statement's lines' columns.
fn line_columns(lang: Lang) -> [ui::Col<()>; 9] {
    [
        ui::Col::new(lang.pick("Дата", "Date"), 85.0),
        ui::Col::new(lang.pick("Документ", "Document"), 80.0),
        ui::Col::new(lang.pick("Клиент", "Client"), 0.0),
        ui::Col::new(lang.pick("Вид", "Kind"), 130.0),
        ui::Col::new(lang.pick("Сумма", "Amount"), 120.0).right(),
        ui::Col::new(lang.pick("Условия", "Terms"), 120.0),
        ui::Col::new(lang.pick("Ставка", "Rate"), 55.0).right(),
        ui::Col::new(lang.pick("Премия", "Premium"), 110.0).right(),
        ui::Col::new(lang.pick("Причина нулевой премии", "Why zero"), 170.0),
    ]
}

/// A line's value in column `col` of [`line_columns`].
fn line_cell(l: &Line, col: usize, lang: Lang) -> ui::Cell {
    match col {
        0 => Value::Date(l.date).into(),
        1 => {
            let doc = ui::Cell::from(Value::Text(l.doc.clone().unwrap_or_default()));
            match &l.return_of {
                Some(of) => doc.tip(format!("{} {of}", lang.pick("Возврат по", "Return of"))),
                None => doc,
            }
        }
        2 if l.client_name.is_empty() => Value::Code(l.client_inn.to_string()).into(),
        2 => ui::Cell::from(Value::text(&l.client_name)).tip(l.client_inn.as_str()),
        3 => ui::Cell::from(Value::text(l.kind.short_name(lang))).tip(l.kind.name(lang)),
        4 if l.return_of.is_some() => ui::Cell::from(Value::Money(l.amount)).warn(),
        4 => Value::Money(l.amount).into(),
        5 => Value::Text(terms_name(l.terms, l.one_c_terms, lang)).into(),
        6 => l.rate.map_or(Value::Empty, Value::Rate).into(),
        7 => Value::Money(l.premium).into(),
        _ => l
            .reason
            .map_or(Value::Empty, |reason| Value::text(reason.text(lang)))
            .into(),
    }
}

/// The statement's lines in a table, the list exported when asked from its menu.
fn lines_ui(ui: &mut Ui, statement: &Statement, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    let cols = line_columns(lang);
    let cell = |i: usize, col: usize| line_cell(&statement.lines[i], col, lang);
    let out = ui::Table::new(LINES_TABLE, &cols, statement.lines.len(), lang)
        .view((
            statement.partner.inn,
            statement.from,
            statement.to,
            statement.lines.len(),
        ))
        .show(ui, cell);
    let format = out.export?;
    let title = format!(
        "{} — {}",
        lang.pick("Ведомость", "Statement"),
        statement.partner.name
    );
    let rows = statement.lines.len();
    let list = ui::shown_list(ui.ctx(), LINES_TABLE, &title, &cols, rows, cell, ctx.today);
    Some(Command::ExportList(Box::new(list), format))
}

/// The tables' names, under which their columns are remembered.
const LINES_TABLE: &str = "statement-table";
const ISSUED_TABLE: &str = "issued-table";

/// The list of issued statements with their state, and what can be done with one.
fn issued_ui(
    ui: &mut Ui,
    page: &mut StatementsPage,
    data: &Data,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    if data.issued.is_empty() {
        ui::empty_state(
            ui,
            lang.pick("Выданных ведомостей пока нет", "No statement has been issued yet"),
            lang.pick(
                "Выдайте ведомость из предпросмотра: она получит номер, а период закроется от изменений.",
                "Issue a statement from the preview: it gets a number and its period is locked.",
            ),
        );
        return None;
    }
    let mut command = None;
    if let Some(number) = page.selected_issued.clone()
        && let Some(row) = data.issued.iter().find(|r| r.number == number)
    {
        egui::Panel::bottom("issued-actions").show(ui, |ui| {
            command = issued_actions_ui(ui, &mut page.reopen_reason, row, ctx);
        });
    }
    let cols = issued_columns(lang);
    let selected = page.selected_issued.clone();
    let cell = |i: usize, col: usize| issued_cell(&data.issued[i], col, lang);
    let out = ui::Table::new(ISSUED_TABLE, &cols, data.issued.len(), lang)
        .view(data.version)
        .opened(|i| selected.as_deref() == Some(data.issued[i].number.as_str()))
        .show(ui, cell);
    if let Some(format) = out.export {
        let title = lang.pick("Выданные ведомости", "Issued statements");
        let rows = data.issued.len();
        let list = ui::shown_list(ui.ctx(), ISSUED_TABLE, title, &cols, rows, cell, ctx.today);
        command = Some(Command::ExportList(Box::new(list), format));
    }
    if let Some(i) = out.opened {
        page.selected_issued = Some(data.issued[i].number.clone());
    }
    command
}

/// The issued statement selected: its number and hash, «Export…», and while it is not
/// reopened, the reason to reopen it and «Reopen…».
fn issued_actions_ui(
    ui: &mut Ui,
    reopen_reason: &mut String,
    row: &IssuedRow,
    ctx: &PageCtx,
) -> Option<Command> {
    let lang = ctx.lang;
    let mut command = None;
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.strong(format!(
            "{} {}",
            lang.pick("Ведомость", "Statement"),
            row.number
        ));
        ui.label(format!(
            "SHA-256 {}",
            &row.sha256[..16.min(row.sha256.len())]
        ))
        .on_hover_text(&row.sha256);
        if ui.button(lang.pick("Экспорт…", "Export…")).clicked() {
            command = Some(Command::ExportIssued {
                number: row.number.clone(),
            });
        }
    });
    if row.reopened.is_none() {
        ui.horizontal(|ui| {
            let label = ui.label(lang.pick("Причина переоткрытия", "Reason for reopening"));
            ui.add(egui::TextEdit::singleline(reopen_reason).desired_width(320.0))
                .labelled_by(label.id);
            let ready = !reopen_reason.trim().is_empty();
            if ui::change_button(
                ui,
                ctx,
                Right::Lead,
                ready,
                egui::Button::new(lang.pick("Переоткрыть…", "Reopen…")),
            )
            .clicked()
            {
                command = Some(Command::ReopenStatement {
                    number: row.number.clone(),
                    reason: reopen_reason.trim().to_owned(),
                });
            }
        });
    }
    ui.add_space(4.0);
    command
}

/// The issued statements' columns.
fn issued_columns(lang: Lang) -> [ui::Col<()>; 7] {
    [
        ui::Col::new(lang.pick("Номер", "Number"), 95.0),
        ui::Col::new(lang.pick("Партнёр", "Partner"), 0.0),
        ui::Col::new(lang.pick("Период", "Period"), 190.0),
        ui::Col::new(lang.pick("Выдана", "Issued on"), 95.0),
        ui::Col::new(lang.pick("Выдал", "Issued by"), 100.0),
        ui::Col::new(lang.pick("Премия", "Premium"), 130.0).right(),
        ui::Col::new(lang.pick("Состояние", "State"), 260.0),
    ]
}

/// An issued statement's value in column `col` of [`issued_columns`].
fn issued_cell(r: &IssuedRow, col: usize, lang: Lang) -> ui::Cell {
    match col {
        0 => Value::Code(r.number.clone()).into(),
        1 => Value::text(&r.partner_name).into(),
        2 => Value::Text(format!(
            "{} — {}",
            ui::date(r.from, lang),
            ui::date(r.to, lang)
        ))
        .into(),
        3 => Value::Date(r.issued_on).into(),
        4 => Value::text(&r.issued_by).into(),
        5 => Value::Money(r.premium).into(),
        _ => match &r.reopened {
            None => Value::text(lang.pick("выдана, период закрыт", "issued, period locked")).into(),
            Some((on, reason)) => ui::Cell::from(Value::Text(format!(
                "{} {}{} · {reason}",
                lang.pick("переоткрыта", "reopened"),
                ui::date(*on, lang),
                ui::recorded_by(&r.reopened_by, lang)
            )))
            .tip(reason),
        },
    }
}

/// The language of exported documents, chosen beside the formats: the one chosen, when
/// it changes.
fn doc_lang_combo(ui: &mut egui::Ui, doc_lang: Lang, lang: Lang) -> Option<Lang> {
    let label = ui.label(lang.pick("Язык документов:", "Documents in:"));
    let name = |l: Lang| l.pick("Русский", "English");
    let mut chosen = doc_lang;
    egui::ComboBox::from_id_salt("doc-lang")
        .selected_text(name(doc_lang))
        .show_ui(ui, |ui| {
            for l in [Lang::Ru, Lang::En] {
                ui.selectable_value(&mut chosen, l, name(l));
            }
        })
        .response
        .on_hover_text(lang.pick(
            "Язык выгружаемых ведомостей, независимо от языка программы",
            "The language of exported statements, whatever the interface's",
        ))
        .labelled_by(label.id);
    (chosen != doc_lang).then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months_quarters_and_years() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let today = d("2025-05-20");
        assert_eq!(
            Period::ThisMonth.bounds(today),
            Some((d("2025-05-01"), d("2025-05-31")))
        );
        assert_eq!(
            Period::LastMonth.bounds(today),
            Some((d("2025-04-01"), d("2025-04-30")))
        );
        assert_eq!(
            Period::ThisQuarter.bounds(today),
            Some((d("2025-04-01"), d("2025-06-30")))
        );
        assert_eq!(
            Period::LastQuarter.bounds(today),
            Some((d("2025-01-01"), d("2025-03-31")))
        );
        assert_eq!(
            Period::ThisYear.bounds(today),
            Some((d("2025-01-01"), d("2025-12-31")))
        );
        assert_eq!(
            Period::LastQuarter.bounds(d("2025-02-01")),
            Some((d("2024-10-01"), d("2024-12-31")))
        );
    }
}
