// Field intel: sales post what they hear in the field ("what are you hearing from others?") tagged by topic,
// competitor and account; marketing reads trends per topic / competitor and turns an entry or a trend into
// a calendar idea (a content item in status idea), linked back to the entries it came from.
import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { IntelIdeaInput, IntelInput, IntelListQuery, IntelTrendQuery, TrendIdeaInput, type IntelEntry, type IntelTrend } from '../../contracts/content-sales.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { can } from '../identity/permissions.ts';
import { users } from '../identity/schema.ts';
import { accounts } from '../contacts/schema.ts';
import { contentItems } from './schema.ts';
import { fieldIntel } from './schema-intel.ts';
import { createIdeaInTx, titleFrom } from './ideas.ts';

const WS = 1;
type Row = typeof fieldIntel.$inferSelect;

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

async function toDtos(db: Queryable, rows: Row[]): Promise<IntelEntry[]> {
  if (!rows.length) return [];
  const uniq = <T>(xs: (T | null)[]) => [...new Set(xs.filter((x): x is T => x !== null))];
  const accIds = uniq(rows.map((r) => r.accountId));
  const userIds = uniq(rows.map((r) => r.postedBy));
  const itemIds = uniq(rows.map((r) => r.ideaItemId));
  const [accs, us, items] = await Promise.all([
    accIds.length ? db.select({ id: accounts.id, name: accounts.name, domain: accounts.domain }).from(accounts).where(inArray(accounts.id, accIds)) : [],
    userIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)) : [],
    itemIds.length ? db.select({ id: contentItems.id, title: contentItems.title, status: contentItems.status }).from(contentItems).where(inArray(contentItems.id, itemIds)) : [],
  ]);
  const a = new Map(accs.map((x) => [x.id, x]));
  const u = new Map(us.map((x) => [x.id, x]));
  const it = new Map(items.map((x) => [x.id, x]));
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    topics: r.topics,
    competitors: r.competitors,
    account: r.accountId === null ? null : (a.get(r.accountId) ?? null),
    heardOn: r.heardOn,
    postedBy: r.postedBy === null ? null : (u.get(r.postedBy) ?? null),
    idea: r.ideaItemId === null ? null : (it.get(r.ideaItemId) ?? null),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function postIntel({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<IntelEntry> {
  const v = IntelInput.parse(input);
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (v.heardOn && v.heardOn > tomorrow) throw fieldError('heardOn', 'is in the future');
  return withTransaction(ctx, async (tx) => {
    if (v.accountId != null) {
      const [acc] = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.id, v.accountId), eq(accounts.workspaceId, WS)));
      if (!acc) throw fieldError('accountId', `account ${v.accountId} does not exist`);
    }
    const [row] = await tx
      .insert(fieldIntel)
      .values({ workspaceId: WS, body: v.body, topics: v.topics, competitors: v.competitors, accountId: v.accountId ?? null, heardOn: v.heardOn ?? today, postedBy: ctx.actor.userId })
      .returning();
    const tags = [...v.topics, ...v.competitors.map((c) => `vs ${c}`)].join(', ');
    await recordAudit(tx, ctx.actor, {
      action: 'intel.posted',
      entityType: 'field_intel',
      entityId: row!.id,
      summary: `Field intel posted (${tags})`,
      changes: { body: v.body, topics: v.topics, competitors: v.competitors, accountId: v.accountId ?? null, heardOn: row!.heardOn },
    });
    return (await toDtos(tx, [row!]))[0]!;
  });
}

