//! The stop-list: pins of clients to partners, their terms, conflicts, extension,
//! release, and the shipment rule (REGULATION §5).

use chrono::{Months, NaiveDate};

use super::inn::Inn;
use super::kind::LicenseKind;
use super::lang::Lang;
use super::{PartnerId, PinId};

/// A pin lasts this many calendar months, and an extension adds as many.
pub const PIN_TERM_MONTHS: u32 = 3;

/// `date` plus calendar months, clamped to the month's end (2025-11-30 + 3 = 2026-02-28).
/// None only past the calendar's end.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// A pin of a client to a partner. In force on every date D with
/// `pinned_on ≤ D < ends_on`; a release moves `ends_on` to the release date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    pub id: PinId,
    pub partner: PartnerId,
    pub pinned_on: NaiveDate,
    /// The first day the pin is no longer in force.
    pub ends_on: NaiveDate,
    pub released_on: Option<NaiveDate>,
}

/// Where a pin stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinState {
    NotYet,
    InForce,
    Ended,
    Released,
}

/// The last day in force of a term whose first day out of force is `ends_on`: one
/// definition of "по …" for the stop-list, the conflict sentence, the card and the history.
pub fn last_day_of(ends_on: NaiveDate) -> NaiveDate {
    ends_on.pred_opt().unwrap_or(ends_on)
}

impl Pin {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.pinned_on <= date && date < self.ends_on
    }

    /// The last day in force, as the UI shows it.
    pub fn last_day(&self) -> NaiveDate {
        last_day_of(self.ends_on)
    }

    /// True when the pin is in force on some day of `[from, until)`.
    pub fn overlaps(&self, from: NaiveDate, until: NaiveDate) -> bool {
        self.pinned_on < until && from < self.ends_on
    }

    pub fn state_on(&self, today: NaiveDate) -> PinState {
        if self.in_force_on(today) {
            PinState::InForce
        } else if today < self.pinned_on {
            PinState::NotYet
        } else if self.released_on.is_some() {
            PinState::Released
        } else {
            PinState::Ended
        }
    }

    /// Whole days from `today` to the last day in force, inclusive of neither: 0 on the
    /// last day. Negative once ended.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.last_day() - today).num_days()
    }
}

/// Why a stop-list action cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("the client is pinned to another partner until {last_day}")]
    Conflict {
        holder: PartnerId,
        last_day: NaiveDate,
    },
    #[error("the pin is not in force on {date}")]
    NotInForce { date: NaiveDate },
    #[error("the date is out of the calendar's range")]
    DateOutOfRange,
}

/// What a pin request on a date becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinDecision {
    /// A new pin `[date, ends_on)`.
    New { ends_on: NaiveDate },
    /// The partner already holds the client: the request extends that pin.
    Extension { pin_id: PinId, ends_on: NaiveDate },
    /// Another partner holds the client; the request is refused (and recorded).
    Refused {
        holder: PartnerId,
        last_day: NaiveDate,
    },
}

/// Decides a request to pin a client to `partner` on `date`, given every pin of that
/// client. Refused when another partner's pin is in force on a day of the term asked for
/// (on the request date itself, or later in a back-dated request); an extension when
/// `partner` already holds the pin on that date.
pub fn decide_pin_request(
    pins: &[Pin],
    partner: PartnerId,
    date: NaiveDate,
) -> Result<PinDecision, PinError> {
    if let Some(own) = pins
        .iter()
        .find(|p| p.partner == partner && p.in_force_on(date))
    {
        return match extension_of(pins, own) {
            Ok(ends_on) => Ok(PinDecision::Extension {
                pin_id: own.id,
                ends_on,
            }),
            Err(PinError::Conflict { holder, last_day }) => {
                Ok(PinDecision::Refused { holder, last_day })
            }
            Err(e) => Err(e),
        };
    }
    let ends_on = add_months(date, PIN_TERM_MONTHS).ok_or(PinError::DateOutOfRange)?;
    match conflicting(pins, partner, date, ends_on) {
        Some(other) => Ok(PinDecision::Refused {
            holder: other.partner,
            last_day: other.last_day(),
        }),
        None => Ok(PinDecision::New { ends_on }),
    }
}

