// A campaign's touches: tracked events (bots excluded) whose utm_campaign equals the campaign's code, in any
// case (index events_utm_campaign_idx). Totals, touches per day, sources/mediums, the lifecycle stage the
// touched contacts are in now, the latest touches, and the UTM codes seen that no campaign claims yet.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { CampaignReportQuery, type CampaignReport, type CampaignTouchStats } from '../../contracts/plan.ts';
import type { LifecycleStage } from '../../contracts/contacts.ts';
import { getCampaign } from './campaigns.ts';

const WS = 1;
const DAY_MS = 86_400_000;
const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const day = (d: Date) => d.toISOString().slice(0, 10);
/** A distinct person of events `e`: the contact when known, else the anonymous or user id. */
const VISITOR = sql.raw(`coalesce('c' || e.contact_id::text, 'a' || e.anonymous_id, 'u' || e.user_id)`);

/** Touch totals per campaign code (lower-cased codes in, map keyed by code). */
export async function touchStatsByCode(db: Queryable, workspaceId: number, codes: string[]): Promise<Map<string, CampaignTouchStats>> {
  const out = new Map<string, CampaignTouchStats>();
  if (!codes.length) return out;
  const res = await db.execute(sql`
    select lower(utm_campaign) as code, count(*)::int as touches, count(distinct contact_id)::int as contacts,
           count(distinct ${VISITOR})::int as visitors,
           min(timestamp) as first_at, max(timestamp) as last_at
    from events e
    where workspace_id = ${workspaceId} and utm_campaign is not null and lower(utm_campaign) = any(${sql.param(codes)}::text[]) and not is_bot
    group by 1`);
  for (const r of res.rows as { code: string; touches: number; contacts: number; visitors: number; first_at: Date; last_at: Date }[]) {
    out.set(r.code, { touches: r.touches, contacts: r.contacts, visitors: r.visitors, firstTouchAt: iso(r.first_at), lastTouchAt: iso(r.last_at) });
  }
  return out;
}

/** The default report window: the campaign's dates when set (up to today), else the last 90 days. */
function window(campaign: { startDate: string | null; endDate: string | null }, q: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const today = day(now);
  let to = q.to ?? (campaign.endDate && campaign.endDate < today ? campaign.endDate : today);
  let from = q.from ?? campaign.startDate ?? day(new Date(new Date(`${to}T00:00:00Z`).getTime() - 89 * DAY_MS));
  if (from > to) [from, to] = [to, from];
  // At most 2 years of days in one chart.
  const maxFrom = day(new Date(new Date(`${to}T00:00:00Z`).getTime() - 730 * DAY_MS));
  if (from < maxFrom) from = maxFrom;
  return { from, to };
}

export async function campaignReport({ ctx, id, input, now = new Date() }: { ctx: Ctx; id: number; input: unknown; now?: Date }): Promise<CampaignReport> {
  const q = CampaignReportQuery.parse(input);
  const campaign = await getCampaign({ ctx, id });
  const { from, to } = window(campaign, q, now);
  const code = campaign.utmCampaign;
  const match = sql`e.workspace_id = ${WS} and e.utm_campaign is not null and lower(e.utm_campaign) = ${code} and not e.is_bot`;
  const inRange = sql`e.timestamp >= ${from}::date and e.timestamp < ${to}::date + 1`;
  const [daily, sources, stages, recent] = await Promise.all([
    ctx.db.execute(sql`
      select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(t.touches, 0)::int as touches, coalesce(t.visitors, 0)::int as visitors
      from generate_series(${from}::date, ${to}::date, interval '1 day') as d(day)
      left join (
        select (e.timestamp at time zone 'UTC')::date as day, count(*) as touches,
               count(distinct ${VISITOR}) as visitors
        from events e where ${match} and ${inRange} group by 1
      ) t on t.day = d.day::date
      order by d.day`),
    ctx.db.execute(sql`
      select e.utm_source as source, e.utm_medium as medium, count(*)::int as touches,
             count(distinct ${VISITOR})::int as visitors
      from events e where ${match} and ${inRange}
      group by 1, 2 order by touches desc, source nulls last, medium nulls last limit 10`),
    ctx.db.execute(sql`
      select c.lifecycle_stage as stage, count(*)::int as contacts
      from contacts c
      where c.id in (select e.contact_id from events e where ${match} and e.contact_id is not null)
      group by 1 order by 2 desc`),
    ctx.db.execute(sql`
      select e.id, e.timestamp, e.type, e.event, e.page_path, e.utm_source, e.utm_medium, e.anonymous_id,
             c.id as contact_id, c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name, c.lifecycle_stage
      from events e left join contacts c on c.id = e.contact_id
      where ${match}
      order by e.timestamp desc, e.id desc limit 20`),
  ]);
  return {
    campaign,
    from,
    to,
    daily: daily.rows as CampaignReport['daily'],
    sources: sources.rows as CampaignReport['sources'],
    stages: stages.rows as { stage: LifecycleStage; contacts: number }[],
    recent: (recent.rows as Record<string, any>[]).map((r) => ({
      eventId: Number(r.id),
      timestamp: iso(r.timestamp)!,
      type: r.type,
      event: r.event,
      pagePath: r.page_path,
      utmSource: r.utm_source,
      utmMedium: r.utm_medium,
      contact: r.contact_id == null ? null : { id: Number(r.contact_id), email: r.email, name: r.name, lifecycleStage: r.lifecycle_stage },
      anonymousId: r.contact_id == null ? r.anonymous_id : null,
    })),
  };
}

/** utm_campaign codes in the last `days` days of touches that no campaign has, most touches first (top 50). */
export async function unmatchedUtms({ ctx, days = 90 }: { ctx: Ctx; days?: number }) {
  const res = await ctx.db.execute(sql`
    select lower(e.utm_campaign) as code, count(*)::int as touches,
           count(distinct ${VISITOR})::int as visitors,
           min(e.timestamp) as first_at, max(e.timestamp) as last_at
    from events e
    where e.workspace_id = ${WS} and e.utm_campaign is not null and not e.is_bot and e.timestamp >= now() - make_interval(days => ${days})
      and lower(e.utm_campaign) <> '' 
      and not exists (select 1 from campaigns c where c.workspace_id = e.workspace_id and c.utm_campaign = lower(e.utm_campaign))
    group by 1 order by touches desc, code limit 50`);
  return {
    days,
    items: (res.rows as { code: string; touches: number; visitors: number; first_at: Date; last_at: Date }[]).map((r) => ({
      utmCampaign: r.code,
      touches: r.touches,
      visitors: r.visitors,
      firstTouchAt: iso(r.first_at)!,
      lastTouchAt: iso(r.last_at)!,
    })),
  };
}
