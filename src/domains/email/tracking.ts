// Opens and clicks. The public handlers answer from a per-process cache of sent messages (contact, campaign,
// program, template, content item, and the message's own links) and hand the event to a small group-commit
// buffer that writes, every 50 ms: tracked events (`events`, source "Email (revloop)", `Email Opened` /
// `Email Link Clicked` attributed to the contact, with the campaign's utm_campaign, content item, program and
// message in the properties, plus the scoring inbox row) and the message's first open / first click time.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isbot } from 'isbot';
import type { Db, Queryable } from '../../db/client.ts';
import { campaignsById } from '../plan/campaigns.ts';
import { inboxInsertFrom } from '../scoring/inbox.ts';

export interface MessageMeta {
  id: string;
  workspaceId: number;
  contactId: number | null;
  topicId: number | null;
  toEmail: string;
  templateId: number | null;
  contentItemId: number | null;
  campaignId: string | null;
  programId: string | null;
  stepId: string | null;
  utmCampaign: string | null;
  links: string[];
  opened: boolean;
  clicked: boolean;
  /** A test message (test-send.ts): its opens and clicks are not recorded, its unsubscribe link changes nothing. */
  isTest?: boolean;
  /** Expected token signatures of this message, computed on first use (fast-path.ts). */
  sigs?: Map<string, Buffer>;
}

const CACHE_MAX = 50_000;
const caches = new WeakMap<object, Map<string, MessageMeta | null>>();

function cacheOf(db: object): Map<string, MessageMeta | null> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/** A sent message's tracking facts (null: unknown or never sent). */
export async function messageMeta(db: Queryable, id: string): Promise<MessageMeta | null> {
  const cache = cacheOf(db);
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  const { rows } = await db.execute<{
    workspace_id: number; contact_id: number | null; topic_id: number | null; to_email: string; template_id: number | null; content_item_id: number | null; campaign_id: string | null;
    program_id: string | null; step_id: string | null; links: string[] | null; opened: boolean; clicked: boolean; status: string; is_test: boolean;
  }>(sql`
    select m.workspace_id, m.contact_id, m.topic_id, m.to_email, m.template_id, coalesce(m.content_item_id, t.content_item_id) as content_item_id, m.campaign_id, m.program_id, m.step_id, m.status, m.is_test,
      (select array_agg(l.url order by l.idx) from email_links l where l.message_id = m.id) as links,
      m.first_opened_at is not null as opened, m.first_clicked_at is not null as clicked
    from email_messages m left join email_templates t on t.id = m.template_id
    where m.id = ${id}::uuid`);
  const r = rows[0];
  // The campaign's UTM code (plan domain), carried on every open and click of the message.
  const utm = r?.campaign_id && r.status === 'sent' ? ((await campaignsById(db, [r.campaign_id])).get(r.campaign_id)?.utmCampaign ?? null) : null;
  const meta: MessageMeta | null =
    r && r.status === 'sent'
      ? {
          id, workspaceId: r.workspace_id, contactId: r.contact_id == null ? null : Number(r.contact_id), topicId: r.topic_id, toEmail: r.to_email, templateId: r.template_id,
          contentItemId: r.content_item_id == null ? null : Number(r.content_item_id), campaignId: r.campaign_id, programId: r.program_id, stepId: r.step_id, utmCampaign: utm,
          links: r.links ?? [], opened: r.opened, clicked: r.clicked, isTest: r.is_test,
        }
      : null;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  // Unknown ids are not cached (a message may be sent a moment later).
  if (meta) cache.set(id, meta);
  return meta;
}

/** A sent message's facts when they are cached (undefined: not cached, ask messageMeta). */
export function cachedMessageMeta(db: object, id: string): MessageMeta | undefined {
  return cacheOf(db).get(id) ?? undefined;
}

/** Drops cached facts (after a merge or a resend the next request reads them again). */
export function forgetMessage(db: object, id: string): void {
  cacheOf(db).delete(id);
}

export type EmailEventName = 'Email Opened' | 'Email Link Clicked' | 'Email Unsubscribed' | 'Email Bounced' | 'Email Complained';
interface Pending {
  meta: MessageMeta;
  event: EmailEventName;
  at: Date;
  url: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Known not to be the first open / click of the message (no first_*_at update needed). */
  repeat?: boolean;
}

const sourceIds = new WeakMap<object, Promise<number>>();
/** The internal tracking source that email events are stored under (created on first use; its key hash matches no key). */
export function emailSourceId(db: Db): Promise<number> {
  let p = sourceIds.get(db);
  if (!p) {
    p = (async () => {
      await db.execute(sql`insert into sources (workspace_id, name, write_key_hash, write_key_prefix) values (1, 'Email (revloop)', 'internal:email', 'internal') on conflict do nothing`);
      const { rows } = await db.execute<{ id: number }>(sql`select id from sources where write_key_hash = 'internal:email'`);
      return rows[0]!.id;
    })();
    p.catch(() => sourceIds.delete(db));
    sourceIds.set(db, p);
  }
  return p;
}

// Mail clients and image proxies send the same few user agents over and over: remember isbot's answer.
const botAnswers = new Map<string, boolean>();
function isBotCached(ua: string): boolean {
  let b = botAnswers.get(ua);
  if (b === undefined) {
    if (botAnswers.size >= 2000) botAnswers.clear();
    botAnswers.set(ua, (b = isbot(ua)));
  }
  return b;
}

