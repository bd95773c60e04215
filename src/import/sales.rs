//! Sales from a file: each row read, checked as a sale recorded by hand is, and written;
//! rows equal to what is stored are skipped.

use super::*;

pub(super) struct SaleLine {
    pub(super) sale: NewSale,
    pub(super) partner_inn: Inn,
}

pub(super) fn read_sales(table: &Table<'_>) -> Read<SaleLine> {
    read_rows(table, read_sale)
}

pub(super) fn read_sale(c: &mut Cells<'_>) -> Option<SaleLine> {
    {
        let date = c.date("date");
        let partner_inn = c.inn("partner_inn");
        let client_inn = c.inn("client_inn");
        let kind = c.required("kind", |t| {
            LicenseKind::read(t).map_err(|e| Problem::Kind(t.to_owned(), e))
        });
        let amount = c.amount("amount");
        let role = RoleFacts {
            self_referred: c.flag("self_referred", false),
            connected_by_partner: c.flag("connected_by_partner", true),
            used_in_work: c.flag("used_in_work", true),
        };
        let doc = c.free_text("doc", TextField::Doc);
        let client_name = c.free_text("client_name", TextField::ClientName);
        Some(SaleLine {
            sale: NewSale {
                doc: (!doc.is_empty()).then(|| doc.to_owned()),
                date: date?,
                partner: PartnerId(0),
                client_inn: client_inn?,
                client_name: client_name.to_owned(),
                kind: kind?,
                amount: amount?,
                role,
            },
            partner_inn: partner_inn?,
        })
    }
}

/// A stored sale that a row repeats: same fields, stored before this import.
pub(super) fn repeats(stored: &crate::store::SaleRow, log: &ImportLog, sale: &NewSale) -> bool {
    let e = &stored.entry;
    e.id <= log.stored_before("sales")
        && e.return_of.is_none()
        && stored.partner == sale.partner
        && e.date == sale.date
        && e.client_inn == sale.client_inn
        && e.kind == sale.kind
        && e.amount == sale.amount
        && e.role == sale.role
}

/// The column a refusal of a sale row is told under.
pub(super) fn sale_column(rule: &RuleError) -> &'static str {
    match rule {
        RuleError::UnknownPartner { .. } => "partner_inn",
        // The date is what has to change: into a period no issued statement locks.
        RuleError::PeriodLocked { .. } => "date",
        RuleError::DuplicateDoc { .. }
        | RuleError::Text {
            field: TextField::Doc,
            ..
        } => "doc",
        RuleError::Text { .. } => "client_name",
        _ => "client_inn",
    }
}

/// Rows without a document already matched to stored sales, by what they are.
pub(super) type Matched = HashMap<(NaiveDate, PartnerId, Inn, LicenseKind, Money), usize>;

/// Whether the sale repeats one stored before this import: such a row is skipped.
pub(super) fn repeats_stored(
    db: &crate::store::Db<'_>,
    log: &ImportLog,
    sale: &NewSale,
    matched: &mut Matched,
) -> Result<bool, StoreError> {
    // With no sale stored before the import there is nothing a row could repeat.
    if log.stored_before("sales") == 0 {
        return Ok(false);
    }
    match &sale.doc {
        // Most documents are new: a cheap look first, the whole sale only if found.
        Some(doc) => Ok(db.sale_id_by_doc(doc)?.is_some()
            && db.sale_by_doc(doc)?.is_some_and(|s| repeats(&s, log, sale))),
        None => {
            let key = (
                sale.date,
                sale.partner,
                sale.client_inn,
                sale.kind,
                sale.amount,
            );
            let seen = matched.entry(key).or_default();
            let stored = db.same_sales_before(
                log,
                sale.date,
                sale.partner,
                &sale.client_inn,
                sale.kind,
                sale.amount,
            )?;
            if stored > *seen {
                *seen += 1;
                return Ok(true);
            }
            Ok(false)
        }
    }
}

pub(super) fn apply_sales(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, SaleLine)],
) -> Result<Summary, ImportError> {
    let mut matched = Matched::new();
    let mut partners: HashMap<Inn, PartnerId> = HashMap::new();
    apply(store, run, rows, sale_column, |db, log, line, summary| {
        let partner = match partners.get(&line.partner_inn) {
            Some(id) => *id,
            None => {
                let id = partner_of(db, &line.partner_inn)?;
                partners.insert(line.partner_inn, id);
                id
            }
        };
        let sale = NewSale {
            partner,
            ..line.sale.clone()
        };
        if repeats_stored(db, log, &sale, &mut matched)? {
            return Ok(Done::Skipped);
        }
        db.record_sale(&sale)?;
        summary.sales += 1;
        summary.amount += sale.amount;
        Ok(Done::Written)
    })
}
