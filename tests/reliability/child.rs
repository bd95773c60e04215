//! The roles a child process plays. Each reports on stdout, one flushed line per committed
//! transaction, so that the parent knows what must survive if it kills the child.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use partner_desk::domain::lang::{Lang, Localized};
use partner_desk::domain::{Inn, LicenseKind, RoleFacts};
use partner_desk::import::{self, ImportKind};
use partner_desk::store::{NewSale, PinOutcome, RuleError, Store, StoreError};

use crate::util::*;

/// Rows in each small file the crash child imports.
pub const IMPORT_ROWS: usize = 5;
/// Rows of the crash case's large files, loaded by the two-thread bulk path; their
/// documents are `RUN-bI/J`.
pub const BULK_IMPORT_ROWS: usize = 2_500;

/// After saying `ready`, waits until the parent creates `<db>.go`, so that all children
/// start at the same moment.
fn wait_for_go(db: &Path) {
    let go = super::go_file(db);
    while !go.exists() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "@{line}").unwrap();
    out.flush().unwrap();
}

pub fn main(role: &str, args: &[&str]) {
    match role {
        "crash" => crash(Path::new(args[0]), args[1]),
        "writer" => writer(Path::new(args[0]), args[1], args[2].parse().unwrap()),
        "pins" => pins(
            Path::new(args[0]),
            args[1],
            args[2].parse().unwrap(),
            args[3].parse().unwrap(),
            args[4].parse().unwrap(),
        ),
        "issuer" => issuer(Path::new(args[0]), args[1].parse().unwrap()),
        "team" => team(
            Path::new(args[0]),
            args[1].parse().unwrap(),
            args[2].parse().unwrap(),
            args[3].parse().unwrap(),
            args[4].parse().unwrap(),
        ),
        "seller" => seller(Path::new(args[0]), args[1].parse().unwrap()),
        "migrate" => {
            say("ready");
            let store = Store::open(Path::new(args[0])).unwrap();
            drop(store);
            say("opened");
        }
        "import" => super::workbooks::child(args),
        other => panic!("unknown role {other}"),
    }
}

fn sale_of(partner: partner_desk::domain::PartnerId, doc: String, day: u32) -> NewSale {
    NewSale {
        doc: Some(doc),
        date: chrono::NaiveDate::from_ymd_opt(2025, 1, 10).unwrap() + chrono::Days::new(day.into()),
        partner,
        client_inn: inn(C1),
        client_name: String::new(),
        kind: LicenseKind::Saas,
        amount: rub("1 234,56"),
        role: RoleFacts::default(),
    }
}

/// Imports files of sales and records single sales until it is killed. Run `run` names
/// the documents, so every run's are new.
fn crash(db: &Path, run: &str) {
    let mut store = Store::open(db).unwrap();
    let alfa = store.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    say("ready");
    for i in 0.. {
        let day = i % 80;
        if i % 3 == 0 {
            let (group, rows) = if i % 9 == 0 {
                (format!("{run}-b{i}"), BULK_IMPORT_ROWS)
            } else {
                (format!("{run}-i{i}"), IMPORT_ROWS)
            };
            let mut csv = String::from("date;partner_inn;client_inn;kind;amount;doc\n");
            for j in 0..rows {
                let date = sale_of(alfa, String::new(), day).date.format("%d.%m.%Y");
                csv.push_str(&format!("{date};{ALFA};{C1};saas;1 234,56;{group}/{j}\n"));
            }
            import::import_bytes(&mut store, ImportKind::Sales, csv.as_bytes()).unwrap();
            say(&format!("import {group}"));
        } else {
            let doc = format!("{run}-s{i}");
            store
                .write(|db| db.record_sale(&sale_of(alfa, doc.clone(), day)))
                .unwrap();
            say(&format!("sale {doc}"));
        }
    }
}

/// Records `ops` sales, each in its own transaction, reporting how long it waited for the
/// write lock (microseconds) or the error the user would see.
fn writer(db: &Path, id: &str, ops: u32) {
    let mut store = Store::open(db).unwrap();
    let alfa = store.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    say("ready");
    wait_for_go(db);
    for op in 0..ops {
        let doc = format!("w{id}-{op}");
        let asked = Instant::now();
        let mut waited = None;
        let result = store.write(|db| {
            waited = Some(asked.elapsed());
            db.record_sale(&sale_of(alfa, doc.clone(), op % 80))
        });
        match result {
            Ok(_) => say(&format!("ok {doc} {}", waited.map_or(0, |w| w.as_micros()))),
            Err(e) => say(&format!(
                "err {doc} {}",
                e.text(Lang::En).replace('\n', " ")
            )),
        }
    }
}

