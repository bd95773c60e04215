//! Partner Desk: partners, stop-list, sales and premium statements for the partner
//! account managers of 1С-Коннект.
//!
//! - [`domain`]: the regulation as pure rules.
//! - [`store`]: the SQLite database, all of its SQL.
//! - [`import`]: CSV files in, all or nothing.
//! - [`export`]: statements out as JSON and CSV.
//! - [`demo`]: realistic demo data.
//! - [`synthetic`]: data of any size, for measuring.
//! - [`backup`]: automatic backups when the window opens, the last N kept.
//! - [`statements`]: issuing, re-exporting issued statements, batch export.
//! - [`cli`]: the headless commands.
//! - [`app`]: the window: the App and its Commands.
//! - [`keyring`]: team databases' passwords in the system's keyring, when asked.
//! - [`ui`]: the pages and widgets of the window.
//! - [`alloc`]: the program's allocator, which reports a failed allocation.

pub mod actions;
pub mod alloc;
pub mod app;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod command;
pub mod demo;
pub mod diagnostics;
pub mod domain;
pub mod export;
pub mod import;
pub mod keyring;
pub mod reader;
pub mod snapshot;
pub mod statements;
pub mod store;
pub mod synthetic;
pub mod ui;
