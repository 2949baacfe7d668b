// The segment builder's pickers: every field a rule can read, typed by its property definition, with the
// operators of its type; the tracked event names (last 90 days); lists and ICPs.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import { LifecycleStage } from '../../contracts/contacts.ts';
import { ACCOUNT_BUILTIN_FIELDS, CONTACT_BUILTIN_FIELDS, OPS_BY_TYPE } from '../../contracts/market.ts';
import { loadPropertyDefinitions } from '../contacts/property-definitions.ts';

const LABELS: Record<string, string> = {
  email: 'Email',
  email_domain: 'Email domain',
  first_name: 'First name',
  last_name: 'Last name',
  title: 'Job title',
  phone: 'Phone',
  source: 'Source',
  lifecycle_stage: 'Lifecycle stage',
  created_at: 'Created',
  name: 'Name',
  domain: 'Domain',
  industry: 'Industry',
  country: 'Country',
  employee_count: 'Employees',
};

export async function ruleFields({ ctx }: { ctx: Ctx }) {
  const items: { object: 'contact' | 'account'; field: string; label: string; type: 'text' | 'enum' | 'number' | 'date' | 'boolean'; options: string[] | null; ops: string[] }[] = [];
  for (const object of ['contact', 'account'] as const) {
    const builtins = object === 'contact' ? CONTACT_BUILTIN_FIELDS : ACCOUNT_BUILTIN_FIELDS;
    for (const [field, type] of Object.entries(builtins)) {
      items.push({ object, field, label: LABELS[field] ?? field, type, options: field === 'lifecycle_stage' ? [...LifecycleStage.options] : null, ops: [...OPS_BY_TYPE[type]] });
    }
    for (const def of (await loadPropertyDefinitions(ctx.db, object)).values()) {
      items.push({ object, field: `prop.${def.key}`, label: def.label, type: def.type, options: def.options ?? null, ops: [...OPS_BY_TYPE[def.type]] });
    }
  }
  const [events, lists, icps] = await Promise.all([
    // Names seen lately, most frequent first; bounded (a builder must open fast on 10M events): none after 2 s.
    ctx.db
      .transaction(async (tx) => {
        await tx.execute(sql`select set_config('statement_timeout', '2000', true)`);
        return tx.execute(sql`select event from events where workspace_id = 1 and event is not null and timestamp > now() - interval '30 days' group by event order by count(*) desc limit 200`);
      })
      .catch(() => ({ rows: [] as Record<string, unknown>[] })),
    ctx.db.execute(sql`select id, name from contact_lists where workspace_id = 1 order by name`),
    ctx.db.execute(sql`select id, name from icp_definitions where workspace_id = 1 order by name`),
  ]);
  return {
    items,
    events: events.rows.map((r) => String(r.event)),
    lists: lists.rows.map((r) => ({ id: Number(r.id), name: String(r.name) })),
    icps: icps.rows.map((r) => ({ id: Number(r.id), name: String(r.name) })),
  };
}
