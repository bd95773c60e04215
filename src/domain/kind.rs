//! License kinds (REGULATION §2) and which of them the stop-list protects (§5).

use super::lang::Lang;

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

    /// Reads a code (`saas`) or the Russian name of REGULATION §2, in any case.
    pub fn parse(text: &str) -> Option<LicenseKind> {
        let text = super::trim(text);
        if let Some(kind) = LicenseKind::ALL.into_iter().find(|k| k.code() == text) {
            return Some(kind);
        }
        let text = text.to_lowercase();
        LicenseKind::ALL.into_iter().find(|k| {
            k.code() == text
                || k.name(Lang::Ru).to_lowercase() == text
                || k.name(Lang::En).to_lowercase() == text
        })
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
}
