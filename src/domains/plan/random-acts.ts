// The random-acts report (seeds 001, 004): every campaign, cost line, content item and tool that links to no
// objective, with its spend and that spend's share of total spend. Spend = cost lines (actual once reported, else
// planned) in the period; a cost line's objective comes through its campaign or tool, so the unlinked spend is
// counted once, from the cost lines. Content items carry no cost lines (their spend is 0; they still count).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { RandomActsQuery, type RandomActsReport } from '../../contracts/spend.ts';
import { round } from './costs.ts';

const WS = 1;

type Num = string | number | null;
const n = (v: Num) => (v === null ? 0 : Number(v));

function lineFilter(from?: string, to?: string) {
  return sql`${from ? sql`and l.month >= ${from}` : sql``} ${to ? sql`and l.month <= ${to}` : sql``}`;
}

/** Total spend and the unlinked part, for [from, to] (months; open ends allowed). */
export async function spendLinkage(db: Queryable, from?: string, to?: string): Promise<{ total: number; unlinked: number; lines: number }> {
  const res = await db.execute(sql`
    select coalesce(sum(coalesce(l.actual, l.planned)), 0)::float8 as total,
           coalesce(sum(coalesce(l.actual, l.planned)) filter (where coalesce(c.objective_id, t.objective_id) is null), 0)::float8 as unlinked,
           count(*)::int as lines
    from cost_lines l left join campaigns c on c.id = l.campaign_id left join tools t on t.id = l.tool_id
    where l.workspace_id = ${WS} ${lineFilter(from, to)}`);
  const r = res.rows[0] as { total: number; unlinked: number; lines: number };
  return { total: round(r.total), unlinked: round(r.unlinked), lines: r.lines };
}

export async function randomActs({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RandomActsReport> {
  const q = RandomActsQuery.parse(input ?? {});
  const f = lineFilter(q.from, q.to);
  const { total, unlinked } = await spendLinkage(ctx.db, q.from, q.to);
  const share = (s: number) => (total > 0 ? Math.round((s / total) * 10000) / 10000 : 0);

  const [camps, lines, items, tls] = await Promise.all([
    ctx.db.execute(sql`
      select c.id, c.name, c.budget, (select sum(coalesce(l.actual, l.planned)) from cost_lines l where l.campaign_id = c.id ${f}) as spend
      from campaigns c where c.workspace_id = ${WS} and c.objective_id is null order by c.name`),
    ctx.db.execute(sql`
      select l.id, l.month::text as month, l.category, coalesce(l.actual, l.planned) as spend, c.name as campaign, t.name as tool
      from cost_lines l left join campaigns c on c.id = l.campaign_id left join tools t on t.id = l.tool_id
      where l.workspace_id = ${WS} and coalesce(c.objective_id, t.objective_id) is null ${f}
      order by coalesce(l.actual, l.planned) desc, l.id`),
    ctx.db.execute(sql`select i.id, i.title, i.status from content_items i where i.workspace_id = ${WS} and i.objective_id is null and i.status <> 'retired' order by i.title`),
    ctx.db.execute(sql`
      select t.id, t.name, t.annual_cost, (select sum(coalesce(l.actual, l.planned)) from cost_lines l where l.tool_id = t.id ${f}) as spend
      from tools t where t.workspace_id = ${WS} and t.objective_id is null order by t.name`),
  ]);

  const out: RandomActsReport['items'] = [];
  for (const r of camps.rows as { id: number; name: string; budget: Num; spend: Num }[]) {
    const s = round(n(r.spend));
    out.push({ kind: 'campaign', id: Number(r.id), name: r.name, spend: s, share: share(s), why: `Campaign with no objective${r.budget !== null ? ` (budget ${n(r.budget).toLocaleString('en-US')})` : ''}` });
  }
  for (const r of tls.rows as { id: number; name: string; annual_cost: Num; spend: Num }[]) {
    const s = round(n(r.spend));
    out.push({ kind: 'tool', id: Number(r.id), name: r.name, spend: s, share: share(s), why: `Tool bought for no objective${r.annual_cost !== null ? ` (annual cost ${n(r.annual_cost).toLocaleString('en-US')})` : ''}` });
  }
  for (const r of lines.rows as { id: number; month: string; category: string; spend: Num; campaign: string | null; tool: string | null }[]) {
    const s = round(n(r.spend));
    const why = r.campaign ? `Its campaign "${r.campaign}" has no objective` : r.tool ? `Its tool "${r.tool}" has no objective` : 'Linked to neither a campaign nor a tool';
    out.push({ kind: 'cost_line', id: Number(r.id), name: `${r.category} · ${r.month.slice(0, 7)}${r.campaign ? ` · ${r.campaign}` : r.tool ? ` · ${r.tool}` : ''}`, spend: s, share: share(s), why });
  }
  for (const r of items.rows as { id: number; title: string; status: string }[]) {
    out.push({ kind: 'content_item', id: Number(r.id), name: r.title, spend: 0, share: 0, why: `Content item (${r.status}) serving no objective` });
  }
  out.sort((a, b) => b.spend - a.spend || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  const count = (k: string) => out.filter((x) => x.kind === k).length;
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    totalSpend: total,
    unlinkedSpend: unlinked,
    unlinkedShare: share(unlinked),
    counts: { campaign: count('campaign'), cost_line: count('cost_line'), content_item: count('content_item'), tool: count('tool') },
    items: out,
  };
}
