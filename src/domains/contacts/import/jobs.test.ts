import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { imports } from '../schema.ts';
import { IMPORT_DEAD_QUEUE, IMPORT_QUEUE } from './jobs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(() => t.close());

async function importRow(status: 'running' | 'completed') {
  const [row] = await t.db
    .insert(imports)
    .values({ objectType: 'contacts', status, filename: 'x.csv', filePath: '/nonexistent/x.csv', fileSize: 10, headers: ['email'] })
    .returning();
  return row!;
}

async function statusOf(id: number) {
  const { rows } = await t.database.pool.query('select status, error_message from imports where id = $1', [id]);
  return rows[0] as { status: string; error_message: string | null };
}

describe('importWorkers', () => {
  it('configures the import queue to survive a dead worker and long imports', async () => {
    const q = await t.jobs.boss!.getQueue(IMPORT_QUEUE);
    expect(q?.heartbeatSeconds).toBe(30);
    expect(q?.expireInSeconds).toBeGreaterThanOrEqual(3600);
    expect(q?.deadLetter).toBe(IMPORT_DEAD_QUEUE);
  });

  it('marks an import failed when its job exhausts its retries, with a reason the user can act on', async () => {
    const running = await importRow('running');
    await t.jobs.send(IMPORT_DEAD_QUEUE, { importId: running.id });
    for (let i = 0; i < 100 && (await statusOf(running.id)).status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 100));
    const s = await statusOf(running.id);
    expect(s.status).toBe('failed');
    expect(s.error_message).toMatch(/repeated errors/);
  });

  it('rejects turning a completed import into a failed one', async () => {
    const done = await importRow('completed');
    await t.jobs.send(IMPORT_DEAD_QUEUE, { importId: done.id });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await statusOf(done.id)).status).toBe('completed');
  });
});
