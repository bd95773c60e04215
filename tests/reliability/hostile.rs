//! Case 7: hostile input. Property tests (`proptest`) on the amount, date and INN parsers,
//! the CSV importer and the statement builder: no panic on any input, and every accepted
//! amount reads back as itself. The long suite adds a random-input run for a fixed time
//! (in place of `cargo fuzz`, which needs a nightly compiler). Each known nasty has its
//! own check.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use partner_desk::domain::{
    self, AmountError, Entry, Inn, InnError, LicenseKind, Money, PartnerFacts, RateBook,
    RateVersion, RoleFacts, Status, StatusChange, StatusHistory,
};
use partner_desk::import::{self, ImportError, ImportKind};
use partner_desk::store::Store;
use proptest::prelude::*;

use super::Rng;
use crate::util::*;

/// What a parser may be given: the characters that break parsers, mixed with plain ones.
const NASTY: &[&str] = &[
    "0",
    "1",
    "5",
    "9",
    " ",
    "\u{a0}",
    "\u{202f}",
    ",",
    ".",
    "-",
    "−",
    "–",
    "e",
    "E",
    "+",
    "NaN",
    "inf",
    "₽",
    "%",
    "\"",
    ";",
    "\n",
    "\r",
    "\t",
    "\u{feff}",
    "\0",
    "０",
    "٣",
    "ё",
    "é",
    "=",
    "@",
    "1 000",
    "999999999999",
    "00",
    "31.02.",
    "2024-",
    "-02-29",
    "\u{10ffff}",
];

fn nasty_text(rng: &mut Rng, max_parts: u64) -> String {
    (0..rng.range(0, max_parts))
        .map(|_| NASTY[rng.range(0, NASTY.len() as u64) as usize])
        .collect()
}

/// The columns of every import, so random files are often well-formed enough to go deep.
const COLUMNS: &[&str] = &[
    "inn",
    "name",
    "status",
    "status_since",
    "one_c_partner",
    "date",
    "client_inn",
    "partner_inn",
    "action",
    "client_name",
    "agreed_by",
    "note",
    "kind",
    "amount",
    "doc",
    "self_referred",
    "connected_by_partner",
    "used_in_work",
    "sale_doc",
];
const CELLS: &[&str] = &[
    ALFA,
    BETA,
    C1,
    C2,
    "7707083894",
    "",
    "2025-01-10",
    "31.01.2025",
    "31.02.2025",
    "saas",
    "its",
    "video_calls",
    "дилер",
    "integrator",
    "pin",
    "extend",
    "release",
    "да",
    "no",
    "120 000,00",
    "0,005",
    "1e5",
    "-5",
    "D-1",
    "=1+1",
    "\"a;b\"",
    "x",
];

fn csv_text(rng: &mut Rng) -> String {
    let sep = if rng.range(0, 2) == 0 { "," } else { ";" };
    let width = rng.range(1, 8) as usize;
    let header: Vec<&str> = (0..width)
        .map(|_| COLUMNS[rng.range(0, COLUMNS.len() as u64) as usize])
        .collect();
    let mut text = header.join(sep) + "\n";
    for _ in 0..rng.range(0, 6) {
        let cells: Vec<String> = (0..width + rng.range(0, 2) as usize)
            .map(|_| {
                if rng.range(0, 5) == 0 {
                    nasty_text(rng, 4)
                } else {
                    CELLS[rng.range(0, CELLS.len() as u64) as usize].to_owned()
                }
            })
            .collect();
        text += &(cells.join(sep) + "\n");
    }
    text
}

/// A store with two partners and a pin, so imports of every kind can succeed.
fn seeded_store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let a = partner(
        &mut s,
        ALFA,
        "ООО «Альфа»",
        true,
        Some(("2024-01-01", Status::Dealer)),
    );
    partner(&mut s, BETA, "ООО «Бета»", false, None);
    pin_client(&mut s, a, C1, "2025-01-01");
    s
}

/// An accepted amount must read back as itself in every form the program writes it.
fn round_trips(m: Money) -> bool {
    [
        m.plain(),
        m.grouped(' ', ','),
        m.grouped('\u{a0}', ','),
        m.grouped(' ', '.'),
        m.to_string(),
    ]
    .iter()
    .all(|text| Money::parse_amount(text) == Ok(m))
}

