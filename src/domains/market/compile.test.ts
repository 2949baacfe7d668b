// Segment rules: every operator per property type, nested groups, behaviour, scores, buying stage, lists,
// and bad rules rejected with the path of the fault.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { makeSource } from '../tracking/test-helpers.ts';
import type { RuleGroup } from '../../contracts/market.ts';

let t: TestApp;
const ids: Record<string, number> = {};
let sourceId = 0;

const all = (...conditions: unknown[]) => ({ kind: 'group', match: 'all', conditions }) as RuleGroup;
const any = (...conditions: unknown[]) => ({ kind: 'group', match: 'any', conditions }) as RuleGroup;
const prop = (field: string, op: string, value?: unknown, object = 'contact') => ({ kind: 'property', object, field, op, ...(value === undefined ? {} : { value }) });

async function matches(rule: RuleGroup): Promise<string[]> {
  const res = await t.api('POST', '/segments/preview', { rule, sample: 50 });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().sample as { email: string }[]).map((s) => s.email.split('@')[0]!).sort();
}

async function rejects(rule: unknown, field: string) {
  const res = await t.api('POST', '/segments/preview', { rule });
  expect(res.statusCode, res.body).toBe(400);
  expect(JSON.stringify(res.json().error)).toContain(field);
}

async function event(contact: string, name: string, daysAgo: number, extra: { type?: string; url?: string } = {}) {
  const ts = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  await t.db.execute(sql`insert into events (workspace_id, source_id, message_id, type, event, contact_id, timestamp, received_at, page_url)
    values (1, ${sourceId}, ${`${contact}-${name}-${Math.random()}`}, ${extra.type ?? 'track'}, ${name}, ${ids[contact]!}, ${ts}::timestamptz, now(), ${extra.url ?? null})`);
}

beforeAll(async () => {
  t = await createTestApp();
  sourceId = (await makeSource(t)).id;
  for (const p of [
    { objectType: 'contact', key: 'need', label: 'Need', type: 'text' },
    { objectType: 'contact', key: 'seats', label: 'Seats', type: 'number' },
    { objectType: 'contact', key: 'renewal', label: 'Renewal', type: 'date' },
    { objectType: 'contact', key: 'newsletter', label: 'Newsletter', type: 'boolean' },
    { objectType: 'contact', key: 'plan', label: 'Plan', type: 'enum', options: ['Free', 'Pro', 'Enterprise'] },
    { objectType: 'account', key: 'tier', label: 'Tier', type: 'enum', options: ['gold', 'silver'] },
  ]) {
    const r = await t.api('POST', '/properties', p);
    expect(r.statusCode, r.body).toBe(201);
  }
  const acme = (await t.api('POST', '/accounts', { name: 'Acme', domain: 'acme.com', industry: 'Software', employeeCount: 500, properties: { tier: 'gold' } })).json().id;
  const tiny = (await t.api('POST', '/accounts', { name: 'Tiny', domain: 'tiny.io', industry: 'Retail', employeeCount: 5 })).json().id;
  const today = new Date().toISOString().slice(0, 10);
  const old = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
  const people = [
    { email: 'ann@acme.com', title: 'VP Finance', lifecycleStage: 'lead', accountId: acme, properties: { need: 'Close the books faster', seats: 50, renewal: today, newsletter: true, plan: 'Pro' } },
    { email: 'bob@acme.com', title: 'Engineer', lifecycleStage: 'customer', accountId: acme, properties: { need: 'Automate reporting', seats: 5, renewal: old, newsletter: false, plan: 'Free' } },
    { email: 'cy@tiny.io', title: 'Owner', lifecycleStage: 'subscriber', accountId: tiny, properties: { seats: 1 } },
    { email: 'di@gmail.com', title: null, lifecycleStage: 'lead', accountId: null, properties: {} },
  ];
  for (const p of people) {
    const r = await t.api('POST', '/contacts', p);
    expect(r.statusCode, r.body).toBe(201);
    ids[p.email.split('@')[0]!] = r.json().id;
  }
  await event('ann', 'Demo Requested', 2);
  await event('ann', 'Demo Requested', 5);
  await event('ann', 'Demo Requested', 50);
  await event('bob', 'Demo Requested', 1);
  await event('cy', 'Page Viewed', 3, { type: 'page', url: 'https://site.test/pricing?x=1' });
  await t.db.execute(sql`insert into contact_buying_stages (contact_id, stage) values (${ids.ann!}, 'consideration'), (${ids.bob!}, 'awareness')`);
});
afterAll(() => t.close());

