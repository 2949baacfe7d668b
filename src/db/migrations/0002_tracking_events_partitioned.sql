-- Tracking events: append-only, natively partitioned by month on received_at (the server's clock, so a
-- client with a wrong clock can never write into an old or far-future partition). Written by hand because
-- drizzle-kit cannot express partitioning; src/domains/tracking/events-table.ts describes the columns for
-- typed queries and is kept out of the schema barrel so drizzle-kit never manages this table.
-- messageId de-duplication lives in event_dedupe (0001): a unique index here would have to include received_at.
CREATE SEQUENCE IF NOT EXISTS "events_id_seq" AS bigint;
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigint NOT NULL DEFAULT nextval('events_id_seq'),
	"workspace_id" integer NOT NULL DEFAULT 1,
	"source_id" integer NOT NULL REFERENCES "sources"("id") ON DELETE CASCADE,
	"message_id" text NOT NULL,
	"type" text NOT NULL,
	"event" text,
	"contact_id" bigint REFERENCES "contacts"("id") ON DELETE SET NULL,
	"anonymous_id" text,
	"user_id" text,
	"group_id" text,
	"previous_id" text,
	"timestamp" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL DEFAULT now(),
	"sent_at" timestamp with time zone,
	"original_timestamp" timestamp with time zone,
	"properties" jsonb,
	"traits" jsonb,
	"context" jsonb,
	"integrations" jsonb,
	"ip" text,
	"user_agent" text,
	"page_url" text,
	"page_path" text,
	"page_referrer" text,
	"page_title" text,
	"utm_campaign" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_term" text,
	"utm_content" text,
	"is_bot" boolean NOT NULL DEFAULT false,
	PRIMARY KEY ("id", "received_at")
) PARTITION BY RANGE ("received_at");
--> statement-breakpoint
ALTER SEQUENCE "events_id_seq" OWNED BY "events"."id";
--> statement-breakpoint
-- Catches rows for a month whose partition does not exist yet (job not run): nothing is ever refused.
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;
--> statement-breakpoint
-- Contact timeline: newest first per contact.
CREATE INDEX "events_contact_time_idx" ON "events" ("contact_id", "timestamp" DESC, "id" DESC) WHERE "contact_id" IS NOT NULL;
--> statement-breakpoint
-- Funnels and event counts: per event name over time.
CREATE INDEX "events_workspace_event_time_idx" ON "events" ("workspace_id", "event", "timestamp");
--> statement-breakpoint
-- Live debugger / event list and per-source rates.
CREATE INDEX "events_source_received_idx" ON "events" ("source_id", "received_at" DESC, "id" DESC);
--> statement-breakpoint
-- All-events list, newest first.
CREATE INDEX "events_workspace_time_idx" ON "events" ("workspace_id", "timestamp" DESC, "id" DESC);
--> statement-breakpoint
-- Stitching back-fill: events not yet tied to a contact, by the id they carry (small: rows leave once resolved).
CREATE INDEX "events_unresolved_anon_idx" ON "events" ("workspace_id", "anonymous_id") WHERE "contact_id" IS NULL AND "anonymous_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "events_unresolved_user_idx" ON "events" ("workspace_id", "user_id") WHERE "contact_id" IS NULL AND "user_id" IS NOT NULL;
--> statement-breakpoint
-- Creates the monthly partitions from the current month to `months_ahead` months ahead (UTC). When the
-- default partition already holds rows of a month being created, they are moved into the new partition.
-- Returns the names of the partitions created. Called by this migration and the daily tracking job.
CREATE OR REPLACE FUNCTION revloop_ensure_event_partitions(months_ahead integer DEFAULT 3) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	m integer;
	start_at timestamptz;
	end_at timestamptz;
	part text;
BEGIN
	FOR m IN 0..months_ahead LOOP
		start_at := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m)) AT TIME ZONE 'UTC';
		end_at := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m + 1)) AT TIME ZONE 'UTC';
		part := 'events_' || to_char(start_at AT TIME ZONE 'UTC', 'YYYY_MM');
		IF to_regclass(part) IS NOT NULL THEN
			CONTINUE;
		END IF;
		IF EXISTS (SELECT 1 FROM events_default WHERE received_at >= start_at AND received_at < end_at) THEN
			EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS)', part);
			EXECUTE format(
				'WITH moved AS (DELETE FROM events_default WHERE received_at >= %L AND received_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
				start_at, end_at, part);
			EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, start_at, end_at);
		ELSE
			EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', part, start_at, end_at);
		END IF;
		RETURN NEXT part;
	END LOOP;
END;
$$;
--> statement-breakpoint
SELECT revloop_ensure_event_partitions(3);
