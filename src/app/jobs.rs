//! Long work on worker threads: jobs with progress and Cancel, and what they hand back. A
//! job carries the session it was started in: what it hands back acts on that session
//! only (an import's undo offered, the import window opened), never on one opened since.

use super::*;

/// A long piece of work on a worker thread.
pub(super) struct Job {
    pub(super) title: String,
    pub(super) started: Instant,
    pub(super) rx: Receiver<Result<JobDone, ActionError>>,
    pub(super) progress: Arc<Progress>,
    /// The session open when the job started.
    pub(super) session: Option<SessionId>,
}

/// What a finished job hands back.
pub(super) enum JobDone {
    /// An action done: say it; offer to undo an import, to open a file written.
    Done(Done),
    /// A file read for the import window.
    Read {
        path: PathBuf,
        source: import::source::Source,
    },
    /// The import window's file checked against the rules: the rows refused (none when
    /// the file imports as it is), or why it could not be checked.
    Checked {
        key: ui::import_wizard::CheckKey,
        found: ui::import_wizard::Found,
    },
    /// The import window's file refused by its import: its rows listed in the window,
    /// and the refusal said as any failed job's is.
    Refused {
        key: ui::import_wizard::CheckKey,
        file: String,
        rows: Vec<import::RowError>,
    },
}

impl JobDone {
    /// What was done, for a job that does (a file read for the import window is handed to
    /// it before this).
    fn done(self) -> Result<Done, ActionError> {
        match self {
            JobDone::Done(done) => Ok(done),
            JobDone::Refused { file, rows, .. } => {
                Err(ActionError::import(file, import::ImportError::Rows(rows)))
            }
            JobDone::Read { .. } | JobDone::Checked { .. } => Err(ActionError::OpenedMeanwhile),
        }
    }
}

/// How far a job got, and whether the user asked it to stop.
#[derive(Default)]
pub struct Progress {
    pub(super) done: AtomicUsize,
    pub(super) total: AtomicUsize,
    pub(super) cancel: AtomicBool,
}

impl Progress {
    pub fn set(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Done as a fraction, when the total is known.
    pub(super) fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.done.load(Ordering::Relaxed) as f32 / total as f32)
    }
}

impl App {
    pub(super) fn start_job(
        &mut self,
        title: String,
        work: impl FnOnce(&Progress) -> Result<Done, ActionError> + Send + 'static,
    ) {
        self.start_work(title, move |progress| work(progress).map(JobDone::Done));
    }

    /// Reads a file on a worker thread, then opens the import window on it.
    pub(super) fn read_for_import(&mut self, path: PathBuf) {
        let lang = self.lang;
        let file_name = path.file_name().map_or(path.display().to_string(), |n| {
            n.to_string_lossy().into_owned()
        });
        self.start_work(
            format!("{} {file_name}", lang.pick("Чтение", "Reading")),
            move |_| {
                let shown = path.display().to_string();
                let bytes = std::fs::read(&path)
                    .map_err(|e| ActionError::import(&shown, import::ImportError::from(e)))?;
                let source = import::source::read_source(&bytes)
                    .map_err(|e| ActionError::import(&shown, e))?;
                Ok(JobDone::Read { path, source })
            },
        );
    }

    /// What a job on the import window's file works on: the database, the file's name and
    /// path, its source, the sheet and the mapping; none while another job runs.
    fn import_work(&mut self) -> Option<(PathBuf, ImportWork)> {
        if self.job.is_some() {
            return None;
        }
        let session = self.session.as_mut()?;
        let wizard = session.wizard.as_mut()?;
        wizard.started();
        let (sheet, mapping) = wizard.check_key();
        Some((
            session.path.clone(),
            ImportWork {
                file: wizard.file_name.clone(),
                path: wizard.path.clone(),
                source: Arc::clone(&wizard.source),
                sheet,
                mapping,
            },
        ))
    }

