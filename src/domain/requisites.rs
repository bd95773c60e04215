//! Requisites (реквизиты) of our organisation and of each partner, and their checks: КПП,
//! ОГРН / ОГРНИП with its check digit, БИК, and the control keys of the settlement (р/с)
//! and correspondent (к/с) accounts against the БИК. Each refusal names its field.

use chrono::NaiveDate;

use super::lang::{Lang, Localized};
use super::text::{TextError, TextKind, check_text};
use super::{Inn, InnError, RatePct};

/// A field of the requisites, as a sentence names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    FullName,
    Inn,
    Kpp,
    Ogrn,
    Address,
    BankName,
    Bik,
    Account,
    CorrAccount,
    SignerPosition,
    SignerName,
    Accountant,
    ContractNo,
    ContractDate,
    Vat,
}

impl Field {
    /// Every field, in the order a form shows them.
    pub const ALL: [Field; 15] = [
        Field::FullName,
        Field::Inn,
        Field::Kpp,
        Field::Ogrn,
        Field::Address,
        Field::BankName,
        Field::Bik,
        Field::Account,
        Field::CorrAccount,
        Field::SignerPosition,
        Field::SignerName,
        Field::Accountant,
        Field::ContractNo,
        Field::ContractDate,
        Field::Vat,
    ];

    /// The field's name on a form and in a sentence.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Field::FullName => lang.pick("Полное наименование", "Full name"),
            Field::Inn => lang.pick("ИНН", "INN"),
            Field::Kpp => lang.pick("КПП", "KPP"),
            Field::Ogrn => lang.pick("ОГРН / ОГРНИП", "OGRN / OGRNIP"),
            Field::Address => lang.pick("Адрес", "Address"),
            Field::BankName => lang.pick("Банк", "Bank"),
            Field::Bik => lang.pick("БИК", "BIK"),
            Field::Account => lang.pick("Р/с", "Settlement account"),
            Field::CorrAccount => lang.pick("К/с", "Correspondent account"),
            Field::SignerPosition => lang.pick("Должность подписанта", "Signatory's position"),
            Field::SignerName => lang.pick("Подписант (Ф. И. О.)", "Signatory's name"),
            Field::Accountant => lang.pick("Главный бухгалтер", "Chief accountant"),
            Field::ContractNo => lang.pick("Номер договора", "Contract number"),
            Field::ContractDate => lang.pick("Дата договора", "Contract date"),
            Field::Vat => lang.pick("НДС, %", "VAT, %"),
        }
    }

    fn text_kind(self) -> TextKind {
        match self {
            Field::Address | Field::BankName => TextKind::Note,
            Field::ContractNo => TextKind::Doc,
            _ => TextKind::Name,
        }
    }
}

/// Why a requisite is refused; each names its field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequisiteError {
    /// A field a payment or our organisation needs is empty.
    Missing {
        field: Field,
    },
    /// Not `expected` digits.
    Digits {
        field: Field,
        expected: &'static str,
        found: String,
    },
    /// КПП: not NNNN PP NNN.
    KppFormat {
        found: String,
    },
    /// ОГРН or ОГРНИП: the check digit is wrong.
    OgrnCheck {
        found: String,
    },
    /// БИК: a Russian bank's starts with 04.
    BikCountry {
        found: String,
    },
    /// A correspondent account starts with 301.
    CorrPrefix {
        found: String,
    },
    /// The account's control key does not agree with the БИК.
    AccountKey {
        field: Field,
        bik: String,
    },
    /// An account given without the bank's БИК.
    AccountWithoutBik {
        field: Field,
    },
    Inn(InnError),
    Text {
        field: Field,
        error: TextError,
    },
    /// VAT neither «не облагается» nor a rate.
    Vat {
        found: String,
    },
    /// The contract's date does not read as a date.
    ContractDate {
        found: String,
    },
}