fn conflicting(
    pins: &[Pin],
    partner: PartnerId,
    from: NaiveDate,
    until: NaiveDate,
) -> Option<&Pin> {
    pins.iter()
        .filter(|p| p.partner != partner && p.overlaps(from, until))
        .min_by_key(|p| p.pinned_on)
}

fn extension_of(pins: &[Pin], pin: &Pin) -> Result<NaiveDate, PinError> {
    let ends_on = add_months(pin.ends_on, PIN_TERM_MONTHS).ok_or(PinError::DateOutOfRange)?;
    match conflicting(pins, pin.partner, pin.ends_on, ends_on) {
        Some(other) => Err(PinError::Conflict {
            holder: other.partner,
            last_day: other.last_day(),
        }),
        None => Ok(ends_on),
    }
}

/// Extends `pin` by agreement on `date`: its end moves 3 calendar months from the current
/// end. The pin must be in force on `date`. Returns the new end.
pub fn extend(pins: &[Pin], pin: &Pin, date: NaiveDate) -> Result<NaiveDate, PinError> {
    if !pin.in_force_on(date) {
        return Err(PinError::NotInForce { date });
    }
    extension_of(pins, pin)
}

/// Releases `pin` early on `date`: from then on it is not in force. The pin must be in
/// force on `date`. Returns the new end (the release date).
pub fn release(pin: &Pin, date: NaiveDate) -> Result<NaiveDate, PinError> {
    if !pin.in_force_on(date) {
        return Err(PinError::NotInForce { date });
    }
    Ok(date)
}

/// Why a sale cannot be recorded under the shipment rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShipmentRefusal {
    #[error("the client has never been pinned to this partner")]
    NeverPinned,
    #[error("the partner's pin of this client ended; its last day was {last_day}")]
    PinEnded { last_day: NaiveDate },
    #[error("the partner's pin of this client starts only on {pinned_on}")]
    PinNotYet { pinned_on: NaiveDate },
    #[error("the client is pinned to another partner until {last_day}")]
    PinnedToOther {
        holder: PartnerId,
        last_day: NaiveDate,
    },
}

impl ShipmentRefusal {
    /// The refusal in words, naming the client, the partner, and the pin that is missing or
    /// ended. `holder` names the other partner when the client is pinned to one.
    pub fn text(&self, client: &Inn, partner: &str, holder: Option<&str>, lang: Lang) -> String {
        let (ru, en) = (
            |d: &NaiveDate| super::show_date(*d, Lang::Ru),
            |d: &NaiveDate| super::show_date(*d, Lang::En),
        );
        let holder = holder.unwrap_or("?");
        match self {
            ShipmentRefusal::NeverPinned => lang.say(
                format!(
                    "клиент {client} не закреплён за {partner} в стоп-листе; сначала закрепите клиента"
                ),
                format!(
                    "client {client} is not pinned to {partner} in the stop-list; pin the client first"
                ),
            ),
            ShipmentRefusal::PinEnded { last_day } => lang.say(
                format!(
                    "закрепление клиента {client} за {partner} закончилось, последний день действия — {}; продлите его или закрепите клиента заново",
                    ru(last_day)
                ),
                format!(
                    "the pin of client {client} to {partner} has ended; its last day was {}; extend it or pin the client again",
                    en(last_day)
                ),
            ),
            ShipmentRefusal::PinNotYet { pinned_on } => lang.say(
                format!(
                    "закрепление клиента {client} за {partner} действует только с {}",
                    ru(pinned_on)
                ),
                format!(
                    "the pin of client {client} to {partner} is in force only from {}",
                    en(pinned_on)
                ),
            ),
            ShipmentRefusal::PinnedToOther { last_day, .. } => lang.say(
                format!(
                    "клиент {client} закреплён за другим партнёром — {holder} — по {}",
                    ru(last_day)
                ),
                format!(
                    "client {client} is pinned to another partner, {holder}, until {}",
                    en(last_day)
                ),
            ),
        }
    }
}

