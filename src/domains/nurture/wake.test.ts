// wakeWaiting on a simulated clock: an event recorded for a contact waiting in a wait_event step makes it due at
// once, so the next run moves it on long before the 5-minute recheck; other contacts, other events and events
// from before the wait started wake nobody.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { runDue } from './engine.ts';
import { activeProgram, makeContacts, q } from './test-helpers.ts';
import { wakeWaiting } from './wake.ts';
import { makeSource } from '../tracking/test-helpers.ts';

let t: TestApp;
let ctx: Ctx;
let sourceId: number;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
  sourceId = (await makeSource(t)).id;
});
afterAll(() => t.close());

const track = (contactId: number, event: string, at: Date) =>
  t.database.pool.query(
    `insert into events (source_id, type, event, contact_id, anonymous_id, timestamp, received_at, message_id, properties, context)
     values ($4, 'track', $2, $1, 'anon', $3, $3, $5, '{}', '{}')`,
    [contactId, event, at, sourceId, randomUUID()],
  );

describe('wakeWaiting', () => {
  it('advances a contact promptly when the awaited event arrives, not the others', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const [a, b, c] = await makeContacts(t, 3, { tag });
    const ev = `Demo Requested ${tag}`;
    // c did the event before the program started: that does not count.
    await track(c!, ev, new Date(clock.now().getTime() - 60_000));
    const p = await activeProgram(ctx, clock, {
      entry: { property: { key: 'cohort', value: tag } },
      steps: [
        { id: 'await', type: 'wait_event', event: ev, timeout: { days: 3 } },
        { id: 'hot', type: 'update_property', key: 'path', value: 'hot' },
      ],
    });
    await runDue({ db: t.db, clock }); // all three start waiting; next look in 5 minutes
    const since = clock.now();
    clock.advance(20_000);
    await track(a!, ev, clock.now());
    await track(b!, `Something Else ${tag}`, clock.now());
    clock.advance(10_000);

    // Without waking, 30 seconds in, nothing is due.
    await runDue({ db: t.db, clock });
    expect((await q(t, `select count(*)::int as n from nurture_step_runs where program_id = $1`, [p.id]))[0].n).toBe(0);

    expect(await wakeWaiting({ db: t.db, clock, since })).toBe(1);
    expect(await wakeWaiting({ db: t.db, clock, since })).toBe(0); // already due: nothing to wake twice
    await runDue({ db: t.db, clock });
    const runs = await q(t, `select contact_id, step_id, outcome->>'happened' as happened, ran_at from nurture_step_runs where program_id = $1 order by contact_id, seq`, [p.id]);
    expect(runs.map((r) => [r.contact_id, r.step_id, r.happened])).toEqual([
      [a, 'await', 'true'],
      [a, 'hot', null],
    ]);
    expect(new Date(runs[0].ran_at).getTime() - since.getTime()).toBe(30_000);
    const waiting = await q(t, `select contact_id, step_id, next_run_at from nurture_enrolments where program_id = $1 and status = 'active' order by contact_id`, [p.id]);
    expect(waiting.map((w) => [w.contact_id, w.step_id])).toEqual([
      [b, 'await'],
      [c, 'await'],
    ]);
    expect(waiting.every((w) => new Date(w.next_run_at).getTime() - since.getTime() === 5 * 60_000)).toBe(true);
  });

  it('wakes nobody in a paused program', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const [a] = await makeContacts(t, 1, { tag });
    const ev = `Paused ${tag}`;
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps: [{ id: 'await', type: 'wait_event', event: ev, timeout: { days: 1 } }] });
    await runDue({ db: t.db, clock });
    await t.database.pool.query(`update nurture_programs set status = 'paused' where id = $1`, [p.id]);
    const since = clock.now();
    clock.advance(5_000);
    await track(a!, ev, clock.now());
    expect(await wakeWaiting({ db: t.db, clock, since })).toBe(0);
  });
});
