// Offline touches (trade-show visits, calls, meetings …): one by the API, or many by CSV (all rows or none:
// every rejected row is reported with its line, column and reason). Each touch is written to the touch rollup
// in the same transaction, so attribution sees it at once.
import { parse } from 'csv-parse/sync';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { OfflineTouchInput, type OfflineImportResult, type OfflineTouch } from '../../contracts/analytics.ts';
import { contacts } from '../contacts/schema.ts';
import { recordAudit } from '../identity/audit.ts';
import { campaigns } from '../plan/schema.ts';
import { offlineTouches, type OfflineTouchRow } from './schema.ts';
import { offlineTouchSelect } from './touch-sources.ts';

const WS = 1;
export const MAX_OFFLINE_IMPORT_ROWS = 50_000;
export const OFFLINE_CSV_COLUMNS = ['external_id', 'email', 'contact_id', 'campaign_id', 'kind', 'occurred_at', 'note'] as const;

function dto(r: OfflineTouchRow): OfflineTouch {
  return { id: r.id, externalId: r.externalId, contactId: r.contactId, campaignId: r.campaignId, kind: r.kind, occurredAt: r.occurredAt.toISOString(), note: r.note, createdAt: r.createdAt.toISOString() };
}

type Input = z.infer<typeof OfflineTouchInput>;

/** Writes touches (upsert by externalId) and their rollup rows; returns the rows. */
async function writeTouches(tx: Tx, ctx: Ctx, rows: (Input & { contactId: number })[]): Promise<OfflineTouchRow[]> {
  const out: OfflineTouchRow[] = [];
  for (const r of rows) {
    const values = {
      workspaceId: WS,
      externalId: r.externalId ?? null,
      contactId: r.contactId,
      campaignId: r.campaignId ?? null,
      kind: r.kind,
      occurredAt: new Date(r.occurredAt),
      note: r.note ?? null,
      createdBy: ctx.actor.userId,
    };
    const [row] = r.externalId
      ? await tx
          .insert(offlineTouches)
          .values(values)
          .onConflictDoUpdate({ target: [offlineTouches.workspaceId, offlineTouches.externalId], set: { contactId: values.contactId, campaignId: values.campaignId, kind: values.kind, occurredAt: values.occurredAt, note: values.note } })
          .returning()
      : await tx.insert(offlineTouches).values(values).returning();
    out.push(row!);
  }
  const ids = out.map((r) => r.id);
  if (ids.length) {
    await tx.execute(sql`
      insert into analytics_touches (source_key, contact_id, anonymous_id, kind, occurred_at, utm_campaign, campaign_id, content_item_id, channel, workspace_id)
      select s.*, ${WS} from (${offlineTouchSelect(WS, sql`o.id = any(${sql.param(ids)}::bigint[])`)}) s
      on conflict (workspace_id, source_key) do update set contact_id = excluded.contact_id, occurred_at = excluded.occurred_at, campaign_id = excluded.campaign_id, channel = excluded.channel`);
  }
  return out;
}

async function resolveRefs(ctx: Ctx, rows: Input[]): Promise<{ byEmail: Map<string, number>; contactIds: Set<number>; campaignIds: Set<number> }> {
  const emails = [...new Set(rows.map((r) => r.email).filter((e): e is string => !!e))];
  const ids = [...new Set(rows.map((r) => r.contactId).filter((e): e is number => e !== undefined))];
  const camps = [...new Set(rows.map((r) => r.campaignId).filter((e): e is number => e != null))];
  const [byEmail, byId, campRows] = await Promise.all([
    emails.length ? ctx.db.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.workspaceId, WS), inArray(contacts.email, emails))) : [],
    ids.length ? ctx.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.workspaceId, WS), inArray(contacts.id, ids))) : [],
    camps.length ? ctx.db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.workspaceId, WS), inArray(campaigns.id, camps))) : [],
  ]);
  return {
    byEmail: new Map(byEmail.map((r) => [String(r.email).toLowerCase(), r.id])),
    contactIds: new Set(byId.map((r) => r.id)),
    campaignIds: new Set(campRows.map((r) => r.id)),
  };
}

