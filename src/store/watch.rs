//! How an open window learns that someone else changed the data, and that a team server
//! went away and came back. Nothing here reads the data itself: the window is told, and
//! reads again as it does after its own writes.
//!
//! - A file: SQLite's `PRAGMA data_version` on the window's own connection changes when any
//!   other connection commits (another window, the command line, a worker of this window),
//!   never for the connection's own writes. The window looks at it a few times a second.
//! - A server: every write announces its commit on [`CHANGES_CHANNEL`]; a thread with a
//!   connection of its own listens, and wakes the window. What the window's own connection
//!   announced is not passed on. The same thread notices the server gone (its connection
//!   closed, or no answer to a ping) and tries again with growing pauses (1, 2, 4 s), and
//!   says when it is back. A listener whose thread ends (a panic, or no thread to spare) is
//!   heard as [`Heard::Stopped`], once.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::postgres::{self, CHANGES_CHANNEL};
use super::{Engine, Store, StoreError};

/// How often a window looks at a file's data version.
pub const FILE_LOOK_EVERY: Duration = Duration::from_millis(250);

/// The longest pause between two tries to reach a server that went away.
const LONGEST_PAUSE: Duration = Duration::from_secs(4);

/// How long the listener waits for an announcement before it asks the server whether it is
/// still there.
const PING_EVERY: Duration = Duration::from_secs(2);

/// What was heard.
#[derive(Debug)]
pub enum Heard {
    /// Someone else committed a change: read again.
    Changed,
    /// The server cannot be reached (why, as the store says it).
    Lost(StoreError),
    /// The server answers again: open the database anew and read again.
    Back,
    /// The listener stopped (a fault of the program): nothing more will be heard from it.
    /// Said once; the window opens the database anew, which starts another.
    Stopped,
}

/// The watch over one open database; dropping it stops its thread.
pub struct Watch {
    inner: Inner,
}

enum Inner {
    /// A database in memory has no one else.
    Alone,
    File {
        seen: Cell<Option<i64>>,
        next_look: Cell<Instant>,
    },
    Server {
        heard: Receiver<Heard>,
        stop: Arc<AtomicBool>,
        /// The listener's stop has been said.
        stopped: Cell<bool>,
    },
}

impl Store {
    /// Starts watching this database for others' changes; `wake` is called from the
    /// server's listener when something is heard (the window repaints).
    pub fn watch(&self, wake: impl Fn() + Send + 'static) -> Watch {
        let inner = match &self.engine {
            Engine::File(f) if f.path().is_none() => Inner::Alone,
            Engine::File(f) => Inner::File {
                seen: Cell::new(f.data_version().ok()),
                next_look: Cell::new(Instant::now() + FILE_LOOK_EVERY),
            },
            Engine::Server(s) => {
                let (tell, heard) = channel();
                let stop = Arc::new(AtomicBool::new(false));
                let listener = Listener {
                    url: s.url.clone(),
                    own: s.backend_pid,
                    tell,
                    stop: stop.clone(),
                    wake: Box::new(wake),
                };
                let spawned = std::thread::Builder::new()
                    .name("partner-desk-listener".into())
                    .spawn(move || listener.run());
                if let Err(e) = spawned {
                    tracing::warn!("no thread to listen for colleagues' changes: {e}");
                }
                Inner::Server {
                    heard,
                    stop,
                    stopped: Cell::new(false),
                }
            }
        };
        Watch { inner }
    }
}

impl Watch {
    /// What was heard since the last call. A file's data version is read here, on the
    /// window's connection, at most every [`FILE_LOOK_EVERY`].
    pub fn heard(&self, store: &Store) -> Vec<Heard> {
        match &self.inner {
            Inner::Alone => vec![],
            Inner::File { seen, next_look } => {
                if Instant::now() < next_look.get() {
                    return vec![];
                }
                next_look.set(Instant::now() + FILE_LOOK_EVERY);
                let now = store.as_file().and_then(|f| f.data_version().ok());
                if now.is_some() && now != seen.get() {
                    seen.set(now);
                    vec![Heard::Changed]
                } else {
                    vec![]
                }
            }
            Inner::Server { heard, stopped, .. } => {
                let mut said = Vec::new();
                loop {
                    match heard.try_recv() {
                        Ok(h) => said.push(h),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => {
                            if !stopped.replace(true) {
                                said.push(Heard::Stopped);
                            }
                            break;
                        }
                    }
                }
                said
            }
        }
    }

    /// The data is being read again for another reason (the window's own worker wrote):
    /// what the file's version says now is already seen.
    pub fn seen(&self, store: &Store) {
        if let Inner::File { seen, .. } = &self.inner
            && let Some(now) = store.as_file().and_then(|f| f.data_version().ok())
        {
            seen.set(Some(now));
        }
    }

    /// When the window must look again by itself, if it must (a file is looked at; a server
    /// wakes the window when it has something to say).
    pub fn look_again(&self) -> Option<Duration> {
        match &self.inner {
            Inner::File { next_look, .. } => {
                Some(next_look.get().saturating_duration_since(Instant::now()))
            }
            Inner::Alone | Inner::Server { .. } => None,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Inner::Server { stop, .. } = &self.inner {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

/// The server's listener, on a thread of its own.
struct Listener {
    url: String,
    /// The server process of the window's own connection.
    own: i32,
    tell: Sender<Heard>,
    stop: Arc<AtomicBool>,
    wake: Box<dyn Fn() + Send>,
}

impl Listener {
    fn run(self) {
        let mut lost = false;
        let mut pause = Duration::from_secs(1);
        while !self.stopped() {
            let connected = postgres::Server::connect(&self.url).and_then(|mut server| {
                server.listen(CHANGES_CHANNEL)?;
                Ok(server)
            });
            match connected {
                Ok(mut server) => {
                    if lost && !self.say(Heard::Back) {
                        return;
                    }
                    pause = Duration::from_secs(1);
                    // Listens until the connection fails, then tries again at once.
                    let Some(gone) = self.listen(&mut server) else {
                        return;
                    };
                    lost = true;
                    if !self.say(Heard::Lost(gone)) {
                        return;
                    }
                }
                Err(e) => {
                    if !lost {
                        lost = true;
                        if !self.say(Heard::Lost(e)) {
                            return;
                        }
                    }
                    self.sleep(pause);
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
            }
        }
    }

    /// Passes announcements on until the connection fails (its error) or the watch is
    /// dropped (None).
    fn listen(&self, server: &mut postgres::Server) -> Option<StoreError> {
        let mut last_answer = Instant::now();
        loop {
            if self.stopped() {
                return None;
            }
            match server.next_announcement(Duration::from_millis(250)) {
                Ok(Some(pid)) => {
                    last_answer = Instant::now();
                    if pid != self.own && !self.say(Heard::Changed) {
                        return None;
                    }
                }
                Ok(None) => {
                    if last_answer.elapsed() >= PING_EVERY {
                        if let Err(e) = server.ping() {
                            return Some(e);
                        }
                        last_answer = Instant::now();
                    }
                }
                Err(e) => return Some(e),
            }
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Tells the window; false when the window is gone.
    fn say(&self, heard: Heard) -> bool {
        let told = self.tell.send(heard).is_ok();
        (self.wake)();
        told
    }

    fn sleep(&self, pause: Duration) {
        let until = Instant::now() + pause;
        while Instant::now() < until && !self.stopped() {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
