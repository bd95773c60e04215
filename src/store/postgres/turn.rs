//! The write turn: how a transaction on the team database waits for the writers it must not
//! run beside, and announces its commit to the windows. The turn is a row lock that only a
//! login that may write can take (`partner_desk.take_turn`, upgrade-2.sql): a read-only
//! login cannot hold the writers up.

use super::CHANGES_CHANNEL;
use super::PgConn;
use crate::store::{Db, StoreError, Tx};

/// The savepoint a write about one client takes as it begins.
pub(crate) const CLIENT_SAVEPOINT: &str = "client_write";

/// Which part of the write turn a transaction takes.
#[derive(Clone, Copy)]
pub(crate) enum Turn<'a> {
    /// The whole turn: no other writer of the program runs meanwhile, as on SQLite.
    Whole,
    /// The turn shared with other writes about one client each, and that client's own
    /// lock: writes about different clients go side by side ([`super::ClientTx`]).
    Client(&'a crate::domain::Inn),
}

/// Runs `f` in one transaction that first takes the write turn, whole or about one client:
/// a writer that takes it whole waits until no other holds any part of it and then goes
/// alone, as on SQLite; writes about one client each share it and wait only for writes about
/// the same client. Each sees what those before it committed. All of it is committed, or
/// none. Every write counts one on `changes` (a whole turn as it begins; a write about a
/// client in the message that commits it, so that it holds that row for its commit only)
/// and is announced on [`CHANGES_CHANNEL`] (the server sends it only if the transaction
/// commits).
pub(crate) fn write<T, E>(
    server: &PgConn,
    turn: Turn<'_>,
    f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let (begin, commit) = match turn {
        Turn::Whole => (
            format!("BEGIN; SELECT partner_desk.take_turn(NULL); NOTIFY {CHANGES_CHANNEL}"),
            "SELECT 1; COMMIT".to_owned(),
        ),
        // An INN is digits only, so it can stand in the statement as it is.
        Turn::Client(inn) => (
            // With the savepoint a pin request needs (see `Tx::request_pin`), taken here in
            // the same message rather than in a round trip of its own.
            format!(
                "BEGIN; SELECT partner_desk.take_turn('{inn}'); SAVEPOINT {CLIENT_SAVEPOINT}",
                inn = inn.as_str()
            ),
            format!("SELECT partner_desk.count_write(); NOTIFY {CHANGES_CHANNEL}; COMMIT"),
        ),
    };
    if let Err(e) = server.batch(&begin) {
        let _ = server.batch("ROLLBACK");
        return Err(e.into());
    }
    let value = match f(&Tx {
        db: Db::on_server(server),
    }) {
        Ok(value) => value,
        Err(e) => {
            let _ = server.batch("ROLLBACK");
            return Err(e);
        }
    };
    // A statement that failed and whose error was set aside leaves the transaction
    // aborted, and COMMIT would then roll back without a word: run one more statement
    // first, in the same message (the server runs none of it after an error, so COMMIT is
    // not reached).
    if let Err(e) = server.batch(&commit) {
        let _ = server.batch("ROLLBACK");
        return Err(e.into());
    }
    Ok(value)
}
