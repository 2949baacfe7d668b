// Demo step: contacts at the accounts' domains (plus some free-mail), with titles, phones, owners,
// lifecycle stages shaped like a funnel, custom properties, and created_at spread over the history.
import { sql } from 'drizzle-orm';
import type { LifecycleStage } from '../../domains/contacts/schema.ts';
import {
  COUNTRIES,
  FIRST_NAMES,
  FREE_MAIL_DOMAINS,
  FUNCTION_WEIGHTS,
  LAST_NAMES,
  LEAD_SOURCE_WEIGHTS,
  SENIORITY_WEIGHTS,
  TITLES,
} from '../data.ts';
import type { Rng } from '../random.ts';
import { arr } from '../sql.ts';
import type { DemoAccount, DemoStep, DemoUser } from '../types.ts';
import { HISTORY_DAYS } from './accounts.ts';
import { ascii } from './owners.ts';

const DAY = 86_400_000;
const CHUNK = 2000;

type W = readonly (readonly [LifecycleStage, number])[];
/** A funnel: most contacts are early; customer accounts have more customers; free-mail sign-ups rarely progress. */
const STAGES_PROSPECT: W = [
  ['subscriber', 36], ['lead', 26], ['marketing_qualified', 12], ['sales_ready', 5], ['sales_accepted', 4],
  ['opportunity', 4], ['customer', 2], ['recycled', 7], ['disqualified', 4],
];
const STAGES_CUSTOMER_ACCOUNT: W = [
  ['subscriber', 16], ['lead', 14], ['marketing_qualified', 8], ['sales_ready', 4], ['sales_accepted', 4],
  ['opportunity', 8], ['customer', 40], ['recycled', 4], ['disqualified', 2],
];
const STAGES_FREE_MAIL: W = [['subscriber', 58], ['lead', 24], ['marketing_qualified', 6], ['recycled', 5], ['disqualified', 7]];
const SALES_STAGES = new Set<LifecycleStage>(['sales_ready', 'sales_accepted', 'opportunity', 'customer']);

export interface DemoContactRow {
  email: string;
  firstName: string;
  lastName: string;
  title: string | null;
  phone: string | null;
  ownerId: number | null;
  accountId: number | null;
  stage: LifecycleStage;
  properties: Record<string, string | number | boolean>;
  createdAt: Date;
  updatedAt: Date;
}

const slug = (s: string) => ascii(s).replace(/[^a-z0-9]+/g, '');

function localPart(rng: Rng, first: string, last: string, small: boolean): string {
  const f = slug(first);
  const l = slug(last);
  return rng.weighted([
    [`${f}.${l}`, 60],
    [`${f[0]}${l}`, 20],
    [small ? f : `${f}.${l}`, 8],
    [`${f}_${l}`, 6],
    [`${f}${l[0]}`, 6],
  ] as const);
}

/** Picks accounts by size: bigger companies have more contacts. */
function accountPicker(accounts: DemoAccount[]): (rng: Rng) => DemoAccount {
  const cumulative: number[] = [];
  let total = 0;
  for (const a of accounts) cumulative.push((total += Math.log10(a.employeeCount + 10) ** 2));
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return accounts[lo]!;
  };
}

