//! Reads that may take long (the sales list over a million rows, the Overview's
//! aggregates) run on a thread of their own with its own connection to the database, so the
//! window never waits for them. A page is handed an [`Ask`] (never the store): it asks with
//! [`Ask::run`] or keeps a [`Loaded`] value, and polls for the answer; the reader wakes the
//! window when an answer is ready. The read runs with a read-only [`Db`] view.
//!
//! A read that panics (a fault of the program) is answered as [`ReadError::Stopped`]: the
//! reader opens its connection anew and goes on with the next read, and a reader whose
//! thread has ended is started again when it is next asked. No page waits for an answer
//! that cannot come.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Weak};

use crate::domain::lang::{Lang, Localized};
use crate::store::{Db, Store, StoreError};

type Job = Box<dyn FnOnce(&Store) + Send>;

/// Why a read gave no value.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    Store(#[from] StoreError),
    /// The read stopped without an answer: it panicked, or its thread could not open the
    /// database.
    Stopped,
}

impl Localized for ReadError {
    fn text(&self, lang: Lang) -> String {
        match self {
            ReadError::Store(e) => e.text(lang),
            ReadError::Stopped => lang.say(
                "Чтение данных прервалось, не дав ответа (внутренняя ошибка программы или база недоступна); страница показывает то, что было, и прочитает данные снова при следующем изменении",
                "A read stopped without an answer (an internal error of the program, or the database could not be reached); the page shows what it had, and reads again at the next change",
            ),
        }
    }
}

crate::domain::lang::english_display!(ReadError);

/// Where reads run.
pub struct Reader {
    /// The reader's thread, when reads run on one; None: inline.
    thread: Option<Thread>,
}

/// The reader's thread, and what it needs to be started again.
struct Thread {
    jobs: RefCell<Option<Sender<Job>>>,
    path: PathBuf,
    wake: Arc<dyn Fn() + Send + Sync>,
    /// Set by a test: the next read panics.
    fault: Option<Arc<AtomicBool>>,
}

impl Thread {
    /// Starts the thread: its own connection to the database, the jobs in the order sent.
    fn start(&self) -> Option<Sender<Job>> {
        let (tx, rx) = channel::<Job>();
        let (path, wake) = (self.path.clone(), self.wake.clone());
        let spawned = std::thread::Builder::new()
            .name("partner-desk-reader".into())
            .spawn(move || {
                // A database that cannot be opened answers nothing: every receiver sees
                // its sender gone, and the page says the read stopped. The window's own
                // connection checked the file for damage.
                let Ok(mut store) = Store::open_unchecked(&path) else {
                    return;
                };
                for job in rx {
                    let ran = catch_unwind(AssertUnwindSafe(|| job(&store)));
                    wake();
                    if ran.is_err() {
                        // What the connection was doing when the read panicked is not known.
                        tracing::error!("a read panicked; the reader opens its connection anew");
                        match Store::open_unchecked(&path) {
                            Ok(again) => store = again,
                            Err(_) => return,
                        }
                    }
                }
            });
        spawned.ok().map(|_| tx)
    }

    /// Sends `job` to the thread, starting it again if it has ended.
    fn send(&self, job: Job) {
        let mut jobs = self.jobs.borrow_mut();
        let job = match jobs.as_ref() {
            Some(tx) => match tx.send(job) {
                Ok(()) => return,
                Err(std::sync::mpsc::SendError(job)) => job,
            },
            None => job,
        };
        tracing::warn!("the reader's thread had ended; it is started again");
        *jobs = self.start();
        if let Some(tx) = jobs.as_ref() {
            // If the new thread is gone too, the job is dropped with its sender: the
            // receiver sees that and the page says the read stopped.
            let _ = tx.send(job);
        }
    }
}

impl Reader {
    /// Reads on a thread with its own connection to the database at `path`; `wake` is
    /// called after each answer (the window repaints).
    pub fn on_thread(path: PathBuf, wake: impl Fn() + Send + Sync + 'static) -> Reader {
        let thread = Thread {
            jobs: RefCell::new(None),
            path,
            wake: Arc::new(wake),
            fault: None,
        };
        *thread.jobs.borrow_mut() = thread.start();
        Reader {
            thread: Some(thread),
        }
    }

