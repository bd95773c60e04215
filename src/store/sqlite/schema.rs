//! The schema and its migrations. `PRAGMA user_version` is the schema version; all the
//! migrations a file needs run in one transaction that also sets the version, so a database
//! is always at its old version or the current one, never between.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::StoreError;
use crate::domain::RateTable;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 9;

type Migration = fn(&Transaction<'_>) -> Result<(), StoreError>;

const MIGRATIONS: [Migration; 9] = [
    v1_initial,
    v2_issued_statements,
    v3_imports,
    v4_sale_corrections,
    v5_pin_corrections,
    v6_recorded_by,
    v7_rules_kept,
    v8_requisites,
    v9_payments,
];

/// Brings the file from `found` to [`SCHEMA_VERSION`] in one transaction: however many
/// steps that takes, a file is at its old version or the new one, never one between.
pub(super) fn migrate(conn: &mut Connection, found: i64) -> Result<(), StoreError> {
    if found >= SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version > now {
            migration(&tx)?;
        }
    }
    if now < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

/// A versioned file should have our tables.
pub(super) fn looks_like_ours(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('partners', 'sales', 'pins')",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 3)
}

/// An unversioned file with tables is some other program's database.
pub(super) fn has_foreign_tables(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(n > 0)
}

const V1: &str = r#"
CREATE TABLE partners (
    id                  INTEGER PRIMARY KEY,
    inn                 TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL CHECK (name <> ''),
    one_c_partner       INTEGER NOT NULL DEFAULT 0 CHECK (one_c_partner IN (0, 1)),
    site_page_url       TEXT NOT NULL DEFAULT '',
    site_checked_on     TEXT,
    initiates_meetings  INTEGER NOT NULL DEFAULT 0 CHECK (initiates_meetings IN (0, 1)),
    offers_upgrades     INTEGER NOT NULL DEFAULT 0 CHECK (offers_upgrades IN (0, 1)),
    clients_use_service INTEGER NOT NULL DEFAULT 0 CHECK (clients_use_service IN (0, 1)),
    created_at          TEXT NOT NULL
) STRICT;

CREATE TABLE specialists (
    id           INTEGER PRIMARY KEY,
    partner_id   INTEGER NOT NULL REFERENCES partners (id),
    name         TEXT NOT NULL,
    certified_on TEXT NOT NULL
) STRICT;
CREATE INDEX specialists_partner ON specialists (partner_id);

-- Append-only: a correction is a new change.
CREATE TABLE status_changes (
    id             INTEGER PRIMARY KEY,
    partner_id     INTEGER NOT NULL REFERENCES partners (id),
    effective_from TEXT NOT NULL,
    status         TEXT CHECK (status IN ('agent', 'dealer', 'integrator')),
    note           TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX status_changes_partner ON status_changes (partner_id, effective_from);
CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes
BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;
CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes
BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;

CREATE TABLE clients (
    inn  TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
) STRICT;

-- The current term of each pin; its history is in pin_events. Pins are never deleted.
CREATE TABLE pins (
    id          INTEGER PRIMARY KEY,
    client_inn  TEXT NOT NULL REFERENCES clients (inn),
    partner_id  INTEGER NOT NULL REFERENCES partners (id),
    pinned_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    released_on TEXT,
    CHECK (pinned_on <= ends_on)
) STRICT;
CREATE INDEX pins_client ON pins (client_inn, pinned_on);
CREATE INDEX pins_partner ON pins (partner_id, ends_on);
CREATE TRIGGER pins_no_delete BEFORE DELETE ON pins
BEGIN SELECT RAISE(ABORT, 'pins are never deleted; release them'); END;

CREATE TABLE pin_events (
    id                INTEGER PRIMARY KEY,
    pin_id            INTEGER REFERENCES pins (id),
    client_inn        TEXT NOT NULL REFERENCES clients (inn),
    partner_id        INTEGER NOT NULL REFERENCES partners (id),
    event             TEXT NOT NULL CHECK (event IN ('pinned', 'refused', 'extended', 'released')),
    on_date           TEXT NOT NULL,
    ends_on           TEXT,
    holder_partner_id INTEGER REFERENCES partners (id),
    agreed_by         TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    recorded_at       TEXT NOT NULL
) STRICT;
CREATE INDEX pin_events_client ON pin_events (client_inn);
CREATE INDEX pin_events_pin ON pin_events (pin_id);
CREATE TRIGGER pin_events_no_update BEFORE UPDATE ON pin_events
BEGIN SELECT RAISE(ABORT, 'pin history is append-only'); END;
CREATE TRIGGER pin_events_no_delete BEFORE DELETE ON pin_events
BEGIN SELECT RAISE(ABORT, 'pin history is append-only'); END;

-- Rate versions never change once saved: a new version is added instead.
CREATE TABLE rate_versions (
    id             INTEGER PRIMARY KEY,
    effective_from TEXT UNIQUE,
    note           TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE TABLE rate_cells (
    version_id INTEGER NOT NULL REFERENCES rate_versions (id),
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    rate_pct   TEXT,
    PRIMARY KEY (version_id, kind, status)
) STRICT;
CREATE TRIGGER rate_versions_no_update BEFORE UPDATE ON rate_versions
BEGIN SELECT RAISE(ABORT, 'rate versions are never changed; add a new one'); END;
CREATE TRIGGER rate_versions_no_delete BEFORE DELETE ON rate_versions
BEGIN SELECT RAISE(ABORT, 'rate versions are never deleted'); END;
CREATE TRIGGER rate_cells_no_update BEFORE UPDATE ON rate_cells
BEGIN SELECT RAISE(ABORT, 'rate versions are never changed; add a new one'); END;
CREATE TRIGGER rate_cells_no_delete BEFORE DELETE ON rate_cells
BEGIN SELECT RAISE(ABORT, 'rate versions are never deleted'); END;

-- Sales and returns share one table and one entry order. A return (return_of set) copies
-- the partner, client, kind and role facts of its sale; amount_kop is what it returns.
CREATE TABLE sales (
    id                   INTEGER PRIMARY KEY,
    doc                  TEXT UNIQUE,
    date                 TEXT NOT NULL,
    partner_id           INTEGER NOT NULL REFERENCES partners (id),
    client_inn           TEXT NOT NULL REFERENCES clients (inn),
    kind                 TEXT NOT NULL CHECK (kind IN ('its', 'saas', 'onprem_server', 'onprem_user', 'dev_services', 'video_calls')),
    amount_kop           INTEGER NOT NULL CHECK (amount_kop > 0),
    self_referred        INTEGER NOT NULL CHECK (self_referred IN (0, 1)),
    connected_by_partner INTEGER NOT NULL CHECK (connected_by_partner IN (0, 1)),
    used_in_work         INTEGER NOT NULL CHECK (used_in_work IN (0, 1)),
    return_of            INTEGER REFERENCES sales (id),
    recorded_at          TEXT NOT NULL,
    -- The figures of domain::statement::figure, kept current by the store whenever what they
    -- depend on changes (status, 1C flag, rate versions), so lists and sums read them.
    premium_kop          INTEGER NOT NULL,
    rate_pct             TEXT,
    reason               TEXT,
    status               TEXT,
    one_c_terms          INTEGER NOT NULL DEFAULT 0 CHECK (one_c_terms IN (0, 1))
) STRICT;
CREATE INDEX sales_partner_date ON sales (partner_id, date);
CREATE INDEX sales_date ON sales (date);
CREATE INDEX sales_client ON sales (client_inn);
CREATE INDEX sales_return_of ON sales (return_of) WHERE return_of IS NOT NULL;
"#;

fn v1_initial(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V1)?;
    tx.execute(
        "INSERT INTO rate_versions (effective_from, note, recorded_at) VALUES (NULL, ?1, ?2)",
        (
            crate::store::rates::REGULATION_NOTE,
            crate::store::rows::now_stamp(),
        ),
    )?;
    let version = tx.last_insert_rowid();
    crate::store::rates::insert_cells(
        crate::store::sql::Conn::Lite(tx),
        version,
        &RateTable::regulation_default(),
    )?;
    Ok(())
}

const V2: &str = r#"
-- A statement once issued: its JSON exactly as exported, its checksum and figures. While it
-- is not reopened, the sales and returns of its partner dated in its period are locked.
CREATE TABLE issued_statements (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    partner_id    INTEGER NOT NULL REFERENCES partners (id),
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    json          BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    lines         INTEGER NOT NULL,
    amount_kop    INTEGER NOT NULL,
    premium_kop   INTEGER NOT NULL,
    reopened_on   TEXT,
    reopen_reason TEXT,
    recorded_at   TEXT NOT NULL,
    CHECK (period_from <= period_to)
) STRICT;
CREATE INDEX issued_statements_partner ON issued_statements (partner_id, period_from);

CREATE TRIGGER issued_statements_frozen BEFORE UPDATE OF number, partner_id, period_from, period_to, issued_on,
    json, sha256, lines, amount_kop, premium_kop ON issued_statements
BEGIN SELECT RAISE(ABORT, 'an issued statement is never changed'); END;
CREATE TRIGGER issued_statements_no_delete BEFORE DELETE ON issued_statements
BEGIN SELECT RAISE(ABORT, 'an issued statement is never deleted'); END;

CREATE TABLE statement_events (
    id           INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES issued_statements (id),
    event        TEXT NOT NULL CHECK (event IN ('issued', 'reopened')),
    on_date      TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE TRIGGER statement_events_no_update BEFORE UPDATE ON statement_events
BEGIN SELECT RAISE(ABORT, 'statement history is append-only'); END;
CREATE TRIGGER statement_events_no_delete BEFORE DELETE ON statement_events
BEGIN SELECT RAISE(ABORT, 'statement history is append-only'); END;

-- The period lock, kept by the database itself: no sale or return covered by an issued
-- statement may be added, changed, re-dated into or out of its period, or deleted. The
-- stored figures (premium_kop, rate_pct, reason, status, one_c_terms) may be figured again.
CREATE TRIGGER sales_locked_insert BEFORE INSERT ON sales
WHEN EXISTS (SELECT 1 FROM issued_statements i WHERE i.reopened_on IS NULL
             AND i.partner_id = NEW.partner_id AND NEW.date BETWEEN i.period_from AND i.period_to)
BEGIN SELECT RAISE(ABORT, 'locked: the period is in an issued statement'); END;
CREATE TRIGGER sales_locked_update BEFORE UPDATE OF doc, date, partner_id, client_inn, kind, amount_kop,
    self_referred, connected_by_partner, used_in_work, return_of ON sales
WHEN EXISTS (SELECT 1 FROM issued_statements i WHERE i.reopened_on IS NULL
             AND ((i.partner_id = OLD.partner_id AND OLD.date BETWEEN i.period_from AND i.period_to)
               OR (i.partner_id = NEW.partner_id AND NEW.date BETWEEN i.period_from AND i.period_to)))
BEGIN SELECT RAISE(ABORT, 'locked: the sale is in an issued statement'); END;
CREATE TRIGGER sales_locked_delete BEFORE DELETE ON sales
WHEN EXISTS (SELECT 1 FROM issued_statements i WHERE i.reopened_on IS NULL
             AND i.partner_id = OLD.partner_id AND OLD.date BETWEEN i.period_from AND i.period_to)
BEGIN SELECT RAISE(ABORT, 'locked: the sale is in an issued statement'); END;
"#;

fn v2_issued_statements(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V2)?;
    Ok(())
}

const V3: &str = r#"
-- One row, counting write transactions: an import can be undone only while it is the last.
CREATE TABLE changes (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
) STRICT;
INSERT INTO changes (id, seq) VALUES (1, 0);

-- Every import; the newest keeps in import_undo what puts back the rows it changed, and
-- high_water (table -> largest rowid before it) tells its new rows. See store/imports.rs.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    file        TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    change_seq  INTEGER NOT NULL,
    high_water  TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    undone_at   TEXT
) STRICT;
CREATE TABLE import_undo (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    seq       INTEGER NOT NULL,
    statement TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
) STRICT;
-- Holds a row only inside the transaction that undoes an import.
CREATE TABLE undo_gate (
    import_id INTEGER PRIMARY KEY
) STRICT;

-- The column mapping last chosen for a file layout (its normalized headers).
CREATE TABLE import_layouts (
    layout   TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    columns  TEXT NOT NULL,
    saved_at TEXT NOT NULL
) STRICT;

-- History stays append-only, except that undoing an import removes what it added.
DROP TRIGGER status_changes_no_delete;
CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'status history is append-only'); END;
DROP TRIGGER pins_no_delete;
CREATE TRIGGER pins_no_delete BEFORE DELETE ON pins
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'pins are never deleted; release them'); END;
DROP TRIGGER pin_events_no_delete;
CREATE TRIGGER pin_events_no_delete BEFORE DELETE ON pin_events
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'pin history is append-only'); END;
"#;

