//! Exact money in rubles and premium rates in percent, on `Decimal` (never floats).

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

use rust_decimal::{Decimal, RoundingStrategy};

use super::lang::{Lang, Localized};

/// An amount of rubles with kopecks. Amounts of sales are positive; returns and their
/// premiums are negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// The largest amount a single sale may have, exclusive: 10^12 rubles.
pub const MAX_AMOUNT_RUB: i64 = 1_000_000_000_000;

/// Why a text is not an acceptable amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    Empty,
    BadCharacter { found: char },
    NotANumber,
    TooManyDecimals,
    NotPositive,
    TooLarge,
}

impl Localized for AmountError {
    fn text(&self, lang: Lang) -> String {
        match self {
            AmountError::Empty => lang.say("сумма не указана", "the amount is empty"),
            AmountError::BadCharacter { found } => lang.say(
                format!(
                    "в сумме допустимы цифры, один десятичный разделитель и пробелы между тысячами; встретился символ «{found}»"
                ),
                format!(
                    "the amount may contain digits, one decimal separator and spaces between thousands only; found {found:?}"
                ),
            ),
            AmountError::NotANumber => {
                lang.say("сумма не является числом", "the amount is not a number")
            }
            AmountError::TooManyDecimals => lang.say(
                "в сумме больше двух знаков после запятой",
                "the amount has more than 2 decimal places",
            ),
            AmountError::NotPositive => lang.say(
                "сумма должна быть больше нуля",
                "the amount must be greater than zero",
            ),
            AmountError::TooLarge => lang.say(
                "сумма должна быть меньше 1 000 000 000 000",
                "the amount must be less than 1 000 000 000 000",
            ),
        }
    }
}

super::lang::english_display!(AmountError, RateError);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Money from a decimal that already has at most two places.
    pub fn from_decimal(value: Decimal) -> Money {
        Money(round_kopecks(value))
    }

    pub fn from_kopecks(kopecks: i64) -> Money {
        Money(Decimal::new(kopecks, 2))
    }

    /// Whole kopecks, for exact storage.
    pub fn kopecks(self) -> i64 {
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        // Money always holds at most two decimal places, so this is exact.
        i64::try_from(scaled.trunc()).unwrap_or(i64::MAX)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Parses a sale amount as managers type it: `1234.56`, `1 234,56`, `1 234,56`
    /// (no-break spaces), `120000`. At most 2 decimals, > 0 and < 10^12.
    pub fn parse_amount(text: &str) -> Result<Money, AmountError> {
        let text = super::trim(text);
        let text = text.strip_suffix('₽').unwrap_or(text).trim_end();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        // With both a comma and a point, the last is the decimal separator and the other
        // separates thousands: «4,000.50» as the English list shows it, «4.000,50» too.
        let thousands = match (text.rfind(','), text.rfind('.')) {
            (Some(comma), Some(point)) => Some(if comma > point { '.' } else { ',' }),
            _ => None,
        };
        // Read in one pass without allocating: an import reads a million of these.
        let mut rubles: i64 = 0;
        let (mut int_digits, mut significant) = (0usize, 0usize);
        // The kopecks' value and digit count, once a decimal separator is met.
        let mut frac: Option<(i64, usize)> = None;
        // Thousands groups: how many, the first one's digits, the current one's, and
        // whether every one after the first has three.
        let (mut groups, mut first_group, mut group, mut threes) = (1usize, 0usize, 0usize, true);
        let mut end_group = |groups: usize, group: usize| {
            if groups == 1 {
                first_group = group;
            } else if group != 3 {
                threes = false;
            }
        };
        for c in text.chars() {
            match c {
                '0'..='9' => {
                    let digit = i64::from(c as u8 - b'0');
                    match frac.as_mut() {
                        Some((value, digits)) => {
                            if *digits < 2 {
                                *value = *value * 10 + digit;
                            }
                            *digits += 1;
                        }
                        None => {
                            int_digits += 1;
                            group += 1;
                            if significant > 0 || digit != 0 {
                                significant += 1;
                            }
                            if significant <= 12 {
                                rubles = rubles * 10 + digit;
                            }
                        }
                    }
                }
                ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' if frac.is_none() => {
                    end_group(groups, group);
                    groups += 1;
                    group = 0;
                }
                c if Some(c) == thousands && frac.is_none() => {
                    end_group(groups, group);
                    groups += 1;
                    group = 0;
                }
                '.' | ',' if frac.is_none() => frac = Some((0, 0)),
                '.' | ',' => return Err(AmountError::NotANumber),
                '-' | '−' | '–' => return Err(AmountError::NotPositive),
                _ => return Err(AmountError::BadCharacter { found: c }),
            }
        }
        end_group(groups, group);
        // Thousands separators must separate thousands: "1 234 567", never "12 34".
        let grouped_wrong = groups > 1 && (first_group == 0 || first_group > 3 || !threes);
        if int_digits == 0 || grouped_wrong || frac.is_some_and(|(_, digits)| digits == 0) {
            return Err(AmountError::NotANumber);
        }
        let (frac, frac_digits) = frac.unwrap_or((0, 0));
        if frac_digits > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if significant > 12 {
            return Err(AmountError::TooLarge);
        }
        let kopecks = rubles * 100 + if frac_digits == 1 { frac * 10 } else { frac };
        if kopecks == 0 {
            return Err(AmountError::NotPositive);
        }
        if kopecks >= MAX_AMOUNT_RUB * 100 {
            return Err(AmountError::TooLarge);
        }
        Ok(Money::from_kopecks(kopecks))
    }

    /// `1 234 567,89 ₽` in Russian (no-break spaces), `1,234,567.89 ₽` in English.
    pub fn display(self, lang: Lang) -> String {
        let (thousands, decimal) = match lang {
            Lang::Ru => ('\u{a0}', ','),
            Lang::En => (',', '.'),
        };
        format!("{}\u{a0}₽", self.grouped(thousands, decimal))
    }

    /// The number alone with the given separators: `1 234,56`.
    pub fn grouped(self, thousands: char, decimal: char) -> String {
        let kopecks = self.kopecks();
        let sign = if kopecks < 0 { "-" } else { "" };
        let abs = kopecks.unsigned_abs();
        let rubles = (abs / 100).to_string();
        let mut int = String::new();
        for (i, c) in rubles.chars().enumerate() {
            if i > 0 && (rubles.len() - i).is_multiple_of(3) {
                int.push(thousands);
            }
            int.push(c);
        }
        format!("{sign}{int}{decimal}{:02}", abs % 100)
    }

    /// The amount with exactly two decimals and a point: `120000.00` (the JSON contract).
    pub fn plain(self) -> String {
        format!("{:.2}", self.0)
    }
}

