//! The headless commands of the `partner-desk` binary: arguments in, exit status out.

mod terminal;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::actions::{self, ActionError, Done};
use crate::clock::{system_lang, today};
use crate::domain::lang::{Lang, Localized};
use crate::domain::{self, Inn};
use crate::export::{self, Format};
use crate::import::ImportKind;
use crate::store::Store;

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

const ABOUT: &str =
    "Partner Desk: partners, stop-list, sales and premium statements of 1С-Коннект partners.";

const AFTER_HELP: &str = "\
With no command, the window opens.
The database is --db FILE, or $PARTNER_DESK_DB, or <data dir>/partner-desk/partner-desk.sqlite3;
a team database on a server is named the same way by its URL: postgres://USER@HOST:PORT/DATABASE.
Dates are YYYY-MM-DD or DD.MM.YYYY. Exit status: 0 done, 1 refused, 2 wrong arguments.";

/// The command line as clap reads it; [`parse_args`] turns it into [`Args`].
#[derive(clap::Parser, Debug)]
#[command(
    name = "partner-desk",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PARTNER_DESK_COMMIT"), ")"),
    about = ABOUT,
    after_help = AFTER_HELP,
)]
struct Cli {
    /// The database file, or a team database: postgres://USER@HOST:PORT/DATABASE
    #[arg(long, global = true, value_name = "FILE", display_order = 100)]
    db: Option<PathBuf>,
    /// Language of messages and of the documents written (documents default to Russian)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "LANG",
        display_order = 101
    )]
    lang: Option<LangArg>,
    /// Print what is done (the log) on stderr too
    #[arg(short, long, global = true, display_order = 102)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum LangArg {
    #[value(alias = "рус")]
    Ru,
    En,
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

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum KindArg {
    #[value(alias = "партнёры", alias = "партнеры")]
    Partners,
    #[value(alias = "закрепления", alias = "стоп-лист")]
    Pins,
    #[value(alias = "продажи")]
    Sales,
    #[value(alias = "возвраты")]
    Returns,
    /// A bank statement in the 1CClientBankExchange format
    #[value(alias = "выписка")]
    Bank,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Xlsx,
    Pdf,
    Csv,
    Json,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Open the window (what no command does); with a file, open it in the import window
    Window {
        /// A .csv, .xlsx, .xls or .ods file to import
        file: Option<PathBuf>,
        #[arg(long, value_enum, hide = true)]
        exit_when: Option<ExitWhen>,
    },
    /// Import partners, pins, sales or returns from a file, all rows or none
    #[command(
        after_help = "FILE: .csv (UTF-8 or Windows-1251), .xlsx, .xls or .ods. Columns are \
                      matched by their English or Russian headers; license kinds, statuses and \
                      yes/no by the regulation's, 1C's or the program's own words."
    )]
    Import {
        /// What the file holds
        #[arg(value_enum)]
        kind: KindArg,
        /// The file to import
        file: PathBuf,
    },
    /// Undo the last import, if nothing has been written since
    UndoImport,
    /// Write one partner's statement for a period, or an issued statement by its number
    #[command(
        group(clap::ArgGroup::new("which").required(true).args(["partner", "number"])),
        after_help = "The format comes from the extension of --out: .pdf, .xlsx, .csv or .json. \
                      An issued statement is written from its stored figures; as .json, byte \
                      for byte as issued."
    )]
    Statement {
        /// The partner's INN
        #[arg(long, value_name = "INN", value_parser = inn_arg, requires_all = ["from", "to"])]
        partner: Option<Inn>,
        /// First day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg, requires = "partner")]
        from: Option<NaiveDate>,
        /// Last day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg, requires = "partner")]
        to: Option<NaiveDate>,
        /// The number of an issued statement (instead of --partner and the period)
        #[arg(long, value_name = "NUMBER", conflicts_with_all = ["partner", "from", "to"])]
        number: Option<String>,
        /// The file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Issue a partner's statement: give it a number, store it and lock its period
    Issue {
        /// The partner's INN
        #[arg(long, value_name = "INN", value_parser = inn_arg)]
        partner: Inn,
        /// First day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: NaiveDate,
        /// Last day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: NaiveDate,
    },
    /// Reopen an issued statement, with the reason, so its period can be corrected
    Reopen {
        /// The statement's number
        #[arg(long, value_name = "NUMBER")]
        number: String,
        /// Why it is reopened (kept in its history)
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Write every partner's statement for a period into a folder, with a summary
    Statements {
        /// First day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: NaiveDate,
        /// Last day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: NaiveDate,
        /// The folder to write into
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The format of the files
        #[arg(long, value_enum)]
        format: FormatArg,
    },
    /// Write payment orders (1CClientBankExchange 1.03) for issued statements due
    #[command(
        after_help = "One payment order per partner, its statements netted; a partner without \
                      bank requisites is refused by name and nothing is written for it. The \
                      file (Windows-1251) is imported by 1C:Бухгалтерия or the bank's client."
    )]
    Payments {
        /// The file to write (.txt)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// An issued statement's number (repeat for several; all due when none is given)
        #[arg(long = "number", value_name = "NUMBER")]
        numbers: Vec<String>,
        /// The first payment order's number (by default one after the highest number
        /// among this year's payments)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        first_number: Option<u32>,
    },
    /// Write a partner's акт сверки (reconciliation) for a period, as PDF or XLSX
    #[command(
        after_help = "The opening balance, each issued statement as an accrual and each payment \
                      by date, and the closing balance, signed by both sides. The format comes \
                      from the extension of --out: .pdf or .xlsx."
    )]
    Reconciliation {
        /// The partner's INN
        #[arg(long, value_name = "INN", value_parser = inn_arg)]
        partner: Inn,
        /// First day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: NaiveDate,
        /// Last day of the period
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: NaiveDate,
        /// The file to write (.pdf or .xlsx)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print our organisation's requisites, or set them from a file
    #[command(
        after_help = "FILE: a text file (UTF-8 or Windows-1251) of lines «Поле = значение»: \
                      «Полное наименование», «ИНН», «КПП», «ОГРН», «Адрес», «Банк», «БИК», \
                      «Расчетный счет», «Корр. счет», «Должность подписанта», «Подписант», \
                      «Главный бухгалтер». Every field is checked before anything is written."
    )]
    Requisites {
        /// The file to read our requisites from
        #[arg(long, value_name = "FILE")]
        set_from: Option<PathBuf>,
    },
    /// Copy the database, checked, into a new file
    Backup {
        /// The copy to write
        file: PathBuf,
    },
    /// Check the whole database file for damage (reads all of it)
    Check,
    /// Set up or upgrade a team database on a PostgreSQL server
    #[command(subcommand)]
    Server(ServerSub),
    /// Copy a whole database file into an empty team database, or a team database into a
    /// new file, checked before it commits
    Copy {
        /// The database file, or the team database: postgres://USER@HOST:PORT/DATABASE
        #[arg(long)]
        from: String,
        /// The team database, or the new file
        #[arg(long)]
        to: String,
    },
    /// Fill an empty database with demo data
    Demo,
    /// Print a shell's completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Panic on purpose: checks that a crash leaves its report
    #[command(hide = true)]
    CrashTest {
        /// Ask for 128 TiB of memory instead of panicking
        #[arg(long)]
        alloc: bool,
    },
}

