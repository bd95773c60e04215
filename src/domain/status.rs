//! Partner statuses, their dated history, and the evidence that backs them (REGULATION §1).

use chrono::NaiveDate;

use super::lang::Lang;
use super::names::{NameError, Named, Names};

/// A partner's status. The order is the ladder: Agent < Dealer < Integrator.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Agent,
    Dealer,
    Integrator,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Agent, Status::Dealer, Status::Integrator];

    pub fn code(self) -> &'static str {
        match self {
            Status::Agent => "agent",
            Status::Dealer => "dealer",
            Status::Integrator => "integrator",
        }
    }

    /// Reads a status as people write it ([`STATUS_NAMES`]).
    pub fn read(text: &str) -> Result<Status, NameError<Status>> {
        let text = super::trim(text);
        let exact = Status::ALL.into_iter().find(|s| s.code() == text);
        exact.map_or_else(|| STATUS_NAMES.parse(text), Ok)
    }

    /// [`Status::read`], without saying why not.
    pub fn parse(text: &str) -> Option<Status> {
        Status::read(text).ok()
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Status::Agent => lang.pick("Агент", "Agent"),
            Status::Dealer => lang.pick("Дилер", "Dealer"),
            Status::Integrator => lang.pick("Интегратор", "Integrator"),
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl Named for Status {
    fn every() -> &'static [Status] {
        &Status::ALL
    }

    fn shown(self, lang: Lang) -> &'static str {
        self.name(lang)
    }
}

/// Every way a status is written: codes and names in both languages, and the status as
/// an adjective («статус дилера», «дилерский»).
pub static STATUS_NAMES: Names<Status> = Names::new(|| {
    let mut aliases: Vec<(&'static str, Vec<Status>)> = Vec::new();
    for status in Status::ALL {
        for name in [status.code(), status.name(Lang::Ru), status.name(Lang::En)] {
            aliases.push((name, vec![status]));
        }
    }
    let forms: [(Status, &[&'static str]); 3] = [
        (
            Status::Agent,
            &["Статус агента", "Агентский", "Партнёр-агент"],
        ),
        (
            Status::Dealer,
            &["Статус дилера", "Дилерский", "Партнёр-дилер"],
        ),
        (
            Status::Integrator,
            &["Статус интегратора", "Интеграторский", "Партнёр-интегратор"],
        ),
    ];
    for (status, names) in forms {
        aliases.extend(names.iter().map(|name| (*name, vec![status])));
    }
    aliases
});

/// The name of an optional status: `Дилер`, or `нет статуса` for none.
pub fn status_name(status: Option<Status>, lang: Lang) -> &'static str {
    match status {
        Some(s) => s.name(lang),
        None => lang.pick("нет статуса", "no status"),
    }
}

/// One change of status, effective from a date. `None` withdraws the status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub effective_from: NaiveDate,
    pub status: Option<Status>,
}

/// A partner's status changes in the order they were entered. Never rewritten: a
/// correction is a new change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusHistory {
    changes: Vec<StatusChange>,
}

impl StatusHistory {
    /// A history from changes in entry order.
    pub fn new(changes: Vec<StatusChange>) -> StatusHistory {
        StatusHistory { changes }
    }

    pub fn push(&mut self, change: StatusChange) {
        self.changes.push(change);
    }

    pub fn changes(&self) -> &[StatusChange] {
        &self.changes
    }

    /// The status in force on `date`: the latest change effective on or before it (of two
    /// changes on the same date, the one entered later). None before the first change.
    pub fn in_force_on(&self, date: NaiveDate) -> Option<Status> {
        self.changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.effective_from <= date)
            .max_by_key(|(i, c)| (c.effective_from, *i))
            .and_then(|(_, c)| c.status)
    }

    /// True when a change with this date and status was already entered.
    pub fn contains(&self, effective_from: NaiveDate, status: Option<Status>) -> bool {
        self.changes
            .iter()
            .any(|c| c.effective_from == effective_from && c.status == status)
    }
}

/// A specialist certified at level «Клиент-менеджер».
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertifiedSpecialist {
    pub name: String,
    pub certified_on: NaiveDate,
}

/// What the manager has recorded as the requirements of REGULATION §1 being met.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Integrator (a): the page on the partner's site about 1С-Коннект functions.
    pub site_page_url: String,
    /// Integrator (a): when that page was last checked to be current and complete.
    pub site_checked_on: Option<NaiveDate>,
    /// Integrator (b): certified «Клиент-менеджер» specialists.
    pub specialists: Vec<CertifiedSpecialist>,
    /// Integrator (c): the partner initiates negotiations and organises meetings.
    pub initiates_meetings: bool,
    /// Dealer: the partner offers clients a tariff upgrade or a presentation.
    pub offers_upgrades: bool,
    /// Agent: clients use 1С-Коннект in their work with the partner.
    pub clients_use_service: bool,
}

/// A requirement of a status that the recorded evidence does not show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceGap {
    SitePage,
    CertifiedSpecialist,
    MeetingsInitiative,
    UpgradeOffers,
    ClientUsage,
}

impl EvidenceGap {
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            EvidenceGap::SitePage => lang.pick(
                "нет проверенной страницы сайта с информацией о функциях 1С-Коннект",
                "no checked site page describing 1С-Коннект functions",
            ),
            EvidenceGap::CertifiedSpecialist => lang.pick(
                "нет специалиста, сертифицированного на уровень «Клиент-менеджер»",
                "no specialist certified at level «Клиент-менеджер»",
            ),
            EvidenceGap::MeetingsInitiative => lang.pick(
                "партнёр не инициирует переговоры и встречи с менеджерами 1С-Коннект",
                "the partner does not initiate negotiations and meetings with 1С-Коннект managers",
            ),
            EvidenceGap::UpgradeOffers => lang.pick(
                "партнёр не предлагает клиентам повышение тарифа или презентацию",
                "the partner does not offer clients a tariff upgrade or a presentation",
            ),
            EvidenceGap::ClientUsage => lang.pick(
                "клиенты не используют 1С-Коннект в работе с партнёром",
                "clients do not use 1С-Коннект in their work with the partner",
            ),
        }
    }
}

