// `revloop backup`: every table of the public schema, read with COPY inside ONE repeatable-read, read-only
// transaction (a consistent snapshot, like pg_dump's), written as one gzip file (./format.ts). pg-boss's job
// tables are not included: queued jobs are transient and the schedules are re-created at start-up.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { VERSION } from '../../version.ts';
import { FORMAT, FORMAT_VERSION, knownMigrations, quoteIdent, type BackupHeader, type TableSection } from './format.ts';

export interface BackupProgress {
  table: string;
  index: number;
  total: number;
  rows: number;
}

export interface BackupResult {
  file: string;
  tables: number;
  rows: number;
  bytes: number;
}

/**
 * Tables of the public schema (partitioned parents, not their partitions) with their copyable columns, referenced
 * tables before the tables that refer to them (so a restore without superuser rights loads them in a valid order).
 */
export async function backupTables(client: pg.PoolClient | pg.Client): Promise<{ table: string; columns: string[] }[]> {
  const res = await client.query<{ table: string; columns: string[] }>(`
    select c.relname as table, array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    group by c.relname
    order by c.relname`);
  const edges = await client.query<{ child: string; parent: string }>(`
    select distinct cl.relname as child, pl.relname as parent
    from pg_constraint con join pg_class cl on cl.oid = con.conrelid join pg_class pl on pl.oid = con.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    where con.contype = 'f' and n.nspname = 'public' and cl.relname <> pl.relname and not cl.relispartition and not pl.relispartition`);
  const parents = new Map<string, Set<string>>(res.rows.map((t) => [t.table, new Set<string>()]));
  for (const e of edges.rows) parents.get(e.child)?.add(e.parent);
  const ordered: { table: string; columns: string[] }[] = [];
  const placed = new Set<string>();
  let rest = res.rows;
  while (rest.length) {
    const ready = rest.filter((t) => [...parents.get(t.table)!].every((p) => placed.has(p) || !parents.has(p)));
    const take = ready.length ? ready : [rest[0]!]; // a cycle: break it alphabetically
    for (const t of take) {
      ordered.push(t);
      placed.add(t.table);
    }
    rest = rest.filter((t) => !placed.has(t.table));
  }
  return ordered;
}

/** Tags of the migrations applied (drizzle records hashes and times, not tags: the count tells how far the schema is). */
export async function appliedMigrations(client: pg.PoolClient | pg.Client): Promise<string[]> {
  const res = await client.query<{ n: number | null }>(
    `select case when to_regclass('drizzle.__drizzle_migrations') is null then 0 else (select count(*)::int from drizzle.__drizzle_migrations) end as n`,
  );
  return knownMigrations().slice(0, res.rows[0]!.n ?? 0);
}

/** Writes the backup to `file` (via a temporary file renamed at the end: an interrupted backup leaves no half file). */
export async function backupDatabase(pool: pg.Pool, file: string, onProgress: (p: BackupProgress) => void = () => undefined): Promise<BackupResult> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-backup-'));
  const client = await pool.connect();
  const partial = `${file}.partial`;
  try {
    await client.query('begin isolation level repeatable read, read only');
    const tables = await backupTables(client);
    const header: BackupHeader = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      revloopVersion: VERSION,
      migrations: await appliedMigrations(client),
      database: (await client.query<{ db: string }>('select current_database() as db')).rows[0]!.db,
    };
    const gzip = createGzip({ level: 6 });
    const out = createWriteStream(partial, { mode: 0o600 });
    const done = pipeline(gzip, out);
    const write = (s: string | Buffer) => new Promise<void>((resolve, reject) => (gzip.write(s, (e) => (e ? reject(e) : resolve()))));
    await write(`${JSON.stringify(header)}\n`);
    let rows = 0;
    for (const [index, t] of tables.entries()) {
      // COPY into a temporary file first: the section line states its exact size.
      const tmp = path.join(tmpDir, 'table.copy');
      const cols = t.columns.map(quoteIdent).join(', ');
      const copy = client.query(copyTo(`copy (select ${cols} from ${quoteIdent(t.table)}) to stdout`));
      let lines = 0;
      copy.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      await pipeline(copy, createWriteStream(tmp));
      const section: TableSection = { table: t.table, columns: t.columns, rows: lines, bytes: statSync(tmp).size };
      await write(`${JSON.stringify(section)}\n`);
      for await (const chunk of createReadStream(tmp)) await write(chunk as Buffer);
      rows += lines;
      onProgress({ table: t.table, index: index + 1, total: tables.length, rows: lines });
    }
    await write(`${JSON.stringify({ end: true, tables: tables.length })}\n`);
    gzip.end();
    await done;
    await client.query('commit');
    await rename(partial, file);
    return { file, tables: tables.length, rows, bytes: statSync(file).size };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    rmSync(partial, { force: true });
    throw err;
  } finally {
    client.release();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
