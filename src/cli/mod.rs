//! The headless commands of the `partner-desk` binary: arguments in, exit status out.

mod args;
mod terminal;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::actions::{self, ActionError, Done};
use crate::clock::{system_lang, today};
use crate::domain::Inn;
use crate::domain::lang::{Lang, Localized};
use crate::export::{self, Format};
use crate::import::ImportKind;
use crate::store::Store;
pub use args::russian_value_error;
use args::{ARGS_LANG, Cli, FormatArg, KindArg, LangArg, ServerSub, Sub};

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// No subcommand, or `window`: open the window, with a file to import if one is named.
    Window {
        file: Option<PathBuf>,
        /// A timed start: the window closes itself at that moment.
        exit_when: Option<ExitWhen>,
    },
    /// Panics on purpose (or, `alloc`, asks for more memory than there is), to check that
    /// a crash leaves its report (hidden from help).
    CrashTest {
        alloc: bool,
    },
    Import {
        kind: ImportKind,
        file: PathBuf,
    },
    /// A bank statement (1CClientBankExchange) whose payments are matched to statements.
    ImportBank {
        file: PathBuf,
    },
    /// A partner's акт сверки for a period.
    Reconciliation {
        partner: Inn,
        from: NaiveDate,
        to: NaiveDate,
        out: PathBuf,
    },
    /// Payment orders for the statements named (all due when none is).
    Payments {
        out: PathBuf,
        numbers: Vec<String>,
        first_number: Option<u32>,
    },
    /// A statement computed now (by partner and period) or an issued one (by number).
    Statement {
        which: Which,
        out: PathBuf,
    },
    Issue {
        partner: Inn,
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
    /// Our organisation's requisites: printed, or set from a file.
    Requisites {
        set_from: Option<PathBuf>,
    },
    /// Reads the whole file and says whether it is damaged.
    Check,
    /// Undoes the newest import while nothing else has been written since.
    UndoImport,
    Demo,
    /// A shell's completion script, printed.
    Completions(clap_complete::Shell),
    /// Creates the team database's schema on a server, as its owner.
    ServerInit {
        url: String,
    },
    /// Brings the team database's schema to this version, as its owner.
    ServerUpgrade {
        url: String,
    },
    /// Adds a login to the team database with a role, as a role that may create roles.
    ServerAddUser {
        url: String,
        name: String,
        role: crate::store::postgres::TeamRole,
    },
    /// Copies a whole database file into an empty team database, or a team database into
    /// a new file.
    Copy {
        from: String,
        to: String,
    },
}

/// Which statement a command means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    Period {
        partner: Inn,
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
    /// `--lang`: the language of messages and documents, when given.
    pub lang: Option<Lang>,
    /// `--verbose`: the log on stderr too, with its details.
    pub verbose: bool,
    pub command: Command,
}

impl Args {
    /// The language of what the command says: `--lang`, else the system's.
    pub fn message_lang(&self) -> Lang {
        self.lang.unwrap_or_else(system_lang)
    }

    /// The language of the documents it writes: `--lang`, else Russian, whatever the
    /// system's locale, since a statement goes to a Russian partner and its accountant.
    pub fn document_lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::Ru)
    }
}

/// The moment a timed start of the window closes it (`window --exit-when`, hidden: for
/// timing the window's start as a whole process, `bench/whole-commands`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitWhen {
    /// Its first frame is drawn (nothing read yet).
    FirstFrame,
    /// The Overview is drawn with its data.
    Overview,
    /// Opened on the Sales page, its first rows are drawn.
    SalesRows,
}

/// The language the arguments ask for (`--lang xx` or `--lang=xx`), before they are read.
fn asked_lang(args: &[OsString]) -> Option<Lang> {
    let value = args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1)?.to_str(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        }
    })?;
    match value {
        "ru" | "рус" => Some(Lang::Ru),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// Reads the arguments (without the program name). An error is clap's: printed, it says
/// what is wrong (or is the help or the version asked for); its exit code is 2 (or 0).
pub fn parse_args<I, T>(args: I) -> Result<Args, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    ARGS_LANG.set(asked_lang(&args).unwrap_or_else(system_lang));
    let argv = std::iter::once(OsString::from("partner-desk")).chain(args);
    let mut matches = Cli::command().try_get_matches_from(argv)?;
    let cli = Cli::from_arg_matches_mut(&mut matches)?;
    Ok(Args {
        db: cli.db,
        verbose: cli.verbose,
        lang: cli.lang.map(|l| match l {
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }),
        command: command_of(cli.command)?,
    })
}

