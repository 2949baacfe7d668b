// Email link clicks as touches: a click written by the email domain's tracking writer (writeEmailEvents, the
// same function the public click route's buffer calls) is a touch of its campaign and content item, channel
// email, also without a campaign (nurture programs); opens are not touches; rollup (incremental and full) =
// raw; and the default engagement rule "Clicked an email" scores the click.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { emailSourceId, writeEmailEvents, type MessageMeta } from '../email/tracking.ts';
import { defaultModel } from '../scoring/defaults.ts';
import { scoreInboxBatch } from '../scoring/worker.ts';
import { attribution } from './attribution.ts';
import { contentInfluence } from './content-influence.ts';
import { refreshAnalyticsRollups } from './rollup.ts';
import { Fixture } from './test-fixtures.ts';

let t: TestApp;
let fx: Fixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = new Fixture(t);
});
afterAll(async () => t?.close());

const at = (day: number, hour = 10) => new Date(Date.UTC(2025, 1, day, hour));

async function item(title: string, stage = 'consideration'): Promise<number> {
  const { rows } = await t.database.pool.query(`insert into content_items (title, type, stage, status) values ($1, 'practical', $2, 'published') returning id`, [title, stage]);
  return Number(rows[0].id);
}

function meta(contactId: number, m: { campaignId?: number; utm?: string; contentItemId: number; programId?: string }): MessageMeta {
  return {
    id: randomUUID(), workspaceId: 1, contactId, topicId: null, toEmail: 'x@example.test', templateId: null, contentItemId: m.contentItemId,
    campaignId: m.campaignId === undefined ? null : String(m.campaignId), programId: m.programId ?? null, stepId: m.programId ? 'step-1' : null,
    utmCampaign: m.utm ?? null, links: ['https://example.test/guide'], opened: false, clicked: false,
  };
}

