// The segment rule compiler: a rule tree (contracts/market.ts) → one SQL condition on `contacts c` (with
// `accounts a` left-joined when an account field is read). Every operator, value and field is checked against
// the field's type here, with errors naming the path (rule.conditions.0.conditions.1.value).
//
// Two modes produce the same answer:
//  - full: for a rebuild over every contact. Behaviour conditions become `c.id in (select contact_id from
//    events … group by contact_id having count(*) …)`: one hash of the matching events' contacts.
//  - contacts: for re-evaluating a few contacts (`c.id = any(…)`): behaviour conditions count that contact's
//    events on the (contact_id, timestamp) index, stopping at n + 1.
// Null-safety: each leaf is two-valued (coalesce(…, false)); negative operators are `not (positive)`, so a
// contact without the value matches "is not" / "does not contain" / "is none of".
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { LifecycleStage } from '../../contracts/contacts.ts';
import {
  ACCOUNT_BUILTIN_FIELDS,
  CONTACT_BUILTIN_FIELDS,
  OPS_BY_TYPE,
  type Condition,
  type RuleGroup,
} from '../../contracts/market.ts';
import { loadPropertyDefinitions } from '../contacts/property-definitions.ts';
import { defaultModel } from '../scoring/defaults.ts';

export type FieldType = 'text' | 'enum' | 'number' | 'date' | 'boolean';
export type CompileMode = 'full' | 'contacts';
export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 100;

export interface FieldInfo {
  type: FieldType;
  options: string[] | null;
  /** SQL expression of the value (null when missing). */
  expr: SQL;
}

export interface Compiled {
  where: SQL;
  needsAccount: boolean;
  timeRelative: boolean;
}

interface Env {
  db: Queryable;
  mode: CompileMode;
  now: string;
  contactDefs: Map<string, { type: string; options: string[] | null }>;
  accountDefs: Map<string, { type: string; options: string[] | null }>;
  needsAccount: boolean;
  timeRelative: boolean;
  leaves: number;
}

function bad(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ field: path, message }]);
}

const BUILTIN_EXPR: Record<string, string> = {
  'contact.email': 'c.email',
  'contact.email_domain': "split_part(c.email, '@', 2)",
  'contact.first_name': 'c.first_name',
  'contact.last_name': 'c.last_name',
  'contact.title': 'c.title',
  'contact.phone': 'c.phone',
  'contact.source': 'c.source',
  'contact.lifecycle_stage': 'c.lifecycle_stage',
  'contact.created_at': "(c.created_at at time zone 'UTC')::date",
  'account.name': 'a.name',
  'account.domain': 'a.domain',
  'account.industry': 'a.industry',
  'account.country': 'a.country',
  'account.employee_count': 'a.employee_count',
  'account.created_at': "(a.created_at at time zone 'UTC')::date",
};

function propExpr(alias: 'c' | 'a', key: string, type: FieldType): SQL {
  const t = sql.raw(alias);
  switch (type) {
    case 'number':
      return sql`(case when jsonb_typeof(${t}.properties -> ${key}::text) = 'number' then (${t}.properties ->> ${key}::text)::numeric end)`;
    case 'date':
      return sql`(case when (${t}.properties ->> ${key}::text) ~ '^\\d{4}-\\d{2}-\\d{2}' then left(${t}.properties ->> ${key}::text, 10)::date end)`;
    case 'boolean':
      return sql`(${t}.properties -> ${key}::text)`;
    default:
      return sql`(${t}.properties ->> ${key}::text)`;
  }
}

/** The type, options and SQL expression of a property condition's field. */
export function resolveField(
  object: 'contact' | 'account',
  field: string,
  defs: Map<string, { type: string; options: string[] | null }>,
  path: string,
): FieldInfo {
  if (field.startsWith('prop.')) {
    const key = field.slice(5);
    const def = defs.get(key);
    if (!def) bad(`${path}.field`, `unknown ${object} property "${key}"; define it under Settings → Properties first`);
    const type = def.type as FieldType;
    return { type, options: def.options ?? null, expr: propExpr(object === 'contact' ? 'c' : 'a', key, type) };
  }
  const builtins: Record<string, string> = object === 'contact' ? CONTACT_BUILTIN_FIELDS : ACCOUNT_BUILTIN_FIELDS;
  const type = builtins[field] as FieldType | undefined;
  if (!type) bad(`${path}.field`, `unknown ${object} field "${field}" (use ${Object.keys(builtins).join(', ')} or prop.<key>)`);
  const options = object === 'contact' && field === 'lifecycle_stage' ? [...LifecycleStage.options] : null;
  return { type, options, expr: sql.raw(BUILTIN_EXPR[`${object}.${field}`]!) };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE_RE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

function textValue(v: unknown, path: string): string {
  if (typeof v === 'string' && v.trim() !== '') return v.trim().toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).toLowerCase();
  bad(`${path}.value`, 'needs a non-empty text');
}