/// The shipment rule: a corporate sale needs `partner`'s pin of the client in force on the
/// sale date. `pins` are every pin of the client.
pub fn check_shipment(
    pins: &[Pin],
    kind: LicenseKind,
    partner: PartnerId,
    date: NaiveDate,
) -> Result<(), ShipmentRefusal> {
    if !kind.needs_pin()
        || pins
            .iter()
            .any(|p| p.partner == partner && p.in_force_on(date))
    {
        return Ok(());
    }
    if let Some(other) = pins.iter().find(|p| p.in_force_on(date)) {
        return Err(ShipmentRefusal::PinnedToOther {
            holder: other.partner,
            last_day: other.last_day(),
        });
    }
    let own = pins.iter().filter(|p| p.partner == partner);
    if let Some(ended) = own
        .clone()
        .filter(|p| p.ends_on <= date)
        .max_by_key(|p| p.ends_on)
    {
        return Err(ShipmentRefusal::PinEnded {
            last_day: ended.last_day(),
        });
    }
    if let Some(later) = own.min_by_key(|p| p.pinned_on) {
        return Err(ShipmentRefusal::PinNotYet {
            pinned_on: later.pinned_on,
        });
    }
    Err(ShipmentRefusal::NeverPinned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const A: PartnerId = PartnerId(1);
    const B: PartnerId = PartnerId(2);

    fn pin(id: i64, partner: PartnerId, on: &str) -> Pin {
        let pinned_on = d(on);
        Pin {
            id: PinId(id),
            partner,
            pinned_on,
            ends_on: add_months(pinned_on, 3).unwrap(),
            released_on: None,
        }
    }

    #[test]
    fn pin_term_is_three_calendar_months_clamped_to_month_end() {
        assert_eq!(add_months(d("2025-11-30"), 3), Some(d("2026-02-28")));
        assert_eq!(add_months(d("2024-11-30"), 3), Some(d("2025-02-28")));
        assert_eq!(add_months(d("2023-11-30"), 3), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2025-01-15"), 3), Some(d("2025-04-15")));
        assert_eq!(add_months(d("2025-03-31"), 3), Some(d("2025-06-30")));
    }

    #[test]
    fn pin_is_in_force_from_its_date_to_the_day_before_three_months_later() {
        let p = pin(1, A, "2025-01-15");
        assert!(!p.in_force_on(d("2025-01-14")));
        assert!(p.in_force_on(d("2025-01-15")));
        assert!(p.in_force_on(d("2025-04-14")));
        assert!(!p.in_force_on(d("2025-04-15")));
        assert_eq!(p.last_day(), d("2025-04-14"));
        assert_eq!(p.state_on(d("2025-04-14")), PinState::InForce);
        assert_eq!(p.state_on(d("2025-04-15")), PinState::Ended);
        assert_eq!(p.days_left(d("2025-04-10")), 4);
    }

    #[test]
    fn pin_request_for_a_free_client_makes_a_new_pin() {
        assert_eq!(
            decide_pin_request(&[], A, d("2024-11-30")),
            Ok(PinDecision::New {
                ends_on: d("2025-02-28")
            })
        );
    }

    #[test]
    fn pin_request_conflicting_with_another_partner_is_refused_naming_it_and_its_end() {
        let pins = [pin(1, A, "2025-01-15")];
        assert_eq!(
            decide_pin_request(&pins, B, d("2025-03-01")),
            Ok(PinDecision::Refused {
                holder: A,
                last_day: d("2025-04-14")
            })
        );
        // A back-dated request whose term would run into A's pin is refused too.
        assert_eq!(
            decide_pin_request(&pins, B, d("2024-12-01")),
            Ok(PinDecision::Refused {
                holder: A,
                last_day: d("2025-04-14")
            })
        );
    }

    #[test]
    fn pin_request_by_the_holder_is_an_extension() {
        let pins = [pin(7, A, "2025-01-15")];
        assert_eq!(
            decide_pin_request(&pins, A, d("2025-03-01")),
            Ok(PinDecision::Extension {
                pin_id: PinId(7),
                ends_on: d("2025-07-15")
            })
        );
    }

    #[test]
    fn extension_moves_the_end_three_months_from_the_current_end() {
        let p = pin(1, A, "2024-11-30"); // ends 2025-02-28
        assert_eq!(
            extend(std::slice::from_ref(&p), &p, d("2025-02-27")),
            Ok(d("2025-05-28"))
        );
        assert_eq!(
            extend(std::slice::from_ref(&p), &p, d("2025-02-28")),
            Err(PinError::NotInForce {
                date: d("2025-02-28")
            })
        );
    }

    #[test]
    fn extension_that_would_overlap_a_later_pin_of_another_partner_is_refused() {
        let a = pin(1, A, "2025-01-01"); // ends 2025-04-01
        let b = pin(2, B, "2025-04-01");
        assert_eq!(
            extend(&[a.clone(), b], &a, d("2025-02-01")),
            Err(PinError::Conflict {
                holder: B,
                last_day: d("2025-06-30")
            })
        );
    }

    #[test]
    fn release_ends_the_pin_from_the_release_date_on() {
        let mut p = pin(1, A, "2025-01-15");
        p.ends_on = release(&p, d("2025-02-10")).unwrap();
        p.released_on = Some(d("2025-02-10"));
        assert!(p.in_force_on(d("2025-02-09")));
        assert!(!p.in_force_on(d("2025-02-10")));
        assert_eq!(p.state_on(d("2025-02-10")), PinState::Released);
        assert_eq!(
            release(&p, d("2025-03-01")),
            Err(PinError::NotInForce {
                date: d("2025-03-01")
            })
        );
    }

    #[test]
    fn after_a_pin_ends_any_partner_may_pin_the_client_again() {
        let pins = [pin(1, A, "2025-01-15")];
        assert_eq!(
            decide_pin_request(&pins, B, d("2025-04-15")),
            Ok(PinDecision::New {
                ends_on: d("2025-07-15")
            })
        );
        let mut released = pin(1, A, "2025-01-15");
        released.ends_on = d("2025-02-01");
        assert_eq!(
            decide_pin_request(&[released], B, d("2025-02-01")),
            Ok(PinDecision::New {
                ends_on: d("2025-05-01")
            })
        );
    }

    #[test]
    fn shipment_rule_allows_a_corporate_sale_on_the_last_day_in_force_only() {
        let pins = [pin(1, A, "2025-01-15")];
        assert_eq!(
            check_shipment(&pins, LicenseKind::Saas, A, d("2025-01-15")),
            Ok(())
        );
        assert_eq!(
            check_shipment(&pins, LicenseKind::Saas, A, d("2025-04-14")),
            Ok(())
        );
        assert_eq!(
            check_shipment(&pins, LicenseKind::Saas, A, d("2025-04-15")),
            Err(ShipmentRefusal::PinEnded {
                last_day: d("2025-04-14")
            })
        );
        assert_eq!(
            check_shipment(&pins, LicenseKind::OnpremUser, A, d("2025-01-14")),
            Err(ShipmentRefusal::PinNotYet {
                pinned_on: d("2025-01-15")
            })
        );
    }

    #[test]
    fn shipment_rule_refuses_a_corporate_sale_without_the_partners_pin() {
        let pins = [pin(1, A, "2025-01-15")];
        for kind in [
            LicenseKind::Saas,
            LicenseKind::OnpremServer,
            LicenseKind::OnpremUser,
            LicenseKind::VideoCalls,
        ] {
            assert_eq!(
                check_shipment(&pins, kind, B, d("2025-02-01")),
                Err(ShipmentRefusal::PinnedToOther {
                    holder: A,
                    last_day: d("2025-04-14")
                })
            );
            assert_eq!(
                check_shipment(&[], kind, B, d("2025-02-01")),
                Err(ShipmentRefusal::NeverPinned)
            );
        }
    }

    #[test]
    fn shipment_rule_does_not_apply_to_its_and_developer_services() {
        for kind in [LicenseKind::Its, LicenseKind::DevServices] {
            assert_eq!(check_shipment(&[], kind, B, d("2025-02-01")), Ok(()));
        }
    }
}
