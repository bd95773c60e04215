//! Free text as people type it or files bring it: names, document numbers, notes. Each
//! kind has a length limit, and no text holds a control character (NUL among them): the
//! one check every path that stores text goes through — the window's forms, import files,
//! a file copied into a team database, the command line — and the store again before it
//! writes, so that a file and a server refuse the same text with the same sentence.

use crate::domain::lang::{Lang, Localized};

/// What a text is, which decides its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// A partner's, a client's or a person's name.
    Name,
    /// A document number.
    Doc,
    /// A note, a reason, a page address.
    Note,
}

impl TextKind {
    /// The most characters a text of this kind has.
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Name => 500,
            TextKind::Doc => 100,
            TextKind::Note => 2000,
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        match self {
            TextKind::Name => lang.pick("в названии или имени", "a name has"),
            TextKind::Doc => lang.pick("в номере документа", "a document number has"),
            TextKind::Note => lang.pick("в примечании", "a note has"),
        }
    }
}

/// A text field of the records, named in the user's words when a text is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextField {
    PartnerName,
    ClientName,
    /// Who agreed to an extension, a certified specialist.
    PersonName,
    Doc,
    Note,
    Reason,
    /// The partner's site page.
    Page,
}

impl TextField {
    pub const fn kind(self) -> TextKind {
        match self {
            TextField::PartnerName | TextField::ClientName | TextField::PersonName => {
                TextKind::Name
            }
            TextField::Doc => TextKind::Doc,
            TextField::Note | TextField::Reason | TextField::Page => TextKind::Note,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TextField::PartnerName => lang.pick("название партнёра", "the partner's name"),
            TextField::ClientName => lang.pick("название клиента", "the client's name"),
            TextField::PersonName => lang.pick("имя", "the person's name"),
            TextField::Doc => lang.pick("номер документа", "the document number"),
            TextField::Note => lang.pick("примечание", "the note"),
            TextField::Reason => lang.pick("причина", "the reason"),
            TextField::Page => lang.pick("страница сайта", "the site page"),
        }
    }

    /// Checks `text` as this field's (see [`check_text`]).
    pub fn check(self, text: &str) -> Result<(), TextError> {
        check_text(self.kind(), text)
    }
}

/// Why a text cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    TooLong { kind: TextKind, chars: usize },
    Control { code: u32, at: usize },
}

impl Localized for TextError {
    fn text(&self, lang: Lang) -> String {
        match self {
            TextError::TooLong { kind, chars } => {
                let max = kind.max_chars();
                lang.say(
                    format!(
                        "символов в тексте: {chars}, а {} допустимо до {max}",
                        kind.words(Lang::Ru)
                    ),
                    format!(
                        "the text has {chars} characters; {} at most {max}",
                        kind.words(Lang::En)
                    ),
                )
            }
            TextError::Control { code, at } => lang.say(
                format!(
                    "в тексте управляющий символ (U+{code:04X}) на {at}-й позиции; удалите его (он бывает в скопированном тексте)"
                ),
                format!(
                    "the text holds a control character (U+{code:04X}) at character {at}; remove it (copied text sometimes carries one)"
                ),
            ),
        }
    }
}

crate::domain::lang::english_display!(TextError);

/// Checks a text of `kind` as it will be stored (trimmed): at most its limit of
/// characters, and no control character — but a note may hold line breaks and tabs.
pub fn check_text(kind: TextKind, text: &str) -> Result<(), TextError> {
    let text = text.trim();
    // Most texts are short: counting characters costs nothing then.
    if text.len() > kind.max_chars() {
        let chars = text.chars().count();
        if chars > kind.max_chars() {
            return Err(TextError::TooLong { kind, chars });
        }
    }
    let allowed = |c: char| kind == TextKind::Note && matches!(c, '\n' | '\r' | '\t');
    match text
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !allowed(c))
    {
        Some((at, c)) => Err(TextError::Control {
            code: u32::from(c),
            at: at + 1,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_refused_past_its_limit_or_with_a_control_character() {
        assert_eq!(check_text(TextKind::Name, &"я".repeat(500)), Ok(()));
        assert_eq!(
            check_text(TextKind::Name, &"я".repeat(501)),
            Err(TextError::TooLong {
                kind: TextKind::Name,
                chars: 501
            })
        );
        assert!(check_text(TextKind::Doc, &"1".repeat(101)).is_err());
        assert!(check_text(TextKind::Note, &"x".repeat(2000)).is_ok());
        assert_eq!(
            check_text(TextKind::Name, "ООО\0Альфа"),
            Err(TextError::Control { code: 0, at: 4 })
        );
        assert!(check_text(TextKind::Name, "a\tb").is_err());
        assert!(check_text(TextKind::Note, "строка\nещё\tодна").is_ok());
        assert!(check_text(TextKind::Note, "\u{7}").is_err());
        // Spaces around are not counted: they are not stored.
        assert!(check_text(TextKind::Doc, &format!("  {}  ", "1".repeat(100))).is_ok());
        let e = check_text(TextKind::Name, &"я".repeat(501)).unwrap_err();
        assert_eq!(
            e.text(Lang::Ru),
            "символов в тексте: 501, а в названии или имени допустимо до 500"
        );
        assert_eq!(
            e.text(Lang::En),
            "the text has 501 characters; a name has at most 500"
        );
    }
}
