//! License kinds (REGULATION §2) and which of them the stop-list protects (§5).

use super::lang::Lang;
use super::names::{NameError, Named, Names};

/// A kind of license a partner sells.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LicenseKind {
    Its,
    Saas,
    OnpremServer,
    OnpremUser,
    DevServices,
    VideoCalls,
}

impl LicenseKind {
    /// All kinds in the regulation's order.
    pub const ALL: [LicenseKind; 6] = [
        LicenseKind::Its,
        LicenseKind::Saas,
        LicenseKind::OnpremServer,
        LicenseKind::OnpremUser,
        LicenseKind::DevServices,
        LicenseKind::VideoCalls,
    ];

    /// The code used in files and the database.
    pub fn code(self) -> &'static str {
        match self {
            LicenseKind::Its => "its",
            LicenseKind::Saas => "saas",
            LicenseKind::OnpremServer => "onprem_server",
            LicenseKind::OnpremUser => "onprem_user",
            LicenseKind::DevServices => "dev_services",
            LicenseKind::VideoCalls => "video_calls",
        }
    }

    /// Reads a kind as people write it ([`KIND_NAMES`]); a code or one of the program's
    /// names is read at once.
    pub fn read(text: &str) -> Result<LicenseKind, NameError<LicenseKind>> {
        let text = super::trim(text);
        let exact = LicenseKind::ALL.into_iter().find(|k| {
            k.code() == text || k.name(Lang::Ru) == text || k.short_name(Lang::Ru) == text
        });
        exact.map_or_else(|| KIND_NAMES.parse(text), Ok)
    }

    /// [`LicenseKind::read`], without saying why not.
    pub fn parse(text: &str) -> Option<LicenseKind> {
        LicenseKind::read(text).ok()
    }

    /// The full name, in Russian verbatim from the regulation.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            LicenseKind::Its => lang.pick(
                "Лицензии в составе 1С:КП (ИТС) и доп. функции",
                "Licenses within 1C:KP (ITS) and add-ons",
            ),
            LicenseKind::Saas => lang.pick(
                "Корпоративные тарифы SaaS и доп. функции",
                "Corporate SaaS tariffs and add-ons",
            ),
            LicenseKind::OnpremServer => lang.pick(
                "Серверные лицензии On-premise",
                "On-premise server licenses",
            ),
            LicenseKind::OnpremUser => lang.pick(
                "Пользовательские лицензии On-premise",
                "On-premise user licenses",
            ),
            LicenseKind::DevServices => lang.pick(
                "Доп. услуги разработчика",
                "Developer's additional services",
            ),
            LicenseKind::VideoCalls => {
                lang.pick("1С-Коннект: Видеозвонки", "1C-Connect: Video calls")
            }
        }
    }

    /// A short name for tight places: `Корпоративные тарифы SaaS`.
    pub fn short_name(self, lang: Lang) -> &'static str {
        match self {
            LicenseKind::Its => lang.pick("1С:КП (ИТС)", "1C:KP (ITS)"),
            LicenseKind::Saas => lang.pick("Корпоративные тарифы SaaS", "Corporate SaaS"),
            LicenseKind::OnpremServer => lang.pick("On-premise, серверные", "On-premise server"),
            LicenseKind::OnpremUser => lang.pick("On-premise, пользовательские", "On-premise user"),
            LicenseKind::DevServices => lang.pick("Услуги разработчика", "Developer services"),
            LicenseKind::VideoCalls => lang.pick("Видеозвонки", "Video calls"),
        }
    }

    /// Corporate kinds are protected by the stop-list: a sale needs the partner's pin in
    /// force (REGULATION §5). ITS follows firm 1C's rules; developer services need no pin.
    pub fn needs_pin(self) -> bool {
        matches!(
            self,
            LicenseKind::Saas
                | LicenseKind::OnpremServer
                | LicenseKind::OnpremUser
                | LicenseKind::VideoCalls
        )
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl Named for LicenseKind {
    fn every() -> &'static [LicenseKind] {
        &LicenseKind::ALL
    }

    fn shown(self, lang: Lang) -> &'static str {
        self.name(lang)
    }
}

