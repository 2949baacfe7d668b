// The email domain, behind one adapter: sending goes through E's enqueueEmail (consent, suppression and the
// idempotency key are checked there, inside our transaction), and the unsubscribed condition reads E's consent
// and suppression records. Nothing else in nurture knows how email works.
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import type { ContactFacts } from './facts.ts';
import { enqueueEmail } from '../email/enqueue.ts';
import { ValidationError } from '../../errors.ts';

export type EnqueueStatus = 'queued' | 'duplicate' | 'suppressed' | 'no_consent' | 'no_email';
export interface EnqueueArgs {
  workspaceId: number;
  contactId: number;
  templateId: number;
  topicKey: string;
  idempotencyKey: string;
  programId?: string;
  stepId?: string;
  campaignId?: string;
  contentItemId?: number;
}
type EnqueueFn = (tx: Tx, args: EnqueueArgs) => Promise<{ status: EnqueueStatus; messageId?: string }>;

/** Test hook: replace the sender (e.g. to count calls); null restores E's. */
let override: EnqueueFn | null = null;
export function setEnqueueOverride(fn: EnqueueFn | null): void {
  override = fn;
}

/**
 * Enqueues through E. A template or topic deleted after the program was saved is E's ValidationError (thrown
 * before it writes anything): the step records it as its outcome instead of failing the whole batch.
 * E's messages carry no per-message content item yet: a content step's pick is recorded in the step run.
 */
export async function sendEmail(tx: Tx, args: EnqueueArgs): Promise<{ status: EnqueueStatus | 'error'; messageId: string | null; error?: string }> {
  try {
    if (override) {
      const r = await override(tx, args);
      return { status: r.status, messageId: r.messageId ?? null };
    }
    const { contentItemId: _notYetInE, ...rest } = args;
    const r = await enqueueEmail(tx, rest);
    return { status: r.status, messageId: r.messageId ?? null };
  } catch (err) {
    if (err instanceof ValidationError) return { status: 'error', messageId: null, error: err.message };
    throw err;
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
