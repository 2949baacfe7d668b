// Reader ratings and feedback: the public verb behind POST /v1/content/rate (the embeddable widget,
// tracker/rating.js; authenticated by a source write key like /v1/*), and the ratings list of an item.
// A rating is tied to the contact through identity stitching (identities: userId first, then anonymousId);
// one rating per reader and item (rating again replaces it). Like tracked events, ratings are reader
// input, not a change by a user: they write no audit row.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, UnauthorizedError, ValidationError } from '../../errors.ts';
import { RateInput, RatingsQuery, type Rating } from '../../contracts/content-insights.ts';
import { sourceForWriteKey } from '../tracking/sources.ts';
import { loadMatcher } from './match.ts';

const WS = 1;

export interface RateRequest {
  body: Buffer | string | undefined;
  basicKey: string | null;
}

function parseBody(raw: Buffer | string | undefined): Record<string, unknown> {
  const text = raw === undefined ? '' : typeof raw === 'string' ? raw : raw.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AppError(400, 'invalid_json', text ? `Request body is not valid JSON (${(err as Error).message})` : 'Request body is empty; send a JSON object');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The item of a rating: by id (must exist and not be retired) or by the page URL through the URL rules. */
async function resolveItem(db: Db, input: RateInput): Promise<number> {
  if (input.itemId !== undefined) {
    const r = await db.execute(sql`select id from content_items where id = ${input.itemId} and workspace_id = ${WS} and status <> 'retired'`);
    if (!r.rows.length) throw new NotFoundError('Content item', input.itemId);
    return input.itemId;
  }
  const matcher = await loadMatcher(db, WS);
  const id = matcher.match({ url: input.url!.startsWith('/') ? null : input.url, path: input.url!.startsWith('/') ? input.url : null });
  if (id === null) throw new AppError(404, 'not_found', `No content item matches the URL ${input.url!.slice(0, 200)}`, { field: 'url' });
  return id;
}

export async function rateContent({ db, input }: { db: Db; input: RateRequest }): Promise<{ success: true; itemId: number; replaced: boolean }> {
  const obj = parseBody(input.body);
  const key = input.basicKey ?? (typeof obj.writeKey === 'string' && obj.writeKey ? obj.writeKey : null);
  if (!key) throw new UnauthorizedError('Send the source write key as the HTTP Basic user name (empty password) or as "writeKey" in the body');
  const source = await sourceForWriteKey(db, key);
  if (!source) throw new UnauthorizedError('Unknown or revoked write key');
  const data = RateInput.parse(obj);
  const itemId = await resolveItem(db, data);
  const readerKey = data.userId ? `u:${data.userId}` : `a:${data.anonymousId}`;
  const comment = data.comment ? data.comment : null;
  const res = await db.execute(sql`
    with who as (
      select contact_id from identities
      where workspace_id = ${WS} and ((kind = 'user' and value = ${data.userId ?? null}) or (kind = 'anonymous' and value = ${data.anonymousId ?? null}))
      order by (kind = 'user') desc limit 1
    )
    insert into content_ratings as r (workspace_id, item_id, reader_key, anonymous_id, user_id, contact_id, rating, comment, source_id, page_url)
    values (${WS}, ${itemId}, ${readerKey}, ${data.anonymousId ?? null}, ${data.userId ?? null}, (select contact_id from who), ${data.rating}, ${comment}, ${source.id}, ${data.url ?? null})
    on conflict (workspace_id, item_id, reader_key) do update set rating = excluded.rating, comment = excluded.comment,
      contact_id = coalesce(excluded.contact_id, r.contact_id), anonymous_id = coalesce(excluded.anonymous_id, r.anonymous_id),
      source_id = excluded.source_id, page_url = coalesce(excluded.page_url, r.page_url), updated_at = now()
    returning (xmax <> 0) as replaced`);
  return { success: true, itemId, replaced: Boolean((res.rows[0] as { replaced: boolean }).replaced) };
}

function cursorOf(raw: string | undefined): number | null {
  if (!raw) return null;
  const m = /^r:([1-9]\d{0,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m) throw new ValidationError('cursor: is not a cursor returned by this list; start again from the first page', [{ field: 'cursor', message: 'invalid cursor' }]);
  return Number(m[1]);
}

/** An item's ratings, newest first, with the summary (count, average, 1–5 distribution). */
export async function listRatings({ ctx, itemId, input }: { ctx: Pick<Ctx, 'db'>; itemId: number; input: unknown }) {
  const q = RatingsQuery.parse(input ?? {});
  const before = cursorOf(q.cursor);
  const exists = await ctx.db.execute(sql`select 1 from content_items where id = ${itemId} and workspace_id = ${WS}`);
  if (!exists.rows.length) throw new NotFoundError('Content item', itemId);
  const [rows, summary] = await Promise.all([
    ctx.db.execute(sql`
      select r.id, r.item_id, r.rating, r.comment, r.page_url, r.created_at, r.updated_at, c.id as contact_id, c.email
      from content_ratings r
      left join lateral (
        select coalesce(r.contact_id, (select i.contact_id from identities i where i.workspace_id = r.workspace_id
          and ((i.kind = 'user' and i.value = r.user_id) or (i.kind = 'anonymous' and i.value = r.anonymous_id)) order by (i.kind = 'user') desc limit 1)) as cid
      ) w on true
      left join contacts c on c.id = w.cid
      where r.item_id = ${itemId} ${before ? sql`and r.id < ${before}` : sql``}
      order by r.id desc limit ${q.limit + 1}`),
    ctx.db.execute(sql`select count(*)::int as n, avg(rating)::float8 as avg, array[count(*) filter (where rating = 1), count(*) filter (where rating = 2),
      count(*) filter (where rating = 3), count(*) filter (where rating = 4), count(*) filter (where rating = 5)]::int[] as dist
      from content_ratings where item_id = ${itemId}`),
  ]);
  type Row = { id: number; item_id: number; rating: number; comment: string | null; page_url: string | null; created_at: Date; updated_at: Date; contact_id: number | null; email: string | null };
  const all = rows.rows as Row[];
  const page = all.slice(0, q.limit);
  const s = summary.rows[0] as { n: number; avg: number | null; dist: number[] };
  const items: Rating[] = page.map((r) => ({
    id: Number(r.id),
    itemId: Number(r.item_id),
    rating: Number(r.rating),
    comment: r.comment,
    contact: r.contact_id == null ? null : { id: Number(r.contact_id), email: r.email },
    pageUrl: r.page_url,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
  return {
    items,
    nextCursor: all.length > q.limit ? Buffer.from(`r:${page[page.length - 1]!.id}`).toString('base64url') : null,
    summary: { count: s.n, average: s.avg == null ? null : Math.round(s.avg * 100) / 100, distribution: s.dist.map(Number) },
  };
}
