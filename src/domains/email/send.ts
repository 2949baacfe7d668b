// The send loop: claims due messages (SKIP LOCKED, within each sending domain's per-minute throttle), checks
// suppression and consent again, renders them (Liquid on the template's compiled HTML, tracked links, open
// pixel, plain text, List-Unsubscribe headers), sends them over SMTP with DKIM — or stores them in the outbox
// when no SMTP is configured — and records the result.
//
// Exactly once: a message is marked `sending` (committed) before it is handed to SMTP and `sent` after. A
// transient failure before the server accepted it (connection refused, 4xx) goes back to `queued` with backoff;
// a message found still `sending` after its claim expired (the process died mid-send) is NOT sent again — it
// becomes `failed` ("interrupted") and a person may retry it from the outbox — so nobody receives it twice.
import { createPrivateKey } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.ts';
import { decryptSecret } from '../webhooks/crypto.ts';
import { messageBytes } from './compose.ts';
import { dkimKeyObject, dkimSign, type DkimKey } from './dkim.ts';
import { htmlToText, renderLiquid, rewriteLinks } from './render.ts';
import { defaultBaseUrl, loadSettings, secretKey, tokenKey, type SettingsRow } from './settings.ts';
import { linkUrls } from './tokens.ts';
import { DKIM_HEADERS, sendRaw, smtpTransport } from './transport.ts';
import { contactVars, contentVars } from './vars.ts';
import { suppress } from './suppressions.ts';
import { envelopeSender } from './verp.ts';

const CLAIM_SECONDS = 120;
const MAX_ATTEMPTS = 8;

type Claimed = {
  id: string;
  workspace_id: number;
  contact_id: number | null;
  template_id: number | null;
  topic_id: number | null;
  to_email: string;
  from_domain: string | null;
  attempts: number;
  is_test: boolean;
  program_id: string | null;
  campaign_id: string | null;
  /** The message's own content item (a program's pick), else its template's. */
  content_item_id: number | null;
};

export interface SendDeps {
  db: Db;
  dataDir: string;
  /** Base URL of tracking links when the settings have none (the server's PUBLIC_URL). */
  baseUrl?: string;
  log?: { warn(o: unknown, m?: string): void; error(o: unknown, m?: string): void };
}

/** Messages left `sending` by a process that died: failed, never re-sent automatically. */
async function failInterrupted(db: Db, now: Date): Promise<void> {
  await db.execute(sql`
    update email_messages set status = 'failed', locked_until = null,
      error = 'Interrupted while sending (the server stopped); not sent again automatically so that nobody receives it twice. Retry it from the outbox if it did not arrive.'
    where status = 'sending' and locked_until < ${now.toISOString()}::timestamptz and transport is distinct from 'outbox'`);
}

/** The throttled sending domains and their sends per minute. */
async function throttles(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.execute<{ domain: string; per_minute: number }>(sql`select domain, throttle_per_minute as per_minute from email_domains`);
  return new Map(rows.map((r) => [r.domain, Number(r.per_minute)]));
}

/**
 * One throttled domain's claim: what is left of its budget this minute (sent in the last minute or being sent) is
 * read and spent under a per-domain transaction lock, so concurrent senders (the send loop, the minute job, other
 * worker processes) never spend the same budget twice.
 */