    /// For tests of a reader that fails: once `fault` is set, the next read on the thread
    /// panics (and the flag is cleared).
    #[doc(hidden)]
    pub fn panicking_when(mut self, fault: Arc<AtomicBool>) -> Reader {
        if let Some(thread) = &mut self.thread {
            thread.fault = Some(fault);
        }
        self
    }

    /// Reads on the calling thread, at once, with the window's own connection: for tests,
    /// where every frame must see what it asked for.
    pub fn inline() -> Reader {
        Reader { thread: None }
    }

    /// Runs `read` and hands its answer to the [`Answer`]. A read whose answer is dropped
    /// before its turn comes (the page asked for something else meanwhile) is not run.
    pub fn run<T: Send + 'static>(
        &self,
        store: &Store,
        read: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Answer<T> {
        let (tx, rx) = channel();
        let answer = Answer::new(rx);
        let awaited = Arc::downgrade(&answer.awaited);
        let fault = self.thread.as_ref().and_then(|t| t.fault.clone());
        let job = move |store: &Store| {
            if fault.is_some_and(|f| f.swap(false, Ordering::SeqCst)) {
                panic!("a read made to fail by a test");
            }
            if Weak::strong_count(&awaited) > 0 {
                let _ = tx.send(read(store));
            }
        };
        match &self.thread {
            Some(thread) => thread.send(Box::new(job)),
            None => job(store),
        }
        answer
    }
}

/// Where the answer of a read arrives: a receiver that also tells the reader the answer
/// is still awaited. Dropping it withdraws the question.
pub struct Answer<T> {
    rx: Receiver<T>,
    awaited: Arc<()>,
}

impl<T> Answer<T> {
    /// An answer that arrives on `rx`: the reader's, or another thread's (the check of
    /// the file for damage).
    pub fn new(rx: Receiver<T>) -> Answer<T> {
        Answer {
            rx,
            awaited: Arc::new(()),
        }
    }
}

impl<T> Answer<Result<T, StoreError>> {
    /// The answer, if it has come. A read that stopped without answering (it panicked, or
    /// its thread is gone) is [`ReadError::Stopped`]: it will not come.
    pub fn take(&self) -> Option<Result<T, ReadError>> {
        match self.rx.try_recv() {
            Ok(result) => Some(result.map_err(ReadError::Store)),
            Err(TryRecvError::Disconnected) => Some(Err(ReadError::Stopped)),
            Err(TryRecvError::Empty) => None,
        }
    }
}

impl<T> std::ops::Deref for Answer<T> {
    type Target = Receiver<T>;

    fn deref(&self) -> &Receiver<T> {
        &self.rx
    }
}

/// What a page may do with the database: ask for reads, which the reader answers. It is
/// made by the window for a frame's loading ([`Reader::ask`]); a page never holds it.
#[derive(Clone, Copy)]
pub struct Ask<'a> {
    reader: &'a Reader,
    store: &'a Store,
}

impl Reader {
    /// The asking side of the reader for the window's database, handed to the pages.
    pub fn ask<'a>(&'a self, store: &'a Store) -> Ask<'a> {
        Ask {
            reader: self,
            store,
        }
    }
}

impl Ask<'_> {
    /// Runs `read` on the reader with a read-only view and hands its answer to the receiver.
    pub fn run<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Db<'_>) -> T + Send + 'static,
    ) -> Answer<T> {
        self.reader.run(self.store, move |s| read(&s.read()))
    }
}

/// A value read on the reader for a key (a data version, a day, a query): the last one
/// read stays available while the value for a new key is being read.
pub struct Loaded<K, T> {
    value: Option<(K, T)>,
    pending: Option<(K, Answer<Result<T, StoreError>>)>,
    /// The key whose read failed: not asked again.
    failed: Option<K>,
}

impl<K, T> Default for Loaded<K, T> {
    fn default() -> Self {
        Loaded {
            value: None,
            pending: None,
            failed: None,
        }
    }
}

