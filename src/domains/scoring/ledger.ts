// The engagement ledger (score_ledger): one row per contact × model × rule holding counts, Σ points earned
// and decaySum = Σ earned_i × 0.5^((lastAt − t_i) / halfLife). Shared by the worker (merging a pass's new
// points into the rows), the rescore (rebuilding them), the snapshots and the explanations (reading the
// value at `now`), so every path computes the same numbers. Also which events count as scored (the set a
// rebuild covers and caps are counted from).
import { sql, type SQL } from 'drizzle-orm';

const DAY_MS = 86_400_000;

/** A model's half-life, or null when points never decay. */
export function halfLife(model: { halfLifeDays: number | null }): number | null {
  return model.halfLifeDays && model.halfLifeDays > 0 ? model.halfLifeDays : null;
}

/** The value at `now` of a ledger row: decaySum × 0.5^(max(0, now − lastAt) / halfLife). */
export function ledgerValue(decaySum: number, lastAt: Date, now: Date, halfLifeDays: number | null): number {
  if (!halfLifeDays) return decaySum;
  return decaySum * Math.pow(0.5, Math.max(0, now.getTime() - lastAt.getTime()) / DAY_MS / halfLifeDays);
}

/**
 * 0.5^(seconds(interval) / 86400 / halfLife) as SQL; 1 without a half-life. The exponent is clamped to
 * ±1000 half-lives: PostgreSQL's power() raises an error on underflow (past ~1074), and points 1000
 * half-lives old are worth < 1e-300 of themselves either way.
 */
export function decayFactorSql(interval: SQL, hl: number | null): SQL {
  return hl
    ? sql`power(0.5::float8, least(1000::float8, greatest(-1000::float8, extract(epoch from (${interval}))::float8 / 86400.0 / ${hl}::float8)))`
    : sql`1::float8`;
}

/** ledgerValue in SQL over columns decay_sum and last_at of `alias`. */
export function ledgerValueSql(alias: string, now: Date, hl: number | null): SQL {
  const a = sql.raw(alias);
  return hl ? sql`(${a}.decay_sum * ${decayFactorSql(sql`greatest(interval '0', ${now.toISOString()}::timestamptz - ${a}.last_at)`, hl)})` : sql`${a}.decay_sum`;
}

/**
 * The columns of ledger rows (contact_id, rule_id, times, capped_times, earned, decay_sum, first_at, last_at)
 * aggregated from entries (contact_id, rule_id, points, occurred_at) in `source`, one per contact and rule.
 * decay_sum is relative to the group's latest entry: Σ points × 0.5^((now − t)/hl) rescaled by
 * 0.5^((last − now)/hl), one pass over the entries (an entry more than ~1000 half-lives before `now` counts 0,
 * as its value does).
 */
export function ledgerAggregateSql(source: SQL, now: Date, hl: number | null): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const decaySum = hl
    ? sql`coalesce(sum(points * ${decayFactorSql(sql`${at} - occurred_at`, hl)}), 0) * ${decayFactorSql(sql`max(occurred_at) - ${at}`, hl)}`
    : sql`coalesce(sum(points), 0)`;
  return sql`
    select contact_id, rule_id, count(*) filter (where points <> 0)::int as times, count(*) filter (where points = 0)::int as capped_times,
           coalesce(sum(points), 0)::float8 as earned, (${decaySum})::float8 as decay_sum, min(occurred_at) as first_at, max(occurred_at) as last_at
    from ${source}
    group by contact_id, rule_id`;
}

/**
 * Events of a contact that are scored (reflected in the ledger), as a condition over events `e`: the worker
 * marked them (score_seen), or no inbox row still waits with them (an event that was never queued, e.g. bulk
 * loaded, counts as scored by a rebuild). Unmarked events still in the inbox are the worker's to score.
 */
export function scoredEventSql(): SQL {
  return sql`(e.id not in (select unnest(i.event_ids) from scoring_inbox i)
              or exists (select 1 from score_seen s where s.contact_id = e.contact_id and s.event_id = e.id))`;
}
