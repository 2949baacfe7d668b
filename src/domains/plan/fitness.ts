// The marketing fitness test (seed 004): four yes/no questions, each answered from data with its evidence and the
// threshold used. A question is "yes" when every evidence that has data meets its threshold, "no" when one does not,
// "no_data" when none has data. Snapshots (fitness_snapshots) keep the history: a daily job and on demand.
import { and, desc, eq, sql } from 'drizzle-orm';
import { systemActor, withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import type { FitnessEvidence, FitnessQuestion, FitnessScorecard } from '../../contracts/spend.ts';
import { recordAudit } from '../identity/audit.ts';
import { smartCheck, type KpiForMath } from './objectives-math.ts';
import './metrics/catalog.ts';
import './metrics-spend.ts';
import { getMetric } from './metrics/registry.ts';
import { spendLinkage } from './random-acts.ts';
import { fitnessSnapshots } from './schema-spend.ts';

const WS = 1;
const DAY = 86_400_000;

/** Thresholds (shown with each answer). */
export const FITNESS_THRESHOLDS = {
  programShare: 0.5,
  templateShare: 0.9,
  smartShare: 0.8,
  linkedSpendShare: 0.8,
  segmentedIcpShare: 0.5,
  vocEntries: 10,
  leadToSalesReadyYield: 0.1,
  leadToSalesReadyDays: 30,
} as const;
const T = FITNESS_THRESHOLDS;

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const ratio = (k: number, n: number) => (n > 0 ? k / n : null);

function answerOf(evidence: FitnessEvidence[]): FitnessQuestion['answer'] {
  const judged = evidence.filter((e) => e.met !== null);
  if (!judged.length) return 'no_data';
  return judged.every((e) => e.met) ? 'yes' : 'no';
}

async function repeatable(db: Queryable, since: Date): Promise<FitnessQuestion> {
  const res = await db.execute(sql`
    select count(*)::int as sends, count(*) filter (where program_id is not null)::int as programs, count(*) filter (where template_id is not null)::int as templates
    from email_messages where workspace_id = ${WS} and not is_test and sent_at is not null and sent_at >= ${since.toISOString()}`);
  const r = res.rows[0] as { sends: number; programs: number; templates: number };
  const p = ratio(r.programs, r.sends);
  const t = ratio(r.templates, r.sends);
  const evidence: FitnessEvidence[] = [
    { label: 'Email sends in the last 90 days', value: r.sends, display: String(r.sends), threshold: 'information', met: null },
    { label: 'Share of sends from nurture programs', value: p, display: r.sends ? `${pct(p)} (${r.programs} of ${r.sends})` : 'no data: no email sent in 90 days', threshold: `≥ ${pct(T.programShare)}`, met: p === null ? null : p >= T.programShare },
    { label: 'Share of sends from saved templates', value: t, display: r.sends ? `${pct(t)} (${r.templates} of ${r.sends})` : 'no data: no email sent in 90 days', threshold: `≥ ${pct(T.templateShare)}`, met: t === null ? null : t >= T.templateShare },
  ];
  return {
    key: 'repeatable',
    question: 'Do you follow a scalable marketing process, built on operational consistency and repeatability?',
    answer: answerOf(evidence),
    evidence,
    note: r.sends ? 'Repeatable demand creation runs through programs and templates rather than one-off sends.' : 'No data: no email was sent in the last 90 days, so the process cannot be judged from sends.',
  };
}

async function accountable(db: Queryable, now: Date): Promise<FitnessQuestion> {
  const objs = (await db.execute(sql`
    select o.id, o.level, o.parent_id, o.owner_id, o.period_start::text as period_start, o.period_end::text as period_end
    from objectives o where o.workspace_id = ${WS} and o.status = 'active'`)).rows as { id: number; level: 'company'; parent_id: number | null; owner_id: number | null; period_start: string | null; period_end: string | null }[];
  const kpis = (await db.execute(sql`
    select k.objective_id, k.name, k.source, k.metric_key, k.baseline::float8 as baseline, k.target::float8 as target, k.direction,
           (select count(*)::int from kpi_checkins c where c.kpi_id = k.id) as checkins
    from objective_kpis k join objectives o on o.id = k.objective_id where o.workspace_id = ${WS} and o.status = 'active'`)).rows as {
    objective_id: number; name: string; source: 'metric' | 'manual'; metric_key: string | null; baseline: number | null; target: number | null; direction: 'up' | 'down'; checkins: number;
  }[];
  let smart = 0;
  for (const o of objs) {
    const ks: KpiForMath[] = kpis
      .filter((k) => Number(k.objective_id) === Number(o.id))
      .map((k) => ({ name: k.name, source: k.source, metricKey: k.metric_key, metricKnown: !!(k.metric_key && getMetric(k.metric_key)), baseline: k.baseline, target: k.target, direction: k.direction, checkins: k.checkins }));
    if (smartCheck({ level: o.level, parentId: o.parent_id, ownerId: o.owner_id, periodStart: o.period_start, periodEnd: o.period_end, kpis: ks }).ok) smart++;
  }
  const s = ratio(smart, objs.length);
  const from = new Date(now.getTime() - 365 * DAY).toISOString().slice(0, 7) + '-01';
  const spend = await spendLinkage(db, from);
  const linked = spend.total > 0 ? (spend.total - spend.unlinked) / spend.total : null;
  const evidence: FitnessEvidence[] = [
    {
      label: 'Active objectives that pass the SMART check (specific, measurable, time-bound, owned, relevant, target beyond baseline)',
      value: objs.length ? s : 0,
      display: objs.length ? `${pct(s)} (${smart} of ${objs.length})` : 'no active objectives',
      threshold: `≥ ${pct(T.smartShare)}`,
      met: objs.length ? s! >= T.smartShare : false,
    },
    {
      label: 'Spend of the last 12 months linked to an objective (through its campaign or tool)',
      value: linked,
      display: linked === null ? 'no data: no cost lines' : `${pct(linked)} (${Math.round(spend.total - spend.unlinked).toLocaleString('en-US')} of ${Math.round(spend.total).toLocaleString('en-US')})`,
      threshold: `≥ ${pct(T.linkedSpendShare)}`,
      met: linked === null ? null : linked >= T.linkedSpendShare,
    },
  ];
  return {
    key: 'accountable',
    question: 'Do you and your team operate on accountability: SMART goals and role clarity (goals, objectives, KPIs)?',
    answer: answerOf(evidence),
    evidence,
    note: objs.length ? 'Every objective should be SMART and owned, and every dollar should serve one.' : 'No active objective: nobody is accountable for a measured goal yet.',
  };
}

async function marketDriven(db: Queryable, since: Date): Promise<FitnessQuestion> {
  const res = await db.execute(sql`
    select (select count(*)::int from contacts where workspace_id = ${WS}) as contacts,
           (select count(*)::int from contacts c where c.workspace_id = ${WS}
              and exists (select 1 from segment_members m join segments s on s.id = m.segment_id where m.contact_id = c.id and s.status = 'active' and coalesce(btrim(s.need), '') <> '')
              and exists (select 1 from contact_scores cs join icp_definitions i on i.fit_model_id = cs.model_id where cs.contact_id = c.id and cs.grade is not null)) as covered,
           (select count(*)::int from field_intel where workspace_id = ${WS} and created_at >= ${since.toISOString()}) as intel,
           (select count(*)::int from content_ratings where workspace_id = ${WS} and updated_at >= ${since.toISOString()} and coalesce(btrim(comment), '') <> '') as feedback`);
  const r = res.rows[0] as { contacts: number; covered: number; intel: number; feedback: number };
  const share = ratio(r.covered, r.contacts);
  const voc = r.intel + r.feedback;
  const evidence: FitnessEvidence[] = [
    {
      label: 'Contacts in a need-based segment and graded against an ICP',
      value: share,
      display: r.contacts ? `${pct(share)} (${r.covered} of ${r.contacts})` : 'no data: no contacts',
      threshold: `≥ ${pct(T.segmentedIcpShare)}`,
      met: share === null ? null : share >= T.segmentedIcpShare,
    },
    {
      label: 'Voice of the customer captured in the last 90 days (field intel + content feedback with a comment)',
      value: voc,
      display: `${voc} (${r.intel} field intel, ${r.feedback} feedback comments)`,
      threshold: `≥ ${T.vocEntries}`,
      met: r.contacts ? voc >= T.vocEntries : null,
    },
  ];
  return {
    key: 'market_driven',
    question: 'Is your approach market-driven: value- and segment-aligned, and voice-of-the-customer driven?',
    answer: answerOf(evidence),
    evidence,
    note: 'Markets by the job to be done, segments by needs, ICP fit, and what customers tell sales and rate in content.',
  };
}

async function efficient(db: Queryable, now: Date): Promise<FitnessQuestion> {
  const since180 = new Date(now.getTime() - 180 * DAY).toISOString();
  const since90 = new Date(now.getTime() - 90 * DAY).toISOString();
  const later = ['sales_ready', 'sales_accepted', 'opportunity', 'customer'];
  const res = await db.execute(sql`
    with cohort as (
      select contact_id, min(occurred_at) as at from lifecycle_transitions where workspace_id = ${WS} and to_stage = 'lead' and occurred_at >= ${since180} group by contact_id)
    select (select count(*)::int from cohort) as leads,
           (select count(*)::int from cohort c where exists (select 1 from lifecycle_transitions u where u.contact_id = c.contact_id and u.to_stage = any(${sql.param(later)}::text[]) and u.occurred_at >= c.at)) as ready,
           (select percentile_cont(0.5) within group (order by extract(epoch from (t.occurred_at - p.at)) / 86400)::float8
              from lifecycle_transitions t
              cross join lateral (select max(u.occurred_at) as at from lifecycle_transitions u where u.contact_id = t.contact_id and u.to_stage = 'lead' and u.occurred_at <= t.occurred_at) p
              where t.workspace_id = ${WS} and t.to_stage = 'sales_ready' and t.occurred_at >= ${since90} and p.at is not null) as days`);
  const r = res.rows[0] as { leads: number; ready: number; days: number | null };
  const y = ratio(r.ready, r.leads);
  const days = r.days === null ? null : Math.round(Number(r.days) * 10) / 10;
  const evidence: FitnessEvidence[] = [];
  // Targets set on objectives (velocity / conversion KPIs) win over the defaults.
  const targets = (await db.execute(sql`
    select k.name, k.metric_key, k.target::float8 as target, k.direction, o.title from objective_kpis k join objectives o on o.id = k.objective_id
    where o.workspace_id = ${WS} and o.status = 'active' and k.source = 'metric' and k.target is not null and (k.metric_key like 'velocity.%' or k.metric_key like 'conversion.%')
    order by o.id, k.id limit 10`)).rows as { name: string; metric_key: string; target: number; direction: 'up' | 'down'; title: string }[];
  const from = since90.slice(0, 10);
  const to = now.toISOString().slice(0, 10);
  for (const k of targets) {
    const m = getMetric(k.metric_key);
    if (!m) continue;
    const v = await m.compute({ ctx: { db } as never, from, to, filters: {} });
    const unit = m.unit === '%' ? '%' : ` ${m.unit}`;
    evidence.push({
      label: `${m.label} (KPI "${k.name}" of objective "${k.title}", last 90 days)`,
      value: v,
      display: v === null ? 'no data' : `${v}${unit}`,
      threshold: `${m.better === 'down' ? '≤' : '≥'} ${k.target}${unit} (the KPI's target)`,
      met: v === null ? null : m.better === 'down' ? v <= k.target : v >= k.target,
    });
  }
  if (!evidence.length) {
    evidence.push(
      {
        label: 'Yield: leads of the last 180 days that reached sales-ready or beyond',
        value: y,
        display: r.leads ? `${pct(y)} (${r.ready} of ${r.leads})` : 'no data: no new leads in 180 days',
        threshold: `≥ ${pct(T.leadToSalesReadyYield)} (default; set a conversion KPI target on an objective to use yours)`,
        met: y === null ? null : y >= T.leadToSalesReadyYield,
      },
      {
        label: 'Velocity: median days from lead to sales-ready (sales-ready in the last 90 days)',
        value: days,
        display: days === null ? 'no data: nobody became sales-ready in 90 days' : `${days} days`,
        threshold: `≤ ${T.leadToSalesReadyDays} days (default; set a velocity KPI target on an objective to use yours)`,
        met: days === null ? null : days <= T.leadToSalesReadyDays,
      },
    );
  }
  return {
    key: 'efficient',
    question: 'Has your team achieved efficient execution: cross-functional alignment and maximum velocity and yield in demand creation?',
    answer: answerOf(evidence),
    evidence,
    note: 'Velocity and yield of the funnel from lead to sales-ready, against the targets you set (or defaults).',
  };
}

export async function fitnessScorecard({ ctx, now = new Date() }: { ctx: Pick<Ctx, 'db'>; now?: Date }): Promise<FitnessScorecard> {
  const since = new Date(now.getTime() - 90 * DAY);
  const questions = [await repeatable(ctx.db, since), await accountable(ctx.db, now), await marketDriven(ctx.db, since), await efficient(ctx.db, now)];
  return { takenAt: now.toISOString(), yesCount: questions.filter((q) => q.answer === 'yes').length, questions };
}

/** Computes the scorecard and stores it. The daily job skips a day that already has a daily snapshot. */
export async function takeFitnessSnapshot({ ctx, trigger, now = new Date() }: { ctx: Ctx; trigger: 'daily' | 'manual'; now?: Date }): Promise<FitnessScorecard | null> {
  const day = now.toISOString().slice(0, 10);
  if (trigger === 'daily') {
    const [done] = await ctx.db.select({ id: fitnessSnapshots.id }).from(fitnessSnapshots).where(and(eq(fitnessSnapshots.workspaceId, WS), eq(fitnessSnapshots.day, day), eq(fitnessSnapshots.trigger, 'daily')));
    if (done) return null;
  }
  const card = await fitnessScorecard({ ctx, now });
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.insert(fitnessSnapshots).values({ workspaceId: WS, takenAt: now, day, trigger, yesCount: card.yesCount, scorecard: card, createdBy: ctx.actor.userId }).returning({ id: fitnessSnapshots.id });
    await recordAudit(tx, ctx.actor, { action: 'fitness.snapshot', entityType: 'fitness_snapshot', entityId: row!.id, summary: `Marketing fitness test: ${card.yesCount} of 4 yes (${trigger})` });
  });
  return card;
}

