// Full rescore: after a model change, rebuild every contact's scores as a background job with progress.
//
// Set-based, in chunks of contacts (by id range): per chunk ONE transaction that, for each model,
//   engagement: deletes the model's ledger rows of the chunk (score_ledger, one per contact × rule) and
//     re-inserts them from the events with one INSERT … SELECT (rules compiled to SQL by rescore-sql.ts; caps
//     per calendar window by row_number(); entries aggregated per contact and rule with their decay sums,
//     ledger.ts), then upserts contact_scores from the new rows (decayed to now, per-rule breakdown);
//   fit: upserts contact_scores from the contact and account fields with one INSERT … SELECT;
// and advances rescore_runs.processed. Chunks run in parallel transactions (RESCORE_PARALLEL). A chunk locks
// its contacts as a scoring pass does (FOR NO KEY UPDATE, in id order), so the incremental worker never
// scores a contact of the chunk halfway through its rebuild. A crash leaves every chunk either rebuilt or
// untouched; the retried job starts over (each chunk is idempotent).
import { availableParallelism } from 'node:os';
import { and, desc, eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Db, Queryable } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { EngagementRule, FitRule, GradeThresholds } from '../../contracts/scoring.ts';
import { RescoreRequest, type RescoreRun } from '../../contracts/rescore.ts';
import { recordAudit } from '../identity/audit.ts';
import { activeModels, type ScoreModelRow } from './defaults.ts';
import { halfLife, ledgerAggregateSql, ledgerValueSql, scoredEventSql } from './ledger.ts';
import { engagementLedgerSql, fitSql, gradeSql } from './rescore-sql.ts';
import { rescoreRuns, scoreModels } from './schema.ts';

export const RESCORE_QUEUE = 'scoring.rescore';
/** Contacts per chunk (one transaction each). */
export const RESCORE_CHUNK = 20_000;
/** Chunks rebuilt at once, each in its own transaction (one UPDATE cannot use more than one core). */
export const RESCORE_PARALLEL = Math.max(1, Math.min(4, availableParallelism()));
const WS = 1;

type RunRow = typeof rescoreRuns.$inferSelect;

