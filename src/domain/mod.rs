//! The regulation as pure rules: INN, money, statuses, rates, premiums, pins, statements,
//! and the limits of free text.
//!
//! Nothing here does I/O or reads the clock: "today" is always passed in.

pub mod document;
pub mod inn;
pub mod kind;
pub mod lang;
pub mod lock;
pub mod money;
pub mod names;
pub mod payments;
pub mod pin;
pub mod premium;
pub mod rates;
pub mod reconciliation;
pub mod requisites;
pub mod statement;
pub mod status;
pub mod text;
pub mod words;

pub use inn::{Inn, InnError};
pub use kind::LicenseKind;
pub use lang::{Lang, Localized};
pub use lock::{LockedPeriod, RecordWrite, ReturnRefusal, Returnable};
pub use money::{AmountError, Money, RateError, RatePct};
pub use pin::{Pin, PinDecision, PinError, PinState, ShipmentRefusal};
pub use premium::{Premium, RoleFacts, ZeroReason};
pub use rates::{RateBook, RateCell, RateTable, RateVersion};
pub use requisites::{RequisiteError, Requisites, Vat};
pub use statement::{Entry, PartnerFacts, Statement};
pub use status::{Evidence, Status, StatusChange, StatusHistory};
pub use text::{TextError, TextField, TextKind, check_text};

/// A partner's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartnerId(pub i64);

/// A sale's (or a return's) id in the store: the entry order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SaleId(pub i64);

/// A pin's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PinId(pub i64);

/// An import's id in the store, by which it is undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImportId(pub i64);

/// `text.trim()`, quick for the common text that starts and ends with a visible ASCII
/// character (an import trims a dozen cells a row).
pub fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Reads a date as managers write it: `2025-01-31` or `31.01.2025`.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = trim(text);
    // `YYYY-MM-DD` read directly: an import reads a million of these.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() {
        let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |ds: &[u8]| ds.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
            return chrono::NaiveDate::from_ymd_opt(
                n(&digits[..4]) as i32,
                n(&digits[4..6]),
                n(&digits[6..]),
            );
        }
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
        .filter(|_| text.len() == 10)
}

/// Whether `text` is written as a date (YYYY-MM-DD or DD.MM.YYYY, digits in place) of a day
/// the calendar does not have, such as 30.02.2025: to be said so, not as a wrong format.
pub fn is_no_such_day(text: &str) -> bool {
    let t = trim(text).as_bytes();
    let shaped = |pattern: &[u8]| {
        t.len() == pattern.len()
            && t.iter().zip(pattern).all(|(c, p)| match p {
                b'9' => c.is_ascii_digit(),
                _ => c == p,
            })
    };
    (shaped(b"9999-99-99") || shaped(b"99.99.9999")) && parse_date(text).is_none()
}

/// The first day of the month of `day`, and the last day of the calendar month `months - 1`
/// after it: `months_from(d, 1)` is d's month, `months_from(d, 3)` a quarter when d's month
/// begins one. `months` is at least 1.
pub fn months_from(day: chrono::NaiveDate, months: u32) -> (chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    let first = day.with_day(1).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(months.max(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    (first, last)
}

/// A date as the interface shows it: `31.01.2025` in Russian, `2025-01-31` in English.
pub fn show_date(date: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ru => date.format("%d.%m.%Y").to_string(),
        Lang::En => date.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_from_spans_whole_calendar_months() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            super::months_from(d(2024, 2, 17), 1),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            super::months_from(d(2025, 10, 31), 3),
            (d(2025, 10, 1), d(2025, 12, 31))
        );
        assert_eq!(
            super::months_from(d(2023, 3, 5), 24),
            (d(2023, 3, 1), d(2025, 2, 28))
        );
    }

    use super::*;

    #[test]
    fn dates_are_read_in_iso_or_russian_form_and_must_exist() {
        let jan31 = chrono::NaiveDate::from_ymd_opt(2025, 1, 31);
        assert_eq!(parse_date("2025-01-31"), jan31);
        assert_eq!(parse_date("31.01.2025"), jan31);
        assert_eq!(parse_date("31.02.2025"), None);
        assert_eq!(parse_date("2025-02-29"), None);
        assert!(parse_date("2024-02-29").is_some());
        assert_eq!(parse_date("1.2.2025"), None);
        assert_eq!(parse_date("2025/01/31"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn a_date_of_a_day_the_calendar_has_not_is_told_from_a_wrong_format() {
        for no_such_day in ["31.02.2025", "2025-02-29", " 2026-13-01 ", "00.01.2025"] {
            assert!(is_no_such_day(no_such_day), "{no_such_day}");
        }
        for other in [
            "2024-02-29",
            "31.01.2025",
            "1.2.2025",
            "2025/01/31",
            "завтра",
            "",
        ] {
            assert!(!is_no_such_day(other), "{other}");
        }
    }
}
