// The revloop backup file: gzip of
//   {"format":"revloop-backup","version":1,...header}\n
//   {"table":"contacts","columns":[...],"rows":N,"bytes":B}\n  followed by B bytes of COPY text data  (per table)
//   {"end":true,"tables":K}\n
// A file without its end line (truncated, interrupted) is refused by restore. No pg_dump is needed: the
// embedded PostgreSQL ships without client tools, so revloop reads and writes its tables with COPY.
import { readFileSync } from 'node:fs';
import { MIGRATIONS_DIR } from '../migrate.ts';

export const FORMAT = 'revloop-backup';
export const FORMAT_VERSION = 1;

export interface BackupHeader {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  revloopVersion: string;
  /** Tags of the migrations applied in the database that was backed up (drizzle journal order). */
  migrations: string[];
  database: string;
}

export interface TableSection {
  table: string;
  columns: string[];
  rows: number;
  bytes: number;
}

export interface EndMarker {
  end: true;
  tables: number;
}

/** The migration tags this revloop knows, in order (src/db/migrations/meta/_journal.json). */
export function knownMigrations(): string[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Reads a stream as lines and exact byte counts (the sections of a backup). */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private done = false;

  constructor(stream: AsyncIterable<Buffer>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.it.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value;
    return true;
  }

  /** The next line without its newline, or null at the end of the stream. A last line without newline or longer than `max` is an error. */
  async readLine(max = 16 * 1024 * 1024): Promise<string | null> {
    for (;;) {
      const i = this.buf.indexOf(10);
      if (i >= 0) {
        const line = this.buf.subarray(0, i).toString('utf8');
        this.buf = this.buf.subarray(i + 1);
        return line;
      }
      if (this.buf.length > max) throw new Error('not a revloop backup (a header line is too long)');
      if (!(await this.fill())) {
        if (!this.buf.length) return null;
        throw new Error('the backup file ends in the middle of a line: it is truncated');
      }
    }
  }

  /** Hands exactly n bytes to `write` in chunks (awaiting each); throws if the stream ends first. */
  async readExactly(n: number, write: (chunk: Buffer) => Promise<void>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!this.buf.length && !(await this.fill())) throw new Error(`the backup file ends in the middle of a table (${left} bytes missing): it is truncated`);
      const take = Math.min(left, this.buf.length);
      const chunk = this.buf.subarray(0, take);
      this.buf = this.buf.subarray(take);
      left -= take;
      await write(chunk);
    }
  }
}
