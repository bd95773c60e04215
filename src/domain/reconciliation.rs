//! The акт сверки взаимных расчётов of one partner for a period: the opening balance, each
//! issued statement as an accrual and each payment, by date, and the closing balance — what
//! we owe the partner (negative: what the partner owes us).

use chrono::NaiveDate;

use super::payments::Due;
use super::statement::Parties;
use super::{Money, show_date};
use crate::domain::lang::Lang;

/// A payment of one of the partner's statements, as the act lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paid {
    pub on_date: NaiveDate,
    pub amount: Money,
    /// The payment order's number.
    pub doc: String,
    /// The statement it paid.
    pub number: String,
}

/// One line of the act: an accrual (a statement issued) or a payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActLine {
    pub date: NaiveDate,
    pub what: String,
    pub accrued: Money,
    pub paid: Money,
}

/// The act, ready to be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    pub partner_name: String,
    pub partner_inn: String,
    pub parties: Parties,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub made_on: NaiveDate,
    pub opening: Money,
    pub lines: Vec<ActLine>,
    pub accrued: Money,
    pub paid: Money,
    pub closing: Money,
}

/// The act of a partner's statements and payments for `[from, to]`: what was accrued and
/// paid before `from` makes the opening balance; the lines go by date, accruals before
/// payments on one day.
pub fn reconciliation(
    statements: &[&Due],
    payments: &[Paid],
    (from, to): (NaiveDate, NaiveDate),
    lang: Lang,
) -> (Money, Vec<ActLine>, Money) {
    let before = |d: NaiveDate| d < from;
    let opening: Money = statements
        .iter()
        .filter(|s| before(s.issued_on))
        .map(|s| s.premium)
        .sum::<Money>()
        - payments
            .iter()
            .filter(|p| before(p.on_date))
            .map(|p| p.amount)
            .sum();
    let within = |d: NaiveDate| from <= d && d <= to;
    let mut lines: Vec<(u8, ActLine)> = statements
        .iter()
        .filter(|s| within(s.issued_on))
        .map(|s| {
            let what = format!(
                "{} № {} {} {} ({} — {})",
                lang.pick("Отчёт о премии", "Premium statement"),
                s.number,
                lang.pick("от", "of"),
                show_date(s.issued_on, lang),
                show_date(s.from, lang),
                show_date(s.to, lang)
            );
            (
                0,
                ActLine {
                    date: s.issued_on,
                    what,
                    accrued: s.premium,
                    paid: Money::ZERO,
                },
            )
        })
        .collect();
    lines.extend(payments.iter().filter(|p| within(p.on_date)).map(|p| {
        let what = format!(
            "{} № {} ({} {})",
            lang.pick("Оплата, п/п", "Payment, order"),
            p.doc,
            lang.pick("отчёт", "statement"),
            p.number
        );
        (
            1,
            ActLine {
                date: p.on_date,
                what,
                accrued: Money::ZERO,
                paid: p.amount,
            },
        )
    }));
    lines.sort_by_key(|(order, l)| (l.date, *order));
    let lines: Vec<ActLine> = lines.into_iter().map(|(_, l)| l).collect();
    let closing =
        opening + lines.iter().map(|l| l.accrued).sum() - lines.iter().map(|l| l.paid).sum();
    (opening, lines, closing)
}

/// Our organisation as the act names it: its full name, or that our requisites are not
/// entered yet.
pub fn our_name(r: &Reconciliation, lang: Lang) -> String {
    if r.parties.ours.full_name.is_empty() {
        lang.pick(
            "(наша организация: реквизиты не заполнены)",
            "(our organisation: requisites not entered)",
        )
        .to_owned()
    } else {
        r.parties.ours.full_name.clone()
    }
}

/// The closing balance in words: «задолженность в пользу ООО «Альфа»: 200,00 ₽», in our
/// favour when negative, or none.
pub fn balance_sentence(r: &Reconciliation, ours: &str, lang: Lang) -> String {
    let on = show_date(r.to, lang);
    let amount = Money::from_kopecks(r.closing.kopecks().abs());
    match r.closing.kopecks() {
        0 => lang.say(
            format!("на {on} задолженности нет"),
            format!("no debt on {on}"),
        ),
        k if k > 0 => lang.say(
            format!(
                "на {on} задолженность в пользу {}: {} ({})",
                r.partner_name,
                amount.display(lang),
                super::words::rubles_in_words(amount)
            ),
            format!(
                "debt to {} on {on}: {} ({})",
                r.partner_name,
                amount.display(lang),
                super::words::amount_in_words(amount, lang)
            ),
        ),
        _ => lang.say(
            format!(
                "на {on} задолженность в пользу {ours}: {} ({})",
                amount.display(lang),
                super::words::rubles_in_words(amount)
            ),
            format!(
                "debt to {ours} on {on}: {} ({})",
                amount.display(lang),
                super::words::amount_in_words(amount, lang)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Inn, PartnerId};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_act_opens_with_what_came_before_and_closes_with_what_is_owed() {
        let due = |number: &str, issued: &str, kop: i64| Due {
            statement_id: 1,
            number: number.into(),
            partner: PartnerId(1),
            partner_inn: Inn::parse("7707083893").unwrap(),
            partner_name: "ООО «Альфа»".into(),
            from: d("2025-01-01"),
            to: d("2025-01-31"),
            issued_on: d(issued),
            premium: Money::from_kopecks(kop),
            paid: Money::ZERO,
        };
        let (jan, feb) = (
            due("2025-0001", "2025-02-03", 30_000),
            due("2025-0002", "2025-03-03", -10_000),
        );
        let paid = |on: &str, kop: i64| Paid {
            on_date: d(on),
            amount: Money::from_kopecks(kop),
            doc: "1".into(),
            number: "2025-0001".into(),
        };
        let payments = [paid("2025-02-20", 5_000), paid("2025-03-11", 15_000)];
        let (opening, lines, closing) = reconciliation(
            &[&jan, &feb],
            &payments,
            (d("2025-03-01"), d("2025-03-31")),
            Lang::Ru,
        );
        assert_eq!(
            opening,
            Money::from_kopecks(25_000),
            "300 accrued − 50 paid before March"
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (lines[0].accrued, lines[1].paid),
            (Money::from_kopecks(-10_000), Money::from_kopecks(15_000))
        );
        assert_eq!(closing, Money::ZERO);
    }
}
