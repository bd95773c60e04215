-- Partner Desk's server schema, version 2: what version 1 (schema.sql) made, changed so that
-- the database keeps its promises against its own logins, whatever program they connect
-- with (psql included). Run in one transaction by `server init` after schema.sql, and by
-- `server upgrade` on a database of version 1, as the owner; every row is kept.
--
-- What a login may do from now on:
--   - change nothing it has no grant for; no function runs for PUBLIC. Every function that
--     runs with the owner's rights (SECURITY DEFINER) pins its search_path with pg_temp last
--     and names every object with its schema, so that a login's temporary tables cannot
--     stand in for the tables it reads;
--   - take the write turn only if it may write: the turn is a row lock on write_turn (and
--     on one of client_turns for a write about one client), taken by take_turn(), which
--     only managers may run, instead of an advisory lock anyone could hold;
--   - not choose who or when: the audit columns (recorded_by, issued_by, imported_by,
--     corrected_by and their times, partners.created_at) are the server's session_user and
--     clock, set by triggers whatever the client sends, and never updated;
--   - not change a sale in an issued period in any column;
--   - change a pin only by recording its event: inserting into pin_events makes, extends
--     or releases the pin (pin_event_applied), inserting into pin_corrections puts the
--     cancelled event's term back (pin_correction_applied); no login may write pins;
--   - issue and reopen statements only through issue_statement() and reopen_statement()
--     (leads), which write the statement event with who, when and why; a reopened statement
--     is never closed again (a new statement is issued);
--   - keep requisites (ours and each partner's) as managers, who prepare payment files;
--   - record payments of issued statements as leads only, never changing or deleting one
--     (an undo is a row that cancels it), who and when set by the server;
--   - record and undo imports only through begin_import(), end_import() and undo_import();
--     the undo log is written by the server's trigger alone, for the import's own
--     transaction, and the undo touches only rows that import's transaction wrote last.
--
-- The owner may still put rows back exactly as they were stored (a copy into this
-- database, the undo of an import) while partner_desk.restoring is 'on' in its own
-- transaction; for anyone else that setting does nothing, and every owner's function runs
-- with it off.

SET LOCAL search_path = partner_desk, pg_temp;

UPDATE partner_desk.meta SET value = '2' WHERE key = 'schema_version';

-- Nobody runs a function of this schema unless granted below (PostgreSQL's default is
-- EXECUTE for PUBLIC), now or for functions made later.
ALTER DEFAULT PRIVILEGES IN SCHEMA partner_desk REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE CREATE ON SCHEMA partner_desk FROM PUBLIC;
-- Nothing of anyone's in `public` can stand in for what the program names (PostgreSQL 15
-- does this by itself for a new database; an older cluster's database may allow it).
DO $$
BEGIN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'only the owner of schema public may take CREATE on it from PUBLIC';
END $$;

-- True while the owner puts rows back as they were stored: the owner (or a superuser) with
-- partner_desk.restoring 'on' in its transaction. The setting alone, which any login may
-- set, makes nothing of it.
CREATE FUNCTION partner_desk.restoring() RETURNS boolean LANGUAGE sql STABLE
    SET search_path = partner_desk, pg_temp AS $$
    SELECT pg_catalog.current_setting('partner_desk.restoring', true) = 'on'
       AND pg_catalog.pg_has_role(current_user,
               (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'partner_desk'),
               'USAGE')
$$;

-- The write turn: a row lock only writers may take (see take_turn).
CREATE TABLE partner_desk.write_turn (
    id integer PRIMARY KEY CHECK (id = 1)
);
INSERT INTO partner_desk.write_turn (id) VALUES (1);
-- A write about one client locks its client's slot (the INN's hash): writes about
-- different clients go side by side, two about one client wait for each other.
CREATE TABLE partner_desk.client_turns (
    slot integer PRIMARY KEY CHECK (slot BETWEEN 0 AND 1023)
);
INSERT INTO partner_desk.client_turns (slot) SELECT pg_catalog.generate_series(0, 1023);

-- Takes the write turn for this transaction: the whole turn when `client` is null (no other
-- write runs meanwhile, as SQLite's BEGIN IMMEDIATE; it counts itself on `changes` now), or
-- the turn shared with writes about one client each and that client's slot (it counts
-- itself by count_write() as it commits). Waits at most lock_timeout.
CREATE FUNCTION partner_desk.take_turn(client text) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
BEGIN
    IF client IS NULL THEN
        PERFORM 1 FROM partner_desk.write_turn WHERE id = 1 FOR UPDATE;
        UPDATE partner_desk.changes SET seq = seq + 1 WHERE id = 1;
    ELSE
        PERFORM 1 FROM partner_desk.write_turn WHERE id = 1 FOR KEY SHARE;
        PERFORM 1 FROM partner_desk.client_turns
        WHERE slot = (pg_catalog.hashtext(client) & 1023) FOR UPDATE;
    END IF;
