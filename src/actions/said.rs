//! What an action says: what it did ([`Done`]) or why it did not ([`ActionError`]), each
//! in Russian and English side by side, variant by variant.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::demo::DemoSummary;
use crate::domain::Money;
use crate::domain::lang::{Lang, Localized};
use crate::export::{ExportError, ListError};
use crate::import::{self, ImportError};
use crate::statements::{BatchError, BatchSummary, Issued, IssuedExportError};
use crate::store::{ImportRecord, Right, RuleError, StoreError};

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
    /// Our organisation's requisites, as recorded (`set`: just now).
    Requisites {
        requisites: Box<crate::domain::Requisites>,
        set: bool,
    },
    /// A partner's requisites recorded.
    PartnerRequisitesSet {
        partner: String,
    },
    /// A file of payment orders written.
    PaymentOrders(super::OrdersWritten),
    /// A bank statement's payments matched and recorded.
    BankImported(super::BankImported),
    /// A partner's акт сверки written, with its closing balance.
    ReconciliationWritten {
        path: PathBuf,
        closing: Money,
    },
}

impl Done {
    /// The file written, for the exports.
    pub fn written(&self) -> Option<&Path> {
        match self {
            Done::StatementWritten { path, .. }
            | Done::IssuedExported { path, .. }
            | Done::ListWritten { path, .. } => Some(path),
            Done::PaymentOrders(o) => Some(&o.path),
            Done::ReconciliationWritten { path, .. } => Some(path),
            _ => None,
        }
    }
}

impl Localized for Done {
    fn text(&self, lang: Lang) -> String {
        match self {
            Done::ServerCreated { .. }
            | Done::ServerCurrent { .. }
            | Done::ServerUpgraded { .. }
            | Done::UserAdded { .. } => self.of_the_server(lang),
            Done::CopiedToServer { server, copied } => {
                let into = lang.say(
                    format!("Скопировано в общую базу {server}"),
                    format!("Copied into the team database {server}"),
                );
                copied_text(&into, copied, lang)
            }
            Done::CopiedToFile { path, copied } => {
                let path = path.display();
                let into = lang.say(
                    format!("Скопировано в файл {path}"),
                    format!("Copied into the file {path}"),
                );
                copied_text(&into, copied, lang)
            }
            Done::Issued(_)
            | Done::Reopened { .. }
            | Done::StatementWritten { .. }
            | Done::IssuedExported { .. }
            | Done::Batch { .. }
            | Done::ListWritten { .. }
            | Done::BackedUp(_)
            | Done::Imported(_)
            | Done::ImportUndone(_)
            | Done::Demo(_)
            | Done::Checked
            | Done::Upgraded { .. } => self.of_the_data(lang),
            Done::Requisites { requisites, set } => requisites_text(requisites, *set, lang),
            Done::PartnerRequisitesSet { partner } => lang.say(
                format!("Реквизиты партнёра {partner} записаны"),
                format!("The requisites of {partner} are recorded"),
            ),
            Done::PaymentOrders(o) => orders_text(o, lang),
            Done::BankImported(b) => bank_text(b, lang),
            Done::ReconciliationWritten { path, closing } => lang.say(
                format!(
                    "Акт сверки записан: {} · сальдо на конец {}",
                    path.display(),
                    closing.display(lang)
                ),
                format!(
                    "Reconciliation written: {} · closing balance {}",
                    path.display(),
                    closing.display(lang)
                ),
            ),
        }
    }
}

impl Done {
    /// Statements issued and written, files written, imports and the file's own care.
    fn of_the_data(&self, lang: Lang) -> String {
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
            Done::Reopened { number } => lang.say(
                format!("Ведомость {number} переоткрыта"),
                format!("Statement {number} reopened"),
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
            Done::IssuedExported { number, path } => {
                let path = path.display();
                lang.say(
                    format!("Ведомость {number}: {path}"),
                    format!("Statement {number}: {path}"),
                )
            }
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
            Done::ListWritten { rows, path } => {
                let path = path.display();
                lang.say(
                    format!("Строк выгружено: {rows} · {path}"),
                    format!("Rows exported: {rows} · {path}"),
                )
            }
            Done::BackedUp(path) => {
                let path = path.display();
                lang.say(
                    format!("Резервная копия записана: {path}"),
                    format!("Backup written: {path}"),
                )
            }
            Done::Imported(summary) => summary.text(lang),
            Done::ImportUndone(last) => {
                let (file, at) = (&last.file, shown_stamp(&last.imported_at, lang));
                lang.say(
                    format!("Импорт отменён: {file} ({at})"),
                    format!("Import undone: {file} ({at})"),
                )
            }
            Done::Demo(summary) => summary.text(lang),
            Done::Checked => lang.say(
                "Проверка пройдена: файл базы данных не повреждён.",
                "Checked: the database file is not damaged.",
            ),
            Done::Upgraded { kept, .. } => {
                let (schema, kept) = (crate::store::SCHEMA_VERSION, kept.display());
                lang.say(
                    format!(
                        "База данных обновлена до схемы {schema} · прежний файл сохранён: {kept}"
                    ),
                    format!("The database is upgraded to schema {schema} · the file as it was is kept: {kept}"),
                )
            }
            _ => unreachable!("said by Done::text's other groups"),
        }
    }

