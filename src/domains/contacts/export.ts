// CSV export of a filtered contacts or accounts list. Streams: rows are read page by page with the same
// keyset query as the list (1,000 at a time) and written through csv-stringify with backpressure, so
// memory stays flat for any number of rows. Every cell goes through the formula-injection guard.
import { pipeline as pipe, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Ctx } from '../../context.ts';
import { AccountExportQuery, ContactExportQuery } from '../../contracts/contacts.ts';
import { accountConditions, ACCOUNT_SORT_COLUMNS } from './accounts.ts';
import { csvRow } from './csv-safe.ts';
import { ACCOUNT_COLUMNS, ACCOUNT_JOINS, CONTACT_COLUMNS, CONTACT_JOINS, type AccountRow, type ContactRow } from './dto.ts';
import { CONTACT_SORT_COLUMNS, contactConditions, keysetPage, planSort, type KeysetQuery } from './list-query.ts';
import { loadPropertyDefinitions } from './property-definitions.ts';

const PAGE = 1000;

export const CONTACT_EXPORT_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'title',
  'phone',
  'lifecycle_stage',
  'owner_email',
  'account_name',
  'account_domain',
  'created_at',
  'updated_at',
] as const;

export const ACCOUNT_EXPORT_COLUMNS = [
  'id',
  'name',
  'domain',
  'industry',
  'employee_count',
  'country',
  'owner_email',
  'contact_count',
  'created_at',
  'updated_at',
] as const;

export interface CsvExport {
  /** contacts-YYYY-MM-DD.csv */
  filename: string;
  /** Header then one escaped row per record. */
  records(): AsyncGenerator<string[]>;
  /** The CSV text as a stream (for an HTTP response). */
  stream(): Readable;
}

const today = () => new Date().toISOString().slice(0, 10);

function toCsvExport(filename: string, records: () => AsyncGenerator<string[]>): CsvExport {
  return {
    filename,
    records,
    stream: () => {
      const csv = stringify();
      // pipeline (not pipe): a database error mid-export destroys the response instead of leaving it hanging.
      pipe(Readable.from(records()), csv, () => undefined);
      return csv;
    },
  };
}

async function* pages<R extends { id: number }>(ctx: Ctx, q: KeysetQuery): AsyncGenerator<R> {
  let cursor: string | undefined;
  do {
    const page = await keysetPage<R>(ctx.db, { ...q, cursor, limit: PAGE });
    yield* page.rows;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Validates the filters (400s happen here, before any byte is sent) and returns the export to stream. */
export async function prepareContactExport({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CsvExport> {
  const query = ContactExportQuery.parse(input ?? {});
  const defs = [...(await loadPropertyDefinitions(ctx.db, 'contact')).values()];
  const where = contactConditions(query, new Map(defs.map((d) => [d.key, d])));
  const q: KeysetQuery = { table: 'contacts', select: CONTACT_COLUMNS, joins: CONTACT_JOINS, where, sort: query.sort, columns: CONTACT_SORT_COLUMNS, cursor: undefined, limit: PAGE };
  planSort(q);
  return toCsvExport(`contacts-${today()}.csv`, async function* () {
    yield csvRow([...CONTACT_EXPORT_COLUMNS, ...defs.map((d) => d.key)]);
    for await (const r of pages<ContactRow>(ctx, q)) {
      yield csvRow([
        r.id,
        r.email,
        r.first_name,
        r.last_name,
        r.title,
        r.phone,
        r.lifecycle_stage,
        r.owner_email,
        r.account_name,
        r.account_domain,
        r.created_at,
        r.updated_at,
        ...defs.map((d) => r.properties?.[d.key]),
      ]);
    }
  });
}

export async function prepareAccountExport({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CsvExport> {
  const query = AccountExportQuery.parse(input ?? {});
  const defs = [...(await loadPropertyDefinitions(ctx.db, 'account')).values()];
  const q: KeysetQuery = { table: 'accounts', select: ACCOUNT_COLUMNS, joins: ACCOUNT_JOINS, where: accountConditions(query), sort: query.sort, columns: ACCOUNT_SORT_COLUMNS, cursor: undefined, limit: PAGE };
  return toCsvExport(`accounts-${today()}.csv`, async function* () {
    yield csvRow([...ACCOUNT_EXPORT_COLUMNS, ...defs.map((d) => d.key)]);
    for await (const r of pages<AccountRow>(ctx, q)) {
      yield csvRow([
        r.id,
        r.name,
        r.domain,
        r.industry,
        r.employee_count,
        r.country,
        r.owner_email,
        r.contact_count,
        r.created_at,
        r.updated_at,
        ...defs.map((d) => r.properties?.[d.key]),
      ]);
    }
  });
}

async function writeCsv(exp: CsvExport, out: Writable): Promise<{ rows: number; filename: string }> {
  let rows = -1; // the header is not a row
  const counted = async function* () {
    for await (const r of exp.records()) {
      rows++;
      yield r;
    }
  };
  await pipeline(Readable.from(counted()), stringify(), out);
  return { rows, filename: exp.filename };
}

/**
 * Streams the contacts matching `input` (ContactExportQuery: the list filters, prop.<key>=value, sort)
 * as CSV to any Writable (a file, stdout, an HTTP response). Resolves with the number of data rows
 * once `out` has finished. Used by the CLI (`revloop export contacts`).
 */
export async function exportContactsCsv({ ctx, input, out }: { ctx: Ctx; input: unknown; out: Writable }) {
  return writeCsv(await prepareContactExport({ ctx, input }), out);
}

/** Same as exportContactsCsv for accounts (AccountExportQuery: q, ownerId, sort). */
export async function exportAccountsCsv({ ctx, input, out }: { ctx: Ctx; input: unknown; out: Writable }) {
  return writeCsv(await prepareAccountExport({ ctx, input }), out);
}