fn v3_imports(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V3)?;
    Ok(())
}

const V4: &str = r#"
-- Every correction of a recorded sale or return: changed or deleted while its period was
-- not in an issued statement (the period-lock triggers refuse it otherwise), with the
-- record before and after (JSON) and who made it when. Append-only.
CREATE TABLE sale_corrections (
    id           INTEGER PRIMARY KEY,
    sale_id      INTEGER NOT NULL,
    corrected_at TEXT NOT NULL,
    corrected_by TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('changed', 'deleted')),
    before       TEXT NOT NULL,
    after        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sale_corrections_sale ON sale_corrections (sale_id);
CREATE TRIGGER sale_corrections_no_update BEFORE UPDATE ON sale_corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TRIGGER sale_corrections_no_delete BEFORE DELETE ON sale_corrections
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
"#;

fn v4_sale_corrections(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V4)?;
    Ok(())
}

const V5: &str = r#"
-- A stop-list event recorded by mistake (an extension or a release), cancelled: the pin's
-- term is put back as it was before the event, and the event stays in the history marked
-- with this row (who, when, why). Append-only.
CREATE TABLE pin_corrections (
    id             INTEGER PRIMARY KEY,
    pin_event_id   INTEGER NOT NULL UNIQUE REFERENCES pin_events (id),
    corrected_at   TEXT NOT NULL,
    corrected_by   TEXT NOT NULL,
    reason         TEXT NOT NULL
) STRICT;
CREATE TRIGGER pin_corrections_no_update BEFORE UPDATE ON pin_corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TRIGGER pin_corrections_no_delete BEFORE DELETE ON pin_corrections
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
"#;

