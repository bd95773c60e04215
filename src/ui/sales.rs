//! The Sales page: every sale and return, paged from the database into virtual rows, with
//! filters and sums; the new-sale form explains the premium before saving; a selected
//! sale can be returned.

use crate::store::Right;
use std::collections::{BTreeSet, HashMap};

use egui::{RichText, Ui};

use crate::command::{Command, PageCtx};
use crate::domain::lang::{Lang, Localized};
use crate::domain::pin::check_shipment;
use crate::domain::premium::{PremiumInput, explain, premium_of, terms_name};
use crate::domain::{Inn, LicenseKind, Money, PartnerId, Pin, RoleFacts, SaleId};
use crate::export::list::Value;
use crate::export::{ListFormat, SalesColumn, SalesListExport};
use crate::reader::{Ask, ReadError};
use crate::snapshot::Data;
use crate::store::{Db, NewSale, SaleListRow, SalesQuery, SalesSelection, SalesSort, StoreError};
use crate::ui;

mod form;
mod selections;
mod table;
use form::{sale_form_ui, selected_sale_ui};
use selections::{Cache, Recent};
use table::table_ui;

/// Rows fetched from the database at a time.
const PAGE_ROWS: usize = 200;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    Nothing,
    New,
    Selected(SaleId),
}

#[derive(Clone, Debug)]
struct Draft {
    date: String,
    partner: Option<PartnerId>,
    client_inn: String,
    client_name: String,
    kind: LicenseKind,
    amount: String,
    doc: String,
    role: RoleFacts,
}

/// The recorded sale the form corrects: as it was when the form was opened on it, and as
/// someone else left it, when saving found it changed meanwhile (the user chooses).
struct Editing {
    id: SaleId,
    base: NewSale,
    theirs: Option<NewSale>,
}

impl Draft {
    /// The form filled with a recorded sale, its amount as a manager types it (`37 979,00`
    /// in Russian).
    fn of(sale: &NewSale, lang: Lang) -> Draft {
        Draft {
            date: ui::date(sale.date, lang),
            partner: Some(sale.partner),
            client_inn: sale.client_inn.to_string(),
            client_name: sale.client_name.clone(),
            kind: sale.kind,
            amount: match lang {
                Lang::Ru => sale.amount.grouped(' ', ','),
                Lang::En => sale.amount.plain(),
            },
            doc: sale.doc.clone().unwrap_or_default(),
            role: sale.role,
        }
    }
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            date: String::new(),
            partner: None,
            client_inn: String::new(),
            client_name: String::new(),
            kind: LicenseKind::Saas,
            amount: String::new(),
            doc: String::new(),
            role: RoleFacts::default(),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct ReturnDraft {
    date: String,
    amount: String,
    doc: String,
}

/// The first page of rows of a query, read before the whole selection (every id and the
/// sums, which take a second over a million sales), so that the table shows them at once.
struct FirstRows {
    version: u64,
    query: SalesQuery,
    rows: Vec<SaleListRow>,
}

type Answer<T> = crate::reader::Answer<Result<T, StoreError>>;

/// The page's state between frames.
pub struct SalesPage {
    query: SalesQuery,
    from: String,
    to: String,
    mode: Mode,
    draft: Draft,
    ret: ReturnDraft,
    cache: Option<Cache>,
    /// The selections shown before, at the same data version.
    recent: Recent,
    /// Pages of rows the table needed and did not have.
    wanted: BTreeSet<usize>,
    /// The selection being read, for this data version and query.
    selecting: Option<(u64, SalesQuery, Answer<SalesSelection>)>,
    /// The first rows of the query, shown while its selection is read.
    first: Option<FirstRows>,
    /// The stored name of the client whose INN the form holds.
    known_client: ui::KnownClient,
    /// The recorded sale the form corrects, when it does.
    editing: Option<Editing>,
    /// The history of corrections of the selected record, by data version.
    corrections: crate::reader::Loaded<(SaleId, u64), Vec<crate::store::Correction>>,
    first_asked: Option<(u64, SalesQuery, Answer<Vec<SaleListRow>>)>,
    /// Pages being read for the cache.
    paging: Vec<(usize, Answer<Vec<SaleListRow>>)>,
    /// The search box as typed, and when it last changed: the list is searched once typing
    /// pauses, not on every key.
    search: String,
    search_changed_at: f64,
    /// The form was just opened: its first field takes the cursor.
    focus_first: bool,
}

/// How long typing must pause before the list is searched.
const SEARCH_PAUSE_S: f64 = 0.3;

impl Default for SalesPage {
    /// Newest first.
    fn default() -> SalesPage {
        SalesPage {
            query: SalesQuery {
                descending: true,
                ..SalesQuery::default()
            },
            from: String::new(),
            to: String::new(),
            mode: Mode::Nothing,
            draft: Draft::default(),
            ret: ReturnDraft::default(),
            cache: None,
            recent: Recent::default(),
            wanted: BTreeSet::new(),
            selecting: None,
            first: None,
            first_asked: None,
            known_client: Default::default(),
            editing: None,
            corrections: Default::default(),
            paging: Vec::new(),
            search: String::new(),
            search_changed_at: 0.0,
            focus_first: false,
        }
    }
}

impl SalesPage {
    /// A write of the page's form is done: a correction shows its record, a new sale
    /// leaves the form open and empty (dated `today`, as the interface writes dates), a
    /// return empties its form.
    pub fn saved(&mut self, today: String) {
        // The next client's name is looked for afresh.
        self.known_client = Default::default();
        if let Some(Editing { id, .. }) = self.editing.take() {
            // The corrected record, with its history.
            self.draft = Draft::default();
            self.mode = Mode::Selected(id);
            return;
        }
        if self.mode == Mode::New {
            // Nothing of the sale just recorded is carried over: a field that kept its
            // text would take the next one's typing after it.
            self.draft = Draft {
                date: today,
                ..Draft::default()
            };
        } else {
            self.ret = ReturnDraft::default();
        }
    }

