// Demo step: the content engine. Items across the buying stages and both types (live, in the workflow with
// due dates — some overdue — and one retired) with their URLs and workflow history; the SME network and who
// contributed to what; tracked page views and read depth on the demo website (events from a "Website (demo)"
// source, contacts biased to content of their stage, plus anonymous visitors), from which content_consumption
// and content_daily are computed the way the product does (consumption.ts), and buying stages from them; reader ratings; field intel from
// the sales team, with one trend already turned into a calendar idea.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ContentStatus } from '../../contracts/content.ts';
import type { LifecycleStage } from '../../domains/contacts/schema.ts';
import { rebuildDaily, refreshContentConsumption } from '../../domains/content/consumption.ts';
import { normalizeUrl } from '../../domains/content/match.ts';
import { refreshBuyingStages } from '../../domains/scoring/buying-stage.ts';
import { DEMO_COMPANY_DOMAIN } from '../data.ts';
import { DEMO_COMPETITORS, DEMO_CONTENT, DEMO_INTEL, DEMO_PIPELINE, DEMO_RETIRED, DEMO_SMES, type DemoContentSeed } from '../content-data.ts';
import type { Rng } from '../random.ts';
import { arr, chunks, rows } from '../sql.ts';
import type { DemoStep } from '../types.ts';

const DAY = 86_400_000;
const SITE = `https://www.${DEMO_COMPANY_DOMAIN}`;
const STEPS: ContentStatus[] = ['idea', 'research', 'sme_interview', 'draft', 'review', 'scheduled', 'published', 'audited'];
const CHUNK = 4000;

/** Which buying stages a contact at a lifecycle stage tends to read. */
const STAGE_AFFINITY: Record<LifecycleStage, string[]> = {
  subscriber: ['epiphany', 'awareness'],
  lead: ['awareness', 'interest'],
  marketing_qualified: ['interest', 'consideration'],
  sales_ready: ['consideration', 'purchase'],
  sales_accepted: ['consideration', 'purchase'],
  opportunity: ['consideration', 'purchase'],
  customer: ['post_sale', 'purchase'],
  recycled: ['awareness', 'interest'],
  disqualified: ['epiphany'],
};
const READER_SHARE: Record<LifecycleStage, number> = {
  subscriber: 0.18, lead: 0.32, marketing_qualified: 0.6, sales_ready: 0.75, sales_accepted: 0.75, opportunity: 0.8, customer: 0.5, recycled: 0.25, disqualified: 0.08,
};
const COMMENTS = ['Exactly what I needed for our planning meeting.', 'Good overview, a bit long.', 'Would love a template to go with this.', 'Clear and practical.', 'Too high level for our team.', 'Shared it with my manager.'];

const slug = (s: string) => s.toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

interface Item {
  id: number;
  seed: DemoContentSeed;
  status: ContentStatus;
  url: string;
  publishedAt: Date | null;
  popularity: number;
  depthMean: number;
  quality: number;
}

interface Ev {
  contactId: number | null;
  anon: string;
  type: 'page' | 'track';
  event: string | null;
  at: Date;
  url: string;
  title: string;
  props: Record<string, unknown>;
}

function statusOfLive(rng: Rng, publishedAt: Date, now: Date): ContentStatus {
  return now.getTime() - publishedAt.getTime() > 200 * DAY && rng.chance(0.4) ? 'audited' : 'published';
}

