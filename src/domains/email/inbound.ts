// Bounces and complaints: a delivery status notification (RFC 3464 DSN, multipart/report;
// report-type=delivery-status) or an abuse report (RFC 5965 ARF, report-type=feedback-report) posted to
// /email/inbound as the raw message, or received by the bounce receiver (bounce-receiver.ts). A permanent failure
// (Action: failed, Status 5.x.x) or a complaint suppresses the address and marks the message; a temporary one
// (4.x.x, delayed) is only recorded.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { WS } from './settings.ts';
import { suppress } from './suppressions.ts';
import { emailSourceId, forgetMessage, messageMeta, writeEmailEvents } from './tracking.ts';

export interface ParsedReport {
  kind: 'bounce' | 'soft_bounce' | 'complaint' | 'unknown';
  recipient: string | null;
  status: string | null;
  diagnostic: string | null;
  messageId: string | null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Field value of the first `Name: value` line (folded lines unfolded), case-insensitive. */
function field(text: string, name: string): string | null {
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t]+.*)*)`, 'im').exec(text);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

const addr = (v: string | null) => {
  if (!v) return null;
  const m = /([^\s<>;"]+@[^\s<>;"]+)/.exec(v.replace(/^rfc822;\s*/i, ''));
  return m ? m[1]!.toLowerCase() : null;
};

export function parseReport(raw: string): ParsedReport {
  const text = raw.replace(/\r\n/g, '\n');
  const idMatch = new RegExp(`X-Revloop-Message-Id:\\s*(${UUID})`, 'i').exec(text) ?? new RegExp(`Message-ID:\\s*<(${UUID})@`, 'i').exec(text);
  const messageId = idMatch ? idMatch[1]!.toLowerCase() : null;
  const isArf = /report-type\s*=\s*"?feedback-report/i.test(text) || /content-type:\s*message\/feedback-report/i.test(text) || /^Feedback-Type:/im.test(text);
  if (isArf) {
    const recipient = addr(field(text, 'Original-Rcpt-To')) ?? addr(field(text.slice(text.search(/content-type:\s*(message\/rfc822|text\/rfc822-headers)/i) + 1 || 0), 'To'));
    return { kind: 'complaint', recipient, status: field(text, 'Feedback-Type'), diagnostic: field(text, 'User-Agent'), messageId };
  }
  const isDsn = /report-type\s*=\s*"?delivery-status/i.test(text) || /content-type:\s*message\/delivery-status/i.test(text) || /^Final-Recipient:/im.test(text);
  if (!isDsn) return { kind: 'unknown', recipient: null, status: null, diagnostic: null, messageId };
  const recipient = addr(field(text, 'Final-Recipient')) ?? addr(field(text, 'Original-Recipient'));
  const action = (field(text, 'Action') ?? '').toLowerCase();
  const status = field(text, 'Status')?.split(/\s/)[0] ?? null;
  const diagnostic = field(text, 'Diagnostic-Code')?.replace(/^smtp;\s*/i, '').slice(0, 500) ?? null;
  const permanent = action === 'failed' && (!status || status.startsWith('5'));
  return { kind: permanent ? 'bounce' : 'soft_bounce', recipient, status, diagnostic, messageId };
}

/**
 * `messageId`: the message the report came back for, from the VERP address (bounce receiver). `strict` (mail from
 * the internet): the report applies only to that message and its recipient, else it is refused (ValidationError).
 */
export async function processInbound({ ctx, raw, messageId, strict = false }: { ctx: Ctx; raw: string; messageId?: string | null; strict?: boolean }) {
  if (!raw.trim()) throw new ValidationError('body: send the bounce or complaint message as raw text (message/rfc822)', [{ field: 'body', message: 'is empty' }]);
  if (raw.length > 2_000_000) throw new ValidationError('body: larger than 2 MB', [{ field: 'body', message: 'larger than 2 MB' }]);
  const p = parseReport(raw);
  const id = strict ? (messageId ?? null) : (p.messageId ?? messageId ?? null);
  const meta = id ? await messageMeta(ctx.db, id) : null;
  if (strict && !meta) throw new ValidationError('to: the report is not about a message revloop sent', [{ field: 'to', message: 'unknown message' }]);
  if (strict && p.recipient && meta && p.recipient !== meta.toEmail.toLowerCase()) {
    throw new ValidationError(`body: the report names ${p.recipient}, not the recipient of message ${meta.id}`, [{ field: 'body', message: 'recipient does not match the message' }]);
  }
  const recipient = p.recipient ?? meta?.toEmail ?? null;
  if (p.kind === 'unknown') throw new ValidationError('body: not a delivery status notification (RFC 3464) or an abuse report (RFC 5965)', [{ field: 'body', message: 'not a DSN or ARF report' }]);
  if (!recipient) throw new ValidationError('body: the report names no recipient (Final-Recipient / Original-Rcpt-To) and no revloop message', [{ field: 'body', message: 'no recipient' }]);
  const now = new Date();
  const result = await withTransaction(ctx, async (tx) => {
    const ins = await tx.execute<{ id: number }>(sql`
      insert into email_inbound (workspace_id, kind, recipient, status, diagnostic, message_id, raw)
      values (${WS}, ${p.kind}, ${recipient}, ${p.status}, ${p.diagnostic}, ${meta?.id ?? null}::uuid, ${raw.slice(0, 200_000)}) returning id`);
    let suppressed = false;
    if (p.kind === 'bounce' || p.kind === 'complaint') {
      suppressed = await suppress(tx, { email: recipient, reason: p.kind, detail: p.kind === 'bounce' ? `${p.status ?? ''} ${p.diagnostic ?? ''}`.trim() || 'hard bounce' : `complaint (${p.status ?? 'abuse'})`, messageId: meta?.id ?? null, by: 'inbound report' });
      if (meta) {
        const col = p.kind === 'bounce' ? sql`bounced_at` : sql`complained_at`;
        await tx.execute(sql`update email_messages set ${col} = coalesce(${col}, ${now.toISOString()}::timestamptz) where id = ${meta.id}::uuid`);
        await writeEmailEvents(tx, await emailSourceId(ctx.db), [{ meta, event: p.kind === 'bounce' ? 'Email Bounced' : 'Email Complained', at: now, url: null, ip: null, userAgent: null }]);
      }
      await recordAudit(tx, ctx.actor, { action: `email.${p.kind}`, entityType: 'email_suppression', entityId: recipient, summary: `${p.kind === 'bounce' ? 'Hard bounce' : 'Complaint'} from ${recipient}${suppressed ? ': address suppressed' : ' (already suppressed)'}`, changes: { status: p.status, messageId: meta?.id ?? null } });
    }
    return { id: Number(ins.rows[0]!.id), kind: p.kind, recipient, status: p.status, diagnostic: p.diagnostic, messageId: meta?.id ?? null, suppressed };
  });
  if (meta) forgetMessage(ctx.db, meta.id);
  return result;
}
