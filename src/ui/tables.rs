//! The table every list uses: virtual rows, sortable and resizable columns the user can
//! hide, highlighted rows moved by keys, Ctrl+C, and the list taken out to Excel or PDF.

use super::*;
use crate::domain::lang::Said;
use crate::export::list::{List, Value, tab_separated};
use crate::export::{self, ListFormat};

mod highlight;
use highlight::{Focus, Keys, Selection};

/// The rows a list shows, as indices into the data snapshot, kept until the data or the
/// view (search, filters, order) changes: filtering and sorting a whole list is not work to
/// redo every frame.
pub struct RowView<K> {
    key: Option<K>,
    rows: Vec<usize>,
}

impl<K> Default for RowView<K> {
    fn default() -> RowView<K> {
        RowView {
            key: None,
            rows: Vec::new(),
        }
    }
}

impl<K: PartialEq> RowView<K> {
    /// The rows for `key`, computed by `compute` only when the key changed.
    pub fn rows(&mut self, key: K, compute: impl FnOnce() -> Vec<usize>) -> &[usize] {
        if self.key.as_ref() != Some(&key) {
            self.rows = compute();
            self.key = Some(key);
        }
        &self.rows
    }
}

/// A column of a [`Table`].
pub struct Col<S> {
    pub title: &'static str,
    /// Width in points at first (the user resizes it; the table remembers); 0 fills what
    /// is left.
    pub width: f32,
    /// Right-aligned (numbers, money).
    pub right: bool,
    /// Clicking the header sorts by this.
    pub sort: Option<S>,
}

impl<S> Col<S> {
    pub fn new(title: &'static str, width: f32) -> Col<S> {
        Col {
            title,
            width,
            right: false,
            sort: None,
        }
    }

    pub fn right(self) -> Col<S> {
        Col {
            right: true,
            ..self
        }
    }

    pub fn sort(self, key: S) -> Col<S> {
        Col {
            sort: Some(key),
            ..self
        }
    }
}

/// What a table's cell shows: a value (drawn, copied and exported the same), with a
/// tooltip and a warning colour where the page wants them.
pub struct Cell {
    pub value: Value,
    pub tip: Option<String>,
    pub warn: bool,
    /// The row is still being read: drawn as «…», not copied.
    pub pending: bool,
}

impl Cell {
    pub fn tip(self, tip: impl Into<String>) -> Cell {
        Cell {
            tip: Some(tip.into()),
            ..self
        }
    }

    pub fn warn(self) -> Cell {
        Cell { warn: true, ..self }
    }

    pub fn pending() -> Cell {
        Cell {
            pending: true,
            ..Cell::from(Value::text("…"))
        }
    }
}

impl From<Value> for Cell {
    fn from(value: Value) -> Cell {
        Cell {
            value,
            tip: None,
            warn: false,
            pending: false,
        }
    }
}

/// What the user did with a table this frame.
#[derive(Default)]
pub struct TableOut {
    /// The row opened (clicked, or Enter on the highlighted row).
    pub opened: Option<usize>,
    /// The user asked to take the list out of the program.
    pub export: Option<ListFormat>,
}

/// At most this many rows are copied at once; more go to Excel.
pub const COPY_ROWS: usize = 10_000;

const ROW_H: f32 = 22.0;

fn notice_id() -> egui::Id {
    egui::Id::unique("partner-desk-table-notice")
}

/// What a table has to say (rows copied, or why not), once; the window shows it.
pub fn take_notice(ctx: &egui::Context) -> Option<Said> {
    ctx.data_mut(|d| d.remove_temp::<Said>(notice_id()))
}

fn hidden_id(id: &str) -> egui::Id {
    egui::Id::unique(("partner-desk-hidden-columns", id))
}

/// The columns of table `id` the user has not hidden, as indices into `cols`.
pub fn shown_columns<S>(ctx: &egui::Context, id: &str, cols: &[Col<S>]) -> Vec<usize> {
    let hidden: Vec<usize> = ctx.data_mut(|d| d.get_persisted(hidden_id(id)).unwrap_or_default());
    let shown: Vec<usize> = (0..cols.len()).filter(|i| !hidden.contains(i)).collect();
    if shown.is_empty() {
        (0..cols.len()).collect()
    } else {
        shown
    }
}

