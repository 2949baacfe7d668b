// Spend metrics for the catalog (KPIs can be bound to them): actual spend and the share of spend linked to an
// objective, over the cost-line months that overlap [from, to]. Registered at import (routes-spend.ts imports this).
import { sql } from 'drizzle-orm';
import { registerMetric } from './metrics/registry.ts';
import { spendLinkage } from './random-acts.ts';

const firstOfMonth = (d: string) => `${d.slice(0, 7)}-01`;

registerMetric({
  key: 'spend.actual',
  label: 'Marketing spend (actual)',
  unit: 'USD',
  better: 'down',
  kind: 'flow',
  filters: ['campaignId'],
  description: 'Σ actual of the cost lines whose month overlaps the period (optionally of one campaign)',
  async compute({ ctx, from, to, filters }) {
    const res = await ctx.db.execute(sql`
      select coalesce(sum(actual), 0)::float8 as v from cost_lines
      where workspace_id = 1 and month between ${firstOfMonth(from)} and ${firstOfMonth(to)}
        ${filters.campaignId ? sql`and campaign_id = ${filters.campaignId}` : sql``}`);
    return Number((res.rows[0] as { v: number }).v);
  },
});

registerMetric({
  key: 'spend.linked_share',
  label: 'Spend linked to an objective',
  unit: '%',
  better: 'up',
  kind: 'level',
  description: 'Share of spend (actual, else planned) whose campaign or tool serves an objective: the opposite of random acts',
  async compute({ ctx, from, to }) {
    const s = await spendLinkage(ctx.db, firstOfMonth(from), firstOfMonth(to));
    return s.total > 0 ? Math.round((1000 * (s.total - s.unlinked)) / s.total) / 10 : null;
  },
});
