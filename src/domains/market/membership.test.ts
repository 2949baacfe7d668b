// Event-driven membership: changes queue contacts (triggers in the change's transaction), the pass
// re-evaluates only them, and the result always equals a full recompute; the time-window sweep; the
// helpers other domains use.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { makeSource, send } from '../tracking/test-helpers.ts';
import { enqueueEvents } from '../scoring/inbox.ts';
import { SegmentRule, type RuleGroup } from '../../contracts/market.ts';
import { compileRule, fromFor } from './compile.ts';
import { isInSegment, processMarketInbox, segmentContactIds, segmentMemberFilter, sweepTimeRelative } from './membership.ts';

let t: TestApp;
let source: { id: number; writeKey: string };

// A seeded generator so a failure can be replayed.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

async function drain(now?: Date) {
  for (let i = 0; i < 100; i++) if (!(await processMarketInbox(t.db, { now })).rows) return;
  throw new Error('market inbox did not drain');
}

async function members(segmentId: number): Promise<number[]> {
  return (await t.db.execute(sql`select contact_id from segment_members where segment_id = ${segmentId} order by contact_id`)).rows.map((r) => Number(r.contact_id));
}

async function recompute(segmentId: number, now = new Date()): Promise<number[]> {
  const seg = (await t.db.execute(sql`select rule from segments where id = ${segmentId}`)).rows[0] as { rule: unknown };
  const c = await compileRule(t.db, SegmentRule.parse(seg.rule), { mode: 'full', now });
  return (await t.db.execute(sql`select c.id from ${fromFor(c)} where c.workspace_id = 1 and ${c.where} order by c.id`)).rows.map((r) => Number(r.id));
}

async function insertEvents(rows: { contactId: number; event: string; daysAgo: number }[]) {
  if (!rows.length) return;
  const res = await t.db.execute(sql`
    insert into events (workspace_id, source_id, message_id, type, event, contact_id, timestamp, received_at)
    select 1, ${source.id}, gen_random_uuid()::text, 'track', u.event, u.contact_id, now() - u.days * interval '1 day', now()
    from unnest(${sql.param(rows.map((r) => r.contactId))}::int8[], ${sql.param(rows.map((r) => r.event))}::text[], ${sql.param(rows.map((r) => r.daysAgo))}::float8[]) as u(contact_id, event, days)
    returning id, received_at`);
  const ids = res.rows.map((r) => Number(r.id));
  const at = new Date(res.rows[0]!.received_at as string);
  await enqueueEvents(t.db, 1, ids, at, at); // what ingest does: the scoring inbox row, which the trigger copies to the market inbox
}

const rules: Record<string, RuleGroup> = {
  engagedBuyers: {
    kind: 'group',
    match: 'all',
    conditions: [
      { kind: 'event', event: 'Demo Requested', count: { op: 'gte', value: 2 }, withinDays: 30 },
      { kind: 'property', object: 'account', field: 'employee_count', op: 'gte', value: 50 },
      { kind: 'group', match: 'any', conditions: [{ kind: 'property', object: 'contact', field: 'prop.role', op: 'in', value: ['finance', 'ops'] }, { kind: 'property', object: 'contact', field: 'title', op: 'contains', value: 'vp' }] },
    ],
  },
  quietLeads: {
    kind: 'group',
    match: 'all',
    conditions: [
      { kind: 'property', object: 'contact', field: 'lifecycle_stage', op: 'in', value: ['lead', 'marketing_qualified'] },
      { kind: 'event', event: 'Pricing Viewed', count: { op: 'eq', value: 0 } },
    ],
  },
  listOrIndustry: {
    kind: 'group',
    match: 'any',
    conditions: [
      { kind: 'property', object: 'account', field: 'industry', op: 'eq', value: 'software' },
      { kind: 'property', object: 'contact', field: 'prop.seats', op: 'between', value: [10, 20] },
    ],
  },
};
const segmentIds: Record<string, number> = {};
let accountIds: number[] = [];
let contactIds: number[] = [];
let listId = 0;

beforeAll(async () => {
  t = await createTestApp();
  source = await makeSource(t);
  await t.api('POST', '/properties', { objectType: 'contact', key: 'role', label: 'Role', type: 'enum', options: ['finance', 'ops', 'it', 'sales'] });
  await t.api('POST', '/properties', { objectType: 'contact', key: 'seats', label: 'Seats', type: 'number' });
  const acc = await t.db.execute(sql`
    insert into accounts (name, domain, industry, employee_count)
    select 'Co ' || g, 'co' || g || '.test', (array['Software','Retail','Banking'])[1 + g % 3], (g * 37) % 400 from generate_series(1, 20) g returning id`);
  accountIds = acc.rows.map((r) => Number(r.id));
  const con = await t.db.execute(sql`
    insert into contacts (email, title, lifecycle_stage, account_id, properties)
    select 'p' || g || '@example.test', (array['VP Sales','Engineer',null,'CFO'])[1 + g % 4], (array['subscriber','lead','marketing_qualified','customer'])[1 + g % 4],
      (${sql.param(accountIds)}::int8[])[1 + g % 20], jsonb_build_object('role', (array['finance','ops','it','sales'])[1 + g % 4], 'seats', g % 30)
    from generate_series(1, 300) g returning id`);
  contactIds = con.rows.map((r) => Number(r.id));
  await insertEvents(contactIds.flatMap((id) => Array.from({ length: Math.floor(rnd() * 4) }, () => ({ contactId: id, event: pick(['Demo Requested', 'Pricing Viewed', 'Signed Up']), daysAgo: rnd() * 60 }))));
  listId = (await t.api('POST', '/lists', { name: 'Hand-picked' })).json().id;
  rules.listOrIndustry!.conditions.push({ kind: 'list', op: 'in', listId });
  for (const [name, rule] of Object.entries(rules)) {
    const res = await t.api('POST', '/segments', { name, rule });
    expect(res.statusCode, res.body).toBe(201);
    segmentIds[name] = res.json().id;
  }
  await drain();
});
afterAll(() => t.close());

