// Contacts: create, get, change, delete, list, timeline.
import { and as andOp, eq, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import {
  ContactInput,
  ContactListQuery,
  ContactPatch,
  TimelineQuery,
  type Contact as ContactDto,
  type ContactPage,
} from '../../contracts/contacts.ts';
import type { z } from 'zod';
import { diffFields, listAudit, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { CONTACT_COLUMNS, CONTACT_JOINS, diffProperties, toContactDto, type ContactRow } from './dto.ts';
import { atLeastPage, cappedCount, CONTACT_SORT_COLUMNS, contactConditions, keysetPage } from './list-query.ts';
import { checkPropertyValues, loadPropertyDefinitions, mergeProperties } from './property-definitions.ts';
import { accounts, contacts, type Contact } from './schema.ts';
import { transitionInTx } from '../lifecycle/transition.ts';
import { scoreContactFit } from '../scoring/fit.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

/**
 * Runs a write; a unique violation of `constraint` (a concurrent request won the race after our
 * pre-check) becomes the same clear error the pre-check gives.
 */
export function onUniqueViolation(constraint: string, toError: () => Error) {
  return async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (err) {
      const pg = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint?: string };
      if (pg.code === '23505' && pg.constraint === constraint) throw toError();
      throw err;
    }
  };
}

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

export async function assertUserExists(db: Queryable, field: string, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
  if (!row) throw fieldError(field, `user ${id} does not exist`);
}

async function assertAccountExists(db: Queryable, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, id));
  if (!row) throw fieldError('accountId', `account ${id} does not exist`);
}

async function assertEmailFree(db: Queryable, email: string, exceptId?: number): Promise<void> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(andOp(eq(contacts.workspaceId, 1), eq(contacts.email, email), exceptId ? ne(contacts.id, exceptId) : undefined));
  if (row) throw new ConflictError(`A contact with email ${email} already exists (contact ${row.id})`, { field: 'email', id: row.id });
}

/** The account whose domain is the email's domain, if any. */
export async function accountForEmail(db: Queryable, email: string): Promise<number | null> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!domain) return null;
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(andOp(eq(accounts.workspaceId, 1), eq(accounts.domain, domain)));
  return row?.id ?? null;
}

export async function loadContact(db: Queryable, id: number): Promise<ContactDto> {
  const res = await db.execute(sql`select ${CONTACT_COLUMNS} from contacts c ${CONTACT_JOINS} where c.id = ${id}`);
  const row = res.rows[0] as unknown as ContactRow | undefined;
  if (!row) throw new NotFoundError('Contact', id);
  return toContactDto(row);
}

/** The fields of a contact as audit rows show them. */
function auditable(c: Pick<Contact, 'email' | 'firstName' | 'lastName' | 'title' | 'phone' | 'lifecycleStage' | 'ownerId' | 'accountId'>) {
  return {
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    title: c.title,
    phone: c.phone,
    lifecycleStage: c.lifecycleStage,
    ownerId: c.ownerId,
    accountId: c.accountId,
  };
}

/** Every field set to null: the "to" side of a deletion's diff. */
function cleared(fields: Record<string, unknown>): Record<string, null> {
  return Object.fromEntries(Object.keys(fields).map((k) => [k, null]));
}

function nameOf(c: Pick<Contact, 'email' | 'firstName' | 'lastName'>): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return name ? `${name} <${c.email}>` : c.email;
}

function sourceFor(ctx: Ctx): string {
  return ctx.actor.type === 'user' ? 'manual' : ctx.actor.type === 'api_key' ? 'api' : ctx.actor.type;
}

export async function getContact({ ctx, id }: { ctx: Ctx; id: number }): Promise<ContactDto> {
  return loadContact(ctx.db, id);
}

export async function createContact({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ContactDto> {
  const data = ContactInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    await assertEmailFree(tx, data.email);
    await assertUserExists(tx, 'ownerId', data.ownerId);
    await assertAccountExists(tx, data.accountId);
    const defs = await loadPropertyDefinitions(tx, 'contact');
    const props = data.properties ? checkPropertyValues(defs, data.properties).set : {};
    const accountId = data.accountId === undefined ? await accountForEmail(tx, data.email) : data.accountId;
    const [row] = await onUniqueViolation(
      'contacts_email_unique',
      () => new ConflictError(`A contact with email ${data.email} already exists`, { field: 'email' }),
    )(() => tx
      .insert(contacts)
      .values({
        email: data.email,
        firstName: data.firstName ?? null,
        lastName: data.lastName ?? null,
        title: data.title ?? null,
        phone: data.phone ?? null,
        lifecycleStage: data.lifecycleStage ?? 'subscriber',
        ownerId: data.ownerId ?? null,
        accountId,
        properties: props,
        source: sourceFor(ctx),
      })
      .returning());
    await recordAudit(tx, ctx.actor, {
      action: 'contact.created',
      entityType: 'contact',
      entityId: row!.id,
      summary: `Created contact ${nameOf(row!)}`,
      changes: { ...diffFields({}, auditable(row!)), ...diffProperties({}, row!.properties) },
    });
    await scoreContactFit(tx, row!.id); // fit follows the contact's fields
    const created = await loadContact(tx, row!.id);
    await emitWebhookEvent(tx, { type: 'contact.created', contactId: created.id, data: { contact: created } });
    return created;
  });
}

