//! The premium statement of one partner for a period (REGULATION §7), and the premium of
//! any recorded sale or return: one computation that every view and export uses.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::inn::Inn;
use super::kind::LicenseKind;
use super::money::{Money, RatePct};
use super::premium::{Premium, PremiumInput, RoleFacts, ZeroReason, premium_of};
use super::rates::RateBook;
use super::status::{Status, StatusHistory};

/// What the premium rules need to know about a partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerFacts {
    pub inn: Inn,
    pub name: String,
    pub one_c_partner: bool,
    pub history: StatusHistory,
}

/// The original sale a return points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnOf {
    pub sale_id: i64,
    pub sale_date: NaiveDate,
    pub sale_doc: Option<String>,
    /// What the original sale's premium was figured on, as stored with it: a return is
    /// figured from it (§4.1), whatever the rates or statuses say now.
    pub figures: Option<SaleFigures>,
}

/// What a sale's premium was figured on: its status, terms, rate and reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SaleFigures {
    pub status: Option<Status>,
    pub one_c_terms: bool,
    pub rate: Option<RatePct>,
    pub reason: Option<ZeroReason>,
}

impl From<&Figured> for SaleFigures {
    fn from(f: &Figured) -> SaleFigures {
        SaleFigures {
            status: f.status,
            one_c_terms: f.premium.one_c_terms,
            rate: f.premium.rate,
            reason: f.premium.reason,
        }
    }
}

impl ReturnOf {
    /// The original sale's document number, or `#id` when it has none.
    pub fn reference(&self) -> String {
        self.sale_doc
            .clone()
            .unwrap_or_else(|| format!("#{}", self.sale_id))
    }
}

/// A recorded sale, or a return of one, as the store hands it over. For a return, `kind`,
/// `client` and `role` are the original sale's and `amount` is the returned amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Entry order: sales and returns share one sequence.
    pub id: i64,
    pub doc: Option<String>,
    pub date: NaiveDate,
    pub client_inn: Inn,
    pub client_name: String,
    pub kind: LicenseKind,
    /// Positive: the sold or the returned amount.
    pub amount: Money,
    pub role: RoleFacts,
    pub return_of: Option<ReturnOf>,
}

/// The premium of an entry and what decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figured {
    /// The status in force on the deciding date (the original sale's, for a return).
    pub status: Option<Status>,
    pub premium: Premium,
    /// The label of the rate-table version applied.
    pub rate_version: String,
}

/// The premium of a sale, or of a return (the original sale's date, status, rates and role
/// facts decide; the premium is negative). The one place the rules are applied to records.
pub fn figure(partner: &PartnerFacts, rates: &RateBook, entry: &Entry) -> Figured {
    let deciding_date = entry.return_of.as_ref().map_or(entry.date, |r| r.sale_date);
    // A return of a sale whose figures are known is at that sale's rate: a sale in an
    // issued statement keeps its rate when the rates change, and so do its returns.
    if let Some(original) = entry.return_of.as_ref().and_then(|r| r.figures) {
        return Figured {
            status: original.status,
            premium: Premium {
                terms: super::premium::terms_of(original.status, original.one_c_terms),
                one_c_terms: original.one_c_terms,
                rate: original.rate,
                premium: -original
                    .rate
                    .map_or(Money::from_kopecks(0), |rate| rate.of(entry.amount)),
                reason: original.reason,
            },
            rate_version: rates.in_force_on(deciding_date).label(),
        };
    }
    let (status, premium) = figure_sale(
        partner,
        rates,
        deciding_date,
        entry.kind,
        entry.amount,
        entry.role,
    );
    let version = rates.in_force_on(deciding_date);
    let premium = if entry.return_of.is_some() {
        Premium {
            premium: -premium.premium,
            ..premium
        }
    } else {
        premium
    };
    Figured {
        status,
        premium,
        rate_version: version.label(),
    }
}

/// The status in force and the premium of a sale of `partner` on `date`: [`figure`] for a
/// sale, without the rate version's label.
pub fn figure_sale(
    partner: &PartnerFacts,
    rates: &RateBook,
    date: NaiveDate,
    kind: LicenseKind,
    amount: Money,
    role: RoleFacts,
) -> (Option<Status>, Premium) {
    let status = partner.history.in_force_on(date);
    let premium = premium_of(&PremiumInput {
        kind,
        amount,
        one_c_partner: partner.one_c_partner,
        status,
        role,
        rates: &rates.in_force_on(date).table,
    });
    (status, premium)
}