/// The command a subcommand's arguments ask for (the window when there is none), its
/// periods checked.
fn command_of(sub: Option<Sub>) -> Result<Command, clap::Error> {
    Ok(match sub {
        None => Command::Window {
            file: None,
            exit_when: None,
        },
        Some(Sub::Window { file, exit_when }) => Command::Window { file, exit_when },
        Some(Sub::CrashTest { alloc }) => Command::CrashTest { alloc },
        Some(Sub::Import { kind, file }) => {
            let kind = match kind {
                KindArg::Partners => ImportKind::Partners,
                KindArg::Pins => ImportKind::Pins,
                KindArg::Sales => ImportKind::Sales,
                KindArg::Returns => ImportKind::Returns,
                // A bank statement is no table: its payments are matched to statements.
                KindArg::Bank => return Ok(Command::ImportBank { file }),
            };
            Command::Import { kind, file }
        }
        Some(Sub::Payments {
            out,
            numbers,
            first_number,
        }) => Command::Payments {
            out,
            numbers,
            first_number,
        },
        Some(Sub::Reconciliation {
            partner,
            from,
            to,
            out,
        }) => {
            let (from, to) = period(from, to)?;
            Command::Reconciliation {
                partner,
                from,
                to,
                out,
            }
        }
        Some(Sub::UndoImport) => Command::UndoImport,
        Some(Sub::Statement {
            partner,
            from,
            to,
            number,
            out,
        }) => Command::Statement {
            which: which_statement(number, partner, from.zip(to))?,
            out,
        },
        Some(Sub::Issue { partner, from, to }) => {
            let (from, to) = period(from, to)?;
            Command::Issue { partner, from, to }
        }
        Some(Sub::Reopen { number, reason }) => Command::Reopen { number, reason },
        Some(Sub::Statements {
            from,
            to,
            dir,
            format,
        }) => {
            let (from, to) = period(from, to)?;
            Command::Statements {
                from,
                to,
                dir,
                format: match format {
                    FormatArg::Xlsx => Format::Xlsx,
                    FormatArg::Pdf => Format::Pdf,
                    FormatArg::Csv => Format::Csv,
                    FormatArg::Json => Format::Json,
                },
            }
        }
        Some(Sub::Backup { file }) => Command::Backup { file },
        Some(Sub::Requisites { set_from }) => Command::Requisites { set_from },
        Some(Sub::Demo) => Command::Demo,
        Some(Sub::Check) => Command::Check,
        Some(Sub::Completions { shell }) => Command::Completions(shell),
        Some(Sub::Server(ServerSub::Init { url })) => Command::ServerInit { url },
        Some(Sub::Server(ServerSub::Upgrade { url })) => Command::ServerUpgrade { url },
        Some(Sub::Server(ServerSub::AddUser { url, name, role })) => {
            Command::ServerAddUser { url, name, role }
        }
        Some(Sub::Copy { from, to }) => Command::Copy { from, to },
    })
}

/// The statement `statement` writes: an issued one by its number, or a partner's for a
/// period.
fn which_statement(
    number: Option<String>,
    partner: Option<Inn>,
    period_asked: Option<(NaiveDate, NaiveDate)>,
) -> Result<Which, clap::Error> {
    use clap::CommandFactory;
    match (number, partner, period_asked) {
        (Some(number), ..) => Ok(Which::Issued { number }),
        (None, Some(partner), Some((from, to))) => {
            let (from, to) = period(from, to)?;
            Ok(Which::Period { partner, from, to })
        }
        _ => Err(Cli::command().error(
            clap::error::ErrorKind::MissingRequiredArgument,
            "statement needs --number, or --partner with --from and --to",
        )),
    }
}

/// A period from `from` to `to`, refused when it is empty.
fn period(from: NaiveDate, to: NaiveDate) -> Result<(NaiveDate, NaiveDate), clap::Error> {
    use clap::CommandFactory;
    if from > to {
        let lang = ARGS_LANG.get();
        return Err(Cli::command().error(
            clap::error::ErrorKind::ValueValidation,
            format!(
                "{} --from {from} {} --to {to}",
                lang.pick("период пуст:", "the period is empty:"),
                lang.pick("позже, чем", "is after")
            ),
        ));
    }
    Ok((from, to))
}

/// The database: `--db`, else `$PARTNER_DESK_DB`, else the file in the user's data folder.
/// A `postgres://` URL in either names a team database (see [`crate::store::Store::open`]).
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

/// The database file, or the error that says there is no data folder to put it in.
pub fn database_path_or_say(db: Option<&Path>) -> Result<PathBuf, ActionError> {
    database_path(db).ok_or(ActionError::NoDataFolder)
}

