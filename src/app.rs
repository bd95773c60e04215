//! The App: holds the store and the pages' state, runs every [`Command`] in one place,
//! keeps a snapshot of the data the pages show, and reports what happened.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use crate::cli::ExitWhen;
use crate::domain::lang::{Lang, Localized};
use crate::domain::status::EvidenceGap;
use crate::domain::{Evidence, Inn, Money, PartnerId, RateBook, RateTable, SaleId, Status};
use crate::export::list::List;
use crate::export::{self, Format, ListFormat, SalesListExport};
use crate::import::{self, ImportKind};
use crate::statements;
use crate::store::{
    Counts, ImportRecord, IssuedRow, NewSale, PartnerRecord, PartnerRow, PinOutcome, PinRow, Store,
    StoreError,
};
use crate::ui::dialogs::{FileDialogs, Picked, SystemDialogs};
use crate::ui::{self, Page};

/// What the user asked for. Pages return these; only [`App::run`] acts on them.
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
    RequestPin {
        client: Inn,
        client_name: String,
        partner: PartnerId,
        date: NaiveDate,
        note: String,
    },
    ExtendPin {
        pin_id: i64,
        date: NaiveDate,
        agreed_by: String,
        note: String,
    },
    ReleasePin {
        pin_id: i64,
        date: NaiveDate,
        note: String,
    },
    /// The pin's last extension or release cancelled as recorded by mistake.
    CancelPinEvent {
        pin_id: i64,
        reason: String,
    },
    RecordSale(NewSale),
    /// A recorded sale changed to this one (a typo corrected), kept in its history.
    CorrectSale {
        id: SaleId,
        sale: NewSale,
    },
    /// The sales list as filtered and sorted, with the columns shown, to a workbook or a PDF.
    ExportSalesList(SalesListExport),
    /// A list as a page shows it, to a workbook or a PDF.
    ExportList(Box<List>, ListFormat),
    /// A recorded sale or return deleted, kept in its history.
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
    /// Imports the file of the import window, on a worker thread.
    RunImport,
    CloseImport,
    /// Undoes an import while nothing else has been written since.
    UndoImport(i64),
    /// Takes back the last change made in this window (Ctrl+Z).
    Undo,
    Backup,
    FillDemo,
    NewDatabase,
    OpenDatabase,
    Navigate(Page),
}

/// Where a chosen path goes.
#[derive(Clone, Debug)]
enum PathUse {
    Statement {
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
    },
    Issued {
        number: String,
    },
    Batch {
        from: NaiveDate,
        to: NaiveDate,
        format: Format,
    },
    /// The Sales page's list as it is filtered and sorted.
    SalesList(SalesListExport),
    /// A list a page shows.
    List {
        list: Box<List>,
        format: ListFormat,
    },
    Import,
    Backup,
    NewDatabase,
    OpenDatabase,
}

impl PathUse {
    fn title(&self, lang: Lang) -> &'static str {
        match self {
            PathUse::Statement { .. } | PathUse::Issued { .. } => {
                lang.pick("Сохранить ведомость", "Save statement")
            }
            PathUse::Batch { .. } => lang.pick("Папка для ведомостей", "Folder for the statements"),
            PathUse::SalesList(_) | PathUse::List { .. } => {
                lang.pick("Экспорт списка", "Export the list")
            }
            PathUse::Import => lang.pick("Импорт данных", "Import data"),
            PathUse::Backup => lang.pick("Резервная копия базы", "Back up the database"),
            PathUse::NewDatabase => lang.pick("Новая база данных", "New database"),
            PathUse::OpenDatabase => lang.pick("Открыть базу данных", "Open database"),
        }
    }
}

/// A path typed in when no file dialog could be shown.
struct PathPrompt {
    purpose: PathUse,
    text: String,
}

/// A long piece of work on a worker thread.
struct Job {
    title: String,
    started: Instant,
    rx: Receiver<Result<JobDone, String>>,
    progress: Arc<Progress>,
}

/// What a finished job hands back.
enum JobDone {
    /// Done; say this.
    Message(String),
    /// A file read for the import window.
    Read {
        file_name: String,
        source: import::source::Source,
    },
    /// An import written; say this, and offer its undo.
    Imported(String),
    /// A file written; say this, and offer to open it.
    Exported(String, PathBuf),
}

/// What the window says when a list was exported.
fn list_written(rows: usize, path: &std::path::Path, lang: Lang) -> String {
    format!(
        "{} {rows} · {}",
        lang.pick("Строк выгружено:", "Rows exported:"),
        path.display()
    )
}

/// A file name for a list: its title without the characters file systems refuse.
fn list_file_stem(title: &str) -> String {
    title
        .chars()
        .map(|c| if "<>:\"/\\|?*".contains(c) { '_' } else { c })
        .collect()
}

/// How far a job got, and whether the user asked it to stop.
#[derive(Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    pub fn set(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Done as a fraction, when the total is known.
    fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.done.load(Ordering::Relaxed) as f32 / total as f32)
    }
}

/// A message that fades after a while.
struct Toast {
    text: String,
    error: bool,
    shown: Instant,
}

/// A command waiting for the user to confirm it.
struct Confirm {
    text: String,
    command: Command,
}

