//! Case 6: backups. `partner-desk backup FILE` and the store's backup (what File ▸ Back up…
//! runs) use SQLite's online backup API; every copy, also one taken while another process
//! writes, restores with `integrity_check` ok and the same rows. Automatic backups on start
//! keep the last N.

use std::process::Command;

use partner_desk::store::Store;

use super::{integrity, report_lines, row_counts, spawn_child, wait_ready};
use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub backups: u64,
    pub restored_ok: u64,
    pub counts_differ: u64,
    pub corrupt: u64,
    /// Copies taken while a writer process was committing sales.
    pub during_writes: u64,
    pub during_writes_bad: u64,
}

pub fn run(backups: u64, during_writes: u64) -> Figures {
    let t = TempDb::new();
    super::crash::prepare(&t.path);
    let mut f = Figures::default();
    let alfa = t.open().read().partner_by_inn(&inn(ALFA)).unwrap().unwrap();
    for i in 0..backups {
        {
            let mut s = t.open();
            for j in 0..3 {
                let mut x = sale(
                    alfa,
                    "2025-02-01",
                    C1,
                    partner_desk::domain::LicenseKind::Saas,
                    "10",
                );
                x.doc = Some(format!("b{i}-{j}"));
                s.write(|db| db.record_sale(&x)).unwrap();
            }
        }
        let copy = t.dir.path().join(format!("copy{i}.sqlite3"));
        if i % 2 == 0 {
            let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
                .arg("--db")
                .arg(&t.path)
                .arg("backup")
                .arg(&copy)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        } else {
            t.open().backup_to(&copy).unwrap();
        }
        f.backups += 1;
        // Restoring is opening the copy (or copying it back): it must be whole and equal.
        let restored = t.dir.path().join(format!("restored{i}.sqlite3"));
        std::fs::copy(&copy, &restored).unwrap();
        if integrity(&restored) != "ok" || Store::open(&restored).is_err() {
            f.corrupt += 1;
        } else if row_counts(&restored) != row_counts(&t.path) {
            f.counts_differ += 1;
        } else {
            f.restored_ok += 1;
        }
        let _ = std::fs::remove_file(&copy);
        let _ = std::fs::remove_file(&restored);
    }
    // Copies taken while another process writes: whole, and at one committed state.
    let mut child = spawn_child("writer", &[t.path.to_str().unwrap(), "b", "100000"]);
    let lines = report_lines(&mut child);
    wait_ready(&lines);
    super::go(&t.path);
    let store = t.open();
    let sales = |p: &std::path::Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("SELECT count(*) FROM sales", [], |r| r.get(0))
            .unwrap()
    };
    for i in 0..during_writes {
        let before = sales(&t.path);
        let copy = t.dir.path().join(format!("live{i}.sqlite3"));
        store.backup_to(&copy).unwrap();
        let after = sales(&t.path);
        f.during_writes += 1;
        let n = sales(&copy);
        if integrity(&copy) != "ok" || n < before || n > after {
            f.during_writes_bad += 1;
        }
        let _ = std::fs::remove_file(&copy);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(lines);
    f
}

#[test]
fn every_backup_restores_whole_with_the_same_rows_even_while_another_process_writes() {
    let f = run(4, 5);
    assert_eq!(f.restored_ok, f.backups, "{f:?}");
    assert_eq!(
        (f.corrupt, f.counts_differ, f.during_writes_bad),
        (0, 0, 0),
        "{f:?}"
    );
}

#[test]
fn automatic_backups_on_start_keep_the_last_n() {
    let t = TempDb::new();
    let s = t.open();
    let folder = partner_desk::backup::folder(&t.path);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "a file of the user's").unwrap();
    for second in 10..17 {
        let stamp = format!("20261126-1200{second}");
        let copy = partner_desk::backup::on_start(&s, 3, &stamp).unwrap();
        assert_eq!(integrity(&copy), "ok");
    }
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "notes.txt",
            "test-20261126-120014.sqlite3",
            "test-20261126-120015.sqlite3",
            "test-20261126-120016.sqlite3"
        ]
    );
}