/// Runs a headless command and prints its result; errors go to stderr as sentences.
pub fn run(args: &Args) -> ExitCode {
    let lang = args.message_lang();
    tracing::info!(
        "partner-desk {} {:?}",
        crate::diagnostics::version(),
        args.command
    );
    terminal::ask_server_passwords(lang);
    match &args.command {
        Command::Window { .. } => return ExitCode::SUCCESS,
        Command::CrashTest { alloc } => {
            tracing::error!("a crash asked for by the crash-test command");
            if *alloc {
                // More than any computer has: the system refuses it.
                let huge: Vec<u8> = Vec::with_capacity(1 << 47);
                std::hint::black_box(huge);
            }
            panic!("a crash asked for by the crash-test command");
        }
        Command::Completions(shell) => {
            use clap::CommandFactory;
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "partner-desk",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        Command::ServerInit { url } => return say(actions::server_init(url).map(Some), lang),
        Command::ServerUpgrade { url } => {
            return say(actions::server_upgrade(url).map(Some), lang);
        }
        Command::ServerAddUser { url, name, role } => {
            let added = terminal::new_password(name, lang)
                .and_then(|password| actions::server_add_user(url, name, *role, &password));
            return say(added.map(Some), lang);
        }
        Command::Copy { from, to } => {
            let today = chrono::Local::now().date_naive();
            return say(actions::copy(from, to, today).map(Some), lang);
        }
        _ => {}
    }
    let result = database_path_or_say(args.db.as_deref()).and_then(|path| {
        let mut store = Store::open(&path)?;
        let result = execute(&mut store, &args.command, args.document_lang());
        store.close();
        result
    });
    say(result, lang)
}

/// Prints what a command did, or its error as a sentence on stderr.
fn say(result: Result<Option<Done>, ActionError>, lang: Lang) -> ExitCode {
    match result {
        Ok(done) => {
            let message = done.map(|d| d.text(lang)).unwrap_or_default();
            let message = crate::diagnostics::redact(&message);
            tracing::info!("{message}");
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let message = e.text(lang);
            let message = crate::diagnostics::redact(&message);
            tracing::warn!("refused: {message}");
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command on the database; the commands that need none do nothing here.
fn execute(
    store: &mut Store,
    command: &Command,
    doc_lang: Lang,
) -> Result<Option<Done>, ActionError> {
    let done = match command {
        Command::Import { kind, file } => actions::import_file(store, *kind, file)?,
        Command::UndoImport => actions::undo_import(store, None)?,
        Command::ImportBank { file } => actions::import_bank(store, file)?,
        Command::Reconciliation {
            partner,
            from,
            to,
            out,
        } => {
            let id = actions::partner_by_inn(store, partner)?;
            actions::write_reconciliation(store, id, (*from, *to), out, (doc_lang, today()))?
        }
        Command::Payments {
            out,
            numbers,
            first_number,
        } => actions::payment_orders(
            store,
            numbers,
            *first_number,
            out,
            (today(), crate::clock::time_now()),
        )?,
        Command::Statement {
            which: Which::Period { partner, from, to },
            out,
        } => {
            if Format::from_path(out).is_none() {
                return Err(export::ExportError::UnknownFormat.into());
            }
            let id = actions::partner_by_inn(store, partner)?;
            actions::write_statement(store, id, (*from, *to), today(), out, doc_lang)?
        }
        Command::Statement {
            which: Which::Issued { number },
            out,
        } => actions::export_issued(store, number, out, doc_lang)?,
        Command::Issue { partner, from, to } => {
            let id = actions::partner_by_inn(store, partner)?;
            actions::issue(store, id, (*from, *to), today())?
        }
        Command::Reopen { number, reason } => actions::reopen(store, number, reason, today())?,
        Command::Statements {
            from,
            to,
            dir,
            format,
        } => {
            let batch = actions::Batch {
                from: *from,
                to: *to,
                today: today(),
                dir,
                format: *format,
                doc_lang,
            };
            actions::export_all(store, &batch, &|_, _| {}, &AtomicBool::new(false))?
        }
        Command::Backup { file } => actions::backup(store, file)?,
        Command::Requisites {
            set_from: Some(file),
        } => actions::set_organisation(store, file)?,
        Command::Requisites { set_from: None } => actions::organisation(store)?,
        Command::Check => actions::check(store)?,
        Command::Demo => actions::demo(store, today())?,
        Command::Window { .. }
        | Command::Completions(_)
        | Command::CrashTest { .. }
        | Command::ServerInit { .. }
        | Command::ServerUpgrade { .. }
        | Command::ServerAddUser { .. }
        | Command::Copy { .. } => return Ok(None),
    };
    Ok(Some(done))
}

#[cfg(test)]
mod tests;
