//! Case 3b: one process issues a statement for each day in turn while another records
//! sales on days drawn at random among them. Afterwards every issued statement holds every sale of its period:
//! a sale was recorded before the statement (and is in it) or refused as locked, never
//! slipped in after.

use partner_desk::domain::PartnerId;
use partner_desk::domain::Status;
use partner_desk::store::NewSale;

use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub rounds: u64,
    pub issued: u64,
    pub sold: u64,
    pub refused_locked: u64,
    pub errors: u64,
    /// Issued statements whose stored amount is not the sum of their period's sales.
    pub sales_outside_their_statement: u64,
}

/// The first day of the race; round `i` is about the day `i` days after.
pub fn day(i: u64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(i)
}

/// A sale of ITS (no pin needed) of partner `partner` on day `i`.
pub fn its_sale(partner: PartnerId, doc: String, i: u64) -> NewSale {
    NewSale {
        doc: Some(doc),
        date: day(i),
        partner,
        client_inn: inn(C1),
        client_name: String::new(),
        kind: partner_desk::domain::LicenseKind::Its,
        amount: rub("1 000"),
        role: partner_desk::domain::RoleFacts::default(),
    }
}

pub fn run(rounds: u64) -> Figures {
    let t = TempDb::new();
    {
        let mut s = t.open();
        let alfa = partner(
            &mut s,
            ALFA,
            "ООО «Альфа»",
            false,
            Some(("2023-01-01", Status::Dealer)),
        );
        // One sale a day already, so that no statement is empty.
        s.write(|tx| {
            (0..rounds).try_for_each(|i| {
                tx.record_sale(&its_sale(alfa, format!("s{i}"), i))
                    .map(drop)
            })
        })
        .unwrap();
    }
    let db = t.db_arg();
    let db = db.to_str().unwrap();
    let args = vec![db.to_owned(), rounds.to_string()];
    let mut children = super::start_together(
        std::path::Path::new(db),
        &[("issuer", args.clone()), ("seller", args)],
    );
    let mut f = Figures {
        rounds,
        ..Figures::default()
    };
    for (child, lines) in children.iter_mut() {
        for line in lines.iter() {
            match line.split_once(' ').map_or(line.as_str(), |(what, _)| what) {
                "issued" => f.issued += 1,
                "sold" => f.sold += 1,
                "locked" => f.refused_locked += 1,
                _ => f.errors += 1,
            }
        }
        assert!(child.wait().unwrap().success());
    }
    f.sales_outside_their_statement = Raw::of(&t.open()).texts(
        "SELECT CAST(count(*) AS TEXT) FROM issued_statements i
         WHERE i.amount_kop <> (SELECT coalesce(sum(s.amount_kop), 0) FROM sales s
                                WHERE s.partner_id = i.partner_id
                                  AND s.date BETWEEN i.period_from AND i.period_to)",
    )[0]
    .parse()
    .unwrap();
    f
}

#[test]
fn issuing_statements_while_sales_are_recorded_in_their_periods_leaves_none_outside() {
    let f = run(60);
    assert_eq!((f.sales_outside_their_statement, f.errors), (0, 0), "{f:?}");
    assert_eq!(f.issued, f.rounds, "{f:?}");
    assert_eq!(f.sold + f.refused_locked, f.rounds, "{f:?}");
    // Who wins each day is the machine's timing: SQLite's lock is not fair, and one side
    // may win them all. The full-size run's figures (docs/RELIABILITY.md) show both.
}
