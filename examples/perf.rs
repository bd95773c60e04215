//! The performance benchmark at company scale.
//!
//! ```text
//! cargo run --release --example perf -- [--sales N] [--dir DIR] [--doc FILE] [--import-only]
//! ```
//!
//! Generates a partner channel (by default 1,000,000 sales over 1,000 partners and 100,000
//! clients in three years, with pins and returns; the same data every run), imports it
//! through the program's own importer, and measures what users wait for: the import, the
//! largest partner's statement, a quarter's batch export, opening the window, frames of the
//! Sales page, memory and file size. Floors are measured in the same run with the `sqlite3`
//! command-line shell on the same files. Prints a table; at the default size (or with
//! `--doc`) also writes it to docs/PERFORMANCE.md.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use partner_desk::app::{App, Command, Config};
use partner_desk::domain::{Inn, Lang, LicenseKind, PartnerId};
use partner_desk::export::{self, Format};
use partner_desk::import::{self, ImportKind};
use partner_desk::store::{SalesQuery, Store};
use partner_desk::synthetic::{self, Files};
use partner_desk::ui::Page;

const DEFAULT_SALES: usize = 1_000_000;

/// How many times the sales import and its floor are timed, in turns; the best of each
/// is counted.
const IMPORT_TURNS: usize = 3;

struct Args {
    sales: usize,
    dir: PathBuf,
    doc: Option<PathBuf>,
    /// Stop after the sales import and its floor (for work on the importer).
    import_only: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = std::env::args().skip(1);
    let mut sales = DEFAULT_SALES;
    let mut dir = std::env::temp_dir().join("partner-desk-perf");
    let mut doc = None;
    let mut import_only = false;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sales" => {
                sales = value()?
                    .replace('_', "")
                    .parse()
                    .map_err(|e| format!("--sales: {e}"))?;
            }
            "--dir" => dir = PathBuf::from(value()?),
            "--doc" => doc = Some(PathBuf::from(value()?)),
            "--import-only" => import_only = true,
            "--app-phase" => {
                let db = PathBuf::from(value()?);
                let last_day: chrono::NaiveDate = value()?.parse().map_err(|e| format!("{e}"))?;
                app_phase(&db, last_day);
                return Ok(None);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if doc.is_none() && sales == DEFAULT_SALES && !import_only {
        doc = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/PERFORMANCE.md"));
    }
    Ok(Some(Args {
        sales,
        dir,
        doc,
        import_only,
    }))
}