    /// The form closes (Cancel, Esc) and forgets what was typed in it.
    fn close_form(&mut self) {
        if self.mode == Mode::New {
            self.mode = Mode::Nothing;
            self.editing = None;
            self.draft = Draft::default();
            self.known_client = Default::default();
        }
    }

    /// A record was deleted: nothing is selected.
    pub fn deleted(&mut self) {
        self.mode = Mode::Nothing;
        self.editing = None;
    }

    /// Opens the form on a recorded sale, to correct it.
    fn start_correction(&mut self, row: &SaleListRow, lang: Lang) {
        let Ok(client_inn) = Inn::parse(&row.client_inn) else {
            return;
        };
        let base = NewSale {
            doc: row.doc.clone(),
            date: row.date,
            partner: row.partner,
            client_inn,
            client_name: row.client_name.clone(),
            kind: row.kind,
            amount: row.amount,
            role: row.role,
        };
        self.draft = Draft::of(&base, lang);
        self.editing = Some(Editing {
            id: row.id,
            base,
            theirs: None,
        });
        self.known_client.filled(&row.client_inn);
        self.mode = Mode::New;
    }

    /// Saving the correction found the sale changed by someone else meanwhile, now `now`:
    /// the form keeps what was typed and asks which to keep.
    pub fn changed_meanwhile(&mut self, now: NewSale) {
        if let Some(editing) = &mut self.editing {
            editing.theirs = Some(now);
        }
    }

    /// Shows the sales this query selects.
    pub fn set_query(&mut self, query: SalesQuery) {
        self.search = query.text.clone();
        self.query = query;
    }

    /// True until the totals and the rows the table shows are read.
    pub fn loading(&self) -> bool {
        self.selecting.is_some()
            || self.first_asked.is_some()
            || !self.paging.is_empty()
            || self.wants_data()
            || self.cache.is_none()
    }

    /// True when the table shows rows of the current query, whether or not its totals are
    /// known yet.
    pub fn rows_shown(&self) -> bool {
        let first = self.first.as_ref().is_some_and(|f| f.query == self.query);
        let cached = self.cache.as_ref().is_some_and(|c| {
            c.query == self.query && (c.ids.is_empty() || c.pages.contains_key(&0))
        });
        first || cached
    }

