//! The stop-list: pins and their append-only history of events.

use super::sql::{Optional as _, Row};
use chrono::NaiveDate;

use super::{Db, RuleError, StoreError, Stored, Tx, now_stamp, parse_inn};
use crate::domain::pin::{self, PinDecision, PinError};
use crate::domain::{Inn, PartnerId, Pin, PinId};

/// What a pin request came to. A refusal is recorded too, and is not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinOutcome {
    Pinned {
        pin_id: PinId,
        ends_on: NaiveDate,
    },
    Extended {
        pin_id: PinId,
        ends_on: NaiveDate,
    },
    Refused {
        holder: PartnerId,
        holder_label: String,
        last_day: NaiveDate,
    },
}

/// A kind of stop-list event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinEventKind {
    Pinned,
    Refused,
    Extended,
    Released,
}

impl PinEventKind {
    pub(super) fn code(self) -> &'static str {
        match self {
            PinEventKind::Pinned => "pinned",
            PinEventKind::Refused => "refused",
            PinEventKind::Extended => "extended",
            PinEventKind::Released => "released",
        }
    }

    fn parse(code: &str) -> Option<PinEventKind> {
        [
            PinEventKind::Pinned,
            PinEventKind::Refused,
            PinEventKind::Extended,
            PinEventKind::Released,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// One entry of a client's stop-list history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinEvent {
    pub kind: PinEventKind,
    pub pin_id: Option<PinId>,
    pub partner: PartnerId,
    pub on_date: NaiveDate,
    /// The end after the event (pinned, extended, released).
    pub ends_on: Option<NaiveDate>,
    /// Who held the client when a request was refused.
    pub holder: Option<PartnerId>,
    pub agreed_by: String,
    pub note: String,
    pub recorded_at: String,
    /// Who recorded it: the login (on a file, the user's login on the computer); empty for
    /// what was recorded before the program kept it.
    pub recorded_by: String,
    /// Cancelled as recorded by mistake: when, by whom, why.
    pub cancelled: Option<PinCancel>,
}

/// The cancellation of a stop-list event recorded by mistake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinCancel {
    /// When, as stored (RFC 3339).
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// A pin as the stop-list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinRow {
    pub pin: Pin,
    pub client_inn: Inn,
    pub client_name: String,
    pub partner_name: String,
}

/// What a pin request writes to the pins besides its event.
#[derive(Clone, Copy)]
pub(super) enum PinWrite {
    New(NaiveDate),
    Extend(PinId, NaiveDate),
    Nothing,
}

/// A stop-list event to record.
pub(super) struct NewEvent<'a> {
    pub(super) kind: PinEventKind,
    pub(super) pin_id: Option<PinId>,
    pub(super) client: &'a Inn,
    pub(super) partner: PartnerId,
    pub(super) on_date: NaiveDate,
    pub(super) ends_on: Option<NaiveDate>,
    pub(super) holder: Option<PartnerId>,
    pub(super) agreed_by: &'a str,
    pub(super) note: &'a str,
}

fn pin_from_row(r: &Row<'_>) -> Result<Pin, StoreError> {
    Ok(Pin {
        id: r.get(0)?,
        partner: PartnerId(r.get(1)?),
        pinned_on: r.get(2)?,
        ends_on: r.get(3)?,
        released_on: r.get(4)?,
    })
}

