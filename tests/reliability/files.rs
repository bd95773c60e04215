//! Case 4: damaged and foreign files. The command line and the window each get a truncated
//! database, one with bytes flipped in the middle, a file that is not SQLite, a database of
//! a newer version, one whose `-wal` was lost, and a read-only one. Each must say what is
//! wrong in a sentence (or, for the lost `-wal`, open as of its last checkpoint), never
//! panic, and leave the file's bytes as they were.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use partner_desk::app::{App, Config};
use partner_desk::domain::lang::Lang;
use partner_desk::store::Store;
use partner_desk::ui::dialogs::ScriptedDialogs;

use super::{Rng, hash};
use crate::util::*;

/// The kinds of bad file, with what the Russian message must contain.
pub const CASES: [(&str, &str); 6] = [
    ("truncated", "повреждён"),
    ("flipped", "повреждён"),
    ("not_sqlite", "не база Partner Desk"),
    ("newer", "более новой версией"),
    ("missing_wal", ""),
    ("read_only", "только для чтения"),
];

#[derive(Debug, Default)]
pub struct Figures {
    /// Case × (command line write, command line read, window).
    pub checks: u64,
    pub clear_message: u64,
    pub panics: u64,
    pub bytes_changed: u64,
    /// Random byte flips: trials, refused when opened, opened anyway, panics, changed files.
    pub flips: u64,
    pub flips_refused: u64,
    pub flips_opened: u64,
    pub flips_panics: u64,
    pub flips_changed: u64,
}

/// A database with data, closed cleanly (no `-wal` left).
fn good_database(dir: &Path) -> PathBuf {
    let path = dir.join("good.sqlite3");
    let mut s = Store::open(&path).unwrap();
    partner_desk::demo::fill(&mut s, d("2025-06-30")).unwrap();
    drop(s);
    path
}

/// Makes the bad file of `case` at `path` from the good database.
fn make(case: &str, good: &Path, path: &Path) {
    let bytes = std::fs::read(good).unwrap();
    match case {
        "truncated" => std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap(),
        "flipped" => {
            // The page at the middle of the file, from its header on.
            let page = 4096;
            let at = bytes.len() / 2 / page * page;
            let mut bytes = bytes.clone();
            for b in &mut bytes[at..at + 64] {
                *b ^= 0xA5;
            }
            std::fs::write(path, bytes).unwrap();
        }
        "not_sqlite" => {
            std::fs::write(path, b"inn;name\n7707083893;not a database\n".repeat(40)).unwrap()
        }
        "newer" => {
            std::fs::write(path, &bytes).unwrap();
            let raw = rusqlite::Connection::open(path).unwrap();
            raw.pragma_update(None, "user_version", 99).unwrap();
        }
        "missing_wal" => {
            // Work committed into the -wal of an open database; the main file is copied alone.
            std::fs::write(path, &bytes).unwrap();
            let mut s = Store::open(path).unwrap();
            let a = s.read().partner_by_inn(&inn(ALFA)).unwrap();
            if a.is_none() {
                partner(&mut s, ALFA, "ООО «Альфа»", false, None);
            }
            s.write(|db| db.upsert_client(&inn(C3), "только в -wal"))
                .unwrap();
            let copy = path.with_extension("copy");
            std::fs::copy(path, &copy).unwrap();
            drop(s);
            std::fs::rename(&copy, path).unwrap();
            for ext in ["sqlite3-wal", "sqlite3-shm"] {
                let _ = std::fs::remove_file(path.with_extension(ext));
            }
        }
        "read_only" => {
            std::fs::write(path, &bytes).unwrap();
            let mut perms = std::fs::metadata(path).unwrap().permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(path, perms).unwrap();
        }
        other => panic!("no case {other}"),
    }
}

fn cli(path: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .arg("--db")
        .arg(path)
        .args(args)
        .env("LANG", "ru_RU.UTF-8")
        .env("LC_ALL", "ru_RU.UTF-8")
        .env_remove("PARTNER_DESK_DB")
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout),
    )
}

