// Programs: create, change, get, list, activate, pause, resume, delete (drafts only).
// Versions (the rule): a program's definition is versioned. While a program has never been activated, saving
// overwrites version 1. Once activated, every saved change of the definition is a new version; enrolments in
// flight keep running the version they entered with until they end (their step ids, waits and branches never
// change under them), and contacts entering from then on run the newest version. Pausing stops both entry
// and execution; resuming continues every enrolment at the step where it was (steps that fell due during
// the pause run at once).
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { ProgramInput, ProgramPatch, type Program, type ProgramDefinition, type ProgramStatus } from '../../contracts/nurture.ts';
import { recordAudit } from '../identity/audit.ts';
import { nurtureProgramVersions, nurturePrograms } from './schema.ts';
import { enrolDue } from './enrol.ts';
import { systemClock, type Clock } from './clock.ts';

const WS = 1;
type Row = typeof nurturePrograms.$inferSelect;

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

async function countsByProgram(db: Queryable, ids: number[]): Promise<Map<number, Program['counts']>> {
  const out = new Map<number, Program['counts']>();
  if (!ids.length) return out;
  const { rows } = await db.execute<{ program_id: number; status: string; n: number }>(sql`
    select program_id, status, count(*)::int as n from nurture_enrolments where program_id = any(${`{${ids.join(',')}}`}::int[]) group by 1, 2`);
  for (const id of ids) out.set(id, { active: 0, completed: 0, exited: 0, goalReached: 0, total: 0 });
  for (const r of rows) {
    const c = out.get(r.program_id)!;
    const k = r.status === 'goal_reached' ? 'goalReached' : (r.status as 'active' | 'completed' | 'exited');
    c[k] += r.n;
    c.total += r.n;
  }
  return out;
}