function textList(v: unknown, path: string, options: string[] | null): string[] {
  if (!Array.isArray(v) || v.length === 0) bad(`${path}.value`, 'needs a list of at least one value');
  return v.map((x) => enumValue(x, path, options));
}

function enumValue(v: unknown, path: string, options: string[] | null): string {
  const s = textValue(v, path);
  if (options && !options.some((o) => o.toLowerCase() === s)) bad(`${path}.value`, `must be one of ${options.join(', ')} (got ${JSON.stringify(v)})`);
  return s;
}

function numValue(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  bad(`${path}.value`, `needs a number (got ${JSON.stringify(v)})`);
}

function noValue(v: unknown, op: string, path: string) {
  if (v !== undefined && v !== null) bad(`${path}.value`, `${op} takes no value`);
}

const not = (p: SQL) => sql`not (${p})`;
/** Under a NOT, NULL must count as false: `not coalesce(p, false)`. */
const safe = (p: SQL) => sql`coalesce((${p}), false)`;
/** A positive leaf: NULL already acts as false (only leaves negate, and AND/OR are monotone), and a bare predicate lets the planner use joins and indexes. */
const pos = (p: SQL) => sql`(${p})`;

/** A property condition → SQL (two-valued). */
export function propertyPredicate(f: FieldInfo, op: string, value: unknown, path: string, env: { now: string; timeRelative: boolean }): SQL {
  const allowed = OPS_BY_TYPE[f.type] as readonly string[];
  if (!allowed.includes(op)) bad(`${path}.op`, `${op} does not apply to a ${f.type} field (use ${allowed.join(', ')})`);
  const x = f.expr;
  if (f.type === 'text' || f.type === 'enum') {
    const lx = sql`lower(${x})`;
    const options = f.type === 'enum' ? f.options : null;
    switch (op) {
      case 'exists':
        noValue(value, op, path);
        return pos(sql`btrim(${x}) <> ''`);
      case 'not_exists':
        noValue(value, op, path);
        return not(safe(sql`btrim(${x}) <> ''`));
      case 'eq':
        return pos(sql`${lx} = ${enumValue(value, path, options)}`);
      case 'neq':
        return not(safe(sql`${lx} = ${enumValue(value, path, options)}`));
      case 'in':
        return pos(sql`${lx} = any(${sql.param(textList(value, path, options))}::text[])`);
      case 'not_in':
        return not(safe(sql`${lx} = any(${sql.param(textList(value, path, options))}::text[])`));
      case 'contains':
        return pos(sql`strpos(${lx}, ${textValue(value, path)}) > 0`);
      case 'not_contains':
        return not(safe(sql`strpos(${lx}, ${textValue(value, path)}) > 0`));
      case 'starts_with': {
        const v = textValue(value, path);
        return pos(sql`left(${lx}, ${v.length}) = ${v}`);
      }
    }
  }
  if (f.type === 'number') {
    switch (op) {
      case 'exists':
        noValue(value, op, path);
        return sql`(${x}) is not null`;
      case 'not_exists':
        noValue(value, op, path);
        return sql`(${x}) is null`;
      case 'between': {
        if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number') bad(`${path}.value`, 'between needs [min, max] numbers');
        if (value[0] > value[1]) bad(`${path}.value`, 'between needs min ≤ max');
        return pos(sql`${x} between ${value[0]}::numeric and ${value[1]}::numeric`);
      }
      case 'neq':
        return not(safe(sql`${x} = ${numValue(value, path)}::numeric`));
      default: {
        const sym = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[op as 'eq']!;
        return pos(sql`${x} ${sql.raw(sym)} ${numValue(value, path)}::numeric`);
      }
    }
  }
  if (f.type === 'date') {
    const today = sql`((${env.now}::timestamptz at time zone 'UTC')::date)`;
    const days = (v: unknown) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 36500) bad(`${path}.value`, 'needs a whole number of days (0–36500)');
      return v;
    };
    const date = (v: unknown) => {
      if (!isDate(v)) bad(`${path}.value`, `needs a date YYYY-MM-DD (got ${JSON.stringify(v)})`);
      return v;
    };
    switch (op) {
      case 'exists':
        noValue(value, op, path);
        return sql`(${x}) is not null`;
      case 'not_exists':
        noValue(value, op, path);
        return sql`(${x}) is null`;
      case 'on':
        return pos(sql`${x} = ${date(value)}::date`);
      case 'before':
        return pos(sql`${x} < ${date(value)}::date`);
      case 'after':
        return pos(sql`${x} > ${date(value)}::date`);
      case 'between': {
        if (!Array.isArray(value) || value.length !== 2) bad(`${path}.value`, 'between needs [from, to] dates');
        const [a, b] = [date(value[0]), date(value[1])];
        if (a > b) bad(`${path}.value`, 'between needs from ≤ to');
        return pos(sql`${x} between ${a}::date and ${b}::date`);
      }
      case 'within_last_days':
        env.timeRelative = true;
        return pos(sql`${x} >= ${today} - ${days(value)}::int and ${x} <= ${today}`);
      case 'more_than_days_ago':
        env.timeRelative = true;
        return pos(sql`${x} < ${today} - ${days(value)}::int`);
    }
  }
  // boolean (stored as JSON true / false)
  switch (op) {
    case 'is_true':
      noValue(value, op, path);
      return pos(sql`${x} = 'true'::jsonb`);
    case 'is_false':
      noValue(value, op, path);
      return pos(sql`${x} = 'false'::jsonb`);
    case 'exists':
      noValue(value, op, path);
      return pos(sql`jsonb_typeof(${x}) = 'boolean'`);
    default:
      noValue(value, op, path);
      return not(safe(sql`jsonb_typeof(${x}) = 'boolean'`));
  }
}

