// Attribution over won revenue or pipeline created: every deal's journey (its contacts' touches within the
// lookback, none after the deal converted), each model's weights, and the deal amount split in whole cents
// (largest remainder), summed per campaign, content item or channel. Deals without any touch are credited to
// "No tracked touch", so every model's credits sum exactly to the total.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ATTRIBUTION_MODELS, AttributionQuery, type AttributionModel, type AttributionReport } from '../../contracts/analytics.ts';
import { CHANNEL_LABELS, type CampaignChannel } from '../../contracts/plan.ts';
import { allocateCents, MarkovChainCounts, modelWeights, type JourneyTouch } from './models.ts';
import { keyExpr, touchScope } from './keys.ts';
import { addNonConverting } from './markov-paths.ts';
import { positionReport, type PositionModel } from './attribution-position.ts';
import { and, contactFilters, loadSettings, resolvedTouches, touchSource, windowOf, WS } from './query.ts';

/** The deals of the window with their amount in cents and when they converted (won, or created for pipeline). */
export function dealWindow(q: AttributionQuery, filters: SQL[]): SQL {
  const w = windowOf(q);
  const conv =
    q.basis === 'won'
      ? sql`coalesce(d.won_at, d.closed_at, ((d.close_date + 1)::timestamp at time zone ${q.tz}) - interval '1 microsecond', d.updated_at)`
      : sql`d.created_at`;
  const stage = q.basis === 'won' ? sql`d.stage = 'won'` : sql`true`;
  const owner = q.ownerId !== undefined ? sql`d.owner_id = ${q.ownerId}` : sql`true`;
  const contactCond = filters.length ? sql`exists (select 1 from deal_contacts fdc where fdc.deal_id = d.id and ${and(filters)})` : sql`true`;
  return sql`(select d.id, round(d.amount * 100)::bigint as cents, ${conv} as conv_at from deals d
              where d.workspace_id = ${WS} and ${stage} and ${owner} and ${contactCond}
                and ${conv} >= ${w.start} and ${conv} < ${w.end})`;
}

/** CTEs dl (the window's deals) and jt (each deal's touches in the lookback up to its conversion: deal_id, k, occurred_at, source_key). */
export function dealTouches(q: AttributionQuery, filters: SQL[], source: 'rollup' | 'raw', lookback: SQL): SQL {
  return sql`dl as ${dealWindow(q, filters)},
    jt as (
      select distinct on (dl.id, t.source_key) dl.id as deal_id, ${keyExpr(q.groupBy)} as k, t.occurred_at, t.source_key
      from dl join deal_contacts dc on dc.deal_id = dl.id
      join ${resolvedTouches(source)} t on t.contact_id = dc.contact_id and t.occurred_at <= dl.conv_at and t.occurred_at > dl.conv_at - ${lookback}
      where ${touchScope(q.groupBy)}
    )`;
}

interface TouchRow {
  deal_id: string;
  cents: string;
  conv_ms: string;
  k: string | null;
  at_ms: string | null;
}

export async function labelsFor(db: Queryable, keys: string[]): Promise<Map<string, { label: string; campaignId: number | null; contentItemId: number | null }>> {
  const campaignIds = keys.filter((k) => k.startsWith('campaign:')).map((k) => Number(k.slice(9)));
  const itemIds = keys.filter((k) => k.startsWith('content:')).map((k) => Number(k.slice(8)));
  const [camps, items] = await Promise.all([
    campaignIds.length ? db.execute(sql`select id, name from campaigns where id = any(${sql.param(campaignIds)}::bigint[])`) : { rows: [] },
    itemIds.length ? db.execute(sql`select id, title from content_items where id = any(${sql.param(itemIds)}::int[])`) : { rows: [] },
  ]);
  const cName = new Map((camps.rows as { id: string | number; name: string }[]).map((r) => [Number(r.id), r.name]));
  const iName = new Map((items.rows as { id: number; title: string }[]).map((r) => [Number(r.id), r.title]));
  const out = new Map<string, { label: string; campaignId: number | null; contentItemId: number | null }>();
  for (const k of keys) {
    if (k === '(none)') out.set(k, { label: 'No tracked touch', campaignId: null, contentItemId: null });
    else if (k.startsWith('campaign:')) {
      const id = Number(k.slice(9));
      out.set(k, { label: cName.get(id) ?? `Campaign #${id}`, campaignId: id, contentItemId: null });
    } else if (k.startsWith('content:')) {
      const id = Number(k.slice(8));
      out.set(k, { label: iName.get(id) ?? `Content #${id}`, campaignId: null, contentItemId: id });
    } else if (k.startsWith('utm:')) out.set(k, { label: `${k.slice(4)} (UTM code, no campaign)`, campaignId: null, contentItemId: null });
    else if (k.startsWith('channel:')) out.set(k, { label: CHANNEL_LABELS[k.slice(8) as CampaignChannel] ?? k.slice(8), campaignId: null, contentItemId: null });
    else if (k === 'content') out.set(k, { label: 'Content (no campaign)', campaignId: null, contentItemId: null });
    else out.set(k, { label: k.startsWith('kind:') ? `${k.slice(5)} (no campaign)` : k, campaignId: null, contentItemId: null });
  }
  return out;
}

