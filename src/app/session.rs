//! One open database and everything about it: the store, the reader, the snapshot and the
//! answers it waits for, the check for damage, the watch over others' changes, the login's
//! rights, what Ctrl+Z would take back, the import whose undo is offered, the pages' states,
//! and the windows that would act on it (a confirmation, the import window). Opening
//! another database drops the whole [`Session`] and makes a new one: nothing of the old one
//! can act on the new one. What the window started for a session (a job, a typed path)
//! carries its [`SessionId`] and acts only on that session.

use super::*;

/// Which of this window's sessions something was started for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SessionId(pub(super) u64);

/// Failures caused on purpose, to test that the window notices a worker that fails. Each
/// flag, once set, makes the next such worker fail once; the program never sets them.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct Faults {
    /// The reader's next read panics.
    pub read_panics: Arc<AtomicBool>,
    /// The next check of a file for damage stops without an answer.
    pub check_dies: Arc<AtomicBool>,
    /// The change listener of a team database stops the next time it has something to say.
    pub listener_dies: Arc<AtomicBool>,
}

/// A read's error as the window says it: a store's error as any other.
impl From<crate::reader::ReadError> for ActionError {
    fn from(e: crate::reader::ReadError) -> ActionError {
        match e {
            crate::reader::ReadError::Store(e) => ActionError::Store(e),
            stopped => ActionError::Read(stopped),
        }
    }
}

/// How the window runs a session's workers: on threads that wake it, or inline (tests).
#[derive(Clone)]
pub(super) struct Workers {
    pub(super) background: bool,
    pub(super) ctx: egui::Context,
    pub(super) faults: Faults,
}

/// One open database, and everything the window keeps about it.
pub struct Session {
    pub(super) id: SessionId,
    /// The file or the team database's address.
    pub(super) path: PathBuf,
    pub(super) store: Store,
    /// Where long reads run, with a connection of its own.
    pub(super) reader: crate::reader::Reader,
    pub(super) workers: Workers,
    pub(super) data: Data,
    /// Snapshots of the data being read, and the version asked for last.
    pub(super) data_loading: Vec<Answer<Result<Data, StoreError>>>,
    pub(super) asked_version: u64,
    /// The snapshot version whose pins are to be asked for, and the pins being read.
    pub(super) pins_due: Option<u64>,
    pub(super) pins_loading: Vec<Answer<Result<PinsRead, StoreError>>>,
    /// The data version whose on-demand reads failed; they are not retried for it.
    pub(super) load_failed: Option<u64>,
    /// The check of the open file for damage; nothing is written until it has passed.
    pub(super) damage_check: DamageCheck,
    /// Others' changes, and the team server's comings and goings.
    pub(super) live: Live,
    /// What the login may change (everything, on a file).
    pub(super) rights: Rights,
    /// How to take back the last change made in this window; forgotten at the next write.
    pub(super) undo: Option<Undo>,
    /// The import just written, while its undo is offered.
    pub(super) imported: Option<ImportRecord>,
    /// Offer the undo of the import just written once this data version is on screen.
    pub(super) offer_undo: Option<u64>,
    /// The user chose to start with an empty database.
    pub(super) welcome_dismissed: bool,
    /// A command waiting for the user to confirm it: it would act on this database.
    pub(super) confirm: Option<Confirm>,
    /// The import window, when a file is open in it: it imports into this database.
    pub(super) wizard: Option<ui::import_wizard::Wizard>,
    /// The client card open, if any.
    pub(super) client: Option<ui::client::ClientCard>,
    /// The window of our organisation's requisites, as typed.
    pub(super) organisation: Option<ui::requisites::RequisitesDraft>,
    /// The global search (Ctrl+K), when open.
    pub(super) search: Option<ui::search::SearchState>,
    pub partners: ui::partners::PartnersPage,
    pub pins: ui::pins::PinsPage,
    pub sales: ui::sales::SalesPage,
    pub statements: ui::statements::StatementsPage,
    pub rates: ui::rates::RatesPage,
    pub payments: ui::payments::PaymentsPage,
    pub overview: ui::overview::OverviewPage,
    /// What the window is to say about this session, taken at the end of each frame's work.
    pub(super) said: Vec<Result<Said, ActionError>>,
}

