//! The data the pages show: the snapshot read on the reader, the pins and partners'
//! activity after it, the pages' own reads, and the check of the file for damage.

use super::*;

/// The answers that have arrived, in the order asked; the receivers of the others are kept
/// (those whose reader is gone are dropped).
pub(super) fn arrived<T>(answers: &mut Vec<Answer<T>>) -> Vec<T> {
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
pub(super) struct Later {
    pub(super) pins: Vec<PinRow>,
    pub(super) activity: HashMap<PartnerId, (i64, Money)>,
}

impl Later {
    pub(super) fn read(store: &Store, today: NaiveDate) -> Result<Later, StoreError> {
        let db = store.read();
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        Ok(Later {
            pins: db.pin_rows()?,
            activity: db.partner_activity(today, year_start)?,
        })
    }
}

/// [`Later`], and the data version it was read for.
pub(super) type PinsRead = (u64, Later);

/// The check of the open file for damage (`PRAGMA quick_check`, a second over a million
/// sales). It waits until the first data snapshot and the page's own reads are asked for,
/// so that the window shows its data first; it runs on the reader after them.
pub(super) enum DamageCheck {
    /// No file open, or its check failed (the file is closed and the window says why).
    Done,
    Due,
    Running(Answer<Result<(), StoreError>>),
    /// The whole file was read and found whole.
    Passed,
}

impl DamageCheck {
    /// The check is yet to end: nothing is written meanwhile.
    pub(super) fn pending(&self) -> bool {
        matches!(self, DamageCheck::Due | DamageCheck::Running(_))
    }
}

impl App {
    /// Asks for the pins of the snapshot asked for last, once the page has asked for its own
    /// reads: the Overview's lists come before a hundred thousand pins.
    pub(super) fn start_pins(&mut self) {
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

    /// Starts the check for damage once the snapshot and its pins have been answered (and
    /// so the page's own reads, asked for before the pins). It runs on a thread and a
    /// connection of its own, not on the reader: reading the whole file takes a second at a
    /// million sales, and a page opened meanwhile must not wait behind it. Tests check
    /// inline.
    pub(super) fn start_damage_check(&mut self) {
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
                Answer::new(rx)
            }
        } else {
            self.reader.run(store, |s| s.read().damage())
        };
        self.damage_check = DamageCheck::Running(answer);
        self.take_damage_check();
    }

    /// Takes the answer of the check for damage: a damaged file is closed, and the window
    /// says so instead of showing it.
    pub(super) fn take_damage_check(&mut self) {
        let DamageCheck::Running(answer) = &self.damage_check else {
            return;
        };
        match answer.try_recv() {
            Ok(Ok(())) => self.damage_check = DamageCheck::Passed,
            Err(TryRecvError::Disconnected) => self.damage_check = DamageCheck::Done,
            Ok(Err(e)) => {
                self.damage_check = DamageCheck::Done;
                self.store = None;
                self.open_error = Some(e.text(self.lang));
                self.report(Err(e.into()));
            }
            Err(TryRecvError::Empty) => {}
        }
    }

    pub(super) fn switch_database(&mut self, path: PathBuf) {
        // A file of an older schema is copied and upgraded first (11 s at a million sales):
        // on a worker, with the window showing what it does.
        let older = Store::schema_version_of(&path)
            .is_some_and(|v| v > 0 && v < crate::store::SCHEMA_VERSION);
        if older && self.job.is_none() {
            self.store = None;
            self.data = Data::default();
            self.db_path = path.clone();
            self.open_error = None;
            self.upgrading = Some(path.clone());
            let title = self
                .lang
                .pick("Обновление базы данных", "Upgrading the database")
                .to_owned();
            self.start_job(title, move |_| actions::upgrade(&path));
            return;
        }
        // The window never waits long for the file: when another program holds it (a
        // large import from the command line), it says so and opens it once it is free.
        let again = self.open_when_free.take().is_some_and(|(p, _)| p == path);
        // A team database is opened on a worker: a server that does not answer is waited
        // for up to 10 s, and the keyring may take its time; the window goes on meanwhile.
        if crate::store::server_url(&path).is_some() {
            let keep = self.keep_in_keyring.take();
            if self.background_reads {
                let (tell, answer) = channel();
                let (keyring, ctx, at) =
                    (self.keyring.clone(), self.egui_ctx.clone(), path.clone());
                let keeping = keep.clone();
                let spawned = std::thread::Builder::new()
                    .name("partner-desk-open".into())
                    .spawn(move || {
                        let _ = tell.send(open_team(&at, &*keyring, keeping));
                        ctx.request_repaint();
                    });
                if spawned.is_ok() {
                    self.opening = Some((path, answer));
                    return;
                }
            }
            // Inline when reads are (tests), or with no thread to spare.
            let (store, kept) = open_team(&path, &*self.keyring, keep);
            self.opened(path, store, kept, again);
            return;
        }
        let store = Store::open_unchecked_waiting(&path, Duration::from_millis(200));
        self.opened(path, store, None, again);
    }

    /// Takes the team database the worker has opened, or why it could not.
    pub(super) fn take_opening(&mut self) {
        let Some((path, answer)) = &self.opening else {
            return;
        };
        match answer.try_recv() {
            Ok((store, kept)) => {
                let path = path.clone();
                self.opening = None;
                self.opened(path, store, kept, false);
            }
            // The worker stopped without an answer (a fault of the program): say so, on
            // the page that offers to try again or to open something else.
            Err(TryRecvError::Disconnected) => {
                self.opening = None;
                self.open_error = Some(connecting_broke(self.lang));
            }
            Err(TryRecvError::Empty) => {}
        }
    }

    /// Uses the database just opened at `path`, or says why it could not be; `kept` is
    /// whether the password asked to be kept in the keyring was (None: none was asked).
    fn opened(
        &mut self,
        path: PathBuf,
        store: Result<Store, StoreError>,
        kept: Option<bool>,
        again: bool,
    ) {
        if kept == Some(false) {
            self.report(Ok(self
                .lang
                .pick(
                    "Пароль не удалось сохранить в связке ключей: он будет спрошен при следующем запуске",
                    "The password could not be kept in the keyring: it will be asked at the next start",
                )
                .to_owned()));
        }
        match store {
            Err(StoreError::Busy | StoreError::BusyFor { .. }) if self.store.is_none() => {
                self.open_when_free = Some((path, Instant::now() + Duration::from_secs(1)));
                self.open_error = Some(ActionError::WaitingForFile.text(self.lang));
                if !again {
                    self.report(Err(ActionError::WaitingForFile));
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
                self.remember_recent(&path);
                self.db_path = path;
                self.start_reader();
                self.start_watch();
                self.live.lost = None;
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
                if self.store.is_none() {
                    self.open_error = Some(e.text(self.lang));
                }
                // A team database that would not let the login in: its password is asked.
                if let (
                    Some(url),
                    StoreError::CannotConnect {
                        reason: crate::store::ServerProblem::LoginRefused,
                        ..
                    },
                ) = (crate::store::server_url(&path), &e)
                {
                    self.ask_to_log_in(url, e.text(self.lang));
                }
                self.report(Err(e.into()));
            }
        }
    }

    /// Reads the data snapshot again (on the reader): what is on screen stays until the
    /// new one arrives.
    pub(super) fn reload(&mut self) {
        let Some(store) = &self.store else { return };
        self.asked_version = self.asked_version.max(self.data.version) + 1;
        let version = self.asked_version;
        if let Some(watch) = &self.live.watch {
            watch.seen(store);
        }
        let today = self.today();
        let answer = self
            .reader
            .run(store, move |s| Data::load(s, today, version));
        self.data_loading.push(answer);
        self.pins_due = Some(version);
        self.take_data();
    }

    /// Puts a data snapshot that arrived on screen.
    pub(super) fn take_data(&mut self) {
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
                Err(e) => self.report(Err(e.into())),
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
                Err(e) => self.report(Err(e.into())),
            }
        }
    }

    /// The first snapshot of the database is still being read.
    pub(super) fn first_load(&self) -> bool {
        self.data.version == 0 && !self.data_loading.is_empty()
    }

    /// Asks the reader for what the pages want that is not in memory (pages of sales, a
    /// statement preview, a history, a chart, a card) and hands them the answers that
    /// came. No page reads the database itself: each is given an [`Ask`](crate::reader::Ask).
    pub(super) fn load_wanted(&mut self) {
        let Some(store) = &self.store else { return };
        let ask = self.reader.ask(store);
        let today = self.today();
        // Pages read for a snapshot: none before the first one is here.
        let sales_failed = if self.page == Page::Sales && self.data.version > 0 {
            self.sales.load(ask, self.data.version)
        } else {
            None
        };
        if self.page == Page::StopList {
            self.pins.name_known_client(ask);
        }
        if self.page == Page::Statements {
            self.statements.load(ask, today, self.lang);
        }
        let version = self.data.version;
        if self.load_failed == Some(version) {
            // Tried and failed for this data; the next change tries again.
            return;
        }
        let mut failed = sales_failed.or(self.pins.load(ask, version));
        if self.page == Page::Overview && version > 0 {
            failed = failed.or(self.overview.load(ask, version, today));
        }
        if self.page == Page::Partners {
            failed = failed.or(self.partners.load_chart(ask, version, today));
        }
        if let Some(card) = &mut self.client {
            failed = failed.or(card.load(ask, version));
        }
        if let Some(search) = &mut self.search {
            failed = failed.or(search.load(ask));
        }
        if let Some(e) = failed {
            self.load_failed = Some(version);
            self.report(Err(e.into()));
        }
    }
}

