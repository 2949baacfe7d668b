// Demo step: the revenue history analytics reads. Every contact gets the lifecycle transitions that led to its
// stage (spread between its creation and now), contacts past subscriber get 1–4 ad / email touches through the
// demo campaigns (events with utm_campaign from an "Ads (demo)" source), opportunities get open deals, customers
// won deals (created at their opportunity transition, won at their customer one), some recycled contacts lost
// deals, and a few contacts an offline event touch. Deterministic: spreads come from hashes of the contact id.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../sql.ts';
import type { DemoStep } from '../types.ts';

const PATHS: Record<string, string[]> = {
  subscriber: ['subscriber'],
  lead: ['subscriber', 'lead'],
  marketing_qualified: ['subscriber', 'lead', 'marketing_qualified'],
  sales_ready: ['subscriber', 'lead', 'marketing_qualified', 'sales_ready'],
  sales_accepted: ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted'],
  opportunity: ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity'],
  customer: ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'sales_accepted', 'opportunity', 'customer'],
  recycled: ['subscriber', 'lead', 'marketing_qualified', 'sales_ready', 'recycled'],
  disqualified: ['subscriber', 'lead', 'disqualified'],
};

/** A number in [0, 1) from the contact id and a salt (SQL). */
const h = (id: string, salt: number) => sql.raw(`((hashint8(${id} * 7919 + ${salt}) & 2147483647) % 100000) / 100000.0`);