describe('segment rules: text operators', () => {
  it('eq / neq are case-insensitive and neq includes contacts without the value', async () => {
    expect(await matches(all(prop('title', 'eq', 'vp finance')))).toEqual(['ann']);
    expect(await matches(all(prop('title', 'neq', 'VP Finance')))).toEqual(['bob', 'cy', 'di']);
  });
  it('contains / not_contains / starts_with / in / not_in', async () => {
    expect(await matches(all(prop('prop.need', 'contains', 'BOOKS')))).toEqual(['ann']);
    expect(await matches(all(prop('prop.need', 'not_contains', 'books')))).toEqual(['bob', 'cy', 'di']);
    expect(await matches(all(prop('email', 'starts_with', 'b')))).toEqual(['bob']);
    expect(await matches(all(prop('email_domain', 'in', ['acme.com', 'tiny.io'])))).toEqual(['ann', 'bob', 'cy']);
    expect(await matches(all(prop('email_domain', 'not_in', ['acme.com'])))).toEqual(['cy', 'di']);
  });
  it('exists / not_exists', async () => {
    expect(await matches(all(prop('prop.need', 'exists')))).toEqual(['ann', 'bob']);
    expect(await matches(all(prop('title', 'not_exists')))).toEqual(['di']);
  });
});

describe('segment rules: number, date, boolean, enum operators', () => {
  it('number comparisons and between', async () => {
    expect(await matches(all(prop('prop.seats', 'eq', 5)))).toEqual(['bob']);
    expect(await matches(all(prop('prop.seats', 'neq', 5)))).toEqual(['ann', 'cy', 'di']);
    expect(await matches(all(prop('prop.seats', 'gt', 5)))).toEqual(['ann']);
    expect(await matches(all(prop('prop.seats', 'gte', 5)))).toEqual(['ann', 'bob']);
    expect(await matches(all(prop('prop.seats', 'lt', 5)))).toEqual(['cy']);
    expect(await matches(all(prop('prop.seats', 'lte', 5)))).toEqual(['bob', 'cy']);
    expect(await matches(all(prop('prop.seats', 'between', [2, 60])))).toEqual(['ann', 'bob']);
    expect(await matches(all(prop('prop.seats', 'not_exists')))).toEqual(['di']);
    expect(await matches(all(prop('employee_count', 'gte', 100, 'account')))).toEqual(['ann', 'bob']);
  });
  it('dates: on, before, after, between, within the last n days, more than n days ago', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(await matches(all(prop('prop.renewal', 'on', today)))).toEqual(['ann']);
    expect(await matches(all(prop('prop.renewal', 'before', today)))).toEqual(['bob']);
    expect(await matches(all(prop('prop.renewal', 'after', '2000-01-01')))).toEqual(['ann', 'bob']);
    expect(await matches(all(prop('prop.renewal', 'between', ['2000-01-01', today])))).toEqual(['ann', 'bob']);
    expect(await matches(all(prop('prop.renewal', 'within_last_days', 30)))).toEqual(['ann']);
    expect(await matches(all(prop('prop.renewal', 'more_than_days_ago', 30)))).toEqual(['bob']);
    expect(await matches(all(prop('created_at', 'within_last_days', 1)))).toEqual(['ann', 'bob', 'cy', 'di']);
  });
  it('booleans and enums (contact and account)', async () => {
    expect(await matches(all(prop('prop.newsletter', 'is_true')))).toEqual(['ann']);
    expect(await matches(all(prop('prop.newsletter', 'is_false')))).toEqual(['bob']);
    expect(await matches(all(prop('prop.newsletter', 'not_exists')))).toEqual(['cy', 'di']);
    expect(await matches(all(prop('prop.plan', 'in', ['pro', 'Enterprise'])))).toEqual(['ann']);
    expect(await matches(all(prop('lifecycle_stage', 'eq', 'lead')))).toEqual(['ann', 'di']);
    expect(await matches(all(prop('prop.tier', 'eq', 'gold', 'account')))).toEqual(['ann', 'bob']);
  });
});

