//! Small readers of stored values shared by the store's modules: dates, INNs, kopecks,
//! ids, and the time a record was made.

use super::*;

/// The time a record was made, as stored.
pub(super) fn now_stamp() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// The stored date (`YYYY-MM-DD`) in column `i`, read without chrono's formatter: a bulk
/// load reads every pin's three, a statement every line's.
pub(super) fn day(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
    };
    let text = r.get_ref(i)?.as_str().map_err(|e| bad(Box::new(e)))?;
    crate::domain::parse_date(text).ok_or_else(|| bad(format!("not a date: {text:?}").into()))
}

/// [`day`], or none when the column is NULL.
pub(super) fn day_or_none(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => day(r, i).map(Some),
    }
}

pub(super) fn parse_inn(text: String) -> Result<Inn, StoreError> {
    Inn::parse(&text).map_err(|_| StoreError::BadValue(format!("INN {text}")))
}

pub(super) fn money(kopecks: i64) -> Money {
    Money::from_kopecks(kopecks)
}

pub(super) fn partner_id(id: i64) -> PartnerId {
    PartnerId(id)
}

/// Typed ids are stored as their integer.
macro_rules! id_sql {
    ($($id:ty),*) => {$(
        impl rusqlite::ToSql for $id {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.0.into())
            }
        }

        impl rusqlite::types::FromSql for $id {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(value).map(Self)
            }
        }
    )*};
}

id_sql!(crate::domain::PinId, crate::domain::ImportId);
