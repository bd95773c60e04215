//! One way to run SQL on either engine: the store's modules write their statements once, in
//! SQLite's words (`?1` parameters), and run them on a SQLite file or on a PostgreSQL server
//! through [`Conn`]. For the server, parameters are renumbered (`$1`), `casefold(x)` becomes
//! ICU's `lower`, and values are converted where the two engines store them differently:
//! dates are text on SQLite and `date` on the server, times of record text and
//! `timestamptz`, booleans integers and `boolean`, rates text and `numeric`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use chrono::NaiveDate;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rust_decimal::Decimal;

use super::StoreError;

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
        super::postgres::server_error(&self.shown, e)
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

    fn run<T>(
        &self,
        sql: &str,
        params: &dyn Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = self.call(sql, params, |c, s, p| c.query(s, p))?;
        rows.iter().map(|r| f(&Row::Pg(r))).collect()
    }

    fn execute(&self, sql: &str, params: &dyn Params) -> Result<usize, StoreError> {
        Ok(self.call(sql, params, |c, s, p| c.execute(s, p))? as usize)
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
    StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
}

/// A query's "no row" as `None`, as rusqlite's `OptionalExtension` does.
pub trait Optional<T> {
    fn optional(self) -> Result<Option<T>, StoreError>;
}

impl<T> Optional<T> for Result<T, StoreError> {
    fn optional(self) -> Result<Option<T>, StoreError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One row of a result, of either engine.
pub enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `i`.
    pub fn get<T: Get>(&self, i: usize) -> Result<T, StoreError> {
        match self {
            Row::Lite(r) => T::lite(r, i).map_err(StoreError::from),
            Row::Pg(r) => T::pg(r, i).map_err(|e| StoreError::BadValue(format!("column {i}: {e}"))),
        }
    }
}

type BoxError = Box<dyn Error + Sync + Send>;

/// A value a column can be read as, on both engines.
pub trait Column: Sized {
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>>;
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError>;
}

/// What [`Row::get`] reads: a [`Column`] (NULL is an error), or an `Option` of one.
pub trait Get: Sized {
    fn lite(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
    fn pg(r: &postgres::Row, i: usize) -> Result<Self, BoxError>;
}

macro_rules! get {
    ($($t:ty),*) => {$(
        impl Get for $t {
            fn lite(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                <$t as Column>::lite_opt(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
                    i,
                    String::new(),
                    rusqlite::types::Type::Null,
                ))
            }
            fn pg(r: &postgres::Row, i: usize) -> Result<Self, BoxError> {
                <$t as Column>::pg_opt(r, i)?.ok_or_else(|| "NULL".into())
            }
        }
        impl Get for Option<$t> {
            fn lite(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                <$t as Column>::lite_opt(r, i)
            }
            fn pg(r: &postgres::Row, i: usize) -> Result<Self, BoxError> {
                <$t as Column>::pg_opt(r, i)
            }
        }
    )*};
}

get!(
    i64,
    String,
    bool,
    Vec<u8>,
    NaiveDate,
    crate::domain::PinId,
    crate::domain::ImportId,
    crate::domain::SaleId
);

fn pg_type(r: &postgres::Row, i: usize) -> Result<Type, BoxError> {
    Ok(r.columns()
        .get(i)
        .ok_or_else(|| format!("no column {i}"))?
        .type_()
        .clone())
}

impl Column for i64 {
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
        r.get(i)
    }
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
        Ok(match pg_type(r, i)? {
            Type::INT8 => r.try_get(i)?,
            Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(i64::from),
            Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(i64::from),
            Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(i64::from),
            Type::NUMERIC => match r.try_get::<_, Option<Decimal>>(i)? {
                Some(d) if d.fract().is_zero() => Some(
                    i64::try_from(d).map_err(|_| format!("{d} is not a whole number in range"))?,
                ),
                Some(d) => return Err(format!("{d} is not a whole number").into()),
                None => None,
            },
            other => return Err(format!("an integer was expected, not {other}").into()),
        })
    }
}

impl Column for String {
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
        r.get(i)
    }
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
        Ok(match pg_type(r, i)? {
            Type::DATE => r
                .try_get::<_, Option<NaiveDate>>(i)?
                .map(|d| d.format("%Y-%m-%d").to_string()),
            Type::TIMESTAMPTZ => r
                .try_get::<_, Option<chrono::DateTime<chrono::Local>>>(i)?
                .map(|t| t.format(super::STAMP_FORMAT).to_string()),
            // As the program writes a rate: no trailing zeros.
            Type::NUMERIC => r
                .try_get::<_, Option<Decimal>>(i)?
                .map(|d| d.normalize().to_string()),
            Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(|n| n.to_string()),
            Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(|n| n.to_string()),
            Type::BYTEA => r
                .try_get::<_, Option<Vec<u8>>>(i)?
                .map(String::from_utf8)
                .transpose()?,
            _ => r.try_get(i)?,
        })
    }
}