impl Localized for RequisiteError {
    fn text(&self, lang: Lang) -> String {
        let named = |field: &Field| field.label(lang);
        match self {
            RequisiteError::Missing { field } => lang.say(
                format!("{}: не заполнено", named(field)),
                format!("{}: empty", named(field)),
            ),
            RequisiteError::Digits {
                field,
                expected,
                found,
            } => lang.say(
                format!("{}: нужно {expected} цифр, а указано «{found}»", named(field)),
                format!("{}: it must be {expected} digits; found «{found}»", named(field)),
            ),
            RequisiteError::KppFormat { found } => lang.say(
                format!(
                    "КПП: нужно 9 знаков — 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры; указано «{found}»"
                ),
                format!(
                    "KPP: it must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits; found «{found}»"
                ),
            ),
            RequisiteError::OgrnCheck { found } => lang.say(
                format!("ОГРН / ОГРНИП: неверная контрольная цифра в «{found}»; проверьте номер на опечатку"),
                format!("OGRN / OGRNIP: the check digit of «{found}» is wrong; check it for a typo"),
            ),
            RequisiteError::BikCountry { found } => lang.say(
                format!("БИК: БИК российского банка начинается с 04; указано «{found}»"),
                format!("BIK: a Russian bank's BIK starts with 04; found «{found}»"),
            ),
            RequisiteError::CorrPrefix { found } => lang.say(
                format!("К/с: корреспондентский счёт начинается с 301; указано «{found}»"),
                format!("Correspondent account: it starts with 301; found «{found}»"),
            ),
            RequisiteError::AccountKey { field, bik } => lang.say(
                format!(
                    "{}: контрольный ключ счёта не сходится с БИК {bik}; проверьте счёт и БИК на опечатку",
                    named(field)
                ),
                format!(
                    "{}: the account's control key does not agree with BIK {bik}; check both for a typo",
                    named(field)
                ),
            ),
            RequisiteError::AccountWithoutBik { field } => lang.say(
                format!("{}: счёт проверяется по БИК; укажите БИК банка", named(field)),
                format!("{}: an account is checked against the BIK; enter the bank's BIK", named(field)),
            ),
            RequisiteError::Inn(e) => format!("{}: {}", named(&Field::Inn), e.text(lang)),
            RequisiteError::Text { field, error } => {
                format!("{}: {}", named(field), error.text(lang))
            }
            RequisiteError::Vat { found } => lang.say(
                format!("НДС: укажите ставку в процентах или «не облагается»; указано «{found}»"),
                format!("VAT: enter a rate in percent or «не облагается» (not liable); found «{found}»"),
            ),
            RequisiteError::ContractDate { found } => lang.say(
                format!("Дата договора: «{found}» — не дата; нужна дата вида 31.01.2025"),
                format!("Contract date: «{found}» is not a date; write it as 31.01.2025 or 2025-01-31"),
            ),
        }
    }
}

super::lang::english_display!(RequisiteError);

impl RequisiteError {
    /// The field the sentence is about.
    pub fn field(&self) -> Field {
        match self {
            RequisiteError::Missing { field }
            | RequisiteError::Digits { field, .. }
            | RequisiteError::AccountKey { field, .. }
            | RequisiteError::AccountWithoutBik { field }
            | RequisiteError::Text { field, .. } => *field,
            RequisiteError::KppFormat { .. } => Field::Kpp,
            RequisiteError::OgrnCheck { .. } => Field::Ogrn,
            RequisiteError::BikCountry { .. } => Field::Bik,
            RequisiteError::CorrPrefix { .. } => Field::CorrAccount,
            RequisiteError::Inn(_) => Field::Inn,
            RequisiteError::Vat { .. } => Field::Vat,
            RequisiteError::ContractDate { .. } => Field::ContractDate,
        }
    }
}

fn digits(
    field: Field,
    text: &str,
    len: usize,
    expected: &'static str,
) -> Result<(), RequisiteError> {
    if text.len() == len && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(RequisiteError::Digits {
            field,
            expected,
            found: text.to_owned(),
        })
    }
}

/// КПП: 4 digits, 2 digits or capital Latin letters, 3 digits.
pub fn check_kpp(kpp: &str) -> Result<(), RequisiteError> {
    let b = kpp.as_bytes();
    let ok = b.len() == 9
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(RequisiteError::KppFormat {
            found: kpp.to_owned(),
        })
    }
}

/// ОГРН (13 digits: the first 12 as a number mod 11, mod 10, is the 13th) or ОГРНИП
/// (15 digits: the first 14 mod 13, mod 10, is the 15th).
pub fn check_ogrn(ogrn: &str) -> Result<(), RequisiteError> {
    let (modulus, len) = match ogrn.len() {
        15 => (13, 15),
        _ => (11, 13),
    };
    if ogrn.len() != len || !ogrn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RequisiteError::Digits {
            field: Field::Ogrn,
            expected: "13 (ОГРН) или 15 (ОГРНИП)",
            found: ogrn.to_owned(),
        });
    }
    // Digit by digit, so that 14 digits never overflow.
    let rest = ogrn
        .bytes()
        .take(len - 1)
        .fold(0u64, |acc, b| (acc * 10 + u64::from(b - b'0')) % modulus);
    let last = u64::from(ogrn.as_bytes()[len - 1] - b'0');
    if rest % 10 == last {
        Ok(())
    } else {
        Err(RequisiteError::OgrnCheck {
            found: ogrn.to_owned(),
        })
    }
}

