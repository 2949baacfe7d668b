// The analytics rollups, kept current by the analytics.rollup job (every minute). Incremental and idempotent:
//  - touches: events received since the watermark (re-reading a minute back; ON CONFLICT DO NOTHING by source
//    key), anonymous touches get their contact once the visitor is identified (identities), merges since the
//    last merge id move touches to the winner, content first reads and offline touches are synced (upsert +
//    delete of vanished rows);
//  - stage flows: the UTC days of transitions newer than the watermark are recomputed from lifecycle_transitions;
//    when the row count no longer matches (contacts deleted), every day is rebuilt.
// Running it twice changes nothing; `revloop`'s tests compare every report read from the rollups with the raw path.
import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.ts';
import { contentTouchSelect, eventTouchSelect, offlineTouchSelect } from './touch-sources.ts';
import { createDirtyTables, markDirty, refreshNurture, refreshPaths, refreshSpans } from './rollup-derived.ts';

const WS = 1;
/** Events arriving in a group commit may carry a received_at slightly older than ones already visible. */
const LAG = '5 seconds';
const REREAD = '1 minute';

export interface RollupResult {
  eventTouches: number;
  resolved: number;
  merged: number;
  contentTouches: number;
  offlineTouches: number;
  stageDays: number;
  /** Contacts whose path (analytics_paths) was recomputed; spans (analytics_spans) rewritten. */
  paths: number;
  spans: number;
  ms: number;
}

async function rows<T>(db: Queryable, q: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(q)).rows as T[];
}