/// One line of the result table.
struct Measure {
    name: String,
    value: String,
    target: String,
    met: Option<bool>,
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn main() {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => return,
        Err(e) => {
            eprintln!("perf: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("perf: {e}");
        std::process::exit(1);
    }
}

/// Waits for the files written so far to reach the disk (`sync`), so that a timed step
/// does not pay for the write-back of the one before.
fn settle() {
    let _ = Process::new("sync").status();
}

fn sqlite3() -> Result<PathBuf, String> {
    let found = |_: ()| {
        Process::new("sqlite3")
            .arg("-version")
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    if found(()).is_none() {
        eprintln!("perf: installing the sqlite3 shell for the floor measurements…");
        let _ = Process::new("sh")
            .args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3",
            ])
            .output();
    }
    found(())
        .map(|_| PathBuf::from("sqlite3"))
        .ok_or_else(|| "the sqlite3 shell is needed for the floors; install it".into())
}

fn run(args: &Args) -> Result<(), String> {
    let shell = sqlite3()?;
    let _ = std::fs::remove_dir_all(&args.dir);
    std::fs::create_dir_all(&args.dir).map_err(|e| e.to_string())?;
    eprintln!(
        "perf: generating {} sales in {}",
        args.sales,
        args.dir.display()
    );
    let (files, generated) = timed(|| synthetic::write_files(&args.dir, args.sales));
    let files = files.map_err(|e| e.to_string())?;
    eprintln!("perf: generated in {}", secs(generated));
    let db_path = args.dir.join("perf.sqlite3");
    let imports = import_phase(args, &shell, &files, &db_path)?;
    if args.import_only {
        return Ok(());
    }
    let store = Store::open(&db_path).map_err(|e| e.to_string())?;
    let size = checkpointed_size(&db_path)?;
    let statement = statement_phase(args, &shell, &store, &files, &db_path)?;
    let batch = batch_phase(args, &store, &files)?;
    drop(store);
    let window = window_phase(&db_path, &files)?;
    let figures = Figures {
        files: &files,
        imports,
        statement,
        batch,
        window,
        size,
    };
    let text = report(args, &files, &figures.measures());
    println!("{text}");
    if let Some(doc) = &args.doc {
        std::fs::write(doc, with_measured(doc, &text))
            .map_err(|e| format!("{}: {e}", doc.display()))?;
        eprintln!("perf: written to {}", doc.display());
    }
    Ok(())
}

/// Imports `path` as `kind` into `store`: what it imported, and how long it took.
fn import(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
) -> Result<(import::Summary, Duration), String> {
    let (result, took) = timed(|| import::import_file(store, kind, path));
    result
        .map(|s| (s, took))
        .map_err(|e| e.report(&path.display().to_string(), Lang::En))
}

/// A turn's times: the floor's and the sales import's.
type Turn = (Duration, Duration);

/// What the imports took.
struct Imports {
    partners: Duration,
    pins: Duration,
    /// The best of the turns: the floor's and the sales import's.
    floor: Duration,
    sales: Duration,
    turns: Vec<Turn>,
    /// The sales imported.
    sales_rows: usize,
    /// The same sales import with the window's connection open on the file.
    beside_window: Duration,
    returns: Duration,
}

impl Imports {
    fn rows_per_s(&self) -> f64 {
        self.sales_rows as f64 / self.sales.as_secs_f64()
    }
}

/// The imports into `db_path`: partners and pins, then the sales in turns with their floor
/// (the best of each counted), beside a window, and the returns.
fn import_phase(
    args: &Args,
    shell: &Path,
    files: &Files,
    db_path: &Path,
) -> Result<Imports, String> {
    let mut store = Store::open(db_path).map_err(|e| e.to_string())?;
    let (_, partners) = import(&mut store, ImportKind::Partners, &files.partners)?;
    let (_, pins) = import(&mut store, ImportKind::Pins, &files.pins)?;
    eprintln!(
        "perf: partners {} and pins {} imported",
        secs(partners),
        secs(pins)
    );
    let before_sales = args.dir.join("before-sales.sqlite3");
    store.backup_to(&before_sales).map_err(|e| e.to_string())?;
    drop(store);
    let (turns, mut store, summary) = sales_turns(args, shell, files, db_path, &before_sales)?;
    let beside_window = beside_window(args, files, &before_sales)?;
    eprintln!(
        "perf: the same import with a window open on the file: {}",
        secs(beside_window)
    );
    let best = |pick: fn(&Turn) -> Duration| turns.iter().map(pick).min().unwrap_or_default();
    let (floor, sales) = (best(|t| t.0), best(|t| t.1));
    let (_, returns) = import(&mut store, ImportKind::Returns, &files.returns)?;
    let imports = Imports {
        partners,
        pins,
        floor,
        sales,
        turns,
        sales_rows: summary.sales,
        beside_window,
        returns,
    };
    eprintln!(
        "perf: sales imported in {} ({:.0} rows/s), returns in {}",
        secs(imports.sales),
        imports.rows_per_s(),
        secs(returns)
    );
    eprintln!(
        "perf: sqlite3 .import {} · import is {:.2}× the floor",
        secs(imports.floor),
        imports.sales.as_secs_f64() / imports.floor.as_secs_f64()
    );
    Ok(imports)
}

/// The floor: the sqlite3 shell's .import of the same file into a plain table. The floor
/// and the sales import are timed in turns, IMPORT_TURNS times each, and the best time of
/// each is counted: this machine's speed drifts by a fifth over minutes, and a program's
/// best time is the one least disturbed by the rest of the machine. Each turn imports into
/// the database as it was before the sales, and each timed step starts with no write of
/// an earlier one still going to disk. Each turn's times, and the last turn's database
/// with what it imported.
fn sales_turns(
    args: &Args,
    shell: &Path,
    files: &Files,
    db_path: &Path,
    before_sales: &Path,
) -> Result<(Vec<Turn>, Store, import::Summary), String> {
    let floor_db = args.dir.join("floor.sqlite3");
    let floor = || -> Result<Duration, String> {
        let _ = std::fs::remove_file(&floor_db);
        settle();
        let (out, took) = timed(|| {
            Process::new(shell)
                .arg(&floor_db)
                .arg(format!(".import --csv {} sales", files.sales.display()))
                .output()
        });
        check(out, "sqlite3 .import")?;
        Ok(took)
    };
    let mut turns = Vec::new();
    let mut imported = None;
    for turn in 1..=IMPORT_TURNS {
        let floor_took = floor()?;
        drop(imported.take());
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = db_path.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        std::fs::copy(before_sales, db_path).map_err(|e| e.to_string())?;
        let mut store = Store::open(db_path).map_err(|e| e.to_string())?;
        settle();
        let (summary, took) = import(&mut store, ImportKind::Sales, &files.sales)?;
        eprintln!(
            "perf: turn {turn}: sqlite3 .import {}, sales import {} ({:.2}×)",
            secs(floor_took),
            secs(took),
            took.as_secs_f64() / floor_took.as_secs_f64()
        );
        turns.push((floor_took, took));
        imported = Some((store, summary));
    }
    let (store, summary) = imported.ok_or("no import was timed")?;
    Ok((turns, store, summary))
}

/// The window imports with its own connections open on the file: through the write-ahead
/// log (see `Store::write_bulk`). How long the sales import takes so.
fn beside_window(args: &Args, files: &Files, before_sales: &Path) -> Result<Duration, String> {
    let path = args.dir.join("window.sqlite3");
    std::fs::copy(before_sales, &path).map_err(|e| e.to_string())?;
    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
    let window = Store::open(&path).map_err(|e| e.to_string())?;
    settle();
    let (_, took) = import(&mut store, ImportKind::Sales, &files.sales)?;
    drop((window, store));
    let _ = std::fs::remove_file(&path);
    Ok(took)
}

/// The largest partner's statement over the three years, and its floor.
struct StatementTimes {
    lines: usize,
    json: Duration,
    xlsx: Duration,
    /// The same rows printed as CSV by the sqlite3 shell.
    floor: Duration,
}

/// The largest partner's statement over the three years, as JSON and XLSX, and the same
/// rows printed by the sqlite3 shell.
fn statement_phase(
    args: &Args,
    shell: &Path,
    store: &Store,
    files: &Files,
    db_path: &Path,
) -> Result<StatementTimes, String> {
    let (inn, _) = &files.largest_partner;
    let partner = store
        .read()
        .partner_by_inn(&Inn::parse(inn).map_err(|e| format!("{e:?}"))?)
        .map_err(|e| e.to_string())?
        .ok_or("the largest partner is missing")?;
    let (from, to) = (files.first_day, files.last_day);
    let statement_file = |format: Format| {
        let path = args.dir.join(format!("largest.{}", format.extension()));
        let (result, took) = timed(|| -> Result<usize, String> {
            let statement = store
                .read()
                .statement(partner, from, to, to)
                .map_err(|e| e.to_string())?;
            export::write_statement(&statement, &path, Lang::Ru).map_err(|e| e.to_string())?;
            Ok(statement.lines.len())
        });
        result.map(|lines| (lines, took))
    };
    let (lines, json) = statement_file(Format::Json)?;
    let (_, xlsx) = statement_file(Format::Xlsx)?;
    let floor_csv =
        std::fs::File::create(args.dir.join("floor-statement.csv")).map_err(|e| e.to_string())?;
    let (out, floor) = timed(|| {
        Process::new(shell)
            .arg("-csv")
            .arg(db_path)
            .arg(format!(
                "SELECT s.date, s.doc, s.client_inn, c.name, s.kind, s.amount_kop, s.rate_pct, s.premium_kop, s.reason
                 FROM sales s JOIN clients c ON c.inn = s.client_inn
                 WHERE s.partner_id = {} AND s.date BETWEEN '{from}' AND '{to}' ORDER BY s.date, s.id",
                partner.0
            ))
            .stdout(floor_csv)
            .output()
    });
    check(out, "sqlite3 statement query")?;
    eprintln!(
        "perf: statement of {lines} lines: JSON {}, XLSX {}, sqlite3 CSV {}",
        secs(json),
        secs(xlsx),
        secs(floor)
    );
    Ok(StatementTimes {
        lines,
        json,
        xlsx,
        floor,
    })
}

/// Every partner's statement for the last quarter, as Excel files: how many files, and
/// how long it took.
fn batch_phase(args: &Args, store: &Store, files: &Files) -> Result<(usize, Duration), String> {
    let (q_from, q_to) = synthetic::quarter_of(files.last_day);
    let batch_dir = args.dir.join("batch");
    let never = std::sync::atomic::AtomicBool::new(false);
    let (batch, took) = timed(|| {
        partner_desk::statements::export_all(
            store,
            q_from,
            q_to,
            q_to,
            &batch_dir,
            Format::Xlsx,
            Lang::Ru,
            &|_, _| {},
            &never,
        )
    });
    let batch = batch.map_err(|e| e.to_string())?;
    eprintln!(
        "perf: batch of {} files in {}",
        batch.files.len(),
        secs(took)
    );
    Ok((batch.files.len(), took))
}

/// The window, in a fresh process so its memory is its own: its figures by name.
fn window_phase(db_path: &Path, files: &Files) -> Result<Window, String> {
    let out = Process::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .arg("--app-phase")
        .arg(db_path)
        .arg(files.last_day.to_string())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "the window phase failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Window(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once('=')?;
                Some((k.to_owned(), v.parse().ok()?))
            })
            .collect(),
    ))
}