/// Rounds to kopecks, half away from zero (0.005 → 0.01), as REGULATION §4.4 says.
pub fn round_kopecks(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// A premium rate in percent, 0 to 100 with at most two decimals: `25` means 25 %.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RatePct(Decimal);

/// Why a text is not an acceptable rate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    NotANumber,
    OutOfRange,
    TooManyDecimals,
}

impl Localized for RateError {
    fn text(&self, lang: Lang) -> String {
        match self {
            RateError::NotANumber => {
                lang.say("ставка не является числом", "the rate is not a number")
            }
            RateError::OutOfRange => lang.say(
                "ставка должна быть от 0 до 100 %",
                "the rate must be from 0 to 100 percent",
            ),
            RateError::TooManyDecimals => lang.say(
                "в ставке больше двух знаков после запятой",
                "the rate has more than 2 decimal places",
            ),
        }
    }
}

impl RatePct {
    /// A rate from whole percent, for the regulation's table.
    pub const fn whole(pct: i64) -> RatePct {
        RatePct(Decimal::from_parts(pct as u32, 0, 0, false, 0))
    }

    pub fn new(pct: Decimal) -> Result<RatePct, RateError> {
        if (pct.is_sign_negative() && !pct.is_zero()) || pct > Decimal::ONE_HUNDRED {
            return Err(RateError::OutOfRange);
        }
        if pct.normalize().scale() > 2 {
            return Err(RateError::TooManyDecimals);
        }
        Ok(RatePct(pct.normalize()))
    }

    /// Parses `25`, `12,5`, `12.5 %`.
    pub fn parse(text: &str) -> Result<RatePct, RateError> {
        let text = text.trim();
        let text = text
            .strip_suffix('%')
            .unwrap_or(text)
            .trim()
            .replace(',', ".");
        if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(RateError::NotANumber);
        }
        let value: Decimal = text.parse().map_err(|_| RateError::NotANumber)?;
        RatePct::new(value)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// `amount × rate / 100`, rounded to kopecks half away from zero.
    pub fn of(self, amount: Money) -> Money {
        Money(round_kopecks(amount.0 * self.0 / Decimal::ONE_HUNDRED))
    }

    /// `25` or `12,5` (Russian) / `12.5` (English), without the percent sign.
    pub fn display(self, lang: Lang) -> String {
        let plain = self.0.normalize().to_string();
        match lang {
            Lang::Ru => plain.replace('.', ","),
            Lang::En => plain,
        }
    }
}

