//! Long work on worker threads: jobs with progress and Cancel, and what they hand back.

use super::*;

/// A long piece of work on a worker thread.
pub(super) struct Job {
    pub(super) title: String,
    pub(super) started: Instant,
    pub(super) rx: Receiver<Result<JobDone, ActionError>>,
    pub(super) progress: Arc<Progress>,
}

/// What a finished job hands back.
pub(super) enum JobDone {
    /// An action done: say it; offer to undo an import, to open a file written.
    Done(Done),
    /// A file read for the import window.
    Read {
        file_name: String,
        source: import::source::Source,
    },
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
                Ok(JobDone::Read { file_name, source })
            },
        );
    }

    /// Opens the import window on a file just read, with the mapping chosen last time for
    /// files of its layout.
    pub(super) fn open_wizard(&mut self, file_name: String, source: import::source::Source) {
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
    pub(super) fn run_import(&mut self) {
        let Some(wizard) = self.wizard.take() else {
            return;
        };
        let lang = self.lang;
        let db = self.db_path.clone();
        let file = wizard.file_name.clone();
        self.start_work(
            format!("{} {file}", lang.pick("Импорт", "Import")),
            move |progress| {
                let mut store = Store::open(&db)?;
                import::import_sheet(
                    &mut store,
                    wizard.sheet(),
                    wizard.mapping.clone(),
                    &file,
                    &|done, total| progress.set(done, total),
                )
                .map(|summary| JobDone::Done(Done::Imported(summary)))
                .map_err(|e| ActionError::import(&file, e))
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
        });
    }

    pub(super) fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        match job.rx.try_recv() {
            Ok(Ok(JobDone::Read { file_name, source })) => {
                self.job = None;
                self.open_wizard(file_name, source);
            }
            Ok(result) => {
                self.job = None;
                self.statements.invalidate();
                let (exported, imported) = match &result {
                    Ok(JobDone::Done(done)) => (
                        done.written().map(Path::to_path_buf),
                        matches!(done, Done::Imported(_)),
                    ),
                    _ => (None, false),
                };
                let upgraded = match &result {
                    Ok(JobDone::Done(Done::Upgraded { path, .. })) => Some(path.clone()),
                    _ => None,
                };
                if let (Some(_), Err(e)) = (self.upgrading.take(), &result) {
                    self.open_error = Some(e.text(self.lang));
                }
                let lang = self.lang;
                self.report(result.map(|done| match done {
                    JobDone::Done(done) => done.text(lang),
                    JobDone::Read { file_name, .. } => file_name,
                }));
                if exported.is_some() {
                    self.exported = exported;
                }
                if imported {
                    // Offered once the data read after the import is on screen.
                    self.offer_undo = Some(self.asked_version.max(self.data.version) + 1);
                }
                if let Some(path) = upgraded {
                    self.switch_database(path);
                }
                self.reload();
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                self.job = None;
                self.report(Err(ActionError::Interrupted));
            }
        }
    }
}
