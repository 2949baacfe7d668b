// Demo step: the plan's spend side. Campaigns across this and last quarter (most tied to an objective, two not), the
// martech stack laid on the job map (with a gap and overlaps, one tool bought for no objective, one mapped to no
// step), monthly cost lines (planned, actual for past months; some unlinked) and most content items tied to an
// objective, so Costs, Tools & job map, Random acts, Planning and the Fitness test all have data.
import { sql } from 'drizzle-orm';
import { loadSteps } from '../../domains/plan/job-map.ts';
import { campaigns } from '../../domains/plan/schema.ts';
import { objectives } from '../../domains/plan/schema-objectives.ts';
import { costLines, tools, toolSteps } from '../../domains/plan/schema-spend.ts';
import type { CostCategory } from '../../domains/plan/schema-spend.ts';
import type { DemoStep } from '../types.ts';

const DAY = 86_400_000;
const month = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

const CAMPAIGNS = [
  { name: 'Month-end close webinar series', code: 'demo-close-webinars', channel: 'webinar', from: -100, to: -20, budget: 18000, linked: true, cat: 'events' as CostCategory },
  { name: 'CFO guide: paid social', code: 'demo-cfo-guide-social', channel: 'paid_social', from: -60, to: 30, budget: 24000, linked: true, cat: 'media' as CostCategory },
  { name: 'Search: reconciliation software', code: 'demo-search-recon', channel: 'paid_search', from: -120, to: 60, budget: 36000, linked: true, cat: 'media' as CostCategory },
  { name: 'Finance Ops Summit booth', code: 'demo-finops-summit', channel: 'event', from: 10, to: 12, budget: 15000, linked: true, cat: 'events' as CostCategory },
  { name: 'Holiday swag mailer', code: 'demo-swag-mailer', channel: 'direct_mail', from: -40, to: -25, budget: 9000, linked: false, cat: 'other' as CostCategory },
  { name: 'Podcast sponsorship (trial)', code: 'demo-podcast-trial', channel: 'partner', from: -30, to: 45, budget: 12000, linked: false, cat: 'media' as CostCategory },
] as const;

const TOOLS: { name: string; vendor: string; annual: number; steps: string[]; linked: boolean }[] = [
  { name: 'revloop', vendor: 'revloop', annual: 0, steps: ['define', 'execute', 'monitor', 'conclude'], linked: true },
  { name: 'Salesforce Sales Cloud', vendor: 'Salesforce', annual: 42000, steps: ['confirm', 'conclude'], linked: true },
  { name: 'ZoomInfo', vendor: 'ZoomInfo', annual: 18000, steps: ['locate'], linked: true },
  { name: 'Canva Teams', vendor: 'Canva', annual: 1200, steps: ['prepare'], linked: true },
  { name: 'Mailchimp', vendor: 'Intuit', annual: 4800, steps: ['execute'], linked: false },
  { name: 'Hotjar', vendor: 'Contentsquare', annual: 3600, steps: ['monitor'], linked: false },
  { name: 'Gong', vendor: 'Gong', annual: 24000, steps: [], linked: true },
];