export async function attribution({ ctx, input }: { ctx: Pick<Ctx, 'db'>; input: unknown }): Promise<AttributionReport> {
  const q = AttributionQuery.parse(input);
  const db = ctx.db;
  const models: readonly AttributionModel[] = q.model ? [q.model] : ATTRIBUTION_MODELS;
  const settings = await loadSettings(db);
  const source = await touchSource(db, q.source);
  const filters = await contactFilters(db, q, sql`fdc.contact_id`, source);
  const lookback = sql`(${settings.lookbackDays} * interval '1 day')`;

  // First / last touch alone: credited in SQL, no journey leaves the database (./attribution-position.ts).
  if (models.every((m) => m === 'first' || m === 'last')) return positionReport(db, q, models as PositionModel[], { source, filters, lookback, halfLifeDays: settings.halfLifeDays });

  // Every deal of the window with its touches (a deal without any: one row with k null), oldest first.
  const res = await db.execute(sql`
    with ${dealTouches(q, filters, source, lookback)}
    select dl.id::text as deal_id, dl.cents::text as cents, (extract(epoch from dl.conv_at) * 1000)::bigint::text as conv_ms,
           jt.k, (extract(epoch from jt.occurred_at) * 1000)::bigint::text as at_ms
    from dl left join jt on jt.deal_id = dl.id
    order by dl.id, jt.occurred_at, jt.source_key`);
  const rows = res.rows as unknown as TouchRow[];

  interface Journey { id: number; cents: number; conv: number; touches: JourneyTouch[] }
  const journeys: Journey[] = [];
  for (const r of rows) {
    const id = Number(r.deal_id);
    let j = journeys[journeys.length - 1];
    if (!j || j.id !== id) journeys.push((j = { id, cents: Number(r.cents), conv: Number(r.conv_ms), touches: [] }));
    if (r.k !== null) j.touches.push({ at: Number(r.at_ms), state: r.k });
  }

  // W-shaped milestone: when the deal's first contact became a lead.
  const ids = models.includes('w_shaped') ? journeys.filter((j) => j.touches.length > 3).map((j) => j.id) : [];
  const milestones = new Map<number, number>();
  if (ids.length) {
    const m = await db.execute(sql`
      select dc.deal_id::text as id, (extract(epoch from min(lt.occurred_at)) * 1000)::bigint::text as at
      from deal_contacts dc join lifecycle_transitions lt on lt.contact_id = dc.contact_id and lt.to_stage in ('lead', 'marketing_qualified')
      where dc.deal_id = any(${sql.param(ids)}::bigint[]) group by dc.deal_id`);
    for (const r of m.rows as { id: string; at: string }[]) milestones.set(Number(r.id), Number(r.at));
  }

  // Markov: converting journeys are the deals; the others are the filtered contacts touched in the window
  // (lookback included) who are on none of these deals (./markov-paths.ts).
  let removal = new Map<string, number>();
  if (models.includes('markov')) {
    const chain = new MarkovChainCounts();
    for (const j of journeys) chain.addPath(j.touches.map((t) => t.state), true);
    await addNonConverting(chain, db, q, source, filters, lookback);
    removal = chain.removalEffects();
  }

  const credit = new Map<string, { credits: Record<string, number>; deals: Set<number>; touches: number }>();
  const bucket = (k: string) => {
    let b = credit.get(k);
    if (!b) credit.set(k, (b = { credits: Object.fromEntries(models.map((m) => [m, 0])), deals: new Set(), touches: 0 }));
    return b;
  };
  let totalCents = 0;
  for (const j of journeys) {
    totalCents += j.cents;
    if (!j.touches.length) {
      const b = bucket('(none)');
      b.deals.add(j.id);
      for (const m of models) b.credits[m]! += j.cents;
      continue;
    }
    for (const t of j.touches) {
      const b = bucket(t.state);
      b.deals.add(j.id);
      b.touches++;
    }
    for (const m of models) {
      const weights = modelWeights(m, j.touches, { conversionAt: j.conv, halfLifeDays: settings.halfLifeDays, milestoneAt: milestones.get(j.id) ?? null, removal });
      const cents = allocateCents(j.cents, weights);
      j.touches.forEach((t, i) => (bucket(t.state).credits[m]! += cents[i]!));
    }
  }

  const primary = models.includes('linear') ? 'linear' : models[0]!;
  const labels = await labelsFor(db, [...new Set([...credit.keys(), ...removal.keys()])]);
  const rowsOut = [...credit.entries()]
    .map(([k, b]) => ({ key: k, ...labels.get(k)!, credits: b.credits, deals: b.deals.size, touches: b.touches }))
    .sort((a, b) => b.credits[primary]! - a.credits[primary]! || a.key.localeCompare(b.key));
  return {
    from: q.from,
    to: q.to,
    tz: q.tz,
    basis: q.basis,
    groupBy: q.groupBy,
    source,
    halfLifeDays: settings.halfLifeDays,
    totalCents,
    deals: journeys.length,
    dealsWithTouches: journeys.filter((j) => j.touches.length).length,
    rows: rowsOut,
    removalEffects: [...removal.entries()].map(([k, e]) => ({ key: k, label: labels.get(k)!.label, effect: e })).sort((a, b) => b.effect - a.effect),
  };
}
