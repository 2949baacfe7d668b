// Deals (opportunities) from the CRM: list, get, create, change, delete, upsert by externalId. Linked contacts
// move through the lifecycle with the deal (./deal-effects.ts) in the same transaction.
import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable, Tx } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { DealInput, DealListQuery, DealPatch, DealUpsertInput, type Deal, type DealStage } from '../../contracts/lifecycle.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import { dealContacts, deals } from './schema.ts';
import { applyDealEffects } from './deal-effects.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

type DealRow = typeof deals.$inferSelect;
const WS = 1;
const OPEN: DealStage[] = ['intent', 'job_to_be_done'];

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

export async function toDealDtos(db: Queryable, rows: DealRow[]): Promise<Deal[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const accountIds = [...new Set(rows.map((r) => r.accountId).filter((x): x is number => x !== null))];
  const [owners, accs, links] = await Promise.all([
    ownerIds.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [],
    accountIds.length ? db.select({ id: accounts.id, name: accounts.name, domain: accounts.domain }).from(accounts).where(inArray(accounts.id, accountIds)) : [],
    db
      .select({ dealId: dealContacts.dealId, role: dealContacts.role, id: contacts.id, email: contacts.email, first: contacts.firstName, last: contacts.lastName, stage: contacts.lifecycleStage })
      .from(dealContacts)
      .innerJoin(contacts, eq(contacts.id, dealContacts.contactId))
      .where(inArray(dealContacts.dealId, ids))
      .orderBy(contacts.id),
  ]);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const accMap = new Map(accs.map((a) => [a.id, a]));
  return rows.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    name: r.name,
    amount: Number(r.amount),
    currency: r.currency,
    stage: r.stage,
    closeDate: r.closeDate,
    owner: r.ownerId === null ? null : (ownerMap.get(r.ownerId) ?? null),
    account: r.accountId === null ? null : (accMap.get(r.accountId) ?? null),
    contacts: links
      .filter((l) => l.dealId === r.id)
      .map((l) => ({ id: l.id, email: l.email, name: [l.first, l.last].filter(Boolean).join(' ') || null, role: l.role, lifecycleStage: l.stage })),
    lostReason: r.lostReason,
    wonAt: r.wonAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function loadDeal(db: Queryable, id: number): Promise<Deal> {
  const [row] = await db.select().from(deals).where(eq(deals.id, id));
  if (!row) throw new NotFoundError('Deal', id);
  return (await toDealDtos(db, [row]))[0]!;
}

export async function getDeal({ ctx, id }: { ctx: Ctx; id: number }) {
  return loadDeal(ctx.db, id);
}

function cursorId(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^[A-Za-z0-9_-]+$/.test(raw) ? /^d:([1-9]\d{0,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!m) throw fieldError('cursor', 'is not a cursor returned by this list; start again from the first page');
  return Number(m[1]);
}

export function dealConditions(q: { stage?: DealStage; contactId?: number; accountId?: number; ownerId?: number; q?: string }): SQL[] {
  const conds: SQL[] = [eq(deals.workspaceId, WS)];
  if (q.stage) conds.push(eq(deals.stage, q.stage));
  if (q.accountId) conds.push(eq(deals.accountId, q.accountId));
  if (q.ownerId) conds.push(eq(deals.ownerId, q.ownerId));
  if (q.contactId) conds.push(sql`exists (select 1 from deal_contacts dc where dc.deal_id = ${deals.id} and dc.contact_id = ${q.contactId})`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(or(ilike(deals.name, like), eq(deals.externalId, q.q))!);
  }
  return conds;
}

export async function listDeals({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = DealListQuery.parse(input ?? {});
  const conds = dealConditions(q);
  const before = cursorId(q.cursor);
  const rows = await ctx.db
    .select()
    .from(deals)
    .where(and(...conds, before ? lt(deals.id, before) : undefined))
    .orderBy(desc(deals.id))
    .limit(q.limit + 1);
  const pageRows = rows.slice(0, q.limit);
  const [{ n }] = (await ctx.db.execute(sql`select count(*)::int as n from (select 1 from deals where ${and(...conds)} limit 10001) t`)).rows as [{ n: number }];
  return {
    items: await toDealDtos(ctx.db, pageRows),
    nextCursor: rows.length > q.limit ? Buffer.from(`d:${pageRows[pageRows.length - 1]!.id}`).toString('base64url') : null,
    total: { count: Math.min(n, 10_000), capped: n > 10_000 },
  };
}

type DealFields = Omit<DealPatch, 'contacts'> & { contacts?: { id: number; role?: string | null }[] };

/** Linked contacts given by email become ids; an unknown email is a 400 naming contacts.<i>.email. */
export async function resolveDealContacts<T extends { contacts?: { id?: number; email?: string; role?: string | null }[] }>(
  db: Queryable,
  input: T,
): Promise<Omit<T, 'contacts'> & { contacts?: { id: number; role?: string | null }[] }> {
  if (!input.contacts) return input as Omit<T, 'contacts'>;
  const emails = input.contacts.map((c) => c.email).filter((e): e is string => e !== undefined);
  const byEmail = new Map(
    emails.length ? (await db.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.workspaceId, WS), inArray(contacts.email, emails)))).map((r) => [r.email, r.id]) : [],
  );
  const list = input.contacts.map((c, i) => {
    if (c.id !== undefined) return { id: c.id, role: c.role };
    const id = byEmail.get(c.email!);
    if (id === undefined) throw fieldError(`contacts.${i}.email`, `no contact with email ${c.email}`);
    return { id, role: c.role };
  });
  return { ...input, contacts: list };
}

