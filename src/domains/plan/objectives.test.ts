import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let ownerId: number;
beforeAll(async () => {
  t = await createTestApp();
  ownerId = (await t.makeUser('marketing')).id;
});
afterAll(() => t.close());

const post = async (url: string, body: unknown) => {
  const r = await t.api('POST', url, body);
  if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  return r.json();
};
const company = (extra: Record<string, unknown> = {}) => post('/objectives', { level: 'company', title: 'Grow revenue', ownerId, periodStart: '2026-01-01', periodEnd: '2026-12-31', ...extra });

describe('createObjective', () => {
  it('creates an objective, returns its page and audits it', async () => {
    const o = await company();
    expect(o.objective).toMatchObject({ level: 'company', title: 'Grow revenue', owner: { id: ownerId }, children: [], kpis: [] });
    expect(o.objective.smart.criteria.map((c: { key: string; ok: boolean }) => [c.key, c.ok])).toEqual([
      ['specific', false],
      ['measurable', false],
      ['time_bound', true],
      ['owned', true],
      ['relevant', true],
      ['target', false],
    ]);
    expect((await t.auditOf('objective', o.objective.id)).map((a) => a.action)).toEqual(['objective.created']);
  });
});