export async function refreshAnalyticsRollups(db: Db, opts: { full?: boolean } = {}): Promise<RollupResult> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    // One refresh at a time per workspace.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('analytics.rollup'), ${WS})`);
    await tx.execute(sql`insert into analytics_state (workspace_id) values (${WS}) on conflict do nothing`);
    const [state] = await rows<{ events_received_at: Date | null; transition_id: string; merge_id: string; campaigns_key: string | null }>(
      tx,
      sql`select events_received_at, transition_id, merge_id, campaigns_key from analytics_state where workspace_id = ${WS}`,
    );
    // Paths and spans never built (first refresh since they exist): build them all.
    const derivedMissing = state!.campaigns_key === null;
    await createDirtyTables(tx);
    const full = opts.full || !state!.events_received_at;
    const [{ upto }] = (await rows<{ upto: Date }>(tx, sql`select now() - interval '${sql.raw(LAG)}' as upto`)) as [{ upto: Date }];

    // 1. Event touches received since the watermark.
    const since = full ? sql`true` : sql`e.received_at > ${state!.events_received_at}::timestamptz - interval '${sql.raw(REREAD)}'`;
    const [ev] = await rows<{ n: number }>(tx, sql`
      with ins as (
        insert into analytics_touches (source_key, contact_id, anonymous_id, kind, occurred_at, utm_campaign, campaign_id, content_item_id, channel, workspace_id)
        select t.*, ${WS} from (${eventTouchSelect(WS, sql`${since} and e.received_at <= ${upto}`)}) t
        on conflict (workspace_id, source_key) do nothing
        returning contact_id
      ), dirty as (${markDirty(sql`select contact_id from ins`)})
      select count(*)::int as n from ins`);

    // 2. Anonymous touches whose visitor is now known.
    const [resolved] = await rows<{ n: number }>(tx, sql`
      with up as (
        update analytics_touches t set contact_id = i.contact_id, anonymous_id = null
        from identities i
        where t.workspace_id = ${WS} and t.contact_id is null and t.anonymous_id is not null
          and i.workspace_id = t.workspace_id and i.kind = 'anonymous' and i.value = t.anonymous_id
        returning t.contact_id
      ), dirty as (${markDirty(sql`select contact_id from up`)})
      select count(*)::int as n from up`);

    // 3. Merges since the last one seen (contact_merges.winner_id always names the final winner).
    const [mg] = await rows<{ max: string | null }>(tx, sql`select max(id)::text as max from contact_merges where workspace_id = ${WS}`);
    const mergeWm = Number(state!.merge_id);
    let merged = 0;
    if (mg?.max && Number(mg.max) > mergeWm) {
      const r = await tx.execute(sql`
        update analytics_touches t set contact_id = m.winner_id from contact_merges m
        where m.workspace_id = ${WS} and m.id > ${mergeWm} and t.workspace_id = ${WS} and t.contact_id = m.loser_id`);
      merged = r.rowCount ?? 0;
      for (const table of ['analytics_dirty', 'analytics_dirty_spans'] as const) {
        const ids = sql`select unnest(array[m.winner_id, m.loser_id]) as contact_id from contact_merges m where m.workspace_id = ${WS} and m.id > ${mergeWm}`;
        await tx.execute(markDirty(ids, table));
      }
    }

    // 4. Content first reads and offline touches: upsert what changed, drop what vanished.
    const syncKind = async (kind: 'content' | 'offline', select: ReturnType<typeof sql>): Promise<number> => {
      const changed = sql`(t.contact_id, t.occurred_at, t.campaign_id, t.content_item_id, t.channel) is distinct from (s.contact_id, s.occurred_at, s.campaign_id, s.content_item_id, s.channel)`;
      // The contacts losing a touch that moves (the contacts gaining it come back from the upsert).
      await tx.execute(markDirty(sql`select t.contact_id from analytics_touches t join (${select}) s on s.source_key = t.source_key where t.workspace_id = ${WS} and t.kind = ${kind} and ${changed}`));
      const [up] = await rows<{ n: number }>(tx, sql`with up as (
        insert into analytics_touches (source_key, contact_id, anonymous_id, kind, occurred_at, utm_campaign, campaign_id, content_item_id, channel, workspace_id)
        select s.*, ${WS} from (${select}) s
        on conflict (workspace_id, source_key) do update set contact_id = excluded.contact_id, occurred_at = excluded.occurred_at,
          campaign_id = excluded.campaign_id, content_item_id = excluded.content_item_id, channel = excluded.channel
        where (analytics_touches.contact_id, analytics_touches.occurred_at, analytics_touches.campaign_id, analytics_touches.content_item_id, analytics_touches.channel)
          is distinct from (excluded.contact_id, excluded.occurred_at, excluded.campaign_id, excluded.content_item_id, excluded.channel)
        returning contact_id
      ), dirty as (${markDirty(sql`select contact_id from up`)})
      select count(*)::int as n from up`);
      const [del] = await rows<{ n: number }>(tx, sql`with del as (
        delete from analytics_touches t where t.workspace_id = ${WS} and t.kind = ${kind}
          and not exists (select 1 from (${select}) s where s.source_key = t.source_key)
        returning t.contact_id
      ), dirty as (${markDirty(sql`select contact_id from del`)})
      select count(*)::int as n from del`);
      return up!.n + del!.n;
    };
    const contentTouches = await syncKind('content', contentTouchSelect(WS));
    const offline = await syncKind('offline', offlineTouchSelect(WS));

    // Event touches of deleted contacts: the events are gone (cascade), so are their touches.
    if (full) {
      await tx.execute(sql`with del as (
        delete from analytics_touches t where t.workspace_id = ${WS} and t.kind in ('utm', 'email_click') and t.contact_id is not null
          and not exists (select 1 from contacts c where c.id = t.contact_id)
        returning t.contact_id
      ) ${markDirty(sql`select contact_id from del`)}`);
    }

    // 5. Stage flows per UTC day.
    const trWm = Number(state!.transition_id);
    const [tr] = await rows<{ max: string | null; n: string; fresh: string; rolled: string }>(
      tx,
      sql`select (select max(id) from lifecycle_transitions where workspace_id = ${WS})::text as max,
                 (select count(*) from lifecycle_transitions where workspace_id = ${WS})::text as n,
                 (select count(*) from lifecycle_transitions where workspace_id = ${WS} and id > ${trWm})::text as fresh,
                 (select coalesce(sum(n), 0) from analytics_stage_daily where workspace_id = ${WS})::text as rolled`,
    );
    // Rows vanished (contacts deleted) when the table grew by less than what is new: rebuild every day.
    const rebuildAll = full || Number(tr!.n) - Number(tr!.rolled) !== Number(tr!.fresh);
    let stageDays = 0;
    const dayOf = sql`(lt.occurred_at at time zone 'UTC')::date`;
    if (rebuildAll || Number(tr!.fresh) > 0) {
      const days = rebuildAll
        ? sql`select distinct ${dayOf} as day from lifecycle_transitions lt where lt.workspace_id = ${WS}
              union select day from analytics_stage_daily where workspace_id = ${WS}`
        : sql`select distinct ${dayOf} as day from lifecycle_transitions lt where lt.workspace_id = ${WS} and lt.id > ${trWm}`;
      await tx.execute(sql`create temp table if not exists analytics_days (day date primary key) on commit drop`);
      await tx.execute(sql`insert into analytics_days ${days} on conflict do nothing`);
      await tx.execute(sql`delete from analytics_stage_daily s using analytics_days d where s.workspace_id = ${WS} and s.day = d.day`);
      const ins = await tx.execute(sql`
        insert into analytics_stage_daily (workspace_id, day, from_stage, to_stage, n)
        select ${WS}, ${dayOf}, coalesce(lt.from_stage, ''), lt.to_stage, count(*)::int
        from lifecycle_transitions lt join analytics_days d on d.day = ${dayOf}
        where lt.workspace_id = ${WS}
        group by 2, 3, 4`);
      stageDays = ins.rowCount ?? 0;
    }

    // 6. Spans per transition, paths per contact, the nurture period per sales-ready contact (./rollup-derived.ts).
    const spans = await refreshSpans(tx, { all: rebuildAll || derivedMissing, sinceTransition: trWm });
    const paths = await refreshPaths(tx, { all: full || derivedMissing });
    await refreshNurture(tx, { all: rebuildAll || derivedMissing });

    await tx.execute(sql`
      update analytics_state set events_received_at = ${upto}, transition_id = ${Number(tr!.max ?? trWm)}, merge_id = ${Math.max(mergeWm, Number(mg?.max ?? 0))},
        refreshed_at = now() where workspace_id = ${WS}`);
    return {
      eventTouches: ev!.n,
      resolved: resolved!.n,
      merged,
      contentTouches,
      offlineTouches: offline,
      stageDays,
      paths: paths.paths,
      spans,
      ms: performance.now() - started,
    };
  });
}

/** When the rollups were last refreshed (null: never, so reports read the raw tables). */
export async function rollupState(db: Queryable): Promise<{ refreshedAt: Date | null; eventsReceivedAt: Date | null; derivedBuilt: boolean }> {
  const [r] = await rows<{ refreshed_at: Date | null; events_received_at: Date | null; campaigns_key: string | null }>(
    db,
    sql`select refreshed_at, events_received_at, campaigns_key from analytics_state where workspace_id = ${WS}`,
  );
  // Spans and paths exist once a refresh has run since they were added (it sets campaigns_key).
  return { refreshedAt: r?.refreshed_at ?? null, eventsReceivedAt: r?.events_received_at ?? null, derivedBuilt: (r?.campaigns_key ?? null) !== null };
}
