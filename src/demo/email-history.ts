// The demo's email history, one simulated day at a time: messages queued that day (by the nurture engine or a
// newsletter issue, both through enqueueEmails) are "sent" the way the send loop leaves them with no SMTP
// configured (rendered by renderMessage: subject, HTML, text, headers, tracked links; transport outbox), then
// what their recipients did: opens and clicks (events through writeEmailEvents, the real tracking writer),
// one-click unsubscribes (the real verb, at their simulated time), hard bounces and complaints (the inbound
// report's rows: email_inbound, suppression, bounced_at / complained_at, the event, an audit row). All of it
// before the next day runs, so the engine and enqueue see the revoked consents and suppressions.
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { renderMessage } from '../domains/email/send.ts';
import { oneClickUnsubscribe } from '../domains/email/unsubscribe.ts';
import { emailSourceId, writeEmailEvents, type EmailEventName, type MessageMeta } from '../domains/email/tracking.ts';
import { contactVars, contentVars } from '../domains/email/vars.ts';
import type { Rng } from './random.ts';
import { arr, rows } from './sql.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface HistoryContext {
  tx: Tx;
  rng: Rng;
  key: Buffer;
  baseUrl: string;
  /** Simulation start and "now" (nothing happens after it). */
  start: number;
  now: number;
  /** The program whose opt-outs rise towards the end (seed 000's symptom). */
  risingProgramId: string;
  /** The demo's campaign: only its and the program's messages are sent here. */
  campaignId: string;
  utmOf: Map<string, string>;
  counts: { sent: number; opens: number; clicks: number; unsubscribes: number; bounces: number; complaints: number };
}

type Queued = {
  id: string; contact_id: string; template_id: number; topic_id: number; to_email: string; content_item_id: string | null; template_item: string | null;
  program_id: string | null; step_id: string | null; campaign_id: string | null; subject: string; compiled_html: string; free_mail: boolean;
};

