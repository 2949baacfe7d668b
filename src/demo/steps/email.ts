// Demo step: email and nurture. The sender (LumenWorks, unless email settings exist), subscription topics,
// consent records for most contacts (source, time, the text they agreed to; some withdrawn on the preference
// page), four MJML + Liquid templates and the monthly newsletter's campaign through the real verbs, and two
// nurture programs through the program verbs: "New lead welcome" (a draft) and the stage-aware "Consideration
// nurture", activated ~6 months ago and run day by day by the real engine on a simulated clock. Each simulated
// day its queued messages — and every fourth week a newsletter issue, through enqueueEmails — are sent into
// the outbox and their recipients react (email-history.ts). The health alert check runs at the end: the
// program's opt-outs cross the threshold in the last week.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { createCampaign } from '../../domains/plan/campaigns.ts';
import { createTopic } from '../../domains/email/consent.ts';
import { enqueueEmails } from '../../domains/email/enqueue.ts';
import { checkHealthAlerts } from '../../domains/email/health.ts';
import { loadSettings, tokenKey, updateEmailSettings } from '../../domains/email/settings.ts';
import { createTemplate } from '../../domains/email/templates.ts';
import { SimClock } from '../../domains/nurture/clock.ts';
import { runDue } from '../../domains/nurture/engine.ts';
import { createProgram, setProgramStatus } from '../../domains/nurture/programs.ts';
import { DEMO_COMPANY_DOMAIN } from '../data.ts';
import { CONSENT_SOURCES, considerationProgram, DEMO_TEMPLATES, DEMO_TOPICS, welcomeProgram, type DemoTemplateKey } from '../email-data.ts';
import { sendAndReact, type HistoryContext } from '../email-history.ts';
import { rows } from '../sql.ts';
import type { DemoStep } from '../types.ts';

const DAY = 86_400_000;
/** Days of history. */
const SPAN = 182;
/** The engine runs every TICK days (its waits are days long); messages go out over the following TICK days. */
const TICK = 2;
const NEWSLETTER_EVERY = 28;
/** Every message is stored rendered (~10 kB of HTML): the Digest goes to a fixed sample of at most this many subscribers per issue. */
const DIGEST_MAX = 1000;

/** A number in [0, 1) from the contact id and a salt (SQL), as in the analytics step. */
const h = (salt: number) => sql.raw(`((hashint8(c.id * 7919 + ${salt}) & 2147483647) % 100000) / 100000.0`);

async function consents(tx: Tx, topics: { id: number; key: string }[]): Promise<number> {
  let n = 0;
  for (const [i, t] of topics.entries()) {
    const spec = DEMO_TOPICS.find((d) => d.key === t.key)!;
    const who =
      t.key === 'newsletter'
        ? sql`coalesce((c.properties ->> 'newsletter_opt_in')::boolean, false) and ${h(100 + i)} < 0.9`
        : sql`${h(100 + i)} < ${spec.share} * case c.lifecycle_stage when 'disqualified' then 0.3 when 'subscriber' then 0.7 else 1 end`;
    const res = await tx.execute(sql`
      insert into email_consents (workspace_id, contact_id, topic_id, status, source, text, at, recorded_by)
      select 1, c.id, ${t.id}, 'granted', coalesce(${sql.param(JSON.stringify(CONSENT_SOURCES))}::jsonb ->> (c.properties ->> 'lead_source'), 'Website signup form'),
        ${spec.text}, c.created_at + (${h(200 + i)} * 30 + 1) * interval '1 minute', 'demo'
      from contacts c where c.source = 'demo' and ${who} order by c.id`);
    n += res.rowCount ?? 0;
  }
  return n;
}

/** A few people withdrew on the preference page (no message of ours involved), some weeks after agreeing. */
async function withdrawals(tx: Tx, now: Date): Promise<number> {
  const res = await tx.execute(sql`
    insert into email_consents (workspace_id, contact_id, topic_id, status, source, text, at, recorded_by)
    select 1, g.contact_id, g.topic_id, 'revoked', 'preference page', null,
      least(${now.toISOString()}::timestamptz - interval '1 hour', g.at + (3 + ((hashint8(g.id) & 65535) % 120)) * interval '1 day'), 'recipient ' || c.email
    from email_consents g join contacts c on c.id = g.contact_id
    where g.status = 'granted' and (hashint8(g.id * 31) & 1023) < 31 order by g.id`);
  return res.rowCount ?? 0;
}