    /// True when the table waits for rows from the database.
    pub fn wants_data(&self) -> bool {
        !self.wanted.is_empty()
    }

    /// Asks the reader for what the page lacks (the selection of the query at this data
    /// version, the pages of rows the table wanted) and takes the answers that arrived.
    /// Until a new selection arrives the last one stays on screen. Returns the error of a
    /// read that failed (what it would have shown stays empty, and is not asked again).
    pub fn load(&mut self, ask: Ask<'_>, version: u64) -> Option<ReadError> {
        self.name_known_client(ask);
        let mut failed = None;
        if let Mode::Selected(id) = self.mode {
            let read = move |db: &Db<'_>| db.sale_corrections(id);
            failed = self.corrections.load(ask, &(id, version), read);
        }

        let mut have = self
            .cache
            .as_ref()
            .is_some_and(|c| c.is(version, &self.query));
        if !have && let Some(earlier) = self.recent.take(version, &self.query) {
            // A filter shown before, at this data version: back at once, as it was.
            self.show(earlier, version);
            have = true;
        }
        if have {
            // What was being read for another filter (chosen and left before it came) is
            // not wanted any more.
            self.selecting = None;
            self.first_asked = None;
        }
        let asked = self
            .selecting
            .as_ref()
            .is_some_and(|(v, q, _)| *v == version && *q == self.query);
        if !have && !asked {
            // The first rows come first: the table shows them while the selection is read.
            let first_here = self
                .first
                .as_ref()
                .is_some_and(|f| f.version == version && f.query == self.query);
            if !first_here {
                let query = self.query.clone();
                let answer = ask.run(move |db| db.sales_page(&query, 0, PAGE_ROWS));
                self.first_asked = Some((version, self.query.clone(), answer));
            }
            let query = self.query.clone();
            let answer = ask.run(move |db| db.sales_selection(&query));
            self.selecting = Some((version, self.query.clone(), answer));
        }
        if let Some((v, q, answer)) = &self.first_asked
            && let Some(rows) = answer.take()
        {
            // First rows that failed are not the selection's first page: its pages are read
            // by id when it comes.
            match rows {
                Ok(rows) => {
                    self.first = Some(FirstRows {
                        version: *v,
                        query: q.clone(),
                        rows,
                    });
                }
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
            self.first_asked = None;
        }
        if let Some((v, q, answer)) = &self.selecting
            && let Some(result) = answer.take()
        {
            // A read that failed shows an empty list rather than asking again.
            let selection = kept(result, &mut failed);
            // The first rows read for the same query and data are its first page.
            let mut pages = HashMap::new();
            if let Some(first) = self
                .first
                .as_ref()
                .filter(|f| f.version == *v && f.query == *q)
            {
                pages.insert(0, first.rows.clone());
            }
            let read = Cache {
                version: *v,
                query: q.clone(),
                ids: selection.ids,
                amount: selection.amount,
                premium: selection.premium,
                pages,
            };
            self.selecting = None;
            self.show(read, version);
        }
        self.load_pages(ask, version, &mut failed);
        failed
    }

    /// Asks for the pages of rows the table wanted from the selection on screen, and puts
    /// those that came in it.
    fn load_pages(&mut self, ask: Ask<'_>, version: u64, failed: &mut Option<ReadError>) {
        let Some(cache) = &mut self.cache else {
            return;
        };
        if cache.is(version, &self.query) {
            for page in std::mem::take(&mut self.wanted) {
                if self.paging.iter().any(|(p, _)| *p == page) {
                    continue;
                }
                let from = (page * PAGE_ROWS).min(cache.ids.len());
                let to = (from + PAGE_ROWS).min(cache.ids.len());
                let ids = cache.ids[from..to].to_vec();
                let answer = ask.run(move |db| db.sales_rows(&ids));
                self.paging.push((page, answer));
            }
        } else {
            self.wanted.clear();
        }
        self.paging.retain(|(page, answer)| match answer.take() {
            Some(rows) => {
                cache.pages.insert(*page, kept(rows, failed));
                false
            }
            None => true,
        });
    }

    /// Puts `cache` on screen; the one it replaces is kept among the recent ones.
    fn show(&mut self, cache: Cache, version: u64) {
        if let Some(earlier) = self.cache.replace(cache) {
            self.recent.keep(earlier, version);
        }
        self.paging.clear();
        self.wanted.clear();
    }

    /// A stored client's INN typed in the sale form fills its name.
    fn name_known_client(&mut self, ask: Ask<'_>) {
        if self.mode == Mode::New {
            let d = &mut self.draft;
            self.known_client
                .fill(ask, &d.client_inn, &mut d.client_name);
        }
    }

    /// How many rows the table shows, and the list's amount and premium when known: the
    /// selection's, else the first rows of the query while its selection is read, else the
    /// last selection while a new one is read.
    fn totals(&self) -> Option<(usize, Option<(Money, Money)>)> {
        let cache = self.cache.as_ref();
        let sums = |c: &Cache| (c.ids.len(), Some((c.amount, c.premium)));
        match (cache, &self.first) {
            (Some(c), _) if c.query == self.query => Some(sums(c)),
            (_, Some(first)) if first.query == self.query => Some((first.rows.len(), None)),
            (Some(c), _) => Some(sums(c)),
            (None, _) => None,
        }
    }

    /// A row read of the current query, wherever it is.
    fn row_by_id(&self, id: SaleId) -> Option<SaleListRow> {
        let cached = self.cache.iter().flat_map(|c| c.pages.values().flatten());
        let first = self.first.iter().flat_map(|f| &f.rows);
        cached.chain(first).find(|r| r.id == id).cloned()
    }

    fn row(&mut self, index: usize) -> Option<&SaleListRow> {
        let page = index / PAGE_ROWS;
        let cache = self.cache.as_ref().filter(|c| c.query == self.query);
        let Some(cache) = cache else {
            let first = self.first.as_ref().filter(|f| f.query == self.query)?;
            return first.rows.get(index);
        };
        match cache.pages.get(&page) {
            Some(rows) => rows.get(index % PAGE_ROWS),
            None => {
                self.wanted.insert(page);
                None
            }
        }
    }

    /// Shows the sales of one calendar month (of one partner, or all).
    pub fn show_month(&mut self, partner: Option<PartnerId>, month: chrono::NaiveDate, lang: Lang) {
        let (first, last) = crate::domain::months_from(month, 1);
        self.query.partner = partner;
        self.query.kind = None;
        self.query.client = None;
        self.query.from = Some(first);
        self.query.to = Some(last);
        self.query.text.clear();
        self.search.clear();
        self.from = ui::date(first, lang);
        self.to = ui::date(last, lang);
        self.mode = Mode::Nothing;
    }

    /// Opens the new-sale form: empty and dated today, unless it is open on a new sale
    /// already, whose typing it keeps.
    fn new_form(&mut self, ctx: &PageCtx) {
        if self.mode != Mode::New || self.editing.is_some() {
            self.editing = None;
            self.known_client = Default::default();
            self.draft = Draft {
                date: ui::date(ctx.today, ctx.lang),
                ..Draft::default()
            };
        }
        self.mode = Mode::New;
        self.focus_first = true;
    }
}

fn kind_combo(
    ui: &mut Ui,
    id: &str,
    label: egui::Id,
    kind: &mut Option<LicenseKind>,
    none: Option<&str>,
    lang: Lang,
) {
    // A kind is named as the list, the premium's explanation and the statement name it;
    // the regulation's full name is the option's tooltip.
    let text = kind.map_or(none.unwrap_or_default().to_owned(), |k| {
        k.short_name(lang).to_owned()
    });
    let filter_id = ui.make_persistent_id((id, "filter"));
    let mut filter: String = ui.data_mut(|d| d.get_temp(filter_id).unwrap_or_default());
    let mut chosen = false;
    let shown = egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .width(280.0)
        .show_ui(ui, |ui| {
            // Typing filters the kinds; Down and Up move, Enter takes, as in a partner's box.
            let (up, down, enter) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::Enter),
                )
            });
            let typed = ui
                .add(egui::TextEdit::singleline(&mut filter))
                .accessible_name(lang.pick("Поиск вида", "Find kind"));
            typed.request_focus();
            if let Some(none) = none {
                ui.selectable_value(kind, None, none);
            }
            let needle = filter.trim().to_lowercase();
            let found: Vec<LicenseKind> = LicenseKind::ALL
                .into_iter()
                .filter(|k| {
                    k.short_name(lang).to_lowercase().contains(&needle)
                        || k.name(lang).to_lowercase().contains(&needle)
                })
                .collect();
            let cursor = ui::combo_cursor(ui, filter_id, (up, down), typed.changed(), found.len());
            for (i, k) in found.into_iter().enumerate() {
                let on = cursor.map_or(*kind == Some(k), |c| c == i);
                let r = ui
                    .selectable_label(on, k.short_name(lang))
                    .on_hover_text(k.name(lang));
                if r.clicked() || (enter && on && cursor.is_some()) {
                    *kind = Some(k);
                    chosen = true;
                    ui.close();
                }
            }
        });
    let open = shown.inner.is_some();
    let r = shown.response.labelled_by(label);
    // Chosen by the keys, the box keeps the cursor, so that Tab goes on to the next field.
    if chosen {
        r.request_focus();
    }
    if !open || chosen {
        filter.clear();
        ui.data_mut(|d| d.remove::<Option<usize>>(filter_id.with("cursor")));
    }
    ui.data_mut(|d| d.insert_temp(filter_id, filter));
}

