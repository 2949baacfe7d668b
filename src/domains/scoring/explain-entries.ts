// The engagement entries of a contact's explanation: per rule and cap window (a day for rules without a
// cap, the whole history for an `ever` cap), how many events matched, earned, were capped, and what the
// points are worth now. Derived from the contact's scored events with the same compiled rules and caps as
// the rescore (rescore-sql.ts), so they add up to the ledger rows (score_ledger) of the same model version.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { CapPeriod, EngagementRule } from '../../contracts/scoring.ts';
import type { EngagementEntry } from '../../contracts/scoring-explain.ts';
import type { ScoreModelRow } from './defaults.ts';
import { decayFactorSql, halfLife, scoredEventSql } from './ledger.ts';
import { engagementLedgerSql } from './rescore-sql.ts';
import { capWindow, round2 } from './rules.ts';

export async function engagementEntries(
  db: Queryable,
  model: Pick<ScoreModelRow, 'rules' | 'halfLifeDays'>,
  contactId: number,
  now: Date,
  limit: number,
): Promise<{ entries: EngagementEntry[]; truncated: boolean }> {
  const rules = (model.rules as EngagementRule[]).filter((r) => r.points !== 0);
  if (!rules.length) return { entries: [], truncated: false };
  const byId = new Map(rules.map((r) => [r.id, r]));
  const ledger = engagementLedgerSql(rules, sql`e.contact_id = ${Math.trunc(contactId)} and not e.is_bot and ${scoredEventSql()}`);
  const periods = sql.join(
    rules.map((r) => sql`(${r.id}::text, ${r.cap?.period ?? 'day'}::text)`),
    sql`, `,
  );
  const hl = halfLife(model);
  const decayed = sql`l.points * ${decayFactorSql(sql`greatest(interval '0', ${now.toISOString()}::timestamptz - l.occurred_at)`, hl)}`;
  const res = await db.execute(sql`
    select l.rule_id, r.period, w.start as window_start, count(*)::int as count,
           count(*) filter (where l.points <> 0)::int as times, count(*) filter (where l.points = 0)::int as capped_times,
           sum(l.points)::float8 as earned, sum(${decayed})::float8 as current, min(l.occurred_at) as first_at, max(l.occurred_at) as last_at,
           (array_agg(l.event_name order by l.occurred_at desc, l.event_id desc))[1] as event_name
    from (${ledger}) l
    join (values ${periods}) as r(rule_id, period) on r.rule_id = l.rule_id
    cross join lateral (select case when r.period = 'ever' then null else date_trunc(r.period, l.occurred_at at time zone 'UTC') at time zone 'UTC' end as start) w
    group by l.rule_id, r.period, w.start
    order by max(l.occurred_at) desc, l.rule_id
    limit ${limit + 1}`);
  const rows = res.rows as {
    rule_id: string;
    period: CapPeriod;
    window_start: string | Date | null;
    count: number;
    times: number;
    capped_times: number;
    earned: number;
    current: number;
    first_at: string | Date;
    last_at: string | Date;
    event_name: string | null;
  }[];
  const entries = rows.slice(0, limit).map((r): EngagementEntry => {
    const rule = byId.get(r.rule_id)!;
    const win = r.window_start == null ? null : capWindow(r.period, new Date(r.window_start));
    const earned = Number(r.earned);
    return {
      ruleId: r.rule_id,
      label: rule.label ?? null,
      period: r.period,
      windowStart: win ? win.start.toISOString() : null,
      windowEnd: win ? win.end.toISOString() : null,
      eventName: r.event_name,
      count: r.count,
      times: r.times,
      cappedTimes: r.capped_times,
      firstAt: new Date(r.first_at).toISOString(),
      lastAt: new Date(r.last_at).toISOString(),
      earned: round2(earned),
      current: round2(Number(r.current)),
      capped: Math.abs(earned) < r.count * Math.abs(rule.points) - 1e-9,
    };
  });
  return { entries, truncated: rows.length > limit };
}
