// Entry: contacts that meet an active program's entry criteria and its re-entry rule get an enrolment in the
// program's newest version, one INSERT … SELECT per program (run every minute, on activation, and on resume).
// The partial unique index (program, contact) WHERE status = 'active' keeps one running enrolment per contact;
// ended enrolments stay as history, so a recycled lead that re-enters keeps every earlier entry and step run.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.ts';
import type { Condition, Entry, Reentry } from '../../contracts/nurture.ts';
import type { Clock } from './clock.ts';
import { prepareDefinition } from './definitions.ts';
import { nurturePrograms } from './schema.ts';
import { inSegmentSql } from './segments-adapter.ts';

function scoreAtLeast(kind: 'fit' | 'engagement', value: number): SQL {
  return sql`exists (select 1 from contact_scores s join score_models m on m.id = s.model_id
    where s.contact_id = c.id and m.kind = ${kind} and m.is_default and s.score >= ${value})`;
}

/** SQL over `contacts c`: the contact meets the entry criteria. */
export function entrySql(entry: Entry, now: Date): SQL {
  const parts: SQL[] = [];
  if (entry.segmentId !== undefined) parts.push(inSegmentSql(entry.segmentId, sql`c.id`));
  if (entry.stages) parts.push(sql`c.lifecycle_stage = any(${`{${entry.stages.join(',')}}`}::text[])`);
  if (entry.minEngagementScore !== undefined) parts.push(scoreAtLeast('engagement', entry.minEngagementScore));
  if (entry.minFitScore !== undefined) parts.push(scoreAtLeast('fit', entry.minFitScore));
  if (entry.event) {
    const since = new Date(now.getTime() - entry.event.withinDays * 86_400_000).toISOString();
    parts.push(sql`exists (select 1 from events e where e.contact_id = c.id and e.event = ${entry.event.name} and e.timestamp >= ${since}::timestamptz)`);
  }
  if (entry.property) parts.push(sql`c.properties -> ${entry.property.key}::text = ${JSON.stringify(entry.property.value)}::jsonb`);
  return sql.join(parts, sql` and `);
}

/** Exit criteria that need only the contact row (stages) keep such contacts from entering at all. */
export function notExitingSql(exit: Condition[]): SQL {
  const stages = exit.flatMap((c) => (c.kind === 'stage_in' ? c.stages : []));
  return stages.length ? sql`c.lifecycle_stage <> all(${`{${stages.join(',')}}`}::text[])` : sql`true`;
}

/** SQL over `prev` (count n, last_end, running): whether the rule lets the contact in (again). */
export function reentrySql(rule: Reentry, now: Date): SQL {
  const cooled = sql`prev.last_end <= ${new Date(now.getTime() - rule.cooldownDays * 86_400_000).toISOString()}::timestamptz`;
  switch (rule.mode) {
    case 'never':
      return sql`prev.n = 0`;
    case 'after_end':
      return sql`(prev.n = 0 or (not prev.running and ${cooled}))`;
    case 'when_recycled':
      return sql`(prev.n = 0 or (not prev.running and ${cooled} and exists (select 1 from lifecycle_transitions lt
        where lt.contact_id = c.id and lt.to_stage = 'recycled' and lt.occurred_at > prev.last_end)))`;
  }
}

/**
 * The contacts (as SQL selecting c.id, prev.n) that would enter the program now. The program's earlier
 * enrolments are aggregated once per contact (a hash join), not looked up per contact: a per-contact lookup
 * may be planned as a scan of the table this very INSERT grows.
 */
export function candidatesSql(programId: number, raw: unknown, now: Date, workspaceId = 1): SQL {
  const d = prepareDefinition(raw).def;
  return sql`
    select c.id, prev.n from contacts c
    left join (select x.contact_id, count(*)::int as n, max(x.ended_at) as last_end, bool_or(x.status = 'active') as running
      from nurture_enrolments x where x.program_id = ${programId} group by x.contact_id) p on p.contact_id = c.id
    cross join lateral (select coalesce(p.n, 0) as n, p.last_end, coalesce(p.running, false) as running) prev
    where c.workspace_id = ${workspaceId} and ${entrySql(d.entry, now)} and ${notExitingSql(d.exit)} and not prev.running and ${reentrySql(d.reentry, now)}`;
}

export async function enrolProgram(db: Queryable, program: { id: number; version: number; definition: unknown; workspaceId: number }, now: Date): Promise<number> {
  const d = prepareDefinition(program.definition);
  const { rowCount } = await db.execute(sql`
    insert into nurture_enrolments (workspace_id, program_id, version, contact_id, entry_number, status, step_id, seq, next_run_at, entered_at)
    select ${program.workspaceId}, ${program.id}, ${program.version}, cand.id, cand.n + 1, 'active', ${d.first}, 0, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from (${candidatesSql(program.id, program.definition, now, program.workspaceId)}) cand
    on conflict do nothing`);
  return rowCount ?? 0;
}

/** Enrols into every active program (or one); returns the new enrolments. */
export async function enrolDue(opts: { db: Db; clock: Clock; programId?: number }): Promise<number> {
  const now = opts.clock.now();
  const conds = [eq(nurturePrograms.status, 'active')];
  if (opts.programId) conds.push(eq(nurturePrograms.id, opts.programId));
  const programs = await opts.db.select().from(nurturePrograms).where(and(...conds));
  let n = 0;
  for (const p of programs) {
    // Per program, under a transaction-scoped advisory lock: two workers never enrol the same program at once.
    n += await opts.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext('nurture-enrol'), ${p.id}) as ok`);
      if (!rows[0]?.ok) return 0;
      const [fresh] = await tx.select().from(nurturePrograms).where(eq(nurturePrograms.id, p.id));
      if (!fresh || fresh.status !== 'active') return 0;
      return enrolProgram(tx, fresh, now);
    });
  }
  return n;
}
