//! Returns from a file: each row names the sale it returns, read, then recorded.

use super::*;

pub(super) struct ReturnLine {
    pub(super) date: NaiveDate,
    pub(super) sale_doc: String,
    pub(super) amount: Money,
    pub(super) doc: Option<String>,
}

pub(super) fn read_returns(table: &Table<'_>) -> Read<ReturnLine> {
    read_rows(table, |c| {
        let date = c.date("date");
        let sale_doc = c.required("sale_doc", |t| {
            TextField::Doc
                .check(t)
                .map(|()| t.to_owned())
                .map_err(Problem::Text)
        });
        let amount = c.amount("amount");
        let doc = c.free_text("doc", TextField::Doc);
        Some(ReturnLine {
            date: date?,
            sale_doc: sale_doc?,
            amount: amount?,
            doc: (!doc.is_empty()).then(|| doc.to_owned()),
        })
    })
}

pub(super) fn apply_returns(
    store: &mut Store,
    run: &Run<'_>,
    rows: &[(u64, ReturnLine)],
) -> Result<Summary, ImportError> {
    let column_of = |rule: &RuleError| match rule {
        RuleError::UnknownSale { .. } | RuleError::ReturnOfReturn => "sale_doc",
        RuleError::ReturnTooLarge { .. } => "amount",
        RuleError::DuplicateDoc { .. } | RuleError::Text { .. } => "doc",
        _ => "date",
    };
    let mut matched: HashMap<(i64, NaiveDate, Money), usize> = HashMap::new();
    apply(store, run, rows, column_of, |db, log, r, summary| {
        let sale = db
            .sale_by_doc(&r.sale_doc)?
            .ok_or_else(|| RuleError::UnknownSale {
                doc: r.sale_doc.clone(),
            })?;
        match &r.doc {
            Some(doc) => {
                let repeated = db.sale_by_doc(doc)?.is_some_and(|stored| {
                    let e = &stored.entry;
                    e.id <= log.stored_before("sales")
                        && e.return_of.as_ref().is_some_and(|o| o.sale_id == sale.id.0)
                        && e.date == r.date
                        && e.amount == r.amount
                });
                if repeated {
                    return Ok(Done::Skipped);
                }
            }
            None => {
                let seen = matched.entry((sale.id.0, r.date, r.amount)).or_default();
                if db.same_returns_before(log, sale.id.0, r.date, r.amount)? > *seen {
                    *seen += 1;
                    return Ok(Done::Skipped);
                }
            }
        }
        db.record_return(sale.id, r.date, r.amount, r.doc.as_deref())?;
        summary.returns += 1;
        summary.amount += r.amount;
        Ok(Done::Written)
    })
}