/// Issues a statement of one day for each of `rounds` days, in order.
fn issuer(db: &Path, rounds: u64) {
    let mut store = Store::open(db).unwrap();
    let alfa = store.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    say("ready");
    wait_for_go(db);
    for i in 0..rounds {
        let day = super::issue_race::day(i);
        match partner_desk::statements::issue(&mut store, alfa, day, day, day) {
            Ok(_) => say(&format!("issued {i}")),
            Err(e) => say(&format!("err {i} {}", e.text(Lang::En).replace('\n', " "))),
        }
    }
}

/// Records `rounds` sales on days drawn at random among the issuer's, racing it: a day
/// it has issued is refused, one it has not yet reached is recorded, and some are the day
/// it is issuing.
fn seller(db: &Path, rounds: u64) {
    let mut store = Store::open(db).unwrap();
    let alfa = store.read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    let mut rng = super::Rng::new(31);
    say("ready");
    wait_for_go(db);
    for i in 0..rounds {
        let day = rng.range(0, rounds);
        let sale = super::issue_race::its_sale(alfa, format!("race{i}"), day);
        match store.write_on_client(&sale.client_inn, |tx| tx.record_sale(&sale)) {
            Ok(_) => say(&format!("sold {i}")),
            Err(StoreError::Rule(RuleError::PeriodLocked { .. })) => say(&format!("locked {i}")),
            Err(e) => say(&format!("err {i} {}", e.text(Lang::En).replace('\n', " "))),
        }
    }
}

/// Asks `attempts` times to pin one of `clients` (the same list in every process) to the
/// partner with INN `partner`, on dates drawn from `seed`; reports each outcome and, for a
/// refusal, the message the manager sees.
fn pins(db: &Path, partner: &str, attempts: u32, clients: u64, seed: u64) {
    let mut store = Store::open(db).unwrap();
    let me = store.read().partner_by_inn(&inn(partner)).unwrap().unwrap();
    let list = client_inns(clients);
    let mut rng = super::Rng::new(seed);
    say("ready");
    wait_for_go(db);
    for i in 0..attempts {
        let client = &list[i as usize % list.len()];
        let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
            + chrono::Days::new(rng.range(0, 365));
        match store.write_on_client(client, |db| db.request_pin("", me, date, "")) {
            Ok(PinOutcome::Pinned { .. }) => say(&format!("pinned {client}")),
            Ok(PinOutcome::Extended { .. }) => say(&format!("extended {client}")),
            Ok(PinOutcome::Refused {
                holder_label,
                last_day,
                ..
            }) => {
                let message = RuleError::PinConflict {
                    client: *client,
                    holder: holder_label,
                    last_day,
                }
                .text(Lang::Ru);
                say(&format!("refused {client} {message}"));
            }
            Err(StoreError::Rule(e)) => say(&format!("rule {client} {}", e.text(Lang::Ru))),
            Err(e) => say(&format!("err {client} {}", e.text(Lang::En))),
        }
    }
}

/// One manager's program of the team load: `operations` writes, alternately a pin request
/// (timed: `pin MICROSECONDS OUTCOME`) and a sale of developer services (`sale DOC`),
/// pausing a time drawn up to `pause_ms` between two.
fn team(db: &Path, me: u64, operations: u64, clients: u64, pause_ms: u64) {
    let mut store = Store::open(db).unwrap();
    let partner = super::team_load::partner_inn(me);
    let id = store.read().partner_by_inn(&partner).unwrap().unwrap();
    let list = client_inns(clients);
    let mut rng = super::Rng::new(me + 1);
    say("ready");
    wait_for_go(db);
    for i in 0..operations {
        if pause_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(rng.range(0, pause_ms)));
        }
        let client = list[rng.range(0, clients) as usize];
        let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
            + chrono::Days::new(rng.range(0, 365));
        if i % 2 == 0 {
            let started = Instant::now();
            let outcome = store.write_on_client(&client, |db| db.request_pin("", id, date, ""));
            let us = started.elapsed().as_micros();
            match outcome {
                Ok(PinOutcome::Pinned { .. }) => say(&format!("pin {us} pinned")),
                Ok(PinOutcome::Extended { .. }) => say(&format!("pin {us} extended")),
                Ok(PinOutcome::Refused { .. }) => say(&format!("pin {us} refused")),
                Err(e) => say(&format!("err {}", e.text(Lang::En))),
            }
        } else {
            let doc = format!("T{me}-{i}");
            let sale = NewSale {
                doc: Some(doc.clone()),
                date,
                partner: id,
                client_inn: client,
                client_name: String::new(),
                kind: LicenseKind::DevServices,
                amount: rub("10 000"),
                role: RoleFacts::default(),
            };
            match store.write_on_client(&client, |db| db.record_sale(&sale)) {
                Ok(_) => say(&format!("sale {doc}")),
                Err(e) => say(&format!("err {}", e.text(Lang::En))),
            }
        }
    }
}

/// `n` valid client INNs, the same in every process.
pub fn client_inns(n: u64) -> Vec<Inn> {
    (0..n)
        .map(|i| Inn::complete(&format!("{:09}", 500_000_000 + i * 7919)).unwrap())
        .collect()
}