impl Evidence {
    /// The requirements of `status` that this evidence does not back. Empty when the
    /// status is backed (or there is no status). The program only warns; it never
    /// changes a status by itself.
    pub fn gaps(&self, status: Option<Status>) -> Vec<EvidenceGap> {
        let mut gaps = Vec::new();
        match status {
            None => {}
            Some(Status::Agent) => {
                gaps.extend((!self.clients_use_service).then_some(EvidenceGap::ClientUsage))
            }
            Some(Status::Dealer) => {
                gaps.extend((!self.offers_upgrades).then_some(EvidenceGap::UpgradeOffers))
            }
            Some(Status::Integrator) => {
                let site_checked =
                    !self.site_page_url.trim().is_empty() && self.site_checked_on.is_some();
                gaps.extend((!site_checked).then_some(EvidenceGap::SitePage));
                gaps.extend(
                    self.specialists
                        .is_empty()
                        .then_some(EvidenceGap::CertifiedSpecialist),
                );
                gaps.extend((!self.initiates_meetings).then_some(EvidenceGap::MeetingsInitiative));
            }
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn change(date: &str, status: Option<Status>) -> StatusChange {
        StatusChange {
            effective_from: d(date),
            status,
        }
    }

    #[test]
    fn status_in_force_is_the_latest_change_effective_on_or_before_the_date() {
        let history = StatusHistory::new(vec![
            change("2025-03-01", Some(Status::Dealer)),
            change("2025-01-01", Some(Status::Agent)),
            change("2025-06-01", Some(Status::Integrator)),
        ]);
        assert_eq!(history.in_force_on(d("2024-12-31")), None);
        assert_eq!(history.in_force_on(d("2025-01-01")), Some(Status::Agent));
        assert_eq!(history.in_force_on(d("2025-02-28")), Some(Status::Agent));
        assert_eq!(history.in_force_on(d("2025-03-01")), Some(Status::Dealer));
        assert_eq!(history.in_force_on(d("2025-05-31")), Some(Status::Dealer));
        assert_eq!(
            history.in_force_on(d("2025-06-01")),
            Some(Status::Integrator)
        );
    }

    #[test]
    fn partner_has_no_status_before_its_first_change() {
        let history = StatusHistory::new(vec![change("2025-01-10", Some(Status::Dealer))]);
        assert_eq!(history.in_force_on(d("2025-01-09")), None);
        assert_eq!(StatusHistory::default().in_force_on(d("2025-01-09")), None);
    }

    #[test]
    fn of_two_changes_on_one_date_the_later_entered_is_in_force() {
        let history = StatusHistory::new(vec![
            change("2025-01-10", Some(Status::Dealer)),
            change("2025-01-10", Some(Status::Agent)),
        ]);
        assert_eq!(history.in_force_on(d("2025-01-10")), Some(Status::Agent));
    }

    #[test]
    fn status_may_be_withdrawn_from_a_date() {
        let history = StatusHistory::new(vec![
            change("2025-01-01", Some(Status::Dealer)),
            change("2025-04-01", None),
        ]);
        assert_eq!(history.in_force_on(d("2025-03-31")), Some(Status::Dealer));
        assert_eq!(history.in_force_on(d("2025-04-01")), None);
    }

    #[test]
    fn statuses_are_read_in_english_or_russian() {
        assert_eq!(Status::parse("Dealer"), Some(Status::Dealer));
        assert_eq!(Status::parse("ИНТЕГРАТОР"), Some(Status::Integrator));
        assert_eq!(Status::parse("агент"), Some(Status::Agent));
        assert_eq!(Status::parse("partner"), None);
        assert!(Status::Agent < Status::Dealer && Status::Dealer < Status::Integrator);
    }

    #[test]
    fn integrator_without_evidence_is_warned_about_each_missing_requirement() {
        let mut evidence = Evidence::default();
        assert_eq!(
            evidence.gaps(Some(Status::Integrator)),
            [
                EvidenceGap::SitePage,
                EvidenceGap::CertifiedSpecialist,
                EvidenceGap::MeetingsInitiative
            ]
        );
        evidence.site_page_url = "https://partner.example/1c-connect".into();
        evidence.site_checked_on = Some(d("2025-05-01"));
        evidence.specialists.push(CertifiedSpecialist {
            name: "Иванова Анна".into(),
            certified_on: d("2025-02-01"),
        });
        evidence.initiates_meetings = true;
        assert!(evidence.gaps(Some(Status::Integrator)).is_empty());
    }

    #[test]
    fn dealer_and_agent_evidence_are_their_own_requirements() {
        let evidence = Evidence::default();
        assert_eq!(
            evidence.gaps(Some(Status::Dealer)),
            [EvidenceGap::UpgradeOffers]
        );
        assert_eq!(
            evidence.gaps(Some(Status::Agent)),
            [EvidenceGap::ClientUsage]
        );
        assert!(evidence.gaps(None).is_empty());
        let backed = Evidence {
            offers_upgrades: true,
            clients_use_service: true,
            ..Evidence::default()
        };
        assert!(backed.gaps(Some(Status::Dealer)).is_empty());
        assert!(backed.gaps(Some(Status::Agent)).is_empty());
    }
}
