// Engagement in a scoring pass: which of the claimed events are new for their contact (score_seen), caps
// counted from the contact's scored events in the same windows, and the pass's points merged into the
// ledger rows (score_ledger, one per contact × model × rule; ledger.ts).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { EngagementRule } from '../../contracts/scoring.ts';
import type { ScoreModelRow } from './defaults.ts';
import { decayFactorSql, halfLife, ledgerAggregateSql, scoredEventSql } from './ledger.ts';
import { applyEngagementRules, capAllows, capWindow, matchesEngagementRule, type Earned, type ScoringEvent } from './rules.ts';

export interface PassEvent extends ScoringEvent {
  id: number;
  contactId: number;
  timestamp: Date;
}

/** A bigint[] literal of ids (integers only, so it is safe inline). */
export const idList = (ids: readonly number[]) => sql.raw(`'{${ids.map((id) => Math.trunc(Number(id))).join(',')}}'::bigint[]`);

/** An `events` row (snake_case columns as selected by the scorer) as the event the rules see. */
export function passEventFromRow(r: Record<string, any>): PassEvent {
  return {
    id: Number(r.id),
    contactId: Number(r.contact_id),
    type: r.type,
    event: r.event,
    properties: r.properties,
    context: r.context,
    traits: r.traits,
    pageUrl: r.page_url,
    pagePath: r.page_path,
    pageTitle: r.page_title,
    pageReferrer: r.page_referrer,
    utmCampaign: r.utm_campaign,
    utmSource: r.utm_source,
    utmMedium: r.utm_medium,
    utmTerm: r.utm_term,
    utmContent: r.utm_content,
    timestamp: new Date(r.timestamp),
  };
}

/**
 * Marks the events as scored for their contacts and returns the ids that were not marked yet: an event queued
 * twice (a tool re-queueing history, a merge racing its first scoring) earns its points once. Its contact is
 * locked by the pass, so two passes never race on one contact.
 */
export async function markFresh(tx: Queryable, events: readonly PassEvent[]): Promise<Set<number>> {
  if (!events.length) return new Set();
  const res = await tx.execute(sql`
    insert into score_seen (contact_id, event_id)
    select * from unnest(${sql.param(events.map((e) => e.contactId))}::int8[], ${sql.param(events.map((e) => e.id))}::int8[])
    on conflict do nothing returning event_id`);
  return new Set(res.rows.map((r) => Number(r.event_id)));
}

type Window = { start: Date; end: Date } | null;

/**
 * The contacts' scored events (not the pass's own) that caps must count: from the earliest window start of a
 * capped rule one of the new events matches (all of them for an `ever` cap), to the latest window end.
 */
async function history(tx: Queryable, models: readonly ScoreModelRow[], byContact: Map<number, PassEvent[]>, fresh: readonly number[]): Promise<Map<number, PassEvent[]>> {
  const out = new Map<number, PassEvent[]>();
  const contacts = new Set<number>();
  let since = Infinity;
  let until = -Infinity;
  let ever = false;
  for (const m of models) {
    const capped = (m.rules as EngagementRule[]).filter((r) => r.cap && r.points !== 0);
    for (const [contactId, evs] of byContact)
      for (const e of evs)
        for (const r of capped) {
          if (!matchesEngagementRule(r, e)) continue;
          contacts.add(contactId);
          const w = capWindow(r.cap!.period, e.timestamp);
          if (!w) ever = true;
          else {
            since = Math.min(since, w.start.getTime());
            until = Math.max(until, w.end.getTime());
          }
        }
  }
  if (!contacts.size) return out;
  const range = ever ? sql`` : sql`and e."timestamp" >= ${new Date(since).toISOString()}::timestamptz and e."timestamp" < ${new Date(until).toISOString()}::timestamptz`;
  const res = await tx.execute(sql`
    select e.id, e.contact_id, e.type, e.event, e.properties, e.context, e.traits, e.page_url, e.page_path, e.page_title, e.page_referrer,
           e.utm_campaign, e.utm_source, e.utm_medium, e.utm_term, e.utm_content, e."timestamp"
    from events e
    where e.contact_id = any(${idList([...contacts])}) and not e.is_bot ${range}
      and e.id <> all(${idList(fresh)}) and ${scoredEventSql()}`);
  for (const r of res.rows as Record<string, any>[]) {
    const e = passEventFromRow(r);
    out.set(e.contactId, [...(out.get(e.contactId) ?? []), e]);
  }
  return out;
}

