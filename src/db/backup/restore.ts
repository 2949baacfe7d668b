// `revloop restore`: reads a backup (./format.ts) into a database migrated to this revloop's schema, in ONE
// transaction: a truncated or corrupt file, a newer schema, or any row PostgreSQL refuses rolls everything
// back and leaves the target as it was. The target must hold no revloop data unless `force` (then its
// tables are emptied first, in the same transaction).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { runMigrations } from '../migrate.ts';
import { backupTables } from './backup.ts';
import { ByteReader, FORMAT, FORMAT_VERSION, knownMigrations, quoteIdent, type BackupHeader, type EndMarker, type TableSection } from './format.ts';

export class RestoreError extends Error {}

export interface RestoreResult {
  header: BackupHeader;
  tables: number;
  rows: number;
}

function parseJsonLine<T>(line: string | null, what: string): T {
  if (line === null) throw new RestoreError(`the backup file ends before ${what}: it is truncated`);
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new RestoreError(`not a revloop backup, or a damaged one (${what} is not readable)`);
  }
}

/** Reads and checks the header only (for `revloop restore --check` and before touching the target). */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const reader = new ByteReader(createReadStream(file).pipe(createGunzip()));
  try {
    return checkHeader(parseJsonLine<BackupHeader>(await reader.readLine(), 'its header'));
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    throw new RestoreError(`not a revloop backup (${(err as Error).message})`);
  }
}

function checkHeader(h: BackupHeader): BackupHeader {
  if (h?.format !== FORMAT) throw new RestoreError('not a revloop backup (no revloop-backup header)');
  if (h.version !== FORMAT_VERSION) throw new RestoreError(`backup format version ${h.version} is not supported by this revloop (it reads version ${FORMAT_VERSION})`);
  const known = knownMigrations();
  const unknown = h.migrations.filter((m, i) => known[i] !== m);
  if (h.migrations.length > known.length || unknown.length) {
    throw new RestoreError(`the backup was made by a newer revloop (${h.revloopVersion}, schema ${h.migrations.at(-1)}); upgrade revloop, then restore`);
  }
  return h;
}

export async function restoreDatabase(
  url: string,
  pool: pg.Pool,
  file: string,
  opts: { force?: boolean; onProgress?: (p: { table: string; rows: number; index: number; total: number }) => void } = {},
): Promise<RestoreResult> {
  await readBackupHeader(file); // fail fast, before migrating anything
  await runMigrations(url);
  const reader = new ByteReader(createReadStream(file).pipe(createGunzip()));
  const client = await pool.connect();
  try {
    const header = checkHeader(parseJsonLine<BackupHeader>(await reader.readLine(), 'its header'));
    await client.query('begin');
    const target = await backupTables(client);
    const targetCols = new Map(target.map((t) => [t.table, new Set(t.columns)]));
    const nonEmpty: string[] = [];
    for (const t of target) {
      const r = await client.query(`select exists (select 1 from ${quoteIdent(t.table)}) as x`);
      if (r.rows[0].x) nonEmpty.push(t.table);
    }
    if (nonEmpty.length && !opts.force) {
      throw new RestoreError(`the target database already holds revloop data (${nonEmpty.slice(0, 5).join(', ')}${nonEmpty.length > 5 ? ', …' : ''}); restore into an empty database, or pass --force to replace it`);
    }
    if (nonEmpty.length) await client.query(`truncate ${target.map((t) => quoteIdent(t.table)).join(', ')} restart identity cascade`);
    // Rows go in table by table, so foreign keys are checked at the end of the transaction (superuser:
    // triggers off for the load, then every foreign key verified below).
    const superuser = (await client.query(`select rolsuper from pg_roles where rolname = current_user`)).rows[0]?.rolsuper === true;
    if (superuser) await client.query(`set local session_replication_role = replica`);
    else await client.query('set constraints all deferred');

    let tables = 0;
    let rows = 0;
    for (;;) {
      const line = await reader.readLine();
      const section = parseJsonLine<TableSection | EndMarker>(line, 'its end marker');
      if ('end' in section) {
        if (section.tables !== tables) throw new RestoreError(`the backup lists ${section.tables} tables but holds ${tables}: it is damaged`);
        break;
      }
      const cols = targetCols.get(section.table);
      if (!cols) throw new RestoreError(`the backup has a table "${section.table}" that this revloop does not know`);
      const missing = section.columns.filter((c) => !cols.has(c));
      if (missing.length) throw new RestoreError(`table "${section.table}" of the backup has columns this revloop does not know: ${missing.join(', ')}`);
      const stream = client.query(copyFrom(`copy ${quoteIdent(section.table)} (${section.columns.map(quoteIdent).join(', ')}) from stdin`));
      const finished = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      await reader.readExactly(section.bytes, (chunk) => new Promise<void>((resolve, reject) => stream.write(chunk, (e) => (e ? reject(e) : resolve()))));
      stream.end();
      await finished;
      tables++;
      rows += section.rows;
      opts.onProgress?.({ table: section.table, rows: section.rows, index: tables, total: target.length });
    }
    if (superuser) {
      await client.query(`set local session_replication_role = origin`);
      await verifyForeignKeys(client);
    }
    await resetIdentities(client);
    await client.query('commit');
    return { header, tables, rows };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    if (err instanceof RestoreError) throw err;
    const pgErr = err as { message?: string; code?: string; where?: string };
    throw new RestoreError(`restore failed, nothing was changed: ${pgErr.message ?? err}${pgErr.where ? ` (${pgErr.where.split('\n')[0]})` : ''}`);
  } finally {
    client.release();
  }
}

/** With triggers off during the load, every foreign key is checked once, set-based, before the commit. */
async function verifyForeignKeys(client: pg.PoolClient): Promise<void> {
  const fks = await client.query<{ conname: string; child: string; parent: string; ccols: string[]; pcols: string[] }>(`
    select con.conname, cl.relname as child, pl.relname as parent,
           array(select attname::text from unnest(con.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by o) as ccols,
           array(select attname::text from unnest(con.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by o) as pcols
    from pg_constraint con
    join pg_class cl on cl.oid = con.conrelid
    join pg_class pl on pl.oid = con.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    where con.contype = 'f' and n.nspname = 'public' and not cl.relispartition and con.conparentid = 0`);
  for (const fk of fks.rows) {
    const notNull = fk.ccols.map((c) => `c.${quoteIdent(c)} is not null`).join(' and ');
    const join = fk.ccols.map((c, i) => `p.${quoteIdent(fk.pcols[i]!)} = c.${quoteIdent(c)}`).join(' and ');
    const bad = await client.query(`select 1 from ${quoteIdent(fk.child)} c where ${notNull} and not exists (select 1 from ${quoteIdent(fk.parent)} p where ${join}) limit 1`);
    if (bad.rowCount) throw new RestoreError(`the backup is inconsistent: a row of "${fk.child}" refers to a missing "${fk.parent}" (${fk.conname})`);
  }
}

/** Identity columns continue after the highest restored id. */
async function resetIdentities(client: pg.PoolClient): Promise<void> {
  const ids = await client.query<{ tbl: string; col: string }>(`
    select c.relname as tbl, a.attname as col
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and a.attidentity in ('a', 'd') and c.relkind in ('r', 'p') and not c.relispartition`);
  for (const { tbl, col } of ids.rows) {
    await client.query(
      `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quoteIdent(col)}) from ${quoteIdent(tbl)}), 0) + 1, false)`,
      [quoteIdent(tbl), col],
    );
  }
}