impl<K: Clone + PartialEq + Send + 'static, T: Send + 'static> Loaded<K, T> {
    /// Asks for the value of `key` unless it is here, asked for or failed; then takes the
    /// answer if it has come. Returns the error of a read that failed or stopped.
    pub fn load(
        &mut self,
        ask: Ask<'_>,
        key: &K,
        read: impl FnOnce(&Db<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Option<ReadError> {
        let here = self.value.as_ref().is_some_and(|(k, _)| k == key);
        let asked = self.pending.as_ref().is_some_and(|(k, _)| k == key);
        if !here && !asked && self.failed.as_ref() != Some(key) {
            let answer = ask.run(read);
            self.pending = Some((key.clone(), answer));
        }
        let (k, answer) = self.pending.as_ref()?;
        match answer.take()? {
            Ok(value) => {
                self.value = Some((k.clone(), value));
                self.pending = None;
                None
            }
            Err(e) => {
                self.failed = Some(k.clone());
                self.pending = None;
                Some(e)
            }
        }
    }

    /// The value last read, with its key.
    pub fn entry(&self) -> Option<(&K, &T)> {
        self.value.as_ref().map(|(k, v)| (k, v))
    }

    /// The value last read, whatever its key.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    /// Whether the value read is the one for `key`.
    pub fn is_for(&self, key: &K) -> bool {
        self.value.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// A read is under way.
    pub fn waiting(&self) -> bool {
        self.pending.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_on_the_thread_answers_and_wakes_the_window() {
        let dir = std::env::temp_dir().join(format!("partner-desk-reader-{}", std::process::id()));
        let path = dir.join("r.sqlite3");
        let store = Store::open(&path).unwrap();
        let (woke_tx, woke) = channel();
        let reader = Reader::on_thread(path, move || {
            let _ = woke_tx.send(());
        });
        let answer = reader.run(&store, |s| {
            s.read().counts().map(|c| c.partners).unwrap_or(-1)
        });
        assert_eq!(answer.recv().unwrap(), 0);
        woke.recv().unwrap();
        let inline = Reader::inline().run(&store, |_| 7);
        assert_eq!(inline.try_recv().unwrap(), 7);
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_read_whose_answer_is_dropped_before_its_turn_is_not_run() {
        let dir =
            std::env::temp_dir().join(format!("partner-desk-withdrawn-{}", std::process::id()));
        let path = dir.join("r.sqlite3");
        let store = Store::open(&path).unwrap();
        let reader = Reader::on_thread(path, || {});
        // The reader is busy until told to go on.
        let (go_on, wait) = channel::<()>();
        let busy = reader.run(&store, move |_| wait.recv().is_ok());
        let ran = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = |ran: &Arc<std::sync::atomic::AtomicUsize>| {
            let ran = ran.clone();
            move |_: &Store| ran.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        };
        let withdrawn = reader.run(&store, count(&ran));
        let awaited = reader.run(&store, count(&ran));
        drop(withdrawn);
        go_on.send(()).unwrap();
        assert!(busy.recv().unwrap());
        assert_eq!(awaited.recv().unwrap(), 0, "the withdrawn read ran first");
        assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 1);
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_read_that_panics_is_answered_as_stopped_and_the_reader_goes_on() {
        let dir = std::env::temp_dir().join(format!("partner-desk-panics-{}", std::process::id()));
        let path = dir.join("r.sqlite3");
        let store = Store::open(&path).unwrap();
        let fault = Arc::new(AtomicBool::new(true));
        let reader = Reader::on_thread(path, || {}).panicking_when(fault.clone());
        let broken = reader.run(&store, |s| s.read().counts().map(|c| c.partners));
        let next = reader.run(&store, |s| s.read().counts().map(|c| c.partners));
        let wait = |answer: &Answer<Result<i64, StoreError>>| loop {
            if let Some(result) = answer.take() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(matches!(wait(&broken), Err(ReadError::Stopped)));
        assert_eq!(wait(&next).unwrap(), 0, "the next read is answered");
        assert!(!fault.load(Ordering::SeqCst), "once");
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}
