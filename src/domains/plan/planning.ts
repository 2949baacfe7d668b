// The planning view: the quarter's campaigns (dates overlapping the quarter, or cost lines in it) on a timeline,
// grouped by objective, with budget vs planned vs actual spend in the quarter (cost lines).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { PlanningQuery, type PlanningView } from '../../contracts/spend.ts';
import { round } from './costs.ts';

const WS = 1;

export function quarterBounds(quarter?: string, now = new Date()): { quarter: string; from: string; to: string } {
  const [y, q] = quarter ? [Number(quarter.slice(0, 4)), Number(quarter.slice(6))] : [now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) + 1];
  const m0 = (q - 1) * 3;
  const from = new Date(Date.UTC(y, m0, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(y, m0 + 3, 0)).toISOString().slice(0, 10);
  return { quarter: `${y}-Q${q}`, from, to };
}

export async function planningView({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<PlanningView> {
  const q = PlanningQuery.parse(input ?? {});
  const { quarter, from, to } = quarterBounds(q.quarter);
  const res = await ctx.db.execute(sql`
    with spend as (
      select l.campaign_id, sum(l.planned)::float8 as planned, sum(coalesce(l.actual, 0))::float8 as actual
      from cost_lines l where l.workspace_id = ${WS} and l.campaign_id is not null and l.month between ${from} and ${to}
      group by l.campaign_id)
    select c.id, c.name, c.channel, c.status, c.start_date::text as start_date, c.end_date::text as end_date, c.budget::float8 as budget,
           coalesce(s.planned, 0) as planned, coalesce(s.actual, 0) as actual, o.id as objective_id, o.title as objective_title
    from campaigns c left join spend s on s.campaign_id = c.id left join objectives o on o.id = c.objective_id
    where c.workspace_id = ${WS}
      and (s.campaign_id is not null
           or (coalesce(c.start_date, c.end_date) is not null and coalesce(c.start_date, c.end_date) <= ${to} and coalesce(c.end_date, c.start_date) >= ${from}))
    order by o.title nulls last, c.start_date nulls last, c.name`);
  type Row = { id: number; name: string; channel: string; status: string; start_date: string | null; end_date: string | null; budget: number | null; planned: number; actual: number; objective_id: number | null; objective_title: string | null };
  const groups = new Map<string, PlanningView['groups'][number]>();
  for (const r of res.rows as Row[]) {
    const key = r.objective_id === null ? 'none' : String(r.objective_id);
    let g = groups.get(key);
    if (!g) {
      g = { objective: r.objective_id === null ? null : { id: Number(r.objective_id), title: r.objective_title ?? '' }, campaigns: [], budget: 0, planned: 0, actual: 0 };
      groups.set(key, g);
    }
    g.campaigns.push({ id: Number(r.id), name: r.name, channel: r.channel, status: r.status, startDate: r.start_date, endDate: r.end_date, budget: r.budget === null ? null : Number(r.budget), planned: round(Number(r.planned)), actual: round(Number(r.actual)) });
    g.budget = round(g.budget + Number(r.budget ?? 0));
    g.planned = round(g.planned + Number(r.planned));
    g.actual = round(g.actual + Number(r.actual));
  }
  const list = [...groups.values()];
  const sum = (k: 'budget' | 'planned' | 'actual') => round(list.reduce((a, g) => a + g[k], 0));
  return { quarter, from, to, groups: list, totals: { budget: sum('budget'), planned: sum('planned'), actual: sum('actual') } };
}
