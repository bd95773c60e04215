//! Reads that may take long (the sales list over a million rows, the Overview's
//! aggregates) run on a thread of their own with its own connection to the database, so the
//! window never waits for them. A page is handed an [`Ask`] (never the store): it asks with
//! [`Ask::run`] or keeps a [`Loaded`] value, and polls for the answer; the reader wakes the
//! window when an answer is ready. The read runs with a read-only [`Db`] view.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Weak};

use crate::store::{Db, Store, StoreError};

type Job = Box<dyn FnOnce(&Store) + Send>;

/// Where reads run.
pub struct Reader {
    thread: Option<Sender<Job>>,
}

impl Reader {
    /// Reads on a thread with its own connection to the database at `path`; `wake` is
    /// called after each answer (the window repaints).
    pub fn on_thread(path: PathBuf, wake: impl Fn() + Send + 'static) -> Reader {
        let (tx, rx) = channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("partner-desk-reader".into())
            .spawn(move || {
                // A database that cannot be opened answers nothing: every receiver sees
                // its sender gone, and the page says the read failed.
                // The window's own connection checked the file for damage.
                let Ok(store) = Store::open_unchecked(&path) else {
                    return;
                };
                for job in rx {
                    job(&store);
                    wake();
                }
            });
        Reader {
            thread: spawned.ok().map(|_| tx),
        }
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
        let job = move |store: &Store| {
            if Weak::strong_count(&awaited) > 0 {
                let _ = tx.send(read(store));
            }
        };
        match &self.thread {
            Some(thread) => {
                // If the thread is gone the job is dropped with its sender: the receiver
                // sees that and the page says the read failed.
                let _ = thread.send(Box::new(job));
            }
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
    /// answer if it has come. Returns the error of a read that failed.
    pub fn load(
        &mut self,
        ask: Ask<'_>,
        key: &K,
        read: impl FnOnce(&Db<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Option<StoreError> {
        let here = self.value.as_ref().is_some_and(|(k, _)| k == key);
        let asked = self.pending.as_ref().is_some_and(|(k, _)| k == key);
        if !here && !asked && self.failed.as_ref() != Some(key) {
            let answer = ask.run(read);
            self.pending = Some((key.clone(), answer));
        }
        let (k, answer) = self.pending.as_ref()?;
        match answer.try_recv() {
            Ok(Ok(value)) => {
                self.value = Some((k.clone(), value));
                self.pending = None;
                None
            }
            Ok(Err(e)) => {
                self.failed = Some(k.clone());
                self.pending = None;
                Some(e)
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.failed = Some(k.clone());
                self.pending = None;
                None
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
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
}
