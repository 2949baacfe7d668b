// Reading objectives: the tree with every KPI's actual vs target, progress rolled up the tree, the SMART check
// and the at-risk flag (math in ./objectives-math.ts), and one objective's page (KPI trends per week, check-ins,
// children, ancestors, initiatives, campaigns). Catalog KPIs are computed over the objective's period up to today.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ObjectiveTreeQuery, type Checkin, type Kpi, type KpiDetail, type ObjectiveDetail, type ObjectiveNode, type ObjectiveTree } from '../../contracts/objectives.ts';
import { NotFoundError } from '../../errors.ts';
import { users } from '../identity/schema.ts';
import './metrics/catalog.ts';
import { getMetric } from './metrics/registry.ts';
import { AT_RISK_THRESHOLD, atRisk, elapsedShare, kpiProgress, periodRange, rollUp, smartCheck, weekEnds } from './objectives-math.ts';
import { toInitiativeDtos } from './objectives-initiatives.ts';
import { WS } from './objectives.ts';
import { campaigns } from './schema.ts';
import { initiatives, kpiCheckins, objectiveKpis, objectives, type ObjectiveKpiRow, type ObjectiveRow } from './schema-objectives.ts';

const today = (now: Date) => now.toISOString().slice(0, 10);
type Window = { from: string; to: string } | null;

/** The window a KPI is measured over: the objective's period (else the tree's), cut at today. */
function kpiWindow(o: ObjectiveRow, treePeriod: Window, now: Date): { window: Window; note: string | null } {
  const from = o.periodStart ?? treePeriod?.from ?? null;
  const to = o.periodEnd ?? treePeriod?.to ?? null;
  if (!from || !to) return { window: null, note: 'The objective has no period' };
  if (from > today(now)) return { window: null, note: `The period starts on ${from}` };
  return { window: { from, to: to < today(now) ? to : today(now) }, note: null };
}

class MetricCache {
  private m = new Map<string, Promise<number | null>>();
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }
  value(k: ObjectiveKpiRow, from: string, to: string): Promise<number | null> {
    const metric = getMetric(k.metricKey ?? '');
    if (!metric) return Promise.resolve(null);
    const key = JSON.stringify([k.metricKey, k.filters, from, to]);
    let p = this.m.get(key);
    if (!p) this.m.set(key, (p = metric.compute({ ctx: { db: this.db as Ctx['db'] }, from, to, filters: k.filters })));
    return p;
  }
}

/** Latest check-in value at or before the end of `to` (any when to is null), per KPI. */
async function latestCheckins(db: Queryable, kpiIds: number[], to: string | null): Promise<Map<number, { value: number; count: number }>> {
  if (!kpiIds.length) return new Map();
  const end = to ? sql`and c.at < (${to}::date + 1)::timestamptz` : sql``;
  const res = await db.execute(sql`
    select k.id, (select c.value from kpi_checkins c where c.kpi_id = k.id ${end} order by c.at desc, c.id desc limit 1)::float8 as value,
           (select count(*) from kpi_checkins c where c.kpi_id = k.id)::int as count
    from objective_kpis k where k.id = any(${sql.param(kpiIds)}::bigint[])`);
  return new Map((res.rows as { id: string | number; value: number | null; count: number }[]).map((r) => [Number(r.id), { value: r.value === null ? NaN : Number(r.value), count: r.count }]));
}

async function kpiDto(k: ObjectiveKpiRow, o: ObjectiveRow, treePeriod: Window, now: Date, cache: MetricCache, checkins: Map<number, { value: number; count: number }>): Promise<Kpi> {
  const metric = k.source === 'metric' ? getMetric(k.metricKey ?? '') : undefined;
  const kind = metric?.kind ?? 'level';
  const { window, note: windowNote } = kpiWindow(o, treePeriod, now);
  let actual: number | null = null;
  let note: string | null = null;
  const ck = checkins.get(k.id);
  if (k.source === 'metric') {
    if (!metric) note = `Metric "${k.metricKey}" is not in the catalog`;
    else if (!window) note = windowNote;
    else {
      try {
        actual = await cache.value(k, window.from, window.to);
      } catch (err) {
        note = `Could not compute: ${(err as Error).message}`;
      }
      if (actual === null && !note) note = 'No data in the period yet';
    }
  } else {
    actual = ck && !Number.isNaN(ck.value) ? ck.value : null;
    if (actual === null) note = ck?.count ? 'No check-in before the end of the period' : 'No check-in yet';
  }
  const progress = kpiProgress({ kind, baseline: k.baseline, target: k.target, direction: k.direction, actual });
  if (progress === null && actual !== null && k.target === null) note = 'No target';
  return {
    id: k.id,
    objectiveId: k.objectiveId,
    name: k.name,
    source: k.source,
    metricKey: k.metricKey,
    metricLabel: metric?.label ?? null,
    filters: k.filters,
    unit: metric?.unit ?? k.unit,
    kind,
    baseline: k.baseline,
    target: k.target,
    direction: k.direction,
    actual,
    progress,
    checkins: ck?.count ?? 0,
    note,
  };
}

