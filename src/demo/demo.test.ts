import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor, type Ctx } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { LIFECYCLE_STAGES } from '../domains/contacts/schema.ts';
import { validateProperties } from '../domains/contacts/properties.ts';
import { ConflictError } from '../errors.ts';
import { loadDemo } from './index.ts';
import { createRng } from './random.ts';
import { generateContacts } from './steps/contacts.ts';

const NOW = new Date('2026-11-01T12:00:00Z');
const N = 400;

const cli = (t: TestApp): Ctx => ({ db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir });
async function q<T = Record<string, unknown>>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await t.db.execute(query)).rows as T[];
}

describe('loadDemo', { timeout: 90_000 }, () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp(), createTestApp()]);
    await Promise.all([a.makeUser('admin'), b.makeUser('admin')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('loads accounts, contacts, owners and custom properties, with one audit row', async () => {
    const progress: number[] = [];
    const result = await loadDemo({ ctx: cli(a), input: { contacts: N, seed: 'test', now: NOW }, onProgress: (done) => progress.push(done) });
    expect(result.counts).toMatchObject({ contacts: N, accounts: 10, users: 7, propertyDefinitions: 7 });
    expect(progress.at(-1)).toBeGreaterThanOrEqual(N + 10);

    const [counts] = await q<{ contacts: number; accounts: number; linked: number; owned: number }>(
      a,
      sql`select (select count(*)::int from contacts) contacts, (select count(*)::int from accounts) accounts,
                 (select count(*)::int from contacts where account_id is not null) linked,
                 (select count(*)::int from accounts where owner_id is not null) owned`,
    );
    expect(counts).toMatchObject({ contacts: N, accounts: 10 });
    expect(counts!.linked / N).toBeGreaterThan(0.75); // most contacts work at an account; some use free mail
    expect(counts!.owned).toBeGreaterThan(0);

    // Contacts at an account use its domain.
    const mismatched = await q(a, sql`select c.email from contacts c join accounts ac on ac.id = c.account_id where c.email not like '%@' || ac.domain`);
    expect(mismatched).toEqual([]);

    const roles = await q<{ role: string; n: number }>(a, sql`select role, count(*)::int n from users where email like '%@lumenworks.example' group by role order by role`);
    expect(roles).toEqual([
      { role: 'marketing', n: 3 },
      { role: 'sales', n: 4 },
    ]);

    const audit = await q<{ summary: string; actor_type: string }>(a, sql`select summary, actor_type from audit_log where action = 'demo.loaded'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toBe(`Demo data loaded: 10 accounts, ${N} contacts, 7 users (seed test)`);
    expect(audit[0]!.actor_type).toBe('cli');
  });

  it('shapes lifecycle stages like a funnel and spreads created_at over the past 9 months', async () => {
    const stages = await q<{ stage: string; n: number }>(a, sql`select lifecycle_stage stage, count(*)::int n from contacts group by 1 order by 2 desc`);
    for (const s of stages) expect(LIFECYCLE_STAGES).toContain(s.stage);
    expect(stages[0]!.stage).toBe('subscriber');
    const n = Object.fromEntries(stages.map((s) => [s.stage, s.n]));
    expect(n.subscriber).toBeGreaterThan(n.lead!);
    expect(n.lead).toBeGreaterThan(n.marketing_qualified!);
    expect(n.marketing_qualified).toBeGreaterThan(n.sales_ready ?? 0);
    expect(stages.length).toBeGreaterThanOrEqual(7);

    const [range] = await q<{ min: Date; max: Date; older: number }>(
      a,
      sql`select min(created_at) min, max(created_at) max, count(*) filter (where created_at < ${NOW.toISOString()}::timestamptz - interval '120 days')::int older from contacts`,
    );
    const day = 86_400_000;
    expect(NOW.getTime() - new Date(range!.min).getTime()).toBeLessThanOrEqual(271 * day);
    expect(NOW.getTime() - new Date(range!.min).getTime()).toBeGreaterThan(200 * day);
    expect(new Date(range!.max).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(range!.older).toBeGreaterThan(N * 0.2);
  });

  it('writes titles with seniority and property values that pass property validation', async () => {
    const defs = await q<{ object_type: string; key: string; type: 'text' | 'number' | 'date' | 'boolean' | 'enum'; options: string[] | null }>(
      a,
      sql`select object_type, key, type, options from property_definitions`,
    );
    const contactDefs = new Map(defs.filter((d) => d.object_type === 'contact').map((d) => [d.key, d]));
    const accountDefs = new Map(defs.filter((d) => d.object_type === 'account').map((d) => [d.key, d]));
    expect([...contactDefs.keys()].sort()).toEqual(['job_function', 'last_event_date', 'lead_source', 'newsletter_opt_in', 'seniority']);
    expect([...accountDefs.keys()].sort()).toEqual(['arr', 'tier']);

    const contacts = await q<{ title: string | null; properties: Record<string, unknown> }>(a, sql`select title, properties from contacts`);
    for (const c of contacts) expect(validateProperties(contactDefs, c.properties).issues).toEqual([]);
    const accounts = await q<{ properties: Record<string, unknown> }>(a, sql`select properties from accounts`);
    for (const acc of accounts) expect(validateProperties(accountDefs, acc.properties).issues).toEqual([]);

    const titles = contacts.map((c) => c.title).filter(Boolean) as string[];
    expect(titles.length).toBeGreaterThan(N * 0.8);
    expect(titles.some((t) => /^(VP|Director|Chief|C[EFIMT]O)/.test(t))).toBe(true);
  });

  it('is what the contacts and accounts APIs show', async () => {
    const headers = await a.as('viewer');
    const res = await a.inject({ method: 'GET', url: '/api/v1/contacts?lifecycleStage=customer&limit=5', headers });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: { lifecycleStage: string; account: { domain: string } | null; owner: { email: string } | null }[]; total: { count: number } };
    expect(page.items.length).toBeGreaterThan(0);
    for (const c of page.items) expect(c.lifecycleStage).toBe('customer');
    expect(page.items.some((c) => c.owner?.email.endsWith('@lumenworks.example'))).toBe(true);
    const vps = await a.inject({ method: 'GET', url: '/api/v1/contacts?prop.seniority=VP&limit=200', headers });
    expect(vps.statusCode).toBe(200);
    expect((vps.json() as { items: { title: string }[] }).items.every((c) => /^(VP|SVP)/.test(c.title ?? 'VP'))).toBe(true);
    const accounts = await a.inject({ method: 'GET', url: '/api/v1/accounts?limit=200', headers });
    expect(accounts.statusCode).toBe(200);
    const list = (accounts.json() as { items: { contactCount: number }[] }).items;
    expect(list).toHaveLength(10);
    expect(list.reduce((n, x) => n + x.contactCount, 0)).toBeGreaterThan(N * 0.75);
  });

  it('is deterministic for a seed', async () => {
    await loadDemo({ ctx: cli(b), input: { contacts: N, seed: 'test', now: NOW } });
    const pick = (t: TestApp) =>
      q(t, sql`select c.email, c.first_name, c.title, c.phone, c.lifecycle_stage, c.properties, c.created_at, ac.name account from contacts c left join accounts ac on ac.id = c.account_id order by c.id`);
    const [ra, rb] = await Promise.all([pick(a), pick(b)]);
    expect(rb).toEqual(ra);
    // Another seed, another company.
    const gen = (seed: string) => [...generateContacts({ rng: createRng(seed), count: 20, now: NOW, accounts: [], users: [] })].map((c) => c.email);
    expect(gen('one')).toEqual(gen('one'));
    expect(gen('two')).not.toEqual(gen('one'));
  });

  it('refuses to load twice and changes nothing', async () => {
    const count = () => q<{ n: number; u: number }>(a, sql`select (select count(*)::int from contacts) n, (select count(*)::int from users) u`);
    const before = await count();
    await expect(loadDemo({ ctx: cli(a), input: { contacts: N, seed: 'other', now: NOW } })).rejects.toThrow(ConflictError);
    await expect(loadDemo({ ctx: cli(a), input: { contacts: N, seed: 'other', now: NOW } })).rejects.toThrow(/already loaded/);
    expect(await count()).toEqual(before);
    expect(before[0]!.n).toBe(N);
  });

  it('rejects bad options', async () => {
    await expect(loadDemo({ ctx: cli(a), input: { contacts: 0 } })).rejects.toThrow(/>=1/);
    await expect(loadDemo({ ctx: cli(a), input: { contacts: 2_000_000 } })).rejects.toThrow(/<=1000000/);
  });
});

describe('loadDemo before setup', { timeout: 90_000 }, () => {
  it('refuses until an admin exists, so the setup link keeps working', async () => {
    const t = await createTestApp();
    try {
      await expect(loadDemo({ ctx: cli(t), input: { contacts: 10 } })).rejects.toThrow(/Create the admin account first/);
      const [c] = await q<{ n: number; u: number }>(t, sql`select (select count(*)::int from contacts) n, (select count(*)::int from users) u`);
      expect(c).toEqual({ n: 0, u: 0 });
    } finally {
      await t.close();
    }
  });
});