fn v5_pin_corrections(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V5)?;
    Ok(())
}

const V6: &str = r#"
-- Who recorded each event, as the team database's schema has it: the user's login on the
-- computer (on a team database, the login the program connected as). What was recorded
-- before this version says ''.
ALTER TABLE status_changes ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE pin_events ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE rate_versions ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE issued_statements ADD COLUMN issued_by TEXT NOT NULL DEFAULT '';
ALTER TABLE statement_events ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN imported_by TEXT NOT NULL DEFAULT '';
"#;

fn v6_recorded_by(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V6)?;
    Ok(())
}

/// The period lock of the file as the team database keeps it: a record of a locked period
/// changes in no column (its figures neither). A return is of a recorded sale, not of a
/// return, of its sale's partner, client, kind and facts, dated on or after it and of no
/// more than is left of it (`return: RULE`). The program decides both first
/// (`domain::lock`), naming the statement; these keep them for any other writer. (Their
/// messages are literals, so that any SQLite, not only 3.47 and later, reads the file.)
const V7: &str = r#"
DROP TRIGGER sales_locked_update;
CREATE TRIGGER sales_locked_update BEFORE UPDATE ON sales
WHEN (NEW.id, NEW.doc, NEW.date, NEW.partner_id, NEW.client_inn, NEW.kind, NEW.amount_kop,
      NEW.self_referred, NEW.connected_by_partner, NEW.used_in_work, NEW.return_of,
      NEW.recorded_at, NEW.recorded_by, NEW.premium_kop, NEW.rate_pct, NEW.reason, NEW.status,
      NEW.one_c_terms)
     IS NOT
     (OLD.id, OLD.doc, OLD.date, OLD.partner_id, OLD.client_inn, OLD.kind, OLD.amount_kop,
      OLD.self_referred, OLD.connected_by_partner, OLD.used_in_work, OLD.return_of,
      OLD.recorded_at, OLD.recorded_by, OLD.premium_kop, OLD.rate_pct, OLD.reason, OLD.status,
      OLD.one_c_terms)
 AND EXISTS (SELECT 1 FROM issued_statements i WHERE i.reopened_on IS NULL
             AND ((i.partner_id = OLD.partner_id AND OLD.date BETWEEN i.period_from AND i.period_to)
               OR (i.partner_id = NEW.partner_id AND NEW.date BETWEEN i.period_from AND i.period_to)))