/// БИК: 9 digits, a Russian bank's starting with 04.
pub fn check_bik(bik: &str) -> Result<(), RequisiteError> {
    digits(Field::Bik, bik, 9, "9")?;
    if bik.starts_with("04") {
        Ok(())
    } else {
        Err(RequisiteError::BikCountry {
            found: bik.to_owned(),
        })
    }
}

/// The control key: the 23 digits, each times 7, 1, 3 repeating, sum to a multiple of 10.
fn key_holds(prefix: &str, account: &str) -> bool {
    let sum: u32 = prefix
        .bytes()
        .chain(account.bytes())
        .zip([7u32, 1, 3].into_iter().cycle())
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    sum.is_multiple_of(10)
}

/// Р/с: 20 digits, with the control key over the БИК's last 3 digits and the account.
pub fn check_account(account: &str, bik: &str) -> Result<(), RequisiteError> {
    digits(Field::Account, account, 20, "20")?;
    if key_holds(&bik[bik.len().saturating_sub(3)..], account) {
        Ok(())
    } else {
        Err(RequisiteError::AccountKey {
            field: Field::Account,
            bik: bik.to_owned(),
        })
    }
}

/// The 20 digits of `account` with its control key (the 9th digit) made right for the
/// БИК `bik`; `None` when `account` is not 20 digits or `bik` not a bank's. For demo data.
pub fn with_account_key(account: &str, bik: &str) -> Option<String> {
    check_bik(bik).ok()?;
    digits(Field::Account, account, 20, "20").ok()?;
    (0..10u8)
        .map(|key| {
            let mut text = account.to_owned();
            text.replace_range(8..9, &key.to_string());
            text
        })
        .find(|text| check_account(text, bik).is_ok())
}

/// The ОГРН (12 digits given) or ОГРНИП (14 given) with its check digit. For demo data.
pub fn complete_ogrn(first: &str) -> Option<String> {
    (0..10)
        .map(|digit| format!("{first}{digit}"))
        .find(|text| check_ogrn(text).is_ok())
}

/// К/с: 20 digits starting 301, with the control key over «0», the БИК's digits 5–6 and
/// the account.
pub fn check_corr_account(account: &str, bik: &str) -> Result<(), RequisiteError> {
    digits(Field::CorrAccount, account, 20, "20")?;
    if !account.starts_with("301") {
        return Err(RequisiteError::CorrPrefix {
            found: account.to_owned(),
        });
    }
    let prefix = format!("0{}", bik.get(4..6).unwrap_or("00"));
    if key_holds(&prefix, account) {
        Ok(())
    } else {
        Err(RequisiteError::AccountKey {
            field: Field::CorrAccount,
            bik: bik.to_owned(),
        })
    }
}

/// A partner's VAT: not liable, or a rate the user typed (no rate is built in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vat {
    NotLiable,
    Rate(RatePct),
}

impl Vat {
    /// `none` or the rate, as stored.
    pub fn code(self) -> String {
        match self {
            Vat::NotLiable => "none".to_owned(),
            Vat::Rate(rate) => rate.decimal().normalize().to_string(),
        }
    }

    /// Reads `none`, «не облагается» (any case), «без НДС» or a rate such as `20` or `20 %`;
    /// an empty text is not stated.
    pub fn parse(text: &str) -> Result<Option<Vat>, RequisiteError> {
        let t = super::trim(text);
        let folded = t.to_lowercase();
        if t.is_empty() {
            return Ok(None);
        }
        if [
            "none",
            "не облагается",
            "без ндс",
            "ндс не облагается",
            "not liable",
        ]
        .contains(&folded.as_str())
        {
            return Ok(Some(Vat::NotLiable));
        }
        RatePct::parse(t.trim_end_matches('%').trim())
            .map(|r| Some(Vat::Rate(r)))
            .map_err(|_| RequisiteError::Vat {
                found: t.to_owned(),
            })
    }
}

/// The requisites of an organisation, and for a partner its contract and VAT. Texts are
/// as typed (trimmed); an empty one is not given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requisites {
    pub full_name: String,
    /// Our organisation's; a partner's INN is the partner's own.
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub address: String,
    pub bank_name: String,
    pub bik: String,
    pub account: String,
    pub corr_account: String,
    pub signer_position: String,
    pub signer_name: String,
    pub accountant: String,
    pub contract_no: String,
    pub contract_date: Option<NaiveDate>,
    pub vat: Option<Vat>,
}

