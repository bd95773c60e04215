//! From an issued statement to its payment: what is due on each statement, a partner's
//! statements netted into one payment order, a bank's payment matched to the statements it
//! pays (by the recipient's INN, the statement numbers in its purpose and its amount), and
//! what a payment in hand leaves unpaid. Nothing here guesses: a payment that does not fit
//! is left unmatched with the reason.

use chrono::{Datelike, NaiveDate};

use super::lang::{Lang, Localized};
use super::{Inn, Money, PartnerId};

/// An issued statement in force and what has been paid on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub statement_id: i64,
    pub number: String,
    pub partner: PartnerId,
    pub partner_inn: Inn,
    pub partner_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub issued_on: NaiveDate,
    /// The statement's premium total (negative: to be withheld).
    pub premium: Money,
    pub paid: Money,
}

impl Due {
    /// What is left to pay (negative: left to withhold).
    pub fn left(&self) -> Money {
        self.premium - self.paid
    }

    pub fn is_settled(&self) -> bool {
        self.left().is_zero()
    }

    /// Days since it was issued, on `today`.
    pub fn days_open(&self, today: NaiveDate) -> i64 {
        (today - self.issued_on).num_days()
    }
}

/// How a payment came to be recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentSource {
    /// Typed by a user.
    Hand,
    /// Matched from a bank statement.
    Bank,
    /// A negative statement settled against a partner's positive ones in a payment.
    Netting,
    /// A row that cancels another.
    Undo,
}

impl PaymentSource {
    pub fn code(self) -> &'static str {
        match self {
            PaymentSource::Hand => "hand",
            PaymentSource::Bank => "bank",
            PaymentSource::Netting => "netting",
            PaymentSource::Undo => "undo",
        }
    }

    pub fn parse(code: &str) -> Option<PaymentSource> {
        Some(match code {
            "hand" => PaymentSource::Hand,
            "bank" => PaymentSource::Bank,
            "netting" => PaymentSource::Netting,
            "undo" => PaymentSource::Undo,
            _ => return None,
        })
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            PaymentSource::Hand => lang.pick("вручную", "by hand"),
            PaymentSource::Bank => lang.pick("по выписке банка", "from a bank statement"),
            PaymentSource::Netting => lang.pick("зачтено", "netted"),
            PaymentSource::Undo => lang.pick("отмена", "undone"),
        }
    }
}

/// A payment to record against one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPayment {
    pub statement_id: i64,
    pub on_date: NaiveDate,
    pub amount: Money,
    /// The payment order's number.
    pub doc: String,
    pub source: PaymentSource,
    /// The bank's document it came from (empty by hand).
    pub bank_ref: String,
}

/// One payment order for a partner: its statements netted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order<'a> {
    pub partner: PartnerId,
    pub dues: Vec<&'a Due>,
    /// The sum of what is left on its statements: positive, or there is nothing to pay.
    pub amount: Money,
}

/// The payment orders for the chosen statements: one per partner, its negative statements
/// netted against its positive ones. A partner whose statements net to nothing or less is
/// left out, with its name, in the second list.
pub fn orders<'a>(dues: &[&'a Due]) -> (Vec<Order<'a>>, Vec<&'a Due>) {
    let mut partners: Vec<PartnerId> = dues.iter().map(|d| d.partner).collect();
    partners.dedup();
    partners.sort();
    partners.dedup();
    let (mut out, mut nothing) = (Vec::new(), Vec::new());
    for partner in partners {
        let mine: Vec<&Due> = dues
            .iter()
            .copied()
            .filter(|d| d.partner == partner && !d.is_settled())
            .collect();
        let amount: Money = mine.iter().map(|d| d.left()).sum();
        if amount.kopecks() > 0 {
            out.push(Order {
                partner,
                dues: mine,
                amount,
            });
        } else {
            nothing.extend(mine.first().copied());
        }
    }
    (out, nothing)
}

/// The number for the next payment order of `year`: one after the highest number among the
/// payments recorded that year (`(date, payment order number)`; a number that is not
/// digits only is passed over), or 1.
pub fn next_order_number<'a>(
    docs: impl IntoIterator<Item = (NaiveDate, &'a str)>,
    year: i32,
) -> u32 {
    docs.into_iter()
        .filter(|(on, _)| on.year() == year)
        .filter_map(|(_, doc)| doc.trim().parse::<u32>().ok())
        .max()
        .map_or(1, |last| last.saturating_add(1))
}