/** Sends what is queued (over `window` ms from `at`) and plays out its recipients' reactions; returns the messages sent. */
export async function sendAndReact(h: HistoryContext, at: number, window: number): Promise<number> {
  const { tx, rng } = h;
  const queued = await rows<Queued>(
    tx,
    sql`select m.id::text as id, m.contact_id, m.template_id, m.topic_id, m.to_email, m.content_item_id, t.content_item_id as template_item, m.program_id, m.step_id, m.campaign_id,
          t.subject, t.compiled_html, c.account_id is null as free_mail
        from email_messages m join email_templates t on t.id = m.template_id join contacts c on c.id = m.contact_id
        where m.status = 'queued' and not m.is_test and (m.program_id = ${h.risingProgramId} or m.campaign_id = ${h.campaignId})
        order by m.idempotency_key`,
  );
  if (!queued.length) return 0;
  const people = await contactVars(tx, queued.map((q) => Number(q.contact_id)));
  const itemOf = (q: Queued) => (q.content_item_id ?? q.template_item) as string | null;
  const items = await contentVars(tx, queued.flatMap((q) => (itemOf(q) ? [Number(itemOf(q))] : [])));
  // One send time per contact in the window (so a bounce or an unsubscribe never precedes another of its
  // messages): campaign issues go out on the first morning, program steps over the window's office hours.
  const withCampaign = new Set(queued.filter((q) => q.campaign_id).map((q) => q.contact_id));
  const times = new Map<string, { queuedAt: number; sentAt: number }>();
  const sendTimeOf = (contactId: string) => {
    let t = times.get(contactId);
    if (!t) {
      const day = withCampaign.has(contactId) ? 0 : rng.int(0, Math.max(0, Math.round(window / 86_400_000) - 1));
      const spread = Math.min(8 * 3600, Math.max(0, Math.floor((window - 3_600_000) / 1000)));
      const queuedAt = Math.min(h.now - 3_600_000, at + day * 86_400_000 + rng.int(0, spread) * 1000);
      times.set(contactId, (t = { queuedAt, sentAt: queuedAt + rng.int(2, 90) * 1000 }));
    }
    return t;
  };
  const sent: { q: Queued; sentAt: number; links: string[] }[] = [];
  const up = { id: [] as string[], queued: [] as string[], sent: [] as string[], subject: [] as string[], html: [] as string[], text: [] as string[], headers: [] as string[] };
  const links = { id: [] as string[], idx: [] as number[], url: [] as string[] };
  for (const q of queued) {
    const p = people.get(Number(q.contact_id))!;
    const item = itemOf(q);
    const r = await renderMessage({
      template: { subject: q.subject, compiledHtml: q.compiled_html },
      vars: { contact: p.contact, account: p.account, content: item ? (items.get(Number(item)) ?? null) : null },
      messageId: q.id,
      key: h.key,
      baseUrl: h.baseUrl,
    });
    const { queuedAt, sentAt } = sendTimeOf(q.contact_id);
    sent.push({ q, sentAt, links: r.links });
    up.id.push(q.id);
    up.queued.push(new Date(queuedAt).toISOString());
    up.sent.push(new Date(sentAt).toISOString());
    up.subject.push(r.subject);
    up.html.push(r.html);
    up.text.push(r.text);
    up.headers.push(JSON.stringify(r.headers));
    r.links.forEach((url, idx) => {
      links.id.push(q.id);
      links.idx.push(idx);
      links.url.push(url);
    });
  }
  // What sendClaimed writes for messages kept in the embedded outbox.
  await tx.execute(sql`
    update email_messages m set status = 'sent', attempts = m.attempts + 1, locked_until = null, error = null, transport = 'outbox',
      queued_at = u.queued, next_attempt_at = u.queued, sent_at = u.sent, subject = u.subject, html = u.html, text = u.text, headers = u.headers::jsonb,
      smtp_response = 'stored in the outbox (no SMTP server configured)'
    from unnest(${arr(up.id, 'uuid')}, ${arr(up.queued, 'timestamptz')}, ${arr(up.sent, 'timestamptz')}, ${arr(up.subject, 'text')}, ${arr(up.html, 'text')},
                ${arr(up.text, 'text')}, ${arr(up.headers, 'text')}) as u(id, queued, sent, subject, html, text, headers)
    where m.id = u.id`);
  if (links.id.length) {
    await tx.execute(sql`insert into email_links (message_id, idx, url) select * from unnest(${arr(links.id, 'uuid')}, ${arr(links.idx, 'int4')}, ${arr(links.url, 'text')}) on conflict do nothing`);
  }
  h.counts.sent += sent.length;
  await react(h, sent);
  return sent.length;
}

/** The open rate falls over the half year, and one program's opt-outs climb in its last weeks. */
function odds(h: HistoryContext, q: Queued, sentAt: number) {
  const f = Math.max(0, Math.min(1, (sentAt - h.start) / (h.now - h.start)));
  const program = q.program_id !== null;
  const rising = q.program_id === h.risingProgramId;
  return {
    bounce: q.free_mail ? 0.022 : 0.011,
    complaint: program ? 0.0012 : 0.0022,
    open: (program ? 0.46 : 0.37) - 0.12 * f,
    click: program ? 0.3 : 0.17,
    unsubscribe: rising ? 0.004 + 0.07 * f ** 3 : 0.003 + 0.004 * f,
  };
}