    /// Checks every row of the import window's file against the rules, on a worker
    /// thread: what the import would refuse, found by the import itself rolled back.
    pub(super) fn check_import(&mut self) {
        let lang = self.lang;
        let Some((db, work)) = self.import_work() else {
            return;
        };
        self.start_work(
            format!("{} {}", lang.pick("Проверка", "Checking"), work.file),
            move |progress| {
                let mut store = Store::open(&db)?;
                let found = import::check_sheet(
                    &mut store,
                    work.sheet(),
                    work.mapping.clone(),
                    &work.file,
                    &|done, total| progress.set(done, total),
                )
                .map_or_else(
                    |e| ui::import_wizard::Found::NotChecked(e.text(lang)),
                    ui::import_wizard::Found::Rows,
                );
                Ok(JobDone::Checked {
                    key: (work.sheet, work.mapping),
                    found,
                })
            },
        );
    }

    /// Imports what the import window shows, on a worker thread. On a refusal the window
    /// stays open with the refused rows listed.
    pub(super) fn run_import(&mut self) {
        let lang = self.lang;
        let Some((db, work)) = self.import_work() else {
            return;
        };
        self.start_work(
            format!("{} {}", lang.pick("Импорт", "Import"), work.file),
            move |progress| {
                let mut store = Store::open(&db)?;
                let imported = import::import_sheet(
                    &mut store,
                    work.sheet(),
                    work.mapping.clone(),
                    &work.file,
                    &|done, total| progress.set(done, total),
                );
                work.done(imported)
            },
        );
    }

    /// Imports the rows of the import window's file that nothing is wrong with, in one
    /// transaction, and writes the others beside the file with why, on a worker thread.
    pub(super) fn run_import_valid(&mut self) {
        let lang = self.lang;
        let Some((db, work)) = self.import_work() else {
            return;
        };
        self.start_work(
            format!("{} {}", lang.pick("Импорт", "Import"), work.file),
            move |progress| {
                let mut store = Store::open(&db)?;
                let imported = import::import_valid(
                    &mut store,
                    work.sheet(),
                    work.mapping.clone(),
                    &work.file,
                    &|done, total| progress.set(done, total),
                )
                .map(|(summary, refused)| work.with_rejected(summary, &refused, lang));
                work.done(imported)
            },
        );
    }

    pub(super) fn start_work(
        &mut self,
        title: String,
        work: impl FnOnce(&Progress) -> Result<JobDone, ActionError> + Send + 'static,
    ) {
        if self.job.is_some() {
            self.report(Err(ActionError::Busy));
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
            session: self.session.as_ref().map(|s| s.id),
        });
    }

    pub(super) fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        let result = match job.rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.job = None;
                self.report(Err(ActionError::Interrupted));
                return;
            }
        };
        let started_in = job.session;
        self.job = None;
        // The session the job was started in, if it is still the one open.
        let (today, lang) = (self.today(), self.lang);
        let session = self.session.as_mut().filter(|s| started_in == Some(s.id));
        let result = match (result, session) {
            (Ok(JobDone::Read { path, source }), Some(session)) => {
                session.open_wizard(path, source);
                return;
            }
            (Ok(JobDone::Checked { key, found }), Some(session)) => {
                if let Some(wizard) = &mut session.wizard {
                    wizard.checked(key, found);
                }
                return;
            }
            (Ok(JobDone::Read { .. }), None) if started_in.is_some() => {
                Err(ActionError::OpenedMeanwhile)
            }
            (Ok(JobDone::Read { .. }), None) => Err(ActionError::NoDatabase),
            (result, Some(session)) => {
                session.import_over(&result, lang);
                let result = result.and_then(JobDone::done);
                session.job_done(result.as_ref().ok(), today);
                result
            }
            (result, None) => result.and_then(JobDone::done),
        };
        if let (Some(_), Err(e)) = (self.upgrading.take(), &result) {
            self.open_error = Some(e.text(self.lang));
        }
        if let Ok(path) = result.as_ref().map(Done::written)
            && let Some(path) = path
        {
            self.exported = Some(path.to_path_buf());
        }
        let upgraded = match &result {
            Ok(Done::Upgraded { path, .. }) => Some(path.clone()),
            _ => None,
        };
        self.tell_said();
        self.report(result.map(Said::from));
        if let Some(path) = upgraded {
            self.switch_database(path);
        }
    }
}

