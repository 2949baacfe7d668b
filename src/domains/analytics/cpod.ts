// CPOD (cost per order dollar) = (marketing cost + sales cost) ÷ won revenue, per period; campaign ROI and cost
// per sales-ready lead / opportunity / customer. Costs are the plan domain's cost lines (actual amounts; category
// `sales` is sales cost, every other category marketing cost), by month. A period without revenue has cpod null
// ("no revenue"), never infinity. With a segment / product / owner / campaign / channel filter the revenue is
// the filtered contacts' deals and each campaign's cost is counted by the share of its attributed revenue those
// deals carry (costs tied to no campaign: by the filtered share of all revenue).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { CpodQuery, type CpodReport } from '../../contracts/analytics.ts';
import { attribution, dealWindow } from './attribution.ts';
import { and, contactFilters, periodOf, resolvedTouches, touchSource, windowOf, WS } from './query.ts';

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const money = (cents: number) => Math.round(cents) / 100;

function monthsPeriod(interval: 'week' | 'month' | 'quarter'): ReturnType<typeof sql> {
  // Cost lines are monthly: a month belongs to its quarter; with weekly periods, to its first week.
  if (interval === 'quarter') return sql`to_char(cl.month, 'YYYY-"Q"Q')`;
  if (interval === 'month') return sql`to_char(cl.month, 'YYYY-MM')`;
  return sql`to_char(cl.month, 'IYYY-"W"IW')`;
}

