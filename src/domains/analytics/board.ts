// The board report: one page per quarter — revenue won, influenced (won deals with a marketing touch) and
// sourced (won deals whose contacts were touched before the deal was created), pipeline created, cost and CPOD
// with its trend, funnel health, top campaigns and content (linear attribution), and the fitness scorecard
// (plan domain). Also as CSV (one row per quarter × figure).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { BoardQuery, type BoardReport } from '../../contracts/analytics.ts';
import { stringify } from 'csv-stringify/sync';
import { csvRow } from '../contacts/csv-safe.ts';
import { fitnessScorecard } from '../plan/fitness.ts';
import { attribution } from './attribution.ts';
import { cpod } from './cpod.ts';
import { funnel } from './funnel.ts';
import { resolvedTouches, touchSource, windowOf, WS } from './query.ts';

export function quarterRange(label: string): { from: string; to: string } {
  const [y, q] = [Number(label.slice(0, 4)), Number(label.slice(6))];
  const m = (q - 1) * 3;
  const from = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(y, m + 3, 0)).toISOString().slice(0, 10);
  return { from, to };
}

export function previousQuarters(last: string, n: number): string[] {
  let y = Number(last.slice(0, 4));
  let q = Number(last.slice(6));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(`${y}-Q${q}`);
    q -= 1;
    if (q === 0) [y, q] = [y - 1, 4];
  }
  return out;
}

export function currentQuarter(now = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

const money = (cents: number) => Math.round(cents) / 100;

export async function boardReport({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<BoardReport> {
  const q = BoardQuery.parse(input);
  const db = ctx.db;
  const source = await touchSource(db, 'auto');
  const quarters = [];
  for (const label of previousQuarters(q.quarter, q.quarters)) {
    const range = { ...quarterRange(label), tz: q.tz };
    const [won, content, costs, fun] = await Promise.all([
      attribution({ ctx, input: { ...range, basis: 'won', groupBy: 'campaign', model: 'linear' } }),
      attribution({ ctx, input: { ...range, basis: 'won', groupBy: 'content', model: 'linear' } }),
      cpod({ ctx, input: { ...range, interval: 'quarter' } }),
      funnel({ ctx, input: { ...range, cohort: 'activity', interval: 'quarter' } }),
    ]);
    const w = windowOf(range);
    const [figs] = (
      await db.execute(sql`
        select
          (select coalesce(sum(d.amount), 0) from deals d where d.workspace_id = ${WS} and d.created_at >= ${w.start} and d.created_at < ${w.end})::float8 as pipeline,
          (select coalesce(sum(d.amount), 0) from deals d
            where d.workspace_id = ${WS} and d.stage = 'won' and coalesce(d.won_at, d.closed_at, d.updated_at) >= ${w.start} and coalesce(d.won_at, d.closed_at, d.updated_at) < ${w.end}
              and exists (select 1 from deal_contacts dc join ${resolvedTouches(source)} t on t.contact_id = dc.contact_id
                          where dc.deal_id = d.id and t.occurred_at <= d.created_at))::float8 as sourced`)
    ).rows as { pipeline: number; sourced: number }[];
    const none = won.rows.find((r) => r.key === '(none)')?.credits.linear ?? 0;
    quarters.push({
      quarter: label,
      from: range.from,
      to: range.to,
      revenueWon: money(won.totalCents),
      revenueInfluenced: money(won.totalCents - none),
      revenueSourced: Number(figs!.sourced),
      pipelineCreated: Number(figs!.pipeline),
      marketingCost: costs.totals.marketingCost,
      salesCost: costs.totals.salesCost,
      cpod: costs.totals.cpod,
      funnel: fun.stages.filter((s) => s.stage !== 'recycled' && s.stage !== 'disqualified').map((s) => ({ stage: s.stage, entered: s.entered, conversionRate: s.conversionRate })),
      topCampaigns: won.rows.filter((r) => r.key !== '(none)').slice(0, 5).map((r) => ({ label: r.label, revenue: money(r.credits.linear!) })),
      topContent: content.rows.filter((r) => r.key !== '(none)').slice(0, 5).map((r) => ({ label: r.label, revenue: money(r.credits.linear!) })),
    });
  }
  let fitness: BoardReport['fitness'] = null;
  try {
    const card = await fitnessScorecard({ ctx });
    fitness = card.questions.map((x) => ({ question: x.question, answer: x.answer, evidence: x.evidence.map((e) => `${e.label}: ${e.display}`).join('; ') }));
  } catch (err) {
    fitness = null;
    void err;
  }
  return { quarters, cpodTrend: quarters.map((x) => ({ quarter: x.quarter, cpod: x.cpod })), fitness, generatedAt: new Date().toISOString() };
}

export function boardCsv(r: BoardReport): string {
  const lines = [['quarter', 'figure', 'label', 'value']];
  for (const x of r.quarters) {
    lines.push([x.quarter, 'revenue_won', '', String(x.revenueWon)]);
    lines.push([x.quarter, 'revenue_influenced', '', String(x.revenueInfluenced)]);
    lines.push([x.quarter, 'revenue_sourced', '', String(x.revenueSourced)]);
    lines.push([x.quarter, 'pipeline_created', '', String(x.pipelineCreated)]);
    lines.push([x.quarter, 'marketing_cost', '', String(x.marketingCost)]);
    lines.push([x.quarter, 'sales_cost', '', String(x.salesCost)]);
    lines.push([x.quarter, 'cpod', '', x.cpod === null ? 'no revenue' : x.cpod.toFixed(4)]);
    for (const f of x.funnel) lines.push([x.quarter, 'funnel_entered', f.stage, String(f.entered)]);
    for (const c of x.topCampaigns) lines.push([x.quarter, 'top_campaign', c.label, String(c.revenue)]);
    for (const c of x.topContent) lines.push([x.quarter, 'top_content', c.label, String(c.revenue)]);
  }
  for (const f of r.fitness ?? []) lines.push(['', 'fitness', f.question, f.answer]);
  return stringify(lines.map((l) => csvRow(l)), { record_delimiter: '\r\n' });
}