impl Db<'_> {
    /// Every pin of a client, oldest first.
    pub fn pins_of_client(&self, client: &Inn) -> Result<Vec<Pin>, StoreError> {
        self.read_pins_of(client)?;
        Ok(self
            .cache
            .borrow()
            .pins
            .get(client)
            .cloned()
            .unwrap_or_default())
    }

    /// Every pin, by client INN, each client's in the order they were made.
    pub(super) fn all_pins(&self) -> Result<rustc_hash::FxHashMap<Inn, Vec<Pin>>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, partner_id, pinned_on, ends_on, released_on, client_inn FROM pins
             ORDER BY client_inn, pinned_on, id",
        )?;
        let mut all: rustc_hash::FxHashMap<Inn, Vec<Pin>> = Default::default();
        for row in stmt.query_map((), |r| Ok((pin_from_row(r)?, r.get::<String>(5)?)))? {
            let (pin, client) = row?;
            all.entry(parse_inn(client, "pins.client_inn")?)
                .or_default()
                .push(pin);
        }
        Ok(all)
    }

    /// Makes sure the view holds the pins of `client`.
    pub(super) fn read_pins_of(&self, client: &Inn) -> Result<(), StoreError> {
        {
            let cache = self.cache.borrow();
            if cache.pins.contains_key(client) {
                return Ok(());
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, partner_id, pinned_on, ends_on, released_on FROM pins
             WHERE client_inn = ?1 ORDER BY pinned_on, id",
        )?;
        let pins = stmt
            .query_map([client.as_str()], pin_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        self.cache.borrow_mut().pins.insert(*client, pins);
        Ok(())
    }

    fn pin_by_id(&self, pin_id: PinId) -> Result<(Pin, Inn), StoreError> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT id, partner_id, pinned_on, ends_on, released_on, client_inn FROM pins WHERE id = ?1",
            )?
            .query_row([pin_id], |r| Ok((pin_from_row(r)?, r.get::<String>(5)?)))
            .optional()?;
        let (pin, client) = found.ok_or(RuleError::UnknownPin)?;
        Ok((pin, parse_inn(client, "pins.client_inn")?))
    }

    /// The pin of `client` held by `partner` in force on `date`, if any.
    pub fn pin_in_force(
        &self,
        client: &Inn,
        partner: PartnerId,
        date: NaiveDate,
    ) -> Result<Option<Pin>, StoreError> {
        Ok(self
            .pins_of_client(client)?
            .into_iter()
            .find(|p| p.partner == partner && p.in_force_on(date)))
    }

    /// The stop-list history of a client, in the order it happened.
    pub fn pin_events(&self, client: &Inn) -> Result<Vec<PinEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.event, e.pin_id, e.partner_id, e.on_date, e.ends_on, e.holder_partner_id,
                    e.agreed_by, e.note, e.recorded_at, c.corrected_at, c.corrected_by, c.reason,
                    e.recorded_by
             FROM pin_events e LEFT JOIN pin_corrections c ON c.pin_event_id = e.id
             WHERE e.client_inn = ?1 ORDER BY e.id",
        )?;
        let rows = stmt.query_map([client.as_str()], |r| {
            Ok((
                r.get::<String>(0)?,
                PinEvent {
                    kind: PinEventKind::Pinned,
                    pin_id: r.get(1)?,
                    partner: PartnerId(r.get(2)?),
                    on_date: r.get(3)?,
                    ends_on: r.get(4)?,
                    holder: r.get::<Option<i64>>(5)?.map(PartnerId),
                    agreed_by: r.get(6)?,
                    note: r.get(7)?,
                    recorded_at: r.get(8)?,
                    recorded_by: r.get(12)?,
                    cancelled: match r.get::<Option<String>>(9)? {
                        Some(at) => Some(PinCancel {
                            at,
                            by: r.get(10)?,
                            reason: r.get(11)?,
                        }),
                        None => None,
                    },
                },
            ))
        })?;
        rows.map(|row| {
            let (code, event) = row?;
            let kind = PinEventKind::parse(&code).ok_or_else(|| StoreError::UnknownValue {
                what: Stored::PinEvent,
                column: "pin_events.event",
                value: code.clone(),
            })?;
            Ok(PinEvent { kind, ..event })
        })
        .collect()
    }

    /// Every pin with its client and partner names, newest first.
    pub fn pin_rows(&self) -> Result<Vec<PinRow>, StoreError> {
        self.pin_rows_where("TRUE", ())
    }

    /// The pins in force on `today` whose last day is at most `days` away, newest first:
    /// what the Overview lists, read without reading every pin.
    pub fn pins_ending(&self, today: NaiveDate, days: i64) -> Result<Vec<PinRow>, StoreError> {
        let until = today + chrono::Days::new(days.max(0) as u64 + 1);
        let rows = self.pin_rows_where(
            "p.pinned_on <= ?1 AND p.ends_on > ?1 AND p.ends_on <= ?2",
            (today, until),
        )?;
        // The query narrows; the pin's own rules decide.
        Ok(rows
            .into_iter()
            .filter(|r| r.pin.in_force_on(today) && r.pin.days_left(today) <= days)
            .collect())
    }

    fn pin_rows_where(
        &self,
        filter: &str,
        params: impl super::sql::Params,
    ) -> Result<Vec<PinRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT p.id, p.partner_id, p.pinned_on, p.ends_on, p.released_on, p.client_inn, c.name, pa.name
             FROM pins p JOIN clients c ON c.inn = p.client_inn JOIN partners pa ON pa.id = p.partner_id
             WHERE {filter} ORDER BY p.pinned_on DESC, p.id DESC"
        ))?;
        let rows = stmt.query_map(params, |r| {
            Ok((pin_from_row(r)?, r.get::<String>(5)?, r.get(6)?, r.get(7)?))
        })?;
        rows.map(|row| {
            let (pin, inn, client_name, partner_name) = row?;
            Ok(PinRow {
                pin,
                client_inn: parse_inn(inn, "pins.client_inn")?,
                client_name,
                partner_name,
            })
        })
        .collect()
    }

    fn named(&self, e: PinError, client: &Inn) -> StoreError {
        match e {
            PinError::Conflict { holder, last_day } => match self.partner_label(holder) {
                Ok(holder) => RuleError::PinConflict {
                    client: *client,
                    holder,
                    last_day,
                }
                .into(),
                Err(e) => e,
            },
            PinError::NotInForce { date } => RuleError::PinNotInForce { date }.into(),
            PinError::DateOutOfRange => RuleError::DateOutOfRange.into(),
        }
    }
}