fn statement_of(entries: &[(u32, u8, i64, bool)], statuses: &[(u32, u8)]) -> domain::Statement {
    let base = d("2025-01-01");
    let day = |n: u32| base + chrono::Days::new(u64::from(n % 400));
    let kinds = LicenseKind::ALL;
    let history = StatusHistory::new(
        statuses
            .iter()
            .map(|&(n, s)| StatusChange {
                effective_from: day(n),
                status: [
                    None,
                    Some(Status::Agent),
                    Some(Status::Dealer),
                    Some(Status::Integrator),
                ][usize::from(s % 4)],
            })
            .collect(),
    );
    let partner = PartnerFacts {
        inn: inn(ALFA),
        name: "=cmd".into(),
        one_c_partner: statuses.len().is_multiple_of(2),
        history,
    };
    // The regulation's rates, and from day 200 a version with a rate that rounds.
    let mut table = domain::RateTable::regulation_default();
    for status in [Status::Agent, Status::Dealer, Status::Integrator] {
        table.set(
            LicenseKind::VideoCalls,
            status,
            domain::RatePct::parse("12,5").ok(),
        );
    }
    let rates = RateBook::new(vec![RateVersion {
        effective_from: Some(day(200)),
        table,
    }]);
    let list: Vec<Entry> = entries
        .iter()
        .enumerate()
        .map(|(i, &(n, k, kop, self_referred))| Entry {
            id: i as i64 + 1,
            doc: None,
            date: day(n),
            client_inn: inn(C1),
            client_name: String::new(),
            kind: kinds[usize::from(k) % kinds.len()],
            amount: Money::from_kopecks(kop),
            role: RoleFacts {
                self_referred,
                ..RoleFacts::default()
            },
            return_of: None,
        })
        .collect();
    domain::statement::build_statement(&partner, &rates, &list, base, day(399), day(399))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsers_never_panic_and_accepted_amounts_round_trip(text in any::<String>()) {
        if let Ok(m) = Money::parse_amount(&text) {
            prop_assert!(m.kopecks() > 0 && m.kopecks() < 100 * domain::money::MAX_AMOUNT_RUB);
            prop_assert!(round_trips(m));
        }
        let _ = Inn::parse(&text);
        let _ = domain::parse_date(&text);
    }

    #[test]
    fn every_amount_in_range_reads_back_exactly(kopecks in 1_i64..100_000_000_000_000) {
        prop_assert!(round_trips(Money::from_kopecks(kopecks)));
    }

    #[test]
    fn statement_totals_are_the_sums_of_their_lines(
        entries in prop::collection::vec((0_u32..400, 0_u8..6, 1_i64..100_000_000_000_000, any::<bool>()), 0..40),
        statuses in prop::collection::vec((0_u32..400, 0_u8..4), 0..5),
    ) {
        let s = statement_of(&entries, &statuses);
        let sum: Money = s.lines.iter().map(|l| l.premium).sum();
        prop_assert_eq!(s.totals.overall.premium, sum);
        let by_kind: Money = s.totals.by_kind.values().map(|k| k.premium).sum();
        prop_assert_eq!(by_kind, sum);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_importer_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut s = seeded_store();
        for kind in ImportKind::ALL {
            let _ = import::import_bytes(&mut s, kind, &bytes);
        }
    }

    #[test]
    fn the_importer_never_panics_on_csv_of_nasty_cells(seed in any::<u64>()) {
        let mut s = seeded_store();
        let text = csv_text(&mut Rng::new(seed));
        for kind in ImportKind::ALL {
            let _ = import::import_bytes(&mut s, kind, text.as_bytes());
        }
    }
}

#[derive(Debug, Default)]
pub struct Figures {
    pub seconds: u64,
    pub inputs: u64,
    pub files: u64,
    pub statements: u64,
    pub accepted_amounts: u64,
    pub not_round_trip: u64,
    pub panics: u64,
}

