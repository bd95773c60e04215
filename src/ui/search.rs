//! Global search (Ctrl+K): a partner by name or INN, a client by INN or name, a sale by its
//! document number — and a jump to it.

use egui::RichText;

use crate::command::Command;
use crate::domain::lang::Lang;
use crate::domain::{Inn, PartnerId};
use crate::reader::{Ask, Loaded};
use crate::snapshot::Data;
use crate::store::{Db, SaleListRow, SalesQuery, StoreError};

/// How many hits of each kind are listed.
const HITS: usize = 8;

/// The search box and what was found in the database for what was typed.
#[derive(Default)]
pub struct SearchState {
    pub text: String,
    /// The hit the arrow keys are on (0: the first); Enter opens it.
    cursor: usize,
    /// Stored clients (pinned or not) whose INN starts with the text or whose name holds it,
    /// read on the reader: found from the first frame, before the stop-list is loaded.
    clients: Loaded<String, Vec<(Inn, String)>>,
    /// Sales found for a text, read on the reader (a text search reads every sale).
    sales: Loaded<String, Vec<SaleListRow>>,
}

impl SearchState {
    pub fn wants_data(&self) -> bool {
        let needle = self.text.trim().to_owned();
        let answered = self.sales.is_for(&needle) && self.clients.is_for(&needle);
        let asked = self.sales.waiting() || self.clients.waiting();
        needle.chars().count() >= 2 && !answered && !asked
    }

    /// Asks for the clients the text finds, then the sales whose document number holds it.
    pub fn load(&mut self, ask: Ask<'_>) -> Option<crate::reader::ReadError> {
        let needle = self.text.trim().to_owned();
        if needle.chars().count() < 2 {
            return None;
        }
        let key = needle.clone();
        let text = needle.clone();
        let clients = self
            .clients
            .load(ask, &key, move |db| db.find_clients(&text, HITS));
        let sales = self
            .sales
            .load(ask, &key, move |db| sales_with_doc(db, &needle));
        clients.or(sales)
    }
}

fn sales_with_doc(db: &Db<'_>, needle: &str) -> Result<Vec<SaleListRow>, StoreError> {
    let query = SalesQuery {
        text: needle.to_owned(),
        descending: true,
        ..SalesQuery::default()
    };
    let lower = needle.to_lowercase();
    Ok(db
        .sales_page(&query, 0, 200)?
        .into_iter()
        .filter(|s| {
            s.doc
                .as_deref()
                .is_some_and(|d| d.to_lowercase().contains(&lower))
        })
        .take(HITS)
        .collect())
}

/// The search window; `open` turns false when it is closed.
pub fn search_ui(
    ctx: &egui::Context,
    state: &mut SearchState,
    data: &Data,
    lang: Lang,
    open: &mut bool,
) -> Option<Command> {
    let modal = egui::Modal::new(egui::Id::unique("global-search")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading(lang.pick("Поиск", "Search"));
        let label = ui.label(lang.pick(
            "Название, ИНН партнёра или клиента, номер документа",
            "Name, INN of a partner or client, document number",
        ));
        // The arrows move between the hits and Enter opens the one on the cursor; the text
        // field keeps the focus for typing.
        let (up, down, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Enter),
            )
        });
        let typed = ui
            .add(egui::TextEdit::singleline(&mut state.text).desired_width(540.0))
            .labelled_by(label.id);
        typed.request_focus();
        if typed.changed() {
            state.cursor = 0;
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            *open = false;
        }
        if state.text.trim().to_lowercase().chars().count() < 2 {
            ui.label(
                RichText::new(lang.pick(
                    "Введите хотя бы два знака.",
                    "Type at least two characters.",
                ))
                .weak(),
            );
            return None;
        }
        let hits = Hits::of(state, data);
        if hits.is_empty() {
            if state.clients.waiting() || state.sales.waiting() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(lang.pick("Ищу…", "Searching…")).weak());
                });
            } else {
                ui.label(RichText::new(lang.pick("Ничего не найдено.", "Nothing found.")).weak());
            }
        }
        let last = hits.len().saturating_sub(1);
        let mut cursor = state.cursor;
        if down {
            cursor = (cursor + 1).min(last);
        }
        if up {
            cursor = cursor.saturating_sub(1);
        }
        cursor = cursor.min(last);
        let command = hits.ui(ui, (cursor, enter), lang);
        state.cursor = cursor;
        command
    });
    let command = modal.inner;
    if command.is_some() {
        *open = false;
    }
    command
}

