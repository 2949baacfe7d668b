-- Campaign touches: events whose utm_campaign matches a campaign code (case-insensitive), by time.
CREATE INDEX IF NOT EXISTS "events_utm_campaign_idx" ON "events" ("workspace_id", lower("utm_campaign"), "timestamp") WHERE "utm_campaign" IS NOT NULL;
