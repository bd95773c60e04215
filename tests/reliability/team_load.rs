//! A team at work: several managers' programs at once, each doing a mix of pin requests
//! and sales on one database. Afterwards every write a program was told was committed is
//! there, no two partners' pins of one client are in force on one day, and the pin
//! requests' latencies (each a whole write transaction, as the window makes it) are known.

use partner_desk::domain::{Inn, Status};

use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub operations: u64,
    pub pin_requests: u64,
    pub sales: u64,
    pub errors: u64,
    /// Writes a program was told were committed but the database does not hold.
    pub lost: u64,
    pub overlapping: u64,
    /// Pin requests' latencies, in microseconds: median, 99th percentile, longest.
    pub pin_p50_us: u64,
    pub pin_p99_us: u64,
    pub pin_max_us: u64,
}

/// The partner INN of the `i`-th manager's program.
pub fn partner_inn(i: u64) -> Inn {
    Inn::complete(&format!("{:09}", 770_000_000 + i * 104_729)).unwrap()
}

/// `processes` programs, each doing `operations` writes, alternately a pin request (for one
/// of `clients` shared clients, on a date drawn over a year) and a sale; between two, each
/// pauses a time drawn up to `pause_ms` (0: none, back to back).
pub fn run(processes: u64, operations: u64, clients: u64, pause_ms: u64) -> Figures {
    let t = TempDb::new();
    {
        let mut s = t.open();
        for i in 0..processes {
            partner(
                &mut s,
                &partner_inn(i).to_string(),
                &format!("ООО «Партнёр {i}»"),
                false,
                Some(("2024-01-01", Status::Dealer)),
            );
        }
    }
    let db = t.db_arg();
    let db = db.to_str().unwrap();
    let roles: Vec<_> = (0..processes)
        .map(|i| {
            let args = [
                db.to_owned(),
                i.to_string(),
                operations.to_string(),
                clients.to_string(),
                pause_ms.to_string(),
            ];
            ("team", args.to_vec())
        })
        .collect();
    let mut children = super::start_together(std::path::Path::new(db), &roles);
    let mut f = Figures {
        operations: processes * operations,
        ..Figures::default()
    };
    let mut latencies = Vec::new();
    let mut docs = Vec::new();
    for (child, lines) in children.iter_mut() {
        for line in lines.iter() {
            let mut words = line.split(' ');
            match (words.next(), words.next(), words.next()) {
                (Some("pin"), Some(us), Some(_outcome)) => {
                    f.pin_requests += 1;
                    latencies.push(us.parse::<u64>().unwrap());
                }
                (Some("sale"), Some(doc), None) => {
                    f.sales += 1;
                    docs.push(doc.to_owned());
                }
                _ => {
                    f.errors += 1;
                    eprintln!("{line}");
                }
            }
        }
        assert!(child.wait().unwrap().success());
    }
    let mut raw = Raw::of(&t.open());
    let mut count = |sql: &str| -> u64 { raw.texts(sql)[0].parse().unwrap() };
    let events = count("SELECT CAST(count(*) AS TEXT) FROM pin_events");
    let stored_sales = count("SELECT CAST(count(*) AS TEXT) FROM sales WHERE doc LIKE 'T%'");
    f.lost = f.pin_requests.saturating_sub(events) + f.sales.saturating_sub(stored_sales);
    f.overlapping = count(
        "SELECT CAST(count(*) AS TEXT) FROM pins a JOIN pins b
         ON a.client_inn = b.client_inn AND a.id < b.id AND a.partner_id <> b.partner_id
         AND a.pinned_on < b.ends_on AND b.pinned_on < a.ends_on",
    );
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    if !latencies.is_empty() {
        (f.pin_p50_us, f.pin_p99_us, f.pin_max_us) = (at(0.5), at(0.99), at(1.0));
    }
    f
}

#[test]
fn a_team_writing_at_once_loses_nothing_and_never_overlaps_pins() {
    let f = run(3, 20, 10, 0);
    assert_eq!((f.errors, f.lost, f.overlapping), (0, 0, 0), "{f:?}");
    assert_eq!(f.pin_requests + f.sales, f.operations, "{f:?}");
}

/// Ten programs, 200 writes each, on 100 shared clients, each pausing up to `pause_ms`
/// between two writes: what docs/RELIABILITY.md reports (run by `server_suite`).
pub fn full_size(pause_ms: u64) -> Figures {
    let f = run(10, 200, 100, pause_ms);
    assert_eq!((f.errors, f.lost, f.overlapping), (0, 0, 0), "{f:?}");
    f
}

#[test]
#[ignore = "the full-size team load is part of server_suite; this runs it alone"]
fn a_team_of_ten_at_full_size() {
    for pause_ms in [0, 100] {
        println!("pause up to {pause_ms} ms: {:?}", full_size(pause_ms));
    }
}
