-- Partner Desk's schema on a PostgreSQL server as version 1 made it: the same tables as the
-- SQLite file (file schema 6: its recorded_by columns are this schema's), written for the
-- server, with the rules kept by the database for every writer at once. Each later version
-- changes it by an upgrade-N.sql beside this file; `partner-desk server init` runs this
-- and every upgrade in one transaction as the owner role, `server upgrade` the upgrades a
-- database lacks, so what this file says of rights, the write turn and the undo of an
-- import is what version 1 did: upgrade-2.sql says what holds now.
--
-- Roles (created if missing, NOLOGIN; a manager's login is made a member of one):
--   partner_desk_auditor  reads everything;
--   partner_desk_manager  also records partners, statuses, pins, sales, returns, imports;
--   partner_desk_lead     also changes rates, issues and reopens statements.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA partner_desk;
SET LOCAL search_path = partner_desk, public;

-- What this database is, and which schema version it holds.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('application', 'partner-desk'), ('schema_version', '1');

-- One row: it counts write transactions, for the undo of the last import. The program's
-- write turn is a pair of advisory locks taken as a write begins (src/store/postgres/turn.rs),
-- so that a check-then-write (a pin request, issuing a statement against a sale in its
-- period, the next statement number) sees every committed write before it. A write that
-- takes the whole turn also updates this row as it begins; a write about one client updates
-- it in the message that commits it.
CREATE TABLE changes (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);
INSERT INTO changes (id, seq) VALUES (1, 0);

CREATE TABLE partners (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inn                 text NOT NULL UNIQUE,
    name                text NOT NULL CHECK (name <> ''),
    one_c_partner       boolean NOT NULL DEFAULT false,
    site_page_url       text NOT NULL DEFAULT '',
    site_checked_on     date,
    initiates_meetings  boolean NOT NULL DEFAULT false,
    offers_upgrades     boolean NOT NULL DEFAULT false,
    clients_use_service boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE specialists (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id   bigint NOT NULL REFERENCES partners (id),
    name         text NOT NULL,
    certified_on date NOT NULL
);
CREATE INDEX specialists_partner ON specialists (partner_id);

CREATE TABLE status_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id     bigint NOT NULL REFERENCES partners (id),
    effective_from date NOT NULL,
    status         text CHECK (status IN ('agent', 'dealer', 'integrator')),
    note           text NOT NULL DEFAULT '',
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    recorded_by    text NOT NULL DEFAULT session_user
);
CREATE INDEX status_changes_partner ON status_changes (partner_id, effective_from);

-- The id is the row's place in the order clients were recorded (SQLite's rowid): the undo
-- of an import deletes the clients it added by it.
CREATE TABLE clients (
    id   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    inn  text PRIMARY KEY,
    name text NOT NULL DEFAULT ''
);

-- The current term of each pin: in force on every day of [pinned_on, ends_on); a release
-- moves ends_on to the release day. No two partners' pins of one client are in force on the
-- same day: the exclusion constraint refuses it for every writer (SQLSTATE 23P01).
CREATE TABLE pins (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_inn  text NOT NULL REFERENCES clients (inn),
    partner_id  bigint NOT NULL REFERENCES partners (id),
    pinned_on   date NOT NULL,
    ends_on     date NOT NULL,
    released_on date,
    CHECK (pinned_on <= ends_on),
    CONSTRAINT pins_one_holder_a_day EXCLUDE USING gist (
        client_inn WITH =,
        partner_id WITH <>,
        daterange(pinned_on, ends_on, '[)') WITH &&
    )
);
CREATE INDEX pins_client ON pins (client_inn, pinned_on);
CREATE INDEX pins_partner ON pins (partner_id, ends_on);

CREATE TABLE pin_events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pin_id            bigint REFERENCES pins (id),
    client_inn        text NOT NULL REFERENCES clients (inn),
    partner_id        bigint NOT NULL REFERENCES partners (id),
    event             text NOT NULL CHECK (event IN ('pinned', 'refused', 'extended', 'released')),
    on_date           date NOT NULL,
    ends_on           date,
    holder_partner_id bigint REFERENCES partners (id),
    agreed_by         text NOT NULL DEFAULT '',
    note              text NOT NULL DEFAULT '',
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       text NOT NULL DEFAULT session_user
);
CREATE INDEX pin_events_client ON pin_events (client_inn);
CREATE INDEX pin_events_pin ON pin_events (pin_id);

CREATE TABLE pin_corrections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pin_event_id bigint NOT NULL UNIQUE REFERENCES pin_events (id),
    corrected_at timestamptz NOT NULL DEFAULT now(),
    corrected_by text NOT NULL DEFAULT session_user,
    reason       text NOT NULL
);

