//! The App: the window, and the [`Session`] of the database open in it. The window keeps
//! what is its own (language, theme, the page shown, toasts, dialogs, recent databases,
//! the connection form, export preferences, the worker job runner); everything about the
//! open database is in its `Session`, replaced whole when another opens. `App::run` runs
//! every [`Command`] in one place and reports what happened. By job: `session` (what a
//! session holds), `execute` (commands and undo), `paths` (dialogs and typed paths), `jobs`
//! (worker threads), `loading` (opening a database; the snapshot and the pages' reads),
//! `live` (others' changes, a server gone and back), `chrome` (menus, navigation, status
//! bar), `overlays` (windows over the page); what pages are given and give back is in
//! [`crate::command`] and [`crate::snapshot`].

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
use crate::domain::lang::{Lang, Localized, Said};
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
mod said;
mod session;

use self::{
    chrome::*, connect::*, execute::*, jobs::*, live::*, loading::*, overlays::*, paths::*,
    said::Outcome, session::*,
};
pub use crate::command::{Command, PageCtx};
pub use crate::snapshot::{Data, PartnerSummary};
pub use jobs::Progress;
pub use session::{Faults, Session};

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
    /// Workers made to fail, for tests (none by default).
    #[doc(hidden)]
    pub faults: Faults,
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
            faults: Faults::default(),
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
    /// After how many days an unpaid statement is called overdue on the Overview (30 when
    /// not yet chosen).
    #[serde(default)]
    overdue_days: Option<u32>,
}

const SETTINGS_KEY: &str = "partner-desk-settings";

/// The application: the window, and the session of the database open in it.
pub struct App {
    /// The database open in the window, with everything about it.
    session: Option<Session>,
    /// How many sessions this window has opened: the next one's id.
    sessions_opened: u64,
    /// The database the window names: the open one, or the one being opened, upgraded,
    /// waited for or that could not be opened (tried again from the page that says so).
    db_path: PathBuf,
    open_error: Option<String>,
    /// The file being brought to this program's schema on a worker, opened when it is done.
    upgrading: Option<PathBuf>,
    /// The file to open once another program's long write is over, and when to try again.
    open_when_free: Option<(PathBuf, Instant)>,
    /// The team database being opened on a worker, and where its answer comes.
    opening: Option<(PathBuf, Receiver<loading::Opened>)>,
    /// The password to keep in the keyring once the team database being opened lets it in.
    keep_in_keyring: Option<String>,
    lang: Lang,
    dark: bool,
    page: Page,
    fixed_today: Option<NaiveDate>,
    dialogs: Box<dyn FileDialogs>,
    toasts: Vec<Toast>,
    /// What the window said last, in both languages, as the status bar says it.
    last: Option<Said>,
    /// A path typed in when no dialog could be shown, for the session it was asked in.
    prompt: Option<PathPrompt>,
    /// A database file asked to be opened that does not exist: whether to create it empty
    /// waits for the user (a typo would otherwise open an empty database).
    missing: Option<PathBuf>,
    /// The work running on a worker, for the session it was started in.
    job: Option<Job>,
    show_help: bool,
    /// Help ▸ Keyboard shortcuts is open.
    show_keys: bool,
    show_about: bool,
    /// A long report shown in its own window.
    details: Option<String>,
    /// The statement file just exported, offered to open until closed.
    exported: Option<PathBuf>,
    /// The format of the last statement exported: the next suggested file name has it.
    export_format: Format,
    /// The folder of the last export: the next suggested file is there.
    export_dir: Option<PathBuf>,
    /// The language statements are exported in (remembered between runs).
    doc_lang: Lang,
    /// After how many days an unpaid statement is overdue (the Overview says which).
    overdue_days: u32,
    /// A timed start, and whether the frame it waits for has been drawn.
    exit_when: Option<ExitWhen>,
    exit_drawn: bool,
    /// How sessions run their workers.
    workers: Workers,
    /// A file to open in the import window on the first frame.
    start_import: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    /// Crash reports of earlier runs not yet shown.
    crashes: Vec<PathBuf>,
    /// File ▸ Connect to a team database…, when open.
    connect: Option<ConnectForm>,
    /// The databases opened last, newest first (File ▸ Open recent).
    recent: Vec<String>,
    keyring: Arc<dyn crate::keyring::Keyring>,
    /// Whether the system has a keyring: asked once, on a worker.
    keyring_here: Arc<std::sync::OnceLock<bool>>,
}

/// The data shown when no database is open.
static NO_DATA: std::sync::LazyLock<Data> = std::sync::LazyLock::new(Data::default);