export async function cpod({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<CpodReport> {
  const q = CpodQuery.parse(input);
  const db = ctx.db;
  const filtered = q.segmentId !== undefined || q.product !== undefined || q.ownerId !== undefined || q.campaignId !== undefined || q.channel !== undefined;
  const unfilteredInput = { from: q.from, to: q.to, tz: q.tz, source: q.source };
  const [mine, all] = await Promise.all([
    attribution({ ctx, input: { ...unfilteredInput, segmentId: q.segmentId, product: q.product, ownerId: q.ownerId, campaignId: q.campaignId, channel: q.channel, basis: 'won', groupBy: 'campaign', model: q.model } }),
    filtered ? attribution({ ctx, input: { ...unfilteredInput, basis: 'won', groupBy: 'campaign', model: q.model } }) : null,
  ]);
  const model = q.model;
  const campaignShare = new Map<number, number>();
  for (const r of mine.rows) {
    if (r.campaignId === null) continue;
    const total = all ? (all.rows.find((x) => x.key === r.key)?.credits[model] ?? 0) : r.credits[model]!;
    campaignShare.set(r.campaignId, total > 0 ? r.credits[model]! / total : 0);
  }
  const revenueShare = all ? (all.totalCents > 0 ? mine.totalCents / all.totalCents : 0) : 1;
  const share = (campaignId: number | null) => (!filtered ? 1 : campaignId === null ? revenueShare : (campaignShare.get(campaignId) ?? 0));

  // Costs by period and campaign.
  const costs = (
    await db.execute(sql`
      select ${monthsPeriod(q.interval)} as period, cl.campaign_id::text as campaign_id, (cl.category = 'sales') as sales, sum(coalesce(cl.actual, 0))::float8 as amount
      from cost_lines cl
      where cl.workspace_id = ${WS} and cl.month >= date_trunc('month', ${q.from}::date)::date and cl.month <= ${q.to}::date
      group by 1, 2, 3`)
  ).rows as { period: string; campaign_id: string | null; sales: boolean; amount: number }[];

  // Won revenue by period (the filtered contacts' deals), the same deals the attribution credits.
  const w = windowOf(q);
  const source = await touchSource(db, q.source);
  const dealFilters = await contactFilters(db, q, sql`fdc.contact_id`, source);
  const revenue = (
    await db.execute(sql`select ${periodOf(sql`dl.conv_at`, q.interval, q.tz)} as period, sum(dl.cents)::float8 as cents
                         from ${dealWindow({ ...q, basis: 'won', groupBy: 'campaign' }, dealFilters)} dl group by 1`)
  ).rows as { period: string; cents: number }[];

  const periods = new Map<string, { marketingCost: number; salesCost: number; revenue: number }>();
  const slot = (p: string) => {
    let s = periods.get(p);
    if (!s) periods.set(p, (s = { marketingCost: 0, salesCost: 0, revenue: 0 }));
    return s;
  };
  const campaignCost = new Map<number, number>();
  for (const c of costs) {
    const cid = c.campaign_id === null ? null : Number(c.campaign_id);
    const amount = c.amount * share(cid);
    if (c.sales) slot(c.period).salesCost += amount;
    else slot(c.period).marketingCost += amount;
    if (cid !== null) campaignCost.set(cid, (campaignCost.get(cid) ?? 0) + amount);
  }
  for (const r of revenue) slot(r.period).revenue += money(r.cents);
  const periodRows = [...periods.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, s]) => ({ period, marketingCost: round2(s.marketingCost), salesCost: round2(s.salesCost), revenue: round2(s.revenue), cpod: ratio(s.marketingCost + s.salesCost, s.revenue) }));
  const tot = periodRows.reduce((a, p) => ({ m: a.m + p.marketingCost, s: a.s + p.salesCost, r: a.r + p.revenue }), { m: 0, s: 0, r: 0 });

  // Contacts reaching sales-ready / opportunity / customer in the window after a touch of the campaign: the
  // filtered contacts only, like the revenue and the cost share.
  const reachedFilters = await contactFilters(db, q, sql`lt.contact_id`, source);
  const reached = (
    await db.execute(sql`
      select t.cid::text as cid, lt.to_stage as stage, count(distinct lt.contact_id)::int as n
      from lifecycle_transitions lt
      join ${resolvedTouches(source)} t on t.contact_id = lt.contact_id and t.occurred_at <= lt.occurred_at
      where lt.workspace_id = ${WS} and lt.to_stage in ('sales_ready', 'opportunity', 'customer') and lt.occurred_at >= ${w.start} and lt.occurred_at < ${w.end} and t.cid is not null
        and ${and(reachedFilters)}
      group by 1, 2`)
  ).rows as { cid: string; stage: string; n: number }[];
  const reachedOf = (cid: number, stage: string) => reached.find((r) => Number(r.cid) === cid && r.stage === stage)?.n ?? 0;

  const campaignRows = (
    await db.execute(sql`select id::text as id, name, channel from campaigns where workspace_id = ${WS} order by name`)
  ).rows as { id: string; name: string; channel: string }[];
  const campaigns = campaignRows
    .map((c) => {
      const id = Number(c.id);
      const cost = round2(campaignCost.get(id) ?? 0);
      const attributedRevenue = money(mine.rows.find((r) => r.campaignId === id)?.credits[model] ?? 0);
      const [sr, op, cu] = [reachedOf(id, 'sales_ready'), reachedOf(id, 'opportunity'), reachedOf(id, 'customer')];
      return {
        campaignId: id,
        name: c.name,
        channel: c.channel,
        cost,
        attributedRevenue,
        roi: cost > 0 ? (attributedRevenue - cost) / cost : null,
        cpod: ratio(cost, attributedRevenue),
        salesReady: sr,
        opportunities: op,
        customers: cu,
        costPerSalesReady: ratio(cost, sr),
        costPerOpportunity: ratio(cost, op),
        costPerCustomer: ratio(cost, cu),
      };
    })
    .filter((c) => c.cost > 0 || c.attributedRevenue > 0 || c.salesReady > 0)
    .sort((a, b) => b.attributedRevenue - a.attributedRevenue || b.cost - a.cost);

  return {
    from: q.from,
    to: q.to,
    tz: q.tz,
    model,
    totals: { period: `${q.from}..${q.to}`, marketingCost: round2(tot.m), salesCost: round2(tot.s), revenue: round2(tot.r), cpod: ratio(tot.m + tot.s, tot.r) },
    periods: periodRows,
    campaigns,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
