// URL ↔ content matching. Every URL (a rule's or a tracked page's) is normalised the same way:
//   - scheme ignored (http and https are the same page), host lower-cased, a leading `www.` and default ports dropped;
//   - fragment dropped; duplicate slashes collapsed; trailing slash dropped (`/blog/post/` = `/blog/post`);
//     `index.html` / `index.htm` / `index.php` at the end dropped; path case kept (paths are case-sensitive);
//   - query string ignored except the workspace's configured parameters (content_settings.kept_query_params),
//     which are kept sorted by name (`?b=2&a=1` = `?a=1&b=2`).
// The result looks like `example.com/blog/post?lang=en`. `exact` rules match that page only; `prefix` rules match
// the page and every page below it on a segment boundary (`/blog` matches `/blog/x`, not `/blogger`), query ignored.
// A page with a canonical URL (the event's `canonical` property / context.page.canonical) is matched by it first.
// A page seen by path only (no host) matches rules by path.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { ContentStage, UrlMatchKind } from '../../contracts/content.ts';

export interface NormalizedUrl {
  host: string;
  /** Path without trailing slash ('' for the root). */
  path: string;
  /** Kept query parameters, `a=1&b=2`, or ''. */
  query: string;
}

const INDEX_FILE = /\/index\.(html?|php)$/i;

function normPath(raw: string): string {
  let p = raw.replace(/\/{2,}/g, '/').replace(INDEX_FILE, '/');
  try {
    // Decode only unreserved characters so `%7E` = `~`; keep other escapes as they are (upper-cased).
    p = p.replace(/%[0-9a-f]{2}/gi, (m) => {
      const c = String.fromCharCode(parseInt(m.slice(1), 16));
      return /[A-Za-z0-9\-._~]/.test(c) ? c : m.toUpperCase();
    });
  } catch {
    /* keep as is */
  }
  p = p.replace(/\/+$/, '');
  return p;
}

