// The demo's email step: topics and consents, templates that compile, two nurture programs (one running with
// contacts at several steps, one draft), six months of sent messages with opens, clicks, opt-outs, bounces and
// complaints — consistent with consent and the suppression list — and health numbers with an alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { loadDemo } from './index.ts';

const NOW = new Date('2026-11-01T12:00:00Z');
const N = 3000;
async function q<T = Record<string, unknown>>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await t.db.execute(query)).rows as T[];
}

describe('demo email step', { timeout: 240_000 }, () => {
  let t: TestApp;
  let counts: Record<string, number>;
  let ms = 0;
  beforeAll(async () => {
    t = await createTestApp();
    await t.makeUser('admin');
    const t0 = Date.now();
    counts = (await loadDemo({ ctx: { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir }, input: { contacts: N, seed: 'email', now: NOW } })).counts;
    ms = Date.now() - t0;
  });
  afterAll(() => t?.close());

  it('creates topics, consents for most contacts (some withdrawn) and templates that compile and preview', async () => {
    console.log(`demo with ${N} contacts in ${ms} ms`, counts);
    const headers = await t.as('viewer');
    const topics = (await t.api('GET', '/email/topics', undefined, headers)).json().items as { key: string; granted: number; revoked: number }[];
    expect(topics.map((x) => x.key).sort()).toEqual(['events', 'newsletter', 'product_updates']);
    for (const x of topics) expect(x.granted).toBeGreaterThan(0);
    expect(topics.reduce((n, x) => n + x.revoked, 0)).toBeGreaterThan(0);
    const [c] = await q<{ with_consent: number; sources: number; no_text: number }>(
      t,
      sql`select (select count(distinct contact_id)::int from email_consents where status = 'granted') with_consent,
                 (select count(distinct source)::int from email_consents) sources,
                 (select count(*)::int from email_consents where status = 'granted' and (text is null or source is null)) no_text`,
    );
    expect(c!.with_consent / N).toBeGreaterThan(0.6);
    expect(c!.sources).toBeGreaterThanOrEqual(4);
    expect(c!.no_text).toBe(0);

    const templates = (await t.api('GET', '/email/templates', undefined, headers)).json().items as { id: number; name: string; mjml: string }[];
    expect(templates).toHaveLength(4);
    const [contact] = await q<{ id: number }>(t, sql`select id::int from contacts where account_id is not null order by id limit 1`);
    const [item] = await q<{ id: number }>(t, sql`select id::int from content_items where status = 'published' order by id limit 1`);
    for (const tpl of templates) {
      const res = await t.api('POST', `/email/templates/${tpl.id}/preview`, { contactId: contact!.id, contentItemId: item!.id }, await t.as('marketing'));
      expect(res.statusCode, tpl.name).toBe(200);
      expect(res.json().subject).not.toMatch(/{{|}}/);
    }
    expect(templates.some((x) => x.mjml.includes('content.title'))).toBe(true);
  });

  it('has a running stage-aware program with contacts at several steps, and a draft', async () => {
    const headers = await t.as('viewer');
    const programs = (await t.api('GET', '/nurture/programs', undefined, headers)).json().items as { id: number; name: string; status: string; counts: { active: number; total: number; completed: number; goalReached: number } }[];
    expect(programs.map((p) => [p.name, p.status])).toEqual([
      ['Consideration nurture', 'active'],
      ['New lead welcome', 'draft'],
    ]);
    const active = programs[0]!;
    expect(active.counts.active).toBeGreaterThan(0);
    expect(active.counts.total).toBeGreaterThan(active.counts.active);
    expect(active.counts.goalReached).toBeGreaterThan(0);
    const stats = (await t.api('GET', `/nurture/programs/${active.id}/stats`, undefined, headers)).json() as { steps: { stepId: string; waiting: number; runs: number }[] };
    expect(stats.steps.filter((s) => s.waiting > 0).length).toBeGreaterThanOrEqual(2);
    const [picks] = await q<{ n: number; items: number }>(t, sql`select count(*)::int n, count(distinct content_item_id)::int items from nurture_step_runs where step_type = 'send_content' and content_item_id is not null`);
    expect(picks!.items).toBeGreaterThan(3);
  });

  it('has six months of sent messages as the send loop leaves them, with opens, clicks, opt-outs, bounces and complaints', async () => {
    const [m] = await q<{ sent: number; other: number; raw: number; no_html: number; first: Date; last: Date; opens: number; clicks: number; unsubs: number; bounces: number; complaints: number; links: number }>(
      t,
      sql`select count(*) filter (where status = 'sent')::int sent, count(*) filter (where status not in ('sent', 'queued'))::int other,
            count(*) filter (where subject like '%{{%' or html like '%{{%')::int raw, count(*) filter (where status = 'sent' and (html is null or text is null or headers is null))::int no_html,
            min(sent_at) first, max(sent_at) last, count(first_opened_at)::int opens, count(first_clicked_at)::int clicks, count(unsubscribed_at)::int unsubs,
            count(bounced_at)::int bounces, count(complained_at)::int complaints, (select count(*)::int from email_links) links
          from email_messages`,
    );
    expect(m!.sent).toBeGreaterThan(N);
    expect(m!.other).toBe(0);
    expect(m!.raw).toBe(0);
    expect(m!.no_html).toBe(0);
    expect(NOW.getTime() - new Date(m!.first).getTime()).toBeGreaterThan(170 * 86_400_000);
    expect(new Date(m!.last).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(m!.opens).toBeGreaterThan(m!.clicks);
    expect(m!.clicks).toBeGreaterThan(0);
    expect(m!.unsubs).toBeGreaterThan(0);
    expect(m!.bounces).toBeGreaterThan(0);
    expect(m!.links).toBeGreaterThan(m!.sent);
    const events = await q<{ event: string; n: number }>(t, sql`select event, count(*)::int n from events where event like 'Email %' group by 1 order by 1`);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['Email Bounced', 'Email Link Clicked', 'Email Opened', 'Email Unsubscribed']));
    const [future] = await q<{ n: number }>(t, sql`select count(*)::int n from events where event like 'Email %' and timestamp > ${NOW.toISOString()}::timestamptz`);
    expect(future!.n).toBe(0);
    const sup = await q<{ reason: string }>(t, sql`select distinct reason from email_suppressions`);
    expect(sup.map((s) => s.reason)).toContain('bounce');
  });

  it('sent every message with consent for its topic, and nothing to an address after it was suppressed', async () => {
    const [noConsent] = await q<{ n: number }>(
      t,
      sql`select count(*)::int n from email_messages m
          where m.status = 'sent' and coalesce((select ec.status from email_consents ec where ec.contact_id = m.contact_id and ec.topic_id = m.topic_id and ec.at <= m.sent_at order by ec.at desc, ec.id desc limit 1), 'none') <> 'granted'`,
    );
    expect(noConsent!.n).toBe(0);
    const [after] = await q<{ n: number }>(t, sql`select count(*)::int n from email_messages m join email_suppressions s on s.email = lower(m.to_email) where m.sent_at > s.created_at`);
    expect(after!.n).toBe(0);
    const [afterUnsub] = await q<{ n: number }>(
      t,
      sql`select count(*)::int n from email_messages m join email_consents r on r.contact_id = m.contact_id and r.topic_id = m.topic_id and r.status = 'revoked' and r.at < m.sent_at
          where not exists (select 1 from email_consents g where g.contact_id = r.contact_id and g.topic_id = r.topic_id and g.status = 'granted' and g.id > r.id)`,
    );
    expect(afterUnsub!.n).toBe(0);
  });

  it('gives email health a falling open rate, rising opt-outs in the program and an alert', async () => {
    const headers = await t.as('viewer');
    const health = async (from: string, to: string, extra = '') => (await t.api('GET', `/email/health?from=${from}&to=${to}${extra}`, undefined, headers)).json();
    const early = await health('2026-05-01', '2026-07-15');
    const late = await health('2026-08-15', '2026-11-01');
    expect(early.totals.sent).toBeGreaterThan(0);
    expect(late.days.length).toBeGreaterThan(30);
    expect(late.totals.openRate).toBeLessThan(early.totals.openRate);
    const [program] = await q<{ id: number }>(t, sql`select id from nurture_programs where status = 'active'`);
    const pe = await health('2026-05-01', '2026-07-15', `&programId=${program!.id}`);
    const pl = await health('2026-10-01', '2026-11-01', `&programId=${program!.id}`);
    expect(pl.totals.optOutRate).toBeGreaterThan(pe.totals.optOutRate);
    const last30 = await health('2026-10-03', '2026-11-01');
    expect(last30.scopes.find((s: { scope: string; id: string }) => s.scope === 'program' && s.id === String(program!.id))?.alert).toBe(true);
    const [week] = await q<{ sent: number; unsubs: number }>(t, sql`select count(*)::int sent, count(unsubscribed_at)::int unsubs from email_messages where program_id = ${String(program!.id)} and sent_at > ${NOW.toISOString()}::timestamptz - interval '7 days'`);
    console.log('program, last 7 days', week);
    const alerts = await q<{ scope: string; metric: string }>(t, sql`select scope, metric from email_alerts`);
    expect(alerts).toContainEqual({ scope: 'program', metric: 'opt_outs' });
    expect(await t.count('notifications')).toBeGreaterThan(0);
  });
});

