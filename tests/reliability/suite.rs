//! The long suite: every case at full size, its figures printed and written to
//! docs/RELIABILITY.md with the command that reproduces them.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::{
    backups, crash, files, hostile, injection, lock, migration, money, pin_race, workbooks, writers,
};

/// The command that runs this suite.
pub const COMMAND: &str =
    "cargo test --test tests reliability::suite::long_suite -- --ignored --nocapture";

/// What the long suite writes under the table: how each case is run and what it cannot see.
const NOTES: &str = include_str!("notes.md");

#[test]
#[ignore = "the long reliability suite takes minutes; its results are in docs/RELIABILITY.md"]
fn long_suite() {
    let started = Instant::now();
    let mut timed = Vec::new();
    let mut time = |name: &str, since: Instant| timed.push((name.to_owned(), since.elapsed()));

    let t = Instant::now();
    let c = crash::run(200, 400, 101);
    time("1", t);
    let t = Instant::now();
    let w = writers::run(4, 300);
    time("2", t);
    let t = Instant::now();
    let p = pin_race::run(1000, 100);
    time("3", t);
    let t = Instant::now();
    let fl = files::run(1000, 103);
    time("4", t);
    let t = Instant::now();
    let m = migration::run(200, 40, 105);
    time("5", t);
    let t = Instant::now();
    let b = backups::run(50, 50);
    time("6", t);
    let t = Instant::now();
    let h = hostile::random_run(Duration::from_secs(60), 107);
    let nasties = hostile::nasties();
    let fuzz = hostile::cargo_fuzz(60);
    time("7", t);
    let t = Instant::now();
    let mo = money::run(1_000_000, 108);
    time("8", t);
    let t = Instant::now();
    let i = injection::run();
    time("9", t);
    let t = Instant::now();
    let l = lock::run(300);
    time("10", t);
    let t = Instant::now();
    let hostile_files = workbooks::run(true);
    let hostile_seconds = t.elapsed().as_secs_f64();

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let nasties_ok = nasties.iter().filter(|(_, _, ok)| *ok).count();
    let rows: Vec<(&str, String, String, bool)> = vec![
        (
            "1. Crash during writes (SIGKILL)",
            format!(
                "{} runs; {} committed transactions, each looked for after its run and every later one ({} look-ups)",
                c.runs, c.committed, c.checks
            ),
            format!(
                "lost **{}**, half-applied **{}**, corrupt **{}**",
                c.lost, c.half_applied, c.corrupt
            ),
            c.lost + c.half_applied + c.corrupt == 0,
        ),
        (
            "2. Concurrent writers",
            format!(
                "{} processes × {} operations; {} committed in {:.1} s",
                w.writers,
                w.ops / w.writers,
                w.committed,
                w.elapsed.as_secs_f64()
            ),
            format!(
                "\"database is locked\" **{}**, other errors **{}**, lost **{}**; wait for the lock p50 {}, p99 **{}**, max {}",
                w.locked,
                w.errors - w.locked,
                w.lost,
                ms(w.p50_wait),
                ms(w.p99_wait),
                ms(w.max_wait)
            ),
            w.errors + w.lost == 0,
        ),
        (
            "3. Pin race",
            format!(
                "{} processes × {} attempts on {} clients: {} pinned, {} extended, {} refused",
                p.processes,
                p.attempts / p.processes,
                100,
                p.pinned,
                p.extended,
                p.refused
            ),
            format!(
                "overlapping pins in force **{}**; refusals naming the holder {} of {}; errors **{}**",
                p.overlapping, p.refused_with_message, p.refused, p.errors
            ),
            p.overlapping + p.errors == 0 && p.refused_with_message == p.refused,
        ),
        (
            "4. Damaged or foreign files",
            format!(
                "6 kinds × (command-line read, write, window) = {} checks; {} random byte-run flips",
                fl.checks, fl.flips
            ),
            format!(
                "clear message {} of {}; panics **{}**; files changed **{}**; flips: refused at open {}, opened {} (damage SQLite cannot see), panics **{}**, files changed **{}**",
                fl.clear_message,
                fl.checks,
                fl.panics,
                fl.bytes_changed,
                fl.flips_refused,
                fl.flips_opened,
                fl.flips_panics,
                fl.flips_changed
            ),
            fl.panics + fl.bytes_changed + fl.flips_panics + fl.flips_changed == 0
                && fl.clear_message == fl.checks,
        ),
        (
            "5. Migration killed midway",
            format!(
                "{} runs: killed at the old version {}, at the new {}; {} backups found",
                m.runs, m.at_old, m.at_new, m.backups
            ),
            format!(
                "between versions **{}**, corrupt **{}**, rows changed **{}**, bad backups **{}**",
                m.between, m.corrupt, m.rows_changed, m.backups_bad
            ),
            m.between + m.corrupt + m.rows_changed + m.backups_bad == 0,
        ),
        (
            "6. Backups",
            format!(
                "{} backups (command line and store API), {} more while another process writes",
                b.backups, b.during_writes
            ),
            format!(
                "restored whole with the same rows {} of {}; corrupt **{}**, rows differ **{}**, bad live copies **{}**",
                b.restored_ok, b.backups, b.corrupt, b.counts_differ, b.during_writes_bad
            ),
            b.corrupt + b.counts_differ + b.during_writes_bad == 0,
        ),
        (
            "7. Hostile input",
            format!(
                "{} s of random input: {} parser texts ({} accepted amounts), {} CSV files, {} statements; {} known nasties",
                h.seconds,
                h.inputs,
                h.accepted_amounts,
                h.files,
                h.statements,
                nasties.len()
            ),
            format!(
                "panics **{}**; accepted amounts not read back exactly **{}**; nasties handled as required {} of {}; {}",
                h.panics,
                h.not_round_trip,
                nasties_ok,
                nasties.len(),
                match &fuzz.skipped {
                    Some(why) => why.clone(),
                    None => format!(
                        "`cargo fuzz` target `hostile_input`: {} runs in {} s, crashes **{}**",
                        fuzz.runs, fuzz.seconds, fuzz.crashes
                    ),
                }
            ),
            h.panics + h.not_round_trip + fuzz.crashes == 0 && nasties_ok == nasties.len(),
        ),
        (
            "8. Money",
            format!("{} random (amount, rate) pairs", mo.pairs),
            format!("differences from integer kopecks **{}**", mo.differences),
            mo.differences == 0,
        ),
        (
            "9. Spreadsheet injection",
            format!(
                "{} names starting with = + - @ tab CR; cells read back: CSV {}, XLSX {}",
                injection::NAMES.len(),
                i.csv_cells_checked,
                i.xlsx_cells_checked
            ),
            format!(
                "formulas: CSV **{}**, XLSX **{}**",
                i.csv_formulas, i.xlsx_formulas
            ),
            i.csv_formulas + i.xlsx_formulas == 0,
        ),
        (
            "10. Period lock",
            format!(
                "raw SQL on {} locked sales: {} changes attempted; {} changes the lock must allow",
                300, l.attempted, l.allowed_attempted
            ),
            format!(
                "refused {} of {}; refused wrongly **{}**",
                l.refused, l.attempted, l.refused_wrongly
            ),
            l.refused == l.attempted && l.refused_wrongly == 0,
        ),
    ];

    let mut doc = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(doc, "# Reliability\n");
    let _ = writeln!(
        doc,
        "What the program promises about committed records, concurrent use, damaged files, \
         hostile input and hostile files, and the figures that back it. `cargo test` runs every case below at a \
         small size (in `tests/reliability/`); the long suite runs them at full size and wrote \
         this page.\n"
    );
    let _ = writeln!(
        doc,
        "Latest run: {} on a {cores}-core Linux machine, debug build (dependencies at \
         opt-level 2), {:.0} s in all. To reproduce:\n\n```\n{COMMAND}\n```\n",
        chrono::Local::now().format("%Y-%m-%d"),
        started.elapsed().as_secs_f64()
    );
    let _ = writeln!(doc, "| case | what was run | result | |\n|---|---|---|---|");
    for ((name, what, result, ok), (_, took)) in rows.iter().zip(&timed) {
        let _ = writeln!(
            doc,
            "| {name} | {what} ({:.0} s) | {result} | {} |",
            took.as_secs_f64(),
            if *ok { "ok" } else { "**FAILED**" }
        );
    }
    let _ = writeln!(
        doc,
        "\nKnown nasties (case 7), each with what the program made of it:\n"
    );
    let _ = writeln!(doc, "| input | outcome | as required |\n|---|---|---|");
    for (input, outcome, ok) in &nasties {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            doc,
            "| {} | `{}` | {} |",
            cell(input),
            cell(outcome),
            if *ok { "yes" } else { "**no**" }
        );
    }

    let _ = writeln!(
        doc,
        "\nHostile files (case 15, {hostile_seconds:.0} s), each imported as partners by a child \
         process; what it said is what the command line says; peak memory is the child's \
         `VmHWM` (the test binary alone takes about 16 MB):\n"
    );
    let _ = writeln!(
        doc,
        "| file | what the program said | peak memory | rows changed |\n|---|---|---|---|"
    );
    for o in &hostile_files {
        let said = o.said.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            doc,
            "| {} | {said} | {} MB | {} |",
            o.what, o.peak_mb, o.rows_changed
        );
    }

    doc.push('\n');
    doc.push_str(NOTES);
    println!("{doc}");
    std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/docs/RELIABILITY.md"),
        &doc,
    )
    .unwrap();
    for (name, _, result, ok) in &rows {
        assert!(ok, "{name}: {result}");
    }
    for o in &hostile_files {
        assert!(o.peak_mb <= workbooks::MAX_PEAK_MB, "{o:?}");
    }
}

