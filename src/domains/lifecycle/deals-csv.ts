// Deals CSV: import (all-or-report: valid rows are written, every rejected row is listed with its line and
// reason) and export (formula-safe cells). Columns: external_id, name, amount, currency, stage, close_date,
// owner_email, account_domain, contact_emails (separated by ; or space), lost_reason, won_at.
import { stringify } from 'csv-stringify/sync';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { withTransaction, type Ctx } from '../../context.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { parseCsvRecords, snakeName } from '../../csv-records.ts';
import { DealExportQuery, DealInput, type DealImportResult } from '../../contracts/lifecycle.ts';
import { users } from '../identity/schema.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import { csvRow } from '../contacts/csv-safe.ts';
import { deals } from './schema.ts';
import { dealConditions, insertDealInTx, resolveDealContacts, toDealDtos, updateDealInTx } from './deals.ts';

export const DEAL_CSV_COLUMNS = ['external_id', 'name', 'amount', 'currency', 'stage', 'close_date', 'owner_email', 'account_domain', 'contact_emails', 'lost_reason', 'won_at'] as const;
export const MAX_IMPORT_ROWS = 10_000;
const WS = 1;

const ALIASES: Record<string, (typeof DEAL_CSV_COLUMNS)[number]> = {
  externalid: 'external_id', id_in_crm: 'external_id', deal_id: 'external_id', deal_name: 'name', value: 'amount',
  closedate: 'close_date', owner: 'owner_email', account: 'account_domain', domain: 'account_domain', contacts: 'contact_emails',
  contact_email: 'contact_emails', emails: 'contact_emails', lostreason: 'lost_reason', wonat: 'won_at',
};

function zodReason(err: z.ZodError): string {
  const toCol: Record<string, string> = { externalId: 'external_id', closeDate: 'close_date', lostReason: 'lost_reason', wonAt: 'won_at' };
  return err.issues
    .map((i) => {
      const col = toCol[String(i.path[0])] ?? String(i.path[0] ?? 'row');
      const values = (i as { values?: unknown[] }).values;
      return `${col}: ${i.code === 'invalid_value' && values ? `must be one of ${values.join(', ')}` : i.message}`;
    })
    .join('; ');
}

