// Cost lines CSV. Import is all or report: every row is checked first; when any is rejected nothing is written and
// every rejected row is listed (line, column, reason); otherwise all rows are written in one transaction (a row whose
// campaign/tool × month × category already has a line updates it). Export is formula-safe.
// Columns: month (YYYY-MM), category, planned, actual, currency, campaign (utm_campaign code or exact name),
// tool (name), note.
import { stringify } from 'csv-stringify/sync';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { parseCsvRecords } from '../../csv-records.ts';
import { CostLineInput, CostLineQuery, type CostImportResult } from '../../contracts/spend.ts';
import { csvRow } from '../contacts/csv-safe.ts';
import { recordAudit } from '../identity/audit.ts';
import { campaigns } from './schema.ts';
import { costLines, tools } from './schema-spend.ts';
import { costLines as listCostLines, findByKey } from './costs.ts';

export const COST_CSV_COLUMNS = ['month', 'category', 'planned', 'actual', 'currency', 'campaign', 'tool', 'note'] as const;
export const MAX_COST_IMPORT_ROWS = 10_000;
const WS = 1;
const ALIASES: Record<string, (typeof COST_CSV_COLUMNS)[number]> = {
  utm_campaign: 'campaign', campaign_code: 'campaign', campaign_name: 'campaign', tool_name: 'tool', planned_cost: 'planned', budget: 'planned',
  actual_cost: 'actual', spend: 'actual', type: 'category', period: 'month', notes: 'note', description: 'note',
};
const AMOUNT = /^-?\d+(\.\d+)?$/;

