//! The App: holds the store and the pages' state, runs every [`Command`] in one place,
//! keeps a snapshot of the data the pages show, and reports what happened. By job:
//! `execute` (commands and undo), `paths` (dialogs and typed paths), `jobs` (worker
//! threads), `loading` (the snapshot and the pages' reads), `chrome` (menus, navigation,
//! status bar), `overlays` (windows over the page); what pages are given and give back
//! is in [`crate::command`] and [`crate::snapshot`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use crate::actions::{self, ActionError, Done};
use crate::cli::ExitWhen;
use crate::domain::lang::{Lang, Localized};
use crate::domain::{Money, PartnerId, SaleId};
use crate::export::list::List;
use crate::export::{self, Format, ListFormat, SalesListExport};
use crate::import::{self, ImportKind};
use crate::reader::Answer;
use crate::store::{ImportRecord, NewSale, PinOutcome, PinRow, Right, Rights, Store, StoreError};
use crate::ui::dialogs::{FileDialogs, Picked, SystemDialogs};
use crate::ui::{self, Page};

mod chrome;
mod connect;
mod execute;
mod jobs;
mod live;
mod loading;
mod overlays;
mod paths;

use self::{
    chrome::*, connect::*, execute::*, jobs::*, live::*, loading::*, overlays::*, paths::*,
};
pub use crate::command::{Command, PageCtx};
pub use crate::snapshot::{Data, PartnerSummary};
pub use jobs::Progress;

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
    /// Where team databases' passwords are kept between runs, when the user asks.
    pub keyring: Box<dyn crate::keyring::Keyring>,
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
            keyring: Box::new(crate::keyring::SystemKeyring),
            import_file: None,
            data_dir: None,
            exit_when: None,
        }
    }
}

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
    /// The databases opened last (files, and team databases by their address, which holds
    /// no password), newest first.
    #[serde(default)]
    recent: Vec<String>,
}

const SETTINGS_KEY: &str = "partner-desk-settings";

/// The application.
pub struct App {
    store: Option<Store>,
    db_path: PathBuf,
    open_error: Option<String>,
    /// The file being brought to this program's schema on a worker, opened when it is done.
    upgrading: Option<PathBuf>,
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
    pins_loading: Vec<Answer<Result<PinsRead, StoreError>>>,
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
    data_loading: Vec<Answer<Result<Data, StoreError>>>,
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
    /// Others' changes, and the team server's comings and goings.
    live: Live,
    /// What the login may change (everything, on a file).
    rights: Rights,
    /// File ▸ Connect to a team database…, when open.
    connect: Option<ConnectForm>,
    /// The databases opened last, newest first (File ▸ Open recent).
    recent: Vec<String>,
    keyring: Arc<dyn crate::keyring::Keyring>,
    /// Whether the system has a keyring: asked once, on a worker.
    keyring_here: Arc<std::sync::OnceLock<bool>>,
    /// The password to keep in the keyring once the team database being opened lets it in.
    keep_in_keyring: Option<String>,
    /// The team database being opened on a worker, and where its answer comes.
    opening: Option<(PathBuf, Receiver<loading::Opened>)>,
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
) -> Result<(), eframe::Error> {
    let icon = egui::IconData {
        rgba: include_bytes!("../../assets/icon.rgba").to_vec(),
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
            .unwrap_or_else(crate::clock::system_lang);
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
            upgrading: None,
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
            live: Live::default(),
            rights: Rights::ALL,
            connect: None,
            recent: settings.recent,
            keyring: Arc::from(config.keyring),
            keyring_here: Default::default(),
            keep_in_keyring: None,
            opening: None,
        };
        app.ask_keyring();
        match config.exit_when {
            Some(ExitWhen::Overview) => app.page = Page::Overview,
            Some(ExitWhen::SalesRows) => app.page = Page::Sales,
            _ => {}
        }
        app.switch_database(config.db_path);
        if let Some(keep) = crate::backup::keep_from_env().filter(|_| app.store.is_some()) {
            let (db, title) = (app.db_path.clone(), lang.pick("Резервная копия", "Backup"));
            app.start_job(title.into(), move |_| {
                Ok(Done::BackedUp(crate::backup::run(&db, keep)?))
            });
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
        self.fixed_today.unwrap_or_else(crate::clock::today)
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

    /// What the login may change.
    pub fn rights(&self) -> Rights {
        self.rights
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

    /// True while a worker thread is busy.
    pub fn busy(&self) -> bool {
        self.job.is_some()
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
        self.take_opening();
        self.take_data();
        self.poll_job();
        self.take_heard(ctx);
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
        egui::CentralPanel::default().show(ui, |ui| {
            self.lost_banner_ui(ui);
            commands.extend(self.page_ui(ui, &pctx))
        });
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
                recent: self.recent.clone(),
            },
        );
    }
}