/// The id the desktop knows the program by (its `.desktop` file and AppStream metainfo).
pub const APP_ID: &str = "org.partnerdesk.PartnerDesk";

/// The smallest window the system lets the user make: at this size every control is
/// reachable (the pages' toolbars and filters wrap onto more lines, side panels scroll).
pub const MIN_WINDOW: [f32; 2] = [800.0, 500.0];

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
            .with_min_inner_size(MIN_WINDOW)
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
            session: None,
            sessions_opened: 0,
            db_path: config.db_path.clone(),
            open_error: None,
            upgrading: None,
            open_when_free: None,
            opening: None,
            keep_in_keyring: None,
            lang,
            dark,
            page: settings.page,
            fixed_today: config.today,
            dialogs: config.dialogs,
            toasts: Vec::new(),
            last: None,
            prompt: None,
            missing: None,
            job: None,
            show_help: false,
            show_keys: false,
            show_about: false,
            details: None,
            exported: None,
            export_format: settings.export_format.unwrap_or(Format::Pdf),
            export_dir: settings.export_dir.filter(|dir| dir.is_dir()),
            doc_lang: settings.doc_lang.unwrap_or(Lang::Ru),
            overdue_days: settings.overdue_days.unwrap_or(30),
            exit_when: config.exit_when,
            exit_drawn: false,
            workers: Workers {
                background: config.background_reads,
                ctx: cc.egui_ctx.clone(),
                faults: config.faults,
            },
            start_import: config.import_file,
            crashes: config
                .data_dir
                .as_deref()
                .map(|d| crate::diagnostics::unseen_crashes(&crate::diagnostics::crash_dir(d)))
                .unwrap_or_default(),
            data_dir: config.data_dir,
            connect: None,
            recent: settings.recent,
            keyring: Arc::from(config.keyring),
            keyring_here: Default::default(),
        };
        app.ask_keyring();
        match config.exit_when {
            Some(ExitWhen::Overview) => app.page = Page::Overview,
            Some(ExitWhen::SalesRows) => app.page = Page::Sales,
            _ => {}
        }
        app.switch_database(config.db_path);
        if let Some(keep) = crate::backup::keep_from_env().filter(|_| app.session.is_some()) {
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
        let session = self.session.as_ref();
        self.exit_drawn = match when {
            ExitWhen::FirstFrame => true,
            ExitWhen::Overview => session.is_some_and(|s| s.data.version > 0 && s.overview.ready()),
            ExitWhen::SalesRows => session.is_some_and(|s| s.sales.rows_shown()),
        };
        ctx.request_repaint();
    }

    fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(crate::clock::today)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The snapshot of the open database (empty when none is).
    pub fn data(&self) -> &Data {
        self.session.as_ref().map_or(&NO_DATA, |s| &s.data)
    }

    pub fn store(&self) -> Option<&Store> {
        self.session.as_ref().map(|s| &s.store)
    }

    /// The open database, with everything the window keeps about it.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// [`App::session`], to change what its pages show (a test or a benchmark).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// What the login may change (everything when no database is open: nothing to change).
    pub fn rights(&self) -> Rights {
        self.session.as_ref().map_or(Rights::ALL, |s| s.rights)
    }

    /// The language statements are exported in.
    pub fn doc_lang(&self) -> Lang {
        self.doc_lang
    }

    /// The last message shown to the user, in the window's language: a long one (an
    /// import's row errors) by its first line, the rest being in the report window.
    pub fn last_message(&self) -> String {
        self.last
            .as_ref()
            .map_or_else(String::new, |said| said.text(self.lang))
    }

    /// The long report open in its window, if any.
    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    /// True while the data snapshot, its pins or the check of the file is being read.
    pub fn reading(&self) -> bool {
        self.session.as_ref().is_some_and(Session::reading)
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
        self.take_opening();
        self.poll_job();
        self.session_logic(ctx);
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
        let open = self.session.is_some();
        let at_start = || if open { self.start_import.take() } else { None };
        if let Some(path) = dropped.or_else(at_start) {
            commands.push(Command::ImportFile(path));
        }
        commands.extend(self.session_windows_ui(&ctx, &pctx));
        for command in commands {
            self.run(command);
        }
        if self.session.as_ref().is_some_and(|s| s.waiting(self.page)) {
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
                doc_lang: Some(self.doc_lang),
                export_format: Some(self.export_format),
                export_dir: self.export_dir.clone(),
                recent: self.recent.clone(),
                overdue_days: Some(self.overdue_days),
            },
        );
    }
}