/** The name, or "<name> (demo)" when the workspace already has one by that name. */
async function freeName(tx: Tx, table: 'email_templates' | 'nurture_programs', name: string): Promise<string> {
  const [taken] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(table)} where workspace_id = 1 and lower(name) = lower(${name})`);
  return taken!.n ? `${name} (demo)` : name;
}

export const emailStep: DemoStep = {
  name: 'email',
  units: () => 30,
  async run(s) {
    const { tx, options, rng } = s;
    const ctx: Ctx = { ...s.ctx, db: tx as never };
    const now = options.now.getTime();
    const start = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate() - SPAN, 9);
    const [settingsRow] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from email_settings`);
    if (!settingsRow!.n) await updateEmailSettings({ ctx, input: { fromName: 'LumenWorks', fromEmail: `news@${DEMO_COMPANY_DOMAIN}`, replyTo: `marketing@${DEMO_COMPANY_DOMAIN}` } });

    const topics: { id: number; key: string }[] = [];
    for (const t of DEMO_TOPICS) {
      // A topic the workspace already has (same key) is the demo's too.
      const [had] = await rows<{ id: number; key: string }>(tx, sql`select id, key from email_topics where workspace_id = 1 and key = ${t.key}`);
      topics.push(had ?? (await createTopic({ ctx, input: { key: t.key, name: t.name, description: t.description } })));
    }
    const topicId = (key: string) => topics.find((t) => t.key === key)!.id;
    s.counts.emailConsents = await consents(tx, topics);
    s.counts.emailConsentsWithdrawn = await withdrawals(tx, options.now);
    s.tick(3);

    const templateIds = {} as Record<DemoTemplateKey, number>;
    for (const t of DEMO_TEMPLATES) templateIds[t.key] = (await createTemplate({ ctx, input: { name: await freeName(tx, 'email_templates', t.name), subject: t.subject, mjml: t.mjml, topicId: topicId(t.topic) } })).id;
    s.counts.emailTemplates = DEMO_TEMPLATES.length;
    const marketer = s.users.find((u) => u.role === 'marketing')?.id ?? null;
    const digest = await createCampaign({
      ctx,
      input: {
        name: 'Operations Digest (newsletter)', utmCampaign: 'operations-digest', channel: 'email', status: 'active', ownerId: marketer,
        startDate: new Date(start).toISOString().slice(0, 10), description: 'The monthly newsletter to everyone subscribed to the Newsletter topic.',
      },
    });
    s.tick(3);

    await createProgram({ ctx, input: { name: await freeName(tx, 'nurture_programs', 'New lead welcome'), description: 'Welcomes new leads, moves the ones who click to marketing qualified and invites the rest to the webinar.', definition: welcomeProgram(templateIds) } });
    const nurture = await createProgram({
      ctx,
      input: { name: await freeName(tx, 'nurture_programs', 'Consideration nurture'), description: 'Stage-aware reading for marketing-qualified leads until they are sales-ready: each email picks the next item for the contact’s buying stage.', definition: considerationProgram(templateIds) },
    });
    // About a third of the contacts that became sales-ready during the half year were MQLs in the program until
    // then: they run it as MQLs and move to sales-ready at their transition's time (the program's goal); their
    // stage is theirs again at the end.
    const converts = await rows<{ id: string; stage: string; updated_at: string; sr_at: string }>(
      tx,
      sql`select c.id, c.lifecycle_stage as stage, c.updated_at::text, min(lt.occurred_at)::text as sr_at
          from contacts c join lifecycle_transitions lt on lt.contact_id = c.id and lt.to_stage = 'sales_ready'
          where c.source = 'demo' and c.lifecycle_stage in ('sales_ready', 'sales_accepted', 'opportunity', 'customer', 'recycled')
            and exists (select 1 from lifecycle_transitions m where m.contact_id = c.id and m.to_stage = 'marketing_qualified' and m.occurred_at < lt.occurred_at)
            and ${h(400)} < 0.35
          group by c.id having min(lt.occurred_at) > ${new Date(start + 7 * DAY).toISOString()}::timestamptz order by c.id`,
    );
    const setStage = (ids: string[], stage: string) => tx.execute(sql`update contacts set lifecycle_stage = ${stage} where id = any(${`{${ids.join(',')}}`}::bigint[])`);
    if (converts.length) await setStage(converts.map((c) => c.id), 'marketing_qualified');
    let pending = converts.map((c) => ({ id: c.id, at: Date.parse(c.sr_at) }));
    const clock = new SimClock(new Date(start));
    await setProgramStatus({ ctx, id: nurture.id, action: 'activate', clock });
    // Activation enrolled every current MQL at once; each really entered when it became MQL (and existed).
    await tx.execute(sql`
      update nurture_enrolments e set entered_at = x.at, next_run_at = x.at
      from (select e2.id, greatest(${new Date(start).toISOString()}::timestamptz, c.created_at + interval '1 hour',
              (select max(lt.occurred_at) from lifecycle_transitions lt where lt.contact_id = c.id and lt.to_stage = 'marketing_qualified')) as at
            from nurture_enrolments e2 join contacts c on c.id = e2.contact_id where e2.program_id = ${nurture.id}) x
      where e.id = x.id`);
    // Set up before the history began (the audit rows keep their real time).
    const setupAt = new Date(start - 5 * DAY).toISOString();
    await tx.execute(sql`update email_topics set created_at = ${setupAt}::timestamptz`);
    await tx.execute(sql`update email_templates set created_at = ${setupAt}::timestamptz, updated_at = ${setupAt}::timestamptz`);
    await tx.execute(sql`update nurture_programs set created_at = ${setupAt}::timestamptz, updated_at = ${new Date(start).toISOString()}::timestamptz`);
    await tx.execute(sql`update nurture_program_versions set created_at = ${setupAt}::timestamptz`);
    s.tick(4);

    const settings = await loadSettings(tx);
    const hist: HistoryContext = {
      tx, rng, key: tokenKey(tx, ctx.dataDir), baseUrl: settings.trackingBaseUrl ?? 'http://127.0.0.1:4000', start, now, risingProgramId: String(nurture.id), campaignId: String(digest.id),
      utmOf: new Map([[String(digest.id), digest.utmCampaign]]), counts: { sent: 0, opens: 0, clicks: 0, unsubscribes: 0, bounces: 0, complaints: 0 },
    };
    let issue = 0;
    const [subs] = await rows<{ n: number }>(tx, sql`select count(distinct contact_id)::int as n from email_consents where topic_id = ${topicId('newsletter')}`);
    const digestShare = Math.min(1, DIGEST_MAX / Math.max(1, subs!.n));
    // Ticks every TICK days, and a last one two hours before now (what falls due after it, the server's engine runs).
    const ticks: number[] = [];
    for (let at = start; at < now - TICK * DAY; at += TICK * DAY) ticks.push(at);
    ticks.push(now - 2 * 3_600_000);
    for (const [k, at] of ticks.entries()) {
      const day = k * TICK;
      clock.set(new Date(at));
      const ready = pending.filter((c) => c.at <= at);
      if (ready.length) await setStage(ready.map((c) => c.id), 'sales_ready');
      pending = pending.filter((c) => c.at > at);
      await runDue({ db: tx as never, clock, worker: 'demo' });
      if (day % NEWSLETTER_EVERY === 4) {
        issue++;
        // The Digest's subscribers who existed then (enqueue skips revoked consents and suppressed addresses).
        const audience = await rows<{ id: string }>(
          tx,
          sql`select distinct c.id from contacts c join email_consents ec on ec.contact_id = c.id and ec.topic_id = ${topicId('newsletter')}
              where c.created_at < ${new Date(at - 3_600_000).toISOString()}::timestamptz and ${h(300)} < ${digestShare} order by c.id`,
        );
        await enqueueEmails(
          tx,
          audience.map((a) => ({ workspaceId: 1, contactId: Number(a.id), templateId: templateIds.digest, topicKey: 'newsletter', idempotencyKey: `campaign:${digest.id}:${issue}:${a.id}`, campaignId: String(digest.id) })),
        );
      }
      await sendAndReact(hist, at, Math.min(TICK * DAY, now - at));
      if (day % 8 === 0) s.tick(1);
    }
    for (const c of converts) await tx.execute(sql`update contacts set lifecycle_stage = ${c.stage}, updated_at = ${c.updated_at}::timestamptz where id = ${c.id}`);
    s.counts.emailMessages = hist.counts.sent;
    s.counts.emailOpens = hist.counts.opens;
    s.counts.emailClicks = hist.counts.clicks;
    s.counts.emailUnsubscribes = hist.counts.unsubscribes;
    s.counts.emailBounces = hist.counts.bounces;
    s.counts.emailComplaints = hist.counts.complaints;
    s.counts.emailAlerts = await checkHealthAlerts({ db: tx, now: options.now });
    const [enrolled] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from nurture_enrolments`);
    s.counts.nurturePrograms = 2;
    s.counts.nurtureEnrolments = enrolled!.n;
  },
};
