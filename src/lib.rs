//! Partner Desk: partners, stop-list, sales and premium statements for the partner
//! account managers of 1С-Коннект.
//!
//! A functional core inside an imperative shell (ARCHITECTURE.md has the map):
//!
//! - [`domain`]: the regulation as pure rules (INN, money, statuses, rates, premiums, pins,
//!   the period lock, statements, text limits); no I/O, no clock.
//! - [`store`]: the database, a file (SQLite) or a team's server (PostgreSQL), and all of
//!   its SQL.
//! - [`import`]: files in (CSV and workbooks, read in bounded memory), checked whole, one
//!   transaction.
//! - [`export`]: statements and lists out (JSON, CSV, XLSX, PDF), written atomically.
//! - [`actions`]: what the window and the command line both do, each once.
//! - [`statements`]: issuing, re-exporting issued statements, batch export.
//! - [`cli`]: the headless commands.
//! - [`app`]: the window: the App, the Session of the open database, running Commands.
//! - [`ui`]: the pages and widgets of the window.
//! - [`command`]: what pages and menus ask the App to do, and the pages.
//! - [`snapshot`]: the data the pages show.
//! - [`reader`]: the reader thread that runs the pages' reads off the window's thread.
//! - [`backup`]: automatic backups when the window opens, the last N kept.
//! - [`keyring`]: team databases' passwords in the system's keyring, when asked.
//! - [`diagnostics`]: the log, crash reports, the version; passwords kept out of both.
//! - [`alloc`]: the program's allocator, which reports a failed allocation.
//! - [`clock`]: the user's clock and locale, read here only.
//! - [`demo`]: realistic demo data.
//! - [`synthetic`]: data of any size, for measuring.

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
