// The thought-leadership network: subject-matter experts (outside experts or revloop users) with their expertise
// topics, and the items they contributed to (set from the item form: content_item_smes).
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { SmeInput, SmePatch, type Sme } from '../../contracts/content.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { checkOwner } from './items.ts';
import { WS } from './items-dto.ts';
import { contentItemSmes, contentItems, contentSmes } from './schema.ts';

type Row = typeof contentSmes.$inferSelect;
const FIELDS = ['name', 'email', 'title', 'userId', 'topics', 'notes'] as const;
const pick = (r: Partial<Row>) => Object.fromEntries(FIELDS.map((k) => [k, r[k] ?? null]));

async function toSmes(db: Queryable, rows: Row[]): Promise<Sme[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const userIds = [...new Set(rows.map((r) => r.userId).filter((x): x is number => x !== null))];
  const [us, items] = await Promise.all([
    userIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)) : [],
    db
      .select({ smeId: contentItemSmes.smeId, id: contentItems.id, title: contentItems.title, role: contentItemSmes.role, status: contentItems.status })
      .from(contentItemSmes)
      .innerJoin(contentItems, eq(contentItems.id, contentItemSmes.itemId))
      .where(inArray(contentItemSmes.smeId, ids))
      .orderBy(asc(contentItems.id)),
  ]);
  const um = new Map(us.map((u) => [u.id, u]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    title: r.title,
    user: r.userId ? (um.get(r.userId) ?? null) : null,
    topics: r.topics,
    notes: r.notes,
    items: items.filter((i) => i.smeId === r.id).map(({ smeId: _s, ...i }) => i),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listSmes({ ctx, topic }: { ctx: Ctx; topic?: string }): Promise<{ items: Sme[] }> {
  const rows = await ctx.db.select().from(contentSmes).where(eq(contentSmes.workspaceId, WS)).orderBy(asc(contentSmes.name));
  const t = topic?.trim().toLowerCase();
  return { items: await toSmes(ctx.db, t ? rows.filter((r) => r.topics.includes(t)) : rows) };
}

async function load(db: Queryable, id: number): Promise<Row> {
  const [row] = await db.select().from(contentSmes).where(and(eq(contentSmes.id, id), eq(contentSmes.workspaceId, WS)));
  if (!row) throw new NotFoundError('SME', id);
  return row;
}

export async function getSme({ ctx, id }: { ctx: Ctx; id: number }): Promise<Sme> {
  return (await toSmes(ctx.db, [await load(ctx.db, id)]))[0]!;
}

async function nameTaken(db: Queryable, name: string, except?: number): Promise<void> {
  const [hit] = await db
    .select({ id: contentSmes.id, name: contentSmes.name })
    .from(contentSmes)
    .where(and(eq(contentSmes.workspaceId, WS), sql`lower(${contentSmes.name}) = lower(${name})`, except ? ne(contentSmes.id, except) : undefined));
  if (hit) throw new ConflictError(`name: an SME named ${hit.name} already exists (id ${hit.id})`, [{ field: 'name', message: 'already exists', id: hit.id }]);
}

export async function createSme({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Sme> {
  const data = SmeInput.parse(input);
  const row = await withTransaction(ctx, async (tx) => {
    await checkOwner(tx, data.userId, 'userId');
    await nameTaken(tx, data.name);
    const [r] = await tx.insert(contentSmes).values({ workspaceId: WS, ...data }).returning();
    await recordAudit(tx, ctx.actor, { action: 'content_sme.created', entityType: 'content_sme', entityId: r!.id, summary: `Added SME ${r!.name}`, changes: diffFields({}, pick(r!)) });
    return r!;
  });
  return getSme({ ctx, id: row.id });
}

export async function updateSme({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Sme> {
  const data = SmePatch.parse(input);
  await withTransaction(ctx, async (tx) => {
    const before = await load(tx, id);
    if (data.userId !== undefined) await checkOwner(tx, data.userId, 'userId');
    if (data.name) await nameTaken(tx, data.name, id);
    const set = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    const changes = diffFields(pick(before), { ...pick(before), ...set });
    if (!Object.keys(changes).length) return;
    await tx.update(contentSmes).set({ ...set, updatedAt: new Date() }).where(eq(contentSmes.id, id));
    await recordAudit(tx, ctx.actor, { action: 'content_sme.updated', entityType: 'content_sme', entityId: id, summary: `Changed SME ${before.name}: ${Object.keys(changes).join(', ')}`, changes });
  });
  return getSme({ ctx, id });
}

export async function deleteSme({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const before = await load(tx, id);
    await tx.delete(contentSmes).where(eq(contentSmes.id, id));
    await recordAudit(tx, ctx.actor, { action: 'content_sme.deleted', entityType: 'content_sme', entityId: id, summary: `Removed SME ${before.name}`, changes: diffFields(pick(before), pick({})) });
  });
}
