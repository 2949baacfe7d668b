// Identity stitching: which contact an anonymousId / userId belongs to, back-filling earlier events once
// a person is known, and merging two contacts that turn out to be one person. Runs inside the ingest
// transaction. Contact and account rows are written by src/domains/contacts/identify.ts.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { recordAudit } from '../identity/audit.ts';
import { contacts } from '../contacts/schema.ts';
import {
  contactExists,
  linkContactToAccount,
  mergeContactRows,
  normalizeEmail,
  upsertAccountFromGroup,
  upsertContactFromTraits,
} from '../contacts/identify.ts';
import { inboxInsertFrom } from '../scoring/inbox.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import { contactMerges, identities, type IdentityKind } from './schema.ts';

export interface IdentityScope {
  tx: Tx;
  actor: Actor;
  workspaceId: number;
  /** Source name, for audit summaries and contacts.source. */
  source: string;
}

export async function lookupIdentity(s: IdentityScope, kind: IdentityKind, value: string | null | undefined): Promise<number | null> {
  if (!value) return null;
  const [row] = await s.tx
    .select({ contactId: identities.contactId })
    .from(identities)
    .where(and(eq(identities.workspaceId, s.workspaceId), eq(identities.kind, kind), eq(identities.value, value)));
  return row?.contactId ?? null;
}

/** Contacts of many ids at once: Map of `${kind}:${value}` → contact id. */
export async function lookupIdentities(s: Pick<IdentityScope, 'tx' | 'workspaceId'>, userIds: string[], anonymousIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const conds = [];
  if (userIds.length) conds.push(and(eq(identities.kind, 'user'), inArray(identities.value, userIds)));
  if (anonymousIds.length) conds.push(and(eq(identities.kind, 'anonymous'), inArray(identities.value, anonymousIds)));
  if (!conds.length) return out;
  const rows = await s.tx
    .select({ kind: identities.kind, value: identities.value, contactId: identities.contactId })
    .from(identities)
    .where(and(eq(identities.workspaceId, s.workspaceId), or(...conds)));
  for (const r of rows) out.set(`${r.kind}:${r.value}`, r.contactId);
  return out;
}

/** Points an id at a contact (the newest identify wins for an anonymousId: shared devices). */
export async function linkIdentity(s: IdentityScope, kind: IdentityKind, value: string, contactId: number): Promise<void> {
  await s.tx
    .insert(identities)
    .values({ workspaceId: s.workspaceId, kind, value, contactId })
    .onConflictDoUpdate({
      target: [identities.workspaceId, identities.kind, identities.value],
      set: { contactId, updatedAt: new Date() },
      setWhere: sql`${identities.contactId} <> excluded.contact_id`,
    });
}

/**
 * Ties earlier events of these ids that have no contact yet to the contact, and puts them in the scoring
 * inbox in the same statement (they are scored for the contact now that it is known). Returns how many.
 */
export async function backfillEvents(s: IdentityScope, contactId: number, ids: { anonymousIds?: string[]; userIds?: string[] }): Promise<number> {
  const conds = [];
  if (ids.anonymousIds?.length) conds.push(sql`anonymous_id = any(${sql.param(ids.anonymousIds)}::text[])`);
  if (ids.userIds?.length) conds.push(sql`user_id = any(${sql.param(ids.userIds)}::text[])`);
  if (!conds.length) return 0;
  const res = await s.tx.execute(sql`
    with moved as (
      update events set contact_id = ${contactId}
      where workspace_id = ${s.workspaceId} and contact_id is null and not is_bot and (${sql.join(conds, sql` or `)})
      returning id, workspace_id, received_at, contact_id, is_bot
    ), inbox as (${inboxInsertFrom('moved')})
    select count(*)::int as n from moved`);
  return (res.rows[0] as { n: number }).n;
}

/**
 * Merges loser into winner: every event and identity of the loser moves to the winner, earlier merges
 * into the loser now point at the winner, contact columns and properties are merged (winner's values win),
 * and the merge is recorded in contact_merges and the audit log.
 */