export async function updateContact({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<ContactDto> {
  const data = ContactPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
    if (!before) throw new NotFoundError('Contact', id);
    if (data.email !== undefined && data.email !== before.email) await assertEmailFree(tx, data.email, id);
    await assertUserExists(tx, 'ownerId', data.ownerId);
    await assertAccountExists(tx, data.accountId);
    let properties = before.properties;
    if (data.properties) {
      const defs = await loadPropertyDefinitions(tx, 'contact');
      properties = mergeProperties(before.properties, checkPropertyValues(defs, data.properties));
    }
    const after = {
      email: data.email ?? before.email,
      firstName: data.firstName === undefined ? before.firstName : data.firstName,
      lastName: data.lastName === undefined ? before.lastName : data.lastName,
      title: data.title === undefined ? before.title : data.title,
      phone: data.phone === undefined ? before.phone : data.phone,
      lifecycleStage: data.lifecycleStage ?? before.lifecycleStage,
      ownerId: data.ownerId === undefined ? before.ownerId : data.ownerId,
      accountId: data.accountId === undefined ? before.accountId : data.accountId,
    };
    const changes = { ...diffFields(auditable(before), after), ...diffProperties(before.properties, properties) };
    if (!Object.keys(changes).length) return loadContact(tx, id);
    await onUniqueViolation(
      'contacts_email_unique',
      () => new ConflictError(`A contact with email ${after.email} already exists`, { field: 'email' }),
    )(() => tx
      .update(contacts)
      .set({ ...after, lifecycleStage: before.lifecycleStage, properties, updatedAt: sql`now()` })
      .where(eq(contacts.id, id)));
    // A stage change goes through the lifecycle domain: stored as a transition (cause api), handoff opened on sales_ready.
    if (after.lifecycleStage !== before.lifecycleStage) {
      await transitionInTx(tx, ctx.actor, { contactId: id, toStage: after.lifecycleStage, cause: 'api', reason: 'Stage set on the contact' });
    }
    await recordAudit(tx, ctx.actor, {
      action: 'contact.updated',
      entityType: 'contact',
      entityId: id,
      summary: `Updated contact ${nameOf(after)}: ${Object.keys(changes).join(', ')}`,
      changes,
    });
    await scoreContactFit(tx, id); // fit follows the contact's fields
    const updated = await loadContact(tx, id);
    await emitWebhookEvent(tx, { type: 'contact.updated', contactId: id, data: { contact: updated, changes } });
    return updated;
  });
}

export async function deleteContact({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.delete(contacts).where(eq(contacts.id, id)).returning();
    if (!before) throw new NotFoundError('Contact', id);
    await recordAudit(tx, ctx.actor, {
      action: 'contact.deleted',
      entityType: 'contact',
      entityId: id,
      summary: `Deleted contact ${nameOf(before)}`,
      changes: { ...diffFields(auditable(before), cleared(auditable(before))), ...diffProperties(before.properties, {}) },
    });
  });
}

export async function listContacts({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<z.infer<typeof ContactPage>> {
  const query = ContactListQuery.parse(input ?? {});
  // Definitions are only needed to read prop.<key> filters; most list requests have none.
  const hasPropertyFilters = Object.keys(query).some((k) => k.startsWith('prop.'));
  const defs = hasPropertyFilters ? await loadPropertyDefinitions(ctx.db, 'contact') : new Map();
  const where = contactConditions(query, defs);
  const keyset = {
    table: 'contacts' as const,
    select: CONTACT_COLUMNS,
    joins: CONTACT_JOINS,
    where,
    sort: query.sort,
    columns: CONTACT_SORT_COLUMNS,
    cursor: query.cursor,
    limit: query.limit,
  };
  const [page, total] = await Promise.all([keysetPage<ContactRow>(ctx.db, keyset), cappedCount(ctx.db, 'contacts', where)]);
  return { items: page.rows.map(toContactDto), nextCursor: page.nextCursor, total: atLeastPage(total, page) };
}

// ---------- timeline ----------

function describeChanges(changes: Record<string, unknown> | null): string | null {
  if (!changes) return null;
  const parts: string[] = [];
  for (const [field, change] of Object.entries(changes)) {
    if (change && typeof change === 'object' && 'from' in change && 'to' in change) {
      const c = change as { from: unknown; to: unknown };
      parts.push(`${field}: ${c.from === null ? '—' : String(c.from)} → ${c.to === null ? '—' : String(c.to)}`);
    } else parts.push(`${field}: ${JSON.stringify(change)}`);
  }
  const text = parts.join('; ');
  return text ? (text.length > 1000 ? `${text.slice(0, 999)}…` : text) : null;
}

/** Timeline cursors are base64url("a:<audit id>"). */
function timelineCursor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const m = /^[A-Za-z0-9_-]+$/.test(raw) ? /^a:([1-9]\d{0,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!m) throw fieldError('cursor', 'is not a cursor returned by this timeline; start again from the first page');
  return Number(m[1]);
}

/** The contact's activity, newest first: today its audit entries; later issues add events, emails and stage changes. */
export async function contactTimeline({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const q = TimelineQuery.parse(input ?? {});
  const [exists] = await ctx.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id));
  if (!exists) throw new NotFoundError('Contact', id);
  const limit = q.limit;
  const rows = await listAudit(ctx.db, { entityType: 'contact', entityId: String(id), beforeId: timelineCursor(q.cursor), limit: limit + 1 });
  const items = rows.slice(0, limit).map((r) => ({
    id: `audit:${r.id}`,
    at: r.at.toISOString(),
    kind: r.action,
    title: r.summary,
    detail: describeChanges(r.changes ?? null),
    actor: r.actorLabel,
  }));
  const last = rows[limit - 1];
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(`a:${last.id}`).toString('base64url') : null };
}