/// Every way a license kind is written: the codes, the program's full and short names in
/// both languages, the regulation's table verbatim (its «лицензий» included), and the short
/// forms managers use. `On-premise` alone, `корпоративные тарифы` (the regulation counts
/// on-premise among them) and `доп. функции` could each be more than one kind.
pub static KIND_NAMES: Names<LicenseKind> = Names::new(|| {
    use LicenseKind::*;
    let mut aliases: Vec<(&'static str, Vec<LicenseKind>)> = Vec::new();
    for kind in LicenseKind::ALL {
        for name in [
            kind.code(),
            kind.name(Lang::Ru),
            kind.name(Lang::En),
            kind.short_name(Lang::Ru),
            kind.short_name(Lang::En),
        ] {
            aliases.push((name, vec![kind]));
        }
    }
    let forms: [(LicenseKind, &[&'static str]); 6] = [
        (
            Its,
            &[
                "Лицензии в составе 1С:КП (ИТС) и дополнительные функции",
                "Лицензии в составе 1С:КП (ИТС)",
                "Лицензии 1С:КП (ИТС)",
                "Лицензии ИТС",
                "Лицензия ИТС",
                "ИТС",
                "1С:ИТС",
                "1С:КП",
                "КП",
                "1С:КП ИТС",
                "ITS",
                "1C:KP",
            ],
        ),
        (
            Saas,
            &[
                "Корпоративные тарифы SaaS и дополнительные функции",
                "Корпоративный тариф SaaS",
                "Тарифы SaaS",
                "Тариф SaaS",
                "SaaS",
                "Corporate SaaS tariff",
            ],
        ),
        (
            OnpremServer,
            &[
                "Серверные лицензий On-premise",
                "Серверная лицензия On-premise",
                "Серверные лицензии",
                "Серверная лицензия",
                "Серверные",
                "On-premise серверная",
                "On-premise сервер",
                "On-premise server",
                "On-premise server license",
                "Onprem server",
                "Server licenses",
            ],
        ),
        (
            OnpremUser,
            &[
                "Пользовательская лицензия On-premise",
                "Пользовательские лицензии",
                "Пользовательская лицензия",
                "Пользовательские",
                "On-premise пользовательская",
                "On-premise пользователь",
                "On-premise user",
                "On-premise user license",
                "Onprem user",
                "User licenses",
            ],
        ),
        (
            DevServices,
            &[
                "Дополнительные услуги разработчика",
                "Услуги разработчика",
                "Доп. услуги",
                "Developer services",
                "Dev services",
            ],
        ),
        (
            VideoCalls,
            &[
                "1С-Коннект Видеозвонки",
                "Видеозвонки",
                "Видеозвонок",
                "Video calls",
                "Video call",
                "1C-Connect Video calls",
            ],
        ),
    ];
    for (kind, names) in forms {
        aliases.extend(names.iter().map(|name| (*name, vec![kind])));
    }
    for name in [
        "On-premise",
        "Onprem",
        "Лицензии On-premise",
        "On-premise licenses",
    ] {
        aliases.push((name, vec![OnpremServer, OnpremUser]));
    }
    aliases.push((
        "Корпоративные тарифы",
        vec![Saas, OnpremServer, OnpremUser, VideoCalls],
    ));
    for name in ["Доп. функции", "Дополнительные функции"] {
        aliases.push((name, vec![Its, Saas]));
    }
    aliases
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corporate_kinds_need_a_pin_and_its_and_dev_services_do_not() {
        let needing: Vec<_> = LicenseKind::ALL
            .into_iter()
            .filter(|k| k.needs_pin())
            .collect();
        assert_eq!(
            needing,
            [
                LicenseKind::Saas,
                LicenseKind::OnpremServer,
                LicenseKind::OnpremUser,
                LicenseKind::VideoCalls
            ]
        );
    }

    #[test]
    fn kinds_are_read_by_code_or_russian_name() {
        for kind in LicenseKind::ALL {
            assert_eq!(LicenseKind::parse(kind.code()), Some(kind));
            assert_eq!(
                LicenseKind::parse(&kind.name(Lang::Ru).to_uppercase()),
                Some(kind)
            );
        }
        assert_eq!(LicenseKind::parse(" SaaS "), Some(LicenseKind::Saas));
        assert_eq!(LicenseKind::parse("cloud"), None);
    }

    /// The kind lines of the regulation's table (`Виды лицензий` up to its footnote), as
    /// the seed file has them, and the footnote's quoted exception.
    fn regulation_kind_lines() -> Vec<String> {
        let seed = include_str!("../../tests/fixtures/partner-regulation.ru.txt");
        let lines: Vec<&str> = seed.lines().map(str::trim).collect();
        let start = lines.iter().position(|l| *l == "Виды лицензий").unwrap();
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.starts_with("* -"))
                .unwrap();
        let mut kinds: Vec<String> = lines[start + 1..end]
            .iter()
            .filter(|l| !l.is_empty() && **l != "-" && !l.ends_with('%'))
            .filter(|l| crate::domain::Status::parse(l).is_none())
            .map(|l| l.to_string())
            .collect();
        let footnote = lines[end];
        let quoted = footnote
            .split_once('“')
            .unwrap()
            .1
            .split_once('”')
            .unwrap()
            .0;
        kinds.push(quoted.to_owned());
        kinds
    }

    #[test]
    fn every_kind_line_of_the_regulation_is_read_verbatim() {
        let lines = regulation_kind_lines();
        assert_eq!(lines[4], "Доп. услуги разработчика");
        assert_eq!(
            lines[2], "Серверные лицензий On-premise",
            "its spelling kept"
        );
        let read: Vec<_> = lines.iter().map(|l| LicenseKind::read(l)).collect();
        assert_eq!(read, LicenseKind::ALL.map(Ok), "{lines:?}");
    }

    #[test]
    fn the_programs_own_names_and_managers_short_forms_are_read() {
        for kind in LicenseKind::ALL {
            for lang in [Lang::Ru, Lang::En] {
                assert_eq!(LicenseKind::read(kind.name(lang)), Ok(kind));
                assert_eq!(LicenseKind::read(kind.short_name(lang)), Ok(kind));
            }
        }
        use LicenseKind::*;
        for (text, kind) in [
            ("ИТС", Its),
            ("1С:КП", Its),
            ("КП", Its),
            ("1C:KP", Its),
            ("1C:КП (ИТС)", Its),
            ("SaaS", Saas),
            ("«Корпоративные тарифы SaaS»", Saas),
            ("корпоративные  тарифы\u{a0}saas и доп. функции.", Saas),
            ("on-premise server", OnpremServer),
            ("Серверные лицензии", OnpremServer),
            ("On-premise user", OnpremUser),
            ("пользовательские", OnpremUser),
            ("видеозвонки", VideoCalls),
            ("1С-Коннект: Видеозвонки", VideoCalls),
            ("услуги разработчика", DevServices),
            ("Доп. услуги разработчика*", DevServices),
            ("dev_services", DevServices),
            ("ДОП. УСЛУГИ РАЗРАБОТЧИКА", DevServices),
        ] {
            assert_eq!(LicenseKind::read(text), Ok(kind), "{text}");
        }
    }

    #[test]
    fn a_short_form_that_could_be_two_kinds_is_an_error_that_names_both() {
        use LicenseKind::*;
        assert_eq!(
            LicenseKind::read("On-premise"),
            Err(NameError::Ambiguous(vec![OnpremServer, OnpremUser]))
        );
        assert!(matches!(
            LicenseKind::read("корпоративные тарифы"),
            Err(NameError::Ambiguous(_))
        ));
        let said = LicenseKind::read("On-premise").unwrap_err().text(
            "On-premise",
            ("вид лицензии", "license kind"),
            Lang::Ru,
        );
        assert!(said.contains("Серверные лицензии On-premise"), "{said}");
        assert!(
            said.contains("Пользовательские лицензии On-premise"),
            "{said}"
        );
    }

    #[test]
    fn an_unknown_kind_is_told_with_the_closest_name_and_every_accepted_one() {
        let text = "Корпоративные тарифы SaaS и доп. функц";
        let error = LicenseKind::read(text).unwrap_err();
        assert_eq!(
            error,
            NameError::Unknown {
                closest: Some(LicenseKind::Saas)
            }
        );
        let said = error.text(text, ("вид лицензии", "license kind"), Lang::Ru);
        assert!(
            said.contains("Может быть, «Корпоративные тарифы SaaS и доп. функции»?"),
            "{said}"
        );
        for kind in LicenseKind::ALL {
            assert!(said.contains(kind.name(Lang::Ru)), "{said}");
        }
        let said = LicenseKind::read("cloud").unwrap_err().text(
            "cloud",
            ("вид лицензии", "license kind"),
            Lang::En,
        );
        assert!(
            said.starts_with("unknown license kind \"cloud\". Use: "),
            "{said}"
        );
        assert!(said.contains("\"Video calls\"") || said.contains("1C-Connect: Video calls"));
    }

    #[test]
    fn no_two_kinds_share_a_name_unless_it_is_declared_ambiguous() {
        let mut seen: std::collections::HashMap<String, Vec<LicenseKind>> = Default::default();
        for (alias, kinds) in KIND_NAMES.aliases() {
            assert!(!alias.is_empty());
            assert!(seen.insert(alias.to_owned(), kinds.to_vec()).is_none());
        }
        // Each name as the program lists it, folded, means exactly its own kind.
        for kind in LicenseKind::ALL {
            let key = crate::domain::names::fold(kind.name(Lang::Ru));
            assert_eq!(seen[&key], [kind]);
        }
    }
}
