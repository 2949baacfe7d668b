// The sales library: published content searched by stage, type, format, topic, product, segment and words of
// the title (full text), with each item's readers and views, and — for a contact — what that contact already
// read (content_consumption) and which tracked links they were sent.
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { LibraryQuery, type ContactReading, type LibraryItem } from '../../contracts/content-sales.ts';
import { LIVE_STATUSES } from '../../contracts/content.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { contacts } from '../contacts/schema.ts';
import { contentConsumption, contentItems, contentUrls } from './schema.ts';
import { contentLinks } from './schema-intel.ts';

const WS = 1;
const WINDOW_DAYS = 90;

/** The address an item is shared at: its canonical URL, else its first exact URL, else its first URL. */
export async function itemUrls(db: Queryable, itemIds: number[]): Promise<Map<number, string>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .select({ itemId: contentUrls.itemId, url: contentUrls.url, canonical: contentUrls.canonical, kind: contentUrls.kind, id: contentUrls.id })
    .from(contentUrls)
    .where(inArray(contentUrls.itemId, itemIds))
    .orderBy(desc(contentUrls.canonical), sql`${contentUrls.kind} = 'exact' desc`, contentUrls.id);
  const out = new Map<number, string>();
  for (const r of rows) if (!out.has(r.itemId)) out.set(r.itemId, r.url);
  return out;
}

function offsetOf(raw: string | undefined): number {
  if (!raw) return 0;
  const m = /^[A-Za-z0-9_-]+$/.test(raw) ? /^o:(\d{1,7})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!m) throw new ValidationError('cursor: is not a cursor returned by this list; start again from the first page', [{ field: 'cursor', message: 'is not a cursor returned by this list' }]);
  return Number(m[1]);
}

export async function searchLibrary({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = LibraryQuery.parse(input ?? {});
  const offset = offsetOf(q.cursor);
  const live = sql.join(LIVE_STATUSES.map((s) => sql`${s}`), sql`, `);
  const conds: SQL[] = [eq(contentItems.workspaceId, WS), sql`${contentItems.status} in (${live})`];
  if (q.stage) conds.push(eq(contentItems.stage, q.stage));
  if (q.type) conds.push(eq(contentItems.type, q.type));
  if (q.format) conds.push(eq(contentItems.format, q.format));
  if (q.topic) conds.push(sql`${contentItems.topics} @> array[${q.topic}]::text[]`);
  if (q.product) conds.push(sql`${contentItems.products} @> array[${q.product}]::text[]`);
  if (q.segment) conds.push(sql`${contentItems.segments} @> array[${q.segment}]::text[]`);
  let rank: SQL = sql`0::real`;
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const tsq = sql`websearch_to_tsquery('english', ${q.q})`;
    conds.push(sql`(to_tsvector('english', ${contentItems.title}) @@ ${tsq} or ${contentItems.title} ilike ${like})`);
    rank = sql`ts_rank(to_tsvector('english', ${contentItems.title}), ${tsq}) + (${contentItems.title} ilike ${like})::int`;
  }
  const since = sql`now() - make_interval(days => ${WINDOW_DAYS})`;
  const rows = (
    await ctx.db.execute(sql`
      with page as (
        select content_items.id, content_items.title, content_items.stage, content_items.type, content_items.format, content_items.topics,
               content_items.products, content_items.segments, content_items.published_at,
               row_number() over (order by ${rank} desc, content_items.published_at desc nulls last, content_items.id desc) as n
        from (select * from content_items where ${and(...conds)}
              order by ${rank} desc, content_items.published_at desc nulls last, content_items.id desc
              limit ${q.limit + 1} offset ${offset}) content_items)
      -- readers and views only for the page's items
      select page.*, coalesce(c.readers, 0)::int as readers, coalesce(d.views, 0)::int as views
      from page
      left join lateral (select count(*) as readers from content_consumption cc where cc.item_id = page.id and cc.last_at >= ${since}) c on true
      left join lateral (select sum(views) as views from content_daily cd where cd.item_id = page.id and cd.day >= (${since})::date) d on true
      order by page.n`)
  ).rows as { id: number; title: string; stage: string; type: string; format: string; topics: string[]; products: string[]; segments: string[]; published_at: Date | string | null; readers: number; views: number }[];
  const pageRows = rows.slice(0, q.limit);
  const ids = pageRows.map((r) => r.id);
  const [urls, reads, [{ n }]] = await Promise.all([
    itemUrls(ctx.db, ids),
    q.contactId && ids.length
      ? ctx.db
          .select({ itemId: contentConsumption.itemId, views: contentConsumption.views, maxDepthPct: contentConsumption.maxDepthPct, lastAt: contentConsumption.lastAt })
          .from(contentConsumption)
          .where(and(eq(contentConsumption.contactId, q.contactId), inArray(contentConsumption.itemId, ids)))
      : Promise.resolve([]),
    ctx.db.execute(sql`select count(*)::int as n from (select 1 from content_items where ${and(...conds)} limit 10001) t`).then((r) => r.rows as [{ n: number }]),
  ]);
  const readMap = new Map(reads.map((r) => [r.itemId, r]));
  const items: LibraryItem[] = pageRows.map((r) => {
    const read = readMap.get(r.id);
    return {
      id: r.id,
      title: r.title,
      url: urls.get(r.id) ?? null,
      stage: r.stage,
      type: r.type,
      format: r.format,
      topics: r.topics,
      products: r.products,
      segments: r.segments,
      publishedAt: r.published_at === null ? null : new Date(r.published_at).toISOString(),
      readers: r.readers,
      views: r.views,
      contactRead: read ? { views: read.views, maxDepthPct: read.maxDepthPct, lastAt: read.lastAt.toISOString() } : null,
    };
  });
  return {
    items,
    nextCursor: rows.length > q.limit ? Buffer.from(`o:${offset + q.limit}`).toString('base64url') : null,
    total: { count: Math.min(n, 10_000), capped: n > 10_000 },
  };
}