BEGIN SELECT RAISE(ABORT, 'locked: the sale is in an issued statement'); END;
CREATE TRIGGER sales_return_insert BEFORE INSERT ON sales WHEN NEW.return_of IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'return: no_such_sale')
    WHERE NOT EXISTS (SELECT 1 FROM sales o WHERE o.id = NEW.return_of);
    SELECT RAISE(ABORT, 'return: return_of_return')
    WHERE EXISTS (SELECT 1 FROM sales o WHERE o.id = NEW.return_of AND o.return_of IS NOT NULL);
    SELECT RAISE(ABORT, 'return: not_its_sale')
    WHERE EXISTS (SELECT 1 FROM sales o WHERE o.id = NEW.return_of
                  AND (o.partner_id, o.client_inn, o.kind, o.self_referred,
                       o.connected_by_partner, o.used_in_work)
                      IS NOT (NEW.partner_id, NEW.client_inn, NEW.kind, NEW.self_referred,
                              NEW.connected_by_partner, NEW.used_in_work));
    SELECT RAISE(ABORT, 'return: before_sale')
    WHERE EXISTS (SELECT 1 FROM sales o WHERE o.id = NEW.return_of AND NEW.date < o.date);
    SELECT RAISE(ABORT, 'return: too_large')
    WHERE (SELECT o.amount_kop - (SELECT coalesce(sum(r.amount_kop), 0) FROM sales r
                                  WHERE r.return_of = o.id)
           FROM sales o WHERE o.id = NEW.return_of) < NEW.amount_kop;
