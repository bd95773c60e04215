//! The rules the program decides in `domain` and both databases keep as a backstop decide
//! alike: the same cases through `domain::lock`, the file's triggers and (where a test
//! server is) the team database's triggers, each written as plain SQL as any other writer
//! would, must come to the same decision, and a refusal must name the same statement.

use chrono::NaiveDate;
use partner_desk::domain::lock::{self, LockedPeriod, RecordWrite, ReturnRefusal, Returnable};
use partner_desk::domain::{Money, PartnerId, SaleId};

use crate::util::{C1, C2, d};

/// What a write came to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Decision {
    Written,
    /// Refused by the period lock, naming the statement.
    Locked(String),
    /// Refused by the rules of a return (the databases' codes).
    Return(&'static str),
}

/// The records the cases meet: partner 1's statement 2025-0001 in force over the first
/// quarter of 2025, partner 2's 2025-0002 over the same days but reopened; and these.
struct Record {
    partner: i64,
    date: &'static str,
    amount_kop: i64,
    /// The sale it returns (by its place in this list, from 1).
    return_of: Option<i64>,
}

const RECORDS: [Record; 5] = [
    // 1: partner 1's sale in the locked quarter.
    Record {
        partner: 1,
        date: "2025-02-01",
        amount_kop: 100_000,
        return_of: None,
    },
    // 2: partner 1's sale after it, with a return of 300,00.
    Record {
        partner: 1,
        date: "2025-05-01",
        amount_kop: 100_000,
        return_of: None,
    },
    // 3: that return.
    Record {
        partner: 1,
        date: "2025-05-10",
        amount_kop: 30_000,
        return_of: Some(2),
    },
    // 4: partner 2's sale in its reopened quarter.
    Record {
        partner: 2,
        date: "2025-02-01",
        amount_kop: 50_000,
        return_of: None,
    },
    // 5: partner 1's sale after the quarter, nothing returned.
    Record {
        partner: 1,
        date: "2025-04-20",
        amount_kop: 20_000,
        return_of: None,
    },
];

/// A case: what is written, as the domain is asked it and as SQL any writer would send.
struct Case {
    name: &'static str,
    asked: Asked,
    sql: String,
    decided: Decision,
}

enum Asked {
    Write(RecordWrite),
    /// A return of record `of` (by its place), dated, of an amount in kopecks.
    Return {
        of: i64,
        date: &'static str,
        kop: i64,
    },
}

fn at(partner: i64, date: &str) -> (PartnerId, NaiveDate) {
    (PartnerId(partner), d(date))
}

/// A new sale's SQL (the figures are any: the rules do not read them).
fn new_sale(partner: i64, date: &str, kind: &str) -> String {
    format!(
        "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
                            connected_by_partner, used_in_work, recorded_at, premium_kop)
         VALUES ('{date}', {partner}, '{C1}', '{kind}', 1000, false, true, true,
                 '2025-06-01T10:00:00+00:00', 0)"
    )
}

/// A return's SQL, with the partner, client, kind and facts of the sale it names.
fn new_return(of: i64, date: &str, kop: i64) -> String {
    format!(
        "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
                            connected_by_partner, used_in_work, return_of, recorded_at, premium_kop)
         VALUES ('{date}', 1, '{C1}', 'saas', {kop}, false, true, true, {of},
                 '2025-06-01T10:00:00+00:00', 0)"
    )
}

/// Every case, in order: new sales, changes and deletions, returns.
fn cases() -> Vec<Case> {
    let mut cases = adding_cases();
    cases.extend(changing_cases());
    cases.extend(return_cases());
    cases
}

/// Refused by the period lock naming partner 1's statement.
fn locked() -> Decision {
    Decision::Locked("2025-0001".into())
}

/// A case of a write other than a return.
fn write(name: &'static str, asked: RecordWrite, sql: String, decided: Decision) -> Case {
    Case {
        name,
        asked: Asked::Write(asked),
        sql,
        decided,
    }
}

/// A case of a return of record `of`, dated, of `kop` kopecks.
fn giving_back(
    name: &'static str,
    of: i64,
    date: &'static str,
    kop: i64,
    decided: Decision,
) -> Case {
    Case {
        name,
        asked: Asked::Return { of, date, kop },
        sql: new_return(of, date, kop),
        decided,
    }
}