/// The window's figures by name, as its process printed them.
struct Window(std::collections::HashMap<String, f64>);

impl Window {
    /// A figure, NaN when the window did not print it.
    fn get(&self, k: &str) -> f64 {
        self.0.get(k).copied().unwrap_or(f64::NAN)
    }
}

/// Everything the run measured.
struct Figures<'a> {
    files: &'a Files,
    imports: Imports,
    statement: StatementTimes,
    /// The quarter's batch: files written and how long it took.
    batch: (usize, Duration),
    window: Window,
    /// The database's size in bytes.
    size: u64,
}

impl Measure {
    fn new(name: impl Into<String>, value: String, target: &str, met: Option<bool>) -> Measure {
        Measure {
            name: name.into(),
            value,
            target: target.to_owned(),
            met,
        }
    }
}

impl Figures<'_> {
    /// The result table, in its order.
    fn measures(&self) -> Vec<Measure> {
        let mut table = self.import_measures();
        table.extend(self.export_measures());
        table.extend(self.window_measures());
        let size_mb = self.size as f64 / 1_000_000.0;
        table.push(Measure::new(
            "database size",
            format!("{size_mb:.0} MB"),
            "≤ 250 MB",
            Some(size_mb <= 250.0),
        ));
        let (i, files) = (&self.imports, self.files);
        table.push(Measure::new(
            "other imports: partners · pins · returns",
            format!(
                "{} · {} ({} pins) · {} ({} returns)",
                secs(i.partners),
                secs(i.pins),
                files.client_count,
                secs(i.returns),
                files.return_count
            ),
            "",
            None,
        ));
        table.extend(self.reading_measures());
        table
    }

    /// The sales import, its floor, and the import beside a window.
    fn import_measures(&self) -> Vec<Measure> {
        let i = &self.imports;
        let rows_per_s = i.rows_per_s();
        let ratio = i.sales.as_secs_f64() / i.floor.as_secs_f64();
        let turns = i
            .turns
            .iter()
            .map(|(f, i)| format!("{} / {}", secs(*f), secs(*i)))
            .collect::<Vec<_>>()
            .join(", ");
        vec![
            Measure::new(
                format!(
                    "import of the sales CSV ({} rows, all rules checked)",
                    i.sales_rows
                ),
                format!("{} · {rows_per_s:.0} rows/s", secs(i.sales)),
                "≥ 150,000 rows/s",
                Some(rows_per_s >= 150_000.0),
            ),
            Measure::new(
                "same file, `sqlite3` shell `.import` into a plain table (floor)",
                format!(
                    "{} · import is {ratio:.2}× the floor (best of {IMPORT_TURNS} turns each; floor / import: {turns})",
                    secs(i.floor)
                ),
                "import ≤ 2.5× the floor",
                Some(ratio <= 2.5),
            ),
            Measure::new(
                "same import with another connection open on the file, as the window's (through the write-ahead log)",
                secs(i.beside_window),
                "",
                None,
            ),
        ]
    }

    /// The largest partner's statement as JSON (with its floor) and XLSX, and the batch.
    fn export_measures(&self) -> Vec<Measure> {
        let s = &self.statement;
        let ratio = s.json.as_secs_f64() / s.floor.as_secs_f64();
        let (q_from, q_to) = synthetic::quarter_of(self.files.last_day);
        let (batch_files, batch_took) = self.batch;
        vec![
            Measure::new(
                format!("statement of the largest partner ({} lines), JSON", s.lines),
                secs(s.json),
                "≤ 0.5 s",
                Some(s.json.as_secs_f64() <= 0.5),
            ),
            Measure::new(
                "same rows printed as CSV by the `sqlite3` shell (floor)",
                format!("{} · JSON is {ratio:.2}× the floor", secs(s.floor)),
                "JSON ≤ 3× the floor",
                Some(ratio <= 3.0),
            ),
            Measure::new(
                "same statement, XLSX",
                secs(s.xlsx),
                "≤ 1.5 s",
                Some(s.xlsx.as_secs_f64() <= 1.5),
            ),
            Measure::new(
                format!(
                    "batch export of every partner for {q_from} – {q_to}, XLSX ({batch_files} files)"
                ),
                secs(batch_took),
                "≤ 20 s",
                Some(batch_took.as_secs_f64() <= 20.0),
            ),
        ]
    }

    /// Opening the window, the Sales page's frames and filters, and the window's memory.
    fn window_measures(&self) -> Vec<Measure> {
        let w = &self.window;
        vec![
            Measure::new(
                "opening the app on the database to the first drawn frame",
                format!("{:.0} ms", w.get("open_ms")),
                "≤ 500 ms",
                Some(w.get("open_ms") <= 500.0),
            ),
            Measure::new(
                "one frame of the Sales page (egui pass + tessellation, p99 of 300 frames scrolling to random positions and changing filters)",
                format!(
                    "p99 {:.1} ms · p50 {:.1} ms · max {:.1} ms",
                    w.get("frame_p99_ms"),
                    w.get("frame_p50_ms"),
                    w.get("frame_max_ms")
                ),
                "≤ 8 ms",
                Some(w.get("frame_p99_ms") <= 8.0),
            ),
            Measure::new(
                "six changes of the Sales page's filter a frame apart (each kind of licence): until the last one's rows and totals are shown",
                format!("{:.0} ms", w.get("filters_ms")),
                "",
                None,
            ),
            Measure::new(
                "then back to every sale, shown before those changes",
                format!("{:.0} ms", w.get("back_ms")),
                "",
                None,
            ),
            Measure::new(
                "resident memory of the app with the Sales page open",
                format!("{:.0} MB (peak {:.0} MB)", w.get("rss_mb"), w.get("hwm_mb")),
                "≤ 250 MB",
                Some(w.get("hwm_mb") <= 250.0),
            ),
        ]
    }

    /// How soon the window shows the Overview's data and the Sales page's rows.
    fn reading_measures(&self) -> Vec<Measure> {
        let w = &self.window;
        vec![
            Measure::new(
                "the window with the Overview drawn with its data (the snapshot, then the Overview's lists; in-process, from `App::new`)",
                format!(
                    "{:.0} ms (its figures, the pins and the check of the file for damage read after: all by {:.0} ms)",
                    w.get("data_ms"),
                    w.get("all_read_ms")
                ),
                "≤ 500 ms",
                Some(w.get("data_ms") <= 500.0),
            ),
            Measure::new(
                "Sales page with all sales, its first rows drawn",
                format!(
                    "{:.0} ms (the count and sums of all of them by {:.0} ms)",
                    w.get("sales_ready_ms"),
                    w.get("sales_totals_ms")
                ),
                "≤ 300 ms",
                Some(w.get("sales_ready_ms") <= 300.0),
            ),
        ]
    }
}