/// Random inputs for `budget`: parser texts, CSV files of every kind and statements.
pub fn random_run(budget: Duration, seed: u64) -> Figures {
    let mut rng = Rng::new(seed);
    let mut f = Figures::default();
    let started = Instant::now();
    let mut store = seeded_store();
    while started.elapsed() < budget {
        for _ in 0..200 {
            let text = nasty_text(&mut rng, 12);
            let result = std::panic::catch_unwind(|| {
                let amount = Money::parse_amount(&text).ok();
                let _ = Inn::parse(&text);
                let _ = domain::parse_date(&text);
                amount
            });
            f.inputs += 1;
            match result {
                Ok(Some(m)) => {
                    f.accepted_amounts += 1;
                    if !round_trips(m) {
                        f.not_round_trip += 1;
                    }
                }
                Ok(None) => {}
                Err(_) => f.panics += 1,
            }
        }
        let text = if rng.range(0, 4) == 0 {
            (0..rng.range(0, 300)).map(|_| rng.next() as u8).collect()
        } else {
            csv_text(&mut rng).into_bytes()
        };
        for kind in ImportKind::ALL {
            f.files += 1;
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                let _ = import::import_bytes(&mut store, kind, &text);
            }));
            if result.is_err() {
                f.panics += 1;
                store = seeded_store();
            }
        }
        let entries: Vec<_> = (0..rng.range(0, 30))
            .map(|_| {
                (
                    rng.range(0, 400) as u32,
                    rng.range(0, 6) as u8,
                    rng.range(1, 100_000_000_000_000) as i64,
                    rng.range(0, 5) == 0,
                )
            })
            .collect();
        let statuses: Vec<_> = (0..rng.range(0, 4))
            .map(|_| (rng.range(0, 400) as u32, rng.range(0, 4) as u8))
            .collect();
        f.statements += 1;
        match std::panic::catch_unwind(|| statement_of(&entries, &statuses)) {
            Ok(s) => {
                let sum: Money = s.lines.iter().map(|l| l.premium).sum();
                if sum != s.totals.overall.premium {
                    f.panics += 1;
                }
            }
            Err(_) => f.panics += 1,
        }
    }
    f.seconds = started.elapsed().as_secs();
    f
}

/// The known nasties, each with what the program must make of it. Returns (input, outcome,
/// as required).
pub fn nasties() -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    let mut check =
        |input: &str, outcome: String, ok: bool| out.push((input.to_owned(), outcome, ok));
    for (text, want) in [
        ("7707 083 893", InnError::NotDigits { found: ' ' }),
        ("７７０７０８３８９３", InnError::NotDigits { found: '７' }),
        ("770708389", InnError::Length { len: 9 }),
        ("77070838931", InnError::Length { len: 11 }),
        ("7707083893123", InnError::Length { len: 13 }),
    ] {
        let got = Inn::parse(text);
        check(
            &format!("INN {text:?}"),
            format!("{got:?}"),
            got == Err(want),
        );
    }
    check(
        "INN \" 7707083893 \" (spaces around)",
        format!("{:?}", Inn::parse(" 7707083893 ")),
        Inn::parse(" 7707083893 ").is_ok(),
    );
    for (text, valid) in [
        ("31.02.2025", false),
        ("2025-02-29", false),
        ("2024-02-29", true),
    ] {
        let got = domain::parse_date(text);
        check(
            &format!("date {text}"),
            format!("{got:?}"),
            got.is_some() == valid,
        );
    }
    for (text, want) in [
        ("1e5", AmountError::BadCharacter { found: 'e' }),
        ("−5", AmountError::NotPositive),
        ("0,005", AmountError::TooManyDecimals),
        ("1 000 000 000 000", AmountError::TooLarge),
        ("NaN", AmountError::BadCharacter { found: 'N' }),
    ] {
        let got = Money::parse_amount(text);
        check(
            &format!("amount {text:?}"),
            format!("{got:?}"),
            got == Err(want),
        );
    }
    let mut s = seeded_store();
    let mut file =
        |name: &str, bytes: &[u8], ok: &dyn Fn(&Result<import::Summary, ImportError>) -> bool| {
            let got = import::import_bytes(&mut s, ImportKind::Sales, bytes);
            let shown = match &got {
                Ok(summary) => format!("imported {} rows", summary.rows),
                Err(e) => e
                    .report("file.csv", partner_desk::domain::Lang::En)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(90)
                    .collect(),
            };
            check(name, shown, ok(&got));
        };
    let header = "date,partner_inn,client_inn,kind,amount\n";
    let mut line = header.as_bytes().to_vec();
    line.extend(std::iter::repeat_n(b'9', 100 << 20));
    line.push(b'\n');
    file("a 100 MB line", &line, &|r| {
        matches!(r, Err(ImportError::Rows(_)))
    });
    drop(line);
    file("an empty file", b"", &|r| {
        matches!(r, Err(ImportError::Empty))
    });
    file(
        "a header-only file",
        header.as_bytes(),
        &|r| matches!(r, Ok(s) if s.rows == 0),
    );
    file(
        "duplicate columns",
        b"date,partner_inn,client_inn,kind,amount,AMOUNT\n",
        &|r| matches!(r, Err(ImportError::DuplicateColumn { .. })),
    );
    // As 1C saves it: Windows-1251, `;`, Russian headers and the kind's Russian name.
    let text = format!(
        "Дата;ИНН партнёра;ИНН клиента;Вид лицензии;Сумма\r\n\
         15.01.2025;{ALFA};{C1};Корпоративные тарифы SaaS и доп. функции;1 000,50\r\n"
    );
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    file(
        "a CSV file in Windows-1251",
        &cp1251,
        &|r| matches!(r, Ok(s) if s.sales == 1 && s.amount == rub("1000.50")),
    );
    out
}