/// New sales in, at the edges of and beside the locked quarter.
fn adding_cases() -> Vec<Case> {
    use Decision::*;
    let add = |partner, date: &'static str| RecordWrite::Add {
        partner: PartnerId(partner),
        date: d(date),
    };
    vec![
        write(
            "a sale in the locked quarter",
            add(1, "2025-02-15"),
            new_sale(1, "2025-02-15", "saas"),
            locked(),
        ),
        write(
            "a sale on its first day",
            add(1, "2025-01-01"),
            new_sale(1, "2025-01-01", "its"),
            locked(),
        ),
        write(
            "a sale on its last day",
            add(1, "2025-03-31"),
            new_sale(1, "2025-03-31", "its"),
            locked(),
        ),
        write(
            "a sale the day after",
            add(1, "2025-04-01"),
            new_sale(1, "2025-04-01", "its"),
            Written,
        ),
        write(
            "another partner's sale those days",
            add(2, "2025-02-15"),
            new_sale(2, "2025-02-15", "its"),
            Written,
        ),
    ]
}

/// Sales changed (figured again, re-dated, moved to another partner) and deleted, locked
/// and open.
fn changing_cases() -> Vec<Case> {
    use Decision::*;
    vec![
        write(
            "a locked sale's figures figured again",
            RecordWrite::Change {
                from: at(1, "2025-02-01"),
                to: at(1, "2025-02-01"),
            },
            "UPDATE sales SET premium_kop = premium_kop + 1 WHERE id = 1".into(),
            locked(),
        ),
        write(
            "a locked sale re-dated out of its period",
            RecordWrite::Change {
                from: at(1, "2025-02-01"),
                to: at(1, "2025-06-01"),
            },
            "UPDATE sales SET date = '2025-06-01' WHERE id = 1".into(),
            locked(),
        ),
        write(
            "a sale re-dated into a locked period",
            RecordWrite::Change {
                from: at(1, "2025-04-20"),
                to: at(1, "2025-03-20"),
            },
            "UPDATE sales SET date = '2025-03-20' WHERE id = 5".into(),
            locked(),
        ),
        write(
            "a sale moved to a partner whose statement locks its day",
            RecordWrite::Change {
                from: at(2, "2025-02-01"),
                to: at(1, "2025-02-01"),
            },
            "UPDATE sales SET partner_id = 1 WHERE id = 4".into(),
            locked(),
        ),
        write(
            "an open sale changed",
            RecordWrite::Change {
                from: at(1, "2025-04-20"),
                to: at(1, "2025-04-21"),
            },
            "UPDATE sales SET date = '2025-04-21', amount_kop = 30000 WHERE id = 5".into(),
            Written,
        ),
        write(
            "a sale of a reopened statement changed",
            RecordWrite::Change {
                from: at(2, "2025-02-01"),
                to: at(2, "2025-02-02"),
            },
            "UPDATE sales SET date = '2025-02-02' WHERE id = 4".into(),
            Written,
        ),
        write(
            "a locked sale deleted",
            RecordWrite::Delete {
                partner: PartnerId(1),
                date: d("2025-02-01"),
            },
            "DELETE FROM sales WHERE id = 1".into(),
            locked(),
        ),
        write(
            "an open sale deleted",
            RecordWrite::Delete {
                partner: PartnerId(1),
                date: d("2025-04-20"),
            },
            "DELETE FROM sales WHERE id = 5".into(),
            Written,
        ),
    ]
}

/// Returns: of what is left and more, on and before the sale's day, of a return, of no
/// sale, into and after a locked period.
fn return_cases() -> Vec<Case> {
    use Decision::*;
    vec![
        giving_back("a return of what is left", 2, "2025-05-20", 70_000, Written),
        giving_back(
            "a return of a kopeck more than is left",
            2,
            "2025-05-20",
            70_001,
            Return("too_large"),
        ),
        giving_back(
            "a return on the sale's own day",
            2,
            "2025-05-01",
            100,
            Written,
        ),
        giving_back(
            "a return before its sale",
            2,
            "2025-04-30",
            100,
            Return("before_sale"),
        ),
        giving_back(
            "a return of a return",
            3,
            "2025-05-20",
            100,
            Return("return_of_return"),
        ),
        giving_back(
            "a return of no sale",
            99,
            "2025-05-20",
            100,
            Return("no_such_sale"),
        ),
        giving_back(
            "a return dated in a locked period",
            1,
            "2025-03-15",
            100,
            locked(),
        ),
        giving_back(
            "a return of a locked sale, after its period",
            1,
            "2025-04-15",
            100,
            Written,
        ),
    ]
}

