//! Case 2: several processes write the same file at once. `BEGIN IMMEDIATE` with a busy
//! timeout makes each wait its turn: no "database is locked" reaches the user and no write
//! is lost. The figure is how long a write waited for the lock.

use std::time::{Duration, Instant};

use super::{report_lines, spawn_child, wait_ready};
use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub writers: u64,
    pub ops: u64,
    pub committed: u64,
    pub errors: u64,
    pub locked: u64,
    pub lost: u64,
    pub p50_wait: Duration,
    pub p99_wait: Duration,
    pub max_wait: Duration,
    pub elapsed: Duration,
}

pub fn run(writers: u64, ops: u64) -> Figures {
    let t = TempDb::new();
    super::crash::prepare(&t.path);
    let started = Instant::now();
    let mut children: Vec<_> = (0..writers)
        .map(|id| {
            let mut child = spawn_child(
                "writer",
                &[t.path.to_str().unwrap(), &id.to_string(), &ops.to_string()],
            );
            let lines = report_lines(&mut child);
            (child, lines)
        })
        .collect();
    for (_, lines) in &children {
        wait_ready(lines);
    }
    super::go(&t.path);
    let mut f = Figures {
        writers,
        ops: writers * ops,
        ..Figures::default()
    };
    let mut waits = Vec::new();
    let mut docs = Vec::new();
    for (child, lines) in &mut children {
        for line in lines.iter() {
            let mut parts = line.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("ok"), Some(doc), Some(micros)) => {
                    waits.push(Duration::from_micros(micros.parse().unwrap()));
                    docs.push(doc.to_owned());
                }
                (Some("err"), _, message) => {
                    f.errors += 1;
                    let message = message.unwrap_or_default().to_lowercase();
                    if message.contains("locked") || message.contains("busy") {
                        f.locked += 1;
                    }
                }
                _ => panic!("unexpected report {line:?}"),
            }
        }
        assert!(child.wait().unwrap().success());
    }
    f.elapsed = started.elapsed();
    f.committed = docs.len() as u64;
    let conn = rusqlite::Connection::open(&t.path).unwrap();
    for doc in &docs {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sales WHERE doc = ?1", [doc], |r| {
                r.get(0)
            })
            .unwrap();
        if n != 1 {
            f.lost += 1;
        }
    }
    waits.sort();
    let at = |q: f64| {
        waits
            .get(((waits.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    f.p50_wait = at(0.50);
    f.p99_wait = at(0.99);
    f.max_wait = waits.last().copied().unwrap_or_default();
    f
}

#[test]
fn concurrent_writers_never_see_a_locked_database_and_lose_nothing() {
    let f = run(4, 30);
    assert_eq!((f.errors, f.locked, f.lost), (0, 0, 0), "{f:?}");
    assert_eq!(f.committed, 120, "{f:?}");
}

#[test]
fn a_second_window_on_the_same_file_is_told_another_is_open() {
    let t = TempDb::new();
    let first = t.open();
    assert!(first.claim_instance());
    let second = t.open();
    assert!(!second.claim_instance());
    assert!(second.other_instance());
    assert!(!first.other_instance(), "the first window holds the mark");
    assert!(
        super::files::window_says(&t.path, "база открыта и в другом окне"),
        "a window opened now says so in its status bar"
    );
    drop(first);
    // A process started by another test at this moment holds a copy of every open file
    // until it has started, the mark's too; a window asks again on every frame.
    let deadline = Instant::now() + Duration::from_secs(5);
    while second.other_instance() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !second.other_instance(),
        "the other closed: this one takes over"
    );
    assert!(!t.open().claim_instance());
}