interface Built {
  nodes: Map<number, ObjectiveNode>;
  roots: ObjectiveNode[];
  rows: ObjectiveRow[];
  kpiRows: ObjectiveKpiRow[];
  cache: MetricCache;
}

async function build(db: Queryable, rows: ObjectiveRow[], treePeriod: Window, now: Date): Promise<Built> {
  const ids = rows.map((r) => r.id);
  const kpiRows = ids.length ? await db.select().from(objectiveKpis).where(inArray(objectiveKpis.objectiveId, ids)).orderBy(asc(objectiveKpis.id)) : [];
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is number => x !== null))];
  const owners = ownerIds.length ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ownerIds)) : [];
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const cache = new MetricCache(db);
  const byObjective = new Map<number, ObjectiveKpiRow[]>();
  for (const k of kpiRows) byObjective.set(k.objectiveId, [...(byObjective.get(k.objectiveId) ?? []), k]);
  const nodes = new Map<number, ObjectiveNode>();
  for (const o of rows) {
    const { window } = kpiWindow(o, treePeriod, now);
    const ks = byObjective.get(o.id) ?? [];
    const checkins = await latestCheckins(db, ks.filter((k) => k.source === 'manual').map((k) => k.id), window?.to ?? null);
    const kpis: Kpi[] = [];
    for (const k of ks) kpis.push(await kpiDto(k, o, treePeriod, now, cache, checkins));
    const smart = smartCheck({
      level: o.level,
      parentId: o.parentId,
      ownerId: o.ownerId,
      periodStart: o.periodStart,
      periodEnd: o.periodEnd,
      kpis: kpis.map((k) => ({ name: k.name, source: k.source, metricKey: k.metricKey, metricKnown: k.source === 'manual' || k.metricLabel !== null, baseline: k.baseline, target: k.target, direction: k.direction, checkins: k.checkins })),
    });
    nodes.set(o.id, {
      id: o.id,
      parentId: o.parentId,
      level: o.level,
      title: o.title,
      description: o.description,
      owner: o.ownerId === null ? null : (ownerMap.get(o.ownerId) ?? null),
      periodStart: o.periodStart,
      periodEnd: o.periodEnd,
      status: o.status,
      kpis,
      smart,
      progress: null,
      elapsed: elapsedShare(o.periodStart, o.periodEnd, now),
      atRisk: false,
      atRiskReason: null,
      atRiskBelow: 0,
      children: [],
    });
  }
  const roots: ObjectiveNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  // Post-order: children first, then the node's own KPIs and children weighted equally.
  const visit = (n: ObjectiveNode): void => {
    n.children.sort((a, b) => a.title.localeCompare(b.title));
    n.children.forEach(visit);
    n.progress = rollUp([...n.kpis.map((k) => k.progress), ...n.children.map((c) => c.progress)]);
    const risk = atRisk(n);
    n.atRisk = risk.atRisk;
    n.atRiskReason = risk.reason;
    n.atRiskBelow = n.children.reduce((s, c) => s + c.atRiskBelow + (c.atRisk ? 1 : 0), 0);
  };
  roots.sort((a, b) => (a.periodStart ?? '').localeCompare(b.periodStart ?? '') || a.title.localeCompare(b.title));
  roots.forEach(visit);
  return { nodes, roots, rows, kpiRows, cache };
}

/** The objective tree (all objectives, or those whose period overlaps `period`; undated ones included). */
export async function objectiveTree({ ctx, input, now = new Date() }: { ctx: Pick<Ctx, 'db'>; input: unknown; now?: Date }): Promise<ObjectiveTree> {
  const q = ObjectiveTreeQuery.parse(input ?? {});
  const period = q.period ? { code: q.period, ...periodRange(q.period) } : null;
  const conds = [eq(objectives.workspaceId, WS)];
  if (period) conds.push(sql`(${objectives.periodStart} is null or ${objectives.periodStart} <= ${period.to}) and (${objectives.periodEnd} is null or ${objectives.periodEnd} >= ${period.from})`);
  const rows = await ctx.db.select().from(objectives).where(and(...conds)).orderBy(asc(objectives.id));
  const { roots, nodes } = await build(ctx.db, rows, period, now);
  const all = [...nodes.values()];
  return {
    period,
    atRiskThreshold: AT_RISK_THRESHOLD,
    roots,
    summary: { objectives: all.length, smart: all.filter((n) => n.smart.ok).length, atRisk: all.filter((n) => n.atRisk).length, owned: all.filter((n) => n.owner !== null).length },
  };
}

