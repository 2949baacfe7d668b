// Campaigns: create, change, delete, get, list. A campaign's utm_campaign code links the tracked touches
// (events with that UTM, any case) to it; the touch figures are computed by ./campaign-touches.ts.
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { CampaignInput, CampaignListQuery, CampaignPatch, type Campaign } from '../../contracts/plan.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { touchStatsByCode } from './campaign-touches.ts';
import { campaigns, type CampaignRow } from './schema.ts';
import { initiatives, objectives } from './schema-objectives.ts';

const WS = 1;

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

export async function toCampaignDtos(db: Queryable, rows: CampaignRow[]): Promise<Campaign[]> {
  if (!rows.length) return [];
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const objectiveIds = [...new Set(rows.map((r) => r.objectiveId).filter((x): x is number => x !== null))];
  const initiativeIds = [...new Set(rows.map((r) => r.initiativeId).filter((x): x is number => x !== null))];
  const [owners, stats, objs, inits] = await Promise.all([
    ownerIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [],
    touchStatsByCode(db, WS, rows.map((r) => r.utmCampaign)),
    objectiveIds.length ? db.select({ id: objectives.id, title: objectives.title }).from(objectives).where(inArray(objectives.id, objectiveIds)) : [],
    initiativeIds.length ? db.select({ id: initiatives.id, name: initiatives.name }).from(initiatives).where(inArray(initiatives.id, initiativeIds)) : [],
  ]);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const objMap = new Map(objs.map((o) => [o.id, o]));
  const initMap = new Map(inits.map((o) => [o.id, o]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    utmCampaign: r.utmCampaign,
    channel: r.channel,
    status: r.status,
    startDate: r.startDate,
    endDate: r.endDate,
    budget: r.budget === null ? null : Number(r.budget),
    currency: r.currency,
    owner: r.ownerId === null ? null : (ownerMap.get(r.ownerId) ?? null),
    description: r.description,
    objective: r.objectiveId === null ? null : (objMap.get(r.objectiveId) ?? null),
    initiative: r.initiativeId === null ? null : (initMap.get(r.initiativeId) ?? null),
    stats: stats.get(r.utmCampaign) ?? { touches: 0, contacts: 0, visitors: 0, firstTouchAt: null, lastTouchAt: null },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** Campaigns by their (lower-cased) UTM codes: code → { id, name }. */
export async function campaignsByCode(db: Queryable, workspaceId: number, codes: string[]): Promise<Map<string, { id: number; name: string }>> {
  if (!codes.length) return new Map();
  const rows = await db
    .select({ id: campaigns.id, name: campaigns.name, code: campaigns.utmCampaign })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), inArray(campaigns.utmCampaign, codes)));
  return new Map(rows.map((r) => [r.code, { id: r.id, name: r.name }]));
}

/**
 * Campaigns by id as other domains store them (text, e.g. email messages' campaign_id; an id that is not a
 * number matches nothing): id → { name, utmCampaign }.
 */
export async function campaignsById(db: Queryable, ids: readonly string[]): Promise<Map<string, { name: string; utmCampaign: string }>> {
  const numeric = [...new Set(ids.filter((i) => /^[0-9]{1,15}$/.test(i)))].map(Number);
  if (!numeric.length) return new Map();
  const rows = await db.select({ id: campaigns.id, name: campaigns.name, utm: campaigns.utmCampaign }).from(campaigns).where(inArray(campaigns.id, numeric));
  return new Map(rows.map((r) => [String(r.id), { name: r.name, utmCampaign: r.utm }]));
}

export async function loadCampaignRow(db: Queryable, id: number): Promise<CampaignRow> {
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.workspaceId, WS), eq(campaigns.id, id)));
  if (!row) throw new NotFoundError('Campaign', id);
  return row;
}

export async function getCampaign({ ctx, id }: { ctx: Ctx; id: number }): Promise<Campaign> {
  return (await toCampaignDtos(ctx.db, [await loadCampaignRow(ctx.db, id)]))[0]!;
}

export async function listCampaigns({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ items: Campaign[]; total: number }> {
  const q = CampaignListQuery.parse(input);
  const conds: SQL[] = [eq(campaigns.workspaceId, WS)];
  if (q.status) conds.push(eq(campaigns.status, q.status));
  if (q.channel) conds.push(eq(campaigns.channel, q.channel));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(campaigns.name, like), ilike(campaigns.utmCampaign, like))!);
  }
  // Running and upcoming first, then the most recent; undated ones last.
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(and(...conds))
    .orderBy(sql`case ${campaigns.status} when 'active' then 0 when 'planned' then 1 when 'paused' then 2 else 3 end`, desc(sql`coalesce(${campaigns.startDate}, ${campaigns.createdAt}::date)`), asc(campaigns.id))
    .limit(1000);
  return { items: await toCampaignDtos(ctx.db, rows), total: rows.length };
}

