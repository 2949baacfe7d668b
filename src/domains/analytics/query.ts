// Shared pieces of every analytics query: the date window in the caller's time zone, the touch source (rollup
// or raw), touches resolved to their campaign and channel, the contact filters (segment, product, owner,
// campaign, channel) and the settings.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { AnalyticsSettings, type AnalyticsFilters } from '../../contracts/analytics.ts';
import { analyticsSettings } from './schema.ts';
import { rollupState } from './rollup.ts';
import { rawTouches, rollupTouches } from './touch-sources.ts';

export const WS = 1;

/** The window [from 00:00, to + 1 day 00:00) in the filter's time zone, as timestamptz expressions. */
export function windowOf(f: { from: string; to: string; tz: string }): { start: SQL; end: SQL } {
  return {
    start: sql`((${f.from}::date)::timestamp at time zone ${f.tz})`,
    end: sql`(((${f.to}::date) + 1)::timestamp at time zone ${f.tz})`,
  };
}

/** A period label expression (2026-03, 2026-Q1, 2026-W09) of a timestamptz in the time zone. */
export function periodOf(col: SQL, interval: 'week' | 'month' | 'quarter', tz: string): SQL {
  const local = sql`(${col} at time zone ${tz})`;
  if (interval === 'month') return sql`to_char(${local}, 'YYYY-MM')`;
  if (interval === 'quarter') return sql`to_char(${local}, 'YYYY-"Q"Q')`;
  return sql`to_char(${local}, 'IYYY-"W"IW')`;
}

export async function loadSettings(db: Queryable): Promise<AnalyticsSettings> {
  const [row] = await db.select().from(analyticsSettings).where(eq(analyticsSettings.workspaceId, WS));
  return AnalyticsSettings.parse(row?.settings ?? {});
}

/** rollup when asked, or on auto when the rollup has been built; raw otherwise. */
export async function touchSource(db: Queryable, wanted: 'auto' | 'rollup' | 'raw'): Promise<'rollup' | 'raw'> {
  if (wanted !== 'auto') return wanted;
  return (await rollupState(db)).refreshedAt ? 'rollup' : 'raw';
}

/**
 * Touches of known contacts with `cid` (their campaign: offline / email click campaign id, else the campaign of
 * the UTM code) and `ch` (the campaign's channel, else the touch's own: utm_medium, email, content, offline kind).
 */
export function resolvedTouches(source: 'rollup' | 'raw'): SQL {
  const base = source === 'rollup' ? rollupTouches(WS) : rawTouches(WS);
  return sql`(select t.source_key, t.contact_id, t.kind, t.occurred_at, t.utm_campaign, t.content_item_id,
                     coalesce(t.campaign_id, cm.id) as cid, coalesce(cmc.channel, cm.channel, t.channel, t.kind) as ch
              from ${base} t
              left join campaigns cm on t.campaign_id is null and t.utm_campaign is not null and cm.workspace_id = ${WS} and cm.utm_campaign = t.utm_campaign
              left join campaigns cmc on cmc.id = t.campaign_id)`;
}

async function segmentsExist(db: Queryable): Promise<boolean> {
  const r = await db.execute(sql`select to_regclass('segment_members') is not null as ok`);
  return Boolean((r.rows[0] as { ok: boolean }).ok);
}

/** Conditions on a contact id column for the filters (segment, product, owner, campaign, channel). */
export async function contactFilters(db: Queryable, f: AnalyticsFilters, contactCol: SQL, source: 'rollup' | 'raw'): Promise<SQL[]> {
  const out: SQL[] = [];
  if (f.segmentId !== undefined) {
    if (!(await segmentsExist(db))) throw new NotFoundError('Segment', f.segmentId);
    const seg = await db.execute(sql`select 1 from segments where id = ${f.segmentId}`);
    if (!seg.rows.length) throw new NotFoundError('Segment', f.segmentId);
    out.push(sql`${contactCol} in (select sm.contact_id from segment_members sm where sm.segment_id = ${f.segmentId})`);
  }
  if (f.product !== undefined) out.push(sql`exists (select 1 from contacts pc where pc.id = ${contactCol} and pc.properties->>'product' = ${f.product})`);
  if (f.ownerId !== undefined) out.push(sql`exists (select 1 from contacts oc where oc.id = ${contactCol} and oc.owner_id = ${f.ownerId})`);
  if (f.campaignId !== undefined) {
    const c = await db.execute(sql`select 1 from campaigns where id = ${f.campaignId} and workspace_id = ${WS}`);
    if (!c.rows.length) throw new NotFoundError('Campaign', f.campaignId);
    out.push(sql`exists (select 1 from ${resolvedTouches(source)} ft where ft.contact_id = ${contactCol} and ft.cid = ${f.campaignId})`);
  }
  if (f.channel !== undefined) out.push(sql`exists (select 1 from ${resolvedTouches(source)} ft where ft.contact_id = ${contactCol} and ft.ch = ${f.channel})`);
  return out;
}

export function and(conds: SQL[]): SQL {
  return conds.length ? sql.join(conds, sql` and `) : sql`true`;
}

/** Median and p90 of a list (nearest-rank interpolation, as percentile_cont). */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
