//! Names as managers write them. A license kind, a status, a yes/no or a pin action is read
//! from whatever the regulation, 1C or the program itself calls it: one table of aliases per
//! word ([`Names`]), compared after [`fold`]ing away case, `ё`, spaces, quotes, punctuation
//! and Latin letters typed for Cyrillic ones. A short form that could mean two things is
//! an error that says so ([`NameError::Ambiguous`]), never a guess; an unknown one is told
//! with the closest known name.

use std::sync::OnceLock;

use super::lang::Lang;

/// Words of `text` as compared: lower case, `ё` as `е`, every run of characters other than
/// letters and digits (spaces, no-break spaces, quotes, `*`, `.`, `:`, `-`, `_`) as one space,
/// none at either end. `«Доп. услуги  разработчика»*` is `доп услуги разработчика`.
pub fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(if c == 'ё' { 'е' } else { c });
        } else {
            gap = true;
        }
    }
    out
}

/// A name as compared: its [`words`], with the Latin letters that look like Cyrillic ones
/// read as Cyrillic, so `1C:KП` typed with a Latin `C` is `1С:КП`.
pub fn fold(text: &str) -> String {
    words(text)
        .chars()
        .map(|c| match c {
            'a' => 'а',
            'b' => 'в',
            'c' => 'с',
            'e' => 'е',
            'h' => 'н',
            'k' => 'к',
            'm' => 'м',
            'o' => 'о',
            'p' => 'р',
            't' => 'т',
            'x' => 'х',
            'y' => 'у',
            c => c,
        })
        .collect()
}

/// A word the program reads by name: its values and how each is shown.
pub trait Named: Copy + Eq + std::fmt::Debug + 'static {
    /// Every value, in the order they are listed to the user.
    fn every() -> &'static [Self];
    /// The name the program shows for it.
    fn shown(self, lang: Lang) -> &'static str;
}

/// Why a name could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError<T> {
    /// Nothing goes by this name; `closest` is a near miss, if there is one.
    Unknown { closest: Option<T> },
    /// A short form that means more than one of these.
    Ambiguous(Vec<T>),
}