async function insertItems(s: Parameters<DemoStep['run']>[0], owners: number[]): Promise<Item[]> {
  const { tx, rng, options } = s;
  const now = options.now.getTime();
  const plan: { seed: DemoContentSeed; status: ContentStatus; publishedAt: Date | null; createdAt: Date; due: string | null; dueStatus: ContentStatus | null; publishDate: string | null }[] = [];
  for (const seed of DEMO_CONTENT) {
    const publishedAt = new Date(now - rng.int(10, 420) * DAY - rng.int(0, 8) * 3600_000);
    plan.push({ seed, status: statusOfLive(rng, publishedAt, options.now), publishedAt, createdAt: new Date(publishedAt.getTime() - rng.int(20, 60) * DAY), due: null, dueStatus: null, publishDate: dateOnly(publishedAt) });
  }
  for (const seed of DEMO_PIPELINE) {
    const next = STEPS[STEPS.indexOf(seed.status) + 1]!;
    const due = new Date(now + rng.int(-9, 21) * DAY); // some past due: overdue
    const publishDate = seed.status === 'scheduled' ? dateOnly(new Date(now + rng.int(3, 25) * DAY)) : dateOnly(new Date(now + rng.int(20, 70) * DAY));
    plan.push({ seed, status: seed.status, publishedAt: null, createdAt: new Date(now - rng.int(5, 50) * DAY), due: seed.status === 'scheduled' ? null : dateOnly(due), dueStatus: seed.status === 'scheduled' ? null : next, publishDate });
  }
  for (const seed of DEMO_RETIRED) {
    const publishedAt = new Date(now - rng.int(600, 700) * DAY);
    plan.push({ seed, status: 'retired', publishedAt, createdAt: new Date(publishedAt.getTime() - 30 * DAY), due: null, dueStatus: null, publishDate: dateOnly(publishedAt) });
  }
  const inserted = await rows<{ id: number }>(
    tx,
    sql`insert into content_items (title, summary, type, format, stage, status, topics, segments, products, owner_id, due_date, due_status, publish_date, published_at, created_by, created_at, updated_at)
      select u.title, u.summary, u.type, u.format, u.stage, u.status, string_to_array(u.topics, '|'), string_to_array(u.segments, '|'), string_to_array(u.products, '|'),
             u.owner_id, u.due_date, u.due_status, u.publish_date, u.published_at, u.owner_id, u.created_at, coalesce(u.published_at, u.created_at)
      from unnest(${arr(plan.map((p) => p.seed.title), 'text')}, ${arr(plan.map((p) => `${p.seed.title}. For ${p.seed.segments.join(' and ')} teams.`), 'text')},
                  ${arr(plan.map((p) => p.seed.type), 'text')}, ${arr(plan.map((p) => p.seed.format), 'text')}, ${arr(plan.map((p) => p.seed.stage), 'text')},
                  ${arr(plan.map((p) => p.status), 'text')}, ${arr(plan.map((p) => p.seed.topics.join('|')), 'text')}, ${arr(plan.map((p) => p.seed.segments.join('|')), 'text')},
                  ${arr(plan.map((p) => p.seed.products.join('|')), 'text')}, ${arr(plan.map(() => rng.pick(owners)), 'int4')}, ${arr(plan.map((p) => p.due), 'date')},
                  ${arr(plan.map((p) => p.dueStatus), 'text')}, ${arr(plan.map((p) => p.publishDate), 'date')}, ${arr(plan.map((p) => p.publishedAt?.toISOString() ?? null), 'timestamptz')},
                  ${arr(plan.map((p) => p.createdAt.toISOString()), 'timestamptz')})
        as u(title, summary, type, format, stage, status, topics, segments, products, owner_id, due_date, due_status, publish_date, published_at, created_at)
      returning id`,
  );
  const items: Item[] = plan.map((p, i) => ({
    id: Number(inserted[i]!.id),
    seed: p.seed,
    status: p.status,
    url: `${SITE}/insights/${slug(p.seed.title)}`,
    publishedAt: p.publishedAt,
    popularity: 0.3 + rng.next() * 2.7 * (p.seed.topics.includes('ai operations') || p.seed.topics.includes('cloud costs') ? 1.5 : 1),
    depthMean: 35 + rng.int(0, 50),
    quality: 2.8 + rng.next() * 2,
  }));
  await tx.execute(sql`
    insert into content_urls (item_id, url, normalized, kind, canonical)
    select * from unnest(${arr(items.map((i) => i.id), 'int4')}, ${arr(items.map((i) => i.url), 'text')}, ${arr(items.map((i) => normalizeUrl(i.url)!), 'text')},
                         ${arr(items.map(() => 'exact'), 'text')}, ${arr(items.map(() => true), 'bool')})`);
  // Workflow history: every step up to the current status, spread between creation and publication (or now).
  const hist: { itemId: number; from: ContentStatus | null; to: ContentStatus; at: Date; skipped: boolean }[] = [];
  for (const [i, item] of items.entries()) {
    const p = plan[i]!;
    const last = item.status === 'retired' ? STEPS.indexOf('published') : STEPS.indexOf(item.status);
    const end = (p.publishedAt ?? options.now).getTime();
    const start = p.createdAt.getTime();
    let prev: ContentStatus | null = null;
    for (let k = 0; k <= last; k++) {
      const to = STEPS[k]!;
      const at = to === 'audited' ? new Date(end + rng.int(150, 190) * DAY) : new Date(start + ((end - start) * k) / Math.max(1, Math.min(last, 6)));
      hist.push({ itemId: item.id, from: prev, to, at: at.getTime() > options.now.getTime() ? options.now : at, skipped: false });
      prev = to;
    }
    if (item.status === 'retired') hist.push({ itemId: item.id, from: 'published', to: 'retired', at: new Date(options.now.getTime() - rng.int(5, 40) * DAY), skipped: false });
  }
  await tx.execute(sql`
    insert into content_workflow_history (item_id, from_status, to_status, skipped_review, actor_label, occurred_at)
    select u.item_id, u.from_status, u.to_status, u.skipped, 'demo', u.at
    from unnest(${arr(hist.map((h) => h.itemId), 'int4')}, ${arr(hist.map((h) => h.from), 'text')}, ${arr(hist.map((h) => h.to), 'text')},
                ${arr(hist.map((h) => h.skipped), 'bool')}, ${arr(hist.map((h) => h.at.toISOString()), 'timestamptz')}) as u(item_id, from_status, to_status, skipped, at)`);
  return items;
}