CREATE TABLE rate_versions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    effective_from date UNIQUE,
    note           text NOT NULL DEFAULT '',
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    recorded_by    text NOT NULL DEFAULT session_user
);
CREATE TABLE rate_cells (
    version_id bigint NOT NULL REFERENCES rate_versions (id),
    kind       text NOT NULL,
    status     text NOT NULL,
    rate_pct   numeric(5, 2) CHECK (rate_pct BETWEEN 0 AND 100),
    PRIMARY KEY (version_id, kind, status)
);

-- Sales and returns share one table and one entry order (see the SQLite schema).
CREATE TABLE sales (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc                  text UNIQUE,
    date                 date NOT NULL,
    partner_id           bigint NOT NULL REFERENCES partners (id),
    client_inn           text NOT NULL REFERENCES clients (inn),
    kind                 text NOT NULL CHECK (kind IN ('its', 'saas', 'onprem_server', 'onprem_user', 'dev_services', 'video_calls')),
    amount_kop           bigint NOT NULL CHECK (amount_kop > 0),
    self_referred        boolean NOT NULL,
    connected_by_partner boolean NOT NULL,
    used_in_work         boolean NOT NULL,
    return_of            bigint REFERENCES sales (id),
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    recorded_by          text NOT NULL DEFAULT session_user,
    premium_kop          bigint NOT NULL,
    rate_pct             numeric(5, 2),
    reason               text,
    status               text,
    one_c_terms          boolean NOT NULL DEFAULT false
);
CREATE INDEX sales_partner_date ON sales (partner_id, date);
CREATE INDEX sales_date ON sales (date);
CREATE INDEX sales_client ON sales (client_inn);
CREATE INDEX sales_return_of ON sales (return_of) WHERE return_of IS NOT NULL;

CREATE TABLE sale_corrections (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sale_id      bigint NOT NULL,
    corrected_at timestamptz NOT NULL DEFAULT now(),
    corrected_by text NOT NULL DEFAULT session_user,
    action       text NOT NULL CHECK (action IN ('changed', 'deleted')),
    before       text NOT NULL,
    after        text NOT NULL DEFAULT ''
);
CREATE INDEX sale_corrections_sale ON sale_corrections (sale_id);

-- An issued statement: its JSON exactly as exported, its checksum and figures. While it is
-- not reopened, its partner's sales dated in its period are locked, and no other statement
-- of that partner in force may cover a day of it.
CREATE TABLE issued_statements (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number        text NOT NULL UNIQUE,
    partner_id    bigint NOT NULL REFERENCES partners (id),
    period_from   date NOT NULL,
    period_to     date NOT NULL,
    issued_on     date NOT NULL,
    json          bytea NOT NULL,
    sha256        text NOT NULL,
    lines         bigint NOT NULL,
    amount_kop    bigint NOT NULL,
    premium_kop   bigint NOT NULL,
    reopened_on   date,
    reopen_reason text,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    issued_by     text NOT NULL DEFAULT session_user,
    CHECK (period_from <= period_to),
    CONSTRAINT issued_statements_no_overlap EXCLUDE USING gist (
        partner_id WITH =,
        daterange(period_from, period_to, '[]') WITH &&
    ) WHERE (reopened_on IS NULL)
);
CREATE INDEX issued_statements_partner ON issued_statements (partner_id, period_from);

CREATE TABLE statement_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    statement_id bigint NOT NULL REFERENCES issued_statements (id),
    event        text NOT NULL CHECK (event IN ('issued', 'reopened')),
    on_date      date NOT NULL,
    reason       text NOT NULL DEFAULT '',
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text NOT NULL DEFAULT session_user
);

CREATE TABLE imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    file        text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by text NOT NULL DEFAULT session_user,
    change_seq  bigint NOT NULL,
    high_water  text NOT NULL,
    summary     text NOT NULL DEFAULT '',
    undone_at   timestamptz
);

-- What undoes the newest import: every row it changed or deleted that was there before it,
-- as it was (see log_for_undo and undo_import).
CREATE TABLE import_undo (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id bigint NOT NULL,
    tbl       text NOT NULL,
    old       jsonb NOT NULL
);

