-- Checks the server schema's own rules with plain SQL, as any writer would meet them.
\set ON_ERROR_STOP 1
BEGIN;
\i src/store/postgres/schema.sql
\i src/store/postgres/upgrade-2.sql
COMMIT;
SET search_path = partner_desk, public;

INSERT INTO partners (inn, name) VALUES ('7707083893', 'Альфа'), ('7736050003', 'Бета');
INSERT INTO clients (inn, name) VALUES ('500100732259', 'Клиент');
INSERT INTO pins (client_inn, partner_id, pinned_on, ends_on)
    VALUES ('500100732259', 1, '2025-01-10', '2025-04-10');

-- Another partner's pin on any day of the term is refused (23P01).
DO $$ BEGIN
    INSERT INTO pins (client_inn, partner_id, pinned_on, ends_on)
        VALUES ('500100732259', 2, '2025-04-09', '2025-07-09');
    RAISE EXCEPTION 'an overlapping pin of another partner was stored';
EXCEPTION WHEN exclusion_violation THEN NULL; END $$;
-- From the first day out of force it is allowed.
INSERT INTO pins (client_inn, partner_id, pinned_on, ends_on)
    VALUES ('500100732259', 2, '2025-04-10', '2025-07-10');
-- Extending the first into the second's term is refused.
DO $$ BEGIN
    UPDATE pins SET ends_on = '2025-05-01' WHERE id = 1;
    RAISE EXCEPTION 'an extension into another partner''s term was stored';
EXCEPTION WHEN exclusion_violation THEN NULL; END $$;

-- A statement issued locks its partner's period for every writer.
INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                   connected_by_partner, used_in_work, premium_kop)
    VALUES ('Р-1', '2025-02-01', 1, '500100732259', 'saas', 100000, false, true, true, 50000);
INSERT INTO issued_statements (number, partner_id, period_from, period_to, issued_on, json,
                               sha256, lines, amount_kop, premium_kop)
    VALUES ('2025-0001', 1, '2025-01-01', '2025-03-31', '2025-04-02', '\x7b7d',
            encode(sha256('\x7b7d'), 'hex'), 1,
            100000, 50000);
DO $$ BEGIN
    INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                       connected_by_partner, used_in_work, premium_kop)
        VALUES ('Р-2', '2025-03-01', 1, '500100732259', 'saas', 100000, false, true, true, 0);
    RAISE EXCEPTION 'a sale inside an issued period was stored';
EXCEPTION WHEN raise_exception THEN
    IF SQLERRM <> 'locked: 2025-0001' THEN RAISE; END IF;
END $$;
DO $$ BEGIN
    UPDATE sales SET date = '2025-04-15' WHERE doc = 'Р-1';
    RAISE EXCEPTION 'a sale was re-dated out of an issued period';
EXCEPTION WHEN raise_exception THEN NULL; END $$;
DO $$ BEGIN
    DELETE FROM sales WHERE doc = 'Р-1';
    RAISE EXCEPTION 'a sale of an issued period was deleted';
EXCEPTION WHEN raise_exception THEN NULL; END $$;
-- Nor may its figures change: they stay those the statement was issued with.
DO $$ BEGIN
    UPDATE sales SET premium_kop = 40000 WHERE doc = 'Р-1';
    RAISE EXCEPTION 'the figures of a sale of an issued period were changed';
EXCEPTION WHEN raise_exception THEN
    IF SQLERRM <> 'locked: 2025-0001' THEN RAISE; END IF;
END $$;
-- Another partner's sale in the same days is not locked.
INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                   connected_by_partner, used_in_work, premium_kop)
    VALUES ('Р-3', '2025-03-01', 2, '500100732259', 'its', 100000, false, true, true, 0);
-- A second statement in force over a day of the first is refused; after a reopening it is not.
DO $$ BEGIN
    INSERT INTO issued_statements (number, partner_id, period_from, period_to, issued_on,
                                   json, sha256, lines, amount_kop, premium_kop)
        VALUES ('2025-0002', 1, '2025-03-01', '2025-03-31', '2025-04-03', '\x7b7d',
                encode(sha256('\x7b7d'), 'hex'), 1, 0, 0);
    RAISE EXCEPTION 'two statements in force cover one day';
EXCEPTION WHEN exclusion_violation THEN NULL; END $$;
DO $$ BEGIN
    UPDATE issued_statements SET premium_kop = 1 WHERE number = '2025-0001';
    RAISE EXCEPTION 'an issued statement was changed';
EXCEPTION WHEN raise_exception THEN NULL; END $$;
UPDATE issued_statements SET reopened_on = '2025-04-05', reopen_reason = 'ошибка'
    WHERE number = '2025-0001';
INSERT INTO sales (doc, date, partner_id, client_inn, kind, amount_kop, self_referred,
                   connected_by_partner, used_in_work, premium_kop)
    VALUES ('Р-2', '2025-03-01', 1, '500100732259', 'saas', 100000, false, true, true, 0);

-- History is append-only even for the owner.
INSERT INTO pin_events (pin_id, client_inn, partner_id, event, on_date, ends_on)
    SELECT id, client_inn, partner_id, 'released', '2025-03-01', '2025-03-01' FROM pins
    WHERE partner_id = 1;
DO $$ BEGIN
    UPDATE pin_events SET note = 'x';
    RAISE EXCEPTION 'a pin event was changed';
EXCEPTION WHEN raise_exception THEN NULL; END $$;

-- A manager's login: records, but cannot change history, rates or the schema.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pd_check_manager') THEN
        CREATE ROLE pd_check_manager LOGIN IN ROLE partner_desk_manager;
    END IF;
END $$;
SET ROLE pd_check_manager;
SELECT take_turn(NULL);
INSERT INTO clients (inn, name) VALUES ('7707083893', 'Второй');
INSERT INTO pin_events (client_inn, partner_id, event, on_date, ends_on)
    VALUES ('7707083893', 2, 'pinned', '2025-04-10', '2025-07-10');
DO $$ BEGIN
    DELETE FROM pin_events;
    RAISE EXCEPTION 'a manager deleted history';
EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;
DO $$ BEGIN
    INSERT INTO rate_versions (effective_from) VALUES ('2026-01-01');
    RAISE EXCEPTION 'a manager changed the rates';
EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;
DO $$ BEGIN
    CREATE TABLE partner_desk.mine (x int);
    RAISE EXCEPTION 'a manager changed the schema';
EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;
RESET ROLE;
SELECT 'schema checks passed' AS result;