END $$;

-- Counts a write about one client, in the message that commits it.
CREATE FUNCTION partner_desk.count_write() RETURNS void LANGUAGE sql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
    UPDATE partner_desk.changes SET seq = seq + 1 WHERE id = 1;
$$;

-- The audit columns are the server's: who is the session's login, when its clock.
CREATE FUNCTION partner_desk.stamp_recorded() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF pg_catalog.current_setting('partner_desk.restoring', true) IS DISTINCT FROM 'on'
           OR NOT partner_desk.restoring() THEN
            NEW.recorded_by := session_user;
            NEW.recorded_at := pg_catalog.now();
        END IF;
    ELSIF (NEW.recorded_by, NEW.recorded_at) IS DISTINCT FROM (OLD.recorded_by, OLD.recorded_at) THEN
        RAISE EXCEPTION 'who recorded a row and when are never changed' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION partner_desk.stamp_corrected() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF NOT partner_desk.restoring() THEN
        NEW.corrected_by := session_user;
        NEW.corrected_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION partner_desk.stamp_created() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT partner_desk.restoring() THEN
            NEW.created_at := pg_catalog.now();
        END IF;
    ELSIF NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'when a partner was recorded is never changed' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION partner_desk.stamp_issued() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF NOT partner_desk.restoring() THEN
        NEW.issued_by := session_user;
        NEW.recorded_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION partner_desk.stamp_imported() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT partner_desk.restoring() THEN
            NEW.imported_by := session_user;
            NEW.imported_at := pg_catalog.now();
        END IF;
    ELSIF (NEW.imported_by, NEW.imported_at, NEW.kind, NEW.file, NEW.change_seq, NEW.high_water)
          IS DISTINCT FROM
          (OLD.imported_by, OLD.imported_at, OLD.kind, OLD.file, OLD.change_seq, OLD.high_water)
          AND NOT partner_desk.restoring() THEN
        RAISE EXCEPTION 'an import''s record is never changed' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER status_changes_stamped BEFORE INSERT ON partner_desk.status_changes
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER pin_events_stamped BEFORE INSERT ON partner_desk.pin_events
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER rate_versions_stamped BEFORE INSERT ON partner_desk.rate_versions
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER statement_events_stamped BEFORE INSERT ON partner_desk.statement_events
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER sales_stamped BEFORE INSERT OR UPDATE ON partner_desk.sales
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER pin_corrections_stamped BEFORE INSERT ON partner_desk.pin_corrections
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_corrected();
CREATE TRIGGER sale_corrections_stamped BEFORE INSERT ON partner_desk.sale_corrections
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_corrected();
CREATE TRIGGER partners_stamped BEFORE INSERT OR UPDATE ON partner_desk.partners
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_created();
CREATE TRIGGER issued_statements_stamped BEFORE INSERT ON partner_desk.issued_statements
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_issued();
CREATE TRIGGER imports_stamped BEFORE INSERT OR UPDATE ON partner_desk.imports
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_imported();

-- History stays as recorded: only the owner restoring rows may change or delete it.
CREATE OR REPLACE FUNCTION partner_desk.append_only() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF partner_desk.restoring() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
END $$;

-- An issued statement never changes, but for its reopening, once (reopen_statement).
CREATE OR REPLACE FUNCTION partner_desk.issued_statements_frozen() RETURNS trigger
    LANGUAGE plpgsql SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF partner_desk.restoring() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued statement is never deleted' USING ERRCODE = 'P0001';
    END IF;
    IF (NEW.id, NEW.number, NEW.partner_id, NEW.period_from, NEW.period_to, NEW.issued_on,
        NEW.json, NEW.sha256, NEW.lines, NEW.amount_kop, NEW.premium_kop, NEW.recorded_at,
        NEW.issued_by)
       IS DISTINCT FROM
       (OLD.id, OLD.number, OLD.partner_id, OLD.period_from, OLD.period_to, OLD.issued_on,
        OLD.json, OLD.sha256, OLD.lines, OLD.amount_kop, OLD.premium_kop, OLD.recorded_at,
        OLD.issued_by) THEN
        RAISE EXCEPTION 'an issued statement is never changed' USING ERRCODE = 'P0001';
    END IF;
    IF OLD.reopened_on IS NOT NULL
       AND (NEW.reopened_on, NEW.reopen_reason) IS DISTINCT FROM (OLD.reopened_on, OLD.reopen_reason) THEN
        RAISE EXCEPTION 'a reopened statement stays reopened; issue a new one' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;