/// A job's copy of what the import window works on.
struct ImportWork {
    file: String,
    path: PathBuf,
    source: Arc<import::source::Source>,
    sheet: usize,
    mapping: import::mapping::Mapping,
}

impl ImportWork {
    fn sheet(&self) -> &import::source::Sheet {
        &self.source.sheets[self.sheet]
    }

    /// What an import hands back: a refusal of rows goes back to the window.
    fn done(
        self,
        imported: Result<import::Summary, import::ImportError>,
    ) -> Result<JobDone, ActionError> {
        match imported {
            Ok(summary) => Ok(JobDone::Done(Done::Imported(summary))),
            Err(import::ImportError::Rows(rows)) => Ok(JobDone::Refused {
                key: (self.sheet, self.mapping),
                file: self.file,
                rows,
            }),
            Err(e) => Err(ActionError::import(&self.file, e)),
        }
    }

    /// The summary of an import of the right rows, with the wrong ones written beside
    /// the file.
    fn with_rejected(
        &self,
        summary: import::Summary,
        refused: &[import::RowError],
        lang: Lang,
    ) -> import::Summary {
        if refused.is_empty() {
            return summary;
        }
        let lines: std::collections::BTreeSet<u64> = refused.iter().map(|e| e.line).collect();
        let written =
            import::rejected::write_rejected(&self.path, &self.source, self.sheet(), refused, lang);
        import::Summary {
            rejected: lines.len(),
            rejected_file: written.as_ref().ok().cloned(),
            rejected_unwritten: written.err().map(|e| e.text(lang)),
            ..summary
        }
    }
}

impl Session {
    /// Opens the import window on a file just read, with the mapping chosen last time for
    /// files of its layout in this database.
    fn open_wizard(&mut self, path: PathBuf, source: import::source::Source) {
        let db = self.store.read();
        let remembered = |sheet: &import::source::Sheet| {
            let key = import::mapping::layout_key(&sheet.headers);
            let (kind, columns) = db.layout(&key).ok()??;
            let kind = ImportKind::parse(&kind)?;
            let columns: Vec<Option<usize>> = serde_json::from_str(&columns).ok()?;
            let fits = columns.len() == import::mapping::fields(kind).len()
                && columns.iter().flatten().all(|&c| c < sheet.headers.len());
            fits.then_some(import::mapping::Mapping { kind, columns })
        };
        let wizard = ui::import_wizard::Wizard::new(path, source, remembered);
        drop(db);
        self.wizard = Some(wizard);
    }

    /// What the end of a job does to the import window: an import done closes it, unless
    /// it left rows out (then it says where they went); a refusal lists the refused rows.
    fn import_over(&mut self, result: &Result<JobDone, ActionError>, lang: Lang) {
        let Some(wizard) = &mut self.wizard else {
            return;
        };
        match result {
            Ok(JobDone::Done(Done::Imported(summary))) if summary.rejected > 0 => {
                wizard.finished(summary.text(lang));
            }
            Ok(JobDone::Done(Done::Imported(_))) => self.wizard = None,
            Ok(JobDone::Refused { key, rows, .. }) => {
                let found = ui::import_wizard::Found::Rows(rows.clone());
                wizard.checked(key.clone(), found);
            }
            Err(e) => wizard.failed(e.text(lang)),
            Ok(_) => wizard.failed(String::new()),
        }
    }

    /// What a job done on this database changes here: the data is read again, a statement
    /// previewed is figured again, an import's undo is offered once the data read after it
    /// is on screen, and what Ctrl+Z would take back is forgotten after a write.
    fn job_done(&mut self, done: Option<&Done>, today: NaiveDate) {
        self.statements.invalidate();
        if matches!(done, Some(Done::Imported(_) | Done::Demo(_))) {
            self.undo = None;
        }
        if matches!(done, Some(Done::Imported(_))) {
            self.offer_undo = Some(self.asked_version.max(self.data.version) + 1);
        }
        self.reload(today);
    }
}
