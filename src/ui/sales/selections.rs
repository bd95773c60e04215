//! What the Sales page has read of its queries: the selection on screen (every id in
//! order, the sums, the pages of rows read so far) and the few shown before it, kept at the
//! same data version so that going back to an earlier filter shows it at once.

use std::collections::HashMap;

use crate::domain::Money;
use crate::store::{SaleListRow, SalesQuery};

/// How many sale ids the earlier selections may hold in all (8 bytes each: 32 MB).
const RECENT_IDS: usize = 4_000_000;

/// What was read for one query at one data version: every id in order, the sums, and
/// the pages of rows read so far.
pub(super) struct Cache {
    pub(super) version: u64,
    pub(super) query: SalesQuery,
    pub(super) ids: Vec<i64>,
    pub(super) amount: Money,
    pub(super) premium: Money,
    pub(super) pages: HashMap<usize, Vec<SaleListRow>>,
}

impl Cache {
    /// Read for this query at this data version.
    pub(super) fn is(&self, version: u64, query: &SalesQuery) -> bool {
        self.version == version && self.query == *query
    }
}

/// The selections shown before the one on screen, the latest last.
#[derive(Default)]
pub(super) struct Recent(Vec<Cache>);

impl Recent {
    /// Keeps `earlier` (the selection that leaves the screen) if it is of the data version
    /// `version`; the others are out of date and go, and the oldest go while they hold
    /// more than [`RECENT_IDS`] ids.
    pub(super) fn keep(&mut self, earlier: Cache, version: u64) {
        self.0
            .retain(|c| c.version == version && c.query != earlier.query);
        if earlier.version == version {
            self.0.push(earlier);
        }
        while self.0.iter().map(|c| c.ids.len()).sum::<usize>() > RECENT_IDS {
            self.0.remove(0);
        }
    }

    /// The selection of `query` at `version`, if it was shown and kept.
    pub(super) fn take(&mut self, version: u64, query: &SalesQuery) -> Option<Cache> {
        let i = self.0.iter().position(|c| c.is(version, query))?;
        Some(self.0.remove(i))
    }
}
