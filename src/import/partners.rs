//! Partners from a file: each row read, then added or updated.

use super::requisites::REQUISITES;
use super::*;
use crate::domain::Requisites;
use crate::domain::requisites::{Field, Vat};

/// The requisites a row gives, and which fields its file has columns for (the others stay
/// as recorded).
pub(super) struct GivenRequisites {
    requisites: Requisites,
    given: Vec<Field>,
}

impl GivenRequisites {
    /// The recorded requisites with the given fields put in.
    fn over(&self, mut recorded: Requisites) -> Requisites {
        for field in &self.given {
            match field {
                Field::ContractDate => recorded.contract_date = self.requisites.contract_date,
                Field::Vat => recorded.vat = self.requisites.vat,
                _ => {
                    if let Some(to) = recorded.text_mut(*field) {
                        *to = self.requisites.text(*field).to_owned();
                    }
                }
            }
        }
        recorded
    }
}

/// A row's requisites, each field checked; a problem is said at its column.
fn read_requisites(table: &Table<'_>, c: &mut Cells<'_>) -> Option<GivenRequisites> {
    let given: Vec<(&str, Field)> = REQUISITES
        .into_iter()
        .filter(|(code, _)| table.has(code))
        .collect();
    let mut requisites = Requisites::default();
    for (code, field) in &given {
        let text = c.text(code);
        match field {
            Field::ContractDate => requisites.contract_date = c.optional(code, parse_date)?,
            Field::Vat => {
                requisites.vat = c
                    .optional(code, |t| {
                        Vat::parse(t).map_err(|e| Problem::Rule(RuleError::Requisite(Box::new(e))))
                    })?
                    .flatten();
            }
            _ => {
                if let Some(to) = requisites.text_mut(*field) {
                    *to = text.to_owned();
                }
            }
        }
    }
    let problems = requisites.problems();
    for problem in &problems {
        let code = given
            .iter()
            .find(|(_, f)| *f == problem.field())
            .map_or("", |(code, _)| code);
        c.fail(
            code,
            Problem::Rule(RuleError::Requisite(Box::new(problem.clone()))),
        );
    }
    problems.is_empty().then(|| GivenRequisites {
        requisites,
        given: given.into_iter().map(|(_, f)| f).collect(),
    })
}

pub(super) struct PartnerLine {
    pub(super) inn: Inn,
    pub(super) name: String,
    pub(super) status: Option<(Status, NaiveDate)>,
    pub(super) one_c_partner: Option<bool>,
    pub(super) requisites: GivenRequisites,
}

pub(super) fn read_partners(table: &Table<'_>) -> Read<PartnerLine> {
    let has_flag = table.has("one_c_partner");
    read_rows(table, |c| {
        let inn = c.inn("inn");
        let name = c.required("name", |t| {
            TextField::PartnerName
                .check(t)
                .map(|()| t.to_owned())
                .map_err(Problem::Text)
        });
        let status = c.optional("status", |t| {
            Status::read(t).map_err(|e| Problem::Status(t.to_owned(), e))
        });
        let since = c.optional("status_since", parse_date);
        let one_c_partner = has_flag.then(|| c.flag("one_c_partner", false));
        let requisites = read_requisites(table, c);
        let status = match (status?, since?) {
            (Some(status), Some(since)) => Some((status, since)),
            (Some(_), None) => {
                c.fail("status_since", Problem::StatusWithoutSince);
                None
            }
            (None, _) => None,
        };
        Some(PartnerLine {
            inn: inn?,
            name: name?,
            status,
            one_c_partner,
            requisites: requisites?,
        })
    })
}

pub(super) fn apply_partners(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, PartnerLine)],
) -> Result<Summary, ImportError> {
    apply(
        store,
        run,
        rows,
        |rule| match rule {
            RuleError::Text { .. } => "name",
            RuleError::Requisite(e) => REQUISITES
                .iter()
                .find(|(_, f)| *f == e.field())
                .map_or("inn", |(code, _)| code),
            _ => "inn",
        },
        |db, _, p, summary| {
            let mut done = Done::Skipped;
            let id = match db.partner_by_inn(&p.inn)? {
                Some(id) => {
                    let current = db.partner_facts(id)?;
                    let one_c = p.one_c_partner.unwrap_or(current.one_c_partner);
                    if current.name != p.name || current.one_c_partner != one_c {
                        db.update_partner(id, &p.name, one_c)?;
                        summary.partners_updated += 1;
                        done = Done::Written;
                    }
                    id
                }
                None => {
                    summary.partners_added += 1;
                    done = Done::Written;
                    db.add_partner(&p.inn, &p.name, p.one_c_partner.unwrap_or(false))?
                }
            };
            if !p.requisites.given.is_empty() {
                let recorded = db.partner_requisites(id)?;
                let wanted = p.requisites.over(recorded.clone());
                if wanted != recorded {
                    db.set_partner_requisites(id, &wanted)?;
                    summary.partners_updated += usize::from(matches!(done, Done::Skipped));
                    done = Done::Written;
                }
            }
            if let Some((status, since)) = p.status {
                let history = db.partner_facts(id)?.history;
                if !history.contains(since, Some(status)) {
                    db.add_status_change(id, since, Some(status), "")?;
                    summary.status_changes += 1;
                    done = Done::Written;
                }
            }
            Ok(done)
        },
    )
}
