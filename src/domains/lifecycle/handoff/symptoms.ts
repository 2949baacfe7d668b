// The symptoms dashboard: the numbers behind "leads nobody follows up" and "lead quality", exact from the
// handoffs and lifecycle_transitions tables.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../../context.ts';
import { SymptomsQuery, type Symptoms } from '../../../contracts/handoff.ts';

type Rows<T> = { rows: T[] };

export async function getSymptoms({ ctx, input, now = new Date() }: { ctx: Pick<Ctx, 'db'>; input: unknown; now?: Date }): Promise<Symptoms> {
  const q = SymptomsQuery.parse(input ?? {});
  const db = ctx.db;
  const nowIso = now.toISOString();

  // Per rep (the owner while pending; whoever accepted once accepted): pending past the accept SLA, and
  // accepted leads still sales-accepted past the follow-up SLA.
  const notFollowed = (await db.execute(sql`
    with late as (
      select h.owner_id as rep, 1 as pending, 0 as stalled, h.due_at as due
      from handoffs h
      where h.workspace_id = 1 and h.status = 'pending' and h.due_at <= ${nowIso}::timestamptz
      union all
      select coalesce(h.decided_by, h.owner_id), 0, 1, h.follow_up_due_at
      from handoffs h join contacts c on c.id = h.contact_id
      where h.workspace_id = 1 and h.status = 'accepted' and h.follow_up_due_at <= ${nowIso}::timestamptz and c.lifecycle_stage = 'sales_accepted'
    )
    select late.rep as id, coalesce(u.name, 'Unassigned') as name, sum(pending)::int as count, sum(stalled)::int as stalled, min(due) as oldest
    from late left join users u on u.id = late.rep
    group by late.rep, u.name order by count(*) desc, name`)) as Rows<{ id: number | null; name: string; count: number; stalled: number; oldest: Date | null }>;

  const breaches = (await db.execute(sql`
    with b as (
      select h.owner_id as rep, 1 as breach, (h.status = 'pending')::int as still_pending, 0 as follow_up
      from handoffs h where h.workspace_id = 1 and h.breached_at is not null
      union all
      select coalesce(h.decided_by, h.owner_id), 0, 0, 1
      from handoffs h where h.workspace_id = 1 and h.follow_up_breached_at is not null
    )
    select b.rep as id, coalesce(u.name, 'Unassigned') as name, sum(breach)::int as breaches, sum(still_pending)::int as still_pending,
      sum(follow_up)::int as follow_up
    from b left join users u on u.id = b.rep
    group by b.rep, u.name order by count(*) desc, name`)) as Rows<{ id: number | null; name: string; breaches: number; still_pending: number; follow_up: number }>;

  const outcomes = (await db.execute(sql`
    select status, count(*)::int as n from handoffs where workspace_id = 1 group by status`)) as Rows<{ status: string; n: number }>;

  const reasons = (await db.execute(sql`
    select status, trim(reason) as reason, count(*)::int as count from handoffs
    where workspace_id = 1 and status in ('rejected', 'recycled') and reason is not null and trim(reason) <> ''
    group by status, trim(reason) order by count(*) desc, trim(reason) limit 50`)) as Rows<{ status: 'rejected' | 'recycled'; reason: string; count: number }>;

  const recent = (await db.execute(sql`
    select h.id, h.contact_id, h.status, h.reason, h.decided_at, u.name as decided_by,
      coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email) as contact_name
    from handoffs h join contacts c on c.id = h.contact_id left join users u on u.id = h.decided_by
    where h.workspace_id = 1 and h.status <> 'pending' and h.decided_at is not null
    order by h.decided_at desc, h.id desc limit 20`)) as Rows<{
    id: number; contact_id: number; status: 'accepted' | 'rejected' | 'recycled'; reason: string | null; decided_at: Date; decided_by: string | null; contact_name: string;
  }>;

  // Each time a contact became sales-ready, counted in its month; converted if the same contact reached the
  // stage afterwards, before it next became sales-ready (so a recycled and re-qualified lead counts twice).
  const trend = (await db.execute(sql`
    with months as (
      select generate_series(date_trunc('month', ${nowIso}::timestamptz at time zone 'UTC') - make_interval(months => ${q.months - 1}),
                             date_trunc('month', ${nowIso}::timestamptz at time zone 'UTC'), interval '1 month') as m
    ),
    sr as (
      select contact_id, occurred_at, date_trunc('month', occurred_at at time zone 'UTC') as m,
        lead(occurred_at) over (partition by contact_id order by occurred_at, id) as next_at
      from lifecycle_transitions where workspace_id = 1 and to_stage = 'sales_ready'
    ),
    scored as (
      select sr.m,
        exists (select 1 from lifecycle_transitions t where t.contact_id = sr.contact_id and t.to_stage = 'sales_accepted'
                and t.occurred_at >= sr.occurred_at and (sr.next_at is null or t.occurred_at < sr.next_at)) as accepted,
        exists (select 1 from lifecycle_transitions t where t.contact_id = sr.contact_id and t.to_stage in ('opportunity', 'customer')
                and t.occurred_at >= sr.occurred_at and (sr.next_at is null or t.occurred_at < sr.next_at)) as opportunity
      from sr where sr.m >= (select min(m) from months)
    )
    select to_char(months.m, 'YYYY-MM') as month, count(scored.m)::int as sales_ready,
      (count(*) filter (where scored.accepted))::int as accepted, (count(*) filter (where scored.opportunity))::int as opportunity
    from months left join scored on scored.m = months.m
    group by months.m order by months.m`)) as Rows<{ month: string; sales_ready: number; accepted: number; opportunity: number }>;

  const byStatus = Object.fromEntries(outcomes.rows.map((r) => [r.status, Number(r.n)]));
  const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
  return {
    generatedAt: nowIso,
    notFollowedUp: {
      total: notFollowed.rows.reduce((s, r) => s + Number(r.count) + Number(r.stalled), 0),
      byRep: notFollowed.rows.map((r) => ({ id: r.id == null ? null : Number(r.id), name: r.name, count: Number(r.count), stalled: Number(r.stalled), oldestDueAt: iso(r.oldest) })),
    },
    breachesByRep: breaches.rows.map((r) => ({
      id: r.id == null ? null : Number(r.id),
      name: r.name,
      breaches: Number(r.breaches),
      stillPending: Number(r.still_pending),
      handled: Number(r.breaches) - Number(r.still_pending),
      followUpBreaches: Number(r.follow_up),
    })),
    outcomes: { accepted: byStatus.accepted ?? 0, rejected: byStatus.rejected ?? 0, recycled: byStatus.recycled ?? 0, pending: byStatus.pending ?? 0 },
    reasons: reasons.rows.map((r) => ({ status: r.status, reason: r.reason, count: Number(r.count) })),
    recentDecisions: recent.rows.map((r) => ({
      handoffId: Number(r.id),
      contactId: Number(r.contact_id),
      contactName: r.contact_name,
      status: r.status,
      reason: r.reason,
      decidedAt: iso(r.decided_at)!,
      decidedBy: r.decided_by,
    })),
    conversionTrend: trend.rows.map((r) => ({
      month: r.month,
      salesReady: Number(r.sales_ready),
      accepted: Number(r.accepted),
      opportunity: Number(r.opportunity),
      rate: Number(r.sales_ready) ? Math.round((Number(r.opportunity) / Number(r.sales_ready)) * 1000) / 1000 : null,
    })),
  };
}
