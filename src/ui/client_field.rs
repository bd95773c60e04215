//! A form's client field: stored clients offered as the user types, and a known INN's
//! name filled in.

use super::*;

/// A form's client: the INN field offers stored clients as the user types an INN or a
/// name (each with who holds its pin and until when), and a stored client's INN fills the
/// name, once per INN: a name the user typed or cleared stays as it is. Both are read on
/// the reader.
#[derive(Default)]
pub struct KnownClient {
    read: crate::reader::Loaded<domain::Inn, String>,
    named_for: Option<domain::Inn>,
    /// What the INN field holds, to find clients for.
    typed: String,
    found: crate::reader::Loaded<String, Vec<(domain::Inn, String)>>,
}

/// How many stored clients the INN field offers.
const CLIENT_HITS: usize = 8;

impl KnownClient {
    /// Asks for the stored name of the client whose INN `inn` holds, and puts it in `name`
    /// when it comes and `name` is empty; asks for the clients the field's text finds.
    pub fn fill(&mut self, ask: crate::reader::Ask<'_>, inn: &str, name: &mut String) {
        let needle = self.typed.trim().to_owned();
        if needle.chars().count() >= 2 {
            let key = needle.clone();
            let read = move |db: &crate::store::Db<'_>| db.find_clients(&needle, CLIENT_HITS);
            let _ = self.found.load(ask, &key, read);
        }
        let Ok(inn) = domain::Inn::parse(inn) else {
            return;
        };
        if self.named_for == Some(inn) {
            return;
        }
        let read = move |db: &crate::store::Db<'_>| db.client_name(&inn);
        let _ = self.read.load(ask, &inn, read);
        if self.read.is_for(&inn) {
            self.named_for = Some(inn);
            let stored = self.read.get().cloned().unwrap_or_default();
            if name.trim().is_empty() && !stored.is_empty() {
                *name = stored;
            }
        }
    }

    /// The form was filled from a record: the name of `inn` is not looked for again.
    pub fn filled(&mut self, inn: &str) {
        self.named_for = domain::Inn::parse(inn).ok();
    }

    /// The client INN row of a form grid. While the field has the cursor, stored clients
    /// whose INN starts with the text or whose name holds it are offered under it (over the
    /// form, which does not move); clicking one puts its INN and name in the form.
    #[allow(clippy::too_many_arguments)]
    pub fn inn_row(
        &mut self,
        ui: &mut Ui,
        inn: &mut String,
        name: &mut String,
        pins: &[crate::store::PinRow],
        today: NaiveDate,
        lang: Lang,
    ) -> Response {
        // The error line is always there (empty when the INN reads or nothing is typed), so
        // the fields under it do not move while an INN is typed.
        let error = match domain::Inn::parse(inn) {
            Err(e) if !inn.is_empty() => e.text(lang),
            _ => String::new(),
        };
        let response = text_row(
            ui,
            lang.pick("ИНН клиента", "Client INN"),
            inn,
            lang.pick("ИНН или название клиента", "client's INN or name"),
            Some(&error),
        );
        self.typed = inn.clone();
        let popup_id = response.id.with("clients");
        let was_open: bool = ui.data_mut(|d| d.get_temp(popup_id).unwrap_or(false));
        let needle = inn.trim().to_owned();
        let hits: Vec<(domain::Inn, String)> = match self.found.get() {
            Some(hits) if self.found.is_for(&needle) => hits
                .iter()
                .filter(|(found, _)| found.as_str() != needle)
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        let cursor = self.offer_keys(ui, &response, popup_id, hits.len(), was_open);
        if let Some((found, found_name)) = cursor.taken.and_then(|i| hits.get(i)) {
            *inn = found.to_string();
            *name = found_name.clone();
            self.named_for = Some(*found);
            self.typed = inn.clone();
        }
        let mut open = false;
        if !hits.is_empty() && (response.has_focus() || was_open) && cursor.taken.is_none() {
            let area = egui::Area::new(popup_id)
                .order(egui::Order::Foreground)
                .fixed_pos(response.rect.left_bottom() + egui::vec2(0.0, 2.0))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_width(380.0);
                        for (i, (found, found_name)) in hits.iter().enumerate() {
                            let holder = pins
                                .iter()
                                .find(|r| r.client_inn == *found && r.pin.in_force_on(today))
                                .map(|r| {
                                    format!(
                                        "{} {} {} {}",
                                        lang.pick("закреплён за", "pinned to"),
                                        r.partner_name,
                                        lang.pick("по", "until"),
                                        date(r.pin.last_day(), lang)
                                    )
                                })
                                .unwrap_or_else(|| {
                                    lang.pick("не закреплён", "not pinned").to_owned()
                                });
                            let title = if found_name.is_empty() {
                                found.to_string()
                            } else {
                                format!("{found_name} · {found}")
                            };
                            let text = format!("{title}\n{holder}");
                            let on = cursor.on == Some(i);
                            if ui.selectable_label(on, text).clicked() {
                                *inn = found.to_string();
                                *name = found_name.clone();
                                self.named_for = Some(*found);
                                self.typed = inn.clone();
                            }
                        }
                    });
                });
            let pointer_in = area.response.contains_pointer();
            open = response.has_focus() || pointer_in;
        }
        ui.data_mut(|d| d.insert_temp(popup_id, open));
        response
    }

    /// The offers' keys while they are shown: Down and Up move a cursor through them, and
    /// Enter takes the one it is on (instead of submitting the form).
    fn offer_keys(
        &self,
        ui: &mut Ui,
        field: &Response,
        popup_id: egui::Id,
        offers: usize,
        shown: bool,
    ) -> OfferCursor {
        let id = popup_id.with("cursor");
        let mut on: Option<usize> = ui.data_mut(|d| d.get_temp(id)).flatten();
        if field.changed() || offers == 0 || !shown {
            on = None;
        }
        let (up, down, enter) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Enter),
            )
        });
        let mut taken = None;
        if offers > 0 && shown {
            if down {
                on = Some(on.map_or(0, |i| (i + 1).min(offers - 1)));
            }
            if up {
                on = on.map(|i| i.saturating_sub(1));
            }
            if enter && on.is_some() {
                taken = on.take();
                // The Enter took an offer: it does not submit the form, and typing goes on.
                ui.data_mut(|d| d.remove_temp::<bool>(submitted_id()));
                field.request_focus();
            }
        }
        ui.data_mut(|d| d.insert_temp(id, on));
        OfferCursor { on, taken }
    }
}

/// Where the keys are among a client field's offers, and the one Enter took.
struct OfferCursor {
    on: Option<usize>,
    taken: Option<usize>,
}
