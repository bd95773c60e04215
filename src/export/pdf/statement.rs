//! A statement laid out in pages, section by section: its title and header fields, its
//! lines' table, its totals by kind, and the signatures of both sides.

use super::{Col, Layout, MARGIN, PAGE_W, PdfError, ROW_H, statement_footer};
use crate::domain::document;
use crate::domain::lang::Lang;
use crate::domain::premium::terms_name;
use crate::domain::rates::version_label;
use crate::domain::statement::Line;
use crate::domain::status::status_name;
use crate::domain::{Statement, show_date};

/// A statement laid out in pages, with its title and footer.
pub(super) fn statement_layout(
    s: &Statement,
    lang: Lang,
) -> Result<(Layout<'static>, String, String), PdfError> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let mut l = Layout::new()?;
    l.text(MARGIN, 16.0, true, &document::title(s, lang));
    if let Some(mark) = document::draft_mark(s, lang) {
        l.text_right(PAGE_W - MARGIN, 14.0, true, mark);
    }
    l.y += 18.0;
    l.text(MARGIN, 10.0, false, &document::subtitle(s, lang));
    l.y += 18.0;
    l.fields(&header_fields(s, lang));
    l.fields(&party_fields(s, lang));
    if s.lines_without_rate() > 0 {
        let attention = t(
            "Внимание: строк с незаданной ставкой (премия 0):",
            "Attention: lines whose rate is not set (premium 0):",
        );
        let text = format!("{attention} {}", s.lines_without_rate());
        l.text(MARGIN, 9.5, true, &text);
        l.y += 14.0;
    }
    l.y += 8.0;
    let rows = s.lines.iter().map(|line| line_cells(line, lang));
    l.table(&line_columns(lang), rows);
    // The totals, the amount to pay and the signatures go together: the signatures are
    // never alone on a page.
    l.y += 10.0;
    l.ensure(ROW_H * (s.totals.by_kind.len() as f32 + 3.0) + TO_PAY_H + SIGNATURES_H);
    l.totals(s, lang);
    l.amount_to_pay(s, lang);
    l.signatures(s, lang);
    let title = format!(
        "{} — {}",
        t("Ведомость премий партнёра", "Partner premium statement"),
        s.partner.name
    );
    let footer = statement_footer(&l.measure, s, lang);
    Ok((l, title, footer))
}

/// The statement's header: the partner, its INN, 1C flag and status at the period's end,
/// the period, when it was made (and who issued it), the rate versions used.
fn header_fields(s: &Statement, lang: Lang) -> Vec<(&'static str, String)> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let generated = match &s.issued_by {
        Some(by) if !by.is_empty() => format!(
            "{} · {} {by}",
            show_date(s.generated_on, lang),
            t("выдал", "issued by")
        ),
        _ => show_date(s.generated_on, lang),
    };
    let versions: Vec<String> = s
        .rate_versions
        .iter()
        .map(|v| version_label(v, lang))
        .collect();
    vec![
        (t("Партнёр", "Partner"), s.partner.name.clone()),
        (t("ИНН", "INN"), s.partner.inn.to_string()),
        (
            t("Партнёр 1С", "1C partner"),
            if s.partner.one_c_partner {
                t("да", "yes")
            } else {
                t("нет", "no")
            }
            .to_owned(),
        ),
        (
            t("Статус на конец периода", "Status at period end"),
            status_name(s.partner.status, lang).to_owned(),
        ),
        (
            t("Период", "Period"),
            format!("{} — {}", show_date(s.from, lang), show_date(s.to, lang)),
        ),
        (t("Сформирована", "Generated on"), generated),
        (t("Версии ставок", "Rate versions"), versions.join(", ")),
    ]
}

/// The height of the amount to pay, in words, and the VAT line.
const TO_PAY_H: f32 = 3.0 * ROW_H;
/// The height of the signature block.
const SIGNATURES_H: f32 = 84.0;

/// Both parties' requisites and the contract, when they are entered.
fn party_fields(s: &Statement, lang: Lang) -> Vec<(&'static str, String)> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let Some(p) = &s.parties else {
        return Vec::new();
    };
    let mut fields = vec![
        (
            t("Реквизиты партнёра", "Partner's requisites"),
            document::party_line(&p.partner, &s.partner.name, s.partner.inn.as_str(), lang),
        ),
        (
            t("Организация", "Organisation"),
            document::party_line(&p.ours, "", &p.ours.inn, lang),
        ),
    ];
    let contract = document::contract(&p.partner, lang);
    if !contract.is_empty() {
        fields.push((t("Договор", "Contract"), contract));
    }
    fields
}

/// The lines' table's columns, 690 points wide in all.
fn line_columns(lang: Lang) -> [Col<'static>; 9] {
    let col = |ru, en, width, right| Col {
        title: lang.pick(ru, en),
        width,
        right,
    };
    [
        col("Дата", "Date", 56.0, false),
        col("Документ", "Document", 62.0, false),
        col("Клиент", "Client", 158.0, false),
        col("Вид лицензии", "License kind", 104.0, false),
        col("Сумма", "Amount", 82.0, true),
        col("Условия", "Terms", 84.0, false),
        col("Ставка", "Rate", 38.0, true),
        col("Премия", "Premium", 82.0, true),
        col("Причина", "Reason", 104.0, false),
    ]
}