/// The partner as a statement shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerHeader {
    pub inn: Inn,
    pub name: String,
    pub one_c_partner: bool,
    /// The status in force on the period's last day.
    pub status: Option<Status>,
}

/// One line of a statement: a sale, or a return as a negative line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub date: NaiveDate,
    pub doc: Option<String>,
    pub client_inn: Inn,
    pub client_name: String,
    pub kind: LicenseKind,
    /// Negative for a return.
    pub amount: Money,
    pub status: Option<Status>,
    /// The status whose rates were applied (Integrator for ITS of a 1C partner).
    pub terms: Option<Status>,
    /// True when Integrator terms came from the 1C-partner flag.
    pub one_c_terms: bool,
    pub rate: Option<RatePct>,
    pub premium: Money,
    pub reason: Option<ZeroReason>,
    /// For a return: the original sale's document number.
    pub return_of: Option<String>,
    /// For a return: the original sale's date.
    pub return_of_date: Option<NaiveDate>,
    pub rate_version: String,
}

/// Sums of amounts and premiums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub amount: Money,
    pub premium: Money,
}

impl Sums {
    fn add(&mut self, line: &Line) {
        self.amount += line.amount;
        self.premium += line.premium;
    }
}

/// Totals by license kind and overall. The premium total is the sum of the rounded line
/// premiums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub overall: Sums,
    pub by_kind: BTreeMap<LicenseKind, Sums>,
}

/// A premium statement, ready to be rendered in any format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub partner: PartnerHeader,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
    pub totals: Totals,
    /// Labels of the rate-table versions the lines used, in date order.
    pub rate_versions: Vec<String>,
    pub generated_on: NaiveDate,
    /// The number given when the statement was issued; None for a preview.
    pub number: Option<String>,
    /// The login that issued it; None for a preview.
    pub issued_by: Option<String>,
    /// Both parties' requisites and the partner's contract, as they were when it was
    /// made (for an issued statement: when it was issued); None when neither is entered.
    pub parties: Option<Box<Parties>>,
}

/// Both parties of a statement: our organisation and the partner, with its contract and
/// VAT.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parties {
    pub ours: super::Requisites,
    pub partner: super::Requisites,
}

impl Statement {
    /// How many lines have a zero premium because a rate is not set: every statement that
    /// holds such lines says so.
    pub fn lines_without_rate(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.reason == Some(ZeroReason::NoRate))
            .count()
    }
}

