//! Partners from a file: each row read, then added or updated.

use super::*;

pub(super) struct PartnerLine {
    pub(super) inn: Inn,
    pub(super) name: String,
    pub(super) status: Option<(Status, NaiveDate)>,
    pub(super) one_c_partner: Option<bool>,
}

pub(super) fn read_partners(table: &Table<'_>) -> Result<Vec<(u64, PartnerLine)>, ImportError> {
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
