// Where the import's PostgreSQL time goes: the same INSERT … SELECT of N staged contacts into `contacts`
// with all indexes and FKs, without FKs, without the lower(name) search indexes, and with only the PK and the
// email unique index; plus a bare-table insert. Run: npx node bench/import/index-cost.ts (N=200000 rows).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';

const N = Number(process.env.BENCH_ROWS ?? 200_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'exp-'));
const db = await startEmbeddedPostgres({ dataDir: dir });
await runMigrations(db.url);
const c = new pg.Client(db.url);
await c.connect();
await c.query(`create unlogged table stage as select 'user'||g||'@co'||(g%5000)||'.com' as email, 'First'||(g%977) as first_name, 'Last'||(g%1231) as last_name, 'VP Marketing' as title, '+1 555 '||g as phone from generate_series(1,${N}) g`);
await c.query(`insert into accounts(name, domain) select 'Co '||g, 'co'||g||'.com' from generate_series(0,4999) g`);
await c.query('vacuum analyze');
async function run(label: string) {
  await c.query('truncate contacts cascade');
  await c.query('checkpoint');
  const t = performance.now();
  await c.query(`insert into contacts (email, first_name, last_name, title, phone, account_id) select s.email, s.first_name, s.last_name, s.title, s.phone, a.id from stage s left join accounts a on a.domain = split_part(s.email,'@',2) on conflict (workspace_id, email) do nothing`);
  console.log(label, Math.round(performance.now() - t), 'ms');
}
await run('all indexes + FKs');
await run('all indexes + FKs (again)');
await c.query('alter table contacts drop constraint if exists contacts_account_id_accounts_id_fk, drop constraint if exists contacts_owner_id_users_id_fk');
await run('no FKs');
for (const ix of ['contacts_first_name_lower_idx', 'contacts_last_name_lower_idx']) await c.query(`drop index ${ix}`);
await run('no FKs, no lower-name idx');
for (const ix of ['contacts_updated_idx', 'contacts_last_name_idx', 'contacts_stage_created_idx', 'contacts_owner_idx', 'contacts_account_idx', 'contacts_created_idx']) await c.query(`drop index ${ix}`);
await run('pk + email unique only');
const t = performance.now();
await c.query('create unlogged table bare as select * from stage limit 0');
await c.query('insert into bare select * from stage');
console.log('bare insert..select', Math.round(performance.now() - t), 'ms');
await c.end();
await db.stop();
rmSync(dir, { recursive: true, force: true });