/// The list table `id` shows, to export: every row of the view (not only those on
/// screen), in its order, with the columns shown.
pub fn shown_list<S>(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    cols: &[Col<S>],
    rows: usize,
    mut cell: impl FnMut(usize, usize) -> Cell,
    today: NaiveDate,
) -> List {
    let shown = shown_columns(ctx, id, cols);
    List {
        title: title.to_owned(),
        made_on: today,
        filter: String::new(),
        totals: String::new(),
        columns: shown
            .iter()
            .map(|&c| export::list::Column {
                title: cols[c].title.to_owned(),
                width: if cols[c].width > 0.0 {
                    f64::from(cols[c].width / 7.0)
                } else {
                    36.0
                },
            })
            .collect(),
        rows: (0..rows)
            .map(|r| shown.iter().map(|&c| cell(r, c).value).collect())
            .collect(),
    }
}

/// A menu of what can be done with a list: export it to Excel or print it.
pub fn list_menu_items(ui: &mut Ui, lang: Lang) -> Option<ListFormat> {
    let mut format = None;
    if ui
        .button(lang.pick("Экспорт в Excel…", "Export to Excel…"))
        .on_hover_text(lang.pick(
            "Строки списка как он отфильтрован и отсортирован, с показанными столбцами: даты, суммы и ставки — числами",
            "The list's rows as filtered and sorted, with the columns shown: dates, amounts and rates as numbers",
        ))
        .clicked()
    {
        format = Some(ListFormat::Xlsx);
    }
    if ui
        .button(lang.pick("Печать / PDF…", "Print / PDF…"))
        .on_hover_text(lang.pick(
            "Список в PDF, чтобы напечатать или отправить",
            "The list as a PDF, to print or send",
        ))
        .clicked()
    {
        format = Some(ListFormat::Pdf);
    }
    format
}

/// A toolbar button «Список ▾» with [`list_menu_items`].
pub fn list_menu(ui: &mut Ui, lang: Lang) -> Option<ListFormat> {
    let mut format = None;
    ui.menu_button(lang.pick("Список ▾", "List ▾"), |ui| {
        format = list_menu_items(ui, lang);
    });
    format
}

/// A table with virtual rows (only the visible ones are drawn) that keeps every column
/// (it scrolls sideways when narrow): columns resized by dragging (double-click fits),
/// hidden from the header's menu, both remembered; sortable headers; rows highlighted by
/// click, Ctrl+click, Shift+click, the arrow keys, Home, End, PgUp, PgDn and Ctrl+A;
/// Enter or a click opens a row; Ctrl+C copies the highlighted rows as tab-separated text.
///
/// Made by [`Table::new`] with what it lists, told the rest by name, and drawn by
/// [`Table::show`] with the function that gives a row's value in a column:
///
/// ```ignore
/// let out = ui::Table::new(TABLE, &cols, rows.len(), lang)
///     .view((data.version, &search))
///     .sort(&mut page.sort, &mut page.descending)
///     .opened(|i| selected == Some(rows[i].id))
///     .show(ui, cell);
/// ```
#[must_use = "a table is drawn by `show`"]
pub struct Table<'a, S, O = fn(usize) -> bool> {
    /// The name the table's columns and highlight are remembered under.
    id: &'a str,
    cols: &'a [Col<S>],
    rows: usize,
    /// What the list shows, hashed: the highlight is forgotten when it changes.
    view: u64,
    /// The order the sortable headers change, and whether it is descending.
    sort: Option<(&'a mut S, &'a mut bool)>,
    /// Whether a row (by index) is the one open beside the table, drawn highlighted.
    opened: O,
    /// The records the rows are, by which the highlight follows them when the list is read
    /// again: see [`Table::records`].
    records: Option<Records<'a>>,
    lang: Lang,
}

/// The records a table's rows are: which data they were read at, the record (its id) a row
/// (by index) is, and the row a record is now.
#[derive(Clone, Copy)]
pub struct Records<'a> {
    pub data: u64,
    pub id_of: &'a dyn Fn(usize) -> Option<i64>,
    pub row_of: &'a dyn Fn(i64) -> Option<usize>,
}

impl<'a, S: PartialEq + Copy> Table<'a, S> {
    /// Table `id` of `rows` rows in columns `cols`, with no order to change and no row
    /// open.
    pub fn new(id: &'a str, cols: &'a [Col<S>], rows: usize, lang: Lang) -> Table<'a, S> {
        Table {
            id,
            cols,
            rows,
            view: 0,
            sort: None,
            opened: |_| false,
            records: None,
            lang,
        }
    }
}

