// The topic backlog: topics ranked by reader interest (readers, views and read depth of the items tagged
// with them, reader ratings) and by field intel mentions, with what is already in production; and "cycle the
// top interests": one calendar idea per top topic that has nothing in production yet.
import { sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { BacklogQuery, CycleInput, type Backlog, type BacklogTopic, type CycleResult } from '../../contracts/content-sales.ts';
import { CONTENT_STAGES, type ContentStage } from '../../contracts/content.ts';
import { recordAudit } from '../identity/audit.ts';
import { createIdeaInTx } from './ideas.ts';

const WS = 1;
/** Weights of the score's parts; each part is scaled to the top topic's value first. */
export const BACKLOG_WEIGHTS = { readers: 0.3, views: 0.15, depth: 0.1, ratings: 0.15, intel: 0.3 } as const;
const PRODUCTION: readonly string[] = ['idea', 'research', 'sme_interview', 'draft', 'review', 'scheduled'];

interface TopicRow {
  topic: string;
  readers: number;
  views: number;
  reads: number;
  depth_sum: number;
  ratings: number;
  rating_sum: number;
  intel: number;
  items: number;
  in_production: number;
  smes: number;
  stage_counts: Record<string, number> | null;
}

async function topicRows(db: Queryable, days: number): Promise<TopicRow[]> {
  const prod = sql.join(PRODUCTION.map((s) => sql`${s}`), sql`, `);
  const { rows } = await db.execute(sql`
    with since as (select now() - make_interval(days => ${days}) as t),
    it as (select i.id, i.status, i.stage, unnest(i.topics) as topic from content_items i where i.workspace_id = ${WS} and i.status <> 'retired'),
    readers as (
      select it.topic, count(distinct cc.contact_id)::int as readers
      from it join content_consumption cc on cc.item_id = it.id, since where cc.last_at >= since.t group by 1),
    daily as (
      select it.topic, sum(d.views)::int as views, sum(d.reads)::int as reads, sum(d.depth_sum)::float8 as depth_sum
      from it join content_daily d on d.item_id = it.id, since where d.day >= since.t::date group by 1),
    rating as (
      select it.topic, count(*)::int as ratings, sum(r.rating)::int as rating_sum
      from it join content_ratings r on r.item_id = it.id, since where r.updated_at >= since.t group by 1),
    intel as (
      select tag as topic, count(*)::int as intel
      from field_intel f, unnest(f.topics) tag, since where f.workspace_id = ${WS} and f.heard_on >= since.t::date group by 1),
    items as (
      select topic, count(distinct id)::int as items, count(distinct id) filter (where status in (${prod}))::int as in_production,
             jsonb_object_agg(stage, n) as stage_counts
      from (select topic, id, status, stage, count(*) over (partition by topic, stage) as n from it) x group by 1),
    smes as (select tag as topic, count(*)::int as smes from content_smes s, unnest(s.topics) tag where s.workspace_id = ${WS} group by 1),
    topics as (select topic from items union select topic from intel)
    select t.topic, coalesce(r.readers, 0) as readers, coalesce(d.views, 0) as views, coalesce(d.reads, 0) as reads,
           coalesce(d.depth_sum, 0) as depth_sum, coalesce(g.ratings, 0) as ratings, coalesce(g.rating_sum, 0) as rating_sum,
           coalesce(f.intel, 0) as intel, coalesce(i.items, 0) as items, coalesce(i.in_production, 0) as in_production,
           coalesce(s.smes, 0) as smes, i.stage_counts
    from topics t
    left join readers r using (topic) left join daily d using (topic) left join rating g using (topic)
    left join intel f using (topic) left join items i using (topic) left join smes s using (topic)`);
  return rows as unknown as TopicRow[];
}

function rank(rows: TopicRow[]): (BacklogTopic & { stageCounts: Record<string, number> })[] {
  const avgDepth = (r: TopicRow) => (r.reads > 0 ? r.depth_sum / r.reads : 0);
  // Ratings count as their average above the midpoint, trusted more with more of them (5+ ratings: fully).
  const ratingPart = (r: TopicRow) => (r.ratings > 0 ? Math.max(0, r.rating_sum / r.ratings - 1) / 4 : 0) * Math.min(1, r.ratings / 5);
  const max = (f: (r: TopicRow) => number) => Math.max(0, ...rows.map(f)) || 1;
  const m = { readers: max((r) => r.readers), views: max((r) => r.views), depth: max(avgDepth), ratings: max(ratingPart), intel: max((r) => r.intel) };
  const w = BACKLOG_WEIGHTS;
  return rows
    .map((r) => {
      const score =
        100 *
        (w.readers * (r.readers / m.readers) + w.views * (r.views / m.views) + w.depth * (avgDepth(r) / m.depth) + w.ratings * (ratingPart(r) / m.ratings) + w.intel * (r.intel / m.intel));
      return {
        topic: r.topic,
        score: Math.round(score * 10) / 10,
        readers: r.readers,
        views: r.views,
        avgDepthPct: r.reads > 0 ? Math.round(avgDepth(r) * 10) / 10 : null,
        ratings: r.ratings,
        avgRating: r.ratings > 0 ? Math.round((r.rating_sum / r.ratings) * 100) / 100 : null,
        intelMentions: r.intel,
        items: r.items,
        inProduction: r.in_production,
        smes: r.smes,
        stageCounts: r.stage_counts ?? {},
      };
    })
    .sort((a, b) => b.score - a.score || b.readers - a.readers || a.topic.localeCompare(b.topic));
}

export async function topicBacklog({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Backlog> {
  const q = BacklogQuery.parse(input ?? {});
  const ranked = rank(await topicRows(ctx.db, q.days)).slice(0, q.limit);
  return { days: q.days, weights: { ...BACKLOG_WEIGHTS }, topics: ranked.map(({ stageCounts: _s, ...t }) => t) };
}

/** The stage with the fewest items of the topic (earliest on a tie): where a new piece helps most. */
export function gapStage(stageCounts: Record<string, number>): ContentStage {
  let best: ContentStage = CONTENT_STAGES[0]!;
  for (const s of CONTENT_STAGES) if ((stageCounts[s] ?? 0) < (stageCounts[best] ?? 0)) best = s;
  return best;
}

export async function cycleTopInterests({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CycleResult> {
  const v = CycleInput.parse(input ?? {});
  return withTransaction(ctx, async (tx) => {
    // One cycle at a time: two clicks must not create the same ideas twice.
    await tx.execute(sql`select pg_advisory_xact_lock(727006, ${WS})`);
    const ranked = rank(await topicRows(tx, v.days));
    const byTopic = new Map(ranked.map((t) => [t.topic, t]));
    const wanted = v.topics ?? ranked.filter((t) => t.score > 0).map((t) => t.topic);
    const created: CycleResult['created'] = [];
    const skipped: CycleResult['skipped'] = [];
    for (const topic of wanted) {
      if (!v.topics && created.length >= v.top) break;
      const t = byTopic.get(topic);
      if (!t) {
        skipped.push({ topic, reason: 'no content, readers or field intel with this topic' });
        continue;
      }
      if (t.inProduction > 0) {
        skipped.push({ topic, reason: `already in production (${t.inProduction} item${t.inProduction === 1 ? '' : 's'})` });
        continue;
      }
      const stage = gapStage(t.stageCounts);
      const evidence = [
        `${t.readers} readers and ${t.views} views in the last ${v.days} days`,
        t.avgDepthPct !== null ? `average read depth ${t.avgDepthPct}%` : null,
        t.ratings ? `${t.ratings} ratings, average ${t.avgRating}` : null,
        t.intelMentions ? `${t.intelMentions} field intel mentions` : null,
      ].filter(Boolean);
      const item = await createIdeaInTx(tx, ctx, {
        title: `${topic[0]!.toUpperCase()}${topic.slice(1)}: what readers want next`,
        summary: `Top interest (score ${t.score}): ${evidence.join('; ')}.`,
        researchNotes: `Cycled from the topic backlog. ${evidence.join('; ')}. Fewest items at the ${stage} stage.`,
        topics: [topic],
        stage,
        type: ['epiphany', 'awareness', 'interest'].includes(stage) ? 'aspirational' : 'practical',
        origin: `cycled top interest "${topic}"`,
      });
      created.push({ ...item, topic });
    }
    if (created.length) {
      await recordAudit(tx, ctx.actor, {
        action: 'content.backlog_cycled',
        entityType: 'workspace',
        entityId: WS,
        summary: `Cycled the top interests: ${created.map((c) => c.topic).join(', ')}`,
        changes: { created: created.map((c) => ({ id: c.id, topic: c.topic })), skipped },
      });
    }
    return { created, skipped };
  });
}
