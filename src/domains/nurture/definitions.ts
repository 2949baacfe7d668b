// Program versions are immutable, so the engine caches their parsed definitions per (program, version).
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { ProgramDefinition, type Step } from '../../contracts/nurture.ts';
import { nurtureProgramVersions } from './schema.ts';

export interface LoadedDefinition {
  def: ProgramDefinition;
  byId: Map<string, Step>;
  /** The step after each step when it names none (the next in the list; null after the last). */
  following: Map<string, string | null>;
  first: string;
}

export function prepareDefinition(raw: unknown): LoadedDefinition {
  const def = ProgramDefinition.parse(raw);
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const following = new Map(def.steps.map((s, i) => [s.id, def.steps[i + 1]?.id ?? null]));
  return { def, byId, following, first: def.steps[0]!.id };
}

/** The step a step leads to by default: its own `next` when set (null = end), else the following one. */
export function nextOf(d: LoadedDefinition, step: Step): string | null {
  return step.next !== undefined ? step.next : (d.following.get(step.id) ?? null);
}

const cache = new Map<string, LoadedDefinition>();

export async function loadVersion(db: Queryable, programId: number, version: number): Promise<LoadedDefinition> {
  const k = `${programId}:${version}`;
  const hit = cache.get(k);
  if (hit) return hit;
  const [row] = await db
    .select({ definition: nurtureProgramVersions.definition })
    .from(nurtureProgramVersions)
    .where(and(eq(nurtureProgramVersions.programId, programId), eq(nurtureProgramVersions.version, version)));
  if (!row) throw new Error(`nurture program ${programId} has no version ${version}`);
  const d = prepareDefinition(row.definition);
  if (cache.size > 1000) cache.clear();
  cache.set(k, d);
  return d;
}

/** Drafts overwrite their version in place (never run); tests that reuse ids call this. */
export function forgetVersion(programId: number, version: number): void {
  cache.delete(`${programId}:${version}`);
}