-- Each issued statement is what its checksum says.
ALTER TABLE partner_desk.issued_statements ADD CONSTRAINT issued_statements_checksum
    CHECK (sha256 = pg_catalog.encode(pg_catalog.sha256(json), 'hex')) NOT VALID;

CREATE OR REPLACE FUNCTION partner_desk.lock_of(partner bigint, day date) RETURNS text
    LANGUAGE sql STABLE SET search_path = partner_desk, pg_temp AS $$
    SELECT i.number FROM partner_desk.issued_statements i
    WHERE i.reopened_on IS NULL AND i.partner_id = partner AND day BETWEEN i.period_from AND i.period_to
    LIMIT 1
$$;

-- The period lock, for every writer: no sale or return covered by an issued statement in
-- force may be added, changed in any column (its figures included: they stay those the
-- statement was issued with), re-dated into or out of its period, or deleted. The message
-- starts with "locked:", as SQLite's triggers say it; its number follows.
CREATE OR REPLACE FUNCTION partner_desk.sales_period_lock() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
DECLARE
    number text;
BEGIN
    IF partner_desk.restoring() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    number := partner_desk.lock_of(OLD.partner_id, OLD.date);
    IF number IS NOT NULL THEN
        RAISE EXCEPTION 'locked: %', number USING ERRCODE = 'P0001';
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

CREATE OR REPLACE FUNCTION partner_desk.sales_period_lock_new() RETURNS trigger
    LANGUAGE plpgsql SET search_path = partner_desk, pg_temp AS $$
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

-- A return, for every writer (the program decides it first, domain::lock::check_return): of
-- a recorded sale, not of a return, of its sale's partner, client, kind and facts, dated on
-- or after it, of no more than is left of it. The message says `return: RULE`, as the
-- file's trigger does. (Its date's period lock is sales_period_lock_new's.)
CREATE FUNCTION partner_desk.sales_return_check() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
DECLARE
    sale partner_desk.sales%ROWTYPE;
    returned bigint;
BEGIN
    -- Two returns of one sale wait for each other, so neither misses the other.
    SELECT * INTO sale FROM partner_desk.sales s WHERE s.id = NEW.return_of FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'return: no_such_sale' USING ERRCODE = 'P0001';
    END IF;
    IF sale.return_of IS NOT NULL THEN
        RAISE EXCEPTION 'return: return_of_return' USING ERRCODE = 'P0001';
    END IF;
    IF (sale.partner_id, sale.client_inn, sale.kind, sale.self_referred,
        sale.connected_by_partner, sale.used_in_work)
       IS DISTINCT FROM (NEW.partner_id, NEW.client_inn, NEW.kind, NEW.self_referred,
                         NEW.connected_by_partner, NEW.used_in_work) THEN
        RAISE EXCEPTION 'return: not_its_sale' USING ERRCODE = 'P0001';
    END IF;
    IF NEW.date < sale.date THEN
        RAISE EXCEPTION 'return: before_sale' USING ERRCODE = 'P0001';
    END IF;
    SELECT coalesce(sum(r.amount_kop), 0) INTO returned
    FROM partner_desk.sales r WHERE r.return_of = sale.id;
    IF sale.amount_kop - returned < NEW.amount_kop THEN
        RAISE EXCEPTION 'return: too_large' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sales_return_check BEFORE INSERT ON partner_desk.sales
    FOR EACH ROW WHEN (NEW.return_of IS NOT NULL)
    EXECUTE FUNCTION partner_desk.sales_return_check();

