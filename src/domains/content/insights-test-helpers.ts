// Shared by the content insights tests: items, consumption, transitions and deals written straight to the
// tables (the insights only read them), so each test builds exactly the history it checks.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TestApp } from '../../../test/app.ts';
import type { ContentStage, ContentStatus, ContentType } from '../../contracts/content.ts';

const pgArray = (a: string[] = []) => `{${a.join(',')}}`;

export const uniq = (p: string) => `${p}-${randomUUID().slice(0, 8)}`;

export async function makeItem(
  t: TestApp,
  f: { title?: string; stage?: ContentStage; type?: ContentType; status?: ContentStatus; segments?: string[]; topics?: string[]; products?: string[]; publishedDaysAgo?: number; updatedDaysAgo?: number; url?: string } = {},
): Promise<number> {
  const pub = f.publishedDaysAgo ?? 30;
  const r = await t.db.execute(sql`
    insert into content_items (title, type, stage, status, segments, topics, products, published_at, created_at, updated_at)
    values (${f.title ?? uniq('Item')}, ${f.type ?? 'practical'}, ${f.stage ?? 'awareness'}, ${f.status ?? 'published'},
            ${pgArray(f.segments)}::text[], ${pgArray(f.topics)}::text[], ${pgArray(f.products)}::text[],
            now() - make_interval(days => ${pub}), now() - make_interval(days => ${pub + 5}), now() - make_interval(days => ${f.updatedDaysAgo ?? pub}))
    returning id`);
  const id = Number((r.rows[0] as { id: number }).id);
  if (f.url) {
    const u = new URL(f.url);
    await t.db.execute(sql`insert into content_urls (item_id, url, normalized, kind, canonical) values (${id}, ${f.url}, ${u.host.replace(/^www\./, '') + u.pathname.replace(/\/$/, '')}, 'exact', true)`);
  }
  return id;
}

export async function makeContact(t: TestApp, stage = 'lead'): Promise<number> {
  const r = await t.db.execute(sql`insert into contacts (email, lifecycle_stage) values (${uniq('c') + '@example.test'}, ${stage}) returning id`);
  return Number((r.rows[0] as { id: number }).id);
}

/** The contact read the item `daysAgo` days ago (first read) with the given depth. */
export async function consume(t: TestApp, itemId: number, contactId: number, o: { daysAgo?: number; views?: number; depth?: number } = {}) {
  await t.db.execute(sql`
    insert into content_consumption (item_id, contact_id, views, reads, max_depth_pct, active_seconds, first_at, last_at)
    values (${itemId}, ${contactId}, ${o.views ?? 1}, 1, ${o.depth ?? 50}, 30, now() - make_interval(days => ${o.daysAgo ?? 10}), now() - make_interval(days => ${o.daysAgo ?? 10}))`);
}

/** Per-day counters of every visitor: views and read sessions with their depth. */
export async function daily(t: TestApp, itemId: number, o: { daysAgo?: number; views: number; anonymousViews?: number; reads?: number; depthSum?: number }) {
  await t.db.execute(sql`
    insert into content_daily (item_id, day, views, anonymous_views, reads, depth_sum, active_seconds)
    values (${itemId}, (now() - make_interval(days => ${o.daysAgo ?? 1}))::date, ${o.views}, ${o.anonymousViews ?? 0}, ${o.reads ?? 0}, ${o.depthSum ?? 0}, 0)
    on conflict (item_id, day) do update set views = content_daily.views + excluded.views`);
}

export async function transition(t: TestApp, contactId: number, toStage: string, daysAgo: number) {
  await t.db.execute(sql`
    insert into lifecycle_transitions (contact_id, to_stage, cause, actor_type, actor_label, occurred_at)
    values (${contactId}, ${toStage}, 'manual', 'system', 'test', now() - make_interval(days => ${daysAgo}))`);
}

export async function deal(t: TestApp, contactIds: number[], amount: number, stage = 'intent'): Promise<number> {
  const r = await t.db.execute(sql`insert into deals (name, amount, stage) values (${uniq('Deal')}, ${amount}, ${stage}) returning id`);
  const id = Number((r.rows[0] as { id: number }).id);
  for (const c of contactIds) await t.db.execute(sql`insert into deal_contacts (deal_id, contact_id) values (${id}, ${c})`);
  return id;
}
