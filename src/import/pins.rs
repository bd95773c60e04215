//! Pins from a file: each row a request, an extension or a release, read, then applied
//! in the order of the file.

use super::*;

/// What a row of a pins file does to the stop-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinAction {
    Pin,
    Extend,
    Release,
}

impl Named for PinAction {
    fn every() -> &'static [PinAction] {
        &[PinAction::Pin, PinAction::Extend, PinAction::Release]
    }

    fn shown(self, lang: Lang) -> &'static str {
        match self {
            PinAction::Pin => lang.pick("закрепление", "pin"),
            PinAction::Extend => lang.pick("продление", "extend"),
            PinAction::Release => lang.pick("снятие", "release"),
        }
    }
}

/// The actions of a pins file, as codes and in Russian as a noun, a verb or done.
static PIN_ACTIONS: Names<PinAction> = Names::new(|| {
    let forms: [(PinAction, &[&'static str]); 3] = [
        (
            PinAction::Pin,
            &[
                "pin",
                "закрепление",
                "закрепить",
                "закреплен",
                "закреплено",
                "закрепили",
            ],
        ),
        (
            PinAction::Extend,
            &[
                "extend",
                "продление",
                "продлить",
                "продлен",
                "продлено",
                "продлили",
            ],
        ),
        (
            PinAction::Release,
            &[
                "release",
                "снятие",
                "снять",
                "снят",
                "снято",
                "сняли",
                "освободить",
                "открепить",
            ],
        ),
    ];
    forms
        .into_iter()
        .flat_map(|(action, names)| names.iter().map(move |name| (*name, vec![action])))
        .collect()
});

impl PinAction {
    /// The stop-list events that a row with this action, once applied, leaves.
    fn events(self) -> &'static [&'static str] {
        match self {
            PinAction::Pin => &["pinned", "extended"],
            PinAction::Extend => &["extended"],
            PinAction::Release => &["released"],
        }
    }
}

pub(super) struct PinLine {
    pub(super) date: NaiveDate,
    pub(super) client: Inn,
    pub(super) partner: Inn,
    pub(super) action: PinAction,
    pub(super) client_name: String,
    pub(super) agreed_by: String,
    pub(super) note: String,
}

pub(super) fn read_pins(table: &Table<'_>) -> Read<PinLine> {
    let (mut rows, errors) = read_rows(table, |c| {
        let date = c.date("date");
        let client = c.inn("client_inn");
        let partner = c.inn("partner_inn");
        let action = c.optional("action", |t| {
            PIN_ACTIONS
                .parse(t)
                .map_err(|e| Problem::Action(t.to_owned(), e))
        });
        let client_name = c.free_text("client_name", TextField::ClientName);
        let agreed_by = c.free_text("agreed_by", TextField::PersonName);
        let note = c.free_text("note", TextField::Note);
        Some(PinLine {
            date: date?,
            client: client?,
            partner: partner?,
            action: action?.unwrap_or(PinAction::Pin),
            client_name: client_name.to_owned(),
            agreed_by: agreed_by.to_owned(),
            note: note.to_owned(),
        })
    });
    // Date order, file order within a day (the sort is stable).
    rows.sort_by_key(|(_, p)| p.date);
    (rows, errors)
}

pub(super) fn apply_pins(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, PinLine)],
) -> Result<Summary, ImportError> {
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        RuleError::PinNotInForce { .. } | RuleError::NoPinInForce { .. } => "date",
        RuleError::Text {
            field: TextField::Note,
            ..
        } => "note",
        RuleError::Text {
            field: TextField::PersonName,
            ..
        } => "agreed_by",
        RuleError::Text { .. } => "client_name",
        _ => "client_inn",
    };
    apply(store, run, rows, column_of, |db, log, p, summary| {
        let partner = partner_of(db, &p.partner)?;
        if db.pin_event_before(log, &p.client, partner, p.date, p.action.events())? {
            return Ok(Done::Skipped);
        }
        if p.action == PinAction::Pin {
            return match db.request_pin(&p.client, &p.client_name, partner, p.date, &p.note)? {
                PinOutcome::Pinned { .. } => {
                    summary.pins_added += 1;
                    Ok(Done::Written)
                }
                PinOutcome::Extended { .. } => {
                    summary.pins_extended += 1;
                    Ok(Done::Written)
                }
                PinOutcome::Refused {
                    holder_label,
                    last_day,
                    ..
                } => Err(RuleError::PinConflict {
                    client: p.client,
                    holder: holder_label,
                    last_day,
                }
                .into()),
            };
        }
        db.upsert_client(&p.client, &p.client_name)?;
        let pin = db
            .pin_in_force(&p.client, partner, p.date)?
            .ok_or_else(|| RuleError::NoPinInForce {
                client: p.client,
                partner: db.partner_label(partner).unwrap_or_default(),
                date: p.date,
            })?;
        if p.action == PinAction::Extend {
            db.extend_pin(pin.id, p.date, &p.agreed_by, &p.note)?;
            summary.pins_extended += 1;
        } else {
            db.release_pin(pin.id, p.date, &p.note)?;
            summary.pins_released += 1;
        }
        Ok(Done::Written)
    })
}
