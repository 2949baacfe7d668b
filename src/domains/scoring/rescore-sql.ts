// Scoring rules compiled to SQL, for the set-based rescore. The same semantics as the pure functions in
// rules.ts (applyOp, matchesEngagementRule, fitScore, capAllows): text compares trimmed and case-
// insensitively, numbers numerically, a list value matches when any element does, blank (missing, null,
// '', []) never equals anything. rescore.test.ts checks that a rescore gives the same ledger and scores as
// the incremental worker (which runs rules.ts).
import { sql, type SQL } from 'drizzle-orm';
import type { CapPeriod, Condition, EngagementRule, FitRule, GradeThresholds, RuleOp } from '../../contracts/scoring.ts';
import { DEFAULT_GRADES } from '../../contracts/scoring.ts';

/** An operand: a text expression, a number expression, or a jsonb expression (may be an array). */
type Actual = { kind: 'text' | 'num'; expr: SQL } | { kind: 'jsonb'; expr: SQL };

const lit = (v: string) => sql`${v}::text`;
const NUM_RE = `^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$`;

/** JS Number() of a trimmed numeric text, else null. */
const textNum = (t: SQL) => sql`(case when ${t} ~ ${NUM_RE} then (${t})::float8 end)`;
const normText = (t: SQL) => sql`lower(btrim(${t}))`;

/** rules.ts norm() of a rule value, done once here instead of per row (PostgreSQL's lower() under the C collation only folds ASCII). */
const jsNorm = (v: unknown) => String(v).trim().toLowerCase();
const reEscape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Any of the texts occurs in `n` (already normalized): one regular expression instead of one strpos per text. */
const containsAny = (n: SQL, list: unknown[]) => sql`(${n} ~ ${`(?:${list.map((v) => reEscape(jsNorm(v))).join('|')})`})`;
const startsWithAny = (n: SQL, list: unknown[]) => sql`(${n} ~ ${`^(?:${list.map((v) => reEscape(jsNorm(v))).join('|')})`})`;
/** scalarEq against every value of the list, grouped by type: texts with = any(), numbers numerically, booleans as text. */
function eqAny(n: SQL, num: SQL, list: unknown[], jsonb?: SQL): SQL {
  const parts: SQL[] = [];
  const texts = list.filter((v) => typeof v === 'string').map(jsNorm);
  const nums = list.filter((v): v is number => typeof v === 'number');
  const bools = list.filter((v): v is boolean => typeof v === 'boolean');
  if (texts.length) parts.push(sql`${n} = any(${sql.param(texts)}::text[])`);
  if (nums.length) parts.push(sql`${num} = any(${sql.param(nums)}::float8[])`);
  for (const b of bools) parts.push(jsonb ? sql`(${jsonb} = ${String(b)}::jsonb or ${n} = ${String(b)})` : sql`${n} = ${String(b)}`);
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}

// ---------- jsonb scalars ----------
const jText = (j: SQL) => sql`(${j} #>> '{}')`;
const jBlank = (j: SQL) =>
  sql`(${j} is null or jsonb_typeof(${j}) = 'null' or (jsonb_typeof(${j}) = 'string' and btrim(${jText(j)}) = '') or ${j} = '[]'::jsonb)`;
const jNum = (j: SQL) =>
  sql`(case when jsonb_typeof(${j}) = 'number' then (${jText(j)})::float8 when jsonb_typeof(${j}) = 'string' then ${textNum(jText(j))} end)`;

/** One scalar test on a jsonb element, per rules.ts scalarEq & co. */
function jScalarTest(op: RuleOp, j: SQL, value: unknown): SQL {
  const list = Array.isArray(value) ? value : [value];
  const scalar = sql`jsonb_typeof(${j}) not in ('object', 'array')`;
  switch (op) {
    case 'eq':
    case 'in':
    case 'neq':
    case 'not_in':
      return sql`(not ${jBlank(j)} and ${eqAny(normText(jText(j)), jNum(j), list, j)})`;
    case 'contains':
      return sql`(not ${jBlank(j)} and ${scalar} and ${containsAny(normText(jText(j)), list)})`;
    case 'starts_with':
      return sql`(not ${jBlank(j)} and ${scalar} and ${startsWithAny(normText(jText(j)), list)})`;
    case 'gte':
      return sql`(${jNum(j)} >= ${Number(value)}::float8)`;
    case 'lte':
      return sql`(${jNum(j)} <= ${Number(value)}::float8)`;
    case 'between': {
      const [lo, hi] = value as [number, number];
      return sql`(${jNum(j)} between ${lo}::float8 and ${hi}::float8)`;
    }
    default:
      throw new Error(`jScalarTest: ${op}`);
  }
}