    /// A team database made, brought up to date, or given a user.
    fn of_the_server(&self, lang: Lang) -> String {
        use crate::store::postgres::{SERVER_SCHEMA_VERSION, TeamRole};
        match self {
            Done::ServerCreated { server } => lang.say(
                format!("Общая база создана: {server} (схема {SERVER_SCHEMA_VERSION})"),
                format!("Team database created: {server} (schema {SERVER_SCHEMA_VERSION})"),
            ),
            Done::ServerCurrent { server, version } => lang.say(
                format!("Общая база уже готова, менять нечего: {server} (схема {version})"),
                format!(
                    "The team database is ready already, nothing to change: {server} (schema {version})"
                ),
            ),
            Done::ServerUpgraded { server, from } => lang.say(
                format!("Общая база обновлена: {server}: схема {from} → {SERVER_SCHEMA_VERSION}"),
                format!("Team database upgraded: {server}: schema {from} → {SERVER_SCHEMA_VERSION}"),
            ),
            Done::UserAdded {
                server,
                name,
                role,
                new,
            } => {
                let role = match role {
                    TeamRole::Manager => lang.pick("менеджер", "manager"),
                    TeamRole::Lead => lang.pick("руководитель", "lead"),
                    TeamRole::Auditor => lang.pick("аудитор", "auditor"),
                };
                match new {
                    true => lang.say(
                        format!("Пользователь добавлен в {server}: {name} ({role})"),
                        format!("User added to {server}: {name} ({role})"),
                    ),
                    false => lang.say(
                        format!("Пользователю заданы новый пароль и роль в {server}: {name} ({role})"),
                        format!("User given a new password and role in {server}: {name} ({role})"),
                    ),
                }
            }
            _ => unreachable!("said by Done::text's other groups"),
        }
    }
}

/// When an import was made, to the minute, its day as the language writes it: `31.01.2025
/// 14:05` in Russian, `2025-01-31 14:05` in English.
fn shown_stamp(stamp: &str, lang: Lang) -> String {
    let day = stamp.get(..10).and_then(crate::domain::parse_date);
    match (day, stamp.get(11..16)) {
        (Some(day), Some(time)) => format!("{} {time}", crate::domain::show_date(day, lang)),
        _ => stamp.get(..16).unwrap_or(stamp).replace('T', " "),
    }
}