impl Session {
    /// The session of the database just opened at `path`: its reader and watch started,
    /// its first snapshot asked for, its check for damage due.
    pub(super) fn new(
        id: SessionId,
        path: PathBuf,
        store: Store,
        workers: Workers,
        today: NaiveDate,
    ) -> Session {
        let mut session = Session {
            id,
            reader: crate::reader::Reader::inline(),
            path,
            store,
            workers,
            data: Data::default(),
            data_loading: Vec::new(),
            asked_version: 0,
            pins_due: None,
            pins_loading: Vec::new(),
            load_failed: None,
            damage_check: DamageCheck::Due,
            live: Live::default(),
            rights: Rights::ALL,
            undo: None,
            imported: None,
            offer_undo: None,
            welcome_dismissed: false,
            confirm: None,
            wizard: None,
            organisation: None,
            client: None,
            search: None,
            partners: Default::default(),
            pins: Default::default(),
            sales: Default::default(),
            statements: Default::default(),
            rates: Default::default(),
            payments: Default::default(),
            overview: Default::default(),
            said: Vec::new(),
        };
        session.store.claim_instance();
        session.start_reader();
        session.start_watch();
        session.reload(today);
        session.start_damage_check();
        session
    }

    /// The store, read only.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The snapshot the pages show.
    pub fn data(&self) -> &Data {
        &self.data
    }

    /// Says `what` when the window next reports.
    pub(super) fn say(&mut self, what: Result<Said, ActionError>) {
        self.said.push(what);
    }

    /// The store, when a write may go to it now: the file's check has passed and the server
    /// is there. What Ctrl+Z would take back is forgotten: a write follows.
    pub(super) fn writable(&mut self) -> Result<&mut Store, ActionError> {
        self.take_damage_check();
        match self.damage_check {
            DamageCheck::Due | DamageCheck::Running(_) => return Err(ActionError::Checking),
            DamageCheck::Stopped => {
                // Run again; the write waits for it to pass.
                self.damage_check = DamageCheck::Due;
                self.start_damage_check();
                return Err(ActionError::CheckStopped);
            }
            // Found damaged: the window closes the database before anything else is done.
            DamageCheck::Damaged(_) => return Err(ActionError::Checking),
            DamageCheck::Passed => {}
        }
        if self.live.lost.is_some() {
            return Err(ActionError::ServerLost {
                server: self.store.shown(),
            });
        }
        self.undo = None;
        Ok(&mut self.store)
    }

    /// One write transaction ([`Store::write`]).
    pub(super) fn write<T>(
        &mut self,
        f: impl FnOnce(&crate::store::Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, ActionError> {
        Ok(self.writable()?.write(f)?)
    }

    /// [`Session::write`] of a write about one client ([`Store::write_on_client`]).
    pub(super) fn write_on_client<T>(
        &mut self,
        client: &crate::domain::Inn,
        f: impl FnOnce(&crate::store::ClientTx<'_, '_>) -> Result<T, StoreError>,
    ) -> Result<T, ActionError> {
        Ok(self.writable()?.write_on_client(client, f)?)
    }

    /// True while the data snapshot, its pins or the check of the file is being read.
    pub(super) fn reading(&self) -> bool {
        !self.data_loading.is_empty()
            || self.pins_due.is_some()
            || !self.pins_loading.is_empty()
            || self.damage_check.pending()
    }

    /// Whether a page of this session still waits for a read it asked for.
    pub(super) fn waiting(&self, page: Page) -> bool {
        let version = self.data.version;
        self.load_failed != Some(version)
            && (self.sales.wants_data()
                || self.statements.wants_data()
                || self.pins.wants_data()
                || (page == Page::Partners && self.partners.wants_chart(version))
                || (page == Page::Overview && self.overview.wants_data(version))
                || self.client.as_ref().is_some_and(|c| c.wants_data(version))
                || self.search.as_ref().is_some_and(|s| s.wants_data()))
    }
}
