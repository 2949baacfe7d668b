// Demo step: the plan's objective tree. Gives the demo contacts a lifecycle history (one transition per funnel
// stage up to the stage they are in, spaced after their creation; skipped when transitions already exist), then
// objectives company → marketing → team → individual with KPIs — catalog metrics whose baseline is last
// quarter's value and whose target is 30 % better, and manual KPIs with weekly check-ins — initiatives, and two
// campaigns linked to them. Runs before the spend step, which links its campaigns to these objectives.
import { sql } from 'drizzle-orm';
import { campaigns } from '../../domains/plan/schema.ts';
import { initiatives, kpiCheckins, objectiveKpis, objectives } from '../../domains/plan/schema-objectives.ts';
import { getMetric } from '../../domains/plan/metrics/registry.ts';
import '../../domains/plan/metrics/catalog.ts';
import type { DemoStep } from '../types.ts';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

const PATHS: Record<string, string[]> = {
  lead: ['lead'],
  marketing_qualified: ['lead', 'marketing_qualified'],
  sales_ready: ['lead', 'marketing_qualified', 'sales_ready'],
  sales_accepted: ['lead', 'marketing_qualified', 'sales_ready', 'sales_accepted'],
  opportunity: ['lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity'],
  customer: ['lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer'],
  recycled: ['lead', 'marketing_qualified', 'recycled'],
  disqualified: ['lead', 'disqualified'],
};

