//! The headless commands of the `partner-desk` binary: arguments in, exit status out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::{self, Inn};
use crate::export::{self, Format};
use crate::import::{self, ImportKind};
use crate::store::Store;

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// No subcommand: open the window.
    Window,
    Import {
        kind: ImportKind,
        file: PathBuf,
    },
    Statement {
        partner: String,
        from: NaiveDate,
        to: NaiveDate,
        out: PathBuf,
    },
    Demo,
    Help,
    Version,
}

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub db: Option<PathBuf>,
    pub command: Command,
}

pub const USAGE: &str = "\
Partner Desk: partners, stop-list, sales and premium statements of 1С-Коннект partners.

Usage:
  partner-desk [--db FILE]                      open the window
  partner-desk [--db FILE] import partners|pins|sales|returns FILE.csv
  partner-desk [--db FILE] statement --partner INN --from DATE --to DATE --out FILE.json|FILE.csv
  partner-desk [--db FILE] demo                 fill an empty database with demo data
  partner-desk --help | --version

The database is FILE, or $PARTNER_DESK_DB, or <data dir>/partner-desk/partner-desk.sqlite3.
Dates are YYYY-MM-DD or DD.MM.YYYY.";

/// Reads the arguments (without the program name). Err is a usage message.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut db = None;
    let mut rest = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = Some(PathBuf::from(args.next().ok_or("--db needs a file")?)),
            "-h" | "--help" => {
                return Ok(Args {
                    db,
                    command: Command::Help,
                });
            }
            "-V" | "--version" => {
                return Ok(Args {
                    db,
                    command: Command::Version,
                });
            }
            _ => rest.push(arg),
        }
    }
    let command = match rest.first().map(String::as_str) {
        None => Command::Window,
        Some("demo") if rest.len() == 1 => Command::Demo,
        Some("import") => match rest.as_slice() {
            [_, kind, file] => Command::Import {
                kind: ImportKind::parse(kind).ok_or_else(|| {
                    format!("unknown import kind {kind:?}: use partners, pins, sales or returns")
                })?,
                file: PathBuf::from(file),
            },
            _ => return Err("import needs a kind and a file: import sales FILE.csv".into()),
        },
        Some("statement") => parse_statement(&rest[1..])?,
        Some(other) => return Err(format!("unknown command {other:?}")),
    };
    Ok(Args { db, command })
}

fn parse_statement(args: &[String]) -> Result<Command, String> {
    let (mut partner, mut from, mut to, mut out) = (None, None, None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--partner" => partner = Some(value.clone()),
            "--from" => from = Some(parse_date(value)?),
            "--to" => to = Some(parse_date(value)?),
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    let missing = |what: &str| format!("statement needs {what}");
    let (from, to) = (
        from.ok_or_else(|| missing("--from DATE"))?,
        to.ok_or_else(|| missing("--to DATE"))?,
    );
    if from > to {
        return Err(format!(
            "the period is empty: --from {from} is after --to {to}"
        ));
    }
    Ok(Command::Statement {
        partner: partner.ok_or_else(|| missing("--partner INN"))?,
        from,
        to,
        out: out.ok_or_else(|| missing("--out FILE.json or FILE.csv"))?,
    })
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    domain::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date: use YYYY-MM-DD or DD.MM.YYYY"))
}

/// The database file: `--db`, else `$PARTNER_DESK_DB`, else the user's data folder.
pub fn database_path(db: Option<&Path>) -> Option<PathBuf> {
    if let Some(db) = db {
        return Some(db.to_path_buf());
    }
    if let Some(env) = std::env::var_os("PARTNER_DESK_DB").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(env));
    }
    directories::BaseDirs::new().map(|d| {
        d.data_dir()
            .join("partner-desk")
            .join("partner-desk.sqlite3")
    })
}

/// The language of the user's system locale.
pub fn system_lang() -> Lang {
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}

