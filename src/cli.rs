//! The headless commands of the `partner-desk` binary: arguments in, exit status out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::domain::lang::{Lang, Localized};
use crate::domain::{self, Inn, PartnerId};
use crate::export::{self, Format};
use crate::import::{self, ImportKind};
use crate::statements;
use crate::store::{RuleError, Store};

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// No subcommand: open the window.
    Window,
    Import {
        kind: ImportKind,
        file: PathBuf,
    },
    /// A statement computed now (by partner and period) or an issued one (by number).
    Statement {
        which: Which,
        out: PathBuf,
    },
    Issue {
        partner: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    Reopen {
        number: String,
        reason: String,
    },
    Statements {
        from: NaiveDate,
        to: NaiveDate,
        dir: PathBuf,
        format: Format,
    },
    Backup {
        file: PathBuf,
    },
    /// Undoes the newest import while nothing else has been written since.
    UndoImport,
    Demo,
    Help,
    Version,
}

/// Which statement a command means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    Period {
        partner: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    Issued {
        number: String,
    },
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
    partner-desk [--db FILE] import partners|pins|sales|returns FILE
                                  FILE: .csv (UTF-8 or Windows-1251), .xlsx, .xls or .ods;
                                  columns matched by their English or Russian headers
  partner-desk [--db FILE] undo-import          undo the last import if nothing changed since

  partner-desk [--db FILE] statement --partner INN --from DATE --to DATE --out FILE
  partner-desk [--db FILE] statement --number NUMBER --out FILE
  partner-desk [--db FILE] issue --partner INN --from DATE --to DATE
  partner-desk [--db FILE] reopen --number NUMBER --reason TEXT
  partner-desk [--db FILE] statements --from DATE --to DATE --dir DIR --format xlsx|pdf|csv|json
  partner-desk [--db FILE] backup FILE
  partner-desk [--db FILE] demo                 fill an empty database with demo data
  partner-desk --help | --version

The database is FILE, or $PARTNER_DESK_DB, or <data dir>/partner-desk/partner-desk.sqlite3.
A statement's format comes from the extension of FILE: .json, .csv, .xlsx or .pdf.
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
        Some("undo-import") if rest.len() == 1 => Command::UndoImport,
        Some("backup") => match rest.as_slice() {
            [_, file] => Command::Backup {
                file: PathBuf::from(file),
            },
            _ => return Err("backup needs a file: backup FILE.sqlite3".into()),
        },
        Some("import") => match rest.as_slice() {
            [_, kind, file] => Command::Import {
                kind: ImportKind::parse(kind).ok_or_else(|| {
                    format!("unknown import kind {kind:?}: use partners, pins, sales or returns")
                })?,
                file: PathBuf::from(file),
            },
            _ => return Err("import needs a kind and a file: import sales FILE.xlsx".into()),
        },
        Some(name @ ("statement" | "issue" | "reopen" | "statements")) => {
            let mut o = Options::parse(name, &rest[1..])?;
            let command = match name {
                "statement" => {
                    let which = match o.take("--number") {
                        Some(number) => Which::Issued { number },
                        None => {
                            let (from, to) = o.period()?;
                            Which::Period {
                                partner: o.required("--partner", "INN")?,
                                from,
                                to,
                            }
                        }
                    };
                    Command::Statement {
                        which,
                        out: PathBuf::from(o.required("--out", "FILE")?),
                    }
                }
                "issue" => {
                    let (from, to) = o.period()?;
                    Command::Issue {
                        partner: o.required("--partner", "INN")?,
                        from,
                        to,
                    }
                }
                "reopen" => Command::Reopen {
                    number: o.required("--number", "NUMBER")?,
                    reason: o.required("--reason", "TEXT")?,
                },
                _ => {
                    let (from, to) = o.period()?;
                    let format = o.required("--format", "xlsx|pdf|csv|json")?;
                    Command::Statements {
                        from,
                        to,
                        dir: PathBuf::from(o.required("--dir", "DIR")?),
                        format: Format::parse(&format).ok_or_else(|| {
                            format!("unknown format {format:?}: use xlsx, pdf, csv or json")
                        })?,
                    }
                }
            };
            o.finish()?;
            command
        }
        Some(other) => return Err(format!("unknown command {other:?}")),
    };
    Ok(Args { db, command })
}