impl Column for bool {
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
        r.get(i)
    }
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
        Ok(match pg_type(r, i)? {
            Type::BOOL => r.try_get(i)?,
            _ => i64::pg_opt(r, i)?.map(|n| n != 0),
        })
    }
}

impl Column for Vec<u8> {
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
        r.get(i)
    }
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
        Ok(match pg_type(r, i)? {
            Type::BYTEA => r.try_get(i)?,
            _ => String::pg_opt(r, i)?.map(String::into_bytes),
        })
    }
}

impl Column for NaiveDate {
    /// Read without chrono's formatter: a bulk load reads every pin's three dates, a
    /// statement every line's.
    fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
        let bad = |e: BoxError| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
        };
        match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            value => {
                let text = value.as_str().map_err(|e| bad(Box::new(e)))?;
                crate::domain::parse_date(text)
                    .map(Some)
                    .ok_or_else(|| bad(format!("not a date: {text:?}").into()))
            }
        }
    }
    fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
        Ok(match pg_type(r, i)? {
            Type::DATE => r.try_get(i)?,
            _ => match String::pg_opt(r, i)? {
                Some(text) => Some(
                    crate::domain::parse_date(&text)
                        .ok_or_else(|| format!("not a date: {text:?}"))?,
                ),
                None => None,
            },
        })
    }
}

macro_rules! id_column {
    ($($id:ty),*) => {$(
        impl Column for $id {
            fn lite_opt(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Self>> {
                Ok(i64::lite_opt(r, i)?.map(Self))
            }
            fn pg_opt(r: &postgres::Row, i: usize) -> Result<Option<Self>, BoxError> {
                Ok(i64::pg_opt(r, i)?.map(Self))
            }
        }
    )*};
}

id_column!(
    crate::domain::PinId,
    crate::domain::ImportId,
    crate::domain::SaleId
);

/// A value bound to a statement's parameter, on both engines.
pub trait Param {
    fn lite(&self) -> rusqlite::types::ToSqlOutput<'_>;
    fn pg(&self) -> PgValue<'_>;
}

/// A parameter's value as the server gets it. It takes the type the server asks for where
/// the engines differ (see the module's note).
#[derive(Debug)]
pub enum PgValue<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Date(NaiveDate),
    Bool(bool),
    Bytes(&'a [u8]),
}

impl ToSql for PgValue<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match (self, ty) {
            (PgValue::Null, _) => Ok(IsNull::Yes),
            (PgValue::Int(v), &Type::INT4) => i32::try_from(*v)?.to_sql(ty, out),
            (PgValue::Int(v), &Type::INT2) => i16::try_from(*v)?.to_sql(ty, out),
            (PgValue::Int(v), &Type::NUMERIC) => Decimal::from(*v).to_sql(ty, out),
            (PgValue::Int(v), &Type::BOOL) => (*v != 0).to_sql(ty, out),
            (PgValue::Int(v), &Type::TEXT | &Type::VARCHAR) => v.to_string().to_sql(ty, out),
            (PgValue::Int(v), _) => v.to_sql(ty, out),
            (PgValue::Text(s), &Type::DATE) => crate::domain::parse_date(s)
                .ok_or_else(|| format!("not a date: {s:?}"))?
                .to_sql(ty, out),
            (PgValue::Text(s), &Type::TIMESTAMPTZ) => {
                chrono::DateTime::parse_from_rfc3339(s)?.to_sql(ty, out)
            }
            (PgValue::Text(s), &Type::NUMERIC) => s.parse::<Decimal>()?.to_sql(ty, out),
            (PgValue::Text(s), &Type::INT8) => s.parse::<i64>()?.to_sql(ty, out),
            (PgValue::Text(s), &Type::BYTEA) => s.as_bytes().to_sql(ty, out),
            (PgValue::Text(s), _) => s.to_sql(ty, out),
            (PgValue::Date(d), &Type::DATE) => d.to_sql(ty, out),
            (PgValue::Date(d), _) => d.format("%Y-%m-%d").to_string().to_sql(ty, out),
            (PgValue::Bool(b), &Type::BOOL) => b.to_sql(ty, out),
            (PgValue::Bool(b), _) => PgValue::Int(i64::from(*b)).to_sql(ty, out),
            (PgValue::Bytes(b), &Type::BYTEA) => b.to_sql(ty, out),
            (PgValue::Bytes(b), _) => std::str::from_utf8(b)?.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

macro_rules! param {
    ($t:ty, $v:ident => $pg:expr) => {
        impl Param for $t {
            fn lite(&self) -> rusqlite::types::ToSqlOutput<'_> {
                // None of these fails to convert.
                rusqlite::ToSql::to_sql(self).unwrap_or(rusqlite::types::ToSqlOutput::Owned(
                    rusqlite::types::Value::Null,
                ))
            }
            fn pg(&self) -> PgValue<'_> {
                let $v = self;
                $pg
            }
        }
    };
}