export const objectivesStep: DemoStep = {
  name: 'objectives',
  units: () => 10,
  async run(s) {
    const { tx, options } = s;
    const now = options.now;
    const [{ n }] = (await tx.execute(sql`select count(*)::int as n from lifecycle_transitions`)).rows as { n: number }[];
    if (!n) {
      const paths = Object.entries(PATHS).map(([stage, path]) => ({ stage, path }));
      const res = await tx.execute(sql`
        insert into lifecycle_transitions (workspace_id, contact_id, from_stage, to_stage, cause, reason, actor_type, actor_label, occurred_at)
        select 1, c.id, case when p.ord > 1 then (${sql.param(JSON.stringify(PATHS))}::jsonb -> c.lifecycle_stage ->> (p.ord - 2)::int) end, p.stage, 'rule', 'Demo history', 'system', 'demo',
               c.created_at + (p.ord - 1) * least(extract(epoch from (${now.toISOString()}::timestamptz - c.created_at)) / 6, 21 * 86400) * (0.4 + 0.6 * ((hashtext(c.email) & 1023) / 1023.0)) * interval '1 second'
        from contacts c
        cross join lateral jsonb_array_elements_text(${sql.param(JSON.stringify(PATHS))}::jsonb -> c.lifecycle_stage) with ordinality as p(stage, ord)
        where c.source = 'demo' and c.lifecycle_stage = any(${sql.param(paths.map((p) => p.stage))}::text[])`);
      s.counts.lifecycleTransitions = res.rowCount ?? 0;
    }
    s.tick(2);

    const mk = s.users.filter((u) => u.role === 'marketing');
    const owner = (i: number) => mk[i % Math.max(1, mk.length)]?.id ?? null;
    const y = now.getUTCFullYear();
    const q = Math.floor(now.getUTCMonth() / 3);
    const qStart = new Date(Date.UTC(y, q * 3, 1));
    const qEnd = new Date(Date.UTC(y, q * 3 + 3, 0));
    const prevStart = new Date(Date.UTC(y, q * 3 - 3, 1));
    const prevEnd = new Date(qStart.getTime() - DAY);
    const quarter = { periodStart: iso(qStart), periodEnd: iso(qEnd) };
    const metricKpi = async (objectiveId: number, name: string, metricKey: string, improve: number) => {
      const m = getMetric(metricKey)!;
      const base = (await m.compute({ ctx: { db: tx as never }, from: iso(prevStart), to: iso(prevEnd), filters: {} })) ?? 0;
      const target = m.better === 'up' ? Math.ceil(Math.max(base * (1 + improve), base + 1)) : Math.round(base * (1 - improve) * 10) / 10;
      await tx.insert(objectiveKpis).values({ objectiveId, name, source: 'metric', metricKey, baseline: Math.round(base * 10) / 10, target, direction: m.better });
    };
    const manualKpi = async (objectiveId: number, name: string, unit: string, baseline: number, target: number, values: number[], start: Date) => {
      const [k] = await tx.insert(objectiveKpis).values({ objectiveId, name, source: 'manual', unit, baseline, target, direction: 'up' }).returning();
      const rows = values.map((value, i) => ({ kpiId: k!.id, value, at: new Date(start.getTime() + (i + 1) * 7 * DAY), note: i === values.length - 1 ? 'Latest count' : null, byUserId: owner(0) })).filter((r) => r.at <= now);
      if (rows.length) await tx.insert(kpiCheckins).values(rows);
    };
    const add = async (v: { level: 'company' | 'marketing' | 'team' | 'individual'; title: string; parentId?: number; ownerIdx: number | null; description?: string; period?: { periodStart: string; periodEnd: string } }) => {
      const [row] = await tx
        .insert(objectives)
        .values({ level: v.level, title: v.title, parentId: v.parentId ?? null, ownerId: v.ownerIdx === null ? null : owner(v.ownerIdx), description: v.description ?? null, ...(v.period ?? quarter) })
        .returning();
      return row!.id;
    };

    const company = await add({ level: 'company', title: `Grow ARR 35 % in ${y}`, ownerIdx: 0, period: { periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` }, description: 'The board’s goal for the year: new logos in mid-market finance teams.' });
    const yearStart = new Date(Date.UTC(y, 0, 1));
    const weeks = Math.max(1, Math.floor((now.getTime() - yearStart.getTime()) / (7 * DAY)));
    await manualKpi(company, 'ARR ($k)', '$k', 8000, 10800, Array.from({ length: weeks }, (_, i) => Math.round(8000 + (2300 * (i + 1)) / 52)), yearStart);
    s.tick(1);
    const marketing = await add({ level: 'marketing', title: 'Create 30 % more sales-ready leads from mid-market finance', parentId: company, ownerIdx: 0 });
    await metricKpi(marketing, 'Sales-ready leads', 'leads.sales_ready', 0.3);
    await metricKpi(marketing, 'MQL → sales-ready conversion', 'conversion.mql_to_sales_ready', 0.15);
    s.tick(1);
    const demand = await add({ level: 'team', title: 'Demand generation: fill the top of the funnel', parentId: marketing, ownerIdx: 1 });
    await metricKpi(demand, 'New leads', 'leads.new', 0.3);
    await metricKpi(demand, 'MQLs', 'leads.mql', 0.25);
    const content = await add({ level: 'team', title: 'Content: cover every buying stage', parentId: marketing, ownerIdx: 2 });
    await metricKpi(content, 'Content coverage', 'content.coverage', 0.25);
    const ops = await add({ level: 'team', title: 'Marketing ops: faster handoffs to sales', parentId: marketing, ownerIdx: null });
    await metricKpi(ops, 'Days sales-ready → accepted', 'velocity.sales_ready_to_sales_accepted', 0.3);
    s.tick(3);
    const webinars = await add({ level: 'individual', title: 'Run 6 mid-market webinars this quarter', parentId: demand, ownerIdx: 1 });
    await manualKpi(webinars, 'Webinars held', 'webinars', 0, 6, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6], qStart);
    const guides = await add({ level: 'individual', title: 'Publish 8 practical guides for the consideration stage', parentId: content, ownerIdx: 2 });
    await manualKpi(guides, 'Guides published', 'guides', 0, 8, [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4], qStart);
    const abm = await add({ level: 'individual', title: 'Book 20 first meetings with target accounts', parentId: demand, ownerIdx: null });
    s.tick(2);

    const [series] = await tx.insert(initiatives).values({ objectiveId: webinars, name: 'Mid-market webinar series', ownerId: owner(1), startDate: iso(qStart), endDate: iso(qEnd), description: 'Monthly live sessions with a customer CFO.' }).returning();
    const [sprint] = await tx.insert(initiatives).values({ objectiveId: guides, name: 'Consideration-stage content sprint', ownerId: owner(2), startDate: iso(qStart), endDate: iso(qEnd) }).returning();
    await tx.insert(initiatives).values({ objectiveId: abm, name: 'Account-based outreach pilot', ownerId: null });
    const c1 = new Date(qStart.getTime() + 10 * DAY);
    await tx
      .insert(campaigns)
      .values([
        { name: 'Webinar: closing the books in 3 days', utmCampaign: 'demo-okr-webinar-close', channel: 'webinar', status: c1 <= now ? 'active' : 'planned', startDate: iso(c1), endDate: iso(qEnd), budget: 6000, ownerId: owner(1), objectiveId: webinars, initiativeId: series!.id },
        { name: 'Practical guides: evaluation kit', utmCampaign: 'demo-okr-guides', channel: 'content', status: 'active', startDate: iso(qStart), endDate: iso(qEnd), budget: 3500, ownerId: owner(2), objectiveId: guides, initiativeId: sprint!.id },
      ])
      .onConflictDoNothing();
    s.counts.objectives = (s.counts.objectives ?? 0) + 8;
    s.counts.initiatives = 3;
    s.tick(1);
  },
};