/** Splits and normalises a URL (absolute, or a path starting with `/`: host ''). Null when it is not one. */
export function parseUrl(raw: string | null | undefined, keptParams: readonly string[] = []): NormalizedUrl | null {
  if (!raw) return null;
  const s = raw.trim();
  if (!s) return null;
  let u: URL;
  let host = '';
  try {
    if (s.startsWith('/') && !s.startsWith('//')) u = new URL(s, 'http://x.invalid');
    else {
      if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(s) && !/^https?:\/\//i.test(s)) return null;
      u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s.replace(/^\/\//, '')}`);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
      host = u.hostname.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
      if (u.port && !((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443'))) host += `:${u.port}`;
    }
  } catch {
    return null;
  }
  const kept = new Set(keptParams.map((k) => k.toLowerCase()));
  const pairs: [string, string][] = [];
  if (kept.size) for (const [k, v] of u.searchParams) if (kept.has(k.toLowerCase())) pairs.push([k.toLowerCase(), v]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return { host, path: normPath(u.pathname), query };
}

/** The normalised form stored in content_urls.normalized (and compared): `host/path?query`. Prefix rules drop the query. */
export function normalizeUrl(raw: string | null | undefined, keptParams: readonly string[] = [], kind: UrlMatchKind = 'exact'): string | null {
  const n = parseUrl(raw, keptParams);
  if (!n) return null;
  return `${n.host}${n.path}${kind === 'exact' && n.query ? `?${n.query}` : ''}`;
}

export interface UrlRule {
  itemId: number;
  normalized: string;
  kind: UrlMatchKind;
}

export interface PageRef {
  url?: string | null;
  path?: string | null;
  canonical?: string | null;
}

/** In-memory matcher over a workspace's rules: exact lookups, then the longest prefix rule. */
export class ContentMatcher {
  private exact = new Map<string, number>();
  private exactByPath = new Map<string, number>();
  private prefix = new Map<string, number>();
  private prefixByPath = new Map<string, number>();
  readonly stageOf = new Map<number, ContentStage>();
  readonly keptParams: readonly string[];

  constructor(rules: readonly UrlRule[], keptParams: readonly string[] = [], stages: ReadonlyMap<number, ContentStage> | Iterable<[number, ContentStage]> = []) {
    this.keptParams = keptParams;
    for (const r of rules) {
      const slash = r.normalized.indexOf('/');
      const pathPart = slash < 0 ? '' : r.normalized.slice(slash);
      const [map, byPath] = r.kind === 'exact' ? [this.exact, this.exactByPath] : [this.prefix, this.prefixByPath];
      if (!map.has(r.normalized)) map.set(r.normalized, r.itemId);
      if (!byPath.has(pathPart)) byPath.set(pathPart, r.itemId);
    }
    for (const [id, s] of stages) this.stageOf.set(id, s);
  }

  get size(): number {
    return this.exact.size + this.prefix.size;
  }

  private matchOne(raw: string | null | undefined): number | null {
    const n = parseUrl(raw, this.keptParams);
    if (!n) return null;
    const byHost = n.host !== '';
    const exactKey = `${n.path}${n.query ? `?${n.query}` : ''}`;
    const hit = byHost ? this.exact.get(`${n.host}${exactKey}`) : this.exactByPath.get(exactKey);
    if (hit !== undefined) return hit;
    // Longest prefix on a segment boundary: /a/b/c, /a/b, /a, ''.
    let p = n.path;
    for (;;) {
      const id = byHost ? this.prefix.get(`${n.host}${p}`) : this.prefixByPath.get(p);
      if (id !== undefined) return id;
      if (p === '') return null;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  /** The item a tracked page belongs to: by its canonical URL first, then its URL, then its path. */
  match(page: PageRef): number | null {
    if (!this.size) return null;
    return this.matchOne(page.canonical) ?? this.matchOne(page.url) ?? (page.url ? null : this.matchOne(page.path));
  }
}

const cache = new Map<number, { version: string; matcher: ContentMatcher }>();

/** Drops the cached matchers (every change of URL rules, kept parameters, stages or retirement also changes the version). */
export function invalidateMatcherCache(): void {
  cache.clear();
}

/** A cheap fingerprint of everything a matcher is built from: URL rules, item changes (stage, retirement), settings. */
async function matcherVersion(db: Queryable, workspaceId: number): Promise<string> {
  const res = await db.execute(sql`select (select count(*) from content_urls where workspace_id = ${workspaceId})::int as n,
      (select coalesce(max(id), 0) from content_urls where workspace_id = ${workspaceId})::int as max_id,
      (select max(updated_at) from content_items where workspace_id = ${workspaceId})::text as items_at,
      (select count(*) from content_items where workspace_id = ${workspaceId})::int as items,
      (select updated_at from content_settings where workspace_id = ${workspaceId})::text as settings_at`);
  return JSON.stringify(res.rows[0]);
}

/**
 * Loads the workspace's rules, kept query parameters and item stages (retired items do not match). `cached`: reuse
 * the matcher loaded before when the version (rule count and last id, last item change, settings) is the same —
 * one small query instead of loading every rule on each scoring pass.
 */
export async function loadMatcher(db: Queryable, workspaceId: number, opts: { cached?: boolean } = {}): Promise<ContentMatcher> {
  let version = '';
  if (opts.cached) {
    version = await matcherVersion(db, workspaceId);
    const hit = cache.get(workspaceId);
    if (hit && hit.version === version) return hit.matcher;
  }
  const [rules, settings] = await Promise.all([
    db.execute(sql`select u.item_id, u.normalized, u.kind, i.stage from content_urls u join content_items i on i.id = u.item_id
                   where u.workspace_id = ${workspaceId} and i.status <> 'retired' order by u.id`),
    db.execute(sql`select kept_query_params from content_settings where workspace_id = ${workspaceId}`),
  ]);
  const rows = rules.rows as { item_id: number; normalized: string; kind: UrlMatchKind; stage: ContentStage }[];
  const kept = ((settings.rows[0] as { kept_query_params?: string[] } | undefined)?.kept_query_params ?? []) as string[];
  const matcher = new ContentMatcher(
    rows.map((r) => ({ itemId: Number(r.item_id), normalized: r.normalized, kind: r.kind })),
    kept,
    rows.map((r) => [Number(r.item_id), r.stage] as [number, ContentStage]),
  );
  if (opts.cached) cache.set(workspaceId, { version, matcher });
  return matcher;
}

/** The page reference of a stored event: page columns, the Content Read `url` / `path` properties, a canonical URL. */
export function pageRefOfEvent(e: { page_url?: string | null; page_path?: string | null; properties?: Record<string, unknown> | null; context?: Record<string, unknown> | null }): PageRef {
  const props = (e.properties ?? {}) as Record<string, unknown>;
  const ctxPage = ((e.context ?? {}) as { page?: Record<string, unknown> }).page ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    url: e.page_url ?? str(props.url) ?? str(ctxPage.url),
    path: e.page_path ?? str(props.path) ?? str(ctxPage.path),
    canonical: str(props.canonical) ?? str(ctxPage.canonical),
  };
}
