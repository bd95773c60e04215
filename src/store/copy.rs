//! Moving a whole database between a file and a team server: every table's rows, in one
//! transaction, with their ids. To a server, into a database that `server init` made and
//! that holds nothing yet; from a server, into a new file, put in place only when whole.
//! Before it commits, the copy is checked: every table has as many rows on both sides, and
//! every issued statement's stored JSON is the same, byte for byte, with the same SHA-256.

use std::fmt::Write as _;
use std::io::Write as _;

use super::postgres::{Found, Server};
use super::sqlite;
use super::values::pg_get;
use super::{CopyDifference, StoreError, Stored};

/// What a copy moved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows by table, in the order copied.
    pub tables: Vec<(&'static str, i64)>,
    /// Issued statements whose JSON was compared byte for byte.
    pub statements: i64,
    /// Statements (every partner, every month with sales) figured on both sides and found
    /// the same.
    pub same_statements: usize,
}

/// Figures every statement of every partner for every month with sales on both sides
/// and compares them: how many, or which one differs.
pub fn same_statements(
    a: &super::Db<'_>,
    b: &super::Db<'_>,
    today: chrono::NaiveDate,
) -> Result<usize, StoreError> {
    let months: Vec<(i64, String)> = a
        .conn
        .prepare_cached(
            "SELECT DISTINCT partner_id, substr(CAST(date AS TEXT), 1, 7) FROM sales ORDER BY 1, 2",
        )?
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (partner, month) in &months {
        let from = crate::domain::parse_date(&format!("{month}-01")).ok_or_else(|| {
            StoreError::UnknownValue {
                what: Stored::Month,
                column: "sales.date",
                value: month.clone(),
            }
        })?;
        let (from, to) = crate::domain::months_from(from, 1);
        let partner = crate::domain::PartnerId(*partner);
        if a.statement(partner, from, to, today)? != b.statement(partner, from, to, today)? {
            return Err(StoreError::StatementsDiffer {
                partner: partner.0,
                month: month.clone(),
            });
        }
    }
    Ok(months.len())
}

use super::columns::copied as tables;

/// Copies everything `file` holds into the server database, which must hold Partner Desk's
/// schema at this version and no data. All of it is committed, or none.
pub fn file_to_server(file: &sqlite::FileStore, server: &mut Server) -> Result<Copied, StoreError> {
    holds_our_schema(server)?;
    let shown = server.shown().to_owned();
    let mut tx = server.begin()?;
    let fail = |e: postgres::Error| super::postgres::server_error(&shown, &e);
    // Only into a database that holds nothing yet.
    let held: i64 = pg_get(
        &tx.query_one(
            "SELECT (SELECT count(*) FROM partner_desk.partners) + (SELECT count(*) FROM partner_desk.sales)
                  + (SELECT count(*) FROM partner_desk.pins) + (SELECT count(*) FROM partner_desk.issued_statements)",
            &[],
        )
        .map_err(fail)?,
        0,
        "",
    )?;
    if held > 0 {
        return Err(StoreError::Server {
            server: shown.clone(),
            reason: "it holds data already; a copy goes only into an empty team database".into(),
        });
    }
    // The rows go in as the file stored them, as only the owner may put them: who recorded
    // each and when, the pins as they stand (not made again from their events), history
    // past the append-only triggers. A new team database starts with the regulation's
    // rates, as a new file does; the copy brings the file's own versions instead.
    tx.batch_execute(
        "SET LOCAL partner_desk.restoring = 'on';
         DELETE FROM partner_desk.rate_cells; DELETE FROM partner_desk.rate_versions;",
    )
    .map_err(fail)?;
    let mut copied = Copied::default();
    for (table, columns) in tables() {
        let columns = columns.as_str();
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
        let on_server: i64 = pg_get(
            &tx.query_one(&format!("SELECT count(*) FROM partner_desk.{table}"), &[])
                .map_err(fail)?,
            0,
            table,
        )?;
        if on_server != rows {
            return Err(StoreError::CopyDiffers(CopyDifference::Rows {
                table: table.to_owned(),
                copied: rows,
                copy: on_server,
            }));
        }
        copied.tables.push((table, rows));
    }
    // Ids go on from the largest copied.
    let mut reset = String::new();
    for (table, columns) in tables() {
        if columns.starts_with("id,") {
            let _ = write!(
                reset,
                "SELECT setval(pg_get_serial_sequence('partner_desk.{table}', 'id'), \
                 coalesce((SELECT max(id) FROM partner_desk.{table}), 0) + 1, false);"
            );
        }
    }
    tx.batch_execute(&reset).map_err(fail)?;
    copied.statements = statements_as_stored(file, &mut tx, &shown)?;
    tx.commit().map_err(fail)?;
    Ok(copied)
}

/// The server holds Partner Desk's schema at this program's version.
fn holds_our_schema(server: &mut Server) -> Result<(), StoreError> {
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
            return Err(StoreError::ForeignServerSchema {
                server: server.shown().to_owned(),
            });
        }
    }
    Ok(())
}

