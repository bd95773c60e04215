//! The data the pages show: the snapshot read on the reader, the pins and partners'
//! activity after it, the pages' own reads, and the check of the file for damage; and
//! opening a database, which makes its [`Session`].

use super::*;

/// The answers that have arrived, in the order asked; the receivers of the others are kept.
/// A read that stopped without an answer is [`ReadError::Stopped`](crate::reader::ReadError).
pub(super) fn arrived<T>(
    answers: &mut Vec<Answer<Result<T, StoreError>>>,
) -> Vec<Result<T, crate::reader::ReadError>> {
    let mut arrived = Vec::new();
    answers.retain(|answer| match answer.take() {
        Some(result) => {
            arrived.push(result);
            false
        }
        None => true,
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
/// so that the window shows its data first; it runs on a thread of its own after them.
pub(super) enum DamageCheck {
    Due,
    Running(Answer<Result<(), StoreError>>),
    /// The whole file was read and found whole (a server keeps its own pages whole).
    Passed,
    /// The check stopped without an answer (its thread panicked): nothing is written
    /// until it has run again and passed. A write asks for it to run again.
    Stopped,
    /// The file is damaged: the window closes it and says why.
    Damaged(StoreError),
}

impl DamageCheck {
    /// The check is yet to end: nothing is written meanwhile.
    pub(super) fn pending(&self) -> bool {
        matches!(self, DamageCheck::Due | DamageCheck::Running(_))
    }
}

impl Session {
    /// Asks for the pins of the snapshot asked for last, once the page has asked for its own
    /// reads: the Overview's lists come before a hundred thousand pins.
    pub(super) fn start_pins(&mut self, today: NaiveDate) {
        let Some(version) = self.pins_due else {
            return;
        };
        if self.data.version < version && !self.data_loading.is_empty() {
            return;
        }
        self.pins_due = None;
        let answer = self.reader.run(&self.store, move |s| {
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
        let snapshot_read =
            self.data_loading.is_empty() && self.pins_due.is_none() && self.pins_loading.is_empty();
        if !matches!(self.damage_check, DamageCheck::Due) || !snapshot_read {
            return;
        }
        let answer = match self.workers.background {
            true => self.check_on_a_thread(),
            false => None,
        };
        let answer = answer.unwrap_or_else(|| self.reader.run(&self.store, |s| s.read().damage()));
        self.damage_check = DamageCheck::Running(answer);
        self.take_damage_check();
    }

    /// The check for damage on a thread of its own (None: no thread to spare).
    fn check_on_a_thread(&self) -> Option<Answer<Result<(), StoreError>>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let (path, ctx) = (self.path.clone(), self.workers.ctx.clone());
        let dies = self.workers.faults.check_dies.clone();
        let spawned = std::thread::Builder::new()
            .name("partner-desk-check".into())
            .spawn(move || {
                if dies.swap(false, Ordering::SeqCst) {
                    ctx.request_repaint();
                    panic!("a check for damage made to fail by a test");
                }
                let found = Store::open_unchecked(&path).and_then(|s| s.read().damage());
                let _ = tx.send(found);
                ctx.request_repaint();
            });
        spawned.ok().map(|_| Answer::new(rx))
    }

    /// Takes the answer of the check for damage. A check that stopped without an answer
    /// leaves writes refused until it has run again.
    pub(super) fn take_damage_check(&mut self) {
        let DamageCheck::Running(answer) = &self.damage_check else {
            return;
        };
        self.damage_check = match answer.try_recv() {
            Ok(Ok(())) => DamageCheck::Passed,
            Ok(Err(e)) => DamageCheck::Damaged(e),
            Err(TryRecvError::Disconnected) => {
                tracing::error!("the check for damage stopped without an answer");
                DamageCheck::Stopped
            }
            Err(TryRecvError::Empty) => return,
        };
    }

    /// Reads the data snapshot again (on the reader): what is on screen stays until the
    /// new one arrives.
    pub(super) fn reload(&mut self, today: NaiveDate) {
        self.asked_version = self.asked_version.max(self.data.version) + 1;
        let version = self.asked_version;
        if let Some(watch) = &self.live.watch {
            watch.seen(&self.store);
        }
        let answer = self
            .reader
            .run(&self.store, move |s| Data::load(s, today, version));
        self.data_loading.push(answer);
        self.pins_due = Some(version);
        self.take_data();
    }

    /// Puts a data snapshot that arrived on screen.
    pub(super) fn take_data(&mut self) {
        for result in arrived(&mut self.data_loading) {
            match result {
                Ok(data) if data.version > self.data.version => self.show(data),
                Ok(_) => {}
                Err(e) => self.say(Err(e.into())),
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
                Err(e) => self.say(Err(e.into())),
            }
        }
    }

    /// Shows a newer snapshot; what is read later is kept from the last one until it comes.
    fn show(&mut self, data: Data) {
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

    /// The first snapshot of the database is still being read.
    pub(super) fn first_load(&self) -> bool {
        self.data.version == 0 && !self.data_loading.is_empty()
    }

    /// Asks the reader for what the pages want that is not in memory (pages of sales, a
    /// statement preview, a history, a chart, a card) and hands them the answers that
    /// came. No page reads the database itself: each is given an [`Ask`](crate::reader::Ask).
    pub(super) fn load_wanted(&mut self, page: Page, today: NaiveDate, lang: Lang) {
        let ask = self.reader.ask(&self.store);
        let version = self.data.version;
        // Pages read for a snapshot: none before the first one is here.
        let sales_failed = if page == Page::Sales && version > 0 {
            self.sales.load(ask, version)
        } else {
            None
        };
        if page == Page::StopList {
            self.pins.name_known_client(ask);
        }
        if page == Page::Statements {
            self.statements.load(ask, today, lang);
        }
        if self.load_failed == Some(version) {
            // Tried and failed for this data; the next change tries again.
            return;
        }
        let mut failed = sales_failed.or(self.pins.load(ask, version));
        if page == Page::Overview && version > 0 {
            failed = failed.or(self.overview.load(ask, version, today));
        }
        if page == Page::Partners {
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
            self.say(Err(e.into()));
        }
    }
}

impl App {
    /// A session's work between frames: the answers that came, what the watch heard, the
    /// reads the page wants, the pins and the check for damage when their turn comes.
    pub(super) fn session_logic(&mut self, ctx: &egui::Context) {
        let (page, today, lang) = (self.page, self.today(), self.lang);
        if let Some(s) = &mut self.session {
            s.take_damage_check();
            s.take_data();
            s.take_heard(ctx, today, lang);
            s.load_wanted(page, today, lang);
            s.start_pins(today);
            s.start_damage_check();
        }
        self.close_if_damaged();
        self.tell_said();
    }

    /// Closes the database its check found damaged, and says why instead of showing it.
    pub(super) fn close_if_damaged(&mut self) {
        let damaged = self.session.as_mut().and_then(|s| {
            s.take_damage_check();
            match std::mem::replace(&mut s.damage_check, DamageCheck::Passed) {
                DamageCheck::Damaged(e) => Some(e),
                other => {
                    s.damage_check = other;
                    None
                }
            }
        });
        if let Some(e) = damaged {
            self.tell_said();
            self.session = None;
            self.open_error = Some(e.text(self.lang));
            self.report(Err(e.into()));
        }
    }

    /// Reports what the session had to say.
    pub(super) fn tell_said(&mut self) {
        let said = self
            .session
            .as_mut()
            .map(|s| std::mem::take(&mut s.said))
            .unwrap_or_default();
        for what in said {
            self.report(what);
        }
    }

    /// Reads the open database's snapshot again.
    pub(super) fn reload(&mut self) {
        let today = self.today();
        if let Some(s) = &mut self.session {
            s.reload(today);
        }
    }

    pub(super) fn switch_database(&mut self, path: PathBuf) {
        // A file of an older schema is copied and upgraded first (11 s at a million sales):
        // on a worker, with the window showing what it does.
        let older = Store::schema_version_of(&path)
            .is_some_and(|v| v > 0 && v < crate::store::SCHEMA_VERSION);
        if older && self.job.is_none() {
            self.close_session();
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
            if self.workers.background {
                let (tell, answer) = channel();
                let (keyring, ctx, at) =
                    (self.keyring.clone(), self.workers.ctx.clone(), path.clone());
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

    /// Drops the open database's session, after what it had to say.
    fn close_session(&mut self) {
        self.tell_said();
        self.session = None;
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
            self.report(Ok(Said::both(|lang| {
                lang.pick(
                    "Пароль не удалось сохранить в связке ключей: он будет спрошен при следующем запуске",
                    "The password could not be kept in the keyring: it will be asked at the next start",
                )
                .to_owned()
            })));
        }
        match store {
            Err(StoreError::Busy | StoreError::BusyFor { .. }) if self.session.is_none() => {
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
                    self.report(Ok(Said::both(|lang| {
                        lang.pick(
                            "База данных освободилась и открыта",
                            "The database is free and open",
                        )
                        .to_owned()
                    })));
                }
                self.close_session();
                self.remember_recent(&path);
                self.db_path = path.clone();
                self.open_error = None;
                self.sessions_opened += 1;
                let id = SessionId(self.sessions_opened);
                let today = self.today();
                self.session = Some(Session::new(id, path, store, self.workers.clone(), today));
                self.tell_said();
            }
            Err(e) => {
                if self.session.is_none() {
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