const BEGIN: &str = "<!-- measured by the benchmark: begin -->";
const END: &str = "<!-- measured by the benchmark: end -->";

/// The document with the measured part (between the markers) replaced by `table`; what
/// is written around it by hand stays.
fn with_measured(doc: &Path, table: &str) -> String {
    let old = std::fs::read_to_string(doc).unwrap_or_default();
    let measured = format!("{BEGIN}\n{table}{END}\n\n");
    match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!(
                "{}{measured}{}",
                &old[..begin],
                &old[end + END.len()..].trim_start_matches('\n')
            )
        }
        _ => measured,
    }
}

fn check(out: std::io::Result<std::process::Output>, what: &str) -> Result<(), String> {
    let out = out.map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{what}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// The file size once the write-ahead log is folded in.
fn checkpointed_size(path: &Path) -> Result<u64, String> {
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(|e| e.to_string())?;
    drop(conn);
    Ok(std::fs::metadata(path).map_err(|e| e.to_string())?.len())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(String::new(), |kb| {
            format!(", {:.0} GiB", kb as f64 / 1_048_576.0)
        });
    format!("{cores} cores ({cpu}){memory}")
}

fn report(args: &Args, files: &Files, table: &[Measure]) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Measured by `cargo run --release --example perf{}` on {}, {}, {}.\n\n",
        if args.sales == DEFAULT_SALES {
            String::new()
        } else {
            format!(" -- --sales {}", args.sales)
        },
        chrono::Local::now().format("%Y-%m-%d"),
        machine(),
        std::env::consts::OS,
    ));
    out.push_str(&format!(
        "Data: {} partners, {} clients (each pinned once), {} sales from {} to {} (ITS 35 %, SaaS 30 %, \
         on-premise user 15 %, server 5 %, developer services 10 %, video calls 5 %; the largest \
         partner has {} sales), {} returns. Generated by `partner_desk::synthetic`, the same every run.\n\n",
        files.partner_count,
        files.client_count,
        files.sale_count,
        files.first_day,
        files.last_day,
        files.largest_partner.1,
        files.return_count
    ));
    out.push_str("| measure | result | target | met |\n|---|---|---|---|\n");
    for m in table {
        let met = match m.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {met} |\n",
            m.name, m.value, m.target
        ));
    }
    out
}

