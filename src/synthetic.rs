//! Synthetic data of any size for measuring the program at company scale: the CSV files a
//! partner channel of `sales / 1000` partners and `sales / 10` clients would produce over
//! three years. Deterministic (a fixed seed), and every row passes the regulation's rules:
//! a sale of a protected kind falls inside its partner's pin of the client.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};

use crate::demo::Lcg;
use crate::domain::{Inn, LicenseKind};

/// The last day of the data.
pub const LAST_DAY: (i32, u32, u32) = (2025, 12, 31);
/// How many days the data covers (three years).
const SPAN_DAYS: u64 = 3 * 365;

/// The files written and what they hold.
#[derive(Clone, Debug)]
pub struct Files {
    pub partners: PathBuf,
    pub pins: PathBuf,
    pub sales: PathBuf,
    pub returns: PathBuf,
    pub partner_count: usize,
    pub client_count: usize,
    pub sale_count: usize,
    pub return_count: usize,
    /// The INN of the partner with the most sales, and how many it has.
    pub largest_partner: (String, usize),
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// The kinds in the proportions of a real channel: mostly ITS and SaaS.
const KIND_MIX: [(LicenseKind, u64); 6] = [
    (LicenseKind::Its, 35),
    (LicenseKind::Saas, 30),
    (LicenseKind::OnpremUser, 15),
    (LicenseKind::OnpremServer, 5),
    (LicenseKind::DevServices, 10),
    (LicenseKind::VideoCalls, 5),
];

fn pick_kind(rng: &mut Lcg) -> LicenseKind {
    let mut roll = rng.below(100);
    for (kind, share) in KIND_MIX {
        if roll < share {
            return kind;
        }
        roll -= share;
    }
    LicenseKind::Its
}

fn partner_inn(i: usize) -> Inn {
    Inn::complete(&format!("77{:07}", 1_000_000 + i as u64 * 7)).unwrap_or_else(|| unreachable!())
}

fn client_inn(i: usize) -> Inn {
    Inn::complete(&format!("50{:07}", 1_000_000 + i as u64 * 3)).unwrap_or_else(|| unreachable!())
}

/// A partner for a client, skewed as real channels are: the first partner gets about one
/// sale in twenty, the last ones very few.
fn skewed(rng: &mut Lcg, partners: usize) -> usize {
    let u = (rng.below(1 << 30) as f64 + 0.5) / f64::from(1u32 << 30);
    ((u.powf(2.3) * partners as f64) as usize).min(partners - 1)
}

/// Writes partners.csv, pins.csv, sales.csv and returns.csv for `sales` sales into `dir`.
pub fn write_files(dir: &Path, sales: usize) -> std::io::Result<Files> {
    std::fs::create_dir_all(dir)?;
    let partners = (sales / 1000).max(10);
    let clients = (sales / 10).max(100);
    let last_day = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2)
        .unwrap_or_else(|| unreachable!());
    let first_day = last_day - Days::new(SPAN_DAYS - 1);
    let mut rng = Lcg(20_251_231);
    let files = Files {
        partners: dir.join("partners.csv"),
        pins: dir.join("pins.csv"),
        sales: dir.join("sales.csv"),
        returns: dir.join("returns.csv"),
        partner_count: partners,
        client_count: clients,
        sale_count: sales,
        return_count: 0,
        largest_partner: (String::new(), 0),
        first_day,
        last_day,
    };
    write_partners(&files, &mut rng)?;
    let pins = write_pins(&files, &mut rng)?;
    let rows = sale_rows(&files, &pins, &mut rng);
    let mut returns = write_sales(&files, &rows)?;
    returns.sort();
    write_returns(&files, &returns)?;
    let mut per_partner = vec![0usize; partners];
    for row in &rows {
        per_partner[row.partner] += 1;
    }
    let (largest, count) = per_partner
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .map_or((0, 0), |(p, n)| (p, *n));
    Ok(Files {
        return_count: returns.len(),
        largest_partner: (partner_inn(largest).to_string(), count),
        ..files
    })
}

/// partners.csv: everyone starts as an agent; some grow to dealer, a few to integrator.
fn write_partners(files: &Files, rng: &mut Lcg) -> std::io::Result<()> {
    let first_day = files.first_day;
    let mut out = BufWriter::new(std::fs::File::create(&files.partners)?);
    writeln!(out, "inn,name,status,status_since,one_c_partner")?;
    for p in 0..files.partner_count {
        let inn = partner_inn(p);
        let one_c = if p % 10 == 0 { "yes" } else { "no" };
        writeln!(out, "{inn},ООО «Партнёр {p}»,agent,{first_day},{one_c}")?;
        if p % 3 == 0 {
            let since = first_day + Days::new(200 + rng.below(300));
            writeln!(out, "{inn},ООО «Партнёр {p}»,dealer,{since},{one_c}")?;
        }
        if p % 9 == 0 {
            let since = first_day + Days::new(600 + rng.below(300));
            writeln!(out, "{inn},ООО «Партнёр {p}»,integrator,{since},{one_c}")?;
        }
    }
    out.flush()
}

