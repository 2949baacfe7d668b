// Lifecycle settings of a workspace (one row, JSON validated by the contract): lead / MQL rules, recycle
// cooldown, handoff points, routing, SLAs, where lost deals go. Defaults when nothing is saved.
import { eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { LifecycleSettings, type HandoffPoint } from '../../contracts/lifecycle.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { lifecycleSettings } from './schema.ts';
import { matches, type MatchSubject } from './match.ts';
import { inArray } from 'drizzle-orm';
import { checkRuleProperties } from './rule-check.ts';
import { queueReevaluation } from './jobs.ts';

export const DEFAULT_SETTINGS: LifecycleSettings = LifecycleSettings.parse({});

/** The workspace's settings; defaults when no row exists (or when a saved field no longer parses). */
export async function getLifecycleSettings(db: Queryable, workspaceId: number): Promise<LifecycleSettings> {
  const [row] = await db.select({ settings: lifecycleSettings.settings }).from(lifecycleSettings).where(eq(lifecycleSettings.workspaceId, workspaceId));
  if (!row) return DEFAULT_SETTINGS;
  const parsed = LifecycleSettings.safeParse(row.settings);
  if (parsed.success) return parsed.data;
  // Field by field: keep what still parses, default the rest.
  const out: Record<string, unknown> = {};
  const shape = LifecycleSettings.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const one = shape[key].safeParse((row.settings as Record<string, unknown>)[key]);
    out[key] = one.success ? one.data : DEFAULT_SETTINGS[key];
  }
  return out as LifecycleSettings;
}

/** The handoff point of a contact: the first whose condition matches (null when none is configured or matches → sales). */
export function handoffPointFor(settings: LifecycleSettings, subject: MatchSubject): HandoffPoint | null {
  for (const p of settings.handoffPoints) if (!p.match || matches(p.match, subject)) return p;
  return null;
}

export async function getSettings({ ctx }: { ctx: Ctx }) {
  const [row] = await ctx.db
    .select({ updatedAt: lifecycleSettings.updatedAt, email: users.email })
    .from(lifecycleSettings)
    .leftJoin(users, eq(users.id, lifecycleSettings.updatedBy))
    .where(eq(lifecycleSettings.workspaceId, 1));
  return { settings: await getLifecycleSettings(ctx.db, 1), updatedAt: row?.updatedAt.toISOString() ?? null, updatedBy: row?.email ?? null };
}

async function checkUsers(db: Queryable, field: string, ids: number[]) {
  const want = [...new Set(ids)];
  if (!want.length) return;
  const found = new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, want))).map((r) => r.id));
  const missing = want.find((id) => !found.has(id));
  if (missing !== undefined) throw new ValidationError(`${field}: user ${missing} does not exist`, [{ field, message: `user ${missing} does not exist` }]);
}

export async function updateSettings({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const next = LifecycleSettings.parse(input);
  await checkUsers(ctx.db, 'routing.pool', next.routing.pool);
  await checkUsers(ctx.db, 'routing.territories.ownerId', next.routing.territories.map((t) => t.ownerId));
  if (next.leadRule) await checkRuleProperties(ctx.db, 'leadRule.requiredProperties', next.leadRule.requiredProperties);
  if (next.mqlRule) await checkRuleProperties(ctx.db, 'mqlRule.requiredProperties', next.mqlRule.requiredProperties);
  const names = new Set<string>();
  next.handoffPoints.forEach((p, i) => {
    const key = p.name.toLowerCase();
    if (names.has(key)) throw new ValidationError(`handoffPoints.${i}.name: "${p.name}" is used twice`, [{ field: `handoffPoints.${i}.name`, message: 'duplicate name' }]);
    names.add(key);
  });
  await withTransaction(ctx, async (tx) => {
    const before = await getLifecycleSettings(tx, 1);
    await tx
      .insert(lifecycleSettings)
      .values({ workspaceId: 1, settings: next, updatedBy: ctx.actor.userId, updatedAt: new Date() })
      .onConflictDoUpdate({ target: lifecycleSettings.workspaceId, set: { settings: next, updatedBy: ctx.actor.userId, updatedAt: new Date() } });
    await recordAudit(tx, ctx.actor, {
      action: 'lifecycle.settings_updated',
      entityType: 'lifecycle_settings',
      entityId: 1,
      summary: 'Changed the lifecycle settings',
      changes: diffFields(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>),
    });
  });
  await queueReevaluation(ctx, ['subscriber', 'lead', 'marketing_qualified', 'recycled']);
  return getSettings({ ctx });
}
