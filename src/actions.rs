//! What the window and the command line both do, each written once: issue and reopen a
//! statement; export one statement, an issued one, every partner's, or a list; back up;
//! import a file and undo the last import; fill demo data; check the file.
//!
//! Each action returns a [`Done`] or an [`ActionError`]. Both say themselves in Russian and
//! English ([`Localized`]), so the window shows and the command line prints the same
//! sentence, and every error reaches the user once, as a sentence.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::demo::DemoSummary;
use crate::domain::lang::{Lang, Localized};
use crate::domain::{Money, PartnerId};
use crate::export::list::List;
use crate::export::{self, ExportError, Format, ListError, ListFormat, SalesListExport};
use crate::import::{self, ImportError, ImportKind};
use crate::statements::{self, BatchError, BatchSummary, Issued, IssuedExportError};
use crate::store::{ImportRecord, Right, RuleError, Store, StoreError};

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Issued(Issued),
    Reopened {
        number: String,
    },
    StatementWritten {
        path: PathBuf,
        lines: usize,
        premium: Money,
    },
    IssuedExported {
        number: String,
        path: PathBuf,
    },
    Batch {
        summary: BatchSummary,
        dir: PathBuf,
    },
    ListWritten {
        rows: usize,
        path: PathBuf,
    },
    BackedUp(PathBuf),
    Imported(import::Summary),
    ImportUndone(ImportRecord),
    Demo(DemoSummary),
    Checked,
    /// The file was brought to this program's schema; the file as it was is kept.
    Upgraded {
        path: PathBuf,
        kept: PathBuf,
    },
    /// The team database's schema was created on the server.
    ServerCreated {
        server: String,
    },
    /// The team database's schema is at this program's version.
    ServerCurrent {
        server: String,
        version: i64,
    },
    /// The team database's schema was brought from version `from` to this program's.
    ServerUpgraded {
        server: String,
        from: i64,
    },
    /// A login added to the team database, or given a new password and role.
    UserAdded {
        server: String,
        name: String,
        role: crate::store::postgres::TeamRole,
        new: bool,
    },
    /// A whole file copied into a team database.
    CopiedToServer {
        server: String,
        copied: crate::store::copy::Copied,
    },
    CopiedToFile {
        path: PathBuf,
        copied: crate::store::copy::Copied,
    },
}

impl Done {
    /// The file written, for the exports.
    pub fn written(&self) -> Option<&Path> {
        match self {
            Done::StatementWritten { path, .. }
            | Done::IssuedExported { path, .. }
            | Done::ListWritten { path, .. } => Some(path),
            _ => None,
        }
    }
}

