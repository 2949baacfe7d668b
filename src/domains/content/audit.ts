// The content audit report: per item stage fit, freshness (age, last update), rating, read depth and influence
// from the per-item rollup, with live items flagged for refresh or retirement by the workspace's thresholds
// (defaults in AuditSettings; changed with updateAuditSettings, audited). CSV export goes through the
// formula-injection guard.
import { sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { LIVE_STATUSES, type ContentFormat, type ContentStage, type ContentStatus, type ContentType } from '../../contracts/content.ts';
import { AuditQuery, AuditSettings, AuditSettingsPatch, type AuditReport, type AuditRow } from '../../contracts/content-insights.ts';
import { csvRow } from '../contacts/csv-safe.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { itemFilter } from './coverage.ts';

const WS = 1;
const DAY = 86_400_000;

export async function loadAuditSettings(db: Queryable): Promise<AuditSettings> {
  const r = await db.execute(sql`select settings from content_audit_settings where workspace_id = ${WS}`);
  const stored = (r.rows[0] as { settings: Record<string, unknown> } | undefined)?.settings ?? {};
  return AuditSettings.parse({ ...AuditSettings.parse({}), ...stored });
}

export async function getAuditSettings({ ctx }: { ctx: Pick<Ctx, 'db'> }): Promise<AuditSettings> {
  return loadAuditSettings(ctx.db);
}

export async function updateAuditSettings({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<AuditSettings> {
  const patch = AuditSettingsPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${0x63617564})`);
    const before = await loadAuditSettings(tx);
    const after = AuditSettings.parse({ ...before, ...patch });
    await tx.execute(sql`
      insert into content_audit_settings (workspace_id, settings, updated_by, updated_at) values (${WS}, ${JSON.stringify(after)}::jsonb, ${ctx.actor.userId}, now())
      on conflict (workspace_id) do update set settings = excluded.settings, updated_by = excluded.updated_by, updated_at = now()`);
    await recordAudit(tx, ctx.actor, {
      action: 'content.audit_settings.updated',
      entityType: 'content_audit_settings',
      entityId: WS,
      summary: 'Changed the content audit thresholds',
      changes: diffFields(before, after),
    });
    return after;
  });
}

export interface AuditInputRow {
  status: ContentStatus;
  ageDays: number;
  daysSinceUpdate: number;
  views90d: number;
  avgRating: number | null;
  ratings: number;
  reads: number;
  avgDepthPct: number | null;
  stageFit: number | null;
  stageKnownReaders: number;
}

/** The flag of one item and why (pure: the thresholds and the item's figures). Only live items are flagged. */
export function auditFlag(r: AuditInputRow, s: AuditSettings): { flag: 'refresh' | 'retire' | null; reasons: string[] } {
  if (!LIVE_STATUSES.includes(r.status)) return { flag: null, reasons: [] };
  if (r.ageDays >= s.retireAfterDays && r.views90d < s.minViews90d) {
    return { flag: 'retire', reasons: [`published ${r.ageDays} days ago and ${r.views90d} views in the last 90 days (fewer than ${s.minViews90d})`] };
  }
  const reasons: string[] = [];
  if (r.daysSinceUpdate >= s.refreshAfterDays) reasons.push(`not updated for ${r.daysSinceUpdate} days (${s.refreshAfterDays} allowed)`);
  if (r.ratings >= 3 && r.avgRating !== null && r.avgRating < s.minRating) reasons.push(`average rating ${r.avgRating} below ${s.minRating}`);
  if (r.reads >= 5 && r.avgDepthPct !== null && r.avgDepthPct < s.minDepthPct) reasons.push(`readers stop at ${r.avgDepthPct} % on average (below ${s.minDepthPct} %)`);
  if (r.stageKnownReaders >= 5 && r.stageFit !== null && r.stageFit < 0.5) reasons.push(`only ${Math.round(r.stageFit * 100)} % of readers are at or next to its buying stage`);
  return { flag: reasons.length ? 'refresh' : null, reasons };
}

type Row = {
  id: number;
  title: string;
  stage: ContentStage;
  type: ContentType;
  format: ContentFormat;
  status: ContentStatus;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  views: string | null;
  views_90d: string | null;
  readers: number | null;
  reads: string | null;
  depth_sum: number | null;
  ratings: number | null;
  rating_sum: number | null;
  stage_known_readers: number | null;
  stage_fit_readers: number | null;
  influenced_contacts: number | null;
  influenced_pipeline: string | null;
  refreshed_at: Date | null;
};

function toRow(r: Row, s: AuditSettings, now: number): AuditRow {
  const reads = Number(r.reads ?? 0);
  const ratings = Number(r.ratings ?? 0);
  const known = Number(r.stage_known_readers ?? 0);
  const base = {
    id: Number(r.id),
    title: r.title,
    stage: r.stage,
    type: r.type,
    format: r.format,
    status: r.status,
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    updatedAt: new Date(r.updated_at).toISOString(),
    ageDays: Math.max(0, Math.floor((now - new Date(r.published_at ?? r.created_at).getTime()) / DAY)),
    daysSinceUpdate: Math.max(0, Math.floor((now - new Date(r.updated_at).getTime()) / DAY)),
    views: Number(r.views ?? 0),
    views90d: Number(r.views_90d ?? 0),
    readers: Number(r.readers ?? 0),
    avgDepthPct: reads > 0 ? Math.round((Number(r.depth_sum) / reads) * 10) / 10 : null,
    avgRating: ratings > 0 ? Math.round((Number(r.rating_sum) / ratings) * 100) / 100 : null,
    ratings,
    stageFit: known > 0 ? Math.round((Number(r.stage_fit_readers) / known) * 100) / 100 : null,
    influencedContacts: Number(r.influenced_contacts ?? 0),
    influencedPipeline: Number(r.influenced_pipeline ?? 0),
  };
  const { flag, reasons } = auditFlag({ ...base, reads, stageKnownReaders: known }, s);
  return { ...base, flag, reasons };
}

const FLAG_ORDER = { retire: 0, refresh: 1 } as const;

async function auditRows(db: Queryable, q: AuditQuery, now: Date): Promise<{ settings: AuditSettings; rows: AuditRow[]; refreshedAt: string | null }> {
  const settings = await loadAuditSettings(db);
  const res = await db.execute(sql`
    select i.id, i.title, i.stage, i.type, i.format, i.status, i.published_at, i.created_at, i.updated_at,
           s.views, s.views_90d, s.readers, s.reads, s.depth_sum, s.ratings, s.rating_sum, s.stage_known_readers, s.stage_fit_readers,
           s.influenced_contacts, s.influenced_pipeline, s.refreshed_at
    from content_items i left join content_item_stats s on s.item_id = i.id
    where ${itemFilter({ stage: q.stage, type: q.type })}
    order by i.id`);
  const t = now.getTime();
  const all = (res.rows as Row[]).map((r) => toRow(r, settings, t));
  all.sort((a, b) => (a.flag ? FLAG_ORDER[a.flag] : 2) - (b.flag ? FLAG_ORDER[b.flag] : 2) || b.daysSinceUpdate - a.daysSinceUpdate || a.id - b.id);
  const refreshed = (res.rows as Row[]).reduce<number | null>((m, r) => (r.refreshed_at ? Math.max(m ?? 0, new Date(r.refreshed_at).getTime()) : m), null);
  return { settings, rows: all, refreshedAt: refreshed ? new Date(refreshed).toISOString() : null };
}

function keep(q: AuditQuery) {
  return (r: AuditRow) => (q.flag === 'all' ? true : q.flag === 'flagged' ? r.flag !== null : r.flag === q.flag);
}

export async function contentAudit({ ctx, input, now = new Date() }: { ctx: Pick<Ctx, 'db'>; input: unknown; now?: Date }): Promise<AuditReport> {
  const q = AuditQuery.parse(input ?? {});
  const { settings, rows, refreshedAt } = await auditRows(ctx.db, q, now);
  return {
    settings,
    counts: { items: rows.length, refresh: rows.filter((r) => r.flag === 'refresh').length, retire: rows.filter((r) => r.flag === 'retire').length },
    rows: rows.filter(keep(q)).slice(0, q.limit),
    refreshedAt,
  };
}

export const AUDIT_CSV_HEADER = [
  'id', 'title', 'stage', 'type', 'format', 'status', 'published_at', 'updated_at', 'age_days', 'days_since_update', 'views', 'views_90d', 'readers',
  'avg_depth_pct', 'avg_rating', 'ratings', 'stage_fit', 'influenced_contacts', 'influenced_pipeline', 'flag', 'reasons',
];

/** Every matching row (no limit) as CSV; titles and reasons pass the formula-injection guard. */
export async function exportAuditCsv({ ctx, input, now = new Date() }: { ctx: Pick<Ctx, 'db'>; input: unknown; now?: Date }): Promise<{ filename: string; csv: string }> {
  const q = AuditQuery.parse(input ?? {});
  const { rows } = await auditRows(ctx.db, q, now);
  const out = [AUDIT_CSV_HEADER].concat(
    rows
      .filter(keep(q))
      .map((r) =>
        csvRow([r.id, r.title, r.stage, r.type, r.format, r.status, r.publishedAt, r.updatedAt, r.ageDays, r.daysSinceUpdate, r.views, r.views90d, r.readers,
          r.avgDepthPct, r.avgRating, r.ratings, r.stageFit, r.influencedContacts, r.influencedPipeline, r.flag, r.reasons.join('; ')]),
      ),
  );
  return { filename: `content-audit-${now.toISOString().slice(0, 10)}.csv`, csv: stringify(out) };
}
