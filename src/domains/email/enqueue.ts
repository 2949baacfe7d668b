// enqueueEmails / enqueueEmail: the one way other domains (nurture programs, campaigns) send an email. Runs
// inside the caller's transaction; checks the suppression list and the contact's latest consent for the topic,
// and stores the message once per idempotency key. A batch costs a constant number of statements (one for the
// facts and the INSERT … ON CONFLICT DO NOTHING, one more only when a concurrent transaction inserted some of
// the same keys), whatever its size. The send loop (send.ts) renders and sends, checking suppression and
// consent again at send time.
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
  /** The content item the message carries (e.g. a program's stage-aware pick): clicks attribute to it. */
  contentItemId?: number;
  /** Send no earlier than this. */
  sendAt?: Date;
}

export type EnqueueStatus = 'queued' | 'duplicate' | 'suppressed' | 'no_consent' | 'no_email';
export interface EnqueueResult {
  status: EnqueueStatus;
  messageId?: string;
}

/** One ValidationError for every bad input of a batch; details name the field and the input's index. */
function inputsError(bad: { index: number; field: string; message: string }[], single: boolean): ValidationError {
  const name = (b: (typeof bad)[number]) => (single ? b.field : `[${b.index}].${b.field}`);
  return new ValidationError(
    bad.map((b) => `${name(b)}: ${b.message}`).join('; '),
    bad.map((b) => ({ field: name(b), message: b.message, index: b.index })),
  );
}

type Row = { ord: number; email: string | null; suppressed: boolean; topic_id: number | null; consent: string | null; template_ok: boolean; existing: string | null; new_id: string | null };

/**
 * Enqueues many messages at once; results in input order. An unknown template or topic (for an input whose key
 * is not already a message) is a ValidationError naming every such input, thrown before anything is written.
 * The same key twice in one batch is one message (the later input is its 'duplicate').
 */