// ---------- text / number scalars ----------
function tScalarTest(op: RuleOp, a: { kind: 'text' | 'num'; expr: SQL }, value: unknown): SQL {
  const list = Array.isArray(value) ? value : [value];
  const t = a.kind === 'num' ? sql`(${a.expr})::text` : a.expr;
  const n = a.kind === 'num' ? sql`(${a.expr})::float8` : textNum(t);
  const blank = a.kind === 'num' ? sql`(${a.expr} is null)` : sql`(${t} is null or btrim(${t}) = '')`;
  switch (op) {
    case 'eq':
    case 'in':
    case 'neq':
    case 'not_in':
      return sql`(not ${blank} and ${eqAny(normText(t), n, list)})`;
    case 'contains':
      return sql`(not ${blank} and ${containsAny(normText(t), list)})`;
    case 'starts_with':
      return sql`(not ${blank} and ${startsWithAny(normText(t), list)})`;
    case 'gte':
      return sql`(${n} >= ${Number(value)}::float8)`;
    case 'lte':
      return sql`(${n} <= ${Number(value)}::float8)`;
    case 'between': {
      const [lo, hi] = value as [number, number];
      return sql`(${n} between ${lo}::float8 and ${hi}::float8)`;
    }
    default:
      throw new Error(`tScalarTest: ${op}`);
  }
}

/** rules.ts applyOp as a non-null SQL boolean. */
export function opSql(op: RuleOp, a: Actual, value: unknown): SQL {
  if (a.kind !== 'jsonb') {
    const blank = a.kind === 'num' ? sql`(${a.expr} is null)` : sql`(${a.expr} is null or btrim(${a.expr}) = '')`;
    if (op === 'exists') return sql`(not ${blank})`;
    if (op === 'not_exists') return blank;
    const test = sql`coalesce(${tScalarTest(op, a, value)}, false)`;
    return op === 'neq' || op === 'not_in' ? sql`(not ${test})` : test;
  }
  const j = a.expr;
  if (op === 'exists') return sql`(not coalesce(${jBlank(j)}, true))`;
  if (op === 'not_exists') return sql`coalesce(${jBlank(j)}, true)`;
  // Arrays match when any element does.
  const any = sql`coalesce(case when jsonb_typeof(${j}) = 'array'
      then exists (select 1 from jsonb_array_elements(${j}) as el(v) where ${jScalarTest(op, sql`el.v`, value)})
      else ${jScalarTest(op, j, value)} end, false)`;
  return op === 'neq' || op === 'not_in' ? sql`(not ${any})` : any;
}

// ---------- fit (contacts c left join accounts a) ----------
const CONTACT_FIELD: Record<string, Actual> = {
  email: { kind: 'text', expr: sql`c.email` },
  email_domain: { kind: 'text', expr: sql`(case when strpos(c.email, '@') > 0 then substring(c.email from '@([^@]*)$') end)` },
  first_name: { kind: 'text', expr: sql`c.first_name` },
  last_name: { kind: 'text', expr: sql`c.last_name` },
  title: { kind: 'text', expr: sql`c.title` },
  phone: { kind: 'text', expr: sql`c.phone` },
  lifecycle_stage: { kind: 'text', expr: sql`c.lifecycle_stage` },
  source: { kind: 'text', expr: sql`c.source` },
};
const ACCOUNT_FIELD: Record<string, Actual> = {
  name: { kind: 'text', expr: sql`a.name` },
  domain: { kind: 'text', expr: sql`a.domain` },
  industry: { kind: 'text', expr: sql`a.industry` },
  employee_count: { kind: 'num', expr: sql`a.employee_count` },
  country: { kind: 'text', expr: sql`a.country` },
};