export async function fitnessHistory({ ctx, limit = 90 }: { ctx: Pick<Ctx, 'db'>; limit?: number }) {
  const rows = await ctx.db.select().from(fitnessSnapshots).where(eq(fitnessSnapshots.workspaceId, WS)).orderBy(desc(fitnessSnapshots.takenAt), desc(fitnessSnapshots.id)).limit(limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      takenAt: r.takenAt.toISOString(),
      trigger: r.trigger,
      yesCount: r.yesCount,
      answers: Object.fromEntries((r.scorecard as FitnessScorecard).questions.map((q) => [q.key, q.answer])),
    })),
  };
}

export const FITNESS_QUEUE = 'plan.fitness.daily';
export function fitnessWorkers(deps: { db: Ctx['db']; log: Ctx['log'] }) {
  return [
    {
      queue: FITNESS_QUEUE,
      schedule: '15 3 * * *',
      concurrency: 1,
      queueOptions: { retryLimit: 2, expireInSeconds: 600 },
      handler: async () => {
        const card = await takeFitnessSnapshot({ ctx: { db: deps.db, actor: systemActor, log: deps.log } as Ctx, trigger: 'daily' });
        if (card) deps.log.info({ yes: card.yesCount }, 'fitness snapshot taken');
      },
    },
  ];
}
