-- Email link clicks: the email domain writes `Email Link Clicked`, but the default engagement rule "Clicked an
-- email" listened for `Email Clicked`, and the analytics touches only knew that name. Rename the event in the
-- default rule wherever it is still unchanged, and rebuild the email events' touches: drop the touches of the
-- email domain's events (clicks were stored as plain UTM touches without content item; opens, bounces,
-- unsubscribes and complaints are no longer touches) and reset the event watermark, so the next analytics.rollup
-- run is a full rebuild that re-reads every event with the new touch definition (paths and spans included).
UPDATE "score_models" m SET "rules" = (
  SELECT jsonb_agg(CASE WHEN x.r->>'id' = 'email-click' AND x.r->'match'->>'event' = 'Email Clicked'
                        THEN jsonb_set(x.r, '{match,event}', '"Email Link Clicked"') ELSE x.r END ORDER BY x.ord)
  FROM jsonb_array_elements(m."rules") WITH ORDINALITY AS x(r, ord)),
  "version" = m."version" + 1, "updated_at" = now()
WHERE m."kind" = 'engagement' AND jsonb_typeof(m."rules") = 'array'
  AND m."rules" @> '[{"id": "email-click", "match": {"event": "Email Clicked"}}]'::jsonb;
--> statement-breakpoint
DELETE FROM "analytics_touches" t
WHERE t."kind" IN ('utm', 'email_click')
  AND t."source_key" IN (SELECT 'e:' || e."id" FROM "events" e
                         WHERE e."type" = 'track' AND e."event" IN ('Email Link Clicked', 'Email Clicked', 'Email Opened', 'Email Unsubscribed', 'Email Bounced', 'Email Complained'));
--> statement-breakpoint
UPDATE "analytics_state" SET "events_received_at" = NULL;