#[test]
fn every_known_nasty_is_refused_or_read_as_the_regulation_says() {
    for (input, outcome, ok) in nasties() {
        assert!(ok, "{input}: {outcome}");
    }
}

#[test]
fn random_inputs_for_a_moment_find_no_panic() {
    let f = random_run(Duration::from_millis(1500), 7);
    assert_eq!((f.panics, f.not_round_trip), (0, 0), "{f:?}");
    assert!(f.inputs > 0 && f.files > 0, "{f:?}");
}

#[derive(Debug, Default)]
pub struct FuzzFigures {
    /// Why it did not run, when it did not.
    pub skipped: Option<String>,
    pub runs: u64,
    pub seconds: u64,
    pub crashes: u64,
}

/// Runs the `cargo fuzz` target `hostile_input` (fuzz/) for `seconds`, when cargo-fuzz is
/// installed. The stable compiler is told to allow libFuzzer's flags (`RUSTC_BOOTSTRAP=1`),
/// without a sanitizer: the code under test has no `unsafe`.
pub fn cargo_fuzz(seconds: u64) -> FuzzFigures {
    use std::process::Command;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let installed = Command::new(&cargo)
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        return FuzzFigures {
            skipped: Some("cargo-fuzz is not installed (cargo install cargo-fuzz)".into()),
            ..FuzzFigures::default()
        };
    }
    let out = Command::new(&cargo)
        .current_dir(dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("CARGO_TARGET_DIR")
        .args(["fuzz", "run", "--sanitizer", "none", "hostile_input", "--"])
        .arg(format!("-max_total_time={seconds}"))
        .arg("-rss_limit_mb=2048")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    // libFuzzer ends with "Done N runs in S second(s)".
    let done = log.lines().rev().find_map(|l| {
        let rest = l.strip_prefix("Done ")?;
        let mut words = rest.split_whitespace();
        let runs = words.next()?.parse().ok()?;
        let seconds = words.nth(2)?.parse().ok()?;
        Some((runs, seconds))
    });
    match done {
        Some((runs, seconds)) if out.status.success() => FuzzFigures {
            skipped: None,
            runs,
            seconds,
            crashes: 0,
        },
        _ if log.contains("panicked") || log.contains("deadly signal") => FuzzFigures {
            skipped: None,
            crashes: 1,
            ..FuzzFigures::default()
        },
        _ => FuzzFigures {
            skipped: Some(format!(
                "cargo fuzz did not run: {}",
                log.lines().rev().take(3).collect::<Vec<_>>().join(" / ")
            )),
            ..FuzzFigures::default()
        },
    }
}