export async function mergeContacts(s: IdentityScope, winnerId: number, loserId: number, reason: 'alias' | 'identify'): Promise<void> {
  if (winnerId === loserId) return;
  // The loser's points go with its row (cascade); its events are scored again for the winner (inbox row).
  const moved = await s.tx.execute(sql`
    with moved as (
      update events set contact_id = ${winnerId} where contact_id = ${loserId}
      returning id, workspace_id, received_at, contact_id, is_bot
    ), inbox as (${inboxInsertFrom('moved')})
    select count(*)::int as n from moved`);
  await s.tx.update(identities).set({ contactId: winnerId, updatedAt: new Date() }).where(eq(identities.contactId, loserId));
  await s.tx.update(contactMerges).set({ winnerId }).where(eq(contactMerges.winnerId, loserId));
  const loser = await mergeContactRows(s.tx, winnerId, loserId);
  const [winner] = await s.tx.select({ email: contacts.email }).from(contacts).where(eq(contacts.id, winnerId));
  const eventsMoved = (moved.rows[0] as { n: number }).n;
  await s.tx.insert(contactMerges).values({
    workspaceId: s.workspaceId,
    winnerId,
    loserId,
    loserEmail: loser.email,
    loserSnapshot: JSON.parse(JSON.stringify(loser)) as Record<string, unknown>,
    reason,
    eventsMoved,
  });
  await recordAudit(s.tx, s.actor, {
    action: 'contact.merged',
    entityType: 'contact',
    entityId: winnerId,
    summary: `Merged contact ${loser.email} (${loserId}) into ${winner?.email ?? winnerId} (${winnerId}) after an ${reason} call (${s.source}); ${eventsMoved} events moved`,
    changes: { loserId, loserEmail: loser.email, reason, eventsMoved },
  });
  await emitWebhookEvent(s.tx, { type: 'contact.merged', workspaceId: s.workspaceId, contactId: winnerId, data: { winnerId, winnerEmail: winner?.email ?? null, loserId, loserEmail: loser.email, reason, eventsMoved } });
}

type Msg = {
  userId?: string | null;
  anonymousId?: string | null;
  previousId?: string | null;
  traits?: Record<string, unknown> | null;
};

/** identify: upsert the contact by traits.email, tie the ids to it, back-fill their earlier events. */
export async function applyIdentify(s: IdentityScope, m: Msg): Promise<number | null> {
  const traits = m.traits ?? {};
  const email = normalizeEmail(traits.email);
  const userContact = await lookupIdentity(s, 'user', m.userId);
  let contactId: number | null = null;
  if (email) {
    contactId = (await upsertContactFromTraits(s.tx, s.actor, { workspaceId: s.workspaceId, email, traits, source: s.source })).contactId;
  } else {
    contactId = userContact ?? (await lookupIdentity(s, 'anonymous', m.anonymousId));
    if (contactId && Object.keys(traits).length) {
      const [c] = await s.tx.select({ email: contacts.email }).from(contacts).where(eq(contacts.id, contactId));
      if (c) await upsertContactFromTraits(s.tx, s.actor, { workspaceId: s.workspaceId, email: c.email, traits, source: s.source });
    }
  }
  if (!contactId) return null; // an unknown person without an email: the event is kept, tied later
  // One userId is one person: a userId already tied to another contact means the two are the same.
  if (m.userId && userContact && userContact !== contactId) await mergeContacts(s, contactId, userContact, 'identify');
  if (m.userId) await linkIdentity(s, 'user', m.userId, contactId);
  if (m.anonymousId) await linkIdentity(s, 'anonymous', m.anonymousId, contactId);
  await backfillEvents(s, contactId, { anonymousIds: m.anonymousId ? [m.anonymousId] : [], userIds: m.userId ? [m.userId] : [] });
  return contactId;
}

/** alias: previousId (an anonymousId or older userId) and userId are one person; merge when both are known contacts. */
export async function applyAlias(s: IdentityScope, m: Msg): Promise<number | null> {
  const prev = m.previousId!;
  const user = m.userId!;
  const prevAsUser = await lookupIdentity(s, 'user', prev);
  const prevContact = prevAsUser ?? (await lookupIdentity(s, 'anonymous', prev));
  const userContact = await lookupIdentity(s, 'user', user);
  if (prevContact && userContact && prevContact !== userContact) await mergeContacts(s, userContact, prevContact, 'alias');
  const target = userContact ?? prevContact;
  if (!target || !(await contactExists(s.tx, target))) return null;
  await linkIdentity(s, 'user', user, target);
  if (!prevAsUser) await linkIdentity(s, 'anonymous', prev, target);
  await backfillEvents(s, target, { anonymousIds: [prev], userIds: [prev, user] });
  return target;
}

/** group: upsert the account (by domain, else name) and link the contact of the message to it. */
export async function applyGroup(s: IdentityScope, m: Msg): Promise<void> {
  const accountId = await upsertAccountFromGroup(s.tx, s.actor, { workspaceId: s.workspaceId, traits: m.traits ?? {}, source: s.source });
  if (!accountId) return;
  const contactId = (await lookupIdentity(s, 'user', m.userId)) ?? (await lookupIdentity(s, 'anonymous', m.anonymousId));
  if (contactId) await linkContactToAccount(s.tx, contactId, accountId);
}