/// The Sales page.
pub fn sales_ui(ui: &mut Ui, page: &mut SalesPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let lang = ctx.lang;
    if ctx.new_requested {
        page.new_form(ctx);
    }
    if ctx.cancel_requested {
        page.close_form();
        page.mode = Mode::Nothing;
    }
    // A narrow window wraps the toolbar and the filters onto more lines: none is hidden.
    let export = ui.horizontal_wrapped(|ui| toolbar_ui(ui, page, ctx)).inner;
    ui.horizontal_wrapped(|ui| filters_ui(ui, page, data, ctx));
    ui.separator();
    let mut command = side_panel_ui(ui, page, data, ctx);
    let Some((count, sums)) = page.totals() else {
        ui.spinner();
        return command;
    };
    let refreshing = page.selecting.is_some();
    egui::Panel::bottom("sales-footer").show(ui, |ui| {
        ui.horizontal(|ui| footer_ui(ui, count, sums, refreshing, lang));
    });
    if count == 0 {
        let (title, hint) = if data.partners.is_empty() {
            (
                lang.pick("Продаж ещё нет", "No sales yet"),
                lang.pick(
                    "Продажа записывается за партнёром: сначала добавьте партнёра на странице «Партнёры» (Ctrl+2), или импортируйте партнёров и продажи (Файл ▸ Импорт…, Ctrl+I).",
                    "A sale is recorded for a partner: first add one on the Partners page (Ctrl+2), or import partners and sales (File ▸ Import…, Ctrl+I).",
                ),
            )
        } else if !page.query.filters() {
            (
                lang.pick("Продаж ещё нет", "No sales yet"),
                lang.pick(
                    "Запишите продажу (Ctrl+N) или импортируйте продажи из файла (Файл ▸ Импорт…, Ctrl+I).",
                    "Record a sale (Ctrl+N) or import sales from a file (File ▸ Import…, Ctrl+I).",
                ),
            )
        } else {
            (
                lang.pick("Продаж не найдено", "No sales found"),
                lang.pick(
                    "Измените фильтры или запишите продажу (Ctrl+N).",
                    "Change the filters or record a sale (Ctrl+N).",
                ),
            )
        };
        ui::empty_state(ui, title, hint);
        return command;
    }
    if let Some(asked) = table_ui(ui, page, count, export, ctx) {
        command = Some(asked);
    }
    command
}

