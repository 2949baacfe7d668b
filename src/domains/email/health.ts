// Email health per day, campaign and program (messages by the day they were sent): sent, delivered (sent −
// bounced; an address refused at send counts as sent and bounced), unique opens and clicks, opt-outs, bounces, complaints; and the alert check that notifies admins
// once per scope × metric × day when opt-outs or bounces over the last 7 days cross the thresholds.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { HealthQuery } from '../../contracts/email.ts';
import { managerIds, notify } from '../identity/notifications.ts';
import { programNames } from '../nurture/programs.ts';
import { campaignsById } from '../plan/campaigns.ts';
import { loadSettings, WS } from './settings.ts';

/** Scopes need this many sent messages in the window before a rate can raise an alert. */
export const MIN_SENT_FOR_ALERT = 20;

const COUNTS = sql`count(*)::int as sent,
  (count(*) - count(bounced_at))::int as delivered,
  count(first_opened_at)::int as opens,
  count(first_clicked_at)::int as clicks,
  count(unsubscribed_at)::int as "optOuts",
  count(bounced_at)::int as bounces,
  count(complained_at)::int as complaints`;

/** Scope rows with the campaign's or the nurture program's name (their domains' lookups; null when unknown). */
async function withNames<T extends { scope: 'campaign' | 'program'; id: string }>(db: Queryable, rows: T[]): Promise<(T & { name: string | null })[]> {
  const [camps, progs] = await Promise.all([
    campaignsById(db, rows.filter((r) => r.scope === 'campaign').map((r) => r.id)),
    programNames(db, rows.filter((r) => r.scope === 'program').map((r) => r.id)),
  ]);
  return rows.map((r) => ({ ...r, name: r.scope === 'campaign' ? (camps.get(r.id)?.name ?? null) : (progs.get(r.id) ?? null) }));
}

type Counts = { sent: number; delivered: number; opens: number; clicks: number; optOuts: number; bounces: number; complaints: number };
const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 100 : null);

export async function emailHealth({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = HealthQuery.parse(input);
  const to = q.to ?? new Date().toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const where = sql`m.workspace_id = ${WS} and (m.status = 'sent' or m.bounced_at is not null) and not m.is_test
    and m.sent_at >= ${from}::date and m.sent_at < ${to}::date + 1
    ${q.campaignId ? sql`and m.campaign_id = ${q.campaignId}` : sql``}
    ${q.programId ? sql`and m.program_id = ${q.programId}` : sql``}`;
  const s = await loadSettings(ctx.db);
  const [days, totals, scopes] = await Promise.all([
    ctx.db.execute<Counts & { day: string }>(sql`select to_char(date_trunc('day', m.sent_at at time zone 'UTC'), 'YYYY-MM-DD') as day, ${COUNTS} from email_messages m where ${where} group by 1 order by 1`),
    ctx.db.execute<Counts>(sql`select ${COUNTS} from email_messages m where ${where}`),
    ctx.db.execute<Counts & { scope: 'campaign' | 'program'; id: string }>(sql`
      select 'campaign' as scope, m.campaign_id as id, ${COUNTS} from email_messages m where ${where} and m.campaign_id is not null group by m.campaign_id
      union all
      select 'program' as scope, m.program_id as id, ${COUNTS} from email_messages m where ${where} and m.program_id is not null group by m.program_id
      order by sent desc limit 100`),
  ]);
  const t = totals.rows[0]!;
  return {
    from,
    to,
    totals: { ...t, openRate: rate(t.opens, t.delivered), clickRate: rate(t.clicks, t.delivered), optOutRate: rate(t.optOuts, t.delivered), bounceRate: rate(t.bounces, t.sent) },
    days: days.rows,
    scopes: (await withNames(ctx.db, scopes.rows)).map((r) => {
      const optOutRate = rate(r.optOuts, r.delivered);
      const bounceRate = rate(r.bounces, r.sent);
      const alert = r.sent >= MIN_SENT_FOR_ALERT && ((optOutRate ?? 0) > s.optOutAlertPct || (bounceRate ?? 0) > s.bounceAlertPct);
      return { ...r, optOutRate, bounceRate, alert };
    }),
    thresholds: { optOutPct: s.optOutAlertPct, bounceAlertPct: s.bounceAlertPct },
  };
}

/** Raises the alerts of the last 7 days (in-app notification to admins); returns how many were new. */
export async function checkHealthAlerts({ db, now = new Date() }: { db: Queryable; now?: Date }): Promise<number> {
  const s = await loadSettings(db);
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const { rows: counted } = await db.execute<{ scope: 'campaign' | 'program'; id: string; sent: number; bounces: number; opt_outs: number }>(sql`
    select 'campaign' as scope, campaign_id as id, count(*)::int as sent, count(bounced_at)::int as bounces, count(unsubscribed_at)::int as opt_outs
    from email_messages where workspace_id = ${WS} and (status = 'sent' or bounced_at is not null) and not is_test and sent_at >= ${since}::timestamptz and campaign_id is not null group by campaign_id
    union all
    select 'program', program_id, count(*)::int, count(bounced_at)::int, count(unsubscribed_at)::int
    from email_messages where workspace_id = ${WS} and (status = 'sent' or bounced_at is not null) and not is_test and sent_at >= ${since}::timestamptz and program_id is not null group by program_id`);
  const rows = await withNames(db, counted.filter((r) => r.sent >= MIN_SENT_FOR_ALERT));
  const day = now.toISOString().slice(0, 10);
  let raised = 0;
  for (const r of rows) {
    const checks = [
      { metric: 'opt_outs' as const, pct: (r.opt_outs / Math.max(1, r.sent - r.bounces)) * 100, threshold: s.optOutAlertPct, label: 'Opt-outs' },
      { metric: 'bounces' as const, pct: (r.bounces / r.sent) * 100, threshold: s.bounceAlertPct, label: 'Bounces' },
    ];
    for (const c of checks) {
      if (c.pct <= c.threshold) continue;
      await db.transaction(async (tx) => {
        const ins = await tx.execute(sql`
          insert into email_alerts (workspace_id, scope, scope_id, metric, day, rate_pct, threshold_pct)
          values (${WS}, ${r.scope}, ${r.id}, ${c.metric}, ${day}, ${c.pct.toFixed(2)}, ${c.threshold})
          on conflict do nothing returning id`);
        if (!ins.rows.length) return;
        raised++;
        await notify(tx, {
          userIds: await managerIds(tx),
          kind: 'email.health',
          title: `${c.label} at ${c.pct.toFixed(1)}% for ${r.scope} ${r.name ? `"${r.name}"` : r.id} (threshold ${c.threshold}%)`,
          body: `Over the last 7 days: ${r.sent} sent, ${r.bounces} bounced, ${r.opt_outs} opted out. Check the list and the content before the next send.`,
          link: `/email/health?${r.scope}Id=${encodeURIComponent(r.id)}`,
        });
      });
    }
  }
  return raised;
}