async function insertSmes(s: Parameters<DemoStep['run']>[0], items: Item[]): Promise<number> {
  const { tx, rng } = s;
  const smes = await rows<{ id: number }>(
    tx,
    sql`insert into content_smes (name, title, topics, email)
        select u.name, u.title, string_to_array(u.topics, '|'), u.email
        from unnest(${arr(DEMO_SMES.map((m) => m.name), 'text')}, ${arr(DEMO_SMES.map((m) => m.title), 'text')}, ${arr(DEMO_SMES.map((m) => m.topics.join('|')), 'text')},
                    ${arr(DEMO_SMES.map((m) => (m.title.includes('LumenWorks') ? `${slug(m.name.replace('Dr. ', '')).replace(/-/g, '.')}@${DEMO_COMPANY_DOMAIN}` : null)), 'text')}) as u(name, title, topics, email)
        returning id`,
  );
  const links: { item: number; sme: number; role: string }[] = [];
  for (const item of items) {
    if (item.status === 'idea' || item.status === 'research') continue;
    const fits = DEMO_SMES.map((m, i) => ({ i, n: m.topics.filter((t) => item.seed.topics.includes(t)).length })).filter((x) => x.n > 0);
    if (!fits.length || rng.chance(0.2)) continue;
    const picked = [rng.pick(fits)];
    if (fits.length > 1 && rng.chance(0.35)) picked.push(rng.pick(fits.filter((f) => f.i !== picked[0]!.i)));
    for (const [k, f] of picked.entries()) links.push({ item: item.id, sme: Number(smes[f.i]!.id), role: k === 0 ? rng.pick(['interview', 'interview', 'author']) : 'reviewer' });
  }
  if (links.length) {
    await tx.execute(sql`
      insert into content_item_smes (item_id, sme_id, role)
      select * from unnest(${arr(links.map((l) => l.item), 'int4')}, ${arr(links.map((l) => l.sme), 'int4')}, ${arr(links.map((l) => l.role), 'text')})`);
  }
  return smes.length;
}

/** Page views and reads of known contacts (biased to their stage's content) and of anonymous visitors. */
function generateEvents(rng: Rng, items: Item[], contacts: { id: number; stage: LifecycleStage; created: number }[], now: number): { events: Ev[]; reads: { item: Item; contactId: number; anon: string; depth: number; at: Date }[] } {
  const live = items.filter((i) => i.publishedAt && i.status !== 'retired');
  const events: Ev[] = [];
  const reads: { item: Item; contactId: number; anon: string; depth: number; at: Date }[] = [];
  const view = (item: Item, contactId: number | null, anon: string, from: number) => {
    const start = Math.max(from, item.publishedAt!.getTime());
    if (start >= now - 3600_000) return;
    const at = new Date(start + rng.next() * (now - 3600_000 - start));
    events.push({ contactId, anon, type: 'page', event: item.seed.title, at, url: item.url, title: item.seed.title, props: { url: item.url, path: new URL(item.url).pathname, title: item.seed.title } });
    if (rng.chance(0.7)) {
      const depth = Math.max(5, Math.min(100, Math.round(item.depthMean + (rng.next() - 0.5) * 50)));
      const seconds = Math.round((depth / 100) * rng.int(60, 600));
      const readAt = new Date(at.getTime() + seconds * 1000 + 2000);
      events.push({ contactId, anon, type: 'track', event: 'Content Read', at: readAt, url: item.url, title: item.seed.title, props: { url: item.url, path: new URL(item.url).pathname, title: item.seed.title, maxScrollPercent: depth, activeSeconds: seconds } });
      if (contactId !== null) reads.push({ item, contactId, anon, depth, at: readAt });
    }
  };
  for (const c of contacts) {
    if (!rng.chance(READER_SHARE[c.stage])) continue;
    const affinity = STAGE_AFFINITY[c.stage];
    const weighted = live.map((i) => [i, i.popularity * (affinity.includes(i.seed.stage) ? 4 : 1)] as const);
    const n = rng.weighted([[1, 40], [2, 28], [3, 16], [4, 9], [6, 5], [9, 2]] as const);
    const anon = `demo-${c.id}-${rng.int(100000, 999999)}`;
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      const item = rng.weighted(weighted);
      if (seen.has(item.id) && rng.chance(0.7)) continue;
      seen.add(item.id);
      view(item, c.id, anon, c.created);
    }
  }
  for (const item of live) {
    const visitors = Math.round(item.popularity * rng.int(8, 40) * Math.max(1, contacts.length / 4000));
    for (let v = 0; v < visitors; v++) view(item, null, `demo-anon-${item.id}-${v}-${rng.int(1000, 9999)}`, now - 400 * DAY);
  }
  return { events, reads };
}

