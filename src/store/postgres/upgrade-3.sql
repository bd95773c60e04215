-- Version 3: a statement with payments recorded on it is not reopened, whatever login asks.
-- Reopened, it would leave its payments without a statement in force, and a statement issued
-- again for the period would owe its premium a second time. The program says the same before
-- it asks (src/store/issued.rs); this is for every other writer.

SET LOCAL search_path = partner_desk, pg_temp;

UPDATE partner_desk.meta SET value = '3' WHERE key = 'schema_version';

-- The function keeps its owner, its grants and its settings; only its body changes.
CREATE OR REPLACE FUNCTION partner_desk.reopen_statement(statement bigint, on_date date, reason text)
    RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = partner_desk, pg_temp
    SET partner_desk.restoring = 'off' AS $$
DECLARE
    paid numeric;
BEGIN
    IF reason IS NULL OR pg_catalog.btrim(reason) = '' THEN
        RAISE EXCEPTION 'a statement is reopened for a stated reason' USING ERRCODE = '23514';
    END IF;
    -- The statement's row first, so that no payment is recorded on it meanwhile.
    PERFORM 1 FROM partner_desk.issued_statements i WHERE i.id = statement FOR UPDATE;
    SELECT coalesce(sum(p.amount_kop), 0) INTO paid
    FROM partner_desk.payments p WHERE p.statement_id = statement;
    IF paid <> 0 THEN
        RAISE EXCEPTION 'statement % is paid (% kopecks): a paid statement is not reopened',
            statement, paid USING ERRCODE = '23514';
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