/// What the domain decides of each case.
fn by_the_domain(case: &Case) -> Decision {
    let locked = [LockedPeriod {
        partner: PartnerId(1),
        from: d("2025-01-01"),
        to: d("2025-03-31"),
        number: "2025-0001".into(),
    }];
    match case.asked {
        Asked::Write(write) => match lock::period_lock(&locked, write) {
            Ok(()) => Decision::Written,
            Err(statement) => Decision::Locked(statement.number.clone()),
        },
        Asked::Return { of, date, kop } => {
            let returnable = RECORDS.get(of as usize - 1).map(|r| Returnable {
                id: SaleId(of),
                partner: PartnerId(r.partner),
                date: d(r.date),
                amount: Money::from_kopecks(r.amount_kop),
                is_return: r.return_of.is_some(),
                returned: Money::from_kopecks(
                    RECORDS
                        .iter()
                        .filter(|x| x.return_of == Some(of))
                        .map(|x| x.amount_kop)
                        .sum(),
                ),
            });
            match lock::check_return(
                returnable.as_ref(),
                d(date),
                Money::from_kopecks(kop),
                &locked,
            ) {
                Ok(()) => Decision::Written,
                Err(ReturnRefusal::Locked { number }) => Decision::Locked(number),
                Err(ReturnRefusal::NoSuchSale) => Decision::Return("no_such_sale"),
                Err(ReturnRefusal::ReturnOfReturn) => Decision::Return("return_of_return"),
                Err(ReturnRefusal::BeforeSale { .. }) => Decision::Return("before_sale"),
                Err(ReturnRefusal::TooLarge { .. }) => Decision::Return("too_large"),
            }
        }
    }
}

/// A database's answer to a case's SQL, as a decision.
fn decision_of(refusal: Option<String>) -> Decision {
    let Some(said) = refusal else {
        return Decision::Written;
    };
    if let Some(number) = said.split("locked: ").nth(1) {
        return Decision::Locked(number.trim().to_owned());
    }
    for code in [
        "no_such_sale",
        "return_of_return",
        "before_sale",
        "too_large",
        "not_its_sale",
    ] {
        if said.contains(&format!("return: {code}")) {
            return Decision::Return(code);
        }
    }
    panic!("neither a lock nor a return's rule: {said}");
}

/// The records as SQL; `blob` writes the statement's JSON as the engine takes bytes.
fn setup_sql(blob: &str) -> String {
    let mut sql = format!(
        "INSERT INTO partners (inn, name, created_at) VALUES
             ('7707083893', 'Альфа', '2025-01-01T00:00:00+00:00'),
             ('7736207543', 'Бета', '2025-01-01T00:00:00+00:00');
         INSERT INTO clients (inn, name) VALUES ('{C1}', ''), ('{C2}', '');"
    );
    for r in &RECORDS {
        let return_of = r.return_of.map_or("NULL".to_owned(), |id| id.to_string());
        sql += &format!(
            "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
                                connected_by_partner, used_in_work, return_of, recorded_at, premium_kop)
             VALUES ('{}', {}, '{C1}', 'saas', {}, false, true, true, {return_of},
                     '2025-06-01T10:00:00+00:00', 0);",
            r.date, r.partner, r.amount_kop
        );
    }
    let sha = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    sql += &format!(
        "INSERT INTO issued_statements (number, partner_id, period_from, period_to, issued_on,
                                        json, sha256, lines, amount_kop, premium_kop, recorded_at)
         VALUES ('2025-0001', 1, '2025-01-01', '2025-03-31', '2025-04-02', {blob}, '{sha}', 1, 0, 0,
                 '2025-04-02T10:00:00+00:00'),
                ('2025-0002', 2, '2025-01-01', '2025-03-31', '2025-04-02', {blob}, '{sha}', 1, 0, 0,
                 '2025-04-02T10:00:00+00:00');
         UPDATE issued_statements SET reopened_on = '2025-04-03', reopen_reason = 'ошибка'
         WHERE number = '2025-0002';"
    );
    sql
}

