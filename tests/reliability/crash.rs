//! Case 1: a child imports files and records sales in a loop and is killed with SIGKILL at
//! a random moment, again and again on the same file. After each kill the file must open,
//! pass `integrity_check`, hold every transaction the child reported committed, and hold
//! each imported file whole or not at all.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use partner_desk::domain::Status;

use super::child::{BULK_IMPORT_ROWS, IMPORT_ROWS};
use super::{Rng, integrity, report_lines, spawn_child, wait_ready};
use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub runs: u64,
    /// Transactions the children reported committed; each is looked for after its own run
    /// and again after every later one.
    pub committed: u64,
    pub checks: u64,
    pub lost: u64,
    pub half_applied: u64,
    pub corrupt: u64,
}

/// A database with Альфа (Dealer) holding a pin of C1 from 2025-01-01.
pub fn prepare(path: &Path) {
    let mut s = partner_desk::store::Store::open(path).unwrap();
    let a = alfa(&mut s, Status::Dealer);
    s.write(|db| db.request_pin(&inn(C1), "АО «Клиент»", a, d("2025-01-01"), ""))
        .unwrap();
}

pub fn run(runs: u64, max_delay_ms: u64, seed: u64) -> Figures {
    let t = TempDb::new();
    prepare(&t.path);
    let mut rng = Rng::new(seed);
    let mut sales = BTreeSet::new();
    let mut imports = BTreeSet::new();
    let mut f = Figures::default();
    for run in 0..runs {
        let mut child = spawn_child("crash", &[t.path.to_str().unwrap(), &format!("r{run}")]);
        let lines = report_lines(&mut child);
        wait_ready(&lines);
        std::thread::sleep(Duration::from_millis(rng.range(0, max_delay_ms)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        for line in lines.iter() {
            match line.split_once(' ') {
                Some(("sale", doc)) => sales.insert(doc.to_owned()),
                Some(("import", group)) => imports.insert(group.to_owned()),
                _ => panic!("unexpected report {line:?}"),
            };
        }
        f.runs += 1;
        if integrity(&t.path) != "ok" {
            f.corrupt += 1;
            continue;
        }
        let store = match partner_desk::store::Store::open(&t.path) {
            Ok(store) => store,
            Err(_) => {
                f.corrupt += 1;
                continue;
            }
        };
        drop(store);
        let conn = rusqlite::Connection::open(&t.path).unwrap();
        let docs: std::collections::HashSet<String> = conn
            .prepare("SELECT doc FROM sales WHERE doc IS NOT NULL")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for doc in &sales {
            f.checks += 1;
            if !docs.contains(doc) {
                f.lost += 1;
            }
        }
        for group in &imports {
            f.checks += 1;
            if !docs.contains(&format!("{group}/0")) {
                f.lost += 1;
            }
        }
        // Every imported file, reported or not, is in the database whole or not at all
        // (the large ones, `-b`, loaded in bulk).
        f.half_applied += conn
            .query_row(
                "SELECT count(*) FROM (SELECT substr(doc, 1, instr(doc, '/') - 1) AS file, count(*) AS n
                 FROM sales WHERE doc LIKE '%/%' GROUP BY file
                 HAVING n <> CASE WHEN file LIKE '%-b%' THEN ?2 ELSE ?1 END)",
                [IMPORT_ROWS as i64, BULK_IMPORT_ROWS as i64],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as u64;
        // A bulk load sets the lists' indexes and the period lock's trigger aside inside
        // its transaction: killed, it must leave them in place.
        let schema: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name IN
                 ('sales_date', 'sales_partner_date', 'sales_client', 'sales_locked_insert')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if schema != 4 {
            f.corrupt += 1;
        }
    }
    f.committed = (sales.len() + imports.len()) as u64;
    f
}

#[test]
fn killed_writers_lose_no_committed_transaction_and_leave_no_half_import() {
    let f = run(10, 300, 1);
    assert_eq!((f.lost, f.half_applied, f.corrupt), (0, 0, 0), "{f:?}");
    assert_eq!(f.runs, 10);
    assert!(f.committed > 0, "the children committed something: {f:?}");
}
