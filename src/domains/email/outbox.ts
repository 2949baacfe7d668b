// The outbox screen: every message with its state (queued, sent — over SMTP or kept in the embedded outbox —
// blocked, failed), the rendered content and links; retry a failed message, cancel a queued one.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { OutboxQuery } from '../../contracts/email.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { loadSettings, WS } from './settings.ts';

type Row = {
  id: string; contact_id: number | null; to_email: string; subject: string | null; template_id: number | null; template_name: string | null; topic_key: string | null;
  program_id: string | null; step_id: string | null; campaign_id: string | null; is_test: boolean; status: string; transport: string | null; attempts: number; error: string | null;
  queued_at: Date; sent_at: Date | null; first_opened_at: Date | null; first_clicked_at: Date | null; bounced_at: Date | null; complained_at: Date | null; unsubscribed_at: Date | null;
  html?: string | null; text?: string | null; headers?: Record<string, string> | null;
};
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function dto(r: Row) {
  return {
    id: r.id, contactId: r.contact_id == null ? null : Number(r.contact_id), toEmail: r.to_email, subject: r.subject, templateId: r.template_id, templateName: r.template_name, topicKey: r.topic_key,
    programId: r.program_id, stepId: r.step_id, campaignId: r.campaign_id, isTest: r.is_test, status: r.status as 'queued', transport: r.transport, attempts: r.attempts, error: r.error,
    queuedAt: new Date(r.queued_at).toISOString(), sentAt: iso(r.sent_at), firstOpenedAt: iso(r.first_opened_at), firstClickedAt: iso(r.first_clicked_at), bouncedAt: iso(r.bounced_at),
    complainedAt: iso(r.complained_at), unsubscribedAt: iso(r.unsubscribed_at),
  };
}

const COLUMNS = sql`m.id::text as id, m.contact_id, m.to_email, coalesce(m.subject, t.subject) as subject, m.template_id, t.name as template_name, tp.key as topic_key,
  m.program_id, m.step_id, m.campaign_id, m.is_test, m.status, m.transport, m.attempts, m.error, m.queued_at, m.sent_at, m.first_opened_at, m.first_clicked_at,
  m.bounced_at, m.complained_at, m.unsubscribed_at`;

export async function listOutbox({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = OutboxQuery.parse(input);
  let before: { at: string; id: string } | null = null;
  if (q.before) {
    const [at, id] = Buffer.from(q.before, 'base64url').toString('utf8').split('|');
    if (!at || !id || Number.isNaN(Date.parse(at))) throw new ValidationError('before: is not a cursor returned by this list', [{ field: 'before', message: 'is not a cursor returned by this list' }]);
    before = { at, id };
  }
  const where = sql`m.workspace_id = ${WS}
    ${q.status ? sql`and m.status = ${q.status}` : sql``}
    ${q.contactId ? sql`and m.contact_id = ${q.contactId}` : sql``}
    ${q.campaignId ? sql`and m.campaign_id = ${q.campaignId}` : sql``}
    ${q.programId ? sql`and m.program_id = ${q.programId}` : sql``}`;
  const [{ rows }, counts, settings] = await Promise.all([
    ctx.db.execute<Row>(sql`
      select ${COLUMNS} from email_messages m left join email_templates t on t.id = m.template_id left join email_topics tp on tp.id = m.topic_id
      where ${where} ${before ? sql`and (m.queued_at, m.id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``}
      order by m.queued_at desc, m.id desc limit ${q.limit + 1}`),
    ctx.db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from email_messages where workspace_id = ${WS} group by status`),
    loadSettings(ctx.db),
  ]);
  const items = rows.slice(0, q.limit).map(dto);
  const last = rows.length > q.limit ? rows[q.limit - 1]! : null;
  return {
    items,
    nextCursor: last ? Buffer.from(`${new Date(last.queued_at).toISOString()}|${last.id}`).toString('base64url') : null,
    counts: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])),
    smtpConfigured: Boolean(settings.smtpHost),
  };
}

export async function getOutboxMessage({ ctx, id }: { ctx: Ctx; id: string }) {
  const { rows } = await ctx.db.execute<Row>(sql`
    select ${COLUMNS}, m.html, m.text, m.headers from email_messages m left join email_templates t on t.id = m.template_id left join email_topics tp on tp.id = m.topic_id
    where m.workspace_id = ${WS} and m.id = ${id}::uuid`);
  if (!rows[0]) throw new NotFoundError('Message', id);
  const links = await ctx.db.execute<{ idx: number; url: string }>(sql`select idx, url from email_links where message_id = ${id}::uuid order by idx`);
  return { ...dto(rows[0]), html: rows[0].html ?? null, text: rows[0].text ?? null, headers: rows[0].headers ?? null, links: links.rows };
}

/** A failed message goes back to the queue (a person decided it should be sent again). */
export async function retryMessage({ ctx, id }: { ctx: Ctx; id: string }) {
  await withTransaction(ctx, async (tx) => {
    const { rows } = await tx.execute<{ status: string; to_email: string }>(sql`select status, to_email from email_messages where id = ${id}::uuid and workspace_id = ${WS} for update`);
    if (!rows[0]) throw new NotFoundError('Message', id);
    if (rows[0].status !== 'failed' && rows[0].status !== 'blocked') throw new ConflictError(`Only failed or blocked messages can be retried (this one is ${rows[0].status})`);
    await tx.execute(sql`update email_messages set status = 'queued', next_attempt_at = now(), error = null, locked_until = null where id = ${id}::uuid`);
    await recordAudit(tx, ctx.actor, { action: 'email.message_retried', entityType: 'email_message', entityId: id, summary: `Message to ${rows[0].to_email} queued again` });
  });
  return getOutboxMessage({ ctx, id });
}

export async function cancelMessage({ ctx, id }: { ctx: Ctx; id: string }) {
  await withTransaction(ctx, async (tx) => {
    const { rows } = await tx.execute<{ status: string; to_email: string }>(sql`select status, to_email from email_messages where id = ${id}::uuid and workspace_id = ${WS} for update`);
    if (!rows[0]) throw new NotFoundError('Message', id);
    if (rows[0].status !== 'queued') throw new ConflictError(`Only queued messages can be cancelled (this one is ${rows[0].status})`);
    await tx.execute(sql`update email_messages set status = 'cancelled', locked_until = null where id = ${id}::uuid`);
    await recordAudit(tx, ctx.actor, { action: 'email.message_cancelled', entityType: 'email_message', entityId: id, summary: `Message to ${rows[0].to_email} cancelled` });
  });
  return getOutboxMessage({ ctx, id });
}