function fitField(field: string): Actual {
  if (field.startsWith('account.prop.')) return { kind: 'jsonb', expr: sql`(a.properties -> ${field.slice('account.prop.'.length)}::text)` };
  if (field.startsWith('account.')) return ACCOUNT_FIELD[field.slice('account.'.length)]!;
  if (field.startsWith('prop.')) return { kind: 'jsonb', expr: sql`(c.properties -> ${field.slice('prop.'.length)}::text)` };
  const f = CONTACT_FIELD[field];
  if (!f) throw new Error(`unknown fit field ${field}`);
  return f;
}

/**
 * Fit as fitScore computes it. `hits` is one boolean per rule over `c` contacts and `a` accounts (compute it
 * once per contact in a subquery); score, matchedPoints and matched read `<alias>.hits`.
 */
export function fitSql(rules: readonly FitRule[], grades: GradeThresholds | null | undefined, alias = 'f'): { hits: SQL; score: SQL; matched: SQL; matchedPoints: SQL; maxPoints: number } {
  const maxPoints = rules.reduce((s, r) => s + (r.points > 0 ? r.points : 0), 0);
  const h = (i: number) => sql.raw(`${alias}.hits[${i + 1}]`);
  const hits = rules.length ? sql`array[${sql.join(rules.map((r) => opSql(r.op, fitField(r.field), r.value)), sql`, `)}]::bool[]` : sql`'{}'::bool[]`;
  const matchedPoints = rules.length ? sql`(${sql.join(rules.map((r, i) => sql`(case when ${h(i)} then ${r.points}::float8 else 0 end)`), sql` + `)})` : sql`0::float8`;
  // JS Math.round rounds .5 up (towards +∞); floor(x + 0.5) does the same.
  const score = maxPoints > 0 ? sql`least(100, greatest(0, floor(100 * ${matchedPoints} / ${maxPoints}::float8 + 0.5)))` : sql`0::float8`;
  const matched = rules.length
    ? sql`(${sql.join(
        rules.map((r, i) => sql`(case when ${h(i)} then ${JSON.stringify([{ ruleId: r.id, label: r.label, points: r.points }])}::jsonb else '[]'::jsonb end)`),
        sql` || `,
      )})`
    : sql`'[]'::jsonb`;
  void grades;
  return { hits, score, matched, matchedPoints, maxPoints };
}

export function gradeSql(score: SQL, grades: GradeThresholds | null | undefined): SQL {
  const g = grades ?? DEFAULT_GRADES;
  return sql`(case when ${score} >= ${g.A} then 'A' when ${score} >= ${g.B} then 'B' when ${score} >= ${g.C} then 'C' when ${score} >= ${g.D} then 'D' else 'F' end)`;
}

// ---------- engagement (events e) ----------
const EVENT_COLUMN: Record<string, string> = {
  page_path: 'page_path',
  page_url: 'page_url',
  page_title: 'page_title',
  page_referrer: 'page_referrer',
  utm_campaign: 'utm_campaign',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
};