/// A line's cells in [`line_columns`]: a return without a document of its own shows the
/// sale it returns.
fn line_cells(line: &Line, lang: Lang) -> Vec<String> {
    let client = if line.client_name.is_empty() {
        line.client_inn.to_string()
    } else {
        format!("{} ({})", line.client_name, line.client_inn)
    };
    let doc = match (&line.doc, &line.return_of) {
        (Some(doc), _) => doc.clone(),
        (None, Some(of)) => format!("↩ {of}"),
        (None, None) => String::new(),
    };
    vec![
        show_date(line.date, lang),
        doc,
        client,
        line.kind.short_name(lang).to_owned(),
        line.amount.display(lang),
        terms_name(line.terms, line.one_c_terms, lang),
        line.rate
            .map(|r| format!("{}\u{a0}%", r.display(lang)))
            .unwrap_or_default(),
        line.premium.display(lang),
        document::returns(line, lang)
            .or_else(|| line.reason.map(|r| r.text(lang).to_owned()))
            .unwrap_or_default(),
    ]
}

impl Layout<'_> {
    /// Labelled values, a line each, the value in bold beside its label; a value longer
    /// than the page goes on to the next, with every field after it.
    fn fields(&mut self, fields: &[(&str, String)]) {
        let value_width = PAGE_W - 2.0 * MARGIN - 150.0;
        for (label, value) in fields {
            self.ensure(14.0);
            self.text(MARGIN, 9.5, false, label);
            for (i, part) in self
                .measure
                .wrap(value, 9.5, true, value_width)
                .iter()
                .enumerate()
            {
                if i > 0 {
                    self.y += 12.0;
                    self.ensure(12.0);
                }
                self.text(MARGIN + 150.0, 9.5, true, part);
            }
            self.y += 14.0;
        }
    }

    /// The statement's amount and premium by license kind, then overall under a rule, kept
    /// together on one page.
    fn totals(&mut self, s: &Statement, lang: Lang) {
        let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
        let (amount_right, premium_right) = (MARGIN + 520.0, MARGIN + 640.0);
        let by_kind = t("Итого по видам лицензий", "Totals by license kind");
        self.text(MARGIN, 9.5, true, by_kind);
        self.text_right(amount_right, 9.5, true, t("Сумма", "Amount"));
        self.text_right(premium_right, 9.5, true, t("Премия", "Premium"));
        self.y += ROW_H;
        for (kind, sums) in &s.totals.by_kind {
            self.text(MARGIN, 9.0, false, kind.short_name(lang));
            self.text_right(amount_right, 9.0, false, &sums.amount.display(lang));
            self.text_right(premium_right, 9.0, false, &sums.premium.display(lang));
            self.y += ROW_H;
        }
        let y = self.y - 10.0;
        self.line((MARGIN, premium_right), y, 0.6, 60);
        self.y += 2.0;
        let overall = &s.totals.overall;
        self.text(MARGIN, 10.0, true, t("Итого", "Total"));
        self.text_right(amount_right, 10.0, true, &overall.amount.display(lang));
        self.text_right(premium_right, 10.0, true, &overall.premium.display(lang));
        self.y += 2.0 * ROW_H;
    }

    /// «Итого к выплате» (or «К удержанию») with the amount in words, and the VAT line from
    /// the partner's terms.
    fn amount_to_pay(&mut self, s: &Statement, lang: Lang) {
        let (label, amount, words) = document::to_pay(s, lang);
        self.text(
            MARGIN,
            10.5,
            true,
            &format!("{label}: {}", amount.display(lang)),
        );
        self.y += ROW_H;
        self.text(MARGIN, 9.5, false, &words);
        self.y += ROW_H;
        let vat = s.parties.as_ref().and_then(|p| p.partner.vat);
        if let Some(vat) = document::vat_line(vat, amount, lang) {
            self.text(MARGIN, 9.5, false, &vat);
        }
        self.y += ROW_H;
    }

    /// Room for both sides to sign, side by side: the side, its signatory's position, a
    /// line for the signature and the name under it, then the seal and the date.
    fn signatures(&mut self, s: &Statement, lang: Lang) {
        let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
        self.ensure(SIGNATURES_H);
        self.y += 12.0;
        let half = (PAGE_W - 2.0 * MARGIN) / 2.0;
        let sides = [
            (
                t("От организации", "For the organisation"),
                document::signatory(s.parties.as_ref().map(|p| &p.ours), lang),
            ),
            (
                t("От партнёра", "For the partner"),
                document::signatory(s.parties.as_ref().map(|p| &p.partner), lang),
            ),
        ];
        for (i, (side, _)) in sides.iter().enumerate() {
            let x = MARGIN + i as f32 * half;
            self.text(x, 9.5, true, side);
        }
        self.y += 14.0;
        for (i, (_, (position, _))) in sides.iter().enumerate() {
            let x = MARGIN + i as f32 * half;
            self.text(x, 9.0, false, position);
        }
        self.y += 22.0;
        for (i, (_, (_, name))) in sides.iter().enumerate() {
            let x = MARGIN + i as f32 * half;
            self.text(x + 165.0, 9.0, false, name);
        }
        self.y += 4.0;
        for i in 0..2 {
            let x = MARGIN + i as f32 * half;
            let y = self.y;
            self.line((x, x + 150.0), y, 0.5, 0);
            self.line((x + 165.0, x + 330.0), y, 0.5, 0);
        }
        self.y += 12.0;
        for i in 0..2 {
            let x = MARGIN + i as f32 * half;
            self.text(x, 7.5, false, t("подпись", "signature"));
            self.text(x + 165.0, 7.5, false, t("расшифровка подписи", "name"));
        }
        self.y += 16.0;
        let seal = t(
            "М. П.          Дата: «____» ____________ 20___ г.",
            "Seal          Date: ____________",
        );
        for i in 0..2 {
            let x = MARGIN + i as f32 * half;
            self.text(x, 7.5, false, seal);
        }
    }
}