/// The save dialog's filters for a statement, `first` first (the dialog starts on it).
fn statement_filters(first: Format) -> Vec<(&'static str, &'static [&'static str])> {
    let filter = |f: Format| -> (&'static str, &'static [&'static str]) {
        match f {
            Format::Pdf => ("PDF", &["pdf"]),
            Format::Xlsx => ("Excel", &["xlsx"]),
            Format::Json => ("JSON", &["json"]),
            Format::Csv => ("CSV", &["csv"]),
        }
    };
    let mut formats = vec![first];
    formats.extend(
        [Format::Pdf, Format::Xlsx, Format::Json, Format::Csv]
            .into_iter()
            .filter(|&f| f != first),
    );
    formats.into_iter().map(filter).collect()
}

/// The answers that have arrived, in the order asked; the receivers of the others are kept
/// (those whose reader is gone are dropped).
fn arrived<T>(answers: &mut Vec<Receiver<T>>) -> Vec<T> {
    let mut arrived = Vec::new();
    answers.retain(|answer| match answer.try_recv() {
        Ok(result) => {
            arrived.push(result);
            false
        }
        Err(TryRecvError::Disconnected) => false,
        Err(TryRecvError::Empty) => true,
    });
    arrived
}

/// What is read after the snapshot: every pin, and each partner's clients pinned today and
/// premium this year (a sum over a year of sales: a third of a second at a million).
struct Later {
    pins: Vec<PinRow>,
    activity: HashMap<PartnerId, (i64, Money)>,
}

impl Later {
    fn read(store: &Store, today: NaiveDate) -> Result<Later, StoreError> {
        let db = store.read();
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        Ok(Later {
            pins: db.pin_rows()?,
            activity: db.partner_activity(today, year_start)?,
        })
    }
}

/// [`Later`], and the data version it was read for.
type PinsRead = (u64, Later);

/// The check of the open file for damage (`PRAGMA quick_check`, a second over a million
/// sales). It waits until the first data snapshot and the page's own reads are asked for,
/// so that the window shows its data first; it runs on the reader after them.
enum DamageCheck {
    /// No file open, or its check failed (the file is closed and the window says why).
    Done,
    Due,
    Running(Receiver<Result<(), StoreError>>),
    /// The whole file was read and found whole.
    Passed,
}

impl DamageCheck {
    /// The check is yet to end: nothing is written meanwhile.
    fn pending(&self) -> bool {
        matches!(self, DamageCheck::Due | DamageCheck::Running(_))
    }
}

/// A partner as the Partners page lists it.
#[derive(Clone, Debug)]
pub struct PartnerSummary {
    pub id: PartnerId,
    pub inn: Inn,
    pub name: String,
    pub one_c_partner: bool,
    pub status: Option<Status>,
    pub gaps: Vec<EvidenceGap>,
    pub pinned_now: i64,
    pub premium_year: Money,
}

/// A snapshot of what the pages show, reloaded after every change.
#[derive(Default)]
pub struct Data {
    pub version: u64,
    pub counts: Counts,
    pub partners: Vec<PartnerRow>,
    pub summaries: Vec<PartnerSummary>,
    pub records: HashMap<PartnerId, PartnerRecord>,
    /// Every pin, read after the rest of the snapshot (a hundred thousand take a sixth of
    /// a second) with the partners' `pinned_now` and `premium_year`, and kept from the
    /// last snapshot until then.
    pub pins: Vec<PinRow>,
    /// The data version `pins` and the partners' activity were read at; 0 until they first
    /// arrive.
    pub pins_version: u64,
    pub rates: RateBook,
    pub issued: Vec<IssuedRow>,
    /// The newest import, and whether it can still be undone.
    pub last_import: Option<ImportRecord>,
}

impl Data {
    fn load(store: &Store, today: NaiveDate, version: u64) -> Result<Data, StoreError> {
        let db = store.read();
        let partners = db.partners()?;
        let mut records = HashMap::new();
        let mut summaries = Vec::with_capacity(partners.len());
        for p in &partners {
            let record = db.partner(p.id)?;
            let status = record.facts.history.in_force_on(today);
            summaries.push(PartnerSummary {
                id: p.id,
                inn: p.inn,
                name: p.name.clone(),
                one_c_partner: p.one_c_partner,
                status,
                gaps: record.evidence.gaps(status),
                // Read after the snapshot, with the pins (`Later`).
                pinned_now: 0,
                premium_year: Money::ZERO,
            });
            records.insert(p.id, record);
        }
        Ok(Data {
            version,
            counts: db.counts()?,
            partners,
            summaries,
            records,
            pins: Vec::new(),
            pins_version: 0,
            rates: db.rate_book()?,
            issued: db.issued_statements()?,
            last_import: db.last_import()?,
        })
    }

    pub fn partner_name(&self, id: PartnerId) -> String {
        self.partners
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
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
}

/// How to take back the last change made in this window, while that is safe: the store
/// refuses it as it refuses any correction (an issued period, a sale with returns since).
#[derive(Clone, Debug)]
enum Undo {
    /// A sale or return recorded: delete it (kept in its history).
    Delete { id: SaleId, what: String },
    /// A sale corrected: put it back as it was (kept in its history).
    Restore { id: SaleId, sale: Box<NewSale> },
}

impl Undo {
    fn name(&self, lang: Lang) -> String {
        match self {
            Undo::Delete { what, .. } => what.clone(),
            Undo::Restore { sale, .. } => format!(
                "{} {}",
                lang.pick("исправление продажи на", "the correction of a sale of"),
                sale.amount.display(lang)
            ),
        }
    }
}

/// How the app is started.
pub struct Config {
    pub db_path: PathBuf,
    /// The interface language; the system's when None.
    pub lang: Option<Lang>,
    /// A fixed "today", for tests; the clock when None.
    pub today: Option<NaiveDate>,
    /// Long reads on a thread of their own (tests read inline, frame by frame).
    pub background_reads: bool,
    pub dialogs: Box<dyn FileDialogs>,
    /// A file to open in the import window at start ("Open with" in a file manager).
    pub import_file: Option<PathBuf>,
    /// The program's folder of logs and crash reports; a crash report not yet shown is
    /// told on start. None: no log folder, no notice.
    pub data_dir: Option<PathBuf>,
    /// A timed start: the window closes itself at that moment (and keeps no settings).
    pub exit_when: Option<ExitWhen>,
}

impl Config {
    /// The usual start: system dialogs, system language, the clock.
    pub fn new(db_path: PathBuf) -> Config {
        Config {
            db_path,
            lang: None,
            today: None,
            background_reads: true,
            dialogs: Box::new(SystemDialogs),
            import_file: None,
            data_dir: None,
            exit_when: None,
        }
    }
}

/// The libraries bundled in the program with their licenses, made by
/// `packaging/third-party-licenses` from Cargo.lock.
const THIRD_PARTY_LICENSES: &str = include_str!("../assets/THIRD-PARTY-LICENSES.txt");

/// What is remembered between runs.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Settings {
    lang: Option<Lang>,
    dark: Option<bool>,
    page: Page,
    /// The language statements are exported in (Russian when not yet chosen).
    #[serde(default)]
    doc_lang: Option<Lang>,
    /// The format a statement was last exported in: the next file name suggested has it.
    #[serde(default)]
    export_format: Option<Format>,
    /// The folder a file was last exported to: the next save dialog starts there.
    #[serde(default)]
    export_dir: Option<PathBuf>,
}

const SETTINGS_KEY: &str = "partner-desk-settings";

/// Ctrl+Z: the last change made in this window taken back.
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);

/// The application.
pub struct App {
    store: Option<Store>,
    db_path: PathBuf,
    open_error: Option<String>,
    lang: Lang,
    dark: bool,
    page: Page,
    fixed_today: Option<NaiveDate>,
    data: Data,
    dialogs: Box<dyn FileDialogs>,
    pub partners: ui::partners::PartnersPage,
    pub pins: ui::pins::PinsPage,
    pub sales: ui::sales::SalesPage,
    pub statements: ui::statements::StatementsPage,
    pub rates: ui::rates::RatesPage,
    toasts: Vec<Toast>,
    last_message: String,
    confirm: Option<Confirm>,
    prompt: Option<PathPrompt>,
    job: Option<Job>,
    show_help: bool,
    /// Help ▸ Keyboard shortcuts is open.
    show_keys: bool,
    show_about: bool,
    /// The user chose to start with an empty database.
    welcome_dismissed: bool,
    /// A long report shown in its own window.
    details: Option<String>,
    pub overview: ui::overview::OverviewPage,
    /// The client card open, if any.
    client: Option<ui::client::ClientCard>,
    /// The global search (Ctrl+K), when open.
    search: Option<ui::search::SearchState>,
    /// The data version whose on-demand reads failed; they are not retried for it.
    load_failed: Option<u64>,
    /// The import window, when a file is open in it.
    wizard: Option<ui::import_wizard::Wizard>,
    /// The import just written, while its undo is offered.
    imported: Option<ImportRecord>,
    /// Where long reads run.
    reader: crate::reader::Reader,
    /// The check of the open file for damage; nothing is written until it is done.
    damage_check: DamageCheck,
    /// The snapshot version whose pins are to be asked for, and the pins being read.
    pins_due: Option<u64>,
    pins_loading: Vec<Receiver<Result<PinsRead, StoreError>>>,
    /// The statement file just exported, offered to open until closed.
    exported: Option<PathBuf>,
    /// The format of the last statement exported: the next suggested file name has it.
    export_format: Format,
    /// The folder of the last export: the next suggested file is there.
    export_dir: Option<PathBuf>,
    /// A timed start, and whether the frame it waits for has been drawn.
    exit_when: Option<ExitWhen>,
    exit_drawn: bool,
    /// The file to open once another program's long write is over, and when to try again.
    open_when_free: Option<(PathBuf, Instant)>,
    /// Snapshots of the data being read, and the version asked for last.
    data_loading: Vec<Receiver<Result<Data, StoreError>>>,
    asked_version: u64,
    /// Offer the undo of the import just written once this data version is on screen.
    offer_undo: Option<u64>,
    /// How to take back the last change made in this window; forgotten at the next write.
    undo: Option<Undo>,
    background_reads: bool,
    egui_ctx: egui::Context,
    /// A file to open in the import window on the first frame.
    start_import: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    /// Crash reports of earlier runs not yet shown.
    crashes: Vec<PathBuf>,
}

/// The id the desktop knows the program by (its `.desktop` file and AppStream metainfo).
pub const APP_ID: &str = "org.partnerdesk.PartnerDesk";

/// Opens the window on the database at `db_path` and runs until it is closed; `import`
/// opens in the import window; `data_dir` holds the logs and crash reports.
pub fn run_window(
    db_path: PathBuf,
    import: Option<PathBuf>,
    exit_when: Option<ExitWhen>,
    data_dir: Option<PathBuf>,
) -> Result<(), String> {
    let icon = egui::IconData {
        rgba: include_bytes!("../assets/icon.rgba").to_vec(),
        width: 64,
        height: 64,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Partner Desk")
            .with_app_id(APP_ID)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([960.0, 600.0])
            .with_icon(icon),
        ..Default::default()
    };
    eframe::run_native(
        "partner-desk",
        options,
        Box::new(move |cc| {
            let config = Config {
                import_file: import,
                data_dir,
                exit_when,
                ..Config::new(db_path)
            };
            Ok(Box::new(App::new(cc, config)))
        }),
    )
    .map_err(|e| e.to_string())
}

impl App {
    /// Opens the database and builds the app; a database that cannot be opened is reported
    /// in the window, with a way to open another.
    pub fn new(cc: &eframe::CreationContext<'_>, config: Config) -> App {
        ui::install_fonts(&cc.egui_ctx);
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let lang = config
            .lang
            .or(settings.lang)
            .unwrap_or_else(crate::cli::system_lang);
        let dark = settings.dark.unwrap_or(false);
        cc.egui_ctx.set_theme(if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        let mut app = App {
            store: None,
            db_path: config.db_path.clone(),
            open_error: None,
            lang,
            dark,
            page: settings.page,
            fixed_today: config.today,
            data: Data::default(),
            dialogs: config.dialogs,
            partners: Default::default(),
            pins: Default::default(),
            sales: Default::default(),
            statements: ui::statements::StatementsPage::new(settings.doc_lang.unwrap_or(Lang::Ru)),
            rates: Default::default(),
            toasts: Vec::new(),
            last_message: String::new(),
            confirm: None,
            prompt: None,
            job: None,
            show_help: false,
            show_keys: false,
            show_about: false,
            welcome_dismissed: false,
            details: None,
            overview: Default::default(),
            client: None,
            search: None,
            load_failed: None,
            wizard: None,
            imported: None,
            reader: crate::reader::Reader::inline(),
            data_loading: Vec::new(),
            damage_check: DamageCheck::Done,
            pins_due: None,
            pins_loading: Vec::new(),
            open_when_free: None,
            asked_version: 0,
            offer_undo: None,
            undo: None,
            background_reads: config.background_reads,
            egui_ctx: cc.egui_ctx.clone(),
            start_import: config.import_file,
            crashes: config
                .data_dir
                .as_deref()
                .map(|d| crate::diagnostics::unseen_crashes(&crate::diagnostics::crash_dir(d)))
                .unwrap_or_default(),
            data_dir: config.data_dir,
            exit_when: config.exit_when,
            exit_drawn: false,
            export_format: settings.export_format.unwrap_or(Format::Pdf),
            export_dir: settings.export_dir.filter(|dir| dir.is_dir()),
            exported: None,
        };
        match config.exit_when {
            Some(ExitWhen::Overview) => app.page = Page::Overview,
            Some(ExitWhen::SalesRows) => app.page = Page::Sales,
            _ => {}
        }
        app.switch_database(config.db_path);
        if let Some(keep) = crate::backup::keep_from_env().filter(|_| app.store.is_some()) {
            let (db, title) = (app.db_path.clone(), lang.pick("Резервная копия", "Backup"));
            app.start_job(title.into(), move |_| crate::backup::run(&db, keep, lang));
        }
        app
    }

    /// A timed start ([`Config::exit_when`]): once the frame it waits for has been drawn,
    /// the window is closed on the next one.
    fn exit_when_timed(&mut self, ctx: &egui::Context) {
        let Some(when) = self.exit_when else { return };
        if self.exit_drawn {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        self.exit_drawn = match when {
            ExitWhen::FirstFrame => true,
            ExitWhen::Overview => self.data.version > 0 && self.overview.ready(),
            ExitWhen::SalesRows => self.sales.rows_shown(),
        };
        ctx.request_repaint();
    }

    fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(crate::cli::today)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The last message shown to the user.
    pub fn last_message(&self) -> &str {
        &self.last_message
    }

    /// The long report open in its window, if any.
    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    /// True while the data snapshot, its pins or the check of the file is being read.
    pub fn reading(&self) -> bool {
        !self.data_loading.is_empty()
            || self.pins_due.is_some()
            || !self.pins_loading.is_empty()
            || self.damage_check.pending()
    }

    /// Asks for the pins of the snapshot asked for last, once the page has asked for its own
    /// reads: the Overview's lists come before a hundred thousand pins.
    fn start_pins(&mut self) {
        let (Some(version), Some(store)) = (self.pins_due, &self.store) else {
            return;
        };
        if self.data.version < version && !self.data_loading.is_empty() {
            return;
        }
        self.pins_due = None;
        let today = self.today();
        let answer = self.reader.run(store, move |s| {
            Later::read(s, today).map(|later| (version, later))
        });
        self.pins_loading.push(answer);
        self.take_data();
    }

    /// True while a worker thread is busy.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Starts the check for damage once the snapshot and its pins have been answered (and
    /// so the page's own reads, asked for before the pins). It runs on a thread and a
    /// connection of its own, not on the reader: reading the whole file takes a second at a
    /// million sales, and a page opened meanwhile must not wait behind it. Tests check
    /// inline.
    fn start_damage_check(&mut self) {
        let (DamageCheck::Due, Some(store)) = (&self.damage_check, &self.store) else {
            return;
        };
        let snapshot_read =
            self.data_loading.is_empty() && self.pins_due.is_none() && self.pins_loading.is_empty();
        if !snapshot_read {
            return;
        }
        let answer = if self.background_reads {
            let (tx, rx) = std::sync::mpsc::channel();
            let (path, ctx) = (self.db_path.clone(), self.egui_ctx.clone());
            let spawned = std::thread::Builder::new()
                .name("partner-desk-check".into())
                .spawn(move || {
                    let found = Store::open_unchecked(&path).and_then(|s| s.read().damage());
                    let _ = tx.send(found);
                    ctx.request_repaint();
                });
            if spawned.is_err() {
                // No thread to spare: the reader checks it after what it was asked.
                self.reader.run(store, |s| s.read().damage())
            } else {
                rx
            }
        } else {
            self.reader.run(store, |s| s.read().damage())
        };
        self.damage_check = DamageCheck::Running(answer);
        self.take_damage_check();
    }

    /// Takes the answer of the check for damage: a damaged file is closed, and the window
    /// says so instead of showing it.
    fn take_damage_check(&mut self) {
        let DamageCheck::Running(answer) = &self.damage_check else {
            return;
        };
        match answer.try_recv() {
            Ok(Ok(())) => self.damage_check = DamageCheck::Passed,
            Err(TryRecvError::Disconnected) => self.damage_check = DamageCheck::Done,
            Ok(Err(e)) => {
                self.damage_check = DamageCheck::Done;
                let text = e.text(self.lang);
                self.store = None;
                self.open_error = Some(text.clone());
                self.report(Err(text));
            }
            Err(TryRecvError::Empty) => {}
        }
    }

    fn switch_database(&mut self, path: PathBuf) {
        // The window never waits long for the file: when another program holds it (a
        // large import from the command line), it says so and opens it once it is free.
        let again = self.open_when_free.take().is_some_and(|(p, _)| p == path);
        match Store::open_unchecked_waiting(&path, Duration::from_millis(200)) {
            Err(StoreError::Busy) if self.store.is_none() => {
                self.open_when_free = Some((path, Instant::now() + Duration::from_secs(1)));
                let text = self
                    .lang
                    .pick(
                        "База данных занята: другая программа записывает в неё (например, большой импорт). Окно откроет её само, как только она освободится.",
                        "The database is busy: another program is writing to it (a large import, for example). The window opens it by itself as soon as it is free.",
                    )
                    .to_owned();
                self.open_error = Some(text.clone());
                if !again {
                    self.report(Err(text));
                }
            }
            Ok(store) => {
                if again {
                    // What was said about the busy file is over.
                    self.toasts.clear();
                    self.report(Ok(self
                        .lang
                        .pick(
                            "База данных освободилась и открыта",
                            "The database is free and open",
                        )
                        .to_owned()));
                }
                store.claim_instance();
                self.store = Some(store);
                self.data = Data::default();
                self.data_loading.clear();
                self.pins_loading.clear();
                self.pins_due = None;
                self.damage_check = DamageCheck::Done;
                self.reader = if self.background_reads {
                    let ctx = self.egui_ctx.clone();
                    crate::reader::Reader::on_thread(path.clone(), move || ctx.request_repaint())
                } else {
                    crate::reader::Reader::inline()
                };
                self.db_path = path;
                self.open_error = None;
                self.partners = Default::default();
                self.pins = Default::default();
                self.sales = Default::default();
                self.statements = Default::default();
                self.rates = Default::default();
                self.overview = Default::default();
                self.client = None;
                self.search = None;
                self.welcome_dismissed = false;
                self.damage_check = DamageCheck::Due;
                self.reload();
                self.start_damage_check();
            }
            Err(e) => {
                let text = e.text(self.lang);
                if self.store.is_none() {
                    self.open_error = Some(text.clone());
                }
                self.report(Err(text));
            }
        }
    }

    /// Reads the data snapshot again (on the reader): what is on screen stays until the
    /// new one arrives.
    fn reload(&mut self) {
        let Some(store) = &self.store else { return };
        self.asked_version = self.asked_version.max(self.data.version) + 1;
        let version = self.asked_version;
        let today = self.today();
        let answer = self
            .reader
            .run(store, move |s| Data::load(s, today, version));
        self.data_loading.push(answer);
        self.pins_due = Some(version);
        self.take_data();
    }

    /// Puts a data snapshot that arrived on screen.
    fn take_data(&mut self) {
        for result in arrived(&mut self.data_loading) {
            match result {
                Ok(data) if data.version > self.data.version => {
                    // What is read later is kept from the last snapshot until it comes.
                    let before = std::mem::replace(&mut self.data, data);
                    self.data.pins = before.pins;
                    self.data.pins_version = before.pins_version;
                    let activity: HashMap<_, _> = before
                        .summaries
                        .iter()
                        .map(|p| (p.id, (p.pinned_now, p.premium_year)))
                        .collect();
                    for p in &mut self.data.summaries {
                        if let Some(&known) = activity.get(&p.id) {
                            (p.pinned_now, p.premium_year) = known;
                        }
                    }
                    if self.offer_undo.is_some_and(|v| self.data.version >= v) {
                        self.offer_undo = None;
                        self.imported = self.data.last_import.clone().filter(|i| i.undoable);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let text = e.text(self.lang);
                    self.report(Err(text));
                }
            }
        }
        for result in arrived(&mut self.pins_loading) {
            match result {
                Ok((version, later)) if version > self.data.pins_version => {
                    self.data.pins = later.pins;
                    self.data.pins_version = version;
                    for p in &mut self.data.summaries {
                        (p.pinned_now, p.premium_year) = later
                            .activity
                            .get(&p.id)
                            .copied()
                            .unwrap_or((0, Money::ZERO));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let text = e.text(self.lang);
                    self.report(Err(text));
                }
            }
        }
    }

    /// The first snapshot of the database is still being read.
    fn first_load(&self) -> bool {
        self.data.version == 0 && !self.data_loading.is_empty()
    }

    fn report(&mut self, result: Result<String, String>) {
        let (text, error) = match result {
            Ok(text) => (text, false),
            Err(text) => (text, true),
        };
        // Every outcome the window reports goes to the log: what was opened, imported,
        // exported, issued, and every refusal with its sentence.
        if error {
            tracing::warn!("{text}");
        } else {
            tracing::info!("{text}");
        }
        // A long report (an import's row errors) opens in its own window; the toast and
        // the status bar say its first line.
        let text = if text.lines().count() > 3 {
            let first = text.lines().next().unwrap_or_default().to_owned();
            self.details = Some(text);
            format!(
                "{first} {}",
                self.lang.pick(
                    "(подробности в окне отчёта)",
                    "(details in the report window)"
                )
            )
        } else {
            text
        };
        self.last_message = text.clone();
        self.toasts.push(Toast {
            text,
            error,
            shown: Instant::now(),
        });
    }

    /// Runs a command: asks for confirmation or a path where needed, writes in one
    /// transaction, reloads, and reports the outcome.
    pub fn run(&mut self, command: Command) {
        if let Some(text) = self.confirmation_needed(&command) {
            self.confirm = Some(Confirm { text, command });
            return;
        }
        self.execute(command);
    }

    fn confirmation_needed(&self, command: &Command) -> Option<String> {
        let lang = self.lang;
        match command {
            Command::DeleteSale { .. } => Some(
                lang.pick(
                    "Удалить запись? Ведомости периода пересчитаются; удаление останется в истории исправлений. Запись в периоде выданной ведомости удалить нельзя.",
                    "Delete the record? The period's statements are figured again; the deletion stays in the history of corrections. A record in an issued statement's period cannot be deleted.",
                )
                .to_owned(),
            ),
            Command::ReleasePin { date, .. } => Some(format!(
                "{} {}. {}",
                lang.pick("Снять закрепление с", "Release the pin from"),
                ui::date(*date, lang),
                lang.pick(
                    "С этой даты клиента сможет закрепить любой партнёр. Действие остаётся в истории.",
                    "From this date any partner may pin the client. The release stays in the history."
                )
            )),
            Command::CancelPinEvent { .. } => Some(
                lang.pick(
                    "Отменить запись как ошибочную? Срок закрепления станет таким, каким был до неё; запись останется в истории с отметкой об отмене.",
                    "Cancel the record as a mistake? The pin's term is put back as it was before it; the record stays in the history, marked cancelled.",
                )
                .to_owned(),
            ),
            Command::AddRateVersion { date, .. } => Some(format!(
                "{} {}. {}",
                lang.pick("Сохранить новую версию ставок с", "Save a new rate version from"),
                ui::date(*date, lang),
                lang.pick(
                    "Премии продаж с этой даты будут пересчитаны; продажи до неё не изменятся. Версию нельзя удалить.",
                    "Premiums of sales from this date on are figured again; earlier sales keep theirs. A version cannot be deleted."
                )
            )),
            Command::IssueStatement { from, to, .. } => Some(format!(
                "{} {} — {}. {}",
                lang.pick("Выдать ведомость за", "Issue the statement for"),
                ui::date(*from, lang),
                ui::date(*to, lang),
                lang.pick(
                    "Ведомость получит номер, её цифры и контрольная сумма будут сохранены, а продажи и возвраты периода — закрыты от изменений, пока ведомость не переоткроют с указанием причины.",
                    "The statement gets a number, its figures and checksum are stored, and the period's sales and returns are locked until it is reopened with a reason."
                )
            )),
            Command::ReopenStatement { number, reason } => Some(format!(
                "{} {number} {} «{reason}». {}",
                lang.pick("Переоткрыть ведомость", "Reopen statement"),
                lang.pick("по причине", "for the reason"),
                lang.pick(
                    "Продажи её периода снова можно будет изменять. Выданная ведомость и причина останутся в истории.",
                    "The sales of its period can be changed again. The issued statement and the reason stay in the history."
                )
            )),
            Command::AddStatusChange { date, status, .. } => Some(format!(
                "{} «{}» {} {}. {}",
                lang.pick("Установить статус", "Set the status"),
                crate::domain::status::status_name(*status, lang),
                lang.pick("с", "from"),
                ui::date(*date, lang),
                lang.pick(
                    "Премии продаж партнёра с этой даты будут пересчитаны. Изменение останется в истории.",
                    "Premiums of the partner's sales from this date on are figured again. The change stays in the history."
                )
            )),
                        Command::UndoImport(_) => Some(
                lang.pick(
                    "Отменить последний импорт? Всё, что он добавил и изменил, будет возвращено как было до него.",
                    "Undo the last import? Everything it added and changed is put back as it was before it.",
                )
                .to_owned(),
            ),
            _ => None,
        }
    }

    fn write<T>(
        &mut self,
        f: impl FnOnce(&crate::store::Db<'_>) -> Result<T, StoreError>,
    ) -> Result<T, String> {
        let lang = self.lang;
        self.undo = None;
        self.take_damage_check();
        if self.damage_check.pending() {
            return Err(lang
                .pick(
                    "Идёт проверка файла базы данных; повторите через пару секунд",
                    "The database file is being checked; try again in a moment",
                )
                .to_owned());
        }
        match self.store.as_mut() {
            Some(store) => store.write(f).map_err(|e| e.text(lang)),
            None => Err(lang
                .pick("База данных не открыта", "No database is open")
                .to_owned()),
        }
    }

    fn execute(&mut self, command: Command) {
        let lang = self.lang;
        let t = |ru: &str, en: &str| lang.pick(ru, en).to_owned();
        let result: Result<String, String> = match command {
            Command::OpenClient(inn) => {
                self.search = None;
                self.client = Some(ui::client::ClientCard::new(inn));
                return;
            }
            Command::OpenPartner(id) => {
                self.search = None;
                self.welcome_dismissed = true;
                self.partners.select(id);
                self.page = Page::Partners;
                return;
            }
            Command::ShowSales { partner, month } => {
                self.search = None;
                self.sales.show_month(partner, month, lang);
                self.page = Page::Sales;
                return;
            }
            Command::Navigate(page) => {
                self.page = page;
                self.welcome_dismissed = true;
                if page == Page::Partners && self.data.counts.partners == 0 {
                    self.partners.start_new();
                }
                return;
            }
            Command::AddPartner {
                inn,
                name,
                one_c_partner,
            } => self
                .write(|db| db.add_partner(&inn, &name, one_c_partner))
                .map(|id| {
                    self.partners.saved(Some(id));
                    format!("{} {name}", t("Партнёр добавлен:", "Partner added:"))
                }),
            Command::UpdatePartner {
                id,
                name,
                one_c_partner,
            } => self
                .write(|db| db.update_partner(id, &name, one_c_partner))
                .map(|()| {
                    self.partners.saved(Some(id));
                    format!("{} {name}", t("Партнёр сохранён:", "Partner saved:"))
                }),
            Command::AddStatusChange {
                partner,
                date,
                status,
                note,
            } => self
                .write(|db| db.add_status_change(partner, date, status, &note))
                .map(|()| {
                    self.partners.status_saved();
                    format!(
                        "{} {} {} {}",
                        t("Статус", "Status"),
                        crate::domain::status::status_name(status, lang),
                        t("с", "from"),
                        ui::date(date, lang)
                    )
                }),
            Command::SetEvidence { partner, evidence } => self
                .write(|db| db.set_evidence(partner, &evidence))
                .map(|()| t("Подтверждения требований сохранены", "Evidence saved")),
            Command::RequestPin {
                client,
                client_name,
                partner,
                date,
                note,
            } => self
                .write(|db| db.request_pin(&client, &client_name, partner, date, &note))
                .and_then(|outcome| {
                    self.pins.saved();
                    match outcome {
                        PinOutcome::Pinned { ends_on, .. } => Ok(format!(
                            "{} {client} {} {}",
                            t("Клиент", "Client"),
                            t("закреплён по", "pinned until"),
                            ui::date(ends_on.pred_opt().unwrap_or(ends_on), lang)
                        )),
                        PinOutcome::Extended { ends_on, .. } => Ok(format!(
                            "{} {}",
                            t("Закрепление продлено по", "Pin extended until"),
                            ui::date(ends_on.pred_opt().unwrap_or(ends_on), lang)
                        )),
                        PinOutcome::Refused {
                            holder_label,
                            last_day,
                            ..
                        } => Err(format!(
                            "{} {client} {} {holder_label} {} {}. {}",
                            t("Клиент", "Client"),
                            t("закреплён за", "is pinned to"),
                            t("по", "until"),
                            ui::date(last_day, lang),
                            t(
                                "Отказ записан в историю.",
                                "The refusal is recorded in the history."
                            )
                        )),
                    }
                }),
            Command::ExtendPin {
                pin_id,
                date,
                agreed_by,
                note,
            } => self
                .write(|db| db.extend_pin(pin_id, date, &agreed_by, &note))
                .map(|ends_on| {
                    self.pins.saved();
                    self.overview.extended();
                    format!(
                        "{} {}",
                        t("Закрепление продлено по", "Pin extended until"),
                        ui::date(ends_on.pred_opt().unwrap_or(ends_on), lang)
                    )
                }),
            Command::ReleasePin { pin_id, date, note } => self
                .write(|db| db.release_pin(pin_id, date, &note))
                .map(|()| {
                    self.pins.saved();
                    t("Закрепление снято", "Pin released")
                }),
            Command::CancelPinEvent { pin_id, reason } => self
                .write(|db| db.cancel_pin_event(pin_id, &reason))
                .map(|()| {
                    self.pins.saved();
                    t(
                        "Ошибочная запись отменена: срок закрепления прежний",
                        "The record is cancelled: the pin's term is as it was",
                    )
                }),
            Command::RecordSale(sale) => self.write(|db| db.record_sale(&sale)).map(|id| {
                self.sales.saved();
                let what = format!(
                    "{} {}",
                    t("Продажа записана:", "Sale recorded:"),
                    sale.amount.display(lang)
                );
                self.undo = Some(Undo::Delete {
                    id,
                    what: what.clone(),
                });
                what
            }),
            Command::CorrectSale { id, sale } => {
                let correct = |db: &crate::store::Db<'_>| {
                    let before = db.sale_as_new(id)?;
                    db.correct_sale(id, &sale)?;
                    Ok(before)
                };
                self.write(correct).map(|before| {
                    self.sales.saved();
                    self.undo = Some(Undo::Restore {
                        id,
                        sale: Box::new(before),
                    });
                    format!(
                        "{} {}",
                        t("Продажа исправлена:", "Sale corrected:"),
                        sale.amount.display(lang)
                    )
                })
            }
            Command::Undo => match self.undo.take() {
                None => Err(t(
                    "Отменять нечего: Ctrl+Z отменяет запись, исправление продажи или возврат, сделанные в этом окне последними",
                    "Nothing to undo: Ctrl+Z takes back a sale, a correction or a return made last in this window",
                )),
                Some(undo) => {
                    let name = undo.name(lang);
                    let result = match &undo {
                        Undo::Delete { id, .. } => self.write(|db| db.delete_sale(*id)),
                        Undo::Restore { id, sale } => self.write(|db| db.correct_sale(*id, sale)),
                    };
                    if matches!(undo, Undo::Delete { .. }) {
                        self.sales.deleted();
                    } else {
                        self.sales.saved();
                    }
                    result.map(|()| format!("{} {name}", t("Отменено:", "Undone:")))
                }
            },
            Command::DeleteSale { id } => self.write(|db| db.delete_sale(id)).map(|()| {
                self.sales.deleted();
                t(
                    "Запись удалена; она осталась в истории исправлений",
                    "Record deleted; it stays in the history of corrections",
                )
            }),
            Command::RecordReturn {
                sale,
                date,
                amount,
                doc,
            } => self
                .write(|db| db.record_return(sale, date, amount, doc.as_deref()))
                .map(|id| {
                    self.sales.saved();
                    let what = format!(
                        "{} {}",
                        t("Возврат записан:", "Return recorded:"),
                        amount.display(lang)
                    );
                    self.undo = Some(Undo::Delete {
                        id,
                        what: what.clone(),
                    });
                    what
                }),
            Command::AddRateVersion { date, table, note } => self
                .write(|db| db.add_rate_version(date, &table, &note))
                .map(|()| {
                    self.rates.saved();
                    format!(
                        "{} {}",
                        t("Новая версия ставок с", "New rate version from"),
                        ui::date(date, lang)
                    )
                }),
            Command::ExportStatement { partner, from, to } => {
                let name = self.data.partners.iter().find(|p| p.id == partner);
                let format = self.export_format;
                let file_name = name.map_or(format!("statement.{}", format.extension()), |p| {
                    export::statement_file_name(p.inn.as_str(), &p.name, from, to, format)
                });
                self.ask_path(PathUse::Statement { partner, from, to }, &file_name);
                return;
            }
            Command::IssueStatement { partner, from, to } => {
                let today = self.today();
                match self.store.as_mut() {
                    Some(store) => statements::issue(store, partner, from, to, today)
                        .map(|issued| {
                            format!(
                                "{} {} · {} {}",
                                t("Выдана ведомость", "Issued statement"),
                                issued.number,
                                t("премия", "premium"),
                                issued.premium.display(lang)
                            )
                        })
                        .map_err(|e| e.text(lang)),
                    None => Err(t("База данных не открыта", "No database is open")),
                }
            }
            Command::ReopenStatement { number, reason } => {
                let today = self.today();
                self.write(|db| db.reopen_statement(&number, today, &reason))
                    .map(|()| {
                        self.statements.reopened();
                        format!(
                            "{} {number} {}",
                            t("Ведомость", "Statement"),
                            t("переоткрыта", "reopened")
                        )
                    })
            }
            Command::ExportIssued { number } => {
                let format = self.export_format;
                let file_name = match self.data.issued.iter().find(|r| r.number == number) {
                    Some(r) => format!(
                        "{}_{}",
                        r.number,
                        export::statement_file_name("", &r.partner_name, r.from, r.to, format)
                            .trim_start_matches('_')
                    ),
                    None => format!("{number}.{}", format.extension()),
                };
                self.ask_path(PathUse::Issued { number }, &file_name);
                return;
            }
            Command::ExportAll { from, to, format } => {
                self.ask_path(PathUse::Batch { from, to, format }, "");
                return;
            }
            Command::ExportSalesList(list) => {
                let name = format!(
                    "{}.{}",
                    lang.pick("Продажи", "Sales"),
                    list.format.extension()
                );
                self.ask_path(PathUse::SalesList(list), &name);
                return;
            }
            Command::ExportList(list, format) => {
                let name = format!("{}.{}", list_file_stem(&list.title), format.extension());
                self.ask_path(PathUse::List { list, format }, &name);
                return;
            }
            Command::Import => {
                self.ask_path(PathUse::Import, "");
                return;
            }
            Command::ImportFile(path) => {
                self.read_for_import(path);
                return;
            }
            Command::RunImport => {
                self.run_import();
                return;
            }
            Command::CloseImport => {
                self.wizard = None;
                return;
            }
            Command::UndoImport(id) => {
                self.imported = None;
                self.write(|db| db.undo_import(id)).map(|()| {
                    t(
                        "Импорт отменён: база такая же, как до него.",
                        "Import undone: the database is as it was before it.",
                    )
                })
            }
            Command::Backup => {
                let name = format!("partner-desk-{}.sqlite3", self.today());
                self.ask_path(PathUse::Backup, &name);
                return;
            }
            Command::NewDatabase => {
                self.ask_path(PathUse::NewDatabase, "partner-desk.sqlite3");
                return;
            }
            Command::OpenDatabase => {
                self.ask_path(PathUse::OpenDatabase, "");
                return;
            }
            Command::FillDemo => {
                let path = self.db_path.clone();
                let today = self.today();
                self.start_job(t("Демо-данные", "Demo data"), move |_| {
                    let mut store = Store::open(&path).map_err(|e| e.text(lang))?;
                    let summary = crate::demo::fill(&mut store, today).map_err(|e| e.text(lang))?;
                    Ok(summary.text(lang))
                });
                return;
            }
        };
        if result.is_ok() {
            self.reload();
        } else {
            // A refused pin request is recorded even so.
            self.reload();
        }
        self.report(result);
    }

    fn ask_path(&mut self, purpose: PathUse, file_name: &str) {
        let lang = self.lang;
        let title = purpose.title(lang);
        // An export is suggested in the folder of the last one.
        let in_folder;
        let file_name = match (&purpose, &self.export_dir) {
            (
                PathUse::Statement { .. }
                | PathUse::Issued { .. }
                | PathUse::SalesList(_)
                | PathUse::List { .. },
                Some(dir),
            ) if !file_name.is_empty() => {
                in_folder = dir.join(file_name).display().to_string();
                in_folder.as_str()
            }
            _ => file_name,
        };
        let picked = match &purpose {
            PathUse::Statement { .. } | PathUse::Issued { .. } => {
                let filters = statement_filters(self.export_format);
                self.dialogs.save_file(title, file_name, &filters)
            }
            PathUse::Backup | PathUse::NewDatabase => {
                self.dialogs
                    .save_file(title, file_name, &[("SQLite", &["sqlite3", "db"])])
            }
            PathUse::Batch { .. } => self.dialogs.pick_folder(title),
            PathUse::SalesList(SalesListExport { format, .. }) | PathUse::List { format, .. } => {
                self.dialogs
                    .save_file(title, file_name, &[(format.kind(), &[format.extension()])])
            }
            PathUse::Import => self.dialogs.open_file(
                title,
                &[
                    (
                        lang.pick("Таблицы", "Spreadsheets"),
                        &["xlsx", "xls", "xlsm", "ods", "csv", "txt"],
                    ),
                    ("CSV", &["csv", "txt"]),
                ],
            ),
            PathUse::OpenDatabase => self
                .dialogs
                .open_file(title, &[("SQLite", &["sqlite3", "db", "sqlite"])]),
        };
        match picked {
            Picked::Path(path) => self.use_path(purpose, path),
            Picked::Cancelled => {}
            Picked::Unavailable => {
                self.prompt = Some(PathPrompt {
                    purpose,
                    text: file_name.to_owned(),
                });
            }
        }
    }

    fn use_path(&mut self, purpose: PathUse, path: PathBuf) {
        let lang = self.lang;
        if let (PathUse::Statement { .. } | PathUse::Issued { .. }, Some(format)) =
            (&purpose, Format::from_path(&path))
        {
            self.export_format = format;
        }
        let folder = match &purpose {
            PathUse::Batch { .. } => Some(path.as_path()),
            PathUse::Statement { .. }
            | PathUse::Issued { .. }
            | PathUse::SalesList(_)
            | PathUse::List { .. } => path.parent(),
            _ => None,
        };
        if let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) {
            self.export_dir = Some(folder.to_path_buf());
        }
        match purpose {
            PathUse::Statement { partner, from, to } => {
                let result = self.write_statement(partner, from, to, &path);
                self.exported = result.is_ok().then(|| path.clone());
                self.report(result);
            }
            PathUse::Issued { number } => {
                let result = match &self.store {
                    Some(store) => {
                        statements::export_issued(store, &number, &path, self.statements.doc_lang)
                            .map(|_| {
                                format!(
                                    "{} {number}: {}",
                                    lang.pick("Ведомость", "Statement"),
                                    path.display()
                                )
                            })
                            .map_err(|e| e.text(lang))
                    }
                    None => Err(lang
                        .pick("База данных не открыта", "No database is open")
                        .to_owned()),
                };
                self.exported = result.is_ok().then(|| path.clone());
                self.report(result);
            }
            PathUse::Batch { from, to, format } => {
                let db = self.db_path.clone();
                let today = self.today();
                let doc_lang = self.statements.doc_lang;
                self.start_job(
                    lang.pick("Выгрузка ведомостей", "Exporting statements")
                        .to_owned(),
                    move |progress| {
                        let store = Store::open(&db).map_err(|e| e.text(lang))?;
                        let summary = statements::export_all(
                            &store,
                            from,
                            to,
                            today,
                            &path,
                            format,
                            doc_lang,
                            lang,
                            &|done, total| progress.set(done, total),
                            &progress.cancel,
                        )?;
                        Ok(format!(
                            "{} {}{} · {} {} · {}",
                            lang.pick("Ведомостей выгружено:", "Statements exported:"),
                            summary.files.len(),
                            if summary.cancelled {
                                lang.pick(" (отменено)", " (cancelled)")
                            } else {
                                ""
                            },
                            lang.pick("премия", "premium"),
                            summary.premium.display(lang),
                            path.display()
                        ))
                    },
                );
            }
            PathUse::SalesList(list) => {
                let db = self.db_path.clone();
                let today = self.today();
                self.start_work(
                    lang.pick("Экспорт списка продаж", "Exporting the sales list")
                        .to_owned(),
                    move |progress| {
                        let store = Store::open_unchecked(&db).map_err(|e| e.text(lang))?;
                        let rows = export::write_sales_list(
                            &store,
                            &list,
                            &path,
                            (lang, today),
                            &|done, total| progress.set(done, total),
                            &progress.cancel,
                        )
                        .map_err(|e| e.text(lang))?;
                        Ok(JobDone::Exported(list_written(rows, &path, lang), path))
                    },
                );
            }
            PathUse::List { list, format } => {
                self.start_work(
                    lang.pick("Экспорт списка", "Exporting the list").to_owned(),
                    move |_| {
                        let rows = export::write_list(&list, format, &path, lang)
                            .map_err(|e| e.text(lang))?;
                        Ok(JobDone::Exported(list_written(rows, &path, lang), path))
                    },
                );
            }
            PathUse::Import => self.read_for_import(path),
            PathUse::Backup => {
                let db = self.db_path.clone();
                self.start_job(
                    lang.pick("Резервная копия", "Backup").to_owned(),
                    move |_| {
                        let store = Store::open(&db).map_err(|e| e.text(lang))?;
                        store.backup_to(&path).map_err(|e| e.text(lang))?;
                        Ok(format!(
                            "{} {}",
                            lang.pick("Резервная копия записана:", "Backup written:"),
                            path.display()
                        ))
                    },
                );
            }
            PathUse::NewDatabase | PathUse::OpenDatabase => {
                self.switch_database(path.clone());
                if self.db_path == path {
                    self.report(Ok(format!(
                        "{} {}",
                        lang.pick("Открыта база", "Opened"),
                        path.display()
                    )));
                }
            }
        }
    }

    fn write_statement(
        &self,
        partner: PartnerId,
        from: NaiveDate,
        to: NaiveDate,
        path: &Path,
    ) -> Result<String, String> {
        let lang = self.lang;
        let store = self.store.as_ref().ok_or_else(|| {
            lang.pick("База данных не открыта", "No database is open")
                .to_owned()
        })?;
        let statement = store
            .read()
            .statement(partner, from, to, self.today())
            .map_err(|e| e.text(lang))?;
        export::write_statement(&statement, path, self.statements.doc_lang)
            .map_err(|e| e.text(lang))?;
        Ok(format!(
            "{} {}",
            lang.pick("Ведомость сохранена:", "Statement saved:"),
            path.display()
        ))
    }

    fn start_job(
        &mut self,
        title: String,
        work: impl FnOnce(&Progress) -> Result<String, String> + Send + 'static,
    ) {
        self.start_work(title, move |progress| work(progress).map(JobDone::Message));
    }

    /// Reads a file on a worker thread, then opens the import window on it.
    fn read_for_import(&mut self, path: PathBuf) {
        let lang = self.lang;
        let file_name = path.file_name().map_or(path.display().to_string(), |n| {
            n.to_string_lossy().into_owned()
        });
        self.start_work(
            format!("{} {file_name}", lang.pick("Чтение", "Reading")),
            move |_| {
                let shown = path.display().to_string();
                let bytes = std::fs::read(&path)
                    .map_err(|e| import::ImportError::from(e).report(&shown, lang))?;
                let source =
                    import::source::read_source(&bytes).map_err(|e| e.report(&shown, lang))?;
                Ok(JobDone::Read { file_name, source })
            },
        );
    }

    /// Opens the import window on a file just read, with the mapping chosen last time for
    /// files of its layout.
    fn open_wizard(&mut self, file_name: String, source: import::source::Source) {
        let store = self.store.as_ref();
        let remembered = |sheet: &import::source::Sheet| {
            let key = import::mapping::layout_key(&sheet.headers);
            let (kind, columns) = store?.read().layout(&key).ok()??;
            let kind = ImportKind::parse(&kind)?;
            let columns: Vec<Option<usize>> = serde_json::from_str(&columns).ok()?;
            let fits = columns.len() == import::mapping::fields(kind).len()
                && columns.iter().flatten().all(|&c| c < sheet.headers.len());
            fits.then_some(import::mapping::Mapping { kind, columns })
        };
        self.wizard = Some(ui::import_wizard::Wizard::new(
            file_name, source, remembered,
        ));
    }

    /// Imports what the import window shows, on a worker thread.
    fn run_import(&mut self) {
        let Some(wizard) = self.wizard.take() else {
            return;
        };
        let lang = self.lang;
        let db = self.db_path.clone();
        let file = wizard.file_name.clone();
        self.start_work(
            format!("{} {file}", lang.pick("Импорт", "Import")),
            move |progress| {
                let mut store = Store::open(&db).map_err(|e| e.text(lang))?;
                import::import_sheet(
                    &mut store,
                    wizard.sheet(),
                    wizard.mapping.clone(),
                    &file,
                    &|done, total| progress.set(done, total),
                )
                .map(|summary| JobDone::Imported(summary.text(lang)))
                .map_err(|e| e.report(&file, lang))
            },
        );
    }

    fn start_work(
        &mut self,
        title: String,
        work: impl FnOnce(&Progress) -> Result<JobDone, String> + Send + 'static,
    ) {
        if self.job.is_some() {
            self.report(Err(self
                .lang
                .pick(
                    "Дождитесь окончания текущей операции",
                    "Wait for the current operation to finish",
                )
                .to_owned()));
            return;
        }
        let (tx, rx) = channel();
        let progress = Arc::new(Progress::default());
        let shared = Arc::clone(&progress);
        std::thread::spawn(move || {
            let _ = tx.send(work(&shared));
        });
        self.job = Some(Job {
            title,
            started: Instant::now(),
            rx,
            progress,
        });
    }

    fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        match job.rx.try_recv() {
            Ok(Ok(JobDone::Read { file_name, source })) => {
                self.job = None;
                self.open_wizard(file_name, source);
            }
            Ok(result) => {
                self.job = None;
                self.statements.invalidate();
                self.report(result.as_ref().map_or_else(
                    |e| Err(e.clone()),
                    |done| {
                        Ok(match done {
                            JobDone::Message(text)
                            | JobDone::Imported(text)
                            | JobDone::Exported(text, _) => text.clone(),
                            JobDone::Read { file_name, .. } => file_name.clone(),
                        })
                    },
                ));
                if let Ok(JobDone::Exported(_, path)) = &result {
                    self.exported = Some(path.clone());
                }
                if matches!(result, Ok(JobDone::Imported(_))) {
                    // Offered once the data read after the import is on screen.
                    self.offer_undo = Some(self.asked_version.max(self.data.version) + 1);
                }
                self.reload();
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                self.job = None;
                self.report(Err(self
                    .lang
                    .pick("Операция прервана", "The operation was interrupted")
                    .to_owned()));
            }
        }
    }

    /// Loads what the pages asked for that is not in memory (pages of sales, a statement
    /// preview): small indexed queries, run between frames.
    fn load_wanted(&mut self) {
        let Some(store) = &self.store else { return };
        let today = self.today();
        // Pages read for a snapshot: none before the first one is here.
        if self.page == Page::Sales && self.data.version > 0 {
            self.sales.load(&self.reader, store, self.data.version);
        }
        self.pins.load(&store.read(), self.data.version);
        if self.page == Page::StopList {
            self.pins.name_known_client(&self.reader, store);
        }
        if self.page == Page::Statements {
            self.statements.load(&self.reader, store, today, self.lang);
        }
        let version = self.data.version;
        if self.load_failed == Some(version) {
            // Tried and failed for this data; the next change tries again.
            return;
        }
        let mut failed = None;
        if self.page == Page::Overview && version > 0 {
            failed = self.overview.load(&self.reader, store, version, today);
        }
        let db = store.read();
        if self.page == Page::Partners
            && let Err(e) = self.partners.load_chart(&db, version, today)
        {
            failed = Some(e);
        }
        if let Some(card) = &mut self.client
            && let Err(e) = card.load(&db, version)
        {
            failed = Some(e);
        }
        if let Some(search) = &mut self.search
            && let Some(e) = search.load(&self.reader, store)
        {
            failed = Some(e);
        }
        if let Some(e) = failed {
            self.load_failed = Some(version);
            let text = e.text(self.lang);
            self.report(Err(text));
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) -> PageCtx {
        let mut pctx = PageCtx {
            lang: self.lang,
            today: self.today(),
            new_requested: false,
            focus_search: false,
            cancel_requested: false,
            import_requested: false,
            undo_requested: false,
        };
        let typing = ctx.text_edit_focused();
        let modal_open = self.confirm.is_some() || self.prompt.is_some() || self.search.is_some();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)) {
                pctx.new_requested = true;
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)) {
                pctx.focus_search = true;
            }
            if i.consume_shortcut(&ui::QUICK_SEARCH) {
                self.search = Some(ui::search::SearchState::default());
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::I)) {
                pctx.import_requested = true;
            }
            // In a text field, Ctrl+Z undoes the typing.
            if !typing && !modal_open && i.consume_shortcut(&UNDO) {
                pctx.undo_requested = true;
            }
            for (key, page) in [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
            ]
            .into_iter()
            .zip(Page::ALL)
            {
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)) {
                    self.page = page;
                    self.welcome_dismissed = true;
                }
            }
            if !modal_open && i.key_pressed(Key::Escape) {
                pctx.cancel_requested = true;
            }
        });
        pctx
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui) -> Option<Command> {
        let lang = self.lang;
        let mut command = None;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(lang.pick("Файл", "File"), |ui| {
                if ui
                    .button(lang.pick("Новая база данных…", "New database…"))
                    .clicked()
                {
                    command = Some(Command::NewDatabase);
                }
                if ui
                    .button(lang.pick("Открыть базу данных…", "Open database…"))
                    .clicked()
                {
                    command = Some(Command::OpenDatabase);
                }
                if ui
                    .button(lang.pick("Резервная копия…", "Back up…"))
                    .clicked()
                {
                    command = Some(Command::Backup);
                }
                ui.separator();
                if ui
                    .add(
                        egui::Button::new(lang.pick("Импорт…", "Import…")).shortcut_text(
                            ui.ctx().format_shortcut(&KeyboardShortcut::new(
                                Modifiers::COMMAND,
                                Key::I,
                            )),
                        ),
                    )
                    .clicked()
                {
                    command = Some(Command::Import);
                }
                let undo = self.data.last_import.as_ref().filter(|i| i.undoable);
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(
                            lang.pick("Отменить последний импорт…", "Undo the last import…"),
                        ),
                    )
                    .clicked()
                    && let Some(undo) = undo
                {
                    command = Some(Command::UndoImport(undo.id));
                }
                ui.separator();
                if ui.button(lang.pick("Выход", "Quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(lang.pick("Правка", "Edit"), |ui| {
                let text = match &self.undo {
                    Some(undo) => format!("{} «{}»", lang.pick("Отменить", "Undo"), undo.name(lang)),
                    None => lang.pick("Отменить", "Undo").to_owned(),
                };
                let button =
                    egui::Button::new(text).shortcut_text(ui.ctx().format_shortcut(&UNDO));
                if ui
                    .add_enabled(self.undo.is_some(), button)
                    .on_disabled_hover_text(lang.pick(
                        "Ctrl+Z отменяет запись, исправление продажи или возврат, сделанные в этом окне последними",
                        "Ctrl+Z takes back a sale, a correction or a return made last in this window",
                    ))
                    .clicked()
                {
                    command = Some(Command::Undo);
                    ui.close();
                }
            });
            ui.menu_button(lang.pick("Вид", "View"), |ui| {
                ui.label(RichText::new(lang.pick("Язык", "Language")).weak());
                if ui.radio(self.lang == Lang::Ru, "Русский").clicked() {
                    self.lang = Lang::Ru;
                    ui.close();
                }
                if ui.radio(self.lang == Lang::En, "English").clicked() {
                    self.lang = Lang::En;
                    ui.close();
                }
                ui.separator();
                ui.label(RichText::new(lang.pick("Тема", "Theme")).weak());
                for (dark, ru, en) in [(false, "Светлая", "Light"), (true, "Тёмная", "Dark")]
                {
                    if ui.radio(self.dark == dark, lang.pick(ru, en)).clicked() {
                        self.dark = dark;
                        ui.ctx().set_theme(if dark {
                            egui::Theme::Dark
                        } else {
                            egui::Theme::Light
                        });
                        ui.close();
                    }
                }
            });
            ui.menu_button(lang.pick("Справка", "Help"), |ui| {
                if ui
                    .add(
                        egui::Button::new(lang.pick("Быстрый поиск…", "Quick search…"))
                            .shortcut_text(ui.ctx().format_shortcut(&ui::QUICK_SEARCH)),
                    )
                    .clicked()
                {
                    self.search = Some(ui::search::SearchState::default());
                    ui.close();
                }
                if ui
                    .button(lang.pick("Сочетания клавиш", "Keyboard shortcuts"))
                    .clicked()
                {
                    self.show_keys = true;
                    ui.close();
                }
                ui.separator();
                if ui
                    .button(lang.pick("Регламент работы с партнёрами", "The partner regulation"))
                    .clicked()
                {
                    self.show_help = true;
                    ui.close();
                }
                if ui
                    .button(lang.pick("Открыть папку журнала", "Open the log folder"))
                    .on_hover_text(lang.pick(
                        "Журнал работы и отчёты о сбоях — для поддержки",
                        "The log and crash reports, for support",
                    ))
                    .clicked()
                {
                    self.open_log_folder();
                    ui.close();
                }
                if ui.button(lang.pick("О программе", "About")).clicked() {
                    self.show_about = true;
                    ui.close();
                }
            });
        });
        command
    }

    fn nav_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.add_space(6.0);
        for (i, page) in Page::ALL.into_iter().enumerate() {
            let r = ui
                .add_sized(
                    [ui.available_width(), 28.0],
                    egui::Button::selectable(self.page == page, page.name(lang)),
                )
                .on_hover_text(format!("Ctrl+{}", i + 1));
            if r.clicked() {
                self.page = page;
                self.welcome_dismissed = true;
            }
        }
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(self.db_path.display().to_string())
                    .weak()
                    .small(),
            )
            .on_hover_text(lang.pick("Файл базы данных", "Database file"));
            ui.separator();
            let c = &self.data.counts;
            ui.label(
                RichText::new(format!(
                    "{} {} · {} {} · {} {} · {} {}",
                    lang.pick("партнёров", "partners"),
                    c.partners,
                    lang.pick("клиентов", "clients"),
                    c.clients,
                    lang.pick("закреплений", "pins"),
                    c.pins,
                    lang.pick("продаж", "sales"),
                    c.sales
                ))
                .small(),
            );
            // What the check of the file for damage found, or that it runs.
            match &self.damage_check {
                DamageCheck::Due | DamageCheck::Running(_) => {
                    ui.separator();
                    ui.add(egui::Spinner::new().size(10.0));
                    ui.label(RichText::new(lang.pick("проверка файла…", "checking the file…")).small())
                        .on_hover_text(lang.pick(
                            "Файл базы данных читается целиком, чтобы найти повреждения; записи станут доступны после проверки.",
                            "The database file is read whole to find any damage; writing is possible once it is checked.",
                        ));
                }
                DamageCheck::Passed => {
                    ui.separator();
                    ui.label(RichText::new(lang.pick("файл проверен", "file checked")).small().weak())
                        .on_hover_text(lang.pick(
                            "Файл базы данных прочитан целиком при открытии: повреждений нет.",
                            "The database file was read whole when opened: no damage found.",
                        ));
                }
                DamageCheck::Done => {}
            }
            for notice in self.store.as_ref().map_or(vec![], |s| s.notices(lang)) {
                ui.separator();
                ui.label(
                    RichText::new(notice)
                        .small()
                        .color(ui.visuals().warn_fg_color),
                );
            }
            ui.separator();
            ui.label(RichText::new(&self.last_message).small());
        });
    }

    /// The file just exported, with ways to open it or its folder.
    fn exported_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some(path) = self.exported.clone() else {
            return;
        };
        let mut close = false;
        egui::Window::new(lang.pick("Файл сохранён", "File saved"))
            .id(egui::Id::unique("exported"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::RIGHT_TOP, [-16.0, 36.0])
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.label(path.display().to_string());
                ui.horizontal(|ui| {
                    let folder = path.parent().map(Path::to_path_buf);
                    let opened = if ui.button(lang.pick("Открыть", "Open")).clicked() {
                        Some(crate::diagnostics::open_in_system(&path))
                    } else if ui
                        .button(lang.pick("Показать в папке", "Show in folder"))
                        .clicked()
                    {
                        folder.map(|f| crate::diagnostics::open_in_system(&f))
                    } else {
                        None
                    };
                    if let Some(opened) = opened {
                        close = true;
                        if let Err(e) = opened {
                            self.report(Err(format!(
                                "{}: {e}",
                                lang.pick(
                                    "Не удалось открыть в системе",
                                    "Could not open it in the system"
                                )
                            )));
                        }
                    }
                    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.exported = None;
        }
    }

    /// The summary of the import just written, with its undo.
    fn imported_ui(&mut self, ctx: &egui::Context) -> Option<Command> {
        let lang = self.lang;
        let imported = self.imported.as_ref()?;
        let mut command = None;
        let mut close = false;
        egui::Window::new(lang.pick("Импорт завершён", "Import done"))
            .id(egui::Id::unique("import-done"))
            .collapsible(false)
            .resizable(false)
            // Top right: toasts come up bottom right and would cover its buttons.
            .anchor(egui::Align2::RIGHT_TOP, [-16.0, 36.0])
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.label(&self.last_message);
                ui.label(
                    RichText::new(lang.pick(
                        "Импорт можно отменить целиком, пока в базе ничего не изменилось.",
                        "The whole import can be undone while nothing else changes.",
                    ))
                    .weak(),
                );
                ui.horizontal(|ui| {
                    if ui
                        .button(lang.pick("Отменить импорт", "Undo the import"))
                        .clicked()
                    {
                        command = Some(Command::UndoImport(imported.id));
                    }
                    if ui.button(lang.pick("Закрыть", "Close")).clicked() {
                        close = true;
                    }
                });
            });
        // Any other write makes the undo impossible; then the offer goes.
        if close
            || !self
                .data
                .last_import
                .as_ref()
                .is_some_and(|i| i.id == imported.id && i.undoable)
        {
            self.imported = None;
        }
        command
    }

    /// Help ▸ About: the version and build, where the data is, and the licenses of what
    /// is bundled.
    fn about_ui(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.heading("Partner Desk");
        ui.label(lang.pick(
            "Партнёры, стоп-лист, продажи и ведомости премий партнёров 1С-Коннект.",
            "Partners, stop-list, sales and premium statements of 1С-Коннект partners.",
        ));
        egui::Grid::new("about").num_columns(2).show(ui, |ui| {
            let rows = [
                (
                    lang.pick("Версия", "Version"),
                    env!("CARGO_PKG_VERSION").to_owned(),
                ),
                (
                    lang.pick("Сборка", "Build"),
                    format!(
                        "{} · {}",
                        env!("PARTNER_DESK_COMMIT"),
                        env!("PARTNER_DESK_BUILD_DATE")
                    ),
                ),
                (
                    lang.pick("База данных", "Database"),
                    self.db_path.display().to_string(),
                ),
                (
                    lang.pick("Версия схемы", "Schema version"),
                    if self.store.is_some() {
                        crate::store::SCHEMA_VERSION.to_string()
                    } else {
                        lang.pick("база не открыта", "no database open").to_owned()
                    },
                ),
                (
                    lang.pick("Журнал", "Log"),
                    self.data_dir.as_deref().map_or_else(
                        || lang.pick("не ведётся", "not kept").to_owned(),
                        |d| crate::diagnostics::log_dir(d).display().to_string(),
                    ),
                ),
            ];
            for (name, value) in rows {
                ui.label(RichText::new(name).weak());
                ui.label(value);
                ui.end_row();
            }
        });
        ui.separator();
        ui.label(lang.pick(
            "Шрифт DejaVu Sans (лицензия Bitstream Vera). Программа — лицензия MIT.",
            "Font: DejaVu Sans (Bitstream Vera license). The program: MIT license.",
        ));
        ui.collapsing(
            lang.pick("Библиотеки и их лицензии", "Libraries and their licenses"),
            |ui| {
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        ui.label(RichText::new(THIRD_PARTY_LICENSES).small().monospace());
                    });
            },
        );
    }

    /// Help ▸ Open the log folder.
    fn open_log_folder(&mut self) {
        let lang = self.lang;
        let result = match self.data_dir.as_deref().map(crate::diagnostics::log_dir) {
            Some(dir) => std::fs::create_dir_all(&dir)
                .and_then(|()| crate::diagnostics::open_in_system(&dir))
                .map(|()| {
                    format!(
                        "{} {}",
                        lang.pick("Папка журнала:", "Log folder:"),
                        dir.display()
                    )
                })
                .map_err(|e| {
                    format!(
                        "{} {}: {e}",
                        lang.pick("Не удаётся открыть папку", "Cannot open the folder"),
                        dir.display()
                    )
                }),
            None => Err(lang
                .pick(
                    "Журнал не ведётся: нет папки данных",
                    "No log is kept: no data folder",
                )
                .to_owned()),
        };
        self.report(result);
    }

    /// On the start after a crash: what happened and where its report is.
    fn crash_notice_ui(&mut self, ctx: &egui::Context) {
        let Some(report) = self.crashes.last().cloned() else {
            return;
        };
        let lang = self.lang;
        let (mut done, mut show) = (false, false);
        egui::Window::new(lang.pick("Программа закрылась неожиданно", "The program closed unexpectedly"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .min_width(520.0)
            .show(ctx, |ui| {
                ui.label(lang.pick(
                    "В прошлый раз программа закрылась из-за ошибки. Данные не пострадали: каждая запись в базу — одна транзакция. Отчёт о сбое сохранён; пожалуйста, отправьте его в поддержку.",
                    "Last time the program closed because of an error. The data is safe: every write to the database is one transaction. A crash report was saved; please send it to support.",
                ));
                ui.label(RichText::new(report.display().to_string()).monospace());
                ui.horizontal(|ui| {
                    show = ui
                        .button(lang.pick("Показать в папке", "Show in folder"))
                        .clicked();
                    if ui.button(lang.pick("Понятно", "OK")).clicked() {
                        done = true;
                    }
                });
            });
        if show && let Some(dir) = report.parent() {
            let result = crate::diagnostics::open_in_system(dir)
                .map(|()| dir.display().to_string())
                .map_err(|e| {
                    format!(
                        "{} {}: {e}",
                        lang.pick("Не удаётся открыть папку", "Cannot open the folder"),
                        dir.display()
                    )
                });
            self.report(result);
        }
        if done {
            crate::diagnostics::mark_seen(&self.crashes);
            self.crashes.clear();
        }
    }

    fn overlays_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        if let Some(confirm) = &self.confirm {
            let mut decision = None;
            egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading(lang.pick("Подтвердите действие", "Please confirm"));
                ui.label(&confirm.text);
                ui.add_space(8.0);
                decision = ui::confirm_buttons(ui, lang.pick("Подтвердить", "Confirm"), true, lang);
            });
            match decision {
                Some(true) => {
                    if let Some(confirm) = self.confirm.take() {
                        self.execute(confirm.command);
                    }
                }
                Some(false) => self.confirm = None,
                None => {}
            }
        }
        if let Some(prompt) = &mut self.prompt {
            let mut decision = None;
            egui::Modal::new(egui::Id::unique("path-prompt")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading(prompt.purpose.title(lang));
                ui.label(lang.pick(
                    "Системное окно выбора файла недоступно. Введите полный путь к файлу:",
                    "The system file dialog is not available. Type the full path of the file:",
                ));
                let label = ui.label(lang.pick("Путь к файлу", "File path"));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut prompt.text).desired_width(480.0))
                    .labelled_by(label.id);
                r.request_focus();
                let ready = !prompt.text.trim().is_empty();
                decision = ui::confirm_buttons(ui, "OK", ready, lang);
            });
            match decision {
                Some(true) => {
                    if let Some(prompt) = self.prompt.take() {
                        let path = PathBuf::from(prompt.text.trim());
                        self.use_path(prompt.purpose, path);
                    }
                }
                Some(false) => self.prompt = None,
                None => {}
            }
        }
        if let Some(job) = &self.job {
            egui::Modal::new(egui::Id::unique("job")).show(ctx, |ui| {
                ui.set_min_width(360.0);
                ui.label(&job.title);
                match job.progress.fraction() {
                    Some(fraction) => ui.add(egui::ProgressBar::new(fraction).show_percentage()),
                    None => ui.add(egui::ProgressBar::new(0.0).animate(true)),
                };
                // Only work that reports its progress can stop between its steps.
                if job.progress.fraction().is_some() {
                    let cancelling = job.progress.cancel.load(Ordering::Relaxed);
                    if ui
                        .add_enabled(
                            !cancelling,
                            egui::Button::new(lang.pick("Отменить", "Cancel")),
                        )
                        .clicked()
                    {
                        job.progress.cancel.store(true, Ordering::Relaxed);
                    }
                }
                ui.label(
                    RichText::new(format!("{} s", job.started.elapsed().as_secs()))
                        .weak()
                        .small(),
                );
            });
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        let mut open = self.show_help;
        egui::Window::new(lang.pick("Регламент работы с партнёрами", "The partner regulation"))
            .open(&mut open)
            .default_width(560.0)
            .vscroll(true)
            .show(ctx, |ui| ui.label(regulation_summary(lang)));
        self.show_help = open;
        let mut open = self.show_keys;
        egui::Window::new(lang.pick("Сочетания клавиш", "Keyboard shortcuts"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in shortcut_list(lang) {
                            ui.strong(keys);
                            ui.label(what);
                            ui.end_row();
                        }
                    });
            });
        self.show_keys = open;
        let mut open = self.show_about;
        egui::Window::new(lang.pick("О программе", "About"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| self.about_ui(ui));
        self.show_about = open;
        self.crash_notice_ui(ctx);
        self.exported_ui(ctx);

        let mut open = self.details.is_some();
        let mut copy = false;
        egui::Window::new(lang.pick("Отчёт", "Report"))
            .open(&mut open)
            .default_width(640.0)
            .default_height(360.0)
            .vscroll(true)
            .show(ctx, |ui| {
                if ui.button(lang.pick("Копировать", "Copy")).clicked() {
                    copy = true;
                }
                ui.label(self.details.as_deref().unwrap_or_default());
            });
        if copy && let Some(text) = &self.details {
            ctx.copy_text(text.clone());
        }
        if !open {
            self.details = None;
        }

        self.toasts
            .retain(|t| t.shown.elapsed() < Duration::from_secs(6));
        if !self.toasts.is_empty() {
            egui::Area::new(egui::Id::unique("toasts"))
                .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
                .order(egui::Order::Foreground)
                .interactable(false)
                .show(ctx, |ui| {
                    for toast in &self.toasts {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_max_width(420.0);
                            let color = if toast.error {
                                ui::error_color(ui)
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.label(RichText::new(&toast.text).color(color));
                        });
                    }
                });
            ctx.request_repaint_after(Duration::from_millis(500));
        }
    }

    fn page_ui(&mut self, ui: &mut egui::Ui, pctx: &PageCtx) -> Option<Command> {
        if let Some(error) = &self.open_error {
            let mut command = None;
            ui::empty_state(
                ui,
                self.lang
                    .pick("База данных не открыта", "No database is open"),
                error,
            );
            ui.vertical_centered(|ui| {
                if ui
                    .button(
                        self.lang
                            .pick("Открыть другую базу…", "Open another database…"),
                    )
                    .clicked()
                {
                    command = Some(Command::OpenDatabase);
                }
                if ui
                    .button(
                        self.lang
                            .pick("Создать новую базу…", "Create a new database…"),
                    )
                    .clicked()
                {
                    command = Some(Command::NewDatabase);
                }
            });
            return command;
        }
        if self.first_load() {
            ui.vertical_centered(|ui| {
                ui.add_space(120.0);
                ui.spinner();
                ui.label(
                    self.lang
                        .pick("Чтение базы данных…", "Reading the database…"),
                );
            });
            return None;
        }
        if !self.welcome_dismissed && self.data.counts.partners == 0 && self.data.counts.sales == 0
        {
            return ui::welcome::welcome_ui(ui, pctx.lang, self.job.is_some());
        }
        match self.page {
            Page::Overview => ui::overview::overview_ui(ui, &mut self.overview, &self.data, pctx),
            Page::Partners => ui::partners::partners_ui(ui, &mut self.partners, &self.data, pctx),
            Page::StopList => ui::pins::pins_ui(ui, &mut self.pins, &self.data, pctx),
            Page::Sales => ui::sales::sales_ui(ui, &mut self.sales, &self.data, pctx),
            Page::Statements => {
                ui::statements::statements_ui(ui, &mut self.statements, &self.data, pctx)
            }
            Page::Rates => ui::rates::rates_ui(ui, &mut self.rates, &self.data, pctx),
        }
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Some((path, at)) = &self.open_when_free {
            if Instant::now() >= *at {
                self.switch_database(path.clone());
            }
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        self.take_damage_check();
        self.take_data();
        self.poll_job();
        self.load_wanted();
        self.start_pins();
        self.start_damage_check();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        ui::clear_submitted(&ctx);
        if let Some(notice) = ui::take_notice(&ctx) {
            self.report(Ok(notice));
        }
        let pctx = self.shortcuts(&ctx);
        let mut commands = Vec::new();
        if pctx.undo_requested {
            commands.push(Command::Undo);
        }
        egui::Panel::top("menu").show(ui, |ui| commands.extend(self.menu_ui(ui)));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("nav")
            .resizable(false)
            .exact_size(170.0)
            .show(ui, |ui| self.nav_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.page_ui(ui, &pctx)));
        self.overlays_ui(&ctx);
        if pctx.import_requested {
            commands.push(Command::Import);
        }
        // A file dropped on the window, or named at start, opens in the import window.
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped.or_else(|| self.start_import.take()) {
            commands.push(Command::ImportFile(path));
        }
        if let Some(wizard) = &mut self.wizard {
            commands.extend(ui::import_wizard::wizard_ui(&ctx, wizard, pctx.lang));
        }
        commands.extend(self.imported_ui(&ctx));
        if let Some(card) = &mut self.client {
            let mut open = true;
            commands.extend(ui::client::client_card_ui(
                &ctx, card, &self.data, &pctx, &mut open,
            ));
            if !open {
                self.client = None;
            }
        }
        if let Some(search) = &mut self.search {
            let mut open = true;
            commands.extend(ui::search::search_ui(
                &ctx, search, &self.data, pctx.lang, &mut open,
            ));
            if !open {
                self.search = None;
            }
        }
        for command in commands {
            self.run(command);
        }
        let waiting = self.load_failed != Some(self.data.version)
            && (self.sales.wants_data()
                || self.statements.wants_data()
                || self.pins.wants_data()
                || (self.page == Page::Partners && self.partners.wants_chart(self.data.version))
                || (self.page == Page::Overview && self.overview.wants_data(self.data.version))
                || self
                    .client
                    .as_ref()
                    .is_some_and(|c| c.wants_data(self.data.version))
                || self.search.as_ref().is_some_and(|s| s.wants_data()));
        if waiting {
            ctx.request_repaint();
        }
        self.exit_when_timed(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.exit_when.is_some() {
            return;
        }
        eframe::set_value(
            storage,
            SETTINGS_KEY,
            &Settings {
                lang: Some(self.lang),
                dark: Some(self.dark),
                page: self.page,
                doc_lang: Some(self.statements.doc_lang),
                export_format: Some(self.export_format),
                export_dir: self.export_dir.clone(),
            },
        );
    }
}