/// The command that runs the team database's cases at full size, inside a throwaway cluster.
pub const SERVER_COMMAND: &str = "pg_virtualenv -o fsync=on -t sh -c 'PARTNER_DESK_TEST_SERVER=1 \
     cargo test --release --test tests reliability::suite::server_suite -- --ignored --nocapture'";

#[test]
#[ignore = "the team database's cases at full size take minutes; their results are in docs/RELIABILITY.md"]
fn server_suite() {
    assert!(
        crate::util::on_server(),
        "run it as docs/RELIABILITY.md says: {SERVER_COMMAND}"
    );
    let t = Instant::now();
    let p = pin_race::run(1000, 100);
    println!("pin race: {p:?} in {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!((p.overlapping, p.errors), (0, 0), "{p:?}");
    assert_eq!(p.refused_with_message, p.refused, "{p:?}");
    let t = Instant::now();
    let i = super::issue_race::run(500);
    println!("issue race: {i:?} in {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!((i.sales_outside_their_statement, i.errors), (0, 0), "{i:?}");
    let t = Instant::now();
    for pause_ms in [0, 100] {
        let team = super::team_load::full_size(pause_ms);
        println!(
            "team load, pauses up to {pause_ms} ms: {team:?} in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let k = crate::server::kill_imports(100_000, 50, crate::server::Kill::Connection);
    println!(
        "killed imports: {k:?} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!((k.partial, k.unexplained), (0, 0), "{k:?}");
    let t = Instant::now();
    let r = crate::server::kill_imports(100_000, 10, crate::server::Kill::Server);
    println!(
        "imports through a server restart: {r:?} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!((r.partial, r.unexplained), (0, 0), "{r:?}");
}