#[test]
fn the_period_lock_and_the_rules_of_a_return_decide_alike_in_the_domain_the_file_and_the_team_database()
 {
    let cases = cases();
    for case in &cases {
        assert_eq!(
            by_the_domain(case),
            case.decided,
            "the domain: {}",
            case.name
        );
    }
    // The file: its triggers, through a connection of SQLite's own, as another program's.
    let t = crate::util::TempDb::on_file();
    partner_desk::store::Store::open(&t.path).unwrap().close();
    let file = rusqlite::Connection::open(&t.path).unwrap();
    file.execute_batch(&setup_sql("X'7b7d'")).unwrap();
    for case in &cases {
        file.execute_batch("SAVEPOINT a_case").unwrap();
        let refusal = file.execute_batch(&case.sql).err().map(|e| e.to_string());
        file.execute_batch("ROLLBACK TO a_case; RELEASE a_case")
            .unwrap();
        // The file's triggers do not name the statement (their messages are literals, so
        // that any SQLite reads the file); the program, which decides first, does.
        let unnamed = |d: Decision| match d {
            Decision::Locked(_) => Decision::Locked(String::new()),
            other => other,
        };
        assert_eq!(
            unnamed(decision_of(refusal)),
            unnamed(case.decided.clone()),
            "the file: {}",
            case.name
        );
    }
    drop(file);
    the_program_names_the_statement(partner_desk::store::Store::open(&t.path).unwrap());
    // The team database: its triggers, as its owner types them.
    if !crate::util::on_server() {
        return;
    }
    let url = crate::util::new_server_database();
    let mut server = partner_desk::store::postgres::config(&url)
        .unwrap()
        .connect(postgres::NoTls)
        .unwrap();
    server
        .batch_execute("SET search_path = partner_desk, public")
        .unwrap();
    server.batch_execute(&setup_sql("'\\x7b7d'")).unwrap();
    for case in &cases {
        let refusal = server
            .batch_execute(&format!("BEGIN; {}; ROLLBACK", case.sql))
            .err()
            .map(|e| {
                e.as_db_error()
                    .map_or(e.to_string(), |db| db.message().to_owned())
            });
        let _ = server.batch_execute("ROLLBACK");
        assert_eq!(
            decision_of(refusal),
            case.decided,
            "the team database: {}",
            case.name
        );
    }
    the_program_names_the_statement(partner_desk::store::Store::connect(&url).unwrap());
}

/// The program's own writes into the locked quarter, on either engine: each refusal names
/// the statement.
fn the_program_names_the_statement(mut store: partner_desk::store::Store) {
    use partner_desk::domain::LicenseKind;
    use partner_desk::store::{RuleError, StoreError};
    let named = |result: Result<SaleId, StoreError>| match result {
        Err(StoreError::Rule(RuleError::PeriodLocked { number })) => number,
        other => panic!("{other:?}"),
    };
    let sale = crate::util::sale(PartnerId(1), "2025-02-15", C1, LicenseKind::Its, "1000");
    assert_eq!(named(store.write(|tx| tx.record_sale(&sale))), "2025-0001");
    let deleted = store.write(|tx| tx.delete_sale(SaleId(1)).map(|()| SaleId(1)));
    assert_eq!(named(deleted), "2025-0001");
    let returned = store
        .write(|tx| tx.record_return(SaleId(1), d("2025-03-15"), Money::from_kopecks(100), None));
    assert_eq!(named(returned), "2025-0001");
    let moved = crate::util::sale(PartnerId(1), "2025-03-20", C1, LicenseKind::Its, "200");
    let corrected = store.write(|tx| tx.correct_sale(SaleId(5), &moved).map(|()| SaleId(5)));
    assert_eq!(named(corrected), "2025-0001");
}
