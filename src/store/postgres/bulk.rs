//! What a team database writes many rows at a time: a load's sales by one COPY into the
//! table (its constraints and triggers on), its clients by COPY into a staging table and one
//! upsert.

use super::PgConn;
use crate::store::StoreError;
use crate::store::columns::{SaleColumn, joined};

/// Writes checked sales in their order, recorded at `stamp` by `who` (the server sets both
/// again: they are its own). One sale is one INSERT, which gives its id; more go by one COPY
/// into the table, whose constraints and triggers (the period lock, once for all the rows)
/// see every row as they see any other writer's. The columns are those a new sale is
/// written with ([`SaleColumn::written`]).
pub(crate) fn insert_sales(
    server: &PgConn,
    (stamp, who): (&str, &str),
    sales: &[crate::store::CheckedSale],
) -> Result<i64, StoreError> {
    use std::io::Write as _;
    if sales.is_empty() {
        return Ok(0);
    }
    static COLUMNS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let columns = COLUMNS.get_or_init(|| joined(SaleColumn::written()));
    if let [s] = sales {
        static INSERT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = INSERT.get_or_init(|| {
            let marks: Vec<String> = (1..=SaleColumn::written().count())
                .map(|i| format!("?{i}"))
                .collect();
            format!(
                "INSERT INTO sales ({columns}) VALUES ({}) RETURNING id",
                marks.join(", ")
            )
        });
        return server.query_row(
            sql,
            &s.params(None, SaleColumn::written(), (stamp, who)),
            |r| r.get(0),
        );
    }
    let mut csv = Vec::with_capacity(sales.len() * 128);
    let failed = |e: std::io::Error| StoreError::Server {
        server: server.shown.clone(),
        reason: e.to_string(),
    };
    {
        let mut client = server.client.borrow_mut();
        let mut copy = client
            .copy_in(&format!("COPY sales ({columns}) FROM STDIN (FORMAT csv)"))
            .map_err(|e| server.error(&e))?;
        for s in sales {
            for (i, column) in SaleColumn::written().enumerate() {
                if i > 0 {
                    csv.push(b',');
                }
                csv_value(&mut csv, s, column, (stamp, who));
            }
            csv.push(b'\n');
            if csv.len() >= 1 << 20 {
                copy.write_all(&csv).map_err(failed)?;
                csv.clear();
            }
        }
        copy.write_all(&csv).map_err(failed)?;
        // A document already stored is the unique index's refusal, said as
        // `RuleError::DuplicateDoc` (see `server_error`).
        copy.finish().map_err(|e| server.error(&e))?;
    }
    Ok(0)
}

/// The value of `column` of a checked sale as a field of a COPY row in CSV: NULL is an
/// empty field, a text (even an empty one) is quoted.
fn csv_value(
    csv: &mut Vec<u8>,
    s: &crate::store::CheckedSale,
    column: SaleColumn,
    (stamp, who): (&str, &str),
) {
    use std::io::Write as _;
    let flag = |csv: &mut Vec<u8>, b: bool| csv.push(if b { b't' } else { b'f' });
    match column {
        SaleColumn::Doc => csv_text(csv, s.doc.as_deref()),
        SaleColumn::Date => csv.extend_from_slice(&crate::store::sales_bulk::iso_date(s.date)),
        SaleColumn::PartnerId => {
            let _ = write!(csv, "{}", s.partner);
        }
        SaleColumn::ClientInn => csv.extend_from_slice(s.client_inn.as_str().as_bytes()),
        SaleColumn::Kind => csv.extend_from_slice(s.kind.as_bytes()),
        SaleColumn::AmountKop => {
            let _ = write!(csv, "{}", s.amount_kop);
        }
        SaleColumn::SelfReferred => flag(csv, s.role.self_referred),
        SaleColumn::ConnectedByPartner => flag(csv, s.role.connected_by_partner),
        SaleColumn::UsedInWork => flag(csv, s.role.used_in_work),
        SaleColumn::RecordedAt => csv.extend_from_slice(stamp.as_bytes()),
        SaleColumn::RecordedBy => csv_text(csv, Some(who)),
        SaleColumn::PremiumKop => {
            let _ = write!(csv, "{}", s.premium_kop);
        }
        SaleColumn::RatePct => {
            if let Some(rate) = s.rate {
                let _ = write!(csv, "{rate}");
            }
        }
        SaleColumn::Reason => csv_text(csv, s.reason),
        SaleColumn::Status => csv_text(csv, s.status),
        SaleColumn::OneCTerms => flag(csv, s.one_c_terms),
        // A checked sale is new: its id is the database's, and it returns nothing.
        SaleColumn::Id | SaleColumn::ReturnOf => {}
    }
}

/// A text field of a COPY row in CSV: NULL is an empty field, a text (even an empty one)
/// is quoted.
fn csv_text(csv: &mut Vec<u8>, v: Option<&str>) {
    if let Some(v) = v {
        csv.push(b'"');
        csv.extend_from_slice(v.replace('"', "\"\"").as_bytes());
        csv.push(b'"');
    }
}

/// Records the clients of a bulk load, many to a statement: COPY into a staging table and
/// one upsert (a name given replaces the one stored; an empty one keeps it). A client
/// given twice keeps its last name given.
pub(crate) fn upsert_clients(
    server: &PgConn,
    clients: &[(crate::domain::Inn, String)],
) -> Result<(), StoreError> {
    use std::io::Write as _;
    if clients.is_empty() {
        return Ok(());
    }
    let mut last: std::collections::HashMap<&str, &str> = Default::default();
    let mut order = Vec::new();
    for (inn, name) in clients {
        match last.get_mut(inn.as_str()) {
            Some(kept) if !name.is_empty() => *kept = name,
            Some(_) => {}
            None => {
                last.insert(inn.as_str(), name);
                order.push(inn.as_str());
            }
        }
    }
    server.batch(
        "CREATE TEMP TABLE IF NOT EXISTS clients_staging (inn text, name text)
             ON COMMIT DELETE ROWS;
         TRUNCATE clients_staging",
    )?;
    let mut csv = Vec::with_capacity(order.len() * 48);
    for inn in order {
        csv_text(&mut csv, Some(inn));
        csv.push(b',');
        csv_text(&mut csv, last.get(inn).copied());
        csv.push(b'\n');
    }
    {
        let mut client = server.client.borrow_mut();
        let mut copy = client
            .copy_in("COPY clients_staging (inn, name) FROM STDIN (FORMAT csv)")
            .map_err(|e| server.error(&e))?;
        copy.write_all(&csv).map_err(|e| StoreError::Server {
            server: server.shown.clone(),
            reason: e.to_string(),
        })?;
        copy.finish().map_err(|e| server.error(&e))?;
    }
    server.batch(
        "INSERT INTO clients (inn, name) SELECT inn, name FROM clients_staging
         ON CONFLICT (inn) DO UPDATE SET name = excluded.name WHERE excluded.name <> ''",
    )
}