/// `--name value` options of one command.
struct Options {
    command: String,
    values: HashMap<String, String>,
}

impl Options {
    fn parse(command: &str, args: &[String]) -> Result<Options, String> {
        let mut values = HashMap::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            if !flag.starts_with("--") {
                return Err(format!("{command}: unexpected {flag:?}"));
            }
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            values.insert(flag.clone(), value.clone());
        }
        Ok(Options {
            command: command.to_owned(),
            values,
        })
    }

    fn take(&mut self, flag: &str) -> Option<String> {
        self.values.remove(flag)
    }

    fn required(&mut self, flag: &str, what: &str) -> Result<String, String> {
        self.take(flag)
            .ok_or_else(|| format!("{} needs {flag} {what}", self.command))
    }

    fn period(&mut self) -> Result<(NaiveDate, NaiveDate), String> {
        let from = parse_date(&self.required("--from", "DATE")?)?;
        let to = parse_date(&self.required("--to", "DATE")?)?;
        if from > to {
            return Err(format!(
                "the period is empty: --from {from} is after --to {to}"
            ));
        }
        Ok((from, to))
    }

    fn finish(self) -> Result<(), String> {
        match self.values.keys().next() {
            Some(flag) => Err(format!("{}: unknown option {flag:?}", self.command)),
            None => Ok(()),
        }
    }
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

/// The database file, or the sentence to say when there is no data folder to put it in.
pub fn database_path_or_say(db: Option<&Path>, lang: Lang) -> Result<PathBuf, String> {
    database_path(db).ok_or_else(|| {
        lang.pick(
            "Не найдена папка данных пользователя; укажите базу: --db FILE",
            "No user data folder found; name the database: --db FILE",
        )
        .to_owned()
    })
}

/// The language of the user's system locale.
pub fn system_lang() -> Lang {
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}

