// Turning one Segment message into an events row: validation with its reason, clock-skew correction,
// context parsing (ip, user agent, page, UTM campaign) and bot detection.
import { randomUUID } from 'node:crypto';
import { isbot } from 'isbot';
import { MAX_MESSAGE_BYTES, TrackingMessage, type EventType } from '../../contracts/tracking.ts';
import type { NewEventRow } from './events-table.ts';

export interface RequestFacts {
  receivedAt: Date;
  /** The request's IP (req.ip; honours TRUST_PROXY). */
  ip: string;
  userAgent: string | null;
  /** The request came from a browser (Origin or Referer header): its User-Agent describes the visitor. */
  fromBrowser: boolean;
}

export type Parsed = { ok: true; message: TrackingMessage; row: NewEventRow } | { ok: false; reason: string; messageId: string | null };

const str = (v: unknown, max = 2000): string | null => (typeof v === 'string' && v.trim() ? v.slice(0, max) : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function utmFromUrl(url: string | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!url) return out;
  try {
    const q = new URL(url).searchParams;
    for (const k of ['campaign', 'source', 'medium', 'term', 'content']) out[k] = str(q.get(`utm_${k}`), 500);
  } catch {
    /* not a URL: no campaign */
  }
  return out;
}

/**
 * stored time = receivedAt − (sentAt − timestamp) when both are known (Segment's skew correction);
 * the client's timestamp when no sentAt; receivedAt when the message has no time at all.
 */
export function correctedTimestamp(receivedAt: Date, timestamp: Date | null, sentAt: Date | null): Date {
  if (timestamp && sentAt) return new Date(receivedAt.getTime() - (sentAt.getTime() - timestamp.getTime()));
  return timestamp ?? receivedAt;
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Validates one message and builds its row (contactId not yet resolved).
 * `forcedType` is the endpoint's type for /v1/track etc.; batch messages carry their own.
 */
export function parseMessage(
  raw: unknown,
  opts: { source: { id: number; workspaceId: number }; forcedType?: EventType; batchSentAt?: unknown; batchContext?: unknown; facts: RequestFacts },
): Parsed {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'message must be a JSON object', messageId: null };
  const input = raw as Record<string, unknown>;
  const messageId = typeof input.messageId === 'string' ? input.messageId : null;
  const text = JSON.stringify(input);
  const size = Buffer.byteLength(text);
  if (size > MAX_MESSAGE_BYTES) {
    return { ok: false, reason: `message is ${Math.ceil(size / 1024)} KB, larger than the 32 KB limit per message`, messageId };
  }
  // PostgreSQL text and jsonb cannot hold NUL characters.
  if (text.includes('\\u0000')) return { ok: false, reason: 'message contains a NUL character (\\u0000), which cannot be stored', messageId };
  const candidate: Record<string, unknown> = { ...input };
  if (opts.forcedType) candidate.type = opts.forcedType;
  if (candidate.sentAt == null && opts.batchSentAt != null) candidate.sentAt = opts.batchSentAt;
  if (opts.batchContext && typeof opts.batchContext === 'object') candidate.context = { ...obj(opts.batchContext), ...obj(candidate.context) };
  const parsed = TrackingMessage.safeParse(candidate);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error), messageId };
  const m = parsed.data;
  const { facts } = opts;

  const context = obj(m.context);
  const page = obj(context.page);
  const props = obj(m.properties);
  const isPage = m.type === 'page' || m.type === 'screen';
  const pageUrl = str(page.url) ?? (isPage ? str(props.url) : null);
  const campaign = obj(context.campaign);
  const urlUtm = utmFromUrl(pageUrl);
  const contextUa = str(context.userAgent, 1000);
  const userAgent = contextUa ?? facts.userAgent;
  // Server libraries send their own User-Agent (which isbot calls a bot): only a visitor's UA is judged.
  const judgedUa = contextUa ?? (facts.fromBrowser ? facts.userAgent : null);
  const timestamp = m.timestamp ?? m.originalTimestamp ?? null;
  const sentAt = m.sentAt ?? null;

  const row: NewEventRow = {
    workspaceId: opts.source.workspaceId,
    sourceId: opts.source.id,
    messageId: m.messageId ?? `srv-${randomUUID()}`,
    type: m.type,
    event: m.type === 'track' ? m.event! : isPage ? (m.name ?? null) : null,
    anonymousId: m.anonymousId || null,
    userId: m.userId || null,
    groupId: m.groupId ?? null,
    previousId: m.previousId ?? null,
    timestamp: correctedTimestamp(facts.receivedAt, timestamp, sentAt),
    receivedAt: facts.receivedAt,
    sentAt,
    originalTimestamp: timestamp,
    properties: m.properties ?? null,
    traits: m.traits ?? null,
    context: m.context ?? null,
    integrations: m.integrations ?? null,
    ip: str(context.ip, 100) ?? facts.ip,
    userAgent,
    pageUrl,
    pagePath: str(page.path) ?? (isPage ? str(props.path) : null),
    pageReferrer: str(page.referrer) ?? (isPage ? str(props.referrer) : null),
    pageTitle: str(page.title, 500) ?? (isPage ? str(props.title, 500) : null),
    utmCampaign: str(campaign.name, 500) ?? urlUtm.campaign ?? null,
    utmSource: str(campaign.source, 500) ?? urlUtm.source ?? null,
    utmMedium: str(campaign.medium, 500) ?? urlUtm.medium ?? null,
    utmTerm: str(campaign.term, 500) ?? urlUtm.term ?? null,
    utmContent: str(campaign.content, 500) ?? urlUtm.content ?? null,
    isBot: judgedUa ? isbot(judgedUa) : false,
  };
  return { ok: true, message: m, row };
}

/** A write key sent in the body ("writeKey": "…"), also inside a text preview of broken JSON (escaped quotes). */
const WRITE_KEY_IN_TEXT = /(\\?"writeKey\\?"\s*:\s*\\?")[^"\\]*/g;

/** A rejected message as kept for the debugger: small ones whole, large ones as a preview, the write key redacted. */
export function rejectionPayload(raw: unknown): unknown {
  if (raw === undefined) return null;
  // Never keep the source's write key (security: rejections are shown to every events:read user and dumped with backups).
  let text = (JSON.stringify(raw, (k, v) => (k === 'writeKey' && typeof v === 'string' ? '[redacted]' : v)) ?? 'null').replace(WRITE_KEY_IN_TEXT, '$1[redacted]');
  const redacted = text !== JSON.stringify(raw);
  // jsonb cannot hold NUL: shown as U+FFFD in the debugger.
  const nul = text.includes('\\u0000');
  if (nul) text = text.replaceAll('\\u0000', '\\ufffd');
  if (text.length <= 4096) return nul || redacted ? JSON.parse(text) : raw;
  return { truncated: true, bytes: Buffer.byteLength(text), preview: text.slice(0, 2000) };
}