/// The page's heading, the search, «+ New sale» and the list's two ways out: the format
/// asked for.
fn toolbar_ui(ui: &mut Ui, page: &mut SalesPage, ctx: &PageCtx) -> Option<ListFormat> {
    let lang = ctx.lang;
    ui.heading(lang.pick("Продажи", "Sales"));
    ui.add_space(12.0);
    search_ui(ui, page, ctx);
    if ui::change_button(
        ui,
        ctx,
        Right::Record,
        true,
        egui::Button::new(lang.pick("+ Новая продажа", "+ New sale")),
    )
    .on_hover_text("Ctrl+N")
    .clicked()
    {
        page.new_form(ctx);
    }
    // The list can be a million rows long: its two ways out stand on the toolbar.
    ui::list_menu_items(ui, lang)
}

/// The search box: the list is searched once typing pauses, not on every key.
fn search_ui(ui: &mut Ui, page: &mut SalesPage, ctx: &PageCtx) {
    let lang = ctx.lang;
    let before = page.search.clone();
    ui::search_box(
        ui,
        &mut page.search,
        lang.pick(
            "Клиент, ИНН, документ, партнёр (Ctrl+F)",
            "Client, INN, document, partner (Ctrl+F)",
        ),
        300.0,
        ctx.focus_search,
        lang,
    );
    let now = ui.input(|i| i.time);
    if page.search != before {
        page.search_changed_at = now;
    }
    if page.search.trim() != page.query.text {
        if now - page.search_changed_at >= SEARCH_PAUSE_S {
            page.query.text = page.search.trim().to_owned();
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SEARCH_PAUSE_S));
        }
    }
}

