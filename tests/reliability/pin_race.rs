//! Case 3: two processes race to pin the same clients to different partners, on dates
//! drawn at random over a year. Afterwards no two partners' pins of one client may be in
//! force on the same day, and every refused request names the partner holding the client.

use partner_desk::domain::Status;

use super::child::client_inns;
use crate::util::*;

#[derive(Debug, Default)]
pub struct Figures {
    pub processes: u64,
    pub attempts: u64,
    pub pinned: u64,
    pub extended: u64,
    pub refused: u64,
    /// Refusals whose message names the other partner as the holder.
    pub refused_with_message: u64,
    pub errors: u64,
    pub overlapping: u64,
}

pub fn run(attempts: u64, clients: u64) -> Figures {
    let t = TempDb::new();
    {
        let mut s = t.open();
        alfa(&mut s, Status::Dealer);
        beta(&mut s, Status::Dealer);
    }
    let racers = [(ALFA, "ООО «Бета»", 11), (BETA, "ООО «Альфа»", 22)];
    let db = t.db_arg();
    let db = db.to_str().unwrap();
    let roles: Vec<_> = racers
        .iter()
        .map(|(partner, _, seed)| {
            let args = [
                db,
                partner,
                &attempts.to_string(),
                &clients.to_string(),
                &seed.to_string(),
            ];
            ("pins", args.map(str::to_owned).to_vec())
        })
        .collect();
    let mut children = super::start_together(std::path::Path::new(db), &roles);
    let mut f = Figures {
        processes: racers.len() as u64,
        attempts: attempts * racers.len() as u64,
        ..Figures::default()
    };
    for ((child, lines), (_, other, _)) in children.iter_mut().zip(racers) {
        for line in lines.iter() {
            let (what, rest) = line.split_once(' ').unwrap();
            match what {
                "pinned" => f.pinned += 1,
                "extended" => f.extended += 1,
                "refused" => {
                    f.refused += 1;
                    if rest.contains(&format!("закреплён за {other}")) {
                        f.refused_with_message += 1;
                    }
                }
                _ => f.errors += 1,
            }
        }
        assert!(child.wait().unwrap().success());
    }
    f.overlapping = Raw::of(&t.open()).texts(
        "SELECT CAST(count(*) AS TEXT) FROM pins a JOIN pins b
         ON a.client_inn = b.client_inn AND a.id < b.id AND a.partner_id <> b.partner_id
         AND a.pinned_on < b.ends_on AND b.pinned_on < a.ends_on",
    )[0]
    .parse()
    .unwrap();
    assert_eq!(client_inns(clients).len() as u64, clients);
    f
}

#[test]
fn two_processes_racing_for_the_same_clients_never_leave_overlapping_pins() {
    let f = run(100, 20);
    assert_eq!((f.overlapping, f.errors), (0, 0), "{f:?}");
    assert!(f.refused > 0, "the race had losers: {f:?}");
    assert_eq!(f.refused_with_message, f.refused, "{f:?}");
    assert_eq!(f.pinned + f.extended + f.refused, f.attempts, "{f:?}");
}
