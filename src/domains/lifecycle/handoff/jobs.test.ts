import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { allWorkers } from '../../../workers.ts';
import { SLA_QUEUE } from './jobs.ts';
import { makeLead, setRouting, userWithKey } from './test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(() => t.close());

describe('handoffWorkers', () => {
  it('registers the SLA check every minute', () => {
    const w = allWorkers({ db: t.db, dataDir: t.config.dataDir, log: pino({ level: 'silent' }) }).find((x) => x.queue === SLA_QUEUE);
    expect(w?.schedule).toBe('* * * * *');
  });

  it('flags an overdue lead when the SLA job runs on the queue', async () => {
    const rep = await userWithKey(t, 'sales');
    await setRouting(t, { mode: 'round_robin', pool: [rep.id] }, { salesReadyAcceptHours: 1 });
    const lead = await makeLead(t, { now: new Date(Date.now() - 2 * 3_600_000) });
    await t.jobs.send(SLA_QUEUE, {});
    const deadline = Date.now() + 20_000;
    let breachedAt: Date | null = null;
    while (!breachedAt && Date.now() < deadline) {
      breachedAt = (await t.database.pool.query('select breached_at from handoffs where id = $1', [lead.handoffId])).rows[0].breached_at;
      if (!breachedAt) await new Promise((r) => setTimeout(r, 200));
    }
    expect(breachedAt).not.toBeNull();
  });
});