/// Today on the user's clock: the only place the headless commands read it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Runs a headless command and prints its result; errors go to stderr as sentences.
pub fn run(args: &Args, lang: Lang) -> ExitCode {
    match &args.command {
        Command::Help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Version => {
            println!("partner-desk {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let Some(path) = database_path(args.db.as_deref()) else {
        eprintln!(
            "{}",
            lang.pick(
                "Не найдена папка данных пользователя; укажите базу: --db FILE",
                "No user data folder found; name the database: --db FILE"
            )
        );
        return ExitCode::FAILURE;
    };
    let mut store = match Store::open(&path) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{}", e.text(lang));
            return ExitCode::FAILURE;
        }
    };
    match &args.command {
        Command::Import { kind, file } => match import::import_file(&mut store, *kind, file) {
            Ok(summary) => {
                println!("{}", summary.text(lang));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", e.report(&file.display().to_string(), lang));
                ExitCode::FAILURE
            }
        },
        Command::Statement {
            partner,
            from,
            to,
            out,
        } => match statement(&store, partner, *from, *to, out, lang) {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
        Command::Demo => match crate::demo::is_empty(&store) {
            Ok(false) => {
                eprintln!("{}", lang.pick(
                    "В базе уже есть данные; демо-данные заполняют только пустую базу. Укажите новую: --db FILE",
                    "The database already holds data; demo data fills only an empty one. Name a new one: --db FILE",
                ));
                ExitCode::FAILURE
            }
            Ok(true) => match crate::demo::fill(&mut store, today()) {
                Ok(s) => {
                    println!(
                        "{} {} · {} {} · {} {} · {} {}",
                        lang.pick("Партнёров:", "Partners:"),
                        s.partners,
                        lang.pick("закреплений:", "pins:"),
                        s.pins,
                        lang.pick("продаж:", "sales:"),
                        s.sales,
                        lang.pick("возвратов:", "returns:"),
                        s.returns
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}", e.text(lang));
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("{}", e.text(lang));
                ExitCode::FAILURE
            }
        },
        Command::Help | Command::Version | Command::Window => ExitCode::SUCCESS,
    }
}

fn statement(
    store: &Store,
    partner: &str,
    from: NaiveDate,
    to: NaiveDate,
    out: &Path,
    lang: Lang,
) -> Result<String, String> {
    let format = Format::from_path(out).ok_or_else(|| {
        lang.pick(
            "Формат ведомости определяется расширением файла: укажите .json или .csv",
            "The statement format comes from the file extension: use .json or .csv",
        )
        .to_owned()
    })?;
    let inn = Inn::parse(partner).map_err(|e| format!("--partner: {}", e.text(lang)))?;
    let db = store.read();
    let id = db
        .partner_by_inn(&inn)
        .map_err(|e| e.text(lang))?
        .ok_or_else(|| {
            crate::store::RuleError::UnknownPartner {
                inn: inn.to_string(),
            }
            .text(lang)
        })?;
    let statement = db
        .statement(id, from, to, today())
        .map_err(|e| e.text(lang))?;
    export::write_atomically(out, &export::render(&statement, format, lang))
        .map_err(|e| e.text(lang))?;
    Ok(format!(
        "{} {} · {} {} · {} {}",
        lang.pick("Ведомость записана:", "Statement written:"),
        out.display(),
        lang.pick("строк", "lines"),
        statement.lines.len(),
        lang.pick("премия", "premium"),
        statement.totals.overall.premium.display(lang)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments_name_the_database_and_the_command() {
        assert_eq!(args(&[]).unwrap().command, Command::Window);
        let a = args(&["--db", "x.sqlite3", "import", "sales", "s.csv"]).unwrap();
        assert_eq!(a.db, Some(PathBuf::from("x.sqlite3")));
        assert_eq!(
            a.command,
            Command::Import {
                kind: ImportKind::Sales,
                file: "s.csv".into()
            }
        );
        let a = args(&[
            "statement",
            "--partner",
            "7707083893",
            "--from",
            "01.01.2025",
            "--to",
            "2025-03-31",
            "--out",
            "q.json",
        ])
        .unwrap();
        assert!(matches!(a.command, Command::Statement { .. }));
        assert!(args(&["import", "things", "x.csv"]).is_err());
        assert!(args(&["statement", "--from", "2025-01-01"]).is_err());
        assert!(
            args(&[
                "statement",
                "--partner",
                "1",
                "--from",
                "2025-02-01",
                "--to",
                "2025-01-01",
                "--out",
                "x.json"
            ])
            .is_err()
        );
        assert!(args(&["frobnicate"]).is_err());
    }
}
