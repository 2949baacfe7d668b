// Reading import files: delimiter detection, the header + preview rows, and a streaming record reader that
// knows each record's line number (header = line 1; quoted fields may span lines) and the bytes consumed.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';

/** A problem with the file as a whole (not one row): it is not CSV, has no header, duplicate headers … */
export class CsvFileError extends Error {}

export type Delimiter = ',' | ';' | '\t' | '|';

export async function readHead(filePath: string, bytes = 64 * 1024): Promise<Buffer> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The delimiter that occurs most often in the first line, outside quotes (comma when none does). */
export function detectDelimiter(sample: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c as Delimiter]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t', '|'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Rejects binary files (NUL bytes, invalid UTF-8 in the first 64 KiB) before parsing. */
export function assertLooksLikeText(head: Buffer) {
  if (head.length === 0 || (head.length <= 3 && head.toString('utf8').replace(/^\uFEFF/, '').trim() === '')) {
    throw new CsvFileError('The file is empty');
  }
  if (head.includes(0)) throw new CsvFileError('The file is not a CSV text file (it contains binary data)');
  // The 64 KiB cut may split a multi-byte character: ignore up to 3 bytes at the end.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length === 64 * 1024 ? head.length - 3 : head.length));
  } catch {
    throw new CsvFileError('The file is not UTF-8 encoded text; save it as "CSV UTF-8" and upload it again');
  }
}

export interface CsvRecord {
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

function newlines(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    if (f.indexOf('\n') === -1 && f.indexOf('\r') === -1) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13 && f.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}

function blank(fields: string[]): boolean {
  for (const f of fields) if (f !== '' && f.trim() !== '') return false;
  return true;
}

export interface RecordBatch {
  records: CsvRecord[];
  /** Bytes of the file consumed when the last record of the batch was parsed. */
  bytes: number;
}

/**
 * Streams the file: first the header, then batches of up to batchSize records. Parsing runs ahead of the
 * consumer by at most one batch (so it overlaps with the consumer's database writes) and never holds
 * more than that in memory.
 */
export async function* readCsv(
  filePath: string,
  opts: { delimiter: Delimiter; batchSize: number },
): AsyncGenerator<{ header: CsvRecord } | RecordBatch> {
  const parser = parse({
    delimiter: opts.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: 1024 * 1024,
    info: true, // per-record byte offsets (the live parser.info runs ahead of paused output)
  });
  const input = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  const ready: ({ header: CsvRecord } | RecordBatch)[] = [];
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let end = 0; // last line of the previous record
  let batch: CsvRecord[] = [];
  let first = true;
  let bytes = 0;
  parser.on('data', ({ record: fields, info }: { record: string[]; info: { bytes: number } }) => {
    bytes = info.bytes;
    const start = end + 1;
    end = start + newlines(fields);
    if (blank(fields)) return; // an empty line, or one with only delimiters (",,,")
    if (first) {
      first = false;
      ready.push({ header: { line: start, fields } });
      notify();
      return;
    }
    batch.push({ line: start, fields });
    if (batch.length >= opts.batchSize) {
      ready.push({ records: batch, bytes });
      batch = [];
      if (ready.length >= 1) parser.pause();
      notify();
    }
  });
  parser.on('end', () => {
    if (batch.length > 0) ready.push({ records: batch, bytes });
    batch = [];
    ended = true;
    notify();
  });
  const onError = (err: unknown) => {
    failure = err;
    notify();
  };
  parser.on('error', onError);
  input.on('error', onError);
  input.pipe(parser);
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        if (parser.isPaused()) parser.resume();
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (err instanceof CsvError) throw new CsvFileError(`The file is not valid CSV: ${(err as Error).message}`);
    if (code === 'ENOENT') throw new CsvFileError('The uploaded file is no longer on disk (was DATA_DIR/uploads cleaned?)');
    throw err;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** Header names, trimmed; blank ones named "Column N"; duplicates are a file error. */
export function headerNames(fields: string[]): string[] {
  const names = fields.map((f, i) => f.trim() || `Column ${i + 1}`);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new CsvFileError(`The header has the column "${n}" twice; give every column a different name`);
    seen.add(n);
  }
  return names;
}

export interface Preview {
  delimiter: Delimiter;
  headers: string[];
  rows: string[][];
}

/** Header and the first `rows` data rows only (reads little more than that from disk). */
export async function readPreview(filePath: string, rows = 5): Promise<Preview> {
  const head = await readHead(filePath);
  assertLooksLikeText(head);
  const delimiter = detectDelimiter(head.toString('utf8').replace(/^\uFEFF/, ''));
  let headers: string[] | null = null;
  const sample: string[][] = [];
  for await (const item of readCsv(filePath, { delimiter, batchSize: 1 })) {
    if ('header' in item) headers = headerNames(item.header.fields);
    else {
      sample.push(...item.records.map((r) => r.fields));
      if (sample.length >= rows) break;
    }
  }
  if (!headers || headers.every((h) => /^Column \d+$/.test(h))) throw new CsvFileError('The file has no header row; the first line must name the columns');
  return { delimiter, headers, rows: sample.slice(0, rows) };
}