async function react(h: HistoryContext, sent: { q: Queued; sentAt: number; links: string[] }[]) {
  const { tx, rng } = h;
  const events: { meta: MessageMeta; event: EmailEventName; at: Date; url: string | null; ip: null; userAgent: string | null; repeat: true }[] = [];
  const firsts = { id: [] as string[], open: [] as (string | null)[], click: [] as (string | null)[] };
  const bounces: { q: Queued; at: number }[] = [];
  const complaints: { q: Queued; at: number }[] = [];
  const unsubscribes: { id: string; at: number }[] = [];
  const ua = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'];
  for (const { q, sentAt, links } of sent) {
    const o = odds(h, q, sentAt);
    const meta: MessageMeta = {
      id: q.id, workspaceId: 1, contactId: Number(q.contact_id), topicId: q.topic_id, toEmail: q.to_email, templateId: q.template_id,
      contentItemId: q.content_item_id ?? q.template_item ? Number(q.content_item_id ?? q.template_item) : null, campaignId: q.campaign_id, programId: q.program_id, stepId: q.step_id,
      utmCampaign: q.campaign_id ? (h.utmOf.get(q.campaign_id) ?? null) : null, links, opened: true, clicked: true, isTest: false,
    };
    const future = (t: number) => t > h.now;
    if (rng.chance(o.bounce)) {
      const t = sentAt + rng.int(20, 600) * 1000;
      if (!future(t)) bounces.push({ q, at: t });
      continue;
    }
    let open: number | null = null;
    let click: number | null = null;
    const agent = rng.pick(ua);
    if (rng.chance(o.open)) {
      open = sentAt + Math.round(rng.next() ** 2 * 72 * HOUR) + rng.int(1, 30) * MIN;
      if (future(open)) open = null;
      else {
        events.push({ meta, event: 'Email Opened', at: new Date(open), url: null, ip: null, userAgent: agent, repeat: true });
        const again = open + rng.int(1, 48) * HOUR;
        if (rng.chance(0.25) && !future(again)) events.push({ meta, event: 'Email Opened', at: new Date(again), url: null, ip: null, userAgent: agent, repeat: true });
        const targets = links.filter((l) => !l.includes('/e/'));
        if (targets.length && rng.chance(o.click)) {
          click = open + rng.int(5, 600) * 1000;
          if (future(click)) click = null;
          else events.push({ meta, event: 'Email Link Clicked', at: new Date(click), url: rng.pick(targets), ip: null, userAgent: agent, repeat: true });
        }
      }
    }
    if (open !== null || click !== null) {
      firsts.id.push(q.id);
      firsts.open.push(open !== null ? new Date(open).toISOString() : null);
      firsts.click.push(click !== null ? new Date(click).toISOString() : null);
    }
    if (rng.chance(o.complaint)) {
      const t = (open ?? sentAt) + rng.int(1, 36) * HOUR;
      if (!future(t)) complaints.push({ q, at: t });
    } else if (rng.chance(o.unsubscribe)) {
      const t = (open ?? sentAt) + rng.int(1, 120) * MIN;
      if (!future(t)) unsubscribes.push({ id: q.id, at: t });
    }
  }
  const source = await emailSourceId(tx as never);
  for (let i = 0; i < events.length; i += 2000) await writeEmailEvents(tx, source, events.slice(i, i + 2000));
  if (firsts.id.length) {
    await tx.execute(sql`
      update email_messages m set first_opened_at = u.open, first_clicked_at = u.click
      from unnest(${arr(firsts.id, 'uuid')}, ${arr(firsts.open, 'timestamptz')}, ${arr(firsts.click, 'timestamptz')}) as u(id, open, click) where m.id = u.id`);
  }
  h.counts.opens += firsts.open.filter(Boolean).length;
  h.counts.clicks += firsts.click.filter(Boolean).length;
  for (const u of unsubscribes) if (await oneClickUnsubscribe(tx as never, u.id, new Date(u.at))) h.counts.unsubscribes++;
  await reports(h, bounces, 'bounce');
  await reports(h, complaints, 'complaint');
}

