// Reading a CSV file of records for the importers that take a whole file in one request (deals, content
// inventory, costs): header names normalised to snake_case and mapped through the importer's aliases, each record
// with its line numbers; a file that is not CSV or has no data row is a 400 naming the file.
import { parse } from 'csv-parse/sync';
import { ValidationError } from './errors.ts';

/** "Deal Name " → "deal_name": lower snake_case, no leading or trailing underscores. */
export const snakeName = (h: string) => h.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

export interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/** The data rows of `csv` (at least one), keyed by normalised header names (aliases[name] ?? name). */
export function parseCsvRecords(csv: string, aliases: Record<string, string>): CsvRecord[] {
  let records: CsvRecord[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((x) => aliases[snakeName(x)] ?? snakeName(x)), bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
  } catch (err) {
    throw new ValidationError(`file: not readable as CSV (${(err as Error).message})`, [{ field: 'file', message: (err as Error).message }]);
  }
  if (!records.length) throw new ValidationError('file: no data rows (the first line must be the header)', [{ field: 'file', message: 'no data rows' }]);
  return records;
}
