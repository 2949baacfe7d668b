// enqueueEmail: the one way other domains (nurture programs, campaigns) send an email. Runs inside the caller's
// transaction; checks the suppression list and the contact's consent for the topic, and stores the message
// once per idempotency key. The send loop (send.ts) renders and sends it, checking suppression and consent
// again at send time.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';

export interface EnqueueEmailInput {
  workspaceId: number;
  contactId: number;
  templateId: number;
  /** The subscription topic (email_topics.key): the contact must have consent for it. */
  topicKey: string;
  /** The same key twice is one message (e.g. `${programId}:${stepId}:${contactId}:${entry}`). */
  idempotencyKey: string;
  programId?: string;
  stepId?: string;
  campaignId?: string;
  /** Send no earlier than this. */
  sendAt?: Date;
}

export type EnqueueStatus = 'queued' | 'duplicate' | 'suppressed' | 'no_consent' | 'no_email';
export interface EnqueueResult {
  status: EnqueueStatus;
  messageId?: string;
}

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

type Facts = { email: string | null; suppressed: boolean; topic_id: number | null; consent: string | null; template_ok: boolean; existing: string | null; from_domain: string | null };

export async function enqueueEmail(tx: Queryable, input: EnqueueEmailInput): Promise<EnqueueResult> {
  const ws = input.workspaceId ?? 1;
  if (!input.idempotencyKey || input.idempotencyKey.length > 300) throw fieldError('idempotencyKey', 'is required (at most 300 characters)');
  // One statement: the facts, and the insert when they allow it (nurture programs call this per step).
  const { rows } = await tx.execute<Facts & { new_id: string | null }>(sql`
    with f as (
      select c.email,
        exists (select 1 from email_suppressions s where s.workspace_id = ${ws} and s.email = c.email) as suppressed,
        t.id as topic_id,
        (select ec.status from email_consents ec where ec.contact_id = c.id and ec.topic_id = t.id order by ec.id desc limit 1) as consent,
        exists (select 1 from email_templates et where et.id = ${input.templateId} and et.workspace_id = ${ws}) as template_ok,
        (select m.id::text from email_messages m where m.workspace_id = ${ws} and m.idempotency_key = ${input.idempotencyKey}) as existing,
        (select split_part(es.from_email, '@', 2) from email_settings es where es.workspace_id = ${ws}) as from_domain
      from (select 1) one
      left join contacts c on c.id = ${input.contactId} and c.workspace_id = ${ws}
      left join email_topics t on t.workspace_id = ${ws} and t.key = ${input.topicKey}
    ), ins as (
      insert into email_messages (workspace_id, contact_id, template_id, topic_id, to_email, idempotency_key, program_id, step_id, campaign_id, from_domain, next_attempt_at)
      select ${ws}, ${input.contactId}, ${input.templateId}, f.topic_id, f.email, ${input.idempotencyKey}, ${input.programId ?? null}, ${input.stepId ?? null},
        ${input.campaignId ?? null}, coalesce(f.from_domain, 'example.com'), ${(input.sendAt ?? new Date()).toISOString()}::timestamptz
      from f
      where f.existing is null and f.template_ok and f.topic_id is not null and f.email is not null and not f.suppressed and f.consent = 'granted'
      on conflict (workspace_id, idempotency_key) do nothing
      returning id::text as id
    )
    select f.*, (select id from ins) as new_id from f`);
  const f = rows[0]!;
  if (f.new_id) return { status: 'queued', messageId: f.new_id };
  if (f.existing) return { status: 'duplicate', messageId: f.existing };
  if (!f.template_ok) throw fieldError('templateId', `email template ${input.templateId} does not exist`);
  if (f.topic_id == null) throw fieldError('topicKey', `email topic "${input.topicKey}" does not exist`);
  if (!f.email) return { status: 'no_email' };
  if (f.suppressed) return { status: 'suppressed' };
  if (f.consent !== 'granted') return { status: 'no_consent' };
  // Another transaction inserted the same key at the same moment.
  const again = await tx.execute<{ id: string }>(sql`select id::text as id from email_messages where workspace_id = ${ws} and idempotency_key = ${input.idempotencyKey}`);
  return { status: 'duplicate', messageId: again.rows[0]?.id };
}
