// Demo step: ~300 companies (accounts) with domains, industries, sizes, countries, owners, tier and ARR.
import { sql } from 'drizzle-orm';
import { COMPANY_SIZES, COMPANY_WORDS, COUNTRIES, INDUSTRIES } from '../data.ts';
import { arr, chunks, rows } from '../sql.ts';
import type { DemoAccount, DemoOptions, DemoStep } from '../types.ts';
import { ascii } from './owners.ts';

const DAY = 86_400_000;
/** Generated history spans this many days before "now". */
export const HISTORY_DAYS = 270;

export const accountCount = (o: DemoOptions): number => Math.min(300, Math.max(3, Math.round(o.contacts / 40)));

export const accountsStep: DemoStep = {
  name: 'accounts',
  units: accountCount,
  async run(s) {
    const { rng, options } = s;
    const n = accountCount(options);
    const now = options.now.getTime();
    const start = now - HISTORY_DAYS * DAY;
    const sales = s.users.filter((u) => u.role === 'sales');
    const names = new Set<string>();
    const domains = new Set<string>();
    const planned: (Omit<DemoAccount, 'id'> & { tier: string; arr: number | null })[] = [];
    while (planned.length < n) {
      const industry = rng.weighted(INDUSTRIES.map((i) => [i, i.weight] as const));
      const word = rng.pick(COMPANY_WORDS);
      const suffix = rng.pick(industry.suffixes);
      const base = `${word} ${suffix}`;
      if (names.has(base)) {
        if (names.size > COMPANY_WORDS.length * 20) throw new Error('demo: ran out of company names');
        continue;
      }
      names.add(base);
      const country = rng.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
      const legal = rng.pick(country.legal);
      const stem = ascii(word).replace(/[^a-z0-9]/g, '');
      const long = `${stem}${ascii(suffix).replace(/[^a-z0-9]/g, '')}`;
      const tld = country.name === 'United States' ? rng.weighted([['com', 80], [industry.name === 'Software' ? 'io' : 'com', 12], ['co', 8]] as const) : country.tld;
      let domain = `${rng.chance(0.55) ? long : stem}.${tld}`;
      if (domains.has(domain)) domain = `${long}.${tld}`;
      if (domains.has(domain)) domain = `${stem}-${ascii(country.name).replace(/[^a-z]/g, '')}.${tld}`;
      if (domains.has(domain)) continue;
      domains.add(domain);
      const [min, max] = rng.weighted(COMPANY_SIZES.map(([a, b, w]) => [[a, b] as const, w] as const));
      const employeeCount = Math.round(Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min))));
      const customer = rng.chance(employeeCount > 1000 ? 0.22 : 0.12);
      const tier = employeeCount > 1000 ? 'Tier 1' : employeeCount > 200 ? 'Tier 2' : 'Tier 3';
      const arrValue = customer ? Math.round((employeeCount * (20 + rng.next() * 60) + 8000) / 500) * 500 : null;
      planned.push({
        name: legal ? `${base} ${legal}` : base,
        domain,
        industry: industry.name,
        country: country.name,
        employeeCount,
        ownerId: sales.length && rng.chance(customer ? 1 : 0.8) ? rng.pick(sales).id : null,
        customer,
        tier,
        arr: arrValue,
        // Accounts arrive over the first 80% of the history, so every account has time to gather contacts.
        createdAt: new Date(start + Math.floor(rng.next() * HISTORY_DAYS * 0.8 * DAY)),
      });
    }

    let inserted = 0;
    for (const part of chunks(planned, 500)) {
      const props = part.map((a) => JSON.stringify(a.arr === null ? { tier: a.tier } : { tier: a.tier, arr: a.arr }));
      const res = await s.tx.execute(sql`
        insert into accounts (name, domain, industry, employee_count, country, owner_id, properties, created_at, updated_at)
        select n, d, i, e, c, o, p::jsonb, t::timestamptz, t::timestamptz
        from unnest(${arr(part.map((a) => a.name), 'text')}, ${arr(part.map((a) => a.domain), 'text')}, ${arr(part.map((a) => a.industry), 'text')},
                    ${arr(part.map((a) => a.employeeCount), 'int')}, ${arr(part.map((a) => a.country), 'text')}, ${arr(part.map((a) => a.ownerId), 'int')},
                    ${arr(props, 'text')}, ${arr(part.map((a) => a.createdAt.toISOString()), 'text')}) as x(n, d, i, e, c, o, p, t)
        on conflict (workspace_id, domain) do nothing`);
      inserted += res.rowCount ?? 0;
      s.tick(part.length);
    }
    // Domains that already existed (from the user's own data) keep their account; contacts link to it.
    const ids = await rows<{ id: number; domain: string }>(
      s.tx,
      sql`select id, domain from accounts where workspace_id = 1 and domain = any(${arr(planned.map((a) => a.domain), 'text')})`,
    );
    const byDomain = new Map(ids.map((r) => [r.domain, Number(r.id)]));
    for (const a of planned) {
      s.accounts.push({
        id: byDomain.get(a.domain)!,
        name: a.name,
        domain: a.domain,
        country: a.country,
        employeeCount: a.employeeCount,
        industry: a.industry,
        ownerId: a.ownerId,
        customer: a.customer,
        createdAt: a.createdAt,
      });
    }
    s.counts.accounts = inserted;
  },
};
