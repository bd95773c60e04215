//! `server upgrade`: a team database made by an earlier version of the schema is brought to
//! this program's, every row kept.

use super::{TestDatabase, partner_desk, said};

/// What version 1's `server init` made (its schema and the regulation's rates), with rows
/// in every table as version 1 let the program write them.
const VERSION_1_ROWS: &str = "
SET search_path = partner_desk, public;
INSERT INTO rate_versions (effective_from, note) VALUES (NULL, 'Регламент');
INSERT INTO rate_cells (version_id, kind, status, rate_pct) VALUES
    (1, 'saas', 'dealer', 25), (1, 'saas', 'agent', 10), (1, 'its', 'integrator', 50);
INSERT INTO partners (inn, name, one_c_partner) VALUES ('7707083893', 'ООО «Альфа»', true),
    ('7736207543', 'ООО «Бета»', false);
INSERT INTO specialists (partner_id, name, certified_on) VALUES (1, 'Иванов', '2024-05-01');
INSERT INTO status_changes (partner_id, effective_from, status, note, recorded_by)
    VALUES (1, '2024-01-01', 'dealer', '', 'anna');
INSERT INTO clients (inn, name) VALUES ('5027000014', 'АО «Клиент»'), ('7810000026', '');
INSERT INTO pins (client_inn, partner_id, pinned_on, ends_on)
    VALUES ('5027000014', 1, '2025-01-10', '2025-07-10');
INSERT INTO pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on, recorded_by)
    VALUES (1, '5027000014', 1, 'pinned', '2025-01-10', '2025-04-10', 'anna'),
           (1, '5027000014', 1, 'extended', '2025-03-01', '2025-07-10', 'anna'),
           (NULL, '5027000014', 2, 'refused', '2025-02-01', NULL, 'olga');
INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                   connected_by_partner, used_in_work, premium_kop, rate_pct, status, recorded_by)
    VALUES ('Р-1', '2025-02-01', 1, '5027000014', 'saas', 10000000, false, true, true, 2500000,
            25, 'dealer', 'anna'),
           ('Р-2', '2025-05-01', 1, '5027000014', 'saas', 5000000, false, true, true, 1250000,
            25, 'dealer', 'anna');
INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
                   connected_by_partner, used_in_work, return_of, premium_kop, rate_pct, status)
    VALUES ('2025-05-10', 1, '5027000014', 'saas', 1000000, false, true, true, 2, -250000, 25,
            'dealer');
INSERT INTO sale_corrections (sale_id, action, before, after)
    VALUES (2, 'changed', '{\"amount_kop\": 4000000}', '{\"amount_kop\": 5000000}');
INSERT INTO issued_statements (number, partner_id, period_from, period_to, issued_on, json,
                               sha256, lines, amount_kop, premium_kop, issued_by)
    VALUES ('2025-0001', 1, '2025-02-01', '2025-02-28', '2025-03-02', '\\x7b7d',
            encode(sha256('\\x7b7d'), 'hex'), 1, 10000000, 2500000, 'olga');
INSERT INTO statement_events (statement_id, event, on_date, reason, recorded_by)
    VALUES (1, 'issued', '2025-03-02', '', 'olga');
INSERT INTO imports (kind, file, change_seq, high_water, summary)
    VALUES ('sales', 'sales.csv', 7, '{\"sales\": 1}', '1 sale');
INSERT INTO import_undo (import_id, tbl, old) VALUES (1, 'partners', '{\"id\": 2}');
INSERT INTO import_layouts (layout, kind, columns) VALUES ('date|inn', 'sales', '{}');
UPDATE changes SET seq = 9;
";

/// Every table's rows, as text, in a stable order.
fn rows(db: &TestDatabase, tables: &[&str]) -> Vec<(String, String)> {
    let mut client = db.client();
    tables
        .iter()
        .map(|table| {
            let text: Option<String> = client
                .query_one(
                    &format!(
                        "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM partner_desk.{table} t"
                    ),
                    &[],
                )
                .unwrap()
                .get(0);
            ((*table).to_owned(), text.unwrap_or_default())
        })
        .collect()
}

#[test]
#[ignore = "needs a PostgreSQL server: run scripts/test-with-server"]
fn server_upgrade_brings_a_version_1_database_to_this_schema_keeping_every_row() {
    use partner_desk::store::{RuleError, Store, StoreError};
    let db = TestDatabase::new();
    let url = db.url();
    {
        let mut owner = db.client();
        let mut tx = owner.transaction().unwrap();
        tx.batch_execute(include_str!("../../src/store/postgres/schema.sql"))
            .unwrap();
        tx.batch_execute(VERSION_1_ROWS).unwrap();
        tx.commit().unwrap();
    }
    let tables = [
        "meta",
        "changes",
        "partners",
        "specialists",
        "status_changes",
        "clients",
        "pins",
        "pin_events",
        "pin_corrections",
        "rate_versions",
        "rate_cells",
        "sales",
        "sale_corrections",
        "issued_statements",
        "statement_events",
        "imports",
        "import_undo",
        "import_layouts",
    ];
    let before = rows(&db, &tables);
    // This program refuses to open it until its owner upgrades it.
    match Store::connect(&url) {
        Err(StoreError::OlderServerSchema { found: 1, .. }) => {}
        other => panic!("{:?}", other.map(|_| ())),
    }
    let o = partner_desk(&["server", "upgrade", &url]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("schema 1 → 3"), "{}", said(&o));
    let after = rows(&db, &tables);
    for ((table, was), (_, is)) in before.iter().zip(&after) {
        if table == "meta" {
            assert_eq!(is.replace("(schema_version,3)", "(schema_version,1)"), *was);
        } else {
            assert_eq!(was, is, "{table} changed");
        }
    }
    // Run again, it says there is nothing to do.
    let o = partner_desk(&["server", "upgrade", &url]);
    assert!(said(&o).contains("nothing to change"), "{}", said(&o));
    // The program opens it, and the rules of this version hold for the rows it kept.
    let mut store = Store::connect(&url).unwrap();
    let statement = store.read().issued_statement("2025-0001").unwrap();
    assert_eq!(statement.0.number, "2025-0001");
    let refused = store.write(|tx| {
        tx.record_sale(&crate::util::sale(
            partner_desk::domain::PartnerId(1),
            "2025-02-10",
            "5027000014",
            partner_desk::domain::LicenseKind::Saas,
            "1000",
        ))
    });
    assert!(
        matches!(refused, Err(StoreError::Rule(RuleError::PeriodLocked { ref number })) if number == "2025-0001"),
        "{refused:?}"
    );
    let mut owner = db.client();
    assert!(
        owner
            .batch_execute("UPDATE partner_desk.sales SET premium_kop = 1 WHERE doc = 'Р-1'")
            .is_err(),
        "a sale of an issued period changed after the upgrade"
    );
}
