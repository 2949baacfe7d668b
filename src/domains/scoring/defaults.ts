// The default fit and engagement models, created on first use (sensible B2B defaults), and the lookup of
// a workspace's default model of a kind.
import { and, eq, sql } from 'drizzle-orm';
import { systemActor } from '../../context.ts';
import type { Db, Queryable, Tx } from '../../db/client.ts';
import { DEFAULT_GRADES, type EngagementRule, type FitRule, type ScoreModelKind } from '../../contracts/scoring.ts';
import { recordAudit } from '../identity/audit.ts';
import { scoreModels } from './schema.ts';

export type ScoreModelRow = typeof scoreModels.$inferSelect;

export const DEFAULT_FIT_RULES: FitRule[] = [
  {
    id: 'senior-title',
    label: 'Title: VP, Director or Head of',
    field: 'title',
    op: 'contains',
    value: ['vp', 'vice president', 'director', 'head of'],
    points: 25,
  },
  {
    id: 'c-level',
    label: 'Title: C-level or founder',
    field: 'title',
    op: 'starts_with',
    value: ['chief', 'ceo', 'cto', 'cmo', 'cfo', 'cio', 'cro', 'founder', 'co-founder', 'president'],
    points: 30,
  },
  { id: 'company-50-5000', label: 'Company size 50–5,000 employees', field: 'account.employee_count', op: 'between', value: [50, 5000], points: 25 },
  { id: 'company-over-5000', label: 'Company size over 5,000 employees', field: 'account.employee_count', op: 'gte', value: 5001, points: 15 },
  { id: 'has-phone', label: 'Phone number given', field: 'phone', op: 'exists', points: 10 },
  {
    id: 'free-email',
    label: 'Free email address',
    field: 'email_domain',
    op: 'in',
    value: ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'gmx.de', 'web.de', 'proton.me', 'protonmail.com'],
    points: -20,
  },
];

export const DEFAULT_ENGAGEMENT_RULES: EngagementRule[] = [
  {
    id: 'pricing-page',
    label: 'Viewed the pricing page',
    match: { type: 'page', urlPattern: '/pricing', conditions: [] },
    points: 10,
    cap: { maxTimes: 3, period: 'week' },
  },
  { id: 'demo-request', label: 'Requested a demo', match: { type: 'track', event: 'Demo Requested', conditions: [] }, points: 40, cap: null },
  {
    id: 'form-submitted',
    label: 'Submitted a form',
    match: { type: 'track', event: 'Form Submitted', conditions: [] },
    points: 15,
    cap: { maxPoints: 45, period: 'month' },
  },
  {
    id: 'content-read-60',
    label: 'Read content past 60 %',
    match: { type: 'track', event: 'Content Read', conditions: [{ path: 'properties.percent', op: 'gte', value: 60 }] },
    points: 8,
    cap: { maxPoints: 40, period: 'week' },
  },
  { id: 'email-click', label: 'Clicked an email', match: { type: 'track', event: 'Email Link Clicked', conditions: [] }, points: 3, cap: { maxTimes: 5, period: 'day' } },
  { id: 'page-view', label: 'Viewed a page', match: { type: 'page', conditions: [] }, points: 1, cap: { maxPoints: 10, period: 'day' } },
];

export const DEFAULT_HALF_LIFE_DAYS = 30;

function withTx<T>(db: Queryable, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return (db as Db).transaction(fn);
}

/**
 * Creates the default fit and engagement model of a workspace when it has no model of that kind at all
 * (archived ones count). Serialized with an advisory lock, so concurrent first uses create one of each.
 */
export async function ensureDefaultModels(db: Queryable, workspaceId: number): Promise<void> {
  const have = await db.execute(sql`select kind from score_models where workspace_id = ${workspaceId} group by kind`);
  if (have.rows.length >= 2) return;
  await withTx(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('revloop.score_models.defaults'), ${workspaceId})`);
    const kinds = new Set(
      (await tx.execute(sql`select kind from score_models where workspace_id = ${workspaceId} group by kind`)).rows.map((r) => r.kind as string),
    );
    const seeds: (typeof scoreModels.$inferInsert)[] = [];
    if (!kinds.has('fit'))
      seeds.push({ workspaceId, kind: 'fit', name: 'Ideal customer profile', description: 'Default B2B fit: seniority, company size, business email.', rules: DEFAULT_FIT_RULES, grades: DEFAULT_GRADES, isDefault: true });
    if (!kinds.has('engagement'))
      seeds.push({
        workspaceId,
        kind: 'engagement',
        name: 'Engagement',
        description: 'Default B2B engagement: pricing page, demo requests, forms, content read, email clicks; 30-day half-life.',
        rules: DEFAULT_ENGAGEMENT_RULES,
        halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
        isDefault: true,
      });
    for (const seed of seeds) {
      const [row] = await tx.insert(scoreModels).values(seed).returning();
      await recordAudit(tx, systemActor, {
        action: 'score_model.created',
        entityType: 'score_model',
        entityId: row!.id,
        summary: `Created the default ${row!.kind} model "${row!.name}"`,
        changes: null,
      });
    }
  });
}

/** The workspace's default model of a kind (created on first use), or null if it has none (all archived). */
export async function defaultModel(db: Queryable, workspaceId: number, kind: ScoreModelKind): Promise<ScoreModelRow | null> {
  const find = async () =>
    (
      await db
        .select()
        .from(scoreModels)
        .where(and(eq(scoreModels.workspaceId, workspaceId), eq(scoreModels.kind, kind), eq(scoreModels.isDefault, true), eq(scoreModels.active, true)))
        .limit(1)
    )[0] ?? null;
  const found = await find();
  if (found) return found;
  await ensureDefaultModels(db, workspaceId);
  return find();
}

/** A model by id (any state), or the default of the kind when id is null/undefined. */
export async function modelOrDefault(db: Queryable, workspaceId: number, kind: ScoreModelKind, id: number | null | undefined): Promise<ScoreModelRow | null> {
  if (id == null) return defaultModel(db, workspaceId, kind);
  const [row] = await db
    .select()
    .from(scoreModels)
    .where(and(eq(scoreModels.id, id), eq(scoreModels.workspaceId, workspaceId), eq(scoreModels.kind, kind)));
  return row ?? null;
}

/** Active models of a kind (the worker scores every active engagement model). */
export async function activeModels(db: Queryable, workspaceId: number, kind: ScoreModelKind): Promise<ScoreModelRow[]> {
  await ensureDefaultModels(db, workspaceId);
  return db
    .select()
    .from(scoreModels)
    .where(and(eq(scoreModels.workspaceId, workspaceId), eq(scoreModels.kind, kind), eq(scoreModels.active, true)))
    .orderBy(scoreModels.id);
}