/** Checks that referenced owner, account and contacts exist; names the field when not. */
export async function checkDealRefs(db: Queryable, input: DealFields): Promise<void> {
  if (input.ownerId != null) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId));
    if (!u) throw fieldError('ownerId', `user ${input.ownerId} does not exist`);
  }
  if (input.accountId != null) {
    const [a] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.accountId));
    if (!a) throw fieldError('accountId', `account ${input.accountId} does not exist`);
  }
  if (input.contacts?.length) {
    const seen = new Set<number>();
    input.contacts.forEach((c, i) => {
      if (seen.has(c.id)) throw fieldError(`contacts.${i}.id`, `contact ${c.id} is listed twice`);
      seen.add(c.id);
    });
    const found = new Set((await db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.id, [...seen]))).map((r) => r.id));
    const i = input.contacts.findIndex((c) => !found.has(c.id));
    if (i >= 0) throw fieldError(`contacts.${i}.id`, `contact ${input.contacts[i]!.id} does not exist`);
  }
}

function dealValues(input: DealFields, prev: DealRow | null, now: Date) {
  const stage = input.stage ?? prev?.stage ?? 'intent';
  const closed = stage === 'won' || stage === 'lost';
  const wasClosed = prev ? prev.stage === 'won' || prev.stage === 'lost' : false;
  const wonAt = stage === 'won' ? (input.wonAt ? new Date(input.wonAt) : (prev?.stage === 'won' ? prev.wonAt : null) ?? now) : null;
  return {
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.closeDate !== undefined ? { closeDate: input.closeDate } : {}),
    ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
    ...(input.accountId !== undefined ? { accountId: input.accountId } : {}),
    ...(input.lostReason !== undefined ? { lostReason: input.lostReason } : {}),
    stage,
    wonAt,
    closedAt: closed ? (wasClosed && prev?.stage === stage ? prev.closedAt : now) : null,
    updatedAt: now,
  };
}

async function linkContacts(tx: Tx, dealId: number, list: { id: number; role?: string | null }[]): Promise<void> {
  await tx.delete(dealContacts).where(eq(dealContacts.dealId, dealId));
  if (list.length) await tx.insert(dealContacts).values(list.map((c) => ({ dealId, contactId: c.id, role: c.role ?? null })));
}

async function linkedIds(tx: Queryable, dealId: number): Promise<number[]> {
  return (await tx.select({ id: dealContacts.contactId }).from(dealContacts).where(eq(dealContacts.dealId, dealId))).map((r) => r.id);
}

/** Inserts a deal in tx (input already parsed and checked). */
export async function insertDealInTx(tx: Tx, ctx: Ctx, input: DealFields & { name: string }, now = new Date()): Promise<number> {
  const [row] = await tx
    .insert(deals)
    .values({ workspaceId: WS, ...dealValues(input, null, now), name: input.name, createdAt: now })
    .returning();
  const deal = row!;
  await linkContacts(tx, deal.id, input.contacts ?? []);
  await recordAudit(tx, ctx.actor, {
    action: 'deal.created',
    entityType: 'deal',
    entityId: deal.id,
    summary: `Created deal "${deal.name}" (${deal.stage}, ${Number(deal.amount)} ${deal.currency})`,
    changes: diffFields({}, { ...input }),
  });
  await applyDealEffects(tx, ctx.actor, { ...deal, amount: Number(deal.amount) }, (input.contacts ?? []).map((c) => c.id), now);
  if (deal.stage === 'won') await emitDealWon(tx, deal, (input.contacts ?? []).map((c) => c.id), now);
  return deal.id;
}