/// What the text found: partners and clients with the text of their buttons, and sales.
struct Hits<'a> {
    partners: Vec<(PartnerId, String)>,
    clients: Vec<(Inn, String)>,
    sales: &'a [SaleListRow],
}

impl<'a> Hits<'a> {
    /// The partners in the snapshot the text finds (by name or INN), and the clients and
    /// sales read for this text, once they came.
    fn of(state: &'a SearchState, data: &Data) -> Hits<'a> {
        let lower = state.text.trim().to_lowercase();
        let partners = data
            .partners
            .iter()
            .filter(|p| p.name.to_lowercase().contains(&lower) || p.inn.as_str().contains(&lower))
            .take(HITS)
            .map(|p| (p.id, format!("{} · {}", p.name, p.inn)))
            .collect();
        let needle = state.text.trim().to_owned();
        let clients = state
            .clients
            .get()
            .filter(|_| state.clients.is_for(&needle))
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|(inn, name)| {
                let text = if name.is_empty() {
                    inn.to_string()
                } else {
                    format!("{name} · {inn}")
                };
                (*inn, text)
            })
            .collect();
        let sales = state
            .sales
            .get()
            .filter(|_| state.sales.is_for(&needle))
            .map(Vec::as_slice)
            .unwrap_or_default();
        Hits {
            partners,
            clients,
            sales,
        }
    }

    fn is_empty(&self) -> bool {
        self.partners.is_empty() && self.clients.is_empty() && self.sales.is_empty()
    }

    fn len(&self) -> usize {
        self.partners.len() + self.clients.len() + self.sales.len()
    }

    /// Each kind found under its heading, a button each, the one on the `cursor` marked:
    /// the one clicked, or the cursor's when `enter` was pressed, opened.
    fn ui(self, ui: &mut egui::Ui, (cursor, enter): (usize, bool), lang: Lang) -> Option<Command> {
        let mut command = None;
        let mut index = 0;
        let mut hit = |ui: &mut egui::Ui, text: String, open: Command| {
            let on = index == cursor;
            let r = ui.add(egui::Button::selectable(on, text));
            if on {
                r.scroll_to_me(None);
            }
            if r.clicked() || (on && enter) {
                command = Some(open);
            }
            index += 1;
        };
        if !self.partners.is_empty() {
            ui.label(RichText::new(lang.pick("Партнёры", "Partners")).strong());
            for (id, text) in self.partners {
                hit(ui, text, Command::OpenPartner(id));
            }
        }
        if !self.clients.is_empty() {
            ui.label(RichText::new(lang.pick("Клиенты", "Clients")).strong());
            for (inn, text) in self.clients {
                hit(ui, text, Command::OpenClient(inn));
            }
        }
        if !self.sales.is_empty() {
            ui.label(RichText::new(lang.pick("Продажи", "Sales")).strong());
            for s in self.sales {
                let text = format!(
                    "{} · {} · {} · {}",
                    s.doc.as_deref().unwrap_or_default(),
                    crate::ui::date(s.date, lang),
                    s.partner_name,
                    s.amount.display(lang)
                );
                let open = Command::ShowSales {
                    partner: Some(s.partner),
                    month: s.date,
                };
                hit(ui, text, open);
            }
        }
        command
    }
}
