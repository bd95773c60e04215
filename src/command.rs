//! What the user asks for: the commands pages and menus hand to the App, and what a page
//! knows besides the data.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::domain::lang::Lang;
use crate::domain::{Evidence, ImportId, Inn, Money, PartnerId, PinId, RateTable, SaleId, Status};
use crate::export::list::List;
use crate::export::{Format, ListFormat, SalesListExport};
use crate::store::{NewSale, Right, Rights};

/// What the user asked for. Pages return these; only [`App::run`](crate::app::App::run) acts on them.
#[derive(Clone, Debug)]
pub enum Command {
    AddPartner {
        inn: Inn,
        name: String,
        one_c_partner: bool,
    },
    UpdatePartner {
        id: PartnerId,
        name: String,
        one_c_partner: bool,
    },
    AddStatusChange {
        partner: PartnerId,
        date: NaiveDate,
        status: Option<Status>,
        note: String,
    },
    SetEvidence {
        partner: PartnerId,
        evidence: Evidence,
    },
    /// A partner's requisites, contract and VAT recorded.
    SetPartnerRequisites {
        partner: PartnerId,
        requisites: Box<crate::domain::Requisites>,
    },
    /// Our organisation's requisites recorded.
    SetOrganisation(Box<crate::domain::Requisites>),
    /// File ▸ «Реквизиты организации»: opens their window.
    EditOrganisation,
    /// Asks where to save, then writes payment orders for these statements, numbered from
    /// the number given (else one after the highest of this year's payments).
    PaymentOrders(Vec<String>, Option<u32>),
    /// Asks for a bank statement, then matches and records its payments.
    ImportBank,
    /// A payment of an issued statement recorded by hand.
    RecordPayment(Box<crate::domain::payments::NewPayment>),
    /// A payment undone (a row that cancels it; both stay in the history).
    UndoPayment {
        id: i64,
        /// The payment as the page lists it, for the confirmation.
        what: String,
    },
    RequestPin {
        client: Inn,
        client_name: String,
        partner: PartnerId,
        date: NaiveDate,
        note: String,
    },
    ExtendPin {
        pin_id: PinId,
        date: NaiveDate,
        agreed_by: String,
        note: String,
    },
    ReleasePin {
        pin_id: PinId,
        date: NaiveDate,
        note: String,
    },
    /// The pin's last extension or release cancelled as recorded by mistake.
    CancelPinEvent {
        pin_id: PinId,
        reason: String,
    },
    RecordSale(NewSale),
    /// A recorded sale changed to this one (a typo corrected), kept in its history.
    CorrectSale {
        id: SaleId,
        sale: NewSale,
        /// The sale as the form was opened on it: the correction is refused, with nothing
        /// written, when the record is no longer that (a colleague changed it meanwhile).
        base: Box<NewSale>,
    },
    /// The sales list as filtered and sorted, with the columns shown, to a workbook or a PDF.
    ExportSalesList(SalesListExport),
    /// A list as a page shows it, to a workbook or a PDF.
    ExportList(Box<List>, ListFormat),
    /// A recorded sale or return deleted, kept in its history.
    /// A deleted sale or return put back (recorded again under the same checks).
    RestoreSale {
        id: SaleId,
    },
    DeleteSale {
        id: SaleId,
    },
    RecordReturn {
        sale: SaleId,
        date: NaiveDate,
        amount: Money,
        doc: Option<String>,
    },
    AddRateVersion {
        date: NaiveDate,
        table: Box<RateTable>,
        note: String,
    },
    /// Asks where to save, then writes the statement.
    ExportStatement {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Issues the statement: number, stored figures, period lock.
    IssueStatement {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Reopens an issued statement with a reason.
    ReopenStatement {
        number: String,
        reason: String,
    },
    /// Asks where to save, then writes the issued statement as it was issued.
    ExportIssued {
        number: String,
    },
    /// Asks for a folder, then writes every partner's statement for the period.
    ExportAll {
        from: NaiveDate,
        to: NaiveDate,
        format: Format,
    },
    /// Opens the card of a client: pins across partners, sales, premiums.
    OpenClient(Inn),
    /// Opens the Partners page on a partner.
    OpenPartner(PartnerId),
    /// Opens the Sales page filtered to a month (and a partner).
    ShowSales {
        partner: Option<PartnerId>,
        month: NaiveDate,
    },
    /// Asks for a file to import, reads it on a worker thread and opens the import window.
    Import,
    /// Reads this file (dropped on the window) and opens the import window.
    ImportFile(PathBuf),
    /// Checks every row of the import window's file against the rules, on a worker thread,
    /// writing nothing.
    CheckImport,
    /// Imports the file of the import window, on a worker thread.
    RunImport,
    /// Imports the rows of the import window's file that nothing is wrong with, and writes
    /// the others to a file beside it, on a worker thread.
    RunImportValid,
    CloseImport,
    /// Undoes an import while nothing else has been written since.
    UndoImport(ImportId),
    /// Takes back the last change made in this window (Ctrl+Z).
    Undo,
    Backup,
    FillDemo,
    NewDatabase,
    OpenDatabase,
    /// File ▸ Connect to a team database…
    ConnectServer,
    /// A database opened before (File ▸ Open recent), or the one that could not be opened,
    /// tried again.
    OpenRecent(PathBuf),
    Navigate(Page),
    /// Statements are exported in this language from now on (remembered between runs).
    DocumentsIn(Lang),
    /// Statements unpaid longer than this many days are overdue (remembered between runs).
    OverdueAfter(u32),
    /// Asks where to save, then writes the partner's акт сверки for the period.
    ExportReconciliation {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl Command {
    /// The right a login needs for this command, when it changes the data.
    pub fn needs(&self) -> Option<Right> {
        use Command::*;
        match self {
            AddPartner { .. }
            | UpdatePartner { .. }
            | AddStatusChange { .. }
            | SetEvidence { .. }
            | SetPartnerRequisites { .. }
            | SetOrganisation(_)
            | PaymentOrders(..)
            | RequestPin { .. }
            | ExtendPin { .. }
            | ReleasePin { .. }
            | CancelPinEvent { .. }
            | RecordSale(_)
            | CorrectSale { .. }
            | DeleteSale { .. }
            | RestoreSale { .. }
            | RecordReturn { .. }
            | Import
            | ImportFile(_)
            | RunImport
            | RunImportValid
            | UndoImport(_)
            | Undo
            | FillDemo => Some(Right::Record),
            AddRateVersion { .. }
            | IssueStatement { .. }
            | ReopenStatement { .. }
            | ImportBank
            | RecordPayment(_)
            | UndoPayment { .. } => Some(Right::Lead),
            ExportSalesList(_)
            | ExportList(..)
            | ExportStatement { .. }
            | ExportIssued { .. }
            | ExportAll { .. }
            | OpenClient(_)
            | OpenPartner(_)
            | EditOrganisation
            | ShowSales { .. }
            | CheckImport
            | CloseImport
            | Backup
            | NewDatabase
            | OpenDatabase
            | ConnectServer
            | OpenRecent(_)
            | Navigate(_)
            | DocumentsIn(_)
            | OverdueAfter(_)
            | ExportReconciliation { .. } => None,
        }
    }
}

/// What the pages need to know besides the data.
pub struct PageCtx {
    pub lang: Lang,
    pub today: NaiveDate,
    /// Ctrl+N was pressed: start a new record.
    pub new_requested: bool,
    /// Ctrl+F was pressed: focus the search box.
    pub focus_search: bool,
    /// Esc was pressed with no dialog open: cancel the form.
    pub cancel_requested: bool,
    /// Ctrl+I was pressed: import a file.
    pub import_requested: bool,
    /// Ctrl+Z was pressed outside a text field: undo the last change.
    pub undo_requested: bool,
    /// What the login may change: what it may not is disabled, and says why on hover.
    pub rights: Rights,
    /// The language statements are exported in, whatever the interface's: a statement goes
    /// to a partner and its accountant.
    pub doc_lang: Lang,
    /// After how many days an unpaid statement is overdue (a setting; 30 by default).
    pub overdue_days: u32,
}

impl PageCtx {
    pub fn may(&self, right: Right) -> bool {
        self.rights.allows(right)
    }
}

/// The pages of the window, in navigation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Page {
    #[default]
    Overview,
    Partners,
    StopList,
    Sales,
    Statements,
    Payments,
    Rates,
}

impl Page {
    pub const ALL: [Page; 7] = [
        Page::Overview,
        Page::Partners,
        Page::StopList,
        Page::Sales,
        Page::Statements,
        Page::Payments,
        Page::Rates,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Page::Overview => lang.pick("Обзор", "Overview"),
            Page::Partners => lang.pick("Партнёры", "Partners"),
            Page::StopList => lang.pick("Стоп-лист", "Stop-list"),
            Page::Sales => lang.pick("Продажи", "Sales"),
            Page::Statements => lang.pick("Ведомости премий", "Premium statements"),
            Page::Payments => lang.pick("Выплаты", "Payments"),
            Page::Rates => lang.pick("Ставки премий", "Rate table"),
        }
    }
}
