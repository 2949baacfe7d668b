// Explanations of scores: every point of a contact's fit (matched rules) and engagement (per rule from the
// ledger, and per rule and cap window what its events earned, what that is worth now and what caps stopped;
// explain-entries.ts), its buying stage and the evidence; and an account's scores rolled up from its contacts.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { NotFoundError } from '../../errors.ts';
import { z } from 'zod';
import type { BuyingStage, EngagementRule, FitRule, GradeThresholds } from '../../contracts/scoring.ts';
import type { AccountScores, ContactScores, FitMatch } from '../../contracts/scoring-explain.ts';
import { DEFAULT_GRADES } from '../../contracts/scoring.ts';
import { inferBuyingStage, loadStageRules, BUYING_STAGE_WINDOW_DAYS } from './buying-stage.ts';
import { modelOrDefault } from './defaults.ts';
import { engagementEntries } from './explain-entries.ts';
import { halfLife, ledgerValueSql } from './ledger.ts';
import { fitFieldValue, round2 } from './rules.ts';
import { engagementSums, fitOf, loadFitRecords } from './snapshot.ts';

const WS = 1;
const MAX_ENTRIES = 200;
const MAX_ACCOUNT_CONTACTS = 500;

export const ScoresQuery = z.object({
  fitModelId: z.coerce.number().int().positive().optional(),
  engagementModelId: z.coerce.number().int().positive().optional(),
});

export async function explainContactScores({ ctx, id, input, now = new Date() }: { ctx: Pick<Ctx, 'db'>; id: number; input?: unknown; now?: Date }): Promise<ContactScores> {
  const q = ScoresQuery.parse(input ?? {});
  const db = ctx.db;
  const record = (await loadFitRecords(db, WS, [id])).get(id);
  if (!record) throw new NotFoundError('Contact', id);
  const fitModel = await modelOrDefault(db, WS, 'fit', q.fitModelId);
  if (q.fitModelId && !fitModel) throw new NotFoundError('Fit model', q.fitModelId);
  const engModel = await modelOrDefault(db, WS, 'engagement', q.engagementModelId);
  if (q.engagementModelId && !engModel) throw new NotFoundError('Engagement model', q.engagementModelId);

  let fit: ContactScores['fit'] = null;
  if (fitModel) {
    const r = fitOf(fitModel, record);
    const byId = new Map((fitModel.rules as FitRule[]).map((x) => [x.id, x]));
    const explained = (m: FitMatch) => {
      const field = byId.get(m.ruleId)?.field ?? '';
      const v = field ? fitFieldValue(record, field) : undefined;
      return { ...m, field, actual: v === undefined || v === null || v === '' ? null : Array.isArray(v) ? v.join(', ') : String(v) };
    };
    fit = {
      model: { id: fitModel.id, name: fitModel.name, version: fitModel.version },
      score: r.score,
      grade: r.grade,
      maxPoints: r.maxPoints,
      matchedPoints: r.matchedPoints,
      matched: r.matched.map(explained),
      unmatched: r.unmatched.map(explained),
      grades: (fitModel.grades as GradeThresholds | null) ?? DEFAULT_GRADES,
    };
  }

  let engagement: ContactScores['engagement'] = null;
  if (engModel) {
    const rules = new Map((engModel.rules as EngagementRule[]).map((r) => [r.id, r]));
    const sums = (await engagementSums(db, engModel, [id], now)).get(id) ?? { total: 0, earned: 0, rules: [] };
    const { entries, truncated } = await engagementEntries(db, engModel, id, now, MAX_ENTRIES);
    engagement = {
      model: { id: engModel.id, name: engModel.name, version: engModel.version, halfLifeDays: engModel.halfLifeDays },
      score: round2(sums.total),
      earned: round2(sums.earned),
      asOf: now.toISOString(),
      rules: sums.rules
        .map((r) => ({
          ruleId: r.ruleId,
          label: rules.get(r.ruleId)?.label ?? null,
          times: r.times,
          earned: round2(r.earned),
          current: round2(r.current),
          cappedTimes: r.cappedTimes,
          cap: rules.get(r.ruleId)?.cap ?? null,
        }))
        .sort((a, b) => b.current - a.current),
      entries,
      entriesTruncated: truncated,
    };
  }

  return { contactId: id, fit, engagement, buyingStage: await explainBuyingStage(ctx, id, now) };
}