describe('incremental membership', () => {
  it('starts equal to a full recompute, with one join per member in the history', async () => {
    for (const id of Object.values(segmentIds)) {
      const m = await members(id);
      expect(m).toEqual(await recompute(id));
      const h = await t.db.execute(sql`select count(*)::int as n from segment_member_history where segment_id = ${id} and change = 'joined'`);
      expect((h.rows[0] as { n: number }).n).toBe(m.length);
    }
  });

  it('equals a full recompute after random changes of contacts, accounts, lists and events', async () => {
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 25; i++) {
        const id = pick(contactIds);
        const r = await t.api('PATCH', `/contacts/${id}`, pick([{ title: pick(['VP Ops', 'Intern', null]) }, { properties: { role: pick(['finance', 'ops', 'it', null]) } }, { properties: { seats: Math.floor(rnd() * 30) } }, { lifecycleStage: pick(['lead', 'customer', 'marketing_qualified']) }, { accountId: pick(accountIds) }]));
        expect(r.statusCode, r.body).toBe(200);
      }
      for (let i = 0; i < 3; i++) {
        const r = await t.api('PATCH', `/accounts/${pick(accountIds)}`, pick([{ employeeCount: Math.floor(rnd() * 400) }, { industry: pick(['Software', 'Retail']) }]));
        expect(r.statusCode, r.body).toBe(200);
      }
      await t.api('POST', `/lists/${listId}/members`, { contactIds: [pick(contactIds), pick(contactIds)] });
      await t.api('POST', `/lists/${listId}/members/remove`, { contactIds: [pick(contactIds)] });
      await insertEvents(Array.from({ length: 40 }, () => ({ contactId: pick(contactIds), event: pick(['Demo Requested', 'Pricing Viewed']), daysAgo: rnd() * 40 })));
      const created = await t.api('POST', '/contacts', { email: `new${round}@example.test`, lifecycleStage: 'lead', accountId: pick(accountIds) });
      contactIds.push(created.json().id);
      const gone = contactIds.splice(Math.floor(rnd() * contactIds.length), 1)[0]!;
      expect((await t.api('DELETE', `/contacts/${gone}`)).statusCode).toBe(204);
      await drain();
      for (const [name, id] of Object.entries(segmentIds)) expect(await members(id), `${name} after round ${round}`).toEqual(await recompute(id));
    }
    for (const id of Object.values(segmentIds)) expect((await t.api('GET', `/segments/${id}`)).json().memberCount).toBe((await members(id)).length);
  });

  it('an event through the tracking API moves the contact in after one pass, recorded as a join (cause change)', async () => {
    const seg = (await t.api('POST', '/segments', { name: 'Webinar fans', rule: { kind: 'group', match: 'all', conditions: [{ kind: 'event', event: 'Webinar Attended', count: { op: 'gte', value: 1 } }] } })).json();
    expect(seg.memberCount).toBe(0);
    expect((await send(t, source.writeKey, 'identify', { userId: 'u-web', traits: { email: 'webinar@example.test' } })).statusCode).toBe(200);
    expect((await send(t, source.writeKey, 'track', { userId: 'u-web', event: 'Webinar Attended' })).statusCode).toBe(200);
    const contact = (await t.db.execute(sql`select id from contacts where email = 'webinar@example.test'`)).rows[0] as { id: number };
    await drain();
    expect(await isInSegment(t.db, seg.id, Number(contact.id))).toBe(true);
    const hist = await t.api('GET', `/segments/${seg.id}/history?days=7`);
    expect(hist.json().recent[0]).toMatchObject({ contactId: Number(contact.id), change: 'joined', cause: 'change' });
    expect(hist.json().days.at(-1).joined).toBe(1);
    expect(await segmentContactIds({ ctx: t, input: { segmentId: seg.id } })).toEqual([Number(contact.id)]);
    const viaFilter = await t.db.execute(sql`select id from contacts where ${segmentMemberFilter(seg.id)}`);
    expect(viaFilter.rows.map((r) => Number(r.id))).toEqual([Number(contact.id)]);
  });
});

describe('time-window sweep', () => {
  it('removes contacts whose events fell out of the window as time passed (cause sweep), and equals a recompute at that time', async () => {
    const seg = (await t.api('POST', '/segments', { name: 'Recent demo', rule: { kind: 'group', match: 'all', conditions: [{ kind: 'event', event: 'Demo Requested', count: { op: 'gte', value: 1 }, withinDays: 7 }] } })).json();
    expect(seg.timeRelative).toBe(true);
    const before = await members(seg.id);
    expect(before.length).toBeGreaterThan(0);
    const later = new Date(Date.now() + 10 * 86_400_000);
    await sweepTimeRelative(t.db, { now: later });
    expect(await members(seg.id)).toEqual(await recompute(seg.id, later));
    const left = await t.db.execute(sql`select count(*)::int as n from segment_member_history where segment_id = ${seg.id} and change = 'left' and cause = 'sweep'`);
    expect((left.rows[0] as { n: number }).n).toBe(before.length - (await members(seg.id)).length);
  });
});