async function trendOf(db: Queryable, k: Kpi, row: ObjectiveKpiRow, o: ObjectiveRow, now: Date, cache: MetricCache): Promise<{ weekEnd: string; value: number | null }[]> {
  const { window } = kpiWindow(o, null, now);
  if (!window) return [];
  const ends = weekEnds(window.from, window.to, today(now));
  if (k.source === 'metric') {
    const out: { weekEnd: string; value: number | null }[] = [];
    for (const e of ends) out.push({ weekEnd: e, value: await cache.value(row, window.from, e).catch(() => null) });
    return out;
  }
  const res = await db.execute(sql`
    select e::date::text as week_end, (select c.value from kpi_checkins c where c.kpi_id = ${k.id} and c.at < (e::date + 1)::timestamptz order by c.at desc, c.id desc limit 1)::float8 as value
    from unnest(${sql.param(ends)}::date[]) as e order by 1`);
  return (res.rows as { week_end: string; value: number | null }[]).map((r) => ({ weekEnd: r.week_end, value: r.value === null ? null : Number(r.value) }));
}

/** One objective's page: its node (with children and roll-up), KPI trends and check-ins, ancestors, initiatives, campaigns. */
export async function objectiveDetail({ ctx, id, now = new Date() }: { ctx: Pick<Ctx, 'db'>; id: number; now?: Date }): Promise<ObjectiveDetail> {
  const res = await ctx.db.execute(sql`
    with recursive down as (select id from objectives where id = ${id} and workspace_id = ${WS} union all select c.id from objectives c join down on c.parent_id = down.id)
    select id from down`);
  const ids = (res.rows as { id: string | number }[]).map((r) => Number(r.id));
  if (!ids.length) throw new NotFoundError('Objective', id);
  const rows = await ctx.db.select().from(objectives).where(inArray(objectives.id, ids));
  const built = await build(ctx.db, rows, null, now);
  const node = built.nodes.get(id)!;
  const row = rows.find((r) => r.id === id)!;
  const anc = await ctx.db.execute(sql`
    with recursive up as (select id, parent_id, title, level, 0 as depth from objectives where id = ${row.parentId ?? 0}
      union all select p.id, p.parent_id, p.title, p.level, up.depth + 1 from objectives p join up on p.id = up.parent_id)
    select id, title, level from up order by depth desc`);
  const ckRows = node.kpis.length
    ? await ctx.db
        .select({ c: kpiCheckins, by: { id: users.id, name: users.name, email: users.email } })
        .from(kpiCheckins)
        .leftJoin(users, eq(users.id, kpiCheckins.byUserId))
        .where(inArray(kpiCheckins.kpiId, node.kpis.map((k) => k.id)))
        .orderBy(desc(kpiCheckins.at), desc(kpiCheckins.id))
    : [];
  const kpis: KpiDetail[] = [];
  for (const k of node.kpis) {
    const checkinList: Checkin[] = ckRows
      .filter((r) => r.c.kpiId === k.id)
      .slice(0, 100)
      .map((r) => ({ id: r.c.id, kpiId: r.c.kpiId, value: Number(r.c.value), at: r.c.at.toISOString(), note: r.c.note, by: r.by?.id ? r.by : null }));
    kpis.push({ ...k, trend: await trendOf(ctx.db, k, built.kpiRows.find((x) => x.id === k.id)!, row, now, built.cache), checkinList });
  }
  const initRows = await ctx.db.select().from(initiatives).where(eq(initiatives.objectiveId, id)).orderBy(asc(initiatives.startDate), asc(initiatives.id));
  const campRows = await ctx.db
    .select({ id: campaigns.id, name: campaigns.name, utmCampaign: campaigns.utmCampaign, status: campaigns.status, startDate: campaigns.startDate, endDate: campaigns.endDate, budget: campaigns.budget, initiativeId: campaigns.initiativeId })
    .from(campaigns)
    .where(eq(campaigns.objectiveId, id))
    .orderBy(asc(campaigns.startDate), asc(campaigns.id));
  return {
    objective: node,
    ancestors: (anc.rows as { id: string | number; title: string; level: ObjectiveNode['level'] }[]).map((a) => ({ id: Number(a.id), title: a.title, level: a.level })),
    kpis,
    initiatives: await toInitiativeDtos(ctx.db, initRows),
    campaigns: campRows.map((c) => ({ ...c, budget: c.budget === null ? null : Number(c.budget) })),
  };
}