function cursorId(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^[A-Za-z0-9_-]+$/.test(raw) ? /^i:([1-9]\d{0,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!m) throw fieldError('cursor', 'is not a cursor returned by this list; start again from the first page');
  return Number(m[1]);
}

export async function listIntel({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = IntelListQuery.parse(input ?? {});
  const conds: SQL[] = [eq(fieldIntel.workspaceId, WS)];
  if (q.topic) conds.push(sql`${fieldIntel.topics} @> array[${q.topic}]::text[]`);
  if (q.competitor) conds.push(sql`${fieldIntel.competitors} @> array[${q.competitor}]::text[]`);
  if (q.accountId) conds.push(eq(fieldIntel.accountId, q.accountId));
  if (q.postedBy) conds.push(eq(fieldIntel.postedBy, q.postedBy));
  if (q.open === 'true') conds.push(isNull(fieldIntel.ideaItemId));
  if (q.open === 'false') conds.push(sql`${fieldIntel.ideaItemId} is not null`);
  if (q.ideaItemId) conds.push(eq(fieldIntel.ideaItemId, q.ideaItemId));
  if (q.q) conds.push(sql`${fieldIntel.body} ilike ${`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  const before = cursorId(q.cursor);
  const rows = await ctx.db
    .select()
    .from(fieldIntel)
    .where(and(...conds, before ? lt(fieldIntel.id, before) : undefined))
    .orderBy(desc(fieldIntel.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const [{ n }] = (await ctx.db.execute(sql`select count(*)::int as n from (select 1 from field_intel where ${and(...conds)} limit 10001) t`)).rows as [{ n: number }];
  return {
    items: await toDtos(ctx.db, pageRows),
    nextCursor: rows.length > q.limit ? Buffer.from(`i:${pageRows[pageRows.length - 1]!.id}`).toString('base64url') : null,
    total: { count: Math.min(n, 10_000), capped: n > 10_000 },
  };
}

/** Monday (UTC) of the week containing d, as YYYY-MM-DD. */
export function weekStart(d: Date): string {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
  return x.toISOString().slice(0, 10);
}

export async function intelTrends({ ctx, input, now = new Date() }: { ctx: Ctx; input: unknown; now?: Date }): Promise<IntelTrend> {
  const q = IntelTrendQuery.parse(input ?? {});
  const last = weekStart(now);
  const weeks: string[] = [];
  for (let i = q.weeks - 1; i >= 0; i--) weeks.push(new Date(Date.parse(`${last}T00:00:00Z`) - i * 7 * 86_400_000).toISOString().slice(0, 10));
  const col = q.by === 'topic' ? sql.raw('topics') : sql.raw('competitors');
  const { rows } = await ctx.db.execute(sql`
    select tag as key, to_char(date_trunc('week', heard_on::timestamp), 'YYYY-MM-DD') as week, count(*)::int as n,
           count(*) filter (where idea_item_id is null)::int as open
    from field_intel, unnest(${col}) as tag
    where workspace_id = ${WS} and heard_on >= ${weeks[0]}::date and heard_on < ${weeks[weeks.length - 1]}::date + 7
    group by 1, 2`);
  const byKey = new Map<string, { counts: number[]; total: number; open: number }>();
  const idx = new Map(weeks.map((w, i) => [w, i]));
  for (const r of rows as { key: string; week: string; n: number; open: number }[]) {
    let s = byKey.get(r.key);
    if (!s) byKey.set(r.key, (s = { counts: weeks.map(() => 0), total: 0, open: 0 }));
    const i = idx.get(r.week);
    if (i === undefined) continue;
    s.counts[i]! += r.n;
    s.total += r.n;
    s.open += r.open;
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const series = [...byKey.entries()]
    .map(([key, s]) => ({ key, total: s.total, counts: s.counts, open: s.open, change: sum(s.counts.slice(-4)) - sum(s.counts.slice(-8, -4)) }))
    .sort((a, b) => b.total - a.total || b.change - a.change || a.key.localeCompare(b.key))
    .slice(0, q.top);
  return { by: q.by, weeks, series };
}

function canEditContent(ctx: Ctx): boolean {
  return can(ctx.actor.role, 'content:write');
}

export async function deleteIntel({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(fieldIntel).where(and(eq(fieldIntel.id, id), eq(fieldIntel.workspaceId, WS))).for('update');
    if (!row) throw new NotFoundError('Field intel entry', id);
    if (!canEditContent(ctx) && (ctx.actor.userId === null || row.postedBy !== ctx.actor.userId)) {
      throw new ForbiddenError('Only the person who posted this entry (or marketing) can delete it');
    }
    await tx.delete(fieldIntel).where(eq(fieldIntel.id, id));
    await recordAudit(tx, ctx.actor, { action: 'intel.deleted', entityType: 'field_intel', entityId: id, summary: 'Field intel entry deleted', changes: { body: row.body, topics: row.topics, competitors: row.competitors } });
  });
}

/** One entry → one idea. An entry already turned into an idea is a 409 naming that idea. */
export async function intelToIdea({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const v = IntelIdeaInput.parse(input ?? {});
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(fieldIntel).where(and(eq(fieldIntel.id, id), eq(fieldIntel.workspaceId, WS))).for('update');
    if (!row) throw new NotFoundError('Field intel entry', id);
    if (row.ideaItemId !== null) {
      throw new ConflictError(`This entry is already idea #${row.ideaItemId} on the calendar`, { ideaItemId: row.ideaItemId });
    }
    const hasCompetitor = row.competitors.length > 0;
    const item = await createIdeaInTx(tx, ctx, {
      title: v.title ?? titleFrom(row.body),
      summary: row.body,
      researchNotes: `From field intel #${row.id} (${row.heardOn})${hasCompetitor ? `, competitors: ${row.competitors.join(', ')}` : ''}:\n${row.body}`,
      topics: row.topics,
      stage: v.stage ?? (hasCompetitor ? 'consideration' : 'awareness'),
      type: v.type ?? (hasCompetitor ? 'practical' : 'aspirational'),
      origin: `from field intel #${row.id}`,
    });
    await tx.update(fieldIntel).set({ ideaItemId: item.id }).where(eq(fieldIntel.id, id));
    await recordAudit(tx, ctx.actor, { action: 'intel.idea_created', entityType: 'field_intel', entityId: id, summary: `Turned into idea #${item.id}`, changes: { ideaItemId: item.id } });
    return { item, linkedIntel: 1 };
  });
}

/** A trend → one idea: every open entry with the tag heard in the window is linked to it. */
export async function trendToIdea({ ctx, input, now = new Date() }: { ctx: Ctx; input: unknown; now?: Date }) {
  const v = TrendIdeaInput.parse(input);
  const since = new Date(now.getTime() - v.weeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const col = v.by === 'topic' ? fieldIntel.topics : fieldIntel.competitors;
  return withTransaction(ctx, async (tx) => {
    const rows = await tx
      .select()
      .from(fieldIntel)
      .where(and(eq(fieldIntel.workspaceId, WS), sql`${col} @> array[${v.key}]::text[]`, isNull(fieldIntel.ideaItemId), sql`${fieldIntel.heardOn} >= ${since}::date`))
      .orderBy(desc(fieldIntel.id))
      .limit(500)
      .for('update');
    if (!rows.length) throw fieldError('key', `no open field intel about ${v.by} "${v.key}" in the last ${v.weeks} weeks`);
    const isCompetitor = v.by === 'competitor';
    const topics = isCompetitor ? [...new Set(rows.flatMap((r) => r.topics))].slice(0, 10) : [v.key];
    const quotes = rows.slice(0, 20).map((r) => `- ${r.heardOn}: ${r.body.replace(/\s+/g, ' ')}`);
    const item = await createIdeaInTx(tx, ctx, {
      title: v.title ?? (isCompetitor ? `How we compare with ${v.key}` : `What buyers are asking about ${v.key}`),
      summary: `${rows.length} field intel ${rows.length === 1 ? 'entry' : 'entries'} about ${isCompetitor ? 'competitor' : 'topic'} "${v.key}" in the last ${v.weeks} weeks.`,
      researchNotes: `What sales heard (${rows.length}):\n${quotes.join('\n')}`,
      topics,
      stage: v.stage ?? (isCompetitor ? 'consideration' : 'interest'),
      type: v.type ?? (isCompetitor ? 'practical' : 'aspirational'),
      origin: `from the field intel trend ${v.by} "${v.key}" (${rows.length} entries)`,
    });
    await tx.update(fieldIntel).set({ ideaItemId: item.id }).where(inArray(fieldIntel.id, rows.map((r) => r.id)));
    return { item, linkedIntel: rows.length };
  });
}
