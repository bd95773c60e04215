//! The rows highlighted in a table, and the keys that move the highlight: which table
//! has them, and what they do.

use egui::Ui;

/// The rows highlighted in a table, kept while the list shows the same view.
#[derive(Clone, Default)]
pub(super) struct Selection {
    view: u64,
    pub(super) rows: std::collections::BTreeSet<usize>,
    anchor: Option<usize>,
    pub(super) cursor: Option<usize>,
    /// Scroll to the cursor on the next frame (moved by keys).
    pub(super) scroll: bool,
    /// The records highlighted (the cursor's and the anchor's first), and the data they
    /// were read at: the rows they are at after the list is read again.
    records: Option<Remembered>,
}

/// The records a highlight was on, at the data they were read at.
#[derive(Clone, Default)]
struct Remembered {
    data: u64,
    rows: Vec<i64>,
    cursor: Option<i64>,
    anchor: Option<i64>,
}

impl Selection {
    pub(super) fn only(&mut self, row: usize) {
        self.rows.clear();
        self.rows.insert(row);
        self.anchor = Some(row);
        self.cursor = Some(row);
    }

    pub(super) fn extend_to(&mut self, row: usize) {
        let anchor = self.anchor.unwrap_or(row);
        self.rows = (anchor.min(row)..=anchor.max(row)).collect();
        self.cursor = Some(row);
    }

    pub(super) fn toggle(&mut self, row: usize) {
        if !self.rows.remove(&row) {
            self.rows.insert(row);
        }
        self.anchor = Some(row);
        self.cursor = Some(row);
    }
}

/// Which table the keys go to: the one last clicked or pointed at; when that one is not
/// on screen any more, the first table drawn.
pub(super) struct Focus {
    table: egui::Id,
    frame: u64,
    ours: bool,
}

impl Focus {
    fn id() -> egui::Id {
        egui::Id::unique("partner-desk-active-table")
    }

    /// Whether table `table` has the keys this frame; it takes them when the table that had
    /// them was not drawn last frame.
    pub(super) fn of(ctx: &egui::Context, table: egui::Id) -> Focus {
        let frame = ctx.cumulative_frame_nr();
        let (active, seen): (egui::Id, u64) =
            ctx.data_mut(|d| d.get_temp(Focus::id()).unwrap_or((egui::Id::NULL, 0)));
        let focus = Focus {
            table,
            frame,
            ours: active == table || seen + 1 < frame,
        };
        if focus.ours {
            focus.take(ctx);
        }
        focus
    }

    /// Whether the keys move this table's highlight: it has them, it has rows, and no text
    /// field, popup or modal window wants them.
    pub(super) fn takes_keys(&self, ctx: &egui::Context, rows: usize) -> bool {
        rows > 0
            && self.ours
            && !ctx.text_edit_focused()
            && !egui::Popup::is_any_open(ctx)
            && ctx.memory(|m| m.top_modal_layer().is_none())
    }

    /// The keys go to this table from now on.
    pub(super) fn take(&self, ctx: &egui::Context) {
        ctx.data_mut(|d| d.insert_temp(Focus::id(), (self.table, self.frame)));
    }
}

/// The keys a table follows, pressed this frame (taken from the input, so that nothing
/// else acts on them too).
pub(super) struct Keys {
    up: bool,
    down: bool,
    home: bool,
    end: bool,
    page_up: bool,
    page_down: bool,
    enter: bool,
    all: bool,
    pub(super) copy: bool,
    shift: bool,
}

impl Keys {
    pub(super) fn read(ui: &mut Ui) -> Keys {
        use egui::{Key, Modifiers};
        ui.input_mut(|i| {
            let mut pressed =
                |key| i.consume_key(Modifiers::NONE, key) || i.consume_key(Modifiers::SHIFT, key);
            Keys {
                up: pressed(Key::ArrowUp),
                down: pressed(Key::ArrowDown),
                home: pressed(Key::Home),
                end: pressed(Key::End),
                page_up: pressed(Key::PageUp),
                page_down: pressed(Key::PageDown),
                enter: i.key_pressed(Key::Enter),
                all: i.consume_key(Modifiers::COMMAND, Key::A),
                copy: i.consume_key(Modifiers::COMMAND, Key::C)
                    || i.events.iter().any(|e| matches!(e, egui::Event::Copy)),
                shift: i.modifiers.shift,
            }
        })
    }
}

impl Selection {
    /// Table `state_id`'s highlight, forgotten when the view changed; moved to the rows its
    /// records are at when the list was read again.
    pub(super) fn load(
        ctx: &egui::Context,
        state_id: egui::Id,
        view: u64,
        records: Option<super::Records<'_>>,
    ) -> Selection {
        let mut sel: Selection = ctx.data_mut(|d| d.get_temp(state_id).unwrap_or_default());
        if sel.view != view {
            sel = Selection {
                view,
                ..Selection::default()
            };
        }
        if let (Some(now), Some(was)) = (records, &sel.records)
            && now.data != was.data
        {
            sel.rows = was.rows.iter().filter_map(|&id| (now.row_of)(id)).collect();
            sel.cursor = was.cursor.and_then(|id| (now.row_of)(id));
            sel.anchor = was.anchor.and_then(|id| (now.row_of)(id));
            sel.records = None;
        }
        sel
    }

    /// Notes which records the highlighted rows are, while every one of them is known.
    pub(super) fn remember(&mut self, records: super::Records<'_>) {
        let rows: Option<Vec<i64>> = self.rows.iter().map(|&r| (records.id_of)(r)).collect();
        if let Some(rows) = rows {
            self.records = Some(Remembered {
                data: records.data,
                rows,
                cursor: self.cursor.and_then(|r| (records.id_of)(r)),
                anchor: self.anchor.and_then(|r| (records.id_of)(r)),
            });
        }
    }

    /// Moves the highlight as the keys say, in a list of `rows` (not empty) of which `page`
    /// are on screen; the row Enter opens.
    pub(super) fn follow(&mut self, keys: &Keys, rows: usize, page: usize) -> Option<usize> {
        let last = rows - 1;
        let at = self.cursor.unwrap_or(0);
        let target = if keys.up {
            Some(at.saturating_sub(1))
        } else if keys.down {
            Some(if self.cursor.is_none() {
                0
            } else {
                (at + 1).min(last)
            })
        } else if keys.home {
            Some(0)
        } else if keys.end {
            Some(last)
        } else if keys.page_up {
            Some(at.saturating_sub(page))
        } else if keys.page_down {
            Some((at + page).min(last))
        } else {
            None
        };
        if let Some(row) = target {
            if keys.shift {
                self.extend_to(row);
            } else {
                self.only(row);
            }
            self.scroll = true;
        }
        if keys.all {
            self.rows = (0..rows).collect();
        }
        if keys.enter { self.cursor } else { None }
    }
}