CREATE TABLE import_layouts (
    layout   text PRIMARY KEY,
    kind     text NOT NULL,
    columns  text NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only history, for every writer (the owner included): what was recorded is never
-- changed or deleted. A correction is a new row.
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only undo_import, which runs as the owner, sets this.
    IF current_setting('partner_desk.undoing', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
END $$;

CREATE TRIGGER status_changes_append_only BEFORE UPDATE OR DELETE ON status_changes
    FOR EACH ROW EXECUTE FUNCTION append_only('status history is append-only');
CREATE TRIGGER pin_events_append_only BEFORE UPDATE OR DELETE ON pin_events
    FOR EACH ROW EXECUTE FUNCTION append_only('pin history is append-only');
CREATE TRIGGER pin_corrections_append_only BEFORE UPDATE OR DELETE ON pin_corrections
    FOR EACH ROW EXECUTE FUNCTION append_only('corrections are append-only');
CREATE TRIGGER sale_corrections_append_only BEFORE UPDATE OR DELETE ON sale_corrections
    FOR EACH ROW EXECUTE FUNCTION append_only('corrections are append-only');
CREATE TRIGGER statement_events_append_only BEFORE UPDATE OR DELETE ON statement_events
    FOR EACH ROW EXECUTE FUNCTION append_only('statement history is append-only');
CREATE TRIGGER rate_versions_append_only BEFORE UPDATE OR DELETE ON rate_versions
    FOR EACH ROW EXECUTE FUNCTION append_only('rate versions are never changed; add a new one');
CREATE TRIGGER rate_cells_append_only BEFORE UPDATE OR DELETE ON rate_cells
    FOR EACH ROW EXECUTE FUNCTION append_only('rate versions are never changed; add a new one');
CREATE TRIGGER pins_never_deleted BEFORE DELETE ON pins
    FOR EACH ROW EXECUTE FUNCTION append_only('pins are never deleted; release them');

CREATE FUNCTION issued_statements_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('partner_desk.undoing', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued statement is never deleted' USING ERRCODE = 'P0001';
    END IF;
    IF (NEW.number, NEW.partner_id, NEW.period_from, NEW.period_to, NEW.issued_on, NEW.json,
        NEW.sha256, NEW.lines, NEW.amount_kop, NEW.premium_kop, NEW.issued_by)
       IS DISTINCT FROM
       (OLD.number, OLD.partner_id, OLD.period_from, OLD.period_to, OLD.issued_on, OLD.json,
        OLD.sha256, OLD.lines, OLD.amount_kop, OLD.premium_kop, OLD.issued_by) THEN
        RAISE EXCEPTION 'an issued statement is never changed' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER issued_statements_frozen BEFORE UPDATE OR DELETE ON issued_statements
    FOR EACH ROW EXECUTE FUNCTION issued_statements_frozen();

-- The period lock, for every writer: no sale or return covered by an issued statement in
-- force may be added, changed, re-dated into or out of its period, or deleted. The stored
-- figures (premium_kop, rate_pct, reason, status, one_c_terms) may be figured again. The
-- message starts with "locked:", as SQLite's triggers say it; its number follows.
CREATE FUNCTION lock_of(partner bigint, day date) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT number FROM partner_desk.issued_statements
    WHERE reopened_on IS NULL AND partner_id = partner AND day BETWEEN period_from AND period_to
    LIMIT 1
$$;

CREATE FUNCTION sales_period_lock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    number text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'UPDATE' AND (NEW.doc, NEW.date, NEW.partner_id, NEW.client_inn, NEW.kind,
                NEW.amount_kop, NEW.self_referred, NEW.connected_by_partner, NEW.used_in_work,
                NEW.return_of)
            IS NOT DISTINCT FROM (OLD.doc, OLD.date, OLD.partner_id, OLD.client_inn, OLD.kind,
                OLD.amount_kop, OLD.self_referred, OLD.connected_by_partner, OLD.used_in_work,
                OLD.return_of) THEN
            RETURN NEW;
        END IF;
        number := partner_desk.lock_of(OLD.partner_id, OLD.date);
        IF number IS NOT NULL THEN
            RAISE EXCEPTION 'locked: %', number USING ERRCODE = 'P0001';
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        number := partner_desk.lock_of(NEW.partner_id, NEW.date);
        IF number IS NOT NULL THEN
            RAISE EXCEPTION 'locked: %', number USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER sales_period_lock BEFORE UPDATE OR DELETE ON sales
    FOR EACH ROW EXECUTE FUNCTION sales_period_lock();

-- New rows are checked once per statement, all of them in one join: a load of a million
-- sales is one INSERT … SELECT, and a query per row would cost it most of its time.
CREATE FUNCTION sales_period_lock_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    number text;
BEGIN
    SELECT i.number INTO number
    FROM new_rows n JOIN partner_desk.issued_statements i
      ON i.reopened_on IS NULL AND i.partner_id = n.partner_id
     AND n.date BETWEEN i.period_from AND i.period_to
    LIMIT 1;
    IF number IS NOT NULL THEN
        RAISE EXCEPTION 'locked: %', number USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER sales_period_lock_new AFTER INSERT ON sales
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sales_period_lock_new();

-- The undo of an import. While a transaction names an import (the program sets
-- partner_desk.import for the import's transaction), every row of a data table that it
-- changes or deletes and that was there before the import is kept as it was.
CREATE FUNCTION log_for_undo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    import bigint := nullif(current_setting('partner_desk.import', true), '')::bigint;
    high bigint;
BEGIN
    IF import IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT (high_water::jsonb ->> TG_TABLE_NAME)::bigint INTO high
    FROM partner_desk.imports WHERE id = import;
    IF high IS NOT NULL AND OLD.id <= high THEN
        INSERT INTO partner_desk.import_undo (import_id, tbl, old)
        VALUES (import, TG_TABLE_NAME, to_jsonb(OLD));
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['partners', 'specialists', 'status_changes', 'clients', 'pins',
        'pin_events', 'pin_corrections', 'rate_versions', 'sales', 'sale_corrections',
        'issued_statements', 'statement_events']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON partner_desk.%I
            FOR EACH ROW EXECUTE FUNCTION partner_desk.log_for_undo()', t || '_log_for_undo', t);
    END LOOP;
END $$;

-- Undoes an import exactly: the rows it changed put back as they were, newest first, then
-- the rows it added deleted, children before parents. Runs as the owner (history may be
-- deleted only here); the program calls it only for the newest import with nothing written
-- since.
CREATE FUNCTION undo_import(import bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = partner_desk, public AS $$
DECLARE
    marks jsonb := (SELECT high_water::jsonb FROM imports WHERE id = import);
    logged record;
    cols text;
    t text;
    n bigint;
BEGIN
    PERFORM set_config('partner_desk.import', '', true);
    PERFORM set_config('partner_desk.undoing', 'on', true);
    FOR logged IN SELECT * FROM import_undo WHERE import_id = import ORDER BY seq DESC LOOP
        SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position) INTO cols
        FROM information_schema.columns
        WHERE table_schema = 'partner_desk' AND table_name = logged.tbl AND column_name <> 'id';
        EXECUTE format('UPDATE %I SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%I, $1))
                        WHERE id = ($1 ->> ''id'')::bigint', logged.tbl, cols, cols, logged.tbl)
            USING logged.old;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            EXECUTE format('INSERT INTO %I OVERRIDING SYSTEM VALUE
                            SELECT * FROM jsonb_populate_record(NULL::%I, $1)', logged.tbl, logged.tbl)
                USING logged.old;
        END IF;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['statement_events', 'issued_statements', 'sale_corrections', 'sales',
        'pin_corrections', 'pin_events', 'pins', 'status_changes', 'specialists', 'rate_versions',
        'clients', 'partners']
    LOOP
        IF marks ? t THEN
            EXECUTE format('DELETE FROM %I WHERE id > $1', t) USING (marks ->> t)::bigint;
        END IF;
    END LOOP;
    DELETE FROM import_undo WHERE import_id = import;
    PERFORM set_config('partner_desk.undoing', '', true);
END $$;

-- Roles and what each may do. The schema belongs to the owner (who runs this script).
-- Roles are the cluster's: another database's `server init` may be making them at the same
-- moment, so one that appears meanwhile is taken as made.
DO $$
DECLARE
    role record;
BEGIN
    FOR role IN SELECT * FROM (VALUES
        ('partner_desk_auditor', NULL),
        ('partner_desk_manager', 'partner_desk_auditor'),
        ('partner_desk_lead', 'partner_desk_manager')) AS r (name, member_of)
    LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role.name) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role.name);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        IF role.member_of IS NOT NULL THEN
            EXECUTE format('GRANT %I TO %I', role.member_of, role.name);
        END IF;
    END LOOP;
END $$;

REVOKE ALL ON SCHEMA partner_desk FROM PUBLIC;
GRANT USAGE ON SCHEMA partner_desk TO partner_desk_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA partner_desk TO partner_desk_auditor;

-- Managers: the write turn, and what they record. History: INSERT only.
GRANT UPDATE ON changes TO partner_desk_manager;
GRANT INSERT, UPDATE ON partners, clients, pins, import_layouts TO partner_desk_manager;
GRANT INSERT, DELETE ON specialists TO partner_desk_manager;
GRANT INSERT ON status_changes, pin_events, pin_corrections, sale_corrections, imports
    TO partner_desk_manager;
GRANT UPDATE (summary, undone_at) ON imports TO partner_desk_manager;
GRANT INSERT, DELETE ON import_undo TO partner_desk_manager;
GRANT INSERT, UPDATE, DELETE ON sales TO partner_desk_manager;

-- Leads: rates and statements.
GRANT INSERT ON rate_versions, rate_cells, issued_statements, statement_events
    TO partner_desk_lead;
GRANT UPDATE (reopened_on, reopen_reason) ON issued_statements TO partner_desk_lead;

-- Every write sees the others' committed work after its turn; nobody waits forever.
ALTER TABLE changes SET (fillfactor = 10);