async function toDtos(db: Queryable, rows: Row[]): Promise<Program[]> {
  const counts = await countsByProgram(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    version: r.version,
    definition: r.definition,
    counts: counts.get(r.id)!,
    activatedAt: r.activatedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function loadProgramRow(db: Queryable, id: number): Promise<Row> {
  const [row] = await db.select().from(nurturePrograms).where(and(eq(nurturePrograms.workspaceId, WS), eq(nurturePrograms.id, id)));
  if (!row) throw new NotFoundError('Program', id);
  return row;
}

export async function getProgram({ ctx, id }: { ctx: Ctx; id: number }): Promise<Program> {
  return (await toDtos(ctx.db, [await loadProgramRow(ctx.db, id)]))[0]!;
}

export async function listPrograms({ ctx }: { ctx: Ctx }): Promise<{ items: Program[] }> {
  const rows = await ctx.db
    .select()
    .from(nurturePrograms)
    .where(eq(nurturePrograms.workspaceId, WS))
    .orderBy(sql`case ${nurturePrograms.status} when 'active' then 0 when 'paused' then 1 else 2 end`, asc(nurturePrograms.name));
  return { items: await toDtos(ctx.db, rows) };
}

async function exists(db: Queryable, table: string, id: number): Promise<boolean | null> {
  const { rows } = await db.execute<{ t: string | null }>(sql`select to_regclass(${table})::text as t`);
  if (!rows[0]?.t) return null; // the other domain's table is not there yet: nothing to check against
  const r = await db.execute<{ x: number }>(sql`select 1 as x from ${sql.identifier(table)} where id = ${id} and workspace_id = ${WS}`);
  return r.rows.length > 0;
}

async function topicExists(db: Queryable, key: string): Promise<boolean | null> {
  const { rows } = await db.execute<{ t: string | null }>(sql`select to_regclass('email_topics')::text as t`);
  if (!rows[0]?.t) return null;
  const r = await db.execute<{ x: number }>(sql`select 1 as x from email_topics where key = ${key} and workspace_id = ${WS}`);
  return r.rows.length > 0;
}

/** References to other domains' records must exist: segments (entry, conditions), email templates and topics, webhook endpoints (steps). */
async function checkRefs(db: Queryable, d: ProgramDefinition): Promise<void> {
  const segs: [string, number][] = [];
  if (d.entry.segmentId !== undefined) segs.push(['definition.entry.segmentId', d.entry.segmentId]);
  const conds: [string, ProgramDefinition['exit'][number]][] = [
    ...d.exit.map((c, i) => [`definition.exit.${i}.segmentId`, c] as [string, typeof c]),
    ...d.goals.map((g, i) => [`definition.goals.${i}.condition.segmentId`, g.condition] as [string, typeof g.condition]),
  ];
  d.steps.forEach((s, i) => {
    if (s.type === 'branch') conds.push([`definition.steps.${i}.condition.segmentId`, s.condition]);
  });
  for (const [field, c] of conds) if (c.kind === 'in_segment') segs.push([field, c.segmentId]);
  for (const [field, id] of segs) if ((await exists(db, 'segments', id)) === false) throw fieldError(field, `segment ${id} does not exist`);
  for (const [i, s] of d.steps.entries()) {
    if ((s.type === 'send_email' || s.type === 'send_content') && (await exists(db, 'email_templates', s.templateId)) === false) {
      throw fieldError(`definition.steps.${i}.templateId`, `email template ${s.templateId} does not exist`);
    }
    if ((s.type === 'send_email' || s.type === 'send_content') && (await topicExists(db, s.topicKey)) === false) {
      throw fieldError(`definition.steps.${i}.topicKey`, `email topic "${s.topicKey}" does not exist`);
    }
    if (s.type === 'webhook' && s.endpointId !== undefined && (await exists(db, 'webhook_endpoints', s.endpointId)) === false) {
      throw fieldError(`definition.steps.${i}.endpointId`, `webhook endpoint ${s.endpointId} does not exist`);
    }
  }
}

/** Program names by id as other domains store them (text, e.g. email messages' program_id): id → name. */
export async function programNames(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const numeric = [...new Set(ids.filter((i) => /^[0-9]{1,9}$/.test(i)))].map(Number);
  if (!numeric.length) return new Map();
  const rows = await db.select({ id: nurturePrograms.id, name: nurturePrograms.name }).from(nurturePrograms).where(inArray(nurturePrograms.id, numeric));
  return new Map(rows.map((r) => [String(r.id), r.name]));
}

async function checkName(db: Queryable, name: string, exceptId?: number): Promise<void> {
  const conds = [eq(nurturePrograms.workspaceId, WS), sql`lower(${nurturePrograms.name}) = lower(${name})`];
  if (exceptId) conds.push(ne(nurturePrograms.id, exceptId));
  const [other] = await db.select({ id: nurturePrograms.id }).from(nurturePrograms).where(and(...conds));
  if (other) throw new ConflictError(`name: a program named "${name}" already exists (${other.id})`, [{ field: 'name', message: 'already used by another program' }]);
}

export async function createProgram({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Program> {
  const body = ProgramInput.parse(input);
  const id = await withTransaction(ctx, async (tx) => {
    await checkName(tx, body.name);
    await checkRefs(tx, body.definition);
    const [row] = await tx
      .insert(nurturePrograms)
      .values({ workspaceId: WS, name: body.name, description: body.description ?? null, status: 'draft', version: 1, definition: body.definition, createdBy: ctx.actor.userId })
      .returning();
    await tx.insert(nurtureProgramVersions).values({ programId: row!.id, version: 1, definition: body.definition, createdBy: ctx.actor.userId });
    await recordAudit(tx, ctx.actor, { action: 'nurture.program.created', entityType: 'nurture_program', entityId: row!.id, summary: `Created nurture program "${row!.name}" (${body.definition.steps.length} steps)` });
    return row!.id;
  });
  return getProgram({ ctx, id });
}

export async function updateProgram({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<Program> {
  const patch = ProgramPatch.parse(input);
  await withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(nurturePrograms).where(and(eq(nurturePrograms.workspaceId, WS), eq(nurturePrograms.id, id))).for('update');
    if (!before) throw new NotFoundError('Program', id);
    if (patch.name !== undefined) await checkName(tx, patch.name, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.name !== undefined && patch.name !== before.name) changes.name = { from: before.name, to: patch.name };
    if (patch.description !== undefined && patch.description !== before.description) changes.description = { from: before.description, to: patch.description };
    let version = before.version;
    if (patch.definition && JSON.stringify(patch.definition) !== JSON.stringify(before.definition)) {
      await checkRefs(tx, patch.definition);
      if (before.activatedAt) {
        version = before.version + 1;
        await tx.insert(nurtureProgramVersions).values({ programId: id, version, definition: patch.definition, createdBy: ctx.actor.userId });
      } else {
        await tx.update(nurtureProgramVersions).set({ definition: patch.definition }).where(and(eq(nurtureProgramVersions.programId, id), eq(nurtureProgramVersions.version, version)));
      }
      changes.version = { from: before.version, to: version };
    }
    if (!Object.keys(changes).length) return;
    await tx
      .update(nurturePrograms)
      .set({ name: patch.name ?? before.name, description: patch.description !== undefined ? patch.description : before.description, definition: patch.definition ?? before.definition, version, updatedAt: new Date() })
      .where(eq(nurturePrograms.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'nurture.program.updated',
      entityType: 'nurture_program',
      entityId: id,
      summary: `Changed nurture program "${patch.name ?? before.name}": ${Object.keys(changes).join(', ')}${version !== before.version ? ` (version ${version}; enrolments in flight stay on their version)` : ''}`,
      changes,
    });
  });
  return getProgram({ ctx, id });
}

const MOVES: Record<'activate' | 'pause' | 'resume', { from: ProgramStatus[]; to: ProgramStatus; word: string }> = {
  activate: { from: ['draft'], to: 'active', word: 'Activated' },
  pause: { from: ['active'], to: 'paused', word: 'Paused' },
  resume: { from: ['paused'], to: 'active', word: 'Resumed' },
};

/** activate (draft → active), pause (active → paused), resume (paused → active); entry runs at once on activate/resume. */
export async function setProgramStatus({ ctx, id, action, clock = systemClock }: { ctx: Ctx; id: number; action: 'activate' | 'pause' | 'resume'; clock?: Clock }): Promise<Program> {
  const move = MOVES[action];
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(nurturePrograms).where(and(eq(nurturePrograms.workspaceId, WS), eq(nurturePrograms.id, id))).for('update');
    if (!row) throw new NotFoundError('Program', id);
    if (!move.from.includes(row.status)) throw new ConflictError(`status: a ${row.status} program cannot be ${move.word.toLowerCase()} (only a ${move.from.join(' or ')} one)`, [{ field: 'status', message: `is ${row.status}` }]);
    await tx
      .update(nurturePrograms)
      .set({ status: move.to, updatedAt: new Date(), ...(action === 'activate' ? { activatedAt: clock.now() } : {}) })
      .where(eq(nurturePrograms.id, id));
    await recordAudit(tx, ctx.actor, { action: `nurture.program.${move.to === 'paused' ? 'paused' : action === 'resume' ? 'resumed' : 'activated'}`, entityType: 'nurture_program', entityId: id, summary: `${move.word} nurture program "${row.name}" (version ${row.version})`, changes: { status: { from: row.status, to: move.to } } });
  });
  if (move.to === 'active') await enrolDue({ db: ctx.db, clock, programId: id });
  return getProgram({ ctx, id });
}

export async function deleteProgram({ ctx, id }: { ctx: Ctx; id: number }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(nurturePrograms).where(and(eq(nurturePrograms.workspaceId, WS), eq(nurturePrograms.id, id))).for('update');
    if (!row) throw new NotFoundError('Program', id);
    if (row.activatedAt) throw new ConflictError('status: a program that ran keeps its history; pause it instead of deleting it', [{ field: 'status', message: `was activated` }]);
    await tx.delete(nurturePrograms).where(eq(nurturePrograms.id, id));
    await recordAudit(tx, ctx.actor, { action: 'nurture.program.deleted', entityType: 'nurture_program', entityId: id, summary: `Deleted draft nurture program "${row.name}"` });
  });
}