/** The buying stage as inferred now from the contact's page views of the last 90 days. */
async function explainBuyingStage(ctx: Pick<Ctx, 'db'>, id: number, now: Date): Promise<ContactScores['buyingStage']> {
  const rules = await loadStageRules(ctx.db, WS);
  if (!rules.length) return { stage: null, evidence: [], windowDays: BUYING_STAGE_WINDOW_DAYS };
  const since = new Date(now.getTime() - BUYING_STAGE_WINDOW_DAYS * 86_400_000);
  const res = await ctx.db.execute(sql`
    select page_path, page_url, timestamp from events
    where contact_id = ${id} and timestamp >= ${since.toISOString()} and timestamp <= ${now.toISOString()}
      and not is_bot and (page_path is not null or page_url is not null)
    order by timestamp desc limit 5000`);
  const views = (res.rows as { page_path: string | null; page_url: string | null; timestamp: string | Date }[]).map((r) => ({
    path: r.page_path,
    url: r.page_url,
    at: new Date(r.timestamp),
  }));
  const { stage, evidence } = inferBuyingStage(views, rules, now);
  return { stage, evidence, windowDays: BUYING_STAGE_WINDOW_DAYS };
}

/**
 * An account's scores: fit = the best fit among its contacts (default fit model), engagement = the sum of
 * its contacts' decayed engagement (default engagement model). Lists up to 100 contacts, best fit first.
 */
export async function explainAccountScores({ ctx, id, now = new Date() }: { ctx: Pick<Ctx, 'db'>; id: number; now?: Date }): Promise<AccountScores> {
  const db = ctx.db;
  const acc = await db.execute(sql`select id from accounts where id = ${id} and workspace_id = ${WS}`);
  if (!acc.rows.length) throw new NotFoundError('Account', id);
  const contactRows = (
    await db.execute(sql`
      select id, email, nullif(trim(concat_ws(' ', first_name, last_name)), '') as name from contacts
      where account_id = ${id} and workspace_id = ${WS} order by id limit ${MAX_ACCOUNT_CONTACTS + 1}`)
  ).rows as { id: string | number; email: string; name: string | null }[];
  const truncated = contactRows.length > MAX_ACCOUNT_CONTACTS;
  const ids = contactRows.slice(0, MAX_ACCOUNT_CONTACTS).map((r) => Number(r.id));
  const fitModel = await modelOrDefault(db, WS, 'fit', null);
  const engModel = await modelOrDefault(db, WS, 'engagement', null);
  const records = await loadFitRecords(db, WS, ids);
  const eng = engModel ? await engagementSums(db, engModel, ids, now) : new Map();
  const stages = new Map<number, BuyingStage>(
    ids.length
      ? (
          (await db.execute(sql`select contact_id, stage from contact_buying_stages where contact_id in (select id from contacts where account_id = ${id})`)).rows as {
            contact_id: string | number;
            stage: BuyingStage;
          }[]
        ).map((r) => [Number(r.contact_id), r.stage])
      : [],
  );
  const contacts = contactRows.slice(0, MAX_ACCOUNT_CONTACTS).map((c) => {
    const cid = Number(c.id);
    const record = records.get(cid);
    const fit = fitModel && record ? fitOf(fitModel, record) : null;
    const e = engModel ? round2(eng.get(cid)?.total ?? 0) : null;
    return { id: cid, email: c.email, name: c.name, fitScore: fit?.score ?? null, fitGrade: fit?.grade ?? null, engagement: e, buyingStage: stages.get(cid) ?? null };
  });
  contacts.sort((a, b) => (b.fitScore ?? -1) - (a.fitScore ?? -1) || (b.engagement ?? 0) - (a.engagement ?? 0) || a.id - b.id);
  const best = contacts[0];

  // Engagement over all contacts (not only the listed ones), in SQL.
  let engagement: AccountScores['engagement'] = null;
  if (engModel) {
    const res = await db.execute(sql`
      select coalesce(sum(${ledgerValueSql('p', now, halfLife(engModel))}), 0)::float8 as total, count(distinct p.contact_id)::int as contacts
      from score_ledger p join contacts c on c.id = p.contact_id
      where c.account_id = ${id} and p.model_id = ${engModel.id}`);
    const row = res.rows[0] as { total: number; contacts: number };
    engagement = { score: round2(Number(row.total)), modelId: engModel.id, contacts: row.contacts };
  }
  return {
    accountId: id,
    fit: best && fitModel && best.fitScore !== null ? { score: best.fitScore, grade: best.fitGrade!, contactId: best.id, contactEmail: best.email, modelId: fitModel.id } : null,
    engagement,
    contacts: contacts.slice(0, 100),
    contactsTruncated: truncated || contacts.length > 100,
  };
}
