// The email domain, behind one adapter: sending goes through E's enqueueEmails, one call per batch (consent,
// suppression and the idempotency key are checked there, inside our transaction), and the unsubscribed condition
// reads E's consent and suppression records. Nothing else in nurture knows how email works.
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import type { ContactFacts } from './facts.ts';
import { enqueueEmails, type EnqueueEmailInput, type EnqueueStatus } from '../email/enqueue.ts';
export { queueTestMessage } from '../email/test-send.ts';
import { ValidationError } from '../../errors.ts';

export type { EnqueueStatus };
/** What a send step asks E for (E's enqueue input; programs send at once, so no sendAt). */
export type EnqueueArgs = Omit<EnqueueEmailInput, 'sendAt'>;
type EnqueueFn = (tx: Tx, args: EnqueueArgs) => Promise<{ status: EnqueueStatus; messageId?: string }>;

/** Test hook: replace the sender (e.g. to count calls); null restores E's. */
let override: EnqueueFn | null = null;
export function setEnqueueOverride(fn: EnqueueFn | null): void {
  override = fn;
}

export type SendOutcome = { status: EnqueueStatus | 'error'; messageId: string | null; error?: string };

/**
 * Enqueues a batch through E's enqueueEmails (a constant number of statements for the whole batch); outcomes in
 * input order. A template or topic deleted after the program was saved is E's ValidationError, thrown before it
 * writes anything and naming each bad input: those steps record it as their outcome and the rest are enqueued
 * (a second call), instead of failing the whole batch.
 */
export async function sendEmails(tx: Tx, list: EnqueueArgs[]): Promise<SendOutcome[]> {
  if (!list.length) return [];
  if (override) {
    const out: SendOutcome[] = [];
    for (const args of list) {
      const r = await override(tx, args);
      out.push({ status: r.status, messageId: r.messageId ?? null });
    }
    return out;
  }
  const ok = (r: { status: EnqueueStatus; messageId?: string }): SendOutcome => ({ status: r.status, messageId: r.messageId ?? null });
  try {
    return (await enqueueEmails(tx, list)).map(ok);
  } catch (err) {
    const details = err instanceof ValidationError && Array.isArray(err.details) ? (err.details as { field: string; message: string; index?: number }[]) : [];
    const bad = new Map<number, string[]>();
    for (const d of details) if (typeof d.index === 'number') bad.set(d.index, [...(bad.get(d.index) ?? []), `${d.field.replace(/^\[\d+\]\./, '')}: ${d.message}`]);
    if (!bad.size) throw err;
    const rest = list.flatMap((_, i) => (bad.has(i) ? [] : [i]));
    const done = rest.length ? await enqueueEmails(tx, rest.map((i) => list[i]!)) : [];
    const byIndex = new Map(rest.map((i, j) => [i, ok(done[j]!)]));
    return list.map((_, i) => byIndex.get(i) ?? { status: 'error', messageId: null, error: bad.get(i)!.join('; ') });
  }
}

let emailTables: boolean | null = null;
async function hasEmailTables(tx: Queryable): Promise<boolean> {
  if (emailTables) return true;
  const { rows } = await tx.execute<{ x: boolean }>(sql`select to_regclass('email_suppressions') is not null and to_regclass('email_consents') is not null as x`);
  emailTables = rows[0]?.x === true;
  return emailTables;
}

/**
 * Contacts that are unsubscribed: their address is suppressed, or (with a topic) their newest consent for the
 * topic is a revocation, or (without one) every topic they had consent for is revoked.
 */
export async function unsubscribedAmong(tx: Queryable, contactIds: number[], facts: Map<number, ContactFacts>, topicKey?: string): Promise<Set<number>> {
  if (!contactIds.length || !(await hasEmailTables(tx))) return new Set();
  const ids = `{${contactIds.join(',')}}`;
  const emails = `{${contactIds.map((id) => `"${(facts.get(id)?.email ?? '').replace(/["\\]/g, '')}"`).join(',')}}`;
  const { rows } = await tx.execute<{ id: string }>(sql`
    with c as (select * from unnest(${ids}::bigint[], ${emails}::text[]) as c(id, email)),
    latest as (
      select distinct on (ec.contact_id, ec.topic_id) ec.contact_id, ec.topic_id, ec.status, t.key
      from email_consents ec join email_topics t on t.id = ec.topic_id
      where ec.contact_id = any(${ids}::bigint[])
      order by ec.contact_id, ec.topic_id, ec.id desc
    )
    select c.id::text as id from c
    where exists (select 1 from email_suppressions s where s.email = c.email)
      or ${
        topicKey
          ? sql`exists (select 1 from latest l where l.contact_id = c.id and l.key = ${topicKey} and l.status = 'revoked')`
          : sql`(exists (select 1 from latest l where l.contact_id = c.id and l.status = 'revoked') and not exists (select 1 from latest l where l.contact_id = c.id and l.status = 'granted'))`
      }`);
  return new Set(rows.map((r) => Number(r.id)));
}