/// Today on the user's clock: the only place the program reads it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Runs a headless command and prints its result; errors go to stderr as sentences.
pub fn run(args: &Args, lang: Lang) -> ExitCode {
    match &args.command {
        Command::Help | Command::Window => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Version => {
            println!(
                "partner-desk {} ({})",
                env!("CARGO_PKG_VERSION"),
                env!("PARTNER_DESK_COMMIT")
            );
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let path = match database_path_or_say(args.db.as_deref(), lang) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let result = Store::open(&path)
        .map_err(|e| e.text(lang))
        .and_then(|mut store| execute(&mut store, &args.command, lang));
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(store: &mut Store, command: &Command, lang: Lang) -> Result<String, String> {
    match command {
        Command::Import { kind, file } => import::import_file(store, *kind, file)
            .map(|summary| summary.text(lang))
            .map_err(|e| e.report(&file.display().to_string(), lang)),
        Command::UndoImport => {
            let last = store.read().last_import().map_err(|e| e.text(lang))?;
            let Some(last) = last.filter(|l| l.undoable) else {
                return Err(RuleError::ImportNotUndoable.text(lang));
            };
            store
                .write(|db| db.undo_import(last.id))
                .map_err(|e| e.text(lang))?;
            Ok(format!(
                "{} {} ({})",
                lang.pick("Импорт отменён:", "Import undone:"),
                last.file,
                last.imported_at
                    .get(..16)
                    .unwrap_or(&last.imported_at)
                    .replace('T', " ")
            ))
        }
        Command::Statement {
            which: Which::Period { partner, from, to },
            out,
        } => {
            if Format::from_path(out).is_none() {
                return Err(export::ExportError::UnknownFormat.text(lang));
            }
            let id = partner_id(store, partner, lang)?;
            let statement = store
                .read()
                .statement(id, *from, *to, today())
                .map_err(|e| e.text(lang))?;
            export::write_statement(&statement, out, lang).map_err(|e| e.text(lang))?;
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
        Command::Statement {
            which: Which::Issued { number },
            out,
        } => {
            statements::export_issued(store, number, out, lang).map_err(|e| e.text(lang))?;
            Ok(format!(
                "{} {number}: {}",
                lang.pick("Ведомость", "Statement"),
                out.display()
            ))
        }
        Command::Issue { partner, from, to } => {
            let id = partner_id(store, partner, lang)?;
            let issued =
                statements::issue(store, id, *from, *to, today()).map_err(|e| e.text(lang))?;
            Ok(format!(
                "{} {} · {} {} · {} {} · SHA-256 {}",
                lang.pick("Выдана ведомость", "Issued statement"),
                issued.number,
                lang.pick("строк", "lines"),
                issued.lines,
                lang.pick("премия", "premium"),
                issued.premium.display(lang),
                issued.sha256
            ))
        }
        Command::Reopen { number, reason } => {
            store
                .write(|db| db.reopen_statement(number, today(), reason))
                .map_err(|e| e.text(lang))?;
            Ok(format!(
                "{} {number} {}",
                lang.pick("Ведомость", "Statement"),
                lang.pick("переоткрыта", "reopened")
            ))
        }
        Command::Statements {
            from,
            to,
            dir,
            format,
        } => {
            let summary = statements::export_all(
                store,
                *from,
                *to,
                today(),
                dir,
                *format,
                lang,
                &|_, _| {},
                &AtomicBool::new(false),
            )?;
            Ok(format!(
                "{} {} · {} {} · {}",
                lang.pick("Ведомостей:", "Statements:"),
                summary.files.len(),
                lang.pick("премия", "premium"),
                summary.premium.display(lang),
                summary
                    .summary_file
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ))
        }
        Command::Backup { file } => {
            store.backup_to(file).map_err(|e| e.text(lang))?;
            Ok(format!(
                "{} {}",
                lang.pick("Резервная копия записана:", "Backup written:"),
                file.display()
            ))
        }
        Command::Demo => {
            if !crate::demo::is_empty(store).map_err(|e| e.text(lang))? {
                return Err(lang
                    .pick(
                        "В базе уже есть данные; демо-данные заполняют только пустую базу. Укажите новую: --db FILE",
                        "The database already holds data; demo data fills only an empty one. Name a new one: --db FILE",
                    )
                    .to_owned());
            }
            let summary = crate::demo::fill(store, today()).map_err(|e| e.text(lang))?;
            Ok(summary.text(lang))
        }
        Command::Help | Command::Version | Command::Window => Ok(String::new()),
    }
}

fn partner_id(store: &Store, partner: &str, lang: Lang) -> Result<PartnerId, String> {
    let inn = Inn::parse(partner).map_err(|e| format!("--partner: {}", e.text(lang)))?;
    store
        .read()
        .partner_by_inn(&inn)
        .map_err(|e| e.text(lang))?
        .ok_or_else(|| {
            RuleError::UnknownPartner {
                inn: inn.to_string(),
            }
            .text(lang)
        })
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
        assert!(matches!(
            a.command,
            Command::Statement {
                which: Which::Period { .. },
                ..
            }
        ));
        let a = args(&["statement", "--number", "2025-0001", "--out", "q.pdf"]).unwrap();
        assert!(matches!(
            a.command,
            Command::Statement {
                which: Which::Issued { .. },
                ..
            }
        ));
        let a = args(&[
            "statements",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--dir",
            "out",
            "--format",
            "xlsx",
        ])
        .unwrap();
        assert!(matches!(
            a.command,
            Command::Statements {
                format: Format::Xlsx,
                ..
            }
        ));
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
        assert!(
            args(&[
                "issue",
                "--partner",
                "1",
                "--from",
                "2025-01-01",
                "--to",
                "2025-01-31",
                "--bogus",
                "1"
            ])
            .is_err()
        );
        assert!(
            args(&[
                "statements",
                "--from",
                "2025-01-01",
                "--to",
                "2025-03-31",
                "--dir",
                "out",
                "--format",
                "doc"
            ])
            .is_err()
        );
        assert!(args(&["frobnicate"]).is_err());
    }
}
