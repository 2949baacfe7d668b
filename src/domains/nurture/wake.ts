// Waking waits for an event: a contact waiting in a wait_event step is looked at again only every
// EVENT_RECHECK_MS (5 minutes); the runner calls wakeWaiting on every pass so that an event recorded since its
// last pass makes the enrolment due at once (the executor then sees the event and moves it on). One statement:
// the events the active programs wait for (their definitions' wait_event steps), looked up by (workspace, event,
// timestamp) from `since`, joined to the enrolments waiting at that step for that contact. An event that arrives
// late (timestamp before `since`) is still found by the 5-minute recheck.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { Clock } from './clock.ts';

/** Makes due now every enrolment waiting for an event that happened (timestamp ≥ since and ≥ its wait start); returns how many. */
export async function wakeWaiting(opts: { db: Queryable; clock: Clock; since: Date }): Promise<number> {
  const now = opts.clock.now().toISOString();
  const { rows } = await opts.db.execute<{ n: number }>(sql`
    with waits as (
      select distinct p.workspace_id, v.program_id, v.version, s->>'id' as step_id, s->>'event' as event
      from nurture_programs p
      join nurture_program_versions v on v.program_id = p.id
      cross join lateral jsonb_array_elements(v.definition->'steps') s
      where p.status = 'active' and s->>'type' = 'wait_event'
    ), hits as (
      select w.program_id, w.version, w.step_id, ev.contact_id, max(ev.timestamp) as at
      from waits w
      join events ev on ev.workspace_id = w.workspace_id and ev.event = w.event and ev.timestamp >= ${opts.since.toISOString()}::timestamptz
      where ev.contact_id is not null
      group by 1, 2, 3, 4
    ), woken as (
      update nurture_enrolments e set next_run_at = ${now}::timestamptz
      from hits h
      where e.contact_id = h.contact_id and e.program_id = h.program_id and e.version = h.version and e.step_id = h.step_id
        and e.status = 'active' and e.wait_since is not null and h.at >= e.wait_since and e.next_run_at > ${now}::timestamptz
      returning 1
    )
    select count(*)::int as n from woken`);
  return rows[0]?.n ?? 0;
}