impl<'a, S: PartialEq + Copy, O: Fn(usize) -> bool> Table<'a, S, O> {
    /// What the list shows (its data's version, search, filters, order): the highlight is
    /// forgotten when it changes.
    pub fn view(self, view: impl std::hash::Hash) -> Self {
        use std::hash::Hasher;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        view.hash(&mut hasher);
        Table {
            view: hasher.finish(),
            ..self
        }
    }

    /// The records the rows are: when the list is read again (another `data`), the
    /// highlight moves to the rows its records are now, so that it stays with them.
    pub fn records(self, records: Records<'a>) -> Self {
        Table {
            records: Some(records),
            ..self
        }
    }

    /// The order that clicking a sortable header changes.
    pub fn sort(self, by: &'a mut S, descending: &'a mut bool) -> Self {
        Table {
            sort: Some((by, descending)),
            ..self
        }
    }

    /// Which row (by index) is open beside the table.
    pub fn opened<P: Fn(usize) -> bool>(self, opened: P) -> Table<'a, S, P> {
        Table {
            id: self.id,
            cols: self.cols,
            rows: self.rows,
            view: self.view,
            sort: self.sort,
            opened,
            records: self.records,
            lang: self.lang,
        }
    }

    /// Draws the table; `cell` gives a row's (by index) value in a column (by its index in
    /// the columns).
    pub fn show(mut self, ui: &mut Ui, mut cell: impl FnMut(usize, usize) -> Cell) -> TableOut {
        let ctx = ui.ctx().clone();
        let state_id = egui::Id::unique(("partner-desk-table", self.id));
        let mut sel = Selection::load(&ctx, state_id, self.view, self.records);
        sel.rows.retain(|&r| r < self.rows);
        let shown = shown_columns(&ctx, self.id, self.cols);
        let mut out = TableOut::default();
        let focus = Focus::of(&ctx, state_id);
        let mut copy = false;
        if focus.takes_keys(&ctx, self.rows) {
            let page = ((ui.available_height() - 30.0) / ROW_H).max(1.0) as usize;
            let keys = Keys::read(ui);
            out.opened = sel.follow(&keys, self.rows, page);
            copy = keys.copy;
        }
        // Rows are clicked to select them; labels must not take the click for text selection.
        ui.style_mut().interaction.selectable_labels = false;
        let asked = self.draw(ui, &shown, &mut sel, &mut cell);
        if let Some((index, modifiers)) = asked.clicked {
            if modifiers.command {
                sel.toggle(index);
            } else if modifiers.shift {
                sel.extend_to(index);
            } else {
                sel.only(index);
                out.opened = Some(index);
            }
        }
        if asked.clicked.is_some() || asked.hovered {
            focus.take(&ctx);
        }
        if asked.all {
            sel.rows = (0..self.rows).collect();
        }
        if copy || asked.copy {
            let notice = copy_rows(&ctx, &sel, &shown, &mut cell, self.lang);
            ctx.data_mut(|d| d.insert_temp(notice_id(), notice));
            ctx.request_repaint();
        }
        if let Some((column, hidden)) = asked.hide {
            hide_column(&ctx, self.id, self.cols.len(), column, hidden);
        }
        out.export = asked.export;
        if let Some(records) = self.records {
            sel.remember(records);
        }
        ctx.data_mut(|d| d.insert_temp(state_id, sel));
        out
    }

    /// The table itself in its sideways scroll: what the user did with the mouse.
    fn draw(
        &mut self,
        ui: &mut Ui,
        shown: &[usize],
        sel: &mut Selection,
        cell: &mut impl FnMut(usize, usize) -> Cell,
    ) -> Asked {
        let scroll_to = sel.scroll.then_some(sel.cursor).flatten();
        sel.scroll = false;
        egui::ScrollArea::horizontal()
            .id_salt((self.id, "sideways"))
            .show(ui, |ui| {
                let mut asked = Asked::default();
                self.builder(ui, shown, scroll_to)
                    .header(24.0, |mut header| {
                        for &i in shown {
                            let (_, response) = header.col(|ui| self.header_ui(ui, i));
                            response.context_menu(|ui| {
                                asked.hide = asked.hide.or(self.columns_menu(ui, shown));
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(ROW_H, self.rows, |row| {
                            self.row_ui(row, shown, sel, cell, &mut asked);
                        });
                    });
                asked
            })
            .inner
    }

    /// The table's columns, as wide as the user left them: widths are kept apart for the
    /// table alone and the table beside a side panel, each layout starting with its
    /// filling column fitted to the room there is.
    fn builder<'u>(
        &self,
        ui: &'u mut Ui,
        shown: &[usize],
        scroll_to: Option<usize>,
    ) -> egui_extras::TableBuilder<'u> {
        let cols = self.cols;
        let natural: f32 = shown
            .iter()
            .map(|&i| {
                if cols[i].width > 0.0 {
                    cols[i].width
                } else {
                    240.0
                }
            })
            .sum();
        let narrow = ui.available_width() < natural;
        let mut builder = egui_extras::TableBuilder::new(ui)
            .id_salt((self.id, narrow))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::CLICK)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        if let Some(row) = scroll_to {
            builder = builder.scroll_to_row(row, None);
        }
        for &i in shown {
            builder = builder.column(if cols[i].width > 0.0 {
                egui_extras::Column::initial(cols[i].width)
                    .at_least(30.0)
                    .clip(true)
            } else {
                egui_extras::Column::remainder().at_least(120.0).clip(true)
            });
        }
        builder
    }

    /// Column `i`'s header: its title, a button that sorts when the column sorts.
    fn header_ui(&mut self, ui: &mut Ui, i: usize) {
        let col = &self.cols[i];
        let sort = &mut self.sort;
        let mut draw = |ui: &mut Ui| match (col.sort, sort.as_mut()) {
            (Some(key), Some((current, descending))) => {
                _ = sort_header(ui, col.title, key, current, descending);
            }
            _ => _ = ui.add(egui::Label::new(RichText::new(col.title).strong()).truncate()),
        };
        if col.right {
            ui.with_layout(right_aligned(), draw);
        } else {
            draw(ui);
        }
    }

    /// One row: its cells, its highlight, its click and its menu.
    fn row_ui(
        &self,
        mut row: egui_extras::TableRow<'_, '_>,
        shown: &[usize],
        sel: &mut Selection,
        cell: &mut impl FnMut(usize, usize) -> Cell,
        asked: &mut Asked,
    ) {
        let index = row.index();
        row.set_selected(sel.rows.contains(&index) || (self.opened)(index));
        for &i in shown {
            row.col(|ui| {
                let c = cell(index, i);
                if self.cols[i].right {
                    ui.with_layout(right_aligned(), |ui| cell_ui(ui, &c, self.lang));
                } else {
                    cell_ui(ui, &c, self.lang);
                }
            });
        }
        let response = row.response();
        asked.hovered |= response.hovered();
        if response.clicked() {
            asked.clicked = Some((index, ui_modifiers(&response)));
        }
        if response.secondary_clicked() && !sel.rows.contains(&index) {
            sel.only(index);
        }
        response.context_menu(|ui| self.row_menu(ui, shown, asked));
    }

    /// A row's context menu: copy, select all, take the list out, the columns.
    fn row_menu(&self, ui: &mut Ui, shown: &[usize], asked: &mut Asked) {
        let lang = self.lang;
        let item = |ui: &mut Ui, text: &str, shortcut: &egui::KeyboardShortcut| {
            let shortcut = ui.ctx().format_shortcut(shortcut);
            ui.button(format!("{text} ({shortcut})")).clicked()
        };
        if item(ui, lang.pick("Копировать строки", "Copy rows"), &COPY) {
            asked.copy = true;
        }
        if item(ui, lang.pick("Выделить все", "Select all"), &SELECT_ALL) {
            asked.all = true;
        }
        ui.separator();
        if let Some(format) = list_menu_items(ui, lang) {
            asked.export = Some(format);
        }
        ui.separator();
        asked.hide = asked.hide.or(self.columns_menu(ui, shown));
    }

    /// The «Columns» submenu: a column hidden or shown again, as `(column, hidden)`.
    fn columns_menu(&self, ui: &mut Ui, shown: &[usize]) -> Option<(usize, bool)> {
        let mut hide = None;
        ui.menu_button(self.lang.pick("Столбцы", "Columns"), |ui| {
            for (i, col) in self.cols.iter().enumerate() {
                let mut on = shown.contains(&i);
                if ui.checkbox(&mut on, col.title).changed() {
                    hide = Some((i, !on));
                }
            }
        });
        hide
    }
}