function eventPathActual(path: string): Actual {
  const col = EVENT_COLUMN[path];
  if (col) return { kind: 'text', expr: sql.raw(`e.${col}`) };
  const [root, ...keys] = path.split('.');
  if (root !== 'properties' && root !== 'context' && root !== 'traits') throw new Error(`bad condition path ${path}`);
  return { kind: 'jsonb', expr: sql`(e.${sql.raw(root)} #> ${`{${keys.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[])` };
}

const jsonString = (j: string) => sql`(case when jsonb_typeof(${sql.raw(j)}) = 'string' and ${sql.raw(j)} #>> '{}' <> '' then ${sql.raw(j)} #>> '{}' end)`;
/** rules.ts eventUrl: page_url, else context.page.url, else properties.url. */
const eventUrl = sql`coalesce(e.page_url, ${jsonString(`(e.context #> '{page,url}')`)}, ${jsonString(`(e.properties -> 'url')`)})`;
/** rules.ts eventPath: page_path, context.page.path, properties.path, else the URL's path. */
const eventPath = sql`coalesce(nullif(e.page_path, ''), ${jsonString(`(e.context #> '{page,path}')`)}, ${jsonString(`(e.properties -> 'path')`)},
  (case when ${eventUrl} ~ '^[a-zA-Z][a-zA-Z0-9+.-]*://' then coalesce(substring(${eventUrl} from '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(/[^?#]*)'), '/') end))`;

function urlPatternSql(pattern: string): SQL {
  const target = pattern.includes('://') ? eventUrl : eventPath;
  const p = sql`regexp_replace(${target}, '[?#].*$', '')`;
  if (pattern.includes('*')) {
    const re = `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`;
    return sql`coalesce(${p} ~* ${re}, false)`;
  }
  const b = pattern.toLowerCase().replace(/\/+$/, '');
  if (b === '') return sql`(${target} is not null and ${target} <> '')`;
  return sql`coalesce(lower(${p}) = ${b} or starts_with(lower(${p}), ${`${b}/`}), false)`;
}

/** rules.ts matchesEngagementRule as a non-null SQL boolean over events `e`. */
export function engagementMatchSql(rule: Pick<EngagementRule, 'match'>): SQL {
  const m = rule.match;
  const parts: SQL[] = [];
  if (m.type !== undefined) parts.push(sql`e.type = ${m.type}`);
  if (m.event !== undefined) parts.push(sql`coalesce(${normText(sql`e.event`)} = ${jsNorm(m.event)}, false)`);
  if (m.urlPattern !== undefined) parts.push(urlPatternSql(m.urlPattern));
  for (const c of (m.conditions ?? []) as Condition[]) parts.push(opSql(c.op, eventPathActual(c.path), c.value));
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

/** The cap window start of an occurred_at (UTC calendar; weeks start Monday, as date_trunc does). */
export function capBucketSql(period: CapPeriod | undefined, col: SQL): SQL {
  if (!period || period === 'ever') return sql`'-infinity'::timestamp`;
  return sql`date_trunc(${period}, ${col} at time zone 'UTC')`;
}

/**
 * The engagement ledger of the events matching `where` (over `e`), as rows (contact_id, rule_id, event_id,
 * event_name, occurred_at, points) with caps applied exactly as applyEngagementRules does: per contact, rule
 * and cap window, in (timestamp, id) order, the k-th match earns nothing past maxTimes and at most what is
 * left of maxPoints. Each event is read once: one projection computes every rule's match into a boolean
 * array, which is unnested and joined to the rules' constants.
 */
export function engagementLedgerSql(rules: readonly EngagementRule[], where: SQL): SQL {
  const live = rules.filter((r) => r.points !== 0);
  if (!live.length) return sql`select null::int8 as contact_id, null::text as rule_id, null::int8 as event_id, null::text as event_name, null::timestamptz as occurred_at, null::float8 as points where false`;
  const hits = sql.join(live.map((r) => engagementMatchSql(r)), sql`, `);
  const consts = sql.join(
    live.map(
      (r, i) => sql`(${i + 1}::int8, ${r.id}::text, ${r.points}::float8, ${r.cap?.maxPoints ?? null}::float8, ${r.cap?.maxTimes ?? null}::int, ${r.cap?.period ?? 'ever'}::text)`,
    ),
    sql`, `,
  );
  const bucket = sql`(case r.period when 'day' then date_trunc('day', m.occurred_at at time zone 'UTC') when 'week' then date_trunc('week', m.occurred_at at time zone 'UTC')
    when 'month' then date_trunc('month', m.occurred_at at time zone 'UTC') else '-infinity'::timestamp end)`;
  return sql`
    select contact_id, rule_id, event_id, event_name, occurred_at,
           -- + 0 turns IEEE -0 (a capped negative rule) into 0, as the worker stores it
           case when max_times is not null and k > max_times then 0
                when max_points is not null then sign(points) * least(abs(points), greatest(0, max_points - (k - 1) * abs(points))) + 0
                else points end as points
    from (
      select m.contact_id, r.rule_id, m.event_id, m.event_name, m.occurred_at, r.points, r.max_points, r.max_times,
             row_number() over (partition by m.contact_id, r.rule_id, ${bucket} order by m.occurred_at, m.event_id) as k
      from (
        select e.id as event_id, e.contact_id, coalesce(e.event, e.type) as event_name, e."timestamp" as occurred_at, array[${hits}]::bool[] as hits
        from events e where ${where} offset 0
      ) m
      cross join lateral unnest(m.hits) with ordinality as h(hit, i)
      join (values ${consts}) as r(i, rule_id, points, max_points, max_times, period) on r.i = h.i
      where h.hit
    ) ranked`;
}