/// Shows the sales of `query` on the Sales page of the database open in `app`.
fn set_query(app: &mut App, query: SalesQuery) {
    if let Some(session) = app.session_mut() {
        session.sales.set_query(query);
    }
}

/// The window in this process, drawn frame by frame as a test draws it.
struct Drive {
    app: App,
    ctx: egui::Context,
    frame: eframe::Frame,
}

impl Drive {
    /// One frame with these input events: how long its pass and tessellation took.
    fn pass(&mut self, events: Vec<egui::Event>) -> Duration {
        let size = egui::vec2(1280.0, 800.0);
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
            events,
            ..Default::default()
        };
        let started = Instant::now();
        let (app, frame) = (&mut self.app, &mut self.frame);
        let output = self.ctx.run_ui(input, |ui| {
            eframe::App::logic(app, ui.ctx(), frame);
            eframe::App::ui(app, ui, frame);
        });
        let _ = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        started.elapsed()
    }

    /// Frames without input until `done`, `pause` apart, for at most `limit`.
    fn until(&mut self, done: impl Fn(&App) -> bool, pause: Duration, limit: Duration) {
        let started = Instant::now();
        while !done(&self.app) && started.elapsed() < limit {
            std::thread::sleep(pause);
            self.pass(Vec::new());
        }
    }

    /// Frames until the Sales page has read what it shows (at most two minutes): how long
    /// it took, in ms.
    fn settle(&mut self) -> f64 {
        let started = Instant::now();
        self.pass(Vec::new());
        let loading = |app: &App| app.session().is_some_and(|s| s.sales.loading());
        self.until(
            |app| !loading(app),
            Duration::from_millis(2),
            Duration::from_secs(120),
        );
        started.elapsed().as_secs_f64() * 1000.0
    }
}

fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// The window's part, in its own process: prints `key=value` lines.
fn app_phase(db: &Path, today: chrono::NaiveDate) {
    let started = Instant::now();
    let ctx = egui::Context::default();
    let cc = eframe::CreationContext::_new_kittest(ctx.clone());
    let mut config = Config::new(db.to_path_buf());
    config.lang = Some(Lang::Ru);
    config.today = Some(today);
    let mut drive = Drive {
        app: App::new(&cc, config),
        ctx,
        frame: eframe::Frame::_new_kittest(),
    };
    let mut figures = vec![("new_ms", ms_since(started))];
    drive.pass(Vec::new());
    figures.push(("open_ms", ms_since(started)));
    let ms = Duration::from_millis;
    let overview = |app: &App| app.session().is_some_and(|s| s.overview.ready());
    drive.until(overview, ms(1), Duration::from_secs(60));
    // The frame that draws what arrived.
    drive.pass(Vec::new());
    figures.push(("data_ms", ms_since(started)));
    drive.until(|app| !app.reading(), ms(2), Duration::from_secs(60));
    figures.push(("all_read_ms", ms_since(started)));
    figures.extend(sales_shown(&mut drive));
    let times = scroll_frames(&mut drive, today);
    figures.extend(filter_changes(&mut drive));
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    figures.extend([
        ("frame_p50_ms", at(0.5)),
        ("frame_p99_ms", at(0.99)),
        ("frame_max_ms", at(1.0)),
    ]);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    figures.extend([
        ("rss_mb", kb("VmRSS:") / 1024.0),
        ("hwm_mb", kb("VmHWM:") / 1024.0),
    ]);
    for (name, value) in figures {
        println!("{name}={value}");
    }
}

