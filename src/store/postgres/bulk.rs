//! What a team database writes many rows at a time: a load's sales by one COPY into the
//! table (its constraints and triggers on), its clients by COPY into a staging table and one
//! upsert.

use crate::store::StoreError;
use crate::store::sql::{Conn, PgConn};

/// The columns of `sales` a load writes, in the order of its COPY rows.
const SALE_COLUMNS: &str = "recorded_at, doc, date, partner_id, client_inn, kind, amount_kop, \
    self_referred, connected_by_partner, used_in_work, premium_kop, rate_pct, reason, status, one_c_terms";

/// Writes checked sales in their order. One sale is one INSERT, which gives its id; more
/// go by one COPY into the table, whose constraints and triggers (the period lock, once
/// for all the rows) see every row as they see any other writer's.
pub(crate) fn insert_sales(
    server: &PgConn,
    stamp: &str,
    sales: &[crate::store::CheckedSale],
) -> Result<i64, StoreError> {
    use std::io::Write as _;
    if sales.is_empty() {
        return Ok(0);
    }
    let conn = Conn::Pg(server);
    if let [s] = sales {
        return conn.query_row(
            &format!(
                "INSERT INTO sales ({SALE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 RETURNING id"
            ),
            s.with_columns(&stamp),
            |r| r.get(0),
        );
    }
    let mut csv = Vec::with_capacity(sales.len() * 128);
    let flag = |b: bool| if b { "t," } else { "f," };
    {
        let mut client = server.client.borrow_mut();
        let mut copy = client
            .copy_in(&format!(
                "COPY sales ({SALE_COLUMNS}) FROM STDIN (FORMAT csv)"
            ))
            .map_err(|e| server.error(&e))?;
        for s in sales {
            let _ = write!(csv, "{stamp},");
            csv_text(&mut csv, s.doc.as_deref());
            let _ = write!(
                csv,
                "{},{},{},{},{},",
                s.date.format("%Y-%m-%d"),
                s.partner,
                s.client_inn.as_str(),
                s.kind,
                s.amount_kop
            );
            csv.extend_from_slice(flag(s.role.self_referred).as_bytes());
            csv.extend_from_slice(flag(s.role.connected_by_partner).as_bytes());
            csv.extend_from_slice(flag(s.role.used_in_work).as_bytes());
            let _ = write!(csv, "{},", s.premium_kop);
            if let Some(rate) = s.rate {
                let _ = write!(csv, "{rate}");
            }
            csv.push(b',');
            csv_text(&mut csv, s.reason);
            csv_text(&mut csv, s.status);
            csv.extend_from_slice(if s.one_c_terms { b"t\n" } else { b"f\n" });
            if csv.len() >= 1 << 20 {
                copy.write_all(&csv).map_err(|e| StoreError::Server {
                    server: server.shown.clone(),
                    reason: e.to_string(),
                })?;
                csv.clear();
            }
        }
        copy.write_all(&csv).map_err(|e| StoreError::Server {
            server: server.shown.clone(),
            reason: e.to_string(),
        })?;
        // A document already stored is the unique index's refusal, said as
        // `RuleError::DuplicateDoc` (see `server_error`).
        copy.finish().map_err(|e| server.error(&e))?;
    }
    Ok(0)
}

/// A text field of a COPY row in CSV, and its comma: NULL is an empty field, a text
/// (even an empty one) is quoted.
fn csv_text(csv: &mut Vec<u8>, v: Option<&str>) {
    if let Some(v) = v {
        csv.push(b'"');
        csv.extend_from_slice(v.replace('"', "\"\"").as_bytes());
        csv.push(b'"');
    }
    csv.push(b',');
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
        csv.pop();
        csv.push(b',');
        csv_text(&mut csv, last.get(inn).copied());
        csv.pop();
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
