-- The scoring worker LISTENs on revloop_scoring: every statement that adds rows to the scoring inbox (ingest,
-- identity stitching, merges) wakes it at commit, so an event is scored within milliseconds of its commit
-- instead of at the next poll. NOTIFY is transactional: a rolled-back insert wakes nobody.
CREATE OR REPLACE FUNCTION revloop_scoring_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_rows) THEN
		PERFORM pg_notify('revloop_scoring', '');
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER scoring_inbox_notify AFTER INSERT ON scoring_inbox
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION revloop_scoring_inbox_notify();
