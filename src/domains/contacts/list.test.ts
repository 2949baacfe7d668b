import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { CONTACT_SORTS } from '../../contracts/contacts.ts';
import { atLeastPage, cappedCount } from './list-query.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as('admin');
});
afterAll(() => t.close());

const list = async (query: string, headers = admin) => t.inject({ method: 'GET', url: `/api/v1/contacts?${query}`, headers });
type Item = { id: number; email: string; lastName: string | null; createdAt: string; updatedAt: string };

async function allPages(query: string, limit: number): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    items.push(...body.items);
    cursor = body.nextCursor;
    if (++pages > 100) throw new Error('pagination does not end');
  } while (cursor);
  return { items, pages };
}

describe('listContacts keyset pagination', () => {
  beforeAll(async () => {
    // 25 contacts sharing created_at / updated_at, a third without last name, several sharing a last name.
    await t.db.execute(sql`
      insert into contacts (email, last_name, created_at, updated_at)
      select 'tie' || lpad(i::text, 2, '0') || '@example.com',
             case when i % 3 = 0 then null when i % 2 = 0 then 'Same' else 'Other' || (i % 4) end,
             '2026-01-01T00:00:00.123456Z', '2026-02-01T00:00:00Z'
      from generate_series(1, 25) i`);
  });

  for (const sort of CONTACT_SORTS) {
    it(`returns every row exactly once, in order, across pages with ties (sort=${sort})`, async () => {
      const { items, pages } = await allPages(`q=tie&sort=${sort}`, 4);
      expect(pages).toBe(7);
      const ids = items.map((i) => i.id);
      expect(new Set(ids).size).toBe(25);
      expect(ids.length).toBe(25);
      const desc = sort.startsWith('-');
      const field = (desc ? sort.slice(1) : sort) as keyof Item;
      const expected = [...items].sort((a, b) => {
        const av = a[field] as string | null;
        const bv = b[field] as string | null;
        if (av === null && bv !== null) return 1; // nulls last in both directions
        if (bv === null && av !== null) return -1;
        const c = av === bv ? 0 : (av! < bv! ? -1 : 1) * (desc ? -1 : 1);
        return c !== 0 ? c : (a.id - b.id) * (desc ? -1 : 1);
      });
      expect(ids).toEqual(expected.map((i) => i.id));
    });
  }

  it('reports total for the whole filter on every page', async () => {
    const p1 = (await list('q=tie&limit=4')).json();
    expect(p1.total).toEqual({ count: 25, capped: false });
    const p2 = (await list(`q=tie&limit=4&cursor=${p1.nextCursor}`)).json();
    expect(p2.total).toEqual({ count: 25, capped: false });
  });

  it('rejects tampered, foreign and garbage cursors with 400 (never 500)', async () => {
    const p1 = (await list('q=tie&limit=4&sort=email')).json();
    const decoded = JSON.parse(Buffer.from(p1.nextCursor, 'base64url').toString());
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const bad = [
      'not a cursor!',
      'bm9wZQ', // "nope"
      forge({ ...decoded, id: 'x' }),
      forge({ ...decoded, s: 'createdAt' }), // another sort's cursor
      forge({ s: '-createdAt', v: 'yesterday', id: 1 }),
      forge({ s: '-createdAt', v: '2026-13-45T99:00:00Z', id: 1 }),
      forge({ s: '-createdAt', v: null, id: 1 }),
      forge({ ...decoded, extra: 1 }),
      'x'.repeat(501),
    ];
    for (const cursor of bad) {
      const sort = JSON.stringify(cursor).includes('createdAt') ? '-createdAt' : 'email';
      const res = await list(`q=tie&limit=4&sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    const wrongSort = await list(`q=tie&limit=4&sort=-email&cursor=${p1.nextCursor}`);
    expect(wrongSort.statusCode).toBe(400);
    expect(wrongSort.json().error.message).toMatch(/^cursor/);
  });
});

describe('listContacts filters', () => {
  let owner: { id: number };
  let accountId: number;
  beforeAll(async () => {
    owner = await t.makeUser('sales');
    accountId = (await t.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin, payload: { name: 'Filter Co', domain: 'filterco.com' } })).json().id;
    await t.inject({ method: 'POST', url: '/api/v1/properties', headers: admin, payload: { objectType: 'contact', key: 'plan', label: 'Plan', type: 'enum', options: ['Free', 'Pro'] } });
    await t.inject({ method: 'POST', url: '/api/v1/properties', headers: admin, payload: { objectType: 'contact', key: 'seats', label: 'Seats', type: 'number' } });
    await t.inject({ method: 'POST', url: '/api/v1/properties', headers: admin, payload: { objectType: 'contact', key: 'city', label: 'City', type: 'text' } });
    const people = [
      { email: 'jane.doe@filterco.com', firstName: 'Jane', lastName: 'Doe', lifecycleStage: 'lead', ownerId: owner.id, properties: { plan: 'Pro', seats: 5, city: 'Berlin' } },
      { email: 'john.smith@filterco.com', firstName: 'John', lastName: 'Smith', lifecycleStage: 'customer', properties: { plan: 'Free', seats: 1, city: 'berlin' } },
      { email: 'mary@elsewhere.org', firstName: 'Mary', lastName: 'Janeway', lifecycleStage: 'lead', properties: { city: 'Paris' } },
      { email: 'x_y@weird.org', firstName: 'Weird', lastName: null, lifecycleStage: 'subscriber' },
      { email: 'xay@weird.org', firstName: 'Weird', lastName: null, lifecycleStage: 'subscriber' },
    ];
    for (const p of people) expect((await t.inject({ method: 'POST', url: '/api/v1/contacts', headers: admin, payload: p })).statusCode).toBe(201);
  });

  const emails = async (query: string) => {
    const res = await list(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((i: { email: string }) => i.email).sort();
  };

  it('q matches email, first name or last name prefixes case-insensitively', async () => {
    expect(await emails('q=JANE')).toEqual(['jane.doe@filterco.com', 'mary@elsewhere.org']);
    expect(await emails('q=smi')).toEqual(['john.smith@filterco.com']);
    expect(await emails('q=jo')).toEqual(['john.smith@filterco.com']);
    expect(await emails('q=jane%20doe')).toEqual(['jane.doe@filterco.com']);
    expect(await emails('q=doe')).toEqual(['jane.doe@filterco.com']);
    expect(await emails('q=filterco')).toEqual([]);
  });

  it('q with a full email matches exactly, and LIKE wildcards match literally', async () => {
    expect(await emails('q=Jane.Doe@FilterCo.com')).toEqual(['jane.doe@filterco.com']);
    expect(await emails('q=jane.doe@filterco.co')).toEqual([]); // a full email is an exact match
    expect(await emails('q=jane.doe@filt')).toEqual(['jane.doe@filterco.com']); // a partial email is a prefix
    expect(await emails('q=x_')).toEqual(['x_y@weird.org']);
    expect(await emails('q=x%25')).toEqual([]);
    expect(await emails('q=_')).toEqual([]);
    expect(await emails('q=%5C')).toEqual([]);
  });

  it('filters by lifecycle stage, owner, account and creation time', async () => {
    expect(await emails('lifecycleStage=lead')).toEqual(['jane.doe@filterco.com', 'mary@elsewhere.org']);
    expect(await emails(`ownerId=${owner.id}`)).toEqual(['jane.doe@filterco.com']);
    expect(await emails(`accountId=${accountId}`)).toEqual(['jane.doe@filterco.com', 'john.smith@filterco.com']);
    expect(await emails(`accountId=${accountId}&lifecycleStage=customer`)).toEqual(['john.smith@filterco.com']);
    expect(await emails('createdBefore=2020-01-01T00:00:00Z')).toEqual([]);
    expect((await emails('createdAfter=2020-01-01T00:00:00Z&q=jane')).length).toBe(2);
  });

  it('filters by custom properties coerced by type (prop.<key>=value)', async () => {
    expect(await emails('prop.plan=pro')).toEqual(['jane.doe@filterco.com']);
    expect(await emails('prop.seats=1')).toEqual(['john.smith@filterco.com']);
    expect(await emails('prop.city=BERLIN')).toEqual(['jane.doe@filterco.com', 'john.smith@filterco.com']);
    expect(await emails('prop.plan=Free&prop.city=berlin')).toEqual(['john.smith@filterco.com']);
  });

  it('rejects unknown properties, bad property values, unknown parameters and bad filters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['prop.nope=1', 'prop.nope'],
      ['prop.plan=Enterprise', 'prop.plan'],
      ['prop.seats=many', 'prop.seats'],
      ['colour=blue', 'colour'],
      ['lifecycleStage=hot', 'lifecycleStage'],
      ['ownerId=abc', 'ownerId'],
      ['createdAfter=yesterday', 'createdAfter'],
      ['sort=firstName', 'sort'],
      ['sort=-phone', 'sort'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['lifecycleStage=lead&lifecycleStage=customer', 'lifecycleStage'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message, query).toContain(field);
    }
  });

  it('needs contacts:read (401 without credentials)', async () => {
    expect((await t.inject({ method: 'GET', url: '/api/v1/contacts' })).statusCode).toBe(401);
    expect((await list('limit=1', await t.as('viewer'))).statusCode).toBe(200);
  });
});

describe('listContacts total', () => {
  it('caps the count at 10,000', async () => {
    await t.db.execute(sql`insert into contacts (email) select 'bulk' || i || '@example.com' from generate_series(1, 10005) i`);
    const res = (await list('q=bulk&limit=3')).json();
    expect(res.total).toEqual({ count: 10000, capped: true });
    expect(res.items).toHaveLength(3);
    expect((await list('q=bulk1000&limit=3')).json().total).toEqual({ count: 7, capped: false }); // bulk1000, bulk10000..10005
  });
});

describe('cappedCount', () => {
  it('gives up after its time budget and reports an "at least" total instead of holding the request', async () => {
    const started = Date.now();
    const total = await cappedCount(t.db, 'contacts', [sql`c.workspace_id = 1`, sql`pg_sleep(0.2) is not null`]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(total).toEqual({ count: 0, capped: true });
    expect(atLeastPage(total, { rows: [1, 2, 3], nextCursor: 'x' })).toEqual({ count: 4, capped: true });
    expect(atLeastPage({ count: 7, capped: false }, { rows: [1], nextCursor: null })).toEqual({ count: 7, capped: false });
  });
});
