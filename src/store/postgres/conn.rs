//! A connection to a team database, with its statements prepared once each and read in
//! the server's words: the store writes them in SQLite's (`?1`), see [`for_server`].

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::ToSql;

use crate::store::StoreError;
use crate::store::values::{Params, PgValue, Row};

/// How many prepared statements a server connection keeps (SQLite's cache keeps 128).
const STATEMENTS_KEPT: usize = 256;

/// A connection to a team database, with its statements prepared once each.
pub struct PgConn {
    pub(crate) client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// The database as shown to people: `user@host:port/database`.
    pub(crate) shown: String,
    /// The address it was opened by (it never holds a password).
    pub(crate) url: String,
    /// The server process serving this connection: what it announces is its own.
    pub(crate) backend_pid: i32,
    /// The login connected: what the server records as who did what.
    pub(crate) login: String,
}

impl PgConn {
    pub(crate) fn new(
        client: postgres::Client,
        shown: String,
        url: String,
        (backend_pid, login): (i32, String),
    ) -> PgConn {
        PgConn {
            client: RefCell::new(client),
            statements: Default::default(),
            shown,
            url,
            backend_pid,
            login,
        }
    }

    pub(crate) fn error(&self, e: &postgres::Error) -> StoreError {
        super::server_error(&self.shown, e)
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(found) = self.statements.borrow().get(sql) {
            return Ok(found.clone());
        }
        let prepared = self
            .client
            .borrow_mut()
            .prepare(&for_server(sql))
            .map_err(|e| {
                tracing::warn!("the server could not prepare: {sql}");
                self.error(&e)
            })?;
        let mut statements = self.statements.borrow_mut();
        // Lists of ids make statements of their own: keep the cache from growing forever.
        if statements.len() >= STATEMENTS_KEPT {
            statements.clear();
        }
        statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    /// Runs the statement `sql` with `params` through `call` (a query or an execute).
    fn call<T>(
        &self,
        sql: &str,
        params: &dyn Params,
        call: impl FnOnce(
            &mut postgres::Client,
            &postgres::Statement,
            &[&(dyn ToSql + Sync)],
        ) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let statement = self.statement(sql)?;
        let values: Vec<PgValue<'_>> = params.list().into_iter().map(|p| p.pg()).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        call(&mut self.client.borrow_mut(), &statement, &refs).map_err(|e| self.error(&e))
    }

    pub(crate) fn run<T>(
        &self,
        sql: &str,
        params: &dyn Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = self.call(sql, params, |c, s, p| c.query(s, p))?;
        rows.iter().map(|r| f(&Row::Pg(r))).collect()
    }

    pub(crate) fn execute(&self, sql: &str, params: &dyn Params) -> Result<usize, StoreError> {
        Ok(self.call(sql, params, |c, s, p| c.execute(s, p))? as usize)
    }

    /// The first row `sql` gives, read by `f`; [`StoreError::NoRow`] when there is none.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &dyn Params,
        f: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let rows = self.call(sql, params, |c, s, p| c.query(s, p))?;
        match rows.first() {
            Some(row) => f(&Row::Pg(row)),
            None => Err(StoreError::NoRow),
        }
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.error(&e))
    }
}

/// ICU's root collation, which every PostgreSQL built with ICU has: it orders and lowers
/// Cyrillic whatever locale the database was made with.
const ICU: &str = "COLLATE \"und-x-icu\"";

/// SQLite's statement as the server reads it: `?N` and `?` as `$N`, `casefold(x)` as
/// `lower(x)` by ICU's rules, and `COLLATE NOCASE` as ICU's collation. Quoted text is left
/// as it is.
pub(crate) fn for_server(sql: &str) -> String {
    let sql = lower_by_icu(&sql.replace("COLLATE NOCASE", ICU));
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    let mut next = 1;
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next.to_string();
                }
                // A bare `?` takes the number after the largest so far, as in SQLite.
                next = next.max(digits.parse::<usize>().unwrap_or(0) + 1);
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every `casefold(x)` as `lower((x) COLLATE "und-x-icu")`.
fn lower_by_icu(sql: &str) -> String {
    const CALL: &str = "casefold(";
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    while let Some(at) = rest.find(CALL) {
        out.push_str(&rest[..at]);
        let inner = &rest[at + CALL.len()..];
        let mut depth = 1;
        let end = inner
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(inner.len(), |(i, _)| i);
        out.push_str(&format!("lower(({}) {ICU})", &inner[..end]));
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_reads_sqlite_parameters_as_numbered_ones_and_leaves_quoted_text() {
        assert_eq!(
            for_server("SELECT a FROM t WHERE b = ?1 AND c LIKE ?2 || '%?' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c LIKE $2 || '%?' AND d = $3"
        );
        assert_eq!(
            for_server("WHERE x = ? OR casefold(name) LIKE ? ORDER BY name COLLATE NOCASE"),
            "WHERE x = $1 OR lower((name) COLLATE \"und-x-icu\") LIKE $2 ORDER BY name COLLATE \"und-x-icu\""
        );
        assert_eq!(
            for_server("casefold(coalesce(s.doc, '')) LIKE ?1"),
            "lower((coalesce(s.doc, '')) COLLATE \"und-x-icu\") LIKE $1"
        );
    }
}
