//! The premium of one sale and of a return (REGULATION §4 and §4.1).

use super::kind::LicenseKind;
use super::lang::Lang;
use super::money::{Money, RatePct};
use super::rates::{RateCell, RateTable};
use super::status::Status;

/// The partner's role in a deal, as the manager records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleFacts {
    /// The client came to 1С-Коннект on its own.
    pub self_referred: bool,
    /// The partner had connected the client to 1С-Коннект before.
    pub connected_by_partner: bool,
    /// The service is used in the client's work with the partner.
    pub used_in_work: bool,
}

impl Default for RoleFacts {
    /// The usual deal: the partner brought the client and works with it.
    fn default() -> RoleFacts {
        RoleFacts {
            self_referred: false,
            connected_by_partner: true,
            used_in_work: true,
        }
    }
}

/// Why a premium is zero. Every zero premium carries one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZeroReason {
    SelfReferred,
    NotConnectedByPartner,
    NotUsedInWork,
    ItsRequiresIntegrator,
    NoStatus,
    NoRate,
}

impl ZeroReason {
    pub const ALL: [ZeroReason; 6] = [
        ZeroReason::SelfReferred,
        ZeroReason::NotConnectedByPartner,
        ZeroReason::NotUsedInWork,
        ZeroReason::ItsRequiresIntegrator,
        ZeroReason::NoStatus,
        ZeroReason::NoRate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ZeroReason::SelfReferred => "self_referred",
            ZeroReason::NotConnectedByPartner => "not_connected_by_partner",
            ZeroReason::NotUsedInWork => "not_used_in_work",
            ZeroReason::ItsRequiresIntegrator => "its_requires_integrator",
            ZeroReason::NoStatus => "no_status",
            ZeroReason::NoRate => "no_rate",
        }
    }

    pub fn parse(code: &str) -> Option<ZeroReason> {
        ZeroReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The reason in words, for people.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            ZeroReason::SelfReferred => lang.pick(
                "клиент пришёл в 1С-Коннект самостоятельно — роли партнёра нет",
                "the client came to 1С-Коннект on its own: no partner role",
            ),
            ZeroReason::NotConnectedByPartner => lang.pick(
                "клиент не был подключён партнёром — роли партнёра нет",
                "the partner had not connected the client: no partner role",
            ),
            ZeroReason::NotUsedInWork => lang.pick(
                "сервис не используется в работе с партнёром — роли партнёра нет",
                "the service is not used in work with the partner: no partner role",
            ),
            ZeroReason::ItsRequiresIntegrator => lang.pick(
                "ИТС премируется только на условиях Интегратора или партнёру 1С",
                "ITS pays a premium only on Integrator terms or to a 1C partner",
            ),
            ZeroReason::NoStatus => lang.pick(
                "у партнёра нет статуса на дату продажи",
                "the partner had no status on the sale date",
            ),
            ZeroReason::NoRate => {
                lang.pick("ставка премии не задана", "the premium rate is not set")
            }
        }
    }
}

/// Everything the premium of one sale depends on, as of its date.
#[derive(Clone, Copy, Debug)]
pub struct PremiumInput<'a> {
    pub kind: LicenseKind,
    pub amount: Money,
    pub one_c_partner: bool,
    /// The partner's status in force on the sale date.
    pub status: Option<Status>,
    pub role: RoleFacts,
    /// The rate table in force on the sale date.
    pub rates: &'a RateTable,
}

/// The premium of one sale and how it was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Premium {
    /// The status whose rates were applied: Integrator for ITS of a 1C partner.
    pub terms: Option<Status>,
    /// True when Integrator terms came from the 1C-partner flag (rule 4.2).
    pub one_c_terms: bool,
    /// The rate applied; `None` when a reason zeroes the premium.
    pub rate: Option<RatePct>,
    pub premium: Money,
    pub reason: Option<ZeroReason>,
}

impl Premium {
    fn zero(terms: Option<Status>, reason: ZeroReason) -> Premium {
        Premium {
            terms,
            one_c_terms: false,
            rate: None,
            premium: Money::ZERO,
            reason: Some(reason),
        }
    }
}

/// The terms a stored premium was figured on, from its stored status and 1C flag:
/// Integrator for ITS of a 1C partner, else the status.
pub fn terms_of(status: Option<Status>, one_c_terms: bool) -> Option<Status> {
    if one_c_terms {
        Some(Status::Integrator)
    } else {
        status
    }
}

/// The terms a premium was figured on, in words: `Дилер`, `Интегратор (1С)` (ITS of a 1C
/// partner),
/// `нет статуса`.
pub fn terms_name(terms: Option<Status>, one_c_terms: bool, lang: Lang) -> String {
    match (terms, one_c_terms) {
        (Some(status), true) => {
            format!("{} ({})", status.name(lang), lang.pick("1С", "1C"))
        }
        (terms, _) => super::status::status_name(terms, lang).to_owned(),
    }
}