/**
 * One bound parameter holding a PostgreSQL array literal ({…}): every string element quoted with only `"` and `\`
 * escaped (one pass), null as NULL. pg's own array serializer escapes each element twice over; at thousands of
 * opens and clicks a second that was a tenth of the server thread's flush time.
 */
function arrayLiteral(values: readonly (string | number | boolean | null)[]) {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'string') out += `"${v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, '\\$&') : v}"`;
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += String(v);
  }
  return sql.param(`${out}}`);
}

/** Writes email events (inside a transaction or on their own): events + scoring inbox + first open/click. */
export async function writeEmailEvents(db: Queryable, sourceId: number, items: Pending[]): Promise<void> {
  if (!items.length) return;
  const props = items.map((i) =>
    JSON.stringify({ emailMessageId: i.meta.id, templateId: i.meta.templateId, contentItemId: i.meta.contentItemId, campaignId: i.meta.campaignId, programId: i.meta.programId, stepId: i.meta.stepId, ...(i.url ? { url: i.url } : {}) }),
  );
  const bots = items.map((i) => (i.userAgent ? isBotCached(i.userAgent) : false));
  await db.execute(sql`
    with ins as (
      insert into events (workspace_id, source_id, message_id, type, event, contact_id, timestamp, received_at, properties, context, ip, user_agent, page_url, utm_campaign, utm_source, utm_medium, is_bot)
      select u.ws, ${sourceId}, u.mid, 'track', u.ev, u.cid, u.at, u.at, u.props, '{"library":{"name":"revloop-email"}}'::jsonb, u.ip, u.ua, u.url, u.utm, 'email', case when u.utm is null then null else 'email' end, u.bot
      from unnest(${arrayLiteral(items.map((i) => i.meta.workspaceId))}::int4[], ${arrayLiteral(items.map(() => randomUUID()))}::text[], ${arrayLiteral(items.map((i) => i.event))}::text[],
        ${arrayLiteral(items.map((i) => i.meta.contactId))}::int8[], ${arrayLiteral(items.map((i) => i.at.toISOString()))}::timestamptz[], ${arrayLiteral(props)}::jsonb[],
        ${arrayLiteral(items.map((i) => i.ip))}::text[], ${arrayLiteral(items.map((i) => i.userAgent))}::text[], ${arrayLiteral(items.map((i) => i.url))}::text[],
        ${arrayLiteral(items.map((i) => i.meta.utmCampaign))}::text[], ${arrayLiteral(bots)}::bool[]) as u(ws, mid, ev, cid, at, props, ip, ua, url, utm, bot)
      returning id, workspace_id, received_at, contact_id, is_bot
    ), inbox as (${inboxInsertFrom('ins')})
    select 1`);
  const opened = [...new Set(items.filter((i) => i.event === 'Email Opened' && !i.repeat).map((i) => i.meta.id))];
  const clicked = [...new Set(items.filter((i) => i.event === 'Email Link Clicked' && !i.repeat).map((i) => i.meta.id))];
  const now = items[0]!.at.toISOString();
  if (opened.length) await db.execute(sql`update email_messages set first_opened_at = ${now}::timestamptz where id = any(${sql.param(opened)}::uuid[]) and first_opened_at is null`);
  // A click implies the message was opened (images off).
  if (clicked.length) await db.execute(sql`update email_messages set first_clicked_at = coalesce(first_clicked_at, ${now}::timestamptz), first_opened_at = coalesce(first_opened_at, ${now}::timestamptz) where id = any(${sql.param(clicked)}::uuid[]) and first_clicked_at is null`);
}

class EventBuffer {
  private items: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly db: Db;
  private readonly log: { error(o: unknown, m?: string): void };
  constructor(db: Db, log: { error(o: unknown, m?: string): void }) {
    this.db = db;
    this.log = log;
  }
  push(p: Pending) {
    this.items.push(p);
    if (this.items.length >= 1000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 50);
  }
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const take = this.items;
    this.items = [];
    this.flushing = this.flushing.then(async () => {
      if (!take.length) return;
      try {
        await writeEmailEvents(this.db, await emailSourceId(this.db), take);
      } catch (err) {
        this.log.error({ err, events: take.length }, 'email events could not be stored');
      }
    });
    return this.flushing;
  }
}

const buffers = new WeakMap<object, EventBuffer>();
export function recordEmailEvent(db: Db, log: { error(o: unknown, m?: string): void }, p: Pending): void {
  if (p.meta.isTest) return;
  let b = buffers.get(db);
  if (!b) buffers.set(db, (b = new EventBuffer(db, log)));
  if (p.event === 'Email Opened') {
    p.repeat = p.meta.opened;
    p.meta.opened = true;
  }
  if (p.event === 'Email Link Clicked') {
    p.repeat = p.meta.clicked;
    p.meta.clicked = p.meta.opened = true;
  }
  b.push(p);
}

/** Waits until every buffered email event is written (tests, shutdown). */
export async function flushEmailEvents(db: Db): Promise<void> {
  await buffers.get(db)?.flush();
}
