//! Premium rate tables, versioned by the date they take effect (REGULATION §3).

use chrono::NaiveDate;

use super::kind::LicenseKind;
use super::lang::Lang;
use super::money::RatePct;
use super::status::Status;

/// What one cell of a rate table says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateCell {
    /// A premium of this many percent.
    Pct(RatePct),
    /// The regulation gives no figure yet (video calls); a manager may enter one.
    NotSet,
    /// "—": ITS pays no premium below Integrator terms (rule 4.2); never editable.
    NoPremium,
}

impl RateCell {
    pub fn display(self, lang: Lang) -> String {
        match self {
            RateCell::Pct(rate) => format!("{}\u{a0}%", rate.display(lang)),
            RateCell::NotSet => lang.pick("не задана", "not set").to_owned(),
            RateCell::NoPremium => "—".to_owned(),
        }
    }
}

/// Rates for every (kind, status). A missing figure is "not set".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    cells: [[Option<RatePct>; 3]; 6],
}

impl RateTable {
    /// The regulation's table, in force from the beginning of time.
    pub fn regulation_default() -> RateTable {
        let pct = |p| Some(RatePct::whole(p));
        RateTable {
            cells: [
                [None, None, pct(50)],       // its
                [pct(10), pct(25), pct(50)], // saas
                [pct(10), pct(20), pct(30)], // onprem_server
                [pct(10), pct(25), pct(50)], // onprem_user
                [pct(10), pct(10), pct(10)], // dev_services
                [None, None, None],          // video_calls: not set
            ],
        }
    }

    /// A table with every figure "not set".
    pub fn empty() -> RateTable {
        RateTable {
            cells: [[None; 3]; 6],
        }
    }

    /// True for the ITS cells below Integrator, which are "—" by rule 4.2.
    pub fn is_fixed_no_premium(kind: LicenseKind, status: Status) -> bool {
        kind == LicenseKind::Its && status != Status::Integrator
    }

    pub fn cell(&self, kind: LicenseKind, status: Status) -> RateCell {
        if RateTable::is_fixed_no_premium(kind, status) {
            return RateCell::NoPremium;
        }
        match self.cells[kind.index()][status.index()] {
            Some(rate) => RateCell::Pct(rate),
            None => RateCell::NotSet,
        }
    }

    /// Sets a figure (`None` = not set). The fixed "—" cells ignore it.
    pub fn set(&mut self, kind: LicenseKind, status: Status, rate: Option<RatePct>) {
        if !RateTable::is_fixed_no_premium(kind, status) {
            self.cells[kind.index()][status.index()] = rate;
        }
    }
}

/// One version of the rate table. The default version has no date: it is in force from
/// the beginning of time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateVersion {
    pub effective_from: Option<NaiveDate>,
    pub table: RateTable,
}

impl RateVersion {
    /// `default` or the ISO date it takes effect, as statements name versions.
    pub fn label(&self) -> String {
        match self.effective_from {
            Some(date) => date.to_string(),
            None => "default".to_owned(),
        }
    }

    pub fn display(&self, lang: Lang) -> String {
        match self.effective_from {
            Some(date) => format!("{} {}", lang.pick("с", "from"), date.format("%d.%m.%Y")),
            None => lang.pick("по регламенту", "regulation default").to_owned(),
        }
    }
}

/// A version label as statements carry it (`default` or an ISO date), in words.
pub fn version_label(label: &str, lang: Lang) -> String {
    match NaiveDate::parse_from_str(label, "%Y-%m-%d") {
        Ok(d) => format!("{} {}", lang.pick("с", "from"), super::show_date(d, lang)),
        Err(_) => lang.pick("по регламенту", "regulation default").to_owned(),
    }
}

/// All versions of the rate table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateBook {
    versions: Vec<RateVersion>,
}

impl Default for RateBook {
    fn default() -> RateBook {
        RateBook::new(Vec::new())
    }
}

impl RateBook {
    /// A book from versions; the regulation's default is added when no undated one is given.
    pub fn new(mut versions: Vec<RateVersion>) -> RateBook {
        if !versions.iter().any(|v| v.effective_from.is_none()) {
            versions.push(RateVersion {
                effective_from: None,
                table: RateTable::regulation_default(),
            });
        }
        versions.sort_by_key(|v| v.effective_from);
        RateBook { versions }
    }

    /// The version in force on `date`: the latest taking effect on or before it.
    pub fn in_force_on(&self, date: NaiveDate) -> &RateVersion {
        self.versions
            .iter()
            .rev()
            .find(|v| v.effective_from.is_none_or(|from| from <= date))
            .unwrap_or(&self.versions[0])
    }

    pub fn versions(&self) -> &[RateVersion] {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_is_the_regulations() {
        let t = RateTable::regulation_default();
        let pct = |p| RateCell::Pct(RatePct::whole(p));
        use LicenseKind::*;
        use Status::*;
        let expected = [
            (Its, [RateCell::NoPremium, RateCell::NoPremium, pct(50)]),
            (Saas, [pct(10), pct(25), pct(50)]),
            (OnpremServer, [pct(10), pct(20), pct(30)]),
            (OnpremUser, [pct(10), pct(25), pct(50)]),
            (DevServices, [pct(10), pct(10), pct(10)]),
            (
                VideoCalls,
                [RateCell::NotSet, RateCell::NotSet, RateCell::NotSet],
            ),
        ];
        for (kind, row) in expected {
            for (status, cell) in [Agent, Dealer, Integrator].into_iter().zip(row) {
                assert_eq!(t.cell(kind, status), cell, "{kind:?} × {status:?}");
            }
        }
    }

    #[test]
    fn rate_version_in_force_is_the_latest_from_a_date_on_or_before() {
        let mut newer = RateTable::regulation_default();
        newer.set(
            LicenseKind::VideoCalls,
            Status::Dealer,
            Some(RatePct::whole(15)),
        );
        let book = RateBook::new(vec![RateVersion {
            effective_from: Some("2025-07-01".parse().unwrap()),
            table: newer.clone(),
        }]);
        assert_eq!(
            book.in_force_on("2025-06-30".parse().unwrap())
                .effective_from,
            None
        );
        assert_eq!(book.in_force_on("2025-07-01".parse().unwrap()).table, newer);
        assert_eq!(
            book.in_force_on("1900-01-01".parse().unwrap()).label(),
            "default"
        );
    }

    #[test]
    fn its_cells_below_integrator_stay_no_premium() {
        let mut t = RateTable::regulation_default();
        t.set(LicenseKind::Its, Status::Agent, Some(RatePct::whole(5)));
        assert_eq!(t.cell(LicenseKind::Its, Status::Agent), RateCell::NoPremium);
    }
}
