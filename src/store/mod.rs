//! The database, as the rest of the program sees it: one API through which everything is
//! read and written, whatever engine keeps the data.
//!
//! - [`Store`] is an open database: [`Store::read`] gives a [`Db`], a view with read methods
//!   only; [`Store::write`] runs a closure in one transaction and hands it a [`Tx`], the only
//!   type with write methods (it reads too, through `Deref<Target = Db>`).
//! - Reads and writes are domain operations (partners, pins, sales, returns, rates,
//!   statements, imports, the Overview's queries) that take and give domain types and the
//!   rows below; no SQL leaves this module.
//! - What went wrong is a [`StoreError`], and a broken rule is its [`RuleError`], each said
//!   in Russian and English.
//!
//! The engine is SQLite ([`sqlite`]): everything that is SQLite's own lives there, with the
//! SQL. A second engine is a sibling module with the same methods; `Store`, `Db` and `Tx`
//! then become enums with one arm per engine (see ARCHITECTURE.md, "The engine seam").

pub mod copy;
mod errors;
pub mod postgres;
pub mod sqlite;

pub use errors::{RuleError, StoreError};
pub use sqlite::{
    BulkSales, CheckedSale, Correction, CorrectionKind, Counts, Db, ImportLog, ImportRecord,
    IssuedRow, MonthPremiums, NewIssued, NewSale, PartnerRecord, PartnerRow, PinCancel, PinEvent,
    PinEventKind, PinOutcome, PinRow, Recorded, Refusal, SCHEMA_VERSION, SaleListRow, SaleRefusal,
    SaleRow, SaleRules, SalesQuery, SalesSelection, SalesSort, Store, Tx, correction_changes,
};