param!(i64, v => PgValue::Int(*v));
param!(i32, v => PgValue::Int(i64::from(*v)));
param!(bool, v => PgValue::Bool(*v));
param!(str, v => PgValue::Text(v));
param!(String, v => PgValue::Text(v));
param!([u8], v => PgValue::Bytes(v));
param!(Vec<u8>, v => PgValue::Bytes(v));
param!(NaiveDate, v => PgValue::Date(*v));
param!(crate::domain::PinId, v => PgValue::Int(v.0));
param!(crate::domain::ImportId, v => PgValue::Int(v.0));
param!(crate::domain::SaleId, v => PgValue::Int(v.0));
param!(crate::domain::PartnerId, v => PgValue::Int(v.0));
param!(rusqlite::types::Value, v => match v {
    rusqlite::types::Value::Null => PgValue::Null,
    rusqlite::types::Value::Integer(n) => PgValue::Int(*n),
    rusqlite::types::Value::Text(s) => PgValue::Text(s),
    rusqlite::types::Value::Blob(b) => PgValue::Bytes(b),
    rusqlite::types::Value::Real(_) => PgValue::Null,
});

impl Param for crate::domain::Inn {
    fn lite(&self) -> rusqlite::types::ToSqlOutput<'_> {
        rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(
            self.as_str().as_bytes(),
        ))
    }
    fn pg(&self) -> PgValue<'_> {
        PgValue::Text(self.as_str())
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn lite(&self) -> rusqlite::types::ToSqlOutput<'_> {
        (**self).lite()
    }
    fn pg(&self) -> PgValue<'_> {
        (**self).pg()
    }
}

impl<T: Param> Param for Option<T> {
    fn lite(&self) -> rusqlite::types::ToSqlOutput<'_> {
        self.as_ref().map_or(
            rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Param::lite,
        )
    }
    fn pg(&self) -> PgValue<'_> {
        self.as_ref().map_or(PgValue::Null, Param::pg)
    }
}

/// The parameters of a statement: a tuple, an array or a list of [`Param`]s.
pub trait Params {
    fn list(&self) -> Vec<&dyn Param>;
}

impl Params for () {
    fn list(&self) -> Vec<&dyn Param> {
        Vec::new()
    }
}

impl<T: Params + ?Sized> Params for &T {
    fn list(&self) -> Vec<&dyn Param> {
        (**self).list()
    }
}

impl<T: Param, const N: usize> Params for [T; N] {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|p| p as &dyn Param).collect()
    }
}

impl<T: Param> Params for [T] {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|p| p as &dyn Param).collect()
    }
}

impl<T: Param> Params for Vec<T> {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|p| p as &dyn Param).collect()
    }
}

macro_rules! tuple_params {
    ($($name:ident)+) => {
        impl<$($name: Param),+> Params for ($($name,)+) {
            #[allow(non_snake_case)]
            fn list(&self) -> Vec<&dyn Param> {
                let ($($name,)+) = self;
                vec![$($name as &dyn Param),+]
            }
        }
    };
}

tuple_params!(A);
tuple_params!(A B);
tuple_params!(A B C);
tuple_params!(A B C D);
tuple_params!(A B C D E);
tuple_params!(A B C D E F);
tuple_params!(A B C D E F G);
tuple_params!(A B C D E F G H);
tuple_params!(A B C D E F G H I);
tuple_params!(A B C D E F G H I J);
tuple_params!(A B C D E F G H I J K);
tuple_params!(A B C D E F G H I J K L);
tuple_params!(A B C D E F G H I J K L M);
tuple_params!(A B C D E F G H I J K L M N);
tuple_params!(A B C D E F G H I J K L M N O);
tuple_params!(A B C D E F G H I J K L M N O P);

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