/// The Sales page opened: when its first rows are drawn, and when its count and sums are.
fn sales_shown(drive: &mut Drive) -> [(&'static str, f64); 2] {
    drive.app.run(Command::Navigate(Page::Sales));
    let shown = Instant::now();
    let limit = Duration::from_secs(30);
    while !drive.app.session().is_some_and(|s| s.sales.rows_shown()) && shown.elapsed() < limit {
        drive.pass(Vec::new());
        std::thread::sleep(Duration::from_millis(1));
    }
    drive.pass(Vec::new());
    let ready = ms_since(shown);
    while drive.app.session().is_some_and(|s| s.sales.loading()) && shown.elapsed() < limit {
        drive.pass(Vec::new());
        std::thread::sleep(Duration::from_millis(2));
    }
    drive.pass(Vec::new());
    [
        ("sales_ready_ms", ready),
        ("sales_totals_ms", ms_since(shown)),
    ]
}

/// 300 frames of the Sales page scrolling to random positions, every tenth changing the
/// filter (a partner's month, a kind, a search, or everything): each frame's time in ms,
/// in order.
fn scroll_frames(drive: &mut Drive, today: chrono::NaiveDate) -> Vec<f64> {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let mut times = Vec::with_capacity(300);
    let table_at = egui::pos2(700.0, 400.0);
    for i in 0..300u64 {
        let mut events = vec![egui::Event::PointerMoved(table_at)];
        if i % 10 == 0 {
            let mut query = SalesQuery {
                descending: true,
                ..SalesQuery::default()
            };
            match next(4) {
                0 => {
                    query.partner = Some(PartnerId(1 + next(50) as i64));
                    let month = today - chrono::Days::new(next(1000));
                    query.from = Some(month - chrono::Days::new(30));
                    query.to = Some(month);
                }
                1 => query.kind = Some(LicenseKind::ALL[next(6) as usize]),
                2 => query.text = format!("50{:03}", next(1000)),
                _ => {}
            }
            set_query(&mut drive.app, query);
        } else {
            let delta = (next(200_000) as f32 - 100_000.0) * 5.0;
            events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            });
        }
        times.push(drive.pass(events).as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(4));
    }
    times.sort_by(f64::total_cmp);
    times
}

/// Quick changes of filter: every kind of licence in turn, a frame apart, then the time
/// until the last one's rows and totals are shown; then back to every sale, shown before.
fn filter_changes(drive: &mut Drive) -> [(&'static str, f64); 2] {
    drive.settle();
    let everything = SalesQuery {
        descending: true,
        ..SalesQuery::default()
    };
    set_query(&mut drive.app, everything.clone());
    drive.settle();
    let changing = Instant::now();
    for kind in LicenseKind::ALL {
        let query = SalesQuery {
            kind: Some(kind),
            ..everything.clone()
        };
        set_query(&mut drive.app, query);
        drive.pass(Vec::new());
    }
    let filters_ms = ms_since(changing) + drive.settle();
    set_query(&mut drive.app, everything);
    [("filters_ms", filters_ms), ("back_ms", drive.settle())]
}
