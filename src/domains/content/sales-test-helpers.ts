// Test data for the sales side of the content domain: items (with a URL), consumption rows, SMEs.
import { sql } from 'drizzle-orm';
import type { TestApp } from '../../../test/app.ts';
import { contentConsumption, contentItems, contentItemSmes, contentSmes, contentUrls } from './schema.ts';

let seq = 0;
type ItemFields = Partial<typeof contentItems.$inferInsert> & { url?: string | null };

/** A published item by default, with a canonical URL unless url is null. */
export async function makeItem(t: TestApp, f: ItemFields = {}) {
  const n = ++seq;
  const { url, ...fields } = f;
  const [row] = await t.db
    .insert(contentItems)
    .values({ title: `Item ${n} ${Date.now()}`, type: 'practical', stage: 'awareness', status: 'published', publishedAt: new Date(), ...fields })
    .returning();
  const u = url === undefined ? `https://site.example/blog/item-${n}-${Date.now()}` : url;
  if (u) await t.db.insert(contentUrls).values({ itemId: row!.id, url: u, normalized: u.replace(/^https?:\/\//, '').toLowerCase(), kind: 'exact', canonical: true });
  return { ...row!, url: u };
}

export async function makeContact(t: TestApp, email = `c${++seq}-${Date.now()}@acme.example`): Promise<number> {
  const res = await t.api('POST', '/contacts', { email });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as number;
}

export async function consumed(t: TestApp, itemId: number, contactId: number, f: { views?: number; depth?: number; daysAgo?: number } = {}) {
  const at = new Date(Date.now() - (f.daysAgo ?? 1) * 86_400_000);
  await t.db.insert(contentConsumption).values({ itemId, contactId, views: f.views ?? 1, reads: 1, maxDepthPct: f.depth ?? 50, activeSeconds: 30, firstAt: at, lastAt: at });
  await t.db.execute(sql`
    insert into content_daily (item_id, day, views, reads, depth_sum, active_seconds)
    values (${itemId}, ${at.toISOString().slice(0, 10)}::date, ${f.views ?? 1}, 1, ${f.depth ?? 50}, 30)
    on conflict (item_id, day) do update set views = content_daily.views + excluded.views, reads = content_daily.reads + 1, depth_sum = content_daily.depth_sum + excluded.depth_sum`);
}

export async function makeSme(t: TestApp, name: string, topics: string[], itemIds: number[] = []) {
  const [row] = await t.db.insert(contentSmes).values({ name, topics, title: 'Principal engineer' }).returning();
  for (const itemId of itemIds) await t.db.insert(contentItemSmes).values({ itemId, smeId: row!.id, role: 'interview' });
  return row!;
}
