// Exactly-once: a worker killed between claim and COMMIT (its connection terminated, as when the process
// dies) leaves no step run, no side effect and no moved enrolment; the next worker runs each step once.
// Two workers draining the same program in parallel never run a step twice.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { connect } from '../../db/client.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { runDue, runDueBatch } from './engine.ts';
import { activeProgram, makeContacts, q } from './test-helpers.ts';

let t: TestApp;
let ctx: Ctx;
let owner: number;
beforeAll(async () => {
  t = await createTestApp();
  ctx = await t.ctx('marketing');
  owner = (await t.makeUser('marketing')).id;
});
afterAll(() => t.close());

const steps = [
  { id: 'tag', type: 'update_property', key: 'touched', value: 'yes' },
  { id: 'ping', type: 'notify_owner', message: 'Nurture touch' },
  { id: 'w', type: 'wait', duration: { days: 1 } },
  { id: 'ping2', type: 'notify_owner', message: 'Nurture touch 2' },
];

async function notificationsPerContact(ids: number[]) {
  return q<{ link: string; n: number }>(t, `select link, count(*)::int as n from notifications where user_id = $1 and link = any($2) group by link`, [owner, ids.map((i) => `/contacts/${i}`)]);
}

describe('exactly once', () => {
  it('a worker killed before COMMIT leaves nothing; the restart runs each step once', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const ids = await makeContacts(t, 20, { tag, ownerId: owner });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps });
    // The doomed worker: its own connection, terminated from outside after it wrote everything but before COMMIT.
    const doomed = connect(t.database.url, { max: 1 });
    let claimedByDoomed = 0;
    await expect(
      runDueBatch({
        db: doomed.db,
        clock,
        worker: 'doomed',
        beforeCommit: async (tx, claimed) => {
          claimedByDoomed = claimed.length;
          const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
          await t.database.pool.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        },
      }),
    ).rejects.toThrow();
    await doomed.close().catch(() => undefined);
    expect(claimedByDoomed).toBe(20);
    expect(await q(t, 'select * from nurture_step_runs where program_id = $1', [p.id])).toEqual([]);
    expect(await notificationsPerContact(ids)).toEqual([]);
    expect((await q(t, `select count(*)::int as n from contacts where id = any($1) and properties ? 'touched'`, [ids]))[0].n).toBe(0);

    // The restarted worker runs everything, once.
    await runDue({ db: t.db, clock, worker: 'restarted' });
    clock.advanceDays(1);
    await runDue({ db: t.db, clock, worker: 'restarted' });
    const runs = await q(t, 'select enrolment_id, seq, step_id, worker from nurture_step_runs where program_id = $1', [p.id]);
    expect(runs.length).toBe(20 * 4);
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['restarted']));
    const n = await notificationsPerContact(ids);
    expect(n.length).toBe(20);
    expect(n.every((r) => r.n === 2)).toBe(true);
    expect((await q(t, `select count(*)::int as n from nurture_enrolments where program_id = $1 and status = 'completed'`, [p.id]))[0].n).toBe(20);
  });

  it('two workers in parallel (separate pools) run every step exactly once', async () => {
    const clock = new SimClock();
    const tag = randomUUID().slice(0, 8);
    const ids = await makeContacts(t, 300, { tag, ownerId: owner });
    const p = await activeProgram(ctx, clock, { entry: { property: { key: 'cohort', value: tag } }, steps });
    const w1 = connect(t.database.url, { max: 2 });
    const w2 = connect(t.database.url, { max: 2 });
    try {
      const drain = () => Promise.all([runDue({ db: w1.db, clock, worker: 'w1', batchSize: 25 }), runDue({ db: w2.db, clock, worker: 'w2', batchSize: 25 })]);
      const [a, b] = await drain();
      expect(a + b).toBe(300 * 3);
      clock.advanceDays(1);
      const [c, d] = await drain();
      expect(c + d).toBe(300);
    } finally {
      await w1.close();
      await w2.close();
    }
    const runs = await q(t, 'select enrolment_id, seq, worker from nurture_step_runs where program_id = $1', [p.id]);
    expect(runs.length).toBe(300 * 4);
    expect(new Set(runs.map((r) => `${r.enrolment_id}:${r.seq}`)).size).toBe(runs.length);
    const n = await notificationsPerContact(ids);
    expect(n.length).toBe(300);
    expect(n.every((r) => r.n === 2)).toBe(true);
    const byWorker = new Map<string, number>();
    for (const r of runs) byWorker.set(r.worker, (byWorker.get(r.worker) ?? 0) + 1);
    expect(byWorker.get('w1')! + byWorker.get('w2')!).toBe(1200);
  });
});