export async function importCostsCsv({ ctx, csv }: { ctx: Ctx; csv: string }): Promise<CostImportResult> {
  const records = parseCsvRecords(csv, ALIASES);
  const header = Object.keys(records[0]!.record);
  const missing = ['month', 'category'].filter((c) => !header.includes(c));
  if (!header.includes('planned') && !header.includes('actual')) missing.push('planned or actual');
  if (missing.length) throw new ValidationError(`file: the header needs ${missing.join(', ')} columns; columns: ${COST_CSV_COLUMNS.join(', ')}`, [{ field: 'file', message: `missing ${missing.join(', ')}` }]);
  if (records.length > MAX_COST_IMPORT_ROWS) throw new ValidationError(`file: at most ${MAX_COST_IMPORT_ROWS} rows per import`, [{ field: 'file', message: 'too many rows' }]);

  const col = (r: Record<string, string>, k: string) => (r[k] ?? '').trim();
  const campaignRefs = [...new Set(records.map((x) => col(x.record, 'campaign').toLowerCase()).filter(Boolean))];
  const toolRefs = [...new Set(records.map((x) => col(x.record, 'tool').toLowerCase()).filter(Boolean))];
  const byCode = new Map<string, number>();
  const byName = new Map<string, number[]>();
  if (campaignRefs.length) {
    const rows = await ctx.db
      .select({ id: campaigns.id, code: campaigns.utmCampaign, name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, WS), or(inArray(campaigns.utmCampaign, campaignRefs), inArray(sql`lower(${campaigns.name})`, campaignRefs))!));
    for (const c of rows) {
      byCode.set(c.code, c.id);
      byName.set(c.name.toLowerCase(), [...(byName.get(c.name.toLowerCase()) ?? []), c.id]);
    }
  }
  const toolIds = new Map(
    toolRefs.length ? (await ctx.db.select({ id: tools.id, name: tools.name }).from(tools).where(and(eq(tools.workspaceId, WS), inArray(sql`lower(${tools.name})`, toolRefs)))).map((t) => [t.name.toLowerCase(), t.id]) : [],
  );

  const rejected: CostImportResult['rejected'] = [];
  const valid: { line: number; data: ReturnType<typeof CostLineInput.parse> }[] = [];
  const seen = new Map<string, number>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    const reject = (field: string | null, reason: string) => rejected.push({ line, field, reason });
    const before = rejected.length;
    const camp = col(r, 'campaign').toLowerCase();
    const tool = col(r, 'tool').toLowerCase();
    let campaignId: number | null = null;
    let toolId: number | null = null;
    if (camp) {
      const named = byName.get(camp) ?? [];
      if (byCode.has(camp)) campaignId = byCode.get(camp)!;
      else if (named.length === 1) campaignId = named[0]!;
      else if (named.length > 1) reject('campaign', `"${col(r, 'campaign')}" names ${named.length} campaigns; use its utm_campaign code`);
      else reject('campaign', `no campaign with the utm_campaign code or name "${col(r, 'campaign')}"`);
    }
    if (tool) {
      if (toolIds.has(tool)) toolId = toolIds.get(tool)!;
      else reject('tool', `no tool named "${col(r, 'tool')}"`);
    }
    if (camp && tool) reject('tool', 'a cost line links to a campaign or a tool, not both');
    const money: Record<string, number | null> = {};
    for (const k of ['planned', 'actual'] as const) {
      const text = col(r, k).replace(/[,\s$€£]/g, '');
      if (!text) continue;
      if (!AMOUNT.test(text)) reject(k, `"${col(r, k)}" is not a number`);
      else if (Number(text) < 0) reject(k, 'must be 0 or more');
      else money[k] = Number(text);
    }
    if (rejected.length > before) continue;
    const parsed = CostLineInput.safeParse({
      campaignId,
      toolId,
      month: col(r, 'month'),
      category: col(r, 'category').toLowerCase(),
      ...(money.planned !== undefined ? { planned: money.planned } : {}),
      ...(money.actual !== undefined ? { actual: money.actual } : {}),
      ...(col(r, 'currency') ? { currency: col(r, 'currency') } : {}),
      ...(col(r, 'note') ? { note: col(r, 'note') } : {}),
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const values = (i as { values?: unknown[] }).values;
        reject(String(i.path[0] ?? 'row'), i.code === 'invalid_value' && values ? `must be one of ${values.join(', ')}` : i.message);
      }
      continue;
    }
    const k = `${parsed.data.campaignId}|${parsed.data.toolId}|${parsed.data.month}|${parsed.data.category}`;
    if (seen.has(k)) {
      reject('month', `the same ${parsed.data.category} line for ${parsed.data.month.slice(0, 7)} is already on line ${seen.get(k)}`);
      continue;
    }
    seen.set(k, line);
    valid.push({ line, data: parsed.data });
  }
  if (rejected.length) return { imported: false, processed: records.length, inserted: 0, updated: 0, rejected };

  let inserted = 0;
  let updated = 0;
  await withTransaction(ctx, async (tx) => {
    for (const { data } of valid) {
      const key = { campaignId: data.campaignId ?? null, toolId: data.toolId ?? null, month: data.month, category: data.category };
      const prev = await findByKey(tx, key);
      if (prev) {
        await tx
          .update(costLines)
          .set({ planned: data.planned, actual: data.actual === undefined ? prev.actual : data.actual, currency: data.currency, note: data.note ?? prev.note, updatedAt: new Date() })
          .where(eq(costLines.id, prev.id));
        updated++;
      } else {
        await tx.insert(costLines).values({ workspaceId: WS, ...key, planned: data.planned, actual: data.actual ?? null, currency: data.currency, note: data.note ?? null, createdBy: ctx.actor.userId });
        inserted++;
      }
    }
    await recordAudit(tx, ctx.actor, { action: 'cost_line.imported', entityType: 'cost_line', entityId: null, summary: `Imported cost lines from CSV: ${inserted} added, ${updated} updated` });
  });
  return { imported: true, processed: records.length, inserted, updated, rejected: [] };
}

export async function exportCostsCsv({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ filename: string; csv: string }> {
  const q = CostLineQuery.parse(input ?? {});
  const list = await listCostLines({ ctx, input: q });
  const codes = new Map(
    list.items.some((x) => x.campaign)
      ? (await ctx.db.select({ id: campaigns.id, code: campaigns.utmCampaign }).from(campaigns).where(inArray(campaigns.id, [...new Set(list.items.flatMap((x) => (x.campaign ? [x.campaign.id] : [])))]))).map((c) => [c.id, c.code])
      : [],
  );
  const out: string[][] = [[...COST_CSV_COLUMNS, 'objective', 'id']];
  for (const x of list.items) {
    out.push(csvRow([x.month.slice(0, 7), x.category, x.planned, x.actual, x.currency, x.campaign ? codes.get(x.campaign.id) : null, x.tool?.name, x.note, x.objective?.title, x.id]));
  }
  return { filename: `costs-${new Date().toISOString().slice(0, 10)}.csv`, csv: stringify(out) };
}