/// A team database opened on a worker, or why it could not be, and whether the password
/// asked to be kept in the keyring was (None: none was asked).
pub(super) type Opened = (Result<Store, StoreError>, Option<bool>);

/// What is said when the worker connecting to a team database stopped without an answer
/// (a fault of the program, not of the server).
pub(super) fn connecting_broke(lang: Lang) -> String {
    lang.pick(
        "Подключение прервалось из-за внутренней ошибки программы. Попробуйте ещё раз или откройте другую базу.",
        "Connecting stopped on an internal error of the program. Try again, or open another database.",
    )
    .to_owned()
}

/// Opens the team database at `path` (a server's address): with the password kept in the
/// keyring when none was typed this run; once it has let the login in, keeps `keep` there
/// (whether it could, in the answer); a password the server refuses is forgotten, here and
/// in the keyring.
fn open_team(path: &Path, keyring: &dyn crate::keyring::Keyring, keep: Option<String>) -> Opened {
    use crate::store::postgres;
    let url = path.to_str().unwrap_or_default();
    let shown = postgres::shown(url);
    if !postgres::has_remembered_password(url)
        && let Some(password) = keyring.get(&shown)
    {
        postgres::remember_password(url, &password);
    }
    let store = Store::open_unchecked_waiting(path, Duration::from_millis(200));
    let mut kept = None;
    match &store {
        Ok(_) => kept = keep.map(|password| keyring.set(&shown, &password)),
        Err(StoreError::CannotConnect {
            reason: crate::store::ServerProblem::LoginRefused,
            ..
        }) => {
            postgres::forget_password(url);
            keyring.forget(&shown);
        }
        Err(_) => {}
    }
    (store, kept)
}
