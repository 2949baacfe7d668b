// Test helpers of the nurture domain: contacts, programs on a simulated clock, and a run-to-quiet loop.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { createProgram, setProgramStatus } from './programs.ts';
import { runDue } from './engine.ts';
import { enrolDue } from './enrol.ts';

export async function makeContacts(t: TestApp, n: number, opts: { stage?: string; ownerId?: number | null; tag?: string; properties?: Record<string, unknown> } = {}): Promise<number[]> {
  const tag = opts.tag ?? randomUUID().slice(0, 8);
  const { rows } = await t.database.pool.query(
    `insert into contacts (email, first_name, last_name, lifecycle_stage, owner_id, properties)
     select 'n' || g || '-' || $2 || '@example.test', 'First' || g, 'Last', $3, $4, $5::jsonb from generate_series(1, $1) g returning id`,
    [n, tag, opts.stage ?? 'lead', opts.ownerId ?? null, JSON.stringify({ cohort: tag, ...(opts.properties ?? {}) })],
  );
  return rows.map((r) => Number(r.id));
}

/** Creates and activates a program (entry runs at once on the simulated clock). */
export async function activeProgram(ctx: Ctx, clock: SimClock, definition: Record<string, unknown>, name = `Program ${randomUUID().slice(0, 8)}`) {
  const p = await createProgram({ ctx, input: { name, definition } });
  return setProgramStatus({ ctx, id: p.id, action: 'activate', clock });
}

export async function runAll(t: TestApp, clock: SimClock): Promise<number> {
  await enrolDue({ db: t.db, clock });
  return runDue({ db: t.db, clock });
}

export async function q<T = any>(t: TestApp, text: string, values: unknown[] = []): Promise<T[]> {
  return (await t.database.pool.query(text, values)).rows as T[];
}
