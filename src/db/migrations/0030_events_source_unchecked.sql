-- events.source_id is no longer a foreign key. Sources are never deleted (a source's key is revoked and its
-- events stay), so the ON DELETE CASCADE never ran, while the per-row check cost every event insert a lookup and a
-- FOR KEY SHARE lock of the same sources row: ~6-9 µs of PostgreSQL CPU per event, a fifth of writing an email
-- open or click (bench/click, docs/benchmarks.md). Every writer takes source_id from a sources row it just read
-- (ingest: the authenticated write key; email events: the internal "Email (revloop)" source).
-- events.contact_id keeps its foreign key (ON DELETE SET NULL): contacts are deleted and merged while events arrive.
ALTER TABLE "events" DROP CONSTRAINT IF EXISTS "events_source_id_fkey";
