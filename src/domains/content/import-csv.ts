// CSV import of an existing content inventory, all or nothing: every row is checked first; if any row is
// rejected nothing is written and every rejected row is listed (line, field, reason); otherwise all rows are
// written in one transaction (items with external_id update the item that has it). Columns (header names are
// case-insensitive): title, url (several separated by `;` or `|`, the first is canonical), type, format, stage,
// status, topics, segments, products (separated by `;` or `|`), owner_email, publish_date, summary, external_id,
// smes (names; missing SMEs are created). Existing inventory may arrive as published: importing records it
// (history note "imported"), it is not a review skip.
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { withTransaction, type Ctx } from '../../context.ts';
import { CONTENT_CSV_COLUMNS, ContentItemInput, type ContentImportResult } from '../../contracts/content.ts';
import { ValidationError } from '../../errors.ts';
import { parseCsvRecords } from '../../csv-records.ts';
import { recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { requestBuyingStageRefresh } from '../scoring/stage-refresh.ts';
import { requestContentRematch } from './consumption-jobs.ts';
import { WS } from './items-dto.ts';
import { createItem, updateItem } from './items.ts';
import { normalizeUrl } from './match.ts';
import { contentItems, contentSmes, contentUrls } from './schema.ts';
import { keptParams } from './urls.ts';

export const MAX_CONTENT_IMPORT_ROWS = 5_000;
const ALIASES: Record<string, (typeof CONTENT_CSV_COLUMNS)[number]> = {
  name: 'title', urls: 'url', link: 'url', content_type: 'type', buying_stage: 'stage', owner: 'owner_email', published: 'publish_date',
  publish_on: 'publish_date', date: 'publish_date', description: 'summary', id: 'external_id', topic: 'topics', segment: 'segments',
  market: 'segments', markets: 'segments', product: 'products', sme: 'smes', experts: 'smes',
};
const STAGE_WORDS: Record<string, string> = { 'consideration/shortlist': 'consideration', shortlist: 'consideration', 'post-sale': 'post_sale', postsale: 'post_sale', 'post sale': 'post_sale' };
const FORMAT_WORDS: Record<string, string> = { 'case study': 'case_study', 'case-study': 'case_study', 'white paper': 'paper', whitepaper: 'paper', 'e-book': 'ebook', blog: 'article', 'blog post': 'article' };
const TO_COL: Record<string, string> = { publishDate: 'publish_date', externalId: 'external_id', urls: 'url', ownerId: 'owner_email' };
const list = (v: string) => v.split(/[;|]/).map((x) => x.trim()).filter(Boolean);

/** One reason per column (the first problem zod found there). */
function zodReasons(err: z.ZodError): { field: string; reason: string }[] {
  const seen = new Set<string>();
  return err.issues.filter((i) => !seen.has(String(i.path[0])) && seen.add(String(i.path[0]))).map((i) => {
    const field = TO_COL[String(i.path[0])] ?? String(i.path[0] ?? 'row');
    const values = (i as { values?: unknown[] }).values;
    return { field, reason: `${field}: ${i.code === 'invalid_value' && values ? `must be one of ${values.join(', ')}` : i.message}` };
  });
}

export async function importContentCsv({ ctx, csv }: { ctx: Ctx; csv: string }): Promise<ContentImportResult> {
  const records = parseCsvRecords(csv, ALIASES);
  const header = Object.keys(records[0]!.record);
  const missing = ['title', 'type', 'stage'].filter((c) => !header.includes(c));
  if (missing.length) throw new ValidationError(`file: the header needs ${missing.join(', ')} columns; columns: ${CONTENT_CSV_COLUMNS.join(', ')}`, [{ field: 'file', message: `missing ${missing.join(', ')}` }]);
  if (records.length > MAX_CONTENT_IMPORT_ROWS) throw new ValidationError(`file: at most ${MAX_CONTENT_IMPORT_ROWS} rows per import`, [{ field: 'file', message: 'too many rows' }]);

  const col = (r: Record<string, string>, k: string) => (r[k] ?? '').trim();
  const ownerEmails = [...new Set(records.map((x) => col(x.record, 'owner_email').toLowerCase()).filter(Boolean))];
  const owners = new Map(ownerEmails.length ? (await ctx.db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, ownerEmails))).map((u) => [u.email.toLowerCase(), u.id]) : []);
  const extIds = [...new Set(records.map((x) => col(x.record, 'external_id')).filter(Boolean))];
  const existing = new Map(extIds.length ? (await ctx.db.select({ id: contentItems.id, ext: contentItems.externalId }).from(contentItems).where(inArray(contentItems.externalId, extIds))).map((r) => [r.ext!, r.id]) : []);
  const kept = await keptParams(ctx.db);
  const urlOwner = new Map((await ctx.db.select({ n: contentUrls.normalized, kind: contentUrls.kind, itemId: contentUrls.itemId }).from(contentUrls).where(eq(contentUrls.workspaceId, WS))).map((u) => [`${u.kind} ${u.n}`, u.itemId]));

  const rejected: ContentImportResult['rejected'] = [];
  const planned: { line: number; existingId: number | null; input: Record<string, unknown>; smeNames: string[] }[] = [];
  const seenUrls = new Map<string, number>();
  const seenExt = new Map<string, number>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    const reject = (field: string | null, reason: string) => rejected.push({ row: line, field, reason });
    const stage = col(r, 'stage').toLowerCase();
    const format = col(r, 'format').toLowerCase();
    const ownerEmail = col(r, 'owner_email').toLowerCase();
    const ext = col(r, 'external_id') || null;
    if (ownerEmail && !owners.has(ownerEmail)) reject('owner_email', `owner_email: no revloop user with email ${ownerEmail}`);
    if (ext && seenExt.has(ext)) reject('external_id', `external_id: ${ext} is also on line ${seenExt.get(ext)}`);
    if (ext) seenExt.set(ext, line);
    const urls = list(col(r, 'url')).map((url, i) => ({ url, kind: 'exact' as const, canonical: i === 0 }));
    const input = {
      title: col(r, 'title'),
      summary: col(r, 'summary') || null,
      type: col(r, 'type').toLowerCase(),
      format: format ? (FORMAT_WORDS[format] ?? format.replace(/[\s-]+/g, '_')) : undefined,
      stage: STAGE_WORDS[stage] ?? stage.replace(/[\s-]+/g, '_'),
      status: col(r, 'status') ? col(r, 'status').toLowerCase().replace(/[\s-]+/g, '_') : 'published',
      topics: list(col(r, 'topics')),
      segments: list(col(r, 'segments')),
      products: list(col(r, 'products')),
      ownerId: ownerEmail ? (owners.get(ownerEmail) ?? null) : null,
      publishDate: col(r, 'publish_date') || null,
      externalId: ext,
      urls,
    };
    const parsed = ContentItemInput.safeParse(input);
    if (!parsed.success) {
      for (const z of zodReasons(parsed.error)) reject(z.field, z.reason);
      continue;
    }
    const existingId = ext ? (existing.get(ext) ?? null) : null;
    for (const u of urls) {
      const n = normalizeUrl(u.url, kept, 'exact')!;
      const other = seenUrls.get(n);
      if (other !== undefined) reject('url', `url: ${u.url} is also on line ${other}`);
      seenUrls.set(n, line);
      const owner = urlOwner.get(`exact ${n}`);
      if (owner !== undefined && owner !== existingId) reject('url', `url: ${u.url} already belongs to content item ${owner}`);
    }
    planned.push({ line, existingId, input, smeNames: list(col(r, 'smes')) });
  }
  if (rejected.length) return { imported: false, created: 0, updated: 0, rows: records.length, rejected };

  let created = 0;
  let updated = 0;
  await withTransaction(ctx, async (tx) => {
    const smeIds = new Map((await tx.select({ id: contentSmes.id, name: contentSmes.name }).from(contentSmes).where(eq(contentSmes.workspaceId, WS))).map((s) => [s.name.toLowerCase(), s.id]));
    const smesOf = async (names: string[]) => {
      const out: { smeId: number; role: string }[] = [];
      for (const name of names) {
        let id = smeIds.get(name.toLowerCase());
        if (id === undefined) {
          const [row] = await tx.insert(contentSmes).values({ workspaceId: WS, name }).returning({ id: contentSmes.id });
          id = row!.id;
          smeIds.set(name.toLowerCase(), id);
        }
        out.push({ smeId: id, role: 'contributor' });
      }
      return out;
    };
    // Imports record the inventory as it is: the status is written as given (the admin-only review skip is about the workflow).
    const importer = { ...ctx, actor: { ...ctx.actor, role: 'admin' as const } };
    for (const p of planned) {
      const smes = await smesOf(p.smeNames);
      if (p.existingId) {
        const { status: _s, ...patch } = p.input;
        await updateItem({ ctx, id: p.existingId, input: { ...patch, smes }, tx });
        updated++;
      } else {
        await createItem({ ctx: importer, input: { ...p.input, smes }, tx });
        created++;
      }
    }
    await recordAudit(tx, ctx.actor, { action: 'content.imported', entityType: 'content_item', entityId: null, summary: `Imported content inventory: ${created} created, ${updated} updated`, changes: { rows: records.length } });
  });
  await Promise.all([requestContentRematch(ctx), requestBuyingStageRefresh(ctx)]);
  return { imported: true, created, updated, rows: records.length, rejected: [] };
}