impl<T: Named> NameError<T> {
    /// The sentence for a `text` that names a `what` («вид лицензии», "license kind").
    pub fn text(&self, text: &str, what: (&str, &str), lang: Lang) -> String {
        let quoted = |names: &mut dyn Iterator<Item = T>| {
            names
                .map(|v| lang.pick("«", "\"").to_owned() + v.shown(lang) + lang.pick("»", "\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            NameError::Ambiguous(values) => format!(
                "{} {} {}: {}. {}",
                lang.pick("«", "\"").to_owned() + text + lang.pick("»", "\""),
                lang.pick("может означать", "could mean"),
                lang.pick("разное", "more than one thing"),
                quoted(&mut values.iter().copied()),
                lang.pick("Напишите полностью.", "Write it in full."),
            ),
            NameError::Unknown { closest } => {
                let mut out = format!(
                    "{} {} {}{text}{}",
                    lang.pick("неизвестный", "unknown"),
                    lang.pick(what.0, what.1),
                    lang.pick("«", "\""),
                    lang.pick("»", "\"")
                );
                if let Some(closest) = closest {
                    out += &format!(
                        ". {} {}{}{}?",
                        lang.pick("Может быть,", "Did you mean"),
                        lang.pick("«", "\""),
                        closest.shown(lang),
                        lang.pick("»", "\"")
                    );
                }
                // A suggestion ends in its question mark; otherwise the name ends here.
                out + if closest.is_some() { " " } else { ". " }
                    + lang.pick("Допустимы:", "Use:")
                    + " "
                    + &quoted(&mut T::every().iter().copied())
            }
        }
    }
}

/// One word's table of aliases, folded once on first use.
pub struct Names<T: 'static> {
    aliases: fn() -> Vec<(&'static str, Vec<T>)>,
    folded: OnceLock<Vec<(String, Vec<T>)>>,
}

impl<T: Named> Names<T> {
    /// A table from the function that lists its aliases, each with what it means (two or
    /// more values for an ambiguous short form).
    pub const fn new(aliases: fn() -> Vec<(&'static str, Vec<T>)>) -> Names<T> {
        Names {
            aliases,
            folded: OnceLock::new(),
        }
    }

    fn folded(&self) -> &[(String, Vec<T>)] {
        self.folded.get_or_init(|| {
            let mut folded: Vec<(String, Vec<T>)> = Vec::new();
            for (alias, values) in (self.aliases)() {
                let key = fold(alias);
                // A name said twice is kept once; one that folds to another's name but
                // means something else stays, for the tables' tests to find.
                if !folded.iter().any(|(k, v)| *k == key && *v == values) {
                    folded.push((key, values));
                }
            }
            folded
        })
    }

    /// Every alias as folded, with what it means.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &[T])> {
        self.folded()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Reads a name.
    pub fn parse(&self, text: &str) -> Result<T, NameError<T>> {
        let key = fold(text);
        if let Some((_, values)) = self.folded().iter().find(|(k, _)| *k == key) {
            return match values.as_slice() {
                [one] => Ok(*one),
                many => Err(NameError::Ambiguous(many.to_vec())),
            };
        }
        Err(NameError::Unknown {
            closest: self.closest(&key),
        })
    }

    /// The value whose alias is nearest to `key` in edits, if it is near enough to be a
    /// slip (at most two edits, or a quarter of the name) and no other value is as near.
    fn closest(&self, key: &str) -> Option<T> {
        let key: Vec<char> = key.chars().collect();
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, T)> = None;
        let mut tie = false;
        for (alias, values) in self.folded() {
            let [value] = values.as_slice() else {
                continue;
            };
            let alias: Vec<char> = alias.chars().collect();
            let distance = edits(&key, &alias);
            if distance > 2.max(alias.len() / 4) {
                continue;
            }
            match best {
                Some((d, v)) if d < distance || (d == distance && v == *value) => {}
                Some((d, _)) if d == distance => tie = true,
                _ => {
                    best = Some((distance, *value));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, v)| v)
    }
}

/// Levenshtein distance: the fewest one-character insertions, deletions and changes.
fn edits(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Yes or no, as a cell of a file says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YesNo(pub bool);

impl Named for YesNo {
    fn every() -> &'static [YesNo] {
        &[YesNo(true), YesNo(false)]
    }

    fn shown(self, lang: Lang) -> &'static str {
        match self.0 {
            true => lang.pick("да", "yes"),
            false => lang.pick("нет", "no"),
        }
    }
}

/// `да/нет`, `yes/no`, `true/false`, `1/0`, and 1C's `Истина/Ложь`.
pub static YES_NO: Names<YesNo> = Names::new(|| {
    let yes = || vec![YesNo(true)];
    let no = || vec![YesNo(false)];
    vec![
        ("да", yes()),
        ("yes", yes()),
        ("true", yes()),
        ("1", yes()),
        ("истина", yes()),
        ("нет", no()),
        ("no", no()),
        ("false", no()),
        ("0", no()),
        ("ложь", no()),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_yo_spaces_quotes_punctuation_and_latin_lookalikes() {
        assert_eq!(
            words("«Доп. услуги\u{a0} разработчика»*"),
            "доп услуги разработчика"
        );
        assert_eq!(words("  Ёлка  "), "елка");
        assert_eq!(fold("1C:KП (ИTC)"), fold("1С:КП (ИТС)"));
        assert_eq!(fold("\"SaaS\"."), fold("saas"));
        assert_eq!(fold(""), "");
    }

    #[test]
    fn edits_count_insertions_deletions_and_changes() {
        let e = |a: &str, b: &str| {
            edits(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(e("kitten", "sitting"), 3);
        assert_eq!(e("", "abc"), 3);
        assert_eq!(e("лицензий", "лицензии"), 1);
    }

    #[test]
    fn yes_and_no_are_read_as_1c_writes_them() {
        assert_eq!(YES_NO.parse("Истина"), Ok(YesNo(true)));
        assert_eq!(YES_NO.parse("ЛОЖЬ"), Ok(YesNo(false)));
        assert_eq!(
            YES_NO.parse("дв"),
            Err(NameError::Unknown {
                closest: Some(YesNo(true))
            })
        );
    }
}
