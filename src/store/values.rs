//! Values as both engines store them, and the one way the store reads and binds them:
//! dates are text on SQLite and `date` on the server, times of record text and
//! `timestamptz`, booleans integers and `boolean`, rates text and `numeric`. A module reads
//! and binds domain types only; what a column holds on either engine is converted here.

use std::error::Error;

use bytes::BytesMut;
use chrono::NaiveDate;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rust_decimal::Decimal;

use super::StoreError;

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
            Row::Pg(r) => T::pg(r, i).map_err(|e| wrong_type_on_server(r, i, "", &e)),
        }
    }
}

type BoxError = Box<dyn Error + Sync + Send>;

/// Column `i` of a row the server gave, read as `T` with `try_get`: a value of another type
/// than Partner Desk's schema gives it (a schema another program made or changed) is
/// [`StoreError::WrongTypeOnServer`], never a panic. `table` names the row's table in the
/// sentence, when it is of one.
pub(crate) fn pg_get<'r, T: postgres::types::FromSql<'r>>(
    row: &'r postgres::Row,
    i: usize,
    table: &str,
) -> Result<T, StoreError> {
    row.try_get(i).map_err(|e| {
        // The driver's words name Rust types; the column's own type says more to a person.
        let why = match e.source() {
            Some(s) if s.is::<postgres::types::WasNull>() => "NULL".to_owned(),
            Some(s) if s.is::<postgres::types::WrongType>() => row
                .columns()
                .get(i)
                .map_or_else(|| s.to_string(), |c| c.type_().to_string()),
            Some(s) => format!("{e}: {s}"),
            None => e.to_string(),
        };
        wrong_type_on_server(row, i, table, &why)
    })
}

/// Column `i` of a server's row (of `table`, when it is of one) could not be read: why.
pub(super) fn wrong_type_on_server(
    r: &postgres::Row,
    i: usize,
    table: &str,
    why: &dyn std::fmt::Display,
) -> StoreError {
    let name = r
        .columns()
        .get(i)
        .map_or_else(|| format!("column {}", i + 1), |c| c.name().to_owned());
    StoreError::WrongTypeOnServer {
        column: match table {
            "" => name,
            table => format!("{table}.{name}"),
        },
        reason: why.to_string(),
    }
}

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
