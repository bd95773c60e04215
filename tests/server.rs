//! The team database on a PostgreSQL server. These tests need a throwaway server: they are
//! ignored by a plain `cargo test` (which says so for each) and run by
//! `scripts/test-with-server`, which starts one with `pg_virtualenv` and runs them with
//! `--ignored`. There, no server is a failure, never a skip.

mod foreign;
mod security;
mod upgrade;

use std::process::{Command, Output};

const NEEDS: &str = "needs a PostgreSQL server: run scripts/test-with-server";

/// A fresh database on the test server, dropped afterwards.
struct TestDatabase {
    name: String,
}

impl TestDatabase {
    fn new() -> TestDatabase {
        let name = crate::util::new_database_name();
        admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        TestDatabase { name }
    }

    /// A fresh database made ready by `server init`, and its address.
    fn initialized() -> (TestDatabase, String) {
        let db = TestDatabase::new();
        let url = db.url();
        let o = partner_desk(&["server", "init", &url]);
        assert!(o.status.success(), "{}", said(&o));
        (db, url)
    }

    /// The database's address, without a password (PGPASSWORD gives it).
    fn url(&self) -> String {
        crate::util::server_address(&self.name)
    }

    fn client(&self) -> postgres::Client {
        let mut config = partner_desk::store::postgres::config(&self.url()).unwrap();
        config.dbname(&self.name);
        config.connect(postgres::NoTls).unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = admin().batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// The server's own database, as its superuser (the `PG*` variables of the cluster).
fn admin() -> postgres::Client {
    assert!(
        std::env::var_os("PGPORT").is_some() || std::env::var_os("PGHOST").is_some(),
        "no test server: {NEEDS}"
    );
    let config = partner_desk::store::postgres::config("").unwrap();
    config
        .connect(postgres::NoTls)
        .unwrap_or_else(|e| panic!("the test server does not answer ({e}): {NEEDS}"))
}

fn partner_desk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partner-desk"))
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap()
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn server_init_creates_the_schema_once_and_refuses_a_newer_or_a_foreign_one() {
    let db = TestDatabase::new();
    let url = db.url();
    let o = partner_desk(&["server", "init", &url]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("Team database created"), "{}", said(&o));
    let tables: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'partner_desk'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(tables >= 17, "{tables} tables");

    // Again: nothing to do, and it says so.
    let o = partner_desk(&["server", "init", &url]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("ready already"), "{}", said(&o));
    let o = partner_desk(&["server", "upgrade", &url]);
    assert!(o.status.success(), "{}", said(&o));

    // A schema of a newer program is refused by both, and left as it is.
    db.client()
        .batch_execute("UPDATE partner_desk.meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    for command in ["init", "upgrade"] {
        let o = partner_desk(&["server", command, &url]);
        assert!(!o.status.success());
        assert!(said(&o).contains("newer version"), "{}", said(&o));
    }

    // Another program's `partner_desk` schema is not taken for ours.
    let other = TestDatabase::new();
    other
        .client()
        .batch_execute("CREATE SCHEMA partner_desk; CREATE TABLE partner_desk.things (x int)")
        .unwrap();
    let o = partner_desk(&["server", "init", &other.url()]);
    assert!(!o.status.success());
    assert!(
        said(&o).contains("is not a Partner Desk database"),
        "{}",
        said(&o)
    );
    let tables: i64 = other
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'partner_desk'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "the foreign schema was changed");
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn the_server_keeps_pins_period_locks_history_and_roles_for_every_writer() {
    // The checks are plain SQL, as any writer would send it (tests/server/schema_check.sql:
    // overlapping pins, the period lock, overlapping statements, append-only history, a
    // manager's login that cannot change history, rates or the schema).
    let db = TestDatabase::new();
    let o = Command::new("psql")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "-X",
            "-q",
            "-d",
            &db.name,
            "-f",
            "tests/server/schema_check.sql",
        ])
        .output()
        .unwrap_or_else(|e| panic!("psql cannot run ({e}): {NEEDS}"));
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("schema checks passed"), "{}", said(&o));
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_wrong_password_or_database_is_one_sentence() {
    let db = TestDatabase::new();
    let missing = db.url().replace(&db.name, "pd_no_such_database");
    let o = partner_desk(&["server", "init", &missing]);
    assert!(!o.status.success());
    let text = said(&o);
    assert!(text.contains("there is no such database"), "{text}");
    assert_eq!(text.trim().lines().count(), 1, "{text}");
    let with_password = db.url().replace("@", ":secret@");
    let o = partner_desk(&["server", "init", &with_password]);
    assert!(!o.status.success());
    assert!(said(&o).contains("PGPASSWORD"), "{}", said(&o));
    assert!(!said(&o).contains("secret"), "{}", said(&o));
}