/** Hard bounces and complaints as processInbound records them (at their simulated time). */
async function reports(h: HistoryContext, list: { q: Queued; at: number }[], kind: 'bounce' | 'complaint') {
  if (!list.length) return;
  const { tx } = h;
  const at = list.map((b) => new Date(b.at).toISOString());
  const to = list.map((b) => b.q.to_email);
  const ids = list.map((b) => b.q.id);
  const raw = list.map((b) =>
    kind === 'bounce'
      ? `Content-Type: multipart/report; report-type=delivery-status\nX-Revloop-Message-Id: ${b.q.id}\n\nReporting-MTA: dns; mx.${b.q.to_email.split('@')[1]}\nFinal-Recipient: rfc822; ${b.q.to_email}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist`
      : `Content-Type: multipart/report; report-type=feedback-report\nX-Revloop-Message-Id: ${b.q.id}\n\nFeedback-Type: abuse\nUser-Agent: ExampleFBL/1.0\nOriginal-Rcpt-To: ${b.q.to_email}`,
  );
  const status = kind === 'bounce' ? '5.1.1' : 'abuse';
  const diagnostic = kind === 'bounce' ? '550 5.1.1 The email account that you tried to reach does not exist' : 'ExampleFBL/1.0';
  const detail = kind === 'bounce' ? `${status} ${diagnostic}` : 'complaint (abuse)';
  await tx.execute(sql`
    insert into email_inbound (workspace_id, kind, recipient, status, diagnostic, message_id, raw, received_at)
    select 1, ${kind}, u.rcpt, ${status}, ${diagnostic}, u.id, u.raw, u.at from unnest(${arr(to, 'text')}, ${arr(ids, 'uuid')}, ${arr(raw, 'text')}, ${arr(at, 'timestamptz')}) as u(rcpt, id, raw, at)`);
  const added = await rows<{ email: string }>(
    tx,
    sql`insert into email_suppressions (workspace_id, email, reason, detail, message_id, created_by, created_at)
        select 1, lower(u.rcpt), ${kind}, ${detail}, u.id, 'inbound report', u.at from unnest(${arr(to, 'text')}, ${arr(ids, 'uuid')}, ${arr(at, 'timestamptz')}) as u(rcpt, id, at)
        on conflict do nothing returning email`,
  );
  const fresh = new Set(added.map((a) => a.email));
  const col = kind === 'bounce' ? sql`bounced_at` : sql`complained_at`;
  await tx.execute(sql`update email_messages m set ${col} = coalesce(m.${col}, u.at) from unnest(${arr(ids, 'uuid')}, ${arr(at, 'timestamptz')}) as u(id, at) where m.id = u.id`);
  await tx.execute(sql`
    insert into audit_log (workspace_id, at, actor_type, actor_label, action, entity_type, entity_id, summary, changes)
    select 1, u.at, 'system', 'system', ${`email.${kind}`}, 'email_suppression', u.rcpt,
      ${kind === 'bounce' ? 'Hard bounce' : 'Complaint'} || ' from ' || u.rcpt || case when u.fresh then ': address suppressed' else ' (already suppressed)' end,
      jsonb_build_object('status', ${status}::text, 'messageId', u.id)
    from unnest(${arr(to, 'text')}, ${arr(ids, 'text')}, ${arr(at, 'timestamptz')}, ${arr(to.map((t) => fresh.has(t.toLowerCase())), 'bool')}) as u(rcpt, id, at, fresh)`);
  const source = await emailSourceId(tx as never);
  await writeEmailEvents(
    tx,
    source,
    list.map((b) => ({
      meta: { id: b.q.id, workspaceId: 1, contactId: Number(b.q.contact_id), topicId: b.q.topic_id, toEmail: b.q.to_email, templateId: b.q.template_id, contentItemId: null, campaignId: b.q.campaign_id, programId: b.q.program_id, stepId: b.q.step_id, utmCampaign: null, links: [], opened: true, clicked: true, isTest: false },
      event: kind === 'bounce' ? ('Email Bounced' as const) : ('Email Complained' as const),
      at: new Date(b.at),
      url: null,
      ip: null,
      userAgent: null,
      repeat: true,
    })),
  );
  h.counts[kind === 'bounce' ? 'bounces' : 'complaints'] += list.length;
}