/// Every keyboard shortcut of the window and what it does, for Help ▸ Keyboard shortcuts.
fn shortcut_list(lang: Lang) -> Vec<(String, &'static str)> {
    let pages = Page::ALL
        .iter()
        .enumerate()
        .map(|(i, page)| (format!("Ctrl+{}", i + 1), page.name(lang)));
    let mut keys: Vec<(String, &'static str)> = pages.collect();
    keys.extend([
        (
            "Ctrl+K".to_owned(),
            lang.pick(
                "быстрый поиск партнёра или клиента",
                "quick search for a partner or a client",
            ),
        ),
        (
            "Ctrl+N".to_owned(),
            lang.pick("новая запись на странице", "a new record on the page"),
        ),
        (
            "Ctrl+F".to_owned(),
            lang.pick("поле поиска страницы", "the page's search box"),
        ),
        (
            "Ctrl+I".to_owned(),
            lang.pick("импорт файла", "import a file"),
        ),
        (
            "Esc".to_owned(),
            lang.pick("закрыть форму или окно", "close the form or the window"),
        ),
        (
            "↑ ↓ Home End PgUp PgDn".to_owned(),
            lang.pick(
                "строка таблицы (с Shift — выделить несколько)",
                "a table's row (with Shift, highlight several)",
            ),
        ),
        (
            "Enter".to_owned(),
            lang.pick("открыть выделенную строку", "open the highlighted row"),
        ),
        (
            lang.pick("Ctrl+щелчок, Shift+щелчок", "Ctrl+click, Shift+click")
                .to_owned(),
            lang.pick(
                "выделить строки вразброс / подряд",
                "highlight rows one by one / a run",
            ),
        ),
        (
            "Ctrl+A".to_owned(),
            lang.pick(
                "выделить все строки таблицы",
                "highlight every row of the table",
            ),
        ),
        (
            "Ctrl+C".to_owned(),
            lang.pick(
                "копировать выделенные строки (вставляются в ячейки Excel)",
                "copy the highlighted rows (they paste into Excel's cells)",
            ),
        ),
        (
            "Ctrl+Z".to_owned(),
            lang.pick("отменить последнее изменение", "undo the last change"),
        ),
    ]);
    keys
}

/// The rules of the regulation in a few lines, for Help.
fn regulation_summary(lang: Lang) -> &'static str {
    lang.pick(
        "Статусы партнёров: Агент < Дилер < Интегратор. Статус устанавливается с даты; история изменений хранится.\n\n\
         Премия = сумма × ставка / 100, с округлением до копеек (0,005 → 0,01). Ставки — по таблице, действующей на дату продажи.\n\n\
         Премия 0, если клиент пришёл сам, не был подключён партнёром или сервис не используется в работе с партнёром.\n\n\
         Лицензии в составе 1С:КП (ИТС): партнёр 1С получает ставку Интегратора при любом статусе; остальные — только Интеграторы.\n\n\
         Стоп-лист: корпоративные тарифы (SaaS, On-premise, Видеозвонки) защищены закреплением клиента за партнёром на 3 календарных месяца. \
         Закрепление клиента, уже закреплённого за другим партнёром, отклоняется. Продление — на 3 месяца от текущего окончания по согласованию с менеджером.\n\n\
         Продажу корпоративного тарифа можно записать только партнёру, за которым клиент закреплён на дату продажи.\n\n\
         Возврат уменьшает премию по ставке исходной продажи и попадает в ведомость периода, в котором он оформлен.\n\n\
         Основные аргументы: замена Skype, Teams, Slack, TeamViewer, AnyDesk в одном продукте; соответствие 152-ФЗ; реестр отечественного ПО; шифрование по ГОСТ.",
        "Partner statuses: Agent < Dealer < Integrator. A status is set from a date; the history of changes is kept.\n\n\
         Premium = amount × rate / 100, rounded to kopecks (0.005 → 0.01). Rates come from the table in force on the sale date.\n\n\
         The premium is 0 when the client came on its own, was not connected by the partner, or the service is not used in work with the partner.\n\n\
         Licenses within 1C:KP (ITS): a 1C partner gets the Integrator rate whatever its status; other partners only as Integrators.\n\n\
         Stop-list: corporate tariffs (SaaS, On-premise, Video calls) are protected by pinning the client to the partner for 3 calendar months. \
         A pin of a client pinned to another partner is refused. An extension adds 3 months to the current end, by agreement with the manager.\n\n\
         A corporate sale can be recorded only for the partner the client is pinned to on the sale date.\n\n\
         A return reduces the premium at the original sale's rate and appears in the statement of the period it is dated in.\n\n\
         Main selling points: one product instead of Skype, Teams, Slack, TeamViewer, AnyDesk; 152-FZ compliance; registry of domestic software; GOST encryption.",
    )
}
