// Email health in the metric catalog (objectives' KPIs): delivered messages and the open, click, opt-out and
// bounce rates of the messages sent in the period (test-sends excluded), optionally for one campaign.
import { sql } from 'drizzle-orm';
import { registerMetric, type MetricComputeArgs } from '../plan/metrics/registry.ts';

type Row = { sent: number; delivered: number; opens: number; clicks: number; opt_outs: number; bounces: number };

async function counts({ ctx, from, to, filters }: MetricComputeArgs): Promise<Row> {
  const { rows } = await ctx.db.execute<Row>(sql`
    select count(*)::int as sent, (count(*) - count(bounced_at))::int as delivered, count(first_opened_at)::int as opens, count(first_clicked_at)::int as clicks,
      count(unsubscribed_at)::int as opt_outs, count(bounced_at)::int as bounces
    from email_messages
    where workspace_id = 1 and status = 'sent' and not is_test and sent_at >= ${from}::date and sent_at < ${to}::date + 1
      ${filters.campaignId ? sql`and campaign_id = ${String(filters.campaignId)}` : sql``}`);
  return rows[0]!;
}
const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 100 : null);

const common = { filters: ['campaignId' as const], kind: 'level' as const };
registerMetric({ key: 'email.delivered', label: 'Emails delivered', unit: 'count', better: 'up', kind: 'flow', filters: ['campaignId'], description: 'Messages sent in the period minus those that bounced', compute: async (a) => (await counts(a)).delivered });
registerMetric({ key: 'email.open_rate', label: 'Email open rate', unit: '%', better: 'up', ...common, description: 'Unique opens ÷ delivered, messages sent in the period', compute: async (a) => { const c = await counts(a); return rate(c.opens, c.delivered); } });
registerMetric({ key: 'email.click_rate', label: 'Email click rate', unit: '%', better: 'up', ...common, description: 'Unique clicks ÷ delivered, messages sent in the period', compute: async (a) => { const c = await counts(a); return rate(c.clicks, c.delivered); } });
registerMetric({ key: 'email.opt_out_rate', label: 'Email opt-out rate', unit: '%', better: 'down', ...common, description: 'Unsubscribes ÷ delivered, messages sent in the period', compute: async (a) => { const c = await counts(a); return rate(c.opt_outs, c.delivered); } });
registerMetric({ key: 'email.bounce_rate', label: 'Email bounce rate', unit: '%', better: 'down', ...common, description: 'Hard bounces ÷ sent, messages sent in the period', compute: async (a) => { const c = await counts(a); return rate(c.bounces, c.sent); } });
