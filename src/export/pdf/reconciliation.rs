//! The акт сверки laid out: its title, both parties and the contract, the table of the
//! opening balance, accruals and payments by date and the closing balance, the balance in
//! words, and both sides' signatures kept with the table's end.

use super::{Col, Layout, MARGIN, PAGE_W, PdfError, ROW_H};
use crate::domain::document;
use crate::domain::lang::Lang;
use crate::domain::reconciliation::{Reconciliation, balance_sentence};
use crate::domain::{Money, show_date};

/// The act laid out in pages, with its title and footer.
pub(super) fn reconciliation_layout(
    r: &Reconciliation,
    lang: Lang,
) -> Result<(Layout<'static>, String, String), PdfError> {
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    let mut l = Layout::new()?;
    let title = t("Акт сверки взаимных расчётов", "Reconciliation statement");
    l.text(MARGIN, 16.0, true, title);
    l.y += 18.0;
    let ours = crate::domain::reconciliation::our_name(r, lang);
    let between = format!(
        "{} {} — {} {} {} {} {}",
        t("за период", "for"),
        show_date(r.from, lang),
        show_date(r.to, lang),
        t("между", "between"),
        ours,
        t("и", "and"),
        r.partner_name
    );
    for part in l.measure.wrap(&between, 10.0, false, PAGE_W - 2.0 * MARGIN) {
        l.text(MARGIN, 10.0, false, &part);
        l.y += 14.0;
    }
    let contract = document::contract(&r.parties.partner, lang);
    if !contract.is_empty() {
        l.text(
            MARGIN,
            10.0,
            false,
            &format!("{} {contract}", t("по договору", "under contract")),
        );
        l.y += 14.0;
    }
    l.y += 10.0;
    let money = |m: Money| {
        if m.is_zero() {
            String::new()
        } else {
            m.display(lang)
        }
    };
    let mut rows = vec![vec![
        String::new(),
        t("Сальдо на начало периода", "Opening balance").to_owned(),
        // A balance is said even when nothing is owed.
        r.opening.display(lang),
        String::new(),
    ]];
    rows.extend(r.lines.iter().map(|line| {
        vec![
            show_date(line.date, lang),
            line.what.clone(),
            money(line.accrued),
            money(line.paid),
        ]
    }));
    rows.push(vec![
        String::new(),
        t("Обороты за период", "Turnover for the period").to_owned(),
        money(r.accrued),
        money(r.paid),
    ]);
    rows.push(vec![
        String::new(),
        t("Сальдо на конец периода", "Closing balance").to_owned(),
        r.closing.display(lang),
        String::new(),
    ]);
    l.table(&columns(lang), rows);
    l.y += 12.0;
    l.ensure(ROW_H * 2.0 + 110.0);
    let sentence = balance_sentence(r, &ours, lang);
    for part in l.measure.wrap(&sentence, 10.0, true, PAGE_W - 2.0 * MARGIN) {
        l.text(MARGIN, 10.0, true, &part);
        l.y += 14.0;
    }
    l.y += 10.0;
    l.sides(r, lang);
    let footer = format!(
        "{} · {} · {} {}",
        title,
        r.partner_name,
        t("составлен", "made on"),
        show_date(r.made_on, lang)
    );
    Ok((l, format!("{title} — {}", r.partner_name), footer))
}

fn columns(lang: Lang) -> [Col<'static>; 4] {
    let col = |ru, en, width, right| Col {
        title: lang.pick(ru, en),
        width,
        right,
    };
    [
        col("Дата", "Date", 70.0, false),
        col("Документ", "Document", 420.0, false),
        col("Начислено партнёру", "Accrued to the partner", 140.0, true),
        col("Оплачено", "Paid", 140.0, true),
    ]
}

impl Layout<'_> {
    /// Both sides' signatories, the seal and the date, side by side.
    fn sides(&mut self, r: &Reconciliation, lang: Lang) {
        let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
        let half = (PAGE_W - 2.0 * MARGIN) / 2.0;
        let sides = [
            (
                t("От организации", "For the organisation"),
                document::signatory(Some(&r.parties.ours), lang),
            ),
            (
                t("От партнёра", "For the partner"),
                document::signatory(Some(&r.parties.partner), lang),
            ),
        ];
        for (i, (side, (position, _))) in sides.iter().enumerate() {
            let x = MARGIN + i as f32 * half;
            self.text(x, 9.5, true, side);
            self.y += 14.0;
            self.text(x, 9.0, false, position);
            self.y -= 14.0;
        }
        self.y += 36.0;
        for (i, (_, (_, name))) in sides.iter().enumerate() {
            let x = MARGIN + i as f32 * half;
            let y = self.y + 4.0;
            self.text(x + 165.0, 9.0, false, name);
            self.line((x, x + 150.0), y, 0.5, 0);
            self.line((x + 165.0, x + 330.0), y, 0.5, 0);
        }
        self.y += 16.0;
        for i in 0..2 {
            let x = MARGIN + i as f32 * half;
            self.text(x, 7.5, false, t("подпись", "signature"));
            self.text(x + 165.0, 7.5, false, t("расшифровка подписи", "name"));
        }
        self.y += 16.0;
        for i in 0..2 {
            let x = MARGIN + i as f32 * half;
            self.text(x, 7.5, false, t("М. П.", "Seal"));
        }
    }
}
