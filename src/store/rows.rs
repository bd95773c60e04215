//! Small readers of stored values shared by the store's modules: INNs, kopecks, ids, and
//! the time a record was made.

use super::*;

/// The time a record was made, as stored.
pub(super) fn now_stamp() -> String {
    chrono::Local::now().format(STAMP_FORMAT).to_string()
}

/// The INN stored in `column` (`table.column`), which another program may have broken.
pub(super) fn parse_inn(text: String, column: &'static str) -> Result<Inn, StoreError> {
    Inn::parse(&text).map_err(|_| StoreError::UnknownValue {
        what: super::Stored::Inn,
        column,
        value: text,
    })
}

pub(super) fn money(kopecks: i64) -> crate::domain::Money {
    crate::domain::Money::from_kopecks(kopecks)
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
    )*};
}

id_sql!(
    crate::domain::PinId,
    crate::domain::ImportId,
    crate::domain::SaleId,
    crate::domain::PartnerId
);
