//! Integration tests: the store, imports, the command line and a worked example, each
//! against a real SQLite file in a temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests may panic

mod architecture;
mod bulk_import;
mod cli;
mod exports;
mod gui;
mod import;
mod import_files;
mod package;
mod parity;
mod perf_shape;
mod reliability;
mod rules;
mod server;
mod session;
mod store;
mod util;
mod worked_example;