describe('email link clicks as touches', () => {
  let camp: number, guide: number, checklist: number, c1: number, c2: number;
  beforeAll(async () => {
    camp = await fx.campaign('feb-mail', 'email');
    [guide, checklist] = [await item('Buyer guide'), await item('Checklist', 'purchase')];
    [c1, c2] = [await fx.contact(), await fx.contact()];
    const src = await emailSourceId(t.db);
    const m1 = meta(c1, { campaignId: camp, utm: 'feb-mail', contentItemId: guide });
    const m2 = meta(c2, { contentItemId: checklist, programId: '42' });
    const ev = (m: MessageMeta, event: 'Email Opened' | 'Email Link Clicked', day: number) => ({ meta: m, event, at: at(day), url: event === 'Email Opened' ? null : m.links[0]!, ip: null, userAgent: null });
    // c1 opens the campaign message on day 2 (not a touch) and clicks on day 3; c2 clicks a program message on day 4.
    await writeEmailEvents(t.db, src, [ev(m1, 'Email Opened', 2)]);
    await writeEmailEvents(t.db, src, [ev(m1, 'Email Link Clicked', 3), ev(m2, 'Email Link Clicked', 4)]);
    // Won deals: $1,000 with c1 (day 10), $500 with c2 (day 11).
    await fx.deal(1000, 'won', [c1], { createdAt: at(5), wonAt: at(10) });
    await fx.deal(500, 'won', [c2], { createdAt: at(6), wonAt: at(11) });
  });

  const input = (groupBy: 'campaign' | 'content' | 'channel', source: 'raw' | 'rollup') => ({ from: '2025-02-01', to: '2025-02-28', groupBy, source });

  it('credits a campaign click to its campaign, a program click to email without campaign, and both to their content items', async () => {
    const byCampaign = await attribution({ ctx: t, input: input('campaign', 'raw') });
    expect(byCampaign.totalCents).toBe(150_000);
    expect(byCampaign.dealsWithTouches).toBe(2);
    const row = (key: string) => byCampaign.rows.find((r) => r.key === key);
    // One touch each (the open is no touch): every model gives the whole deal to it.
    expect(row(`campaign:${camp}`)).toMatchObject({ campaignId: camp, touches: 1, deals: 1, credits: { first: 100_000, last: 100_000, linear: 100_000, u_shaped: 100_000 } });
    expect(row('kind:email_click')!.credits.first).toBe(50_000);
    const byContent = await attribution({ ctx: t, input: input('content', 'raw') });
    expect(byContent.rows.find((r) => r.contentItemId === guide)!.credits.linear).toBe(100_000);
    expect(byContent.rows.find((r) => r.contentItemId === checklist)!.credits.linear).toBe(50_000);
    const byChannel = await attribution({ ctx: t, input: input('channel', 'raw') });
    expect(byChannel.rows.map((r) => [r.key, r.credits.first])).toEqual([['channel:email', 150_000]]);
    const infl = await contentInfluence({ ctx: t, input: { from: '2025-02-01', to: '2025-02-28', source: 'raw' } });
    expect(infl.rows.map((r) => [r.contentItemId, r.revenueCents, r.pipelineCents])).toEqual([[guide, 100_000, 100_000], [checklist, 50_000, 50_000]]);
  });

  it('gives the same credits from the rollup (incremental, then full rebuild) as from the events', async () => {
    const r1 = await refreshAnalyticsRollups(t.db);
    expect(r1.eventTouches).toBe(2);
    const { rows } = await t.database.pool.query(`select kind, channel, campaign_id::int as campaign_id, content_item_id from analytics_touches order by occurred_at`);
    expect(rows).toEqual([
      { kind: 'email_click', channel: 'email', campaign_id: camp, content_item_id: guide },
      { kind: 'email_click', channel: 'email', campaign_id: null, content_item_id: checklist },
    ]);
    for (const full of [false, true]) {
      if (full) await refreshAnalyticsRollups(t.db, { full: true });
      for (const g of ['campaign', 'content', 'channel'] as const) {
        const raw = await attribution({ ctx: t, input: input(g, 'raw') });
        const roll = await attribution({ ctx: t, input: input(g, 'rollup') });
        expect({ ...roll, source: 'raw' }).toEqual(raw);
      }
    }
  });

  it('rebuilds clicks stored under the old touch definition once the watermark is reset (what the migration does)', async () => {
    // An old-definition row: the click stored as a plain UTM touch without content item, plus the open.
    await t.database.pool.query(`update analytics_touches set kind = 'utm', content_item_id = null where kind = 'email_click' and campaign_id is not null`);
    await t.database.pool.query(`delete from analytics_touches where kind = 'email_click'`);
    await t.database.pool.query(
      `delete from analytics_touches t where t.kind in ('utm', 'email_click') and t.source_key in (select 'e:' || e.id from events e where e.type = 'track' and e.event like 'Email %')`,
    );
    await t.database.pool.query(`update analytics_state set events_received_at = null`);
    await refreshAnalyticsRollups(t.db);
    const raw = await attribution({ ctx: t, input: input('content', 'raw') });
    expect({ ...(await attribution({ ctx: t, input: input('content', 'rollup') })), source: 'raw' }).toEqual(raw);
    expect(Number((await t.database.pool.query(`select count(*) from analytics_touches where kind = 'email_click'`)).rows[0].count)).toBe(2);
  });

  it('scores the click with the default rule "Clicked an email"', async () => {
    const eng = (await defaultModel(t.db, 1, 'engagement'))!;
    expect(eng.rules).toContainEqual(expect.objectContaining({ id: 'email-click', match: { type: 'track', event: 'Email Link Clicked', conditions: [] } }));
    for (let i = 0; i < 20; i++) if ((await scoreInboxBatch(t.db, { now: at(20) })).inboxRows === 0) break;
    const { rows } = await t.database.pool.query(`select rule_id, times, earned from score_ledger where contact_id = $1 and model_id = $2 order by rule_id`, [c1, eng.id]);
    expect(rows).toEqual([{ rule_id: 'email-click', times: 1, earned: 3 }]);
  });

  it('migration 0029 renames the event of an unchanged "Clicked an email" rule and bumps the model version, leaving other rules alone', async () => {
    const old = [
      { id: 'email-click', label: 'Clicked an email', match: { type: 'track', event: 'Email Clicked', conditions: [] }, points: 3, cap: null },
      { id: 'mine', label: 'External clicks', match: { type: 'track', event: 'Email Clicked', conditions: [] }, points: 1, cap: null },
    ];
    const { rows } = await t.database.pool.query(`insert into score_models (kind, name, rules, version) values ('engagement', 'Old copy', $1, 4) returning id`, [JSON.stringify(old)]);
    const statements = readFileSync(new URL('../../db/migrations/0029_email_link_click_touches.sql', import.meta.url), 'utf8').split('--> statement-breakpoint');
    await t.database.pool.query(statements[0]!);
    const after = (await t.database.pool.query(`select rules, version from score_models where id = $1`, [rows[0].id])).rows[0];
    expect(after.version).toBe(5);
    expect(after.rules.map((r: { id: string; match: { event: string } }) => [r.id, r.match.event])).toEqual([['email-click', 'Email Link Clicked'], ['mine', 'Email Clicked']]);
  });
});
