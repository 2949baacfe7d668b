// Subscription topics and consent records. Consent is an append-only history per contact × topic (source,
// time, the text the person agreed to); the newest row is the current state and is what enqueue and send check.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { withTransaction, type Actor, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConsentInput, ConsentQuery, TopicInput } from '../../contracts/email.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { contacts } from '../contacts/schema.ts';
import { WS } from './settings.ts';
import { emailConsents, emailTopics } from './schema.ts';

const fieldError = (field: string, message: string) => new ValidationError(`${field}: ${message}`, [{ field, message }]);

export async function listTopics({ ctx }: { ctx: Ctx }) {
  const { rows } = await ctx.db.execute<{ id: number; key: string; name: string; description: string | null; created_at: Date; granted: number; revoked: number }>(sql`
    select t.id, t.key, t.name, t.description, t.created_at,
      count(*) filter (where cur.status = 'granted')::int as granted, count(*) filter (where cur.status = 'revoked')::int as revoked
    from email_topics t
    left join lateral (
      select distinct on (c.contact_id) c.status from email_consents c where c.topic_id = t.id order by c.contact_id, c.id desc
    ) cur on true
    where t.workspace_id = ${WS} group by t.id order by t.name`);
  return { items: rows.map((r) => ({ id: r.id, key: r.key, name: r.name, description: r.description, granted: r.granted, revoked: r.revoked, createdAt: new Date(r.created_at).toISOString() })) };
}

export async function createTopic({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = TopicInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [dup] = await tx.select({ id: emailTopics.id }).from(emailTopics).where(and(eq(emailTopics.workspaceId, WS), eq(emailTopics.key, v.key)));
    if (dup) throw new ConflictError(`key: a topic with key "${v.key}" already exists`, { field: 'key' });
    const [row] = await tx.insert(emailTopics).values({ workspaceId: WS, key: v.key, name: v.name, description: v.description ?? null }).returning();
    await recordAudit(tx, ctx.actor, { action: 'email.topic_created', entityType: 'email_topic', entityId: row!.id, summary: `Email topic "${v.name}" (${v.key}) created` });
    return { id: row!.id, key: row!.key, name: row!.name, description: row!.description, granted: 0, revoked: 0, createdAt: row!.createdAt.toISOString() };
  });
}

/** Appends a consent record (inside the caller's transaction); used by the API, the preference page and unsubscribes. */
export async function recordConsent(
  tx: Queryable,
  actor: Actor | { label: string },
  input: { contactId: number; topicId: number; status: 'granted' | 'revoked'; source: string; text?: string | null; at?: Date; messageId?: string | null },
): Promise<number> {
  const [row] = await tx
    .insert(emailConsents)
    .values({ workspaceId: WS, contactId: input.contactId, topicId: input.topicId, status: input.status, source: input.source, text: input.text ?? null, at: input.at ?? new Date(), recordedBy: actor.label, messageId: input.messageId ?? null })
    .returning({ id: emailConsents.id });
  return row!.id;
}

export async function addConsent({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = ConsentInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [c] = await tx.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.id, v.contactId), eq(contacts.workspaceId, WS)));
    if (!c) throw fieldError('contactId', `contact ${v.contactId} does not exist`);
    const [t] = await tx.select().from(emailTopics).where(and(eq(emailTopics.workspaceId, WS), eq(emailTopics.key, v.topicKey)));
    if (!t) throw fieldError('topicKey', `email topic "${v.topicKey}" does not exist`);
    const at = v.at ? new Date(v.at) : new Date();
    if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'is in the future');
    const id = await recordConsent(tx, ctx.actor, { contactId: c.id, topicId: t.id, status: v.status, source: v.source, text: v.text ?? null, at });
    await recordAudit(tx, ctx.actor, { action: `email.consent_${v.status}`, entityType: 'contact', entityId: c.id, summary: `Consent ${v.status} for "${t.name}" (${v.source})`, changes: { topic: t.key, source: v.source, consentId: id } });
    return { id, contactId: c.id, contactEmail: c.email, topicKey: t.key, topicName: t.name, status: v.status, source: v.source, text: v.text ?? null, at: at.toISOString(), recordedBy: ctx.actor.label };
  });
}

export async function listConsents({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = ConsentQuery.parse(input);
  const conds: SQL[] = [eq(emailConsents.workspaceId, WS)];
  if (q.contactId) conds.push(eq(emailConsents.contactId, q.contactId));
  if (q.topicKey) conds.push(eq(emailTopics.key, q.topicKey));
  const rows = await ctx.db
    .select({ c: emailConsents, topicKey: emailTopics.key, topicName: emailTopics.name, email: contacts.email })
    .from(emailConsents)
    .innerJoin(emailTopics, eq(emailTopics.id, emailConsents.topicId))
    .leftJoin(contacts, eq(contacts.id, emailConsents.contactId))
    .where(and(...conds))
    .orderBy(desc(emailConsents.id))
    .limit(q.limit);
  const items = rows.map((r) => ({ id: r.c.id, contactId: r.c.contactId, contactEmail: r.email, topicKey: r.topicKey, topicName: r.topicName, status: r.c.status, source: r.c.source, text: r.c.text, at: r.c.at.toISOString(), recordedBy: r.c.recordedBy }));
  if (!q.contactId) return { items };
  return { items, current: await currentConsents(ctx.db, q.contactId) };
}

/** Every topic with the contact's current state (none: never asked). */
export async function currentConsents(db: Queryable, contactId: number) {
  const topics = await db.select().from(emailTopics).where(eq(emailTopics.workspaceId, WS)).orderBy(asc(emailTopics.name));
  const { rows } = await db.execute<{ topic_id: number; status: 'granted' | 'revoked'; at: Date }>(sql`
    select distinct on (topic_id) topic_id, status, at from email_consents where contact_id = ${contactId} order by topic_id, id desc`);
  const cur = new Map(rows.map((r) => [r.topic_id, r]));
  return topics.map((t) => {
    const c = cur.get(t.id);
    return { topicId: t.id, topicKey: t.key, topicName: t.name, description: t.description, status: (c?.status ?? 'none') as 'granted' | 'revoked' | 'none', at: c ? new Date(c.at).toISOString() : null };
  });
}