export const analyticsStep: DemoStep = {
  name: 'analytics',
  units: () => 4,
  async run(s) {
    const { tx, options } = s;
    const now = options.now;
    const cases = sql.join(
      Object.entries(PATHS).map(([stage, path]) => sql`when ${stage} then ${sql.param(path)}::text[]`),
      sql` `,
    );
    // 1. Transitions: the path to the contact's stage, each step later than the previous one.
    const tr = await tx.execute(sql`
      with c as (
        select id, lifecycle_stage as s, created_at, greatest(extract(epoch from ${now}::timestamptz - created_at), 3600) as span
        from contacts where workspace_id = 1
          and not exists (select 1 from lifecycle_transitions lt where lt.contact_id = contacts.id)
      ), p as (
        select c.id, c.created_at, c.span, u.stage, u.ord, cardinality(case c.s ${cases} end) as n
        from c cross join lateral unnest(case c.s ${cases} end) with ordinality as u(stage, ord)
      )
      insert into lifecycle_transitions (workspace_id, contact_id, from_stage, to_stage, cause, reason, actor_type, actor_label, occurred_at)
      select 1, p.id, lag(p.stage) over (partition by p.id order by p.ord), p.stage,
             case when p.stage in ('opportunity', 'customer') then 'deal' when p.stage in ('sales_accepted', 'recycled', 'disqualified') then 'handoff' else 'rule' end,
             'demo history', 'system', 'system',
             p.created_at + (p.span * 0.95 * ((p.ord - 1) + 0.2 + 0.6 * ${h('p.id', 0)}) / p.n) * interval '1 second'
      from p`);
    s.counts.lifecycleTransitions = tr.rowCount ?? 0;
    s.tick(1);

    // 2. Touches: events with the campaigns' UTM codes, before the contact reached opportunity (or now).
    const [src] = await rows<{ id: number }>(
      tx,
      sql`insert into sources (name, write_key_hash, write_key_prefix) values ('Ads (demo)', ${createHash('sha256').update(randomBytes(32)).digest('hex')}, 'rlw_demo…') returning id`,
    );
    const camps = await rows<{ code: string; channel: string }>(tx, sql`select utm_campaign as code, channel from campaigns where workspace_id = 1 and utm_campaign like 'demo-%' and utm_campaign <> 'demo-finops-summit' order by id`);
    if (camps.length) {
      const codes = camps.map((c) => c.code);
      const media = camps.map((c) => (c.channel === 'paid_search' ? 'cpc' : c.channel === 'paid_social' ? 'paid_social' : c.channel === 'webinar' ? 'email' : c.channel));
      const ev = await tx.execute(sql`
        with c as (
          select c.id, c.created_at,
                 coalesce((select min(lt.occurred_at) from lifecycle_transitions lt where lt.contact_id = c.id and lt.to_stage = 'opportunity'), ${now}::timestamptz) as until
          from contacts c where c.workspace_id = 1 and c.lifecycle_stage <> 'subscriber'
        ), t as (
          select c.id, k, 1 + floor(${h('c.id', 1)} * 4)::int as m, c.created_at, c.until from c cross join generate_series(1, 4) as k
        )
        insert into events (workspace_id, source_id, message_id, type, contact_id, timestamp, received_at, utm_campaign, utm_source, utm_medium, page_url, page_path)
        select 1, ${src!.id}, 'demo-touch-' || t.id || '-' || t.k, 'page', t.id, at, at, code, 'demo', medium, 'https://demo.example/landing?utm_campaign=' || code, '/landing'
        from t cross join lateral (
          select t.created_at + (extract(epoch from t.until - t.created_at) * (t.k - 0.6) / t.m) * interval '1 second' as at,
                 (${sql.param(codes)}::text[])[1 + floor(${h('t.id', 0)} * 7 * t.k)::int % ${codes.length}] as code,
                 (${sql.param(media)}::text[])[1 + floor(${h('t.id', 0)} * 7 * t.k)::int % ${codes.length}] as medium
        ) x
        where t.k <= t.m and x.at < ${now}::timestamptz`);
      s.counts.touchEvents = ev.rowCount ?? 0;
    }
    s.tick(1);

    // 3. Deals: customers won, opportunities open, one in four recycled contacts lost.
    const deals = await tx.execute(sql`
      with c as (
        select c.id, c.lifecycle_stage as s, c.owner_id, c.account_id, coalesce(a.name, c.email) as who,
               (select min(occurred_at) from lifecycle_transitions lt where lt.contact_id = c.id and lt.to_stage in ('opportunity', 'sales_ready')) as opened,
               (select min(occurred_at) from lifecycle_transitions lt where lt.contact_id = c.id and lt.to_stage in ('customer', 'recycled')) as closed
        from contacts c left join accounts a on a.id = c.account_id
        where c.workspace_id = 1 and (c.lifecycle_stage in ('opportunity', 'customer') or (c.lifecycle_stage = 'recycled' and ${h('c.id', 3)} < 0.25))
      ), d as (
        insert into deals (workspace_id, external_id, name, amount, stage, close_date, owner_id, account_id, won_at, closed_at, created_at, updated_at, lost_reason)
        select 1, 'demo-deal-' || c.id, c.who || ' – ' || (case when ${h('c.id', 4)} < 0.5 then 'Close automation' else 'Reconciliation suite' end),
               round((600 + ${h('c.id', 5)} * 5400)::numeric, -1),
               case c.s when 'customer' then 'won' when 'recycled' then 'lost' else (case when ${h('c.id', 6)} < 0.5 then 'intent' else 'job_to_be_done' end) end,
               coalesce(c.closed, ${now}::timestamptz + interval '45 days')::date, c.owner_id, c.account_id,
               case when c.s = 'customer' then c.closed end, case when c.s in ('customer', 'recycled') then c.closed end,
               coalesce(c.opened, ${now}::timestamptz), coalesce(c.closed, c.opened, ${now}::timestamptz),
               case when c.s = 'recycled' then 'No budget this year' end
        from c
        on conflict do nothing
        returning id, external_id
      )
      insert into deal_contacts (deal_id, contact_id, role)
      select d.id, substr(d.external_id, 11)::bigint, 'champion' from d`);
    s.counts.deals = deals.rowCount ?? 0;
    s.tick(1);

    // 4. Offline touches: booth visits at the summit for a few sales-ready-or-later contacts.
    const off = await tx.execute(sql`
      insert into offline_touches (workspace_id, external_id, contact_id, campaign_id, kind, occurred_at, note)
      select 1, 'demo-booth-' || c.id, c.id, (select id from campaigns where utm_campaign = 'demo-finops-summit'), 'event',
             c.created_at + (extract(epoch from ${now}::timestamptz - c.created_at) * 0.3) * interval '1 second', 'Visited the booth (demo)'
      from contacts c where c.workspace_id = 1 and c.lifecycle_stage in ('sales_ready', 'sales_accepted', 'opportunity', 'customer') and ${h('c.id', 8)} < 0.08`);
    s.counts.offlineTouches = off.rowCount ?? 0;
    // The history was written with past receive times: the next rollup run rebuilds from scratch.
    await tx.execute(sql`delete from analytics_state where workspace_id = 1`);
    s.tick(1);
  },
};
