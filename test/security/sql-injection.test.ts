// SQL injection: every list endpoint's sort / filter parameters come from allow-lists (enums, integers, dates,
// booleans: a hostile value is a 400 naming the parameter); free-text search parameters are bound values
// (a hostile value is just text that matches nothing). The endpoints are read from the OpenAPI document, so a
// new list endpoint is covered without editing this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.api('POST', '/contacts', { email: 'victim@example.com', firstName: 'Vic' });
  await t.api('POST', '/accounts', { name: 'Victim Inc', domain: 'victim.example' });
});
afterAll(() => t.close());

const HOSTILE = ["name;drop table contacts", "' or 1=1--", "1; drop table users--", "createdAt desc; select pg_sleep(5)", "1) or (1=1"];

interface Param {
  name: string;
  in: string;
  schema?: Record<string, unknown>;
}
type Kind = 'allow-listed' | 'text';

/** A parameter whose values come from a closed set (enum, number, boolean, date, array of enums) or free text. */
function kindOf(schema: Record<string, unknown> | undefined): Kind {
  if (!schema) return 'text';
  if (schema.enum || schema.const !== undefined) return 'allow-listed';
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') return 'allow-listed';
  if (schema.format === 'date-time' || schema.format === 'date' || schema.pattern) return 'allow-listed';
  if (schema.type === 'array') return kindOf(schema.items as Record<string, unknown>);
  const alts = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (alts) return alts.every((a) => kindOf(a) === 'allow-listed') ? 'allow-listed' : 'text';
  return 'text';
}

async function listEndpoints() {
  const spec = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
  const out: { path: string; url: string; params: (Param & { kind: Kind })[] }[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    const params = (ops.get?.parameters ?? []).filter((p) => p.in === 'query' && p.name !== 'cursor');
    if (!params.length) continue;
    out.push({ path, url: path.replace(/\{\w+\}/g, '1'), params: params.map((p) => ({ ...p, kind: kindOf(p.schema) })) });
  }
  return out;
}

async function tables(): Promise<string[]> {
  const { rows } = await t.database.pool.query(`select tablename from pg_tables where schemaname = 'public' order by 1`);
  return rows.map((r) => r.tablename as string);
}

describe('sql injection', () => {
  it('finds the list endpoints with sort and filter parameters', async () => {
    const eps = await listEndpoints();
    const paths = eps.map((e) => e.path);
    for (const p of ['/api/v1/contacts', '/api/v1/accounts', '/api/v1/deals', '/api/v1/events', '/api/v1/campaigns', '/api/v1/content/items', '/api/v1/intel', '/api/v1/library']) {
      expect(paths).toContain(p);
    }
    const sorts = eps.flatMap((e) => e.params.filter((p) => p.name === 'sort').map((p) => `${e.path} ${p.kind}`));
    expect(sorts.length).toBeGreaterThan(0);
    for (const s of sorts) expect(s).toMatch(/allow-listed$/);
  });

  it('rejects hostile values in allow-listed sort/filter parameters with a 400 naming the parameter', async () => {
    const before = await tables();
    const failures: string[] = [];
    let checked = 0;
    for (const ep of await listEndpoints()) {
      for (const p of ep.params.filter((x) => x.kind === 'allow-listed')) {
        checked++;
        for (const v of HOSTILE) {
          const res = await t.api('GET', `${ep.url.replace('/api/v1', '')}?${new URLSearchParams({ [p.name]: v })}`);
          const body = res.statusCode === 400 ? JSON.stringify(res.json().error) : '';
          if (res.statusCode !== 400 || !body.includes(p.name)) failures.push(`${ep.path}?${p.name}=${v} → ${res.statusCode} ${body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    expect(await tables()).toEqual(before);
  });

  it('treats hostile values in free-text search parameters as plain text (no error, nothing matched, nothing dropped)', async () => {
    const before = await tables();
    const failures: string[] = [];
    for (const ep of await listEndpoints()) {
      for (const p of ep.params.filter((x) => x.kind === 'text')) {
        for (const v of HOSTILE) {
          const res = await t.api('GET', `${ep.url.replace('/api/v1', '')}?${new URLSearchParams({ [p.name]: v })}`);
          // 404: the endpoint is about record 1, which may not exist; 400: the text fails a format rule (e.g. a URL).
          if (res.statusCode >= 500 || ![200, 400, 404].includes(res.statusCode)) failures.push(`${ep.path}?${p.name}=${v} → ${res.statusCode}`);
          const items = res.statusCode === 200 && /json/.test(String(res.headers['content-type'])) ? (res.json() as { items?: unknown[] }).items : undefined;
          if (p.name === 'q' && items?.length) failures.push(`${ep.path}?q=${v} matched ${items.length} rows`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tables()).toEqual(before);
    expect(await t.count('contacts')).toBe(1);
    expect(await t.count('users')).toBeGreaterThan(0);
  });

  it('rejects unknown sort columns and hostile custom-property filter names on contacts and accounts', async () => {
    for (const url of ['/contacts?sort=password_hash', '/contacts?sort=-(select 1)', '/accounts?sort=id;drop table accounts', '/contacts/export?sort=email,password_hash']) {
      const res = await t.api('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(JSON.stringify(res.json().error.details), url).toContain('sort');
    }
    for (const name of ['prop.x;drop table contacts', "prop.' or 1=1--", 'email;drop table contacts']) {
      const res = await t.api('GET', `/contacts?${new URLSearchParams({ [name]: 'x' })}`);
      expect(res.statusCode, name).toBe(400);
    }
    expect(await t.count('contacts')).toBe(1);
    expect(await t.count('accounts')).toBe(1);
  });

  it('rejects hostile cursors (opaque, validated) with a 400 naming the cursor', async () => {
    const forged = Buffer.from(JSON.stringify({ s: '-createdAt', v: "2020-01-01T00:00:00Z'; drop table contacts--", id: 1 })).toString('base64url');
    for (const cursor of ["' or 1=1--", forged]) {
      const res = await t.api('GET', `/contacts?${new URLSearchParams({ cursor })}`);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json().error)).toContain('cursor');
    }
    expect(await t.count('contacts')).toBe(1);
  });
});
