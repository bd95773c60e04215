//! The write turn: how a transaction on the team database waits for the writers it must not
//! run beside, and announces its commit to the windows.

use super::CHANGES_CHANNEL;
use crate::store::sql::{Conn, PgConn};
use crate::store::{Db, StoreError, Tx};

/// The write turn's advisory locks: `(TURN, 0)` is the turn itself, `(CLIENT_TURN, h)` the
/// lock of the client whose INN hashes to `h`. Taken for the transaction only.
pub(super) const TURN: i32 = 0x5044_5754;
const CLIENT_TURN: i32 = TURN + 1;

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
            format!(
                "BEGIN; SELECT pg_advisory_xact_lock({TURN}, 0);
                 UPDATE changes SET seq = seq + 1 WHERE id = 1; NOTIFY {CHANGES_CHANNEL}"
            ),
            "SELECT 1; COMMIT".to_owned(),
        ),
        // An INN is digits only, so it can stand in the statement as it is.
        Turn::Client(inn) => (
            // With the savepoint a pin request needs (see `Tx::request_pin`), taken here in
            // the same message rather than in a round trip of its own.
            format!(
                "BEGIN; SELECT pg_advisory_xact_lock_shared({TURN}, 0),
                        pg_advisory_xact_lock({CLIENT_TURN}, hashtext('{inn}'));
                 SAVEPOINT {CLIENT_SAVEPOINT}",
                inn = inn.as_str()
            ),
            format!(
                "UPDATE changes SET seq = seq + 1 WHERE id = 1; NOTIFY {CHANGES_CHANNEL}; COMMIT"
            ),
        ),
    };
    if let Err(e) = server.batch(&begin) {
        let _ = server.batch("ROLLBACK");
        return Err(e.into());
    }
    let value = match f(&Tx {
        db: Db::new(Conn::Pg(server)),
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