describe('segment rules: behaviour, scores, stages, lists, nesting', () => {
  it('did an event at least / at most / exactly n times, in the last d days, by page URL', async () => {
    const demo = (op: string, value: number, withinDays?: number) => ({ kind: 'event', event: 'Demo Requested', count: { op, value }, ...(withinDays ? { withinDays } : {}) });
    expect(await matches(all(demo('gte', 2)))).toEqual(['ann']);
    expect(await matches(all(demo('gte', 1, 3)))).toEqual(['ann', 'bob']);
    expect(await matches(all(demo('gte', 2, 30)))).toEqual(['ann']);
    expect(await matches(all(demo('eq', 0)))).toEqual(['cy', 'di']);
    expect(await matches(all(demo('lte', 1)))).toEqual(['bob', 'cy', 'di']);
    expect(await matches(all(demo('eq', 3)))).toEqual(['ann']);
    expect(await matches(all({ kind: 'event', eventType: 'page', pageUrl: { op: 'contains', value: '/pricing' } }))).toEqual(['cy']);
  });
  it('nested all/any groups', async () => {
    const rule = any(all(prop('email_domain', 'eq', 'acme.com'), prop('prop.seats', 'gte', 10)), all(prop('lifecycle_stage', 'eq', 'lead'), prop('title', 'not_exists')));
    expect(await matches(rule)).toEqual(['ann', 'di']);
    expect(await matches(all())).toEqual(['ann', 'bob', 'cy', 'di']);
    expect(await matches(any())).toEqual([]);
  });
  it('buying stage, fit grade and score, static lists', async () => {
    expect(await matches(all({ kind: 'buying_stage', op: 'in', value: ['consideration', 'purchase'] }))).toEqual(['ann']);
    expect(await matches(all({ kind: 'buying_stage', op: 'not_in', value: ['consideration'] }))).toEqual(['bob', 'cy', 'di']);
    expect((await matches(all({ kind: 'score', model: 'fit', op: 'gte', value: 0 }))).length).toBe(4);
    expect(await matches(all({ kind: 'grade', op: 'in', value: ['A', 'B', 'C', 'D', 'F'] }))).toEqual(['ann', 'bob', 'cy', 'di']);
    const list = (await t.api('POST', '/lists', { name: 'VIPs' })).json();
    await t.api('POST', `/lists/${list.id}/members`, { emails: ['cy@tiny.io'] });
    expect(await matches(all({ kind: 'list', op: 'in', listId: list.id }))).toEqual(['cy']);
    expect(await matches(all({ kind: 'list', op: 'not_in', listId: list.id }))).toEqual(['ann', 'bob', 'di']);
  });
});

describe('segment rules: rejected', () => {
  it('rejects an operator that does not fit the type, naming the path', async () => {
    await rejects(all(prop('prop.seats', 'contains', 'x')), 'rule.conditions.0.op');
    await rejects(all(any(prop('prop.newsletter', 'gt', 1))), 'rule.conditions.0.conditions.0.op');
  });
  it('rejects bad values, unknown fields, lists and ICPs', async () => {
    await rejects(all(prop('prop.seats', 'between', [9, 1])), 'rule.conditions.0.value');
    await rejects(all(prop('prop.renewal', 'on', '2026-02-30')), 'rule.conditions.0.value');
    await rejects(all(prop('prop.plan', 'eq', 'Gold')), 'rule.conditions.0.value');
    await rejects(all(prop('prop.nope', 'exists')), 'rule.conditions.0.field');
    await rejects(all(prop('shoe_size', 'exists')), 'rule.conditions.0.field');
    await rejects(all(prop('title', 'exists', 'x')), 'rule.conditions.0.value');
    await rejects(all({ kind: 'list', op: 'in', listId: 999999 }), 'rule.conditions.0.listId');
    await rejects(all({ kind: 'grade', op: 'in', icpId: 999999, value: ['A'] }), 'rule.conditions.0.icpId');
    await rejects(all({ kind: 'event', count: { op: 'gte', value: 1 } }), 'event');
    await rejects({ kind: 'group', match: 'some', conditions: [] }, 'match');
  });
  it('rejects groups nested too deep', async () => {
    let rule: RuleGroup = all(prop('title', 'exists'));
    for (let i = 0; i < 5; i++) rule = all(rule);
    await rejects(rule, 'rule.conditions.0.conditions.0.conditions.0.conditions.0.conditions.0');
  });
});
