// The scoring worker: turns new events into scores within about a second.
//
// One pass (scoreInboxBatch) runs in ONE transaction: claim inbox rows (FOR UPDATE SKIP LOCKED, deleted in
// this transaction), load their events, lock the contacts, apply every active engagement model's rules
// (caps counted from the contact's scored events of the same windows), merge the points into the ledger
// (score_ledger, one row per contact × model × rule; worker-engagement.ts), recompute contact_scores
// (engagement decayed to now, fit), the buying stage of contacts with new page views, and evaluate the
// lifecycle rules (B's evaluateLifecycle, run on this transaction: its per-contact transactions become
// savepoints). A crash or error anywhere rolls everything back and the inbox rows come back: nothing lost,
// nothing counted twice. Every scored event is marked for its contact (score_seen) and a marked event is not
// scored again, so an event queued twice earns its points once.
//
// The loop that runs passes is in worker-loop.ts.
import { sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../db/client.ts';
import { evaluateLifecycle } from '../lifecycle/evaluate.ts';
import { addContentConsumption } from '../content/consumption.ts';
import { refreshBuyingStages } from './buying-stage.ts';
import { activeModels, type ScoreModelRow } from './defaults.ts';
import { scoreFitForContacts } from './fit.ts';
import { claimInbox } from './inbox.ts';
import { round2, type ScoringEvent } from './rules.ts';
import { engagementSums } from './snapshot.ts';
import { idList, markFresh, passEventFromRow, scoreEngagement } from './worker-engagement.ts';

/** Inbox rows claimed per pass (each holds the events of one ingest commit). */
export const INBOX_ROWS_PER_PASS = 50;

interface LoadedEvent extends ScoringEvent {
  id: number;
  workspaceId: number;
  contactId: number;
  timestamp: Date;
  hasPage: boolean;
}

export interface PassResult {
  inboxRows: number;
  events: number;
  contacts: number;
  ledgerRows: number;
  transitions: number;
}


async function loadEvents(tx: Queryable, ids: number[], from: Date, to: Date): Promise<LoadedEvent[]> {
  const res = await tx.execute(sql`
    select id, workspace_id, contact_id, type, event, properties, context, traits, page_url, page_path, page_title, page_referrer,
           utm_campaign, utm_source, utm_medium, utm_term, utm_content, timestamp
    from events
    where id = any(${idList(ids)}) and received_at >= ${from.toISOString()}::timestamptz and received_at <= ${to.toISOString()}::timestamptz
      and contact_id is not null and not is_bot
    order by timestamp, id`);
  return (res.rows as Record<string, any>[]).map((r) => ({ ...passEventFromRow(r), workspaceId: r.workspace_id, hasPage: r.page_path != null || r.page_url != null }));
}

/**
 * Locks the contacts (sorted, so two passes cannot deadlock) against other passes and deletion while they
 * are scored; returns those that still exist.
 */
async function lockContacts(tx: Queryable, ids: number[]): Promise<Set<number>> {
  const res = await tx.execute(sql`select id from contacts where id = any(${idList(ids)}) order by id for no key update`);
  return new Set(res.rows.map((r) => Number(r.id)));
}

/** Contacts whose fit must be recomputed: an identify or group call among their events, or no stored fit score. */
async function needFit(tx: Queryable, contactIds: number[], byContact: Map<number, LoadedEvent[]>): Promise<number[]> {
  const traits = contactIds.filter((id) => byContact.get(id)!.some((e) => e.type === 'identify' || e.type === 'group'));
  const changed = new Set(traits);
  const rest = contactIds.filter((id) => !changed.has(id));
  if (!rest.length) return traits;
  const res = await tx.execute(sql`
    select c.id from unnest(${idList(rest)}) as c(id)
    where exists (select 1 from score_models m where m.kind = 'fit' and m.active
                  and not exists (select 1 from contact_scores s where s.contact_id = c.id and s.model_id = m.id))`);
  return [...traits, ...res.rows.map((r) => Number(r.id))];
}

/** The engagement breakdown stored in contact_scores (the rescore writes the same shape). */
export function engagementBreakdown(model: Pick<ScoreModelRow, 'version' | 'halfLifeDays'>, sum: { earned: number; rules: { ruleId: string; times: number; cappedTimes: number; earned: number; current: number }[] }) {
  return {
    modelVersion: model.version,
    halfLifeDays: model.halfLifeDays,
    earned: round2(sum.earned),
    rules: [...sum.rules]
      .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
      .map((r) => ({ ruleId: r.ruleId, times: r.times, cappedTimes: r.cappedTimes, earned: round2(r.earned), current: round2(r.current) })),
  };
}

/** Recomputes contact_scores of an engagement model for the contacts from the ledger, decayed to `now`. */
export async function storeEngagementScores(tx: Queryable, workspaceId: number, model: ScoreModelRow, contactIds: number[], now: Date): Promise<void> {
  if (!contactIds.length) return;
  const sums = await engagementSums(tx, model, contactIds, now);
  const empty = { total: 0, earned: 0, rules: [] };
  const list = contactIds.map((id) => ({ id, sum: sums.get(id) ?? empty }));
  await tx.execute(sql`
    insert into contact_scores (contact_id, model_id, workspace_id, score, grade, breakdown, model_version, computed_at)
    select u.contact_id, ${model.id}, ${workspaceId}, u.score, null, u.breakdown, ${model.version}, ${now.toISOString()}::timestamptz
    from unnest(${sql.param(list.map((l) => l.id))}::int8[], ${sql.param(list.map((l) => round2(l.sum.total)))}::float8[],
                ${sql.param(list.map((l) => JSON.stringify(engagementBreakdown(model, l.sum))))}::jsonb[]) as u(contact_id, score, breakdown)
    on conflict (contact_id, model_id) do update set score = excluded.score, breakdown = excluded.breakdown,
      model_version = excluded.model_version, computed_at = excluded.computed_at`);
}

/**
 * One scoring pass in one transaction (see the file comment). `now` is the clock for decay, buying stage
 * and lifecycle (tests pass a simulated one). Returns what it did; inboxRows 0 means the inbox was empty.
 */
export async function scoreInboxBatch(
  db: Db,
  opts: { now?: Date; limit?: number; trace?: (step: string) => void; exclude?: readonly number[]; onClaim?: (ids: number[]) => void } = {},
): Promise<PassResult> {
  return db.transaction(async (tx) => scoreInboxInTx(tx, opts.now ?? new Date(), opts.limit ?? INBOX_ROWS_PER_PASS, opts.trace, opts));
}

/** The pass on the caller's transaction (tests roll it back to show that a crash loses nothing). */
export async function scoreInboxInTx(
  tx: Tx,
  now: Date,
  limit = INBOX_ROWS_PER_PASS,
  trace?: (step: string) => void,
  opts: { exclude?: readonly number[]; onClaim?: (ids: number[]) => void } = {},
): Promise<PassResult> {
  const result: PassResult = { inboxRows: 0, events: 0, contacts: 0, ledgerRows: 0, transitions: 0 };
  const claim = await claimInbox(tx, limit, opts.exclude);
  opts.onClaim?.(claim.ids);
  result.inboxRows = claim.rows;
  if (!claim.rows || !claim.eventIds.length) return result;
  const loaded = await loadEvents(tx, claim.eventIds, claim.receivedFrom!, claim.receivedTo!);
  if (!loaded.length) return result;
  trace?.('claimed+loaded');
  const alive = await lockContacts(tx, [...new Set(loaded.map((e) => e.contactId))].sort((a, b) => a - b));
  const evs = loaded.filter((e) => alive.has(e.contactId));
  result.events = evs.length;

  trace?.('locked');
  const byWorkspace = new Map<number, LoadedEvent[]>();
  for (const e of evs) byWorkspace.set(e.workspaceId, [...(byWorkspace.get(e.workspaceId) ?? []), e]);
  const touched: number[] = [];
  for (const [workspaceId, list] of byWorkspace) {
    const byContact = new Map<number, LoadedEvent[]>();
    for (const e of list) byContact.set(e.contactId, [...(byContact.get(e.contactId) ?? []), e]);
    const contactIds = [...byContact.keys()];
    touched.push(...contactIds);
    // Events this contact already had scored (queued twice) earn nothing again; the rest are marked now.
    const fresh = await markFresh(tx, list);
    const freshByContact = new Map<number, LoadedEvent[]>();
    for (const e of list) if (fresh.has(e.id)) freshByContact.set(e.contactId, [...(freshByContact.get(e.contactId) ?? []), e]);
    const models = await activeModels(tx, workspaceId, 'engagement');
    result.ledgerRows += await scoreEngagement(tx, workspaceId, models, freshByContact);
    for (const model of models) await storeEngagementScores(tx, workspaceId, model, contactIds, now);
  trace?.('engagement');
    // identify / group calls change the fields fit reads: recompute the fit of their contacts, and of
    // contacts that have no stored fit yet (edits of contacts and accounts recompute fit where they happen).
    const fitIds = await needFit(tx, contactIds, byContact);
    if (fitIds.length) await scoreFitForContacts(tx, workspaceId, fitIds, now);
  trace?.('fit');
    const withPages = contactIds.filter((id) => byContact.get(id)!.some((e) => e.hasPage));
    if (withPages.length) await refreshBuyingStages(tx, workspaceId, withPages, now);
    // Content consumption (views, read depth, active seconds per item): the events new for their contact.
    await addContentConsumption(tx, workspaceId, list.filter((e) => fresh.has(e.id)));
  }
  trace?.('stages');
  result.contacts = touched.length;
  // On this transaction: its per-contact transactions become savepoints, and commit with the scores.
  const lc = await evaluateLifecycle({ db: tx as unknown as Db, log: { warn: () => undefined }, contactIds: touched, now });
  trace?.('lifecycle');
  result.transitions = lc.transitions;
  return result;
}