/// Every issued statement of `file` is on the server as stored, byte for byte: how many.
fn statements_as_stored(
    file: &sqlite::FileStore,
    tx: &mut postgres::Transaction<'_>,
    shown: &str,
) -> Result<i64, StoreError> {
    let mut statements = 0;
    for (number, json, sha256) in file.issued_json()? {
        let row = tx
            .query_one(
                "SELECT json, sha256 FROM partner_desk.issued_statements WHERE number = $1",
                &[&number],
            )
            .map_err(|e| super::postgres::server_error(shown, &e))?;
        let table = "issued_statements";
        let (there, there_sha): (Vec<u8>, String) =
            (pg_get(&row, 0, table)?, pg_get(&row, 1, table)?);
        if there != json || there_sha != sha256 {
            return Err(StoreError::CopyDiffers(CopyDifference::Statement {
                number,
            }));
        }
        statements += 1;
    }
    Ok(statements)
}

/// How many rows of a table a copy from the server reads at a time.
const PAGE_ROWS: i64 = 50_000;

/// Copies everything the team database holds into a new file at `target` (an archive on
/// this computer, which opens as any file does). The file is written beside `target` and
/// put in place only when the copy is whole and checked; a file already at `target` is
/// replaced then.
pub fn server_to_file(
    server: &super::postgres::PgConn,
    target: &std::path::Path,
) -> Result<Copied, StoreError> {
    let partial = target.with_extension("partial.sqlite3");
    let _ = std::fs::remove_file(&partial);
    let copied = copy_into(server, &partial, target);
    // Nothing half-written is left behind, whatever stopped the copy (a full disk).
    if copied.is_err() {
        sqlite::remove_with_journal(&partial);
    }
    copied
}

/// [`server_to_file`] into the new file `partial`, renamed to `target` once checked.
fn copy_into(
    server: &super::postgres::PgConn,
    partial: &std::path::Path,
    target: &std::path::Path,
) -> Result<Copied, StoreError> {
    let file = sqlite::FileStore::open(partial)?;
    let copied = file.fill_from(&mut |table, columns, take| {
        let mut client = server.client.borrow_mut();
        let fail = |e: postgres::Error| server.error(&e);
        let paged = columns.starts_with("id,");
        let mut after = 0i64;
        let mut count = 0i64;
        loop {
            let sql = if paged {
                format!("SELECT {columns} FROM {table} WHERE id > $1 ORDER BY id LIMIT {PAGE_ROWS}")
            } else {
                format!("SELECT {columns} FROM {table} WHERE $1::bigint IS NOT NULL")
            };
            let rows = client.query(sql.as_str(), &[&after]).map_err(fail)?;
            for row in &rows {
                let values = (0..row.len())
                    .map(|i| lite_value(table, row, i))
                    .collect::<Result<Vec<_>, _>>()?;
                take(&values)?;
                if paged {
                    after = pg_get(row, 0, table)?;
                }
            }
            count += rows.len() as i64;
            if !paged || (rows.len() as i64) < PAGE_ROWS {
                break;
            }
        }
        Ok(count)
    })?;
    // The same rows on both sides, and every issued statement byte for byte.
    let conn = super::sql::Conn::Pg(server);
    for (table, rows) in &copied {
        let there: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0))?;
        if there != *rows {
            return Err(StoreError::CopyDiffers(CopyDifference::Rows {
                table: (*table).to_owned(),
                copied: there,
                copy: *rows,
            }));
        }
    }
    let mut statements = 0;
    for (number, json, sha256) in file.issued_json()? {
        let (there, there_sha): (Vec<u8>, String) = conn.query_row(
            "SELECT json, sha256 FROM issued_statements WHERE number = ?1",
            [number.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if there != json || there_sha != sha256 {
            return Err(StoreError::CopyDiffers(CopyDifference::Statement {
                number,
            }));
        }
        statements += 1;
    }
    file.close();
    std::fs::rename(partial, target).map_err(|e| StoreError::CannotOpen {
        path: target.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(Copied {
        tables: copied,
        statements,
        ..Copied::default()
    })
}

/// A server's value of `table` as SQLite keeps it (see `sql`): dates and times as text,
/// booleans as integers, rates as text, JSON as a blob.
fn lite_value(
    table: &str,
    row: &postgres::Row,
    i: usize,
) -> Result<rusqlite::types::Value, StoreError> {
    lite_value_of(row, i).map_err(|e| super::values::wrong_type_on_server(row, i, table, &e))
}

/// [`lite_value`], with the driver's words when the value is not of the type it reads.
fn lite_value_of(
    row: &postgres::Row,
    i: usize,
) -> Result<rusqlite::types::Value, Box<dyn std::error::Error + Sync + Send>> {
    use postgres::types::Type;
    use rusqlite::types::Value;
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .ok_or_else(|| format!("no column {}", i + 1))?;
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Value::Null, |n| Value::Integer(n.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, |b| Value::Integer(b.into())),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Value::Null, Value::Blob),
        Type::NUMERIC => row
            .try_get::<_, Option<rust_decimal::Decimal>>(i)?
            .map_or(Value::Null, |d| Value::Text(d.normalize().to_string())),
        _ => {
            let text: Option<String> =
                super::sql::Row::Pg(row).get(i).map_err(|e| e.to_string())?;
            text.map_or(Value::Null, Value::Text)
        }
    })
}
