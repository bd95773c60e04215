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

impl App {
    /// Starts the watch over the database just opened, and learns what the login may do.
    pub(super) fn start_watch(&mut self) {
        let Some(store) = &self.store else { return };
        self.rights = store.rights().unwrap_or_else(|e| {
            tracing::warn!("the login's rights could not be read: {}", e.text(Lang::En));
            Rights::ALL
        });
        let ctx = self.egui_ctx.clone();
        self.live.watch = Some(store.watch(move || ctx.request_repaint()));
    }

    /// The reader for the database just opened: on a thread of its own, or inline in tests.
    pub(super) fn start_reader(&mut self) {
        self.reader = if self.background_reads {
            let ctx = self.egui_ctx.clone();
            crate::reader::Reader::on_thread(self.db_path.clone(), move || ctx.request_repaint())
        } else {
            crate::reader::Reader::inline()
        };
    }

    /// Acts on what the watch heard: reads again after others' changes, says when the server
    /// is gone, and opens the database anew when it is back.
    pub(super) fn take_heard(&mut self, ctx: &egui::Context) {
        self.take_reopened();
        if let (Some(store), Some(watch)) = (&self.store, &self.live.watch) {
            let heard = watch.heard(store);
            if let Some(after) = watch.look_again() {
                ctx.request_repaint_after(after);
            }
            let mut changed = false;
            for h in heard {
                match h {
                    Heard::Changed => changed = true,
                    Heard::Lost(e) => {
                        tracing::warn!("{}", e.text(Lang::En));
                        self.live.lost = Some(e.text(self.lang));
                    }
                    Heard::Back => self.live.reopen_at = Some(Instant::now()),
                }
            }
            if changed && self.live.lost.is_none() {
                self.reload();
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
        if self.store.as_ref().is_some_and(|s| s.server().is_some())
            && self.live.reopening.is_none()
        {
            self.live.reopen_at = Some(Instant::now());
        }
    }

    fn start_reopen(&mut self) {
        self.live.reopen_at = None;
        if self.live.reopening.is_some() {
            return;
        }
        let (tell, answer) = channel();
        let path = self.db_path.clone();
        let ctx = self.egui_ctx.clone();
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

    /// Puts the database opened anew in place of the old one, keeping the pages as they are,
    /// and reads again; a failed try is tried again shortly.
    fn take_reopened(&mut self) {
        let Some(answer) = &self.live.reopening else {
            return;
        };
        let result = match answer.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(StoreError::ServerGone {
                server: self.db_path.display().to_string(),
            }),
        };
        self.live.reopening = None;
        match result {
            Ok(store) => {
                self.store = Some(store);
                self.start_reader();
                self.start_watch();
                self.load_failed = None;
                if self.live.lost.take().is_some() {
                    self.report(Ok(self
                        .lang
                        .pick(
                            "Связь с общей базой восстановлена",
                            "The team database answers again",
                        )
                        .to_owned()));
                }
                self.reload();
            }
            Err(e) => {
                self.live.lost = Some(e.text(self.lang));
                self.live.reopen_at = Some(Instant::now() + TRY_AGAIN);
            }
        }
    }

    /// The banner over the page while the server cannot be reached.
    pub(super) fn lost_banner_ui(&self, ui: &mut egui::Ui) {
        let Some(why) = &self.live.lost else { return };
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