impl fmt::Display for RatePct {
    /// The plain number, as the JSON contract has it: `25`, `12.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money::from_decimal(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn premium_is_rounded_to_kopecks_half_away_from_zero() {
        // 0.01 × 50 % = 0.005 → 0.01, where banker's rounding would give 0.00.
        assert_eq!(RatePct::whole(50).of(m("0.01")), m("0.01"));
        // 0.03 × 50 % = 0.015 → 0.02 (banker's would also give 0.02).
        assert_eq!(RatePct::whole(50).of(m("0.03")), m("0.02"));
        // 0.05 × 10 % = 0.005 → 0.01.
        assert_eq!(RatePct::whole(10).of(m("0.05")), m("0.01"));
        // 0.25 × 10 % = 0.025 → 0.03 (banker's would give 0.02).
        assert_eq!(RatePct::whole(10).of(m("0.25")), m("0.03"));
        // 0.04 × 10 % = 0.004 → 0.00.
        assert_eq!(RatePct::whole(10).of(m("0.04")), m("0.00"));
        // Negative (returns): -0.005 → -0.01.
        assert_eq!(RatePct::whole(50).of(m("-0.01")), m("-0.01"));
        assert_eq!(RatePct::parse("12,5").unwrap().of(m("0.04")), m("0.01"));
    }

    #[test]
    fn amounts_are_read_with_either_separator_and_spaces_between_thousands() {
        assert_eq!(Money::parse_amount("1234.56"), Ok(m("1234.56")));
        assert_eq!(Money::parse_amount("1 234,56"), Ok(m("1234.56")));
        assert_eq!(
            Money::parse_amount("1\u{a0}234\u{a0}567,8"),
            Ok(m("1234567.80"))
        );
        assert_eq!(Money::parse_amount("120000"), Ok(m("120000")));
        assert_eq!(Money::parse_amount(" 0,01 "), Ok(m("0.01")));
        assert_eq!(Money::parse_amount("5 ₽"), Ok(m("5")));
        // Both separators: the last is the decimal one, as a list in English shows amounts.
        assert_eq!(Money::parse_amount("4,000.50"), Ok(m("4000.50")));
        assert_eq!(Money::parse_amount("1,234,567.89 ₽"), Ok(m("1234567.89")));
        assert_eq!(Money::parse_amount("4.000,50"), Ok(m("4000.50")));
        assert_eq!(
            Money::parse_amount("999999999999.99"),
            Ok(m("999999999999.99"))
        );
    }

    #[test]
    fn amounts_that_are_not_plain_positive_kopecks_are_refused() {
        assert_eq!(Money::parse_amount(""), Err(AmountError::Empty));
        assert_eq!(
            Money::parse_amount("0,005"),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(Money::parse_amount("0"), Err(AmountError::NotPositive));
        assert_eq!(Money::parse_amount("0,00"), Err(AmountError::NotPositive));
        assert_eq!(Money::parse_amount("-5"), Err(AmountError::NotPositive));
        assert_eq!(Money::parse_amount("−5"), Err(AmountError::NotPositive));
        assert_eq!(
            Money::parse_amount("1e5"),
            Err(AmountError::BadCharacter { found: 'e' })
        );
        assert_eq!(Money::parse_amount("1,23.56"), Err(AmountError::NotANumber));
        assert_eq!(
            Money::parse_amount("1.234,5.6"),
            Err(AmountError::NotANumber)
        );
        assert_eq!(Money::parse_amount("12 34"), Err(AmountError::NotANumber));
        assert_eq!(
            Money::parse_amount("1234 567"),
            Err(AmountError::NotANumber)
        );
        assert_eq!(Money::parse_amount("5,"), Err(AmountError::NotANumber));
        assert_eq!(Money::parse_amount(",5"), Err(AmountError::NotANumber));
        assert_eq!(
            Money::parse_amount("1000000000000"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            Money::parse_amount("99999999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            Money::parse_amount("NaN"),
            Err(AmountError::BadCharacter { found: 'N' })
        );
    }

    #[test]
    fn money_reads_as_russians_write_it() {
        assert_eq!(
            m("1234567.89").display(Lang::Ru),
            "1\u{a0}234\u{a0}567,89\u{a0}₽"
        );
        assert_eq!(m("1234567.89").display(Lang::En), "1,234,567.89\u{a0}₽");
        assert_eq!(m("-30000").display(Lang::Ru), "-30\u{a0}000,00\u{a0}₽");
        assert_eq!(m("0.5").display(Lang::Ru), "0,50\u{a0}₽");
        assert_eq!(m("120000").plain(), "120000.00");
        assert_eq!(m("-0.01").plain(), "-0.01");
    }

    #[test]
    fn kopecks_round_trip_exactly() {
        for k in [0_i64, 1, 99, 100, 12_345_678_901, -5, 99_999_999_999_999] {
            assert_eq!(Money::from_kopecks(k).kopecks(), k);
        }
    }

    #[test]
    fn rates_are_percent_from_0_to_100() {
        assert_eq!(RatePct::parse("25").unwrap(), RatePct::whole(25));
        assert_eq!(RatePct::parse("12,5 %").unwrap().to_string(), "12.5");
        assert_eq!(RatePct::parse("12,5").unwrap().display(Lang::Ru), "12,5");
        assert_eq!(RatePct::parse("101"), Err(RateError::OutOfRange));
        assert_eq!(RatePct::parse("-1"), Err(RateError::NotANumber));
        assert_eq!(RatePct::parse("1.234"), Err(RateError::TooManyDecimals));
        assert_eq!(RatePct::parse("abc"), Err(RateError::NotANumber));
        assert_eq!(RatePct::whole(50).to_string(), "50");
    }
}
