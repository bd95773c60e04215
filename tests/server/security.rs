//! The team database against its own logins. A manager's, a lead's, an auditor's and a
//! login of no role of ours connect with the driver and type SQL, as anyone with `psql`
//! could: every way around the rules is refused and nothing changes (every table's rows
//! and the schema's objects, by checksum, before and after); what a login may do, it does
//! with the server's own who and when; and every right every role has on every object is
//! the one the grant matrix below expects.

use postgres::Client;

use super::{TestDatabase, admin};
use crate::util::{ALFA, BETA, C1, C2, d, inn};
use partner_desk::domain::{LicenseKind, Status};
use partner_desk::store::Store;

/// The logins of one test database, each a member of one of the program's roles (or of
/// none), made for it and dropped after it.
struct Logins {
    prefix: String,
}

const ROLES: [(&str, Option<&str>); 4] = [
    ("manager", Some("partner_desk_manager")),
    ("lead", Some("partner_desk_lead")),
    ("auditor", Some("partner_desk_auditor")),
    ("nobody", None),
];

impl Logins {
    fn new(db: &TestDatabase) -> Logins {
        let logins = Logins {
            prefix: db.name.clone(),
        };
        let mut admin = admin();
        for (role, group) in ROLES {
            let name = logins.name(role);
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {name} LOGIN PASSWORD 'pw-{role}';
                     GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {name}",
                    db = db.name
                ))
                .unwrap();
            if let Some(group) = group {
                admin
                    .batch_execute(&format!("GRANT {group} TO {name}"))
                    .unwrap();
            }
        }
        logins
    }

    fn name(&self, role: &str) -> String {
        format!("{}_{role}", self.prefix)
    }

    /// A connection of the login of `role`, as `psql` would make it.
    fn client(&self, db: &TestDatabase, role: &str) -> Client {
        let mut config = partner_desk::store::postgres::config(&db.url()).unwrap();
        config
            .user(&self.name(role))
            .password(format!("pw-{role}"))
            .dbname(&db.name);
        config.connect(postgres::NoTls).unwrap()
    }

    /// The program, connected as the login of `role`.
    fn store(&self, db: &TestDatabase, role: &str) -> Store {
        let url = super::with_login(&db.url(), &self.name(role));
        partner_desk::store::postgres::remember_password(&url, &format!("pw-{role}"));
        Store::connect(&url).unwrap()
    }
}

impl Drop for Logins {
    fn drop(&mut self) {
        let mut admin = admin();
        for (role, _) in ROLES {
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name(role)));
        }
    }
}

/// What the attacks are aimed at: a team database with partners, a pin and its events,
/// sales in an issued period and out of it, an import (no longer the newest write), and an
/// issued statement, all recorded by the program as the lead.
struct Seeded {
    alfa: i64,
    beta: i64,
    pin: i64,
    pinned_event: i64,
    locked_sale: i64,
    open_sale: i64,
    statement: i64,
    import: i64,
    /// A payment a lead recorded of the statement.
    payment: i64,
    /// The schema's owner, as whom no login may act.
    owner: String,
}

fn seeded(db: &TestDatabase, logins: &Logins) -> Seeded {
    use partner_desk::actions;
    let mut store = logins.store(db, "lead");
    let alfa = crate::util::alfa(&mut store, Status::Dealer);
    let beta = crate::util::partner(&mut store, BETA, "ООО «Бета»", false, None);
    store
        .write_on_client(&inn(C1), |tx| {
            tx.request_pin("АО «Клиент»", alfa, d("2025-01-10"), "")
        })
        .unwrap();
    let locked_sale = store
        .write(|tx| {
            tx.record_sale(&crate::util::sale(
                alfa,
                "2025-02-01",
                C1,
                LicenseKind::Saas,
                "100000",
            ))
        })
        .unwrap();
    let open_sale = store
        .write(|tx| {
            tx.record_sale(&crate::util::sale(
                alfa,
                "2025-04-05",
                C1,
                LicenseKind::Saas,
                "50000",
            ))
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sales.csv");
    std::fs::write(
        &file,
        format!(
            "date,partner_inn,client_inn,kind,amount,doc\n2025-03-03,{ALFA},{C2},dev_services,7000,D-1\n"
        ),
    )
    .unwrap();
    actions::import_file(&mut store, partner_desk::import::ImportKind::Sales, &file).unwrap();
    actions::issue(
        &mut store,
        alfa,
        (d("2025-02-01"), d("2025-03-31")),
        d("2025-04-02"),
    )
    .unwrap();
    let due = store.read().dues().unwrap()[0].clone();
    let payment = store
        .write(|tx| {
            tx.record_payment(&crate::store::payments::by_hand(
                due.statement_id,
                "2025-04-10",
                "100",
                "1",
            ))
        })
        .unwrap();
    let mut admin = db.client();
    let one = |admin: &mut Client, sql: &str| -> i64 { admin.query_one(sql, &[]).unwrap().get(0) };
    Seeded {
        payment,
        alfa: alfa.0,
        beta: beta.0,
        pin: one(&mut admin, "SELECT max(id) FROM partner_desk.pins"),
        pinned_event: one(&mut admin, "SELECT min(id) FROM partner_desk.pin_events"),
        locked_sale: locked_sale.0,
        open_sale: open_sale.0,
        statement: one(
            &mut admin,
            "SELECT max(id) FROM partner_desk.issued_statements",
        ),
        import: one(&mut admin, "SELECT max(id) FROM partner_desk.imports"),
        owner: admin
            .query_one(
                "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'partner_desk'",
                &[],
            )
            .unwrap()
            .get(0),
    }
}

/// Every table's row count and checksum, and the schema's own objects (functions with
/// their settings, triggers and whether they fire, tables of `partner_desk` and `public`,
/// rights): what must be the same after every attack.
fn fingerprint(db: &TestDatabase) -> Vec<String> {
    let mut admin = db.client();
    let tables: Vec<String> = admin
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'partner_desk' AND c.relkind = 'r' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut seen = Vec::new();
    for table in tables {
        let row = admin
            .query_one(
                &format!(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
                     FROM partner_desk.{table} t"
                ),
                &[],
            )
            .unwrap();
        seen.push(format!(
            "{table}: {} rows, {}",
            row.get::<_, i64>(0),
            row.get::<_, String>(1)
        ));
    }
    for sql in [
        "SELECT string_agg(format('%s %s %s %s %s', p.proname, p.prosecdef, p.proconfig,
                                  md5(p.prosrc), p.proacl), ' | ' ORDER BY p.proname)
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname IN ('partner_desk', 'public')",
        "SELECT string_agg(format('%s %s', t.tgname, t.tgenabled), ' | ' ORDER BY t.tgname)
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'partner_desk'",
        "SELECT string_agg(format('%s.%s %s %s', n.nspname, c.relname, c.relkind, c.relacl), ' | '
                           ORDER BY n.nspname, c.relname)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('partner_desk', 'public')",
        // The cluster's memberships, but for the logins of other tests' databases, made
        // and dropped meanwhile.
        "SELECT string_agg(format('%s %s', r.rolname, m.roleid::regrole), ' | '
                           ORDER BY r.rolname, m.roleid::regrole::text)
         FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
         WHERE r.rolname NOT LIKE 'pd\\_test\\_%' OR starts_with(r.rolname, $1 || '_')",
    ] {
        let params: &[&(dyn postgres::types::ToSql + Sync)] =
            if sql.contains("$1") { &[&db.name] } else { &[] };
        let text: Option<String> = admin.query_one(sql, params).unwrap().get(0);
        seen.push(text.unwrap_or_default());
    }
    seen
}