/** What one contact read (newest first) and the tracked links they were sent. */
export async function contactReading({ ctx, contactId }: { ctx: Ctx; contactId: number }): Promise<ContactReading> {
  const [c] = await ctx.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, contactId), eq(contacts.workspaceId, WS)));
  if (!c) throw new NotFoundError('Contact', contactId);
  const [reads, links] = await Promise.all([
    ctx.db
      .select({
        id: contentItems.id,
        title: contentItems.title,
        stage: contentItems.stage,
        type: contentItems.type,
        format: contentItems.format,
        views: contentConsumption.views,
        maxDepthPct: contentConsumption.maxDepthPct,
        activeSeconds: contentConsumption.activeSeconds,
        firstAt: contentConsumption.firstAt,
        lastAt: contentConsumption.lastAt,
      })
      .from(contentConsumption)
      .innerJoin(contentItems, eq(contentItems.id, contentConsumption.itemId))
      .where(eq(contentConsumption.contactId, contactId))
      .orderBy(desc(contentConsumption.lastAt))
      .limit(200),
    ctx.db
      .select({
        id: contentLinks.id,
        itemId: contentLinks.itemId,
        title: contentItems.title,
        sentBy: contentLinks.createdByLabel,
        createdAt: contentLinks.createdAt,
        clicks: contentLinks.clicks,
        lastClickedAt: contentLinks.lastClickedAt,
      })
      .from(contentLinks)
      .innerJoin(contentItems, eq(contentItems.id, contentLinks.itemId))
      .where(eq(contentLinks.contactId, contactId))
      .orderBy(desc(contentLinks.createdAt), desc(contentLinks.id))
      .limit(100),
  ]);
  return {
    contactId,
    items: reads.map((r) => ({
      item: { id: r.id, title: r.title, stage: r.stage, type: r.type, format: r.format },
      views: r.views,
      maxDepthPct: r.maxDepthPct,
      activeSeconds: r.activeSeconds,
      firstAt: r.firstAt.toISOString(),
      lastAt: r.lastAt.toISOString(),
    })),
    links: links.map((l) => ({ ...l, createdAt: l.createdAt.toISOString(), lastClickedAt: l.lastClickedAt?.toISOString() ?? null })),
  };
}
