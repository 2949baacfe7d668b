// An item's URL match rules (replace the list, with conflict checks) and the workspace's URL settings (kept query
// parameters; changing them re-normalises every rule).
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable, Tx } from '../../db/client.ts';
import { ContentSettings, type ContentUrlInput } from '../../contracts/content.ts';
import { ConflictError, ValidationError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { invalidateMatcherCache, normalizeUrl } from './match.ts';
import { contentItems, contentSettings, contentUrls } from './schema.ts';
import { fieldError, WS } from './items-dto.ts';
import { requestContentRematch } from './consumption-jobs.ts';

export async function keptParams(db: Queryable): Promise<string[]> {
  const [row] = await db.select({ kept: contentSettings.keptQueryParams }).from(contentSettings).where(eq(contentSettings.workspaceId, WS));
  return row?.kept ?? [];
}

/**
 * Replaces the item's URL rules. Each URL is normalised; two rules of one item that normalise the same are
 * merged; a rule another item already has is a conflict (409, naming that item). At most one canonical URL
 * (none marked: the first exact URL is the canonical one).
 */
export async function replaceItemUrls(tx: Tx, itemId: number, urls: readonly ContentUrlInput[], field = 'urls'): Promise<{ normalized: string; kind: string }[]> {
  const kept = await keptParams(tx);
  const seen = new Map<string, { url: string; normalized: string; kind: 'exact' | 'prefix'; canonical: boolean }>();
  urls.forEach((u, i) => {
    const normalized = normalizeUrl(u.url, kept, u.kind);
    if (!normalized) throw fieldError(`${field}[${i}].url`, 'must be an http(s) URL like https://example.com/blog/post');
    const key = `${u.kind} ${normalized}`;
    const prev = seen.get(key);
    seen.set(key, { url: prev?.url ?? u.url, normalized, kind: u.kind, canonical: (prev?.canonical ?? false) || u.canonical });
  });
  const list = [...seen.values()];
  if (list.filter((u) => u.canonical).length > 1) throw fieldError(field, 'only one URL can be the canonical one');
  if (list.length && !list.some((u) => u.canonical)) {
    const first = list.find((u) => u.kind === 'exact');
    if (first) first.canonical = true;
  }
  if (list.length) {
    const taken = await tx
      .select({ normalized: contentUrls.normalized, kind: contentUrls.kind, itemId: contentUrls.itemId, title: contentItems.title })
      .from(contentUrls)
      .innerJoin(contentItems, eq(contentItems.id, contentUrls.itemId))
      .where(and(eq(contentUrls.workspaceId, WS), ne(contentUrls.itemId, itemId), inArray(contentUrls.normalized, list.map((u) => u.normalized))));
    const clash = taken.find((t) => list.some((u) => u.normalized === t.normalized && u.kind === t.kind));
    if (clash)
      throw new ConflictError(`${field}: ${clash.normalized} (${clash.kind}) already belongs to item ${clash.itemId} "${clash.title}"`, [
        { field, message: `already belongs to item ${clash.itemId}`, itemId: clash.itemId },
      ]);
  }
  invalidateMatcherCache();
  await tx.delete(contentUrls).where(eq(contentUrls.itemId, itemId));
  if (list.length) await tx.insert(contentUrls).values(list.map((u) => ({ workspaceId: WS, itemId, ...u })));
  return list.map((u) => ({ normalized: u.normalized, kind: u.kind }));
}

export async function getContentSettings({ ctx }: { ctx: Ctx }): Promise<ContentSettings> {
  return { keptQueryParams: await keptParams(ctx.db) };
}

/** Changes the kept query parameters and re-normalises every URL rule (refused if two rules would collide). */
export async function updateContentSettings({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ContentSettings> {
  const data = ContentSettings.parse(input);
  const kept = [...new Set(data.keptQueryParams.map((k) => k.toLowerCase()))].sort();
  await withTransaction(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('content_settings'))`);
    const before = await keptParams(tx);
    await tx
      .insert(contentSettings)
      .values({ workspaceId: WS, keptQueryParams: kept, updatedBy: ctx.actor.userId })
      .onConflictDoUpdate({ target: contentSettings.workspaceId, set: { keptQueryParams: kept, updatedBy: ctx.actor.userId, updatedAt: new Date() } });
    const rules = await tx.select().from(contentUrls).where(eq(contentUrls.workspaceId, WS));
    const next = new Map<string, number>();
    for (const r of rules) {
      const n = normalizeUrl(r.url, kept, r.kind)!;
      const key = `${r.kind} ${n}`;
      if (next.has(key) && next.get(key) !== r.itemId)
        throw new ValidationError(`keptQueryParams: ${r.url} and another item's URL would become the same page ${n}`, [{ field: 'keptQueryParams', message: `items ${next.get(key)} and ${r.itemId} would share ${n}` }]);
      if (next.has(key)) {
        await tx.delete(contentUrls).where(eq(contentUrls.id, r.id));
        continue;
      }
      next.set(key, r.itemId);
      if (n !== r.normalized) await tx.update(contentUrls).set({ normalized: n }).where(eq(contentUrls.id, r.id));
    }
    await recordAudit(tx, ctx.actor, {
      action: 'content_settings.updated',
      entityType: 'content_settings',
      entityId: WS,
      summary: `Content URL matching keeps query parameters: ${kept.join(', ') || 'none'}`,
      changes: diffFields({ keptQueryParams: before }, { keptQueryParams: kept }),
    });
  });
  invalidateMatcherCache();
  await requestContentRematch(ctx);
  return { keptQueryParams: kept };
}
