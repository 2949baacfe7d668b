import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('events partitions', () => {
  it('has monthly partitions ahead and a default partition', async () => {
    const res = await t.db.execute(sql`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass order by 1`);
    const names = res.rows.map((r) => String(r.relname));
    expect(names).toContain('events_default');
    expect(names.filter((n) => /^events_\d{4}_\d{2}$/.test(n)).length).toBeGreaterThanOrEqual(4);
  });
});
