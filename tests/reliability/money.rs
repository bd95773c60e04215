//! Case 8: money. Random (amount, rate) pairs, the premium computed by the program against
//! an independent computation in integer kopecks and hundredths of a percent.

use partner_desk::domain::{Money, RatePct};
use rust_decimal::Decimal;

use super::Rng;

#[derive(Debug, Default)]
pub struct Figures {
    pub pairs: u64,
    pub differences: u64,
}

/// `kopecks × rate_bp / 10 000` rounded half away from zero, in integers only (`rate_bp` is
/// the rate in hundredths of a percent).
fn premium_kopecks(kopecks: i64, rate_bp: i64) -> i64 {
    let product = i128::from(kopecks) * i128::from(rate_bp);
    let (q, r) = (product / 10_000, product % 10_000);
    let rounded = if 2 * r.abs() >= 10_000 {
        q + product.signum()
    } else {
        q
    };
    i64::try_from(rounded).unwrap()
}

pub fn run(pairs: u64, seed: u64) -> Figures {
    let mut rng = Rng::new(seed);
    let mut f = Figures::default();
    for i in 0..pairs {
        // Amounts of every size up to 10^12 rubles, small ones often; returns are negative.
        let digits = rng.range(1, 15) as u32;
        let mut kopecks = rng.range(1, 10_u64.pow(digits)) as i64;
        if i % 5 == 0 {
            kopecks = -kopecks;
        }
        let rate_bp = match i % 4 {
            0 => rng.range(0, 101) as i64 * 100,
            1 => rng.range(0, 201) as i64 * 50,
            _ => rng.range(0, 10_001) as i64,
        };
        let rate = RatePct::new(Decimal::new(rate_bp, 2)).unwrap();
        let ours = rate.of(Money::from_kopecks(kopecks)).kopecks();
        f.pairs += 1;
        if ours != premium_kopecks(kopecks, rate_bp) {
            f.differences += 1;
        }
    }
    f
}

#[test]
fn premiums_agree_with_integer_kopecks_on_a_million_random_pairs() {
    let f = run(1_000_000, 8);
    assert_eq!(f.differences, 0, "{f:?}");
}

#[test]
fn the_integer_reference_rounds_half_away_from_zero() {
    assert_eq!(premium_kopecks(1, 5000), 1); // 0.01 × 50 % = 0.005 → 0.01
    assert_eq!(premium_kopecks(-1, 5000), -1);
    assert_eq!(premium_kopecks(4, 1000), 0); // 0.004 → 0.00
    assert_eq!(premium_kopecks(25, 1000), 3); // 0.025 → 0.03
}