/// Builds the statement of `partner` for `[from, to]` from the entries dated in it.
/// Entries outside the period are ignored; lines go by date, then by entry order.
pub fn build_statement(
    partner: &PartnerFacts,
    rates: &RateBook,
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
    generated_on: NaiveDate,
) -> Statement {
    let mut in_period: Vec<&Entry> = entries
        .iter()
        .filter(|e| from <= e.date && e.date <= to)
        .collect();
    in_period.sort_by_key(|e| (e.date, e.id));

    let mut totals = Totals::default();
    let mut versions: Vec<String> = Vec::new();
    let lines: Vec<Line> = in_period
        .into_iter()
        .map(|entry| {
            let figured = figure(partner, rates, entry);
            let sign_amount = if entry.return_of.is_some() {
                -entry.amount
            } else {
                entry.amount
            };
            let line = Line {
                date: entry.date,
                doc: entry.doc.clone(),
                client_inn: entry.client_inn,
                client_name: entry.client_name.clone(),
                kind: entry.kind,
                amount: sign_amount,
                status: figured.status,
                terms: figured.premium.terms,
                one_c_terms: figured.premium.one_c_terms,
                rate: figured.premium.rate,
                premium: figured.premium.premium,
                reason: figured.premium.reason,
                return_of: entry.return_of.as_ref().map(ReturnOf::reference),
                return_of_date: entry.return_of.as_ref().map(|r| r.sale_date),
                rate_version: figured.rate_version,
            };
            totals.overall.add(&line);
            totals.by_kind.entry(line.kind).or_default().add(&line);
            if !versions.contains(&line.rate_version) {
                versions.push(line.rate_version.clone());
            }
            line
        })
        .collect();
    // "default" sorts before any ISO date, which is the order they take effect.
    versions.sort_by_key(|v| (v != "default", v.clone()));

    Statement {
        partner: PartnerHeader {
            inn: partner.inn,
            name: partner.name.clone(),
            one_c_partner: partner.one_c_partner,
            status: partner.history.in_force_on(to),
        },
        from,
        to,
        lines,
        totals,
        rate_versions: versions,
        generated_on,
        number: None,
        issued_by: None,
        parties: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rates::{RateTable, RateVersion};
    use crate::domain::status::StatusChange;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rub(r: i64) -> Money {
        Money::from_kopecks(r * 100)
    }

    fn partner(changes: &[(&str, Status)]) -> PartnerFacts {
        PartnerFacts {
            inn: Inn::parse("7707083893").unwrap(),
            name: "ООО «Ромашка»".into(),
            one_c_partner: false,
            history: StatusHistory::new(
                changes
                    .iter()
                    .map(|(date, s)| StatusChange {
                        effective_from: d(date),
                        status: Some(*s),
                    })
                    .collect(),
            ),
        }
    }

    fn sale(id: i64, date: &str, kind: LicenseKind, amount: i64) -> Entry {
        Entry {
            id,
            doc: Some(format!("S-{id}")),
            date: d(date),
            client_inn: Inn::parse("7736207543").unwrap(),
            client_name: "АО Клиент".into(),
            kind,
            amount: rub(amount),
            role: RoleFacts::default(),
            return_of: None,
        }
    }

    fn return_of(id: i64, date: &str, original: &Entry, amount: i64) -> Entry {
        Entry {
            id,
            doc: None,
            date: d(date),
            amount: rub(amount),
            return_of: Some(ReturnOf {
                sale_id: original.id,
                sale_date: original.date,
                sale_doc: original.doc.clone(),
                figures: None,
            }),
            ..original.clone()
        }
    }

    #[test]
    fn status_change_mid_period_applies_from_its_date() {
        let p = partner(&[
            ("2025-01-01", Status::Agent),
            ("2025-02-15", Status::Dealer),
        ]);
        let entries = [
            sale(1, "2025-02-14", LicenseKind::Saas, 100_000),
            sale(2, "2025-02-15", LicenseKind::Saas, 100_000),
        ];
        let s = build_statement(
            &p,
            &RateBook::default(),
            &entries,
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-04-01"),
        );
        assert_eq!(s.lines[0].premium, rub(10_000));
        assert_eq!(s.lines[0].status, Some(Status::Agent));
        assert_eq!(s.lines[1].premium, rub(25_000));
        assert_eq!(s.partner.status, Some(Status::Dealer));
        assert_eq!(s.totals.overall.premium, rub(35_000));
    }

    #[test]
    fn rate_version_change_mid_period_applies_from_its_date() {
        let p = partner(&[("2025-01-01", Status::Dealer)]);
        let mut table = RateTable::regulation_default();
        table.set(LicenseKind::Saas, Status::Dealer, Some(RatePct::whole(30)));
        let rates = RateBook::new(vec![RateVersion {
            effective_from: Some(d("2025-02-01")),
            table,
        }]);
        let entries = [
            sale(1, "2025-01-31", LicenseKind::Saas, 100_000),
            sale(2, "2025-02-01", LicenseKind::Saas, 100_000),
        ];
        let s = build_statement(
            &p,
            &rates,
            &entries,
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-04-01"),
        );
        assert_eq!(s.lines[0].premium, rub(25_000));
        assert_eq!(s.lines[1].premium, rub(30_000));
        assert_eq!(s.rate_versions, ["default", "2025-02-01"]);
    }

    #[test]
    fn return_uses_the_original_sales_status_and_appears_in_its_own_period() {
        // Dealer on the sale date, Integrator by the return date: the return keeps 25 %.
        let p = partner(&[
            ("2025-01-01", Status::Dealer),
            ("2025-03-01", Status::Integrator),
        ]);
        let original = sale(1, "2025-01-20", LicenseKind::Saas, 120_000);
        let ret = return_of(2, "2025-04-10", &original, 40_000);
        let entries = [original, ret];
        let q1 = build_statement(
            &p,
            &RateBook::default(),
            &entries,
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-04-01"),
        );
        assert_eq!(q1.lines.len(), 1);
        assert_eq!(q1.totals.overall.premium, rub(30_000));
        let q2 = build_statement(
            &p,
            &RateBook::default(),
            &entries,
            d("2025-04-01"),
            d("2025-06-30"),
            d("2025-07-01"),
        );
        assert_eq!(q2.lines.len(), 1);
        let line = &q2.lines[0];
        assert_eq!((line.amount, line.premium), (-rub(40_000), -rub(10_000)));
        assert_eq!(line.rate, Some(RatePct::whole(25)));
        assert_eq!(line.status, Some(Status::Dealer));
        assert_eq!(line.return_of.as_deref(), Some("S-1"));
    }

    #[test]
    fn a_return_is_at_the_rate_its_sale_was_figured_at_whatever_the_rates_say_now() {
        // The sale was figured at 30 % (say, in an issued statement, before a new rate
        // version made it 25 %): its return of 33 333,33 ₽ is at 30 %, rounded as a sale's.
        let p = partner(&[("2025-01-01", Status::Dealer)]);
        let original = sale(1, "2025-01-20", LicenseKind::Saas, 120_000);
        let mut ret = return_of(2, "2025-04-10", &original, 0);
        ret.amount = Money::from_kopecks(3_333_333);
        let figures = SaleFigures {
            status: Some(Status::Dealer),
            one_c_terms: false,
            rate: Some(RatePct::whole(30)),
            reason: None,
        };
        if let Some(r) = ret.return_of.as_mut() {
            r.figures = Some(figures);
        }
        let f = figure(&p, &RateBook::default(), &ret);
        assert_eq!(f.premium.rate, Some(RatePct::whole(30)));
        assert_eq!(f.premium.premium, -Money::from_kopecks(1_000_000));
        assert_eq!(
            (f.status, f.premium.terms),
            (Some(Status::Dealer), Some(Status::Dealer))
        );
        // A sale figured at zero for a reason returns at zero, with that reason.
        if let Some(r) = ret.return_of.as_mut() {
            r.figures = Some(SaleFigures {
                rate: None,
                reason: Some(ZeroReason::SelfReferred),
                ..figures
            });
        }
        let f = figure(&p, &RateBook::default(), &ret);
        assert_eq!(f.premium.premium, Money::from_kopecks(0));
        assert_eq!(f.premium.reason, Some(ZeroReason::SelfReferred));
    }

    #[test]
    fn totals_are_sums_of_rounded_line_premiums_by_kind_and_overall() {
        let p = partner(&[("2025-01-01", Status::Dealer)]);
        let mut a = sale(1, "2025-01-10", LicenseKind::Saas, 0);
        a.amount = Money::from_kopecks(2); // 0.02 × 25 % = 0.005 → 0.01
        let mut b = sale(2, "2025-01-11", LicenseKind::Saas, 0);
        b.amount = Money::from_kopecks(2);
        let c = sale(3, "2025-01-12", LicenseKind::DevServices, 1_000);
        let s = build_statement(
            &p,
            &RateBook::default(),
            &[a, b, c],
            d("2025-01-01"),
            d("2025-01-31"),
            d("2025-02-01"),
        );
        let saas = s.totals.by_kind[&LicenseKind::Saas];
        assert_eq!(saas.premium, Money::from_kopecks(2)); // not round(0.01) = 0.01
        assert_eq!(saas.amount, Money::from_kopecks(4));
        assert_eq!(
            s.totals.by_kind[&LicenseKind::DevServices].premium,
            rub(100)
        );
        assert_eq!(s.totals.overall.premium, Money::from_kopecks(10_002));
    }

    #[test]
    fn statement_holds_only_the_period_both_ends_inclusive_in_date_then_entry_order() {
        let p = partner(&[("2025-01-01", Status::Agent)]);
        let entries = [
            sale(5, "2025-03-31", LicenseKind::DevServices, 10),
            sale(3, "2025-01-01", LicenseKind::DevServices, 10),
            sale(4, "2024-12-31", LicenseKind::DevServices, 10),
            sale(2, "2025-01-01", LicenseKind::DevServices, 10),
            sale(6, "2025-04-01", LicenseKind::DevServices, 10),
        ];
        let s = build_statement(
            &p,
            &RateBook::default(),
            &entries,
            d("2025-01-01"),
            d("2025-03-31"),
            d("2025-04-01"),
        );
        let docs: Vec<_> = s.lines.iter().map(|l| l.doc.clone().unwrap()).collect();
        assert_eq!(docs, ["S-2", "S-3", "S-5"]);
    }

    #[test]
    fn statement_counts_lines_whose_rate_is_not_set() {
        let p = partner(&[("2025-01-01", Status::Dealer)]);
        let entries = [sale(1, "2025-01-10", LicenseKind::VideoCalls, 5_000)];
        let s = build_statement(
            &p,
            &RateBook::default(),
            &entries,
            d("2025-01-01"),
            d("2025-01-31"),
            d("2025-02-01"),
        );
        assert_eq!(s.lines_without_rate(), 1);
        assert_eq!(s.lines[0].reason, Some(ZeroReason::NoRate));
    }
}
