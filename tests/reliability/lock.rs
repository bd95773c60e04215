//! Case 10: the period lock. Once a statement is issued, raw SQL that changes, deletes,
//! re-dates or adds a sale of its period is refused by triggers; what the lock does not
//! cover (the stored figures, sales outside the period, the period after reopening) is not.

use partner_desk::domain::{LicenseKind, Status};
use partner_desk::statements;

use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub attempted: u64,
    pub refused: u64,
    /// Changes the lock must allow, and those refused wrongly.
    pub allowed_attempted: u64,
    pub refused_wrongly: u64,
}

pub fn run(sales: u64) -> Figures {
    let t = TempDb::new();
    let mut s = t.open();
    let a = alfa(&mut s, Status::Dealer);
    for i in 0..sales {
        let day = format!("2025-{:02}-{:02}", 1 + i % 3, 1 + i % 28);
        let mut x = sale(a, &day, C1, LicenseKind::DevServices, "100");
        x.doc = Some(format!("L{i}"));
        s.write(|db| db.record_sale(&x)).unwrap();
        let mut y = sale(a, "2025-05-10", C1, LicenseKind::DevServices, "100");
        y.doc = Some(format!("O{i}"));
        s.write(|db| db.record_sale(&y)).unwrap();
    }
    let issued =
        statements::issue(&mut s, a, d("2025-01-01"), d("2025-03-31"), d("2025-04-02")).unwrap();
    let raw = rusqlite::Connection::open(&t.path).unwrap();
    let mut f = Figures::default();
    let insert = "INSERT INTO sales (date, partner_id, client_inn, kind, amount_kop, self_referred,
        connected_by_partner, used_in_work, recorded_at, premium_kop)
        SELECT ?2, partner_id, client_inn, kind, 100, 0, 1, 1, 'x', 0 FROM sales WHERE doc = ?1";
    for i in 0..sales {
        let (locked, open) = (format!("L{i}"), format!("O{i}"));
        let (locked, open) = (locked.as_str(), open.as_str());
        let refused = [
            (
                "UPDATE sales SET amount_kop = amount_kop + 1 WHERE doc = ?1",
                locked,
                "",
            ),
            (
                "UPDATE sales SET date = '2025-06-01' WHERE doc = ?1",
                locked,
                "",
            ),
            ("UPDATE sales SET kind = 'saas' WHERE doc = ?1", locked, ""),
            (
                "UPDATE sales SET doc = doc || 'x' WHERE doc = ?1",
                locked,
                "",
            ),
            (
                "UPDATE sales SET used_in_work = 0 WHERE doc = ?1",
                locked,
                "",
            ),
            ("DELETE FROM sales WHERE doc = ?1", locked, ""),
            (
                "UPDATE sales SET date = '2025-02-15' WHERE doc = ?1",
                open,
                "",
            ),
            (insert, locked, "2025-03-01"),
        ];
        for (sql, doc, extra) in refused {
            f.attempted += 1;
            let result = if extra.is_empty() {
                raw.execute(sql, [doc])
            } else {
                raw.execute(sql, [doc, extra])
            };
            if result.is_err() {
                f.refused += 1;
            }
        }
        let allowed = [
            (
                "UPDATE sales SET premium_kop = premium_kop WHERE doc = ?1",
                locked,
            ),
            (
                "UPDATE sales SET amount_kop = amount_kop + 1 WHERE doc = ?1",
                open,
            ),
            ("UPDATE sales SET date = '2025-06-02' WHERE doc = ?1", open),
        ];
        for (sql, doc) in allowed {
            f.allowed_attempted += 1;
            if raw.execute(sql, [doc]).is_err() {
                f.refused_wrongly += 1;
            }
        }
    }
    // Reopened with a reason, the period takes changes again.
    s.write(|db| db.reopen_statement(&issued.number, d("2025-04-10"), "исправление"))
        .unwrap();
    for i in 0..sales {
        f.allowed_attempted += 1;
        let sql = "UPDATE sales SET amount_kop = amount_kop + 1 WHERE doc = ?1";
        if raw.execute(sql, [format!("L{i}")]).is_err() {
            f.refused_wrongly += 1;
        }
    }
    f
}

#[test]
fn raw_sql_against_a_locked_period_is_refused_and_nothing_else_is() {
    let f = run(12);
    assert_eq!(f.refused, f.attempted, "{f:?}");
    assert_eq!(f.refused_wrongly, 0, "{f:?}");
}