-- A pin changes only with its event: the event inserted makes the change, in the same
-- statement. 'pinned' makes the pin (its id is the event's), 'extended' moves its end,
-- 'released' ends it on the event's day; 'refused' changes nothing. The terms are the
-- regulation's (3 calendar months, an extension 3 more from the current end, an action only
-- while the pin is in force); the exclusion constraint on pins keeps two partners apart.
CREATE FUNCTION partner_desk.pin_event_applied() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    pin partner_desk.pins%ROWTYPE;
BEGIN
    IF NEW.event = 'pinned' THEN
        IF NEW.pin_id IS NOT NULL THEN
            RAISE EXCEPTION 'a new pin gets its id from the server' USING ERRCODE = '23514';
        END IF;
        IF NEW.ends_on IS DISTINCT FROM (NEW.on_date + interval '3 months')::date THEN
            RAISE EXCEPTION 'a pin is in force for 3 calendar months' USING ERRCODE = '23514';
        END IF;
        INSERT INTO partner_desk.pins (client_inn, partner_id, pinned_on, ends_on)
        VALUES (NEW.client_inn, NEW.partner_id, NEW.on_date, NEW.ends_on)
        RETURNING id INTO NEW.pin_id;
        RETURN NEW;
    END IF;
    IF NEW.event = 'refused' THEN
        IF NEW.pin_id IS NOT NULL OR NEW.holder_partner_id IS NULL THEN
            RAISE EXCEPTION 'a refusal names the holder and no pin' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END IF;
    SELECT * INTO pin FROM partner_desk.pins p WHERE p.id = NEW.pin_id FOR UPDATE;
    IF NOT FOUND OR pin.client_inn <> NEW.client_inn OR pin.partner_id <> NEW.partner_id THEN
        RAISE EXCEPTION 'no such pin of this client and partner' USING ERRCODE = '23503';
    END IF;
    IF NOT (pin.pinned_on <= NEW.on_date AND NEW.on_date < pin.ends_on) THEN
        RAISE EXCEPTION 'the pin is not in force on %', NEW.on_date USING ERRCODE = '23514';
    END IF;
    IF NEW.event = 'extended' THEN
        IF NEW.ends_on IS DISTINCT FROM (pin.ends_on + interval '3 months')::date THEN
            RAISE EXCEPTION 'an extension adds 3 calendar months to the current end'
                USING ERRCODE = '23514';
        END IF;
        UPDATE partner_desk.pins SET ends_on = NEW.ends_on, released_on = NULL WHERE id = pin.id;
    ELSE
        IF NEW.ends_on IS DISTINCT FROM NEW.on_date THEN
            RAISE EXCEPTION 'a released pin ends on the day of its release' USING ERRCODE = '23514';
        END IF;
        UPDATE partner_desk.pins SET ends_on = NEW.on_date, released_on = NEW.on_date
        WHERE id = pin.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pin_events_apply BEFORE INSERT ON partner_desk.pin_events
    FOR EACH ROW WHEN (pg_catalog.current_setting('partner_desk.restoring', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION partner_desk.pin_event_applied();
-- The owner restoring rows: the pins come as they were, not from their events.
CREATE FUNCTION partner_desk.restoring_only() RETURNS trigger LANGUAGE plpgsql
    SET search_path = partner_desk, pg_temp AS $$
BEGIN
    IF NOT partner_desk.restoring() THEN
        RAISE EXCEPTION 'only the owner restoring rows sets partner_desk.restoring'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pin_events_restored BEFORE INSERT ON partner_desk.pin_events
    FOR EACH ROW WHEN (pg_catalog.current_setting('partner_desk.restoring', true) = 'on')
    EXECUTE FUNCTION partner_desk.restoring_only();

-- Cancelling an event recorded by mistake (the last extension or release of a pin) puts
-- the pin's term back as the event before it left it.
CREATE FUNCTION partner_desk.pin_correction_applied() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    cancelled partner_desk.pin_events%ROWTYPE;
    before partner_desk.pin_events%ROWTYPE;
BEGIN
    IF pg_catalog.btrim(NEW.reason) = '' THEN
        RAISE EXCEPTION 'a cancellation says why' USING ERRCODE = '23514';
    END IF;
    SELECT * INTO cancelled FROM partner_desk.pin_events e WHERE e.id = NEW.pin_event_id;
    IF NOT FOUND OR cancelled.event NOT IN ('extended', 'released') OR EXISTS (
        SELECT 1 FROM partner_desk.pin_events e
        WHERE e.pin_id = cancelled.pin_id AND e.id > cancelled.id
          AND NOT EXISTS (SELECT 1 FROM partner_desk.pin_corrections c WHERE c.pin_event_id = e.id))
    THEN
        RAISE EXCEPTION 'only the last extension or release of a pin is cancelled'
            USING ERRCODE = '23514';
    END IF;
    SELECT * INTO before FROM partner_desk.pin_events e
    WHERE e.pin_id = cancelled.pin_id AND e.id < cancelled.id
      AND NOT EXISTS (SELECT 1 FROM partner_desk.pin_corrections c WHERE c.pin_event_id = e.id)
    ORDER BY e.id DESC LIMIT 1;
    IF NOT FOUND OR before.ends_on IS NULL THEN
        RAISE EXCEPTION 'nothing to put back' USING ERRCODE = '23514';
    END IF;
    UPDATE partner_desk.pins
    SET ends_on = before.ends_on,
        released_on = CASE WHEN before.event = 'released' THEN before.on_date END
    WHERE id = cancelled.pin_id;
    RETURN NEW;
END $$;
CREATE TRIGGER pin_corrections_apply BEFORE INSERT ON partner_desk.pin_corrections
    FOR EACH ROW WHEN (pg_catalog.current_setting('partner_desk.restoring', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION partner_desk.pin_correction_applied();
CREATE TRIGGER pin_corrections_restored BEFORE INSERT ON partner_desk.pin_corrections
    FOR EACH ROW WHEN (pg_catalog.current_setting('partner_desk.restoring', true) = 'on')
    EXECUTE FUNCTION partner_desk.restoring_only();

-- Issuing: the statement and its event, who and when the server's. Leads only.
CREATE FUNCTION partner_desk.issue_statement(number text, partner bigint, period_from date,
        period_to date, issued_on date, json bytea, sha256 text, lines bigint,
        amount_kop bigint, premium_kop bigint) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    id bigint;
BEGIN
    INSERT INTO partner_desk.issued_statements AS i (number, partner_id, period_from,
        period_to, issued_on, json, sha256, lines, amount_kop, premium_kop)
    VALUES (issue_statement.number, partner, issue_statement.period_from,
        issue_statement.period_to, issue_statement.issued_on, issue_statement.json,
        issue_statement.sha256, issue_statement.lines, issue_statement.amount_kop,
        issue_statement.premium_kop)
    RETURNING i.id INTO id;
    INSERT INTO partner_desk.statement_events (statement_id, event, on_date, reason)
    VALUES (id, 'issued', issue_statement.issued_on, '');
    RETURN id;
END $$;

-- Reopening: the statement's sales are no longer locked; the reason, who and when are
-- kept in its events. Leads only; a statement is reopened once.
CREATE FUNCTION partner_desk.reopen_statement(statement bigint, on_date date, reason text)
    RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
BEGIN
    IF reason IS NULL OR pg_catalog.btrim(reason) = '' THEN
        RAISE EXCEPTION 'a statement is reopened for a stated reason' USING ERRCODE = '23514';
    END IF;
    UPDATE partner_desk.issued_statements i
    SET reopened_on = reopen_statement.on_date, reopen_reason = pg_catalog.btrim(reason)
    WHERE i.id = statement AND i.reopened_on IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no issued statement % in force', statement USING ERRCODE = '23514';
    END IF;
    INSERT INTO partner_desk.statement_events (statement_id, event, on_date, reason)
    VALUES (statement, 'reopened', reopen_statement.on_date, pg_catalog.btrim(reason));
END $$;

-- Imports. The data tables an import may write, children after parents.
CREATE FUNCTION partner_desk.import_tables() RETURNS text[] LANGUAGE sql IMMUTABLE
    SET search_path = partner_desk, pg_temp AS $$
    SELECT ARRAY['partners', 'partner_requisites', 'specialists', 'status_changes', 'clients',
        'pins', 'pin_events', 'pin_corrections', 'rate_versions', 'sales', 'sale_corrections',
        'issued_statements', 'statement_events', 'payments']
$$;

-- Starts recording an import in this transaction: where each table stands (rows above
-- are the import's), the write it is; only the newest import keeps what undoes it.
CREATE FUNCTION partner_desk.begin_import(kind text, file text)
    RETURNS TABLE (id bigint, high_water text) LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    marks jsonb := '{}';
    t text;
    top bigint;
BEGIN
    FOREACH t IN ARRAY partner_desk.import_tables() LOOP
        EXECUTE pg_catalog.format('SELECT coalesce(max(id), 0) FROM partner_desk.%I', t) INTO top;
        marks := marks || pg_catalog.jsonb_build_object(t, top);
    END LOOP;
    DELETE FROM partner_desk.import_undo;
    INSERT INTO partner_desk.imports AS i (kind, file, change_seq, high_water)
    VALUES (begin_import.kind, begin_import.file,
            (SELECT c.seq FROM partner_desk.changes c WHERE c.id = 1), marks::text)
    RETURNING i.id, i.high_water INTO id, high_water;
    PERFORM pg_catalog.set_config('partner_desk.import', id::text, true);
    RETURN NEXT;
END $$;

-- True when import `import` is being recorded by this very transaction.
CREATE FUNCTION partner_desk.import_of_this_transaction(import bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = partner_desk, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM partner_desk.imports i
                   WHERE i.id = import AND i.undone_at IS NULL
                     AND i.xmin = pg_catalog.xid(pg_catalog.pg_current_xact_id()))
$$;

-- Ends the recording of the import this transaction began: it wrote what `summary` says.
CREATE FUNCTION partner_desk.end_import(import bigint, summary text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
BEGIN
    IF NOT partner_desk.import_of_this_transaction(import) THEN
        RAISE EXCEPTION 'import % is not this transaction''s', import USING ERRCODE = '42501';
    END IF;
    PERFORM pg_catalog.set_config('partner_desk.import', '', true);
    UPDATE partner_desk.imports i SET summary = end_import.summary WHERE i.id = import;
END $$;

-- While the import's own transaction runs, every row of a data table that it changes or
-- deletes and that was there before the import is kept as it was. A transaction that names
-- an import it is not recording (the setting is anyone's) has nothing kept.
CREATE OR REPLACE FUNCTION partner_desk.log_for_undo() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    import bigint := NULLIF(pg_catalog.current_setting('partner_desk.import', true), '')::bigint;
    high bigint;
BEGIN
    IF import IS NULL OR NOT partner_desk.import_of_this_transaction(import) THEN
        RETURN NULL;
    END IF;
    SELECT (i.high_water::jsonb ->> TG_TABLE_NAME)::bigint INTO high
    FROM partner_desk.imports i WHERE i.id = import;
    IF high IS NOT NULL AND OLD.id <= high THEN
        INSERT INTO partner_desk.import_undo (import_id, tbl, old)
        VALUES (import, TG_TABLE_NAME, pg_catalog.to_jsonb(OLD));
    END IF;
    RETURN NULL;
END $$;

-- Undoes the newest import exactly, if nothing has been written since (this undo being the
-- next write) and every row it would touch is still as that import's transaction left it:
-- the rows it changed put back as they were, newest first, then the rows it added
-- deleted, children before parents. Runs as the owner (history may be deleted only here).
DROP FUNCTION partner_desk.undo_import(bigint);
CREATE FUNCTION partner_desk.undo_import(import bigint) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    rec partner_desk.imports%ROWTYPE;
    made xid;
    marks jsonb;
    logged record;
    cols text;
    t text;
    n bigint;
    touched boolean;
BEGIN
    SELECT * INTO rec FROM partner_desk.imports i ORDER BY i.id DESC LIMIT 1 FOR UPDATE;
    IF NOT FOUND OR rec.id <> import OR rec.undone_at IS NOT NULL
       OR rec.change_seq + 1 <> (SELECT c.seq FROM partner_desk.changes c WHERE c.id = 1) THEN
        RAISE EXCEPTION 'import % cannot be undone: it is not the newest, or something was written since', import
            USING ERRCODE = '55000';
    END IF;
    SELECT i.xmin INTO made FROM partner_desk.imports i WHERE i.id = import;
    marks := rec.high_water::jsonb;
    FOREACH t IN ARRAY partner_desk.import_tables() LOOP
        IF NOT marks ? t THEN
            RAISE EXCEPTION 'import % has no mark for %', import, t USING ERRCODE = '55000';
        END IF;
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM partner_desk.%I x
                                   WHERE x.id > $1 AND NOT x.xmin = $2)', t)
            INTO touched USING (marks ->> t)::bigint, made;
        IF touched THEN
            RAISE EXCEPTION 'import % cannot be undone: % was written since', import, t
                USING ERRCODE = '55000';
        END IF;
    END LOOP;
    FOR logged IN SELECT * FROM partner_desk.import_undo u WHERE u.import_id = import LOOP
        IF NOT logged.tbl = ANY (partner_desk.import_tables()) THEN
            RAISE EXCEPTION 'the undo log names %', logged.tbl USING ERRCODE = '55000';
        END IF;
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM partner_desk.%I x
                                   WHERE x.id = ($1 ->> ''id'')::bigint AND NOT x.xmin = $2)',
                                  logged.tbl)
            INTO touched USING logged.old, made;
        IF touched THEN
            RAISE EXCEPTION 'import % cannot be undone: % was written since', import, logged.tbl
                USING ERRCODE = '55000';
        END IF;
    END LOOP;
    PERFORM pg_catalog.set_config('partner_desk.import', '', true);
    PERFORM pg_catalog.set_config('partner_desk.restoring', 'on', true);
    FOR logged IN SELECT * FROM partner_desk.import_undo u WHERE u.import_id = import
                  ORDER BY u.seq DESC LOOP
        SELECT pg_catalog.string_agg(pg_catalog.format('%I', c.column_name), ', '
                                     ORDER BY c.ordinal_position) INTO cols
        FROM information_schema.columns c
        WHERE c.table_schema = 'partner_desk' AND c.table_name = logged.tbl
          AND c.column_name <> 'id';
        EXECUTE pg_catalog.format('UPDATE partner_desk.%I SET (%s) =
                                   (SELECT %s FROM pg_catalog.jsonb_populate_record(NULL::partner_desk.%I, $1))
                                   WHERE id = ($1 ->> ''id'')::bigint', logged.tbl, cols, cols, logged.tbl)
            USING logged.old;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            EXECUTE pg_catalog.format('INSERT INTO partner_desk.%I OVERRIDING SYSTEM VALUE
                                       SELECT * FROM pg_catalog.jsonb_populate_record(NULL::partner_desk.%I, $1)',
                                      logged.tbl, logged.tbl)
                USING logged.old;
        END IF;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['payments', 'statement_events', 'issued_statements', 'sale_corrections', 'sales',
        'pin_corrections', 'pin_events', 'pins', 'status_changes', 'specialists', 'rate_versions',
        'clients', 'partner_requisites', 'partners']
    LOOP
        EXECUTE pg_catalog.format('DELETE FROM partner_desk.%I WHERE id > $1', t)
            USING (marks ->> t)::bigint;
    END LOOP;
    DELETE FROM partner_desk.import_undo u WHERE u.import_id = import;
    UPDATE partner_desk.imports i SET undone_at = pg_catalog.now() WHERE i.id = import;
    PERFORM pg_catalog.set_config('partner_desk.restoring', 'off', true);
END $$;

-- Requisites: our organisation's (one row) and each partner's, with its contract and VAT
-- (`vat`: '' not stated, `none` not liable, or the rate typed). Texts not given are ''.
-- Managers keep them (they prepare the payment files); the program checks every field
-- (domain::requisites) before it writes.
CREATE TABLE partner_desk.organisation (
    id              bigint PRIMARY KEY CHECK (id = 1),
    full_name       text NOT NULL DEFAULT '',
    inn             text NOT NULL DEFAULT '',
    kpp             text NOT NULL DEFAULT '',
    ogrn            text NOT NULL DEFAULT '',
    address         text NOT NULL DEFAULT '',
    bank_name       text NOT NULL DEFAULT '',
    bik             text NOT NULL DEFAULT '',
    account         text NOT NULL DEFAULT '',
    corr_account    text NOT NULL DEFAULT '',
    signer_position text NOT NULL DEFAULT '',
    signer_name     text NOT NULL DEFAULT '',
    accountant      text NOT NULL DEFAULT ''
);

CREATE TABLE partner_desk.partner_requisites (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id      bigint NOT NULL UNIQUE REFERENCES partner_desk.partners (id),
    full_name       text NOT NULL DEFAULT '',
    kpp             text NOT NULL DEFAULT '',
    ogrn            text NOT NULL DEFAULT '',
    address         text NOT NULL DEFAULT '',
    bank_name       text NOT NULL DEFAULT '',
    bik             text NOT NULL DEFAULT '',
    account         text NOT NULL DEFAULT '',
    corr_account    text NOT NULL DEFAULT '',
    signer_position text NOT NULL DEFAULT '',
    signer_name     text NOT NULL DEFAULT '',
    accountant      text NOT NULL DEFAULT '',
    contract_no     text NOT NULL DEFAULT '',
    contract_date   date,
    vat             text NOT NULL DEFAULT ''
);
-- Payments of issued statements: by hand or from a bank statement (`bank_ref` names the
-- bank's document, so that a statement imported again adds nothing). Leads record them;
-- a payment is never changed or deleted: it is undone by a row that `cancels` it with the
-- opposite amount. Who recorded it and when are the server's.
CREATE TABLE partner_desk.payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    statement_id bigint NOT NULL REFERENCES partner_desk.issued_statements (id),
    on_date      date NOT NULL,
    amount_kop   bigint NOT NULL CHECK (amount_kop <> 0),
    doc          text NOT NULL DEFAULT '',
    source       text NOT NULL CHECK (source IN ('hand', 'bank', 'netting', 'undo')),
    bank_ref     text NOT NULL DEFAULT '',
    cancels      bigint UNIQUE REFERENCES partner_desk.payments (id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    recorded_by  text NOT NULL DEFAULT session_user
);
CREATE INDEX payments_statement ON partner_desk.payments (statement_id);
CREATE INDEX payments_bank_ref ON partner_desk.payments (bank_ref) WHERE bank_ref <> '';
CREATE TRIGGER payments_stamped BEFORE INSERT ON partner_desk.payments
    FOR EACH ROW EXECUTE FUNCTION partner_desk.stamp_recorded();
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON partner_desk.payments
    FOR EACH ROW EXECUTE FUNCTION partner_desk.append_only('payments are never changed; undo one with a cancelling row');
CREATE TRIGGER payments_log_for_undo AFTER UPDATE OR DELETE ON partner_desk.payments
    FOR EACH ROW EXECUTE FUNCTION partner_desk.log_for_undo();

CREATE TRIGGER partner_requisites_log_for_undo AFTER UPDATE OR DELETE
    ON partner_desk.partner_requisites
    FOR EACH ROW EXECUTE FUNCTION partner_desk.log_for_undo();

-- Who may do what. Every right is taken back first and given again here, table by table
-- and column by column: what is not granted below, no login may do.
REVOKE ALL ON ALL TABLES IN SCHEMA partner_desk
    FROM PUBLIC, partner_desk_auditor, partner_desk_manager, partner_desk_lead;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA partner_desk
    FROM PUBLIC, partner_desk_auditor, partner_desk_manager, partner_desk_lead;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA partner_desk
    FROM PUBLIC, partner_desk_auditor, partner_desk_manager, partner_desk_lead;

-- Auditors read; the functions the rules' triggers call run for everyone who writes.
GRANT USAGE ON SCHEMA partner_desk TO partner_desk_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA partner_desk TO partner_desk_auditor;
GRANT EXECUTE ON FUNCTION partner_desk.restoring(), partner_desk.lock_of(bigint, date),
    partner_desk.import_tables(), partner_desk.import_of_this_transaction(bigint)
    TO partner_desk_auditor;

-- Managers: the write turn, what they record, their imports. Ids and the audit columns are
-- the server's (a value sent for those is replaced by the triggers above).
GRANT EXECUTE ON FUNCTION partner_desk.take_turn(text), partner_desk.count_write(),
    partner_desk.begin_import(text, text), partner_desk.end_import(bigint, text),
    partner_desk.undo_import(bigint)
    TO partner_desk_manager;
GRANT INSERT (inn, name, one_c_partner, site_page_url, site_checked_on, initiates_meetings,
              offers_upgrades, clients_use_service, created_at),
      UPDATE (name, one_c_partner, site_page_url, site_checked_on, initiates_meetings,
              offers_upgrades, clients_use_service)
    ON partner_desk.partners TO partner_desk_manager;
GRANT INSERT (partner_id, name, certified_on), DELETE
    ON partner_desk.specialists TO partner_desk_manager;
GRANT INSERT (id, full_name, inn, kpp, ogrn, address, bank_name, bik, account, corr_account,
              signer_position, signer_name, accountant),
      UPDATE (full_name, inn, kpp, ogrn, address, bank_name, bik, account, corr_account,
              signer_position, signer_name, accountant)
    ON partner_desk.organisation TO partner_desk_manager;
GRANT INSERT (partner_id, full_name, kpp, ogrn, address, bank_name, bik, account, corr_account,
              signer_position, signer_name, accountant, contract_no, contract_date, vat),
      UPDATE (full_name, kpp, ogrn, address, bank_name, bik, account, corr_account,
              signer_position, signer_name, accountant, contract_no, contract_date, vat)
    ON partner_desk.partner_requisites TO partner_desk_manager;
GRANT INSERT (partner_id, effective_from, status, note, recorded_at, recorded_by)
    ON partner_desk.status_changes TO partner_desk_manager;
GRANT INSERT (inn, name), UPDATE (name) ON partner_desk.clients TO partner_desk_manager;
GRANT INSERT (pin_id, client_inn, partner_id, event, on_date, ends_on, holder_partner_id,
              agreed_by, note, recorded_at, recorded_by)
    ON partner_desk.pin_events TO partner_desk_manager;
GRANT INSERT (pin_event_id, corrected_at, corrected_by, reason)
    ON partner_desk.pin_corrections TO partner_desk_manager;
GRANT INSERT (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
              connected_by_partner, used_in_work, return_of, recorded_at, recorded_by,
              premium_kop, rate_pct, reason, status, one_c_terms),
      UPDATE (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
              connected_by_partner, used_in_work, premium_kop, rate_pct, reason, status,
              one_c_terms),
      DELETE
    ON partner_desk.sales TO partner_desk_manager;
GRANT INSERT (sale_id, corrected_at, corrected_by, action, before, after)
    ON partner_desk.sale_corrections TO partner_desk_manager;
GRANT INSERT (layout, kind, columns, saved_at), UPDATE (kind, columns, saved_at)
    ON partner_desk.import_layouts TO partner_desk_manager;

-- Leads: rates, and statements through their functions.
GRANT EXECUTE ON FUNCTION partner_desk.issue_statement(text, bigint, date, date, date, bytea,
        text, bigint, bigint, bigint),
    partner_desk.reopen_statement(bigint, date, text)
    TO partner_desk_lead;
GRANT INSERT (effective_from, note, recorded_at, recorded_by)
    ON partner_desk.rate_versions TO partner_desk_lead;
GRANT INSERT ON partner_desk.rate_cells TO partner_desk_lead;
GRANT INSERT (statement_id, on_date, amount_kop, doc, source, bank_ref, cancels, recorded_at,
              recorded_by)
    ON partner_desk.payments TO partner_desk_lead;

-- A write left idle (a laptop asleep in the middle of one, a psql session left open) holds
-- nobody up for more than a minute, whatever program made it; nobody waits forever for a
-- lock. The program's connections set the same (src/store/postgres/mod.rs); this is for
-- every other. Only the database's owner may set it.
DO $$
BEGIN
    EXECUTE pg_catalog.format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = ''60s''',
                              pg_catalog.current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'only the database''s owner may set its idle_in_transaction_session_timeout';
END $$;
