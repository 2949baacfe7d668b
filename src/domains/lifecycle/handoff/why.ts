// The "why" shown to the rep with a new lead: the score breakdown the rule saw, the content the contact
// consumed (recent page views and tracked events), and field notes from the contact's record.
import type { Db, Tx } from '../../../db/client.ts';
import type { Ctx } from '../../../context.ts';
import { getModel } from '../../scoring/models.ts';
import { scoreSnapshots } from '../../scoring/snapshot.ts';
import { listEvents } from '../../tracking/read.ts';

export interface ConsumedItem {
  type: string;
  name: string | null;
  path: string | null;
  title: string | null;
  at: string;
}

/** Recent page/track events of a contact, newest first (bots excluded). */
export async function consumedContent(db: Db | Tx, contactId: number, limit = 15): Promise<ConsumedItem[]> {
  const page = await listEvents({ ctx: { db: db as Db }, input: { contactId, limit: 50 } });
  return page.items
    .filter((e) => e.type === 'page' || e.type === 'track' || e.type === 'screen')
    .slice(0, limit)
    .map((e) => ({ type: e.type, name: e.event, path: e.page.path, title: e.page.title, at: e.timestamp }));
}

/** Field notes: free-text notes a rep or marketer left on the contact (custom properties named like notes). */
export function fieldNotes(properties: Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(properties ?? {})) {
    if (/note/i.test(k) && typeof v === 'string' && v.trim()) out.push(v.trim());
  }
  return out;
}

/**
 * The scores and their breakdown (which fit rules matched for how many points, which behaviours earned how
 * much engagement after decay), read now. Scores the caller already passed (the values the rule saw) win.
 */
export async function scoreWhy(db: Db | Tx, workspaceId: number, contactId: number, given?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const opts = given?.scoreModels as { fitModelId?: number | null; engagementModelId?: number | null } | undefined;
  const snap = (await scoreSnapshots(db, workspaceId, [contactId], opts ?? {})).get(contactId);
  if (!snap) return {};
  return {
    scores: { fitScore: snap.fitScore, fitGrade: snap.fitGrade, engagement: snap.engagement, buyingStage: snap.buyingStage },
    breakdown: { fit: snap.breakdown.fit, engagement: await withRuleLabels(db, snap.engagementModelId, snap.breakdown.engagement) },
  };
}

/** The engagement breakdown names rules by id; the rep reads their labels ("Requested a demo"). */
async function withRuleLabels(db: Db | Tx, modelId: number | null, engagement: unknown): Promise<unknown> {
  const e = engagement as { rules?: { ruleId: string }[] } | null;
  if (!modelId || !e?.rules?.length) return engagement;
  const model = await getModel({ ctx: { db } as unknown as Ctx, id: modelId }).catch(() => null);
  const labels = new Map<string, string>((model?.rules ?? []).map((r: { id: string; label: string }) => [r.id, r.label]));
  return { ...e, rules: e.rules.map((r) => ({ ...r, label: labels.get(r.ruleId) ?? r.ruleId })) };
}