async function checkRefs(db: Queryable, input: { ownerId?: number | null; utmCampaign?: string }, exceptId?: number): Promise<void> {
  if (input.ownerId != null) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId));
    if (!u) throw fieldError('ownerId', `user ${input.ownerId} does not exist`);
  }
  if (input.utmCampaign !== undefined) {
    const [other] = await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(and(eq(campaigns.workspaceId, WS), eq(campaigns.utmCampaign, input.utmCampaign)));
    if (other && other.id !== exceptId) {
      throw new ConflictError(`utmCampaign: "${input.utmCampaign}" is already the code of campaign "${other.name}" (${other.id}); each code belongs to one campaign`, [
        { field: 'utmCampaign', message: `already used by campaign "${other.name}"` },
      ]);
    }
  }
}

/**
 * The objective and initiative links: both must exist; an initiative under an objective fixes the campaign's
 * objective (given alone, the initiative's objective is taken; given both, they must agree).
 */
async function resolveLinks(db: Queryable, next: { objectiveId: number | null; initiativeId: number | null }, given: { objectiveId?: number | null; initiativeId?: number | null }): Promise<{ objectiveId: number | null; initiativeId: number | null }> {
  let { objectiveId } = next;
  if (given.objectiveId != null) {
    const [o] = await db.select({ id: objectives.id }).from(objectives).where(and(eq(objectives.workspaceId, WS), eq(objectives.id, given.objectiveId)));
    if (!o) throw fieldError('objectiveId', `objective ${given.objectiveId} does not exist`);
  }
  if (next.initiativeId !== null) {
    const [i] = await db.select({ id: initiatives.id, name: initiatives.name, objectiveId: initiatives.objectiveId }).from(initiatives).where(and(eq(initiatives.workspaceId, WS), eq(initiatives.id, next.initiativeId)));
    if (!i) throw fieldError('initiativeId', `initiative ${next.initiativeId} does not exist`);
    if (i.objectiveId !== null) {
      if (given.objectiveId === undefined && given.initiativeId != null) objectiveId = i.objectiveId;
      else if (objectiveId !== i.objectiveId) throw fieldError('initiativeId', `initiative "${i.name}" serves objective ${i.objectiveId}, not ${objectiveId ?? 'none'}`);
    }
  }
  return { objectiveId, initiativeId: next.initiativeId };
}

function checkDates(startDate: string | null | undefined, endDate: string | null | undefined): void {
  if (startDate && endDate && startDate > endDate) throw fieldError('endDate', 'must be on or after the start date');
}

export async function createCampaign({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Campaign> {
  const body = CampaignInput.parse(input);
  await checkRefs(ctx.db, body);
  const links = await resolveLinks(ctx.db, { objectiveId: body.objectiveId ?? null, initiativeId: body.initiativeId ?? null }, body);
  const id = await withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        workspaceId: WS,
        name: body.name,
        utmCampaign: body.utmCampaign,
        channel: body.channel,
        status: body.status,
        startDate: body.startDate ?? null,
        endDate: body.endDate ?? null,
        budget: body.budget ?? null,
        currency: body.currency,
        ownerId: body.ownerId ?? null,
        description: body.description ?? null,
        objectiveId: links.objectiveId,
        initiativeId: links.initiativeId,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'campaign.created', entityType: 'campaign', entityId: row!.id, summary: `Created campaign "${row!.name}" (utm_campaign=${row!.utmCampaign})` });
    return row!.id;
  });
  return getCampaign({ ctx, id });
}

export async function updateCampaign({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Campaign> {
  const patch = CampaignPatch.parse(input);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(campaigns).where(and(eq(campaigns.workspaceId, WS), eq(campaigns.id, id))).for('update');
    if (!before) throw new NotFoundError('Campaign', id);
    await checkRefs(tx, patch, id);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as CampaignRow;
    checkDates(next.startDate, next.endDate);
    Object.assign(next, await resolveLinks(tx, next, patch));
    const changes = diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (!Object.keys(changes).length) return;
    await tx
      .update(campaigns)
      .set({
        name: next.name,
        utmCampaign: next.utmCampaign,
        channel: next.channel,
        status: next.status,
        startDate: next.startDate,
        endDate: next.endDate,
        budget: next.budget,
        currency: next.currency,
        ownerId: next.ownerId,
        description: next.description,
        objectiveId: next.objectiveId,
        initiativeId: next.initiativeId,
        updatedAt: new Date(),
      })
      .where(eq(campaigns.id, id));
    await recordAudit(tx, ctx.actor, { action: 'campaign.updated', entityType: 'campaign', entityId: id, summary: `Changed campaign "${next.name}": ${Object.keys(changes).join(', ')}`, changes });
  });
  return getCampaign({ ctx, id });
}

export async function deleteCampaign({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(campaigns).where(and(eq(campaigns.workspaceId, WS), eq(campaigns.id, id))).returning();
    if (!row) throw new NotFoundError('Campaign', id);
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.deleted',
      entityType: 'campaign',
      entityId: id,
      summary: `Deleted campaign "${row.name}" (utm_campaign=${row.utmCampaign}); its tracked touches stay in the events`,
    });
  });
}
