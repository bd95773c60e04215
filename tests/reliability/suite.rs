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
    let ran = run_every_case();
    let rows = ran.rows();
    let doc = ran.document(&rows, started);
    println!("{doc}");
    std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/docs/RELIABILITY.md"),
        &doc,
    )
    .unwrap();
    for (name, _, result, ok) in &rows {
        assert!(ok, "{name}: {result}");
    }
    for o in &ran.hostile_files {
        assert!(o.peak_mb <= workbooks::MAX_PEAK_MB, "{o:?}");
    }
}

/// Every case's figures at full size, with how long each took.
struct Ran {
    crash: crash::Figures,
    writers: writers::Figures,
    pins: pin_race::Figures,
    files: files::Figures,
    migration: migration::Figures,
    backups: backups::Figures,
    hostile: hostile::Figures,
    nasties: Vec<(String, String, bool)>,
    fuzz: hostile::FuzzFigures,
    money: money::Figures,
    injection: injection::Figures,
    lock: lock::Figures,
    hostile_files: Vec<workbooks::Outcome>,
    hostile_seconds: f64,
    /// How long cases 1 to 10 took, in order.
    took: Vec<Duration>,
}

/// A row of the table: the case, what was run, what came of it, and whether it is as
/// promised.
type Row = (&'static str, String, String, bool);

/// Runs every case at full size, in order, timing each.
fn run_every_case() -> Ran {
    let mut took = Vec::new();
    let mut timed = |t: Instant| took.push(t.elapsed());
    let t = Instant::now();
    let crash = crash::run(200, 400, 101);
    timed(t);
    let t = Instant::now();
    let writers = writers::run(4, 300);
    timed(t);
    let t = Instant::now();
    let pins = pin_race::run(1000, 100);
    timed(t);
    let t = Instant::now();
    let files = files::run(1000, 103);
    timed(t);
    let t = Instant::now();
    let migration = migration::run(200, 40, 105);
    timed(t);
    let t = Instant::now();
    let backups = backups::run(50, 50);
    timed(t);
    let t = Instant::now();
    let hostile = hostile::random_run(Duration::from_secs(60), 107);
    let nasties = hostile::nasties();
    let fuzz = hostile::cargo_fuzz(60);
    timed(t);
    let t = Instant::now();
    let money = money::run(1_000_000, 108);
    timed(t);
    let t = Instant::now();
    let injection = injection::run();
    timed(t);
    let t = Instant::now();
    let lock = lock::run(300);
    timed(t);
    let t = Instant::now();
    let hostile_files = workbooks::run(true);
    let hostile_seconds = t.elapsed().as_secs_f64();
    Ran {
        crash,
        writers,
        pins,
        files,
        migration,
        backups,
        hostile,
        nasties,
        fuzz,
        money,
        injection,
        lock,
        hostile_files,
        hostile_seconds,
        took,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl Ran {
    /// The table's rows, case by case.
    fn rows(&self) -> Vec<Row> {
        let mut rows = self.writing_rows();
        rows.extend(self.file_rows());
        rows.extend(self.input_rows());
        rows
    }

    /// Cases 1 to 3: crashes during writes, concurrent writers, the pin race.
    fn writing_rows(&self) -> Vec<Row> {
        vec![
            (
                "1. Crash during writes (SIGKILL)",
                format!(
                    "{} runs; {} committed transactions, each looked for after its run and every later one ({} look-ups)",
                    self.crash.runs, self.crash.committed, self.crash.checks
                ),
                format!(
                    "lost **{}**, half-applied **{}**, corrupt **{}**",
                    self.crash.lost, self.crash.half_applied, self.crash.corrupt
                ),
                self.crash.lost + self.crash.half_applied + self.crash.corrupt == 0,
            ),
            (
                "2. Concurrent writers",
                format!(
                    "{} processes × {} operations; {} committed in {:.1} s",
                    self.writers.writers,
                    self.writers.ops / self.writers.writers,
                    self.writers.committed,
                    self.writers.elapsed.as_secs_f64()
                ),
                format!(
                    "\"database is locked\" **{}**, other errors **{}**, lost **{}**; wait for the lock p50 {}, p99 **{}**, max {}",
                    self.writers.locked,
                    self.writers.errors - self.writers.locked,
                    self.writers.lost,
                    ms(self.writers.p50_wait),
                    ms(self.writers.p99_wait),
                    ms(self.writers.max_wait)
                ),
                self.writers.errors + self.writers.lost == 0,
            ),
            (
                "3. Pin race",
                format!(
                    "{} processes × {} attempts on {} clients: {} pinned, {} extended, {} refused",
                    self.pins.processes,
                    self.pins.attempts / self.pins.processes,
                    100,
                    self.pins.pinned,
                    self.pins.extended,
                    self.pins.refused
                ),
                format!(
                    "overlapping pins in force **{}**; refusals naming the holder {} of {}; errors **{}**",
                    self.pins.overlapping,
                    self.pins.refused_with_message,
                    self.pins.refused,
                    self.pins.errors
                ),
                self.pins.overlapping + self.pins.errors == 0
                    && self.pins.refused_with_message == self.pins.refused,
            ),
        ]
    }

    /// Cases 4 to 6: damaged or foreign files, a migration killed midway, backups.
    fn file_rows(&self) -> Vec<Row> {
        vec![
            (
                "4. Damaged or foreign files",
                format!(
                    "6 kinds × (command-line read, write, window) = {} checks; {} random byte-run flips",
                    self.files.checks, self.files.flips
                ),
                format!(
                    "clear message {} of {}; panics **{}**; files changed **{}**; flips: refused at open {}, opened {} (damage SQLite cannot see), panics **{}**, files changed **{}**",
                    self.files.clear_message,
                    self.files.checks,
                    self.files.panics,
                    self.files.bytes_changed,
                    self.files.flips_refused,
                    self.files.flips_opened,
                    self.files.flips_panics,
                    self.files.flips_changed
                ),
                self.files.panics
                    + self.files.bytes_changed
                    + self.files.flips_panics
                    + self.files.flips_changed
                    == 0
                    && self.files.clear_message == self.files.checks,
            ),
            (
                "5. Migration killed midway",
                format!(
                    "{} runs: killed at the old version {}, at the new {}; {} backups found",
                    self.migration.runs,
                    self.migration.at_old,
                    self.migration.at_new,
                    self.migration.backups
                ),
                format!(
                    "between versions **{}**, corrupt **{}**, rows changed **{}**, bad backups **{}**",
                    self.migration.between,
                    self.migration.corrupt,
                    self.migration.rows_changed,
                    self.migration.backups_bad
                ),
                self.migration.between
                    + self.migration.corrupt
                    + self.migration.rows_changed
                    + self.migration.backups_bad
                    == 0,
            ),
            (
                "6. Backups",
                format!(
                    "{} backups (command line and store API), {} more while another process writes",
                    self.backups.backups, self.backups.during_writes
                ),
                format!(
                    "restored whole with the same rows {} of {}; corrupt **{}**, rows differ **{}**, bad live copies **{}**",
                    self.backups.restored_ok,
                    self.backups.backups,
                    self.backups.corrupt,
                    self.backups.counts_differ,
                    self.backups.during_writes_bad
                ),
                self.backups.corrupt + self.backups.counts_differ + self.backups.during_writes_bad
                    == 0,
            ),
        ]
    }

    /// Cases 7 to 10: hostile input, money, spreadsheet injection, the period lock.
    fn input_rows(&self) -> Vec<Row> {
        let nasties_ok = self.nasties.iter().filter(|(_, _, ok)| *ok).count();
        vec![
            (
                "7. Hostile input",
                format!(
                    "{} s of random input: {} parser texts ({} accepted amounts), {} CSV files, {} statements; {} known nasties",
                    self.hostile.seconds,
                    self.hostile.inputs,
                    self.hostile.accepted_amounts,
                    self.hostile.files,
                    self.hostile.statements,
                    self.nasties.len()
                ),
                format!(
                    "panics **{}**; accepted amounts not read back exactly **{}**; nasties handled as required {} of {}; {}",
                    self.hostile.panics,
                    self.hostile.not_round_trip,
                    nasties_ok,
                    self.nasties.len(),
                    match &self.fuzz.skipped {
                        Some(why) => why.clone(),
                        None => format!(
                            "`cargo fuzz` target `hostile_input`: {} runs in {} s, crashes **{}**",
                            self.fuzz.runs, self.fuzz.seconds, self.fuzz.crashes
                        ),
                    }
                ),
                self.hostile.panics + self.hostile.not_round_trip + self.fuzz.crashes == 0
                    && nasties_ok == self.nasties.len(),
            ),
            (
                "8. Money",
                format!("{} random (amount, rate) pairs", self.money.pairs),
                format!(
                    "differences from integer kopecks **{}**",
                    self.money.differences
                ),
                self.money.differences == 0,
            ),
            (
                "9. Spreadsheet injection",
                format!(
                    "{} names starting with = + - @ tab CR; cells read back: CSV {}, XLSX {}",
                    injection::NAMES.len(),
                    self.injection.csv_cells_checked,
                    self.injection.xlsx_cells_checked
                ),
                format!(
                    "formulas: CSV **{}**, XLSX **{}**",
                    self.injection.csv_formulas, self.injection.xlsx_formulas
                ),
                self.injection.csv_formulas + self.injection.xlsx_formulas == 0,
            ),
            (
                "10. Period lock",
                format!(
                    "raw SQL on {} locked sales: {} changes attempted; {} changes the lock must allow",
                    300, self.lock.attempted, self.lock.allowed_attempted
                ),
                format!(
                    "refused {} of {}; refused wrongly **{}**",
                    self.lock.refused, self.lock.attempted, self.lock.refused_wrongly
                ),
                self.lock.refused == self.lock.attempted && self.lock.refused_wrongly == 0,
            ),
        ]
    }

    /// docs/RELIABILITY.md: what is promised, the latest run, the cases' table, the known
    /// nasties, the hostile files and the notes.
    fn document(&self, rows: &[Row], started: Instant) -> String {
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
        for ((name, what, result, ok), took) in rows.iter().zip(&self.took) {
            let _ = writeln!(
                doc,
                "| {name} | {what} ({:.0} s) | {result} | {} |",
                took.as_secs_f64(),
                if *ok { "ok" } else { "**FAILED**" }
            );
        }
        self.nasties_table(&mut doc);
        self.hostile_files_table(&mut doc);
        doc.push('\n');
        doc.push_str(NOTES);
        doc
    }

    /// The known nasties (case 7), each with what the program made of it.
    fn nasties_table(&self, doc: &mut String) {
        let _ = writeln!(
            doc,
            "\nKnown nasties (case 7), each with what the program made of it:\n"
        );
        let _ = writeln!(doc, "| input | outcome | as required |\n|---|---|---|");
        for (input, outcome, ok) in &self.nasties {
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(
                doc,
                "| {} | `{}` | {} |",
                cell(input),
                cell(outcome),
                if *ok { "yes" } else { "**no**" }
            );
        }
    }

    /// The hostile files (case 15), each with what the program said, its peak memory and
    /// the rows it changed.
    fn hostile_files_table(&self, doc: &mut String) {
        let hostile_seconds = self.hostile_seconds;
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
        for o in &self.hostile_files {
            let said = o.said.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(
                doc,
                "| {} | {said} | {} MB | {} |",
                o.what, o.peak_mb, o.rows_changed
            );
        }
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
