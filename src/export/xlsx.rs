//! The statement as an Excel workbook: a header block with both parties, the lines as a
//! table with real number formats, totals as formulas over the lines with their values
//! (computed here) cached, the amount to pay in words, the VAT line and the signatures;
//! frozen header, autofilter, printable.
//!
//! Excel keeps numbers as binary floating point; amounts are written from `Decimal` at this
//! boundary only, and every amount below 10^12 with two decimals reads back exactly.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::domain::document;

use crate::domain::lang::Lang;
use crate::domain::premium::terms_name;
use crate::domain::statement::Line;
use crate::domain::status::status_name;
use crate::domain::{Money, RatePct, Statement};
use crate::export::list::{Column, List, Value};

/// Statements with more lines than this are written row by row with little memory.
const CONSTANT_MEMORY_LINES: usize = 5_000;

/// The money format: `1 234,56 ₽` in a Russian Excel, `1,234.56 ₽` in an English one.
const MONEY: &str = "#,##0.00\\ \"₽\";\\-#,##0.00\\ \"₽\"";

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(partner: &str) -> String {
    let cleaned: String = partner
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect::<String>()
        .trim_matches(|c: char| c == '\'' || c.is_whitespace())
        .chars()
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Statement".to_owned()
    } else {
        cleaned.trim_end().to_owned()
    }
}

fn date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn money(m: Money) -> Decimal {
    m.decimal()
}

/// A rate as a fraction for Excel's percent format, with the format that shows its decimals.
fn rate_cell(rate: RatePct) -> (Decimal, &'static str) {
    let fraction = rate.decimal() / Decimal::ONE_HUNDRED;
    let format = match rate.decimal().normalize().scale() {
        0 => "0%",
        1 => "0.0%",
        _ => "0.00%",
    };
    (fraction, format)
}

struct Formats {
    title: Format,
    label: Format,
    header: Format,
    date: Format,
    money: Format,
    money_bold: Format,
    text: Format,
    bold: Format,
    warn: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_font_color("#555555"),
            header: Format::new()
                .set_bold()
                .set_background_color("#DCE6F1")
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            date: Format::new()
                .set_num_format("dd.mm.yyyy")
                .set_align(FormatAlign::Left),
            money: Format::new().set_num_format(MONEY),
            money_bold: Format::new()
                .set_num_format(MONEY)
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            text: Format::new(),
            bold: Format::new().set_bold(),
            warn: Format::new().set_font_color("#C00000").set_bold(),
        }
    }
}

/// The statement as XLSX bytes, in the given language.
pub fn statement_xlsx(s: &Statement, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = if s.lines.len() > CONSTANT_MEMORY_LINES {
        workbook.add_worksheet_with_constant_memory()?
    } else {
        workbook.add_worksheet()
    };
    write_sheet(sheet, s, lang)?;
    workbook.save_to_buffer()
}

fn write_sheet(ws: &mut Worksheet, s: &Statement, lang: Lang) -> Result<(), XlsxError> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    ws.set_name(sheet_name(&s.partner.name))?;
    let mut sheet = StatementSheet {
        ws,
        f: Formats::new(),
        row: 0,
        lang,
    };
    sheet.header(s)?;
    sheet.row += 1;
    let header_row = sheet.lines(s)?;
    let lines = (
        header_row + 1,
        sheet.row.saturating_sub(1).max(header_row + 1),
    );
    sheet.row += 1;
    sheet.totals(s, lines)?;
    sheet.amount_to_pay(s)?;
    let ws = sheet.ws;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer(format!("&C{} &P {} &N", t("стр.", "page"), t("из", "of")));
    Ok(())
}

/// A statement's sheet being written, a row at a time from the top.
struct StatementSheet<'w> {
    ws: &'w mut Worksheet,
    f: Formats,
    /// The next row to write.
    row: u32,
    lang: Lang,
}

