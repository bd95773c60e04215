//! One way to run SQL on either engine: the store's modules write their statements once, in
//! SQLite's words (`?1` parameters), and run them on a SQLite file or on a PostgreSQL server
//! through [`Conn`]. The server's connection reads them in its own words
//! ([`super::postgres::PgConn`]); values are converted where the two engines store them
//! differently ([`super::values`]).

pub use super::values::{Get, Param, Params, Row};

use super::StoreError;
use super::postgres::PgConn;

/// A connection of either engine, as the store's modules use it.
#[derive(Clone, Copy)]
pub enum Conn<'c> {
    Lite(&'c rusqlite::Connection),
    Pg(&'c PgConn),
}

impl<'c> Conn<'c> {
    /// The SQLite connection, for what only SQLite has (PRAGMAs, raw binding in the bulk
    /// loader); none on a server.
    pub fn lite(self) -> Option<&'c rusqlite::Connection> {
        match self {
            Conn::Lite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    pub fn is_server(self) -> bool {
        matches!(self, Conn::Pg(_))
    }

    /// A statement, prepared once per connection.
    pub fn prepare_cached(self, sql: &str) -> Result<Stmt<'c>, StoreError> {
        Ok(match self {
            Conn::Lite(c) => Stmt::Lite(c.prepare_cached(sql)?),
            Conn::Pg(c) => Stmt::Pg(c, sql.to_owned()),
        })
    }

    /// The one row `sql` gives (an error when it gives none, see [`Optional`]).
    pub fn query_row<T>(
        self,
        sql: &str,
        params: impl Params,
        f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Runs `sql`; how many rows it changed.
    pub fn execute(self, sql: &str, params: impl Params) -> Result<usize, StoreError> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs statements with no parameters, one after another.
    pub fn execute_batch(self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(c) => c.batch(sql),
        }
    }
}

/// A prepared statement of either engine.
pub enum Stmt<'c> {
    Lite(rusqlite::CachedStatement<'c>),
    Pg(&'c PgConn, String),
}

impl Stmt<'_> {
    /// Every row `f` makes of the result, in order.
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<std::vec::IntoIter<Result<T, StoreError>>, StoreError> {
        let rows = match self {
            Stmt::Lite(s) => {
                let list = params.list();
                let mut rows =
                    s.query(rusqlite::params_from_iter(list.iter().map(|p| p.lite())))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Lite(r)));
                }
                out
            }
            Stmt::Pg(c, sql) => c.run(sql, &params, |r| Ok(f(r)))?,
        };
        Ok(rows.into_iter())
    }

    /// Calls `f` on every row of the result, in order, without keeping them (SQLite reads
    /// them one at a time).
    pub fn for_each(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Stmt::Lite(s) => {
                let list = params.list();
                let mut rows =
                    s.query(rusqlite::params_from_iter(list.iter().map(|p| p.lite())))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Lite(r))?;
                }
                Ok(())
            }
            Stmt::Pg(c, sql) => c.run(sql, &params, f).map(drop),
        }
    }

    /// The first row of the result; [`no_row`] when there is none.
    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self {
            Stmt::Lite(s) => {
                let list = params.list();
                let mut rows =
                    s.query(rusqlite::params_from_iter(list.iter().map(|p| p.lite())))?;
                match rows.next()? {
                    Some(r) => f(&Row::Lite(r)),
                    None => Err(no_row()),
                }
            }
            Stmt::Pg(c, sql) => {
                let mut first = None;
                for value in c.run(sql, &params, |r| {
                    if first.is_none() {
                        Ok(Some(f(r)))
                    } else {
                        Ok(None)
                    }
                })? {
                    if first.is_none() {
                        first = value;
                    }
                }
                first.unwrap_or_else(|| Err(no_row()))
            }
        }
    }

    /// Runs the statement; how many rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize, StoreError> {
        match self {
            Stmt::Lite(s) => {
                let list = params.list();
                Ok(s.execute(rusqlite::params_from_iter(list.iter().map(|p| p.lite())))?)
            }
            Stmt::Pg(c, sql) => c.execute(sql, &params),
        }
    }
}

/// The error of a query that was to give a row and gave none.
pub fn no_row() -> StoreError {
    StoreError::NoRow
}

/// A query's "no row" as `None`, as rusqlite's `OptionalExtension` does.
pub trait Optional<T> {
    fn optional(self) -> Result<Option<T>, StoreError>;
}

impl<T> Optional<T> for Result<T, StoreError> {
    fn optional(self) -> Result<Option<T>, StoreError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