describe('demo email step in a workspace that already has email set up', { timeout: 240_000 }, () => {
  it('reuses a topic with the same key and names its programs apart', async () => {
    const t = await createTestApp();
    try {
      await t.makeUser('admin');
      expect((await t.api('POST', '/email/topics', { key: 'newsletter', name: 'Our newsletter' })).statusCode).toBe(201);
      const own = await t.api('POST', '/nurture/programs', { name: 'New lead welcome', definition: { entry: { stages: ['recycled'] }, steps: [{ id: 'w', type: 'wait', duration: { days: 1 } }] } });
      expect(own.statusCode).toBe(201);
      await loadDemo({ ctx: { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir }, input: { contacts: 300, seed: 'email-again', now: NOW } });
      const topics = (await t.api('GET', '/email/topics')).json().items as { key: string; name: string; granted: number }[];
      expect(topics.map((x) => x.key).sort()).toEqual(['events', 'newsletter', 'product_updates']);
      expect(topics.find((x) => x.key === 'newsletter')).toMatchObject({ name: 'Our newsletter' });
      const names = ((await t.api('GET', '/nurture/programs')).json().items as { name: string }[]).map((p) => p.name).sort();
      expect(names).toEqual(['Consideration nurture', 'New lead welcome', 'New lead welcome (demo)']);
      expect(await t.count('email_messages')).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