/// What `server` does.
#[derive(Debug, clap::Subcommand)]
enum ServerSub {
    /// Create Partner Desk's schema (and the btree_gist extension) in an empty database;
    /// run it as the role that is to own the schema
    #[command(
        after_help = "URL: postgres://USER@HOST:PORT/DATABASE, with ?sslmode=verify-full&sslrootcert=CA.pem \
                      for an encrypted connection whose certificate is checked. The password is \
                      taken from PGPASSWORD or ~/.pgpass, or asked on the terminal; never from the command line."
    )]
    Init {
        /// The database: postgres://USER@HOST:PORT/DATABASE
        url: String,
    },
    /// Bring the schema to this version of the program; run it as the schema's owner
    Upgrade {
        /// The database: postgres://USER@HOST:PORT/DATABASE
        url: String,
    },
    /// Add a manager's login (or give an existing one a new password and role); run it as
    /// the owner. The new login's password is asked twice on the terminal, or read from the
    /// first line of standard input
    AddUser {
        /// The database: postgres://USER@HOST:PORT/DATABASE
        url: String,
        /// The login: lower-case Latin letters, digits and _
        name: String,
        /// manager: pins, sales, returns, statuses, imports; lead: also rates and
        /// statements; auditor: reads and exports only
        #[arg(long, value_enum)]
        role: crate::store::postgres::TeamRole,
    },
}

thread_local! {
    /// The language argument errors are said in, while arguments are read.
    static ARGS_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// An argument that does not read, said in the language of the messages.
#[derive(Debug)]
enum ArgError {
    Inn(domain::InnError),
    Date,
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lang = ARGS_LANG.get();
        match self {
            ArgError::Inn(e) => f.write_str(&e.text(lang)),
            ArgError::Date => f.write_str(lang.pick(
                "не дата: пишите ГГГГ-ММ-ДД или ДД.ММ.ГГГГ",
                "not a date: write YYYY-MM-DD or DD.MM.YYYY",
            )),
        }
    }
}

impl std::error::Error for ArgError {}

fn inn_arg(text: &str) -> Result<Inn, ArgError> {
    Inn::parse(text).map_err(ArgError::Inn)
}

fn date_arg(text: &str) -> Result<NaiveDate, ArgError> {
    domain::parse_date(text).ok_or(ArgError::Date)
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
