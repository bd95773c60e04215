//! Shared helpers: temporary databases, dates, money, the valid INNs the tests use.

use std::path::PathBuf;

use chrono::NaiveDate;
use partner_desk::domain::{Inn, Money, PartnerId, RoleFacts, Status};
use partner_desk::import::{ImportError, Problem};
use partner_desk::store::{NewSale, Store};

pub const ALFA: &str = "7707083893";
pub const BETA: &str = "7736207543";
pub const SMIRNOV: &str = "500100732259";
pub const C1: &str = "5027000014";
pub const C2: &str = "7810000026";
pub const C3: &str = "5406000032";

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn inn(s: &str) -> Inn {
    Inn::parse(s).unwrap()
}

pub fn rub(s: &str) -> Money {
    Money::parse_amount(s).unwrap()
}

/// A temporary folder that lives as long as the value.
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    /// The team database this test works on instead of the file, when the tests run on a
    /// server (see [`on_server`]).
    pub server: Option<String>,
}

/// The tests run on a PostgreSQL server when `PARTNER_DESK_TEST_SERVER` is set (to any
/// value): `scripts/test-with-server` sets it inside a throwaway cluster, whose `PG*`
/// variables say where it is. Each [`TempDb`] is then a new database there, made by
/// `server init`.
pub fn on_server() -> bool {
    std::env::var_os("PARTNER_DESK_TEST_SERVER").is_some()
}

/// A name for a new database on the test server, unique in this run.
pub fn new_database_name() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!("pd_test_{}_{n}", std::process::id())
}

/// The address of the database `name` on the test server, without a password (PGPASSWORD
/// gives it). The port is written out: the driver reads an address with a host and no port
/// as 5432, whatever PGPORT says.
pub fn server_address(name: &str) -> String {
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.into());
    format!(
        "postgres://{}@{}:{}/{name}",
        env("PGUSER", "postgres"),
        env("PGHOST", "localhost"),
        env("PGPORT", "5432"),
    )
}

/// A new, empty team database on the test server, with Partner Desk's schema: its URL.
pub fn new_server_database() -> String {
    let name = new_database_name();
    let admin = partner_desk::store::postgres::config(&server_address("postgres")).unwrap();
    let mut client = admin.connect(postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = server_address(&name);
    partner_desk::store::postgres::Server::connect(&url)
        .unwrap()
        .init()
        .unwrap();
    url
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite3");
        let server = on_server().then(new_server_database);
        TempDb { dir, path, server }
    }

    /// The team database at `url` (made by the test), whatever engine the tests run on.
    pub fn for_server(url: &str) -> TempDb {
        let dir = tempfile::tempdir().unwrap();
        TempDb {
            path: dir.path().join("unused.sqlite3"),
            dir,
            server: Some(url.to_owned()),
        }
    }

    /// A database file whatever engine the tests run on: for what only a file has (its
    /// bytes, its journal, its backups).
    pub fn on_file() -> TempDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite3");
        TempDb {
            dir,
            path,
            server: None,
        }
    }

    pub fn open(&self) -> Store {
        match &self.server {
            Some(url) => Store::connect(url).unwrap(),
            None => Store::open(&self.path).unwrap(),
        }
    }

    /// What `--db` names: the server's database or the file.
    pub fn db_arg(&self) -> std::ffi::OsString {
        match &self.server {
            Some(url) => url.into(),
            None => self.path.clone().into(),
        }
    }

    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// Adds a partner with a status from a date.
pub fn partner(
    store: &mut Store,
    inn_text: &str,
    name: &str,
    one_c: bool,
    status: Option<(&str, Status)>,
) -> PartnerId {
    store
        .write(|db| {
            let id = db.add_partner(&inn(inn_text), name, one_c)?;
            if let Some((since, status)) = status {
                db.add_status_change(id, d(since), Some(status), "")?;
            }
            Ok::<_, partner_desk::store::StoreError>(id)
        })
        .unwrap()
}

/// ООО «Альфа» (`ALFA`), of `status` since 2024-01-01: the partner most tests start from.
pub fn alfa(store: &mut Store, status: Status) -> PartnerId {
    partner(
        store,
        ALFA,
        "ООО «Альфа»",
        false,
        Some(("2024-01-01", status)),
    )
}

/// ООО «Бета» (`BETA`), of `status` since 2024-01-01: the other partner.
pub fn beta(store: &mut Store, status: Status) -> PartnerId {
    partner(
        store,
        BETA,
        "ООО «Бета»",
        false,
        Some(("2024-01-01", status)),
    )
}

/// Asks to pin `client` (an INN) to `partner` from `from`: pinned, or refused naming the
/// holder.
pub fn pin_client(
    store: &mut Store,
    partner: PartnerId,
    client: &str,
    from: &str,
) -> partner_desk::store::PinOutcome {
    store
        .write(|db| db.request_pin(&inn(client), "", partner, d(from), ""))
        .unwrap()
}

/// Records `sale`; its id.
pub fn record(store: &mut Store, sale: &NewSale) -> partner_desk::domain::SaleId {
    store.write(|db| db.record_sale(sale)).unwrap()
}

