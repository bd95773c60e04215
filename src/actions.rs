//! What the window and the command line both do, each written once: issue and reopen a
//! statement; export one statement, an issued one, every partner's, or a list; back up;
//! import a file and undo the last import; fill demo data; check the file.
//!
//! Each action returns a [`Done`] or an [`ActionError`]. Both say themselves in Russian and
//! English ([`Localized`](crate::domain::lang::Localized)), side by side in `said`, so the
//! window shows and the command line prints the same sentence, and every error reaches the
//! user once, as a sentence.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::domain::PartnerId;
use crate::domain::lang::Lang;
use crate::export::list::List;
use crate::export::{self, ExportError, Format, ListFormat, SalesListExport};
use crate::import::{self, ImportKind};
use crate::statements;
use crate::store::{RuleError, Store, StoreError};

mod payments;
mod said;

pub use payments::{
    BankImported, OrdersWritten, import_bank, payment_orders, write_reconciliation,
};
pub use said::{ActionError, Done};

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

/// Records our organisation's requisites from a file of `Поле = значение` lines (see
/// `import::requisites::read_organisation`), every field checked.
pub fn set_organisation(store: &mut Store, file: &Path) -> Result<Done, ActionError> {
    let bytes = std::fs::read(file)
        .map_err(|e| ActionError::import(file.display().to_string(), e.into()))?;
    let requisites = import::requisites::read_organisation(&bytes)
        .map_err(|e| ActionError::import(file.display().to_string(), e))?;
    store.write(|tx| tx.set_organisation(&requisites))?;
    Ok(Done::Requisites {
        requisites: Box::new(store.read().organisation()?),
        set: true,
    })
}

/// Our organisation's requisites, as recorded.
pub fn organisation(store: &Store) -> Result<Done, ActionError> {
    Ok(Done::Requisites {
        requisites: Box::new(store.read().organisation()?),
        set: false,
    })
}

/// Takes back the last import, when nothing has been written since; `id` names the import
/// the user saw, when there is one.
pub fn undo_import(
    store: &mut Store,
    id: Option<crate::domain::ImportId>,
) -> Result<Done, ActionError> {
    let Some(last) = store.read().last_import()? else {
        return Err(RuleError::NoImport.into());
    };
    if !last.undoable || id.is_some_and(|id| id != last.id) {
        return Err(RuleError::ImportNotUndoable.into());
    }
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
        Found::Foreign => return Err(StoreError::ForeignServerSchema { server: shown }.into()),
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
    let file_store = store.as_file().ok_or(StoreError::Fault {
        what: "a file opened as a team database",
    })?;
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
    use crate::domain::lang::Localized;
    use crate::store::Right;

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