/// Applies REGULATION §4: the first rule that applies decides.
pub fn premium_of(input: &PremiumInput<'_>) -> Premium {
    let role = input.role;
    let no_role = if role.self_referred {
        Some(ZeroReason::SelfReferred)
    } else if !role.connected_by_partner {
        Some(ZeroReason::NotConnectedByPartner)
    } else if !role.used_in_work {
        Some(ZeroReason::NotUsedInWork)
    } else {
        None
    };
    if let Some(reason) = no_role {
        return Premium::zero(input.status, reason);
    }

    let (terms, one_c_terms) = if input.kind == LicenseKind::Its {
        if input.status == Some(Status::Integrator) {
            (Status::Integrator, false)
        } else if input.one_c_partner {
            (Status::Integrator, true)
        } else {
            return Premium::zero(input.status, ZeroReason::ItsRequiresIntegrator);
        }
    } else {
        match input.status {
            Some(status) => (status, false),
            None => return Premium::zero(None, ZeroReason::NoStatus),
        }
    };

    match input.rates.cell(input.kind, terms) {
        RateCell::Pct(rate) => Premium {
            terms: Some(terms),
            one_c_terms,
            rate: Some(rate),
            premium: rate.of(input.amount),
            reason: None,
        },
        RateCell::NotSet => Premium::zero(Some(terms), ZeroReason::NoRate),
        RateCell::NoPremium => Premium::zero(Some(terms), ZeroReason::ItsRequiresIntegrator),
    }
}