pub fn sale(
    partner: PartnerId,
    date: &str,
    client: &str,
    kind: partner_desk::domain::LicenseKind,
    amount: &str,
) -> NewSale {
    NewSale {
        doc: None,
        date: d(date),
        partner,
        client_inn: inn(client),
        client_name: String::new(),
        kind,
        amount: rub(amount),
        role: RoleFacts::default(),
    }
}

/// The rate table in force on 2025-01-01 with one more figure: video calls for a Dealer.
pub fn with_video_calls_rate(store: &Store, pct: i64) -> partner_desk::domain::RateTable {
    with_rate(
        store,
        partner_desk::domain::LicenseKind::VideoCalls,
        Status::Dealer,
        pct,
    )
}

/// The rate table in force on 2025-01-01 with `kind` at `pct` % for `status`.
pub fn with_rate(
    store: &Store,
    kind: partner_desk::domain::LicenseKind,
    status: Status,
    pct: i64,
) -> partner_desk::domain::RateTable {
    let mut table = store
        .read()
        .rate_book()
        .unwrap()
        .in_force_on(d("2025-01-01"))
        .table
        .clone();
    table.set(
        kind,
        status,
        Some(partner_desk::domain::RatePct::whole(pct)),
    );
    table
}

/// The (line, column, problem) of each row an import refused; panics on any other error.
pub fn row_errors(e: ImportError) -> Vec<(u64, String, Problem)> {
    match e {
        ImportError::Rows(rows) => rows
            .into_iter()
            .map(|r| (r.line, r.column, r.problem))
            .collect(),
        other => panic!("expected row errors, got {other:?}"),
    }
}

/// The text of each page of a PDF, read back by a Rust crate (no external program), with
/// no-break spaces as spaces.
pub fn pdf_pages(path: &std::path::Path) -> Vec<String> {
    pdf_extract::extract_text_by_pages(path)
        .unwrap()
        .into_iter()
        .map(|page| page.replace('\u{a0}', " "))
        .collect()
}

/// The text of a whole PDF, as [`pdf_pages`] reads it.
pub fn pdf_text(path: &std::path::Path) -> String {
    pdf_pages(path).concat()
}

/// Takes the file back to schema 1, as an older program left it.
pub fn take_back_to_schema_1(path: &std::path::Path) {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.execute_batch(
        "DROP TRIGGER sales_locked_update; DROP TRIGGER sales_return_insert;
         ALTER TABLE status_changes DROP COLUMN recorded_by; ALTER TABLE pin_events DROP COLUMN recorded_by;
         ALTER TABLE sales DROP COLUMN recorded_by; ALTER TABLE rate_versions DROP COLUMN recorded_by;
         DROP TRIGGER sales_locked_insert; DROP TRIGGER sales_locked_delete;
         DROP TRIGGER statement_events_no_update; DROP TRIGGER statement_events_no_delete;
         DROP TRIGGER issued_statements_frozen; DROP TRIGGER issued_statements_no_delete;
         DROP TABLE payments; DROP TABLE statement_events; DROP TABLE issued_statements;
         DROP TABLE import_undo; DROP TABLE imports; DROP TABLE undo_gate;
         DROP TABLE import_layouts; DROP TABLE changes; DROP TABLE sale_corrections; DROP TABLE pin_corrections;
         DROP TABLE partner_requisites; DROP TABLE organisation;
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

/// A connection of another program to the database a store is on, for what tests check
/// behind the program's back: SQLite's own connection to the file, or a plain PostgreSQL
/// client of the server (as its owner).
pub enum Raw {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

impl Raw {
    pub fn of(store: &Store) -> Raw {
        match store.server() {
            Some(shown) => {
                let config =
                    partner_desk::store::postgres::config(&format!("postgres://{shown}")).unwrap();
                let mut client = config.connect(postgres::NoTls).unwrap();
                client
                    .batch_execute("SET search_path = partner_desk, public")
                    .unwrap();
                Raw::Server(client)
            }
            None => Raw::File(rusqlite::Connection::open(store.path().unwrap()).unwrap()),
        }
    }

    pub fn is_server(&self) -> bool {
        matches!(self, Raw::Server(_))
    }

    /// Whether `sql` runs without an error.
    pub fn ok(&mut self, sql: &str) -> bool {
        match self {
            Raw::File(c) => c.execute_batch(sql).is_ok(),
            Raw::Server(c) => c.batch_execute(sql).is_ok(),
        }
    }

    /// The first column of every row `sql` gives, as text.
    pub fn texts(&mut self, sql: &str) -> Vec<String> {
        match self {
            Raw::File(c) => {
                let mut stmt = c.prepare(sql).unwrap();
                stmt.query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            Raw::Server(c) => c
                .query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect(),
        }
    }
}

/// A "team server" on this computer that takes the connection and never answers (a host
/// gone quiet), and the address of a database on it; it listens while the first is kept.
pub fn silent_server() -> (std::net::TcpListener, String) {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "postgres://anna@127.0.0.1:{}/team",
        silent.local_addr().unwrap().port()
    );
    (silent, url)
}
