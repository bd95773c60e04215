//! What a statement says as a document an accountant accepts (402-ФЗ, ст. 9): its title
//! with number and date (or «Проект — не выдан»), the parties' requisites in a line each,
//! «Итого к выплате» or «К удержанию» with the amount in words, and the VAT line from the
//! partner's terms.

use super::lang::Lang;
use super::requisites::Vat;
use super::statement::{Line, Statement};
use super::words::amount_in_words;
use super::{Money, Requisites, show_date};

/// The document's title: «Отчёт о премии партнёра № 2025-0001 от 20.05.2025» for an
/// issued statement, without number and date for a preview (which [`draft_mark`] marks).
pub fn title(s: &Statement, lang: Lang) -> String {
    let name = lang.pick("Отчёт о премии партнёра", "Partner premium report");
    match &s.number {
        Some(number) => format!(
            "{name} № {number} {} {}",
            lang.pick("от", "of"),
            show_date(s.generated_on, lang)
        ),
        None => name.to_owned(),
    }
}

/// The mark of a statement not issued: it is no document yet.
pub fn draft_mark(s: &Statement, lang: Lang) -> Option<&'static str> {
    s.number
        .is_none()
        .then(|| lang.pick("Проект — не выдан", "Draft — not issued"))
}

/// The line under the title: what it is and for which period.
pub fn subtitle(s: &Statement, lang: Lang) -> String {
    format!(
        "{} {} {} — {}",
        lang.pick("Ведомость премий партнёра", "Partner premium statement"),
        lang.pick("за период", "for"),
        show_date(s.from, lang),
        show_date(s.to, lang)
    )
}

/// «Итого к выплате» for what we owe, «К удержанию» for a negative total (returns larger
/// than the period's premiums), with the amount (positive) and the amount in words.
pub fn to_pay(s: &Statement, lang: Lang) -> (&'static str, Money, String) {
    let total = s.totals.overall.premium;
    let label = if total.kopecks() < 0 {
        lang.pick("К удержанию", "To be withheld")
    } else {
        lang.pick("Итого к выплате", "Total to pay")
    };
    let amount = Money::from_kopecks(total.kopecks().abs());
    (label, amount, amount_in_words(amount, lang))
}

/// The VAT included in `amount` at `rate`: amount × rate / (100 + rate), to kopecks.
pub fn vat_included(amount: Money, rate: super::RatePct) -> Money {
    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
    Money::from_decimal(super::money::round_kopecks(
        amount.decimal() * rate.decimal() / (hundred + rate.decimal()),
    ))
}

/// The VAT line from the partner's terms: «НДС не облагается», or «в т.ч. НДС 20 % —
/// 7 801,65 ₽»; None when the terms do not say.
pub fn vat_line(vat: Option<Vat>, amount: Money, lang: Lang) -> Option<String> {
    Some(match vat? {
        Vat::NotLiable => lang
            .pick("НДС не облагается", "Not liable to VAT")
            .to_owned(),
        Vat::Rate(rate) => format!(
            "{} {} % — {}",
            lang.pick("в т.ч. НДС", "incl. VAT"),
            rate.display(lang),
            vat_included(amount, rate).display(lang)
        ),
    })
}

/// The partner's VAT sentence, for a payment's purpose: «НДС не облагается» or «В т.ч. НДС
/// 20 % — 7 801.65 руб.» (the bank's words: a dot, no ₽ sign).
pub fn vat_purpose(vat: Option<Vat>, amount: Money) -> String {
    match vat {
        None | Some(Vat::NotLiable) => "НДС не облагается".to_owned(),
        Some(Vat::Rate(rate)) => format!(
            "В т.ч. НДС {} % - {} руб.",
            rate.decimal().normalize(),
            vat_included(amount, rate).plain()
        ),
    }
}

