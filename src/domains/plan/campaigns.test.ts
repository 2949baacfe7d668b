import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { makeSource, send } from '../tracking/test-helpers.ts';

let t: TestApp;
let writeKey: string;
beforeAll(async () => {
  t = await createTestApp();
  writeKey = (await makeSource(t)).writeKey;
});
afterAll(() => t.close());

const code = () => `spring-${randomUUID().slice(0, 8)}`;

async function touch(utm: string | null, opts: { userId?: string; anonymousId?: string; email?: string; at?: string; ua?: string; source?: string } = {}) {
  const anonymousId = opts.anonymousId ?? (opts.userId ? undefined : randomUUID());
  if (opts.email && opts.userId) {
    const r = await send(t, writeKey, 'identify', { userId: opts.userId, traits: { email: opts.email } });
    expect(r.statusCode).toBe(200);
  }
  const url = `https://acme.test/pricing${utm ? `?utm_campaign=${encodeURIComponent(utm)}&utm_source=${opts.source ?? 'linkedin'}&utm_medium=paid_social` : ''}`;
  const res = await send(t, writeKey, 'page', {
    userId: opts.userId,
    anonymousId,
    name: 'Pricing',
    timestamp: opts.at,
    context: { page: { url, path: '/pricing' }, ...(opts.ua ? { userAgent: opts.ua } : {}) },
  });
  expect(res.statusCode).toBe(200);
}