function eventPredicate(c: Extract<Condition, { kind: 'event' }>, env: Env): SQL {
  const filters: SQL[] = [sql`not e.is_bot`];
  if (c.eventType) filters.push(sql`e.type = ${c.eventType}`);
  if (c.event) filters.push(sql`e.event = ${c.event}`);
  if (c.pageUrl) {
    const v = c.pageUrl.value.toLowerCase();
    if (c.pageUrl.op === 'eq') filters.push(sql`lower(e.page_url) = ${v}`);
    else if (c.pageUrl.op === 'contains') filters.push(sql`strpos(lower(e.page_url), ${v}) > 0`);
    else filters.push(sql`left(lower(e.page_url), ${v.length}) = ${v}`);
  }
  if (c.withinDays) {
    env.timeRelative = true;
    filters.push(sql`e.timestamp >= ${env.now}::timestamptz - ${c.withinDays}::int * interval '1 day'`);
  }
  const where = sql.join(filters, sql` and `);
  const n = c.count.value;
  if (env.mode === 'contacts') {
    const cnt = sql`(select count(*) from (select 1 from events e where e.contact_id = c.id and ${where} limit ${n + 1}) x)`;
    const sym = { gte: '>=', lte: '<=', eq: '=' }[c.count.op];
    return sql`${cnt} ${sql.raw(sym)} ${n}`;
  }
  const having = (cmp: string, k: number) =>
    sql`c.id in (select e.contact_id from events e where e.workspace_id = 1 and e.contact_id is not null and ${where} group by e.contact_id having count(*) ${sql.raw(cmp)} ${k})`;
  const anyEvent = sql`c.id in (select e.contact_id from events e where e.workspace_id = 1 and e.contact_id is not null and ${where})`;
  if (c.count.op === 'gte') return n <= 0 ? sql`true` : n === 1 ? anyEvent : having('>=', n);
  if (c.count.op === 'lte' && n === 0) return not(anyEvent);
  if (c.count.op === 'lte') return not(having('>=', n + 1));
  return n === 0 ? not(anyEvent) : having('=', n);
}

async function modelId(env: Env, kind: 'fit' | 'engagement', id: number | undefined, path: string): Promise<number> {
  if (id !== undefined) {
    const res = await env.db.execute(sql`select id from score_models where id = ${id} and kind = ${kind} and workspace_id = 1`);
    if (!res.rows.length) bad(`${path}.modelId`, `${kind} model ${id} does not exist`);
    return id;
  }
  const m = await defaultModel(env.db, 1, kind);
  if (!m) bad(`${path}.model`, `there is no default ${kind} model`);
  return m.id;
}