/// Each client's home partner and the day of its one pin of three months somewhere in
/// the years, by client: its protected sales fall inside that pin.
struct Pins {
    home: Vec<usize>,
    pinned_on: Vec<NaiveDate>,
}

/// pins.csv, in the order of the pins' days.
fn write_pins(files: &Files, rng: &mut Lcg) -> std::io::Result<Pins> {
    let clients = files.client_count;
    let mut pins = Pins {
        home: Vec::with_capacity(clients),
        pinned_on: Vec::with_capacity(clients),
    };
    let mut out = BufWriter::new(std::fs::File::create(&files.pins)?);
    writeln!(out, "date,client_inn,partner_inn,client_name")?;
    let mut pin_rows: Vec<(NaiveDate, usize)> = Vec::with_capacity(clients);
    for c in 0..clients {
        pins.home.push(skewed(rng, files.partner_count));
        let day = files.first_day + Days::new(rng.below(SPAN_DAYS - 90));
        pins.pinned_on.push(day);
        pin_rows.push((day, c));
    }
    pin_rows.sort();
    for (day, c) in &pin_rows {
        writeln!(
            out,
            "{day},{},{},АО «Клиент {c}»",
            client_inn(*c),
            partner_inn(pins.home[*c])
        )?;
    }
    out.flush()?;
    Ok(pins)
}

/// A sale to write: its day, client, partner, kind and amount in kopecks.
struct SaleRow {
    day: NaiveDate,
    client: usize,
    partner: usize,
    kind: LicenseKind,
    kopecks: i64,
}

/// Every sale, in the order of their days: a random client's, sold by its home partner,
/// a protected kind inside the client's pin.
fn sale_rows(files: &Files, pins: &Pins, rng: &mut Lcg) -> Vec<SaleRow> {
    let mut rows = Vec::with_capacity(files.sale_count);
    for _ in 0..files.sale_count {
        let c = rng.below(files.client_count as u64) as usize;
        let kind = pick_kind(rng);
        let day = if kind.needs_pin() {
            pins.pinned_on[c] + Days::new(rng.below(80))
        } else {
            files.first_day + Days::new(rng.below(SPAN_DAYS))
        };
        // From 1 000 to 500 000 roubles, in kopecks.
        let kopecks = 100_000 + rng.below(50_000_000) as i64;
        rows.push(SaleRow {
            day,
            client: c,
            partner: pins.home[c],
            kind,
            kopecks,
        });
    }
    rows.sort_by_key(|r| r.day);
    rows
}

/// sales.csv: the returns to write, one sale in fifty partly returned ten days later, as
/// (day, sale number, kopecks).
fn write_sales(files: &Files, rows: &[SaleRow]) -> std::io::Result<Vec<(NaiveDate, usize, i64)>> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&files.sales)?);
    writeln!(out, "date,partner_inn,client_inn,kind,amount,doc")?;
    let mut line = String::with_capacity(96);
    let mut returns = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        line.clear();
        let _ = writeln!(
            line,
            "{},{},{},{},{}.{:02},S-{n:07}",
            r.day,
            partner_inn(r.partner),
            client_inn(r.client),
            r.kind.code(),
            r.kopecks / 100,
            r.kopecks % 100
        );
        out.write_all(line.as_bytes())?;
        if n % 50 == 7 && r.day + Days::new(10) <= files.last_day {
            returns.push((r.day + Days::new(10), n, r.kopecks / 4));
        }
    }
    out.flush()?;
    Ok(returns)
}

/// returns.csv, the returns in the order given (their days').
fn write_returns(files: &Files, returns: &[(NaiveDate, usize, i64)]) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(&files.returns)?);
    writeln!(out, "date,sale_doc,amount,doc")?;
    for (day, n, kopecks) in returns {
        writeln!(
            out,
            "{day},S-{n:07},{}.{:02},R-{n:07}",
            kopecks / 100,
            kopecks % 100
        )?;
    }
    out.flush()
}

/// The first and last day of the quarter holding `day`.
pub fn quarter_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first_month = (day.month0() / 3) * 3 + 1;
    let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
    crate::domain::months_from(from, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_size_gives_the_same_files() {
        let a = tempfile_dir("a");
        let b = tempfile_dir("b");
        let fa = write_files(&a, 2_000).unwrap();
        let fb = write_files(&b, 2_000).unwrap();
        assert_eq!(
            std::fs::read(&fa.sales).unwrap(),
            std::fs::read(&fb.sales).unwrap()
        );
        assert_eq!(fa.partner_count, 10);
        assert_eq!(fa.client_count, 200);
        let _ = std::fs::remove_dir_all(a);
        let _ = std::fs::remove_dir_all(b);
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!(
            "partner-desk-synthetic-{}-{name}",
            std::process::id()
        ))
    }
}