impl Localized for Done {
    fn text(&self, lang: Lang) -> String {
        let t = |ru, en| lang.pick(ru, en);
        match self {
            Done::Issued(issued) => format!(
                "{} {} · {} {} · {} {} · SHA-256 {}",
                t("Выдана ведомость", "Issued statement"),
                issued.number,
                t("строк", "lines"),
                issued.lines,
                t("премия", "premium"),
                issued.premium.display(lang),
                issued.sha256
            ),
            Done::Reopened { number } => format!(
                "{} {number} {}",
                t("Ведомость", "Statement"),
                t("переоткрыта", "reopened")
            ),
            Done::StatementWritten {
                path,
                lines,
                premium,
            } => format!(
                "{} {} · {} {lines} · {} {}",
                t("Ведомость записана:", "Statement written:"),
                path.display(),
                t("строк", "lines"),
                t("премия", "premium"),
                premium.display(lang)
            ),
            Done::IssuedExported { number, path } => format!(
                "{} {number}: {}",
                t("Ведомость", "Statement"),
                path.display()
            ),
            Done::Batch { summary, dir } => format!(
                "{} {}{} · {} {} · {}",
                t("Ведомостей выгружено:", "Statements exported:"),
                summary.files.len(),
                if summary.cancelled {
                    t(" (отменено)", " (cancelled)")
                } else {
                    ""
                },
                t("премия", "premium"),
                summary.premium.display(lang),
                summary.summary_file.as_deref().unwrap_or(dir).display()
            ),
            Done::ListWritten { rows, path } => format!(
                "{} {rows} · {}",
                t("Строк выгружено:", "Rows exported:"),
                path.display()
            ),
            Done::BackedUp(path) => format!(
                "{} {}",
                t("Резервная копия записана:", "Backup written:"),
                path.display()
            ),
            Done::Imported(summary) => summary.text(lang),
            Done::ImportUndone(last) => format!(
                "{} {} ({})",
                t("Импорт отменён:", "Import undone:"),
                last.file,
                last.imported_at
                    .get(..16)
                    .unwrap_or(&last.imported_at)
                    .replace('T', " ")
            ),
            Done::Demo(summary) => summary.text(lang),
            Done::Upgraded { kept, .. } => format!(
                "{} {} · {} {}",
                t(
                    "База данных обновлена до схемы",
                    "The database is upgraded to schema"
                ),
                crate::store::SCHEMA_VERSION,
                t("прежний файл сохранён:", "the file as it was is kept:"),
                kept.display()
            ),
            Done::ServerCreated { server } => format!(
                "{} {server} ({} {})",
                t("Общая база создана:", "Team database created:"),
                t("схема", "schema"),
                crate::store::postgres::SERVER_SCHEMA_VERSION
            ),
            Done::ServerCurrent { server, version } => format!(
                "{} {server} ({} {version})",
                t(
                    "Общая база уже готова, менять нечего:",
                    "The team database is ready already, nothing to change:"
                ),
                t("схема", "schema"),
            ),
            Done::ServerUpgraded { server, from } => format!(
                "{} {server}: {} {from} → {}",
                t("Общая база обновлена:", "Team database upgraded:"),
                t("схема", "schema"),
                crate::store::postgres::SERVER_SCHEMA_VERSION
            ),
            Done::UserAdded {
                server,
                name,
                role,
                new,
            } => {
                use crate::store::postgres::TeamRole;
                let role = match role {
                    TeamRole::Manager => t("менеджер", "manager"),
                    TeamRole::Lead => t("руководитель", "lead"),
                    TeamRole::Auditor => t("аудитор", "auditor"),
                };
                let done = if *new {
                    t("Пользователь добавлен в", "User added to")
                } else {
                    t(
                        "Пользователю заданы новый пароль и роль в",
                        "User given a new password and role in",
                    )
                };
                format!("{done} {server}: {name} ({role})")
            }
            Done::CopiedToServer { .. } | Done::CopiedToFile { .. } => {
                let (into, copied) = match self {
                    Done::CopiedToServer { server, copied } => (
                        format!(
                            "{} {server}",
                            t("Скопировано в общую базу", "Copied into the team database")
                        ),
                        copied,
                    ),
                    Done::CopiedToFile { path, copied } => (
                        format!(
                            "{} {}",
                            t("Скопировано в файл", "Copied into the file"),
                            path.display()
                        ),
                        copied,
                    ),
                    _ => unreachable!("matched above"),
                };
                let rows = |table: &str| {
                    copied
                        .tables
                        .iter()
                        .find(|(t, _)| *t == table)
                        .map_or(0, |(_, n)| *n)
                };
                format!(
                    "{into}: {} {} · {} {} · {} {} · {} {} ({}) · {} {}",
                    t("партнёров", "partners"),
                    rows("partners"),
                    t("закреплений", "pins"),
                    rows("pins"),
                    t("продаж и возвратов", "sales and returns"),
                    rows("sales"),
                    t("выданных ведомостей", "issued statements"),
                    copied.statements,
                    t("каждая проверена байт в байт", "each checked byte for byte"),
                    t(
                        "ведомостей по месяцам, одинаковых в обеих базах:",
                        "monthly statements the same in both:"
                    ),
                    copied.same_statements,
                )
            }
            Done::Checked => t(
                "Проверка пройдена: файл базы данных не повреждён.",
                "Checked: the database file is not damaged.",
            )
            .to_owned(),
        }
    }
}

