// Read side of tracking for the UI and API: events newest first (keyset), per-source stats, recent rejections.
import { and, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { EventsQuery, RejectionsQuery, type EventsPage, type Rejection, type SourceStats, type TrackedEvent, type EventType } from '../../contracts/tracking.ts';
import { events, type EventRow } from './events-table.ts';
import { trackingRejections } from './schema.ts';
import { getSource } from './sources.ts';
import { campaignsByCode } from '../plan/campaigns.ts';

type LinkedCampaigns = Map<string, { id: number; name: string }>;

function toDto(e: EventRow, linked: LinkedCampaigns): TrackedEvent {
  return {
    id: e.id,
    sourceId: e.sourceId,
    messageId: e.messageId,
    type: e.type as EventType,
    event: e.event,
    contactId: e.contactId,
    anonymousId: e.anonymousId,
    userId: e.userId,
    groupId: e.groupId,
    previousId: e.previousId,
    timestamp: e.timestamp.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    sentAt: e.sentAt?.toISOString() ?? null,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    ip: e.ip,
    userAgent: e.userAgent,
    page: { url: e.pageUrl, path: e.pagePath, referrer: e.pageReferrer, title: e.pageTitle },
    campaign: { name: e.utmCampaign, source: e.utmSource, medium: e.utmMedium, term: e.utmTerm, content: e.utmContent, linked: e.utmCampaign ? (linked.get(e.utmCampaign.toLowerCase()) ?? null) : null },
    isBot: e.isBot,
  };
}

function encodeCursor(e: EventRow): string {
  return Buffer.from(`${e.timestamp.toISOString()}|${e.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { ts: Date; id: number } {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(ts ?? '');
  const n = Number(id);
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(n)) throw new ValidationError('cursor: is not a cursor returned by this list', [{ field: 'cursor', message: 'invalid cursor' }]);
  return { ts: date, id: n };
}

/** Events newest first (by corrected event time), optionally of one contact, source or type. Bots excluded unless asked. */
export async function listEvents({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<EventsPage> {
  const q = EventsQuery.parse(input);
  const conds: SQL[] = [eq(events.workspaceId, 1)];
  if (q.contactId) conds.push(eq(events.contactId, q.contactId));
  if (q.sourceId) conds.push(eq(events.sourceId, q.sourceId));
  if (q.type) conds.push(eq(events.type, q.type));
  if (!q.includeBots) conds.push(eq(events.isBot, false));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(sql`(${events.timestamp}, ${events.id}) < (${c.ts.toISOString()}::timestamptz, ${c.id})`);
  }
  const rows = await ctx.db
    .select()
    .from(events)
    .where(and(...conds))
    .orderBy(desc(events.timestamp), desc(events.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const linked = await campaignsByCode(ctx.db, 1, [...new Set(items.flatMap((e) => (e.utmCampaign ? [e.utmCampaign.toLowerCase()] : [])))]);
  return { items: items.map((e) => toDto(e, linked)), nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!) : null };
}

/** Events per minute over the last hour, bots, and rejections of one source. */
export async function sourceStats({ ctx, id }: { ctx: Pick<Ctx, 'db'>; id: number }): Promise<SourceStats> {
  await getSource({ ctx, id });
  const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 59 * 60_000);
  const res = await ctx.db.execute(sql`
    select date_trunc('minute', received_at) as minute,
           count(*) filter (where not is_bot)::int as events,
           count(*) filter (where is_bot)::int as bots
    from events where source_id = ${id} and received_at >= ${since.toISOString()}::timestamptz
    group by 1`);
  const byMinute = new Map<number, { events: number; bots: number }>();
  for (const r of res.rows as { minute: Date | string; events: number; bots: number }[]) byMinute.set(new Date(r.minute).getTime(), { events: r.events, bots: r.bots });
  const perMinute = Array.from({ length: 60 }, (_, i) => {
    const t = since.getTime() + i * 60_000;
    const v = byMinute.get(t) ?? { events: 0, bots: 0 };
    return { minute: new Date(t).toISOString(), ...v };
  });
  const [rej] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(trackingRejections)
    .where(and(eq(trackingRejections.sourceId, id), gte(trackingRejections.receivedAt, since)));
  const [bots] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(events).where(and(eq(events.sourceId, id), eq(events.isBot, true)));
  return {
    sourceId: id,
    perMinute,
    lastHour: { events: perMinute.reduce((a, m) => a + m.events, 0), bots: perMinute.reduce((a, m) => a + m.bots, 0), rejected: rej?.n ?? 0 },
    totalBots: bots?.n ?? 0,
  };
}

/** The most recent rejected messages with their reason (live debugger). */
export async function listRejections({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<{ items: Rejection[] }> {
  const q = RejectionsQuery.parse(input);
  const rows = await ctx.db
    .select()
    .from(trackingRejections)
    .where(q.sourceId ? eq(trackingRejections.sourceId, q.sourceId) : undefined)
    .orderBy(desc(trackingRejections.id))
    .limit(q.limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      sourceId: r.sourceId,
      receivedAt: r.receivedAt.toISOString(),
      endpoint: r.endpoint,
      batchIndex: r.batchIndex,
      messageId: r.messageId,
      reason: r.reason,
      payload: r.payload ?? null,
    })),
  };
}