/// What a copy moved, after `into` (where it went).
fn copied_text(into: &str, copied: &crate::store::copy::Copied, lang: Lang) -> String {
    let t = |ru, en| lang.pick(ru, en);
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

/// Why an action, or anything the window was asked to do, did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    NoDatabase,
    CopyEnds,
    CopyTargetExists {
        path: PathBuf,
    },
    NoDataFolder,
    NotEmpty,
    WaitingForFile,
    Checking,
    ServerLost {
        server: String,
    },
    PasswordsDiffer,
    NoPassword,
    NotAllowed {
        needed: Right,
    },
    Busy,
    Interrupted,
    CheckStopped,
    OpenedMeanwhile,
    NothingToUndo,
    UndoOvertaken,
    PinRefused {
        client: String,
        holder: String,
        last_day: NaiveDate,
    },
    CannotShow {
        path: String,
        reason: String,
    },
    NoLogFolder,
    Store(#[from] StoreError),
    /// A read that stopped without an answer (a read's store errors are `Store`).
    Read(#[source] crate::reader::ReadError),
    Import {
        file: String,
        #[source]
        error: ImportError,
    },
    Export(#[from] ExportError),
    IssuedExport(#[from] IssuedExportError),
    Batch(#[from] BatchError),
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
        use ActionError::*;
        match self {
            Store(e) => e.text(lang),
            Read(e) => e.text(lang),
            Import { file, error } => error.report(file, lang),
            Export(e) => e.text(lang),
            IssuedExport(e) => e.text(lang),
            Batch(e) => e.text(lang),
            List(e) => e.text(lang),
            NotAllowed { needed } => needed.refusal(lang).to_owned(),
            NoDatabase
            | NoDataFolder
            | NotEmpty
            | WaitingForFile
            | Checking
            | ServerLost { .. }
            | Busy
            | Interrupted
            | CheckStopped
            | OpenedMeanwhile => self.of_the_database(lang),
            CopyEnds
            | CopyTargetExists { .. }
            | PasswordsDiffer
            | NoPassword
            | NothingToUndo
            | UndoOvertaken
            | PinRefused { .. }
            | CannotShow { .. }
            | NoLogFolder => self.of_what_was_asked(lang),
        }
    }
}

impl ActionError {
    /// The database open, or being opened, checked or written, and the window's own work.
    fn of_the_database(&self, lang: Lang) -> String {
        match self {
            ActionError::NoDatabase => lang.say("База данных не открыта", "No database is open"),
            ActionError::NoDataFolder => lang.say(
                "Не найдена папка данных пользователя; укажите базу: --db FILE",
                "No user data folder found; name the database: --db FILE",
            ),
            ActionError::NotEmpty => lang.say(
                "В базе уже есть данные; демо-данные заполняют только пустую базу. Укажите новую: --db FILE",
                "The database already holds data; demo data fills only an empty one. Name a new one: --db FILE",
            ),
            ActionError::WaitingForFile => lang.say(
                "База данных занята: другая программа записывает в неё (например, большой импорт). Окно откроет её само, как только она освободится.",
                "The database is busy: another program is writing to it (a large import, for example). The window opens it by itself as soon as it is free.",
            ),
            ActionError::Checking => lang.say(
                "Идёт проверка файла базы данных; повторите через пару секунд",
                "The database file is being checked; try again in a moment",
            ),
            ActionError::ServerLost { server } => lang.say(
                format!(
                    "Нет связи с общей базой {server}: ничего не записано и ничего не отложено на потом. Окно подключится само, как только сервер ответит."
                ),
                format!(
                    "No connection to the team database {server}: nothing was written, and nothing is kept to be written later. The window reconnects by itself as soon as the server answers."
                ),
            ),
            ActionError::Busy => lang.say(
                "Дождитесь окончания текущей операции",
                "Wait for the current operation to finish",
            ),
            ActionError::Interrupted => lang.say("Операция прервана", "The operation was interrupted"),
            ActionError::CheckStopped => lang.say(
                "Проверка файла базы данных на повреждения прервалась из-за внутренней ошибки программы, поэтому ничего не записано. Она запущена снова: повторите, когда в строке состояния появится «файл проверен»",
                "The check of the database file for damage stopped on an internal error of the program, so nothing was written; it runs again now: try again once the status bar says \"file checked\"",
            ),
            ActionError::OpenedMeanwhile => lang.say(
                "Пока файл читался, была открыта другая база; ничего не импортировано. Если файл предназначен для открытой сейчас базы, импортируйте его снова",
                "Another database was opened while the file was read; nothing was imported. Import the file again into the database open now, if it is meant for it",
            ),
            _ => unreachable!("said by ActionError::text's other groups"),
        }
    }

    /// What the user asked for that cannot be done as asked.
    fn of_what_was_asked(&self, lang: Lang) -> String {
        match self {
            ActionError::CopyEnds => lang.say(
                "Копия делается из файла базы в общую базу (postgres://…) или из общей базы в новый файл",
                "A copy goes from a database file to a team database (postgres://…) or from a team database to a new file",
            ),
            ActionError::CopyTargetExists { path } => {
                let path = path.display();
                lang.say(
                    format!("{path} уже есть; копия записывается только в новый файл"),
                    format!("{path} exists already; a copy is written only into a new file"),
                )
            }
            ActionError::PasswordsDiffer => lang.say(
                "Два введённых пароля различаются; ничего не изменено",
                "The two passwords typed differ; nothing was changed",
            ),
            ActionError::NoPassword => lang.say(
                "Пароль не введён; ничего не изменено",
                "No password was given; nothing was changed",
            ),
            ActionError::NothingToUndo => lang.say(
                "Отменять нечего: Ctrl+Z отменяет запись, исправление продажи или возврат, сделанные в этом окне последними",
                "Nothing to undo: Ctrl+Z takes back a sale, a correction or a return made last in this window",
            ),
            ActionError::UndoOvertaken => lang.say(
                "Исправление нельзя отменить: продажу с тех пор изменил другой пользователь; ничего не изменено",
                "The correction cannot be undone: someone else has changed the sale since; nothing was changed",
            ),
            ActionError::PinRefused {
                client,
                holder,
                last_day,
            } => {
                let day = |lang| crate::domain::show_date(*last_day, lang);
                lang.say(
                    format!(
                        "Клиент {client} закреплён за {holder} по {}. Отказ записан в историю.",
                        day(Lang::Ru)
                    ),
                    format!(
                        "Client {client} is pinned to {holder} until {}. The refusal is recorded in the history.",
                        day(Lang::En)
                    ),
                )
            }
            ActionError::CannotShow { path, reason } => lang.say(
                format!("Не удаётся открыть {path}: {reason}"),
                format!("Cannot open {path}: {reason}"),
            ),
            ActionError::NoLogFolder => lang.say(
                "Журнал не ведётся: нет папки данных",
                "No log is kept: no data folder",
            ),
            _ => unreachable!("said by ActionError::text's other groups"),
        }
    }
}

crate::domain::lang::english_display!(ActionError);

/// Our requisites as the command line prints them: a line per field given.
fn requisites_text(r: &crate::domain::Requisites, set: bool, lang: Lang) -> String {
    use crate::domain::requisites::Field;
    let mut out = if set {
        lang.say(
            "Реквизиты организации записаны:",
            "Our requisites are recorded:",
        )
    } else {
        lang.say("Реквизиты организации:", "Our requisites:")
    };
    if r.is_empty() {
        out.push_str(&lang.say(" не заполнены", " none entered yet"));
    }
    for field in Field::ALL {
        let text = r.text(field);
        if !text.is_empty() {
            out.push_str(&format!("\n{} = {text}", field.label(lang)));
        }
    }
    out
}

/// A file of payment orders, and the partners refused.
/// «№ 7» or «№ 7–9».
fn order_numbers((first, last): (u32, u32)) -> String {
    if first == last {
        format!("№ {first}")
    } else {
        format!("№ {first}–{last}")
    }
}

fn orders_text(o: &super::OrdersWritten, lang: Lang) -> String {
    let mut out = lang.say(
        format!(
            "Платёжные поручения записаны: {} · поручений {} ({}) · на сумму {}",
            o.path.display(),
            o.orders,
            order_numbers(o.numbers),
            o.amount.display(lang)
        ),
        format!(
            "Payment orders written: {} · orders {} ({}) · total {}",
            o.path.display(),
            o.orders,
            order_numbers(o.numbers),
            o.amount.display(lang)
        ),
    );
    if !o.refused.is_empty() {
        out.push_str(&lang.say(
            format!(
                "\nНе записано (нет банковских реквизитов): {}",
                o.refused.join(", ")
            ),
            format!(
                "\nNot written (no bank requisites): {}",
                o.refused.join(", ")
            ),
        ));
    }
    out
}

/// A bank statement's import: what was recorded, what was there already, and each payment
/// that matched nothing with why.
fn bank_text(b: &super::BankImported, lang: Lang) -> String {
    let mut out = lang.say(
        format!(
            "Выписка загружена: оплат записано {} · уже были записаны {} · не сопоставлено {}",
            b.recorded.len(),
            b.already,
            b.unmatched.len()
        ),
        format!(
            "Bank statement imported: payments recorded {} · recorded before {} · unmatched {}",
            b.recorded.len(),
            b.already,
            b.unmatched.len()
        ),
    );
    for (p, why) in &b.unmatched {
        out.push_str(&format!(
            "\n№ {} {} {} {} ({}): {}",
            p.number,
            crate::domain::show_date(p.date, lang),
            p.amount.display(lang),
            p.recipient,
            p.recipient_inn,
            why.text(lang)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imports_time_is_said_with_its_day_as_the_language_writes_it() {
        let stamp = "2026-12-07T09:50:13.586+03:00";
        assert_eq!(shown_stamp(stamp, Lang::Ru), "07.12.2026 09:50");
        assert_eq!(shown_stamp(stamp, Lang::En), "2026-12-07 09:50");
        assert_eq!(shown_stamp("вчера", Lang::Ru), "вчера");
    }
}
