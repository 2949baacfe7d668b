// Buying stage: a viewed page's stage is the stage of the content item it belongs to (content URL rules,
// src/domains/content/match.ts), else the first page URL → stage rule that matches. A contact's stage is the
// most advanced stage among the pages it viewed in the last 90 days.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { BuyingStage as BuyingStageEnum, type BuyingStage } from '../../contracts/scoring.ts';
import { loadMatcher, type ContentMatcher } from '../content/match.ts';
import { urlPatternMatches } from './rules.ts';
import { buyingStageRules, contactBuyingStages } from './schema.ts';

export const BUYING_STAGE_WINDOW_DAYS = 90;
const ORDER = BuyingStageEnum.options;

export interface StageRuleLike {
  pattern: string;
  stage: BuyingStage;
}

export interface PageView {
  path: string | null;
  url?: string | null;
  canonical?: string | null;
  at: Date;
}

export interface StageEvidence {
  stage: BuyingStage;
  count: number;
  lastAt: string;
}

/**
 * The stage of one page: the stage of the content item the page belongs to (content wins), else the first rule
 * (in position order) whose pattern matches, else null.
 */
export function stageOfPage(rules: readonly StageRuleLike[], view: Pick<PageView, 'path' | 'url' | 'canonical'>, content?: ContentMatcher): BuyingStage | null {
  if (content?.size) {
    const item = content.match(view);
    if (item !== null) {
      const stage = content.stageOf.get(item);
      if (stage) return stage;
    }
  }
  for (const r of rules) {
    const target = r.pattern.includes('://') ? view.url : view.path ?? pathOf(view.url);
    if (urlPatternMatches(r.pattern, target)) return r.stage;
  }
  return null;
}

function pathOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/**
 * The most advanced buying stage among the page views of the last `windowDays` (default 90) before `now`,
 * with the evidence (per stage: how many views and the last one). No matching view: stage null.
 */
export function inferBuyingStage(
  views: readonly PageView[],
  rules: readonly StageRuleLike[],
  now: Date,
  windowDays = BUYING_STAGE_WINDOW_DAYS,
  content?: ContentMatcher,
): { stage: BuyingStage | null; evidence: StageEvidence[] } {
  const since = now.getTime() - windowDays * 86_400_000;
  const seen = new Map<BuyingStage, { count: number; last: number }>();
  for (const v of views) {
    const t = v.at.getTime();
    if (t < since || t > now.getTime()) continue;
    const stage = stageOfPage(rules, v, content);
    if (!stage) continue;
    const s = seen.get(stage) ?? { count: 0, last: 0 };
    s.count += 1;
    s.last = Math.max(s.last, t);
    seen.set(stage, s);
  }
  const evidence = ORDER.filter((s) => seen.has(s)).map((s) => ({ stage: s, count: seen.get(s)!.count, lastAt: new Date(seen.get(s)!.last).toISOString() }));
  return { stage: evidence.length ? evidence[evidence.length - 1]!.stage : null, evidence };
}

export async function loadStageRules(db: Queryable, workspaceId: number): Promise<StageRuleLike[]> {
  return db
    .select({ pattern: buyingStageRules.pattern, stage: buyingStageRules.stage })
    .from(buyingStageRules)
    .where(eq(buyingStageRules.workspaceId, workspaceId))
    .orderBy(asc(buyingStageRules.position), asc(buyingStageRules.id));
}

/**
 * Recomputes and stores (contact_buying_stages) the buying stage of the given contacts from their page views
 * of the last 90 days. Contacts without a matching view get their row removed. Returns contact → stage.
 */
export async function refreshBuyingStages(
  db: Queryable,
  workspaceId: number,
  contactIds: readonly number[],
  now: Date = new Date(),
): Promise<Map<number, BuyingStage | null>> {
  const out = new Map<number, BuyingStage | null>();
  contactIds = [...new Set(contactIds.map(Number))];
  if (!contactIds.length) return out;
  const [rules, content] = await Promise.all([loadStageRules(db, workspaceId), loadMatcher(db, workspaceId, { cached: true })]);
  const views = new Map<number, PageView[]>();
  if (rules.length || content.size) {
    const since = new Date(now.getTime() - BUYING_STAGE_WINDOW_DAYS * 86_400_000);
    const res = await db.execute(sql`
      select contact_id, page_path, page_url, properties->>'canonical' as canonical, timestamp from events
      where contact_id = any(${sql.raw(`'{${contactIds.map(Number).join(',')}}'::bigint[]`)})
        and timestamp >= ${since.toISOString()} and timestamp <= ${now.toISOString()}
        and not is_bot and (page_path is not null or page_url is not null)`);
    for (const r of res.rows as { contact_id: string | number; page_path: string | null; page_url: string | null; canonical: string | null; timestamp: string | Date }[]) {
      const id = Number(r.contact_id);
      const list = views.get(id) ?? [];
      list.push({ path: r.page_path, url: r.page_url, canonical: r.canonical, at: new Date(r.timestamp) });
      views.set(id, list);
    }
  }
  const upserts: (typeof contactBuyingStages.$inferInsert)[] = [];
  const cleared: number[] = [];
  for (const id of contactIds) {
    const { stage, evidence } = inferBuyingStage(views.get(id) ?? [], rules, now, BUYING_STAGE_WINDOW_DAYS, content);
    out.set(id, stage);
    if (stage) upserts.push({ contactId: id, workspaceId, stage, evidence: { stages: evidence, windowDays: BUYING_STAGE_WINDOW_DAYS }, updatedAt: now });
    else cleared.push(id);
  }
  if (upserts.length) {
    // Only contacts that still exist (one may be deleted meanwhile).
    const existing = new Set(
      (await db.execute(sql`select id from contacts where id = any(${sql.raw(`'{${upserts.map((u) => u.contactId).join(',')}}'::bigint[]`)})`)).rows.map((r) => Number(r.id)),
    );
    const rows = upserts.filter((u) => existing.has(u.contactId));
    if (rows.length)
      await db
        .insert(contactBuyingStages)
        .values(rows)
        .onConflictDoUpdate({
          target: contactBuyingStages.contactId,
          set: { stage: sql`excluded.stage`, evidence: sql`excluded.evidence`, updatedAt: sql`excluded.updated_at` },
        });
  }
  if (cleared.length)
    await db.delete(contactBuyingStages).where(and(inArray(contactBuyingStages.contactId, cleared), eq(contactBuyingStages.workspaceId, workspaceId)));
  return out;
}