export function* generateContacts(opts: { rng: Rng; count: number; now: Date; accounts: DemoAccount[]; users: DemoUser[] }): Generator<DemoContactRow> {
  const { rng, now } = opts;
  const end = now.getTime();
  const start = end - HISTORY_DAYS * DAY;
  const pickAccount = accountPicker(opts.accounts);
  const marketing = opts.users.filter((u) => u.role === 'marketing');
  const sales = opts.users.filter((u) => u.role === 'sales');
  const seen = new Set<string>();
  for (let i = 0; i < opts.count; i++) {
    const freeMail = opts.accounts.length === 0 || rng.chance(0.12);
    const account = freeMail ? null : pickAccount(rng);
    const country = account
      ? COUNTRIES.find((c) => c.name === account.country)!
      : rng.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    let seniority = rng.weighted(SENIORITY_WEIGHTS);
    const fn = rng.weighted(FUNCTION_WEIGHTS);
    if (fn === 'Executive' && seniority === 'Individual contributor') seniority = 'C-level';
    const title = freeMail && rng.chance(0.5) ? null : rng.pick(TITLES[fn][seniority]);

    const domain = account ? account.domain : rng.pick(FREE_MAIL_DOMAINS);
    const local = account ? localPart(rng, firstName, lastName, account.employeeCount < 100) : `${slug(firstName)}.${slug(lastName)}${rng.chance(0.6) ? rng.int(1, 99) : ''}`;
    let email = `${local}@${domain}`;
    for (let n = 2; seen.has(email); n++) email = `${local}${n}@${domain}`;
    seen.add(email);

    const stage = rng.weighted(!account ? STAGES_FREE_MAIL : account.customer ? STAGES_CUSTOMER_ACCOUNT : STAGES_PROSPECT);
    // Marketing grows: the density of new contacts rises linearly to twice as many per day now as 9 months ago.
    const createdAt = new Date(start + Math.floor((Math.sqrt(1 + 3 * rng.next()) - 1) * (end - start)));
    const updatedAt = new Date(createdAt.getTime() + Math.floor(rng.next() * rng.next() * (end - createdAt.getTime())));

    let ownerId: number | null = null;
    if (SALES_STAGES.has(stage)) ownerId = account?.ownerId ?? (sales.length ? rng.pick(sales).id : null);
    else if ((stage === 'marketing_qualified' || stage === 'lead') && marketing.length && rng.chance(0.6)) ownerId = rng.pick(marketing).id;

    const properties: Record<string, string | number | boolean> = {
      job_function: fn,
      seniority,
      lead_source: rng.weighted(LEAD_SOURCE_WEIGHTS),
      newsletter_opt_in: rng.chance(stage === 'subscriber' ? 0.92 : stage === 'disqualified' ? 0.2 : 0.55),
    };
    if (rng.chance(stage === 'subscriber' ? 0.35 : 0.7)) {
      const at = new Date(createdAt.getTime() + Math.floor(Math.sqrt(rng.next()) * (end - createdAt.getTime())));
      properties.last_event_date = at.toISOString().slice(0, 10);
    }
    yield {
      email,
      firstName,
      lastName,
      title,
      phone: rng.chance(0.65) ? country.phone(String(rng.int(10_000_000, 99_999_999))) : null,
      ownerId,
      accountId: account?.id ?? null,
      stage,
      properties,
      createdAt,
      updatedAt,
    };
  }
}

async function insertChunk(s: Parameters<DemoStep['run']>[0], part: DemoContactRow[]): Promise<number> {
  const res = await s.tx.execute(sql`
    insert into contacts (email, first_name, last_name, title, phone, owner_id, account_id, lifecycle_stage, properties, source, created_at, updated_at)
    select e, f, l, t, p, o, a, st, pr::jsonb, 'demo', c::timestamptz, u::timestamptz
    from unnest(${arr(part.map((r) => r.email), 'text')}, ${arr(part.map((r) => r.firstName), 'text')}, ${arr(part.map((r) => r.lastName), 'text')},
                ${arr(part.map((r) => r.title), 'text')}, ${arr(part.map((r) => r.phone), 'text')}, ${arr(part.map((r) => r.ownerId), 'int')},
                ${arr(part.map((r) => r.accountId), 'bigint')}, ${arr(part.map((r) => r.stage), 'text')},
                ${arr(part.map((r) => JSON.stringify(r.properties)), 'text')}, ${arr(part.map((r) => r.createdAt.toISOString()), 'text')},
                ${arr(part.map((r) => r.updatedAt.toISOString()), 'text')}) as x(e, f, l, t, p, o, a, st, pr, c, u)
    on conflict (workspace_id, email) do nothing`);
  return res.rowCount ?? 0;
}

export const contactsStep: DemoStep = {
  name: 'contacts',
  units: (o) => o.contacts,
  async run(s) {
    let inserted = 0;
    let part: DemoContactRow[] = [];
    for (const row of generateContacts({ rng: s.rng, count: s.options.contacts, now: s.options.now, accounts: s.accounts, users: s.users })) {
      part.push(row);
      if (part.length === CHUNK) {
        inserted += await insertChunk(s, part);
        s.tick(part.length);
        part = [];
      }
    }
    if (part.length) {
      inserted += await insertChunk(s, part);
      s.tick(part.length);
    }
    // An account exists from its first contact on (or its own creation date, if earlier).
    if (s.accounts.length) {
      await s.tx.execute(sql`
        update accounts a set created_at = least(a.created_at, m.first), updated_at = greatest(a.updated_at, m.first)
        from (select account_id, min(created_at) as first from contacts where account_id = any(${arr(s.accounts.map((x) => x.id), 'bigint')}) group by account_id) m
        where a.id = m.account_id and a.created_at > m.first`);
    }
    s.counts.contacts = inserted;
  },
};