async function claimThrottled(db: Db, now: Date, batch: number, domain: string, perMinute: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`revloop:email-throttle:${domain}`}))`);
    const { rows } = await tx.execute<{ used: number }>(sql`
      select count(*)::int as used from email_messages m
      where m.from_domain = ${domain} and (m.sent_at > ${now.toISOString()}::timestamptz - interval '1 minute' or m.status = 'sending')`);
    return claim(tx, now, Math.min(batch, perMinute - Number(rows[0]!.used)), sql`from_domain = ${domain}`);
  });
}

async function claim(db: Queryable, now: Date, limit: number, domainFilter: ReturnType<typeof sql>): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const { rows } = await db.execute<Claimed>(sql`
    with due as (
      select id from email_messages
      where status = 'queued' and next_attempt_at <= ${now.toISOString()}::timestamptz and ${domainFilter}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    update email_messages m set status = 'sending', attempts = m.attempts + 1,
      locked_until = ${now.toISOString()}::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
    from due where m.id = due.id
    returning m.id::text as id, m.workspace_id, m.contact_id, m.template_id, m.topic_id, m.to_email, m.from_domain, m.attempts, m.is_test, m.program_id, m.campaign_id,
      coalesce(m.content_item_id, (select t.content_item_id from email_templates t where t.id = m.template_id)) as content_item_id`);
  return rows;
}

type Rendered = { subject: string; html: string; text: string; headers: Record<string, string>; links: string[] };

/** Renders one message (also used by the template preview). */
export async function renderMessage(opts: {
  template: { subject: string; compiledHtml: string };
  vars: Record<string, unknown>;
  messageId: string | null;
  key: Buffer;
  baseUrl: string;
}): Promise<Rendered> {
  const urls = opts.messageId ? linkUrls(opts.key, opts.baseUrl, opts.messageId) : null;
  const unsubscribeUrl = urls?.unsubscribe ?? `${opts.baseUrl.replace(/\/$/, '')}/e/u/preview`;
  const vars = { ...opts.vars, unsubscribe_url: unsubscribeUrl, preferences_url: unsubscribeUrl, message_id: opts.messageId };
  const subject = (await renderLiquid(opts.template.subject, vars, { text: true })).replace(/\s+/g, ' ').trim();
  let html = await renderLiquid(opts.template.compiledHtml, vars);
  let links: string[] = [];
  if (urls) {
    const base = opts.baseUrl.replace(/\/$/, '') + '/e/';
    const r = rewriteLinks(html, (_url, idx) => urls.click(idx), (url) => url.startsWith(base));
    html = r.html;
    links = r.links;
    const pixel = `<img src="${urls.open}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" />`;
    html = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${pixel}</body>`) : html + pixel;
  }
  const text = htmlToText(html.replace(/<img\b[^>]*\/e\/o\/[^>]*>/gi, ''));
  const headers: Record<string, string> = {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  if (opts.messageId) headers['X-Revloop-Message-Id'] = opts.messageId;
  return { subject, html, text, headers, links };
}

function baseUrlOf(s: SettingsRow, deps: SendDeps): string {
  return s.trackingBaseUrl ?? deps.baseUrl ?? defaultBaseUrl(deps.db) ?? 'http://127.0.0.1:4000';
}

function transient(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500;
  return true; // connection-level errors: nothing was accepted
}

function backoff(attempt: number, now: Date): Date {
  return new Date(now.getTime() + Math.min(3600, 15 * 2 ** (attempt - 1)) * 1000);
}

/** One round's claim: each throttled domain within its budget left this minute, then the unthrottled rest. */
async function claimRound(db: Db, now: Date, batch: number): Promise<{ claimed: Claimed[]; now: Date }> {
  const perMinute = await throttles(db);
  const claimed: Claimed[] = [];
  for (const [domain, max] of perMinute) claimed.push(...(await claimThrottled(db, now, batch, domain, max)));
  const throttled = [...perMinute.keys()];
  claimed.push(...(await claim(db, now, batch, throttled.length ? sql`(from_domain is null or from_domain <> all(${sql.param(throttled)}::text[]))` : sql`true`)));
  return { claimed, now };
}

/** Claimed messages that were never handed to SMTP go back to the queue (the round that would send them failed). */
async function unclaim(db: Db, claimed: Claimed[]): Promise<void> {
  if (!claimed.length) return;
  await db.execute(sql`
    update email_messages set status = 'queued', locked_until = null, attempts = greatest(attempts - 1, 0)
    where id = any(${sql.param(claimed.map((c) => c.id))}::uuid[]) and status = 'sending'`);
}

/**
 * Claims and sends due messages; returns how many were handled (sent, stored, blocked or failed). Rounds
 * overlap: the next round is claimed while this one is being sent, and a round starts sending while the
 * previous one finishes (its last SMTP replies, its write-back), so neither the database round trips nor a
 * round's tail leave the SMTP connections idle. At most two rounds are in flight; the throttle still holds (a
 * domain's budget counts its messages being sent).
 */
export async function sendDue(deps: SendDeps, opts: { now?: Date; batch?: number; maxRounds?: number } = {}): Promise<number> {
  const { db } = deps;
  const batch = opts.batch ?? 200;
  const maxRounds = opts.maxRounds ?? 20;
  let handled = 0;
  await failInterrupted(db, opts.now ?? new Date());
  let next = claimRound(db, opts.now ?? new Date(), batch);
  const inFlight: Promise<void>[] = [];
  try {
    for (let round = 0; round < maxRounds; round++) {
      const { claimed, now } = await next;
      if (!claimed.length) break;
      const more = claimed.length >= batch && round + 1 < maxRounds;
      next = more ? claimRound(db, opts.now ?? new Date(), batch) : Promise.resolve({ claimed: [], now });
      next.catch(() => undefined); // awaited later; this only keeps it from being reported as unhandled meanwhile
      const sending = sendClaimed(deps, claimed, now);
      sending.catch(() => undefined);
      inFlight.push(sending);
      if (inFlight.length > 1) await inFlight.shift();
      handled += claimed.length;
      if (!more) break;
    }
    while (inFlight.length) await inFlight.shift();
  } catch (err) {
    await Promise.allSettled(inFlight);
    await next.then((n) => unclaim(db, n.claimed)).catch(() => undefined);
    throw err;
  }
  return handled;
}