/// Runs `sql` as one transaction of `client`: what the server said if it refused it.
fn attempt(client: &mut Client, sql: &str) -> Result<(), String> {
    let result = client.batch_execute(&format!("BEGIN; {sql}; COMMIT"));
    let _ = client.batch_execute("ROLLBACK");
    result.map_err(|e| match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    })
}

/// What every login tries, whatever its role, each with what it tries to do: each must be
/// refused.
fn attacks(s: &Seeded) -> Vec<(&'static str, String)> {
    let mut attacks = attacks_on_the_schema(s);
    attacks.extend(attacks_through_restoring(s));
    attacks.extend(attacks_on_imports(s));
    attacks.extend(attacks_on_locked_periods(s));
    attacks.extend(attacks_on_the_records(s));
    attacks.extend(attacks_on_pins(s));
    attacks.extend(attacks_on_the_write_turn());
    attacks.extend(attacks_on_payments(s));
    attacks
}

/// A recorded payment changed (who, when, how much) or deleted, or its undo undone: for
/// every role; a payment is undone only by a row that cancels it.
fn attacks_on_payments(s: &Seeded) -> Vec<(&'static str, String)> {
    let payment = s.payment;
    vec![
        (
            "change who recorded a payment",
            format!("UPDATE partner_desk.payments SET recorded_by = 'boss' WHERE id = {payment}"),
        ),
        (
            "change when a payment was recorded",
            format!(
                "UPDATE partner_desk.payments SET recorded_at = '2000-01-01' WHERE id = {payment}"
            ),
        ),
        (
            "change a payment's amount",
            format!("UPDATE partner_desk.payments SET amount_kop = 1 WHERE id = {payment}"),
        ),
        (
            "delete a payment",
            format!("DELETE FROM partner_desk.payments WHERE id = {payment}"),
        ),
        (
            "reopen a paid statement, which a re-issue would owe again",
            format!(
                "SELECT partner_desk.reopen_statement({}, '2025-04-12', 'причина')",
                s.statement
            ),
        ),
    ]
}

/// What only a lead may do: record a payment (managers prepare the payment files; auditors
/// read).
fn attacks_of_non_leads(s: &Seeded) -> Vec<(&'static str, String)> {
    vec![(
        "record a payment",
        format!(
            "INSERT INTO partner_desk.payments (statement_id, on_date, amount_kop, source)
             VALUES ({}, '2025-04-11', 100, 'hand')",
            s.statement
        ),
    )]
}

/// The schema and the rights: emptying or dropping tables, switching the rules off,
/// functions put in public or replaced, another role taken.
fn attacks_on_the_schema(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        locked_sale, owner, ..
    } = s;
    vec![
        ("empty the sales", "TRUNCATE partner_desk.sales".to_owned()),
        ("empty the stop-list history", "TRUNCATE partner_desk.pin_events".to_owned()),
        ("switch the period lock off", "ALTER TABLE partner_desk.sales DISABLE TRIGGER ALL".to_owned()),
        ("drop the rule against overlapping pins",
         "ALTER TABLE partner_desk.pins DROP CONSTRAINT pins_one_holder_a_day".to_owned()),
        ("drop a table", "DROP TABLE partner_desk.import_layouts".to_owned()),
        ("create a table in the schema", "CREATE TABLE partner_desk.mine (x int)".to_owned()),
        ("create a table in public", "CREATE TABLE public.mine (x int)".to_owned()),
        ("put a function in public",
         "CREATE FUNCTION public.lock_of(bigint, date) RETURNS text LANGUAGE sql AS 'SELECT NULL::text'"
             .to_owned()),
        ("replace the period lock's function",
         "CREATE OR REPLACE FUNCTION partner_desk.lock_of(partner bigint, day date) RETURNS text
              LANGUAGE sql AS 'SELECT NULL::text'"
             .to_owned()),
        ("make an owner's function run as the caller",
         "ALTER FUNCTION partner_desk.take_turn(text) SECURITY INVOKER".to_owned()),
        ("give itself the lead's role", "GRANT partner_desk_lead TO CURRENT_USER".to_owned()),
        ("act as the owner", format!("SET ROLE {owner}; DELETE FROM partner_desk.statement_events")),
        ("become the owner",
         format!("SET SESSION AUTHORIZATION {owner}; DELETE FROM partner_desk.statement_events")),
        ("switch triggers off for the session",
         format!("SET session_replication_role = replica; DELETE FROM partner_desk.sales WHERE id = {locked_sale}")),
    ]
}

