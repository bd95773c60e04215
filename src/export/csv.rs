//! The statement as CSV for people: UTF-8 with BOM, `;`, decimal comma, a header block,
//! one line per sale with the reason in words, totals; no cell a spreadsheet runs as a
//! formula.

use crate::domain::lang::Lang;
use crate::domain::premium::terms_name;
use crate::domain::statement::Line;
use crate::domain::status::status_name;
use crate::domain::{Money, Statement, show_date};

/// Makes a text cell inert in spreadsheets (OWASP CSV injection): a cell starting with
/// `= + - @`, tab or CR gets a leading apostrophe.
pub fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// An amount for a spreadsheet cell: decimal comma, no thousands separator.
pub fn number(m: Money) -> String {
    m.grouped('\0', ',').replace('\0', "")
}

/// The statement as CSV bytes, in the given language.
pub fn statement_csv(s: &Statement, lang: Lang) -> Vec<u8> {
    let mut rows = header_rows(s, lang);
    rows.push(vec![]);
    rows.push(line_header(lang));
    rows.extend(s.lines.iter().map(|l| line_row(l, lang)));
    rows.push(vec![]);
    rows.extend(total_rows(s, lang));
    rows_to_bytes(&rows)
}

/// The title and the header block: partner, INN, 1C flag, status, period, day made, rate
/// versions, and a warning when a rate is not set.
fn header_rows(s: &Statement, lang: Lang) -> Vec<Vec<String>> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let day = |d| show_date(d, lang);
    let mut rows: Vec<Vec<String>> = vec![
        vec![t("Ведомость премий партнёра", "Partner premium statement").into()],
        vec![t("Партнёр", "Partner").into(), inert(&s.partner.name)],
        vec![t("ИНН", "INN").into(), s.partner.inn.to_string()],
        vec![
            t("Партнёр 1С", "1C partner").into(),
            if s.partner.one_c_partner {
                t("да", "yes")
            } else {
                t("нет", "no")
            }
            .into(),
        ],
        vec![
            t("Статус на конец периода", "Status at period end").into(),
            status_name(s.partner.status, lang).into(),
        ],
        vec![t("Период", "Period").into(), day(s.from), day(s.to)],
        vec![
            t("Сформирована", "Generated on").into(),
            day(s.generated_on),
        ],
        vec![
            t("Версии ставок", "Rate versions").into(),
            s.rate_versions.join(", "),
        ],
    ];
    if s.lines_without_rate() > 0 {
        rows.push(vec![
            t("Внимание", "Attention").into(),
            format!(
                "{} {}",
                t(
                    "строк с незаданной ставкой (премия 0):",
                    "lines whose rate is not set (premium 0):"
                ),
                s.lines_without_rate()
            ),
        ]);
    }
    rows
}

/// The lines' header row.
fn line_header(lang: Lang) -> Vec<String> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    [
        t("Дата", "Date"),
        t("Документ", "Document"),
        t("ИНН клиента", "Client INN"),
        t("Клиент", "Client"),
        t("Вид лицензии", "License kind"),
        t("Сумма, ₽", "Amount, ₽"),
        t("Условия (статус)", "Terms (status)"),
        t("Ставка, %", "Rate, %"),
        t("Премия, ₽", "Premium, ₽"),
        t("Причина нулевой премии", "Why the premium is zero"),
        t("Возврат по документу", "Return of document"),
    ]
    .map(String::from)
    .to_vec()
}

/// A line of the statement, in the columns of [`line_header`].
fn line_row(l: &Line, lang: Lang) -> Vec<String> {
    vec![
        show_date(l.date, lang),
        inert(l.doc.as_deref().unwrap_or("")),
        l.client_inn.to_string(),
        inert(&l.client_name),
        l.kind.short_name(lang).into(),
        number(l.amount),
        terms_name(l.terms, l.one_c_terms, lang),
        l.rate.map(|r| r.display(Lang::Ru)).unwrap_or_default(),
        number(l.premium),
        l.reason
            .map(|r| r.text(lang).to_owned())
            .unwrap_or_default(),
        inert(l.return_of.as_deref().unwrap_or("")),
    ]
}

/// The amount and premium by license kind, then overall, under the lines' amount and
/// premium columns.
fn total_rows(s: &Statement, lang: Lang) -> Vec<Vec<String>> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let row = |label: &str, kind: &str, amount: Money, premium: Money| {
        let mut row = vec![String::new(); 9];
        row[0] = label.into();
        row[4] = kind.into();
        row[5] = number(amount);
        row[8] = number(premium);
        row
    };
    let mut rows: Vec<Vec<String>> = s
        .totals
        .by_kind
        .iter()
        .map(|(kind, sums)| {
            let label = t("Итого по виду", "Total for kind");
            row(label, kind.short_name(lang), sums.amount, sums.premium)
        })
        .collect();
    let overall = &s.totals.overall;
    rows.push(row(
        t("Итого", "Total"),
        "",
        overall.amount,
        overall.premium,
    ));
    rows
}

/// A table for people: header and rows, text cells made inert.
pub fn table_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut all: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    // Numbers stay numbers (a negative total is not a formula); text is made inert.
    let cell = |c: &String| {
        if c.replace(',', ".").parse::<rust_decimal::Decimal>().is_ok() {
            c.clone()
        } else {
            inert(c)
        }
    };
    all.extend(rows.iter().map(|r| r.iter().map(cell).collect()));
    rows_to_bytes(&all)
}

/// UTF-8 with BOM, `;`-separated, quoted where needed.
fn rows_to_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_writer(&mut out);
        for row in rows {
            // Writing to memory cannot fail.
            let _ = if row.is_empty() {
                writer.write_record([""])
            } else {
                writer.write_record(row)
            };
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_cells_that_start_a_formula_are_made_inert() {
        for nasty in ["=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert(nasty).starts_with('\''), "{nasty:?}");
        }
        assert_eq!(inert("ООО «Ромашка»"), "ООО «Ромашка»");
    }
}
