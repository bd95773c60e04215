//! The command line as clap reads it: the commands, their arguments and the words each
//! value may be written in. [`super::parse_args`] turns it into [`super::Args`].

use std::path::PathBuf;

use chrono::NaiveDate;

use super::ExitWhen;
use crate::domain::Lang;
use crate::domain::lang::Localized;
use crate::domain::{self, Inn};

pub(super) const ABOUT: &str =
    "Partner Desk: partners, stop-list, sales and premium statements of 1С-Коннект partners.";

pub(super) const AFTER_HELP: &str = "\
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
pub(super) struct Cli {
    /// The database file, or a team database: postgres://USER@HOST:PORT/DATABASE
    #[arg(long, global = true, value_name = "FILE", display_order = 100)]
    pub(super) db: Option<PathBuf>,
    /// Language of messages and of the documents written (documents default to Russian)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "LANG",
        display_order = 101
    )]
    pub(super) lang: Option<LangArg>,
    /// Print what is done (the log) on stderr too
    #[arg(short, long, global = true, display_order = 102)]
    pub(super) verbose: bool,
    #[command(subcommand)]
    pub(super) command: Option<Sub>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(super) enum LangArg {
    #[value(alias = "рус")]
    Ru,
    En,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub(super) enum KindArg {
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
pub(super) enum FormatArg {
    Xlsx,
    Pdf,
    Csv,
    Json,
}

#[derive(clap::Subcommand, Debug)]
pub(super) enum Sub {
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
        #[arg(long, value_name = "N", value_parser = order_number_arg)]
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
pub(super) enum ServerSub {
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
    pub(super) static ARGS_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// An argument that does not read, said in the language of the messages.
#[derive(Debug)]
pub(super) enum ArgError {
    Inn(domain::InnError),
    Date,
    NoSuchDay,
    OrderNumber,
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
            ArgError::NoSuchDay => {
                f.write_str(lang.pick("такого дня нет в календаре", "the calendar has no such day"))
            }
            ArgError::OrderNumber => f.write_str(lang.pick(
                "номер платёжного поручения — целое число от 1",
                "a payment order's number is a whole number from 1",
            )),
        }
    }
}

impl std::error::Error for ArgError {}

pub(super) fn inn_arg(text: &str) -> Result<Inn, ArgError> {
    Inn::parse(text).map_err(ArgError::Inn)
}

pub(super) fn order_number_arg(text: &str) -> Result<u32, ArgError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(ArgError::OrderNumber)
}

pub(super) fn date_arg(text: &str) -> Result<NaiveDate, ArgError> {
    domain::parse_date(text).ok_or(if domain::is_no_such_day(text) {
        ArgError::NoSuchDay
    } else {
        ArgError::Date
    })
}

/// A value that does not read, said wholly in Russian when the messages are Russian (clap
/// frames it in English): the option, the value and why. None for every other error, which
/// clap says itself.
pub fn russian_value_error(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if ARGS_LANG.get() != Lang::Ru {
        return None;
    }
    // Only this program's value parsers give a reason of their own.
    let why = std::error::Error::source(error)?.to_string();
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let option = arg.split_whitespace().next().unwrap_or(arg);
    let value = match error.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) => value.as_str(),
        _ => "",
    };
    Some(format!(
        "ошибка: {option} «{value}»: {why}\nСправка: partner-desk --help"
    ))
}
