-- Event-driven segment membership: every change that can move a contact in or out of a segment queues the
-- contact in market_inbox in the SAME transaction (statement-level triggers with transition tables, one
-- inbox row per statement). The membership loop (src/domains/market/membership-loop.ts) drains it.
-- Nothing is queued while no segment is active (a new segment starts with a full rebuild).
CREATE OR REPLACE FUNCTION revloop_market_active() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM segments WHERE status = 'active')
$$;
--> statement-breakpoint
-- New events (ingest, stitching, merges all write a scoring_inbox row listing them): queue the event ids.
CREATE OR REPLACE FUNCTION revloop_market_from_scoring_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF revloop_market_active() THEN
    INSERT INTO market_inbox (workspace_id, event_ids, received_from, received_to)
    SELECT workspace_id, event_ids, received_from, received_to FROM new_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER market_scoring_inbox_insert AFTER INSERT ON scoring_inbox REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_from_scoring_inbox();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revloop_market_contacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF revloop_market_active() THEN
    INSERT INTO market_inbox (workspace_id, contact_ids)
    SELECT workspace_id, array_agg(id) FROM new_rows GROUP BY workspace_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER market_contacts_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_contacts_inserted();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revloop_market_contacts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF revloop_market_active() THEN
    INSERT INTO market_inbox (workspace_id, contact_ids)
    SELECT n.workspace_id, array_agg(n.id) FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.email, n.first_name, n.last_name, n.title, n.phone, n.source, n.lifecycle_stage, n.account_id, n.properties)
      IS DISTINCT FROM (o.email, o.first_name, o.last_name, o.title, o.phone, o.source, o.lifecycle_stage, o.account_id, o.properties)
    GROUP BY n.workspace_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER market_contacts_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_contacts_updated();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revloop_market_accounts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF revloop_market_active() THEN
    INSERT INTO market_inbox (workspace_id, contact_ids)
    SELECT c.workspace_id, array_agg(c.id)
    FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN contacts c ON c.account_id = n.id
    WHERE (n.name, n.domain, n.industry, n.employee_count, n.country, n.properties)
      IS DISTINCT FROM (o.name, o.domain, o.industry, o.employee_count, o.country, o.properties)
    GROUP BY c.workspace_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER market_accounts_update AFTER UPDATE ON accounts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_accounts_updated();
--> statement-breakpoint
-- Scores (fit grade, engagement) and buying stages: queue contacts whose value changed.
CREATE OR REPLACE FUNCTION revloop_market_scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF revloop_market_active() THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO market_inbox (workspace_id, contact_ids)
      SELECT 1, array_agg(DISTINCT contact_id) FROM new_rows HAVING count(*) > 0;
    ELSIF TG_TABLE_NAME = 'contact_scores' THEN
      INSERT INTO market_inbox (workspace_id, contact_ids)
      SELECT 1, array_agg(DISTINCT n.contact_id) FROM new_rows n JOIN old_rows o ON o.contact_id = n.contact_id AND o.model_id = n.model_id
      WHERE (n.score, n.grade) IS DISTINCT FROM (o.score, o.grade) HAVING count(*) > 0;
    ELSE
      INSERT INTO market_inbox (workspace_id, contact_ids)
      SELECT 1, array_agg(DISTINCT n.contact_id) FROM new_rows n JOIN old_rows o ON o.contact_id = n.contact_id
      WHERE n.stage IS DISTINCT FROM o.stage HAVING count(*) > 0;
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER market_contact_scores_insert AFTER INSERT ON contact_scores REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_scores_changed();
--> statement-breakpoint
CREATE TRIGGER market_contact_scores_update AFTER UPDATE ON contact_scores REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_scores_changed();
--> statement-breakpoint
CREATE TRIGGER market_buying_stages_insert AFTER INSERT ON contact_buying_stages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_scores_changed();
--> statement-breakpoint
CREATE TRIGGER market_buying_stages_update AFTER UPDATE ON contact_buying_stages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revloop_market_scores_changed();