impl Requisites {
    /// Whether nothing is given.
    pub fn is_empty(&self) -> bool {
        *self == Requisites::default()
    }

    /// The text of a field (the contract's date and VAT have their own types).
    pub fn text(&self, field: Field) -> &str {
        match field {
            Field::FullName => &self.full_name,
            Field::Inn => &self.inn,
            Field::Kpp => &self.kpp,
            Field::Ogrn => &self.ogrn,
            Field::Address => &self.address,
            Field::BankName => &self.bank_name,
            Field::Bik => &self.bik,
            Field::Account => &self.account,
            Field::CorrAccount => &self.corr_account,
            Field::SignerPosition => &self.signer_position,
            Field::SignerName => &self.signer_name,
            Field::Accountant => &self.accountant,
            Field::ContractNo => &self.contract_no,
            Field::ContractDate | Field::Vat => "",
        }
    }

    /// The text of a field to change (None for the contract's date and VAT).
    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::FullName => &mut self.full_name,
            Field::Inn => &mut self.inn,
            Field::Kpp => &mut self.kpp,
            Field::Ogrn => &mut self.ogrn,
            Field::Address => &mut self.address,
            Field::BankName => &mut self.bank_name,
            Field::Bik => &mut self.bik,
            Field::Account => &mut self.account,
            Field::CorrAccount => &mut self.corr_account,
            Field::SignerPosition => &mut self.signer_position,
            Field::SignerName => &mut self.signer_name,
            Field::Accountant => &mut self.accountant,
            Field::ContractNo => &mut self.contract_no,
            Field::ContractDate | Field::Vat => return None,
        })
    }

    /// Every problem of what is given, one per field, in the form's order. A field left
    /// empty is no problem here (a partner's requisites are optional until a payment
    /// needs them: [`Requisites::missing_for_payment`]).
    pub fn problems(&self) -> Vec<RequisiteError> {
        let mut out = Vec::new();
        for field in Field::ALL {
            let text = self.text(field);
            if let Err(error) = check_text(field.text_kind(), text) {
                out.push(RequisiteError::Text { field, error });
            } else if let Err(e) = self.check_field(field, text) {
                out.push(e);
            }
        }
        out
    }

    fn check_field(&self, field: Field, text: &str) -> Result<(), RequisiteError> {
        if text.is_empty() {
            return Ok(());
        }
        match field {
            Field::Inn => Inn::parse(text).map(|_| ()).map_err(RequisiteError::Inn),
            Field::Kpp => check_kpp(text),
            Field::Ogrn => check_ogrn(text),
            Field::Bik => check_bik(text),
            Field::Account | Field::CorrAccount if self.bik.is_empty() => {
                Err(RequisiteError::AccountWithoutBik { field })
            }
            Field::Account => check_account(text, &self.bik),
            Field::CorrAccount => check_corr_account(text, &self.bik),
            _ => Ok(()),
        }
    }

    /// The first problem, if any: what the store refuses before it writes.
    pub fn checked(self) -> Result<Requisites, RequisiteError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(self),
        }
    }

    /// The fields a payment order needs that are empty (the bank's name, БИК and both
    /// accounts).
    pub fn missing_for_payment(&self) -> Vec<Field> {
        [
            Field::BankName,
            Field::Bik,
            Field::Account,
            Field::CorrAccount,
        ]
        .into_iter()
        .filter(|f| self.text(*f).is_empty())
        .collect()
    }

    /// The same requisites with every text trimmed.
    pub fn trimmed(mut self) -> Requisites {
        for text in [
            &mut self.full_name,
            &mut self.inn,
            &mut self.kpp,
            &mut self.ogrn,
            &mut self.address,
            &mut self.bank_name,
            &mut self.bik,
            &mut self.account,
            &mut self.corr_account,
            &mut self.signer_position,
            &mut self.signer_name,
            &mut self.accountant,
            &mut self.contract_no,
        ] {
            let t = super::trim(text);
            if t.len() != text.len() {
                *text = t.to_owned();
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One digit of `text` changed (the digit at `at` plus one, mod 10).
    fn one_digit_changed(text: &str, at: usize) -> String {
        text.char_indices()
            .map(|(i, c)| match (i == at, c.to_digit(10)) {
                (true, Some(d)) => char::from_digit((d + 1) % 10, 10).unwrap(),
                _ => c,
            })
            .collect()
    }

    #[test]
    fn a_settlement_account_is_checked_against_its_bik() {
        assert_eq!(check_account("40702810900000002851", "044030827"), Ok(()));
        for at in 0..20 {
            assert!(matches!(
                check_account(&one_digit_changed("40702810900000002851", at), "044030827"),
                Err(RequisiteError::AccountKey {
                    field: Field::Account,
                    ..
                })
            ));
        }
        assert!(check_account("40702810900000002851", "044030828").is_err());
        assert!(matches!(
            check_account("4070281090000000285", "044030827"),
            Err(RequisiteError::Digits {
                field: Field::Account,
                ..
            })
        ));
    }

    #[test]
    fn a_correspondent_account_is_checked_against_its_bik() {
        assert_eq!(
            check_corr_account("30101810400000000225", "044525225"),
            Ok(())
        );
        for at in 3..20 {
            assert!(
                check_corr_account(&one_digit_changed("30101810400000000225", at), "044525225")
                    .is_err()
            );
        }
        assert!(check_corr_account("30101810400000000225", "044535225").is_err());
        assert!(matches!(
            check_corr_account("40101810400000000225", "044525225"),
            Err(RequisiteError::CorrPrefix { .. })
        ));
    }

    #[test]
    fn ogrn_and_ogrnip_have_their_check_digits() {
        // ПАО Сбербанк's ОГРН; an ОГРНИП; and ОГРНИПs whose remainders mod 13 are 10 and 11
        // (the check digit is the remainder's last digit).
        assert_eq!(check_ogrn("1027700132195"), Ok(()));
        assert_eq!(check_ogrn("304500116000157"), Ok(()));
        assert_eq!(check_ogrn("304500116000180"), Ok(()));
        assert_eq!(check_ogrn("304500116000191"), Ok(()));
        assert!(matches!(
            check_ogrn("1027700132196"),
            Err(RequisiteError::OgrnCheck { .. })
        ));
        assert!(matches!(
            check_ogrn("304500116000158"),
            Err(RequisiteError::OgrnCheck { .. })
        ));
        assert!(matches!(
            check_ogrn("10277001321"),
            Err(RequisiteError::Digits {
                field: Field::Ogrn,
                ..
            })
        ));
    }

    #[test]
    fn kpp_is_four_digits_two_digits_or_capitals_and_three_digits() {
        assert_eq!(check_kpp("773601001"), Ok(()));
        assert_eq!(check_kpp("7736AB001"), Ok(()));
        for bad in ["77360100", "7736ab001", "77A601001", "773601O01"] {
            assert!(
                matches!(check_kpp(bad), Err(RequisiteError::KppFormat { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_bik_is_nine_digits_of_a_russian_bank() {
        assert_eq!(check_bik("044525225"), Ok(()));
        assert!(matches!(
            check_bik("04452522"),
            Err(RequisiteError::Digits {
                field: Field::Bik,
                ..
            })
        ));
        assert!(matches!(
            check_bik("144525225"),
            Err(RequisiteError::BikCountry { .. })
        ));
    }

    #[test]
    fn every_problem_names_its_field_in_both_languages() {
        let r = Requisites {
            kpp: "77360100".into(),
            ogrn: "1027700132196".into(),
            bik: "044525225".into(),
            account: "40702810900000002851".into(),
            corr_account: "30101810400000000226".into(),
            ..Requisites::default()
        };
        let problems = r.problems();
        let fields: Vec<Field> = problems.iter().map(RequisiteError::field).collect();
        assert_eq!(
            fields,
            [Field::Kpp, Field::Ogrn, Field::Account, Field::CorrAccount]
        );
        assert!(problems[0].text(Lang::Ru).starts_with("КПП: "));
        assert!(problems[2].text(Lang::Ru).starts_with("Р/с: "));
        assert!(
            problems[3]
                .text(Lang::En)
                .starts_with("Correspondent account: ")
        );
        let ok = Requisites {
            bik: "044030827".into(),
            account: "40702810900000002851".into(),
            ..Requisites::default()
        };
        assert!(ok.problems().is_empty());
        assert_eq!(
            ok.missing_for_payment(),
            [Field::BankName, Field::CorrAccount]
        );
    }

    #[test]
    fn vat_is_not_liable_or_a_typed_rate() {
        assert_eq!(Vat::parse(""), Ok(None));
        assert_eq!(Vat::parse("Не облагается"), Ok(Some(Vat::NotLiable)));
        assert_eq!(
            Vat::parse("20 %").map(|v| v.map(Vat::code)),
            Ok(Some("20".to_owned()))
        );
        assert!(Vat::parse("двадцать").is_err());
    }
}
