//! Case 5: schema upgrades. Before upgrading, the program copies the file beside itself
//! with the backup API and checks the copy; a child opening an old file is killed at random
//! moments, and the file must always be at the old version or the new one, whole.

use std::path::Path;
use std::time::Duration;

use partner_desk::store::{SCHEMA_VERSION, Store};

use super::{Rng, integrity, report_lines, row_counts, spawn_child, wait_ready};
use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub runs: u64,
    pub at_old: u64,
    pub at_new: u64,
    pub between: u64,
    pub corrupt: u64,
    pub rows_changed: u64,
    /// Backups found beside the file after a run, and those that did not check out.
    pub backups: u64,
    pub backups_bad: u64,
}

/// Takes a database back to schema 1 as an older program left it: every table, index and
/// trigger that schema 1 did not have is dropped. (A later migration that alters a table of
/// schema 1 must be undone here too.)
pub fn rewind_to_v1(path: &Path) {
    const V1_TABLES: [&str; 9] = [
        "partners",
        "specialists",
        "status_changes",
        "clients",
        "pins",
        "pin_events",
        "rate_versions",
        "rate_cells",
        "sales",
    ];
    let raw = rusqlite::Connection::open(path).unwrap();
    // Later tables refer to one another (payments to issued statements); dropped whole.
    raw.pragma_update(None, "foreign_keys", false).unwrap();
    // Schema 7's triggers name columns of schema 6, which added who recorded each event to
    // tables of schema 1.
    raw.execute_batch("DROP TRIGGER sales_locked_update; DROP TRIGGER sales_return_insert;")
        .unwrap();
    for table in ["status_changes", "pin_events", "sales", "rate_versions"] {
        raw.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN recorded_by"))
            .unwrap();
    }
    let later: Vec<(String, String)> = raw
        .prepare(
            "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'
             AND (tbl_name NOT IN (SELECT value FROM json_each(?1))
                  OR (type = 'trigger' AND name LIKE '%locked%'))",
        )
        .unwrap()
        .query_map([serde_json::to_string(&V1_TABLES).unwrap()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (kind, name) in later.iter().filter(|(k, _)| k == "trigger") {
        raw.execute_batch(&format!("DROP {kind} \"{name}\""))
            .unwrap();
    }
    for (kind, name) in later.iter().filter(|(k, _)| k == "table") {
        raw.execute_batch(&format!("DROP {kind} \"{name}\""))
            .unwrap();
    }
    raw.pragma_update(None, "user_version", 1).unwrap();
}

fn version(path: &Path) -> i64 {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Tables present exactly as the version says (schema 2 added issued statements).
fn tables_match_version(path: &Path, version: i64) -> bool {
    let raw = rusqlite::Connection::open(path).unwrap();
    let issued: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'issued_statements'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (issued == 1) == (version >= 2)
}

pub fn run(runs: u64, max_delay_ms: u64, seed: u64) -> Figures {
    let t = TempDb::new();
    let template = t.dir.path().join("template.sqlite3");
    {
        let mut s = Store::open(&template).unwrap();
        partner_desk::demo::fill(&mut s, d("2025-06-30")).unwrap();
    }
    rewind_to_v1(&template);
    let old_counts = row_counts(&template);
    let mut rng = Rng::new(seed);
    let mut f = Figures::default();
    for run in 0..runs {
        let dir = t.dir.path().join(format!("run{run}"));
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join("pd.sqlite3");
        std::fs::copy(&template, &path).unwrap();
        let mut child = spawn_child("migrate", &[path.to_str().unwrap()]);
        let lines = report_lines(&mut child);
        wait_ready(&lines);
        std::thread::sleep(Duration::from_micros(rng.range(0, max_delay_ms * 1000)));
        child.kill().unwrap();
        child.wait().unwrap();
        f.runs += 1;
        if integrity(&path) != "ok" {
            f.corrupt += 1;
            continue;
        }
        let v = version(&path);
        match v {
            1 => f.at_old += 1,
            v if v == SCHEMA_VERSION => f.at_new += 1,
            _ => f.between += 1,
        }
        if !tables_match_version(&path, v) {
            f.between += 1;
        }
        let backup = dir.join(format!("pd-before-v{SCHEMA_VERSION}.sqlite3"));
        if backup.exists() {
            f.backups += 1;
            if integrity(&backup) != "ok"
                || version(&backup) != 1
                || row_counts(&backup) != old_counts
            {
                f.backups_bad += 1;
            }
        }
        // The next start finishes the upgrade, and nothing recorded is lost on the way.
        drop(Store::open(&path).unwrap());
        let now: Vec<_> = row_counts(&path)
            .into_iter()
            .filter(|(t, _)| old_counts.iter().any(|(o, _)| o == t))
            .collect();
        if now != old_counts || version(&path) != SCHEMA_VERSION {
            f.rows_changed += 1;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    f
}

#[test]
fn an_upgrade_killed_midway_leaves_the_old_version_or_the_new_never_between() {
    let f = run(10, 40, 5);
    assert_eq!(
        (f.between, f.corrupt, f.rows_changed, f.backups_bad),
        (0, 0, 0, 0),
        "{f:?}"
    );
}
