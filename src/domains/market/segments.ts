// Segments: need-based rules over contacts (compile.ts) with members kept current (membership.ts).
// Creating a segment or changing its rule rebuilds its members in the same transaction.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import {
  SegmentHistoryQuery,
  SegmentInput,
  SegmentListQuery,
  SegmentMembersQuery,
  SegmentPatch,
  SegmentPreviewInput,
  type Segment,
} from '../../contracts/market.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { onUniqueViolation } from '../contacts/contacts.ts';
import { compileRule } from './compile.ts';
import { previewRule, rebuildInTx, type RebuildResult } from './membership.ts';
import { segments, type SegmentRow } from './schema.ts';

const duplicate = (name: string) => () => new ConflictError(`A segment named "${name}" already exists`, { field: 'name' });

async function toDtos(db: Queryable, rows: SegmentRow[]): Promise<Segment[]> {
  const marketIds = [...new Set(rows.map((r) => r.marketId).filter((x): x is number => x != null))];
  const names = new Map<number, string>();
  // Counted live (an index-only scan of the primary key): deletions of contacts cascade without telling us.
  const counts = new Map<number, number>();
  if (rows.length) {
    const res = await db.execute(sql`select s.id, (select count(*)::int from segment_members m where m.segment_id = s.id) as n from segments s where s.id = any(${sql.param(rows.map((r) => r.id))}::int[])`);
    for (const r of res.rows) counts.set(Number(r.id), Number(r.n));
  }
  if (marketIds.length) {
    const res = await db.execute(sql`select id, name from markets where id = any(${sql.param(marketIds)}::int[])`);
    for (const r of res.rows) names.set(Number(r.id), String(r.name));
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    marketId: r.marketId,
    marketName: r.marketId == null ? null : (names.get(r.marketId) ?? null),
    need: r.need,
    rule: r.rule,
    version: r.version,
    status: r.status,
    timeRelative: r.timeRelative,
    memberCount: counts.get(r.id) ?? 0,
    lastRebuiltAt: r.lastRebuiltAt?.toISOString() ?? null,
    lastRebuildMs: r.lastRebuildMs,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function loadSegmentRow(db: Queryable, id: number, lock = false): Promise<SegmentRow> {
  const q = db.select().from(segments).where(sql`${segments.id} = ${id} and ${segments.workspaceId} = 1`);
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Segment', id);
  return row;
}

async function assertMarket(db: Queryable, id: number | null | undefined) {
  if (id == null) return;
  const res = await db.execute(sql`select 1 from markets where id = ${id} and workspace_id = 1`);
  if (!res.rows.length) throw new ValidationError(`marketId: market ${id} does not exist`, [{ field: 'marketId', message: `market ${id} does not exist` }]);
}

export async function listSegments({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: Segment[] }> {
  const q = SegmentListQuery.parse(input ?? {});
  const rows = await ctx.db
    .select()
    .from(segments)
    .where(sql`${segments.workspaceId} = 1 ${q.marketId ? sql`and ${segments.marketId} = ${q.marketId}` : sql``} ${q.status ? sql`and ${segments.status} = ${q.status}` : sql``}`)
    .orderBy(segments.status, segments.name);
  return { items: await toDtos(ctx.db, rows) };
}

export async function getSegment({ ctx, id }: { ctx: Ctx; id: number }): Promise<Segment> {
  return (await toDtos(ctx.db, [await loadSegmentRow(ctx.db, id)]))[0]!;
}

export async function createSegment({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Segment> {
  const data = SegmentInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    await assertMarket(tx, data.marketId);
    const compiled = await compileRule(tx, data.rule, { mode: 'full', now: new Date() }); // rejects bad rules, naming the path
    const [row] = await onUniqueViolation('segments_name_unique', duplicate(data.name))(() =>
      tx
        .insert(segments)
        .values({ name: data.name, marketId: data.marketId ?? null, need: data.need ?? null, rule: data.rule, timeRelative: compiled.timeRelative, createdBy: ctx.actor.userId })
        .returning(),
    );
    const built = await rebuildInTx(tx, row!.id);
    await recordAudit(tx, ctx.actor, {
      action: 'segment.created',
      entityType: 'segment',
      entityId: row!.id,
      summary: `Created segment "${row!.name}" (${built.members} members)`,
      changes: diffFields({}, { name: row!.name, marketId: row!.marketId, need: row!.need, rule: row!.rule }),
    });
    return (await toDtos(tx, [await loadSegmentRow(tx, row!.id)]))[0]!;
  });
}

export async function updateSegment({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Segment> {
  const data = SegmentPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadSegmentRow(tx, id, true);
    if (data.marketId !== undefined) await assertMarket(tx, data.marketId);
    const after = {
      name: data.name ?? before.name,
      marketId: data.marketId === undefined ? before.marketId : data.marketId,
      need: data.need === undefined ? before.need : data.need,
      rule: data.rule ?? before.rule,
      status: data.status ?? before.status,
    };
    const changes = diffFields({ name: before.name, marketId: before.marketId, need: before.need, rule: JSON.stringify(before.rule), status: before.status }, { ...after, rule: JSON.stringify(after.rule) });
    if (!Object.keys(changes).length) return (await toDtos(tx, [before]))[0]!;
    const ruleChanged = 'rule' in changes;
    let timeRelative = before.timeRelative;
    if (ruleChanged) timeRelative = (await compileRule(tx, data.rule!, { mode: 'full', now: new Date() })).timeRelative;
    await onUniqueViolation('segments_name_unique', duplicate(after.name))(() =>
      tx
        .update(segments)
        .set({ ...after, timeRelative, version: ruleChanged ? before.version + 1 : before.version, updatedAt: sql`now()` })
        .where(sql`${segments.id} = ${id}`),
    );
    if (after.status === 'archived' && before.status === 'active') {
      // An archived segment is not maintained: its members go (history keeps who was in).
      await tx.execute(sql`
        with gone as (delete from segment_members where segment_id = ${id} returning contact_id)
        insert into segment_member_history (workspace_id, segment_id, contact_id, change, cause) select 1, ${id}, contact_id, 'left', 'rebuild' from gone`);
      await tx.execute(sql`update segments set member_count = 0 where id = ${id}`);
    } else if (after.status === 'active' && (ruleChanged || before.status === 'archived')) await rebuildInTx(tx, id);
    await recordAudit(tx, ctx.actor, {
      action: 'segment.updated',
      entityType: 'segment',
      entityId: id,
      summary: `Updated segment "${after.name}": ${Object.keys(changes).join(', ')}${ruleChanged ? ` (version ${before.version + 1}, rebuilt)` : ''}`,
      changes,
    });
    return (await toDtos(tx, [await loadSegmentRow(tx, id)]))[0]!;
  });
}

export async function deleteSegment({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const before = await loadSegmentRow(tx, id, true);
    await tx.delete(segments).where(sql`${segments.id} = ${id}`);
    await recordAudit(tx, ctx.actor, { action: 'segment.deleted', entityType: 'segment', entityId: id, summary: `Deleted segment "${before.name}"`, changes: { name: { from: before.name, to: null } } });
  });
}

export async function rebuildSegmentNow({ ctx, id }: { ctx: Ctx; id: number }): Promise<RebuildResult> {
  return withTransaction(ctx, async (tx) => {
    const seg = await loadSegmentRow(tx, id);
    if (seg.status !== 'active') throw new ConflictError(`Segment "${seg.name}" is archived; make it active to rebuild it`, { field: 'status' });
    const r = await rebuildInTx(tx, id);
    await recordAudit(tx, ctx.actor, {
      action: 'segment.rebuilt',
      entityType: 'segment',
      entityId: id,
      summary: `Rebuilt segment "${seg.name}": ${r.members} members (+${r.joined} / −${r.left}) in ${r.ms} ms`,
      changes: null,
    });
    return r;
  });
}

export async function previewSegment({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const data = SegmentPreviewInput.parse(input);
  return previewRule(ctx.db, data.rule, { sample: data.sample, cap: 1_000_000 });
}

const sampleRow = (r: Record<string, unknown>) => ({
  id: Number(r.id),
  email: String(r.email),
  name: (r.name as string | null) ?? null,
  lifecycleStage: String(r.lifecycle_stage),
  accountName: (r.account_name as string | null) ?? null,
});

export async function segmentMembers({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const q = SegmentMembersQuery.parse(input ?? {});
  const seg = await loadSegmentRow(ctx.db, id);
  const res = await ctx.db.execute(sql`
    select c.id, c.email, nullif(concat_ws(' ', c.first_name, c.last_name), '') as name, c.lifecycle_stage, a.name as account_name, m.since
    from segment_members m join contacts c on c.id = m.contact_id left join accounts a on a.id = c.account_id
    where m.segment_id = ${id} and m.contact_id > ${q.after ?? 0} order by m.contact_id limit ${q.limit + 1}`);
  const rows = res.rows as Record<string, unknown>[];
  const items = rows.slice(0, q.limit).map((r) => ({ ...sampleRow(r), since: new Date(r.since as string).toISOString() }));
  const total = await ctx.db.execute(sql`select count(*)::int as n from segment_members where segment_id = ${id}`);
  return { items, nextAfter: rows.length > q.limit ? items[items.length - 1]!.id : null, total: Number((total.rows[0] as { n: number }).n) };
}

export async function segmentHistory({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const q = SegmentHistoryQuery.parse(input ?? {});
  await loadSegmentRow(ctx.db, id);
  const days = await ctx.db.execute(sql`
    with agg as (
      select (h.at at time zone 'UTC')::date as d, sum((h.change = 'joined')::int)::int as joined, sum((h.change = 'left')::int)::int as left
      from segment_member_history h
      where h.segment_id = ${id} and h.at >= ((now() at time zone 'UTC')::date - ${q.days - 1}::int)::timestamp at time zone 'UTC'
      group by 1)
    select to_char(s.d, 'YYYY-MM-DD') as day, coalesce(agg.joined, 0) as joined, coalesce(agg.left, 0) as left
    from generate_series((now() at time zone 'UTC')::date - ${q.days - 1}::int, (now() at time zone 'UTC')::date, interval '1 day') s(d)
    left join agg on agg.d = s.d::date order by s.d`);
  const recent = await ctx.db.execute(sql`
    select h.contact_id, c.email, h.change, h.cause, h.at from segment_member_history h left join contacts c on c.id = h.contact_id
    where h.segment_id = ${id} order by h.at desc, h.id desc limit 20`);
  return {
    days: days.rows.map((r) => ({ day: String(r.day), joined: Number(r.joined), left: Number(r.left) })),
    recent: recent.rows.map((r) => ({ contactId: Number(r.contact_id), email: (r.email as string | null) ?? null, change: r.change as 'joined' | 'left', cause: String(r.cause), at: new Date(r.at as string).toISOString() })),
  };
}