export const contentStep: DemoStep = {
  name: 'content',
  units: (o) => Math.max(50, Math.round(o.contacts / 100)),
  async run(s) {
    const { tx, rng, options } = s;
    const now = options.now.getTime();
    const marketing = s.users.filter((u) => u.role === 'marketing').map((u) => u.id);
    const sales = s.users.filter((u) => u.role === 'sales').map((u) => u.id);
    const items = await insertItems(s, marketing.length ? marketing : [s.users[0]!.id]);
    s.counts.contentItems = items.length;
    s.counts.smes = await insertSmes(s, items);
    s.tick(10);

    // The demo website's tracking source (its key is random and never shown).
    const [source] = await rows<{ id: number }>(
      tx,
      sql`insert into sources (name, write_key_hash, write_key_prefix) values ('Website (demo)', ${createHash('sha256').update(randomBytes(32)).digest('hex')}, 'rlw_demo…') returning id`,
    );
    const contacts = (await rows<{ id: string; stage: LifecycleStage; created: Date | string }>(tx, sql`select id, lifecycle_stage as stage, created_at as created from contacts order by id`)).map((c) => ({
      id: Number(c.id),
      stage: c.stage,
      created: new Date(c.created).getTime(),
    }));
    const { events, reads } = generateEvents(rng, items, contacts, now);
    const evChunks = chunks(events, CHUNK);
    const per = Math.max(1, Math.floor((contentStep.units(options) - 30) / Math.max(1, evChunks.length)));
    let seq = 0;
    for (const chunk of evChunks) {
      await tx.execute(sql`
        insert into events (source_id, message_id, type, event, contact_id, anonymous_id, timestamp, received_at, properties, context, page_url, page_path, page_title, user_agent)
        select ${source!.id}, u.mid, u.type, u.event, u.contact_id, u.anon, u.at, u.at + interval '1 second', u.props, jsonb_build_object('page', jsonb_build_object('url', u.url, 'title', u.title)),
               u.url, u.path, u.title, 'Mozilla/5.0 (demo)'
        from unnest(${arr(chunk.map(() => `demo-${++seq}-${rng.int(1e8, 9e8)}`), 'text')}, ${arr(chunk.map((e) => e.type), 'text')}, ${arr(chunk.map((e) => e.event), 'text')},
                    ${arr(chunk.map((e) => e.contactId), 'int8')}, ${arr(chunk.map((e) => e.anon), 'text')}, ${arr(chunk.map((e) => e.at.toISOString()), 'timestamptz')},
                    ${arr(chunk.map((e) => JSON.stringify(e.props)), 'jsonb')}, ${arr(chunk.map((e) => e.url), 'text')}, ${arr(chunk.map((e) => new URL(e.url).pathname), 'text')},
                    ${arr(chunk.map((e) => e.title), 'text')}) as u(mid, type, event, contact_id, anon, at, props, url, path, title)`);
      s.tick(per);
    }
    s.counts.contentEvents = events.length;
    // Known visitors' anonymous ids are theirs (as identify would have stitched them).
    const anonOf = new Map<number, string>();
    for (const e of events) if (e.contactId !== null) anonOf.set(e.contactId, e.anon);
    for (const chunk of chunks([...anonOf.entries()], CHUNK)) {
      await tx.execute(sql`
        insert into identities (kind, value, contact_id) select 'anonymous', u.v, u.c from unnest(${arr(chunk.map(([, v]) => v), 'text')}, ${arr(chunk.map(([c]) => c), 'int8')}) as u(v, c)
        on conflict do nothing`);
    }
    // Consumption computed from those events exactly as the product does.
    await rebuildDaily(tx, 1, options.now);
    for (const ids of chunks([...anonOf.keys()], 2000)) await refreshContentConsumption(tx, 1, ids);
    // Buying stages from what they read (content item stages win over URL rules), as the scoring pass would.
    for (const ids of chunks([...anonOf.keys()], 1000)) await refreshBuyingStages(tx, 1, ids, options.now);
    s.tick(10);

    // Ratings from some readers who read far enough.
    const rated = new Set<string>();
    const ratings: { item: number; key: string; anon: string; contact: number; rating: number; comment: string | null; at: Date; url: string }[] = [];
    for (const r of reads) {
      const key = `a:${r.anon}`;
      if (r.depth < 40 || !rng.chance(0.2) || rated.has(`${r.item.id}|${key}`)) continue;
      rated.add(`${r.item.id}|${key}`);
      const rating = Math.max(1, Math.min(5, Math.round(r.item.quality + (rng.next() - 0.5) * 2)));
      ratings.push({ item: r.item.id, key, anon: r.anon, contact: r.contactId, rating, comment: rng.chance(0.3) ? rng.pick(COMMENTS) : null, at: r.at, url: r.item.url });
    }
    if (ratings.length) {
      await tx.execute(sql`
        insert into content_ratings (item_id, reader_key, anonymous_id, contact_id, rating, comment, source_id, page_url, created_at, updated_at)
        select u.item, u.key, u.anon, u.contact, u.rating, u.comment, ${source!.id}, u.url, u.at, u.at
        from unnest(${arr(ratings.map((r) => r.item), 'int4')}, ${arr(ratings.map((r) => r.key), 'text')}, ${arr(ratings.map((r) => r.anon), 'text')},
                    ${arr(ratings.map((r) => r.contact), 'int8')}, ${arr(ratings.map((r) => r.rating), 'int2')}, ${arr(ratings.map((r) => r.comment), 'text')},
                    ${arr(ratings.map((r) => r.at.toISOString()), 'timestamptz')}, ${arr(ratings.map((r) => r.url), 'text')}) as u(item, key, anon, contact, rating, comment, at, url)`);
    }
    s.counts.contentRatings = ratings.length;

    // Field intel over the last 16 weeks, AI questions rising lately; the oldest AI-governance entries already
    // became the "AI governance for operations data" idea.
    const intel: { body: string; topics: string; competitors: string; account: number | null; on: string; by: number | null; idea: number | null }[] = [];
    const idea = items.find((i) => i.seed.title.startsWith('AI governance'))!;
    const total = Math.max(40, Math.min(120, Math.round(options.contacts / 50)));
    for (let k = 0; k < total; k++) {
      const daysAgo = rng.int(0, 111);
      const recent = daysAgo < 35;
      const [text, topics, withCompetitor] = rng.weighted(DEMO_INTEL.map((t) => [t, t[1].includes('ai operations') ? (recent ? 5 : 1) : 2] as const));
      const competitor = withCompetitor ? rng.pick(DEMO_COMPETITORS) : null;
      const body = text.replace('{c}', competitor ? competitor.replace(/\b\w/g, (m) => m.toUpperCase()) : 'a competitor');
      const acc = s.accounts.length && rng.chance(0.7) ? rng.pick(s.accounts) : null;
      const isGovernance = topics.includes('compliance') && topics.includes('ai operations');
      intel.push({ body, topics: topics.join('|'), competitors: competitor ?? '', account: acc?.id ?? null, on: dateOnly(new Date(now - daysAgo * DAY)), by: sales.length ? rng.pick(sales) : null, idea: isGovernance && daysAgo > 30 ? idea.id : null });
    }
    intel.sort((a, b) => a.on.localeCompare(b.on)); // posted in the order they were heard
    await tx.execute(sql`
      insert into field_intel (body, topics, competitors, account_id, heard_on, posted_by, idea_item_id, created_at)
      select u.body, string_to_array(u.topics, '|'), coalesce(string_to_array(nullif(u.competitors, ''), '|'), '{}'), u.account, u.heard_on, u.by, u.idea, u.heard_on + time '16:00'
      from unnest(${arr(intel.map((i) => i.body), 'text')}, ${arr(intel.map((i) => i.topics), 'text')}, ${arr(intel.map((i) => i.competitors), 'text')},
                  ${arr(intel.map((i) => i.account), 'int8')}, ${arr(intel.map((i) => i.on), 'date')}, ${arr(intel.map((i) => i.by), 'int4')},
                  ${arr(intel.map((i) => i.idea), 'int4')}) as u(body, topics, competitors, account, heard_on, by, idea)`);
    s.counts.fieldIntel = intel.length;
    s.tick(10);
  },
};
