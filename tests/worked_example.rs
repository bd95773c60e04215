//! A realistic quarter of two partners, imported from CSV like a manager would, and its
//! statement compared with figures worked out by hand from REGULATION.md.
//!
//! ООО «Альфа» is a 1C partner, Dealer from 01.10.2024 and Integrator from 15.02.2025.
//! ООО «Бета» is an Agent. Client C1 is pinned to Альфа on 01.12.2024 (last day 28.02.2025)
//! and the pin is extended on 20.02.2025 (to 31.05.2025); C3 is pinned to Бета.
//!
//! | line | date  | kind          | amount      | terms        | rate | premium     |
//! |------|-------|---------------|-------------|--------------|------|-------------|
//! | A-1  | 10.01 | saas          | 120 000,00  | Dealer       | 25   | 30 000,00   |
//! | A-2  | 20.01 | its           | 50 000,00   | 1C partner   | 50   | 25 000,00   |
//! | A-3  | 20.02 | onprem_server | 200 000,00  | Integrator   | 30   | 60 000,00   |
//! | A-4  | 05.03 | video_calls   | 10 000,00   | not set      | —    | 0 (no_rate) |
//! | A-5  | 10.03 | saas          | 1 000,01    | self-referred| —    | 0           |
//! | A-6  | 15.03 | onprem_user   | 333,33      | Integrator   | 50   | 166,665 → 166,67 |
//! | A-7  | 20.03 | dev_services  | 12 345,67   | Integrator   | 10   | 1 234,567 → 1 234,57 |
//! | R-1  | 25.03 | return of A-1 | −40 000,00  | Dealer (A-1) | 25   | −10 000,00  |
//!
//! Totals: amount 353 679,01; premium 106 401,24. A return of A-3 dated 02.04.2025 belongs
//! to the next quarter.

use partner_desk::domain::{Inn, Statement};
use partner_desk::export::json::statement_value;
use partner_desk::import::{ImportKind, import_file};
use partner_desk::store::{Db, Store};
use serde_json::json;

use crate::util::*;

#[test]
fn worked_quarter_statement_matches_figures_worked_out_by_hand() {
    let t = TempDb::new();
    let mut s = t.open();
    import_the_quarter(&t, &mut s);
    let db = s.read();
    let mut value = statement_value(&quarter_statement(&db, ALFA));
    let lines = value["lines"].take();
    alfa_lines_are_those_worked_out_by_hand(&lines);
    alfa_totals_are_those_worked_out_by_hand(&value);
    let value = statement_value(&quarter_statement(&db, BETA));
    assert_eq!(value["totals"]["premium"], "1000.00");
    assert_eq!(value["lines"][1]["reason"], "its_requires_integrator");
}

/// The two partners' status history, pins, sales and returns, imported from CSV files.
fn import_the_quarter(t: &TempDb, s: &mut Store) {
    let partners = t.file(
        "partners.csv",
        &format!(
            "inn;name;status;status_since;one_c_partner\n\
             {ALFA};ООО «Альфа»;дилер;01.10.2024;да\n\
             {BETA};ООО «Бета»;agent;2024-10-01;no\n\
             {ALFA};ООО «Альфа»;integrator;2025-02-15;да\n"
        ),
    );
    let pins = t.file(
        "pins.csv",
        &format!(
            "date,client_inn,partner_inn,action,client_name\n\
             2024-12-01,{C1},{ALFA},pin,АО «Первый клиент»\n\
             2025-01-15,{C3},{BETA},pin,ООО «Третий»\n\
             2025-02-20,{C1},{ALFA},extend,\n"
        ),
    );
    let sales = t.file(
        "sales.csv",
        &format!(
            "date;partner_inn;client_inn;kind;amount;doc;self_referred;client_name\n\
             10.01.2025;{ALFA};{C1};saas;120 000,00;A-1;;\n\
             20.01.2025;{ALFA};{C2};its;50000;A-2;;ООО «Второй»\n\
             20.02.2025;{ALFA};{C1};onprem_server;200000.00;A-3;;\n\
             05.03.2025;{ALFA};{C1};video_calls;10 000;A-4;;\n\
             10.03.2025;{ALFA};{C1};saas;1000,01;A-5;да;\n\
             15.03.2025;{ALFA};{C1};onprem_user;333,33;A-6;;\n\
             20.03.2025;{ALFA};{C2};dev_services;12 345,67;A-7;;\n\
             01.02.2025;{BETA};{C3};saas;10000;B-1;;\n\
             02.02.2025;{BETA};{C3};its;10000;B-2;;\n"
        ),
    );
    let returns = t.file(
        "returns.csv",
        "date,sale_doc,amount,doc\n2025-03-25,A-1,40000,R-1\n2025-04-02,A-3,100000,R-2\n",
    );
    for (kind, file) in [
        (ImportKind::Partners, &partners),
        (ImportKind::Pins, &pins),
        (ImportKind::Sales, &sales),
        (ImportKind::Returns, &returns),
    ] {
        import_file(s, kind, file).unwrap();
    }
}

