// Score snapshots: fit, engagement (decayed to now) and buying stage of many contacts at once, under the
// default models unless others are given. The lifecycle rules (evaluateLifecycle) and the handoff's "why"
// read these; the contact page's explanation (explain.ts) uses the same math.
import { sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../db/client.ts';
import type { BuyingStage, FitRule, Grade, GradeThresholds } from '../../contracts/scoring.ts';
import { modelOrDefault, type ScoreModelRow } from './defaults.ts';
import { halfLife, ledgerValue } from './ledger.ts';
import { fitScore, round2, type FitRecord, type FitResult } from './rules.ts';

export type { BuyingStage } from '../../contracts/scoring.ts';

export type ScoreSnapshot = {
  fitScore: number | null;
  fitGrade: Grade | null;
  engagement: number | null;
  buyingStage: BuyingStage | null;
  fitModelId: number | null;
  engagementModelId: number | null;
  breakdown: { fit: unknown; engagement: unknown };
};

export interface EngagementSum {
  total: number;
  earned: number;
  rules: { ruleId: string; times: number; cappedTimes: number; earned: number; current: number }[];
}

function idArray(ids: readonly number[]) {
  return sql.raw(`'{${ids.map((id) => Math.trunc(Number(id))).join(',')}}'::bigint[]`);
}

/** Contacts (with their accounts) as fit rules read them. */
export async function loadFitRecords(db: Queryable, workspaceId: number, contactIds: readonly number[]): Promise<Map<number, FitRecord>> {
  const out = new Map<number, FitRecord>();
  if (!contactIds.length) return out;
  const res = await db.execute(sql`
    select c.id, c.email, c.first_name, c.last_name, c.title, c.phone, c.lifecycle_stage, c.source, c.properties,
           a.id as account_id, a.name as a_name, a.domain as a_domain, a.industry as a_industry,
           a.employee_count as a_employee_count, a.country as a_country, a.properties as a_properties
    from contacts c left join accounts a on a.id = c.account_id
    where c.id = any(${idArray(contactIds)}) and c.workspace_id = ${workspaceId}`);
  for (const r of res.rows as Record<string, any>[]) {
    out.set(Number(r.id), {
      contact: {
        email: r.email,
        firstName: r.first_name,
        lastName: r.last_name,
        title: r.title,
        phone: r.phone,
        lifecycleStage: r.lifecycle_stage,
        source: r.source,
        properties: r.properties ?? {},
      },
      account:
        r.account_id == null
          ? null
          : {
              name: r.a_name,
              domain: r.a_domain,
              industry: r.a_industry,
              employeeCount: r.a_employee_count == null ? null : Number(r.a_employee_count),
              country: r.a_country,
              properties: r.a_properties ?? {},
            },
    });
  }
  return out;
}

export function fitOf(model: ScoreModelRow, record: FitRecord): FitResult {
  return fitScore(model.rules as FitRule[], model.grades as GradeThresholds | null, record);
}

/**
 * Engagement of contacts under a model from the ledger (score_ledger), decayed to `now`: per rule
 * decaySum × 0.5^(max(0, now − lastAt) / halfLife) (ledger.ts), summed per contact. Contacts without
 * entries are absent.
 */
export async function engagementSums(
  db: Queryable,
  model: Pick<ScoreModelRow, 'id' | 'halfLifeDays'>,
  contactIds: readonly number[],
  now: Date,
): Promise<Map<number, EngagementSum>> {
  const out = new Map<number, EngagementSum>();
  if (!contactIds.length) return out;
  const res = await db.execute(sql`
    select contact_id, rule_id, times, capped_times, earned, decay_sum, last_at
    from score_ledger
    where model_id = ${model.id} and contact_id = any(${idArray(contactIds)})
    order by contact_id, rule_id`);
  const hl = halfLife(model);
  for (const r of res.rows as Record<string, any>[]) {
    const id = Number(r.contact_id);
    let s = out.get(id);
    if (!s) {
      s = { total: 0, earned: 0, rules: [] };
      out.set(id, s);
    }
    const current = ledgerValue(Number(r.decay_sum), new Date(r.last_at), now, hl);
    s.total += current;
    s.earned += Number(r.earned);
    s.rules.push({ ruleId: r.rule_id, times: r.times, cappedTimes: r.capped_times, earned: Number(r.earned), current });
  }
  return out;
}

/** Stored buying stages (contact_buying_stages, kept current by the scoring worker). */
export async function storedBuyingStages(db: Queryable, contactIds: readonly number[]): Promise<Map<number, { stage: BuyingStage; evidence: unknown }>> {
  const out = new Map<number, { stage: BuyingStage; evidence: unknown }>();
  if (!contactIds.length) return out;
  const res = await db.execute(sql`select contact_id, stage, evidence from contact_buying_stages where contact_id = any(${idArray(contactIds)})`);
  for (const r of res.rows as Record<string, any>[]) out.set(Number(r.contact_id), { stage: r.stage, evidence: r.evidence });
  return out;
}

/**
 * Scores of the given contacts: fit computed from the current contact/account fields, engagement from the
 * ledger decayed to now (opts.now for tests), buying stage as stored. Unknown contact ids are absent from the
 * map. A model that does not exist (or no default) gives nulls for its part.
 */
export async function scoreSnapshots(
  db: Db | Tx,
  workspaceId: number,
  contactIds: number[],
  opts?: { fitModelId?: number | null; engagementModelId?: number | null; now?: Date },
): Promise<Map<number, ScoreSnapshot>> {
  const out = new Map<number, ScoreSnapshot>();
  const ids = [...new Set(contactIds.map(Number))];
  if (!ids.length) return out;
  const now = opts?.now ?? new Date();
  const [fitModel, engModel] = [
    await modelOrDefault(db, workspaceId, 'fit', opts?.fitModelId),
    await modelOrDefault(db, workspaceId, 'engagement', opts?.engagementModelId),
  ];
  const records = await loadFitRecords(db, workspaceId, ids);
  const eng = engModel ? await engagementSums(db, engModel, [...records.keys()], now) : new Map<number, EngagementSum>();
  const stages = await storedBuyingStages(db, [...records.keys()]);
  for (const [id, record] of records) {
    const fit = fitModel ? fitOf(fitModel, record) : null;
    const e = engModel ? (eng.get(id) ?? { total: 0, earned: 0, rules: [] }) : null;
    out.set(id, {
      fitScore: fit ? fit.score : null,
      fitGrade: fit ? fit.grade : null,
      engagement: e ? round2(e.total) : null,
      buyingStage: stages.get(id)?.stage ?? null,
      fitModelId: fitModel?.id ?? null,
      engagementModelId: engModel?.id ?? null,
      breakdown: {
        fit: fit && fitModel ? { modelVersion: fitModel.version, matched: fit.matched, matchedPoints: fit.matchedPoints, maxPoints: fit.maxPoints } : null,
        engagement:
          e && engModel
            ? { modelVersion: engModel.version, halfLifeDays: engModel.halfLifeDays, earned: round2(e.earned), rules: e.rules.map((r) => ({ ...r, earned: round2(r.earned), current: round2(r.current) })) }
            : null,
      },
    });
  }
  return out;
}