/// What the user did with the mouse in a table this frame.
#[derive(Default)]
struct Asked {
    /// A row clicked, with the modifiers held.
    clicked: Option<(usize, egui::Modifiers)>,
    /// The pointer is over a row.
    hovered: bool,
    /// A column hidden (`true`) or shown again.
    hide: Option<(usize, bool)>,
    /// «Copy rows» from the menu.
    copy: bool,
    /// «Select all» from the menu.
    all: bool,
    export: Option<ListFormat>,
}

fn right_aligned() -> egui::Layout {
    egui::Layout::right_to_left(egui::Align::Center)
}

/// Hides column `column` of table `id` (of `count` columns), or shows it again; the last
/// column shown stays.
fn hide_column(ctx: &egui::Context, id: &str, count: usize, column: usize, hidden: bool) {
    ctx.data_mut(|d| {
        let list: &mut Vec<usize> = d.get_persisted_mut_or_default(hidden_id(id));
        list.retain(|&c| c != column);
        if hidden && list.len() + 1 < count {
            list.push(column);
        }
    });
}

/// Ctrl+C, as the table's menu shows it.
const COPY: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::C);
const SELECT_ALL: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::A);

fn ui_modifiers(response: &Response) -> egui::Modifiers {
    response.ctx.input(|i| i.modifiers)
}