export function toRunDto(r: RunRow): RescoreRun {
  return {
    id: r.id,
    modelId: r.modelId,
    status: r.status,
    total: r.total,
    processed: r.processed,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Starts a rescore of every contact under one model (or every active model): records the run, queues the job. */
export async function startRescore({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<RescoreRun> {
  const req = RescoreRequest.parse(input ?? {});
  const run = await withTransaction(ctx, async (tx) => {
    if (req.modelId != null) {
      const [m] = await tx.select({ id: scoreModels.id }).from(scoreModels).where(and(eq(scoreModels.id, req.modelId), eq(scoreModels.workspaceId, WS)));
      if (!m) throw new ValidationError(`modelId: no score model with id ${req.modelId}`, [{ field: 'modelId', message: 'no score model with this id' }]);
    }
    const [row] = await tx.insert(rescoreRuns).values({ workspaceId: WS, modelId: req.modelId ?? null, requestedBy: ctx.actor.userId }).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'scoring.rescore_started',
      entityType: 'rescore_run',
      entityId: row!.id,
      summary: req.modelId != null ? `Started a full rescore of model ${req.modelId}` : 'Started a full rescore of every active model',
      changes: { modelId: req.modelId ?? null },
    });
    return row!;
  });
  await ctx.jobs.send(RESCORE_QUEUE, { runId: run.id });
  return toRunDto(run);
}

export async function getRescoreRun({ ctx, id }: { ctx: Ctx; id: number }): Promise<RescoreRun> {
  const [row] = await ctx.db.select().from(rescoreRuns).where(and(eq(rescoreRuns.id, id), eq(rescoreRuns.workspaceId, WS)));
  if (!row) throw new NotFoundError('Rescore run', id);
  return toRunDto(row);
}

export async function listRescoreRuns({ ctx }: { ctx: Ctx }): Promise<{ items: RescoreRun[] }> {
  const rows = await ctx.db.select().from(rescoreRuns).where(eq(rescoreRuns.workspaceId, WS)).orderBy(desc(rescoreRuns.id)).limit(20);
  return { items: rows.map(toRunDto) };
}

/**
 * The ledger of one engagement model for the contacts in (lo, hi], rebuilt from their scored events (those
 * still waiting in the inbox unmarked are left to the worker): one row per contact and rule.
 */
async function rebuildEngagement(tx: Queryable, ws: number, model: ScoreModelRow, lo: number, hi: number, now: Date): Promise<void> {
  await tx.execute(sql`delete from score_ledger where model_id = ${model.id} and contact_id > ${lo} and contact_id <= ${hi}`);
  const entries = engagementLedgerSql(
    model.rules as EngagementRule[],
    sql`e.workspace_id = ${ws} and e.contact_id > ${lo} and e.contact_id <= ${hi} and not e.is_bot and exists (select 1 from contacts c where c.id = e.contact_id) and ${scoredEventSql()}`,
  );
  // One statement: the entries are aggregated per contact and rule once, inserted, and summed into the scores (not read back).
  await tx.execute(sql`
    with l as materialized (${ledgerAggregateSql(sql`(${entries}) x`, now, halfLife(model))}),
    ins as (
      insert into score_ledger (contact_id, model_id, rule_id, workspace_id, times, capped_times, earned, decay_sum, first_at, last_at, updated_at)
      select contact_id, ${model.id}, rule_id, ${ws}, times, capped_times, earned, decay_sum, first_at, last_at, now() from l
    )
    ${engagementScoresSql(ws, model, lo, hi, now, sql`l`)}`);
}

/** contact_scores of an engagement model for every contact in (lo, hi], from the stored ledger (same shape as the worker writes). */
export async function storeEngagementFromLedger(tx: Queryable, ws: number, model: ScoreModelRow, lo: number, hi: number, now: Date): Promise<void> {
  await tx.execute(
    sql`with ${engagementScoresSql(ws, model, lo, hi, now, sql`(select * from score_ledger where model_id = ${model.id} and contact_id > ${lo} and contact_id <= ${hi})`, true)}`,
  );
}

/**
 * `per_contact as (…) insert into contact_scores …`: the scores of the contacts in (lo, hi] from ledger rows
 * (contact_id, rule_id, times, capped_times, earned, decay_sum, last_at) read from `source`, decayed to `now`.
 * Put after `with … ,` (or, with `first`, right after `with`).
 */
function engagementScoresSql(ws: number, model: ScoreModelRow, lo: number, hi: number, now: Date, source: SQL, first = false): SQL {
  const hl = halfLife(model);
  const r2 = (x: SQL) => sql`(floor((${x}) * 100 + 0.5) / 100)`;
  return sql`${first ? sql`` : sql`,`}
    per_contact as (
      select contact_id, sum(current) as total, sum(earned) as earned,
             jsonb_agg(jsonb_build_object('ruleId', rule_id, 'times', times, 'cappedTimes', capped_times, 'earned', ${r2(sql`earned`)}, 'current', ${r2(sql`current`)}) order by rule_id) as rules
      from (select s.contact_id, s.rule_id, s.times, s.capped_times, s.earned, ${ledgerValueSql('s', now, hl)} as current from ${source} s) per_rule
      group by contact_id
    )
    insert into contact_scores (contact_id, model_id, workspace_id, score, grade, breakdown, model_version, computed_at)
    select c.id, ${model.id}, ${ws}, ${r2(sql`coalesce(p.total, 0)`)}, null,
           jsonb_build_object('modelVersion', ${model.version}::int, 'halfLifeDays', ${hl}::float8, 'earned', ${r2(sql`coalesce(p.earned, 0)`)}, 'rules', coalesce(p.rules, '[]'::jsonb)),
           ${model.version}, ${now.toISOString()}::timestamptz
    from contacts c left join per_contact p on p.contact_id = c.id
    where c.workspace_id = ${ws} and c.id > ${lo} and c.id <= ${hi}
    on conflict (contact_id, model_id) do update set score = excluded.score, grade = excluded.grade, breakdown = excluded.breakdown,
      model_version = excluded.model_version, computed_at = excluded.computed_at`;
}

type SQL = ReturnType<typeof sql>;

/** contact_scores of a fit model for every contact in (lo, hi], from the contact and account fields. */
async function rebuildFit(tx: Queryable, ws: number, model: ScoreModelRow, lo: number, hi: number, now: Date): Promise<void> {
  const f = fitSql(model.rules as FitRule[], model.grades as GradeThresholds | null, 'f');
  await tx.execute(sql`
    insert into contact_scores (contact_id, model_id, workspace_id, score, grade, breakdown, model_version, computed_at)
    select s.id, ${model.id}, ${ws}, s.score, ${gradeSql(sql`s.score`, model.grades as GradeThresholds | null)},
           jsonb_build_object('matched', s.matched, 'matchedPoints', s.matched_points, 'maxPoints', ${f.maxPoints}::float8),
           ${model.version}, ${now.toISOString()}::timestamptz
    from (
      select f.id, ${f.score} as score, ${f.matched} as matched, ${f.matchedPoints} as matched_points
      from (
        select c.id, ${f.hits} as hits
        from contacts c left join accounts a on a.id = c.account_id
        where c.workspace_id = ${ws} and c.id > ${lo} and c.id <= ${hi}
        offset 0
      ) f
    ) s
    on conflict (contact_id, model_id) do update set score = excluded.score, grade = excluded.grade, breakdown = excluded.breakdown,
      model_version = excluded.model_version, computed_at = excluded.computed_at`);
}

/**
 * Foreign-key checks are most of the cost of a rebuild: each ledger row would lock its contact again. When
 * the database role may (a superuser: the embedded PostgreSQL), the chunk turns the per-row checks off for
 * its own transaction (session_replication_role = replica, as pg_restore does) after locking the models
 * (FOR KEY SHARE); its contacts are already locked (they cannot be deleted before commit) and every row it
 * writes names one of them (the queries join contacts). Other roles keep the per-row checks.
 */
async function withoutRowTriggers(tx: Queryable, models: ScoreModelRow[]): Promise<void> {
  const su = (await tx.execute(sql`select current_setting('is_superuser') = 'on' as su`)).rows[0] as { su: boolean };
  if (!su.su) return;
  await tx.execute(sql`select 1 from score_models where id = any(${sql.param(models.map((m) => m.id))}::int[]) for key share`);
  await tx.execute(sql`set local session_replication_role = replica`);
}

/** The models a run rebuilds: its model, or every active model of the workspace. */
async function modelsOf(db: Queryable, run: RunRow): Promise<ScoreModelRow[]> {
  if (run.modelId != null) return db.select().from(scoreModels).where(eq(scoreModels.id, run.modelId));
  return [...(await activeModels(db, run.workspaceId, 'fit')), ...(await activeModels(db, run.workspaceId, 'engagement'))];
}

/**
 * Runs a rescore (the job handler). `now` is the clock for decay; `chunk` the contacts per transaction.
 * Progress (total, processed) is visible in rescore_runs after every chunk.
 */
export async function runRescore(
  db: Db,
  runId: number,
  opts: { now?: () => Date; chunk?: number; parallel?: number; /** Keep the per-row foreign-key checks even as a superuser (tests). */ keepRowChecks?: boolean } = {},
): Promise<void> {
  const [run] = await db.select().from(rescoreRuns).where(eq(rescoreRuns.id, runId));
  if (!run || run.status === 'completed' || run.status === 'failed') return;
  const ws = run.workspaceId;
  const clock = opts.now ?? (() => new Date());
  const chunk = opts.chunk ?? RESCORE_CHUNK;
  try {
    const models = await modelsOf(db, run);
    const total = Number(((await db.execute(sql`select count(*)::int as n from contacts where workspace_id = ${ws}`)).rows[0] as { n: number }).n);
    // Starts over when a retried job finds a run that was interrupted.
    await db.update(rescoreRuns).set({ status: 'running', total, processed: 0, error: null, startedAt: sql`now()` }).where(eq(rescoreRuns.id, runId));
    // Chunks are handed out in id order, one at a time, to `parallel` transactions.
    let cursor = 0;
    let chain: Promise<unknown> = Promise.resolve();
    const nextChunk = () => {
      const p = chain.then(async () => {
        const bounds = (
          await db.execute(sql`select max(id)::int8 as hi, count(*)::int as n from (select id from contacts where workspace_id = ${ws} and id > ${cursor} order by id limit ${chunk}) x`)
        ).rows[0] as { hi: number | null; n: number };
        if (bounds.hi == null) return null;
        const c = { lo: cursor, hi: Number(bounds.hi), n: bounds.n };
        cursor = c.hi;
        return c;
      });
      chain = p.catch(() => undefined);
      return p;
    };
    let failed = false;
    const worker = async () => {
      for (let c = await nextChunk(); c && !failed; c = await nextChunk()) {
        const { lo, hi, n } = c;
        const now = clock();
        await retryDeadlocks(() =>
          db.transaction(async (tx) => {
            // The chunk's contacts, locked as a scoring pass locks them: no pass scores one of them mid-rebuild,
            // and none can be deleted before this commits.
            await tx.execute(sql`select 1 from contacts where workspace_id = ${ws} and id > ${lo} and id <= ${hi} order by id for no key update`);
            if (!opts.keepRowChecks) await withoutRowTriggers(tx, models);
            for (const m of models) {
              if (m.kind === 'engagement') await rebuildEngagement(tx, ws, m, lo, hi, now);
              else await rebuildFit(tx, ws, m, lo, hi, now);
            }
            await tx.update(rescoreRuns).set({ processed: sql`${rescoreRuns.processed} + ${n}` }).where(eq(rescoreRuns.id, runId));
          }),
        );
      }
    };
    const results = await Promise.allSettled(
      Array.from({ length: Math.max(1, opts.parallel ?? RESCORE_PARALLEL) }, () =>
        worker().catch((err) => {
          failed = true;
          throw err;
        }),
      ),
    );
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) throw (rejected as PromiseRejectedResult).reason;
    await db.update(rescoreRuns).set({ status: 'completed', finishedAt: sql`now()` }).where(eq(rescoreRuns.id, runId));
  } catch (err) {
    await db
      .update(rescoreRuns)
      .set({ status: 'failed', error: String((err as Error).message ?? err).slice(0, 1000), finishedAt: sql`now()` })
      .where(eq(rescoreRuns.id, runId));
    // Not rethrown: the run shows the error; a retry would start over and fail the same way.
    return;
  }
}

/** Runs fn again (up to 3 times) when its transaction was chosen as a deadlock victim or hit a serialization failure. */
async function retryDeadlocks<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
      if (attempt < 3 && (code === '40P01' || code === '40001')) continue;
      throw err;
    }
  }
}