async function leaf(c: Condition, path: string, env: Env): Promise<SQL> {
  switch (c.kind) {
    case 'property': {
      const f = resolveField(c.object, c.field, c.object === 'contact' ? env.contactDefs : env.accountDefs, path);
      if (c.object === 'account') env.needsAccount = true;
      return propertyPredicate(f, c.op, c.value, path, env);
    }
    case 'event':
      return eventPredicate(c, env);
    case 'score': {
      const m = await modelId(env, c.model, c.modelId, path);
      const cmp =
        c.op === 'between'
          ? sql`s.score between ${(c.value as [number, number])[0]} and ${(c.value as [number, number])[1]}`
          : sql`s.score ${sql.raw(c.op === 'gte' ? '>=' : '<=')} ${c.value as number}`;
      return sql`exists (select 1 from contact_scores s where s.contact_id = c.id and s.model_id = ${m} and ${cmp})`;
    }
    case 'grade': {
      let m: number;
      if (c.icpId !== undefined) {
        const res = await env.db.execute(sql`select fit_model_id from icp_definitions where id = ${c.icpId} and workspace_id = 1`);
        if (!res.rows.length) bad(`${path}.icpId`, `ICP ${c.icpId} does not exist`);
        m = Number((res.rows[0] as { fit_model_id: number }).fit_model_id);
      } else m = await modelId(env, 'fit', undefined, path);
      const p = sql`exists (select 1 from contact_scores s where s.contact_id = c.id and s.model_id = ${m} and s.grade = any(${sql.param(c.value)}::text[]))`;
      return c.op === 'in' ? p : not(p);
    }
    case 'buying_stage': {
      const p = sql`exists (select 1 from contact_buying_stages b where b.contact_id = c.id and b.stage = any(${sql.param(c.value)}::text[]))`;
      return c.op === 'in' ? p : not(p);
    }
    case 'list': {
      const res = await env.db.execute(sql`select id from contact_lists where id = ${c.listId} and workspace_id = 1`);
      if (!res.rows.length) bad(`${path}.listId`, `list ${c.listId} does not exist`);
      const p = sql`exists (select 1 from contact_list_members l where l.list_id = ${c.listId} and l.contact_id = c.id)`;
      return c.op === 'in' ? p : not(p);
    }
  }
}

async function group(g: RuleGroup, path: string, depth: number, env: Env): Promise<SQL> {
  if (depth > MAX_DEPTH) bad(path, `groups nest at most ${MAX_DEPTH} levels deep`);
  const parts: SQL[] = [];
  for (let i = 0; i < g.conditions.length; i++) {
    const c = g.conditions[i]!;
    const p = `${path}.conditions.${i}`;
    if (c.kind === 'group') parts.push(await group(c as RuleGroup, p, depth + 1, env));
    else {
      if (++env.leaves > MAX_CONDITIONS) bad(p, `a rule has at most ${MAX_CONDITIONS} conditions`);
      parts.push(await leaf(c as Condition, p, env));
    }
  }
  if (!parts.length) return g.match === 'all' ? sql`true` : sql`false`;
  return sql`(${sql.join(parts, sql.raw(g.match === 'all' ? ' and ' : ' or '))})`;
}

/** Compiles a (contract-parsed) rule. `now` is the clock relative conditions use (ISO string). */
export async function compileRule(db: Queryable, rule: RuleGroup, opts: { mode: CompileMode; now: Date }): Promise<Compiled> {
  const [contactDefs, accountDefs] = await Promise.all([loadPropertyDefinitions(db, 'contact'), loadPropertyDefinitions(db, 'account')]);
  const env: Env = { db, mode: opts.mode, now: opts.now.toISOString(), contactDefs, accountDefs, needsAccount: false, timeRelative: false, leaves: 0 };
  const where = await group(rule, 'rule', 1, env);
  return { where, needsAccount: env.needsAccount, timeRelative: env.timeRelative };
}

/** `from contacts c [left join accounts a]` for a compiled rule. */
export function fromFor(c: Compiled): SQL {
  return c.needsAccount ? sql`contacts c left join accounts a on a.id = c.account_id` : sql`contacts c`;
}
