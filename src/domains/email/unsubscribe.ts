// Unsubscribe. The one-click POST (RFC 8058: List-Unsubscribe-Post) needs no login and never redirects: it
// revokes the consent for the message's topic (a message without a topic: the address is suppressed). A test
// message (test-send.ts) went to the person testing, not to the contact it was rendered as: its links change nothing. The preference page lists every topic with the contact's current state; its form changes
// them, and "unsubscribe from everything" suppresses the address. Each change is a consent record, an audit
// row and an `Email Unsubscribed` event, committed before the answer — so the next send sees it.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../identity/audit.ts';
import type { Actor } from '../../context.ts';
import { currentConsents, recordConsent } from './consent.ts';
import { suppress } from './suppressions.ts';
import { emailSourceId, forgetMessage, messageMeta, writeEmailEvents, type MessageMeta } from './tracking.ts';

const recipient = (meta: MessageMeta): Actor => ({ type: 'system', id: null, label: `recipient ${meta.toEmail}`, role: 'viewer', userId: null });

async function markUnsubscribed(db: Db, tx: Parameters<Parameters<Db['transaction']>[0]>[0], meta: MessageMeta, now: Date) {
  await tx.execute(sql`update email_messages set unsubscribed_at = coalesce(unsubscribed_at, ${now.toISOString()}::timestamptz) where id = ${meta.id}::uuid`);
  await writeEmailEvents(tx, await emailSourceId(db), [{ meta, event: 'Email Unsubscribed', at: now, url: null, ip: null, userAgent: null }]);
}

export const TEST_NOTE = 'This was a test message: its unsubscribe link changes nothing.';

/** One-click: returns what was done (for the plain-text answer). */
export async function oneClickUnsubscribe(db: Db, messageId: string, now = new Date()): Promise<string | null> {
  const meta = await messageMeta(db, messageId);
  if (!meta) return null;
  if (meta.isTest) return TEST_NOTE;
  return db.transaction(async (tx) => {
    const actor = recipient(meta);
    if (meta.topicId && meta.contactId) {
      const { rows } = await tx.execute<{ status: string; name: string }>(sql`
        select t.name, coalesce((select status from email_consents c where c.contact_id = ${meta.contactId} and c.topic_id = t.id order by c.id desc limit 1), 'none') as status
        from email_topics t where t.id = ${meta.topicId}`);
      const topic = rows[0];
      if (topic && topic.status !== 'revoked') {
        await recordConsent(tx, actor, { contactId: meta.contactId, topicId: meta.topicId, status: 'revoked', source: 'one-click unsubscribe (List-Unsubscribe-Post)', text: null, at: now, messageId: meta.id });
        await recordAudit(tx, actor, { action: 'email.consent_revoked', entityType: 'contact', entityId: meta.contactId, summary: `Unsubscribed from "${topic.name}" (one-click)`, changes: { topicId: meta.topicId, messageId: meta.id } });
        await markUnsubscribed(db, tx, meta, now);
      }
      return `You are unsubscribed from ${topic?.name ?? 'these emails'}.`;
    }
    if (await suppress(tx, { email: meta.toEmail, reason: 'unsubscribe_all', detail: 'one-click unsubscribe', messageId: meta.id, by: actor.label })) {
      await recordAudit(tx, actor, { action: 'email.suppressed', entityType: 'email_suppression', entityId: meta.toEmail, summary: `${meta.toEmail} unsubscribed from all email (one-click)` });
      await markUnsubscribed(db, tx, meta, now);
    }
    return 'You are unsubscribed from all email.';
  });
}

export async function preferenceState(db: Db, messageId: string) {
  const meta = await messageMeta(db, messageId);
  if (!meta) return null;
  if (meta.isTest) return { meta, topics: [], suppressed: false, test: true };
  const topics = meta.contactId ? await currentConsents(db, meta.contactId) : [];
  const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from email_suppressions where workspace_id = ${meta.workspaceId} and email = ${meta.toEmail}`);
  return { meta, topics, suppressed: rows[0]!.n > 0, test: false };
}

/** The preference form: `topic` values are the topic ids to stay subscribed to; `all=1` unsubscribes from everything. */
export async function savePreferences(db: Db, messageId: string, form: { topics: number[]; all: boolean }, now = new Date()): Promise<boolean> {
  const state = await preferenceState(db, messageId);
  if (!state) return false;
  if (state.test) return true;
  const { meta } = state;
  await db.transaction(async (tx) => {
    const actor = recipient(meta);
    let revoked = false;
    if (form.all) {
      if (await suppress(tx, { email: meta.toEmail, reason: 'unsubscribe_all', detail: 'preference page', messageId: meta.id, by: actor.label })) {
        await recordAudit(tx, actor, { action: 'email.suppressed', entityType: 'email_suppression', entityId: meta.toEmail, summary: `${meta.toEmail} unsubscribed from all email (preference page)` });
        revoked = true;
      }
    }
    if (meta.contactId) {
      for (const t of state.topics) {
        const want = !form.all && form.topics.includes(t.topicId) ? 'granted' : 'revoked';
        if (want === t.status || (want === 'revoked' && t.status === 'none')) continue;
        await recordConsent(tx, actor, { contactId: meta.contactId, topicId: t.topicId, status: want, source: 'preference page', text: want === 'granted' ? `Kept "${t.topicName}" on the preference page` : null, at: now, messageId: meta.id });
        await recordAudit(tx, actor, { action: `email.consent_${want}`, entityType: 'contact', entityId: meta.contactId, summary: `${want === 'granted' ? 'Subscribed to' : 'Unsubscribed from'} "${t.topicName}" (preference page)` });
        if (want === 'revoked') revoked = true;
      }
    }
    if (revoked) await markUnsubscribed(db, tx, meta, now);
  });
  forgetMessage(db, messageId);
  return true;
}
