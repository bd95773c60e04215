//! What others change while the window is open, and a team server that goes away. The
//! window reads again when a colleague (or another program on the same file) commits; when
//! the server cannot be reached it keeps showing what it has, says so in a banner and refuses
//! writes with a sentence (nothing is queued); when the server answers again it opens the
//! database anew by itself, on a worker, and reads again.

use super::*;
use crate::store::watch::{Heard, Watch};

/// The pause before another try to open the database anew, after one failed.
const TRY_AGAIN: Duration = Duration::from_secs(2);

#[derive(Default)]
pub(super) struct Live {
    /// The watch over the open database.
    pub(super) watch: Option<Watch>,
    /// Why the team server cannot be reached, while it cannot.
    pub(super) lost: Option<String>,
    /// When to open the database anew: the server answers again, or a write found the
    /// window's connection closed.
    reopen_at: Option<Instant>,
    /// The database being opened anew, on a worker.
    reopening: Option<Receiver<Result<Store, StoreError>>>,
}

impl Session {
    /// Starts the watch over the database, and learns what the login may do. A listener
    /// made to fail by a test panics the next time it has something to say.
    pub(super) fn start_watch(&mut self) {
        self.rights = self.store.rights().unwrap_or_else(|e| {
            tracing::warn!("the login's rights could not be read: {}", e.text(Lang::En));
            Rights::ALL
        });
        let (ctx, dies) = (
            self.workers.ctx.clone(),
            self.workers.faults.listener_dies.clone(),
        );
        self.live.watch = Some(self.store.watch(move || {
            if dies.swap(false, Ordering::SeqCst) {
                panic!("a change listener made to fail by a test");
            }
            ctx.request_repaint()
        }));
    }

    /// The reader for the database: on a thread of its own, or inline in tests.
    pub(super) fn start_reader(&mut self) {
        self.reader = if self.workers.background {
            let ctx = self.workers.ctx.clone();
            crate::reader::Reader::on_thread(self.path.clone(), move || ctx.request_repaint())
                .panicking_when(self.workers.faults.read_panics.clone())
        } else {
            crate::reader::Reader::inline()
        };
    }

    /// Acts on what the watch heard: reads again after others' changes, says when the server
    /// is gone, and opens the database anew when it is back. A listener that stopped is
    /// taken as a server gone: the database is opened anew shortly, with a new listener.
    pub(super) fn take_heard(&mut self, ctx: &egui::Context, today: NaiveDate, lang: Lang) {
        self.take_reopened(today, lang);
        if let Some(watch) = &self.live.watch {
            let heard = watch.heard(&self.store);
            if let Some(after) = watch.look_again() {
                ctx.request_repaint_after(after);
            }
            let mut changed = false;
            for h in heard {
                match h {
                    Heard::Changed => changed = true,
                    Heard::Lost(e) => {
                        tracing::warn!("{}", e.text(Lang::En));
                        self.live.lost = Some(e.text(lang));
                    }
                    Heard::Back => self.live.reopen_at = Some(Instant::now()),
                    Heard::Stopped => {
                        tracing::error!("the change listener stopped; the database is opened anew");
                        let gone = StoreError::ServerGone {
                            server: self.store.shown(),
                        };
                        self.live.lost = Some(gone.text(lang));
                        self.live.reopen_at = Some(Instant::now() + TRY_AGAIN);
                    }
                }
            }
            if changed && self.live.lost.is_none() {
                self.reload(today);
            }
        }
        if let Some(at) = self.live.reopen_at {
            if Instant::now() >= at {
                self.start_reopen();
            } else {
                ctx.request_repaint_after(at - Instant::now());
            }
        }
    }

    /// A write found the window's connection to the server closed: the database is opened
    /// anew at once (the write itself is not repeated; the user was told).
    pub(super) fn connection_closed(&mut self) {
        if self.store.server().is_some() && self.live.reopening.is_none() {
            self.live.reopen_at = Some(Instant::now());
        }
    }

    fn start_reopen(&mut self) {
        self.live.reopen_at = None;
        if self.live.reopening.is_some() {
            return;
        }
        let (tell, answer) = channel();
        let path = self.path.clone();
        let ctx = self.workers.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("partner-desk-reconnect".into())
            .spawn(move || {
                let _ = tell.send(Store::open_unchecked(&path));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.live.reopening = Some(answer),
            Err(_) => self.live.reopen_at = Some(Instant::now() + TRY_AGAIN),
        }
    }

    /// Puts the database opened anew in place of the old connection, keeping the pages as
    /// they are, and reads again; a failed try is tried again shortly.
    fn take_reopened(&mut self, today: NaiveDate, lang: Lang) {
        let Some(answer) = &self.live.reopening else {
            return;
        };
        let result = match answer.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(StoreError::ServerGone {
                server: self.path.display().to_string(),
            }),
        };
        self.live.reopening = None;
        match result {
            Ok(store) => {
                self.store = store;
                self.start_reader();
                self.start_watch();
                self.load_failed = None;
                if self.live.lost.take().is_some() {
                    self.say(Ok(Said::both(|lang| {
                        lang.pick(
                            "Связь с общей базой восстановлена",
                            "The team database answers again",
                        )
                        .to_owned()
                    })));
                }
                self.reload(today);
            }
            Err(e) => {
                self.live.lost = Some(e.text(lang));
                self.live.reopen_at = Some(Instant::now() + TRY_AGAIN);
            }
        }
    }
}

impl App {
    /// The banner over the page while the server cannot be reached.
    pub(super) fn lost_banner_ui(&self, ui: &mut egui::Ui) {
        let Some(why) = self.session.as_ref().and_then(|s| s.live.lost.as_ref()) else {
            return;
        };
        let lang = self.lang;
        egui::Frame::new()
            .fill(ui.visuals().extreme_bg_color)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.add(egui::Spinner::new().size(12.0));
                    ui.label(
                        RichText::new(lang.pick(
                            "Нет связи с общей базой. Показаны последние прочитанные данные; записи не выполняются. Окно подключится само, как только сервер ответит.",
                            "No connection to the team database. The data last read is shown; nothing can be written. The window reconnects by itself as soon as the server answers.",
                        ))
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text(why);
                });
            });
    }
}