/// The partner, the kind and the period the list is filtered by.
fn filters_ui(ui: &mut Ui, page: &mut SalesPage, data: &Data, ctx: &PageCtx) {
    let lang = ctx.lang;
    // Each filter with its label, so that a narrow window wraps between filters only.
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Партнёр:", "Partner:"));
        ui::partner_combo(
            ui,
            "sales-partner-filter",
            label.id,
            &data.partners,
            &mut page.query.partner,
            lang.pick("все", "all"),
            lang,
        );
    });
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("Вид:", "Kind:"));
        kind_combo(
            ui,
            "sales-kind-filter",
            label.id,
            &mut page.query.kind,
            Some(lang.pick("все", "all")),
            lang,
        );
    });
    ui::period_filter(ui, &mut page.from, &mut page.to, ctx.today, lang);
    // A date that does not read filters nothing; the field says why on hover.
    page.query.from = ui::parse_date_field(&page.from).ok().flatten();
    page.query.to = ui::parse_date_field(&page.to).ok().flatten();
}

/// The side panel: the sale form, or the sale opened.
fn side_panel_ui(ui: &mut Ui, page: &mut SalesPage, data: &Data, ctx: &PageCtx) -> Option<Command> {
    let mut command = None;
    match page.mode {
        Mode::New => {
            egui::Panel::right("sale-form")
                .default_size(ui::SIDE_PANEL)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| command = sale_form_ui(ui, page, data, ctx));
                });
        }
        Mode::Selected(id) => {
            if let Some(row) = page.row_by_id(id) {
                egui::Panel::right("sale-details")
                    .default_size(ui::SIDE_PANEL)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical().show(ui, |ui| {
                            command = selected_sale_ui(ui, page, &row, data, ctx);
                        });
                    });
            }
        }
        Mode::Nothing => {}
    }
    command
}

/// The list's rows, amount and premium, or that they are being counted.
fn footer_ui(
    ui: &mut Ui,
    count: usize,
    sums: Option<(Money, Money)>,
    refreshing: bool,
    lang: Lang,
) {
    if refreshing {
        ui.spinner();
    }
    let Some((amount, premium)) = sums else {
        ui.label(lang.pick("Итоги считаются…", "Counting the totals…"));
        return;
    };
    ui.label(format!("{} {count}", lang.pick("Строк:", "Rows:")));
    ui.separator();
    ui.label(format!(
        "{} {}",
        lang.pick("Сумма:", "Amount:"),
        ui::money(amount, lang)
    ));
    ui.separator();
    ui.label(
        RichText::new(format!(
            "{} {}",
            lang.pick("Премия:", "Premium:"),
            ui::money(premium, lang)
        ))
        .strong(),
    );
}

/// The value read, or an empty one when the read failed, its error kept in `failed`.
fn kept<T: Default>(result: Result<T, ReadError>, failed: &mut Option<ReadError>) -> T {
    result.unwrap_or_else(|e| {
        failed.get_or_insert(e);
        T::default()
    })
}

#[cfg(test)]
mod tests;