/** Updates a locked deal in tx (input already parsed and checked). */
export async function updateDealInTx(tx: Tx, ctx: Ctx, prev: DealRow, input: DealFields, now = new Date()): Promise<void> {
  const before = await linkedIds(tx, prev.id);
  const [row] = await tx.update(deals).set(dealValues(input, prev, now)).where(eq(deals.id, prev.id)).returning();
  const deal = row!;
  if (input.contacts) await linkContacts(tx, deal.id, input.contacts);
  const after = input.contacts ? input.contacts.map((c) => c.id) : before;
  const changes: Record<string, unknown> = diffFields(prev as unknown as Record<string, unknown>, { ...input, contacts: undefined } as Record<string, unknown>);
  if (input.contacts && JSON.stringify([...before].sort()) !== JSON.stringify([...after].sort())) changes.contacts = { from: before, to: after };
  await recordAudit(tx, ctx.actor, {
    action: 'deal.updated',
    entityType: 'deal',
    entityId: deal.id,
    summary: prev.stage !== deal.stage ? `Deal "${deal.name}": ${prev.stage} → ${deal.stage}` : `Changed deal "${deal.name}"`,
    changes,
  });
  // The stage's effect applies to every contact when the stage changed, else only to newly linked ones.
  const affected = prev.stage !== deal.stage ? after : after.filter((id) => !before.includes(id));
  await applyDealEffects(tx, ctx.actor, { ...deal, amount: Number(deal.amount) }, affected, now);
  if (deal.stage === 'won' && prev.stage !== 'won') await emitDealWon(tx, deal, after, now);
}

/** The deal.won webhook event (one per deal; contactIds lists its linked contacts). */
async function emitDealWon(tx: Tx, deal: DealRow, contactIds: number[], now: Date): Promise<void> {
  const data = { dealId: deal.id, externalId: deal.externalId, name: deal.name, amount: Number(deal.amount), currency: deal.currency, wonAt: deal.wonAt?.toISOString() ?? null, accountId: deal.accountId, ownerId: deal.ownerId, contactIds };
  await emitWebhookEvent(tx, { type: 'deal.won', workspaceId: deal.workspaceId, contactId: contactIds[0] ?? null, now, data });
}

/** Create a deal; with an externalId that exists, that deal is updated instead (CRM sync). */
export async function createDeal({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ deal: Deal; created: boolean }> {
  const body = await resolveDealContacts(ctx.db, DealInput.parse(input));
  await checkDealRefs(ctx.db, body);
  const { id, created } = await withTransaction(ctx, async (tx) => {
    if (body.externalId) {
      const [prev] = await tx.select().from(deals).where(and(eq(deals.workspaceId, WS), eq(deals.externalId, body.externalId))).for('update');
      if (prev) {
        await updateDealInTx(tx, ctx, prev, body);
        return { id: prev.id, created: false };
      }
    }
    return { id: await insertDealInTx(tx, ctx, body), created: true };
  });
  return { deal: await loadDeal(ctx.db, id), created };
}

/** PUT /deals/by-external/:externalId: updates the deal with that CRM id, or creates it (name required then). */
export async function upsertDealByExternalId({ ctx, externalId, input }: { ctx: Ctx; externalId: string; input: unknown }): Promise<{ deal: Deal; created: boolean }> {
  const ext = externalId.trim();
  if (!ext || ext.length > 200) throw fieldError('externalId', 'must be 1–200 characters');
  const body = await resolveDealContacts(ctx.db, DealUpsertInput.parse(input));
  await checkDealRefs(ctx.db, body);
  const { id, created } = await withTransaction(ctx, async (tx) => {
    const [prev] = await tx.select().from(deals).where(and(eq(deals.workspaceId, WS), eq(deals.externalId, ext))).for('update');
    if (prev) {
      await updateDealInTx(tx, ctx, prev, body);
      return { id: prev.id, created: false };
    }
    if (body.name === undefined) throw fieldError('name', 'is required to create a deal');
    return { id: await insertDealInTx(tx, ctx, { ...body, name: body.name, externalId: ext }), created: true };
  });
  return { deal: await loadDeal(ctx.db, id), created };
}

export async function updateDeal({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Deal> {
  const body = await resolveDealContacts(ctx.db, DealPatch.parse(input));
  await checkDealRefs(ctx.db, body);
  await withTransaction(ctx, async (tx) => {
    const [prev] = await tx.select().from(deals).where(eq(deals.id, id)).for('update');
    if (!prev) throw new NotFoundError('Deal', id);
    await updateDealInTx(tx, ctx, prev, body);
  });
  return loadDeal(ctx.db, id);
}

export async function deleteDeal({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [prev] = await tx.delete(deals).where(eq(deals.id, id)).returning();
    if (!prev) throw new NotFoundError('Deal', id);
    await recordAudit(tx, ctx.actor, { action: 'deal.deleted', entityType: 'deal', entityId: id, summary: `Deleted deal "${prev.name}"`, changes: null });
  });
}

export { OPEN as OPEN_DEAL_STAGES };