/** Parses and imports CSV text. Throws 400 only for a file that is not CSV at all / has no usable header. */
export async function importDealsCsv({ ctx, csv }: { ctx: Ctx; csv: string }): Promise<DealImportResult> {
  const records = parseCsvRecords(csv, ALIASES);
  const header = Object.keys(records[0]!.record);
  if (!header.includes('name') && !header.includes('external_id')) {
    throw new ValidationError(`file: the header needs a name column (or external_id); columns: ${DEAL_CSV_COLUMNS.join(', ')}`, [{ field: 'file', message: 'missing name column' }]);
  }
  if (records.length > MAX_IMPORT_ROWS) throw new ValidationError(`file: at most ${MAX_IMPORT_ROWS} rows per import`, [{ field: 'file', message: 'too many rows' }]);

  // Look up every owner, account and contact named in the file at once.
  const col = (r: Record<string, string>, k: string) => (r[k] ?? '').trim();
  const emailsOf = (r: Record<string, string>) => col(r, 'contact_emails').split(/[;,\s]+/).map((e) => e.trim().toLowerCase()).filter(Boolean);
  const ownerEmails = [...new Set(records.map((x) => col(x.record, 'owner_email').toLowerCase()).filter(Boolean))];
  const domains = [...new Set(records.map((x) => col(x.record, 'account_domain').toLowerCase()).filter(Boolean))];
  const contactEmails = [...new Set(records.flatMap((x) => emailsOf(x.record)))];
  const owners = new Map(ownerEmails.length ? (await ctx.db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, ownerEmails))).map((u) => [u.email.toLowerCase(), u.id]) : []);
  const accs = new Map(domains.length ? (await ctx.db.select({ id: accounts.id, domain: accounts.domain }).from(accounts).where(inArray(accounts.domain, domains))).map((a) => [a.domain!, a.id]) : []);
  const people = new Map<string, number>();
  for (let i = 0; i < contactEmails.length; i += 5000) {
    const chunk = contactEmails.slice(i, i + 5000);
    for (const c of await ctx.db.select({ id: contacts.id, email: contacts.email }).from(contacts).where(and(eq(contacts.workspaceId, WS), inArray(contacts.email, chunk)))) people.set(c.email, c.id);
  }

  const result: DealImportResult = { processed: 0, inserted: 0, updated: 0, rejected: [] };
  const seenExt = new Map<string, number>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    result.processed++;
    const ext = col(r, 'external_id') || null;
    const reject = (reason: string) => result.rejected.push({ line, externalId: ext, reason });
    if (ext && seenExt.has(ext)) {
      reject(`external_id: "${ext}" is already on line ${seenExt.get(ext)}`);
      continue;
    }
    if (ext) seenExt.set(ext, line);
    const problems: string[] = [];
    const ownerEmail = col(r, 'owner_email').toLowerCase();
    const domain = col(r, 'account_domain').toLowerCase();
    if (ownerEmail && !owners.has(ownerEmail)) problems.push(`owner_email: no user ${ownerEmail}`);
    if (domain && !accs.has(domain)) problems.push(`account_domain: no account with domain ${domain}`);
    const emails = emailsOf(r);
    const missing = emails.filter((e) => !people.has(e));
    if (missing.length) problems.push(`contact_emails: no contact ${missing.join(', ')}`);
    const amountText = col(r, 'amount').replace(/[,\s]/g, '');
    if (amountText && !/^-?\d+(\.\d+)?$/.test(amountText)) problems.push(`amount: "${col(r, 'amount')}" is not a number`);
    const candidate: Record<string, unknown> = {
      ...(ext ? { externalId: ext } : {}),
      ...(col(r, 'name') ? { name: col(r, 'name') } : {}),
      ...(amountText && /^-?\d+(\.\d+)?$/.test(amountText) ? { amount: Number(amountText) } : {}),
      ...(col(r, 'currency') ? { currency: col(r, 'currency') } : {}),
      ...(col(r, 'stage') ? { stage: snakeName(col(r, 'stage')) } : {}),
      ...(col(r, 'close_date') ? { closeDate: col(r, 'close_date') } : {}),
      ...(ownerEmail ? { ownerId: owners.get(ownerEmail) ?? null } : {}),
      ...(domain ? { accountId: accs.get(domain) ?? null } : {}),
      ...(col(r, 'lost_reason') ? { lostReason: col(r, 'lost_reason') } : {}),
      ...(col(r, 'won_at') ? { wonAt: col(r, 'won_at') } : {}),
      ...(emails.length ? { contacts: [...new Set(emails)].filter((e) => people.has(e)).map((e) => ({ id: people.get(e)! })) } : {}),
    };
    const [existing] = ext ? await ctx.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, WS), eq(deals.externalId, ext))) : [];
    const schema = existing ? DealInput.partial() : DealInput;
    const parsed = schema.safeParse(candidate);
    if (!parsed.success) problems.push(zodReason(parsed.error));
    if (problems.length || !parsed.success) {
      reject(problems.join('; '));
      continue;
    }
    try {
      const data = await resolveDealContacts(ctx.db, parsed.data);
      const created = await withTransaction(ctx, async (tx) => {
        const [prev] = ext ? await tx.select().from(deals).where(and(eq(deals.workspaceId, WS), eq(deals.externalId, ext))).for('update') : [];
        if (prev) {
          await updateDealInTx(tx, ctx, prev, data);
          return false;
        }
        if (!data.name) throw new ValidationError('name: is required to create a deal');
        await insertDealInTx(tx, ctx, { ...data, name: data.name });
        return true;
      });
      if (created) result.inserted++;
      else result.updated++;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) reject(err.message);
      else throw err;
    }
  }
  return result;
}

export async function exportDealsCsv({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ filename: string; csv: string }> {
  const q = DealExportQuery.parse(input ?? {});
  const out: string[][] = [[...DEAL_CSV_COLUMNS, 'id', 'created_at']];
  let before: number | undefined;
  for (;;) {
    const rows = await ctx.db
      .select()
      .from(deals)
      .where(and(...dealConditions(q), before ? sql`${deals.id} < ${before}` : undefined))
      .orderBy(desc(deals.id))
      .limit(1000);
    if (!rows.length) break;
    for (const d of await toDealDtos(ctx.db, rows)) {
      out.push(
        csvRow([d.externalId, d.name, d.amount, d.currency, d.stage, d.closeDate, d.owner?.email, d.account?.domain, d.contacts.map((c) => c.email).join(';'), d.lostReason, d.wonAt, d.id, d.createdAt]),
      );
    }
    before = rows[rows.length - 1]!.id;
    if (rows.length < 1000) break;
  }
  return { filename: `deals-${new Date().toISOString().slice(0, 10)}.csv`, csv: stringify(out) };
}
