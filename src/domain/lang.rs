//! The two interface languages and the choice between them.

/// An interface language. Russian is the users' language; English is on request.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    /// Russian for `ru*` locales (`ru_RU.UTF-8`, `ru-RU`, `ru`), English for everything else.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }

    /// Picks the text for this language from a pair.
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The sentence in this language, of one said in both, the Russian first: every error
    /// keeps its two sentences side by side in one arm of its `text`, so that they cannot
    /// drift apart.
    pub fn say(self, ru: impl std::fmt::Display, en: impl std::fmt::Display) -> String {
        match self {
            Lang::Ru => ru.to_string(),
            Lang::En => en.to_string(),
        }
    }
}

/// Something that can be said to the user in either language.
pub trait Localized {
    fn text(&self, lang: Lang) -> String;
}

/// A sentence made in both languages at once, by one function of the language: kept where
/// it may be said again after the language is switched (the window's status bar).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Said {
    ru: String,
    en: String,
}

impl Said {
    /// The sentence `say` makes in each language.
    pub fn both(say: impl Fn(Lang) -> String) -> Said {
        Said {
            ru: say(Lang::Ru),
            en: say(Lang::En),
        }
    }

    /// Any `Localized` thing, said in both languages.
    pub fn of(what: &impl Localized) -> Said {
        Said::both(|lang| what.text(lang))
    }
}

impl Localized for Said {
    fn text(&self, lang: Lang) -> String {
        lang.pick(&self.ru, &self.en).to_owned()
    }
}

/// `Display` for errors said in both languages: the English sentence, so that `{e}` in a
/// log line reads as the English window does, from the same one `text`.
macro_rules! english_display {
    ($($error:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::domain::lang::Localized::text(
                    self,
                    $crate::domain::lang::Lang::En,
                ))
            }
        }
    )+};
}
pub(crate) use english_display;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_locales_give_russian_and_others_english() {
        assert_eq!(Lang::from_locale("ru_RU.UTF-8"), Lang::Ru);
        assert_eq!(Lang::from_locale("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_locale("RU"), Lang::Ru);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("de-DE"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