/// Opens the window on `path` and tells whether it shows `words` somewhere.
pub fn window_says(path: &Path, words: &str) -> bool {
    let config = Config {
        lang: Some(Lang::Ru),
        today: Some(d("2025-06-30")),
        // The check for damage and the first reads answer within the first frame.
        background_reads: false,
        dialogs: Box::new(ScriptedDialogs {
            answers: Default::default(),
        }),
        ..Config::new(path.to_path_buf())
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| App::new(cc, config));
    h.run_ok();
    words.is_empty() || h.query_all_by_label_contains(words).count() >= 1
}

pub fn run(flips: u64, seed: u64) -> Figures {
    let t = TempDb::new();
    let good = good_database(t.dir.path());
    let mut f = Figures::default();
    let sales = t.file(
        "sales.csv",
        &format!("date,partner_inn,client_inn,kind,amount\n2025-01-10,{ALFA},{C2},its,100\n"),
    );
    let out = t.dir.path().join("out.json");
    for (case, words) in CASES {
        let path = t.dir.path().join(format!("{case}.sqlite3"));
        make(case, &good, &path);
        let before = hash(&path);
        // A read (a backup), a write (an import), and the window.
        // A lost -wal leaves a sound database: only a read is tried on it.
        let mut runs = vec![cli(&path, &["backup", out.to_str().unwrap()])];
        if case != "missing_wal" {
            runs.push(cli(&path, &["import", "sales", sales.to_str().unwrap()]));
        }
        for (status, text) in runs {
            f.checks += 1;
            if text.contains("panicked") || status.is_none() || status == Some(101) {
                f.panics += 1;
            }
            let refused = status == Some(1) && text.contains(words);
            if case == "missing_wal" || refused || (case == "read_only" && status == Some(0)) {
                f.clear_message += 1;
            }
        }
        f.checks += 1;
        match std::panic::catch_unwind(|| window_says(&path, words)) {
            Ok(true) => f.clear_message += 1,
            Ok(false) => {}
            Err(_) => f.panics += 1,
        }
        if hash(&path) != before {
            f.bytes_changed += 1;
        }
    }
    // Random damage: a run of flipped bytes anywhere in the file.
    let bytes = std::fs::read(&good).unwrap();
    let mut rng = Rng::new(seed);
    for trial in 0..flips {
        let path = t.dir.path().join(format!("flip{trial}.sqlite3"));
        let mut damaged = bytes.clone();
        let at = rng.range(0, bytes.len() as u64 - 16) as usize;
        for b in &mut damaged[at..at + 1 + rng.range(0, 16) as usize] {
            *b ^= rng.range(1, 256) as u8;
        }
        std::fs::write(&path, &damaged).unwrap();
        f.flips += 1;
        let opened = std::panic::catch_unwind(|| match Store::open(&path) {
            Ok(s) => {
                let db = s.read();
                // Reading all of it must give figures or an error, never a panic.
                let _ = db.counts();
                if let Ok(partners) = db.partners() {
                    for p in partners {
                        let _ =
                            db.statement(p.id, d("2024-01-01"), d("2025-12-31"), d("2026-01-01"));
                    }
                }
                true
            }
            Err(_) => false,
        });
        match opened {
            Ok(true) => f.flips_opened += 1,
            Ok(false) => f.flips_refused += 1,
            Err(_) => f.flips_panics += 1,
        }
        if std::fs::read(&path).unwrap() != damaged {
            f.flips_changed += 1;
        }
        let _ = std::fs::remove_file(&path);
    }
    f
}

#[test]
fn damaged_and_foreign_files_are_refused_in_a_sentence_and_left_unchanged() {
    let f = run(20, 3);
    assert_eq!((f.panics, f.bytes_changed), (0, 0), "{f:?}");
    assert_eq!(f.clear_message, f.checks, "{f:?}");
    assert_eq!((f.flips_panics, f.flips_changed), (0, 0), "{f:?}");
}

/// Case 4 at the long suite's size, alone: `cargo test --test tests
/// reliability::files::full_size -- --ignored --nocapture`.
#[test]
#[ignore = "case 4 at full size; its results are in docs/RELIABILITY.md"]
fn full_size() {
    let f = run(1000, 103);
    println!("{f:?}");
    assert_eq!((f.panics, f.bytes_changed), (0, 0), "{f:?}");
    assert_eq!(f.clear_message, f.checks, "{f:?}");
    assert_eq!((f.flips_panics, f.flips_changed), (0, 0), "{f:?}");
}
