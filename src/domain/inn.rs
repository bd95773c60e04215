//! The taxpayer id (ИНН) with its official check digits (REGULATION §6).

use std::fmt;

use super::lang::{Lang, Localized};

/// A valid INN: 10 digits for an organisation, 12 for an individual entrepreneur,
/// with correct check digits. Holding an `Inn` means it was checked.
///
/// The digits are kept in place, as ASCII, a 10-digit INN padded with two zero bytes:
/// an INN is copied and compared without a pointer to follow (a million-row import looks
/// up two per row), and it orders as its text does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Inn([u8; 12]);

/// Why a text is not a valid INN.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InnError {
    Empty,
    NotDigits { found: char },
    Length { len: usize },
    CheckDigit,
}

impl Localized for InnError {
    fn text(&self, lang: Lang) -> String {
        match self {
            InnError::Empty => lang.say("ИНН не указан", "the INN is empty"),
            InnError::NotDigits { found } => lang.say(
                format!("ИНН может содержать только цифры; встретился символ «{found}»"),
                format!("the INN may contain digits only; found {found:?}"),
            ),
            InnError::Length { len } => lang.say(
                format!(
                    "в ИНН {len} {}; нужно 10 (организация) или 12 (ИП)",
                    digits_word(*len)
                ),
                format!(
                    "the INN has {len} digits; it must have 10 (organisation) or 12 (entrepreneur)"
                ),
            ),
            InnError::CheckDigit => lang.say(
                "неверная контрольная цифра ИНН; проверьте номер на опечатку",
                "the INN's check digit is wrong; check the number for a typo",
            ),
        }
    }
}

super::lang::english_display!(InnError);

fn digits_word(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "цифра",
        (2..=4, r) if !(12..=14).contains(&r) => "цифры",
        _ => "цифр",
    }
}

const WEIGHTS_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 % 10
}

impl Inn {
    /// Parses an INN, ignoring surrounding white space.
    pub fn parse(text: &str) -> Result<Inn, InnError> {
        let text = super::trim(text);
        if text.is_empty() {
            return Err(InnError::Empty);
        }
        if !text.bytes().all(|b| b.is_ascii_digit())
            && let Some(found) = text.chars().find(|c| !c.is_ascii_digit())
        {
            return Err(InnError::NotDigits { found });
        }
        let mut digits = [0u32; 12];
        for (digit, b) in digits.iter_mut().zip(text.bytes()) {
            *digit = u32::from(b - b'0');
        }
        let valid = match text.len() {
            10 => check_digit(&digits[..9], &WEIGHTS_10) == digits[9],
            12 => {
                check_digit(&digits[..10], &WEIGHTS_11) == digits[10]
                    && check_digit(&digits[..11], &WEIGHTS_12) == digits[11]
            }
            len => return Err(InnError::Length { len }),
        };
        if valid {
            let mut inn = [0; 12];
            inn[..text.len()].copy_from_slice(text.as_bytes());
            Ok(Inn(inn))
        } else {
            Err(InnError::CheckDigit)
        }
    }

    /// Completes 9 digits (organisation) or 10 digits (entrepreneur) with their check
    /// digits. None for any other input. Used to make demo and test data.
    pub fn complete(prefix: &str) -> Option<Inn> {
        if !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u32> = prefix.bytes().map(|b| u32::from(b - b'0')).collect();
        match digits.len() {
            9 => digits.push(check_digit(&digits, &WEIGHTS_10)),
            10 => {
                digits.push(check_digit(&digits, &WEIGHTS_11));
                digits.push(check_digit(&digits, &WEIGHTS_12));
            }
            _ => return None,
        }
        let text: String = digits
            .iter()
            .filter_map(|d| char::from_digit(*d, 10))
            .collect();
        Inn::parse(&text).ok()
    }

    pub fn as_str(&self) -> &str {
        let len = if self.is_entrepreneur() { 12 } else { 10 };
        // Only ASCII digits are ever put in.
        std::str::from_utf8(&self.0[..len]).unwrap_or_default()
    }

    /// True for a 12-digit INN of an individual entrepreneur.
    pub fn is_entrepreneur(&self) -> bool {
        self.0[11] != 0
    }
}

impl fmt::Debug for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Inn({:?})", self.as_str())
    }
}

impl serde::Serialize for Inn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Inn {
    type Err = InnError;
    fn from_str(s: &str) -> Result<Inn, InnError> {
        Inn::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inn_examples_of_the_regulation_are_valid() {
        for inn in ["7707083893", "7736207543", "500100732259"] {
            assert_eq!(Inn::parse(inn).unwrap().as_str(), inn);
        }
        assert!(Inn::parse("500100732259").unwrap().is_entrepreneur());
    }

    #[test]
    fn inn_with_wrong_check_digit_is_refused() {
        assert_eq!(Inn::parse("7707083894"), Err(InnError::CheckDigit));
        assert_eq!(Inn::parse("500100732258"), Err(InnError::CheckDigit));
        assert_eq!(Inn::parse("500100732249"), Err(InnError::CheckDigit));
    }

    #[test]
    fn inn_of_wrong_length_is_refused_with_the_length() {
        assert_eq!(Inn::parse("770708389"), Err(InnError::Length { len: 9 }));
        assert_eq!(Inn::parse("77070838931"), Err(InnError::Length { len: 11 }));
        assert_eq!(
            Inn::parse("7707083893123"),
            Err(InnError::Length { len: 13 })
        );
    }

    #[test]
    fn inn_with_non_digits_is_refused_naming_the_character() {
        assert_eq!(
            Inn::parse("7707 083893"),
            Err(InnError::NotDigits { found: ' ' })
        );
        assert_eq!(
            Inn::parse("７７０７０８３８９３"),
            Err(InnError::NotDigits { found: '７' })
        );
        assert_eq!(Inn::parse(""), Err(InnError::Empty));
        assert_eq!(Inn::parse("   "), Err(InnError::Empty));
    }

    #[test]
    fn inn_check_digits_can_be_completed() {
        assert_eq!(Inn::complete("770708389").unwrap().as_str(), "7707083893");
        assert_eq!(
            Inn::complete("5001007322").unwrap().as_str(),
            "500100732259"
        );
        assert_eq!(Inn::complete("12"), None);
    }

    #[test]
    fn inns_order_as_their_text_does() {
        let mut inns: Vec<Inn> = ["7736207543", "500100732259", "7707083893", "5001007322"]
            .iter()
            .filter_map(|t| Inn::parse(t).or_else(|_| Inn::complete(t).ok_or(())).ok())
            .collect();
        let mut texts: Vec<String> = inns.iter().map(|i| i.to_string()).collect();
        inns.sort();
        texts.sort();
        let sorted: Vec<String> = inns.iter().map(|i| i.to_string()).collect();
        assert_eq!(sorted, texts);
        assert_eq!(format!("{:?}", inns[0]), format!("Inn({:?})", texts[0]));
    }

    #[test]
    fn inn_surrounding_spaces_are_ignored() {
        assert_eq!(Inn::parse(" 7707083893 ").unwrap().as_str(), "7707083893");
    }

    #[test]
    fn inn_errors_read_in_russian() {
        assert_eq!(
            InnError::Length { len: 9 }.text(Lang::Ru),
            "в ИНН 9 цифр; нужно 10 (организация) или 12 (ИП)"
        );
        assert!(
            InnError::CheckDigit
                .text(Lang::Ru)
                .contains("контрольная цифра")
        );
    }
}