export async function enqueueEmails(tx: Queryable, inputs: EnqueueEmailInput[]): Promise<EnqueueResult[]> {
  const single = inputs.length === 1;
  const tooLong = inputs.flatMap((x, index) => (!x.idempotencyKey || x.idempotencyKey.length > 300 ? [{ index, field: 'idempotencyKey', message: 'is required (at most 300 characters)' }] : []));
  if (tooLong.length) throw inputsError(tooLong, single);
  // The first input of each (workspace, key) goes to the database; later ones repeat its result.
  const firstOf = new Map<string, number>();
  const uniq: number[] = [];
  const repeatOf = inputs.map((x, i) => {
    const k = `${x.workspaceId ?? 1}\u0000${x.idempotencyKey}`;
    const f = firstOf.get(k);
    if (f !== undefined) return f;
    firstOf.set(k, i);
    uniq.push(i);
    return -1;
  });
  if (!uniq.length) return [];
  const col = <T>(f: (x: EnqueueEmailInput) => T) => sql.param(uniq.map((i) => f(inputs[i]!)));
  const now = new Date().toISOString();
  const { rows } = await tx.execute<Row>(sql`
    with i as (
      select * from unnest(${col((x) => x.workspaceId ?? 1)}::int[], ${col((x) => x.contactId)}::bigint[], ${col((x) => x.templateId)}::int[],
        ${col((x) => x.topicKey)}::text[], ${col((x) => x.idempotencyKey)}::text[], ${col((x) => x.programId ?? null)}::text[],
        ${col((x) => x.stepId ?? null)}::text[], ${col((x) => x.campaignId ?? null)}::text[], ${col((x) => x.contentItemId ?? null)}::bigint[],
        ${col((x) => x.sendAt?.toISOString() ?? now)}::timestamptz[])
        with ordinality as i(ws, contact_id, template_id, topic_key, key, program_id, step_id, campaign_id, content_item_id, send_at, ord)
    ), f as (
      select i.*, c.email, t.id as topic_id,
        exists (select 1 from email_suppressions s where s.workspace_id = i.ws and s.email = c.email) as suppressed,
        (select ec.status from email_consents ec where ec.contact_id = c.id and ec.topic_id = t.id order by ec.id desc limit 1) as consent,
        exists (select 1 from email_templates et where et.id = i.template_id and et.workspace_id = i.ws) as template_ok,
        m.id::text as existing,
        (select split_part(es.from_email, '@', 2) from email_settings es where es.workspace_id = i.ws) as from_domain
      from i
      left join contacts c on c.id = i.contact_id and c.workspace_id = i.ws
      left join email_topics t on t.workspace_id = i.ws and t.key = i.topic_key
      left join email_messages m on m.workspace_id = i.ws and m.idempotency_key = i.key
    ), ins as (
      insert into email_messages (workspace_id, contact_id, template_id, topic_id, to_email, idempotency_key, program_id, step_id, campaign_id, content_item_id, from_domain, next_attempt_at)
      select f.ws, f.contact_id, f.template_id, f.topic_id, f.email, f.key, f.program_id, f.step_id, f.campaign_id, f.content_item_id, coalesce(f.from_domain, 'example.com'), f.send_at
      from f
      where f.existing is null and f.template_ok and f.topic_id is not null and f.email is not null and not f.suppressed and f.consent = 'granted'
        and not exists (select 1 from f bad where bad.existing is null and (not bad.template_ok or bad.topic_id is null))
      order by f.ws, f.key
      on conflict (workspace_id, idempotency_key) do nothing
      returning id::text as id, workspace_id, idempotency_key
    )
    select f.ord::int as ord, f.email, f.suppressed, f.topic_id, f.consent, f.template_ok, f.existing, ins.id as new_id
    from f left join ins on ins.workspace_id = f.ws and ins.idempotency_key = f.key
    order by f.ord`);

  const bad = rows.flatMap((r) => {
    if (r.existing) return [];
    const index = uniq[r.ord - 1]!;
    const x = inputs[index]!;
    return [
      ...(r.template_ok ? [] : [{ index, field: 'templateId', message: `email template ${x.templateId} does not exist` }]),
      ...(r.topic_id != null ? [] : [{ index, field: 'topicKey', message: `email topic "${x.topicKey}" does not exist` }]),
    ];
  });
  if (bad.length) throw inputsError(bad, single);

  const byUniq: EnqueueResult[] = rows.map((r) => {
    if (r.new_id) return { status: 'queued', messageId: r.new_id };
    if (r.existing) return { status: 'duplicate', messageId: r.existing };
    if (!r.email) return { status: 'no_email' };
    if (r.suppressed) return { status: 'suppressed' };
    if (r.consent !== 'granted') return { status: 'no_consent' };
    return { status: 'duplicate' }; // another transaction inserted the same key at the same moment: its id below
  });
  const raced = byUniq.flatMap((r, j) => (r.status === 'duplicate' && !r.messageId ? [j] : []));
  if (raced.length) {
    const { rows: found } = await tx.execute<{ id: string; ws: number; key: string }>(sql`
      select m.id::text as id, m.workspace_id as ws, m.idempotency_key as key from email_messages m
      join unnest(${sql.param(raced.map((j) => inputs[uniq[j]!]!.workspaceId ?? 1))}::int[], ${sql.param(raced.map((j) => inputs[uniq[j]!]!.idempotencyKey))}::text[]) as k(ws, key)
        on m.workspace_id = k.ws and m.idempotency_key = k.key`);
    const idOf = new Map(found.map((f) => [`${f.ws}\u0000${f.key}`, f.id]));
    for (const j of raced) {
      const x = inputs[uniq[j]!]!;
      byUniq[j] = { status: 'duplicate', messageId: idOf.get(`${x.workspaceId ?? 1}\u0000${x.idempotencyKey}`) };
    }
  }

  const resultOf = new Map(uniq.map((i, j) => [i, byUniq[j]!]));
  return inputs.map((_, i) => {
    if (repeatOf[i] === -1) return resultOf.get(i)!;
    const first = resultOf.get(repeatOf[i]!)!;
    return first.messageId ? { status: 'duplicate', messageId: first.messageId } : { ...first };
  });
}

/** One message: a one-element enqueueEmails. */
export async function enqueueEmail(tx: Queryable, input: EnqueueEmailInput): Promise<EnqueueResult> {
  return (await enqueueEmails(tx, [input]))[0]!;
}