/// A file of demo data whose partner with the most sales of those the demo issued nothing
/// to has a statement issued for its whole history: the file, that partner, and the
/// history's first day.
fn demo_file_with_an_issued_statement() -> (crate::util::TempDb, i64, String) {
    let t = crate::util::TempDb::on_file();
    let o = partner_desk(&["--db", t.path.to_str().unwrap(), "demo"]);
    assert!(o.status.success(), "{}", said(&o));
    let (partner, from, to): (i64, String, String) = rusqlite::Connection::open(&t.path)
        .unwrap()
        .query_row(
            "SELECT partner_id, min(date), max(date) FROM sales
             WHERE partner_id NOT IN (SELECT partner_id FROM issued_statements)
             GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    {
        let mut store = t.open();
        let (first, last) = (crate::util::d(&from), crate::util::d(&to));
        let id = partner_desk::domain::PartnerId(partner);
        partner_desk::statements::issue(&mut store, id, first, last, last).unwrap();
        // Requisites, ours and the partner's, and a payment of the statement go too.
        let due = store.read().dues().unwrap();
        let due = due.iter().find(|d| d.partner == id).unwrap();
        store
            .write(|tx| {
                let ours = partner_desk::domain::Requisites {
                    inn: crate::util::BETA.into(),
                    contract_no: String::new(),
                    contract_date: None,
                    vat: None,
                    ..crate::store::payments::alfa_requisites()
                };
                tx.set_organisation(&ours)?;
                tx.set_partner_requisites(id, &crate::store::payments::alfa_requisites())?;
                tx.record_payment(&crate::store::payments::by_hand(
                    due.statement_id,
                    &last.to_string(),
                    "1",
                    "1",
                ))
            })
            .unwrap();
    }
    (t, partner, from)
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn copy_moves_a_whole_file_into_the_server_where_its_rules_hold_and_back_into_a_new_file() {
    let (t, partner, from) = demo_file_with_an_issued_statement();
    let path = t.path.to_str().unwrap().to_owned();
    let counts = |table: &str| row_count(&t.path, table);

    let db = TestDatabase::new();
    let o = partner_desk(&["server", "init", &db.url()]);
    assert!(o.status.success(), "{}", said(&o));
    let o = partner_desk(&["copy", "--from", &path, "--to", &db.url()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(
        said(&o).contains("each checked byte for byte"),
        "{}",
        said(&o)
    );
    let mut server = db.client();
    the_server_holds_every_row_and_locks_the_issued_period(&mut server, &counts, partner, &from);
    // New ids go on after the copied ones.
    server
        .batch_execute(
            "INSERT INTO partner_desk.partners (inn, name) VALUES ('7736050003', 'Новый партнёр')",
        )
        .unwrap();
    // A second copy into the same database is refused, and nothing changes.
    let o = partner_desk(&["copy", "--from", &path, "--to", &db.url()]);
    assert!(!o.status.success());
    assert!(said(&o).contains("holds data already"), "{}", said(&o));
    the_team_database_copies_back_into_a_new_file(&t, &db, &counts);
}

/// How many rows `table` of the file at `path` holds.
fn row_count(path: &std::path::Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Every table of the file has its rows on the server, and the copied statement locks its
/// period there too (`partner`'s, from `from`).
fn the_server_holds_every_row_and_locks_the_issued_period(
    server: &mut postgres::Client,
    counts: &dyn Fn(&str) -> i64,
    partner: i64,
    from: &str,
) {
    for table in [
        "partners",
        "clients",
        "pins",
        "pin_events",
        "sales",
        "rate_cells",
        "issued_statements",
        "organisation",
        "partner_requisites",
        "payments",
    ] {
        let there: i64 = server
            .query_one(&format!("SELECT count(*) FROM partner_desk.{table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(there, counts(table), "{table}");
    }
    let refused = server.batch_execute(&format!(
        "INSERT INTO partner_desk.sales (date, partner_id, client_inn, kind, amount_kop,
             self_referred, connected_by_partner, used_in_work, premium_kop)
         SELECT '{from}', {partner}, client_inn, 'its', 100, false, true, true, 0
         FROM partner_desk.sales WHERE partner_id = {partner} LIMIT 1"
    ));
    let message = refused
        .unwrap_err()
        .as_db_error()
        .unwrap()
        .message()
        .to_owned();
    assert!(message.starts_with("locked:"), "{message}");
}

/// And back: the team database into a new file, every table's rows, the issued statement
/// byte for byte, and every monthly statement the same on both sides; the archive opens
/// as any file does, and a file already there is left alone.
fn the_team_database_copies_back_into_a_new_file(
    t: &crate::util::TempDb,
    db: &TestDatabase,
    counts: &dyn Fn(&str) -> i64,
) {
    let back = t.dir.path().join("archive.sqlite3");
    let back_arg = back.to_str().unwrap();
    let o = partner_desk(&["copy", "--from", &db.url(), "--to", back_arg]);
    assert!(o.status.success(), "{}", said(&o));
    let months: i64 = rusqlite::Connection::open(&t.path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT partner_id, substr(date, 1, 7) FROM sales)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        said(&o).contains(&format!("monthly statements the same in both: {months}")),
        "{}",
        said(&o)
    );
    let archive = rusqlite::Connection::open(&back).unwrap();
    for table in [
        "clients",
        "pins",
        "pin_events",
        "sales",
        "rate_cells",
        "issued_statements",
        "organisation",
        "partner_requisites",
        "payments",
    ] {
        let there: i64 = archive
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(there, counts(table), "{table}");
    }
    let (json, there): (Vec<u8>, Vec<u8>) = (
        rusqlite::Connection::open(&t.path)
            .unwrap()
            .query_row("SELECT json FROM issued_statements", [], |r| r.get(0))
            .unwrap(),
        archive
            .query_row("SELECT json FROM issued_statements", [], |r| r.get(0))
            .unwrap(),
    );
    assert_eq!(json, there);
    // The archive opens as any file does, with the partner added on the server.
    let partners = partner_desk::store::Store::open(&back)
        .unwrap()
        .read()
        .counts()
        .unwrap()
        .partners;
    assert_eq!(partners, counts("partners") + 1);
    // A file already there is left alone.
    let o = partner_desk(&["copy", "--from", &db.url(), "--to", back_arg]);
    assert!(!o.status.success());
    assert!(said(&o).contains("exists already"), "{}", said(&o));
}

/// What killing an import's connection came to, over many rounds.
#[derive(Debug, Default)]
pub struct Killed {
    pub rounds: usize,
    /// Imports whose connection was ended before they committed: nothing of them is kept.
    pub nothing_kept: usize,
    /// Imports that committed before the kill reached them: all of them is kept.
    pub all_kept: usize,
    /// Imports that left part of their rows behind (must be none).
    pub partial: usize,
    /// Imports ended that did not say the server closed the connection (must be none).
    pub unexplained: usize,
    /// How long one whole import took, before the rounds.
    pub import_ms: u128,
}

/// How an import is interrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kill {
    /// Its connection is ended (`pg_terminate_backend`).
    Connection,
    /// The whole server restarts (`pg_ctlcluster … restart -m fast`).
    Server,
}

/// Imports `rows` sales through the command line `rounds` times, each time interrupting it
/// (`how`) at a moment drawn between a tenth and nine tenths of a whole import's time, then
/// counts what each left.
pub fn kill_imports(rows: usize, rounds: usize, how: Kill) -> Killed {
    let (db, url) = TestDatabase::initialized();
    let dir = tempfile::tempdir().unwrap();
    let partners = dir.path().join("partners.csv");
    std::fs::write(
        &partners,
        "inn,name,status,status_since\n7707083893,ООО «Альфа»,dealer,2024-01-01\n",
    )
    .unwrap();
    let o = partner_desk(&[
        "--db",
        &url,
        "import",
        "partners",
        partners.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", said(&o));
    let sales = |round: usize| {
        let path = dir.path().join(format!("sales-{round}.csv"));
        let mut csv = String::from("date,partner_inn,client_inn,kind,amount,doc\n");
        for j in 0..rows {
            csv.push_str(&format!(
                "2025-01-10,7707083893,500100732259,its,1000,K{round}-{j}\n"
            ));
        }
        std::fs::write(&path, csv).unwrap();
        path
    };
    let import = |round: usize| {
        Command::new(env!("CARGO_BIN_EXE_partner-desk"))
            .args(["--lang", "en", "--db", &url, "import", "sales"])
            .arg(sales(round))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut client = db.client();
    let kept = |client: &mut postgres::Client, round: usize| -> i64 {
        client
            .query_one(
                "SELECT count(*) FROM partner_desk.sales WHERE doc LIKE $1",
                &[&format!("K{round}-%")],
            )
            .unwrap()
            .get(0)
    };
    // One whole import, timed, to know when "the middle" is.
    let started = std::time::Instant::now();
    let o = import(0).wait_with_output().unwrap();
    assert!(o.status.success(), "{}", said(&o));
    let whole = started.elapsed();
    let mut k = Killed {
        rounds,
        import_ms: whole.as_millis(),
        ..Killed::default()
    };
    let mut seed = 0x9e37_79b9_u64;
    for round in 1..=rounds {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = whole.mul_f64(0.1 + 0.8 * (seed % 1000) as f64 / 1000.0);
        let child = import(round);
        std::thread::sleep(at);
        match how {
            Kill::Connection => client
                .batch_execute(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = '{}' AND application_name = 'partner-desk'
                       AND pid <> pg_backend_pid()",
                    db.name
                ))
                .unwrap(),
            Kill::Server => {
                let cluster: String = client.query_one("SHOW cluster_name", &[]).unwrap().get(0);
                let (version, name) = cluster.split_once('/').unwrap();
                let restarted = Command::new("pg_ctlcluster")
                    .args([version, name, "restart", "-m", "fast"])
                    .output()
                    .unwrap();
                assert!(restarted.status.success(), "{}", said(&restarted));
                client = db.client();
            }
        }
        let o = child.wait_with_output().unwrap();
        let n = kept(&mut client, round);
        if n == 0 {
            k.nothing_kept += 1;
            if o.status.success() || !said(&o).contains("closed the connection") {
                k.unexplained += 1;
                eprintln!("round {round}: {}", said(&o));
            }
        } else if n == rows as i64 && o.status.success() {
            k.all_kept += 1;
        } else {
            k.partial += 1;
        }
    }
    k
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_copy_retried_after_the_program_was_killed_while_the_server_worked_for_it_goes_through() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let files = partner_desk::synthetic::write_files(dir.path(), 40_000).unwrap();
    let file = dir.path().join("team.sqlite3");
    let file = file.to_str().unwrap();
    for (kind, path) in [
        ("partners", &files.partners),
        ("pins", &files.pins),
        ("sales", &files.sales),
    ] {
        let o = partner_desk(&["--db", file, "import", kind, path.to_str().unwrap()]);
        assert!(o.status.success(), "{}", said(&o));
    }
    let (db, url) = TestDatabase::initialized();
    let copy = || {
        Command::new(env!("CARGO_BIN_EXE_partner-desk"))
            .args(["--lang", "en", "copy", "--from", file, "--to", &url])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut watch = db.client();
    // The copy's server process while it works for the program (not waiting for it).
    let busy = |watch: &mut postgres::Client| -> Option<i32> {
        watch
            .query_opt(
                "SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'partner-desk'
                   AND state = 'active' AND wait_event_type IS DISTINCT FROM 'Client'
                   AND pid <> pg_backend_pid()
                 LIMIT 1",
                &[],
            )
            .unwrap()
            .map(|r| r.get(0))
    };
    let mut lasted = Vec::new();
    for _ in 0..3 {
        let mut child = copy();
        let started = Instant::now();
        let orphan = loop {
            if let Some(pid) = busy(&mut watch) {
                break pid;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60) && child.try_wait().unwrap().is_none(),
                "the copy never kept the server busy"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        child.kill().unwrap();
        child.wait().unwrap();
        let killed = Instant::now();
        while watch
            .query_opt("SELECT 1 FROM pg_stat_activity WHERE pid = $1", &[&orphan])
            .unwrap()
            .is_some()
        {
            assert!(
                killed.elapsed() < Duration::from_secs(15),
                "the killed program's server process still works for it after 15 s: {:?}",
                watch
                    .query_opt(
                        "SELECT state || ' ' || coalesce(wait_event_type, '') || ' ' || query
                         FROM pg_stat_activity WHERE pid = $1",
                        &[&orphan],
                    )
                    .unwrap()
                    .map(|r| r.get::<_, String>(0))
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        lasted.push(killed.elapsed());
    }
    println!("the killed program's server process ended after {lasted:?}");
    // Nothing of the killed copies stayed, so the copy goes into an empty database again.
    let o = copy().wait_with_output().unwrap();
    assert!(o.status.success(), "{}", said(&o));
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn an_import_whose_connection_is_killed_keeps_all_or_nothing_and_says_the_server_closed_it() {
    let k = kill_imports(20_000, 5, Kill::Connection);
    println!("a whole import of 20,000 sales: {} ms", k.import_ms);
    assert_eq!(k.nothing_kept + k.all_kept + k.partial, k.rounds, "{k:?}");
    assert_eq!((k.partial, k.unexplained), (0, 0), "{k:?}");
    assert!(k.nothing_kept > 0, "some kills landed mid-import: {k:?}");
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_write_that_cannot_have_its_turn_within_10_s_is_told_busy_and_writes_nothing() {
    let (db, url) = TestDatabase::initialized();
    // Another program holds the write turn (a colleague's long write, a laptop asleep).
    let mut holder = db.client();
    holder
        .batch_execute("BEGIN; UPDATE partner_desk.changes SET seq = seq + 1 WHERE id = 1")
        .unwrap();
    let started = std::time::Instant::now();
    let o = partner_desk(&["--db", &url, "demo"]);
    let waited = started.elapsed();
    assert!(!o.status.success());
    assert!(said(&o).contains("the database is busy"), "{}", said(&o));
    assert!(
        waited >= std::time::Duration::from_secs(9) && waited < std::time::Duration::from_secs(30),
        "{waited:?}"
    );
    holder.batch_execute("ROLLBACK").unwrap();
    let partners: i64 = db
        .client()
        .query_one("SELECT count(*) FROM partner_desk.partners", &[])
        .unwrap()
        .get(0);
    assert_eq!(partners, 0);
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_pin_another_writer_slips_in_past_the_turn_is_refused_by_the_constraint_and_recorded() {
    // As the window asks (a write about the client), and as an import does (a whole write).
    slipped_pin(true);
    slipped_pin(false);
}

fn slipped_pin(on_client: bool) {
    use partner_desk::store::{PinEventKind, PinOutcome, Store};
    let (db, url) = TestDatabase::initialized();
    let mut store = Store::connect(&url).unwrap();
    let alfa = crate::util::partner(&mut store, crate::util::ALFA, "ООО «Альфа»", false, None);
    let beta = crate::util::partner(&mut store, crate::util::BETA, "ООО «Бета»", false, None);
    let client = crate::util::inn(crate::util::C1);
    store
        .write(|tx| tx.upsert_client(&client, "АО «Клиент»"))
        .unwrap();
    // Plain SQL pins the client to Бета without the write turn, and has not committed yet.
    let mut other = db.client();
    other
        .batch_execute(&format!(
            "BEGIN; INSERT INTO partner_desk.pins (client_inn, partner_id, pinned_on, ends_on)
             VALUES ('{}', {}, '2025-03-01', '2025-06-01')",
            crate::util::C1,
            beta.0
        ))
        .unwrap();
    // The program's request does not see it, writes, and waits on the constraint...
    let asking = std::thread::spawn(move || {
        let day = crate::util::d("2025-03-10");
        let outcome = if on_client {
            store.write_on_client(&client, |tx| tx.request_pin("", alfa, day, ""))
        } else {
            store.write(|tx| tx.request_pin(&client, "", alfa, day, ""))
        };
        (store, outcome)
    });
    let started = std::time::Instant::now();
    while waiting_on_locks(&db) == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the request never waited on the other writer's pin"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // ...until the other writer commits: then the request is refused, naming Бета.
    other.batch_execute("COMMIT").unwrap();
    let (store, outcome) = asking.join().unwrap();
    match outcome.unwrap() {
        PinOutcome::Refused { holder, .. } => assert_eq!(holder, beta),
        other => panic!("{other:?}"),
    }
    let events = store.read().pin_events(&client).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].kind, PinEventKind::Refused);
    assert_eq!(events[0].holder, Some(beta));
    let pins = store.read().pins_of_client(&client).unwrap();
    assert_eq!(pins.len(), 1);
    assert_eq!(pins[0].partner, beta);
}

/// How many of the database's sessions wait on a lock now.
fn waiting_on_locks(db: &TestDatabase) -> i64 {
    db.client()
        .query_one(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
            &[],
        )
        .unwrap()
        .get(0)
}

/// How many writes the database has counted.
fn change_seq(db: &TestDatabase) -> i64 {
    db.client()
        .query_one("SELECT seq FROM partner_desk.changes", &[])
        .unwrap()
        .get(0)
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn writes_about_different_clients_go_side_by_side_and_every_other_write_waits_for_them() {
    use crate::util::{ALFA, BETA, C1, C2, C3, d, inn};
    use partner_desk::store::{PinOutcome, Store, StoreError};
    use std::sync::mpsc::channel;
    use std::time::{Duration, Instant};
    let (db, url) = TestDatabase::initialized();
    let mut store = Store::connect(&url).unwrap();
    let alfa = crate::util::partner(&mut store, ALFA, "ООО «Альфа»", false, None);
    let beta = crate::util::partner(&mut store, BETA, "ООО «Бета»", false, None);
    let before = change_seq(&db);
    // Альфа's request for the first client, held open inside its transaction.
    let (held, is_held) = channel();
    let (release, released) = channel::<()>();
    let holder = std::thread::spawn(move || {
        store.write_on_client(&inn(C1), |tx| {
            let outcome = tx.request_pin("", alfa, d("2025-03-10"), "")?;
            held.send(()).unwrap();
            released.recv().unwrap();
            Ok::<_, StoreError>(outcome)
        })
    });
    is_held.recv().unwrap();
    // Another client's request and sale go through meanwhile.
    let mut other = Store::connect(&url).unwrap();
    let started = Instant::now();
    let pinned = other
        .write_on_client(&inn(C2), |tx| tx.request_pin("", beta, d("2025-03-10"), ""))
        .unwrap();
    assert!(matches!(pinned, PinOutcome::Pinned { .. }), "{pinned:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The same client's request waits, and so does a write that takes the whole turn.
    let same = std::thread::spawn({
        let url = url.clone();
        move || {
            Store::connect(&url)
                .unwrap()
                .write_on_client(&inn(C1), |tx| tx.request_pin("", beta, d("2025-03-20"), ""))
        }
    });
    let whole = std::thread::spawn({
        let url = url.clone();
        move || {
            Store::connect(&url)
                .unwrap()
                .write(|tx| tx.upsert_client(&inn(C3), "АО «Третий»"))
        }
    });
    while waiting_on_locks(&db) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "the same client's request and the whole write did not both wait"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!same.is_finished() && !whole.is_finished());
    release.send(()).unwrap();
    assert!(matches!(
        holder.join().unwrap().unwrap(),
        PinOutcome::Pinned { .. }
    ));
    // Decided on what Альфа committed: refused, naming Альфа.
    match same.join().unwrap().unwrap() {
        PinOutcome::Refused { holder, .. } => assert_eq!(holder, alfa),
        other => panic!("{other:?}"),
    }
    whole.join().unwrap().unwrap();
    // Each of the four counted itself once, so an import knows it is no longer the last.
    assert_eq!(change_seq(&db), before + 4);
}

/// Cuts a database off its server as a server that went away does, for it alone (the
/// other tests share the server): no new connection is let in, every one open is ended.
fn cut_off(db: &TestDatabase, cut: bool) {
    let mut admin = admin();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}",
            db.name, !cut
        ))
        .unwrap();
    if cut {
        admin
            .batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
                db.name
            ))
            .unwrap();
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_window_whose_server_goes_away_keeps_its_data_refuses_writes_and_reconnects_by_itself() {
    use crate::gui::*;
    use egui::accesskit::Role;
    use partner_desk::domain::Lang;
    use std::time::Duration;

    let (db, url) = TestDatabase::initialized();
    let t = crate::util::TempDb::for_server(&url);
    two_partners_and_a_sale_in_april(&t);
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Продажи");
    assert!(h.state().session().unwrap().sales.rows_shown());

    cut_off(&db, true);
    let lost = frames_until(&mut h, Duration::from_secs(5), |h| {
        has_text(h, "Показаны последние прочитанные данные")
    });
    assert!(lost.is_some(), "the window says the server is gone");
    assert!(
        h.state().session().unwrap().sales.rows_shown(),
        "the page keeps its data"
    );
    assert!(
        has_text(&h, "нет связи с сервером"),
        "and so does the status bar"
    );

    click(&mut h, "Стоп-лист");
    click_button(&mut h, "+ Закрепить клиента");
    type_into(&mut h, Role::TextInput, "ИНН клиента", crate::util::C1);
    type_into(&mut h, Role::TextInput, "Название клиента", "АО «Клиент»");
    choose(
        &mut h,
        "Партнёр",
        &format!("ООО «Альфа» · {}", crate::util::ALFA),
    );
    click_button(&mut h, "Закрепить");
    assert!(
        h.state().last_message().contains("ничего не записано"),
        "a write is refused with a sentence: {}",
        h.state().last_message()
    );

    cut_off(&db, false);
    let back = frames_until(&mut h, Duration::from_secs(10), |h| {
        !has_text(h, "Показаны последние прочитанные данные")
    });
    assert!(
        back.is_some(),
        "the window reconnects by itself within 10 s"
    );
    println!(
        "reconnected {:?} after the server answered again",
        back.unwrap()
    );
    click_button(&mut h, "Закрепить");
    assert!(
        h.state().last_message().contains("закреплён"),
        "a save works again: {}",
        h.state().last_message()
    );
    assert_eq!(t.open().read().pin_rows().unwrap().len(), 1);
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_window_whose_change_listener_stops_says_so_as_for_a_lost_server_and_listens_again() {
    use crate::gui::*;
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    let (_db, url) = TestDatabase::initialized();
    let t = crate::util::TempDb::for_server(&url);
    two_partners(&t);
    let faults = partner_desk::app::Faults::default();
    let mut h = crate::session::threaded_harness(&t, faults.clone());
    click(&mut h, "Стоп-лист");

    // The listener stops as it tells of a colleague's pin.
    faults.listener_dies.store(true, Ordering::SeqCst);
    let colleague = |client: &str| {
        let mut s = t.open();
        let beta = s
            .read()
            .partner_by_inn(&crate::util::inn(crate::util::BETA));
        let beta = beta.unwrap().unwrap();
        s.write_on_client(&crate::util::inn(client), |db| {
            db.request_pin("", beta, crate::util::d("2025-05-02"), "")
        })
        .unwrap();
    };
    colleague(crate::util::C2);
    let lost = frames_until(&mut h, Duration::from_secs(5), |h| {
        has_text(h, "Показаны последние прочитанные данные")
    });
    assert!(lost.is_some(), "the window says it hears nothing more");
    assert!(
        !faults.listener_dies.load(Ordering::SeqCst),
        "the listener stopped"
    );
    assert!(
        has_text(&h, "нет связи с сервером"),
        "and so does the status bar"
    );

    let back = frames_until(&mut h, Duration::from_secs(10), |h| {
        !has_text(h, "Показаны последние прочитанные данные")
    });
    assert!(back.is_some(), "the window listens again by itself");
    colleague(crate::util::C3);
    let heard = frames_until(&mut h, Duration::from_secs(5), |h| {
        h.state().data().pins.len() == 2
    });
    assert!(heard.is_some(), "a colleague's next pin shows by itself");
}

/// `partner-desk` as the login `as_login` with `password` (through PGPASSWORD), with
/// `stdin` on its standard input.
fn partner_desk_as(as_login: Option<(&str, &str)>, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_partner-desk"));
    command
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some((_, password)) = as_login {
        command.env("PGPASSWORD", password);
    }
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn add_user_gives_a_role_and_the_server_refuses_an_auditors_import_with_a_sentence() {
    let (db, url) = TestDatabase::initialized();
    let dir = tempfile::tempdir().unwrap();
    let sales = alfa_imported_and_a_sales_file(dir.path(), &url);
    let as_login = |name: &str| with_login(&url, name);
    for (name, role) in [("audrey", "auditor"), ("mia", "manager")] {
        let o = partner_desk_as(
            None,
            &["server", "add-user", &url, name, "--role", role],
            "s3cret-pass\n",
        );
        assert!(o.status.success(), "{}", said(&o));
        assert!(said(&o).contains("User added to"), "{}", said(&o));
    }
    an_auditor_reads_but_neither_imports_nor_adds_users(&db, &url, &sales, dir.path());

    // The manager's import goes in.
    let o = partner_desk_as(
        Some(("mia", "s3cret-pass")),
        &[
            "--db",
            &as_login("mia"),
            "import",
            "sales",
            sales.to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(sales_count(&db), 1);
    // A manager may not change the rates: a lead's work. Given the lead's role, she may.
    let may_change_rates = |db: &TestDatabase| -> bool {
        db.client()
            .query_one(
                "SELECT has_any_column_privilege('mia', 'partner_desk.rate_versions', 'INSERT')",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert!(!may_change_rates(&db));
    let o = partner_desk_as(
        None,
        &["server", "add-user", &url, "mia", "--role", "lead"],
        "n3w-pass\n",
    );
    assert!(said(&o).contains("new password and role"), "{}", said(&o));
    assert!(may_change_rates(&db));
}

/// How many sales the team database holds.
fn sales_count(db: &TestDatabase) -> i64 {
    db.client()
        .query_one("SELECT count(*) FROM partner_desk.sales", &[])
        .unwrap()
        .get(0)
}

/// «Альфа» imported into the team database at `url`, and a file of one sale of hers (in
/// `dir`) to import.
fn alfa_imported_and_a_sales_file(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    use crate::util::{ALFA, C1};
    let partners = dir.join("partners.csv");
    std::fs::write(
        &partners,
        format!("inn,name,status,status_since\n{ALFA},ООО «Альфа»,dealer,2024-01-01\n"),
    )
    .unwrap();
    let sales = dir.join("sales.csv");
    std::fs::write(
        &sales,
        format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-01-10,{ALFA},{C1},dev_services,120000,D-1\n"
        ),
    )
    .unwrap();
    let o = partner_desk(&[
        "--db",
        url,
        "import",
        "partners",
        partners.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", said(&o));
    sales
}

/// The auditor's import: refused by the server, in a sentence, nothing written; reading is
/// an auditor's work; the auditor may not add users either.
fn an_auditor_reads_but_neither_imports_nor_adds_users(
    db: &TestDatabase,
    url: &str,
    sales: &std::path::Path,
    dir: &std::path::Path,
) {
    use crate::util::ALFA;
    let as_login = |name: &str| with_login(url, name);
    let o = partner_desk_as(
        Some(("audrey", "s3cret-pass")),
        &[
            "--db",
            &as_login("audrey"),
            "import",
            "sales",
            sales.to_str().unwrap(),
        ],
        "",
    );
    assert!(!o.status.success(), "{}", said(&o));
    assert!(
        said(&o).contains("does not let your login make this change"),
        "{}",
        said(&o)
    );
    assert!(!said(&o).contains("42501"), "no SQLSTATE: {}", said(&o));
    assert_eq!(sales_count(db), 0);
    // Reading is an auditor's work.
    let o = partner_desk_as(
        Some(("audrey", "s3cret-pass")),
        &[
            "--db",
            &as_login("audrey"),
            "statement",
            "--partner",
            ALFA,
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            dir.join("q1.json").to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", said(&o));
    // The auditor may not add users either.
    let o = partner_desk_as(
        Some(("audrey", "s3cret-pass")),
        &[
            "server",
            "add-user",
            &as_login("audrey"),
            "eve",
            "--role",
            "lead",
        ],
        "x\n",
    );
    assert!(said(&o).contains("may not add users"), "{}", said(&o));
}

/// `url` with another login in it.
fn with_login(url: &str, login: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{login}@{host}")
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn an_auditors_window_has_no_enabled_write_action_and_says_why() {
    use crate::gui::*;
    use egui::accesskit::Role;
    use egui_kittest::kittest::{NodeT, Queryable};
    use partner_desk::domain::Lang;

    let (_db, url) = TestDatabase::initialized();
    let owner = crate::util::TempDb::for_server(&url);
    two_partners_and_a_sale_in_april(&owner);
    // The auditor's password is the test server's own, which PGPASSWORD gives this process.
    let password = std::env::var("PGPASSWORD").expect("the test server's PGPASSWORD");
    let o = partner_desk_as(
        None,
        &["server", "add-user", &url, "audrey", "--role", "auditor"],
        &format!("{password}\n"),
    );
    assert!(o.status.success(), "{}", said(&o));
    let auditor = crate::util::TempDb::for_server(&with_login(&url, "audrey"));
    let mut h = harness(&auditor, Lang::Ru, vec![]);
    assert_eq!(
        h.state().rights(),
        partner_desk::store::Rights {
            record: false,
            lead: false
        }
    );

    const WRITES: &[&str] = &[
        "+ Новый партнёр",
        "+ Закрепить клиента",
        "+ Новая продажа",
        "Новая версия с даты…",
        "Выдать…",
        "Продлить…",
        "Импорт…",
        "Отменить последний импорт…",
    ];
    let (mut disabled, mut enabled) = (Vec::new(), Vec::new());
    let mut look = |h: &egui_kittest::Harness<'static, partner_desk::app::App>| {
        for node in h.query_all_by_role(Role::Button) {
            let node = node.accesskit_node();
            let label = node.label().unwrap_or_default();
            // A menu item's label has its shortcut after it.
            if let Some(write) = WRITES.iter().find(|w| label.starts_with(**w)) {
                if node.is_disabled() {
                    disabled.push(write.to_string());
                } else {
                    enabled.push(label);
                }
            }
        }
    };
    // The window opens on the Overview.
    look(&h);
    for page in [
        "Партнёры",
        "Стоп-лист",
        "Продажи",
        "Ведомости премий",
        "Ставки премий",
    ] {
        click(&mut h, page);
        look(&h);
    }
    click(&mut h, "Файл");
    look(&h);
    h.key_press(egui::Key::Escape);
    h.run_ok();
    assert!(enabled.is_empty(), "enabled for an auditor: {enabled:?}");
    for needed in [
        "+ Новый партнёр",
        "+ Закрепить клиента",
        "+ Новая продажа",
        "Новая версия с даты…",
        "Импорт…",
    ] {
        assert!(
            disabled.iter().any(|d| d == needed),
            "{needed} not seen: {disabled:?}"
        );
    }

    // The shortcut is refused with the sentence the disabled buttons say on hover.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::I);
    h.run_ok();
    assert!(
        h.state()
            .last_message()
            .contains("Ваша роль в общей базе — аудитор"),
        "{}",
        h.state().last_message()
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_pg_dump_of_the_team_database_restores_into_one_the_program_opens_with_the_same_statements() {
    use crate::util::{ALFA, C1};
    let (db, url) = TestDatabase::initialized();
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let partners = file(
        "partners.csv",
        format!("inn,name,status,status_since\n{ALFA},ООО «Альфа»,dealer,2024-01-01\n"),
    );
    let pins = file(
        "pins.csv",
        format!("date,client_inn,partner_inn\n2025-01-01,{C1},{ALFA}\n"),
    );
    let sales = file(
        "sales.csv",
        format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-01-10,{ALFA},{C1},saas,120000,D-1\n"
        ),
    );
    for (kind, path) in [("partners", &partners), ("pins", &pins), ("sales", &sales)] {
        let o = partner_desk(&["--db", &url, "import", kind, path]);
        assert!(o.status.success(), "{}", said(&o));
    }
    let o = partner_desk(&[
        "--db",
        &url,
        "issue",
        "--partner",
        ALFA,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
    ]);
    assert!(o.status.success(), "{}", said(&o));
    let number = said(&o)
        .split_whitespace()
        .find(|w| w.len() == 9 && w.as_bytes()[4] == b'-')
        .map(str::to_owned)
        .unwrap();

    // What docs/TEAM.md tells the administrator to run.
    let dump = dir.path().join("partner_desk.dump");
    let run = |program: &str, args: &[&str]| {
        let o = Command::new(program).args(args).output().unwrap();
        assert!(o.status.success(), "{program}: {}", said(&o));
    };
    run(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            "--dbname",
            &db.name,
        ],
    );
    let restored = TestDatabase::new();
    run(
        "pg_restore",
        &["--dbname", &restored.name, dump.to_str().unwrap()],
    );

    let restored_url = restored.url();
    let exported = |url: &str, name: &str| {
        let out = dir.path().join(name);
        let o = partner_desk(&[
            "--db",
            url,
            "statement",
            "--number",
            &number,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", said(&o));
        std::fs::read(out).unwrap()
    };
    assert_eq!(
        exported(&url, "before.json"),
        exported(&restored_url, "after.json"),
        "the issued statement re-exports byte for byte from the restored database"
    );
    // And the restored database takes writes, its rules on: the issued period stays locked.
    let late = file(
        "late.csv",
        format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-01-20,{ALFA},{C1},saas,1000,D-2\n"
        ),
    );
    let o = partner_desk(&["--db", &restored_url, "import", "sales", &late]);
    assert!(!o.status.success(), "{}", said(&o));
    assert!(said(&o).contains(&number), "{}", said(&o));
}

/// An eframe storage in memory: what the window keeps between runs, for a test to read.
#[derive(Default)]
struct Kept(std::collections::HashMap<String, String>);

impl eframe::Storage for Kept {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// Types the test server, `database`, `login` and `password` over what the open connection
/// form holds.
fn fill_connection_form(
    h: &mut egui_kittest::Harness<'static, partner_desk::app::App>,
    database: &str,
    login: &str,
    password: &str,
) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.into());
    for (field, value, role) in [
        ("Сервер", env("PGHOST", "localhost"), Role::TextInput),
        ("Порт", env("PGPORT", "5432"), Role::TextInput),
        ("База данных", database.to_owned(), Role::TextInput),
        ("Логин", login.to_owned(), Role::TextInput),
        ("Пароль", password.to_owned(), Role::PasswordInput),
    ] {
        h.get_by_role_and_label(role, field).focus();
        h.step();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run_ok();
        crate::gui::type_into(h, role, field, &value);
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn the_connection_form_tests_and_opens_a_team_database_and_the_settings_keep_no_password() {
    use crate::gui::*;
    use partner_desk::domain::Lang;
    use std::time::Duration;

    let (db, url) = TestDatabase::initialized();
    let t = crate::util::TempDb::on_file();
    let mut h = harness(&t, Lang::Ru, vec![]);
    click(&mut h, "Файл");
    click(&mut h, "Подключиться к общей базе…");
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let login = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    fill_connection_form(&mut h, &db.name, &login, &password);
    click_button(&mut h, "Проверить подключение");
    let tested = frames_until(&mut h, Duration::from_secs(10), |h| {
        has_text(h, "Подключение работает")
    });
    assert!(tested.is_some(), "the test says the connection works");
    assert!(
        h.state().store().unwrap().server().is_none(),
        "testing opens nothing"
    );

    click_button(&mut h, "Подключиться");
    let opened = frames_until(&mut h, Duration::from_secs(10), |h| {
        h.state().store().and_then(|s| s.server()).is_some()
    });
    assert!(opened.is_some(), "the team database is open");
    assert_eq!(
        h.state().store().unwrap().server().unwrap(),
        partner_desk::store::postgres::shown(&url)
    );

    let mut kept = Kept::default();
    eframe::App::save(h.state_mut(), &mut kept);
    let settings: String = kept.0.values().cloned().collect();
    assert!(
        settings.contains(&db.name),
        "the team database is among the recent ones: {settings}"
    );
    assert!(!password.is_empty());
    assert!(
        !settings.contains(&password),
        "the settings hold no password: {settings}"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn ctrl_z_after_a_team_database_is_opened_over_a_file_takes_nothing_back_in_it() {
    use crate::gui::*;
    use crate::session::*;
    use partner_desk::domain::Lang;
    use std::time::Duration;

    let (db, url) = TestDatabase::initialized();
    let team = crate::util::TempDb::for_server(&url);
    a_file_with_two_sales(&team);
    let team_before = sales_of(&team);
    let file = crate::util::TempDb::on_file();
    a_file_with_a_pin(&file);
    let mut h = harness(&file, Lang::Ru, vec![]);
    record_a_sale_of_3000(&mut h);
    let file_after = sales_of(&file);

    click(&mut h, "Файл");
    click(&mut h, "Подключиться к общей базе…");
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let login = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    fill_connection_form(&mut h, &db.name, &login, &password);
    click_button(&mut h, "Подключиться");
    let opened = frames_until(&mut h, Duration::from_secs(10), |h| {
        h.state().store().and_then(|s| s.server()).is_some() && h.state().data().version > 0
    });
    assert!(opened.is_some(), "the team database is open");
    ctrl_z(&mut h);
    assert_eq!(
        sales_of(&team),
        team_before,
        "nothing of the team's is taken back"
    );
    assert_eq!(
        sales_of(&file),
        file_after,
        "nor of the file, which is closed"
    );
    assert!(
        h.state().last_message().contains("Отменять нечего"),
        "{}",
        h.state().last_message()
    );
}

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "openssl {args:?}: {}", said(&o));
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn an_encrypted_connection_checks_the_servers_certificate_against_the_companys_ca() {
    use partner_desk::domain::lang::Localized;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (db, url) = TestDatabase::initialized();
    // A company CA and a certificate it signed for "localhost", beside the server's data
    // (where the server may read them; they stay with the throwaway cluster).
    let mut admin = admin();
    let data: String = admin
        .query_one("SELECT current_setting('data_directory')", &[])
        .unwrap()
        .get(0);
    let dir = std::path::Path::new(&data).join("partner-desk-tls");
    std::fs::create_dir_all(&dir).unwrap();
    company_ca_and_a_certificate_for_localhost(&dir);
    let owner = std::fs::metadata(&data).unwrap();
    for file in ["server.key", "server.pem", "ca.pem"] {
        let path = dir.join(file);
        std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid())).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::os::unix::fs::chown(&dir, Some(owner.uid()), Some(owner.gid())).unwrap();
    let ca = std::env::temp_dir().join(format!("{}-ca.pem", db.name));
    std::fs::copy(dir.join("ca.pem"), &ca).unwrap();
    serve_encrypted_with(&mut admin, &dir);
    let local = url.replacen(
        &format!(
            "@{}:",
            std::env::var("PGHOST").unwrap_or("localhost".into())
        ),
        "@localhost:",
        1,
    );
    let encrypted = format!("{local}?sslmode=verify-full&sslrootcert={}", ca.display());
    let store = partner_desk::store::Store::connect(&encrypted)
        .unwrap_or_else(|e| panic!("{}", e.text(partner_desk::domain::Lang::En)));
    let on_tls: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE s.ssl AND a.datname = $1",
            &[&db.name],
        )
        .unwrap()
        .get(0);
    assert!(on_tls >= 1, "the program's connection is encrypted");
    drop(store);

    only_the_companys_ca_and_the_certificates_name_are_trusted(&local, &ca);
    for sql in [
        "ALTER SYSTEM RESET ssl_cert_file",
        "ALTER SYSTEM RESET ssl_key_file",
        "ALTER SYSTEM RESET ssl",
        "SELECT pg_reload_conf()",
    ] {
        admin.batch_execute(sql).unwrap();
    }
}

/// A company CA and a certificate it signed for "localhost", in `dir`.
fn company_ca_and_a_certificate_for_localhost(dir: &std::path::Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Company CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        ],
    );
}

/// The server's connections encrypted with the certificate in `dir`. ALTER SYSTEM runs
/// alone, outside a transaction.
fn serve_encrypted_with(admin: &mut postgres::Client, dir: &std::path::Path) {
    let mut system = |sql: &str| admin.batch_execute(sql).unwrap();
    system(&format!(
        "ALTER SYSTEM SET ssl_cert_file = '{}/server.pem'",
        dir.display()
    ));
    system(&format!(
        "ALTER SYSTEM SET ssl_key_file = '{}/server.key'",
        dir.display()
    ));
    system("ALTER SYSTEM SET ssl = on");
    system("SELECT pg_reload_conf()");
    std::thread::sleep(std::time::Duration::from_millis(500));
}

/// Not the company's CA: the system's roots do not vouch for this server; and the
/// certificate is for "localhost", not for 127.0.0.1.
fn only_the_companys_ca_and_the_certificates_name_are_trusted(local: &str, ca: &std::path::Path) {
    use partner_desk::domain::lang::Localized;
    let refused = |address: &str| match partner_desk::store::Store::connect(address) {
        Ok(_) => panic!("{address} was connected to"),
        Err(e) => e.text(partner_desk::domain::Lang::En),
    };
    let said = refused(&format!("{local}?sslmode=require"));
    assert!(said.contains("did not prove who it is"), "{said}");
    // The certificate is for "localhost", not for 127.0.0.1.
    let by_address = local.replacen("@localhost:", "@127.0.0.1:", 1);
    let said = refused(&format!(
        "{by_address}?sslmode=require&sslrootcert={}",
        ca.display()
    ));
    assert!(said.contains("did not prove who it is"), "{said}");
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_password_kept_in_the_keyring_opens_the_team_database_at_the_next_start_without_asking() {
    use crate::gui::*;
    use partner_desk::domain::Lang;
    use std::time::Duration;

    let (db, url) = TestDatabase::initialized();
    // A login whose password is not the one PGPASSWORD gives this process.
    let o = partner_desk_as(
        None,
        &["server", "add-user", &url, "kira", "--role", "manager"],
        "k1ra-pass\n",
    );
    assert!(o.status.success(), "{}", said(&o));
    let kira = with_login(&url, "kira");
    let keyring = partner_desk::keyring::MemoryKeyring::default();
    let start = |db_arg: std::path::PathBuf| {
        let keyring = keyring.clone();
        let config = partner_desk::app::Config {
            lang: Some(Lang::Ru),
            background_reads: false,
            keyring: Box::new(keyring),
            ..partner_desk::app::Config::new(db_arg)
        };
        let mut h = egui_kittest::Harness::builder()
            .with_size([1400.0, 900.0])
            .build_eframe(move |cc| partner_desk::app::App::new(cc, config));
        h.run_ok();
        h
    };

    let file = crate::util::TempDb::on_file();
    let mut h = start(file.path.clone());
    click(&mut h, "Файл");
    click(&mut h, "Подключиться к общей базе…");
    fill_connection_form(&mut h, &db.name, "kira", "k1ra-pass");
    click(&mut h, "Запомнить пароль в связке ключей системы");
    click_button(&mut h, "Подключиться");
    let opened = frames_until(&mut h, Duration::from_secs(10), |h| {
        h.state().store().and_then(|s| s.server()).is_some()
    });
    assert!(opened.is_some(), "the team database is open");
    let shown = partner_desk::store::postgres::shown(&kira);
    assert_eq!(
        partner_desk::keyring::Keyring::get(&keyring, &shown).as_deref(),
        Some("k1ra-pass")
    );
    drop(h);

    // The next start: nothing typed in this run any more, the keyring has it.
    partner_desk::store::postgres::forget_password(&kira);
    let h = start(std::path::PathBuf::from(&kira));
    assert_eq!(
        h.state().store().and_then(|s| s.server()),
        Some(shown.as_str()),
        "opened with the kept password: {}",
        h.state().last_message()
    );
    assert!(!has_text(&h, "Подключение к общей базе"), "nothing asked");
}