async function sendClaimed(deps: SendDeps, claimed: Claimed[], now: Date): Promise<void> {
  const { db } = deps;
  const settings = await loadSettings(db);
  const aesKey = secretKey(db, deps.dataDir);
  const tKey = tokenKey(db, deps.dataDir);
  const baseUrl = baseUrlOf(settings, deps);
  const transport = smtpTransport(settings, aesKey);
  const ids = claimed.map((c) => c.id);

  // Suppression and consent at send time (an unsubscribe after enqueue wins).
  const { rows: blockRows } = await db.execute<{ id: string; reason: string }>(sql`
    select m.id::text as id,
      case when exists (select 1 from email_suppressions s where s.workspace_id = m.workspace_id and s.email = m.to_email) then 'suppressed'
           when not m.is_test and coalesce((select ec.status from email_consents ec where ec.contact_id = m.contact_id and ec.topic_id = m.topic_id order by ec.id desc limit 1), 'none') <> 'granted' then 'no_consent'
           when m.template_id is null then 'no_template'
      end as reason
    from email_messages m where m.id = any(${sql.param(ids)}::uuid[])`);
  const blocked = new Map(blockRows.filter((r) => r.reason).map((r) => [r.id, r.reason]));
  if (blocked.size) {
    const bIds = [...blocked.keys()];
    await db.execute(sql`
      update email_messages m set status = 'blocked', locked_until = null,
        error = case b.reason when 'suppressed' then 'The address is on the suppression list' when 'no_consent' then 'The contact has no consent for this topic (unsubscribed?)' else 'The template was deleted' end
      from unnest(${sql.param(bIds)}::uuid[], ${sql.param(bIds.map((i) => blocked.get(i)!))}::text[]) as b(id, reason) where m.id = b.id`);
  }
  const todo = claimed.filter((c) => !blocked.has(c.id));
  if (!todo.length) return;

  const templateIds = [...new Set(todo.map((c) => c.template_id!))];
  const { rows: templates } = await db.execute<{ id: number; subject: string; compiled_html: string; content_item_id: number | null }>(
    sql`select id, subject, compiled_html, content_item_id from email_templates where id = any(${sql.param(templateIds)}::int[])`,
  );
  const tMap = new Map(templates.map((t) => [t.id, t]));
  const [people, content] = await Promise.all([
    contactVars(db, todo.flatMap((c) => (c.contact_id ? [c.contact_id] : []))),
    contentVars(db, todo.flatMap((c) => (c.content_item_id ? [Number(c.content_item_id)] : []))),
  ]);
  const { rows: domains } = await db.execute<{ domain: string; dkim_selector: string; dkim_private_key_enc: string }>(
    sql`select domain, dkim_selector, dkim_private_key_enc from email_domains where domain = any(${sql.param([...new Set(todo.map((c) => c.from_domain ?? ''))])}::text[])`,
  );
  const dkim = new Map<string, DkimKey>(
    domains.map((d) => [d.domain, { domainName: d.domain, keySelector: d.dkim_selector, privateKey: dkimKeyObject(decryptSecret(aesKey, d.dkim_private_key_enc)) }]),
  );

  type Outcome = { id: string; status: 'sent' | 'queued' | 'failed'; r?: Rendered; response?: string; error?: string; next?: Date; transport: string; hardBounce?: { to: string; detail: string } };
  const outcomes: Outcome[] = await Promise.all(
    todo.map(async (m): Promise<Outcome> => {
      const t = tMap.get(m.template_id!);
      if (!t) return { id: m.id, status: 'failed', error: 'The template was deleted', transport: 'none' };
      const p = (m.contact_id && people.get(Number(m.contact_id))) || { contact: { email: m.to_email }, account: null };
      let r: Rendered;
      try {
        r = await renderMessage({
          template: { subject: t.subject, compiledHtml: t.compiled_html },
          vars: { contact: p.contact, account: p.account, content: m.content_item_id ? (content.get(Number(m.content_item_id)) ?? null) : null },
          messageId: m.id,
          key: tKey,
          baseUrl,
        });
      } catch (err) {
        return { id: m.id, status: 'failed', error: `Rendering failed: ${(err as Error).message}`, transport: 'none' };
      }
      if (!transport) return { id: m.id, status: 'sent', r, response: 'stored in the outbox (no SMTP server configured)', transport: 'outbox' };
      const fromDomain = m.from_domain ?? settings.fromEmail.split('@')[1]!;
      // Composed and DKIM-signed here (the signature in the thread pool), then handed to the pool as is.
      let raw: Buffer;
      try {
        raw = await messageBytes({
          from: { name: settings.fromName, address: settings.fromEmail },
          to: m.to_email,
          replyTo: settings.replyTo,
          subject: r.subject,
          html: r.html,
          text: r.text,
          messageId: `<${m.id}@${fromDomain}>`,
          headers: r.headers,
        });
        const key = dkim.get(fromDomain);
        if (key) raw = await dkimSign(raw, key, DKIM_HEADERS);
      } catch (err) {
        return { id: m.id, status: 'failed', error: `Composing or signing failed: ${(err as Error).message}`, transport: 'none' };
      }
      try {
        const info = await sendRaw(transport, { from: envelopeSender(settings, m.id), to: [m.to_email] }, `<${m.id}@${fromDomain}>`, raw);
        return { id: m.id, status: 'sent', r, response: String(info.response ?? ''), transport: 'smtp' };
      } catch (err) {
        const msg = (err as Error).message.slice(0, 500);
        if (transient(err) && m.attempts < MAX_ATTEMPTS) return { id: m.id, status: 'queued', error: msg, next: backoff(m.attempts, now), transport: 'smtp' };
        const e = err as { responseCode?: number; command?: string };
        // The receiving server refused the address itself (5xx at RCPT TO): a hard bounce, as a DSN would say later.
        const hardBounce = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.command === 'RCPT TO' ? { to: m.to_email, detail: `${e.responseCode} at send: ${msg}`.slice(0, 500) } : undefined;
        return { id: m.id, status: 'failed', error: msg, transport: 'smtp', ...(hardBounce ? { hardBounce } : {}) };
      }
    }),
  );

  const sent = outcomes.filter((o) => o.status === 'sent');
  const other = outcomes.filter((o) => o.status !== 'sent');
  await db.transaction(async (tx) => {
    if (sent.length) {
      await tx.execute(sql`
        update email_messages m set status = 'sent', locked_until = null, sent_at = ${now.toISOString()}::timestamptz, error = null,
          transport = u.transport, subject = u.subject, html = u.html, text = u.text, headers = u.headers::jsonb, smtp_response = u.response
        from unnest(${sql.param(sent.map((o) => o.id))}::uuid[], ${sql.param(sent.map((o) => o.transport))}::text[], ${sql.param(sent.map((o) => o.r!.subject))}::text[],
          ${sql.param(sent.map((o) => o.r!.html))}::text[], ${sql.param(sent.map((o) => o.r!.text))}::text[], ${sql.param(sent.map((o) => JSON.stringify(o.r!.headers)))}::text[],
          ${sql.param(sent.map((o) => o.response ?? null))}::text[]) as u(id, transport, subject, html, text, headers, response)
        where m.id = u.id`);
      const links = sent.flatMap((o) => o.r!.links.map((url, idx) => ({ id: o.id, idx, url })));
      if (links.length) {
        await tx.execute(sql`
          insert into email_links (message_id, idx, url)
          select * from unnest(${sql.param(links.map((l) => l.id))}::uuid[], ${sql.param(links.map((l) => l.idx))}::int[], ${sql.param(links.map((l) => l.url))}::text[])
          on conflict do nothing`);
      }
    }
    for (const o of other) {
      await tx.execute(sql`
        update email_messages set status = ${o.status}, locked_until = null, error = ${o.error ?? null}, transport = ${o.transport},
          next_attempt_at = ${o.next?.toISOString() ?? null}::timestamptz
        where id = ${o.id}::uuid`);
      if (o.hardBounce) {
        // Counted in health as sent and bounced; the address is suppressed before the next send.
        await tx.execute(sql`update email_messages set sent_at = ${now.toISOString()}::timestamptz, bounced_at = ${now.toISOString()}::timestamptz where id = ${o.id}::uuid`);
        await suppress(tx, { email: o.hardBounce.to, reason: 'bounce', detail: o.hardBounce.detail, messageId: o.id, by: 'send loop (refused by the receiving server)' });
      }
    }
  });
}

/** For tests and the domain page: is this a usable PEM private key? */
export function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}