impl Tx<'_> {
    pub(super) fn record_event(&self, e: NewEvent<'_>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on,
                                         holder_partner_id, agreed_by, note, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute((
                e.pin_id,
                e.client.as_str(),
                e.partner.0,
                e.kind.code(),
                e.on_date,
                e.ends_on,
                e.holder.map(|h| h.0),
                e.agreed_by.trim(),
                e.note.trim(),
                now_stamp(),
                self.who(),
            ))?;
        Ok(())
    }

    /// A request to pin `client` to `partner` on `date` (REGULATION §5): a new pin, an
    /// extension when the partner already holds it, or a refusal naming the holder. Every
    /// outcome, the refusal included, is recorded in the history.
    pub fn request_pin(
        &self,
        client: &Inn,
        client_name: &str,
        partner: PartnerId,
        date: NaiveDate,
        note: &str,
    ) -> Result<PinOutcome, StoreError> {
        self.request_pin_at(None, client, client_name, partner, date, note)
    }

    /// [`Tx::request_pin`], from `savepoint` when the transaction took one for it as it
    /// began (a write about one client on a team database), else from one of its own.
    pub(super) fn request_pin_at(
        &self,
        savepoint: Option<&str>,
        client: &Inn,
        client_name: &str,
        partner: PartnerId,
        date: NaiveDate,
        note: &str,
    ) -> Result<PinOutcome, StoreError> {
        RuleError::check_text(crate::domain::TextField::ClientName, client_name)?;
        RuleError::check_text(crate::domain::TextField::Note, note)?;
        let mut decide = || self.decide_pin_request(client, client_name, partner, date, note);
        self.conn
            .engine()
            .decided_anew_on_overlap(self, savepoint, &mut decide)
    }

    fn decide_pin_request(
        &self,
        client: &Inn,
        client_name: &str,
        partner: PartnerId,
        date: NaiveDate,
        note: &str,
    ) -> Result<PinOutcome, StoreError> {
        let pins = self.pins_of_client(client)?;
        self.forget();
        let decision =
            pin::decide_pin_request(&pins, partner, date).map_err(|e| self.named(e, client))?;
        let write = |write, kind, holder| {
            let ends_on = match write {
                PinWrite::New(ends_on) | PinWrite::Extend(_, ends_on) => Some(ends_on),
                PinWrite::Nothing => None,
            };
            let event = NewEvent {
                kind,
                pin_id: None,
                client,
                partner,
                on_date: date,
                ends_on,
                holder,
                agreed_by: "",
                note,
            };
            self.write_pin_request(client_name, write, event)
        };
        match decision {
            PinDecision::New { ends_on } => {
                let pin_id = write(PinWrite::New(ends_on), PinEventKind::Pinned, None)?
                    .ok_or_else(super::sql::no_row)?;
                Ok(PinOutcome::Pinned { pin_id, ends_on })
            }
            PinDecision::Extension { pin_id, ends_on } => {
                write(
                    PinWrite::Extend(pin_id, ends_on),
                    PinEventKind::Extended,
                    None,
                )?;
                Ok(PinOutcome::Extended { pin_id, ends_on })
            }
            PinDecision::Refused { holder, last_day } => {
                write(PinWrite::Nothing, PinEventKind::Refused, Some(holder))?;
                Ok(PinOutcome::Refused {
                    holder,
                    holder_label: self.partner_label(holder)?,
                    last_day,
                })
            }
        }
    }

    /// Writes what a pin request decided (see [`super::engine::Engine::write_pin_request`]).
    fn write_pin_request(
        &self,
        client_name: &str,
        write: PinWrite,
        e: NewEvent<'_>,
    ) -> Result<Option<PinId>, StoreError> {
        self.conn
            .engine()
            .write_pin_request(self, client_name, write, e)
    }

    /// Moves a pin's end with the event that moves it (written next).
    fn set_pin_end(
        &self,
        pin_id: PinId,
        ends_on: NaiveDate,
        released_on: Option<NaiveDate>,
    ) -> Result<(), StoreError> {
        self.conn
            .engine()
            .move_pin_end(self, pin_id, ends_on, released_on)
    }

    /// Extends a pin by agreement on `date`: +3 calendar months from its current end.
    pub fn extend_pin(
        &self,
        pin_id: PinId,
        date: NaiveDate,
        agreed_by: &str,
        note: &str,
    ) -> Result<NaiveDate, StoreError> {
        RuleError::check_text(crate::domain::TextField::PersonName, agreed_by)?;
        RuleError::check_text(crate::domain::TextField::Note, note)?;
        let (pin, client) = self.pin_by_id(pin_id)?;
        let pins = self.pins_of_client(&client)?;
        let ends_on = pin::extend(&pins, &pin, date).map_err(|e| self.named(e, &client))?;
        self.set_pin_end(pin_id, ends_on, None)?;
        self.record_event(NewEvent {
            kind: PinEventKind::Extended,
            pin_id: Some(pin_id),
            client: &client,
            partner: pin.partner,
            on_date: date,
            ends_on: Some(ends_on),
            holder: None,
            agreed_by,
            note,
        })?;
        Ok(ends_on)
    }

    /// Releases a pin early: from `date` on it is not in force.
    pub fn release_pin(
        &self,
        pin_id: PinId,
        date: NaiveDate,
        note: &str,
    ) -> Result<(), StoreError> {
        RuleError::check_text(crate::domain::TextField::Note, note)?;
        let (pin, client) = self.pin_by_id(pin_id)?;
        let ends_on = pin::release(&pin, date).map_err(|e| self.named(e, &client))?;
        self.set_pin_end(pin_id, ends_on, Some(date))?;
        self.record_event(NewEvent {
            kind: PinEventKind::Released,
            pin_id: Some(pin_id),
            client: &client,
            partner: pin.partner,
            on_date: date,
            ends_on: Some(ends_on),
            holder: None,
            agreed_by: "",
            note,
        })
    }

    /// Cancels the last extension or release of pin `pin_id`, recorded by mistake: the
    /// pin's term is put back as the event before it left it, and the event stays in the
    /// history, marked cancelled with `reason`, who and when. Refused when there is no such
    /// event (a pin recorded by mistake is released), and when the term put back would
    /// overlap another partner's pin of the client.
    pub fn cancel_pin_event(&self, pin_id: PinId, reason: &str) -> Result<(), StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RuleError::CancelReasonRequired.into());
        }
        RuleError::check_text(crate::domain::TextField::Reason, reason)?;
        let (pin, client) = self.pin_by_id(pin_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.event, e.on_date, e.ends_on FROM pin_events e
             WHERE e.pin_id = ?1
               AND NOT EXISTS (SELECT 1 FROM pin_corrections c WHERE c.pin_event_id = e.id)
             ORDER BY e.id",
        )?;
        let events = stmt
            .query_map([pin_id], |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<NaiveDate>(2)?,
                    r.get::<Option<NaiveDate>>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let (last, before) = match events.as_slice() {
            [.., before, last] if last.1 == "extended" || last.1 == "released" => (last, before),
            _ => return Err(RuleError::NothingToCancel.into()),
        };
        let ends_on = before.3.ok_or(RuleError::NothingToCancel)?;
        let released_on = (before.1 == "released").then_some(before.2);
        let event = if last.1 == "released" {
            "release"
        } else {
            "extension"
        };
        let restored = Pin {
            ends_on,
            released_on,
            ..pin
        };
        let others = self.pins_of_client(&client)?;
        if let Some(other) = others.iter().find(|o| {
            o.id != pin.id
                && o.partner != pin.partner
                && o.overlaps(restored.pinned_on, restored.ends_on)
        }) {
            return Err(RuleError::CancelConflicts {
                event,
                holder: self.partner_label(other.partner)?,
                from: other.pinned_on,
            }
            .into());
        }
        self.set_pin_end(pin_id, ends_on, released_on)?;
        self.conn
            .prepare_cached(
                "INSERT INTO pin_corrections (pin_event_id, corrected_at, corrected_by, reason)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute((last.0, self.stamp(), self.who(), reason))?;
        Ok(())
    }
}
