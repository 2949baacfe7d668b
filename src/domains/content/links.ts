// Tracked library links: a sales user copies a link to a published item for one contact. The link is
// `<base>/l/<token>`: an opaque random token (only its sha256 is stored). Following it redirects to the
// item's own URL — read from the item at click time, never from the request — with `ajs_aid=<fresh uuid>`,
// an anonymous id tied to the contact before the redirect. The revloop tracker (and Segment's analytics.js,
// whose query-string API uses the same parameter) adopts that id, so the visit's page views and read depth
// are the contact's.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { systemActor, withTransaction, type Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { TrackedLinkInput, type TrackedLink } from '../../contracts/content-sales.ts';
import { LIVE_STATUSES } from '../../contracts/content.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { contacts } from '../contacts/schema.ts';
import { linkIdentity } from '../tracking/identity.ts';
import { contentItems } from './schema.ts';
import { contentLinks } from './schema-intel.ts';
import { itemUrls } from './library.ts';

const WS = 1;
export const LINK_TTL_DAYS = 180;
const TOKEN_RE = /^[A-Za-z0-9_-]{20,64}$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/** Only http(s) addresses are ever redirected to. */
export function safeTarget(raw: string): URL | null {
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u : null;
  } catch {
    return null;
  }
}

export async function createTrackedLink({ ctx, input, baseUrl, now = new Date() }: { ctx: Ctx; input: unknown; baseUrl: string; now?: Date }): Promise<TrackedLink> {
  const v = TrackedLinkInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [item] = await tx.select({ id: contentItems.id, title: contentItems.title, status: contentItems.status }).from(contentItems).where(and(eq(contentItems.id, v.itemId), eq(contentItems.workspaceId, WS)));
    if (!item) throw fieldError('itemId', `content item ${v.itemId} does not exist`);
    if (!LIVE_STATUSES.includes(item.status)) throw new ConflictError(`"${item.title}" is not published (status ${item.status}); only published content can be shared`, { field: 'itemId' });
    const target = (await itemUrls(tx, [item.id])).get(item.id);
    if (!target || !safeTarget(target)) throw new ConflictError(`"${item.title}" has no URL to link to; add one on the item first`, { field: 'itemId' });
    const [contact] = await tx.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.id, v.contactId), eq(contacts.workspaceId, WS)));
    if (!contact) throw fieldError('contactId', `contact ${v.contactId} does not exist`);
    const token = randomBytes(18).toString('base64url');
    const expiresAt = new Date(now.getTime() + LINK_TTL_DAYS * 86_400_000);
    const [row] = await tx
      .insert(contentLinks)
      .values({ workspaceId: WS, tokenHash: sha256(token), itemId: item.id, contactId: contact.id, createdBy: ctx.actor.userId, createdByLabel: ctx.actor.label, createdAt: now, expiresAt })
      .returning({ id: contentLinks.id });
    await recordAudit(tx, ctx.actor, {
      action: 'library.link_created',
      entityType: 'contact',
      entityId: contact.id,
      summary: `Tracked link to "${item.title}" created for ${contact.email}`,
      changes: { itemId: item.id, linkId: row!.id, target },
    });
    return { id: row!.id, url: `${baseUrl.replace(/\/$/, '')}/l/${token}`, itemId: item.id, contactId: contact.id, target, expiresAt: expiresAt.toISOString() };
  });
}

export class GoneError extends AppError {
  constructor(message: string) {
    super(410, 'gone', message);
  }
}

/**
 * A click: checks the token, ties a fresh anonymous id to the contact, counts the click and returns where to
 * redirect (the item's URL + ajs_aid). Unknown or malformed token: 404; expired: 410; item without an
 * http(s) URL: 404. Nothing from the request except the token is used to build the target.
 */
export async function followTrackedLink({ db, token, now = new Date() }: { db: Db; token: string; now?: Date }): Promise<{ location: string; contactId: number; itemId: number }> {
  if (!TOKEN_RE.test(token)) throw new NotFoundError('Link');
  return db.transaction(async (tx) => {
    const [link] = await tx.select().from(contentLinks).where(eq(contentLinks.tokenHash, sha256(token))).for('update');
    if (!link) throw new NotFoundError('Link');
    if (link.expiresAt <= now) throw new GoneError('This link has expired; ask your contact at the company for a new one');
    const raw = (await itemUrls(tx, [link.itemId])).get(link.itemId);
    const target = raw ? safeTarget(raw) : null;
    if (!target) throw new NotFoundError('Link');
    const anonymousId = randomUUID();
    await linkIdentity({ tx, actor: systemActor, workspaceId: link.workspaceId, source: 'library link' }, 'anonymous', anonymousId, link.contactId);
    await tx
      .update(contentLinks)
      .set({ clicks: sql`${contentLinks.clicks} + 1`, firstClickedAt: sql`coalesce(${contentLinks.firstClickedAt}, ${now})`, lastClickedAt: now })
      .where(eq(contentLinks.id, link.id));
    target.searchParams.set('ajs_aid', anonymousId);
    return { location: target.toString(), contactId: link.contactId, itemId: link.itemId };
  });
}