/// Why an action, or anything the window was asked to do, did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no database is open")]
    NoDatabase,
    #[error(
        "a copy goes from a database file to a team database (postgres://…) or from a team database to a new file"
    )]
    CopyEnds,
    #[error("{} exists already; a copy is written only into a new file", path.display())]
    CopyTargetExists { path: PathBuf },
    #[error("no user data folder found; name the database: --db FILE")]
    NoDataFolder,
    #[error(
        "the database already holds data; demo data fills only an empty one. Name a new one: --db FILE"
    )]
    NotEmpty,
    #[error(
        "the database is busy: another program is writing to it (a large import, for example). The window opens it by itself as soon as it is free."
    )]
    WaitingForFile,
    #[error("the database file is being checked; try again in a moment")]
    Checking,
    #[error(
        "no connection to the team database {server}: nothing was written, and nothing is kept to be written later. The window reconnects by itself as soon as the server answers."
    )]
    ServerLost { server: String },
    #[error("the two passwords typed differ; nothing was changed")]
    PasswordsDiffer,
    #[error("no password was given; nothing was changed")]
    NoPassword,
    #[error("{}", needed.refusal(Lang::En))]
    NotAllowed { needed: Right },
    #[error("wait for the current operation to finish")]
    Busy,
    #[error("the operation was interrupted")]
    Interrupted,
    #[error(
        "the check of the database file for damage stopped on an internal error of the program, so nothing was written; it runs again now: try again once the status bar says \"file checked\""
    )]
    CheckStopped,
    #[error(
        "another database was opened while the file was read; nothing was imported. Import the file again into the database open now, if it is meant for it"
    )]
    OpenedMeanwhile,
    #[error(
        "nothing to undo: Ctrl+Z takes back a sale, a correction or a return made last in this window"
    )]
    NothingToUndo,
    #[error(
        "the correction cannot be undone: someone else has changed the sale since; nothing was changed"
    )]
    UndoOvertaken,
    #[error(
        "client {client} is pinned to {holder} until {last_day}. The refusal is recorded in the history."
    )]
    PinRefused {
        client: String,
        holder: String,
        last_day: NaiveDate,
    },
    #[error("cannot open {path}: {reason}")]
    CannotShow { path: String, reason: String },
    #[error("no log is kept: no data folder")]
    NoLogFolder,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A read that stopped without an answer (a read's store errors are `Store`).
    #[error(transparent)]
    Read(crate::reader::ReadError),
    #[error("{file}: {error}")]
    Import { file: String, error: ImportError },
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    IssuedExport(#[from] IssuedExportError),
    #[error(transparent)]
    Batch(#[from] BatchError),
    #[error(transparent)]
    List(#[from] ListError),
}

impl From<RuleError> for ActionError {
    fn from(e: RuleError) -> ActionError {
        ActionError::Store(e.into())
    }
}

impl ActionError {
    /// A file or folder the system could not open for the user.
    pub fn cannot_show(path: &Path, error: &std::io::Error) -> ActionError {
        ActionError::CannotShow {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }

    /// An import of `file` that failed.
    pub fn import(file: impl Into<String>, error: ImportError) -> ActionError {
        ActionError::Import {
            file: file.into(),
            error,
        }
    }
}

impl Localized for ActionError {
    fn text(&self, lang: Lang) -> String {
        let ru = match self {
            ActionError::NoDatabase => "База данных не открыта".to_owned(),
            ActionError::NoDataFolder => {
                "Не найдена папка данных пользователя; укажите базу: --db FILE".to_owned()
            }
            ActionError::NotEmpty => "В базе уже есть данные; демо-данные заполняют только пустую базу. Укажите новую: --db FILE".to_owned(),
            ActionError::Checking => {
                "Идёт проверка файла базы данных; повторите через пару секунд".to_owned()
            }
            ActionError::WaitingForFile => "База данных занята: другая программа записывает в неё (например, большой импорт). Окно откроет её само, как только она освободится.".to_owned(),
            ActionError::NotAllowed { needed } => needed.refusal(Lang::Ru).to_owned(),
            ActionError::PasswordsDiffer => {
                "Два введённых пароля различаются; ничего не изменено".to_owned()
            }
            ActionError::NoPassword => "Пароль не введён; ничего не изменено".to_owned(),
            ActionError::ServerLost { server } => format!("Нет связи с общей базой {server}: ничего не записано и ничего не отложено на потом. Окно подключится само, как только сервер ответит."),
            ActionError::Busy => "Дождитесь окончания текущей операции".to_owned(),
            ActionError::Interrupted => "Операция прервана".to_owned(),
            ActionError::CheckStopped => "Проверка файла базы данных на повреждения прервалась из-за внутренней ошибки программы, поэтому ничего не записано. Она запущена снова: повторите, когда в строке состояния появится «файл проверен»".to_owned(),
            ActionError::OpenedMeanwhile => "Пока файл читался, была открыта другая база; ничего не импортировано. Если файл предназначен для открытой сейчас базы, импортируйте его снова".to_owned(),
            ActionError::NothingToUndo => "Отменять нечего: Ctrl+Z отменяет запись, исправление продажи или возврат, сделанные в этом окне последними".to_owned(),
            ActionError::UndoOvertaken => "Исправление нельзя отменить: продажу с тех пор изменил другой пользователь; ничего не изменено".to_owned(),
            ActionError::PinRefused {
                client,
                holder,
                last_day,
            } => format!(
                "Клиент {client} закреплён за {holder} по {}. Отказ записан в историю.",
                crate::domain::show_date(*last_day, lang)
            ),
            ActionError::CannotShow { path, reason } => {
                format!("Не удаётся открыть {path}: {reason}")
            }
            ActionError::NoLogFolder => "Журнал не ведётся: нет папки данных".to_owned(),
            ActionError::CopyEnds => "Копия делается из файла базы в общую базу (postgres://…) или из общей базы в новый файл".to_owned(),
            ActionError::CopyTargetExists { path } => format!(
                "{} уже есть; копия записывается только в новый файл",
                path.display()
            ),
            ActionError::Store(e) => return e.text(lang),
            ActionError::Read(e) => return e.text(lang),
            ActionError::Import { file, error } => return error.report(file, lang),
            ActionError::Export(e) => return e.text(lang),
            ActionError::IssuedExport(e) => return e.text(lang),
            ActionError::Batch(e) => return e.text(lang),
            ActionError::List(e) => return e.text(lang),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => match self {
                ActionError::PinRefused {
                    client,
                    holder,
                    last_day,
                } => format!(
                    "Client {client} is pinned to {holder} until {}. The refusal is recorded in the history.",
                    crate::domain::show_date(*last_day, lang)
                ),
                other => capitalized(&other.to_string()),
            },
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The partner with INN `inn`, or the refusal that names the INN.
pub fn partner_by_inn(store: &Store, inn: &crate::domain::Inn) -> Result<PartnerId, ActionError> {
    store.read().partner_by_inn(inn)?.ok_or_else(|| {
        RuleError::UnknownPartner {
            inn: inn.to_string(),
        }
        .into()
    })
}

/// Issues the statement of `partner` for `[from, to]` (see [`statements::issue`]).
pub fn issue(
    store: &mut Store,
    partner: PartnerId,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<Done, ActionError> {
    Ok(Done::Issued(statements::issue(
        store, partner, from, to, today,
    )?))
}

/// Reopens an issued statement, with the reason the regulation asks for.
pub fn reopen(
    store: &mut Store,
    number: &str,
    reason: &str,
    today: NaiveDate,
) -> Result<Done, ActionError> {
    store.write(|tx| tx.reopen_statement(number, today, reason))?;
    Ok(Done::Reopened {
        number: number.to_owned(),
    })
}

/// Writes the statement of `partner` for `[from, to]` to `path`, in the format its
/// extension names, in the document language `doc_lang`.
pub fn write_statement(
    store: &Store,
    partner: PartnerId,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    path: &Path,
    doc_lang: Lang,
) -> Result<Done, ActionError> {
    if Format::from_path(path).is_none() {
        return Err(ExportError::UnknownFormat.into());
    }
    let statement = store.read().statement(partner, from, to, today)?;
    export::write_statement(&statement, path, doc_lang)?;
    Ok(Done::StatementWritten {
        path: path.to_owned(),
        lines: statement.lines.len(),
        premium: statement.totals.overall.premium,
    })
}

/// Writes an issued statement again, exactly as issued (see [`statements::export_issued`]).
pub fn export_issued(
    store: &Store,
    number: &str,
    path: &Path,
    doc_lang: Lang,
) -> Result<Done, ActionError> {
    statements::export_issued(store, number, path, doc_lang)?;
    Ok(Done::IssuedExported {
        number: number.to_owned(),
        path: path.to_owned(),
    })
}

/// Where a batch export goes and how it reports.
pub struct Batch<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub dir: &'a Path,
    pub format: Format,
    pub doc_lang: Lang,
}

/// Writes every partner's statement for a period into a folder, with a summary file (see
/// [`statements::export_all`]).
pub fn export_all(
    store: &Store,
    batch: &Batch<'_>,
    progress: &dyn Fn(usize, usize),
    cancel: &AtomicBool,
) -> Result<Done, ActionError> {
    let summary = statements::export_all(
        store,
        batch.from,
        batch.to,
        batch.today,
        batch.dir,
        batch.format,
        batch.doc_lang,
        progress,
        cancel,
    )?;
    Ok(Done::Batch {
        summary,
        dir: batch.dir.to_owned(),
    })
}

/// Writes a list shown on a page (partners, the stop-list) to `path`.
pub fn write_list(
    list: &List,
    format: ListFormat,
    path: &Path,
    lang: Lang,
) -> Result<Done, ActionError> {
    let rows = export::write_list(list, format, path, lang)?;
    Ok(Done::ListWritten {
        rows,
        path: path.to_owned(),
    })
}

/// Writes the sales list of a query to `path`.
pub fn write_sales_list(
    store: &Store,
    list: &SalesListExport,
    path: &Path,
    (lang, today): (Lang, NaiveDate),
    progress: &dyn Fn(usize, usize),
    cancel: &AtomicBool,
) -> Result<Done, ActionError> {
    let rows = export::write_sales_list(store, list, path, (lang, today), progress, cancel)?;
    Ok(Done::ListWritten {
        rows,
        path: path.to_owned(),
    })
}

/// Copies the database to `file` (see [`Store::backup_to`]).
pub fn backup(store: &Store, file: &Path) -> Result<Done, ActionError> {
    store.backup_to(file)?;
    Ok(Done::BackedUp(file.to_owned()))
}

/// Imports a file of `kind`, all or nothing.
pub fn import_file(store: &mut Store, kind: ImportKind, file: &Path) -> Result<Done, ActionError> {
    import::import_file(store, kind, file)
        .map(Done::Imported)
        .map_err(|e| ActionError::import(file.display().to_string(), e))
}

/// Takes back the last import, when nothing has been written since; `id` names the import
/// the user saw, when there is one.
pub fn undo_import(
    store: &mut Store,
    id: Option<crate::domain::ImportId>,
) -> Result<Done, ActionError> {
    let last = store.read().last_import()?;
    let Some(last) = last.filter(|l| l.undoable && id.is_none_or(|id| id == l.id)) else {
        return Err(RuleError::ImportNotUndoable.into());
    };
    store.write(|tx| tx.undo_import(last.id))?;
    Ok(Done::ImportUndone(last))
}

/// Fills an empty database with demo data.
pub fn demo(store: &mut Store, today: NaiveDate) -> Result<Done, ActionError> {
    if !crate::demo::is_empty(store)? {
        return Err(ActionError::NotEmpty);
    }
    Ok(Done::Demo(crate::demo::fill(store, today)?))
}

/// Brings the file at `path` to this program's schema, keeping the file as it was beside it
/// (checked), in one transaction: what the window does on a worker when it opens an older
/// file, so that it is not frozen meanwhile.
pub fn upgrade(path: &Path) -> Result<Done, ActionError> {
    Store::open(path)?.close();
    Ok(Done::Upgraded {
        path: path.to_owned(),
        kept: Store::kept_before_upgrade(path),
    })
}

/// Checks the whole database file for damage.
pub fn check(store: &Store) -> Result<Done, ActionError> {
    store.read().integrity()?;
    Ok(Done::Checked)
}

/// Creates the team database's schema on a server, as the role connected (its owner). A
/// database that holds it already is left as it is; a newer or a foreign one is refused.
pub fn server_init(url: &str) -> Result<Done, ActionError> {
    use crate::store::postgres::{Found, Server};
    let mut server = Server::connect(url)?;
    let shown = server.shown().to_owned();
    Ok(match server.init()? {
        Found::Empty => Done::ServerCreated { server: shown },
        Found::Ours(found) if found < crate::store::postgres::SERVER_SCHEMA_VERSION => {
            return Err(StoreError::OlderServerSchema {
                server: shown,
                found,
            }
            .into());
        }
        Found::Ours(version) => Done::ServerCurrent {
            server: shown,
            version,
        },
        Found::Foreign => return Err(StoreError::NotADatabase { path: shown }.into()),
    })
}

/// Adds a login to the team database with a role (or gives an existing one a new password
/// and role), as a role that may create roles.
pub fn server_add_user(
    url: &str,
    name: &str,
    role: crate::store::postgres::TeamRole,
    password: &str,
) -> Result<Done, ActionError> {
    let mut server = crate::store::postgres::Server::connect(url)?;
    let new = server.add_user(name, role, password)?;
    Ok(Done::UserAdded {
        server: server.shown().to_owned(),
        name: name.to_owned(),
        role,
        new,
    })
}

/// Brings the team database's schema to this program's version, keeping every row (see
/// [`crate::store::postgres::Server::upgrade`]), or says it is there already.
pub fn server_upgrade(url: &str) -> Result<Done, ActionError> {
    use crate::store::postgres::{SERVER_SCHEMA_VERSION, Server};
    let mut server = Server::connect(url)?;
    let shown = server.shown().to_owned();
    match server.upgrade()? {
        found if found < SERVER_SCHEMA_VERSION => Ok(Done::ServerUpgraded {
            server: shown,
            from: found,
        }),
        version => Ok(Done::ServerCurrent {
            server: shown,
            version,
        }),
    }
}

/// Copies a whole database from a file into an empty team database, or from a team
/// database into a new file; then figures every statement of every partner for every month
/// on both sides and compares them.
pub fn copy(from: &str, to: &str, today: NaiveDate) -> Result<Done, ActionError> {
    use crate::store::postgres::is_server_url;
    match (is_server_url(from), is_server_url(to)) {
        (false, true) => copy_to_server(Path::new(from), to, today),
        (true, false) => copy_to_file(from, Path::new(to), today),
        _ => Err(ActionError::CopyEnds),
    }
}

/// Copies the whole database file into an empty team database (see
/// [`crate::store::copy::file_to_server`]).
fn copy_to_server(file: &Path, url: &str, today: NaiveDate) -> Result<Done, ActionError> {
    let store = Store::open(file)?;
    let mut server = crate::store::postgres::Server::connect(url)?;
    let file_store = store
        .as_file()
        .ok_or(StoreError::BadValue(file.display().to_string()))?;
    let mut copied = crate::store::copy::file_to_server(file_store, &mut server)?;
    let team = Store::connect(url)?;
    copied.same_statements =
        crate::store::copy::same_statements(&store.read(), &team.read(), today)?;
    store.close();
    Ok(Done::CopiedToServer {
        server: server.shown().to_owned(),
        copied,
    })
}

/// Copies a whole team database into a new file (see
/// [`crate::store::copy::server_to_file`]); a file already there is left alone.
fn copy_to_file(url: &str, file: &Path, today: NaiveDate) -> Result<Done, ActionError> {
    if file.exists() {
        return Err(ActionError::CopyTargetExists {
            path: file.to_path_buf(),
        });
    }
    let team = Store::connect(url)?;
    let mut copied = team.archive_to(file)?;
    let store = Store::open(file)?;
    copied.same_statements =
        crate::store::copy::same_statements(&team.read(), &store.read(), today)?;
    store.close();
    Ok(Done::CopiedToFile {
        path: file.to_path_buf(),
        copied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_says_itself_in_both_languages_as_one_sentence() {
        let errors = [
            ActionError::NoDatabase,
            ActionError::CopyEnds,
            ActionError::NoDataFolder,
            ActionError::NotEmpty,
            ActionError::WaitingForFile,
            ActionError::Checking,
            ActionError::ServerLost {
                server: "anna@db.example:5432/partner_desk".into(),
            },
            ActionError::NotAllowed {
                needed: Right::Record,
            },
            ActionError::PasswordsDiffer,
            ActionError::NoPassword,
            ActionError::NotAllowed {
                needed: Right::Lead,
            },
            ActionError::Busy,
            ActionError::Interrupted,
            ActionError::CheckStopped,
            ActionError::OpenedMeanwhile,
            ActionError::Read(crate::reader::ReadError::Stopped),
            ActionError::NothingToUndo,
            ActionError::UndoOvertaken,
            ActionError::NoLogFolder,
            ActionError::PinRefused {
                client: "7707083893".into(),
                holder: "Alpha LLC".into(),
                last_day: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            },
        ];
        for e in errors {
            let (ru, en) = (e.text(Lang::Ru), e.text(Lang::En));
            assert!(ru.chars().next().is_some_and(char::is_uppercase), "{ru}");
            assert!(en.chars().next().is_some_and(char::is_uppercase), "{en}");
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
            assert!(!en.chars().any(|c| ('а'..='я').contains(&c)), "{en}");
        }
    }
}
