// Validating and coercing custom property values against their definitions. Used by the API
// (JSON values) and the CSV import (strings), so both accept and reject exactly the same things.
import type { PropertyDefinition } from './schema.ts';

export type PropertyValue = string | number | boolean;
export type CoerceResult = { ok: true; value: PropertyValue | null } | { ok: false; reason: string };

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Coerces one value; '' and null clear the property (value null). */
export function coercePropertyValue(def: Pick<PropertyDefinition, 'key' | 'type' | 'options'>, raw: unknown): CoerceResult {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  switch (def.type) {
    case 'text': {
      const v = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
      if (v === null) return { ok: false, reason: `${def.key} must be text` };
      if (v.length > 10_000) return { ok: false, reason: `${def.key} is longer than 10000 characters` };
      return { ok: true, value: v };
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/,/g, '')) : NaN;
      if (!Number.isFinite(n)) return { ok: false, reason: `${def.key} must be a number (got ${JSON.stringify(raw)})` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const s = String(raw).trim().toLowerCase();
      if (TRUE.has(s)) return { ok: true, value: true };
      if (FALSE.has(s)) return { ok: true, value: false };
      return { ok: false, reason: `${def.key} must be true or false (got ${JSON.stringify(raw)})` };
    }
    case 'date': {
      const m = typeof raw === 'string' ? DATE.exec(raw.trim()) : null;
      if (!m) return { ok: false, reason: `${def.key} must be a date like 2026-01-31 (got ${JSON.stringify(raw)})` };
      const [, y, mo, d] = m;
      const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
      if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
        return { ok: false, reason: `${def.key} is not a real date (got ${JSON.stringify(raw)})` };
      }
      return { ok: true, value: `${y}-${mo}-${d}` };
    }
    case 'enum': {
      const s = String(raw).trim();
      const match = (def.options ?? []).find((o) => o.toLowerCase() === s.toLowerCase());
      if (match === undefined) {
        return { ok: false, reason: `${def.key} must be one of ${(def.options ?? []).join(', ')} (got ${JSON.stringify(raw)})` };
      }
      return { ok: true, value: match };
    }
  }
}

export interface PropertyIssue {
  key: string;
  reason: string;
}

/**
 * Validates a set of values: unknown keys and bad values are issues. Returns the values to set
 * (coerced) and the keys to remove (null / empty values).
 */
export function validateProperties(
  defs: ReadonlyMap<string, Pick<PropertyDefinition, 'key' | 'type' | 'options'>>,
  values: Record<string, unknown>,
): { set: Record<string, PropertyValue>; unset: string[]; issues: PropertyIssue[] } {
  const set: Record<string, PropertyValue> = {};
  const unset: string[] = [];
  const issues: PropertyIssue[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = defs.get(key);
    if (!def) {
      issues.push({ key, reason: `unknown property "${key}"; define it under Settings → Properties first` });
      continue;
    }
    const r = coercePropertyValue(def, raw);
    if (!r.ok) issues.push({ key, reason: r.reason });
    else if (r.value === null) unset.push(key);
    else set[key] = r.value;
  }
  return { set, unset, issues };
}