/// Puts the highlighted rows on the clipboard; says what was done.
fn copy_rows(
    ctx: &egui::Context,
    sel: &Selection,
    shown: &[usize],
    cell: &mut impl FnMut(usize, usize) -> Cell,
    lang: Lang,
) -> Said {
    let pick = |ru: &'static str, en: &'static str| Said::both(|lang| lang.pick(ru, en).to_owned());
    if sel.rows.is_empty() {
        return pick(
            "Нечего копировать: выделите строки (щелчок, Shift+щелчок, Ctrl+A).",
            "Nothing to copy: highlight rows (click, Shift+click, Ctrl+A).",
        );
    }
    if sel.rows.len() > COPY_ROWS {
        return Said::both(|lang| {
            format!(
                "{} {}; {}",
                lang.pick("Выделено строк:", "Rows highlighted:"),
                sel.rows.len(),
                lang.pick(
                    "копируется не больше 10 000 — выгрузите список через «Экспорт в Excel…»",
                    "at most 10,000 are copied — export the list with «Export to Excel…»"
                )
            )
        });
    }
    let mut lines: Vec<Vec<Value>> = Vec::with_capacity(sel.rows.len());
    for &row in &sel.rows {
        let cells: Vec<Cell> = shown.iter().map(|&c| cell(row, c)).collect();
        if cells.iter().any(|c| c.pending) {
            return pick(
                "Строки ещё читаются из базы — нажмите Ctrl+C ещё раз через секунду.",
                "The rows are still being read — press Ctrl+C again in a second.",
            );
        }
        lines.push(cells.into_iter().map(|c| c.value).collect());
    }
    ctx.copy_text(tab_separated(lines.iter().map(Vec::as_slice), lang));
    Said::both(|lang| {
        format!(
            "{} {}",
            lang.pick("Скопировано строк:", "Rows copied:"),
            lines.len()
        )
    })
}

/// A cell's text, cut to its column with one tooltip: the whole text when it is cut, and
/// the page's tip. A number, a date or a code (an INN) is never cut, which would show
/// another number: one that does not fit shows «…», the whole value in its tooltip.
fn cell_ui(ui: &mut Ui, cell: &Cell, lang: Lang) {
    let text = cell.value.display(lang);
    let mut rich = RichText::new(&text);
    if matches!(cell.value, Value::Code(_)) {
        rich = rich.monospace();
    }
    if cell.warn {
        rich = rich.color(warn_color(ui));
    }
    let room = ui.available_width();
    let galley = egui::WidgetText::from(rich.clone()).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let cut = galley.size().x > room + 0.5;
    let whole = !matches!(cell.value, Value::Text(_) | Value::Empty);
    let shown = if cut && whole {
        RichText::new("…")
    } else {
        rich
    };
    let response = ui.add(
        egui::Label::new(shown)
            .truncate()
            .show_tooltip_when_elided(false),
    );
    let tip = match (&cell.tip, cut) {
        (Some(tip), true) if *tip != text => Some(format!("{text}\n{tip}")),
        (Some(tip), _) => Some(tip.clone()),
        (None, true) => Some(text),
        (None, false) => None,
    };
    if let Some(tip) = tip {
        response.on_hover_text(tip);
    }
}