/// The purpose of a payment order: «Выплата премии партнёра по отчётам № 2025-0001 за
/// 01.01.2025–31.03.2025, … по договору № П-15 от 01.02.2025. НДС не облагается».
pub fn purpose(order: &Order<'_>, contract: &str, vat: &str) -> String {
    let statements: Vec<String> = order
        .dues
        .iter()
        .map(|d| {
            format!(
                "№ {} за {}-{}",
                d.number,
                d.from.format("%d.%m.%Y"),
                d.to.format("%d.%m.%Y")
            )
        })
        .collect();
    let word = if statements.len() == 1 {
        "отчёту"
    } else {
        "отчётам"
    };
    let mut text = format!(
        "Выплата премии партнёра по {word} {}",
        statements.join(", ")
    );
    if !contract.is_empty() {
        text.push_str(&format!(" по договору {contract}"));
    }
    text.push_str(&format!(". {vat}"));
    text
}

/// An outgoing payment of a bank statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankPayment {
    /// The payment order's number and date.
    pub number: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub recipient_inn: String,
    pub recipient: String,
    pub purpose: String,
}

impl BankPayment {
    /// What names this payment among all a bank ever exports: a statement imported again
    /// finds it recorded.
    pub fn bank_ref(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.date,
            self.number,
            self.recipient_inn,
            self.amount.plain()
        )
    }
}

/// Why a bank's payment was not recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unmatched {
    /// No partner has the recipient's INN.
    UnknownRecipient { inn: String },
    /// The purpose names no statement of that partner still unpaid.
    NoStatement,
    /// More than what is left on the statements it names.
    TooMuch { left: Money },
    /// Recorded by an earlier import.
    AlreadyRecorded,
}

impl Localized for Unmatched {
    fn text(&self, lang: Lang) -> String {
        match self {
            Unmatched::UnknownRecipient { inn } => lang.say(
                format!("партнёра с ИНН получателя {inn} нет"),
                format!("no partner has the recipient's INN {inn}"),
            ),
            Unmatched::NoStatement => lang.say(
                "в назначении платежа нет номера неоплаченного отчёта этого партнёра",
                "the purpose names no unpaid statement of this partner",
            ),
            Unmatched::TooMuch { left } => lang.say(
                format!(
                    "сумма больше остатка к выплате по названным отчётам ({})",
                    left.display(Lang::Ru)
                ),
                format!(
                    "the amount is more than is left on the statements it names ({})",
                    left.display(Lang::En)
                ),
            ),
            Unmatched::AlreadyRecorded => lang.say(
                "уже записан при прошлой загрузке выписки",
                "already recorded by an earlier import",
            ),
        }
    }
}

super::lang::english_display!(Unmatched);

/// The statements a bank's payment pays, and how much of it goes to each: the partner's
/// unsettled statements whose numbers its purpose names; its negative ones settled whole
/// (netting), then its positive ones in order of issue, each in full while the money lasts.
/// What is paid on a statement that the money does not cover is kept as partial.
pub fn match_payment(p: &BankPayment, dues: &[Due]) -> Result<Vec<NewPayment>, Unmatched> {
    let mine: Vec<&Due> = dues
        .iter()
        .filter(|d| d.partner_inn.as_str() == p.recipient_inn.trim())
        .collect();
    if mine.is_empty() {
        return Err(Unmatched::UnknownRecipient {
            inn: p.recipient_inn.clone(),
        });
    }
    let mut named: Vec<&Due> = mine
        .into_iter()
        .filter(|d| !d.is_settled() && names_number(&p.purpose, &d.number))
        .collect();
    if named.is_empty() {
        return Err(Unmatched::NoStatement);
    }
    named.sort_by_key(|d| (d.left().kopecks() > 0, d.issued_on, d.statement_id));
    let left: Money = named.iter().map(|d| d.left()).sum();
    if p.amount.kopecks() > left.kopecks() {
        return Err(Unmatched::TooMuch { left });
    }
    let mut money = p.amount;
    let mut out = Vec::new();
    for due in named {
        let (amount, source) = if due.left().kopecks() < 0 {
            money += -due.left();
            (due.left(), PaymentSource::Netting)
        } else {
            let paid = Money::from_kopecks(money.kopecks().min(due.left().kopecks()));
            money = money - paid;
            (paid, PaymentSource::Bank)
        };
        if !amount.is_zero() {
            out.push(NewPayment {
                statement_id: due.statement_id,
                on_date: p.date,
                amount,
                doc: p.number.clone(),
                source,
                bank_ref: p.bank_ref(),
            });
        }
    }
    Ok(out)
}

