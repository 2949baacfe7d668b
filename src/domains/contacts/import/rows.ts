// Per-row validation of import records: turns the raw CSV fields of one line into a clean contact / account
// row, or a rejection naming the line, the column and the reason. Empty cells mean "leave unchanged".
import { z } from 'zod';
import { Domain, LIFECYCLE_LABELS } from '../../../contracts/contacts.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../schema.ts';
import { coercePropertyValue, type PropertyValue } from '../properties.ts';
import type { CsvRecord } from './csv-file.ts';
import type { ImportObjectType, PropertyDef } from './targets.ts';

export interface Rejection {
  line: number;
  column: string | null;
  reason: string;
  row: Record<string, string>;
}

export interface ContactRow {
  line: number;
  /** The raw fields, for a rejection found later (duplicates). */
  fields: string[];
  email: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  phone: string | null;
  lifecycleStage: LifecycleStage | null;
  ownerId: number | null;
  accountName: string | null;
  /** From the accountDomain column (explicit link). */
  accountDomain: string | null;
  properties: Record<string, PropertyValue> | null;
}

export interface AccountRow {
  line: number;
  fields: string[];
  name: string | null;
  domain: string | null;
  industry: string | null;
  employeeCount: number | null;
  country: string | null;
  ownerId: number | null;
  properties: Record<string, PropertyValue> | null;
}

/**
 * The contract's Email rule (trim, lower-case, z.email()'s pattern, at most 254 characters) without a zod
 * parse per row; rows.test.ts checks both agree.
 */
