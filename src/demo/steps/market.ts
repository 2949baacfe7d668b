// Demo step: the market model. Two markets stated as jobs to be done, an ICP (its own fit model, so every
// contact gets an ICP grade), need-based segments built from the demo's properties, behaviour and scores
// (members built here, joins spread over the last 60 days so the segment pages have a history), and a static
// list of event attendees.
import { sql } from 'drizzle-orm';
import type { RuleGroup } from '../../contracts/market.ts';
import { DEFAULT_GRADES } from '../../contracts/scoring.ts';
import { rebuildInTx } from '../../domains/market/membership.ts';
import { contactLists, icpDefinitions, markets, segments } from '../../domains/market/schema.ts';
import { scoreFitForContacts } from '../../domains/scoring/fit.ts';
import { scoreModels } from '../../domains/scoring/schema.ts';
import type { DemoStep } from '../types.ts';

const p = (field: string, op: string, value?: unknown, object: 'contact' | 'account' = 'contact') => ({ kind: 'property' as const, object, field, op, ...(value === undefined ? {} : { value }) });

export const marketStep: DemoStep = {
  name: 'market',
  units: () => 6,
  async run(s) {
    const { tx, options } = s;
    const marketer = s.users.find((u) => u.role === 'marketing')?.id ?? null;
    const [close, grow] = await tx
      .insert(markets)
      .values([
        { name: 'Finance teams closing the books', jobStatement: 'Close the books accurately and on time every month', description: 'Controllers and finance operations in mid-market companies.', createdBy: marketer },
        { name: 'Revenue teams forecasting', jobStatement: 'Know next quarter\'s revenue early enough to act on it', description: 'Sales and revenue operations leaders.', createdBy: marketer },
      ])
      .returning();
    s.tick(1);

    const icpRules = [
      { id: 'finance', label: 'Works in finance', field: 'prop.job_function', op: 'in', value: ['Finance', 'Operations'], points: 35 },
      { id: 'senior', label: 'Director or above', field: 'prop.seniority', op: 'in', value: ['C-level', 'VP', 'Director'], points: 25 },
      { id: 'size', label: '200+ employees', field: 'account.employee_count', op: 'gte', value: 200, points: 25 },
      { id: 'tier', label: 'Tier 1 or 2 account', field: 'account.prop.tier', op: 'in', value: ['Tier 1', 'Tier 2'], points: 15 },
    ];
    const [model] = await tx.insert(scoreModels).values({ kind: 'fit', name: 'ICP: Mid-market controller', description: 'Finance leaders at mid-market companies', rules: icpRules, grades: DEFAULT_GRADES, createdBy: marketer }).returning();
    const [icp] = await tx.insert(icpDefinitions).values({ name: 'Mid-market controller', marketId: close!.id, description: 'Finance leaders at mid-market companies', fitModelId: model!.id, createdBy: marketer }).returning();
    const ids = (await tx.execute(sql`select id from contacts where workspace_id = 1 order by id`)).rows.map((r) => Number(r.id));
    await scoreFitForContacts(tx, 1, ids, options.now);
    s.tick(1);

    const [list] = await tx.insert(contactLists).values({ name: 'Finance Ops Summit attendees', description: 'Badge scans from the booth', createdBy: marketer }).returning();
    await tx.execute(sql`
      insert into contact_list_members (list_id, contact_id, workspace_id, added_at, added_by)
      select ${list!.id}, id, 1, ${options.now.toISOString()}::timestamptz - interval '12 days', ${marketer}
      from contacts where properties ->> 'job_function' in ('Finance', 'Operations') order by id limit 60`);
    s.tick(1);

    const defs: { name: string; marketId: number; need: string; rule: RuleGroup }[] = [
      {
        name: 'Controllers evaluating now',
        marketId: close!.id,
        need: 'Close in under five days without spreadsheet reconciliations',
        rule: {
          kind: 'group',
          match: 'all',
          conditions: [
            p('prop.job_function', 'in', ['Finance', 'Operations']),
            { kind: 'grade', icpId: icp!.id, op: 'in', value: ['A', 'B'] },
            { kind: 'group', match: 'any', conditions: [{ kind: 'event', eventType: 'page', count: { op: 'gte', value: 2 }, withinDays: 90 }, { kind: 'list', op: 'in', listId: list!.id }] },
          ],
        } as RuleGroup,
      },
      {
        name: 'Finance newsletter readers',
        marketId: close!.id,
        need: 'Keep up with close best practice',
        rule: { kind: 'group', match: 'all', conditions: [p('prop.job_function', 'eq', 'Finance'), p('prop.newsletter_opt_in', 'is_true')] } as RuleGroup,
      },
      {
        name: 'Revenue leaders in large accounts',
        marketId: grow!.id,
        need: 'Forecast with confidence before the quarter starts',
        rule: {
          kind: 'group',
          match: 'all',
          conditions: [p('prop.job_function', 'in', ['Sales', 'Executive']), p('prop.seniority', 'in', ['C-level', 'VP', 'Director']), p('employee_count', 'gte', 500, 'account')],
        } as RuleGroup,
      },
    ];
    for (const d of defs) {
      const [row] = await tx.insert(segments).values({ ...d, createdBy: marketer }).returning();
      await rebuildInTx(tx, row!.id, { now: options.now });
      // Spread the joins over the last 60 days (and a few leaves) so the history chart shows movement.
      await tx.execute(sql`
        update segment_member_history set at = ${options.now.toISOString()}::timestamptz - ((contact_id * 7919) % 60) * interval '1 day' - ((contact_id * 104729) % 86400) * interval '1 second'
        where segment_id = ${row!.id}`);
      await tx.execute(sql`update segment_members m set since = h.at from segment_member_history h where h.segment_id = m.segment_id and h.contact_id = m.contact_id and m.segment_id = ${row!.id}`);
      await tx.execute(sql`
        insert into segment_member_history (workspace_id, segment_id, contact_id, change, cause, at)
        select 1, ${row!.id}, id, 'left', 'change', ${options.now.toISOString()}::timestamptz - ((id * 31) % 50) * interval '1 day'
        from contacts c where not exists (select 1 from segment_members m where m.segment_id = ${row!.id} and m.contact_id = c.id) and c.id % 97 = 0 limit 25`);
      s.counts.segments = (s.counts.segments ?? 0) + 1;
    }
    s.counts.markets = 2;
    s.counts.lists = 1;
    s.tick(3);
  },
};