/// Whether `purpose` names statement `number` as a whole word (2025-0001, not 2025-00012).
fn names_number(purpose: &str, number: &str) -> bool {
    purpose.match_indices(number).any(|(at, _)| {
        let before = purpose[..at].chars().next_back();
        let after = purpose[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '-')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_payment_order_number_follows_the_highest_digits_only_number_of_the_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let docs = [
            (day(2024, 12, 30), "900"),
            (day(2025, 2, 1), "7"),
            (day(2025, 3, 1), " 12 "),
            (day(2025, 3, 2), "ПП-77"),
            (day(2025, 3, 3), "3"),
        ];
        assert_eq!(next_order_number(docs, 2025), 13);
        assert_eq!(next_order_number(docs, 2024), 901);
        assert_eq!(next_order_number(docs, 2026), 1, "a new year starts from 1");
        assert_eq!(
            next_order_number([(day(2025, 1, 1), "4294967295")], 2025),
            u32::MAX
        );
    }

    fn due(id: i64, number: &str, premium: i64, paid: i64) -> Due {
        Due {
            statement_id: id,
            number: number.into(),
            partner: PartnerId(1),
            partner_inn: Inn::parse("7707083893").unwrap(),
            partner_name: "ООО «Альфа»".into(),
            from: "2025-01-01".parse().unwrap(),
            to: "2025-03-31".parse().unwrap(),
            issued_on: format!("2025-04-{:02}", id).parse().unwrap(),
            premium: Money::from_kopecks(premium),
            paid: Money::from_kopecks(paid),
        }
    }

    fn paid(number: &str, purpose: &str, amount: i64) -> BankPayment {
        BankPayment {
            number: number.into(),
            date: "2025-05-05".parse().unwrap(),
            amount: Money::from_kopecks(amount),
            recipient_inn: "7707083893".into(),
            recipient: "ООО «Альфа»".into(),
            purpose: purpose.into(),
        }
    }

    #[test]
    fn a_partners_negative_statement_is_netted_against_its_positive_ones() {
        let dues = [
            due(1, "2025-0001", 100_000, 0),
            due(2, "2025-0002", -30_000, 0),
            due(3, "2025-0003", 50_000, 20_000),
        ];
        let refs: Vec<&Due> = dues.iter().collect();
        let (orders, nothing) = orders(&refs);
        assert!(nothing.is_empty());
        assert_eq!(orders.len(), 1);
        assert_eq!(
            orders[0].amount,
            Money::from_kopecks(100_000 - 30_000 + 30_000)
        );
        let only_negative = [due(2, "2025-0002", -30_000, 0)];
        let (orders, nothing) = super::orders(&[&only_negative[0]]);
        assert!(orders.is_empty());
        assert_eq!(nothing.len(), 1);
    }

    #[test]
    fn a_bank_payment_is_matched_exactly_partially_or_not_at_all_with_the_reason() {
        let dues = [
            due(1, "2025-0001", 100_000, 0),
            due(2, "2025-0002", -30_000, 0),
            due(3, "2025-0012", 50_000, 0),
        ];
        // Exact, netted: 1 000 − 300 = 700 for 2025-0001 and 2025-0002.
        let exact = match_payment(
            &paid("15", "по отчётам № 2025-0001, № 2025-0002", 70_000),
            &dues,
        )
        .unwrap();
        let got: Vec<(i64, i64, PaymentSource)> = exact
            .iter()
            .map(|p| (p.statement_id, p.amount.kopecks(), p.source))
            .collect();
        assert_eq!(
            got,
            [
                (2, -30_000, PaymentSource::Netting),
                (1, 100_000, PaymentSource::Bank)
            ]
        );
        // Partial: kept as partial.
        let part = match_payment(&paid("16", "отчёт 2025-0012", 20_000), &dues).unwrap();
        assert_eq!(
            (part[0].statement_id, part[0].amount.kopecks()),
            (3, 20_000)
        );
        // 2025-0001 is not 2025-00012; more than is left; another INN.
        assert_eq!(
            match_payment(&paid("17", "отчёт 2025-00012", 1), &dues),
            Err(Unmatched::NoStatement)
        );
        assert_eq!(
            match_payment(&paid("18", "2025-0012", 50_001), &dues),
            Err(Unmatched::TooMuch {
                left: Money::from_kopecks(50_000)
            })
        );
        let mut other = paid("19", "2025-0001", 100);
        other.recipient_inn = "7736207543".into();
        assert!(matches!(
            match_payment(&other, &dues),
            Err(Unmatched::UnknownRecipient { .. })
        ));
    }
}