END;
"#;

fn v7_rules_kept(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V7)?;
    Ok(())
}

/// Requisites: our organisation's (one row) and each partner's, with its contract and VAT
/// (`vat`: '' not stated, `none` not liable, or the rate typed). Texts not given are ''.
const V8: &str = r#"
CREATE TABLE organisation (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    full_name       TEXT NOT NULL DEFAULT '',
    inn             TEXT NOT NULL DEFAULT '',
    kpp             TEXT NOT NULL DEFAULT '',
    ogrn            TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    bank_name       TEXT NOT NULL DEFAULT '',
    bik             TEXT NOT NULL DEFAULT '',
    account         TEXT NOT NULL DEFAULT '',
    corr_account    TEXT NOT NULL DEFAULT '',
    signer_position TEXT NOT NULL DEFAULT '',
    signer_name     TEXT NOT NULL DEFAULT '',
    accountant      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE partner_requisites (
    id              INTEGER PRIMARY KEY,
    partner_id      INTEGER NOT NULL UNIQUE REFERENCES partners (id),
    full_name       TEXT NOT NULL DEFAULT '',
    kpp             TEXT NOT NULL DEFAULT '',
    ogrn            TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    bank_name       TEXT NOT NULL DEFAULT '',
    bik             TEXT NOT NULL DEFAULT '',
    account         TEXT NOT NULL DEFAULT '',
    corr_account    TEXT NOT NULL DEFAULT '',
    signer_position TEXT NOT NULL DEFAULT '',
    signer_name     TEXT NOT NULL DEFAULT '',
    accountant      TEXT NOT NULL DEFAULT '',
    contract_no     TEXT NOT NULL DEFAULT '',
    contract_date   TEXT,
    vat             TEXT NOT NULL DEFAULT ''
) STRICT;
"#;

fn v8_requisites(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V8)?;
    Ok(())
}

/// Payments of issued statements: by hand or from a bank statement (`bank_ref` names the
/// bank's document, so that a statement imported again adds nothing). A payment is never
/// changed or deleted: it is undone by a row that `cancels` it with the opposite amount.
const V9: &str = r#"
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES issued_statements (id),
    on_date      TEXT NOT NULL,
    amount_kop   INTEGER NOT NULL CHECK (amount_kop <> 0),
    doc          TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL CHECK (source IN ('hand', 'bank', 'netting', 'undo')),
    bank_ref     TEXT NOT NULL DEFAULT '',
    cancels      INTEGER UNIQUE REFERENCES payments (id),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX payments_statement ON payments (statement_id);
CREATE INDEX payments_bank_ref ON payments (bank_ref) WHERE bank_ref <> '';
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never changed; undo one with a cancelling row'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
WHEN NOT EXISTS (SELECT 1 FROM undo_gate)
BEGIN SELECT RAISE(ABORT, 'payments are never deleted; undo one with a cancelling row'); END;
"#;

fn v9_payments(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(V9)?;
    Ok(())
}