describe('createCampaign', () => {
  it('creates a campaign with a lower-cased UTM code and audits it', async () => {
    const utm = code();
    const res = await t.api('POST', '/campaigns', { name: 'Spring launch', utmCampaign: `  ${utm.toUpperCase()} `, channel: 'paid_social', status: 'active', startDate: '2026-03-01', endDate: '2026-04-30', budget: 25000 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Spring launch', utmCampaign: utm, channel: 'paid_social', status: 'active', budget: 25000, currency: 'USD', stats: { touches: 0, contacts: 0 } });
    expect((await t.auditOf('campaign', res.json().id)).map((a) => a.action)).toEqual(['campaign.created']);
  });

  it('rejects a UTM code another campaign has (409, naming the campaign) and writes nothing', async () => {
    const utm = code();
    expect((await t.api('POST', '/campaigns', { name: 'First', utmCampaign: utm })).statusCode).toBe(201);
    const before = await t.count('campaigns');
    const res = await t.api('POST', '/campaigns', { name: 'Second', utmCampaign: utm.toUpperCase() });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('"First"');
    expect(res.json().error.details).toEqual([{ field: 'utmCampaign', message: 'already used by campaign "First"' }]);
    expect(await t.count('campaigns')).toBe(before);
  });

  it('rejects bad input with the field named', async () => {
    const before = await t.count('campaigns');
    const cases: [unknown, string][] = [
      [{ utmCampaign: code() }, 'name'],
      [{ name: 'x', utmCampaign: '' }, 'utmCampaign'],
      [{ name: 'x', utmCampaign: 'bad/code?' }, 'utmCampaign'],
      [{ name: 'x', utmCampaign: code(), channel: 'tv' }, 'channel'],
      [{ name: 'x', utmCampaign: code(), startDate: '2026-02-30' }, 'startDate'],
      [{ name: 'x', utmCampaign: code(), startDate: '2026-05-01', endDate: '2026-04-01' }, 'endDate'],
      [{ name: 'x', utmCampaign: code(), budget: -5 }, 'budget'],
      [{ name: 'x', utmCampaign: code(), budget: '100' }, 'budget'],
      [{ name: 'x', utmCampaign: code(), ownerId: 999999 }, 'ownerId'],
      [{ name: 'x', utmCampaign: code(), colour: 'red' }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await t.api('POST', '/campaigns', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().error), JSON.stringify(body)).toContain(field);
    }
    const bad = await t.inject({ method: 'POST', url: '/api/v1/campaigns', headers: { ...(await t.as('admin')), 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(bad.statusCode).toBe(400);
    expect(await t.count('campaigns')).toBe(before);
  });

  it('is refused to sales and viewers (403) and to no auth (401); they can read', async () => {
    const body = { name: 'Nope', utmCampaign: code() };
    expect((await t.api('POST', '/campaigns', body, await t.as('sales'))).statusCode).toBe(403);
    expect((await t.api('POST', '/campaigns', body, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.inject({ method: 'POST', url: '/api/v1/campaigns', payload: body })).statusCode).toBe(401);
    expect((await t.api('POST', '/campaigns', body, await t.as('marketing'))).statusCode).toBe(201);
    expect((await t.api('GET', '/campaigns', undefined, await t.as('viewer'))).statusCode).toBe(200);
  });
});

describe('updateCampaign', () => {
  it('changes fields, keeps dates in order, audits the diff; unknown id → 404', async () => {
    const c = (await t.api('POST', '/campaigns', { name: 'Webinar', utmCampaign: code(), startDate: '2026-06-01' })).json();
    const res = await t.api('PATCH', `/campaigns/${c.id}`, { status: 'completed', budget: 1200 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'completed', budget: 1200, startDate: '2026-06-01' });
    const bad = await t.api('PATCH', `/campaigns/${c.id}`, { endDate: '2026-05-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ field: 'endDate', message: 'must be on or after the start date' }]);
    expect((await t.api('GET', `/campaigns/${c.id}`)).json().endDate).toBeNull();
    const audit = await t.auditOf('campaign', c.id);
    expect(audit.map((a) => a.action)).toEqual(['campaign.created', 'campaign.updated']);
    expect(audit[1]!.changes).toMatchObject({ status: { from: 'planned', to: 'completed' } });
    expect((await t.api('PATCH', '/campaigns/99999999', { status: 'active' })).statusCode).toBe(404);
    expect((await t.api('DELETE', '/campaigns/99999999')).statusCode).toBe(404);
  });
});

describe('campaignReport', () => {
  it('links tracked touches to the campaign by UTM in any case; bots are not touches', async () => {
    const utm = code();
    const c = (await t.api('POST', '/campaigns', { name: 'ABM push', utmCampaign: utm, channel: 'paid_social', startDate: '2026-11-01', endDate: '2026-11-30' })).json();
    const userId = `u-${randomUUID()}`;
    const email = `${userId}@example.com`;
    await touch(utm.toUpperCase(), { userId, email, at: '2026-11-10T10:00:00Z' });
    await touch(utm, { userId, at: '2026-11-12T10:00:00Z', source: 'google' });
    await touch(utm, { at: '2026-11-12T11:00:00Z' });
    await touch(utm, { at: '2026-11-12T12:00:00Z', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    await touch(null, { userId, at: '2026-11-13T10:00:00Z' });

    const got = (await t.api('GET', `/campaigns/${c.id}`)).json();
    expect(got.stats).toMatchObject({ touches: 3, contacts: 1, visitors: 2, firstTouchAt: '2026-11-10T10:00:00.000Z', lastTouchAt: '2026-11-12T11:00:00.000Z' });

    const rep = await t.api('GET', `/campaigns/${c.id}/report`);
    expect(rep.statusCode).toBe(200);
    const r = rep.json();
    expect([r.from, r.to]).toEqual(['2026-11-01', '2026-11-30']);
    expect(r.daily).toHaveLength(30);
    expect(r.daily.find((d: { day: string }) => d.day === '2026-11-12')).toEqual({ day: '2026-11-12', touches: 2, visitors: 2 });
    expect(r.daily.reduce((s: number, d: { touches: number }) => s + d.touches, 0)).toBe(3);
    expect(r.sources).toEqual([
      { source: 'linkedin', medium: 'paid_social', touches: 2, visitors: 2 },
      { source: 'google', medium: 'paid_social', touches: 1, visitors: 1 },
    ]);
    expect(r.stages).toEqual([{ stage: expect.any(String), contacts: 1 }]);
    expect(r.recent).toHaveLength(3);
    expect(r.recent[1]).toMatchObject({ pagePath: '/pricing', utmSource: 'google', contact: { email } });
    expect(r.recent[0].contact).toBeNull();
  });

  it('rejects a bad window; an unknown campaign → 404', async () => {
    const c = (await t.api('POST', '/campaigns', { name: 'Window', utmCampaign: code() })).json();
    expect((await t.api('GET', `/campaigns/${c.id}/report?from=2026-05-01&to=2026-04-01`)).statusCode).toBe(400);
    expect((await t.api('GET', `/campaigns/${c.id}/report?from=yesterday`)).statusCode).toBe(400);
    expect((await t.api('GET', '/campaigns/424242424/report')).statusCode).toBe(404);
    const r = (await t.api('GET', `/campaigns/${c.id}/report?from=2026-01-01&to=2026-01-07`)).json();
    expect(r.daily.map((d: { day: string }) => d.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']);
  });
});

describe('unmatchedUtms', () => {
  it('lists UTM codes seen in touches that no campaign has, until a campaign claims them', async () => {
    const utm = code();
    await touch(utm);
    await touch(utm.toUpperCase());
    const list = (await t.api('GET', '/campaigns/unmatched-utms')).json();
    expect(list.items.find((i: { utmCampaign: string }) => i.utmCampaign === utm)).toMatchObject({ touches: 2, visitors: 2 });
    await t.api('POST', '/campaigns', { name: 'Found it', utmCampaign: utm });
    const after = (await t.api('GET', '/campaigns/unmatched-utms')).json();
    expect(after.items.some((i: { utmCampaign: string }) => i.utmCampaign === utm)).toBe(false);
    expect((await t.api('GET', '/campaigns/unmatched-utms?days=0')).statusCode).toBe(400);
  });
});

describe('deleteCampaign', () => {
  it('deletes the campaign, keeps its touches, and audits it', async () => {
    const utm = code();
    const c = (await t.api('POST', '/campaigns', { name: 'Gone', utmCampaign: utm })).json();
    await touch(utm);
    expect((await t.api('DELETE', `/campaigns/${c.id}`)).statusCode).toBe(204);
    expect((await t.api('GET', `/campaigns/${c.id}`)).statusCode).toBe(404);
    expect((await t.api('GET', '/campaigns/unmatched-utms')).json().items.some((i: { utmCampaign: string }) => i.utmCampaign === utm)).toBe(true);
    expect((await t.auditOf('campaign', c.id)).map((a) => a.action)).toEqual(['campaign.created', 'campaign.deleted']);
  });
});

describe('listCampaigns', () => {
  it('filters by status, channel and search', async () => {
    const tag = randomUUID().slice(0, 6);
    await t.api('POST', '/campaigns', { name: `Alpha ${tag}`, utmCampaign: code(), status: 'active', channel: 'email' });
    await t.api('POST', '/campaigns', { name: `Beta ${tag}`, utmCampaign: code(), status: 'planned', channel: 'event' });
    const byQ = (await t.api('GET', `/campaigns?q=${tag}`)).json();
    expect(byQ.items.map((c: { name: string }) => c.name)).toEqual([`Alpha ${tag}`, `Beta ${tag}`]);
    expect((await t.api('GET', `/campaigns?q=${tag}&channel=event`)).json().items.map((c: { name: string }) => c.name)).toEqual([`Beta ${tag}`]);
    expect((await t.api('GET', `/campaigns?q=${tag}&status=active`)).json().total).toBe(1);
    expect((await t.api('GET', '/campaigns?status=running')).statusCode).toBe(400);
  });
});

describe('listEvents (contact timeline)', () => {
  it('names the campaign a touch belongs to, whatever the case of its UTM', async () => {
    const utm = code();
    const c = (await t.api('POST', '/campaigns', { name: 'Timeline campaign', utmCampaign: utm })).json();
    const userId = `u-${randomUUID()}`;
    await touch(utm.toUpperCase(), { userId, email: `${userId}@example.com` });
    await touch(`${utm}-other`, { userId });
    const contact = (await t.api('GET', `/contacts?q=${userId}`)).json().items[0];
    const evs = (await t.api('GET', `/events?contactId=${contact.id}&type=page`)).json().items;
    expect(evs.map((e: { campaign: { name: string; linked: unknown } }) => [e.campaign.name, e.campaign.linked])).toEqual([
      [`${utm}-other`, null],
      [utm.toUpperCase(), { id: c.id, name: 'Timeline campaign' }],
    ]);
  });
});