/**
 * What a capped rule earned a contact in a window from its scored events: every match of the rule in the
 * window, replayed through the cap (all earn the rule's points, so the order does not matter).
 */
function earnedFrom(rule: EngagementRule, events: readonly PassEvent[], win: Window): Earned {
  const earned: Earned = { points: 0, times: 0 };
  for (const e of events) {
    if (win && (e.timestamp < win.start || e.timestamp >= win.end)) continue;
    if (!matchesEngagementRule(rule, e)) continue;
    const allowed = capAllows(rule.cap, earned, rule.points);
    if (allowed.points !== 0) {
      earned.points += allowed.points;
      earned.times += 1;
    }
  }
  return earned;
}

/**
 * Applies the engagement models to the pass's new events (grouped by contact; already marked fresh) and
 * merges the points into the ledger. Returns how many (event × rule) entries it counted.
 */
export async function scoreEngagement(tx: Queryable, workspaceId: number, models: readonly ScoreModelRow[], byContact: Map<number, PassEvent[]>): Promise<number> {
  const fresh = [...byContact.values()].flat().map((e) => e.id);
  if (!fresh.length) return 0;
  const past = await history(tx, models, byContact, fresh);
  let count = 0;
  for (const model of models) {
    const rules = model.rules as EngagementRule[];
    if (!rules.length) continue;
    const byId = new Map(rules.map((r) => [r.id, r]));
    const rows: { contactId: number; ruleId: string; points: number; at: string }[] = [];
    for (const [contactId, evs] of byContact) {
      const mine = past.get(contactId) ?? [];
      const earnedBefore = (ruleId: string, win: Window): Earned => earnedFrom(byId.get(ruleId)!, mine, win);
      for (const entry of applyEngagementRules(rules, evs.map((event) => ({ event, occurredAt: event.timestamp })), earnedBefore)) {
        rows.push({ contactId, ruleId: entry.ruleId, points: entry.points, at: entry.occurredAt.toISOString() });
      }
    }
    if (rows.length) await mergeIntoLedger(tx, workspaceId, model, rows);
    count += rows.length;
  }
  return count;
}

/** Adds entries (contact, rule, points, time) to the model's ledger rows: counts add up, decay sums rescale to the later lastAt. */
async function mergeIntoLedger(tx: Queryable, workspaceId: number, model: ScoreModelRow, rows: { contactId: number; ruleId: string; points: number; at: string }[]): Promise<void> {
  const hl = halfLife(model);
  const now = new Date(Math.max(...rows.map((r) => Date.parse(r.at))));
  const source = sql`unnest(${sql.param(rows.map((r) => r.contactId))}::int8[], ${sql.param(rows.map((r) => r.ruleId))}::text[],
    ${sql.param(rows.map((r) => r.points))}::float8[], ${sql.param(rows.map((r) => r.at))}::timestamptz[]) as u(contact_id, rule_id, points, occurred_at)`;
  await tx.execute(sql`
    insert into score_ledger (contact_id, model_id, rule_id, workspace_id, times, capped_times, earned, decay_sum, first_at, last_at, updated_at)
    select contact_id, ${model.id}, rule_id, ${workspaceId}, times, capped_times, earned, decay_sum, first_at, last_at, now()
    from (${ledgerAggregateSql(source, now, hl)}) b
    on conflict (contact_id, model_id, rule_id) do update set
      times = score_ledger.times + excluded.times,
      capped_times = score_ledger.capped_times + excluded.capped_times,
      earned = score_ledger.earned + excluded.earned,
      decay_sum = case when excluded.last_at > score_ledger.last_at
                       then score_ledger.decay_sum * ${decayFactorSql(sql`excluded.last_at - score_ledger.last_at`, hl)} + excluded.decay_sum
                       else score_ledger.decay_sum + excluded.decay_sum * ${decayFactorSql(sql`score_ledger.last_at - excluded.last_at`, hl)} end,
      first_at = least(score_ledger.first_at, excluded.first_at),
      last_at = greatest(score_ledger.last_at, excluded.last_at),
      updated_at = now()`);
}