export async function createOfflineTouch({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<OfflineTouch> {
  const body = OfflineTouchInput.parse(input);
  const refs = await resolveRefs(ctx, [body]);
  let contactId = body.contactId;
  if (contactId !== undefined && !refs.contactIds.has(contactId)) throw new NotFoundError('Contact', contactId);
  if (contactId === undefined) {
    contactId = refs.byEmail.get(body.email!);
    if (contactId === undefined) throw new ValidationError(`email: no contact has the email ${body.email}`, [{ field: 'email', message: 'no contact has this email' }]);
  }
  if (body.campaignId != null && !refs.campaignIds.has(body.campaignId)) throw new ValidationError(`campaignId: campaign ${body.campaignId} does not exist`, [{ field: 'campaignId', message: 'does not exist' }]);
  const row = await withTransaction(ctx, async (tx) => {
    const [r] = await writeTouches(tx, ctx, [{ ...body, contactId: contactId! }]);
    await recordAudit(tx, ctx.actor, { action: 'offline_touch.recorded', entityType: 'offline_touch', entityId: r!.id, summary: `Recorded a ${r!.kind} touch for contact ${r!.contactId}`, changes: { kind: r!.kind, campaignId: r!.campaignId, occurredAt: r!.occurredAt.toISOString() } });
    return r!;
  });
  return dto(row);
}

export async function listOfflineTouches({ ctx, contactId }: { ctx: Pick<Ctx, 'db'>; contactId?: number }): Promise<OfflineTouch[]> {
  const rows = await ctx.db
    .select()
    .from(offlineTouches)
    .where(and(eq(offlineTouches.workspaceId, WS), contactId === undefined ? undefined : eq(offlineTouches.contactId, contactId)))
    .orderBy(desc(offlineTouches.occurredAt), desc(offlineTouches.id))
    .limit(500);
  return rows.map(dto);
}

/** CSV import: all rows or none. Columns: external_id, email or contact_id, campaign_id, kind, occurred_at, note. */
export async function importOfflineCsv({ ctx, csv }: { ctx: Ctx; csv: string }): Promise<OfflineImportResult> {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase().replace(/[\s-]+/g, '_')), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
  } catch (err) {
    throw new ValidationError(`file: not readable as CSV (${(err as Error).message})`, [{ field: 'file', message: (err as Error).message }]);
  }
  if (!records.length) throw new ValidationError('file: no data rows (the first line must be the header)', [{ field: 'file', message: 'no data rows' }]);
  const header = Object.keys(records[0]!.record);
  const missing = ['kind', 'occurred_at'].filter((c) => !header.includes(c));
  if (!header.includes('email') && !header.includes('contact_id')) missing.push('email or contact_id');
  if (missing.length) throw new ValidationError(`file: the header needs ${missing.join(', ')}; columns: ${OFFLINE_CSV_COLUMNS.join(', ')}`, [{ field: 'file', message: `missing ${missing.join(', ')}` }]);
  if (records.length > MAX_OFFLINE_IMPORT_ROWS) throw new ValidationError(`file: at most ${MAX_OFFLINE_IMPORT_ROWS} rows per import`, [{ field: 'file', message: 'too many rows' }]);

  const rejected: OfflineImportResult['rejected'] = [];
  const parsed: { line: number; input: Input }[] = [];
  const seenExt = new Map<string, number>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    const num = (v: string | undefined) => (v ? (/^\d{1,15}$/.test(v) ? Number(v) : Number.NaN) : undefined);
    const raw = {
      ...(r.external_id ? { externalId: r.external_id } : {}),
      ...(r.email ? { email: r.email } : {}),
      ...(r.contact_id ? { contactId: num(r.contact_id) } : {}),
      ...(r.campaign_id ? { campaignId: num(r.campaign_id) } : {}),
      kind: r.kind ?? '',
      occurredAt: r.occurred_at ?? '',
      ...(r.note ? { note: r.note } : {}),
    };
    const p = OfflineTouchInput.safeParse(raw);
    if (!p.success) {
      const i = p.error.issues[0]!;
      const field = String(i.path[0] ?? 'row').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const values = (i as { values?: unknown[] }).values;
      rejected.push({ line, column: field, reason: `${field}: ${i.code === 'invalid_value' && values ? `must be one of ${values.join(', ')}` : i.message}` });
      continue;
    }
    if (p.data.externalId) {
      const other = seenExt.get(p.data.externalId);
      if (other !== undefined) rejected.push({ line, column: 'external_id', reason: `external_id: ${p.data.externalId} is also on line ${other}` });
      seenExt.set(p.data.externalId, line);
    }
    parsed.push({ line, input: p.data });
  }
  const refs = await resolveRefs(ctx, parsed.map((p) => p.input));
  const planned: (Input & { contactId: number })[] = [];
  for (const { line, input } of parsed) {
    let contactId = input.contactId;
    if (contactId !== undefined && !refs.contactIds.has(contactId)) {
      rejected.push({ line, column: 'contact_id', reason: `contact_id: contact ${contactId} does not exist` });
      continue;
    }
    if (contactId === undefined) contactId = refs.byEmail.get(input.email!);
    if (contactId === undefined) {
      rejected.push({ line, column: 'email', reason: `email: no contact has the email ${input.email}` });
      continue;
    }
    if (input.campaignId != null && !refs.campaignIds.has(input.campaignId)) {
      rejected.push({ line, column: 'campaign_id', reason: `campaign_id: campaign ${input.campaignId} does not exist` });
      continue;
    }
    planned.push({ ...input, contactId });
  }
  if (rejected.length) {
    rejected.sort((a, b) => a.line - b.line);
    return { imported: 0, rejected };
  }
  await withTransaction(ctx, async (tx) => {
    await writeTouches(tx, ctx, planned);
    await recordAudit(tx, ctx.actor, { action: 'offline_touch.imported', entityType: 'offline_touch', summary: `Imported ${planned.length} offline touches from CSV`, changes: { rows: planned.length } });
  });
  return { imported: planned.length, rejected: [] };
}
