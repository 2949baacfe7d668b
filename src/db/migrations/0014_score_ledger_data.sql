-- Data migration to the aggregated engagement ledger (score_ledger): the per-event rows of score_points are
-- summed per contact × model × rule with the same decay sum the rescore writes (relative to the latest
-- entry, with the model's half-life), and their events are marked as scored (score_seen), so nothing is
-- scored twice and no rescore is needed after the upgrade. score_points is dropped by the next migration.
INSERT INTO "score_ledger" ("contact_id", "model_id", "rule_id", "workspace_id", "times", "capped_times", "earned", "decay_sum", "first_at", "last_at")
SELECT "contact_id", "model_id", "rule_id", min("workspace_id"),
       count(*) FILTER (WHERE "points" <> 0), count(*) FILTER (WHERE "points" = 0), coalesce(sum("points"), 0),
       coalesce(sum("points" * CASE WHEN "hl" > 0 THEN power(0.5::float8, extract(epoch from ("last" - "occurred_at"))::float8 / 86400.0 / "hl") ELSE 1 END), 0),
       min("occurred_at"), max("occurred_at")
FROM (
  SELECT p.*, m."half_life_days" AS "hl", max(p."occurred_at") OVER (PARTITION BY p."contact_id", p."model_id", p."rule_id") AS "last"
  FROM "score_points" p JOIN "score_models" m ON m."id" = p."model_id"
) x
GROUP BY "contact_id", "model_id", "rule_id";
--> statement-breakpoint
INSERT INTO "score_seen" ("contact_id", "event_id")
SELECT DISTINCT "contact_id", "event_id" FROM "score_points" WHERE "event_id" IS NOT NULL
ON CONFLICT DO NOTHING;