/// The owner's restoring mode, set by the login itself.
fn attacks_through_restoring(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        alfa,
        pin,
        locked_sale,
        statement,
        ..
    } = s;
    vec![
        ("set the owner's restoring mode, delete a locked sale",
         format!("SET LOCAL partner_desk.restoring = 'on'; DELETE FROM partner_desk.sales WHERE id = {locked_sale}")),
        ("set the owner's restoring mode, change a locked sale's figures",
         format!("SELECT set_config('partner_desk.restoring', 'on', true);
                  UPDATE partner_desk.sales SET premium_kop = 1 WHERE id = {locked_sale}")),
        ("set the owner's restoring mode, extend a pin past the rules",
         format!("SET LOCAL partner_desk.restoring = 'on';
                  INSERT INTO partner_desk.pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
                  VALUES ({pin}, '{C1}', {alfa}, 'extended', '2025-03-01', '2030-01-01')")),
        ("set the owner's restoring mode, reopen a statement unseen",
         format!("SET LOCAL partner_desk.restoring = 'on';
                  UPDATE partner_desk.issued_statements SET reopened_on = '2025-04-03', reopen_reason = 'x'
                  WHERE id = {statement}")),
    ]
}

/// An import's undo, run out of turn, forged, or from temporary tables of the login's own.
fn attacks_on_imports(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        statement, import, ..
    } = s;
    let undo_log =
        "CREATE TEMP TABLE import_undo (seq bigint, import_id bigint, tbl text, old jsonb);
         CREATE TEMP TABLE imports (LIKE partner_desk.imports);
         CREATE TEMP TABLE changes (id integer, seq bigint)";
    vec![
        ("undo an import that is not the last write", format!("SELECT partner_desk.undo_import({import})")),
        ("undo an import that does not exist", "SELECT partner_desk.undo_import(999999)".to_owned()),
        ("rewrite another transaction's import", format!("SELECT partner_desk.end_import({import}, 'forged')")),
        ("write the undo log",
         format!("INSERT INTO partner_desk.import_undo (import_id, tbl, old)
                  VALUES ({import}, 'issued_statements', '{{\"id\": {statement}}}')")),
        ("record an import whose undo deletes the statements",
         "INSERT INTO partner_desk.imports (kind, file, change_seq, high_water)
              VALUES ('sales', 'x', 0, '{\"issued_statements\": 0, \"statement_events\": 0}')"
             .to_owned()),
        ("undo an import from its own temporary tables",
         format!("{undo_log};
                  INSERT INTO pg_temp.imports (id, kind, file, imported_at, imported_by, change_seq, high_water)
                  VALUES ({import}, 'sales', 'x', now(), 'x', 0, '{{\"issued_statements\": 0}}');
                  INSERT INTO pg_temp.import_undo VALUES (1, {import}, 'issued_statements', '{{\"id\": {statement}}}');
                  SET LOCAL search_path = pg_temp, partner_desk;
                  SELECT partner_desk.undo_import({import})")),
    ]
}

/// Sales of an issued period changed, added or hidden, and statements reopened, issued or
/// rewritten unseen.
fn attacks_on_locked_periods(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        alfa,
        beta,
        locked_sale,
        open_sale,
        statement,
        ..
    } = s;
    vec![
        ("change a locked sale's premium", format!("UPDATE partner_desk.sales SET premium_kop = 1 WHERE id = {locked_sale}")),
        ("change a locked sale's rate", format!("UPDATE partner_desk.sales SET rate_pct = 99 WHERE id = {locked_sale}")),
        ("change a locked sale's amount", format!("UPDATE partner_desk.sales SET amount_kop = 1 WHERE id = {locked_sale}")),
        ("re-date a locked sale out of its period",
         format!("UPDATE partner_desk.sales SET date = '2025-06-01' WHERE id = {locked_sale}")),
        ("delete a locked sale", format!("DELETE FROM partner_desk.sales WHERE id = {locked_sale}")),
        ("re-date a sale into an issued period",
         format!("UPDATE partner_desk.sales SET date = '2025-02-02' WHERE id = {open_sale}")),
        ("add a sale to an issued period",
         format!("INSERT INTO partner_desk.sales (date, partner_id, client_inn, kind, amount_kop,
                      self_referred, connected_by_partner, used_in_work, premium_kop)
                  VALUES ('2025-03-01', {alfa}, '{C2}', 'dev_services', 100, false, true, true, 10)")),
        ("hide the statements behind a temporary table, change a locked sale",
         format!("CREATE TEMP TABLE issued_statements (LIKE partner_desk.issued_statements);
                  SET LOCAL search_path = pg_temp, partner_desk;
                  UPDATE partner_desk.sales SET amount_kop = 1 WHERE id = {locked_sale}")),
        ("shadow the types text and date, change a locked sale",
         format!("CREATE TEMP TABLE text (x int); CREATE TEMP TABLE date (x int);
                  SET LOCAL search_path = pg_temp, partner_desk;
                  UPDATE partner_desk.sales SET amount_kop = 1 WHERE id = {locked_sale}")),
        ("reopen a statement without its event",
         format!("UPDATE partner_desk.issued_statements SET reopened_on = '2025-04-03', reopen_reason = 'x'
                  WHERE id = {statement}")),
        ("reopen, change a sale, close again unseen",
         format!("SELECT partner_desk.reopen_statement({statement}, '2025-04-03', 'правка');
                  UPDATE partner_desk.sales SET amount_kop = 1 WHERE id = {locked_sale};
                  UPDATE partner_desk.issued_statements SET reopened_on = NULL, reopen_reason = NULL
                  WHERE id = {statement}")),
        ("write a statement's event",
         format!("INSERT INTO partner_desk.statement_events (statement_id, event, on_date, reason)
                  VALUES ({statement}, 'reopened', '2025-04-03', 'x')")),
        ("delete a statement's events", format!("DELETE FROM partner_desk.statement_events WHERE statement_id = {statement}")),
        ("reopen a statement that does not exist",
         "SELECT partner_desk.reopen_statement(999999, '2025-04-03', 'x')".to_owned()),
        ("reopen a statement without a reason",
         format!("SELECT partner_desk.reopen_statement({statement}, '2025-04-03', '  ')")),
        ("issue a statement over an issued period",
         format!("SELECT partner_desk.issue_statement('2099-0001', {alfa}, '2025-02-01', '2025-02-28',
                      '2025-04-03', '\\x7b7d', encode(sha256('\\x7b7d'), 'hex'), 1, 1, 1)")),
        ("issue a statement whose checksum is not its own",
         format!("SELECT partner_desk.issue_statement('2099-0002', {beta}, '2025-02-01', '2025-02-28',
                      '2025-04-03', '\\x7b7d', 'not its checksum', 1, 1, 1)")),
        ("issue a statement of a partner that does not exist",
         "SELECT partner_desk.issue_statement('2099-0003', 999999, '2025-02-01', '2025-02-28',
              '2025-04-03', '\\x7b7d', encode(sha256('\\x7b7d'), 'hex'), 1, 1, 1)"
             .to_owned()),
        ("rewrite an issued statement",
         format!("UPDATE partner_desk.issued_statements SET json = '\\x7b7d' WHERE id = {statement}")),
    ]
}

/// Who recorded what and when, rewritten.
fn attacks_on_the_records(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        alfa, open_sale, ..
    } = s;
    vec![
        (
            "change who recorded a sale",
            format!("UPDATE partner_desk.sales SET recorded_by = 'boss' WHERE id = {open_sale}"),
        ),
        (
            "change when a sale was recorded",
            format!(
                "UPDATE partner_desk.sales SET recorded_at = '2000-01-01' WHERE id = {open_sale}"
            ),
        ),
        (
            "change who changed a status",
            "UPDATE partner_desk.status_changes SET recorded_by = 'boss'".to_owned(),
        ),
        (
            "change who imported",
            "UPDATE partner_desk.imports SET imported_by = 'boss'".to_owned(),
        ),
        (
            "change when a partner was recorded",
            format!("UPDATE partner_desk.partners SET created_at = '2000-01-01' WHERE id = {alfa}"),
        ),
    ]
}

/// Pins and their events written past the rules of the stop-list.
fn attacks_on_pins(s: &Seeded) -> Vec<(&'static str, String)> {
    let Seeded {
        alfa,
        beta,
        pin,
        pinned_event,
        ..
    } = s;
    vec![
        ("move a pin's end without its event", format!("UPDATE partner_desk.pins SET ends_on = '2030-01-01' WHERE id = {pin}")),
        ("write a pin without its event",
         format!("INSERT INTO partner_desk.pins (client_inn, partner_id, pinned_on, ends_on)
                  VALUES ('{C2}', {beta}, '2025-01-01', '2030-01-01')")),
        ("delete a pin", format!("DELETE FROM partner_desk.pins WHERE id = {pin}")),
        ("extend a pin by ten years",
         format!("INSERT INTO partner_desk.pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
                  VALUES ({pin}, '{C1}', {alfa}, 'extended', '2025-03-01', '2035-01-01')")),
        ("extend a pin that is not in force",
         format!("INSERT INTO partner_desk.pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
                  VALUES ({pin}, '{C1}', {alfa}, 'extended', '2026-03-01', '2025-07-10')")),
        ("release another partner's pin",
         format!("INSERT INTO partner_desk.pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
                  VALUES ({pin}, '{C1}', {beta}, 'released', '2025-03-01', '2025-03-01')")),
        ("pin a client pinned to another partner",
         format!("INSERT INTO partner_desk.pin_events (client_inn, partner_id, event, on_date, ends_on)
                  VALUES ('{C1}', {beta}, 'pinned', '2025-02-01', '2025-05-01')")),
        ("pin with an id of its own",
         format!("INSERT INTO partner_desk.pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
                  VALUES ({pin}, '{C1}', {alfa}, 'pinned', '2025-02-01', '2025-05-01')")),
        ("pin for five years",
         format!("INSERT INTO partner_desk.pin_events (client_inn, partner_id, event, on_date, ends_on)
                  VALUES ('{C2}', {beta}, 'pinned', '2025-02-01', '2030-01-01')")),
        ("cancel a pin's first event",
         format!("INSERT INTO partner_desk.pin_corrections (pin_event_id, reason)
                  VALUES ({pinned_event}, 'ошибка')")),
        ("rewrite a pin event", format!("UPDATE partner_desk.pin_events SET ends_on = '2030-01-01' WHERE id = {pinned_event}")),
    ]
}

/// The write turn and the count of writes held or set back.
fn attacks_on_the_write_turn() -> Vec<(&'static str, String)> {
    vec![
        (
            "lock the write turn's row",
            "SELECT 1 FROM partner_desk.write_turn FOR UPDATE".to_owned(),
        ),
        (
            "share the write turn's row",
            "SELECT 1 FROM partner_desk.write_turn FOR KEY SHARE".to_owned(),
        ),
        (
            "lock every client's turn",
            "SELECT 1 FROM partner_desk.client_turns FOR UPDATE".to_owned(),
        ),
        (
            "lock the write turn's table",
            "LOCK TABLE partner_desk.write_turn IN EXCLUSIVE MODE".to_owned(),
        ),
        (
            "lock the count of writes",
            "LOCK TABLE partner_desk.changes IN SHARE ROW EXCLUSIVE MODE".to_owned(),
        ),
        (
            "set the count of writes back",
            "UPDATE partner_desk.changes SET seq = 0".to_owned(),
        ),
    ]
}

/// What some logins may do and others may not: refused for an auditor and a login of no
/// role of ours.
fn attacks_of_readers(s: &Seeded) -> Vec<(&'static str, String)> {
    vec![
        ("change a sale", format!("UPDATE partner_desk.sales SET amount_kop = amount_kop + 1 WHERE id = {}", s.open_sale)),
        ("record a client", format!("INSERT INTO partner_desk.clients (inn, name) VALUES ('{}', 'x')", crate::util::C3)),
        ("reopen a statement", format!("SELECT partner_desk.reopen_statement({}, '2025-04-03', 'причина')", s.statement)),
        ("record an import", "SELECT * FROM partner_desk.begin_import('sales', 'x.csv')".to_owned()),
        ("count a write", "SELECT partner_desk.count_write()".to_owned()),
        ("take the whole write turn", "SELECT partner_desk.take_turn(NULL)".to_owned()),
        ("take a client's write turn", format!("SELECT partner_desk.take_turn('{C1}')")),
        ("add a rate version",
         "INSERT INTO partner_desk.rate_versions (effective_from, note) VALUES ('2031-01-01', 'x')"
             .to_owned()),
        ("set our requisites",
         "INSERT INTO partner_desk.organisation (id, inn) VALUES (1, '7707083893')".to_owned()),
        ("set a partner's requisites",
         format!("INSERT INTO partner_desk.partner_requisites (partner_id, bik) VALUES ({}, '044525225')", s.alfa)),
    ]
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn every_login_that_types_sql_to_get_around_the_rules_is_refused_and_nothing_changes() {
    let db = TestDatabase::initialized().0;
    let logins = Logins::new(&db);
    let seeded = seeded(&db, &logins);
    let before = fingerprint(&db);
    // What each attempt met, as docs/RELIABILITY.md shows it (`--nocapture`).
    let mut let_through = Vec::new();
    for (role, _) in ROLES {
        let mut client = logins.client(&db, role);
        let mut tried = attacks(&seeded);
        if matches!(role, "auditor" | "nobody") {
            tried.extend(attacks_of_readers(&seeded));
        }
        if role != "lead" {
            tried.extend(attacks_of_non_leads(&seeded));
        }
        for (what, sql) in tried {
            match attempt(&mut client, &sql) {
                Ok(()) => let_through.push(format!("{role}: {what}: {sql}")),
                Err(said) => println!("| {role} | {what} | {} |", said.replace('|', "/")),
            }
        }
        // A program setting naming an import makes a transaction that is not recording it
        // keep nothing for its undo.
        if role == "manager" {
            let mut tx = client.transaction().unwrap();
            let kept = |tx: &mut postgres::Transaction<'_>| -> i64 {
                tx.query_one("SELECT count(*) FROM partner_desk.import_undo", &[])
                    .unwrap()
                    .get(0)
            };
            let before = kept(&mut tx);
            tx.batch_execute(&format!(
                "SET LOCAL partner_desk.import = '{}';
                 UPDATE partner_desk.partners SET name = name WHERE id = {}",
                seeded.import, seeded.alfa
            ))
            .unwrap();
            assert_eq!(
                kept(&mut tx),
                before,
                "a forged import setting had rows kept for an undo"
            );
            tx.rollback().unwrap();
        }
    }
    let after = fingerprint(&db);
    assert!(
        let_through.is_empty(),
        "let through:\n{}",
        let_through.join("\n")
    );
    for (before, after) in before.iter().zip(&after) {
        assert_eq!(before, after, "something changed");
    }
    assert_eq!(before.len(), after.len());
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn who_recorded_a_row_and_when_are_the_servers_whatever_the_login_sends() {
    let db = TestDatabase::initialized().0;
    let logins = Logins::new(&db);
    let seeded = seeded(&db, &logins);
    let forged = "recorded_by, recorded_at";
    let cases = [
        (
            "manager",
            format!(
                "INSERT INTO partner_desk.status_changes (partner_id, effective_from, status, {forged})
                 VALUES ({}, '2025-06-01', 'agent', 'boss', '2000-01-01') RETURNING {forged}",
                seeded.beta
            ),
        ),
        (
            "manager",
            format!(
                "INSERT INTO partner_desk.pin_events (client_inn, partner_id, event, on_date, ends_on, {forged})
                 VALUES ('{C2}', {}, 'pinned', '2025-06-01', '2025-09-01', 'boss', '2000-01-01')
                 RETURNING {forged}",
                seeded.beta
            ),
        ),
        (
            "manager",
            format!(
                "INSERT INTO partner_desk.sales (date, partner_id, client_inn, kind, amount_kop,
                     self_referred, connected_by_partner, used_in_work, premium_kop, {forged})
                 VALUES ('2025-06-01', {}, '{C2}', 'dev_services', 100, false, true, true, 10,
                         'boss', '2000-01-01')
                 RETURNING {forged}",
                seeded.beta
            ),
        ),
        (
            "manager",
            format!(
                "INSERT INTO partner_desk.sale_corrections (sale_id, action, before, corrected_by, corrected_at)
                 VALUES ({}, 'changed', '{{}}', 'boss', '2000-01-01') RETURNING corrected_by, corrected_at",
                seeded.open_sale
            ),
        ),
        (
            "manager",
            "SELECT * FROM partner_desk.begin_import('sales', 'x.csv');
             SELECT imported_by, imported_at FROM partner_desk.imports ORDER BY id DESC LIMIT 1"
                .to_owned(),
        ),
        (
            "lead",
            format!(
                "INSERT INTO partner_desk.rate_versions (effective_from, note, {forged})
                 VALUES ('2031-01-01', '', 'boss', '2000-01-01') RETURNING {forged}"
            ),
        ),
        (
            "lead",
            format!(
                "SELECT partner_desk.issue_statement('2099-0001', {}, '2025-06-01', '2025-06-30',
                     '2025-07-01', '\\x7b7d', encode(sha256('\\x7b7d'), 'hex'), 1, 1, 1);
                 SELECT issued_by, recorded_at FROM partner_desk.issued_statements
                 ORDER BY id DESC LIMIT 1",
                seeded.beta
            ),
        ),
    ];
    for (role, sql) in cases {
        let mut client = logins.client(&db, role);
        let mut tx = client.transaction().unwrap();
        tx.batch_execute("SELECT partner_desk.take_turn(NULL)")
            .unwrap();
        // What a case does first, then the query that reads what it recorded.
        let (first, query) = sql.rsplit_once(';').unwrap_or(("", &sql));
        if !first.is_empty() {
            tx.batch_execute(first)
                .unwrap_or_else(|e| panic!("{first}: {e}"));
        }
        let row = tx
            .query_one(query, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let (who, when): (String, chrono::DateTime<chrono::Utc>) = (row.get(0), row.get(1));
        let now: chrono::DateTime<chrono::Utc> = tx.query_one("SELECT now()", &[]).unwrap().get(0);
        assert_eq!(who, logins.name(role), "{sql}");
        assert_eq!(when, now, "{sql}");
        tx.rollback().unwrap();
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn a_login_that_cannot_write_cannot_hold_up_those_who_can() {
    use std::time::{Duration, Instant};
    let db = TestDatabase::initialized().0;
    let logins = Logins::new(&db);
    // The auditor holds what was the write turn (an advisory lock), and reads the turn's
    // table in a transaction left open.
    let mut auditor = logins.client(&db, "auditor");
    auditor
        .batch_execute(
            "SELECT pg_advisory_lock(1346656084, 0), pg_advisory_lock(1346656085, 0);
             BEGIN; SELECT * FROM partner_desk.write_turn; SELECT * FROM partner_desk.client_turns",
        )
        .unwrap();
    let mut store = logins.store(&db, "manager");
    let started = Instant::now();
    let alfa = crate::util::partner(&mut store, ALFA, "ООО «Альфа»", false, None);
    store
        .write_on_client(&inn(C1), |tx| {
            tx.request_pin("АО «Клиент»", alfa, d("2025-01-10"), "")
        })
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the writes waited {:?}",
        started.elapsed()
    );
    auditor.batch_execute("ROLLBACK").unwrap();
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn the_undo_of_an_import_reads_the_servers_log_whatever_tables_the_caller_made() {
    let db = TestDatabase::initialized().0;
    let logins = Logins::new(&db);
    let seeded = seeded(&db, &logins);
    // A new import, the newest write: its undo is allowed, and must do only that.
    let mut store = logins.store(&db, "manager");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("partners.csv");
    std::fs::write(&file, format!("inn,name\n{BETA},ООО «Бета» (новое имя)\n")).unwrap();
    partner_desk::actions::import_file(
        &mut store,
        partner_desk::import::ImportKind::Partners,
        &file,
    )
    .unwrap();
    let import: i64 = db
        .client()
        .query_one("SELECT max(id) FROM partner_desk.imports", &[])
        .unwrap()
        .get(0);
    let statements = |db: &TestDatabase| -> String {
        db.client()
            .query_one(
                "SELECT string_agg(i::text, '|' ORDER BY i.id) FROM partner_desk.issued_statements i",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let issued = statements(&db);
    let mut manager = logins.client(&db, "manager");
    manager
        .batch_execute(&format!(
            "BEGIN;
             SELECT partner_desk.take_turn(NULL);
             CREATE TEMP TABLE import_undo (seq bigint, import_id bigint, tbl text, old jsonb);
             INSERT INTO pg_temp.import_undo VALUES
                 (1, {import}, 'issued_statements',
                  '{{\"id\": {statement}, \"number\": \"2025-0001\", \"reopened_on\": \"2025-04-03\"}}');
             CREATE TEMP TABLE imports (LIKE partner_desk.imports);
             SET LOCAL search_path = pg_temp, partner_desk;
             SELECT partner_desk.undo_import({import});
             COMMIT",
            statement = seeded.statement
        ))
        .unwrap();
    assert_eq!(
        statements(&db),
        issued,
        "the undo wrote what the caller's table said"
    );
    let name: String = db
        .client()
        .query_one(
            &format!(
                "SELECT name FROM partner_desk.partners WHERE id = {}",
                seeded.beta
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(name, "ООО «Бета»", "the import was not undone");
}

/// The rights every role should have, object by object: a table's (with the columns of a
/// right given on some columns only), a function's, a sequence's and the schemas'. Roles
/// inherit: a lead has a manager's rights, a manager an auditor's.
const GRANT_MATRIX: &str = "\
schema partner_desk: auditor USAGE; manager USAGE; lead USAGE; PUBLIC -
schema public: auditor USAGE; manager USAGE; lead USAGE; PUBLIC USAGE
table changes: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table client_turns: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table clients: auditor SELECT; manager SELECT, INSERT(inn,name), UPDATE(name); lead SELECT, INSERT(inn,name), UPDATE(name); PUBLIC -
table import_layouts: auditor SELECT; manager SELECT, INSERT(layout,kind,columns,saved_at), UPDATE(kind,columns,saved_at); lead SELECT, INSERT(layout,kind,columns,saved_at), UPDATE(kind,columns,saved_at); PUBLIC -
table import_undo: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table imports: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table issued_statements: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table meta: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table partners: auditor SELECT; manager SELECT, INSERT(inn,name,one_c_partner,site_page_url,site_checked_on,initiates_meetings,offers_upgrades,clients_use_service,created_at), UPDATE(name,one_c_partner,site_page_url,site_checked_on,initiates_meetings,offers_upgrades,clients_use_service); lead SELECT, INSERT(inn,name,one_c_partner,site_page_url,site_checked_on,initiates_meetings,offers_upgrades,clients_use_service,created_at), UPDATE(name,one_c_partner,site_page_url,site_checked_on,initiates_meetings,offers_upgrades,clients_use_service); PUBLIC -
table organisation: auditor SELECT; manager SELECT, INSERT(id,full_name,inn,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant), UPDATE(full_name,inn,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant); lead SELECT, INSERT(id,full_name,inn,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant), UPDATE(full_name,inn,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant); PUBLIC -
table partner_requisites: auditor SELECT; manager SELECT, INSERT(partner_id,full_name,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant,contract_no,contract_date,vat), UPDATE(full_name,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant,contract_no,contract_date,vat); lead SELECT, INSERT(partner_id,full_name,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant,contract_no,contract_date,vat), UPDATE(full_name,kpp,ogrn,address,bank_name,bik,account,corr_account,signer_position,signer_name,accountant,contract_no,contract_date,vat); PUBLIC -
table payments: auditor SELECT; manager SELECT; lead SELECT, INSERT(statement_id,on_date,amount_kop,doc,source,bank_ref,cancels,recorded_at,recorded_by); PUBLIC -
table pin_corrections: auditor SELECT; manager SELECT, INSERT(pin_event_id,corrected_at,corrected_by,reason); lead SELECT, INSERT(pin_event_id,corrected_at,corrected_by,reason); PUBLIC -
table pin_events: auditor SELECT; manager SELECT, INSERT(pin_id,client_inn,partner_id,event,on_date,ends_on,holder_partner_id,agreed_by,note,recorded_at,recorded_by); lead SELECT, INSERT(pin_id,client_inn,partner_id,event,on_date,ends_on,holder_partner_id,agreed_by,note,recorded_at,recorded_by); PUBLIC -
table pins: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table rate_cells: auditor SELECT; manager SELECT; lead SELECT, INSERT; PUBLIC -
table rate_versions: auditor SELECT; manager SELECT; lead SELECT, INSERT(effective_from,note,recorded_at,recorded_by); PUBLIC -
table sale_corrections: auditor SELECT; manager SELECT, INSERT(sale_id,corrected_at,corrected_by,action,before,after); lead SELECT, INSERT(sale_id,corrected_at,corrected_by,action,before,after); PUBLIC -
table sales: auditor SELECT; manager SELECT, INSERT(doc,date,partner_id,client_inn,kind,amount_kop,self_referred,connected_by_partner,used_in_work,return_of,recorded_at,recorded_by,premium_kop,rate_pct,reason,status,one_c_terms), UPDATE(doc,date,partner_id,client_inn,kind,amount_kop,self_referred,connected_by_partner,used_in_work,premium_kop,rate_pct,reason,status,one_c_terms), DELETE; lead SELECT, INSERT(doc,date,partner_id,client_inn,kind,amount_kop,self_referred,connected_by_partner,used_in_work,return_of,recorded_at,recorded_by,premium_kop,rate_pct,reason,status,one_c_terms), UPDATE(doc,date,partner_id,client_inn,kind,amount_kop,self_referred,connected_by_partner,used_in_work,premium_kop,rate_pct,reason,status,one_c_terms), DELETE; PUBLIC -
table specialists: auditor SELECT; manager SELECT, INSERT(partner_id,name,certified_on), DELETE; lead SELECT, INSERT(partner_id,name,certified_on), DELETE; PUBLIC -
table statement_events: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
table status_changes: auditor SELECT; manager SELECT, INSERT(partner_id,effective_from,status,note,recorded_at,recorded_by); lead SELECT, INSERT(partner_id,effective_from,status,note,recorded_at,recorded_by); PUBLIC -
table write_turn: auditor SELECT; manager SELECT; lead SELECT; PUBLIC -
function append_only: auditor -; manager -; lead -; PUBLIC -
function begin_import: auditor -; manager EXECUTE; lead EXECUTE; PUBLIC -
function count_write: auditor -; manager EXECUTE; lead EXECUTE; PUBLIC -
function end_import: auditor -; manager EXECUTE; lead EXECUTE; PUBLIC -
function import_of_this_transaction: auditor EXECUTE; manager EXECUTE; lead EXECUTE; PUBLIC -
function import_tables: auditor EXECUTE; manager EXECUTE; lead EXECUTE; PUBLIC -
function issue_statement: auditor -; manager -; lead EXECUTE; PUBLIC -
function issued_statements_frozen: auditor -; manager -; lead -; PUBLIC -
function lock_of: auditor EXECUTE; manager EXECUTE; lead EXECUTE; PUBLIC -
function log_for_undo: auditor -; manager -; lead -; PUBLIC -
function pin_correction_applied: auditor -; manager -; lead -; PUBLIC -
function pin_event_applied: auditor -; manager -; lead -; PUBLIC -
function reopen_statement: auditor -; manager -; lead EXECUTE; PUBLIC -
function restoring: auditor EXECUTE; manager EXECUTE; lead EXECUTE; PUBLIC -
function restoring_only: auditor -; manager -; lead -; PUBLIC -
function sales_period_lock: auditor -; manager -; lead -; PUBLIC -
function sales_period_lock_new: auditor -; manager -; lead -; PUBLIC -
function sales_return_check: auditor -; manager -; lead -; PUBLIC -
function stamp_corrected: auditor -; manager -; lead -; PUBLIC -
function stamp_created: auditor -; manager -; lead -; PUBLIC -
function stamp_imported: auditor -; manager -; lead -; PUBLIC -
function stamp_issued: auditor -; manager -; lead -; PUBLIC -
function stamp_recorded: auditor -; manager -; lead -; PUBLIC -
function take_turn: auditor -; manager EXECUTE; lead EXECUTE; PUBLIC -
function undo_import: auditor -; manager EXECUTE; lead EXECUTE; PUBLIC -
sequence clients_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence import_undo_seq_seq: auditor -; manager -; lead -; PUBLIC -
sequence imports_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence issued_statements_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence partner_requisites_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence partners_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence payments_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence pin_corrections_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence pin_events_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence pins_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence rate_versions_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence sale_corrections_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence sales_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence specialists_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence statement_events_id_seq: auditor -; manager -; lead -; PUBLIC -
sequence status_changes_id_seq: auditor -; manager -; lead -; PUBLIC -";

/// The rights each role has now, in the matrix's words, read from the server's catalog.
fn grant_matrix(db: &TestDatabase) -> String {
    let sql = "
    WITH roles (label, name) AS (VALUES (1, 'partner_desk_auditor'), (2, 'partner_desk_manager'),
                                        (3, 'partner_desk_lead'), (4, 'public')),
    shown (label, name) AS (VALUES (1, 'auditor'), (2, 'manager'), (3, 'lead'), (4, 'PUBLIC')),
    objects (kind, name, oid) AS (
        SELECT 'schema', n.nspname::text, n.oid FROM pg_namespace n
        WHERE n.nspname IN ('partner_desk', 'public')
        UNION ALL
        SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname::text, c.oid
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'partner_desk' AND c.relkind IN ('r', 'S', 'v', 'm', 'p', 'f')
        UNION ALL
        SELECT 'function', p.proname::text, p.oid FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'partner_desk'),
    rights (kind, name, label, said) AS (
        SELECT o.kind, o.name, r.label,
               CASE o.kind
               WHEN 'schema' THEN (
                   SELECT string_agg(p, ', ') FROM unnest(ARRAY['USAGE', 'CREATE']) p
                   WHERE has_schema_privilege(r.name, o.oid, p))
               WHEN 'function' THEN
                   CASE WHEN has_function_privilege(r.name, o.oid, 'EXECUTE') THEN 'EXECUTE' END
               WHEN 'sequence' THEN (
                   SELECT string_agg(p, ', ') FROM unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p
                   WHERE has_sequence_privilege(r.name, o.oid, p))
               ELSE (
                   SELECT string_agg(CASE
                       WHEN has_table_privilege(r.name, o.oid, p) THEN p
                       ELSE p || '(' || (
                           SELECT string_agg(a.attname::text, ',' ORDER BY a.attnum)
                           FROM pg_attribute a
                           WHERE a.attrelid = o.oid AND a.attnum > 0 AND NOT a.attisdropped
                             AND has_column_privilege(r.name, o.oid, a.attnum, p)) || ')'
                       END, ', ' ORDER BY ord)
                   FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
                                     'REFERENCES', 'TRIGGER']) WITH ORDINALITY AS x (p, ord)
                   WHERE has_table_privilege(r.name, o.oid, p)
                      OR (p IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                          AND has_any_column_privilege(r.name, o.oid, p)))
               END
        FROM objects o CROSS JOIN roles r)
    SELECT string_agg(line, E'\n' ORDER BY line) FROM (
        SELECT r.kind || ' ' || r.name || ': ' ||
               string_agg(s.name || ' ' || coalesce(r.said, '-'), '; ' ORDER BY r.label) AS line
        FROM rights r JOIN shown s ON s.label = r.label
        GROUP BY r.kind, r.name) lines";
    db.client().query_one(sql, &[]).unwrap().get(0)
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn every_role_has_the_rights_of_the_grant_matrix_on_every_object_and_no_more() {
    let db = TestDatabase::initialized().0;
    let found = grant_matrix(&db);
    let expected: Vec<&str> = GRANT_MATRIX.lines().collect();
    let found: Vec<&str> = found.lines().collect();
    for line in &found {
        assert!(
            expected.contains(line),
            "not in the grant matrix (a new object, or rights it should not have):\n{line}"
        );
    }
    for line in &expected {
        assert!(found.contains(line), "missing on the server:\n{line}");
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn every_function_of_the_schema_reads_its_own_tables_whatever_the_callers_search_path() {
    let db = TestDatabase::initialized().0;
    let loose: Vec<String> = db
        .client()
        .query(
            "SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'partner_desk'
               AND NOT (coalesce(p.proconfig, '{}') @> ARRAY['search_path=partner_desk, pg_temp']
                        AND (NOT p.prosecdef
                             OR p.proconfig @> ARRAY['partner_desk.restoring=off']))
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        loose.is_empty(),
        "functions without search_path = partner_desk, pg_temp (and, running as the owner, \
         partner_desk.restoring off): {loose:?}"
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn only_a_lead_records_a_payment_and_managers_keep_the_requisites() {
    use partner_desk::store::StoreError;
    let db = TestDatabase::initialized().0;
    let logins = Logins::new(&db);
    let seeded = seeded(&db, &logins);
    let pay = crate::store::payments::by_hand(seeded.statement, "2025-04-11", "1", "2");
    for role in ["manager", "auditor"] {
        let mut store = logins.store(&db, role);
        let refused = store.write(|tx| tx.record_payment(&pay)).unwrap_err();
        assert!(
            matches!(refused, StoreError::NotAllowed { .. }),
            "{role}: {refused:?}"
        );
    }
    let mut lead = logins.store(&db, "lead");
    let id = lead.write(|tx| tx.record_payment(&pay)).unwrap();
    lead.write(|tx| tx.undo_payment(id, d("2025-04-12")))
        .unwrap();
    let history = lead.read().payments_of(seeded.statement).unwrap();
    assert!(
        history
            .iter()
            .all(|p| p.recorded_by == logins.name("lead") || p.id == seeded.payment)
    );
    // Managers keep the requisites; auditors read them.
    let mut manager = logins.store(&db, "manager");
    let alfa = partner_desk::domain::PartnerId(seeded.alfa);
    manager
        .write(|tx| tx.set_partner_requisites(alfa, &crate::store::payments::alfa_requisites()))
        .unwrap();
    let mut auditor = logins.store(&db, "auditor");
    let refused = auditor
        .write(|tx| tx.set_partner_requisites(alfa, &crate::store::payments::alfa_requisites()))
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused:?}"
    );
    assert_eq!(
        auditor.read().partner_requisites(alfa).unwrap().bik,
        crate::store::payments::BIK
    );
}