/// The contract in words: «№ П-15 от 01.02.2025»; empty when none is entered.
pub fn contract(r: &Requisites, lang: Lang) -> String {
    match (r.contract_no.as_str(), r.contract_date) {
        ("", None) => String::new(),
        (no, None) => format!("№ {no}"),
        ("", Some(date)) => format!("{} {}", lang.pick("от", "of"), show_date(date, lang)),
        (no, Some(date)) => format!("№ {no} {} {}", lang.pick("от", "of"), show_date(date, lang)),
    }
}

/// A party's requisites in a line: name, ИНН/КПП, ОГРН, address, the account and its
/// bank; what is not entered is left out.
pub fn party_line(r: &Requisites, name: &str, inn: &str, lang: Lang) -> String {
    let mut parts = vec![if r.full_name.is_empty() {
        name.to_owned()
    } else {
        r.full_name.clone()
    }];
    let t = |ru: &'static str, en: &'static str| lang.pick(ru, en);
    match (inn, r.kpp.as_str()) {
        ("", _) => {}
        (inn, "") => parts.push(format!("{} {inn}", t("ИНН", "INN"))),
        (inn, kpp) => parts.push(format!("{} {inn}/{kpp}", t("ИНН/КПП", "INN/KPP"))),
    }
    let labelled = [
        (t("ОГРН", "OGRN"), &r.ogrn),
        ("", &r.address),
        (t("р/с", "account"), &r.account),
        (t("в", "at"), &r.bank_name),
        (t("БИК", "BIK"), &r.bik),
        (t("к/с", "corr. account"), &r.corr_account),
    ];
    for (label, value) in labelled {
        if !value.is_empty() {
            parts.push(if label.is_empty() {
                value.clone()
            } else {
                format!("{label} {value}")
            });
        }
    }
    parts.join(", ")
}

/// A return line's note: «возврат по документу D-1 от 10.01.2025».
pub fn returns(line: &Line, lang: Lang) -> Option<String> {
    let of = line.return_of.as_ref()?;
    Some(match line.return_of_date {
        Some(date) => format!(
            "{} {of} {} {}",
            lang.pick("возврат по документу", "return of document"),
            lang.pick("от", "of"),
            show_date(date, lang)
        ),
        None => format!(
            "{} {of}",
            lang.pick("возврат по документу", "return of document")
        ),
    })
}

/// A signatory as the signature block names them: position and name, or blanks to fill.
pub fn signatory(r: Option<&Requisites>, lang: Lang) -> (String, String) {
    let r = r.filter(|r| !r.signer_name.is_empty() || !r.signer_position.is_empty());
    match r {
        Some(r) => (r.signer_position.clone(), r.signer_name.clone()),
        None => (lang.pick("Должность", "Position").to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RatePct;

    #[test]
    fn vat_included_in_a_total_is_said_from_the_partners_terms() {
        let total = Money::from_kopecks(4_680_990);
        assert_eq!(vat_line(None, total, Lang::Ru), None);
        assert_eq!(
            vat_line(Some(Vat::NotLiable), total, Lang::Ru).as_deref(),
            Some("НДС не облагается")
        );
        // 46 809,90 × 20 / 120 = 7 801,65
        assert_eq!(
            vat_included(total, RatePct::whole(20)),
            Money::from_kopecks(780_165)
        );
        assert_eq!(
            vat_purpose(Some(Vat::Rate(RatePct::whole(20))), total),
            "В т.ч. НДС 20 % - 7801.65 руб."
        );
    }

    #[test]
    fn a_party_is_one_line_of_what_is_entered() {
        let r = Requisites {
            kpp: "773601001".into(),
            bank_name: "ПАО Сбербанк".into(),
            bik: "044525225".into(),
            account: "40702810900000002851".into(),
            contract_no: "П-15".into(),
            ..Requisites::default()
        };
        assert_eq!(
            party_line(&r, "ООО «Альфа»", "7707083893", Lang::Ru),
            "ООО «Альфа», ИНН/КПП 7707083893/773601001, р/с 40702810900000002851, в ПАО Сбербанк, БИК 044525225"
        );
        assert_eq!(contract(&r, Lang::Ru), "№ П-15");
    }
}
