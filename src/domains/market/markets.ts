// Markets: the job the customer is trying to get done (stated without products), with its segments and ICPs.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { MarketInput, MarketPatch, type Market } from '../../contracts/market.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { onUniqueViolation } from '../contacts/contacts.ts';
import { markets, type MarketRow } from './schema.ts';

const duplicate = (name: string) => () => new ConflictError(`A market named "${name}" already exists`, { field: 'name' });

async function toDtos(db: Queryable, rows: MarketRow[]): Promise<Market[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const res = await db.execute(sql`
    select m.id,
      (select count(*)::int from segments s where s.market_id = m.id and s.status = 'active') as segments,
      (select count(*)::int from icp_definitions i where i.market_id = m.id) as icps,
      (select count(distinct sm.contact_id)::int from segments s join segment_members sm on sm.segment_id = s.id where s.market_id = m.id and s.status = 'active') as contacts
    from markets m where m.id = any(${sql.param(ids)}::int[])`);
  const stats = new Map(res.rows.map((r) => [Number(r.id), r as { segments: number; icps: number; contacts: number }]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    jobStatement: r.jobStatement,
    description: r.description,
    segmentCount: stats.get(r.id)?.segments ?? 0,
    icpCount: stats.get(r.id)?.icps ?? 0,
    contactCount: stats.get(r.id)?.contacts ?? 0,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function loadRow(db: Queryable, id: number): Promise<MarketRow> {
  const res = await db.select().from(markets).where(sql`${markets.id} = ${id} and ${markets.workspaceId} = 1`);
  if (!res[0]) throw new NotFoundError('Market', id);
  return res[0];
}

export async function listMarkets({ ctx }: { ctx: Ctx }): Promise<{ items: Market[] }> {
  const rows = await ctx.db.select().from(markets).where(sql`${markets.workspaceId} = 1`).orderBy(markets.name);
  return { items: await toDtos(ctx.db, rows) };
}

export async function getMarket({ ctx, id }: { ctx: Ctx; id: number }): Promise<Market> {
  return (await toDtos(ctx.db, [await loadRow(ctx.db, id)]))[0]!;
}

export async function createMarket({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Market> {
  const data = MarketInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [row] = await onUniqueViolation('markets_name_unique', duplicate(data.name))(() =>
      tx.insert(markets).values({ name: data.name, jobStatement: data.jobStatement, description: data.description ?? null, createdBy: ctx.actor.userId }).returning(),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'market.created',
      entityType: 'market',
      entityId: row!.id,
      summary: `Created market "${row!.name}"`,
      changes: diffFields({}, { name: row!.name, jobStatement: row!.jobStatement, description: row!.description }),
    });
    return (await toDtos(tx, [row!]))[0]!;
  });
}

export async function updateMarket({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Market> {
  const data = MarketPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    const after = { name: data.name ?? before.name, jobStatement: data.jobStatement ?? before.jobStatement, description: data.description === undefined ? before.description : data.description };
    const changes = diffFields({ name: before.name, jobStatement: before.jobStatement, description: before.description }, after);
    if (!Object.keys(changes).length) return (await toDtos(tx, [before]))[0]!;
    const [row] = await onUniqueViolation('markets_name_unique', duplicate(after.name))(() =>
      tx.update(markets).set({ ...after, updatedAt: sql`now()` }).where(sql`${markets.id} = ${id}`).returning(),
    );
    await recordAudit(tx, ctx.actor, { action: 'market.updated', entityType: 'market', entityId: id, summary: `Updated market "${after.name}": ${Object.keys(changes).join(', ')}`, changes });
    return (await toDtos(tx, [row!]))[0]!;
  });
}

export async function deleteMarket({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const before = await loadRow(tx, id);
    await tx.delete(markets).where(sql`${markets.id} = ${id}`);
    await recordAudit(tx, ctx.actor, {
      action: 'market.deleted',
      entityType: 'market',
      entityId: id,
      summary: `Deleted market "${before.name}" (its segments and ICPs stay, without a market)`,
      changes: diffFields({ name: before.name, jobStatement: before.jobStatement }, { name: null, jobStatement: null }),
    });
  });
}