impl StatementSheet<'_> {
    fn t(&self, ru: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(ru, en)
    }

    /// A label and its value in bold, on a row of their own.
    fn pair(&mut self, label: &str, value: &str) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(self.row, 0, label, &self.f.label)?;
        self.ws
            .write_string_with_format(self.row, 2, value, &self.f.bold)?;
        self.row += 1;
        Ok(())
    }

    /// A label and the dates beside it (from column 2), on a row of their own.
    fn dates(&mut self, label: &str, dates: &[chrono::NaiveDate]) -> Result<(), XlsxError> {
        self.ws
            .write_string_with_format(self.row, 0, label, &self.f.label)?;
        for (col, day) in (2..).zip(dates) {
            self.ws
                .write_datetime_with_format(self.row, col, date(*day)?, &self.f.date)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The title and the header block: number, issuer, partner, INN, 1C flag, status,
    /// period, day made, rate versions, and a warning when a rate is not set.
    fn header(&mut self, s: &Statement) -> Result<(), XlsxError> {
        let lang = self.lang;
        self.ws
            .write_string_with_format(self.row, 0, document::title(s, lang), &self.f.title)?;
        self.row += 1;
        if let Some(mark) = document::draft_mark(s, lang) {
            self.ws
                .write_string_with_format(self.row, 0, mark, &self.f.warn)?;
            self.row += 1;
        }
        if let Some(number) = &s.number {
            self.pair(self.t("Номер ведомости", "Statement number"), number)?;
        }
        if let Some(by) = s.issued_by.as_deref().filter(|by| !by.is_empty()) {
            self.pair(self.t("Выдал", "Issued by"), by)?;
        }
        self.pair(self.t("Партнёр", "Partner"), &s.partner.name)?;
        self.pair(self.t("ИНН", "INN"), s.partner.inn.as_str())?;
        let one_c = if s.partner.one_c_partner {
            self.t("да", "yes")
        } else {
            self.t("нет", "no")
        };
        self.pair(self.t("Партнёр 1С", "1C partner"), one_c)?;
        self.pair(
            self.t("Статус на конец периода", "Status at period end"),
            status_name(s.partner.status, lang),
        )?;
        let period = format!(
            "{} — {}",
            crate::domain::show_date(s.from, lang),
            crate::domain::show_date(s.to, lang)
        );
        self.pair(self.t("Период", "Period"), &period)?;
        self.dates(self.t("Сформирована", "Generated on"), &[s.generated_on])?;
        let versions: Vec<String> = s
            .rate_versions
            .iter()
            .map(|v| crate::domain::rates::version_label(v, lang))
            .collect();
        self.pair(
            self.t("Версии ставок", "Rate versions"),
            &versions.join(", "),
        )?;
        if let Some(p) = &s.parties {
            let partner =
                document::party_line(&p.partner, &s.partner.name, s.partner.inn.as_str(), lang);
            self.pair(
                self.t("Реквизиты партнёра", "Partner's requisites"),
                &partner,
            )?;
            let ours = document::party_line(&p.ours, "", &p.ours.inn, lang);
            self.pair(self.t("Организация", "Organisation"), &ours)?;
            let contract = document::contract(&p.partner, lang);
            if !contract.is_empty() {
                self.pair(self.t("Договор", "Contract"), &contract)?;
            }
        }
        if s.lines_without_rate() > 0 {
            let attention = self.t(
                "Внимание: строк с незаданной ставкой (премия 0):",
                "Attention: lines whose rate is not set (premium 0):",
            );
            let text = format!("{attention} {}", s.lines_without_rate());
            self.ws
                .write_string_with_format(self.row, 0, text, &self.f.warn)?;
            self.row += 1;
        }
        Ok(())
    }

    /// The lines' table under its header row, filtered and frozen below it: the header's
    /// row.
    fn lines(&mut self, s: &Statement) -> Result<u32, XlsxError> {
        let headers = line_headers(self.lang);
        let header_row = self.row;
        for (col, (title, width)) in (0..).zip(&headers) {
            self.ws.set_column_width(col, *width)?;
            self.ws
                .write_string_with_format(self.row, col, *title, &self.f.header)?;
        }
        self.ws.set_row_height(self.row, 30)?;
        self.row += 1;
        for l in &s.lines {
            self.line(l)?;
        }
        let last_line_row = self.row.saturating_sub(1).max(header_row);
        self.ws
            .autofilter(header_row, 0, last_line_row, (headers.len() - 1) as u16)?;
        self.ws.set_freeze_panes(header_row + 1, 0)?;
        Ok(header_row)
    }

    /// A line of the statement, in the columns of [`line_headers`].
    fn line(&mut self, l: &Line) -> Result<(), XlsxError> {
        let (ws, f, row, lang) = (&mut *self.ws, &self.f, self.row, self.lang);
        ws.write_datetime_with_format(row, 0, date(l.date)?, &f.date)?;
        ws.write_string_with_format(row, 1, l.doc.as_deref().unwrap_or(""), &f.text)?;
        ws.write_string_with_format(row, 2, l.client_inn.as_str(), &f.text)?;
        ws.write_string_with_format(row, 3, &l.client_name, &f.text)?;
        ws.write_string_with_format(row, 4, l.kind.short_name(lang), &f.text)?;
        ws.write_with_format(row, 5, money(l.amount), &f.money)?;
        ws.write_string_with_format(row, 6, status_name(l.status, lang), &f.text)?;
        ws.write_string_with_format(row, 7, terms_name(l.terms, l.one_c_terms, lang), &f.text)?;
        if let Some(rate) = l.rate {
            let (value, format) = rate_cell(rate);
            ws.write_with_format(row, 8, value, &Format::new().set_num_format(format))?;
        }
        ws.write_with_format(row, 9, money(l.premium), &f.money)?;
        let reason = l.reason.map(|r| r.text(lang)).unwrap_or("");
        ws.write_string_with_format(row, 10, reason, &f.text)?;
        let returns = document::returns(l, lang).unwrap_or_default();
        ws.write_string_with_format(row, 11, returns, &f.text)?;
        self.row += 1;
        Ok(())
    }

    /// The amount and premium by license kind (`SUMIF` over the lines' kinds), then
    /// overall in bold (`SUM` over the lines), each formula with its value cached.
    fn totals(&mut self, s: &Statement, (first, last): (u32, u32)) -> Result<(), XlsxError> {
        let (ws, f, lang) = (&mut *self.ws, &self.f, self.lang);
        let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
        let range = |col: char| format!("{col}{}:{col}{}", first + 1, last + 1);
        for (kind, sums) in &s.totals.by_kind {
            let row = self.row;
            let name = kind.short_name(lang);
            ws.write_string_with_format(row, 0, t("Итого по виду", "Total for kind"), &f.label)?;
            ws.write_string_with_format(row, 4, name, &f.text)?;
            let quoted = name.replace('"', "\"\"");
            for (col, letter, value) in [(5, 'F', sums.amount), (9, 'J', sums.premium)] {
                let formula = format!("=SUMIF({},\"{quoted}\",{})", range('E'), range(letter));
                let formula = Formula::new(formula).set_result(value.plain());
                ws.write_formula_with_format(row, col, formula, &f.money)?;
            }
            self.row += 1;
        }
        let row = self.row;
        ws.write_string_with_format(row, 0, t("Итого", "Total"), &f.bold)?;
        for (col, letter, value) in [
            (5, 'F', s.totals.overall.amount),
            (9, 'J', s.totals.overall.premium),
        ] {
            let formula =
                Formula::new(format!("=SUM({})", range(letter))).set_result(value.plain());
            ws.write_formula_with_format(row, col, formula, &f.money_bold)?;
        }
        self.row += 1;
        Ok(())
    }

    /// «Итого к выплате» or «К удержанию» with the amount in words, the VAT line, and both
    /// sides' signatories.
    fn amount_to_pay(&mut self, s: &Statement) -> Result<(), XlsxError> {
        let lang = self.lang;
        let (label, amount, words) = document::to_pay(s, lang);
        self.row += 1;
        self.ws
            .write_string_with_format(self.row, 0, label, &self.f.bold)?;
        self.ws
            .write_with_format(self.row, 9, money(amount), &self.f.money_bold)?;
        self.row += 1;
        self.ws.write_string(self.row, 0, words)?;
        self.row += 1;
        let vat = s.parties.as_ref().and_then(|p| p.partner.vat);
        if let Some(vat) = document::vat_line(vat, amount, lang) {
            self.ws.write_string(self.row, 0, vat)?;
            self.row += 1;
        }
        self.row += 1;
        let sides = [
            (
                self.t("От организации", "For the organisation"),
                document::signatory(s.parties.as_ref().map(|p| &p.ours), lang),
                0,
            ),
            (
                self.t("От партнёра", "For the partner"),
                document::signatory(s.parties.as_ref().map(|p| &p.partner), lang),
                6,
            ),
        ];
        let signature = self.t(
            "_____________ (подпись)   М. П.",
            "_____________ (signature)   Seal",
        );
        for (side, (position, name), col) in sides {
            self.ws
                .write_string_with_format(self.row, col, side, &self.f.bold)?;
            self.ws.write_string(self.row + 1, col, position)?;
            self.ws.write_string(self.row + 2, col, signature)?;
            self.ws.write_string(self.row + 2, col + 3, name)?;
        }
        self.row += 3;
        Ok(())
    }
}

/// A partner's акт сверки as a workbook: the title, the parties and the period, the opening
/// balance, accruals and payments by date, the turnover (`SUM` formulas with their values
/// cached) and the closing balance, the balance in words and both sides' signatories.
pub fn reconciliation_xlsx(
    r: &crate::domain::reconciliation::Reconciliation,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet_name(&r.partner_name))?;
    for (col, width) in [(0, 12.0), (1, 60.0), (2, 20.0), (3, 20.0)] {
        ws.set_column_width(col, width)?;
    }
    let title = t("Акт сверки взаимных расчётов", "Reconciliation statement");
    ws.write_string_with_format(0, 0, title, &f.title)?;
    let period = format!(
        "{} — {}",
        crate::domain::show_date(r.from, lang),
        crate::domain::show_date(r.to, lang)
    );
    ws.write_string_with_format(1, 0, t("Период", "Period"), &f.label)?;
    ws.write_string_with_format(1, 1, period, &f.bold)?;
    ws.write_string_with_format(2, 0, t("Партнёр", "Partner"), &f.label)?;
    ws.write_string_with_format(
        2,
        1,
        format!("{} ({})", r.partner_name, r.partner_inn),
        &f.bold,
    )?;
    let header = [
        t("Дата", "Date"),
        t("Документ", "Document"),
        t("Начислено", "Accrued"),
        t("Оплачено", "Paid"),
    ];
    for (col, title) in (0..).zip(header) {
        ws.write_string_with_format(4, col, title, &f.header)?;
    }
    ws.write_string(5, 1, t("Сальдо на начало периода", "Opening balance"))?;
    ws.write_with_format(5, 2, money(r.opening), &f.money)?;
    let mut row = 6;
    for line in &r.lines {
        ws.write_datetime_with_format(row, 0, date(line.date)?, &f.date)?;
        ws.write_string(row, 1, &line.what)?;
        ws.write_with_format(row, 2, money(line.accrued), &f.money)?;
        ws.write_with_format(row, 3, money(line.paid), &f.money)?;
        row += 1;
    }
    // The lines are Excel's rows 7 to `row` (none when `row` is 6).
    ws.write_string_with_format(
        row,
        1,
        t("Обороты за период", "Turnover for the period"),
        &f.bold,
    )?;
    for (col, letter, value) in [(2, 'C', r.accrued), (3, 'D', r.paid)] {
        if r.lines.is_empty() {
            ws.write_with_format(row, col, money(value), &f.money_bold)?;
        } else {
            let formula =
                Formula::new(format!("=SUM({letter}7:{letter}{row})")).set_result(value.plain());
            ws.write_formula_with_format(row, col, formula, &f.money_bold)?;
        }
    }
    row += 1;
    ws.write_string_with_format(
        row,
        1,
        t("Сальдо на конец периода", "Closing balance"),
        &f.bold,
    )?;
    let closing = Formula::new(format!("=C6+C{}-D{}", row, row)).set_result(r.closing.plain());
    ws.write_formula_with_format(row, 2, closing, &f.money_bold)?;
    let ours = crate::domain::reconciliation::our_name(r, lang);
    ws.write_string(
        row + 2,
        0,
        crate::domain::reconciliation::balance_sentence(r, &ours, lang),
    )?;
    for (col, side, requisites) in [
        (
            0,
            t("От организации", "For the organisation"),
            &r.parties.ours,
        ),
        (2, t("От партнёра", "For the partner"), &r.parties.partner),
    ] {
        let (position, name) = document::signatory(Some(requisites), lang);
        ws.write_string_with_format(row + 4, col, side, &f.bold)?;
        ws.write_string(row + 5, col, position)?;
        ws.write_string(
            row + 6,
            col,
            format!("_____________ {name}   {}", t("М. П.", "Seal")),
        )?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    workbook.save_to_buffer()
}

/// The lines' columns: each title and its width.
fn line_headers(lang: Lang) -> [(&'static str, f64); 12] {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    [
        (t("Дата", "Date"), 11.0),
        (t("Документ", "Document"), 12.0),
        (t("ИНН клиента", "Client INN"), 14.0),
        (t("Клиент", "Client"), 34.0),
        (t("Вид лицензии", "License kind"), 40.0),
        (t("Сумма", "Amount"), 17.0),
        (t("Статус", "Status"), 12.0),
        (t("Условия", "Terms"), 16.0),
        (t("Ставка", "Rate"), 8.0),
        (t("Премия", "Premium"), 16.0),
        (t("Причина нулевой премии", "Why the premium is zero"), 44.0),
        (t("Возврат по документу", "Return of document"), 14.0),
    ]
}

/// A list as a workbook: its columns with real dates, amounts and rates, written row by row
/// with little memory, so a list of a million rows is exported as well as one of ten.
pub struct ListBook {
    workbook: Workbook,
    formats: Formats,
    columns: u16,
    row: u32,
}

impl ListBook {
    pub fn new(title: &str, columns: &[Column], lang: Lang) -> Result<ListBook, XlsxError> {
        let mut workbook = Workbook::new();
        let formats = Formats::new();
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet_name(title))?;
        for (col, c) in columns.iter().enumerate() {
            ws.set_column_width(col as u16, c.width)?;
            ws.write_with_format(0, col as u16, &c.title, &formats.header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_landscape();
        ws.set_repeat_rows(0, 0)?;
        let t = |ru, en| lang.pick(ru, en);
        ws.set_footer(format!("&C{} &P {} &N", t("стр.", "page"), t("из", "of")));
        Ok(ListBook {
            workbook,
            formats,
            columns: columns.len() as u16,
            row: 0,
        })
    }

    /// Adds a row of the list.
    pub fn add(&mut self, cells: &[Value]) -> Result<(), XlsxError> {
        let f = &self.formats;
        self.row += 1;
        let row = self.row;
        let ws = self.workbook.worksheet_from_index(0)?;
        for (col, value) in cells.iter().enumerate() {
            let col = col as u16;
            match value {
                Value::Empty => {}
                Value::Text(text) | Value::Code(text) => _ = ws.write_string(row, col, text)?,
                Value::Date(d) => {
                    _ = ws.write_datetime_with_format(row, col, date(*d)?, &f.date)?
                }
                Value::Money(m) => _ = ws.write_with_format(row, col, money(*m), &f.money)?,
                Value::Count(n) => _ = ws.write_number(row, col, *n as f64)?,
                Value::Rate(rate) => {
                    let (value, format) = rate_cell(*rate);
                    ws.write_with_format(row, col, value, &Format::new().set_num_format(format))?;
                }
            }
        }
        Ok(())
    }

    /// The rows written so far.
    pub fn rows(&self) -> u32 {
        self.row
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let last = self.row.max(1);
        let ws = self.workbook.worksheet_from_index(0)?;
        if self.columns > 0 {
            ws.autofilter(0, 0, last, self.columns - 1)?;
        }
        self.workbook.save_to_buffer()
    }
}

/// A list shown on a page as XLSX bytes.
pub fn list_xlsx(list: &List, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = ListBook::new(&list.title, &list.columns, lang)?;
    for row in &list.rows {
        book.add(row)?;
    }
    book.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_ones_excel_accepts() {
        assert_eq!(
            sheet_name("ООО «Альфа/Бета»: [Софт]"),
            "ООО «Альфа Бета»   Софт"
        );
        assert_eq!(sheet_name("А".repeat(40).as_str()).chars().count(), 31);
        assert_eq!(sheet_name("  "), "Statement");
    }
}