/// The live line that explains a premium in words:
/// `Дилер · Корпоративные тарифы SaaS · 25 % × 120 000,00 ₽ = 30 000,00 ₽`.
pub fn explain(premium: &Premium, kind: LicenseKind, amount: Money, lang: Lang) -> String {
    let terms = terms_name(premium.terms, premium.one_c_terms, lang);
    match (premium.rate, premium.reason) {
        (Some(rate), _) => format!(
            "{terms} · {} · {}\u{a0}% × {} = {}",
            kind.short_name(lang),
            rate.display(lang),
            amount.display(lang),
            premium.premium.display(lang)
        ),
        (None, reason) => format!(
            "{terms} · {} · {} = {}: {}",
            kind.short_name(lang),
            amount.display(lang),
            Money::ZERO.display(lang),
            reason.map(|r| r.text(lang)).unwrap_or_default()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn rub(r: i64) -> Money {
        Money::from_decimal(Decimal::from(r))
    }

    fn input(kind: LicenseKind, status: Option<Status>, table: &RateTable) -> PremiumInput<'_> {
        PremiumInput {
            kind,
            amount: rub(100_000),
            one_c_partner: false,
            status,
            role: RoleFacts::default(),
            rates: table,
        }
    }

    #[test]
    fn every_kind_and_status_gets_the_rate_of_the_default_table() {
        use LicenseKind::*;
        use Status::*;
        let table = RateTable::regulation_default();
        // (kind, status, premium of 100 000 ₽, reason)
        let expected: [(LicenseKind, Status, i64, Option<ZeroReason>); 18] = [
            (Its, Agent, 0, Some(ZeroReason::ItsRequiresIntegrator)),
            (Its, Dealer, 0, Some(ZeroReason::ItsRequiresIntegrator)),
            (Its, Integrator, 50_000, None),
            (Saas, Agent, 10_000, None),
            (Saas, Dealer, 25_000, None),
            (Saas, Integrator, 50_000, None),
            (OnpremServer, Agent, 10_000, None),
            (OnpremServer, Dealer, 20_000, None),
            (OnpremServer, Integrator, 30_000, None),
            (OnpremUser, Agent, 10_000, None),
            (OnpremUser, Dealer, 25_000, None),
            (OnpremUser, Integrator, 50_000, None),
            (DevServices, Agent, 10_000, None),
            (DevServices, Dealer, 10_000, None),
            (DevServices, Integrator, 10_000, None),
            (VideoCalls, Agent, 0, Some(ZeroReason::NoRate)),
            (VideoCalls, Dealer, 0, Some(ZeroReason::NoRate)),
            (VideoCalls, Integrator, 0, Some(ZeroReason::NoRate)),
        ];
        for (kind, status, premium, reason) in expected {
            let p = premium_of(&input(kind, Some(status), &table));
            assert_eq!(
                (p.premium, p.reason),
                (rub(premium), reason),
                "{kind:?} × {status:?}"
            );
            assert_eq!(p.rate.is_some(), reason.is_none());
        }
    }

    #[test]
    fn its_sale_by_1c_partner_gets_integrator_rate_whatever_its_status() {
        let table = RateTable::regulation_default();
        for status in [None, Some(Status::Agent), Some(Status::Dealer)] {
            let p = premium_of(&PremiumInput {
                one_c_partner: true,
                ..input(LicenseKind::Its, status, &table)
            });
            assert_eq!(p.premium, rub(50_000));
            assert_eq!(p.rate, Some(RatePct::whole(50)));
            assert_eq!((p.terms, p.one_c_terms), (Some(Status::Integrator), true));
        }
    }

    #[test]
    fn its_sale_by_neither_1c_partner_nor_integrator_gets_zero() {
        let table = RateTable::regulation_default();
        for status in [None, Some(Status::Agent), Some(Status::Dealer)] {
            let p = premium_of(&input(LicenseKind::Its, status, &table));
            assert_eq!(p.reason, Some(ZeroReason::ItsRequiresIntegrator));
            assert_eq!(p.premium, Money::ZERO);
        }
    }

    #[test]
    fn one_c_flag_does_not_lift_other_kinds_to_integrator_terms() {
        let table = RateTable::regulation_default();
        let p = premium_of(&PremiumInput {
            one_c_partner: true,
            ..input(LicenseKind::Saas, Some(Status::Agent), &table)
        });
        assert_eq!(p.premium, rub(10_000));
    }

    #[test]
    fn sale_without_status_on_its_date_gets_zero_no_status() {
        let table = RateTable::regulation_default();
        for kind in LicenseKind::ALL
            .into_iter()
            .filter(|k| *k != LicenseKind::Its)
        {
            let p = premium_of(&input(kind, None, &table));
            assert_eq!(p.reason, Some(ZeroReason::NoStatus), "{kind:?}");
        }
    }

    #[test]
    fn any_missing_partner_role_zeroes_the_premium_with_the_first_reason_in_order() {
        let table = RateTable::regulation_default();
        let cases = [
            ((true, true, true), Some(ZeroReason::SelfReferred)),
            (
                (false, false, true),
                Some(ZeroReason::NotConnectedByPartner),
            ),
            ((false, true, false), Some(ZeroReason::NotUsedInWork)),
            ((true, false, false), Some(ZeroReason::SelfReferred)),
            (
                (false, false, false),
                Some(ZeroReason::NotConnectedByPartner),
            ),
            ((false, true, true), None),
        ];
        for ((self_referred, connected_by_partner, used_in_work), reason) in cases {
            let p = premium_of(&PremiumInput {
                role: RoleFacts {
                    self_referred,
                    connected_by_partner,
                    used_in_work,
                },
                ..input(LicenseKind::Saas, Some(Status::Integrator), &table)
            });
            assert_eq!(p.reason, reason);
        }
    }

    #[test]
    fn partner_role_is_checked_before_status_and_its_terms() {
        let table = RateTable::regulation_default();
        let no_role = RoleFacts {
            used_in_work: false,
            ..RoleFacts::default()
        };
        let p = premium_of(&PremiumInput {
            role: no_role,
            ..input(LicenseKind::Its, None, &table)
        });
        assert_eq!(p.reason, Some(ZeroReason::NotUsedInWork));
        let p = premium_of(&PremiumInput {
            role: no_role,
            ..input(LicenseKind::Saas, None, &table)
        });
        assert_eq!(p.reason, Some(ZeroReason::NotUsedInWork));
        // ITS terms come before the status rule: no status, not 1C → its_requires_integrator.
        let p = premium_of(&input(LicenseKind::Its, None, &table));
        assert_eq!(p.reason, Some(ZeroReason::ItsRequiresIntegrator));
        // Status comes before the rate: video calls without status → no_status.
        let p = premium_of(&input(LicenseKind::VideoCalls, None, &table));
        assert_eq!(p.reason, Some(ZeroReason::NoStatus));
    }

    #[test]
    fn rate_entered_by_a_manager_for_video_calls_applies() {
        let mut table = RateTable::regulation_default();
        table.set(
            LicenseKind::VideoCalls,
            Status::Dealer,
            Some(RatePct::parse("12,5").unwrap()),
        );
        let p = premium_of(&input(
            LicenseKind::VideoCalls,
            Some(Status::Dealer),
            &table,
        ));
        assert_eq!(p.premium, Money::from_kopecks(1_250_000));
    }

    #[test]
    fn the_premium_is_explained_in_words() {
        let table = RateTable::regulation_default();
        let i = PremiumInput {
            amount: rub(120_000),
            ..input(LicenseKind::Saas, Some(Status::Dealer), &table)
        };
        let text = explain(&premium_of(&i), i.kind, i.amount, Lang::Ru);
        assert_eq!(
            text,
            "Дилер · Корпоративные тарифы SaaS · 25\u{a0}% × 120\u{a0}000,00\u{a0}₽ = 30\u{a0}000,00\u{a0}₽"
        );
        let i = input(LicenseKind::VideoCalls, Some(Status::Dealer), &table);
        let text = explain(&premium_of(&i), i.kind, i.amount, Lang::Ru);
        assert!(text.ends_with("ставка премии не задана"), "{text}");
    }
}