/// The partner's statement of the first quarter of 2025, made on 05.04.2025.
fn quarter_statement(db: &Db<'_>, inn: &str) -> Statement {
    let partner = db
        .partner_by_inn(&Inn::parse(inn).unwrap())
        .unwrap()
        .unwrap();
    db.statement(partner, d("2025-01-01"), d("2025-03-31"), d("2025-04-05"))
        .unwrap()
}

/// Альфа's lines as in the table above, with the client's name, the 1C partner's ITS on
/// Integrator terms and the return's sale.
fn alfa_lines_are_those_worked_out_by_hand(lines: &serde_json::Value) {
    let brief: Vec<_> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["doc"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
                l["status"].as_str(),
                l["rate"].as_str(),
                l["premium"].as_str().unwrap(),
                l["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            (
                "A-1",
                "120000.00",
                Some("dealer"),
                Some("25"),
                "30000.00",
                None
            ),
            (
                "A-2",
                "50000.00",
                Some("dealer"),
                Some("50"),
                "25000.00",
                None
            ),
            (
                "A-3",
                "200000.00",
                Some("integrator"),
                Some("30"),
                "60000.00",
                None
            ),
            (
                "A-4",
                "10000.00",
                Some("integrator"),
                None,
                "0.00",
                Some("no_rate")
            ),
            (
                "A-5",
                "1000.01",
                Some("integrator"),
                None,
                "0.00",
                Some("self_referred")
            ),
            (
                "A-6",
                "333.33",
                Some("integrator"),
                Some("50"),
                "166.67",
                None
            ),
            (
                "A-7",
                "12345.67",
                Some("integrator"),
                Some("10"),
                "1234.57",
                None
            ),
            (
                "R-1",
                "-40000.00",
                Some("dealer"),
                Some("25"),
                "-10000.00",
                None
            ),
        ]
    );
    assert_eq!(lines[1]["client_name"], "ООО «Второй»");
    // ITS of a 1C partner is figured on Integrator terms while the status in force is Dealer.
    assert_eq!(
        (&lines[1]["terms"], &lines[1]["one_c_terms"]),
        (&json!("integrator"), &json!(true))
    );
    assert_eq!(
        (&lines[0]["terms"], &lines[0]["one_c_terms"]),
        (&json!("dealer"), &json!(false))
    );
    assert_eq!(lines[7]["return_of"], "A-1");
    assert_eq!(lines[0]["return_of"], serde_json::Value::Null);
}

/// Альфа's statement without its lines: the partner, the period and the totals by kind.
fn alfa_totals_are_those_worked_out_by_hand(value: &serde_json::Value) {
    assert_eq!(
        *value,
        json!({
            "partner": {"inn": ALFA, "name": "ООО «Альфа»", "one_c_partner": true, "status": "integrator"},
            "period": {"from": "2025-01-01", "to": "2025-03-31"},
            "lines": null,
            "totals": {
                "amount": "353679.01",
                "premium": "106401.24",
                "by_kind": {
                    "its": {"amount": "50000.00", "premium": "25000.00"},
                    "saas": {"amount": "81000.01", "premium": "20000.00"},
                    "onprem_server": {"amount": "200000.00", "premium": "60000.00"},
                    "onprem_user": {"amount": "333.33", "premium": "166.67"},
                    "dev_services": {"amount": "12345.67", "premium": "1234.57"},
                    "video_calls": {"amount": "10000.00", "premium": "0.00"},
                },
            },
            "rate_versions": ["default"],
            "lines_without_rate": 1,
            "generated_on": "2025-04-05",
            "number": null,
        })
    );
}
