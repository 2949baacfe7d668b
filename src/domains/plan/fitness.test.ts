// The marketing fitness test answered from seeded data: each question's answer, evidence and threshold; snapshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { fitnessScorecard, takeFitnessSnapshot } from './fitness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const q = async (key: string) => (await t.api('GET', '/plan/fitness')).json().questions.find((x: { key: string }) => x.key === key);

describe('fitnessScorecard', () => {
  it('answers from an empty workspace: no data where nothing exists, "no" for accountability with no objective', async () => {
    const res = await t.api('GET', '/plan/fitness');
    expect(res.statusCode).toBe(200);
    const card = res.json();
    expect(card.questions.map((x: { key: string; answer: string }) => [x.key, x.answer])).toEqual([
      ['repeatable', 'no_data'],
      ['accountable', 'no'],
      ['market_driven', 'no_data'],
      ['efficient', 'no_data'],
    ]);
    expect(card.yesCount).toBe(0);
    expect(card.questions[0].note).toContain('No data');
    expect(card.questions[1].evidence[0]).toMatchObject({ display: 'no active objectives', threshold: '≥ 80%', met: false });
  });

  it('answers each question from seeded data with its evidence and threshold', async () => {
    const user = await t.makeUser('marketing');
    // Repeatable: 10 sends in 90 days, 6 from a program, all from a template (+ an old and a test send that do not count).
    const [tpl] = (await t.db.execute(sql`insert into email_templates (name, subject, mjml, compiled_html) values ('Welcome', 'Hi', '<mjml/>', '<html/>') returning id`)).rows as { id: number }[];
    for (let i = 0; i < 10; i++) {
      await t.db.execute(sql`insert into email_messages (to_email, idempotency_key, template_id, program_id, status, sent_at)
        values (${`p${i}@x.test`}, ${`k${i}`}, ${tpl!.id}, ${i < 6 ? 'prog-1' : null}, 'sent', ${ago(i + 1)})`);
    }
    await t.db.execute(sql`insert into email_messages (to_email, idempotency_key, status, sent_at) values ('old@x.test', 'old', 'sent', ${ago(200)})`);
    await t.db.execute(sql`insert into email_messages (to_email, idempotency_key, status, sent_at, is_test) values ('t@x.test', 'test', 'sent', ${ago(1)}, true)`);
    const rep = await q('repeatable');
    expect(rep.answer).toBe('yes');
    expect(rep.evidence[1]).toMatchObject({ value: 0.6, display: '60% (6 of 10)', threshold: '≥ 50%', met: true });
    expect(rep.evidence[2]).toMatchObject({ value: 1, met: true });

    // Accountability: one SMART owned objective, one without owner → 50% < 80%; all spend linked.
    const [good] = (await t.db.execute(sql`insert into objectives (level, title, owner_id, period_start, period_end) values ('company', 'Grow', ${user.id}, '2026-01-01', '2026-12-31') returning id`)).rows as { id: number }[];
    await t.db.execute(sql`insert into objective_kpis (objective_id, name, source, metric_key, baseline, target, direction) values (${good!.id}, 'New leads', 'metric', 'leads.new', 10, 20, 'up')`);
    const [bad] = (await t.db.execute(sql`insert into objectives (level, title, parent_id, period_start, period_end) values ('marketing', 'Unowned', ${good!.id}, '2026-01-01', '2026-12-31') returning id`)).rows as { id: number }[];
    await t.db.execute(sql`insert into objective_kpis (objective_id, name, source, metric_key, baseline, target, direction) values (${bad!.id}, 'MQLs', 'metric', 'leads.mql', 5, 10, 'up')`);
    const camp = (await t.api('POST', '/campaigns', { name: 'Linked', utmCampaign: 'linked-1' })).json();
    await t.db.execute(sql`update campaigns set objective_id = ${good!.id} where id = ${camp.id}`);
    const month = new Date().toISOString().slice(0, 7);
    await t.api('POST', '/costs', { campaignId: camp.id, month, category: 'media', planned: 900 });
    let acc = await q('accountable');
    expect(acc.answer).toBe('no');
    expect(acc.evidence[0]).toMatchObject({ value: 0.5, display: '50% (1 of 2)', met: false });
    expect(acc.evidence[1]).toMatchObject({ value: 1, met: true });
    await t.db.execute(sql`update objectives set owner_id = ${user.id} where id = ${bad!.id}`);
    acc = await q('accountable');
    expect(acc.answer).toBe('yes');
    // Unlinked spend above 20% turns it back to no.
    await t.api('POST', '/costs', { month, category: 'other', planned: 300 });
    acc = await q('accountable');
    expect(acc.evidence[1]).toMatchObject({ value: 0.75, met: false });
    expect(acc.answer).toBe('no');

    // Market-driven: 4 contacts, 2 in a need-based segment with an ICP grade; 10 field intel entries.
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await t.api('POST', '/contacts', { email: `m${i}@acme.test` })).json().id);
    const [model] = (await t.db.execute(sql`insert into score_models (kind, name, grades) values ('fit', 'ICP fit', '{"A":80}'::jsonb) returning id`)).rows as { id: number }[];
    await t.db.execute(sql`insert into icp_definitions (name, fit_model_id) values ('Mid-market', ${model!.id})`);
    const [seg] = (await t.db.execute(sql`insert into segments (name, need, rule) values ('Closes books late', 'close the books on time', '{}'::jsonb) returning id`)).rows as { id: number }[];
    const [noNeed] = (await t.db.execute(sql`insert into segments (name, rule) values ('Everyone', '{}'::jsonb) returning id`)).rows as { id: number }[];
    for (const [i, id] of ids.entries()) {
      await t.db.execute(sql`insert into segment_members (segment_id, contact_id) values (${i < 3 ? seg!.id : noNeed!.id}, ${id}) on conflict do nothing`);
      if (i !== 2) await t.db.execute(sql`insert into contact_scores (contact_id, model_id, score, grade, model_version) values (${id}, ${model!.id}, 85, 'A', 1) on conflict do nothing`);
    }
    for (let i = 0; i < 9; i++) await t.db.execute(sql`insert into field_intel (body) values (${`heard ${i}`})`);
    let mkt = await q('market_driven');
    expect(mkt.evidence[0]).toMatchObject({ value: 0.5, display: '50% (2 of 4)', met: true });
    expect(mkt.evidence[1]).toMatchObject({ value: 9, met: false });
    expect(mkt.answer).toBe('no');
    await t.db.execute(sql`insert into field_intel (body) values ('one more')`);
    mkt = await q('market_driven');
    expect(mkt.answer).toBe('yes');

    // Efficient: 10 leads in 180 days, 2 sales-ready 5 days later → yield 20%, velocity 5 days.
    const leads: number[] = [];
    for (let i = 0; i < 10; i++) leads.push((await t.api('POST', '/contacts', { email: `l${i}@acme.test` })).json().id);
    for (const [i, id] of leads.entries()) {
      await t.db.execute(sql`insert into lifecycle_transitions (contact_id, to_stage, cause, actor_type, actor_label, occurred_at) values (${id}, 'lead', 'rule', 'system', 'system', ${ago(40)})`);
      if (i < 2) await t.db.execute(sql`insert into lifecycle_transitions (contact_id, from_stage, to_stage, cause, actor_type, actor_label, occurred_at) values (${id}, 'lead', 'sales_ready', 'rule', 'system', 'system', ${ago(35)})`);
    }
    const eff = await q('efficient');
    expect(eff.evidence[0]).toMatchObject({ value: 0.2, met: true });
    expect(eff.evidence[1]).toMatchObject({ value: 5, display: '5 days', met: true });
    expect(eff.answer).toBe('yes');

    // A conversion KPI target on an objective replaces the defaults.
    await t.db.execute(sql`insert into objective_kpis (objective_id, name, source, metric_key, baseline, target, direction) values (${good!.id}, 'Lead → MQL', 'metric', 'conversion.lead_to_mql', 5, 40, 'up')`);
    const eff2 = await q('efficient');
    expect(eff2.evidence).toHaveLength(1);
    expect(eff2.evidence[0].threshold).toContain("the KPI's target");
    expect(eff2.evidence[0]).toMatchObject({ value: 20, display: '20%', met: false });
    expect(eff2.answer).toBe('no');

    // The 10 new leads are in no segment: 2 of 14 contacts segmented + graded is below 50%.
    const card = await fitnessScorecard({ ctx: t });
    expect(card.questions.map((x) => x.answer)).toEqual(['yes', 'no', 'no', 'no']);
    expect(card.yesCount).toBe(1);
  });
});

describe('takeFitnessSnapshot', () => {
  it('stores snapshots on demand and once a day from the job; history lists them newest first', async () => {
    const res = await t.api('POST', '/plan/fitness/snapshots', {});
    expect(res.statusCode).toBe(201);
    const ctx = await t.ctx('admin');
    const now = new Date(Date.now() + 1000);
    expect(await takeFitnessSnapshot({ ctx, trigger: 'daily', now })).not.toBeNull();
    expect(await takeFitnessSnapshot({ ctx, trigger: 'daily', now })).toBeNull();
    const hist = (await t.api('GET', '/plan/fitness/history')).json();
    expect(hist.items.map((x: { trigger: string }) => x.trigger)).toEqual(['daily', 'manual']);
    expect(Object.keys(hist.items[0].answers)).toEqual(['repeatable', 'accountable', 'market_driven', 'efficient']);
    expect((await t.api('POST', '/plan/fitness/snapshots', {}, await t.as('viewer'))).statusCode).toBe(403);
    expect((await t.api('GET', '/plan/fitness', undefined, await t.as('viewer'))).statusCode).toBe(200);
  });
});