export function normalizeEmail(raw: string): string | null {
  const s = raw.trim().toLowerCase();
  return s.length <= 254 && z.regexes.email.test(s) ? s : null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');
const STAGES = new Map<string, LifecycleStage>();
for (const s of LIFECYCLE_STAGES) {
  STAGES.set(s, s);
  STAGES.set(norm(LIFECYCLE_LABELS[s]), s);
}
STAGES.set('mql', 'marketing_qualified');
STAGES.set('sql', 'sales_ready');

const TEXT_MAX: Record<string, number> = { firstName: 200, lastName: 200, title: 300, phone: 50, accountName: 300, name: 300, industry: 200, country: 100 };

interface Compiled {
  objectType: ImportObjectType;
  headers: string[];
  /** target → column index */
  index: Map<string, number>;
  props: { key: string; col: number; def: PropertyDef }[];
  users: ReadonlyMap<string, number>;
  /** Raw domain cell → normalized domain (null: invalid); company domains repeat a lot in a file. */
  domains: Map<string, string | null>;
}

export function compileMapping(
  objectType: ImportObjectType,
  headers: string[],
  mapping: Record<string, string | null>,
  props: readonly PropertyDef[],
  users: ReadonlyMap<string, number>,
): Compiled {
  const index = new Map<string, number>();
  const defs = new Map(props.map((p) => [p.key, p]));
  const mappedProps: Compiled['props'] = [];
  headers.forEach((h, col) => {
    const target = mapping[h];
    if (!target) return;
    if (target.startsWith('property:')) {
      const key = target.slice(9);
      const def = defs.get(key);
      if (def) mappedProps.push({ key, col, def });
    } else index.set(target, col);
  });
  return { objectType, headers, index, props: mappedProps, users, domains: new Map() };
}

export function rawRow(headers: string[], fields: string[]): Record<string, string> {
  const row: Record<string, string> = {};
  headers.forEach((h, i) => (row[h] = fields[i] ?? ''));
  for (let i = headers.length; i < fields.length; i++) row[`(extra ${i + 1 - headers.length})`] = fields[i]!;
  return row;
}

class RowIssue extends Error {
  readonly column: string | null;
  constructor(column: string | null, reason: string) {
    super(reason);
    this.column = column;
  }
}

/** Reads the cells of one record; one instance per import, re-pointed at each record (no allocation per row). */
class Reader {
  readonly c: Compiled;
  rec: CsvRecord = { line: 0, fields: [] };
  constructor(c: Compiled) {
    this.c = c;
  }
  cell(target: string): string | null {
    const i = this.c.index.get(target);
    if (i === undefined) return null;
    const v = (this.rec.fields[i] ?? '').trim();
    return v === '' ? null : v;
  }
  col(target: string): string | null {
    const i = this.c.index.get(target);
    return i === undefined ? null : this.c.headers[i]!;
  }
  text(target: string): string | null {
    const v = this.cell(target);
    const max = TEXT_MAX[target] ?? 1000;
    if (v !== null && v.length > max) throw new RowIssue(this.col(target), `${target} is longer than ${max} characters`);
    return v;
  }
  owner(): number | null {
    const v = this.cell('ownerEmail');
    if (v === null) return null;
    const id = this.c.users.get(v.toLowerCase());
    if (id === undefined) throw new RowIssue(this.col('ownerEmail'), `no revloop user has the email ${JSON.stringify(v)} (ownerEmail)`);
    return id;
  }
  domain(target: string): string | null {
    const v = this.cell(target);
    if (v === null) return null;
    const domains = this.c.domains;
    let d = domains.get(v);
    if (d === undefined) {
      const r = Domain.safeParse(v);
      d = r.success ? r.data : null;
      if (domains.size >= 100_000) domains.clear();
      domains.set(v, d);
    }
    if (d === null) throw new RowIssue(this.col(target), `${target} must be a domain like acme.com (got ${JSON.stringify(v)})`);
    return d;
  }
  properties(): Record<string, PropertyValue> | null {
    const { props, headers } = this.c;
    if (props.length === 0) return null;
    let out: Record<string, PropertyValue> | null = null;
    for (const p of props) {
      const r = coercePropertyValue(p.def, this.rec.fields[p.col] ?? '');
      if (!r.ok) throw new RowIssue(headers[p.col]!, r.reason);
      if (r.value !== null) (out ??= {})[p.key] = r.value;
    }
    return out;
  }
}

const readers = new WeakMap<Compiled, Reader>();
function reader(c: Compiled, rec: CsvRecord): Reader {
  let r = readers.get(c);
  if (!r) readers.set(c, (r = new Reader(c)));
  r.rec = rec;
  return r;
}

function columnCountIssue(c: Compiled, rec: CsvRecord): RowIssue | null {
  if (rec.fields.length <= c.headers.length) return null;
  if (rec.fields.slice(c.headers.length).every((f) => f.trim() === '')) return null;
  return new RowIssue(null, `the row has ${rec.fields.length} values but the header has ${c.headers.length} columns (a missing quote or delimiter?)`);
}

export function validateContact(c: Compiled, rec: CsvRecord): ContactRow | Rejection {
  try {
    const extra = columnCountIssue(c, rec);
    if (extra) throw extra;
    const r = reader(c, rec);
    const rawEmail = r.cell('email');
    if (rawEmail === null) throw new RowIssue(r.col('email'), 'email is required');
    const email = normalizeEmail(rawEmail);
    if (email === null) throw new RowIssue(r.col('email'), `email must be a valid email address (got ${JSON.stringify(rawEmail)})`);
    const stageRaw = r.cell('lifecycleStage');
    let lifecycleStage: LifecycleStage | null = null;
    if (stageRaw !== null) {
      const s = STAGES.get(norm(stageRaw));
      if (!s) throw new RowIssue(r.col('lifecycleStage'), `lifecycleStage must be one of ${LIFECYCLE_STAGES.join(', ')} (got ${JSON.stringify(stageRaw)})`);
      lifecycleStage = s;
    }
    return {
      line: rec.line,
      fields: rec.fields,
      email,
      firstName: r.text('firstName'),
      lastName: r.text('lastName'),
      title: r.text('title'),
      phone: r.text('phone'),
      lifecycleStage,
      ownerId: r.owner(),
      accountName: r.text('accountName'),
      accountDomain: r.domain('accountDomain'),
      properties: r.properties(),
    };
  } catch (err) {
    if (err instanceof RowIssue) return { line: rec.line, column: err.column, reason: err.message, row: rawRow(c.headers, rec.fields) };
    throw err;
  }
}

export function validateAccount(c: Compiled, rec: CsvRecord): AccountRow | Rejection {
  try {
    const extra = columnCountIssue(c, rec);
    if (extra) throw extra;
    const r = reader(c, rec);
    const name = r.text('name');
    const domain = r.domain('domain');
    if (name === null && domain === null) throw new RowIssue(r.col('name') ?? r.col('domain'), 'name or domain is required');
    const empRaw = r.cell('employeeCount');
    let employeeCount: number | null = null;
    if (empRaw !== null) {
      const n = Number(empRaw.replace(/[,_ ]/g, ''));
      if (!Number.isInteger(n) || n < 0 || n > 10_000_000) {
        throw new RowIssue(r.col('employeeCount'), `employeeCount must be a whole number between 0 and 10000000 (got ${JSON.stringify(empRaw)})`);
      }
      employeeCount = n;
    }
    return {
      line: rec.line,
      fields: rec.fields,
      name,
      domain,
      industry: r.text('industry'),
      employeeCount,
      country: r.text('country'),
      ownerId: r.owner(),
      properties: r.properties(),
    };
  } catch (err) {
    if (err instanceof RowIssue) return { line: rec.line, column: err.column, reason: err.message, row: rawRow(c.headers, rec.fields) };
    throw err;
  }
}

export const isRejection = (r: object): r is Rejection => 'reason' in r;