export const spendStep: DemoStep = {
  name: 'spend',
  units: () => CAMPAIGNS.length + TOOLS.length,
  async run(s) {
    const { tx, options, rng } = s;
    const now = options.now;
    const marketer = s.users.find((u) => u.role === 'marketing') ?? null;
    // Objectives: the plan's own step may have made them; otherwise a minimal company → marketing pair.
    let objs = await tx.select({ id: objectives.id, level: objectives.level }).from(objectives).where(sql`${objectives.status} = 'active'`);
    if (!objs.length) {
      const y = now.getUTCFullYear();
      const [company] = await tx.insert(objectives).values({ level: 'company', title: 'Grow qualified pipeline 30% this year', ownerId: marketer?.id ?? null, periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` }).returning();
      const [mkt] = await tx
        .insert(objectives)
        .values({ level: 'marketing', parentId: company!.id, title: 'Create 400 sales-ready leads from mid-market finance teams', ownerId: marketer?.id ?? null, periodStart: `${y}-01-01`, periodEnd: `${y}-12-31` })
        .returning();
      await tx.execute(sql`insert into objective_kpis (objective_id, name, source, metric_key, baseline, target, direction) values (${mkt!.id}, 'Sales-ready leads', 'metric', 'leads.sales_ready', 250, 400, 'up')`);
      objs = [{ id: company!.id, level: 'company' }, { id: mkt!.id, level: 'marketing' }];
      s.counts.objectives = (s.counts.objectives ?? 0) + 2;
    }
    const target = objs.find((o) => o.level !== 'company') ?? objs[0]!;
    const objectiveFor = () => rng.pick(objs.filter((o) => o.level !== 'company').length ? objs.filter((o) => o.level !== 'company') : objs).id;

    for (const c of CAMPAIGNS) {
      const start = new Date(now.getTime() + c.from * DAY);
      const end = new Date(now.getTime() + c.to * DAY);
      const status = end < now ? 'completed' : start > now ? 'planned' : 'active';
      const [row] = await tx
        .insert(campaigns)
        .values({ name: c.name, utmCampaign: c.code, channel: c.channel, status, startDate: start.toISOString().slice(0, 10), endDate: end.toISOString().slice(0, 10), budget: c.budget, ownerId: marketer?.id ?? null, objectiveId: c.linked ? objectiveFor() : null })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      s.counts.campaigns = (s.counts.campaigns ?? 0) + 1;
      const months: Date[] = [];
      for (let m = addMonths(start, 0); m <= end; m = addMonths(m, 1)) months.push(m);
      const perMonth = Math.round(c.budget / months.length);
      for (const m of months) {
        const past = addMonths(m, 1) <= addMonths(now, 0);
        const current = month(m) === month(now);
        const actual = past ? Math.round(perMonth * (0.8 + rng.next() * 0.35)) : current ? Math.round(perMonth * 0.5) : null;
        await tx.insert(costLines).values({ campaignId: row.id, month: month(m), category: c.cat, planned: perMonth, actual }).onConflictDoNothing();
        if (c.cat !== 'content' && rng.chance(0.5)) {
          await tx.insert(costLines).values({ campaignId: row.id, month: month(m), category: 'content', planned: Math.round(perMonth * 0.2), actual: past ? Math.round(perMonth * 0.2) : null }).onConflictDoNothing();
        }
        s.counts.costLines = (s.counts.costLines ?? 0) + 1;
      }
      s.tick(1);
    }

    const steps = await loadSteps(tx);
    const stepId = new Map(steps.map((x) => [x.key, x.id]));
    for (const t of TOOLS) {
      const [row] = await tx.insert(tools).values({ name: t.name, vendor: t.vendor, annualCost: t.annual, ownerId: marketer?.id ?? null, objectiveId: t.linked ? target.id : null }).onConflictDoNothing().returning();
      if (!row) continue;
      s.counts.tools = (s.counts.tools ?? 0) + 1;
      const ids = t.steps.map((k) => stepId.get(k)).filter((x): x is number => x !== undefined);
      if (ids.length) await tx.insert(toolSteps).values(ids.map((id) => ({ toolId: row.id, stepId: id }))).onConflictDoNothing();
      if (t.annual > 0) {
        for (let i = -5; i <= 0; i++) {
          const m = addMonths(now, i);
          await tx.insert(costLines).values({ toolId: row.id, month: month(m), category: 'tools', planned: Math.round(t.annual / 12), actual: i < 0 ? Math.round(t.annual / 12) : null }).onConflictDoNothing();
          s.counts.costLines = (s.counts.costLines ?? 0) + 1;
        }
      }
      s.tick(1);
    }
    // Spend nobody tied to anything.
    for (const [i, cat, amount, note] of [[-3, 'events', 4500, 'Regional meetup sponsorship'], [-1, 'people', 6000, 'Freelance designer'], [0, 'other', 1800, 'Trade-show giveaways']] as const) {
      await tx.insert(costLines).values({ month: month(addMonths(now, i)), category: cat, planned: amount, actual: i < 0 ? amount : null, note }).onConflictDoNothing();
      s.counts.costLines = (s.counts.costLines ?? 0) + 1;
    }
    // Most content serves the marketing objective; the rest are random acts.
    await tx.execute(sql`update content_items set objective_id = ${target.id} where objective_id is null and (hashtext(title) % 10 + 10) % 10 < 7`);
  },
};
