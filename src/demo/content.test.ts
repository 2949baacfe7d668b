import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor, type Ctx } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { rebuildDaily, refreshContentConsumption } from '../domains/content/consumption.ts';
import { loadDemo } from './index.ts';

const NOW = new Date('2026-11-01T12:00:00Z');
const cli = (t: TestApp): Ctx => ({ db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir });
async function q<T = Record<string, unknown>>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await t.db.execute(query)).rows as T[];
}

describe('demo content step', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.makeUser('admin');
    await loadDemo({ ctx: cli(t), input: { contacts: 600, seed: 'content', now: NOW } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has items in every buying stage and both types, live and in the workflow, with URLs', async () => {
    const cells = await q<{ stage: string; type: string }>(t, sql`select distinct stage, type from content_items where status in ('published', 'audited')`);
    expect(new Set(cells.map((c) => c.stage))).toEqual(new Set(['epiphany', 'awareness', 'interest', 'consideration', 'purchase', 'post_sale']));
    expect(new Set(cells.map((c) => c.type))).toEqual(new Set(['aspirational', 'practical']));
    const statuses = (await q<{ status: string }>(t, sql`select distinct status from content_items`)).map((r) => r.status);
    for (const s of ['idea', 'research', 'draft', 'review', 'scheduled', 'published', 'retired']) expect(statuses).toContain(s);
    const [noUrl] = await q<{ n: number }>(t, sql`select count(*)::int n from content_items i where not exists (select 1 from content_urls u where u.item_id = i.id)`);
    expect(noUrl!.n).toBe(0);
    const [{ n: smeLinks }] = await q<{ n: number }>(t, sql`select count(*)::int n from content_item_smes`);
    expect(smeLinks).toBeGreaterThan(10);
  });

  it('has consumption that is exactly what the product computes from the events', async () => {
    const before = await q(t, sql`select item_id, contact_id, views, reads, max_depth_pct, active_seconds from content_consumption order by 1, 2`);
    const daily = await q(t, sql`select item_id, day, views, anonymous_views, reads, depth_sum from content_daily order by 1, 2`);
    expect(before.length).toBeGreaterThan(50);
    expect(daily.some((d) => Number(d.anonymous_views) > 0)).toBe(true);
    const ids = (await q<{ id: string }>(t, sql`select distinct contact_id as id from events where contact_id is not null`)).map((r) => Number(r.id));
    await t.db.transaction(async (tx) => {
      await refreshContentConsumption(tx, 1, ids);
      await rebuildDaily(tx, 1, NOW);
    });
    expect(await q(t, sql`select item_id, contact_id, views, reads, max_depth_pct, active_seconds from content_consumption order by 1, 2`)).toEqual(before);
    expect(await q(t, sql`select item_id, day, views, anonymous_views, reads, depth_sum from content_daily order by 1, 2`)).toEqual(daily);
    // Readers have a buying stage inferred from the stages of the items they read.
    const stages = await q<{ stage: string }>(t, sql`select distinct stage from contact_buying_stages`);
    expect(stages.length).toBeGreaterThanOrEqual(3);
  });

  it('has ratings, field intel and a backlog, library and network with data', async () => {
    const [r] = await q<{ n: number; bad: number }>(t, sql`select count(*)::int n, count(*) filter (where rating not between 1 and 5)::int bad from content_ratings`);
    expect(r!.n).toBeGreaterThan(5);
    expect(r!.bad).toBe(0);
    const headers = await t.as('sales');
    const intel = (await t.api('GET', '/intel?limit=5', undefined, headers)).json();
    expect(intel.total.count).toBeGreaterThanOrEqual(24);
    expect((await t.api('GET', '/intel?open=false', undefined, headers)).json().items[0].idea.title).toMatch(/AI governance/);
    const backlog = (await t.api('GET', '/content/backlog', undefined, headers)).json();
    expect(backlog.topics.length).toBeGreaterThan(8);
    expect(backlog.topics[0].score).toBeGreaterThan(0);
    const lib = (await t.api('GET', '/library?stage=consideration', undefined, headers)).json();
    expect(lib.items.length).toBeGreaterThan(3);
    expect(lib.items.some((i: { readers: number }) => i.readers > 0)).toBe(true);
    const net = (await t.api('GET', '/content/network', undefined, headers)).json();
    expect(net.smes).toHaveLength(7);
  });
});
