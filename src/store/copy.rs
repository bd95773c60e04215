//! Moving a whole database from a file to a team server: every table's rows, in one server
//! transaction, with their ids, into a database that `server init` made and that holds
//! nothing yet. Before it commits, the copy is checked: every table has as many rows on the
//! server as in the file, and every issued statement's stored JSON is the same, byte for
//! byte, with the same SHA-256.

use std::fmt::Write as _;
use std::io::Write as _;

use super::StoreError;
use super::postgres::{Found, Server};
use super::sqlite;

/// What a copy moved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows by table, in the order copied.
    pub tables: Vec<(&'static str, i64)>,
    /// Issued statements whose JSON was compared byte for byte.
    pub statements: i64,
}

/// The tables copied, in an order that keeps every reference and rule: sales before the
/// statements that lock their periods (the server's lock refuses a sale inside one).
/// Each with the columns both schemas have. The undo log of the last import stays behind:
/// an import is undone where it was made.
const TABLES: [(&str, &str); 15] = [
    (
        "partners",
        "id, inn, name, one_c_partner, site_page_url, site_checked_on, initiates_meetings, offers_upgrades, clients_use_service, created_at",
    ),
    ("specialists", "id, partner_id, name, certified_on"),
    (
        "status_changes",
        "id, partner_id, effective_from, status, note, recorded_at",
    ),
    ("clients", "inn, name"),
    (
        "pins",
        "id, client_inn, partner_id, pinned_on, ends_on, released_on",
    ),
    (
        "pin_events",
        "id, pin_id, client_inn, partner_id, event, on_date, ends_on, holder_partner_id, agreed_by, note, recorded_at",
    ),
    (
        "pin_corrections",
        "id, pin_event_id, corrected_at, corrected_by, reason",
    ),
    ("rate_versions", "id, effective_from, note, recorded_at"),
    ("rate_cells", "version_id, kind, status, rate_pct"),
    (
        "sales",
        "id, doc, date, partner_id, client_inn, kind, amount_kop, self_referred, connected_by_partner, used_in_work, return_of, recorded_at, premium_kop, rate_pct, reason, status, one_c_terms",
    ),
    (
        "sale_corrections",
        "id, sale_id, corrected_at, corrected_by, action, before, after",
    ),
    (
        "issued_statements",
        "id, number, partner_id, period_from, period_to, issued_on, json, sha256, lines, amount_kop, premium_kop, reopened_on, reopen_reason, recorded_at",
    ),
    (
        "statement_events",
        "id, statement_id, event, on_date, reason, recorded_at",
    ),
    (
        "imports",
        "id, kind, file, imported_at, change_seq, high_water, summary, undone_at",
    ),
    ("import_layouts", "layout, kind, columns, saved_at"),
];

/// Copies everything `file` holds into the server database, which must hold Partner Desk's
/// schema at this version and no data. All of it is committed, or none.
pub fn file_to_server(file: &sqlite::Store, server: &mut Server) -> Result<Copied, StoreError> {
    match server.found()? {
        Found::Ours(v) if v == super::postgres::SERVER_SCHEMA_VERSION => {}
        Found::Ours(found) => {
            return Err(StoreError::NewerSchema {
                path: server.shown().to_owned(),
                found,
                supported: super::postgres::SERVER_SCHEMA_VERSION,
            });
        }
        Found::Empty => {
            return Err(StoreError::Server {
                server: server.shown().to_owned(),
                reason: "it holds no Partner Desk schema yet; run partner-desk server init first"
                    .into(),
            });
        }
        Found::Foreign => {
            return Err(StoreError::NotADatabase {
                path: server.shown().to_owned(),
            });
        }
    }
    let shown = server.shown().to_owned();
    let mut tx = server.begin()?;
    let fail = |e: postgres::Error| super::postgres::server_error(&shown, &e);
    // Only into a database that holds nothing yet.
    let held: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM partner_desk.partners) + (SELECT count(*) FROM partner_desk.sales)
                  + (SELECT count(*) FROM partner_desk.pins) + (SELECT count(*) FROM partner_desk.issued_statements)",
            &[],
        )
        .map_err(fail)?
        .get(0);
    if held > 0 {
        return Err(StoreError::Server {
            server: shown.clone(),
            reason: "it holds data already; a copy goes only into an empty team database".into(),
        });
    }
    let mut copied = Copied::default();
    for (table, columns) in TABLES {
        let rows = file.table_as_csv(table, columns, &mut |csv| {
            let sql = format!("COPY partner_desk.{table} ({columns}) FROM STDIN (FORMAT csv)");
            let mut writer = tx.copy_in(sql.as_str()).map_err(fail)?;
            writer.write_all(csv).map_err(|e| StoreError::Server {
                server: shown.clone(),
                reason: e.to_string(),
            })?;
            writer.finish().map_err(fail)?;
            Ok(())
        })?;
        let on_server: i64 = tx
            .query_one(&format!("SELECT count(*) FROM partner_desk.{table}"), &[])
            .map_err(fail)?
            .get(0);
        if on_server != rows {
            return Err(StoreError::Server {
                server: shown.clone(),
                reason: format!("{table}: {rows} rows in the file, {on_server} on the server"),
            });
        }
        copied.tables.push((table, rows));
    }
    // Ids go on from the largest copied.
    let mut reset = String::new();
    for (table, columns) in TABLES {
        if columns.starts_with("id,") {
            let _ = write!(
                reset,
                "SELECT setval(pg_get_serial_sequence('partner_desk.{table}', 'id'), \
                 coalesce((SELECT max(id) FROM partner_desk.{table}), 0) + 1, false);"
            );
        }
    }
    tx.batch_execute(&reset).map_err(fail)?;
    // Every issued statement as stored, byte for byte.
    for (number, json, sha256) in file.issued_json()? {
        let row = tx
            .query_one(
                "SELECT json, sha256 FROM partner_desk.issued_statements WHERE number = $1",
                &[&number],
            )
            .map_err(fail)?;
        let (there, there_sha): (Vec<u8>, String) = (row.get(0), row.get(1));
        if there != json || there_sha != sha256 {
            return Err(StoreError::Server {
                server: shown.clone(),
                reason: format!("statement {number} is not the same on the server"),
            });
        }
        copied.statements += 1;
    }
    tx.commit().map_err(fail)?;
    Ok(copied)
}
